import re

from repro import datasets as ds
from repro.catalog import catalog, missing_languages
from repro.paths import templates_dir


def test_every_key_has_every_language():
    assert missing_languages() == {}


def test_originals_are_marked_and_match_the_print():
    meta = ds.tables_meta()
    for table_id, rec in meta.items():
        entry = catalog()[f"table.{table_id}.title"]
        lang = entry["original"]
        assert entry[lang] == rec["title_printed"], table_id


def test_row_labels_of_table3_are_the_printed_ones():
    for row in ds.table3():
        assert catalog()[f"row.B3.{row.row}"]["kk"] == row.indicator


def test_every_reason_key_used_in_code_exists():
    import pathlib

    root = pathlib.Path(__file__).resolve().parent.parent / "repro"
    used = set()
    for path in root.glob("*.py"):
        used |= set(re.findall(r'Reason\("([a-z0-9_.]+)"', path.read_text()))
    assert used, "no reasons found"
    missing = [k for k in used if k not in catalog()]
    assert missing == []


def test_templates_hold_no_cyrillic_or_english_labels():
    for path in templates_dir().glob("*.j2"):
        text = re.sub(r"{[{%#].*?[}%#]}", "", path.read_text(), flags=re.S)
        text = re.sub(r"<style>.*?</style>", "", text, flags=re.S)
        assert not re.search(r"[А-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі]", text), path


def test_a_range_whose_ends_print_alike_prints_once():
    """«m = 3», never «m = 3–3»: catalog.render collapses an equal {lo}–{hi}; integer lists go through one formatter."""
    from repro.catalog import render
    from repro.numfmt import integer_runs

    for lang in ("kk", "ru", "en"):
        text = render("assumption.m_range", lang, {"lo": 3, "hi": 3})
        assert "3–3" not in text and "3" in text
        assert "3–5" in render("assumption.m_range", lang, {"lo": 3, "hi": 5})
    assert integer_runs([3]) == "3" and integer_runs([2, 3, 4, 7]) == "2–4, 7" and integer_runs([]) == "—"


def test_a_value_printed_as_a_bound_is_not_given_a_second_relation():
    """«p < .001», never «p = < .001»; an ordinary value keeps the template's «=»."""
    from repro.catalog import render

    for lang in ("kk", "ru", "en"):
        bound = render("reason.decision_error", lang, {"p": "< .001", "mark": "*", "alpha": 0.05}).replace("\u00a0", " ")
        value = render("reason.decision_error", lang, {"p": "0.04", "mark": "*", "alpha": 0.05}).replace("\u00a0", " ")
        assert "p < .001" in bound and "= <" not in bound and "p = 0.04" in value


def test_catalog_texts_carry_no_published_count():
    """The law: a published number lives in datasets/ only. Counts the papers print or imply (the prose counts,
    C(variables, 2), the pooled denominators, the tables' row and pair counts) must reach a text as a
    parameter, never typed into catalog.toml. Small numbers (≤ 4) are too common to police this way."""
    import re
    from math import comb

    from repro import datasets as ds
    from repro.catalog import LANGUAGES, catalog
    from repro.numerals import parse_count

    counts = {parse_count(f["printed"]) for f in ds.prose_figures().values()} - {None}
    pairs = comb(parse_count(ds.prose_figures()["p004.variables_per_dimension"]["printed"]), 2)
    experts = parse_count(ds.prose_figures()["p004.experts.results"]["printed"])
    q27 = parse_count(ds.prose_figures()["p004.q27_comparisons"]["printed"])
    derived = {pairs, experts * pairs, experts * q27, len(ds.table2()), len(ds.table3()), len(ds.table4())}
    published = {n for n in counts | derived if n is not None and n > 4}
    skip = ("ref.", "paper.", "table.", "row.", "cell.", "col.", "section.", "dim.", "form.", "level.", "rung.")
    found = []
    for key, entry in catalog().items():
        if key.startswith(skip):
            continue
        for lang in LANGUAGES:
            text = re.sub(r"\{[^}]*\}", " ", entry.get(lang, ""))
            text = re.sub(r"(Tables?|Таблиц\w*|табл\.|Кесте)\s*\d+(–\d+)?|\d+(–\d+)?-кесте\w*|Q27|[ABE]\d|\[\d+\]|"
                          r"https?://\S+|\b(19|20)\d\d\b", " ", text)
            hits = {int(n) for n in re.findall(r"(?<![\w.,⁻])\d+(?![\w.,])", text)} & published
            if hits:
                found.append((key, lang, sorted(hits)))
    assert not found, found
