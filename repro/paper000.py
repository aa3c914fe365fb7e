"""Figures stated in paper 000's prose, checked against its own Table 1, its lists and its sources."""

from __future__ import annotations

import re

from repro import datasets as ds
from repro.ladder import arnstein, sources
from repro.numerals import parse_count
from repro.verdict import Cell, Reason, Status


def list_items(sentence: str) -> list[str]:
    """Items of the enumeration after the colon: split at commas and at the conjunction «и»."""
    tail = sentence.split(":", 1)[1] if ":" in sentence else sentence
    parts = re.split(r",\s*|\s+и\s+", tail.strip().rstrip("."))
    return [p for p in (x.strip() for x in parts) if p]


def _cell(fig: dict[str, str], status: Status, reason: Reason, computed: float | None = None) -> Cell:
    stated = parse_count(fig["printed"])
    return Cell("prose", fig["id"], f"{fig['section']} ¶{fig['paragraph']}", fig["printed"],
                None if stated is None else float(stated), computed, status, reason, "recomputed", computed)


def verify_prose() -> list[Cell]:
    prose = {k: v for k, v in ds.prose_figures().items() if v["paper"] == "000"}
    table = ds.p000_table1()
    cells = []
    for fig_id, fig in prose.items():
        stated = parse_count(fig["printed"])
        computed: int | None = None
        reason = Reason("reason.prose.no_source")
        if fig_id in ("p000.rating_directions", "p000.open_government_portals"):
            computed = len(list_items(fig["quote"]))
            reason = Reason("reason.prose.count_list", {"n": computed})
        elif fig_id == "p000.nonparticipation_levels":
            computed = sum(1 for r in table if r["form"] == table[0]["form"])
            reason = Reason("reason.prose.count_rows", {"n": computed})
        elif fig_id == "p000.tokenism_levels":
            forms = list(dict.fromkeys(r["form"] for r in table))
            computed = sum(1 for r in table if r["form"] == forms[1])
            reason = Reason("reason.prose.count_rows", {"n": computed})
        elif fig_id == "p000.original_forms":
            computed = len({r["grouping"] for r in arnstein()})
            reason = Reason("reason.prose.groupings", {"n": computed})
        elif fig_id == "p000.arnstein_year":
            ref = "[1]"  # Arnstein's entry of datasets/ladder_sources.csv, the source the sentence cites
            year = re.search(r"\((\d{4})\)", sources()[ref]["identified_as"])
            computed = int(year.group(1)) if year else None
            reason = Reason("reason.prose.source_year", {"year": computed, "ref": ref})
        if computed is None:
            cells.append(_cell(fig, "not_checkable", reason))
            continue
        cell = _cell(fig, "reproduced" if computed == stated else "inconsistent", reason, float(computed))
        # a year matched to its source holds whatever the study found: counted apart from substantive checks
        cell.trivial = fig_id == "p000.arnstein_year"
        if cell.status == "inconsistent":
            # a count the paper's own list or table contradicts: a writing error, not a statistical one
            cell.mark_inconsistent("editorial", reason)
        cells.append(cell)
    return cells
