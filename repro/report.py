"""The trilingual report: Jinja2 (autoescape on for every template) to HTML, WeasyPrint to PDF.

One PDF per language (``report.kk.pdf``, ``report.ru.pdf``, ``report.en.pdf``) and one standalone
``report.html`` holding the three editions with a switch between them. Dates come from
``SOURCE_DATE_EPOCH`` (default 0), never from the clock, so the bytes are reproducible.
"""

from __future__ import annotations

import gc
import os
import re
import time
from functools import lru_cache
from itertools import takewhile
from importlib import metadata
from pathlib import Path

from repro import __version__
from repro import datasets as ds
from repro.atomic import inside, write_atomic
from repro.catalog import LANGUAGES, label, render
from repro.numfmt import fmt_number
from repro.paper004 import text_judgments_per_block
from repro.paths import templates_dir
from repro.labels import cell_view
from repro.tables import (TABLE_IDS, cell_text, column_label, finding_text, reason_text, row_display, row_label,
                          verify_tables)
from repro.verdict import STATUS_MARKS, STATUSES, count_statuses


@lru_cache(maxsize=1)
def environment():
    """The Jinja2 environment, built once per process (its template cache then compiles each template once)."""
    from jinja2 import Environment, FileSystemLoader

    # select_autoescape() does not cover *.j2: autoescape is on for every template.
    return Environment(loader=FileSystemLoader(str(templates_dir())), autoescape=True)


def _created() -> str:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


DEPENDENCIES = ("typer", "rich", "numpy", "scipy", "pandas", "jinja2", "weasyprint", "pydyf", "babel")


def dependency_versions() -> dict[str, str]:
    """Installed versions of the libraries whose output ends up in the artefacts."""
    out = {}
    for name in DEPENDENCIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def _versions() -> str:
    return ", ".join(f"{name} {version}" for name, version in dependency_versions().items())


def _compact(values) -> str:
    """[2, 3, 4, 7] -> '2–4, 7': integer lists as runs."""
    values = sorted(set(values))
    runs, start = [], None
    for i, v in enumerate(values):
        if start is None:
            start = v
        if i + 1 == len(values) or values[i + 1] != v + 1:
            runs.append(str(start) if start == v else f"{start}–{v}")
            start = None
    return ", ".join(runs)


def _figures(results, lang: str) -> dict[str, str]:
    """The SVG figures of one edition: ladder (A1), heat map (B2), mean ranks with W and p (B3)."""
    from repro.figures import HeatCell, RankRow, heatmap_svg, mean_ranks_svg
    from repro.ladder import ladder_svg, published_ladder_rows

    by_id = {t.id: t for t in results}
    out = {"A1": ladder_svg(published_ladder_rows(), lambda kind, value: label(f"{kind}.{value}", lang),
                            label("table.A1.title", lang), label("finding.added_legend", lang))}
    if "B2" in by_id:
        from repro.datasets import TABLE2_BLOCKS, TABLE2_TOTAL

        columns = list(TABLE2_BLOCKS) + [TABLE2_TOTAL]
        cells = {(c.row, c.column): c for c in by_id["B2"].cells}
        # the respondent rows: those before the blank line that precedes the summary rows
        body = list(takewhile(lambda r: not r.gap_before, ds.table2()))
        grid = [[HeatCell(float(cells[(str(r.row), col)].value), cell_text(cells[(str(r.row), col)], lang),
                          cells[(str(r.row), col)].status) for col in columns] for r in body]
        out["B2"] = heatmap_svg([str(r.row) for r in body], [column_label("B2", c, lang) for c in columns], grid,
                                label("report.figure_heatmap", lang), label("report.legend_inconsistent", lang))
    if "B3" in by_id:
        worst = {}
        order = {s: i for i, s in enumerate(("reproduced", "within_rounding", "not_checkable", "inconsistent"))}
        for c in by_id["B3"].cells:
            if c.status in order and order[c.status] > order.get(worst.get(c.row), -1):
                worst[c.row] = c.status
        rows = [RankRow(row_label("B3", str(r.row), lang) or r.indicator, [float(x.value) for x in r.ranks],
                        f"W = {r.W.text}; p = {r.p.text}{r.p.marks}", worst.get(str(r.row), "reproduced"))
                for r in ds.table3()]
        out["B3"] = mean_ranks_svg(rows, [column_label("B3", f"rank_{j}", lang) for j in (1, 2, 3)],
                                   label("report.figure_ranks", lang), label("report.legend_inconsistent", lang))
    return out


