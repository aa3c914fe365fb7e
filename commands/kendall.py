"""``repro kendall``: Kendall's W from raw rankings, and the audit of paper 004's Tables 3 and 4."""

from __future__ import annotations

from typing import Optional

import typer

from commands._common import Format, Lang, console, dump_json, edge, emit, fail

EXAMPLE = """Kendall's W with exact and Monte Carlo p; without --data, the audit of Tables 3 and 4.

--data FILE: a wide CSV (first column the rater, one column per item) or a long CSV
(rater,item,value). Rows are raters; --objects-in-rows reads R's irr/DescTools orientation.

Example: repro kendall --data rankings.csv --format json --resamples 10000
         repro kendall --table B3"""


@edge
def kendall(data: Optional[str] = typer.Option(None, "--data", "-d", help="Rankings or scores CSV."),
            objects_in_rows: bool = typer.Option(False, "--objects-in-rows",
                                                 help="Items in rows, raters in columns (irr/DescTools layout)."),
            drop_incomplete: bool = typer.Option(False, "--drop-incomplete", help="Drop raters with missing items."),
            no_correct: bool = typer.Option(False, "--no-tie-correction", help="Report W without tie correction."),
            resamples: int = typer.Option(0, "--resamples", min=0, max=10_000_000,
                                          help="Monte Carlo permutations (0: none)."),
            seed: int = typer.Option(12345, "--seed", help="Seed of the Monte Carlo p."),
            table: Optional[str] = typer.Option(None, "--table", "-t", help="B3 or B4 (default both)."),
            lang: Lang = typer.Option(Lang.en, "--lang", "-l"),
            fmt: Format = typer.Option(Format.table, "--format", "-f"),
            out: Optional[str] = typer.Option(None, "--out", "-o")):
    if data is None:
        ids = ("B3", "B4") if table is None else (table,)
        if any(t not in ("B3", "B4") for t in ids):
            fail("--table takes B3 or B4")
        from commands.tables import print_tables
        from repro.cache import cached
        from repro.tables import tables_json, verify_tables

        results = cached("tables-" + "-".join(ids), lambda: verify_tables(ids))
        if fmt is Format.json:
            emit(dump_json(tables_json(results, lang.value)), out)
        elif fmt is Format.table:
            print_tables(results, lang.value)
        else:
            from repro.render import render_rows

            emit(render_rows(results, lang.value, fmt.value), out)
        return
    from repro.kendall import kendall_w
    from repro.rankings import read_rankings

    matrix, raters, items, dropped = read_rankings(data, objects_in_rows, drop_incomplete)
    if dropped:
        typer.echo(f"repro: warning: dropped raters with missing items: {', '.join(dropped)}", err=True)
    result = kendall_w(matrix, correct=not no_correct, n_resamples=resamples, seed=seed)
    payload = {"m": result.m, "k": result.k, "W": result.W, "W_uncorrected": result.W_uncorrected,
               "chi2": result.chi2, "df": result.df, "p_asymptotic": result.p_asymptotic,
               "p_exact": result.p_exact, "p_monte_carlo": result.p_monte_carlo,
               "p_monte_carlo_se": result.p_monte_carlo_se, "n_resamples": result.n_resamples,
               "ties_corrected": result.ties_corrected,
               "mean_ranks": dict(zip(items, result.mean_ranks)), "raters": raters, "dropped": dropped}
    if fmt is Format.json:
        emit(dump_json(payload), out)
        return
    from rich.table import Table

    from repro.catalog import label
    from repro.numfmt import fmt_number

    grid = Table(title=f"Kendall W — m = {result.m}, k = {result.k}")
    grid.add_column(label("ui.statistic", lang.value))
    grid.add_column(label("ui.value", lang.value), justify="right")
    for key in ("m", "k", "W", "W_uncorrected", "chi2", "df", "p_asymptotic", "p_exact", "p_monte_carlo",
                "p_monte_carlo_se"):
        value = payload[key]
        grid.add_row(key, fmt_number(value, lang.value) if isinstance(value, float) else str(value))
    for item, r in payload["mean_ranks"].items():
        grid.add_row(f"{label('ui.mean_ranks', lang.value)}: {item}", fmt_number(r, lang.value))
    console().print(grid)
