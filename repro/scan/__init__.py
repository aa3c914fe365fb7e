"""``repro scan``: read manuscripts, find every reported Kendall/Friedman result and tie share, audit them.

The pipeline, one plain function per step, for one file (:func:`scan_file`, the unit a process
pool or a cluster maps over):

1. :mod:`repro.scan.readers` — the lines of a .txt, .pdf (pypdf), .docx (python-docx) or .html
   (standard library) file with page and line positions;
2. :mod:`repro.scan.extract` — prose statements, tables of results, share tables, the counts of
   raters and items around them, each with its source and the alternatives left open;
3. :mod:`repro.scan.judge` — the same audit engine as ``repro audit`` and ``repro tables``.

:func:`scan_json` is the machine interface; :func:`flat_rows` feeds CSV, Markdown and the summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from repro.errors import ReproError


@dataclass
class FileScan:
    """What scanning one file gave: the judged tables and the counts found, or one error line."""

    path: str
    kind: str = ""
    pages: int = 0
    lines: int = 0
    tables: list = field(default_factory=list)
    counts: list = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0


def scan_file(path: str, reconstruct: bool = True, jobs: int = 1) -> FileScan:
    """Read, extract and judge one manuscript. An unreadable file gives ``error`` (one line), never raises.

    ``reconstruct=False`` skips the exhaustive reconstruction of mean-rank rows (see
    :func:`repro.scan.judge.judge`); everything else is the same. ``jobs`` >= 2 lets a second process
    read half the pages of a long PDF (:func:`repro.scan.readers.read_pdf`); the result is the same.
    """
    import time

    from repro.scan.extract import extract
    from repro.scan.judge import judge
    from repro.scan.readers import read_document

    started = time.perf_counter()
    try:
        doc = read_document(path, jobs)
        extraction = extract(doc)
        tables = judge(extraction, reconstruct)
    except ReproError as exc:
        return FileScan(str(path), error=exc.one_line(), seconds=time.perf_counter() - started)
    counts = [f for f in extraction.found if f.kind in ("count",)]
    return FileScan(str(path), doc.kind, doc.pages, len(doc.lines), tables, counts,
                    seconds=time.perf_counter() - started)


def _alternative_text(alt: dict[str, Any], lang: str) -> str:
    from repro.catalog import render

    return render(alt["key"], lang, alt["params"])


def _severity(cell) -> str | None:
    return getattr(cell, "severity", None)


def severity_counts(scan: FileScan) -> dict[str, int]:
    """Cells by status, and findings by severity as the contract counts them (a failing minimal
    group once; an inconsistent cell in no group once), summed over the file's tables."""
    from repro.verdict import STATUSES, severity_counts as findings_by_severity

    counts: dict[str, int] = {s: 0 for s in STATUSES}
    counts.update({"impossible": 0, "assumption": 0, "editorial": 0})
    for t in scan.tables:
        for c in t.cells:
            counts[c.status] += 1
        for key, n in findings_by_severity(t.cells, t.groups).items():
            counts[key] = counts.get(key, 0) + n
    return counts


def scan_json(scans: list[FileScan], lang: str = "en") -> dict[str, Any]:
    """The machine interface: per file, its tables in the cell contract of ``repro tables``,
    each cell with ``source`` {file, page, line, text}, ``row_label``, ``context`` and ``alternatives``."""
    from repro.catalog import label, render
    from repro.contract import table_json
    from repro.verdict import TableResult

    files = []
    for scan in scans:
        entry: dict[str, Any] = {"file": scan.path, "kind": scan.kind, "pages": scan.pages, "lines": scan.lines,
                                 "error": scan.error, "tables": [], "counts": []}
        if scan.error is None:
            payload = []
            for t in scan.tables:
                readings = [dict(r, text=render(r["key"], lang, r["params"])) for r in t.readings]
                table = table_json(TableResult(t.id, "scan", [], t.cells, [], t.extra, t.groups, readings), lang)
                table["kind"] = t.kind
                table["caption"] = t.caption
                table["title"] = {lng: t.caption or label("scan.prose", lng) for lng in ("kk", "ru", "en")}
                found_of_row: dict[str, list] = {}
                for f in t.found:
                    found_of_row.setdefault(f.row, []).append(f)
                for cell_json, cell, src, row_label in zip(table["cells"], t.cells, t.sources, t.labels):
                    cell_json["row_label"] = row_label
                    cell_json["source"] = src.as_dict()
                    members = found_of_row.get(cell.row, [])
                    f = next((x for x in members if not x.column or cell.column.startswith(x.column + " ")
                              or cell.column == x.column), members[0] if members else None)
                    cell_json["context"] = f.context if f else {}
                    cell_json["alternatives"] = [dict(a, text=_alternative_text(a, lang)) for a in f.alternatives] \
                        if f else []
                payload.append(table)
            entry["tables"] = payload
            entry["counts"] = [{"what": next(iter(c.figures)), "table": c.table, "row": c.row, "column": c.column,
                                "value": float(next(iter(c.figures.values())).value), "text": c.label,
                                "source": next(iter(c.sources.values())).as_dict(),
                                "alternatives": [dict(a, text=_alternative_text(a, lang)) for a in c.alternatives]}
                               for c in scan.counts]
            entry["summary"] = severity_counts(scan)
        files.append(entry)
    return {"lang": lang, "files": files}


FLAT_FIELDS = ("file", "page", "line", "table", "row", "row_label", "column", "published", "reproduced", "status",
               "severity", "reason", "text")


def flat_rows(scans: list[FileScan], lang: str) -> list[dict[str, Any]]:
    """One record per audited cell (and one per unreadable file), labels in ``lang``."""
    from repro.labels import computed_text
    from repro.tables import reason_text

    rows = []
    for scan in scans:
        if scan.error is not None:
            rows.append({"file": scan.path, "status": "error", "reason": scan.error})
            continue
        for t in scan.tables:
            for c, src, row_label in zip(t.cells, t.sources, t.labels):
                rows.append({"file": scan.path, "page": src.page, "line": src.line, "table": t.id, "row": c.row,
                             "row_label": row_label, "column": c.column, "published": c.published,
                             "reproduced": c.reproduced, "computed": computed_text(c, lang),
                             "status": c.status, "severity": _severity(c) or "",
                             "reason": reason_text(c, lang), "text": src.text})
    return rows
