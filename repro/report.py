"""The trilingual report writer: Jinja2 (autoescape on for every template) to HTML, WeasyPrint to PDF.

One PDF per language (``report.kk.pdf``, ``report.ru.pdf``, ``report.en.pdf``), one standalone
``report.html`` holding the editions with a switch between them (in the template), and the figures as
SVG. The content of an edition is computed in :mod:`repro.edition`, the PDFs are rendered by
:mod:`repro.pdf`, the date and versions come from :mod:`repro.provenance` (from data, never the clock),
so the bytes are reproducible.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from repro.atomic import inside, write_atomic
from repro.catalog import LANGUAGES
from repro.edition import edition_context, figures, headlines, reason_groups  # noqa: F401 - re-exported
from repro.paths import templates_dir
from repro.pdf import PdfRenderer, render_pdf  # noqa: F401 - re-exported (tests patch report.render_pdf)
from repro.provenance import dependency_versions  # noqa: F401 - re-exported for the artefact pipeline

FIGURE_FILES = {"A1": "ladder", "B2": "table2_heatmap", "B3": "table3_mean_ranks", "B4": "table4_w_p"}


@lru_cache(maxsize=1)
def environment():
    """The Jinja2 environment, built once per process (its template cache then compiles each template once)."""
    from jinja2 import Environment, FileSystemLoader

    # select_autoescape() does not cover *.j2: autoescape is on for every template.
    return Environment(loader=FileSystemLoader(str(templates_dir())), autoescape=True, trim_blocks=True,
                       lstrip_blocks=True)


def _results(results):
    if results is not None:
        return results
    from repro.cache import cached
    from repro.tables import TABLE_IDS, verify_tables

    return cached("tables-" + "-".join(TABLE_IDS), lambda: verify_tables(TABLE_IDS))


def render_pdf_html(context: dict) -> str:
    """One edition as the HTML WeasyPrint lays out: embedded DejaVu faces by a path relative to
    ``templates/`` (resolved against ``base_url``), without the browser-only parts."""
    return environment().get_template("pdf.html.j2").render(e=context)


def render_browser_html(contexts: list[dict]) -> str:
    """report.html: the editions one after another, each a ``<section lang>``, with the switch (template)."""
    return environment().get_template("report.html.j2").render(editions=contexts)


def render_html(lang: str, results=None, command: str = "repro report", for_pdf: bool = False) -> str:
    """One edition as standalone HTML (the PDF's, or the browser's with that edition alone)."""
    context = edition_context(lang, _results(results), command)
    return render_pdf_html(context) if for_pdf else render_browser_html([context])


def write_report(out_dir: str | Path, languages=LANGUAGES, pdf: bool = True, results=None,
                 command: str = "repro report", renderer: PdfRenderer | None = None,
                 while_rendering=None, durable: bool = True) -> list[Path]:
    """report.html (all editions, with a language switch), report.LANG.pdf and the figures as SVG per language.

    The PDFs are rendered in a renderer process and its forked workers (WeasyPrint's layout is
    single-threaded); nothing is written until every file is rendered. ``renderer``: one the caller
    started earlier (``PdfRenderer(len(languages))``, so that WeasyPrint imports while the caller
    verifies); it is closed here. ``while_rendering``: called once every PDF job is handed over and
    before their result is awaited (the artefact pipeline writes its tables then). ``durable=False``:
    no fsync per file (a folder deleted after use, see :func:`repro.atomic.write_atomic`).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    # WeasyPrint's import (~0.7 s: loading Pango and HarfBuzz, cffi declarations) runs in a renderer
    # process, started first, while this one loads the results and renders the HTML.
    if renderer is None and pdf:
        renderer = PdfRenderer(len(languages))
    try:
        results = _results(results)
        # each edition's content (and figures) is computed once and rendered twice, for the browser and
        # for the PDF; each PDF job leaves as soon as its HTML exists, so the first edition's layout starts
        # while the others are still being written
        drawn: dict[str, dict[str, str]] = {}
        contexts = []
        for lang in languages:
            drawn[lang] = figures(results, lang)
            contexts.append(edition_context(lang, results, command, drawn[lang]))
            if renderer:
                renderer.submit([(render_pdf_html(contexts[-1]), lang)])
        files: dict[str, str | bytes] = {"report.html": render_browser_html(contexts)}
        files.update({f"{FIGURE_FILES[key]}.{lang}.svg": svg for lang in languages for key, svg in drawn[lang].items()})
        if while_rendering is not None:
            while_rendering()
        if renderer:  # every file is rendered before the first is written: a failure leaves the folder as it was
            files.update({f"report.{lang}.pdf": data for lang, data in zip(languages, renderer.result())})
        for name, content in files.items():
            written.append(write_atomic(inside(out, name), content, durable=durable))
    finally:
        if renderer:
            renderer.close()
    return written
