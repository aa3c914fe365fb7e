"""Verification of paper 004 (Delphi survey): Tables 2, 3, 4 and the figures of its prose.

Everything published is read from ``datasets/``; this module only computes. Tables 3 and 4
go through the general audit engine (:mod:`repro.audit`), Table 2 through the tie-share
functions (:mod:`repro.ties`) and the same granularity engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from math import comb

from repro import datasets as ds
from repro.catalog import label
from repro.audit import ReportedTest, TestAudit, audit_shares, audit_test, best_shared_mk, test_cells
from repro.granularity import share_numerators
from repro.numerals import FRACTIONS, parse_count
from repro.printed import Printed, parse_printed
from repro.ties import Definition, derived_cells, reconstruct_counts
from repro.verdict import Cell, Reason, TableResult, judge

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


def text_judgments_per_block() -> dict[str, int]:
    """Judgments per block implied by the prose: C(9, 2) pairs of nine variables per
    dimension E1–E3, and the 27 comparisons of the inner ring (Q27)."""
    prose = ds.prose_figures()
    variables = parse_count(prose["p004.variables_per_dimension"]["printed"])
    q27 = parse_count(prose["p004.q27_comparisons"]["printed"])
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
        weightings.append(("weighted_granular", {b: granular[b] for b in BLOCKS}))
    definitions = []
    for wname, weights in weightings:
        for thr in ("gt", "ge"):
            for den in ("all", "nonzero"):
                definitions.append(derived_cells(body, count_row, share_row, BLOCKS, TOTAL, weights, thr, den,
                                                 wname))
    best = max(definitions, key=lambda d: d.reproduced)  # first of the best in the listed order

    counts = {b: reconstruct_counts([r[b] for r in body], granular[b]) if granular[b] else [] for b in BLOCKS}
    unique = {b: bool(counts[b]) and all(len(k) == 1 for k in counts[b]) for b in BLOCKS}

    cells: list[Cell] = []
    for index, row in enumerate(body, start=1):
        for b in BLOCKS:
            cells.append(_body_cell(index, b, row[b], text_n[b], granular[b]))
    cells.extend(best.cells)
    cells.sort(key=lambda c: (int(c.row), (BLOCKS + [TOTAL]).index(c.column)))

    from_counts = _recompute_from_counts(body, count_row, share_row, counts, granular, best)
    return Table2Verification(cells, definitions, best, feasible, text_n, granular, counts, unique, from_counts,
                              n_body)


def _body_cell(row: int, block: str, printed: Printed, n_text: int, n_granular: int | None) -> Cell:
    """A block share judged against the number of judgments the text implies for its block."""
    ks = share_numerators(printed, n_text)
    cell = Cell("B2", str(row), block, printed.text, float(printed.value), layer="reconstructed",
                decimals=printed.decimals)
    if ks:
        cell.reproduced = ks[0] / n_text
        cell.nearest = cell.reproduced
        cell.status = "reproduced"
        cell.reason = Reason("reason.share_fits", {"k": ks[0], "n": n_text})
    else:
        k = round(float(printed.value) * n_text)
        cell.reproduced = None
        cell.nearest = k / n_text
        cell.status = "inconsistent"
        cell.reason = Reason("reason.share_misfit", {"n": n_text, "k": k, "value": k / n_text,
                                                     "n_granular": n_granular})
    return cell


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
            cells.append(Cell("B2", str(index + 1), column, pr.text, float(pr.value), derived[column], j.status,
                              Reason("reason.from_counts", {"k": ks.get(column, sum(ks.values())),
                                                            "n": granular.get(column) or
                                                            sum(granular[b] for b in BLOCKS)}),
                              "reconstructed", j.nearest, pr.decimals))
    n = len(body)
    for column in BLOCKS + [TOTAL]:
        values = [r[column] for r in shares_by_row]
        above = sum(1 for v in values if (v > 0.5 if best.threshold_rule == "gt" else v >= 0.5))
        denom = n if best.denominator_rule == "all" else sum(1 for v in values if v > 0)
        for printed, computed, row_no, key in ((count_row[column], float(above), n + 1, "reason.count.from_counts"),
                                               (share_row[column], above / denom, n + 2, "reason.countshare.from_counts")):
            j = judge(printed, computed)
            cells.append(Cell("B2", str(row_no), column, printed.text, float(printed.value), computed, j.status,
                              Reason(key, {"count": above, "denom": denom}), "reconstructed", j.nearest,
                              printed.decimals))
    return cells


# ------------------------------------------------------------------------------ Table 3

@dataclass
class Table3Verification:
    cells: list[Cell]
    audits: list[TestAudit]
    shared_m: int | None
    shared_rows: int
    corrected: bool = True


def table3_tests() -> list[ReportedTest]:
    return [ReportedTest(label=r.indicator, W=r.W, p=r.p, mean_ranks=list(r.ranks), mark=r.p.marks,
                         source_row=r.row) for r in ds.table3()]


@lru_cache(maxsize=1)
def verify_table3() -> Table3Verification:
    """Every Table 3 row through the audit engine, with the exhaustive k = 3 reconstruction."""
    audits = [audit_test(t) for t in table3_tests()]
    mk, n = best_shared_mk(audits)
    cells = []
    columns = {"mean_rank_1": "rank_1", "mean_rank_2": "rank_2", "mean_rank_3": "rank_3"}
    for a in audits:
        cells.extend(test_cells(a, "B3", str(a.test.source_row), mk, columns))
    return Table3Verification(cells, audits, mk[0] if mk else None, n)


# ------------------------------------------------------------------------------ Table 4

@dataclass
class Table4Verification:
    cells: list[Cell]
    audits: list[TestAudit]
    shared_mk: tuple[int, int] | None
    shared_cells: int
    text_k: int


def table4_tests() -> list[ReportedTest]:
    return [ReportedTest(label=f"{c.indicator} / {c.dimension}", W=c.W, p=c.p, source_row=c.row)
            for c in ds.table4()]


@lru_cache(maxsize=1)
def verify_table4() -> Table4Verification:
    """W and p of every indicator and dimension: the (m, k) they allow, judged at the best shared one."""
    tests = table4_tests()
    audits = [audit_test(t, marks_used=False) for t in tests]
    mk, n = best_shared_mk(audits)
    cells = []
    for a, c in zip(audits, ds.table4()):
        for cell in test_cells(a, "B4", str(c.row), mk):
            cell.column = f"{c.dimension} {cell.column}"
            cells.append(cell)
    text_k = parse_count(ds.prose_figures()["p004.variables_per_dimension"]["printed"])
    return Table4Verification(cells, audits, mk, n, text_k)


# ------------------------------------------------------------------------------ prose

def dimensions() -> dict[str, dict[str, str]]:
    return {r["block"]: r for r in ds.text_table("p004_dimensions.csv",
                                                 ("block", "table4_column", "prose_name", "section", "paragraph",
                                                  "quote", "min_p_excludes"))}


def _claim(fig_id: str, status: str, reason: Reason, reproduced=None, nearest=None) -> Cell:
    fig = ds.prose_figures()[fig_id]
    printed = parse_printed(fig["printed"])
    value = float(printed.value) if printed.is_number else parse_count(fig["printed"])
    return Cell("prose", fig_id, f"{fig['section']} ¶{fig['paragraph']}", fig["printed"],
                None if value is None else float(value), reproduced, status, reason, "recomputed", nearest,
                printed.decimals)


def verify_prose() -> list[Cell]:
    """Figures stated in paper 004's prose, checked against its own tables."""
    prose = ds.prose_figures()
    t4 = ds.table4()
    dims = dimensions()
    cells = []
    for block, dim in dims.items():
        col = [c for c in t4 if c.dimension == dim["table4_column"]]
        fig_id = f"p004.min_p.{block}"
        if fig_id in prose:
            printed = parse_printed(prose[fig_id]["printed"])
            # the sentence may leave one indicator out of its minimum (E2: economic growth)
            pool = [c for c in col if c.indicator != dim["min_p_excludes"]]
            lowest = min(pool, key=lambda c: float(c.p.value))
            j = judge(printed, float(lowest.p.value))
            cells.append(_claim(fig_id, j.status, Reason("reason.prose.min_p", {"dimension": dim["table4_column"],
                                                                                 "indicator": lowest.indicator,
                                                                                 "p": lowest.p.text}),
                                float(lowest.p.value), j.nearest))
        fig_id = f"p004.w_zero.{block}"
        if fig_id in prose:
            zero = sum(1 for c in col if float(c.W.value) == 0)
            largest = max(col, key=lambda c: float(c.W.value))
            status = "reproduced" if zero == len(col) else "inconsistent"
            cells.append(_claim(fig_id, status, Reason("reason.prose.w_zero", {"zero": zero, "n": len(col),
                                                                                "max": largest.W.text,
                                                                                "indicator": largest.indicator}),
                                float(largest.W.value), float(largest.W.value)))
    if "p004.p_econ.E2" in prose:
        printed = parse_printed(prose["p004.p_econ.E2"]["printed"])
        cell = next(c for c in t4 if c.dimension == dims["E2"]["table4_column"]
                    and c.indicator == dims["E2"]["min_p_excludes"])
        j = judge(printed, float(cell.p.value))
        cells.append(_claim("p004.p_econ.E2", j.status, Reason("reason.prose.p_cell", {"p": cell.p.text,
                                                                                        "indicator": cell.indicator}),
                            float(cell.p.value), j.nearest))
    t2 = verify_table2()
    t3 = verify_table3()
    for fig_id in ("p004.experts.abstract", "p004.experts.methods", "p004.experts.results"):
        stated = parse_count(prose[fig_id]["printed"])
        status = "reproduced" if stated == t2.body_rows else "inconsistent"
        cells.append(_claim(fig_id, status, Reason("reason.prose.experts", {"rows": t2.body_rows,
                                                                             "m": t3.shared_m or "—"}),
                            float(t2.body_rows), float(t2.body_rows)))
    # "one third of experts": the count nearest to a third of the rows, against the published count
    num, den = FRACTIONS[prose["p004.one_third"]["printed"]]
    expected = round(t2.body_rows * num / den)
    counted = int(float(ds.table2()[-2].cells[TOTAL].value))
    status = "reproduced" if counted == expected else "inconsistent"
    cells.append(_claim("p004.one_third", status, Reason("reason.prose.one_third", {"count": counted,
                                                                                    "rows": t2.body_rows,
                                                                                    "expected": expected}),
                        counted / t2.body_rows, expected / t2.body_rows))
    q27 = parse_count(prose["p004.q27_comparisons"]["printed"])
    pairs_t3 = len(ds.table3()) * comb(3, 2)
    status = "reproduced" if t2.granular_n["Q27"] == q27 and pairs_t3 == q27 else "inconsistent"
    cells.append(_claim("p004.q27_comparisons", status, Reason("reason.prose.q27", {"n": t2.granular_n["Q27"],
                                                                                    "rows": len(ds.table3()),
                                                                                    "pairs": pairs_t3}),
                        float(t2.granular_n["Q27"] or 0), float(t2.granular_n["Q27"] or 0)))
    variables = parse_count(prose["p004.variables_per_dimension"]["printed"])
    n_text = comb(variables, 2)
    fits = all(n_text in t2.feasible_n[b] for b in ("E1", "E2", "E3"))
    cells.append(_claim("p004.variables_per_dimension", "reproduced" if fits else "inconsistent",
                        Reason("reason.prose.variables", {"variables": variables, "pairs": n_text,
                                                          "n": t2.granular_n["E1"]}),
                        float(variables), None))
    dims_count = len({c.dimension for c in t4})
    stated = parse_count(prose["p004.dimensions"]["printed"])
    cells.append(_claim("p004.dimensions", "reproduced" if stated == dims_count == 3 else "inconsistent",
                        Reason("reason.prose.dimensions", {"n": dims_count}), float(dims_count), float(dims_count)))
    comp = parse_count(prose["p004.components"]["printed"])
    cells.append(_claim("p004.components", "not_checkable",
                        Reason("reason.prose.components", {"rows2": t2.body_rows, "rows3": len(ds.table3()),
                                                           "rows4": len({c.row for c in t4}), "n": comp})))
    critique_header = label("col.B1.critique", "kk")  # the printed header of the critique column
    shortcomings_table = next(t for t, meta in ds.tables_meta().items()
                              if meta["paper"] == "004" and critique_header in meta["header_printed"])
    number = ds.tables_meta()[shortcomings_table]["number"]
    stated_table = prose["p004.table_ref.shortcomings"]["printed"].split("-")[0]
    cells.append(_claim("p004.table_ref.shortcomings", "reproduced" if stated_table == number else "inconsistent",
                        Reason("reason.prose.table_ref", {"table": number})))
    for fig_id in ("p004.rings", "p004.initial_objects", "p004.databases", "p004.delphi_rounds"):
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
    }
    return TableResult("B2", "004", BLOCKS + [TOTAL], v.cells, ds.oddity_findings("B2"), extra)


