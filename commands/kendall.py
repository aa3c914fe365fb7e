"""``repro kendall``: Kendall's W from raw rankings, and the audit of paper 004's Tables 3 and 4."""

from __future__ import annotations

from typing import Optional

import typer

from commands._common import (FORMAT_HELP, LANG_HELP, OUT_HELP, Format, Grid, Lang, edge, emit_grids, emit_results,
                              refuse)

EXAMPLE = """Kendall's W with exact and Monte Carlo p; without --data, the audit of Tables 3 and 4.

--data FILE: a wide CSV (first column the rater, one column per item) or a long CSV
(rater,item,value). Rows are raters; --objects-in-rows reads R's irr/DescTools orientation.
The exact p is computed when its estimated size is within the budget of repro/limits.py;
beyond it the Monte Carlo p with its standard error is given, and --exact forces the exact p.

Example: repro kendall --data rankings.csv --format json --resamples 10000
         repro kendall --table B3"""

STATISTICS = ("m", "k", "W", "W_uncorrected", "chi2", "df", "p_asymptotic", "p_exact", "p_monte_carlo",
              "p_monte_carlo_se", "n_resamples")


@edge
def kendall(data: Optional[str] = typer.Option(None, "--data", "-d", metavar="FILE",
                                               help="Rankings or scores CSV (wide or long form)."),
            objects_in_rows: bool = typer.Option(False, "--objects-in-rows",
                                                 help="Items in rows, raters in columns (irr/DescTools layout)."),
            drop_incomplete: bool = typer.Option(False, "--drop-incomplete",
                                                 help="Drop raters with missing items (empty or NA cells)."),
            no_correct: bool = typer.Option(False, "--no-tie-correction", help="Report W without tie correction."),
            exact: Optional[bool] = typer.Option(None, "--exact/--no-exact",
                                                 help="Force the exact p whatever its size (with a progress bar), "
                                                      "or skip it. Default: exact within the budget."),
            resamples: int = typer.Option(0, "--resamples", min=0, max=1_000_000,
                                          help="Monte Carlo permutations (0: none, or 10000 when the exact p "
                                               "is over budget)."),
            seed: int = typer.Option(12345, "--seed", min=0, help="Seed of the Monte Carlo p."),
            table: Optional[str] = typer.Option(None, "--table", "-t",
                                                help="Without --data: B3 or B4 (default both)."),
            lang: Lang = typer.Option(Lang.en, "--lang", "-l", help=LANG_HELP),
            fmt: Format = typer.Option(Format.table, "--format", "-f", help=FORMAT_HELP),
            out: Optional[str] = typer.Option(None, "--out", "-o", help=OUT_HELP)):
    if data is None:
        given = [name for name, on in (("--objects-in-rows", objects_in_rows), ("--drop-incomplete", drop_incomplete),
                                       ("--no-tie-correction", no_correct), ("--exact/--no-exact", exact is not None),
                                       ("--resamples", resamples != 0), ("--seed", seed != 12345)) if on]
        if given:
            refuse(f"{given[0]} needs --data FILE (without --data, repro kendall audits Tables 3 and 4)")
        from commands.tables import table_choice
        from repro.cache import cached
        from repro.tables import verify_tables

        ids = ("B3", "B4") if table is None else (table_choice(table, ("B3", "B4")),)
        results = cached("tables-" + "-".join(ids), lambda: verify_tables(ids))
        emit_results(results, fmt, lang.value, out)
        return
    if table is not None:
        refuse("--table audits the published Tables 3 and 4; it cannot be combined with --data")
    if seed != 12345 and not resamples and exact is not False:
        pass  # the seed also drives the Monte Carlo fallback when the exact p is over budget
    _from_data(data, objects_in_rows, drop_incomplete, not no_correct, exact, resamples, seed, lang.value, fmt, out)


def _first_header(path: str) -> str:
    """The first column's name of a regular file (stdin and FIFOs cannot be read twice: "")."""
    from pathlib import Path

    from repro.csvread import read_rows

    if path == "-" or not Path(path).is_file():
        return ""
    header, _ = read_rows(path, [], allow_extra=True)
    return header[0] if header else ""


def _from_data(data, objects_in_rows, drop_incomplete, correct, exact, resamples, seed, lang, fmt, out) -> None:
    import sys

    from repro.catalog import label, render
    from repro.kendall import exact_cost, kendall_w
    from repro.numfmt import fmt_number
    from repro.rankings import read_rankings

    matrix, raters, items, dropped = read_rankings(data, objects_in_rows, drop_incomplete)
    if not objects_in_rows and _first_header(data).casefold() in ("item", "items", "object", "objects", "subject"):
        sys.stderr.write(f"repro: warning: the first column is named {_first_header(data)!r}: rows are read as "
                         "raters; if rows are items (R's irr/DescTools layout), use --objects-in-rows\n")
    if dropped:
        sys.stderr.write(f"repro: warning: dropped raters with missing items: {', '.join(dropped)}\n")
    if exact:
        from repro.kendall import midranks

        pairs, memory = exact_cost(midranks(matrix))
        sys.stderr.write(f"repro: exact p forced: about {pairs:,} state pairs, peak about {memory // 2 ** 20:,} MB\n")
    result = kendall_w(matrix, correct=correct, exact=exact, n_resamples=resamples, seed=seed)
    reasons = {key: render(k, lang, params) for key, (k, params) in result.reasons.items()}
    payload = {"m": result.m, "k": result.k, "W": result.W, "W_uncorrected": result.W_uncorrected,
               "chi2": result.chi2, "df": result.df, "p_asymptotic": result.p_asymptotic,
               "p_exact": result.p_exact, "p_monte_carlo": result.p_monte_carlo,
               "p_monte_carlo_se": result.p_monte_carlo_se, "n_resamples": result.n_resamples,
               "ties_corrected": result.ties_corrected,
               "mean_ranks": dict(zip(items, result.mean_ranks)), "raters": raters, "dropped": dropped,
               "reasons": reasons}
    grid = Grid(title=f"{label('kendall.title', lang)} — m = {result.m}, k = {result.k} — {data}",
                columns=[label("ui.statistic", lang), label("ui.value", lang), label("ui.reason", lang)],
                right={1}, ratios={2: 1})
    for key in STATISTICS:
        value = payload[key]
        shown = fmt_number(value, lang) if isinstance(value, float) and value == value else (
            "" if value is None or isinstance(value, float) else str(value))
        name = key if fmt is Format.csv else label(f"kendall.stat.{key}", lang)  # CSV keeps the JSON keys
        grid.rows.append([name, shown, reasons.get(key, "")])
    for item, r in payload["mean_ranks"].items():
        grid.rows.append([f"{label('ui.mean_ranks', lang)}: {item}", fmt_number(r, lang), ""])
    emit_grids([grid], fmt, out, payload=payload)
