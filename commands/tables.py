"""``repro tables``: every published table with its computed statuses."""

from __future__ import annotations

from typing import Optional

import typer

from commands._common import Format, Lang, console, dump_json, edge, emit, fail, STATUS_STYLE

EXAMPLE = """Show all five tables with a status per cell; pick one; emit the JSON contract.

Example: repro tables --table B2 --lang kk
         repro tables --format json > tables.json"""


@edge
def tables(table: Optional[str] = typer.Option(None, "--table", "-t", help="A1, B1, B2, B3, B4 or prose."),
           lang: Lang = typer.Option(Lang.en, "--lang", "-l", help="Language of labels and reasons."),
           fmt: Format = typer.Option(Format.table, "--format", "-f", help="Output format."),
           out: Optional[str] = typer.Option(None, "--out", "-o", help="Write to this file (atomically).")):
    from repro.cache import cached
    from repro.tables import TABLE_IDS, tables_json, verify_tables
    from repro.render import render_rows

    ids = TABLE_IDS
    if table is not None:
        if table not in TABLE_IDS:
            fail(f"unknown table {table!r}; expected one of {', '.join(TABLE_IDS)}")
        ids = (table,)
    results = cached("tables-" + "-".join(ids), lambda: verify_tables(ids))
    if fmt is Format.json:
        emit(dump_json(tables_json(results, lang.value)), out)
        return
    if fmt is not Format.table:
        emit(render_rows(results, lang.value, fmt.value), out)
        return
    print_tables(results, lang.value)


def print_tables(results, lang: str, title: str | None = None) -> None:
    from rich.table import Table

    from repro.catalog import label
    from repro.labels import cell_view, summary_text

    con = console()
    for t in results:
        summary = summary_text(t, lang)
        grid = Table(title=title or label(f"table.{t.id}.title", lang, default=t.id), caption=summary, show_lines=False, expand=False)
        for head in ("ui.row", "ui.column", "ui.published", "ui.reproduced", "ui.status", "ui.reason"):
            grid.add_column(label(head, lang), overflow="fold")
        for c in t.cells:
            v = cell_view(t.id, c, lang)
            word = f"{v.status_word} ({v.severity_word})" if v.severity else v.status_word
            grid.add_row(v.row, v.column, v.published, v.computed, f"[{STATUS_STYLE[c.status]}]{word}[/]", v.reason)
        con.print(grid)