def table3_result() -> TableResult:
    v = verify_table3()
    extra: dict = {"shared_m": v.shared_m, "rows_consistent_at_shared_m": v.shared_rows, "rows": []}
    for a in v.audits:
        rec = a.reconstruction
        extra["rows"].append({
            "row": a.test.source_row, "rank_sum": a.rank_sum, "rank_sum_ok": a.rank_sum_ok,
            "granular_m": a.granular_m, "feasible_m": sorted({m for m, _ in a.feasible_mk}),
            "decision_error": a.decision_error,
            "solutions": len(rec.solutions) if rec else None,
            "datasets": rec.total_datasets if rec else None,
            "solution_m": rec.m_values if rec else None,
            "closest": None if not rec or not rec.closest else {
                "m": rec.closest.m, "statistics": rec.closest.statistics, "datasets": rec.closest.count},
            "example": rec.example if rec else None,
        })
    return TableResult("B3", "004", ["indicator", "rank_1", "rank_2", "rank_3", "W", "p"], v.cells,
                       ds.oddity_findings("B3"), extra)


def table4_result() -> TableResult:
    v = verify_table4()
    extra = {"shared_mk": v.shared_mk, "cells_consistent_at_shared_mk": v.shared_cells, "text_k": v.text_k,
             "feasible_mk": {a.test.label: a.feasible_mk for a in v.audits}}
    dims = list(dict.fromkeys(c.dimension for c in ds.table4()))
    columns = [f"{d} {s}" for d in dims for s in ("W", "p")]
    return TableResult("B4", "004", columns, v.cells, ds.oddity_findings("B4"), extra)


def prose_result() -> TableResult:
    from repro import paper000

    return TableResult("prose", "000+004", ["claim"], paper000.verify_prose() + verify_prose())
