"""The report's figures: labels fit their boxes in every language, text contrast on fills, signals that
survive grayscale (a glyph or a shape besides colour), marks quoted as printed, every W–p pair drawn."""

import re
import xml.etree.ElementTree as ET

import pytest

from repro import datasets as ds
from repro.catalog import LANGUAGES
from repro.figures import _shade, contrast, ink_on, text_width

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def drawn():
    from repro.edition import figures
    from repro.tables import TABLE_IDS, verify_tables

    results = verify_tables(TABLE_IDS)
    return {lang: figures(results, lang) for lang in LANGUAGES}


def test_text_on_any_share_fill_has_contrast_of_at_least_4_5():
    for step in range(101):
        fill = _shade(step / 100)
        assert contrast(ink_on(fill), fill) >= 4.5, fill


@pytest.mark.parametrize("lang", LANGUAGES)
def test_ladder_labels_fit_their_boxes_and_the_source_mark_is_single(drawn, lang):
    root = ET.fromstring(drawn[lang]["A1"])
    svg = drawn[lang]["A1"]
    assert "[[" not in svg and "]]" not in svg
    rungs = root.findall(f".//{SVG}rect[@class='rung']")
    assert len(rungs) == len(ds.p000_table1())
    box = float(rungs[0].get("width")) - 12
    for text in root.iter(f"{SVG}text"):
        if text.get("class") == "rung-label":
            size = float(text.get("font-size", "12"))
            assert text_width(text.text, size) <= box + 0.5, text.text
        if text.get("class") == "form-label":
            size = float(text.get("font-size", "12"))
            assert text_width(text.text, size, bold=True) <= 152 - 10 + 0.5, text.text
    # the swapped pair is drawn heavy and dashed and marked with a glyph, not by colour alone
    assert svg.count('stroke-dasharray="7,3"') >= 2 and "✗" in svg


@pytest.mark.parametrize("lang", LANGUAGES)
def test_mean_rank_marks_are_quoted_as_printed_and_series_have_shapes(drawn, lang):
    svg = drawn[lang]["B3"]
    texts = [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]
    for row in ds.table3():
        printed = "p\u00a0=\u00a0" + row.p.text.strip()
        assert any(t == printed or t.startswith(printed + "\u00a0✗") for t in texts), printed
    assert "**" not in svg
    assert "<circle" in svg and "<rect" in svg and "<polygon" in svg  # three marker shapes


@pytest.mark.parametrize("lang", LANGUAGES)
def test_heat_map_has_a_key_and_marks_disagreements_with_a_glyph(drawn, lang):
    svg = drawn[lang]["B2"]
    root = ET.fromstring(svg)
    bad = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "inconsistent"]
    assert bad and svg.count(" ✗") >= len(bad)
    assert len(re.findall(r'height="12" fill="#', svg)) == 11  # the eleven-step colour key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_table4_figure_draws_every_pair_against_the_curves(drawn, lang):
    svg = drawn[lang]["B4"]
    pairs = len(ds.table4())
    circles = svg.count('r="4" fill="#ffffff"') - 1  # minus the legend's sample
    crosses = len(re.findall(r'<path d="M[\d.]+,[\d.]+ L[\d.]+,[\d.]+ M', svg)) - 1
    assert circles + crosses == pairs
    assert svg.count('fill="none" stroke="#000000" stroke-width="1.4"') >= 2  # at least two (m, k) curves


def test_chi2_tail_of_the_figure_matches_scipy():
    """The figure's closed-form χ² tail against SciPy's (reference) for df 1-15."""
    from scipy.stats import chi2

    from repro.figures import chi2_sf

    for df in range(1, 16):
        for x in (0.01, 0.5, 1.0, 3.84, 7.81, 12.0, 25.0, 60.0, 150.0):
            assert chi2_sf(x, df) == pytest.approx(chi2.sf(x, df), rel=1e-10, abs=1e-300)
