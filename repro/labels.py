"""What a reader sees of a verified table, in one language: labels, cell text, reasons.

:func:`cell_view` is the one builder of "a cell as a reader sees it" (printed value, computed value
rounded once, mark, status word, severity, reason and assumptions in the edition's language). The
terminal, the flat formats (CSV/Markdown/LaTeX), the JSON contract and the report all use it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import asdict, dataclass, field
from typing import Any

from repro import datasets as ds
from repro.catalog import label, render
from repro.numfmt import fmt_number
from repro.verdict import (STATUS_MARKS, Assumption, Cell, Group, Reason, TableResult, count_statuses,
                           Status, severity_counts)

def _labelled(table: str) -> bool:
    """Whether a table's labels come from the catalog: the published tables of datasets/tables.csv, and the
    prose figures (a reviewer's audited table keeps its own column names)."""
    return table == "prose" or table in ds.tables_meta()


def column_label(table: str, column: str, lang: str) -> str:
    """Display label of a column (B4 columns are "dimension W|p")."""
    if not _labelled(table):
        return column
    if table == "B4":
        dim, _, stat = column.rpartition(" ")
        return f"{label('dim.' + dim, lang)} {stat}"
    if table == "prose":
        return column
    return label(f"col.{table}.{column}", lang)


def row_label(table: str, row: str, lang: str) -> str:
    """Display label of a row; rows the source leaves unlabelled stay unlabelled."""
    if table in ("B3", "B4"):
        return label(f"row.{table}.{row}", lang)
    if table == "A1":
        rec = ds.p000_table1()[int(row) - 1]
        return label("level." + rec["level"], lang)
    if table == "B1":
        return row
    if table == "prose":
        figure = ds.prose_figures().get(row)
        return f"«{figure['quote']}»" if figure else row
    return ""


def row_display(table: str, row: str, lang: str) -> str:
    """What a reader sees in the row column: the row number and its label; for prose, the quote only
    (the figure's identifier stays in the JSON ``row``)."""
    text = row_label(table, row, lang)
    if table == "prose" or text == row:
        return text or row
    return f"{row} {text}".strip()


def cell_text(cell: Cell, lang: str) -> str:
    """The published text in ``lang``: text cells through the catalog, numbers as printed."""
    if cell.table == "A1":
        if cell.column == "form":
            return label("form." + cell.published, lang)
        if cell.column == "level":
            return label("level." + cell.published, lang)
        return label(f"cell.A1.{cell.row}.{cell.column}", lang)
    if cell.table == "B1" and cell.column in ("definition", "critique"):
        return label(f"cell.B1.{cell.row}.{cell.column}", lang)
    if cell.table == "B1" and cell.column == "term":
        group = next(r["row"] for r in ds.p004_table1() if r["term"] == cell.published)
        return label(f"row.B1.group.{group}", lang)
    return cell.published


RENDERED_FINDINGS = ("reordered", "renamed", "form_moved_from_source", "prose_places_lower")


# parameters that carry paper 000's own terms (Russian): shown translated, the original in brackets
TERM_PARAMS = {"first": "level", "second": "level", "level": "level", "form": "form", "expected": "level"}


def _terms(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """Paper 000's level and form names in ``lang`` with the printed Russian in brackets (none in ru)."""
    out = dict(params)
    for name, kind in TERM_PARAMS.items():
        value = params.get(name)
        if isinstance(value, str) and lang != "ru":
            # the grid's "Delegation (Arnstein: Delegated Power)" is "Delegation" here: the finding names the rung
            shown = re.sub(r"\s*\(Arnstein: [^)]*\)$", "", label(f"{kind}.{value}", lang, default=value))
            if shown != value:
                out[name] = f"{shown} ({value})"
    return out


@lru_cache(maxsize=1)
def _kk_terms() -> dict[str, str]:
    """Paper 004's own (Kazakh) row and dimension names -> their catalog keys, for translating reason
    parameters that quote them."""
    from repro.catalog import catalog

    out = {}
    for key, entry in catalog().items():
        if key.startswith(("dim.", "row.B3.", "row.B4.", "col.B2.")) and entry.get("original", "kk") == "kk":
            if isinstance(entry.get("kk"), str):
                out[entry["kk"].strip()] = key
    return out


def _kk_named(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """A parameter that is one of paper 004's Kazakh labels reads, outside kk, as its translation with the
    printed Kazakh in brackets («Ключевые влияющие факторы (Ықпал ететін негізгі факторлар)»)."""
    if lang == "kk":
        return params
    terms = _kk_terms()
    out = dict(params)
    for name, value in params.items():
        if isinstance(value, str) and value.strip() in terms:
            shown = label(terms[value.strip()], lang)
            if shown != value:
                out[name] = f"{shown} ({value.strip()})"
    return out


def finding_text(finding: dict[str, Any], lang: str) -> str:
    """A finding rendered from the catalog: ladder findings and printing oddities (``finding.oddity.KIND``)."""
    params = _terms(finding["params"], lang) if finding["kind"] in RENDERED_FINDINGS else finding["params"]
    if finding["kind"].startswith("oddity.") and params.get("table"):
        column = params.get("column", "")
        params = dict(params, column=label(f"col.{params['table']}.{column}", lang, default=column))
        if isinstance(params.get("after_gap"), list):  # row numbers as the language lists them: «14 и 15»
            from babel.lists import format_list

            params["after_gap"] = format_list([str(r) for r in params["after_gap"]], locale=lang)
    if finding["kind"] in RENDERED_FINDINGS or finding["kind"].startswith("oddity."):
        return render("finding." + finding["kind"], lang, params)
    return finding["evidence"]


def _number(value: float, lang: str) -> str:
    return fmt_number(value, lang, None)


def text_of(reason: Reason, lang: str) -> str:
    """A reason (catalog key + parameters) in ``lang``; nested reasons and assumptions render too."""
    params = {k: _param(v, lang) for k, v in reason.params.items()}
    if reason.key.startswith("reason.ladder."):
        params = _terms(params, lang)
    params = _kk_named(params, lang)
    return render(reason.key, lang, params, number=_number)


def _param(value: Any, lang: str) -> Any:
    if isinstance(value, Reason):
        return text_of(value, lang)
    if isinstance(value, Assumption):
        return assumption_text(value, lang)
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, (Reason, Assumption)) for v in value):
        return "; ".join(_param(v, lang) for v in value)
    return value


def reason_text(cell: Cell, lang: str) -> str:
    """The reason of a cell's status in ``lang``, followed by the readings it rests on (when it names any)."""
    text = text_of(cell.reason, lang)
    # a verdict that rests on readings says so, reproduced or not (Table 4's fitted (m, k) = (13, 4))
    if cell.assumptions:
        named = assumptions_text(cell.assumptions, lang)
        if text.endswith(")"):  # «… (k = 3)»: one bracket «(k = 3; при допущении: …)», not two in a row
            text = text[:-1] + "; " + render("ui.assuming_inner", lang, {"assumptions": named}) + ")"
        else:
            text += " " + render("ui.assuming", lang, {"assumptions": named})
    return text


def assumption_text(assumption: Assumption, lang: str) -> str:
    return render("assumption." + assumption.key, lang, assumption.param_dict, number=_number)


def assumptions_text(assumptions: list[Assumption], lang: str) -> str:
    return "; ".join(assumption_text(a, lang) for a in assumptions)


def group_text(group: Group, lang: str) -> str:
    return text_of(group.conclusion, lang)


def computed_text(cell: Cell, lang: str) -> str:
    """The computed value as shown beside the printed one: rounded once, one digit past the print."""
    if not isinstance(cell.reproduced, float):
        return ""
    return fmt_number(cell.reproduced, lang, cell.decimals + 1)


@dataclass(frozen=True)
class CellView:
    """A cell as a reader sees it in one language (see :func:`cell_view`)."""

    row: str
    row_label: str
    column: str
    published: str
    computed: str
    status: Status
    status_word: str
    mark: str
    severity: str | None
    severity_word: str
    reason: str
    assumptions: list[str] = field(default_factory=list)
    layer: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def cell_view(table: str, cell: Cell, lang: str) -> CellView:
    """The one builder of a cell as shown: every format and language goes through it."""
    return CellView(row=row_display(table, cell.row, lang), row_label=row_label(table, cell.row, lang),
                    column=column_label(table, cell.column, lang), published=cell_text(cell, lang),
                    computed=computed_text(cell, lang), status=cell.status,
                    status_word=label("status." + cell.status, lang), mark=STATUS_MARKS[cell.status],
                    severity=cell.severity,
                    severity_word=label("severity." + cell.severity, lang) if cell.severity else "",
                    reason=reason_text(cell, lang),
                    assumptions=[assumption_text(a, lang) for a in cell.assumptions], layer=cell.layer)


def summary_text(table: TableResult, lang: str) -> str:
    """A table's summary as a reader sees it: cells by status, findings by severity (a failing group counts
    once), and the trivial cells counted apart."""
    parts = [", ".join(f"{label('status.' + s, lang)}: {n}" for s, n in count_statuses(table.cells).items() if n)]
    findings = {s: n for s, n in severity_counts(table.cells, table.groups).items() if n}
    if findings:
        parts.append(render("ui.findings_by_severity", lang, {"list": ", ".join(
            f"{label('severity.' + s, lang, default=s)}: {n}" for s, n in findings.items())}))
    trivial = sum(1 for c in table.cells if c.trivial)
    if trivial:
        parts.append(render("ui.trivial", lang, {"n": trivial}))
    return " · ".join(parts)


def paper_of(table: TableResult, cell: Cell) -> str:
    """The paper a cell belongs to: its table's, or for a table of both papers (the prose figures) the
    paper its row id names (``p000.…``, ``p004.…``)."""
    papers = table.paper.split("+")
    if len(papers) == 1:
        return papers[0]
    return next((p for p in papers if cell.row.startswith(f"p{p}.")), table.paper)


def paper_summaries(results: list[TableResult], lang: str) -> list[str]:
    """Closing lines over several tables, one per paper: no count adds two papers together."""
    by_paper: dict[str, tuple[set[str], list[Cell], list[Group]]] = {}
    for t in results:
        for c in t.cells:
            tables, cells, groups = by_paper.setdefault(paper_of(t, c), (set(), [], []))
            tables.add(t.id)
            cells.append(c)
        for g in t.groups:
            paper = paper_of(t, next((c for c in t.cells if c.row == g.row), Cell(t.id, g.row, "", "", None)))
            by_paper.setdefault(paper, (set(), [], []))[2].append(g)
    lines = []
    for paper in sorted(by_paper):
        tables, cells, groups = by_paper[paper]
        statuses = ", ".join(f"{label('status.' + s, lang)}: {n}" for s, n in count_statuses(cells).items() if n)
        findings = {s: n for s, n in severity_counts(cells, groups).items() if n}
        if findings:
            statuses += " · " + render("ui.findings_by_severity", lang, {"list": ", ".join(
                f"{label('severity.' + s, lang, default=s)}: {n}" for s, n in findings.items())})
        lines.append(render("ui.paper_total", lang, {"paper": paper, "tables": len(tables), "cells": len(cells),
                                                     "statuses": statuses}))
    return lines
