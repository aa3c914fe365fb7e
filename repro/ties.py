"""Tie shares ("equally important" answers) of pairwise AHP judgments: paper 004, Table 2.

A tie share is ties / judgments, a "tie" being the Saaty value 1 (Saaty 1980: 1 = equal
importance; 3, 5, 7, 9 and their reciprocals the stronger preferences; 2, 4, 6, 8 between).
This module computes shares from raw judgments, the derived cells of the published table
under each candidate definition, the GRIM-style feasible numbers of judgments, and the
integer counts behind every published share.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from fractions import Fraction
from math import comb
from pathlib import Path

from repro.csvread import read_records
from repro.errors import ReproError
from repro.granularity import share_numerators
from repro.printed import Printed
from repro.verdict import Cell, Reason, judge

SAATY_VALUES = {str(v): Fraction(v) for v in range(1, 10)} | {f"1/{v}": Fraction(1, v) for v in range(2, 10)}
JUDGMENT_COLUMNS = ["respondent", "block", "item_a", "item_b", "value"]
TOTAL = "total"


def tie_share(ties: int, judgments: int) -> float:
    """Share of judgments answered 1 ("equally important")."""
    if judgments <= 0:
        raise ValueError("no judgments")
    return ties / judgments


# --------------------------------------------------------------------------- raw judgments

@dataclass
class Judgments:
    """Validated pairwise judgments: respondent -> block -> {frozenset pair: value}."""

    by_respondent: dict[str, dict[str, dict[frozenset, Fraction]]]
    respondents: list[str]
    blocks: list[str]
    warnings: list[str] = field(default_factory=list)
    # (respondent, block) -> (number of missing pairs, the first MISSING_SHOWN of them)
    missing: dict[tuple[str, str], tuple[int, list[tuple[str, str]]]] = field(default_factory=dict)

    def missing_json(self) -> list[dict]:
        """Missing pairs per respondent and block: the count, the first few pairs, whether more exist."""
        return [{"respondent": r, "block": b, "count": n, "pairs": [list(p) for p in shown],
                 "truncated": n > len(shown)} for (r, b), (n, shown) in self.missing.items()]


MISSING_SHOWN = 10       # missing pairs listed per respondent and block (the count is always given)
WARNINGS_SHOWN = 20      # respondents with missing pairs named one by one on stderr


def parse_saaty(text: str) -> Fraction | None:
    """A value on Saaty's 1–9 scale written ``1``…``9`` or ``1/2``…``1/9``; None if off the scale."""
    from repro.numerals import ascii_digits

    return SAATY_VALUES.get(ascii_digits(text).strip().replace(" ", ""))


def _fraction_hint(text: str) -> str:
    """``; write 1/2`` when a decimal stands for one of the scale's reciprocals (0.5, 0,333…)."""
    from repro.numerals import NotANumber, parse_score

    try:
        value = parse_score(text)
    except NotANumber:
        return ""
    for v in range(2, 10):
        if value > 0 and abs(value - 1 / v) < 0.005:
            return f"; write 1/{v}"
    return ""


