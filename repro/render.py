"""Flat renderings of verified tables: CSV, Markdown and LaTeX (booktabs), via pandas."""

from __future__ import annotations

import csv
import io

from repro.catalog import label
from repro.tables import TableResult, cell_text, column_label, reason_text, row_label

FIELDS = ("table", "row", "row_label", "column", "published", "value", "reproduced", "status", "layer", "reason")


def flat_rows(results: list[TableResult], lang: str) -> list[dict]:
    """One record per published cell, labels in ``lang``."""
    rows = []
    for t in results:
        for c in t.cells:
            rows.append({"table": t.id, "row": c.row, "row_label": row_label(t.id, c.row, lang),
                         "column": column_label(t.id, c.column, lang), "published": cell_text(c, lang),
                         "value": c.value, "reproduced": c.reproduced, "status": c.status, "layer": c.layer,
                         "reason": reason_text(c, lang)})
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
