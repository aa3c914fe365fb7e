"""``repro ties``: Table 2 (tie shares) recomputed, granularity, reconstruction, raw judgments."""

from __future__ import annotations

from typing import Optional

import typer

from commands._common import (FORMAT_HELP, LANG_HELP, OUT_HELP, Format, Grid, Lang, dump_json, edge, emit_grids,
                              emit_results, refuse)

EXAMPLE = """Tie shares ("equally important" answers), paper 004 Table 2.

Without --data: the published table's derived cells under every definition, the feasible
numbers of judgments per column (feasible_n), the reconstructed counts and a status per cell.
With --data FILE (respondent,block,item_a,item_b,value; values 1..9 or 1/2..1/9): the table
computed from raw judgments.

Example: repro ties --format json
         repro ties --data datasets/reconstructed_judgments.csv"""


@edge
def ties(data: Optional[str] = typer.Option(None, "--data", "-d", metavar="FILE",
                                            help="Raw judgments CSV (respondent,block,item_a,item_b,value)."),
         lang: Lang = typer.Option(Lang.en, "--lang", "-l", help=LANG_HELP),
         fmt: Format = typer.Option(Format.table, "--format", "-f", help=FORMAT_HELP),
         out: Optional[str] = typer.Option(None, "--out", "-o", help=OUT_HELP),
         write_example: Optional[str] = typer.Option(None, "--write-example", metavar="FILE",
                                                     help="Write a reconstructed judgments file (seeded) here.")):
    if write_example:
        conflicts = [n for n, on in (("--data", data), ("--out", out), ("--format", fmt is not Format.table)) if on]
        if conflicts:
            refuse(f"--write-example writes only the example file; it cannot be combined with {conflicts[0]}")
        from repro.atomic import write_atomic
        from repro.paper004 import BLOCKS, verify_table2
        from repro.ties import example_judgments

        v = verify_table2()
        counts = {b: [ks[0] for ks in v.counts[b]] for b in BLOCKS}
        granular = {b: v.granular_n[b] for b in BLOCKS}
        if any(n is None for n in granular.values()):
            from repro.errors import ReproError

            raise ReproError("no consistent number of judgments for every block: no example can be written")
        write_atomic(write_example, example_judgments(counts, {b: int(n) for b, n in granular.items() if n is not None}))
        sys_write(write_example + "\n")
        return
    if data:
        _from_data(data, lang.value, fmt, out)
        return
    from repro.cache import cached
    from repro.tables import tables_json, verify_tables

    results = cached("tables-B2", lambda: verify_tables(("B2",)))
    emit_results(results, fmt, lang.value, out, payload=tables_json(results, lang.value)["tables"][0],
                 extra=_inference_grids(results[0], lang.value))


def sys_write(text: str) -> None:
    from commands._common import write_stdout

    write_stdout(text)


def _inference_grids(result, lang: str) -> list[Grid]:
    from repro.catalog import label, render

    extra = result.extra
    definitions = Grid(title=label("ui.definitions", lang),
                       columns=[label("ui.definition", lang), label("ui.reproduced_count", lang)], right={1})
    for d in extra["definitions"]:
        definitions.rows.append([f"{d['name']} / {d['threshold']} / {d['denominator']}",
                                 f"{d['reproduced']}/{d['cells']}"])
    feasible = Grid(title=label("ui.feasible_n", lang),
                    columns=[label(h, lang) for h in ("ui.column", "ui.text_n", "ui.feasible_n", "ui.counts")])
    for column, ns in extra["feasible_n"].items():
        counts = extra["counts"].get(column)
        unique = extra["counts_unique"].get(column)
        note = render("ui.unique", lang, {"n": extra.get("smallest_feasible_n", {}).get(column, "—")}) if unique \
            else label("ui.not_unique", lang)
        shown = "" if counts is None else f"{counts} ({note})"
        feasible.rows.append([column, str(extra["text_n"].get(column, "—")),
                              ", ".join(map(str, ns[:12])) + (" …" if len(ns) > 12 else ""), shown])
    return [definitions, feasible]


def _from_data(path: str, lang: str, fmt: Format, out: Optional[str]) -> None:
    import sys

    from repro.catalog import label
    from repro.numfmt import fmt_number
    from repro.ties import TOTAL, majority_summary, read_judgments, shares_from_judgments

    judgments = read_judgments(path)
    for warning in judgments.warnings:
        sys.stderr.write(f"repro: warning: {warning}\n")
    rows = shares_from_judgments(judgments)
    columns = judgments.blocks + [TOTAL]
    summary = majority_summary(rows, columns)
    payload = {"respondents": len(judgments.respondents), "blocks": judgments.blocks,
               "shares": [r.__dict__ for r in rows],
               "above_half": {c: {"count": n, "share": s} for c, (n, s) in summary.items()},
               "missing_pairs": judgments.missing_json()}
    if fmt is Format.json:
        from commands._common import emit

        emit(dump_json(payload), out)
        return
    grid = Grid(title=label("table.B2.title", lang), columns=[label("ui.respondent", lang)] + columns,
                right=set(range(1, len(columns) + 1)))
    by = {(r.respondent, r.block): r for r in rows}
    for resp in judgments.respondents:
        grid.rows.append([resp] + [fmt_number(by[(resp, c)].share, lang, 2) if (resp, c) in by else "—"
                                   for c in columns])
    grid.sections.append(len(grid.rows))
    grid.rows.append([label("ui.above_half", lang)] + [str(summary[c][0]) for c in columns])
    grid.rows.append([""] + [fmt_number(summary[c][1], lang, 2) for c in columns])
    emit_grids([grid], fmt, out, payload=payload)
