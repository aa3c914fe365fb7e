"""``repro ties``: Table 2 (tie shares) recomputed, granularity, reconstruction, raw judgments."""

from __future__ import annotations

from typing import Optional

import typer

from commands._common import Format, Lang, console, dump_json, edge, emit, fail

EXAMPLE = """Tie shares ("equally important" answers), paper 004 Table 2.

Without --data: the published table's derived cells under every definition, the feasible
numbers of judgments per column (feasible_n), the reconstructed counts and a status per cell.
With --data FILE (respondent,block,item_a,item_b,value; values 1..9 or 1/2..1/9): the table
computed from raw judgments.

Example: repro ties --format json
         repro ties --data datasets/reconstructed_judgments.csv"""


@edge
def ties(data: Optional[str] = typer.Option(None, "--data", "-d", help="Raw judgments CSV."),
         lang: Lang = typer.Option(Lang.en, "--lang", "-l"),
         fmt: Format = typer.Option(Format.table, "--format", "-f"),
         out: Optional[str] = typer.Option(None, "--out", "-o", help="Write to this file (atomically)."),
         write_example: Optional[str] = typer.Option(None, "--write-example",
                                                     help="Write a reconstructed judgments file (seeded) here.")):
    if write_example:
        from repro.atomic import write_atomic
        from repro.paper004 import BLOCKS, verify_table2
        from repro.ties import example_judgments

        v = verify_table2()
        counts = {b: [ks[0] for ks in v.counts[b]] for b in BLOCKS}
        write_atomic(write_example, example_judgments(counts, {b: v.granular_n[b] for b in BLOCKS}))
        typer.echo(write_example)
        return
    if data:
        _from_data(data, lang.value, fmt, out)
        return
    from commands.tables import print_tables
    from repro.cache import cached
    from repro.tables import tables_json, verify_tables

    results = cached("tables-B2", lambda: verify_tables(("B2",)))
    if fmt is Format.json:
        emit(dump_json(tables_json(results, lang.value)["tables"][0]), out)
        return
    if fmt is not Format.table:
        from repro.render import render_rows

        emit(render_rows(results, lang.value, fmt.value), out)
        return
    print_tables(results, lang.value)
    _print_inference(results[0], lang.value)


def _print_inference(result, lang: str) -> None:
    from rich.table import Table

    from repro.catalog import label

    con = console()
    extra = result.extra
    grid = Table(title=label("ui.definitions", lang))
    grid.add_column(label("ui.definition", lang))
    grid.add_column(label("ui.reproduced_count", lang), justify="right")
    for d in extra["definitions"]:
        grid.add_row(f"{d['name']} / {d['threshold']} / {d['denominator']}", f"{d['reproduced']}/{d['cells']}")
    con.print(grid)
    grid = Table(title=label("ui.feasible_n", lang))
    for head in ("ui.column", "ui.text_n", "ui.feasible_n", "ui.counts"):
        grid.add_column(label(head, lang), overflow="fold")
    for column, ns in extra["feasible_n"].items():
        counts = extra["counts"].get(column)
        unique = extra["counts_unique"].get(column)
        shown = "" if counts is None else f"{counts} ({label('ui.unique' if unique else 'ui.not_unique', lang)})"
        grid.add_row(column, str(extra["text_n"].get(column, "—")), ", ".join(map(str, ns[:12])) + (" …" if len(ns) > 12 else ""),
                     shown)
    con.print(grid)


def _from_data(path: str, lang: str, fmt: Format, out: Optional[str]) -> None:
    from repro.ties import TOTAL, majority_summary, read_judgments, shares_from_judgments

    judgments = read_judgments(path)
    for warning in judgments.warnings:
        typer.echo(f"repro: warning: {warning}", err=True)
    rows = shares_from_judgments(judgments)
    columns = judgments.blocks + [TOTAL]
    summary = majority_summary(rows, columns)
    if fmt is Format.json:
        payload = {"respondents": len(judgments.respondents), "blocks": judgments.blocks,
                   "shares": [r.__dict__ for r in rows],
                   "above_half": {c: {"count": n, "share": s} for c, (n, s) in summary.items()},
                   "missing_pairs": [{"respondent": r, "block": b, "pairs": [list(p) for p in ps]}
                                     for (r, b), ps in judgments.missing.items()]}
        emit(dump_json(payload), out)
        return
    if fmt is not Format.table:
        fail("with --data, --format takes table or json")
    from rich.table import Table

    from repro.catalog import label
    from repro.numfmt import fmt_number

    grid = Table(title=label("table.B2.title", lang))
    grid.add_column(label("ui.respondent", lang))
    for column in columns:
        grid.add_column(column, justify="right")
    by = {(r.respondent, r.block): r for r in rows}
    for resp in judgments.respondents:
        grid.add_row(resp, *[fmt_number(by[(resp, c)].share, lang, 2) if (resp, c) in by else "—" for c in columns])
    grid.add_section()
    grid.add_row(label("ui.above_half", lang), *[str(summary[c][0]) for c in columns])
    grid.add_row("", *[fmt_number(summary[c][1], lang, 2) for c in columns])
    console().print(grid)
