"""Benchmarks of ``repro scan`` (issue 16): text manuscripts per second per core, a 20-page PDF.

Run alone (``python benchmarks/scan_bench.py``) or from ``benchmarks/run.py``. Manuscripts come
from the seeded generator (:mod:`repro.scan.corpus`), written to a temporary folder first; the
timings cover reading, extraction and the audit of every finding.

* per core: ``scan_file`` in this one process over 30 text manuscripts (kk, ru, en; each ~33 planted
  results in prose, a mean-rank table, a W-over-p table and a share table), without and with the
  exhaustive reconstruction of mean-rank rows;
* the pool: ``scan_many`` over the same files with every core (``--jobs`` default);
* a 20-page PDF: 20 synthetic manuscripts laid out by WeasyPrint into one file, then ``scan_file``;
  the page count is checked.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.timing import median_time as _median  # noqa: E402

TARGET_PER_CORE = 20.0  # text manuscripts per second per core
TARGET_PDF_20 = 1.0  # seconds for a 20-page PDF




def _pdf_of_pages(folder: Path, pages: int) -> Path:
    """One PDF of at least ``pages`` pages: synthetic manuscripts one after another (about 2 pages each)."""
    from pypdf import PdfReader
    from weasyprint import HTML

    from repro.scan.corpus import manuscript, to_html

    head = to_html(manuscript(1000, "en"))
    head = head[:head.index("<body>") + 6]
    path = folder / f"manuscript_{pages}p.pdf"
    count = pages // 2
    while True:
        bodies = []
        for n in range(1, count + 1):
            body = to_html(manuscript(1000 + n, ("kk", "ru", "en")[n % 3]))
            bodies.append(body[body.index("<body>") + 6:body.index("</body>")])
        HTML(string=head + "<div style='page-break-after: always'></div>".join(bodies) + "</body></html>").write_pdf(
            str(path))
        if len(PdfReader(str(path)).pages) >= pages:
            return path
        count += 1


def scan_rows() -> list[tuple[str, float, float | None]]:
    from repro.scan import scan_file
    from repro.scan.batch import default_jobs, scan_many
    from repro.scan.corpus import corpus, write_txt

    rows: list[tuple[str, float, float | None]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = [str(write_txt(ms, folder)) for ms in corpus(7, per_language=10)]
        scan_file(paths[0], reconstruct=False)  # imports and caches warm

        t = _median(lambda: [scan_file(p, reconstruct=False) for p in paths], runs=3)
        rows.append((f"repro scan, {len(paths)} text manuscripts, one core, --no-reconstruct: manuscripts/s",
                     len(paths) / t, TARGET_PER_CORE))
        cpu = time.process_time()
        for p in paths:
            scan_file(p, reconstruct=False)
        rows.append(("  the same in CPU time of this process (load-independent): manuscripts/s",
                     len(paths) / (time.process_time() - cpu), TARGET_PER_CORE))
        t = _median(lambda: [scan_file(p) for p in paths[:6]], runs=1)
        rows.append(("repro scan, 6 text manuscripts, one core, with reconstruction: manuscripts/s", 6 / t, None))
        jobs = default_jobs()
        t = _median(lambda: scan_many(paths, jobs=jobs, reconstruct=False), runs=3)
        rows.append((f"repro scan, {len(paths)} text manuscripts, --jobs {jobs} (process pool): manuscripts/s",
                     len(paths) / t, None))

        pdf = _pdf_of_pages(folder, 20)
        scan = scan_file(str(pdf), reconstruct=False)
        t = _median(lambda: scan_file(str(pdf), reconstruct=False), runs=3)
        rows.append((f"repro scan, a {scan.pages}-page PDF (pypdf), --no-reconstruct: s", t, TARGET_PDF_20))
        cpu = time.process_time()
        scan_file(str(pdf), reconstruct=False)
        rows.append(("  the same in CPU time of this process: s", time.process_time() - cpu, TARGET_PDF_20))
        from repro.scan.readers import read_document

        t = _median(lambda: read_document(str(pdf)), runs=3)
        rows.append((f"  of which reading the {scan.pages} pages (pypdf): s", t, None))
    return rows


def main() -> None:
    rows = scan_rows()
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark'.ljust(width)}     value  target")
    for name, value, target in rows:
        print(f"{name.ljust(width)}  {value:8.3f}  {'' if target is None else f'{target:6.1f}'}")


if __name__ == "__main__":
    main()
