"""The one number reader of the tool, and number words of the papers' languages.

Every parser reads digits through this module, so a cell means the same number in every
command (``repro audit``, ``kendall --data``, ``ties --data`` and the datasets):

* digits: any Unicode decimal digit (Arabic-Indic ``١٢``, full-width ``１２``) is read as the
  ASCII digit it stands for, in every reader;
* decimal separator: ``.`` or ``,`` (a ru/kk spreadsheet writes ``0,5``); no thousands
  separators and no ``_`` (Python's ``float("1_000")`` would read 1000: refused here);
* signs ``-``, ``+`` and the minus sign ``−``; an exponent (``1e-5``, ``1,2E-05``) in scores;
* at most :data:`repro.limits.MAX_NUMBER_DIGITS` digits (Python refuses ``int()`` beyond 4300
  digits with an error that names no cell; here the caller names file, row and column).

Number words: Kazakh and Russian cardinals and their case forms (:func:`parse_count`).
"""

from __future__ import annotations

import math
import re
import unicodedata

from repro import limits

WORDS = {
    "бір": 1, "екі": 2, "үш": 3, "төрт": 4, "бес": 5, "алты": 6, "жеті": 7, "сегіз": 8, "тоғыз": 9, "он": 10,
    "один": 1, "два": 2, "двух": 2, "три": 3, "трех": 3, "трёх": 3, "четыре": 4, "пять": 5, "пяти": 5,
}
FRACTIONS = {"үштен бірі": (1, 3), "треть": (1, 3)}

_SCORE = re.compile(r"^(?P<sign>[-+]?)(?P<int>[0-9]*)(?:[.,](?P<frac>[0-9]*))?(?:[eE](?P<exp>[-+]?[0-9]{1,4}))?$")


def ascii_digits(text: str) -> str:
    """``text`` with every Unicode decimal digit replaced by its ASCII digit, and ``−`` by ``-``."""
    if text.isascii():
        return text
    out = []
    for ch in text:
        if ch == "−":
            out.append("-")
        elif not ch.isascii() and unicodedata.category(ch) == "Nd":
            out.append(str(unicodedata.decimal(ch)))
        else:
            out.append(ch)
    return "".join(out)


def too_many_digits(text: str) -> bool:
    """Whether ``text`` holds more digits than any number cell may (:data:`repro.limits.MAX_NUMBER_DIGITS`)."""
    return sum(ch.isdigit() for ch in text) > limits.MAX_NUMBER_DIGITS


class NotANumber(ValueError):
    """``reason`` says why a cell is not read as a number (the caller adds file, row and column)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def shown(text: str, width: int = 40) -> str:
    """``text`` quoted for a message, shortened in the middle when long."""
    text = str(text)
    if len(text) > width:
        text = text[: width // 2] + "…" + text[-(width // 2):]
    return repr(text)


def parse_score(text: str) -> float:
    """A score or rank (``3``, ``2,5``, ``-0.5``, ``1e-3``, ``٣``) as a finite float; :class:`NotANumber` else."""
    if type(text) is str and len(text) <= 15 and text.isascii() and text.isdigit():
        return float(text)  # up to 15 ASCII digits (most rank cells): exact, the value the general path gives
    raw = ascii_digits(str(text)).strip().replace("\u00a0", "")
    if too_many_digits(raw):
        raise NotANumber(f"number with more than {limits.MAX_NUMBER_DIGITS} digits: {shown(raw)}")
    match = _SCORE.match(raw)
    if match is None or not (match.group("int") or match.group("frac")):
        raise NotANumber(f"not a number: {shown(text)}")
    value = float(f"{match.group('sign')}{match.group('int') or '0'}.{match.group('frac') or '0'}"
                  f"e{match.group('exp') or '0'}")
    if not math.isfinite(value):
        raise NotANumber(f"not a finite number: {shown(text)}")
    return value


def parse_count(printed: str) -> int | None:
    """A count as printed in digits or words (``13``, ``тоғыз``, ``пяти``); None if not a count."""
    text = ascii_digits(printed).strip().lower()
    if text.isdigit() and not too_many_digits(text):
        return int(text)
    return WORDS.get(text)


# ------------------------------------------------------------------ numbers in running text (repro scan)
# The one reader of printed numbers is repro.printed.parse_printed; this finds where they stand in a
# line of a manuscript. A decimal comma or point; "0, 68" (a stray space after "0,") is read as one
# number (parse_printed records the oddity); significance marks (*) stay attached.

import re as _re

NUMBER_IN_TEXT = _re.compile(
    r"(?<![\w.,\u00b2\u00b3])(?P<cmp>[<>\u2264\u2265] ?)?(?P<num>[-\u2212]?(?:0[.,] (?=\d)\d+|\d+[.,]\d+|[.,]\d+|\d+))(?P<marks>\*{0,3})(?![\w])")

WORDS.update({
    "үшеу": 3, "төртеу": 4, "бесеу": 5, "жиырма": 20, "отыз": 30, "он бес": 15,
    "трое": 3, "четырех": 4, "четырёх": 4, "шесть": 6, "шести": 6, "семь": 7, "восемь": 8, "девять": 9,
    "десять": 10, "двенадцать": 12, "пятнадцать": 15, "двадцать": 20, "тридцать": 30,
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
})


def numbers_in(text: str):
    """Every printed number of ``text`` as ``(start, end, Printed)``, left to right."""
    from repro.printed import parse_printed

    out = []
    for match in NUMBER_IN_TEXT.finditer(text):
        cmp = (match.group("cmp") or "").strip()
        printed = parse_printed(cmp + match.group("num").replace("\u2212", "-") + match.group("marks"))
        if printed.is_number:
            out.append((match.start(), match.end(), printed))
    return out
