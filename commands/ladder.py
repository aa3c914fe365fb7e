"""``repro ladder``: paper 000's Table 1 built from Arnstein's ladder and [12], checked, drawn."""

from __future__ import annotations

from typing import Optional

import typer

from commands._common import Format, Lang, console, dump_json, edge, emit

EXAMPLE = """Construct paper 000's Table 1 from its sources, compare it cell by cell, list departures,
and draw the ladder as SVG.

Example: repro ladder --lang en --out ladder.svg"""


@edge
def ladder(lang: Lang = typer.Option(Lang.en, "--lang", "-l"),
           fmt: Format = typer.Option(Format.table, "--format", "-f"),
           out: Optional[str] = typer.Option(None, "--out", "-o", help="Write the SVG figure here.")):
    from repro.catalog import label, render
    from repro.ladder import verify_ladder
    from repro.tables import tables_json, verify_tables

    v = verify_ladder()
    if out:
        from repro.atomic import write_atomic

        from repro.edition import ladder_figure

        svg = ladder_figure(lang.value)
        write_atomic(out, svg)
    if fmt is Format.json:
        emit(dump_json(tables_json(verify_tables(("A1",)), lang.value)["tables"][0]), None)
        return
    from commands.tables import print_tables

    print_tables(verify_tables(("A1",)), lang.value)
    con = console()
    con.print(f"[bold]{label('ui.findings', lang.value)}[/]")
    for f in v.findings:
        con.print(f"• {render('finding.' + f.kind, lang.value, f.params)}\n  « {f.evidence} »")
