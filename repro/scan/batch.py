"""Many manuscripts at once: the same per-file function (:func:`repro.scan.scan_file`) over a process pool.

No scheduler of our own: :class:`concurrent.futures.ProcessPoolExecutor` maps files to
workers; a file that cannot be read is one error row and the others go on. For a corpus
larger than one machine, the same function maps over a cluster (``dask.bag.from_sequence
(paths).map(scan_file)``) and the summaries concatenate.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Callable, Iterable

from repro.errors import ReproError
from repro.scan import FileScan, flat_rows, scan_file, severity_counts
from repro.scan.readers import SUFFIXES


def collect(paths: Iterable[str]) -> list[str]:
    """Files named, and every readable manuscript under each folder named (sorted, recursive)."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(str(f) for f in sorted(path.rglob("*")) if f.is_file() and f.suffix.lower() in SUFFIXES)
        elif path.exists():
            out.append(str(path))
        else:
            raise ReproError("no such file or folder", file=str(p))
    return out


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def scan_many(paths: list[str], jobs: int | None = None,
              on_done: Callable[[int, int], None] | None = None, reconstruct: bool = True) -> list[FileScan]:
    """Scan every file, ``jobs`` processes at a time (1: in this process); results in input order."""
    import functools

    jobs = jobs or default_jobs()
    work = functools.partial(scan_file, reconstruct=reconstruct)
    results: list[FileScan | None] = [None] * len(paths)
    if jobs <= 1 or len(paths) <= 1:
        # one file: the cores may share its pages (a long PDF); several files with --jobs 1: one process
        work = functools.partial(scan_file, reconstruct=reconstruct, jobs=jobs if len(paths) == 1 else 1)
        for i, path in enumerate(paths):
            try:
                results[i] = work(path)
            except Exception as exc:  # noqa: BLE001 - as in the pool: one file's failure is its error line
                if len(paths) == 1:
                    raise
                results[i] = FileScan(path, error=f"{path}: {type(exc).__name__}: {exc}")
            if on_done:
                on_done(i + 1, len(paths))
        return [r for r in results if r is not None]
    from concurrent.futures import ProcessPoolExecutor, as_completed

    done = 0
    with ProcessPoolExecutor(max_workers=min(jobs, len(paths))) as pool:
        futures = {pool.submit(work, path): i for i, path in enumerate(paths)}
        for future in as_completed(futures):
            i = futures[future]
            try:
                results[i] = future.result()
            except Exception as exc:  # noqa: BLE001 - a worker that died is that file's error line
                results[i] = FileScan(paths[i], error=f"{paths[i]}: {type(exc).__name__}: {exc}")
            done += 1
            if on_done:
                on_done(done, len(paths))
    return [r for r in results if r is not None]


SUMMARY_FIELDS = ("kind", "file", "error", "pages", "cells", "reproduced", "within_rounding", "inconsistent",
                  "not_checkable", "impossible", "assumption", "editorial", "unclassified", "page", "line", "table", "row",
                  "row_label", "column", "published", "reproduced_value", "status", "severity", "reason", "text")


def summary_csv(scans: list[FileScan], lang: str = "en") -> str:
    """One row per paper (``kind=paper``: counts by status and severity, or its error) and one
    row per inconsistent cell (``kind=finding``: where it stands, its severity and reason)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=SUMMARY_FIELDS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for scan in scans:
        if scan.error is not None:
            writer.writerow({"kind": "paper", "file": scan.path, "error": scan.error})
            continue
        counts = severity_counts(scan)
        writer.writerow({"kind": "paper", "file": scan.path, "pages": scan.pages,
                         "cells": sum(len(t.cells) for t in scan.tables), **counts})
    for row in flat_rows([s for s in scans if s.error is None], lang):
        if row["status"] != "inconsistent":
            continue  # the paper's row counts the rest
        writer.writerow(dict(row, kind="finding", reproduced_value=row.get("reproduced")))
    return out.getvalue()