def _inferences(results, lang: str) -> dict:
    """The inferences of Tables 2-4 as rows for the report (numbers per locale via Babel)."""
    by_id = {t.id: t for t in results}
    out: dict = {}
    if "B2" in by_id:
        x = by_id["B2"].extra
        out["B2"] = [{"block": column_label("B2", b, lang), "text_n": x["text_n"].get(b, "—"),
                      "smallest": x["smallest_feasible_n"].get(b, "—"),
                      "counts": ", ".join(str(k) for k in x["counts"].get(b, [])),
                      "unique": label("ui.unique" if x["counts_unique"].get(b) else "ui.not_unique", lang)
                      if b in x["counts_unique"] else ""}
                     for b in x["smallest_feasible_n"]]
    if "B3" in by_id:
        x = by_id["B3"].extra
        rows = []
        for r in x["rows"]:
            closest = r["closest"]
            rows.append({
                "row": r["row"], "label": row_label("B3", str(r["row"]), lang),
                "rank_sum": fmt_number(r["rank_sum"], lang, 2), "rank_sum_ok": r["rank_sum_ok"],
                "granular": _compact(r["granular_m"]) or label("ui.none", lang),
                "feasible": _compact(r["feasible_m"]) or label("ui.none", lang),
                "datasets": f"{r['datasets']} (m = {_compact(r['solution_m'])})" if r["datasets"] else label("ui.none", lang),
                "closest": "" if not closest else "; ".join(
                    [f"m = {closest['m']}"] + [fmt_number(v, lang, 3) for v in closest["statistics"]]),
                "example": "; ".join("(" + ", ".join(fmt_number(v, lang, 1) for v in ranking) + ")"
                                     for ranking in (r["example"] or [])),
            })
        out["B3"] = rows
        out["B3_shared"] = _b3_shared(x, lang)
    if "B4" in by_id:
        out["B4_shared"] = _b4_shared(by_id["B4"].extra, lang)
    return out


def _b3_shared(extra: dict, lang: str) -> str:
    """Table 3: how many rows agree at the one m that fits most rows."""
    return render("report.b3_shared", lang, {"m": extra["shared_m"], "n": extra["rows_consistent_at_shared_m"],
                                            "total": len(extra["rows"])})


def _b4_shared(extra: dict, lang: str) -> str:
    """Table 4: the (m, k) that makes most W/p pairs agree, and the k the text names."""
    mk = extra["shared_mk"] or ("—", "—")
    return render("report.b4_shared", lang, {"m": mk[0], "k": mk[1], "n": extra["cells_consistent_at_shared_mk"],
                                            "total": len(extra["feasible_mk"]), "text_k": extra["text_k"]})


def headlines(results, lang: str) -> dict[str, list[str]]:
    """One or two computed sentences per numeric table for the summary: what the checks found, from the
    verification's own results (nothing here is written in advance)."""
    from repro.audit import M_RANGE

    by_id = {t.id: t for t in results}
    out: dict[str, list[str]] = {}
    if "B2" in by_id:
        t = by_id["B2"]
        x = t.extra
        blocks = [c for c in t.cells if c.column in x["smallest_feasible_n"] and c.row.isdigit()
                  and c.reason.key in ("reason.share_misfit", "reason.share_fits")]
        out["B2"] = [render("report.headline.B2", lang, {
            "bad": sum(c.status == "inconsistent" for c in blocks), "cells": len(blocks),
            "text_n": ", ".join(f"{column_label('B2', b, lang)} {n}" for b, n in x["text_n"].items()),
            "smallest": ", ".join(f"{column_label('B2', b, lang)} {x['smallest_feasible_n'][b]}" for b in x["text_n"])})]
    if "B3" in by_id:
        x = by_id["B3"].extra
        rows = x["rows"]
        out["B3"] = [render("report.headline.B3", lang, {
            "impossible": sum(not r["datasets"] for r in rows), "rows": len(rows),
            "lo": M_RANGE.start, "hi": M_RANGE.stop - 1, "bad_sum": sum(not r["rank_sum_ok"] for r in rows),
            "errors": sum(bool(r["decision_error"]) for r in rows)}), _b3_shared(x, lang)]
    if "B4" in by_id:
        out["B4"] = [_b4_shared(by_id["B4"].extra, lang)]
    if "prose" in by_id:
        cells = by_id["prose"].cells
        out["prose"] = [render("report.headline.prose", lang, {
            "bad": sum(c.status == "inconsistent" for c in cells), "total": len(cells)})]
    return out


