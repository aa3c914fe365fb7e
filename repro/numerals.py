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
