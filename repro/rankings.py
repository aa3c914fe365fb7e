"""Reading raw rankings for Kendall's W: wide (rater, item1, item2, ...) or long (rater,item,value)."""

from __future__ import annotations

import math

import numpy as np

from repro.csvread import read_rows
from repro.errors import ReproError
from repro.numerals import NotANumber, parse_score


MISSING = {"", "na", "n/a", "nan", "null", "none", "-", "—", "."}  # cells read as missing (R writes NA)


_ABSENT = object()  # a (rater, item) pair with no row in a long file (None is an NA cell)


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
    header, rows = read_rows(path, [], allow_extra=True)
    if not (len(header) == 3 and [h.casefold() for h in header[:2]] == ["rater", "item"]):
        if len(header) < 3:
            raise ReproError("expected a rater column and at least two item columns, or rater,item,value",
                             file=name, row=1)
        return _read_wide(name, header, rows, objects_in_rows, drop_incomplete)
    # long form: one list per rater, indexed by the item's position (ABSENT: no row for that pair; None: NA)
    value_column = header[2]
    rater_at: dict[str, int] = {}
    item_at: dict[str, int] = {}
    values: list[list] = []
    for row, cells in rows:
        rater, item = cells[0].strip(), cells[1].strip()
        if not rater or not item:
            raise ReproError("empty rater or item", file=name, row=row)
        r = rater_at.setdefault(rater, len(rater_at))
        if r == len(values):
            values.append([])
        i = item_at.setdefault(item, len(item_at))
        own = values[r]
        if i < len(own) and own[i] is not _ABSENT:
            raise ReproError(f"rater {rater!r} ranks item {item!r} twice", file=name, row=row, column="item")
        if i >= len(own):
            own.extend([_ABSENT] * (i + 1 - len(own)))
        own[i] = None if _is_missing(cells[2]) else _number(cells[2], name, row, value_column)
    if not rater_at:
        raise ReproError("no data rows after the header", file=name)
    raters, items = list(rater_at), list(item_at)
    grid = np.full((len(raters), len(items)), np.nan)
    for r, own in enumerate(values):  # absent pairs and NA alike are missing
        grid[r, :len(own)] = [np.nan if v is None or v is _ABSENT else v for v in own]
    del values
    if objects_in_rows:
        grid, raters, items = grid.T.copy(), items, raters
    missing = np.isnan(grid).any(axis=1)
    incomplete = [r for r, gap in zip(raters, missing.tolist()) if gap]
    if incomplete and not drop_incomplete:
        raise ReproError(f"raters with missing items: {_some(incomplete)} (use --drop-incomplete)", file=name)
    keep = [r for r, gap in zip(raters, missing.tolist()) if not gap]
    if len(keep) < 2 or len(items) < 2:
        raise ReproError("need at least 2 complete raters and 2 items", file=name)
    return grid[~missing], keep, items, incomplete


def _some(names: list[str], shown: int = 20) -> str:
    return ", ".join(names[:shown]) + (f" and {len(names) - shown} more" if len(names) > shown else "")


def _read_wide(name: str, header: list[str], rows, objects_in_rows: bool, drop_incomplete: bool):
    """The wide form, streamed into one float array (missing = NaN): linear time, about 8 bytes a cell
    plus the rater ids, however many raters (no dict per row)."""
    from array import array

    first, items = header[0], header[1:]
    values = array("d")
    raters: list[str] = []
    seen: set[str] = set()
    missing = _is_missing
    nan = float("nan")
    for row, cells in rows:
        rater = cells[0].strip()
        if rater in seen:
            raise ReproError(f"rater {rater!r} appears twice", file=name, row=row, column=first)
        seen.add(rater)
        raters.append(rater)
        for item, text in zip(items, cells[1:]):
            values.append(nan if missing(text) else _number(text, name, row, item))
    if not raters:
        raise ReproError("no data rows after the header", file=name)
    del seen
    matrix = np.frombuffer(values, dtype=float).reshape(len(raters), len(items)).copy()
    del values
    if objects_in_rows:
        matrix = matrix.T.copy()
        raters, items = items, raters
    holes = np.isnan(matrix).any(axis=1)
    incomplete = [raters[i] for i in np.flatnonzero(holes)]
    if incomplete and not drop_incomplete:
        raise ReproError(f"raters with missing items: {_some(incomplete)} (use --drop-incomplete)", file=name)
    if incomplete:
        matrix = matrix[~holes]
        raters = [r for r, h in zip(raters, holes) if not h]
    if len(raters) < 2 or len(items) < 2:
        raise ReproError("need at least 2 complete raters and 2 items", file=name)
    return matrix, raters, items, incomplete
