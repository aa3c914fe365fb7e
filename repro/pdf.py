"""The PDF renderer: WeasyPrint in a process of its own, one forked worker per further edition.

Every process started here dies with the one that started it (D14): on Linux the kernel sends
SIGKILL to a child when its parent exits (``prctl(PR_SET_PDEATHSIG)``); elsewhere a watcher thread
polls the parent. So SIGTERM, SIGINT or SIGKILL sent to the main ``repro`` process alone leaves no
renderer or worker behind.
"""

from __future__ import annotations

import gc
import os

from repro.paths import templates_dir
from repro.processes import can_fork, die_with_parent

PDF_VARIANT = "pdf/ua-1"  # tagged PDF (structure tree, /MarkInfo), WeasyPrint >= 59


class PdfRenderer:
    """Renders editions to PDF bytes, overlapping WeasyPrint's import with the caller's own work.

    On a machine with more than one CPU (and fork), a renderer process starts at once and imports
    WeasyPrint while the caller renders the HTML; ``submit`` hands it each (html, lang) job as soon as
    the caller has it: every job but the last goes at once to a worker forked from the renderer, the
    last the renderer lays out itself (WeasyPrint's layout is single-threaded and takes about a second
    per edition), so the first edition is laid out while the caller still renders the others. With one CPU, without fork, or with
    ``REPRO_SERIAL=1`` or ``REPRO_JOBS=1`` (:func:`repro.processes.can_fork`), everything runs in this process. ``result`` returns the PDFs in job order and
    re-raises a worker's error (a missing glyph is a ReproError). ``close`` ends the renderer at once
    if its result was not taken (an interrupt), and its workers with it.
    """

    def __init__(self, jobs_expected: int):
        import multiprocessing

        self._jobs: list[tuple[str, str]] = []
        self._process = None
        self._done = False
        # even one edition gains: WeasyPrint's import overlaps the HTML rendering
        serial = not can_fork() or os.environ.get("REPRO_SERIAL") or jobs_expected < 1
        if not serial:
            context = multiprocessing.get_context("fork")
            self._conn, child = context.Pipe()
            self._process = context.Process(target=_renderer_main, args=(child, os.getpid(), jobs_expected),
                                            name="repro-pdf")
            self._process.start()
            child.close()

    def submit(self, jobs: list[tuple[str, str]]) -> None:
        """Hand over (html, lang) jobs, one call or several, in order; ``jobs_expected`` in all."""
        for job in jobs:
            if self._process is None:
                self._jobs.append(job)
            else:
                self._conn.send(job)

    def result(self) -> list[bytes]:
        if self._process is None:
            return [render_pdf(*job) for job in self._jobs]
        try:
            outcome, payload = self._conn.recv()
        except EOFError:
            raise RuntimeError("the PDF renderer process ended without a result") from None
        self._done = True
        if outcome == "error":
            raise payload
        return payload

    def close(self) -> None:
        if self._process is None:
            return
        if not self._done:
            # interrupted, or failed before the result: end the renderer now; its workers die with it
            self._process.kill()
        else:
            try:
                self._conn.send(None)  # nothing (more) to do
            except (BrokenPipeError, OSError):
                pass
        self._conn.close()
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._process = None


def _render_pdf_job(job: tuple[str, str]) -> bytes:
    return render_pdf(*job)


