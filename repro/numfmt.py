"""Locale formatting of numbers with Babel: decimal comma for kk and ru, point for en.

Babel rounds half-even through Decimal. The audit never compares formatted strings: this
module is for display only. p-values get an explicit pattern, since Babel's default keeps
at most three decimals (0.0004 would print as 0).
"""

from __future__ import annotations

import math
from functools import lru_cache

from babel.numbers import format_decimal

LOCALES = {"kk": "kk_KZ", "ru": "ru_RU", "en": "en_US"}


def fmt_number(value: float | None, lang: str, decimals: int | None = None) -> str:
    """A number for display: ``decimals`` fixed digits, or up to 4 significant decimals."""
    if value == 0 or not isinstance(value, (int, float)):  # -0.0 == 0.0 would share one cache entry
        return _fmt_number.__wrapped__(value, lang, decimals)
    return _fmt_number(value, lang, decimals)


@lru_cache(maxsize=8192)
def _fmt_number(value, lang: str, decimals: int | None) -> str:
    # the report formats the same few hundred numbers in each edition; Babel's parse of the pattern
    # and locale lookup dominate, so results are memoised (formatting is a pure function)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, float) and math.isinf(value):
        return "∞"
    locale = LOCALES[lang]
    if decimals is not None:
        pattern = "0" if decimals == 0 else "0." + "0" * decimals
        return format_decimal(value, format=pattern, locale=locale, group_separator=False)
    if value != 0 and abs(value) < 0.001:
        return format_decimal(value, format="0.###E0", locale=locale)
    return format_decimal(value, format="0.####", locale=locale, group_separator=False)
