"""The report: autoescape, every language's headings and key numbers in the PDF text (pypdf), PDF metadata,
bookmarks and running headers, no English in the kk/ru editions, byte-identical output across processes."""

import html as html_lib
import io
import os
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from repro import datasets as ds
from repro.catalog import label, render
from repro.edition import table_name
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
def test_pdf_metadata_bookmarks_and_running_header(report_dir, page_texts, results, lang):
    reader = _reader(report_dir, lang)
    assert reader.metadata.title == label("report.title", lang)
    fonts = {f.get_object()["/BaseFont"] for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert all("Report-Sans" in name for name in fonts), fonts  # only the embedded faces, no system font
    assert reader.trailer["/Root"]["/Lang"] == lang
    titles = [_flat(item.title) for item in reader.outline if not isinstance(item, list)]
    for t in results:  # every bookmark of a table names its paper: never two bare "Table 1"s
        if t.id not in ("B1", "prose"):
            assert _flat(table_name(t, lang)) in titles, t.id
    assert len(titles) == len(set(titles)), titles
    for table in ("B2", "B3", "B4"):  # the running header names the paper and the table on its pages
        header = _flat(table_name(next(t for t in results if t.id == table), lang))
        assert any(header in page for page in page_texts[lang]), table


def test_html_has_three_editions_a_switch_and_the_figures(report_dir):
    html = (report_dir / "report.html").read_text()
    for lang in ("kk", "ru", "en"):
        assert f'<section class="edition" id="lang-{lang}" lang="{lang}">' in html and f'href="#lang-{lang}"' in html
        assert f'id="{lang}-B3"' in html  # the summary's links land inside the same edition
        for name in ("ladder", "table2_heatmap", "table3_mean_ranks", "table4_w_p"):
            svg = (report_dir / f"{name}.{lang}.svg").read_text()
            assert svg.startswith("<svg") and "<text" in svg  # text kept as text
    assert html.count("<svg") == 12
    assert "addEventListener('hashchange'" in html  # the switch (inline; without script all editions show)
    assert "navigator.languages" in html and "document.title" in html and "documentElement.lang" in html
    # nothing is loaded from the network (links to DOIs are links, not resources)
    assert not re.search(r'(src|href)="http(?!s://doi\.org/)|url\(\s*["\']?http', html)
    # no path of this installation enters the bytes (a clone elsewhere must produce the same file)
    assert "file:" not in html and str(ROOT) not in html


# Latin-script words allowed in the kk and ru editions: symbols, names of a method, the tool and Arnstein's
# rung names (marked «англ.» / «ағылш.»). No unexplained jargon (SOURCE_DATE_EPOCH, CORVIDS, R code).
ALLOWED_LATIN = {
    "GRIM", "DOI", "ICT", "repro", "English", "Manipulation", "Therapy", "Informing", "Consultation",
    "Placation", "Partnership", "Delegated", "Power", "Citizen", "Control", "SHA", "Python", "Smart", "City",
    "Delphi", "Digital", "Kazakhstan", "SPSS",  # as the papers print them; a statistics package
}


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_kk_and_ru_editions_contain_no_english_outside_the_listed_set(lang):
    body = render_html(lang, for_pdf=True).split("<body>", 1)[1]
    body = re.sub(r"<style.*?</style>", " ", body, flags=re.S)
    # text marked as another language (the papers' quotations and titles, references, Arnstein's names)
    body = re.sub(r'<(\w+)[^>]*\blang="(?!' + lang + r'")[\w-]+"[^>]*>.*?</\1>', " ", body, flags=re.S)
    # printed source text (class "src"), file names, hashes and versions (class "mono") and code are exempt
    body = re.sub(r'<(\w+) class="(?:[\w ]* )?(?:src|mono)(?: [\w ]*)?"[^>]*>.*?</\1>', " ", body, flags=re.S)
    body = re.sub(r"<code>.*?</code>|<q[ >].*?</q>", " ", body, flags=re.S)  # code; quotations of the papers
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
    for name in ("report.html", "report.kk.pdf", "ladder.kk.svg", "table2_heatmap.kk.svg", "table4_w_p.kk.svg"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_reasons_name_every_cell_that_is_not_reproduced_once(results):
    """The appendix's compact reason tables: every cell not reproduced in exactly one group (one reason kind:
    catalog key, status, severity), no reproduced cell; a reason shared word for word by many cells is one
    row naming them all."""
    from repro.edition import reason_groups

    for t in results:
        groups = reason_groups(t, "en")
        expected = [c for c in t.cells if c.status != "reproduced"]
        assert sum(g["count"] for g in groups) == len(expected), t.id
        assert all(g["status"] != "reproduced" for g in groups)
        keys = [(g["status"], g["severity"], g["key"]) for g in groups]
        assert len(keys) == len(set(keys))  # one group per reason kind
        assert {k[2] for k in keys} == {c.reason.key for c in expected}
    b1 = next(t for t in results if t.id == "B1")  # 24 text cells, one reason: one row naming them
    (group,) = reason_groups(b1, "en")
    assert group["count"] == len(b1.cells) and len(group["rows"]) == 1 and "rows 1–" in group["rows"][0]["where"]


def test_pairs_by_verdict_name_every_pair_once(results):
    """The PDF appendix's Table 4: the 21 W–p pairs grouped by verdict (status, severity), gravest first; every
    pair in exactly one group under its row, a pair no (m, k) reconciles marked "(—)"."""
    from repro.edition import pair_groups, wp_pairs

    b4 = next(t for t in results if t.id == "B4")
    pairs = wp_pairs(b4, "en")
    groups = pair_groups(pairs)
    assert sum(g["count"] for g in groups) == len(pairs) == 21
    assert len({(g["status"], g["severity"]) for g in groups}) == len(groups)
    named = [(r["row"], d) for g in groups for r in g["rows"] for d in r["dims"]]
    assert sorted(named) == sorted((p["row"], p["dim"] + (" (—)" if p["none"] else "")) for p in pairs)
    for g in groups:
        assert all((p["status"], p["severity"]) == (g["status"], g["severity"])
                   for p in pairs for r in g["rows"] if p["row"] == r["row"]
                   for d in r["dims"] if d.startswith(p["dim"]) and d.removeprefix(p["dim"]) in ("", " (—)"))
    assert groups[0]["status"] == "inconsistent" and groups[-1]["status"] == "reproduced"


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_pdf_gives_the_reason_of_every_cell_that_is_not_reproduced(page_texts, results, lang):
    """Each reason kind is stated in the PDF's appendix, and each cell not reproduced is listed by its
    place with its printed value (the full per-cell reasons are in the HTML and the JSON)."""
    from repro.edition import reason_groups, wp_pairs

    def bare(text):  # spaces and hyphens out: WeasyPrint hyphenates ru and en at line ends
        return re.sub(r"[\s\-\u00ad‐]", "", _flat(text))

    flat = bare(" ".join(page_texts[lang]))
    for t in results:
        if t.id == "B4":
            for pair in wp_pairs(t, lang):
                assert bare(pair["dim"]) in flat
                assert bare(pair["W"]) in flat and bare(pair["p"]) in flat
            continue
        for g in reason_groups(t, lang):
            assert bare(g["reason"])[:40] in flat, (t.id, g["key"])


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

    from repro import pdf

    real = pdf.render_pdf

    def failing(html, lang):
        if lang == "ru":
            raise ReproError("missing glyph in the ru edition: test")
        return real(html, lang)

    monkeypatch.setattr(pdf, "render_pdf", failing)  # the renderer is forked after this: it sees the patch
    monkeypatch.delenv("REPRO_SERIAL", raising=False)
    out = tmp_path / "out"
    with pytest.raises(ReproError, match="ru edition"):
        write_report(out)
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_summary_leads_with_the_computed_headlines(page_texts, results, lang):
    """The verdict page (first pages) states what the checks of Tables 2-4 found, rendered from the results:
    e.g. Table 3's rows that no dataset can produce."""
    from repro.edition import headlines

    heads = headlines(results, lang)
    # the prose numbers: one sentence per paper, never a count over both (#13 item 2)
    assert set(heads) == {"B2", "B3", "B4", "prose.000", "prose.004"}
    opening = " ".join(page_texts[lang][:2]).replace(" ", "")
    for table in ("B2", "B3", "B4"):
        for sentence in heads[table]:
            assert _flat(sentence).replace(" ", "")[:60] in opening, sentence


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_running_header_names_the_section_at_the_top_of_each_page(report_dir, lang):
    """Reading each page's text with its position (pypdf): the header (top margin) names the section in
    effect where the page begins: the one whose heading opens the page, else the last heading before it."""
    from repro.tables import verify_tables

    sections = {_flat(table_name(t, lang)): _flat(table_name(t, lang)) for t in verify_tables(("A1", "B2", "B3", "B4"))}
    sections.update({_flat(label(key, lang)): _flat(label(key, lang))
                     for key in ("ui.summary", "report.appendix")})
    for paper in ("000", "004"):  # "Verdict: Paper 004" runs as "Verdict"
        sections[_flat(label("report.verdict", lang) + ": " + render("report.paper", lang, {"paper": paper}))] = \
            _flat(label("report.verdict", lang))
    reader = _reader(report_dir, lang)
    height = float(reader.pages[0].mediabox.height)
    width = float(reader.pages[0].mediabox.width)
    suffix = _flat(render("report.continued", lang, {"caption": ""}))
    in_effect, checked, continued = None, 0, []
    for number, page in enumerate(reader.pages):
        lines: list[tuple[float, str, float, float]] = []  # (y from the bottom, text, font size in pt, x)
        page.extract_text(visitor_text=lambda text, cm, tm, font, size: lines.append(
            (cm[5] + tm[5] * cm[3], _flat(text), size * abs(tm[3] * cm[3]), cm[4] + tm[4] * cm[0]))
            if text.strip() else None)
        lines.sort(key=lambda line: (-line[0], line[3]))
        # the centre names the section; the right corner names a table that goes on from the page before
        header = " ".join(text for y, text, _, x in lines if y > height - 40 and x < width / 2)
        corner = _flat(" ".join(text for y, text, _, x in lines if y > height - 40 and x >= width / 2))
        if corner:
            assert corner.endswith(suffix), (lang, number + 1, corner)
            continued.append(corner)
        body = [(text, pt) for y, text, pt, _ in lines if 40 < y <= height - 40]
        # section headings are the 12.5 pt h2s (the inferences repeat table titles as 10 pt h3s)
        # (a long title wraps: its first line is a prefix of it)
        headings = [next((sections[h] for h in sections
                          if pt > 12 and (text == h or (len(text) >= 12 and h.startswith(text)))), None)
                    for text, pt in body]
        top = headings[0] if headings else None
        if number:  # the first page has no header
            assert header == (top or in_effect), (lang, number + 1, header)
            checked += 1
        in_effect = next((h for h in reversed(headings) if h), in_effect)
    assert checked == len(reader.pages) - 1
    # some table goes on over a page break in every edition (which one depends on the layout: Table 4's 21
    # W–p pairs did until the reason tables became one row per reason); each such page names that table
    names = {_flat(render("report.continued", lang, {"caption": caption}))
             for caption in [table_name(t, lang) for t in verify_tables(TABLE_IDS)] + ["SHA-256"]}
    assert continued and set(continued) <= names, (lang, continued)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_pdf_is_tagged_with_a_structure_tree(report_dir, lang):
    """PDF/UA-1: /MarkInfo /Marked true, a StructTreeRoot whose tree holds headings, tables with header
    cells (TH) and figures; read through pypdf."""
    reader = _reader(report_dir, lang)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    tags = Counter()

    def walk(node, depth=0):
        node = node.get_object()
        if isinstance(node, dict):
            if "/S" in node:
                tags[str(node["/S"])] += 1
            kids = node.get("/K")
            if kids is not None:
                for kid in (kids if isinstance(kids, list) else [kids]):
                    if depth < 60:
                        walk(kid, depth + 1)
        elif isinstance(node, list):
            for kid in node:
                walk(kid, depth + 1)

    walk(root["/StructTreeRoot"])
    for tag in ("/H1", "/H2", "/Table", "/TH", "/TD", "/Figure", "/P"):
        assert tags[tag] > 0, (tag, dict(tags))


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_first_page_is_the_verdict_with_identity_and_no_1970_date(page_texts, lang):
    """Page 1 opens with each paper's verdict: its name, title, authors / 'not printed', the findings'
    severity and the recommendation; the date is the datasets', never 1970-01-01."""
    first = page_texts[lang][0]
    for paper in ("000", "004"):
        assert _flat(label("report.verdict", lang) + ": " + render("report.paper", lang, {"paper": paper})) in first
    assert _flat(label("report.not_printed", lang)) in first
    assert _flat(label("report.recommendation", lang)) in first
    assert "1970" not in first and "2026-11-23" in first


def test_the_date_comes_from_data_and_a_bad_epoch_names_the_variable(monkeypatch):
    from repro.errors import ReproError
    from repro.provenance import report_date

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert report_date() == "2026-11-23T05:26:02Z"  # datasets/datapackage.json "created"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # the old default: not a date anyone means
    assert report_date() == "2026-11-23T05:26:02Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert report_date() == "2026-01-01T00:00:00Z"
    for bad in ("abc", "99999999999999999999", "-5"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", bad)
        with pytest.raises(ReproError, match="SOURCE_DATE_EPOCH"):
            report_date()


def test_counts_never_add_two_papers_and_count_a_w_p_pair_once(results):
    from repro.edition import counts, table_counts

    blocks = counts(results, "en")
    assert [b["paper"] for b in blocks] == ["Paper 000", "Paper 004"]
    b4 = next(t for t in results if t.id == "B4")
    assert table_counts(b4)["total"] == len(ds.table4())  # 21 pairs, not 42 cells
    b3 = next(t for t in results if t.id == "B3")
    assert table_counts(b3)["total"] == len(ds.table3())  # rows
    for block in blocks:
        ids = [r["id"] for r in block["rows"]]
        assert len(ids) == len(set(ids))


def test_plural_forms_follow_each_language():
    from repro.edition import plural

    assert [plural("report.unit.rows", "ru", n) for n in (1, 2, 5, 21)] == ["1 строка", "2 строки", "5 строк", "21 строка"]
    assert [plural("report.unit.rows", "en", n) for n in (1, 2)] == ["1 row", "2 rows"]
    assert plural("report.unit.rows", "kk", 2) == "2 жол"


def test_numbers_are_typeset():
    from repro.numfmt import fmt_bounded, fmt_number

    assert fmt_number(4.218e-15, "ru") == "4,2·10⁻¹⁵"
    assert fmt_bounded(4.218e-15, "ru", 4) == "<\u00a00,0001"
    assert fmt_bounded(0.0123, "en", 4) == "0.0123"


def test_every_table_has_a_caption_and_every_header_a_scope():
    html = render_html("ru")
    tables = re.findall(r"<table\b.*?</table>", html, flags=re.S)
    assert tables
    for table in tables:
        assert "<caption>" in table, table[:120]
    headers = re.findall(r"<th\b[^>]*>", html)
    assert headers and all("scope=" in th for th in headers), [th for th in headers if "scope=" not in th][:3]
    # quotations of the papers carry their own language
    assert all('lang="' in q for q in re.findall(r"<q\b[^>]*>", html))
