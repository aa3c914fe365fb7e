"""All published tables with their verdicts, in one structure shared by every output.

:func:`verify_tables` runs every check and returns :class:`TableResult` objects;
:func:`tables_json` is the machine interface (the contract of ``repro tables --format json``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from repro import datasets as ds
from repro.catalog import LANGUAGES, label, render
from repro.numfmt import fmt_number
from repro.progress import advance
from repro.verdict import Cell, count_statuses

TABLE_IDS = ("A1", "B1", "B2", "B3", "B4", "prose")


@dataclass
class TableResult:
    id: str
    paper: str
    columns: list[str]
    cells: list[Cell]
    findings: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def column_label(table: str, column: str, lang: str) -> str:
    """Display label of a column (B4 columns are "dimension W|p")."""
    if table not in TABLE_IDS:
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


def finding_text(finding: dict[str, Any], lang: str) -> str:
    """A finding rendered from the catalog: ladder findings and printing oddities (``finding.oddity.KIND``)."""
    params = finding["params"]
    if finding["kind"].startswith("oddity.") and params.get("table"):
        column = params.get("column", "")
        params = dict(params, column=label(f"col.{params['table']}.{column}", lang, default=column))
    if finding["kind"] in RENDERED_FINDINGS or finding["kind"].startswith("oddity."):
        return render("finding." + finding["kind"], lang, params)
    return finding["evidence"]


def reason_text(cell: Cell, lang: str) -> str:
    return render(cell.reason.key, lang, cell.reason.params,
                  number=lambda v, lng: fmt_number(v, lng, None))


def verify_tables(ids: tuple[str, ...] = TABLE_IDS) -> list[TableResult]:
    """Run every check of the requested tables (``A1``, ``B1``…``B4``, ``prose``)."""
    out = []
    for position, table_id in enumerate(ids):
        advance("progress.tables", position, len(ids))
        if table_id == "A1":
            from repro.ladder import verify_ladder

            v = verify_ladder()
            findings = [{"kind": f.kind, "params": f.params, "evidence": f.evidence} for f in v.findings]
            out.append(TableResult("A1", "000", ["form", "level", "density_change", "kz_experience"], v.cells,
                                   findings, {"constructed": v.constructed}))
        elif table_id == "B1":
            from repro.ladder import definitions_cells

            out.append(TableResult("B1", "004", ["term", "definition", "sources", "critique"], definitions_cells(),
                                   _oddity_findings("B1")))
        elif table_id == "B2":
            from repro.paper004 import verify_table2

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
                "recomputed_from_counts": [_cell_json(c, "en") for c in v.recomputed_from_counts],
            }
            out.append(TableResult("B2", "004", ["E1", "E2", "E3", "Q27", "Жалпы"], v.cells,
                                   _oddity_findings("B2"), extra))
        elif table_id == "B3":
            from repro.paper004 import verify_table3

            v = verify_table3()
            extra = {"shared_m": v.shared_m, "rows_consistent_at_shared_m": v.shared_rows, "rows": []}
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
            out.append(TableResult("B3", "004", ["indicator", "rank_1", "rank_2", "rank_3", "W", "p"], v.cells,
                                   _oddity_findings("B3"), extra))
        elif table_id == "B4":
            from repro.paper004 import verify_table4

            v = verify_table4()
            extra = {"shared_mk": v.shared_mk, "cells_consistent_at_shared_mk": v.shared_cells,
                     "text_k": v.text_k,
                     "feasible_mk": {a.test.label: a.feasible_mk for a in v.audits}}
            dims = list(dict.fromkeys(c.dimension for c in ds.table4()))
            columns = [f"{d} {s}" for d in dims for s in ("W", "p")]
            out.append(TableResult("B4", "004", columns, v.cells, _oddity_findings("B4"), extra))
        elif table_id == "prose":
            from repro import paper000, paper004

            out.append(TableResult("prose", "000+004", ["claim"], paper000.verify_prose() + paper004.verify_prose()))
        else:
            raise ValueError(f"unknown table id {table_id!r}")
    return out


def _oddity_findings(table: str) -> list[dict[str, Any]]:
    return [{"kind": "oddity." + o["kind"], "params": {"table": table, "row": o["row"], "column": o["column"],
                                                       "printed": o["printed"]}, "evidence": o["note"]}
            for o in ds.oddities() if o["table"] == table]


def _cell_json(cell: Cell, lang: str) -> dict[str, Any]:
    return {"row": cell.row, "column": cell.column, "published": cell.published, "value": cell.value,
            "reproduced": cell.reproduced, "status": cell.status, "reason": reason_text(cell, lang),
            "reason_key": cell.reason.key, "layer": cell.layer, "nearest": cell.nearest}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and value != value:
        return None
    return value


def tables_json(results: list[TableResult], lang: str = "en") -> dict[str, Any]:
    """The machine interface: ``{"tables": [{id, title, cells: [...]}, ...]}``."""
    tables = []
    for t in results:
        title = {lng: label(f"table.{t.id}.title", lng, default=t.id) for lng in LANGUAGES}
        findings = [dict(f, text=finding_text(f, lang)) for f in t.findings]
        tables.append({"id": t.id, "paper": t.paper, "title": title, "summary": count_statuses(t.cells),
                       "cells": [dict(_cell_json(c, lang), row_label=row_label(t.id, c.row, lang)) for c in t.cells],
                       "findings": findings, **_jsonable(t.extra)})
    return {"lang": lang, "tables": _jsonable(tables)}
