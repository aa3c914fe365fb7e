"""Ladder construction (paper 000, Table 1) from its parts, and the definitions table (paper 004, Table 1).

Paper 000 says its Table 1 is "adapted from [1, 12]": Arnstein's (1969) forms and rungs,
a form of service interaction from [12], and two columns of its own. :func:`construct_ladder`
assembles the table from those parts — forms in the order the paper's prose lists them,
levels within a form in Arnstein's rung order — and :func:`verify_ladder` compares the
result with the published table cell by cell and lists every departure from the sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from repro import datasets as ds
from repro.verdict import Cell, Reason, Status


@dataclass
class Finding:
    """A departure of the published table from its sources, with what it rests on."""

    kind: str
    params: dict
    evidence: str


@dataclass
class LadderVerification:
    constructed: list[dict[str, str]]
    cells: list[Cell]
    findings: list[Finding] = field(default_factory=list)


def arnstein() -> list[dict[str, str]]:
    return list(ds.text_table("ladder_arnstein.csv", ("rung", "name", "grouping", "source", "name_ru_common")))


def paper_levels() -> list[dict[str, str]]:
    return list(ds.text_table("ladder_paper_levels.csv", ("level", "form", "arnstein_rung", "added_by",
                                                         "prose_order", "evidence_section", "evidence_quote")))


def paper_forms() -> list[dict[str, str]]:
    return list(ds.text_table("ladder_forms.csv", ("form", "arnstein_grouping", "added_by", "prose_position",
                                                  "source_position", "prose_placement_quote",
                                                  "prose_placement_section")))


def sources() -> dict[str, dict[str, str]]:
    recs = ds.text_table("ladder_sources.csv", ("ref", "paper", "cited_as", "identified_as", "doi", "confidence",
                                                "evidence"))
    return {r["ref"]: r for r in recs}


def published_ladder_rows() -> list[dict[str, str]]:
    """The published Table 1's levels in printed order, with the source that added each (for the figure)."""
    levels = {lv["level"]: lv for lv in paper_levels()}
    return [{"form": r["form"], "level": r["level"], "added_by": levels[r["level"]]["added_by"]}
            for r in ds.p000_table1()]


def construct_ladder() -> list[dict[str, str]]:
    """Forms in the paper's prose order; within a form, levels in Arnstein's rung order
    (the added form's levels in the paper's prose order). Returns rows with form, level and rung."""
    forms = sorted(paper_forms(), key=lambda f: int(f["prose_position"]))
    levels = paper_levels()
    rows = []
    for form in forms:
        members = [lv for lv in levels if lv["form"] == form["form"]]
        members.sort(key=lambda lv: (int(lv["arnstein_rung"]) if lv["arnstein_rung"] else 99, int(lv["prose_order"])))
        for lv in members:
            rows.append({"form": form["form"], "level": lv["level"], "rung": lv["arnstein_rung"],
                         "added_by": lv["added_by"] or form["added_by"]})
    return rows


def verify_ladder() -> LadderVerification:
    """Compare the constructed ladder with the published Table 1 and list departures from the sources."""
    constructed = construct_ladder()
    published = list(ds.p000_table1())
    cells: list[Cell] = []
    for index, pub in enumerate(published):
        built = constructed[index] if index < len(constructed) else {}
        for column in ("form", "level"):
            expected = built.get(column)
            status: Status = "reproduced" if expected == pub[column] else "inconsistent"
            key = "reason.ladder.match" if status == "reproduced" else "reason.ladder.mismatch"
            cell = Cell("A1", pub["row"], column, pub[column], None, status=status, layer="recomputed",
                        reason=Reason(key, {"expected": expected or "—", "rung": built.get("rung") or "—"}),
                        # a level placed or named otherwise than in the sources: ordering and naming
                        severity="editorial" if status == "inconsistent" else None)
            cells.append(cell)
        for column in ("density_change", "kz_experience"):
            cells.append(Cell("A1", pub["row"], column, pub[column], None, status="not_checkable",
                              reason=Reason("reason.ladder.own_column")))
    return LadderVerification(constructed, cells, ladder_findings(published))


def ladder_findings(published: list[dict[str, str]]) -> list[Finding]:
    """Every departure from Arnstein's ladder and from [12]: reordered and renamed rungs, moved forms."""
    findings: list[Finding] = []
    rungs = {r["rung"]: r for r in arnstein()}
    levels = {lv["level"]: lv for lv in paper_levels()}
    order = [levels[p["level"]]["arnstein_rung"] for p in published if levels.get(p["level"], {}).get("arnstein_rung")]
    for a, b in zip(order, order[1:]):
        if int(a) > int(b):
            la = next(p["level"] for p in published if levels[p["level"]]["arnstein_rung"] == a)
            lb = next(p["level"] for p in published if levels[p["level"]]["arnstein_rung"] == b)
            findings.append(Finding("reordered", {"first": la, "second": lb, "rung_first": a, "rung_second": b,
                                                  "name_first": rungs[a]["name"], "name_second": rungs[b]["name"]},
                                    levels[la]["evidence_quote"]))
    for level, lv in levels.items():
        if lv["arnstein_rung"]:
            rung = rungs[lv["arnstein_rung"]]
            if rung["name_ru_common"] != level:
                findings.append(Finding("renamed", {"level": level, "rung": rung["rung"], "name": rung["name"],
                                                    "common": rung["name_ru_common"]}, lv["evidence_quote"]))
    forms = paper_forms()
    table_forms = list(dict.fromkeys(p["form"] for p in published))
    for form in forms:
        if form["added_by"]:
            position = table_forms.index(form["form"]) + 1
            if position != int(form["source_position"]):
                findings.append(Finding("form_moved_from_source", {"form": form["form"], "table_position": position,
                                                                   "source_position": form["source_position"],
                                                                   "ref": form["added_by"]},
                                        sources()[form["added_by"]]["identified_as"]))
            if int(form["source_position"]) < int(form["prose_position"]):
                findings.append(Finding("prose_places_lower", {"form": form["form"], "table_position": position},
                                        form["prose_placement_quote"]))
    return findings


def definitions_cells() -> list[Cell]:
    """Paper 004 Table 1: text cells, transcribed; nothing to recompute them from."""
    cells = []
    for rec in ds.p004_table1():
        for column in ("term", "definition", "sources", "critique"):
            cells.append(Cell("B1", rec["row"], column, rec[column], None, status="not_checkable",
                              reason=Reason("reason.text_cell")))
    return cells
