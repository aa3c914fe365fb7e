"""Benchmarks of ``repro scan`` (issue 16): text manuscripts per second per core, a 20-page PDF.

Run alone (``python benchmarks/scan_bench.py``) or from ``benchmarks/run.py``. Manuscripts come
from the seeded generator (:mod:`repro.scan.corpus`), written to a temporary folder first; the
timings cover reading, extraction and the audit of every finding.

Every timed pass reads manuscripts no earlier pass of this process has read: the audit keeps some
results per printed value (e.g. the W-p tail grid of a row, the W bounds of a set of mean ranks), so
timing the same files again would measure those caches, not a corpus of distinct papers. What is
shared across papers, and so warmed before timing, is what any long run warms too: the imports and
the tables per (m, k).

* per core: ``scan_file`` in this one process, after imports and a warm-up on other manuscripts;
  the median wall time of 3 passes over 30 text manuscripts each (kk, ru, en; each ~33 planted
  results in prose, a mean-rank table, a W-over-p table and a share table), 90 distinct files in
  all, without the exhaustive reconstruction, and the CPU time of the same passes; with
  reconstruction, 6 other manuscripts;
* the pool: ``scan_many`` with every core (``--jobs`` default), 30 other manuscripts per pass, the
  pool's start-up included; the workers' CPU time per manuscript (their start-up included);
* a 20-page PDF: 20 synthetic manuscripts laid out by WeasyPrint into one file, then ``scan_file``;
  the page count is checked; the median of 3 PDFs of different manuscripts, after a warm-up on a fourth,
  in one process, then on 3 further PDFs with the cores (``jobs``: a forked child reads half the pages, as the command does
  for one file); and the whole command ``repro scan FILE.pdf`` in a fresh process (start-up and imports
  included).
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


def _pdf_of_pages(folder: Path, pages: int, seed: int = 1000) -> Path:
    """One PDF of at least ``pages`` pages: synthetic manuscripts one after another (about 2 pages each)."""
    from pypdf import PdfReader
    from weasyprint import HTML

    from repro.scan.corpus import manuscript, to_html

    head = to_html(manuscript(seed, "en"))
    head = head[:head.index("<body>") + 6]
    path = folder / f"manuscript_{pages}p_{seed}.pdf"
    count = pages // 2
    while True:
        bodies = []
        for n in range(1, count + 1):
            body = to_html(manuscript(seed + n, ("kk", "ru", "en")[n % 3]))
            bodies.append(body[body.index("<body>") + 6:body.index("</body>")])
        HTML(string=head + "<div style='page-break-after: always'></div>".join(bodies) + "</body></html>").write_pdf(
            str(path))
        if len(PdfReader(str(path)).pages) >= pages:
            return path
        count += 1


def _timed_passes(work, batches) -> tuple[float, float]:
    """(median wall seconds of one pass, CPU seconds of this process over all passes): one pass per batch."""
    import statistics

    walls = []
    cpu = time.process_time()
    for batch in batches:
        t = time.perf_counter()
        work(batch)
        walls.append(time.perf_counter() - t)
    return statistics.median(walls), time.process_time() - cpu


def scan_rows() -> list[tuple[str, float, float | None]]:
    import resource
    import subprocess

    from repro.scan import scan_file
    from repro.scan.batch import default_jobs, scan_many
    from repro.scan.corpus import corpus, write_txt

    rows: list[tuple[str, float, float | None]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # batch 0 warms up; 1-3 the one-core passes; 4 with reconstruction; 5-7 the pool passes
        batches = [[str(write_txt(ms, folder)) for ms in corpus(7 + 100 * j, per_language=10)] for j in range(8)]
        for p in batches[0]:
            scan_file(p, reconstruct=False)  # imports and the tables per (m, k) warm

        def one_core(paths):
            for p in paths:
                scan_file(p, reconstruct=False)

        n = len(batches[1])
        wall, cpu = _timed_passes(one_core, batches[1:4])
        rows.append((f"repro scan, {n} text manuscripts, one core, --no-reconstruct: manuscripts/s (median of 3 "
                     f"passes, {3 * n} distinct files)", n / wall, TARGET_PER_CORE))
        rows.append(("  the same in CPU time of this process (load-independent): manuscripts/s",
                     3 * n / cpu, TARGET_PER_CORE))
        t = _median(lambda: [scan_file(p) for p in batches[4][:6]], runs=1)
        rows.append(("repro scan, 6 text manuscripts, one core, with reconstruction: manuscripts/s", 6 / t, None))
        jobs = default_jobs()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall, _ = _timed_passes(lambda paths: scan_many(paths, jobs=jobs, reconstruct=False), batches[5:8])
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        workers_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        rows.append((f"repro scan, {n} text manuscripts, --jobs {jobs} (process pool, its start-up included): "
                     "manuscripts/s", n / wall, None))
        rows.append(("  the workers' CPU time (their start-up included): manuscripts per CPU second",
                     3 * n / workers_cpu if workers_cpu > 0 else float("nan"), None))

        warm, *pdfs = [_pdf_of_pages(folder, 20, seed) for seed in (1000, 2000, 3000, 4000)]
        more = [_pdf_of_pages(folder, 20, seed) for seed in (5000, 6000, 7000)]  # not read before: for --jobs
        scan_file(str(warm), reconstruct=False)
        from pypdf import PdfReader

        pages = len(PdfReader(str(pdfs[0])).pages)
        wall, cpu = _timed_passes(lambda pdf: scan_file(str(pdf), reconstruct=False), pdfs)
        rows.append((f"repro scan, a {pages}-page PDF (pypdf), --no-reconstruct: s (median of 3 different PDFs)",
                     wall, TARGET_PDF_20))
        rows.append(("  the same in CPU time of this process (mean of the 3): s", cpu / len(pdfs), TARGET_PDF_20))
        from repro.scan.readers import read_document

        rows.append((f"  of which reading the {pages} pages (pypdf): s",
                     _timed_passes(lambda pdf: read_document(str(pdf)), pdfs)[0], None))
        # what repro scan FILE.pdf does with two or more cores: a forked child reads the later half of the pages
        scan_file(str(warm), reconstruct=False, jobs=jobs)
        rows.append((f"  the same with --jobs {jobs} (a second process reads half the pages): s (median of 3)",
                     _timed_passes(lambda pdf: scan_file(str(pdf), reconstruct=False, jobs=jobs), more)[0],
                     TARGET_PDF_20))
        out = folder / "out.json"

        def command():
            subprocess.run([sys.executable, str(ROOT / "cli.py"), "scan", str(pdfs[0]), "--no-reconstruct",
                            "--format", "json", "--out", str(out)], check=True,
                           stdout=subprocess.DEVNULL)

        rows.append((f"  the whole command repro scan FILE.pdf --format json ({pages} pages), a fresh process: s",
                     _median(command, runs=3), None))
    return rows


def main() -> None:
    rows = scan_rows()
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark'.ljust(width)}     value  target")
    for name, value, target in rows:
        print(f"{name.ljust(width)}  {value:8.3f}  {'' if target is None else f'{target:6.1f}'}")


if __name__ == "__main__":
    main()