def _renderer_main(conn, parent: int, expected: int) -> None:
    """The renderer process: import WeasyPrint, take ``expected`` jobs as they come, hand all but the last
    to forked workers at once and lay out the last itself (see PdfRenderer).

    It lives a few seconds: the cyclic garbage collector stays off in it and its workers (see render_pdf).
    """
    die_with_parent(parent)
    gc.disable()
    pool = None
    try:
        import weasyprint  # noqa: F401 - imported once here, shared by the workers forked below

        if expected > 1:  # before the workers are forked: they inherit what it loaded (one edition: nothing to share)
            warm_up()
        futures = []
        last = None
        for index in range(expected):
            job = conn.recv()
            if job is None:  # the caller gave up (closed before submitting everything)
                return
            if index < expected - 1:
                if pool is None:
                    import multiprocessing
                    from concurrent.futures import ProcessPoolExecutor

                    pool = ProcessPoolExecutor(max_workers=expected - 1,
                                               mp_context=multiprocessing.get_context("fork"),
                                               initializer=die_with_parent, initargs=(os.getpid(),))
                futures.append(pool.submit(_render_pdf_job, job))
            else:
                last = render_pdf(*job)
        conn.send(("ok", [f.result() for f in futures] + ([last] if last is not None else [])))
    except BaseException as exc:  # handed to the caller, who raises it
        if pool is not None:  # terminate the pool first: its workers must not outlive a failed renderer
            for process in list(getattr(pool, "_processes", {}).values()):
                process.kill()
            pool.shutdown(wait=False, cancel_futures=True)
            pool = None
        for payload in (exc, RuntimeError(f"PDF rendering failed: {type(exc).__name__}: {exc}")):
            try:  # the exception itself, or its text when it cannot be pickled
                conn.send(("error", payload))
                break
            except Exception:  # the caller has gone (interrupted): nothing to report to
                continue
    finally:
        if pool is not None:
            pool.shutdown()
        conn.close()


# A small document that takes WeasyPrint through the paths an edition takes (fonts, hyphenated ru/en text, a
# table, inline SVG text, a tagged PDF with subset fonts), so that what each process pays once is paid here.
_WARM_UP_HTML = """<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>-</title><style>
@font-face { font-family: "W"; src: url("fonts/DejaVuSans.ttf"); }
@font-face { font-family: "W"; font-weight: bold; src: url("fonts/DejaVuSans-Bold.ttf"); }
@page { size: A6; @bottom-center { content: counter(page) " / " counter(pages); } }
html { font-family: "W"; hyphens: auto; } td { width: 4em; border: 0.5pt solid #888; }
</style></head><body><h1>Отчёт</h1><p>Воспроизведение <b>таблиц</b> <q>как напечатано</q></p>
<table><caption>Т</caption><thead><tr><th scope="col">Ж</th></tr></thead><tbody><tr><td>воспроизводимость</td></tr>
<tr><td lang="en">reproducibility</td></tr></tbody></table>
<svg width="60" height="20" font-family="W"><rect x="1" y="1" width="5" height="5" fill="#123456"/>
<line x1="0" y1="0" x2="9" y2="9" stroke="#000"/><text x="2" y="12" text-anchor="middle">W 0,5</text></svg>
</body></html>"""


def warm_up() -> None:
    """Pay WeasyPrint's once-per-process costs (about 0.3 s CPU: cffi parsing the C types it uses, the ru and
    en hyphenation patterns, HarfBuzz's subsetter) in the renderer, before it forks its workers, instead of
    once in every worker. Nothing of the warm-up document is kept; the editions' bytes do not change."""
    import pyphen
    from weasyprint import HTML

    for lang in ("ru", "en"):  # pyphen keeps the parsed patterns per file, for every later Pyphen(lang=...)
        pyphen.Pyphen(lang=pyphen.language_fallback(lang))
    HTML(string=_WARM_UP_HTML, base_url=str(templates_dir())).write_pdf(pdf_variant=PDF_VARIANT)


def render_pdf(html: str, lang: str) -> bytes:
    """PDF bytes of one edition, tagged (PDF/UA-1); a missing glyph (``.notdef``) is an error."""
    import logging

    from weasyprint import HTML

    from repro.errors import ReproError

    class NotdefGuard(logging.Handler):
        def __init__(self):
            super().__init__()
            self.hits: list[str] = []

        def emit(self, record):
            if "notdef" in record.getMessage():
                self.hits.append(record.getMessage())

    guard = NotdefGuard()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(guard)
    # The cyclic garbage collector is paused while an edition renders: WeasyPrint allocates millions of
    # short-lived objects without cycles to speak of, and the collector's passes over them cost 10-25 %
    # of the time (measured); the edition's peak memory grows by about 35 MB. Reference counting still
    # frees everything, and the collector resumes afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        # fonts are subset (full_fonts would save 0.4 s but makes text extraction 7x slower for readers and tests)
        pdf = HTML(string=html, base_url=str(templates_dir())).write_pdf(pdf_variant=PDF_VARIANT)
    finally:
        if collecting:
            gc.enable()
        logger.removeHandler(guard)
    if guard.hits:
        raise ReproError(f"missing glyph in the {lang} edition: {guard.hits[0]}")
    return pdf
