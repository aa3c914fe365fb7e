"""Flat renderings of verified tables: CSV, Markdown and LaTeX (booktabs), via pandas."""

from __future__ import annotations

import csv
import io

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
    rows = flat_rows(results, lang)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()
    import pandas as pd

    frame = pd.DataFrame(rows, columns=FIELDS)
    frame = frame.rename(columns={"status": label("ui.status", lang), "reason": label("ui.reason", lang),
                                  "published": label("ui.published", lang), "reproduced": label("ui.reproduced", lang)})
    if fmt == "markdown":
        return frame.to_markdown(index=False)
    if fmt == "latex":
        return frame.to_latex(index=False, longtable=True, escape=True)
    raise ValueError(f"unknown format {fmt!r}")
