"""``repro audit FILE``: check any reported Kendall/Friedman results or tie shares."""

from __future__ import annotations

from typing import Optional

import typer

from commands._common import Format, Lang, dump_json, edge, emit

EXAMPLE = """Audit reported results typed from any paper: W, chi2, df, p, m, k, mean ranks, marks
(one row per test), or shares (label,share[,N]). Same statuses and JSON shape as repro tables.

Example: repro audit reported.csv --format json"""


@edge
def audit(file: str = typer.Argument(..., help="CSV of reported results."),
          lang: Lang = typer.Option(Lang.en, "--lang", "-l"),
          fmt: Format = typer.Option(Format.table, "--format", "-f"),
          out: Optional[str] = typer.Option(None, "--out", "-o")):
    from repro.audit import reported_test_cells, share_cells
    from repro.audit_input import read_reported
    from repro.tables import TableResult, tables_json

    kind, rows = read_reported(file)
    cells, extra = reported_test_cells(rows) if kind == "tests" else share_cells(rows)
    results = [TableResult("audit", "input", [], cells, [], extra)]
    payload = tables_json(results, lang.value)
    payload["tables"][0]["title"] = {"kk": file, "ru": file, "en": file}
    if fmt is Format.json:
        emit(dump_json(payload), out)
        return
    if fmt is Format.table:
        from commands.tables import print_tables

        print_tables(results, lang.value, file)
        return
    from repro.render import render_rows

    emit(render_rows(results, lang.value, fmt.value), out)