def _grid(result, cells: list[dict]) -> dict:
    """The table in its printed shape: one line per printed row, each cell published over computed."""
    by_key = {(c.row, c.column): shown for c, shown in zip(result.cells, cells)}
    columns = [col for col in result.columns if any(key[1] == col for key in by_key)]
    rows = list(dict.fromkeys(c.row for c in result.cells))
    grid = {"columns": [next(shown["column"] for (r, col), shown in by_key.items() if col == column)
                        for column in columns],
            "rows": [{"label": next(shown["row"] for (r, _), shown in by_key.items() if r == row),
                      "cells": [by_key.get((row, column)) for column in columns]} for row in rows]}
    grid["widths"] = _column_widths([[r["label"] for r in grid["rows"]]] +
                                    [[(r["cells"][j] or {}).get("published", "") for r in grid["rows"]]
                                     for j in range(len(columns))])
    return grid


def _column_widths(columns: list[list[str]]) -> list[float]:
    """Percent widths for a fixed table layout: each column after the square root of its longest text
    (clamped to 3..40 characters), so long definitions get room and a column of numbers stays narrow.
    A fixed layout spares WeasyPrint measuring every cell twice (auto layout's min/max content widths)."""
    weights = [min(max(max((len(text) for text in texts), default=0), 3), 40) ** 0.5 for texts in columns]
    return [round(100 * w / sum(weights), 1) for w in weights]


def _cells_named(members: list[tuple], lang: str) -> str:
    """Where a group of cells stands: per column, its rows run together ('Level: rows 1–3, 8');
    rows that are not numbered (the prose figures) by their place and printed figure."""
    by_column: dict[str, list] = {}
    for cell, shown in members:
        by_column.setdefault(shown["column"], []).append((cell, shown))
    parts = []
    for column, group in by_column.items():
        if all(cell.row.isdigit() for cell, _ in group):
            parts.append(f"{column}: {label('report.rows', lang)} {_compact(int(cell.row) for cell, _ in group)}")
        else:
            parts.extend(f"{column} «{shown['published']}»" for _, shown in group)
    return "; ".join(parts)


def reasons_not_reproduced(result, cells: list[dict], lang: str, include_reproduced: bool = False) -> list[dict]:
    """The cells whose status is not "reproduced" (all cells with ``include_reproduced``), one item per
    distinct (status, reason) in table order.

    Cells sharing a reason word for word (every text cell of Table 1, the paper's own columns of the
    ladder) become one item that names them all, so a reader sees each distinct reason once.
    """
    groups: dict[tuple[str, str], list] = {}
    for cell, shown in zip(result.cells, cells):
        if include_reproduced or cell.status != "reproduced":
            groups.setdefault((cell.status, shown["reason"]), []).append((cell, shown))
    items = []
    for (status, reason), members in groups.items():
        cell, shown = members[0]
        quote = ""
        if len(members) > 1:
            where, published = _cells_named(members, lang), ""
        elif result.id == "prose":  # its place, the printed figure and the sentence it stands in
            where, published, quote = shown["column"], shown["published"], shown["row"]
        else:
            where, published = f"{shown['row']} · {shown['column']}", shown["published"]
        items.append({"status": status, "where": where, "published": published, "quote": quote,
                      "reason": reason, "count": len(members)})
    return items


def render_html(lang: str, results=None, command: str = "repro report", for_pdf: bool = False,
                figures: dict[str, str] | None = None) -> str:
    """One edition of the report as standalone HTML (inline CSS and SVG); see render_edition."""
    return render_edition(edition_context(lang, results, command, figures), for_pdf)


def render_edition(context: dict, for_pdf: bool = False) -> str:
    """The template filled with one edition's context.

    ``for_pdf`` adds the embedded DejaVu faces by a path relative to ``templates/`` (WeasyPrint
    resolves it against ``base_url``) and leaves out what only a browser shows (the folded cell-by-cell
    tables, the prose listing); the HTML for readers names the same family and lets the browser use its
    own copy, so no absolute path of the installation enters the bytes.
    """
    return environment().get_template("report.html.j2").render(**context, embed_fonts=for_pdf, for_pdf=for_pdf)


