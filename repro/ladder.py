"""Ladder construction (paper 000, Table 1) from its parts, and the definitions table (paper 004, Table 1).

Paper 000 says its Table 1 is "adapted from [1, 12]": Arnstein's (1969) forms and rungs,
a form of service interaction from [12], and two columns of its own. :func:`construct_ladder`
assembles the table from those parts — forms in the order the paper's prose lists them,
levels within a form in Arnstein's rung order — and :func:`verify_ladder` compares the
result with the published table cell by cell and lists every departure from the sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from repro import datasets as ds
from repro.figures import FONT
from repro.verdict import Cell, Reason


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
            status = "reproduced" if expected == pub[column] else "inconsistent"
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


def ladder_svg(rows: list[dict[str, str]], label, title: str, legend_added: str) -> str:
    """An SVG ladder: rungs bottom to top, forms as coloured bands, the paper's additions dashed.

    ``label(kind, value)`` returns the display text of a form or level in the chosen language.
    Text stays text (selectable, translatable); the font is the document's, never fetched.
    """
    palette = ["#d9e2ec", "#f0e4c8", "#d5ecd4", "#e8d5ec"]
    width, rung_h, left = 560, 34, 190
    height = 60 + rung_h * len(rows) + 40
    forms = list(dict.fromkeys(r["form"] for r in rows))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="12" role="img">',
             f'<title>{escape(title)}</title>',
             f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">{escape(title)}</text>']
    top = 40
    for i, row in enumerate(reversed(rows)):
        y = top + i * rung_h
        colour = palette[forms.index(row["form"]) % len(palette)]
        dashed = ' stroke-dasharray="5,3"' if row.get("added_by") else ""
        parts.append(f'<rect x="{left}" y="{y}" width="{width - left - 20}" height="{rung_h - 6}" rx="3" '
                     f'fill="{colour}" stroke="#334"{dashed} class="rung"/>')
        number = len(rows) - i
        parts.append(f'<text x="{left + 10}" y="{y + rung_h / 2 + 1}" class="rung-label">{number}. '
                     f'{escape(label("level", row["level"]))}{" [" + escape(row["added_by"]) + "]" if row.get("added_by") else ""}</text>')
    for form in forms:
        idx = [len(rows) - 1 - i for i, r in enumerate(rows) if r["form"] == form]
        y0 = top + min(idx) * rung_h
        y1 = top + (max(idx) + 1) * rung_h - 6
        parts.append(f'<rect x="10" y="{y0}" width="{left - 20}" height="{y1 - y0}" fill="{palette[forms.index(form) % len(palette)]}" '
                     f'stroke="#334" class="form"/>')
        parts.append(f'<text x="{(left - 10) / 2 + 5}" y="{(y0 + y1) / 2 + 4}" text-anchor="middle" font-weight="bold" '
                     f'class="form-label">{escape(label("form", form))}</text>')
    y = top + len(rows) * rung_h + 16
    parts.append(f'<rect x="10" y="{y - 11}" width="24" height="14" fill="none" stroke="#334" stroke-dasharray="5,3"/>')
    parts.append(f'<text x="40" y="{y}">{escape(legend_added)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
