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
from functools import cached_property
from fractions import Fraction

_NUMBER = re.compile(r"^(?P<cmp><=|>=|[<>=≤≥])?\s*(?P<sign>[-−]?)\s*(?P<int>[0-9]*)(?:[.,]\s*(?P<frac>[0-9]*))?"
                     r"(?:\s*[eE](?P<exp>[-+−]?[0-9]{1,4}))?\s*(?P<marks>\**)$")


@dataclass(frozen=True)
class Printed:
    """One number exactly as printed, with the interval of values it stands for.

    Attributes
    ----------
    text : str
        The printed string, untouched.
    value : Fraction or None
        The parsed value, exact; None for text that is not a number.
    decimals : int
        Digits after the decimal separator (less the exponent of ``2.99e-05``: 7 there).
    comparator : str
        ``=``, ``<`` or ``>`` (``≤``, ``<=`` read as ``<``; ``≥``, ``>=`` as ``>``).
    marks : str
        The significance marks printed after the number (``*``, ``**``).
    oddities : tuple of str
        Printing oddities read through, e.g. ``stray_space`` for ``0, 68``.

    Notes
    -----
    A value v printed with d decimals stands for the closed interval

    .. math:: [\\,v - \\tfrac12 10^{-d},\\; v + \\tfrac12 10^{-d}\\,]

    (:attr:`lo`, :attr:`hi`), so either rounding direction at the half is accepted, as statcheck
    widens a reported statistic by half its last digit (Nuijten et al. 2016); ``<0.001`` stands
    for the half-line up to 0.001 and ``>x`` for the half-line from x.

    References
    ----------
    Nuijten, M. B., Hartgerink, C. H. J., van Assen, M. A. L. M., Epskamp, S., & Wicherts, J. M.
    (2016). The prevalence of statistical reporting errors in psychology (1985-2013). *Behavior
    Research Methods*, 48(4), 1205-1226. https://doi.org/10.3758/s13428-015-0664-2

    Examples
    --------
    >>> from repro.printed import parse_printed
    >>> p = parse_printed("0,43")
    >>> p.value, p.decimals, p.lo, p.hi
    (Fraction(43, 100), 2, Fraction(17, 40), Fraction(87, 200))
    >>> p.contains(16 / 37), p.contains(15 / 36)   # 0.4324 rounds to 0,43; 0.4167 does not
    (True, False)
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

    @cached_property
    def half_unit(self) -> Fraction:
        """Half a unit of the last printed digit (``decimals`` < 0 for a printed ``1.2e3``)."""
        return Fraction(1, 2) / Fraction(10) ** self.decimals

    @cached_property
    def lo(self) -> Fraction:
        if self.value is None:
            raise ValueError(f"{self.text!r} is not a number")
        if self.comparator == "<":
            return Fraction(-10**9)
        return self.value - (0 if self.comparator == ">" else self.half_unit)

    @cached_property
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
        """Whether ``x`` rounds to the printed value: lo - slack <= x <= hi + slack.

        The interval is closed (both rounding directions at the half); ``slack`` absorbs the
        floating-point error of a computed ``x``. A NaN or infinite ``x`` is never contained.
        """
        if isinstance(x, float) and not math.isfinite(x):
            return False
        return float(self.lo) - slack <= float(x) <= float(self.hi) + slack

    def overlaps(self, lo: float, hi: float, slack: float = 1e-12) -> bool:
        """Whether the interval [lo, hi] (what a computation can give) meets the printed interval.

        Examples
        --------
        >>> from repro.printed import parse_printed
        >>> parse_printed("0,43").overlaps(0.42, 0.425), parse_printed("0,43").overlaps(0.40, 0.42)
        (True, False)
        """
        return lo <= float(self.hi) + slack and hi >= float(self.lo) - slack


def parse_printed(text: str) -> Printed:
    """Parse a number as a paper prints it, keeping its precision.

    Parameters
    ----------
    text : str
        The printed text: a decimal comma or point, an optional comparator (``<``, ``>``,
        ``≤``, ``≥``, ``<=``, ``>=``), a sign, scientific notation (``2.99e-05``) and trailing
        significance marks (``*``). A space inside the number (``0, 68``) is read through and
        recorded as the oddity ``stray_space``.

    Returns
    -------
    Printed
        The exact value with its decimals, comparator, marks and oddities; for text that is not
        a number (``n.s.``, empty), a :class:`Printed` with ``value`` None. Never raises.

    Examples
    --------
    >>> from repro.printed import parse_printed
    >>> p = parse_printed("0,001*")
    >>> p.value, p.decimals, p.marks, p.lo, p.hi
    (Fraction(1, 1000), 3, '*', Fraction(1, 2000), Fraction(3, 2000))
    >>> parse_printed("<0.001").comparator, parse_printed("0, 68").oddities
    ('<', ('stray_space',))
    >>> parse_printed("2.99e-05").decimals, parse_printed("n.s.").is_number
    (7, False)
    """
    from repro.numerals import ascii_digits, too_many_digits

    raw = "" if text is None else str(text)
    stripped = ascii_digits(raw).strip()
    if too_many_digits(stripped):
        return Printed(text=raw, value=None, oddities=("too_many_digits",))
    match = _NUMBER.match(stripped)
    if not stripped or match is None or not (match.group("int") or match.group("frac")):
        return Printed(text=raw, value=None)
    oddities = []
    body = stripped[len(match.group("cmp") or ""):].strip()
    if re.search(r"\d\s*[.,]\s+\d|\d\s+[.,]", body):
        oddities.append("stray_space")
    int_part = match.group("int") or "0"
    frac_part = match.group("frac") or ""
    value = Fraction(int(int_part + frac_part), 10 ** len(frac_part))  # int.frac exactly, in lowest terms
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

