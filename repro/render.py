"""Flat renderings of verified tables: CSV, Markdown and LaTeX (booktabs), via :mod:`repro.outputs`."""

from __future__ import annotations

from repro.catalog import label
from repro.labels import cell_view
from repro.verdict import TableResult

FIELDS = ("table", "row", "row_label", "column", "published", "value", "reproduced", "status", "severity", "layer",
          "reason")


def flat_rows(results: list[TableResult], lang: str) -> list[dict]:
    """One record per published cell, labels in ``lang`` (through :func:`repro.labels.cell_view`).

    ``value`` and ``reproduced`` stay the raw numbers (machine columns); the texts are the reader's."""
    rows = []
    for t in results:
        for c in t.cells:
            view = cell_view(t.id, c, lang)
            rows.append({"table": t.id, "row": c.row, "row_label": view.row_label, "column": view.column,
                         "published": view.published, "value": c.value, "reproduced": c.reproduced,
                         "status": c.status, "severity": c.severity or "", "layer": c.layer,
                         "reason": view.reason})
    return rows


def render_rows(results: list[TableResult], lang: str, fmt: str) -> str:
    """CSV (ids as headers), Markdown or LaTeX (localised headers) of :func:`flat_rows`.

    The writers of :mod:`repro.outputs` escape user text for each format and write an empty
    cell as empty (never ``nan``); Markdown keeps the printed precision (no number parsing).
    """
    from repro import outputs

    rows = flat_rows(results, lang)
    values = [[r[f] for f in FIELDS] for r in rows]
    if fmt == "csv":
        return outputs.csv_text(FIELDS, values)
    shown = {"status": "ui.status", "reason": "ui.reason", "published": "ui.published", "reproduced": "ui.reproduced"}
    headers = [label(shown[f], lang) if f in shown else f for f in FIELDS]
    if fmt == "markdown":
        return outputs.markdown_text(headers, values)
    if fmt == "latex":
        return outputs.latex_text(headers, values)
    raise ValueError(f"unknown format {fmt!r}")
