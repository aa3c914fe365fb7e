"""Cells and their computed statuses: the contract every table, check and report shares.

A cell's ``status`` is computed, never printed: :func:`judge` compares a published
number with what the code computed from other published numbers (or reconstructed).

* ``reproduced``: the computed point value rounds to the printed value;
* ``within_rounding``: the point value does not, but the interval the computation can
  take when its own inputs vary within their printed rounding meets the printed interval;
* ``inconsistent``: neither; the reason names the nearest achievable value;
* ``not_checkable``: nothing independent to compute the cell from;
* ``not_checked_yet``: no check exists yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from repro.printed import Printed

STATUSES = ("reproduced", "within_rounding", "inconsistent", "not_checkable", "not_checked_yet")
# The mark a reader sees beside a cell of each status (report, figures): language-free symbols.
STATUS_MARKS = {"reproduced": "✓", "within_rounding": "≈", "inconsistent": "✗", "not_checkable": "?",
                "not_checked_yet": "…"}
LAYERS = ("transcribed", "recomputed", "reconstructed")


@dataclass
class Reason:
    """A reason as a catalog key with parameters, rendered per language at the edge."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Cell:
    """One published cell with its verdict. ``published`` is exactly as printed."""

    table: str
    row: str
    column: str
    published: str
    value: float | None
    reproduced: float | None = None
    status: str = "not_checked_yet"
    reason: Reason = field(default_factory=lambda: Reason("reason.not_checked_yet"))
    layer: str = "transcribed"
    nearest: float | None = None
    decimals: int = 0

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")
        if self.layer not in LAYERS:
            raise ValueError(f"unknown layer {self.layer!r}")


@dataclass(frozen=True)
class Judgement:
    status: str
    nearest: float | None


def judge(printed: Printed, point: float | None, lo: float | None = None,
          hi: float | None = None) -> Judgement:
    """Status of a printed number against a computed point value and its attainable interval.

    ``lo``/``hi`` bound what the computation can give when its inputs move within their own
    printed rounding (default: the point itself). The nearest achievable value is the point
    of [lo, hi] closest to the printed value.
    """
    if point is None or not printed.is_number:
        return Judgement("not_checkable", None)
    lo = point if lo is None else min(lo, point)
    hi = point if hi is None else max(hi, point)
    if printed.contains(point):
        return Judgement("reproduced", point)
    if printed.overlaps(lo, hi):
        target = min(max(float(printed.value), lo), hi)
        return Judgement("within_rounding", target)
    target = min(max(float(printed.value), lo), hi)
    return Judgement("inconsistent", target)


def count_statuses(cells: list[Cell]) -> dict[str, int]:
    """How many cells have each status, in the contract's order."""
    counts = {status: 0 for status in STATUSES}
    for cell in cells:
        counts[cell.status] += 1
    return counts
