"""The machine interface: the JSON of ``repro tables --format json`` (and of audited tables).

Keys are a contract (documented in the README and in the verdict notes): they are only ever added.
Every text in it (reasons, assumptions, group conclusions) is rendered here in the requested
language; verification never renders text.
"""

from __future__ import annotations

from typing import Any

from repro.catalog import LANGUAGES, label
from repro.labels import assumption_text, finding_text, group_text, reason_text, row_label
from repro.verdict import Assumption, Cell, Group, Reason, TableResult, count_statuses, severity_counts


def cell_json(cell: Cell, lang: str, table: str | None = None) -> dict[str, Any]:
    """One cell as the contract has it (``row_label`` when the table is known)."""
    out = {"row": cell.row, "column": cell.column, "published": cell.published, "value": cell.value,
           "reproduced": cell.reproduced, "status": cell.status, "reason": reason_text(cell, lang),
           "reason_key": cell.reason.key, "layer": cell.layer, "nearest": cell.nearest,
           "severity": cell.severity, "assumptions": [assumption_json(a, lang) for a in cell.assumptions],
           "trivial": cell.trivial, "groups": list(cell.groups),
           "reason_params": _jsonable(cell.reason.params, lang)}
    if table is not None:
        out["row_label"] = row_label(table, cell.row, lang)
    return out


def assumption_json(assumption: Assumption, lang: str) -> dict[str, Any]:
    return {"key": assumption.key, "params": _jsonable(assumption.param_dict, lang),
            "text": assumption_text(assumption, lang)}


def group_json(group: Group, lang: str) -> dict[str, Any]:
    return {"id": group.id, "row": group.row, "cells": [list(c) for c in group.cells], "holds": group.holds,
            "conclusion": group_text(group, lang), "conclusion_key": group.conclusion.key,
            "params": _jsonable(group.conclusion.params, lang), "severity": group.severity,
            "assumptions": [assumption_json(a, lang) for a in group.assumptions], "minimal": group.minimal}


# kept for callers of the former private name
_cell_json = cell_json


_PLAIN = (str, int, type(None))  # returned as they are (bool is an int); none is a Cell, Group, Assumption or Reason


def _jsonable(value: Any, lang: str = "en") -> Any:
    if isinstance(value, _PLAIN):  # most values (e.g. the (m, k) lists of a row's facts): no further checks
        return value
    if isinstance(value, Cell):
        return cell_json(value, lang)
    if isinstance(value, Group):
        return group_json(value, lang)
    if isinstance(value, Assumption):
        return assumption_json(value, lang)
    if isinstance(value, Reason):
        from repro.labels import text_of

        return text_of(value, lang)
    if isinstance(value, dict):
        return {str(k): v if isinstance(v, _PLAIN) else _jsonable(v, lang) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [v if isinstance(v, _PLAIN) else _jsonable(v, lang) for v in value]
    if isinstance(value, float) and value != value:
        return None
    return value


def table_json(t: TableResult, lang: str) -> dict[str, Any]:
    title = {lng: label(f"table.{t.id}.title", lng, default=t.id) for lng in LANGUAGES}
    findings = [dict(f, text=finding_text(f, lang)) for f in t.findings]
    substantive = [c for c in t.cells if not c.trivial]
    out = {"id": t.id, "paper": t.paper, "title": title, "summary": count_statuses(t.cells),
           "cells": [cell_json(c, lang, t.id) for c in t.cells], "findings": findings,
           "groups": [group_json(g, lang) for g in t.groups],
           "severity_counts": severity_counts(t.cells, t.groups),
           "summary_substantive": count_statuses(substantive), "trivial": len(t.cells) - len(substantive),
           "readings": _jsonable(t.readings, lang)}
    out.update(_jsonable(t.extra, lang))
    return out


def tables_json(results: list[TableResult], lang: str = "en") -> dict[str, Any]:
    """The machine interface: ``{"lang", "tables": [{id, title, summary, cells: [...], groups, ...}]}``."""
    return {"lang": lang, "tables": [table_json(t, lang) for t in results]}
