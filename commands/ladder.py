"""``repro ladder``: paper 000's Table 1 built from Arnstein's ladder and [12], checked, drawn."""

from __future__ import annotations

from typing import Optional

import typer

from commands._common import FORMAT_HELP, LANG_HELP, OUT_HELP, Format, Grid, Lang, edge, emit_results, refuse

EXAMPLE = """Construct paper 000's Table 1 from its sources, compare it cell by cell, list departures;
--svg writes the ladder as an SVG figure.

Example: repro ladder --lang en --svg ladder.svg"""


@edge
def ladder(lang: Lang = typer.Option(Lang.en, "--lang", "-l", help=LANG_HELP),
           fmt: Format = typer.Option(Format.table, "--format", "-f", help=FORMAT_HELP),
           out: Optional[str] = typer.Option(None, "--out", "-o", help=OUT_HELP),
           svg: Optional[str] = typer.Option(None, "--svg", metavar="FILE", help="Also write the ladder figure (SVG) here.")):
    from repro.catalog import label, render
    from repro.ladder import verify_ladder
    from repro.tables import tables_json, verify_tables

    if out and out.lower().endswith(".svg") and fmt is Format.table:
        refuse(f"--out writes the --format output; for the SVG figure use --svg {out}")
    if svg and not svg.lower().endswith(".svg"):
        refuse(f"--svg writes an SVG figure; give a file name ending in .svg (not {svg!r})")
    if svg:
        from repro.atomic import write_atomic

        from repro.edition import ladder_figure

        write_atomic(svg, ladder_figure(lang.value))
    v = verify_ladder()
    results = verify_tables(("A1",))
    findings = Grid(title=label("ui.findings", lang.value), columns=[label("ui.findings", lang.value), "«»"],
                    rows=[[render("finding." + f.kind, lang.value, f.params), f.evidence] for f in v.findings],
                    ratios={0: 1, 1: 1})
    payload = tables_json(results, lang.value)["tables"][0]
    emit_results(results, fmt, lang.value, out, payload=payload, extra=[findings])
