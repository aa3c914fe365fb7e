"""GRIM-style granularity tests for shares and mean ranks, in exact integer arithmetic.

A share printed as v with d decimals is attainable with N judgments iff some integer
k in [0, N] has |k/N - v| <= 0.5*10^-d (Brown & Heathers 2017, GRIM; both rounding
directions at the half accepted). A mean rank of m raters is a rank sum divided by m,
the rank sum a multiple of 1/2 when ties are allowed (midranks) or an integer without.
"""

from __future__ import annotations

import math
from fractions import Fraction

from repro.printed import Printed


def share_numerators(printed: Printed, n: int) -> range:
    """Every count k out of n whose share k/n the printed share can stand for (GRIM).

    Parameters
    ----------
    printed : Printed
        The share as printed (``0,43``): with d decimals it stands for the closed interval
        [v - 0.5 10^-d, v + 0.5 10^-d] (both rounding directions at the half).
    n : int
        The denominator: the number of judgments the share is taken of.

    Returns
    -------
    range
        Every integer k in [0, n] with k/n inside the printed interval, i.e.
        ceil(n lo) <= k <= floor(n hi), computed in exact fractions; empty when no count fits
        (or the printed text is not a number, or n is not a whole number >= 1). A ``range`` is
        never materialised, so N = 10^12 costs nothing.

    References
    ----------
    Brown, N. J. L., & Heathers, J. A. J. (2017). The GRIM test: a simple technique detects
    numerous anomalies in the reporting of results in psychology. *Social Psychological and
    Personality Science*, 8(4), 363-369. https://doi.org/10.1177/1948550616673876

    Examples
    --------
    0,43 is no share of 36 judgments (15/36 = 0.417, 16/36 = 0.444), but 16 of 37 is 0.432:

    >>> from repro.granularity import share_numerators
    >>> from repro.printed import parse_printed
    >>> list(share_numerators(parse_printed("0,43"), 36)), list(share_numerators(parse_printed("0,43"), 37))
    ([], [16])
    """
    if not printed.is_number or not isinstance(n, int) or n <= 0:
        return range(0)
    lo = max(Fraction(0), printed.lo)
    hi = min(Fraction(1), printed.hi)
    first = math.ceil(lo * n)
    last = math.floor(hi * n)
    return range(max(first, 0), min(last, n) + 1)


def nearest_numerator(printed: Printed, n: int) -> int:
    """The k in [0, n] whose k/n is nearest the printed value (ties: the smaller k), exact arithmetic."""
    value = min(max(Fraction(printed.number), Fraction(0)), Fraction(1))
    low = math.floor(value * n)
    return min((k for k in (low, low + 1) if 0 <= k <= n), key=lambda k: (abs(Fraction(k, n) - value), k))


