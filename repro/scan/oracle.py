"""Recall and precision of ``repro scan`` on paper 004 against the hand transcription in ``datasets/``.

The oracle: every W and p of Tables 3 and 4, the mean ranks of Table 3, every figure of Table 2
(shares and its row of counts), and the prose statistics of ``prose_figures.csv`` (p minima,
the p of one cell, the W = 0 claims, the number of experts, the 27 comparisons). A transcribed
figure is found when scan reports the same printed text at the same row and column (tables) or
in the sentence the transcription quotes (prose). Precision counts every figure scan reports in
those categories; the ones that match nothing are listed for a person to judge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from repro import datasets as ds
from repro.numerals import parse_count
from repro.printed import parse_printed

PROSE_STATISTICS = ("p004.min_p.E1", "p004.min_p.E2", "p004.min_p.E3", "p004.p_econ.E2", "p004.w_zero.E1",
                    "p004.w_zero.E2", "p004.w_zero.E3", "p004.experts.abstract", "p004.experts.methods",
                    "p004.experts.results", "p004.q27_comparisons")


@dataclass
class OracleResult:
    expected: int
    found: int
    matched_expected: int
    matched_found: int
    missed: list[str] = field(default_factory=list)
    unmatched: list[dict[str, Any]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.matched_expected / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched_found / self.found if self.found else 1.0


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def _value(text: str) -> float | None:
    text = text.strip()
    if text.upper().startswith("W"):
        text = text.split("=")[-1]
    printed = parse_printed(text)
    if printed.is_number:
        return float(printed.number)
    count = parse_count(text)
    return None if count is None else float(count)


def expected_004() -> dict[tuple[str, str, str], str]:
    """(table, row, column) -> printed text, for every figure of the oracle."""
    out: dict[tuple[str, str, str], str] = {}
    for r in ds.table3():
        for j, rank in enumerate(r.ranks, start=1):
            out[("T3", str(r.row), f"mean_rank_{j}")] = rank.text
        out[("T3", str(r.row), "W")] = r.W.text
        out[("T3", str(r.row), "p")] = r.p.text
    dims = list(dict.fromkeys(c.dimension for c in ds.table4()))
    for c in ds.table4():
        j = dims.index(c.dimension) + 1
        out[("T4", str(c.row), f"{j} W")] = c.W.text
        out[("T4", str(c.row), f"{j} p")] = c.p.text
    for row2 in ds.table2():
        for column, printed in row2.cells.items():
            out[("T2", str(row2.row), column)] = printed.text
    prose = ds.prose_figures()
    for fig_id in PROSE_STATISTICS:
        out[("prose", fig_id, "")] = prose[fig_id]["printed"]
    return out


def _found_figures(scan) -> list[dict[str, Any]]:
    """Every figure scan reports on a table, a prose result or a count, with where it stands."""
    figures = []
    for t in scan.tables:
        for f in t.found:
            for name, printed in f.figures.items():
                if name == "k" and f.qualifier == "row":
                    continue  # the number of mean ranks, not a printed figure
                column = f"{f.column} {name}" if f.kind == "test" and f.column else (f.column or name)
                figures.append({"table": f.table, "row": f.row, "column": column, "text": printed.text,
                                "value": float(printed.value), "quote": f.sources[name].text, "field": name})
    for c in scan.counts:
        name, printed = next(iter(c.figures.items()))
        table = c.table
        figures.append({"table": table, "row": c.row, "column": c.column or name, "text": printed.text,
                        "value": float(printed.value), "quote": c.label if table == "prose" else
                        c.sources[name].text, "field": name, "count": True})
    return figures


def measure_004(scan) -> OracleResult:
    """Recall and precision of one scan of paper 004's seed text against ``datasets/``."""
    expected = expected_004()
    prose = ds.prose_figures()
    found = _found_figures(scan)
    matched_keys: set[tuple[str, str, str]] = set()
    matched_found = 0
    unmatched = []
    for fig in found:
        key = None
        if fig["table"] != "prose":
            candidate = (fig["table"], fig["row"], fig["column"])
            if expected.get(candidate) == fig["text"]:
                key = candidate
        else:
            quote = _norm(fig["quote"])
            fits = []
            for fig_id, entry in prose.items():
                if not fig_id.startswith("p004."):
                    continue
                q = _norm(entry["quote"])
                if _value(entry["printed"]) == fig["value"] and (q[:40] in quote or quote[:40] in q):
                    fits.append(("prose", fig_id, ""))
            # two claims may share a quote (the W = 0 of E2 and E3): take the first not yet matched
            key = next((k for k in fits if k not in matched_keys), fits[0] if fits else None)
        if key is not None:
            matched_found += 1
            if key in expected:
                matched_keys.add(key)
        else:
            unmatched.append(fig)
    missed = [f"{t} {r} {c}: {expected[(t, r, c)]}" for (t, r, c) in expected if (t, r, c) not in matched_keys]
    return OracleResult(len(expected), len(found), len(matched_keys), matched_found, missed, unmatched)
