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
        return scientific(value, lang)
    return format_decimal(value, format="0.####", locale=locale, group_separator=False)


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def scientific(value: float, lang: str, digits: int = 2) -> str:
    """``value`` as a typeset power of ten, ``digits`` significant: 4.218e-15 -> '4,2·10⁻¹⁵' (kk, ru)."""
    exponent = math.floor(math.log10(abs(value)))
    mantissa = value / 10 ** exponent
    if round(abs(mantissa), digits - 1) >= 10:  # 9.96e-5 rounds to 10·10⁻⁵: carry into the exponent
        exponent += 1
        mantissa /= 10
    text = format_decimal(mantissa, format="0." + "0" * (digits - 1), locale=LOCALES[lang])
    return f"{text}·10{str(exponent).translate(_SUPERSCRIPT)}"


def fmt_bounded(value: float, lang: str, decimals: int) -> str:
    """A computed value at ``decimals`` fixed digits, written '< 0,0001' where those digits would all be 0
    (a p of 4·10⁻¹⁵ is not '0,0000')."""
    if value is not None and 0 < abs(value) < 0.5 * 10 ** -decimals:
        bound = format_decimal(10 ** -decimals, format="0." + "0" * decimals, locale=LOCALES[lang])
        return f"<\u00a0{bound}" if value > 0 else f">\u00a0−{bound}"
    return fmt_number(value, lang, decimals)


# ---------------------------------------------------------------- computed values in artefacts
#: Significant digits of every computed float written to an artefact (JSON, CSV, Markdown, LaTeX, report).
#: Ten digits show any verdict-relevant difference (published values have at most four), and lie six
#: orders of magnitude above the last-ulp differences that summation order and SIMD paths produce.
SIGNIFICANT_DIGITS = 10
#: ``repro check`` accepts a relative difference up to one unit in the tenth significant digit,
#: or an absolute one up to :data:`ABSOLUTE_TOLERANCE` near zero (0 against 1e-17 is rounding noise).
RELATIVE_TOLERANCE = 1e-9
ABSOLUTE_TOLERANCE = 1e-12


def canonical(value):
    """A computed float at the artefacts' fixed precision (:data:`SIGNIFICANT_DIGITS` significant digits).

    Anything else (int, bool, str, None, nan, inf) is returned unchanged; numpy floats become floats.

    >>> canonical(0.10655111725238742), canonical(0.1065511172523874)
    (0.1065511173, 0.1065511173)
    """
    if isinstance(value, float) and not isinstance(value, bool) and math.isfinite(value) and value != 0:
        return float(f"{value:.{SIGNIFICANT_DIGITS}g}")
    return value


def canonical_data(obj):
    """A copy of ``obj`` (dataclasses, dicts, lists, tuples) with every float through :func:`canonical`."""
    import dataclasses

    if isinstance(obj, float):
        return canonical(obj)
    if isinstance(obj, dict):
        return {k: canonical_data(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [canonical_data(v) for v in obj]
    if isinstance(obj, tuple):
        return tuple(canonical_data(v) for v in obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        changes = {f.name: canonical_data(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.init}
        return dataclasses.replace(obj, **changes)
    return obj


def same_number(a, b) -> bool:
    """Equal, or two numbers within :data:`RELATIVE_TOLERANCE` (the comparison of ``repro check``)."""
    if (isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool)
            and not isinstance(b, bool)):
        return a == b or math.isclose(a, b, rel_tol=RELATIVE_TOLERANCE, abs_tol=ABSOLUTE_TOLERANCE)
    return a == b


def integer_runs(values, empty: str = "—") -> str:
    """Whole numbers as runs, the one range formatter for integer lists: ``[2, 3, 4, 7, 9, 10]`` ->
    ``2–4, 7, 9–10``; a run of one value prints once (``3``, never ``3–3``); ``empty`` for none."""
    values = sorted({int(v) for v in values})
    if not values:
        return empty
    parts, start, prev = [], values[0], values[0]
    for v in values[1:] + [None]:
        if v is not None and v == prev + 1:
            prev = v
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if v is not None:
            start = prev = v
    return ", ".join(parts)