def read_judgments(path: str | Path) -> Judgments:
    """Read and validate a judgments CSV (``respondent,block,item_a,item_b,value``).

    Refused with file/row/column: unknown or missing columns, empty values, values off
    Saaty's scale, an item compared with itself, a pair given twice (also as b,a).
    Missing pairs (those other respondents answered in the block) become warnings.
    """
    name = str(path)
    records = read_records(path, JUDGMENT_COLUMNS)
    data: dict[str, dict[str, dict[frozenset, Fraction]]] = {}
    respondents: list[str] = []
    blocks: list[str] = []
    first_row: dict[tuple[str, str, frozenset], int] = {}
    for rec in records:
        row = int(rec["__row__"])
        for column in JUDGMENT_COLUMNS:
            if not rec[column].strip():
                raise ReproError("empty value", file=name, row=row, column=column)
        resp, block = rec["respondent"].strip(), rec["block"].strip()
        if block.casefold() == TOTAL:
            raise ReproError(f"block name {block!r} is reserved for the pooled column of all blocks; rename the block",
                             file=name, row=row, column="block")
        a, b = rec["item_a"].strip(), rec["item_b"].strip()
        value = parse_saaty(rec["value"])
        if value is None:
            raise ReproError(f"value {rec['value']!r} is off Saaty's 1–9 scale (1…9 or 1/2…1/9)"
                             + _fraction_hint(rec["value"]),
                             file=name, row=row, column="value")
        if a == b:
            raise ReproError(f"item {a!r} is compared with itself", file=name, row=row, column="item_b")
        pair = frozenset((a, b))
        key = (resp, block, pair)
        if key in first_row:
            raise ReproError(f"pair {a}–{b} of respondent {resp!r} in block {block!r} is given twice "
                             f"(first at row {first_row[key]})", file=name, row=row, column="item_a")
        first_row[key] = row
        if resp not in data:
            data[resp] = {}
            respondents.append(resp)
        if block not in blocks:
            blocks.append(block)
        data[resp].setdefault(block, {})[pair] = value
    result = Judgments(data, respondents, blocks)
    # missing pairs: linear in the judgments. A respondent misses |expected| - |have| pairs of a
    # block; the first few are found by walking the sorted expected pairs past the ones given.
    flagged = 0
    for block in blocks:
        expected_set: set[frozenset] = set()
        for resp in respondents:
            expected_set.update(data[resp].get(block, {}).keys())
        expected: list[tuple[str, str]] = sorted((min(p), max(p)) for p in expected_set)
        for resp in respondents:
            have = data[resp].get(block, {})
            count = len(expected) - len(have)
            if count <= 0:
                continue
            shown: list[tuple[str, str]] = []
            for candidate in expected:
                if frozenset(candidate) not in have:
                    shown.append(candidate)
                    if len(shown) == MISSING_SHOWN:
                        break
            result.missing[(resp, block)] = (count, shown)
            flagged += 1
            if flagged <= WARNINGS_SHOWN:
                more = f" (+{count - len(shown)} more)" if count > len(shown) else ""
                result.warnings.append(f"{name}: respondent {resp!r}, block {block!r}: {count} missing "
                                       f"pair(s): {', '.join(f'{x}–{y}' for x, y in shown)}{more}")
    if flagged > WARNINGS_SHOWN:
        result.warnings.append(f"{name}: {flagged - WARNINGS_SHOWN} more respondent/block combinations with missing "
                               f"pairs (each with its count in --format json, key missing_pairs)")
    return result


@dataclass
class ShareRow:
    respondent: str
    block: str
    ties: int
    judgments: int
    share: float


def shares_from_judgments(j: Judgments) -> list[ShareRow]:
    """Per respondent and block: ties, judgments and share; block ``total`` pools the blocks."""
    out = []
    for resp in j.respondents:
        all_ties = all_n = 0
        for block in j.blocks:
            values = j.by_respondent[resp].get(block, {})
            ties = sum(1 for v in values.values() if v == 1)
            n = len(values)
            if n:
                out.append(ShareRow(resp, block, ties, n, tie_share(ties, n)))
            all_ties += ties
            all_n += n
        out.append(ShareRow(resp, TOTAL, all_ties, all_n, tie_share(all_ties, all_n)))
    return out


def majority_summary(rows: list[ShareRow], columns: list[str], threshold: float = 0.5) -> dict[str, tuple[int, float]]:
    """Per column: how many respondents have a share above ``threshold``, and their share of all."""
    out = {}
    for column in columns:
        values = [r.share for r in rows if r.block == column]
        count = sum(1 for v in values if v > threshold)
        out[column] = (count, count / len(values) if values else float("nan"))
    return out


# --------------------------------------------------------------------------- published table

@dataclass
class Definition:
    """One candidate definition of the derived cells and how many published cells it reproduces."""

    name: str
    weights: dict[str, int] | None
    threshold_rule: str
    denominator_rule: str
    cells: list[Cell]

    @property
    def reproduced(self) -> int:
        return sum(1 for c in self.cells if c.status in ("reproduced", "within_rounding"))


def weighted_share(values: list[Printed], weights: list[int] | None) -> tuple[float, float, float]:
    """Weighted mean of printed shares (plain mean without weights): point, low, high."""
    w = weights or [1] * len(values)
    total = sum(w)
    point = sum(float(v.number) * x for v, x in zip(values, w)) / total
    lo = sum(max(0.0, float(v.lo)) * x for v, x in zip(values, w)) / total
    hi = sum(min(1.0, float(v.hi)) * x for v, x in zip(values, w)) / total
    return point, lo, hi