def feasible_denominators(shares: list[Printed], n_max: int = 200, n_min: int = 1) -> list[int]:
    """Every denominator N for which all the printed shares are counts out of N (GRIM).

    Parameters
    ----------
    shares : list of Printed
        Shares printed with their precision; all are to be k_i / N for one N.
    n_max, n_min : int
        The range of N searched, both ends included.

    Returns
    -------
    list of int
        Every N in [n_min, n_max] such that each share has an integer k_i in [0, N] with
        |k_i / N - v_i| <= 0.5 10^-d_i (see :func:`share_numerators`).

    References
    ----------
    Brown, N. J. L., & Heathers, J. A. J. (2017). The GRIM test: a simple technique detects
    numerous anomalies in the reporting of results in psychology. *Social Psychological and
    Personality Science*, 8(4), 363-369. https://doi.org/10.1177/1948550616673876

    Examples
    --------
    >>> from repro.granularity import feasible_denominators
    >>> from repro.printed import parse_printed
    >>> feasible_denominators([parse_printed("0,43"), parse_printed("0,74")], n_max=40)
    [23, 35]
    """
    if any(not s.is_number for s in shares):
        return []
    # share_numerators per N, with each share's interval taken once as exact integer ratios:
    # ceil(lo n) = -((-a n) // b) and floor(hi n) = (c n) // d for lo = a/b, hi = c/d
    bounds = []
    for s in shares:
        lo, hi = max(Fraction(0), s.lo), min(Fraction(1), s.hi)
        bounds.append((lo.numerator, lo.denominator, hi.numerator, hi.denominator))
    return [n for n in range(max(n_min, 1), n_max + 1)
            if all(max(-((-a * n) // b), 0) <= min((c * n) // d, n) for a, b, c, d in bounds)]


def rank_sum_bounds(mean_rank: Printed, m: int, step: int = 2) -> tuple[int, int]:
    """(first, last) rank sum in units of 1/step with R/m inside the printed interval (first > last: none).

    Integer arithmetic on the exact printed bounds, for any m (no list of candidates is built).
    """
    lo, hi = mean_rank.lo, mean_rank.hi
    return math.ceil(lo * m * step), math.floor(hi * m * step)


def rank_sum_candidates(mean_rank: Printed, m: int, ties: bool = True) -> list[Fraction]:
    """Every rank sum R that m raters can give an item with the printed mean rank.

    Parameters
    ----------
    mean_rank : Printed
        The mean rank as printed; it stands for its rounding interval [lo, hi].
    m : int
        Number of raters.
    ties : bool
        Whether raters may tie (midranks): R is then a multiple of 1/2, else an integer.

    Returns
    -------
    list of Fraction
        Every R = u / s (s = 2 with ties, 1 without, u an integer) with lo <= R / m <= hi:
        the GRIM test applied to a mean of m ranks.

    References
    ----------
    Brown, N. J. L., & Heathers, J. A. J. (2017). The GRIM test: a simple technique detects
    numerous anomalies in the reporting of results in psychology. *Social Psychological and
    Personality Science*, 8(4), 363-369. https://doi.org/10.1177/1948550616673876

    Examples
    --------
    A mean rank of 1,84 from 16 raters needs a rank sum of 29.5, so at least one tie:

    >>> from repro.granularity import rank_sum_candidates
    >>> from repro.printed import parse_printed
    >>> rank_sum_candidates(parse_printed("1,84"), 16), rank_sum_candidates(parse_printed("1,84"), 16, ties=False)
    ([Fraction(59, 2)], [])
    """
    step = 2 if ties else 1
    lo = math.ceil(mean_rank.lo * m * step)
    hi = math.floor(mean_rank.hi * m * step)
    return [Fraction(u, step) for u in range(lo, hi + 1)]


def feasible_rater_counts(mean_ranks: list[Printed], k: int, m_values: range, ties: bool = True) -> list[int]:
    """Every number of raters m for which the printed mean ranks are attainable together.

    Parameters
    ----------
    mean_ranks : list of Printed
        The k printed mean ranks of one row.
    k : int
        Number of items ranked.
    m_values : range
        The numbers of raters searched.
    ties : bool
        Whether raters may tie (rank sums in halves) or not (integers).

    Returns
    -------
    list of int
        Every m in ``m_values`` for which rank sums R_j exist with R_j / m in the printed
        interval of each mean rank (:func:`rank_sum_candidates`) and

        .. math:: \\sum_{j=1}^{k} R_j = \\frac{m k (k + 1)}{2},

        as the ranks 1..k of every rater add up to k (k + 1) / 2.

    References
    ----------
    Brown, N. J. L., & Heathers, J. A. J. (2017). The GRIM test: a simple technique detects
    numerous anomalies in the reporting of results in psychology. *Social Psychological and
    Personality Science*, 8(4), 363-369. https://doi.org/10.1177/1948550616673876

    Examples
    --------
    1,67; 2,00; 2,33 (thirds) fit every third m up to 12 without ties; Table 3's first row of
    paper 004, 1,84; 1,66; 2,48, sums to at most 5,995 within rounding, not 6, and fits no m:

    >>> from repro.granularity import feasible_rater_counts
    >>> from repro.printed import parse_printed
    >>> row = [parse_printed(x) for x in ("1,67", "2,00", "2,33")]
    >>> feasible_rater_counts(row, 3, range(2, 13), ties=False)
    [3, 6, 9, 12]
    >>> feasible_rater_counts([parse_printed(x) for x in ("1,84", "1,66", "2,48")], 3, range(2, 61))
    []
    """
    step = 2 if ties else 1
    out = []
    # rank_sum_bounds for every m, with each mean rank's interval taken once as integer ratios
    # (ceil(lo m s) = -((-a m s) // b), floor(hi m s) = (c m s) // d for lo = a/b, hi = c/d)
    ratios = [(r.lo.numerator, r.lo.denominator, r.hi.numerator, r.hi.denominator) for r in mean_ranks]
    for m in m_values:
        ms = m * step
        bounds = [(-((-a * ms) // b), (c * ms) // d) for a, b, c, d in ratios]
        if any(first > last for first, last in bounds):
            continue
        # the rank sums are whole numbers of 1/step units, so every total between the bounds is reachable
        target = m * k * (k + 1) // 2 * step
        if sum(first for first, _ in bounds) <= target <= sum(last for _, last in bounds):
            out.append(m)
    return out
