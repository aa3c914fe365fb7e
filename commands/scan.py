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
         fmt: Format = typer.Option(Format.table, "--format", "-f", help="Output format: table (terminal), json, csv, markdown or latex."),
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
    elif fmt is Format.table:
        from commands._common import emit_grids

        emit_grids(_grids(scans, lang.value), Format.table, out)
    else:
        emit(_flat(flat_rows(scans, lang.value), fmt.value, lang.value), out)


def _flat(rows, fmt: str, lang: str = "en") -> str:
    """CSV with the machine keys as header; Markdown and LaTeX with the headers in ``lang`` (every cell
    escaped for its format by :mod:`repro.outputs`)."""
    from repro import outputs
    from repro.catalog import label
    from repro.scan import FLAT_FIELDS

    values = [[r.get(f, "") for f in FLAT_FIELDS] for r in rows]
    if fmt == "csv":
        return outputs.csv_text(list(FLAT_FIELDS), values)
    keys = {"file": "scan.summary.file", "table": "ui.table", "row": "ui.row", "column": "ui.column",
            "published": "ui.published", "reproduced": "ui.reproduced", "status": "ui.status", "reason": "ui.reason",
            "page": "scan.col.page", "line": "scan.col.line", "row_label": "scan.col.row_label",
            "severity": "scan.col.severity", "text": "scan.col.text"}
    headers = [label(keys[f], lang) if f in keys else f for f in FLAT_FIELDS]
    writer = outputs.markdown_text if fmt == "markdown" else outputs.latex_text
    return writer(headers, values)


def _grids(scans, lang: str):
    """The terminal tables, in the one layout of judged cells (commands._common.verdict_grids)."""
    from commands._common import Grid, verdict_grids
    from repro.catalog import label
    from repro.scan import flat_rows

    grids = []
    for scan in scans:
        if scan.error:
            grids.append(Grid(title=scan.path, columns=[label("scan.summary.error", lang)], rows=[[scan.error]]))
            continue
        entries = []
        for r in flat_rows([scan], lang):
            severity = label("severity." + r["severity"], lang) if r["severity"] else ""
            entries.append({"row": f"{r['table']} {r['row']} {r['row_label'][:40]}", "column": r["column"],
                            "published": r["published"], "computed": r["computed"], "status": r["status"],
                            "status_word": label("status." + r["status"], lang), "severity_word": severity,
                            "reason": r["reason"], "where": f"{r['page'] or '-'}:{r['line']}"})
        grids.extend(verdict_grids(scan.path, "", entries, lang, where_column=label("scan.where", lang)))
    return grids
