"""The trilingual report: Jinja2 (autoescape on for every template) to HTML, WeasyPrint to PDF.

One PDF per language (``report.kk.pdf``, ``report.ru.pdf``, ``report.en.pdf``) and one standalone
``report.html`` holding the three editions with a switch between them. Dates come from
``SOURCE_DATE_EPOCH`` (default 0), never from the clock, so the bytes are reproducible.
"""

from __future__ import annotations

import os
import re
import time
from importlib import metadata
from pathlib import Path

from repro import __version__
from repro import datasets as ds
from repro.atomic import inside, write_atomic
from repro.catalog import LANGUAGES, label
from repro.numfmt import fmt_number
from repro.paths import templates_dir
from repro.tables import cell_text, column_label, finding_text, reason_text, row_label, verify_tables
from repro.verdict import STATUSES, count_statuses


def environment():
    from jinja2 import Environment, FileSystemLoader

    # select_autoescape() does not cover *.j2: autoescape is on for every template.
    return Environment(loader=FileSystemLoader(str(templates_dir())), autoescape=True)


def _created() -> str:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _versions() -> str:
    out = []
    for name in ("typer", "rich", "numpy", "scipy", "pandas", "jinja2", "weasyprint", "babel"):
        try:
            out.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join(out)


def render_html(lang: str, results=None) -> str:
    """One edition of the report as standalone HTML (inline CSS and SVG)."""
    from markupsafe import Markup

    from repro.ladder import ladder_svg, published_ladder_rows

    results = results or verify_tables()
    tables = []
    for t in results:
        cells = [{"row": c.row, "row_label": row_label(t.id, c.row, lang), "column": column_label(t.id, c.column, lang),
                  "published": cell_text(c, lang), "status": c.status, "reason": reason_text(c, lang),
                  "computed": fmt_number(c.reproduced, lang, c.decimals + 1) if isinstance(c.reproduced, float) else ""}
                 for c in t.cells]
        findings = [finding_text(f, lang) for f in t.findings]
        tables.append({"id": t.id, "title": label(f"table.{t.id}.title", lang), "cells": cells,
                       "summary": count_statuses(t.cells), "findings": findings})
    svg = ladder_svg(published_ladder_rows(), lambda kind, value: label(f"{kind}.{value}", lang), label("table.A1.title", lang),
                     label("finding.added_legend", lang))
    papers = [{"title": p["title_printed"], "authors": p["authors_printed"], "doi": p["doi_printed"]}
              for p in ds.papers().values()]
    fonts = templates_dir() / "fonts"
    template = environment().get_template("report.html.j2")
    return template.render(lang=lang, t=lambda key: label(key, lang), label=label, languages=LANGUAGES,
                           tables=tables, statuses=STATUSES, papers=papers, ladder_svg=Markup(svg),
                           hashes=ds.dataset_hashes(), version=__version__, versions=_versions(),
                           created=_created(), font_regular=(fonts / "DejaVuSans.ttf").as_uri(),
                           font_bold=(fonts / "DejaVuSans-Bold.ttf").as_uri())


def write_report(out_dir: str | Path, languages=LANGUAGES, pdf: bool = True) -> list[Path]:
    """report.html (all editions, with a language switch), report.LANG.pdf, ladder.LANG.svg."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    results = verify_tables()
    written = []
    editions = {lang: render_html(lang, results) for lang in languages}
    bodies = []
    for lang, html in editions.items():
        body = re.search(r"<body>(.*)</body>", html, re.S).group(1)
        bodies.append(f'<section id="lang-{lang}" lang="{lang}">{body}</section>')
    head = re.search(r"^(.*<body>)", next(iter(editions.values())), re.S).group(1)
    switch = "<style>section:not(:target){display:none}section:target{display:block}" \
             f"#lang-{next(iter(editions))}{{display:block}}</style>"
    combined = head.replace("</head>", switch + "</head>") + "".join(bodies) + "</body></html>"
    combined = re.sub(r'href="#" hreflang="(\w\w)"', r'href="#lang-\1" hreflang="\1"', combined)
    written.append(write_atomic(inside(out, "report.html"), combined))
    for lang in languages:
        svg = re.search(r"(<svg.*?</svg>)", editions[lang], re.S).group(1)
        written.append(write_atomic(inside(out, f"ladder.{lang}.svg"), svg))
        if pdf:
            written.append(write_atomic(inside(out, f"report.{lang}.pdf"), render_pdf(editions[lang], lang)))
    return written


def render_pdf(html: str, lang: str) -> bytes:
    """PDF bytes of one edition; a missing glyph (``.notdef``) is an error."""
    import logging

    from weasyprint import HTML

    from repro.errors import ReproError

    class NotdefGuard(logging.Handler):
        def __init__(self):
            super().__init__()
            self.hits = []

        def emit(self, record):
            if "notdef" in record.getMessage():
                self.hits.append(record.getMessage())

    guard = NotdefGuard()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(guard)
    try:
        pdf = HTML(string=html, base_url=str(templates_dir())).write_pdf()
    finally:
        logger.removeHandler(guard)
    if guard.hits:
        raise ReproError(f"missing glyph in the {lang} edition: {guard.hits[0]}")
    return pdf
