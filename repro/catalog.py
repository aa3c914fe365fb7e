"""The kk/ru/en catalog: every label, heading, status, reason and message (``catalog.toml``)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from string import Formatter
from typing import Any

from repro.paths import catalog_path

LANGUAGES = ("kk", "ru", "en")
RELATIONS = ("<", ">", "≤", "≥")  # a value printed as a bound replaces the template's "="
RANGE_DASH = "–"  # "{lo}–{hi}" in a template is a range: render prints one value when both ends print alike


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict[str, str]]:
    """All entries: key -> {kk, ru, en[, original]}."""
    with open(catalog_path(), "rb") as handle:
        return tomllib.load(handle)


def missing_languages() -> dict[str, list[str]]:
    """Keys that lack a language (the completeness test reads this)."""
    return {key: [lang for lang in LANGUAGES if not entry.get(lang)]
            for key, entry in catalog().items() if any(not entry.get(lang) for lang in LANGUAGES)}


def label(key: str, lang: str, default: str | None = None) -> str:
    """The text of ``key`` in ``lang``; ``default`` (or a KeyError) when the key is absent."""
    entry = catalog().get(key)
    if entry is None:
        if default is not None:
            return default
        raise KeyError(f"catalog has no key {key!r}")
    text = entry[lang]
    return _fill_limits(text) if "{" in text else text


def _fill_limits(text: str) -> str:
    """Fill the search-limit placeholders (``{m_hi}``…) from :mod:`repro.limits`, leave others."""
    from repro.limits import params

    return _filled(text, tuple(params().items()))


@lru_cache(maxsize=4096)
def _filled(text: str, limits: tuple[tuple[str, int], ...]) -> str:
    """:func:`_fill_limits` for one template and one set of limits (a template is filled once, not per message)."""
    import re

    values = dict(limits)
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text)


def render(key: str, lang: str, params: dict[str, Any], number=None) -> str:
    """Fill a catalog template; floats go through ``number(value, lang)`` (Babel).

    A field ``{n:plural:one=набор|few=набора|many=наборов|other=набора}`` becomes the word form
    that the CLDR plural rules of ``lang`` give for the count ``n`` (the number itself is written
    by a separate ``{n}``); missing categories fall back to ``other``.
    """
    template = label(key, lang)
    out = []
    previous = None  # the text of the field just written, when nothing followed it yet
    for literal, name, spec, conversion in Formatter().parse(template):
        if name is None:
            out.append(literal)
            continue
        value = params.get(name, "—")
        if spec and spec.startswith("plural:"):
            out.append(literal)
            out.append(plural_form(value, lang, spec[len("plural:"):]))
            previous = None
            continue
        if isinstance(value, float) and number is not None:
            value = number(value, lang)
        value = "—" if value is None else value
        text = format(value, spec) if spec else str(value)
        if literal == RANGE_DASH and previous is not None and text == previous:
            previous = None  # a range whose ends print alike is one value: "m = 3", not "m = 3–3"
            continue
        if text[:1] in RELATIONS and literal.rstrip(" \u00a0").endswith("="):
            # "p = {p}" with p = "< .001" (a bound as printed) reads "p < .001", not "p = < .001"
            literal = literal.rstrip(" \u00a0")[:-1].rstrip(" \u00a0") + literal[len(literal.rstrip(" \u00a0")):]
        out.append(literal)
        out.append(text)
        previous = text
    return "".join(out)


def plural_form(count: Any, lang: str, forms: str) -> str:
    """The form of ``one=…|few=…|many=…|other=…`` the plural rules of ``lang`` choose for ``count``."""
    from babel import Locale

    table = dict(part.split("=", 1) for part in forms.split("|"))
    try:
        category = Locale.parse(lang).plural_form(count) if isinstance(count, (int, float)) else "other"
    except (TypeError, ValueError):
        category = "other"
    return table.get(category, table.get("other", ""))
