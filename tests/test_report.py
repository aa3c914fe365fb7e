"""The report: autoescape, every language's headings and key numbers in the PDF text (pypdf)."""

import io

import pytest

from repro.catalog import label
from repro.report import environment, write_report


def test_autoescape_is_on_for_j2_templates():
    template = environment().from_string("{{ x }}")
    assert template.render(x="<b>") == "&lt;b&gt;"
    assert environment().autoescape is True


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    write_report(out)
    return out


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_pdf_has_headings_and_numbers(report_dir, lang):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO((report_dir / f"report.{lang}.pdf").read_bytes()))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    for key in ("report.title", "ui.summary", "table.B2.title", "table.B3.title"):
        assert " ".join(label(key, lang).split())[:25] in flat, key
    assert "0,505" in flat and "0,43" in flat


def test_html_has_three_editions_and_a_switch(report_dir):
    html = (report_dir / "report.html").read_text()
    for lang in ("kk", "ru", "en"):
        assert f'id="lang-{lang}"' in html and f'href="#lang-{lang}"' in html
    assert "<svg" in html
