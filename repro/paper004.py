"""Verification of paper 004 (Delphi survey): Tables 2, 3, 4 and the figures of its prose.

Everything published is read from ``datasets/``; this module only computes. Tables 3 and 4
go through the general audit engine (:mod:`repro.audit`), Table 2 through the tie-share
functions (:mod:`repro.ties`) and the same granularity engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from functools import lru_cache
from math import comb

from repro import datasets as ds
from repro.audit import ReportedTest, audit_shares
from repro.errors import ReproError
from repro.granularity import share_numerators
from repro.numerals import FRACTIONS, parse_count
from repro.printed import Printed, parse_printed
from repro.ties import Definition, count_above_half, derived_cells, reconstruct_counts
from repro.kendall_groups import (P_ASYMPTOTIC, PairAt, Reconstruction, RowAnalysis, RowFields, at_decimals,
                                  judge_row, datasets_k3, pair_at, pair_exact_at, wp_feasible_mk)
from repro.verdict import (Assumption, Cell, Group, Reason, TableResult, count_statuses, judge, mark_minimal,
                           Status, severity_counts, strongest)

BLOCKS = list(ds.TABLE2_BLOCKS)
TOTAL = ds.TABLE2_TOTAL


# ------------------------------------------------------------------------------ Table 2

@dataclass
class Table2Verification:
    cells: list[Cell]
    definitions: list[Definition]
    best: Definition
    feasible_n: dict[str, list[int]]
    text_n: dict[str, int]
    granular_n: dict[str, int | None]
    counts: dict[str, list[list[int]]]
    unique: dict[str, bool]
    recomputed_from_counts: list[Cell]
    body_rows: int
    hypotheses: list[dict] = field(default_factory=list)


def prose_count(fig_id: str) -> int:
    """A count stated in the prose (digits or a number word), as an integer."""
    fig = ds.prose_figures()[fig_id]
    n = parse_count(fig["printed"])
    if n is None:
        raise ReproError(f"the prose figure {fig['printed']!r} is not a count", file="prose_figures.csv",
                         column="printed")
    return n


def _number(printed: Printed | None) -> Printed:
    """A printed figure the tables always print (a missing one is a transcription error)."""
    if printed is None or not printed.is_number:
        raise ReproError(f"expected a printed number, got {printed!r}")
    return printed


def text_judgments_per_block() -> dict[str, int]:
    """Judgments per block implied by the prose: C(9, 2) pairs of nine variables per
    dimension E1–E3, and the 27 comparisons of the inner ring (Q27)."""
    variables = prose_count("p004.variables_per_dimension")
    q27 = prose_count("p004.q27_comparisons")
    return {"E1": comb(variables, 2), "E2": comb(variables, 2), "E3": comb(variables, 2), "Q27": q27}


@lru_cache(maxsize=1)
def verify_table2() -> Table2Verification:
    """Derived cells under every definition, granularity per column, reconstruction of counts."""
    rows = ds.table2()
    body = [r.cells for r in rows if r.row <= len(rows) - 2]
    count_row, share_row = rows[-2].cells, rows[-1].cells
    n_body = len(body)
    feasible = {c: audit_shares(c, [r[c] for r in body]).feasible_n for c in BLOCKS + [TOTAL]}
    granular = {c: (feasible[c][0] if feasible[c] else None) for c in BLOCKS + [TOTAL]}
    text_n = text_judgments_per_block()

    weightings: list[tuple[str, dict[str, int] | None]] = [("plain_mean", None), ("weighted_text", text_n)]
    if all(granular[b] for b in BLOCKS):
        weightings.append(("weighted_granular", {b: int(granular[b] or 0) for b in BLOCKS}))
    definitions = []
    for wname, weights in weightings:
        for thr in ("gt", "ge"):
            for den in ("all", "nonzero"):
                definitions.append(derived_cells(body, count_row, share_row, BLOCKS, TOTAL, weights, thr, den,
                                                 wname))
    best = max(definitions, key=lambda d: d.reproduced)  # first of the best in the listed order

    counts = {b: reconstruct_counts([r[b] for r in body], int(granular[b] or 0)) if granular[b] else [] for b in BLOCKS}
    unique = {b: bool(counts[b]) and all(len(k) == 1 for k in counts[b]) for b in BLOCKS}

    cells: list[Cell] = []
    for index, row in enumerate(body, start=1):
        for b in BLOCKS:
            cells.append(_body_cell(index, b, row[b], text_n[b], granular[b]))
    cells.extend(best.cells)
    cells.sort(key=lambda c: (int(c.row), (BLOCKS + [TOTAL]).index(c.column)))

    definition = Assumption.of("total_definition", name=best.name, threshold=best.threshold_rule,
                               denominator=best.denominator_rule)
    for c in cells:
        if c.column == TOTAL and int(c.row) <= n_body:
            c.trivial = _trivial_share(ds.table2()[int(c.row) - 1].cells[TOTAL])
        if c.status == "inconsistent" and c.severity is None:  # a derived cell under the best definition
            c.mark_inconsistent("assumption", c.reason, [definition])
    from_counts = _recompute_from_counts(body, count_row, share_row, counts, granular, best)
    hypotheses = table2_hypotheses(body, count_row, text_n, granular)
    return Table2Verification(cells, definitions, best, feasible, text_n, granular, counts, unique, from_counts,
                              n_body, hypotheses)


def hypothesis_params(text_n: dict[str, int] | None = None) -> dict[str, int]:
    """The figures the readings of a Table 2 row are stated with, from the prose and Table 3 (never typed in):
    experts, variables per block, their pairs C(variables, 2), the Q27 comparisons, the pooled denominators,
    the components, a component's pairs in its block and in Q27."""
    text_n = text_n or text_judgments_per_block()
    experts = prose_count("p004.experts.results")
    variables = prose_count("p004.variables_per_dimension")
    pairs = comb(variables, 2)
    q27 = text_n["Q27"]
    return {"experts": experts, "variables": variables, "pairs": pairs, "q27": q27, "pooled": experts * pairs,
            "pooled_q27": experts * q27, "components": prose_count("p004.components"),
            "component_pairs": variables - 1, "q27_pairs": q27 // len(ds.table3())}


def table2_hypotheses(body: list[dict[str, Printed]], count_row: dict[str, Printed], text_n: dict[str, int],
                      granular: dict[str, int | None]) -> list[dict]:
    """What a row of Table 2 is, read every way the text allows, with the denominators each reading gives
    and how many shares are then some k/N.

    * ``per_respondent``: a row is one respondent making C(9, 2) = 36 comparisons per block E1–E3 and the
      27 of Q27 (the discussion's sentences);
    * ``pooled_experts``: a row pools the 3 experts the text names (3 × 36 = 108, 3 × 27 = 81);
    * ``components``: a row is one of the 13 components of the abstract; a component takes part in 8 of the
      36 pairs of its block and 3 of the 27 (3 pairs × 9 indicators) of Q27, for each of the 3 experts;
    * ``smallest_fitting``: the smallest N that fits each column (fitted, not stated).
    The total column pools the blocks (sum of the block denominators).
    """
    prose = ds.prose_figures()
    experts = prose_count("p004.experts.results")
    variables = prose_count("p004.variables_per_dimension")
    components = prose_count("p004.components")
    rows = len(body)
    q27_items = len(ds.table3())
    per_block: dict[str, dict[str, int | None]] = {
        "per_respondent": dict(text_n),
        "pooled_experts": {b: experts * n for b, n in text_n.items()},
        "components": {**{b: experts * (variables - 1) for b in BLOCKS if b != "Q27"},
                       "Q27": experts * text_n["Q27"] // q27_items},
        "smallest_fitting": {b: granular[b] for b in BLOCKS},
    }
    # what "one third of experts" says about a row: the count row's k/rows nearest to a third, column by column
    num, den = FRACTIONS[prose["p004.one_third"]["printed"]]
    third = round(rows * num / den)
    third_columns = [c for c in BLOCKS + [TOTAL] if float(count_row[c]) == third]
    supported: dict[str, list[dict[str, Any]]] = {"per_respondent": [{"figure": "p004.one_third", "columns": third_columns, "count": third,
                                     "rows": rows}],
                 "smallest_fitting": [{"figure": "p004.one_third", "columns": third_columns, "count": third,
                                       "rows": rows}],
                 "pooled_experts": [{"figure": "p004.experts.results", "experts": experts}],
                 "components": [{"figure": "p004.components", "components": components, "rows": rows}]
                 if components == rows else []}
    words = hypothesis_params(text_n)
    out = []
    for key, blocks in per_block.items():
        if any(n is None for n in blocks.values()):
            continue
        known = {b: int(n or 0) for b, n in blocks.items()}
        denominators = dict(known, **{TOTAL: sum(known.values())})
        fits = misfits = trivial = 0
        misfit_cells = []
        for index, row in enumerate(body, start=1):
            for column, n in denominators.items():
                printed = row[column]
                if _trivial_share(printed):
                    trivial += 1
                elif column == TOTAL:
                    continue  # the total is a weighted mean of the blocks, not a share of its own count
                elif share_numerators(printed, n):
                    fits += 1
                else:
                    misfits += 1
                    misfit_cells.append([str(index), column])
        out.append({"id": key, "assumption": Assumption.of("hypothesis." + key, **words),
                    "denominators": denominators, "fitted": key == "smallest_fitting",
                    "summary": {"fits": fits, "misfits": misfits, "trivial": trivial},
                    # the same in the cells' status words (a share that fits is reproduced under this reading)
                    "status_counts": {"reproduced": fits + trivial, "inconsistent": misfits},
                    "fits_all": misfits == 0, "misfit_cells": misfit_cells, "supported_by": supported[key]})
    return out


def _body_cell(row: int, block: str, printed: Printed, n_text: int, n_granular: int | None) -> Cell:
    """A block share judged against the number of judgments the text implies for its block."""
    ks = share_numerators(printed, n_text)
    cell = Cell("B2", str(row), block, printed.text, float(printed), layer="reconstructed",
                decimals=printed.decimals, trivial=_trivial_share(printed))
    if ks:
        cell.reproduced = ks[0] / n_text
        cell.nearest = cell.reproduced
        cell.status = "reproduced"
        cell.reason = Reason("reason.share_fits", {"k": ks[0], "n": n_text})
    else:
        k = round(float(printed) * n_text)
        cell.reproduced = None
        cell.nearest = k / n_text
        cell.status = "inconsistent"
        cell.mark_inconsistent("assumption", Reason("reason.share_misfit", {"n": n_text, "k": k, "value": k / n_text,
                                                                         "n_granular": n_granular}),
                               [Assumption.of("denominator_per_respondent", n=n_text)])
    return cell


def _trivial_share(printed: Printed) -> bool:
    """A share printed as 0 or 1 is k/N for every N: it holds whatever the data."""
    return printed.is_number and printed.value in (0, 1)


def _recompute_from_counts(body, count_row, share_row, counts, granular, best: Definition) -> list[Cell]:
    """The whole table recomputed from the reconstructed integer counts alone."""
    if not all(counts[b] for b in BLOCKS):
        return []
    cells = []
    shares_by_row = []
    for index, row in enumerate(body):
        ks = {b: counts[b][index][0] for b in BLOCKS}
        derived = {b: ks[b] / granular[b] for b in BLOCKS}
        derived[TOTAL] = sum(ks.values()) / sum(granular[b] for b in BLOCKS)
        shares_by_row.append(derived)
        for column in BLOCKS + [TOTAL]:
            pr = row[column]
            j = judge(pr, derived[column])
            cells.append(Cell("B2", str(index + 1), column, pr.text, float(pr), derived[column], j.status,
                              # the total pools the blocks: sum of counts over sum of block denominators
                              Reason("reason.from_counts", {"k": ks[column] if column in BLOCKS else sum(ks.values()),
                                                            "n": granular[column] if column in BLOCKS else
                                                            sum(granular[b] for b in BLOCKS)}),
                              "reconstructed", j.nearest, pr.decimals))
    n = len(body)
    for column in BLOCKS + [TOTAL]:
        values = [r[column] for r in shares_by_row]
        above, denom = count_above_half(values, best.threshold_rule, best.denominator_rule)
        for printed, computed, row_no, key in ((count_row[column], float(above), n + 1, "reason.count.from_counts"),
                                               (share_row[column], above / denom, n + 2, "reason.countshare.from_counts")):
            j = judge(printed, computed)
            cells.append(Cell("B2", str(row_no), column, printed.text, float(printed), computed, j.status,
                              Reason(key, {"count": above, "denom": denom}), "reconstructed", j.nearest,
                              printed.decimals))
    return cells


# ------------------------------------------------------------------------------ Table 3

@dataclass
class RowFacts:
    """Plain facts of one printed row (for the JSON and the report): the (m, k) where its figures agree, its
    rank sum, the m its mean ranks allow, the decision error of its mark, the engine's reconstruction."""

    test: ReportedTest
    feasible_mk: list[tuple[int, int]]
    rank_sum: float | None = None
    rank_sum_ok: bool | None = None
    granular_m: list[int] | None = None
    decision_error: bool | None = None
    reconstruction: Any = None


def row_facts(test: ReportedTest, reconstruct: bool = True) -> RowFacts:
    """The facts of one row: the (m, k), rank sum and mark from :func:`repro.audit.audit_row` (the one judge of a
    row; its own reconstruction and exact reading off), the engine's reconstruction over the whole m range."""
    from repro.audit import M_RANGE, AuditOptions, audit_row
    from repro.granularity import feasible_rater_counts

    info = audit_row(test, AuditOptions(reconstruct=False, exact_reading=False)).info
    facts = RowFacts(test, [(int(m), int(k)) for m, k in info["feasible_mk"]], rank_sum_ok=info["rank_sum_ok"],
                     decision_error=info["decision_error"])
    k = len(test.mean_ranks)
    if k:
        facts.rank_sum = float(sum(r.number for r in test.mean_ranks))
        facts.granular_m = feasible_rater_counts(test.mean_ranks, k, M_RANGE)
        if reconstruct and k >= 2 and test.W is not None and test.p is not None:
            from repro.ranksums import reconstruct_row

            facts.reconstruction = reconstruct_row(tuple(test.mean_ranks), test.W, test.p, m_values=list(M_RANGE),
                                                   label=test.label)
    return facts


def _shared_mk(audits: list[RowFacts]) -> tuple[tuple[int, int] | None, int]:
    """The (m, k) under which most rows are consistent (ties: smallest m, then k), and how many."""
    tally: dict[tuple[int, int], int] = {}
    for a in audits:
        for mk in a.feasible_mk:
            tally[mk] = tally.get(mk, 0) + 1
    if not tally:
        return None, 0
    best = min(tally, key=lambda mk: (-tally[mk], mk[0], mk[1]))
    return best, tally[best]


@dataclass
class Table3Verification:
    cells: list[Cell]
    audits: list[RowFacts]
    shared_m: int | None
    shared_rows: int
    analyses: list[RowAnalysis] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    readings: list[dict] = field(default_factory=list)


B3_COLUMNS = {"rank_1": 2, "rank_2": 2, "rank_3": 2, "W": 3, "p": 3}  # decimals most of each column prints


def table3_tests() -> list[ReportedTest]:
    return [ReportedTest(label=r.indicator, W=r.W, p=r.p, mean_ranks=list(r.ranks), mark=r.p.marks,
                         source_row=r.row) for r in ds.table3()]


def _b3_fields(test: ReportedTest, column_precision: bool = False) -> RowFields:
    def read(column: str, printed: Printed) -> tuple[str, Printed]:
        return column, at_decimals(printed, B3_COLUMNS[column]) if column_precision else printed

    return RowFields("B3", str(test.source_row), [read(f"rank_{j}", r) for j, r in enumerate(test.mean_ranks, 1)],
                     read("W", _number(test.W)), read("p", _number(test.p)), mark=test.mark)


@dataclass
class _ReconAt:
    """The reconstruction restricted to some m (the datasets of a fixed-m reading)."""

    solutions: list
    m_values: list[int]
    total_datasets: int | None
    searched: tuple[int, int]
    example: list | None = None
    status: str = ""  # neither impossible nor undecided is claimed for the restriction
    undecided_m: list[int] = field(default_factory=list)


def _recon_within(recon: Reconstruction | None, m_range: range) -> _ReconAt | None:
    if recon is None:
        return None
    solutions = [s for s in recon.solutions if s.m in m_range]
    total = sum(s.count for s in solutions) if recon.total_datasets is not None else None
    return _ReconAt(solutions, sorted({s.m for s in solutions}), total, (m_range.start, m_range.stop - 1))


def _judge_b3(audits: list[RowFacts], column_precision: bool = False, strict: bool = False,
              m_range: range | None = None):
    cells, analyses, groups = [], [], []
    for a in audits:
        f = _b3_fields(a.test, column_precision)
        changed = [pr.text for _, pr in f.ranks] + [_number(x[1] if x else None).text for x in (f.W, f.p)] != \
            [pr.text for pr in a.test.mean_ranks] + [_number(a.test.W).text, _number(a.test.p).text]
        recon = None if strict or changed else a.reconstruction
        if m_range is not None:
            row_cells, analysis = judge_row(f, _recon_within(recon, m_range), strict_rankings=strict,
                                            m_range=m_range, exact_p=False)
            cells.extend(row_cells)
            analyses.append(analysis)
            groups.extend(analysis.groups)
            continue
        row_cells, analysis = judge_row(f, recon, strict_rankings=strict)
        if changed and analysis.groups and all(g.holds is not False for g in analysis.groups):
            # the reading changes a row that nothing smaller rules out: reconstruct it at this precision
            t = ReportedTest(a.test.label, W=f.W[1] if f.W else None, p=f.p[1] if f.p else None,
                             mean_ranks=[pr for _, pr in f.ranks],
                             mark=a.test.mark, source_row=a.test.source_row)
            row_cells, analysis = judge_row(f, row_facts(t).reconstruction, strict_rankings=strict)
        cells.extend(row_cells)
        analyses.append(analysis)
        groups.extend(analysis.groups)
    return cells, analyses, groups


def _reading(reading_id: str, assumptions: list[Assumption], cells: list[Cell], groups: list[Group],
             primary: list[Cell], **more) -> dict:
    """One reading of the print: its counts, the cells whose status flips against the primary verdict, and
    the groups of the rows that flip (so a reader sees why: "sum 6,2 cannot be 6" under a «2» read as 2,00)."""
    base = {(c.row, c.column): c.status for c in primary}
    flips = [{"row": c.row, "column": c.column, "status": base[(c.row, c.column)], "status_here": c.status}
             for c in cells if base.get((c.row, c.column)) != c.status]
    flipped_rows = {f["row"] for f in flips}
    return {"id": reading_id, "assumptions": assumptions, "summary": count_statuses(cells),
            "severity_counts": severity_counts(cells, groups), "flips": flips,
            "groups": [g for g in groups if g.row in flipped_rows and g.holds is False and g.minimal], **more}


EXACT_ENUMERATION_M_MAX = 12  # rows reproduced with at most this many raters get every dataset's exact p


@lru_cache(maxsize=1)
def verify_table3() -> Table3Verification:
    """Every Table 3 row judged by its groups (mean ranks alone, W and p alone, mean ranks with W, the
    whole row through the exhaustive k = 3 reconstruction), under each reading of the print."""
    audits = [row_facts(t) for t in table3_tests()]
    mk, n = _shared_mk(audits)
    cells, analyses, groups = _judge_b3(audits)
    primary = [Assumption.of("precision_printed"), Assumption.of("ties_allowed"), P_ASYMPTOTIC]
    readings = [_reading("primary", primary, cells, groups, cells)]
    col_cells, _, col_groups = _judge_b3(audits, column_precision=True)
    readings.append(_reading("precision_column", [Assumption.of("precision_column")], col_cells, col_groups, cells))
    strict_cells, _, strict_groups = _judge_b3(audits, strict=True)
    readings.append(_reading("strict_rankings", [Assumption.of("strict_rankings")], strict_cells, strict_groups,
                             cells))
    readings.append(_exact_p_reading(audits, analyses, cells))
    # the range of m: the whole search (primary), and m fixed at what the paper elsewhere suggests
    t2_rows = len([r for r in ds.table2() if r.row <= len(ds.table2()) - 2])
    text_m = prose_count("p004.experts.results")
    for m, source in ((t2_rows, "table2_rows"), (text_m, "text_experts")):
        m_cells, _, m_groups = _judge_b3(audits, m_range=range(m, m + 1))
        readings.append(_reading(f"m_{source}", [Assumption.of(f"m_{source}", m=m)], m_cells, m_groups,
                                 cells, m=m))
    return Table3Verification(cells, audits, mk[0] if mk else None, n, analyses, groups, readings)


def _exact_p_reading(audits: list[RowFacts], analyses: list[RowAnalysis], cells: list[Cell]) -> dict:
    """Exact instead of asymptotic p (SPSS prints the asymptotic one).

    * W and p alone: the m at which they agree with the exact p of untied rankings;
    * the whole row: every dataset of m <= EXACT_ENUMERATION_M_MAX raters with the printed mean ranks and W
      (brute force, ties allowed), smallest m first, until one has an exact p that prints as p. Found: the row
      holds under exact p; not found: undecided (larger m not searched). Rows that fail on their mean ranks or
      on mean ranks with W fail whatever p is, and are not searched."""
    from repro.granularity import feasible_rater_counts
    from repro.kendall import exact_p

    status = {(c.row, c.column): c.status for c in cells}
    rows: list[dict[str, Any]] = []
    flips: list[dict[str, str]] = []
    for a, an in zip(audits, analyses):
        row = str(a.test.source_row)
        W, p = _number(a.test.W), _number(a.test.p)
        p_free_failure = any(g.holds is False and g.minimal and (g.id.endswith(".ranks") or g.id.endswith(".ranks_W"))
                             for g in an.groups)
        found = None
        if not p_free_failure and len(a.test.mean_ranks) == 3:
            for m in feasible_rater_counts(a.test.mean_ranks, 3, range(2, EXACT_ENUMERATION_M_MAX + 1)):
                fits = [pe for pe in (exact_p(d) for d in datasets_k3(a.test.mean_ranks, W, None, m)) if p.contains(pe)]
                if fits:
                    found = {"m": m, "p_exact": fits[0]}
                    break
        holds = True if found else (False if p_free_failure else None)
        wp_changes = bool(an.wp_m) != bool(an.wp_m_exact) if an.wp_m_exact is not None else None
        rows.append({"row": a.test.source_row, "wp_m": an.wp_m, "wp_m_exact_untied": an.wp_m_exact,
                     "wp_verdict_changes": wp_changes, "row_holds_exact": holds, "witness": found,
                     "searched_m_max": EXACT_ENUMERATION_M_MAX})
        for column in ("rank_1", "rank_2", "rank_3", "W", "p"):
            before = status.get((row, column))
            here = before
            if holds is True:
                here = "reproduced"
            elif holds is None and before == "reproduced":
                here = "not_checkable"
            if before is not None and here is not None and here != before:
                flips.append({"row": row, "column": column, "status": before, "status_here": here})
    return {"id": "p_exact", "assumptions": [Assumption.of("p_exact")], "rows": rows, "flips": flips,
            "wp_verdicts_change": any(r["wp_verdict_changes"] for r in rows),
            "undecided_rows": [r["row"] for r in rows if r["row_holds_exact"] is None]}


def an_whole_row_fails(analyses: list[RowAnalysis], row: int) -> bool:
    """Rows whose whole-row failure rests on the asymptotic p (no smaller group fails)."""
    for an in analyses:
        for g in an.groups:
            if g.id == f"B3.{row}.row" and g.holds is False and g.minimal:
                return True
    return False


# ------------------------------------------------------------------------------ Table 4

@dataclass
class Table4Verification:
    cells: list[Cell]
    audits: list[RowFacts]
    shared_mk: tuple[int, int] | None
    shared_cells: int
    text_k: int
    groups: list[Group] = field(default_factory=list)
    readings: list[dict] = field(default_factory=list)
    text_m: int | None = None
    pairs_alone: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


def table4_tests() -> list[ReportedTest]:
    return [ReportedTest(label=f"{c.indicator} / {c.dimension}", W=c.W, p=c.p, source_row=c.row)
            for c in ds.table4()]


def _pair_cells(c, at: PairAt, agree: bool, assumption: Assumption) -> tuple[list[Cell], Group]:
    """The W and p cells of one Table 4 pair judged at (m, k), with the pair's group."""
    row, w_col, p_col = str(c.row), f"{c.dimension} W", f"{c.dimension} p"
    jp = judge(c.p, at.p_point, at.p_lo, at.p_hi)
    jw = judge(c.W, at.W_point, at.W_lo, at.W_hi)
    params = {"m": at.m, "k": at.k, "W": c.W.text, "p": c.p.text, "p_from_W": at.p_point, "p_lo": at.p_lo,
              "p_hi": at.p_hi, "W_from_p": at.W_point}
    key = "group.b4.pair.holds" if agree else "group.b4.pair.fails"
    group = Group(f"B4.{row}.{c.dimension}.at", row, [(row, w_col), (row, p_col)], agree, Reason(key, params),
                  None if agree else "assumption", [] if agree else [assumption, P_ASYMPTOTIC])
    cells = []
    for col, printed, j, point in ((w_col, c.W, jw, at.W_point), (p_col, c.p, jp, at.p_point)):
        cell = Cell("B4", row, col, printed.text, float(printed), point, "reproduced", Reason(key, params),
                    "recomputed", j.nearest, printed.decimals, assumptions=[assumption],
                    # W = 0 with p = 1 holds for every (m, k): counted apart from substantive pairs
                    trivial=float(c.W) == 0 and float(c.p) == 1)
        cell.status = j.status if agree and j.status != "inconsistent" else ("within_rounding" if agree else "inconsistent")
        if not agree:
            cell.mark_inconsistent("assumption", Reason(key, params), [assumption, P_ASYMPTOTIC])
        cells.append(cell)
    return cells, group


def _judge_b4(mk: tuple[int, int], assumption: Assumption, alone: dict) -> tuple[list[Cell], list[Group]]:
    cells, groups = [], []
    for c in ds.table4():
        label = f"{c.indicator} / {c.dimension}"
        row = str(c.row)
        if not alone[label]:
            # W and p agree under no (m, k) in the limits: that is the finding, whatever (m, k) is assumed
            g = Group(f"B4.{row}.{c.dimension}.alone", row, [(row, f"{c.dimension} W"), (row, f"{c.dimension} p")],
                      False, Reason("group.b4.pair.none", {"W": c.W.text, "p": c.p.text}), "assumption",
                      [P_ASYMPTOTIC, Assumption.of("mk_range")])
            groups.append(g)
            for col, printed in ((f"{c.dimension} W", c.W), (f"{c.dimension} p", c.p)):
                cell = Cell("B4", row, col, printed.text, float(printed), layer="recomputed",
                            decimals=printed.decimals)
                cell.mark_inconsistent("assumption", g.conclusion, g.assumptions)
                cell.groups = [g.id]
                cells.append(cell)
            continue
        at, agree = pair_at(c.W, c.p, *mk)
        pair, g = _pair_cells(c, at, agree, assumption)
        g.conclusion.params["alone"] = _mk_text(alone[label])
        for cell in pair:
            cell.groups = [g.id]
        groups.append(g)
        cells.extend(pair)
    mark_minimal(groups)
    return cells, groups


def _b4_exact_reading(mk: tuple[int, int], cells: list[Cell]) -> dict:
    """Exact (untied) instead of asymptotic p at the fitted (m, k): which pairs change their verdict."""
    by = {(c.row, c.column): c for c in cells}
    flips, undecided = [], []
    for c in ds.table4():
        agree = pair_exact_at(c.W, c.p, *mk)
        if agree is None:
            undecided.append([str(c.row), c.dimension])
            continue
        for column in (f"{c.dimension} W", f"{c.dimension} p"):
            before = by[(str(c.row), column)].status
            if (before != "inconsistent") != agree:
                flips.append({"row": str(c.row), "column": column, "status": before,
                              "status_here": "reproduced" if agree else "inconsistent"})
    return {"id": "p_exact", "assumptions": [Assumption.of("p_exact"), Assumption.of("fitted_mk", m=mk[0], k=mk[1])],
            "flips": flips, "undecided": undecided, "m": mk[0], "k": mk[1]}


def _b4_per_pair_reading(alone: dict[str, list[tuple[int, int]]], cells: list[Cell]) -> dict:
    """Each pair with an (m, k) of its own (as if every cell came from another panel or item set): a pair
    then agrees when any (m, k) in the limits fits it."""
    by = {(c.row, c.column): c.status for c in cells}
    flips = []
    agreeing = 0
    for c in ds.table4():
        ok = bool(alone[f"{c.indicator} / {c.dimension}"])
        agreeing += ok
        for column in (f"{c.dimension} W", f"{c.dimension} p"):
            before = by.get((str(c.row), column))
            here = "reproduced" if ok else "inconsistent"
            if before is not None and (before != "inconsistent") != ok:
                flips.append({"row": str(c.row), "column": column, "status": before, "status_here": here})
    return {"id": "per_pair_mk", "assumptions": [Assumption.of("per_pair_mk")], "flips": flips,
            "pairs_agreeing": agreeing, "pairs": len(ds.table4())}


def _mk_text(mks: list[tuple[int, int]], shown: int = 6) -> str:
    text = ", ".join(f"({m}, {k})" for m, k in mks[:shown])
    return text + ("…" if len(mks) > shown else "") if mks else "—"


@lru_cache(maxsize=1)
def verify_table4() -> Table4Verification:
    """W and p of every indicator and dimension: the (m, k) each pair allows alone, judged at the (m, k)
    most pairs share (fitted, not printed) and at the text's m = 3 experts and k = 9 variables."""
    tests = table4_tests()
    # the pairs are judged here (kendall_groups); RowFacts records keep the former field for callers
    audits = [RowFacts(test=t, feasible_mk=[]) for t in tests]
    alone = {t.label: wp_feasible_mk(_number(t.W), _number(t.p)) for t in tests}
    tally: dict[tuple[int, int], int] = {}
    for mks in alone.values():
        for pair_mk in mks:
            tally[pair_mk] = tally.get(pair_mk, 0) + 1
    mk = min(tally, key=lambda x: (-tally[x], x[0], x[1])) if tally else None
    text_k = prose_count("p004.variables_per_dimension")
    text_m = prose_count("p004.experts.results")
    cells: list[Cell] = []
    groups: list[Group] = []
    readings: list[dict] = []
    if mk is not None:
        fitted = Assumption.of("fitted_mk", m=mk[0], k=mk[1])
        cells, groups = _judge_b4(mk, fitted, alone)
        readings.append(_reading("fitted_mk", [fitted, P_ASYMPTOTIC], cells, groups, cells, m=mk[0], k=mk[1]))
    else:
        # no (m, k) fits any pair: judge at the text's (m, k) below as the only reading
        cells, groups = _judge_b4((text_m, text_k), Assumption.of("text_mk", m=text_m, k=text_k), alone)
    if text_m and text_k:
        text = Assumption.of("text_mk", m=text_m, k=text_k)
        t_cells, t_groups = _judge_b4((text_m, text_k), text, alone)
        readings.append(_reading("text_mk", [text, P_ASYMPTOTIC], t_cells, t_groups, cells, m=text_m, k=text_k,
                                 pairs_agreeing=sum(1 for g in t_groups if g.holds)))
    if mk:
        readings.append(_b4_exact_reading(mk, cells))
    readings.append(_b4_per_pair_reading(alone, cells))
    shared = sum(1 for g in groups if g.holds)
    return Table4Verification(cells, audits, mk, shared, text_k, groups, readings, text_m, alone)


# ------------------------------------------------------------------------------ prose

def dimensions() -> dict[str, dict[str, str]]:
    return {r["block"]: r for r in ds.text_table("p004_dimensions.csv",
                                                 ("block", "table4_column", "prose_name", "section", "paragraph",
                                                  "quote", "min_p_excludes"))}


def _claim(fig_id: str, status: Status, reason: Reason, reproduced=None, nearest=None) -> Cell:
    fig = ds.prose_figures()[fig_id]
    printed = parse_printed(fig["printed"])
    value = float(printed) if printed.is_number else parse_count(fig["printed"])
    return Cell("prose", fig_id, f"{fig['section']} ¶{fig['paragraph']}", fig["printed"],
                None if value is None else float(value), reproduced, status, reason, "recomputed", nearest,
                printed.decimals)


def _names_row(attributed: str, label: str) -> bool:
    """Whether a name in the prose names a table row: the words agree on their stems (first 5 letters),
    so Kazakh case endings («өсуді», «өсу») do not matter."""
    def stems(text: str) -> list[str]:
        return [w[:5] for w in text.lower().replace("«", " ").replace("»", " ").split()]

    return bool(attributed) and stems(attributed) == stems(label)


def _min_p_cells(prose: dict, t4, dims: dict) -> list[Cell]:
    cells = []
    for block, dim in dims.items():
        col = [c for c in t4 if c.dimension == dim["table4_column"]]
        fig_id = f"p004.min_p.{block}"
        if fig_id in prose:
            printed = parse_printed(prose[fig_id]["printed"])
            # the sentence may leave one indicator out of its minimum (E2: economic growth)
            pool = [c for c in col if c.indicator != dim["min_p_excludes"]]
            lowest = min(pool, key=lambda c: float(c.p))
            overall = min(col, key=lambda c: float(c.p))
            j = judge(printed, float(lowest.p), float(lowest.p.lo), float(lowest.p.hi))
            attributed = prose[fig_id].get("attributed_to", "")
            params = {"dimension": dim["table4_column"], "indicator": lowest.indicator, "p": lowest.p.text,
                      "p_all": overall.p.text, "indicator_all": overall.indicator, "attributed": attributed}
            cell = _claim(fig_id, j.status, Reason("reason.prose.min_p", params), float(lowest.p), j.nearest)
            if j.status == "inconsistent":
                # neither reading of the minimum (with or without the excluded indicator) gives the figure
                cell.mark_inconsistent("impossible", Reason("reason.prose.min_p_none", params))
            elif attributed and not _names_row(attributed, lowest.indicator):
                # the number matches, the name does not: the figure is given to another row
                named = [c.indicator for c in col if _names_row(attributed, c.indicator)]
                cell.reproduced = None
                cell.mark_inconsistent("editorial", Reason("reason.prose.min_p_attributed",
                                                           dict(params, named=named[0] if named else "")))
            cells.append(cell)
        fig_id = f"p004.w_zero.{block}"
        if fig_id in prose:
            zero = sum(1 for c in col if float(c.W) == 0)
            largest = max(col, key=lambda c: float(c.W))
            lowest = min(col, key=lambda c: float(c.p))
            cell = _claim(fig_id, "inconsistent", Reason("reason.prose.w_zero", {}), None, None)
            # «(W = 0, келіспеушіліктер)» follows "not enough information to reject the null hypothesis": it states
            # H0 (the text: «Дау W = 0 болса қабылданады»), not a computed W. The issue is interpretive only.
            cell.mark_inconsistent("editorial", Reason("reason.prose.w_zero_null", {
                "zero": zero, "n": len(col), "max": largest.W.text, "indicator": largest.indicator,
                "p": lowest.p.text}))
            cells.append(cell)
    if "p004.p_econ.E2" in prose:
        printed = parse_printed(prose["p004.p_econ.E2"]["printed"])
        cell = next(c for c in t4 if c.dimension == dims["E2"]["table4_column"]
                    and c.indicator == dims["E2"]["min_p_excludes"])
        # two printed figures agree when their rounding intervals meet (0,004 and 0,005 share p = 0,0045)
        j = judge(printed, float(cell.p), float(cell.p.lo), float(cell.p.hi))
        claim = _claim("p004.p_econ.E2", j.status, Reason("reason.prose.p_cell", {"p": cell.p.text,
                                                                                 "indicator": cell.indicator}),
                       float(cell.p), j.nearest)
        if j.status == "inconsistent":
            claim.mark_inconsistent("impossible", claim.reason)
        cells.append(claim)
    return cells


def _experts_cells(prose: dict, t2: Table2Verification) -> list[Cell]:
    """«3» experts read every way its sentence allows: the abstract and the methods let it count the cities
    («3 жергілікті смарт қала»); the discussion's «3 жергілікті маманы» counts specialists."""
    from repro.kendall import exact_p_no_ties, friedman_p

    t3 = ds.table3()
    cells = []
    for fig_id in ("p004.experts.abstract", "p004.experts.methods", "p004.experts.results"):
        # the readings its sentence allows (datasets/prose_figures.csv): «3» may count the cities
        readings = [r for r in prose[fig_id].get("readings", "").split("|") if r] or ["experts"]
        m = prose_count(fig_id)
        k = len(t3[0].ranks)
        # the smallest p any dataset of m raters ranking k items can have: perfect agreement; exact (ties only
        # raise it, since a tied rater has fewer orderings) and asymptotic
        s_max = m * m * (k ** 3 - k) / 12.0
        p_exact_min = exact_p_no_ties(s_max, m, k)
        p_asym_min = friedman_p(1.0, m, k)
        below = [r for r in t3 if float(r.p.hi) < min(p_exact_min, p_asym_min)]
        pooled = next((h for h in t2.hypotheses if h["id"] == "pooled_experts"), None)
        params = {"m": m, "p_exact": p_exact_min, "p_asym": p_asym_min,
                  "rows": ", ".join(str(r.row) for r in below), "ps": ", ".join(r.p.text for r in below),
                  "pooled": "—" if pooled is None else pooled["denominators"]["E1"],
                  "m_text": prose_count("p004.experts.results"),
                  "pooled_fits": bool(pooled and pooled["fits_all"])}
        if "cities" in readings:
            key = "reason.prose.experts_cities" if below else "reason.prose.experts_cities_ok"
            cells.append(_claim(fig_id, "not_checkable", Reason(key, params)))
            continue
        if below:
            cell = _claim(fig_id, "inconsistent", Reason("reason.prose.experts_m", params), float(m), None)
            cell.mark_inconsistent("assumption", Reason("reason.prose.experts_m", params),
                                   [Assumption.of("experts_rated_table3", m=m)])
        else:
            cell = _claim(fig_id, "not_checkable", Reason("reason.prose.experts_m_ok", params))
        cells.append(cell)
    return cells


def _one_third_cell(prose: dict, t2: Table2Verification) -> Cell:
    """«One third of experts»: the count row against a third of the rows, column by column."""
    num, den = FRACTIONS[prose["p004.one_third"]["printed"]]
    rows = t2.body_rows
    expected = round(rows * num / den)
    count_row = ds.table2()[-2].cells
    counts = {c: int(float(count_row[c])) for c in BLOCKS + [TOTAL]}
    fitting = [c for c, n in counts.items() if n == expected]
    params = {"rows": rows, "expected": expected, "columns": ", ".join(fitting) or "—",
              "counts": ", ".join(f"{c} {n}" for c, n in counts.items())}
    if fitting:
        cell = _claim("p004.one_third", "reproduced", Reason("reason.prose.one_third_fits", params),
                      expected / rows, expected / rows)
        cell.assumptions = [Assumption.of("hypothesis.per_respondent", **hypothesis_params())]
        return cell
    cell = _claim("p004.one_third", "inconsistent", Reason("reason.prose.one_third", params))
    cell.mark_inconsistent("assumption", cell.reason, [Assumption.of("hypothesis.per_respondent", **hypothesis_params())])
    return cell


def verify_prose() -> list[Cell]:
    """Figures stated in paper 004's prose, checked against its own tables, each read every way its
    sentence allows."""
    prose = ds.prose_figures()
    t4 = ds.table4()
    dims = dimensions()
    t2 = verify_table2()
    cells = _min_p_cells(prose, t4, dims) + _experts_cells(prose, t2)
    cells.append(_one_third_cell(prose, t2))
    q27 = prose_count("p004.q27_comparisons")
    k3 = len(ds.table3()[0].ranks)
    pairs_t3 = len(ds.table3()) * comb(k3, 2)
    status: Status = "reproduced" if t2.granular_n["Q27"] == q27 and pairs_t3 == q27 else "inconsistent"
    cell = _claim("p004.q27_comparisons", status, Reason("reason.prose.q27", {"n": t2.granular_n["Q27"],
                                                                                "rows": len(ds.table3()),
                                                                                "pairs": pairs_t3,
                                                                                "per_row": comb(k3, 2)}),
                  float(t2.granular_n["Q27"] or 0), float(t2.granular_n["Q27"] or 0))
    if status == "inconsistent":
        cell.mark_inconsistent("assumption", cell.reason, [Assumption.of("hypothesis.per_respondent", **hypothesis_params())])
    cells.append(cell)
    variables = prose_count("p004.variables_per_dimension")
    n_text = comb(variables, 2)
    fits = all(n_text in t2.feasible_n[b] for b in ("E1", "E2", "E3"))
    pooled = next((h for h in t2.hypotheses if h["id"] == "pooled_experts"), None)
    cell = _claim("p004.variables_per_dimension", "reproduced" if fits else "inconsistent",
                  Reason("reason.prose.variables", {"variables": variables, "pairs": n_text,
                                                    "n": t2.granular_n["E1"],
                                                    "experts": prose_count("p004.experts.results"),
                                                    "pooled": pooled["denominators"]["E1"] if pooled else "—"}),
                  float(variables), None)
    if not fits:
        # under the pooled reading (3 experts × 36 pairs) every share fits: the verdict rests on the reading
        cell.mark_inconsistent("assumption", cell.reason, [Assumption.of("hypothesis.per_respondent", **hypothesis_params())])
    cells.append(cell)
    dims_count = len({c.dimension for c in t4})
    stated = prose_count("p004.dimensions")
    cell = _claim("p004.dimensions", "reproduced" if stated == dims_count else "inconsistent",
                  Reason("reason.prose.dimensions", {"n": dims_count}), float(dims_count), float(dims_count))
    if cell.status == "inconsistent":
        cell.mark_inconsistent("impossible", cell.reason)
    cells.append(cell)
    comp = prose_count("p004.components")
    objects = prose_count("p004.initial_objects")
    cross = {"rows2": t2.body_rows, "rows3": len(ds.table3()), "rows4": len({c.row for c in t4}), "n": comp,
             "objects": objects}
    # the abstract's 13 components and the methods' 16 objects: the 16 describe the first conceptual model
    # («алғашқы зерттеулерінің нәтижелері»), the 13 the model after the Delphi rounds; compared, not judged
    cells.append(_claim("p004.components", "not_checkable", Reason("reason.prose.components_vs_objects", cross)))
    cells.append(_claim("p004.initial_objects", "not_checkable",
                        Reason("reason.prose.objects_vs_components", cross)))
    # the shortcomings of the definitions are documented by the critique column, which is paper 004's B1
    number = ds.tables_meta()["B1"]["number"]
    stated_table = prose["p004.table_ref.shortcomings"]["printed"].split("-")[0]
    cell = _claim("p004.table_ref.shortcomings", "reproduced" if stated_table == number else "inconsistent",
                  Reason("reason.prose.table_ref", {"table": number}))
    if cell.status == "inconsistent":
        cell.mark_inconsistent("editorial", cell.reason)
    cells.append(cell)
    for fig_id in ("p004.rings", "p004.databases", "p004.delphi_rounds"):
        cells.append(_claim(fig_id, "not_checkable", Reason("reason.prose.no_source")))
    return cells


# ------------------------------------------------------------------------------ results for the registry

def table2_result() -> TableResult:
    v = verify_table2()
    extra = {
        "feasible_n": v.feasible_n,
        "text_n": v.text_n,
        "smallest_feasible_n": v.granular_n,
        "counts": {b: [ks[0] if len(ks) == 1 else ks for ks in v.counts[b]] for b in v.counts},
        "counts_unique": v.unique,
        "definitions": [{"name": d.name, "threshold": d.threshold_rule, "denominator": d.denominator_rule,
                         "reproduced": d.reproduced, "cells": len(d.cells)} for d in v.definitions],
        "definition_used": {"name": v.best.name, "threshold": v.best.threshold_rule,
                            "denominator": v.best.denominator_rule},
        # cells, rendered in the output's language by the contract
        "recomputed_from_counts": list(v.recomputed_from_counts),
        # what a row is: every reading of the text with its denominators and how many shares then fit
        "hypotheses": v.hypotheses,
    }
    return TableResult("B2", "004", BLOCKS + [TOTAL], v.cells, ds.oddity_findings("B2"), extra,
                       readings=_table2_readings(v))


def _table2_readings(v: Table2Verification) -> list[dict]:
    """Each hypothesis on what a row is as a reading: the block shares whose status flips against the cells'
    (per respondent, the text's 36 and 27)."""
    body = {(c.row, c.column): c for c in v.cells if c.column in BLOCKS and int(c.row) <= v.body_rows}
    readings = []
    for h in v.hypotheses:
        misfits = {tuple(cell) for cell in h["misfit_cells"]}
        flips = []
        for key, c in body.items():
            here = "inconsistent" if key in misfits else "reproduced"
            if here != c.status:
                flips.append({"row": c.row, "column": c.column, "status": c.status, "status_here": here})
        readings.append({"id": h["id"], "assumptions": [h["assumption"]], "denominators": h["denominators"],
                         "fitted": h["fitted"], "flips": flips})
    return readings


def table3_result() -> TableResult:
    v = verify_table3()
    extra: dict = {"shared_m": v.shared_m, "rows_consistent_at_shared_m": v.shared_rows, "rows": []}
    for a, an in zip(v.audits, v.analyses):
        rec: Any = a.reconstruction
        severity = strongest([g.severity for g in an.groups if g.holds is False and g.minimal
                              and g.severity and not g.id.endswith(".mark")])
        extra["rows"].append({
            "row": a.test.source_row, "rank_sum": a.rank_sum, "rank_sum_ok": a.rank_sum_ok,
            "granular_m": a.granular_m, "feasible_m": sorted({m for m, _ in a.feasible_mk}),
            "decision_error": a.decision_error,
            "solutions": len(rec.solutions) if rec else None,
            "datasets": rec.total_datasets if rec else None,
            "solution_m": rec.m_values if rec else None,
            "example": rec.example if rec else None,
            **(rec.summary() if rec else {}),
            # kept for readers of the former contract; no cell is judged by the closest dataset any more
            "closest": None if not rec or not rec.closest else {
                "m": rec.closest.m, "statistics": rec.closest.statistics, "datasets": rec.closest.count},
            # what W and p alone imply, apart from what the whole row allows (row_m)
            **an.as_dict(),
            # the row's verdict as the cells carry it: the engine's "impossible" means only "no dataset in the
            # searched m under the asymptotic p" (kept as engine_status); a failing row's reconstruction_status
            # is its severity, so the JSON never calls "impossible" what its cells call an assumption
            "row_severity": severity,
            **({"engine_status": rec.status,
                "reconstruction_status": severity if severity else rec.status} if rec else {}),
        })
    # the real m that W and p alone imply, row by row (asymptotic p), and its median over the rows
    midpoints = sorted((an.wp_m_real[0] + an.wp_m_real[1]) / 2 for an in v.analyses if an.wp_m_real)
    extra["wp_m_real_median"] = _median(midpoints)
    extra["alpha_consistent_with_marks"] = alpha_interval([a.test for a in v.audits])
    return TableResult("B3", "004", ["indicator", "rank_1", "rank_2", "rank_3", "W", "p"], v.cells,
                       ds.oddity_findings("B3"), extra, groups=v.groups, readings=v.readings)


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def alpha_interval(tests: list[ReportedTest]) -> list[float] | None:
    """(lowest, highest] significance level under which every mark agrees with its p, or None."""
    marked = [float(t.p) for t in tests if t.p is not None and t.p.is_number and t.mark]
    unmarked = [float(t.p) for t in tests if t.p is not None and t.p.is_number and not t.mark]
    lo, hi = max(marked, default=0.0), min(unmarked, default=1.0)
    return [lo, hi] if lo < hi else None


def table4_result() -> TableResult:
    v = verify_table4()
    extra = {"shared_mk": v.shared_mk, "shared_mk_fitted": True,
             # pairs (not cells) that agree at the fitted (m, k); the former key counted cells
             "cells_consistent_at_shared_mk": v.shared_cells, "pairs_consistent_at_shared_mk": v.shared_cells,
             "text_k": v.text_k, "text_m": v.text_m,
             "feasible_mk": {a.test.label: v.pairs_alone[a.test.label] for a in v.audits}}
    dims = list(dict.fromkeys(c.dimension for c in ds.table4()))
    columns = [f"{d} {s}" for d in dims for s in ("W", "p")]
    return TableResult("B4", "004", columns, v.cells, ds.oddity_findings("B4"), extra, groups=v.groups,
                       readings=v.readings)


def prose_result() -> TableResult:
    from repro import paper000

    cells = paper000.verify_prose() + verify_prose()
    # no count adds the two papers together: the prose table is summarised paper by paper
    by_paper = {paper: count_statuses([c for c in cells if c.row.startswith(f"p{paper}.")]) for paper in ("000", "004")}
    severity = {paper: severity_counts([c for c in cells if c.row.startswith(f"p{paper}.")]) for paper in ("000", "004")}
    return TableResult("prose", "000+004", ["claim"], cells,
                       extra={"summary_by_paper": by_paper, "severity_counts_by_paper": severity})