def count_above_half(values: list[float], threshold_rule: str, denominator_rule: str) -> tuple[int, int]:
    """Table 2's summary rows under one definition: how many rows have a share above one half
    (``gt``: > 1/2, ``ge``: >= 1/2), and the denominator of their share (``all`` rows, or the ``nonzero`` rows)."""
    count = sum(1 for v in values if (v > 0.5 if threshold_rule == "gt" else v >= 0.5))
    denom = len(values) if denominator_rule == "all" else sum(1 for v in values if v > 0)
    return count, denom


def derived_cells(body: list[dict[str, Printed]], count_row: dict[str, Printed], share_row: dict[str, Printed],
                  blocks: list[str], total: str, weights: dict[str, int] | None, threshold_rule: str,
                  denominator_rule: str, name: str, table: str = "B2") -> Definition:
    """Recompute the total column and the two summary rows under one definition.

    ``weights``: None for a plain mean of the block shares, else judgments per block.
    ``threshold_rule``: ``gt`` (share > 1/2) or ``ge`` (share >= 1/2).
    ``denominator_rule``: ``all`` (all rows) or ``nonzero`` (rows with any tie).
    """
    cells = []
    for index, row in enumerate(body, start=1):
        vals = [row[b] for b in blocks]
        point, lo, hi = weighted_share(vals, [weights[b] for b in blocks] if weights else None)
        j = judge(row[total], point, lo, hi)
        cells.append(Cell(table, str(index), total, row[total].text, float(row[total].number), point, j.status,
                          Reason(f"reason.total.{name}", {"value": point, "lo": lo, "hi": hi,
                                                         "weights": ", ".join(str(weights[b]) for b in blocks)
                                                         if weights else ""}), "recomputed",
                          j.nearest, row[total].decimals))
    n_rows = len(body)
    for column in blocks + [total]:
        values = [r[column] for r in body]
        count, denom = count_above_half([float(v) for v in values], threshold_rule, denominator_rule)
        pc = count_row[column]
        j = judge(pc, float(count))
        cells.append(Cell(table, str(n_rows + 1), column, pc.text, float(pc.number), float(count), j.status,
                          Reason(f"reason.count.{threshold_rule}", {"count": count, "rows": n_rows}), "recomputed",
                          j.nearest, pc.decimals))
        share = count / denom if denom else float("nan")
        ps = share_row[column]
        j = judge(ps, share)
        cells.append(Cell(table, str(n_rows + 2), column, ps.text, float(ps.number), share, j.status,
                          Reason(f"reason.countshare.{denominator_rule}", {"count": count, "denom": denom,
                                                                            "value": share}),
                          "recomputed", j.nearest, ps.decimals))
    return Definition(name, weights, threshold_rule, denominator_rule, cells)


def reconstruct_counts(column: list[Printed], n: int) -> list[list[int]]:
    """For each printed share, every integer count k with k/n at the printed precision."""
    return [list(share_numerators(v, n)) for v in column]



def pairs_for(judgments: int) -> tuple[int, list[tuple[int, int]]]:
    """Smallest number of items whose pairs can hold ``judgments`` distinct comparisons, and the first pairs."""
    n = 2
    while comb(n, 2) < judgments:
        n += 1
    pairs = [(a, b) for a in range(1, n + 1) for b in range(a + 1, n + 1)][:judgments]
    return n, pairs


def example_judgments(counts: dict[str, list[int]], n_per_block: dict[str, int], seed: int = 2022,
                      prefix: str = "reconstructed-") -> str:
    """A judgments CSV consistent with reconstructed counts (one of many possible; seeded).

    Respondent ids carry ``prefix`` so the file is never mistaken for survey data.
    """
    rng = random.Random(seed)
    non_ties = [v for v in SAATY_VALUES if v != "1"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(JUDGMENT_COLUMNS)
    rows = len(next(iter(counts.values())))
    for r in range(rows):
        resp = f"{prefix}{r + 1:02d}"
        for block, ks in counts.items():
            n = n_per_block[block]
            _, pairs = pairs_for(n)
            tie_positions = set(rng.sample(range(n), ks[r]))
            for index, (a, b) in enumerate(pairs):
                value = "1" if index in tie_positions else rng.choice(non_ties)
                writer.writerow([resp, block, f"{block}-v{a:02d}", f"{block}-v{b:02d}", value])
    return out.getvalue()
