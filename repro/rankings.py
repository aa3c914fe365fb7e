"""Reading raw rankings for Kendall's W: wide (rater, item1, item2, ...) or long (rater,item,value)."""

from __future__ import annotations

import math

import numpy as np

from repro.csvread import read_records
from repro.errors import ReproError
from repro.numerals import NotANumber, parse_score


MISSING = {"", "na", "n/a", "nan", "null", "none", "-", "—", "."}  # cells read as missing (R writes NA)


def _is_missing(text: str) -> bool:
    return text.strip().casefold() in MISSING


def _number(text: str, file: str, row: int, column: str) -> float:
    try:
        return parse_score(text)
    except NotANumber as exc:
        raise ReproError(exc.reason, file=file, row=row, column=column) from None


def read_rankings(path: str, objects_in_rows: bool = False, drop_incomplete: bool = False):
    """(matrix raters x items, rater ids, item ids, dropped raters) from a wide or long CSV.

    A long file has three columns, rater,item and the value (any name: value, score, rank).
    Cells left empty or written NA (as R's write.csv does) are missing. Missing items (empty cells, or
    pairs absent from a long file) are refused naming the raters, unless ``drop_incomplete``.
    """
    name = str(path)
    records = read_records(path, [], allow_extra=True)
    header = [k for k in records[0] if k != "__row__"]
    table: dict[str, dict[str, float | None]] = {}
    raters: list[str] = []
    items: list[str] = []
    if len(header) == 3 and [h.casefold() for h in header[:2]] == ["rater", "item"]:
        value_column = header[2]
        for rec in records:
            row = int(rec["__row__"])
            rater, item = rec[header[0]].strip(), rec[header[1]].strip()
            if not rater or not item:
                raise ReproError("empty rater or item", file=name, row=row)
            if rater not in table:
                table[rater] = {}
                raters.append(rater)
            if item not in items:
                items.append(item)
            if item in table[rater]:
                raise ReproError(f"rater {rater!r} ranks item {item!r} twice", file=name, row=row, column="item")
            table[rater][item] = None if _is_missing(rec[value_column]) else _number(rec[value_column], name, row, value_column)
    else:
        if len(header) < 3:
            raise ReproError("expected a rater column and at least two item columns, or rater,item,value",
                             file=name, row=1)
        first, items = header[0], header[1:]
        for rec in records:
            row = int(rec["__row__"])
            rater = rec[first].strip()
            if rater in table:
                raise ReproError(f"rater {rater!r} appears twice", file=name, row=row, column=first)
            raters.append(rater)
            table[rater] = {i: (None if _is_missing(rec[i]) else _number(rec[i], name, row, i)) for i in items}
    if objects_in_rows:
        table = {i: {r: table[r].get(i) for r in raters} for i in items}
        raters, items = items, raters
    incomplete = [r for r in raters if any(table[r].get(i) is None for i in items)]
    if incomplete and not drop_incomplete:
        raise ReproError(f"raters with missing items: {', '.join(incomplete)} (use --drop-incomplete)", file=name)
    keep = [r for r in raters if r not in incomplete]
    if len(keep) < 2 or len(items) < 2:
        raise ReproError("need at least 2 complete raters and 2 items", file=name)
    matrix = np.array([[table[r][i] for i in items] for r in keep], dtype=float)
    return matrix, keep, items, incomplete
