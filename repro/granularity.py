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


def share_numerators(printed: Printed, n: int) -> list[int]:
    """All integers k in [0, n] with k/n inside the printed interval of the share."""
    if not printed.is_number or n <= 0:
        return []
    lo = max(Fraction(0), printed.lo)
    hi = min(Fraction(1), printed.hi)
    first = math.ceil(lo * n)
    last = math.floor(hi * n)
    return list(range(max(first, 0), min(last, n) + 1))


def feasible_denominators(shares: list[Printed], n_max: int = 200, n_min: int = 1) -> list[int]:
    """Every N in [n_min, n_max] for which each share equals k/N at the printed precision."""
    return [n for n in range(n_min, n_max + 1) if all(share_numerators(s, n) for s in shares)]


def rank_sum_candidates(mean_rank: Printed, m: int, ties: bool = True) -> list[Fraction]:
    """Rank sums R (multiples of 1/2 with ties, integers without) with R/m in the printed interval."""
    step = 2 if ties else 1
    lo = math.ceil(mean_rank.lo * m * step)
    hi = math.floor(mean_rank.hi * m * step)
    return [Fraction(u, step) for u in range(lo, hi + 1)]


def feasible_rater_counts(mean_ranks: list[Printed], k: int, m_values: range, ties: bool = True) -> list[int]:
    """Numbers of raters m for which the printed mean ranks are attainable together.

    Each rank sum R_j must lie in m times its printed interval and the R_j must add up
    to m k (k+1) / 2, as the ranks of every rater do.
    """
    out = []
    for m in m_values:
        target = Fraction(m * k * (k + 1), 2)
        cands = [rank_sum_candidates(r, m, ties) for r in mean_ranks]
        if any(not c for c in cands):
            continue
        lo = sum(c[0] for c in cands)
        hi = sum(c[-1] for c in cands)
        step = Fraction(1, 2) if ties else Fraction(1)
        if lo <= target <= hi and (target - lo) % step == 0:
            out.append(m)
    return out