def edition_context(lang: str, results=None, command: str = "repro report",
                    figures: dict[str, str] | None = None) -> dict:
    """Everything one language's edition shows, computed once for its HTML and its PDF."""
    from markupsafe import Markup

    results = results or verify_tables()
    papers_meta = ds.papers()
    tables = []
    heads = headlines(results, lang)
    for t in results:
        cells = [cell_view(t.id, c, lang).as_dict() for c in t.cells]
        # the substantive findings lead the report (summary); each table's section keeps its printing oddities
        oddities = [finding_text(f, lang) for f in t.findings if f["kind"].startswith("oddity.")]
        key_findings = [finding_text(f, lang) for f in t.findings if not f["kind"].startswith("oddity.")]
        grid = _grid(t, cells) if t.id != "prose" else None
        papers = t.paper.split("+")
        running = " · ".join(render("report.paper", lang, {"paper": p}) for p in papers)
        tables.append({"id": t.id, "title": label(f"table.{t.id}.title", lang), "cells": cells,
                       "summary": count_statuses(t.cells), "oddities": oddities,
                       "key_findings": heads.get(t.id, []) + key_findings,
                       "numeric": any(cell["computed"] for cell in cells), "grid": grid,
                       # a table without a grid (the prose figures) lists every cell with its reason
                       "reasons": reasons_not_reproduced(t, cells, lang, include_reproduced=grid is None),
                       "running": f"{running} — {label(f'table.{t.id}.title', lang)}"})
    totals = {s: sum(tb["summary"][s] for tb in tables) for s in STATUSES}
    figures = {key: Markup(svg) for key, svg in (figures or _figures(results, lang)).items()}
    papers = [{"id": key, "title": p["title_printed"], "authors": p["authors_printed"], "doi": p["doi_printed"],
               "journal": p["journal_printed"], "language": p["language"]} for key, p in papers_meta.items()]
    return dict(lang=lang, t=lambda key: label(key, lang), label=label, languages=LANGUAGES,
                tables=tables, totals=totals, statuses=STATUSES, marks=STATUS_MARKS, papers=papers, figures=figures,
                inferences=_inferences(results, lang), render=lambda key, **kw: render(key, lang, kw),
                weights=", ".join(f"{block} {n}" for block, n in text_judgments_per_block().items()),
                hashes=ds.dataset_hashes(), version=__version__, versions=_versions(), command=command,
                created=_created())


FIGURE_FILES = {"A1": "ladder", "B2": "table2_heatmap", "B3": "table3_mean_ranks"}


def write_report(out_dir: str | Path, languages=LANGUAGES, pdf: bool = True, results=None,
                 command: str = "repro report") -> list[Path]:
    """report.html (all editions, with a language switch), report.LANG.pdf and the figures as SVG per language.

    The PDFs are rendered in parallel worker processes (WeasyPrint's layout is single-threaded); nothing
    is written until every file is rendered.
    """
    from repro.cache import cached

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    written = []
    # WeasyPrint's import (~0.7 s: loading Pango and HarfBuzz, cffi declarations) runs in a renderer
    # process, started first, while this one loads the results and renders the HTML; the renderer then
    # lays out each edition in a forked worker (see PdfRenderer).
    renderer = PdfRenderer(len(languages)) if pdf else None
    try:
        if results is None:
            results = cached("tables-" + "-".join(TABLE_IDS), lambda: verify_tables(TABLE_IDS))
        figures = {lang: _figures(results, lang) for lang in languages}  # drawn once per language
        # each edition's content is computed once and rendered twice: for the browser and for the PDF
        contexts = {lang: edition_context(lang, results, command, figures[lang]) for lang in languages}
        editions = {lang: render_edition(contexts[lang]) for lang in languages}
        if renderer:
            renderer.submit([(render_edition(contexts[lang], for_pdf=True), lang) for lang in languages])
        files = {"report.html": _combined_html(editions)}
        files.update({f"{FIGURE_FILES[key]}.{lang}.svg": svg for lang in languages for key, svg in figures[lang].items()})
        if renderer:  # every file is rendered before the first is written: a failure leaves the folder as it was
            files.update({f"report.{lang}.pdf": data for lang, data in zip(languages, renderer.result())})
        for name, content in files.items():
            written.append(write_atomic(inside(out, name), content))
    finally:
        if renderer:
            renderer.close()
    return written


