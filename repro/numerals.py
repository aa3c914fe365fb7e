"""Number words of the papers' languages (Kazakh and Russian cardinals and their case forms)."""

from __future__ import annotations

WORDS = {
    "бір": 1, "екі": 2, "үш": 3, "төрт": 4, "бес": 5, "алты": 6, "жеті": 7, "сегіз": 8, "тоғыз": 9, "он": 10,
    "один": 1, "два": 2, "двух": 2, "три": 3, "трех": 3, "трёх": 3, "четыре": 4, "пять": 5, "пяти": 5,
}
FRACTIONS = {"үштен бірі": (1, 3), "треть": (1, 3)}


def parse_count(printed: str) -> int | None:
    """A count as printed in digits or words (``13``, ``тоғыз``, ``пяти``); None if not a count."""
    text = printed.strip().lower()
    if text.isdigit():
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
