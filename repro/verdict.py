"""Cells and their computed statuses: the contract every table, check and report shares.

A cell's ``status`` is computed, never printed: :func:`judge` compares a published
number with what the code computed from other published numbers (or reconstructed).

* ``reproduced``: the computed point value rounds to the printed value;
* ``within_rounding``: the point value does not, but the interval the computation can
  take when its own inputs vary within their printed rounding meets the printed interval;
* ``inconsistent``: neither; the reason names the nearest achievable value;
* ``not_checkable``: nothing independent to compute the cell from;
* ``not_checked_yet``: no check exists yet.

An ``inconsistent`` cell carries a ``severity`` (:data:`SEVERITIES`): ``impossible`` (arithmetic,
true under every reading computed), ``assumption`` (only under the readings named in
``assumptions``) or ``editorial`` (naming, ordering, printing, attribution). Figures judged
together form a :class:`Group`; :func:`apply_groups` turns a row's groups into cell statuses so
that no cell of a row no dataset can produce is ``reproduced``, and :func:`severity_counts`
counts findings (a failing group once, however many cells it has). The JSON form is fixed in
``/work/notes/contract.md`` and written by :mod:`repro.contract`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from repro.printed import Printed

Status = Literal["reproduced", "within_rounding", "inconsistent", "not_checkable", "not_checked_yet"]
STATUSES: tuple[Status, ...] = get_args(Status)
# The mark a reader sees beside a cell of each status (report, figures): language-free symbols.
STATUS_MARKS = {"reproduced": "✓", "within_rounding": "≈", "inconsistent": "✗", "not_checkable": "?",
                "not_checked_yet": "…"}
LAYERS = ("transcribed", "recomputed", "reconstructed")
# strongest first: a cell in several failing groups takes the strongest severity
SEVERITIES = ("impossible", "assumption", "editorial")


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
    status: Status = "not_checked_yet"
    reason: Reason = field(default_factory=lambda: Reason("reason.not_checked_yet"))
    layer: str = "transcribed"
    nearest: float | None = None
    decimals: int = 0
    severity: str | None = None
    assumptions: list[Assumption] = field(default_factory=list)
    trivial: bool = False
    groups: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")
        if self.layer not in LAYERS:
            raise ValueError(f"unknown layer {self.layer!r}")
        if self.severity is not None and self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    def mark_inconsistent(self, severity: str, reason: Reason,
                          assumptions: list[Assumption] | None = None) -> None:
        """Set an ``inconsistent`` verdict together with its severity (and assumptions)."""
        if severity not in SEVERITIES:
            raise ValueError(f"unknown severity {severity!r}")
        if severity == "assumption" and not assumptions:
            raise ValueError("an assumption-dependent verdict must name its assumptions")
        self.status, self.severity, self.reason = "inconsistent", severity, reason
        self.assumptions = list(assumptions or [])


@dataclass(frozen=True)
class Assumption:
    """A reading of the paper a verdict rests on: catalog key ``assumption.<key>`` with parameters."""

    key: str
    params: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, key: str, **params: Any) -> "Assumption":
        return cls(key, tuple(sorted(params.items())))

    @property
    def param_dict(self) -> dict[str, Any]:
        return dict(self.params)


@dataclass
class Group:
    """Printed figures judged together.

    ``cells`` are ``(row, column)`` pairs; ``holds`` is True (they can all hold together, with what
    they imply in ``conclusion``), False (they cannot) or None (undecided). A failing group's
    ``severity`` and ``assumptions`` follow the cell rules. ``minimal`` is set by
    :func:`mark_minimal`: a failing group with no failing proper subset among the groups given.
    """

    id: str
    row: str
    cells: list[tuple[str, str]]
    holds: bool | None
    conclusion: Reason
    severity: str | None = None
    assumptions: list[Assumption] = field(default_factory=list)
    minimal: bool = False

    def __post_init__(self) -> None:
        if self.holds is False and self.severity not in SEVERITIES:
            raise ValueError(f"group {self.id}: a failing group needs a severity, got {self.severity!r}")
        if self.holds is not False and self.severity is not None:
            raise ValueError(f"group {self.id}: only a failing group has a severity")
        if self.severity == "assumption" and not self.assumptions:
            raise ValueError(f"group {self.id}: an assumption-dependent group must name its assumptions")


@dataclass(frozen=True)
class Judgement:
    status: Status
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
        target = min(max(float(printed), lo), hi)
        return Judgement("within_rounding", target)
    target = min(max(float(printed), lo), hi)
    return Judgement("inconsistent", target)


def strongest(severities: list[str]) -> str | None:
    """The strongest of some severities (``impossible`` > ``assumption`` > ``editorial``)."""
    present = [s for s in SEVERITIES if s in severities]
    return present[0] if present else None


def mark_minimal(groups: list[Group]) -> list[Group]:
    """Flag the failing groups that have no failing proper subset (per row) among ``groups``."""
    failing = [g for g in groups if g.holds is False]
    for g in failing:
        cells = set(g.cells)
        g.minimal = not any(h is not g and h.row == g.row and set(h.cells) < cells for h in failing)
    return groups


def apply_groups(cells: list[Cell], groups: list[Group], row_reason: Reason | None = None) -> None:
    """Turn the groups of one row into the statuses of its cells (in place).

    * every cell of a failing minimal group becomes ``inconsistent`` with the strongest severity of
      the minimal groups it is in (and their assumptions), the reason being the first such group's
      conclusion;
    * when some group fails, a cell in no failing minimal group cannot be ``reproduced``: a reproduced,
      within-rounding or not-yet-checked cell becomes ``not_checkable`` with ``row_reason`` (which names the
      failing groups); a cell already ``inconsistent`` or ``not_checkable`` for its own reason keeps it;
    * when no group fails, the cells keep the statuses the caller set.
    Each cell lists the ids of the groups it belongs to.
    """
    mark_minimal(groups)
    minimal = [g for g in groups if g.holds is False and g.minimal]
    for cell in cells:
        key = (cell.row, cell.column)
        cell.groups = [g.id for g in groups if key in g.cells]
        mine = [g for g in minimal if key in g.cells]
        if mine:
            severity = strongest([g.severity for g in mine if g.severity])
            deciding = [g for g in mine if g.severity == severity]
            assumptions: list[Assumption] = []
            if severity == "assumption":
                for g in deciding:
                    assumptions.extend(a for a in g.assumptions if a not in assumptions)
            cell.reproduced = None if cell.status == "reproduced" else cell.reproduced
            cell.mark_inconsistent(severity or "impossible", deciding[0].conclusion, assumptions)
        elif minimal and cell.status in ("reproduced", "within_rounding", "not_checked_yet"):
            # "no dataset gives the row" rests on the readings of the failing groups unless one of them
            # fails under every reading: then the cell names those readings too
            unconditional = any(g.severity != "assumption" for g in minimal)
            readings: list[Assumption] = []
            for g in ([] if unconditional else minimal):
                readings.extend(a for a in g.assumptions if a not in readings)
            cell.status, cell.severity, cell.assumptions = "not_checkable", None, readings
            cell.reason = row_reason or minimal[0].conclusion


def severity_counts(cells: list[Cell], groups: list[Group] = ()) -> dict[str, int]:  # type: ignore[assignment]
    """Findings by severity: each failing minimal group once; an inconsistent cell in none, once."""
    counts = {s: 0 for s in SEVERITIES}
    grouped: set[tuple[str, str]] = set()
    for g in groups:
        if g.holds is False and g.minimal and g.severity:
            counts[g.severity] += 1
            grouped.update(g.cells)
    for cell in cells:
        if cell.status == "inconsistent" and (cell.row, cell.column) not in grouped:
            if cell.severity is None:  # a check that did not classify its verdict: shown, never guessed
                counts["unclassified"] = counts.get("unclassified", 0) + 1
            else:
                counts[cell.severity] += 1
    return counts


def unclassified(cells: list[Cell]) -> list[Cell]:
    """Inconsistent cells without a severity (a defect of the check that made them)."""
    return [c for c in cells if c.status == "inconsistent" and c.severity is None]


def count_statuses(cells: list[Cell]) -> dict[str, int]:
    """How many cells have each status, in the contract's order."""
    counts: dict[str, int] = {status: 0 for status in STATUSES}
    for cell in cells:
        counts[cell.status] += 1
    return counts


@dataclass
class TableResult:
    """One verified table: its cells, the groups judged together, readings and extra inferences.

    ``extra`` holds plain data and :class:`Cell` objects (rendered per language by
    :mod:`repro.contract`, never here).
    """

    id: str
    paper: str
    columns: list[str]
    cells: list[Cell]
    findings: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    groups: list[Group] = field(default_factory=list)
    readings: list[dict[str, Any]] = field(default_factory=list)
