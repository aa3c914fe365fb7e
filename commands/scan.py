"""``repro scan FILE|DIR...``: find every reported Kendall/Friedman result and tie share in manuscripts, audit them."""

from __future__ import annotations

from typing import List, Optional

import typer

from commands._common import Format, Lang, dump_json, edge, emit, fail

EXAMPLE = """Read manuscripts (.txt, .pdf, .docx, .html; kk, ru or en), find every W, chi2, p, df, m, k, mean
rank and share they report, and audit them with the engine of repro audit. Each cell names its
source (file, page, line, quoted text). Folders are read recursively, files in parallel.

Example: repro scan paper.pdf --format json
         repro scan manuscripts/ --jobs 4 --summary summary.csv"""


@edge
def scan(paths: List[str] = typer.Argument(..., help="Manuscripts or folders of manuscripts."),
         lang: Lang = typer.Option(Lang.en, "--lang", "-l", help="Language of labels and reasons."),
         fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, json, csv or markdown."),
         out: Optional[str] = typer.Option(None, "--out", "-o", help="Write to this file (atomically)."),
         jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, max=512,
                                            help="Processes (default: the cores)."),
         summary: Optional[str] = typer.Option(None, "--summary", help="Write the summary CSV here: a row per "
                                                                       "paper, a row per finding."),
         reconstruct: bool = typer.Option(True, "--reconstruct/--no-reconstruct",
                                          help="Reconstruct the rank data of mean-rank rows exhaustively "
                                               "(k = 3, 4; ~0.2-3 s a row). Off for large corpora.")):
    from repro.progress import advance
    from repro.scan import flat_rows, scan_json
    from repro.scan.batch import collect, scan_many, summary_csv

    if fmt is Format.latex:
        fail("repro scan writes table, json, csv or markdown")
    files = collect(paths)
    if not files:
        fail("no manuscripts found (.txt, .pdf, .docx, .html)")
    scans = scan_many(files, jobs, on_done=lambda done, total: advance("progress.scan", done, total),
                      reconstruct=reconstruct)
    if summary:
        from repro.atomic import write_atomic

        write_atomic(summary, summary_csv(scans, lang.value))
    if len(scans) == 1 and scans[0].error:
        fail(scans[0].error)  # one file: its error is the run's error (a folder lists errors and goes on)
    if fmt is Format.json:
        emit(dump_json(scan_json(scans, lang.value)), out)
    elif fmt is Format.table and not out:
        _print(scans, lang.value)
    else:
        emit(_flat(flat_rows(scans, lang.value), "csv" if fmt is Format.table else fmt.value, lang.value), out)


def _flat(rows, fmt: str, lang: str = "en") -> str:
    """CSV with the machine keys as header; Markdown with the headers in ``lang``."""
    import csv
    import io

    from repro.scan import FLAT_FIELDS

    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=FLAT_FIELDS, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue()
    from tabulate import tabulate

    from repro.catalog import label

    keys = {"file": "scan.summary.file", "table": "ui.table", "row": "ui.row", "column": "ui.column",
            "published": "ui.published", "reproduced": "ui.reproduced", "status": "ui.status", "reason": "ui.reason",
            "page": "scan.col.page", "line": "scan.col.line", "row_label": "scan.col.row_label",
            "severity": "scan.col.severity", "text": "scan.col.text"}
    headers = [label(keys[f], lang) if f in keys else f for f in FLAT_FIELDS]
    return tabulate([[r.get(f, "") for f in FLAT_FIELDS] for r in rows], headers=headers, tablefmt="github")


def _print(scans, lang: str) -> None:
    from rich.table import Table

    from commands._common import STATUS_STYLE, console
    from repro.catalog import label
    from repro.scan import flat_rows

    con = console()
    for scan in scans:
        if scan.error:
            con.print(f"{label('scan.summary.error', lang)}: {scan.error}")
            continue
        grid = Table(title=scan.path, show_lines=False)
        for head in ("ui.row", "ui.column", "ui.published", "ui.status", "ui.reason"):
            grid.add_column(label(head, lang), overflow="fold")
        grid.add_column(label("scan.where", lang))
        for r in flat_rows([scan], lang):
            grid.add_row(f"{r['table']} {r['row']} {r['row_label'][:40]}", r["column"], r["published"],
                         f"[{STATUS_STYLE[r['status']]}]{label('status.' + r['status'], lang)}[/]", r["reason"],
                         f"{r['page'] or '-'}:{r['line']}")
        con.print(grid)