def _combined_html(editions: dict[str, str]) -> str:
    """report.html: the editions one after another, each a <section lang>, and a switch between them."""
    bodies = []
    for lang, html in editions.items():
        body = re.search(r"<body>(.*)</body>", html, re.S).group(1)
        bodies.append(f'<section id="lang-{lang}" lang="{lang}">{body}</section>')
    head = re.search(r"^(.*<body>)", next(iter(editions.values())), re.S).group(1)
    # The switch: a few lines of inline script show the edition named by the address's fragment
    # (#lang-ru, or an anchor inside it such as #ru-B3) and hide the others; without script all
    # three editions simply stand one after another. No network, nothing outside the file.
    default = next(iter(editions))
    switch = ("<script>(function(){function show(){var h=location.hash.slice(1);"
              "var m=h.match(/^(?:lang-)?(kk|ru|en)\\b/);var lang=m?m[1]:'" + default + "';"
              "document.querySelectorAll('body>section').forEach(function(s){s.hidden=s.lang!==lang;});"
              "var el=h&&document.getElementById(h);if(el)el.scrollIntoView();}"
              "window.addEventListener('hashchange',show);document.addEventListener('DOMContentLoaded',show);})();"
              "</script>")
    combined = head.replace("</head>", switch + "</head>") + "".join(bodies) + "</body></html>"
    return re.sub(r'href="#" hreflang="(\w\w)"', r'href="#lang-\1" hreflang="\1"', combined)


class PdfRenderer:
    """Renders editions to PDF bytes, overlapping WeasyPrint's import with the caller's own work.

    On a machine with more than one CPU (and fork), a renderer process starts at once and imports
    WeasyPrint while the caller renders the HTML; ``submit`` hands it the (html, lang) jobs, and it
    renders the first itself and each further one in a worker forked from it (WeasyPrint's layout is
    single-threaded and takes about a second per edition). With one CPU, without fork, or with
    ``REPRO_SERIAL=1``, everything runs in this process. ``result`` returns the PDFs in job order and
    re-raises a worker's error (a missing glyph is a ReproError).
    """

    def __init__(self, jobs_expected: int):
        import multiprocessing

        self._jobs = None
        self._process = None
        # even one edition gains: WeasyPrint's import overlaps the HTML rendering
        serial = (os.cpu_count() or 1) < 2 or os.environ.get("REPRO_SERIAL") or jobs_expected < 1 \
            or "fork" not in multiprocessing.get_all_start_methods()
        if not serial:
            context = multiprocessing.get_context("fork")
            self._conn, child = context.Pipe()
            self._process = context.Process(target=_renderer_main, args=(child,), name="repro-pdf")
            self._process.start()
            child.close()

    def submit(self, jobs: list[tuple[str, str]]) -> None:
        if self._process is None:
            self._jobs = jobs
        else:
            self._conn.send(jobs)

    def result(self) -> list[bytes]:
        if self._process is None:
            return [render_pdf(*job) for job in self._jobs]
        try:
            outcome, payload = self._conn.recv()
        except EOFError:
            raise RuntimeError("the PDF renderer process ended without a result") from None
        if outcome == "error":
            raise payload
        return payload

    def close(self) -> None:
        if self._process is not None:
            if self._process.is_alive() and not self._conn.closed:
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


def _renderer_main(conn) -> None:
    """The renderer process: import WeasyPrint, wait for jobs, render them (see PdfRenderer).

    It lives a few seconds: the cyclic garbage collector stays off in it and its workers (see render_pdf).
    """
    gc.disable()
    try:
        import weasyprint  # noqa: F401 - imported once here, shared by the workers forked below

        jobs = conn.recv()
        if jobs is None:
            return
        if len(jobs) == 1:
            conn.send(("ok", [render_pdf(*jobs[0])]))
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=len(jobs) - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            rest = pool.map(_render_pdf_job, jobs[1:])
            first = render_pdf(*jobs[0])
            conn.send(("ok", [first, *rest]))
    except BaseException as exc:  # handed to the caller, who raises it
        for payload in (exc, RuntimeError(f"PDF rendering failed: {type(exc).__name__}: {exc}")):
            try:  # the exception itself, or its text when it cannot be pickled
                conn.send(("error", payload))
                break
            except Exception:  # the caller has gone (interrupted): nothing to report to
                continue
    finally:
        conn.close()


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
    # The cyclic garbage collector is paused while an edition renders: WeasyPrint allocates millions of
    # short-lived objects without cycles to speak of, and the collector's passes over them cost 10-25 %
    # of the time (measured); the edition's peak memory grows by about 35 MB. Reference counting still
    # frees everything, and the collector resumes afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        # fonts are subset (full_fonts would save 0.4 s but makes text extraction 7x slower for readers and tests)
        pdf = HTML(string=html, base_url=str(templates_dir())).write_pdf()
    finally:
        if collecting:
            gc.enable()
        logger.removeHandler(guard)
    if guard.hits:
        raise ReproError(f"missing glyph in the {lang} edition: {guard.hits[0]}")
    return pdf
