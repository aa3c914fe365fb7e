"""Numbers as printed: parse, keep the printed precision, and the interval a printed value stands for.

The audit rule for "printed precision" (after statcheck and scrutiny): a value printed
with d decimals stands for the closed interval [v - 0.5*10^-d, v + 0.5*10^-d], so either
rounding direction at the half is accepted. A comparator (``<0.001``) stands for the
half-line it names. All bounds are exact fractions; floats are used only to compute.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from fractions import Fraction

_NUMBER = re.compile(r"^(?P<cmp><=|>=|[<>=≤≥])?\s*(?P<sign>[-−]?)\s*(?P<int>\d*)(?:[.,]\s*(?P<frac>\d*))?"
                     r"(?:\s*[eE](?P<exp>[-+−]?\d{1,4}))?\s*(?P<marks>\**)$")


@dataclass(frozen=True)
class Printed:
    """One number exactly as printed, with what it means.

    ``text`` is the printed string untouched; ``value`` the parsed value (exact) or None
    for text that is not a number; ``decimals`` the digits after the separator;
    ``comparator`` one of ``=``, ``<``, ``>``; ``marks`` the significance marks (``*``);
    ``oddities`` printing oddities found (``stray_space``).
    """

    text: str
    value: Fraction | None
    decimals: int = 0
    comparator: str = "="
    marks: str = ""
    oddities: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_number(self) -> bool:
        return self.value is not None

    @property
    def half_unit(self) -> Fraction:
        """Half a unit of the last printed digit (``decimals`` < 0 for a printed ``1.2e3``)."""
        return Fraction(1, 2) / Fraction(10) ** self.decimals

    @property
    def lo(self) -> Fraction:
        if self.value is None:
            raise ValueError(f"{self.text!r} is not a number")
        if self.comparator == "<":
            return Fraction(-10**9)
        return self.value - (0 if self.comparator == ">" else self.half_unit)

    @property
    def hi(self) -> Fraction:
        if self.value is None:
            raise ValueError(f"{self.text!r} is not a number")
        if self.comparator == ">":
            return Fraction(10**9)
        return self.value + (0 if self.comparator == "<" else self.half_unit)

    def __float__(self) -> float:
        if self.value is None:
            raise ValueError(f"{self.text!r} is not a number")
        return float(self.value)

    @property
    def number(self) -> Fraction:
        """The exact value, for code that has established :attr:`is_number` (else ValueError)."""
        if self.value is None:
            raise ValueError(f"{self.text!r} is not a number")
        return self.value

    def contains(self, x: float | Fraction, slack: float = 1e-12) -> bool:
        """Whether ``x`` rounds to the printed value (closed interval, both directions at the half)."""
        if isinstance(x, float) and not math.isfinite(x):
            return False
        return float(self.lo) - slack <= float(x) <= float(self.hi) + slack

    def overlaps(self, lo: float, hi: float, slack: float = 1e-12) -> bool:
        """Whether the interval [lo, hi] meets the printed interval."""
        return lo <= float(self.hi) + slack and hi >= float(self.lo) - slack


def parse_printed(text: str) -> Printed:
    """Parse a printed number (decimal comma or point, ``<``/``>``, ``2.99e-05``, trailing ``*``).

    A space inside the number (``0, 68``) is read through and recorded as the oddity
    ``stray_space``; text that is not a number gives ``value=None``.
    """
    raw = "" if text is None else str(text)
    stripped = raw.strip()
    match = _NUMBER.match(stripped)
    if not stripped or match is None or not (match.group("int") or match.group("frac")):
        return Printed(text=raw, value=None)
    oddities = []
    body = stripped[len(match.group("cmp") or ""):].strip()
    if re.search(r"\d\s*[.,]\s+\d|\d\s+[.,]", body):
        oddities.append("stray_space")
    int_part = match.group("int") or "0"
    frac_part = match.group("frac") or ""
    value = Fraction(int(int_part)) + (Fraction(int(frac_part), 10 ** len(frac_part)) if frac_part else 0)
    exponent = int(match.group("exp").replace("−", "-")) if match.group("exp") else 0
    if exponent:
        # scientific notation as software prints it (2.99e-05): the precision is the mantissa's
        value *= Fraction(10) ** exponent
    if match.group("sign"):
        value = -value
    cmp = match.group("cmp") or "="
    cmp = {"≤": "<", "<=": "<", "≥": ">", ">=": ">"}.get(cmp, cmp)
    return Printed(text=raw, value=value, decimals=len(frac_part) - exponent, comparator=cmp,
                   marks=match.group("marks") or "", oddities=tuple(oddities))

