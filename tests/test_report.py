"""The report: autoescape, every language's headings and key numbers in the PDF text (pypdf), PDF metadata,
bookmarks and running headers, no English in the kk/ru editions, byte-identical output across processes."""

import html as html_lib
import io
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from repro import datasets as ds
from repro.catalog import label, render
from repro.report import environment, render_html, write_report
from repro.tables import TABLE_IDS

ROOT = Path(__file__).resolve().parent.parent


def _flat(text: str) -> str:
    """Whitespace collapsed and ligatures (ﬁ) unfolded, as PDF text extraction returns them."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_autoescape_is_on_for_j2_templates():
    template = environment().from_string("{{ x }}")
    assert template.render(x="<b>") == "&lt;b&gt;"
    assert environment().autoescape is True


@pytest.fixture(scope="module")
def results():
    """The verification of every table (the same cached run the report uses)."""
    from repro.cache import cached
    from repro.tables import verify_tables

    return cached("tables-" + "-".join(TABLE_IDS), lambda: verify_tables(TABLE_IDS))


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    write_report(out)
    return out


def _reader(report_dir, lang):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO((report_dir / f"report.{lang}.pdf").read_bytes()))


@pytest.fixture(scope="module")
def page_texts(report_dir):
    """Each edition's page texts, extracted once (pypdf's extraction is the slow part of these tests)."""
    return {lang: [_flat(page.extract_text()) for page in _reader(report_dir, lang).pages] for lang in ("kk", "ru", "en")}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_pdf_has_every_table_heading_and_the_published_numbers(page_texts, lang):
    pages = page_texts[lang]
    assert all(pages), "a page renders empty"
    flat = " ".join(pages)
    for key in ["report.title", "ui.summary", "report.methods", "report.provenance"] + \
               [f"table.{t}.title" for t in TABLE_IDS]:
        assert _flat(label(key, lang))[:25] in flat, key
    for row in ds.table3():  # every printed W and p of Table 3, as printed
        assert row.W.text.strip() in flat and row.p.text.strip() in flat
    for row in ds.table2():
        for printed in row.cells.values():
            assert printed.text.replace(" ", "") in flat.replace(" ", "")


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_pdf_metadata_bookmarks_and_running_header(report_dir, page_texts, lang):
    reader = _reader(report_dir, lang)
    assert reader.metadata.title == label("report.title", lang)
    fonts = {f.get_object()["/BaseFont"] for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert all("Report-Sans" in name for name in fonts), fonts  # only the embedded faces, no system font
    assert reader.trailer["/Root"]["/Lang"] == lang
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    for table in TABLE_IDS:
        assert _flat(label(f"table.{table}.title", lang)) in [_flat(t) for t in titles], table
    for table in ("B2", "B3", "B4"):  # the running header names the paper and the table on its pages
        header = _flat(f"{render('report.paper', lang, {'paper': '004'})} — {label(f'table.{table}.title', lang)}")
        assert any(header in page for page in page_texts[lang]), table


def test_html_has_three_editions_a_switch_and_the_figures(report_dir):
    html = (report_dir / "report.html").read_text()
    for lang in ("kk", "ru", "en"):
        assert f'<section id="lang-{lang}" lang="{lang}">' in html and f'href="#lang-{lang}"' in html
        assert f'id="{lang}-B3"' in html  # the summary's links land inside the same edition
        for name in ("ladder", "table2_heatmap", "table3_mean_ranks"):
            svg = (report_dir / f"{name}.{lang}.svg").read_text()
            assert svg.startswith("<svg") and "<text" in svg  # text kept as text
    assert html.count("<svg") == 9
    assert "addEventListener('hashchange'" in html  # the switch (inline; without script all editions show)
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html
    # no path of this installation enters the bytes (a clone elsewhere must produce the same file)
    assert "file:" not in html and str(ROOT) not in html


# Latin-script words allowed in the kk and ru editions: symbols, names of methods, people and tools.
ALLOWED_LATIN = {
    "df", "AHP", "GRIM", "CORVIDS", "SPRITE", "DOI", "ICT", "Kendall", "Babington", "Smith", "irr", "kendall",
    "correct", "TRUE", "SOURCE", "DATE", "EPOCH", "repro", "English", "Manipulation", "Therapy", "Informing",
    "Consultation", "Placation", "Partnership", "Delegated", "Power", "Citizen", "Control", "HTML", "SPSS", "Delphi",
}


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_kk_and_ru_editions_contain_no_english_outside_the_listed_set(lang):
    body = render_html(lang).split("<body>", 1)[1]
    body = re.sub(r"<style.*?</style>", " ", body, flags=re.S)
    # printed source text (class "src"), file names, hashes and versions (class "mono") and code are exempt
    body = re.sub(r'<(\w+) class="(?:[\w ]* )?(?:src|mono)(?: [\w ]*)?">.*?</\1>', " ", body, flags=re.S)
    body = re.sub(r"<code>.*?</code>", " ", body, flags=re.S)
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", body))
    text = re.sub(r"«[^»]*»", " ", text)  # quotations of the papers
    words = set(re.findall(r"(?<![A-Za-z0-9])[A-Za-z]{2,}(?![A-Za-z0-9])", text))  # single letters are symbols
    assert words <= ALLOWED_LATIN, sorted(words - ALLOWED_LATIN)


@pytest.mark.slow
def test_bytes_are_identical_across_processes_and_clocks(tmp_path):
    script = "import sys; from repro.report import write_report; write_report(sys.argv[1], ('kk',))"
    outs = []
    for i, tz in enumerate(("UTC", "Asia/Almaty")):
        out = tmp_path / f"run{i}"
        env = dict(os.environ, TZ=tz, REPRO_SERIAL="1", REPRO_CACHE_DIR=str(tmp_path / "cache"))
        env.pop("SOURCE_DATE_EPOCH", None)
        env.pop("REPRO_NO_CACHE", None)
        subprocess.run([sys.executable, "-c", script, str(out)], cwd=ROOT, env=env, check=True)
        outs.append(out)
    for name in ("report.html", "report.kk.pdf", "ladder.kk.svg", "table2_heatmap.kk.svg"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_reasons_name_every_cell_that_is_not_reproduced_once(results):
    """The PDF's 'cells not reproduced' lists: every such cell in exactly one item, grouped only by an
    identical reason, and no reproduced cell (except in the prose listing, which has no grid)."""
    from repro.report import reasons_not_reproduced
    from repro.tables import cell_text, column_label, reason_text, row_display

    for t in results:
        shown = [{"row": row_display(t.id, c.row, "en"), "column": column_label(t.id, c.column, "en"),
                  "published": cell_text(c, "en"), "reason": reason_text(c, "en")} for c in t.cells]
        items = reasons_not_reproduced(t, shown, "en")
        expected = [c for c in t.cells if c.status != "reproduced"]
        assert sum(item["count"] for item in items) == len(expected), t.id
        assert all(item["status"] != "reproduced" for item in items)
        assert len({(i["status"], i["reason"]) for i in items}) == len(items)  # one item per distinct reason
        assert {(i["status"], i["reason"]) for i in items} == \
            {(c.status, s["reason"]) for c, s in zip(t.cells, shown) if c.status != "reproduced"}
        everything = reasons_not_reproduced(t, shown, "en", include_reproduced=True)
        assert sum(item["count"] for item in everything) == len(t.cells)
    b1 = next(t for t in results if t.id == "B1")  # 24 text cells, one reason: one item naming them
    shown = [{"row": c.row, "column": column_label("B1", c.column, "en"), "published": "", "reason": reason_text(c, "en")}
             for c in b1.cells]
    (item,) = reasons_not_reproduced(b1, shown, "en")
    assert item["count"] == len(b1.cells) and "rows 1–" in item["where"]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_pdf_gives_the_reason_of_every_cell_that_is_not_reproduced(page_texts, results, lang):
    from repro.tables import reason_text

    flat = " ".join(page_texts[lang]).replace(" ", "")
    for t in results:
        for c in t.cells:
            if c.status != "reproduced":
                assert _flat(reason_text(c, lang)).replace(" ", "")[:40] in flat, (t.id, c.row, c.column)


def test_html_keeps_every_cell_with_its_reason(report_dir, results):
    from repro.tables import reason_text

    html = html_lib.unescape((report_dir / "report.html").read_text())
    assert html.count("<details>") == 3 * len(TABLE_IDS)
    for t in results:
        for c in t.cells:
            assert reason_text(c, "ru") in html, (t.id, c.row, c.column)


@pytest.mark.slow
def test_a_failing_edition_leaves_the_folder_untouched(tmp_path, monkeypatch):
    """An error in a PDF worker (here: the ru edition, as a missing glyph would) reaches the caller as
    itself, and nothing is written: no report.html, no figure, no PDF."""
    from repro import report
    from repro.errors import ReproError

    real = report.render_pdf

    def failing(html, lang):
        if lang == "ru":
            raise ReproError("missing glyph in the ru edition: test")
        return real(html, lang)

    monkeypatch.setattr(report, "render_pdf", failing)  # the renderer is forked after this: it sees the patch
    monkeypatch.delenv("REPRO_SERIAL", raising=False)
    out = tmp_path / "out"
    with pytest.raises(ReproError, match="ru edition"):
        write_report(out)
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_summary_leads_with_the_computed_headlines(page_texts, results, lang):
    """The verification summary (first pages) states what the checks of Tables 2-4 and the prose found,
    rendered from the results: e.g. Table 3's rows that no dataset can produce."""
    from repro.report import headlines

    heads = headlines(results, lang)
    assert set(heads) == {"B2", "B3", "B4", "prose"}
    opening = " ".join(page_texts[lang][:3]).replace(" ", "")
    for sentences in heads.values():
        for sentence in sentences:
            assert _flat(sentence).replace(" ", "")[:60] in opening, sentence


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_running_header_names_the_section_at_the_top_of_each_page(report_dir, lang):
    """Reading each page's text with its position (pypdf): the header (top margin) names the section in
    effect where the page begins: the one whose heading opens the page, else the last heading before it."""
    sections = {_flat(label(f"table.{t}.title", lang)):
                _flat(" · ".join(render("report.paper", lang, {"paper": p}) for p in paper.split("+")) + " — "
                      + label(f"table.{t}.title", lang))
                for t, paper in (("A1", "000"), ("B1", "004"), ("B2", "004"), ("B3", "004"), ("B4", "004"),
                                 ("prose", "000+004"))}
    sections.update({_flat(label(key, lang)): _flat(label(key, lang))
                     for key in ("ui.summary", "report.inferences", "report.methods", "report.provenance")})
    reader = _reader(report_dir, lang)
    height = float(reader.pages[0].mediabox.height)
    in_effect, checked = None, 0
    for page in reader.pages[1:]:
        lines: list[tuple[float, str, float]] = []  # (y from the bottom, text, font size in pt)
        page.extract_text(visitor_text=lambda text, cm, tm, font, size: lines.append(
            (cm[5] + tm[5] * cm[3], _flat(text), size * abs(tm[3] * cm[3]))) if text.strip() else None)
        lines.sort(key=lambda line: -line[0])
        header = " ".join(text for y, text, _ in lines if y > height - 40)
        body = [(text, pt) for y, text, pt in lines if 40 < y <= height - 40]
        # section headings are the 12.5 pt h2s (the inferences repeat table titles as 10 pt h3s)
        # (a long title wraps: its first line is a prefix of it)
        headings = [next((sections[h] for h in sections
                          if pt > 12 and (text == h or (len(text) >= 12 and h.startswith(text)))), None)
                    for text, pt in body]
        top = headings[0] if headings else None
        assert header == (top or in_effect), (lang, reader.get_page_number(page) + 1, header)
        checked += 1
        in_effect = next((h for h in reversed(headings) if h), in_effect)
    assert checked == len(reader.pages) - 1
