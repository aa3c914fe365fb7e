"""FROZEN BASELINE for benchmarks only (repro/weak_orders.py before the one engine, commit 876ef70): the old k = 4 path, timed as a ratio. Not imported by the library.

Reconstruction of rank data for any small k: weak orders, sufficient statistics and a witness search.

A rater who ranks k items with ties gives a *weak order* (an ordered partition of the items);
there are 13 for k = 3 and 75 for k = 4 (the ordered Bell numbers). With midranks, a weak
order contributes to the centred half-unit rank sums D_j = 2 R_j - (k + 1) m and to the tie
total sum T = 6 t, t = sum over its tie blocks of (s^3 - s) / 6. Every printed statistic is
a function of (m, D, t) (Kendall 1948; the k = 3 case is :mod:`repro.reconstruct`):

    mean rank_j = (k + 1) / 2 + D_j / (2 m),  S = sum D_j^2 / 4,
    W = 12 S / (m^2 (k^3 - k) - 6 m t),  chi2 = m (k - 1) W,  p = P(chi2_{k-1} >= chi2).

``reconstruct_row_weak`` searches every m in a range and every (D, t) whose statistics round
to the printed row: the printed mean ranks pin each D_j to one or two integers, so the search
is exhaustive over the sufficient statistics. Whether a dataset attains a solution is decided
exactly by an integer feasibility program over the weak orders' multiplicities (HiGHS via
scipy.optimize.milp), which returns one such dataset. Unlike k = 3, the datasets behind a
solution are not counted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product

import numpy as np

from repro.printed import Printed
from repro.progress import advance

M4_MAX = 30  # the k = 4 search covers m = 2..30



@lru_cache(maxsize=8)
def weak_orders(k: int) -> tuple[tuple[tuple[int, ...], int], ...]:
    """All weak orders of k items as (D half-unit centred vector, tie units t), t descending."""
    out = set()
    for levels in product(range(k), repeat=k):  # item -> level; keep surjections onto 0..L-1
        used = sorted(set(levels))
        if used != list(range(len(used))):
            continue
        sizes = [levels.count(level) for level in used]
        start = [sum(sizes[:level]) for level in used]
        d = tuple(2 * start[lv] + sizes[lv] + 1 - (k + 1) for lv in levels)  # 2 * midrank - (k + 1)
        t = sum((s ** 3 - s) // 6 for s in sizes)
        out.add((d, t))
    return tuple(sorted(out, key=lambda o: (-o[1], o[0])))


def statistics(m: int, k: int, d: tuple[int, ...], t, corrected: bool = True):
    """(mean ranks..., W, p) from sufficient statistics; ``t`` may be a numpy array."""
    from scipy.stats import chi2

    S = sum(x * x for x in d) / 4.0
    t = np.asarray(t, dtype=float)
    denom = m * m * (k ** 3 - k) - (6.0 * m * t if corrected else 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        W = np.where(denom > 0, 12.0 * S / np.where(denom > 0, denom, 1.0), np.nan)
    p = chi2.sf(m * (k - 1) * W, k - 1)
    ranks = [(k + 1) / 2 + x / (2.0 * m) for x in d]
    return ranks, W, p


def find_witness(m: int, k: int, d: tuple[int, ...], t: int):
    """A multiset of m weak orders with sums (D, t), as a list of rankings, or None if none exists.

    An integer feasibility program over the weak orders' multiplicities x_w >= 0:
    sum x_w = m, sum x_w D_w = D (k - 1 independent rows), sum x_w t_w = t — solved by HiGHS
    through ``scipy.optimize.milp``, which also proves infeasibility.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    orders = weak_orders(k)
    A = np.array([[1] * len(orders)] + [[o[0][j] for o in orders] for j in range(k - 1)]
                 + [[o[1] for o in orders]], dtype=float)
    b = np.array([m] + list(d[: k - 1]) + [t], dtype=float)
    res = milp(c=np.zeros(len(orders)), constraints=LinearConstraint(A, b, b),
               integrality=np.ones(len(orders)), bounds=Bounds(0, m))
    if res.status != 0 or res.x is None:
        return None
    counts = np.rint(res.x).astype(int)
    if not np.array_equal(A @ counts, b):  # guard against a tolerance artefact of the solver
        return None
    return [tuple((k + 1) / 2 + x / 2 for x in orders[i][0]) for i, c in enumerate(counts) for _ in range(c)]


@dataclass
class WeakSolution:
    m: int
    d: tuple[int, ...]
    t: int
    count: int | None  # datasets behind the solution: not counted for k > 3
    statistics: tuple[float, ...]


@dataclass
class WeakReconstruction:
    solutions: list[WeakSolution] = field(default_factory=list)
    m_values: list[int] = field(default_factory=list)
    total_datasets: int | None = None
    example: list | None = None
    closest: WeakSolution | None = None
    closest_distance: float | None = None
    searched: tuple[int, int] = (2, 30)
    truncated: bool = False


def _d_window(printed: Printed, m: int, k: int, slack: int) -> range:
    """Integers D with (k+1)/2 + D/(2m) inside the printed interval, widened by ``slack`` either side."""
    centre = (k + 1) / 2
    lo = math.ceil((float(printed.lo) - centre) * 2 * m - 1e-9)
    hi = math.floor((float(printed.hi) - centre) * 2 * m + 1e-9)
    bound = (k - 1) * m
    return range(max(-bound, lo - slack), min(bound, hi + slack) + 1)


def _distance(value: float, printed: Printed) -> float:
    unit = 10.0 ** -printed.decimals
    return max(0.0, float(printed.lo) - value, value - float(printed.hi)) / unit


def reconstruct_row_weak(ranks: tuple[Printed, ...], W: Printed | None, p: Printed | None,
                         m_values: range = range(2, M4_MAX + 1), label: str = "", max_solutions: int = 1000,
                         corrected: bool = True) -> WeakReconstruction:
    """Every (m, D, t) whose mean ranks, W and p round to the printed row, each with a witness dataset.

    At most ``max_solutions`` solutions are proven and listed (``truncated`` says when more fit).
    When none exists, the closest attainable statistics (fewest printed cells missed, then the
    least distance in last-digit units) are returned with a dataset that attains them.
    """
    import heapq

    k = len(ranks)
    result = WeakReconstruction(searched=(m_values.start, m_values.stop - 1))
    nearest: list = []  # heap of (-score, m, d, t, stats): the closest candidates seen
    for m in m_values:
        advance("progress.reconstruct", m - m_values.start, len(m_values), label=label, m_max=m_values.stop - 1)
        windows = [_d_window(r, m, k, 2) for r in ranks[:-1]]
        t_values = np.arange(0, (k ** 3 - k) // 6 * m + 1)
        for head in product(*windows):
            d = tuple(head) + (-sum(head),)
            if abs(d[-1]) > (k - 1) * m:
                continue
            rks, Wv, pv = statistics(m, k, d, t_values, corrected)
            ok = np.isfinite(Wv)
            rank_parts = [_distance(r, pr) for r, pr in zip(rks, ranks)]
            score = np.full(t_values.shape, 1000.0 * sum(x > 0 for x in rank_parts) + sum(rank_parts))
            for values, pr in ((Wv, W), (pv, p)):
                if pr is not None:
                    unit = 10.0 ** -pr.decimals
                    miss = np.maximum(0.0, np.maximum(float(pr.lo) - values, values - float(pr.hi))) / unit
                    score = score + miss + 1000.0 * (miss > 0)
            score = np.where(ok, score, np.inf)
            for ti in np.flatnonzero(score == 0):
                if len(result.solutions) >= max_solutions:
                    result.truncated = True
                    break
                t = int(t_values[ti])
                witness = find_witness(m, k, d, t)
                if witness is None:
                    continue
                stats = tuple(rks) + (float(Wv[ti]), float(pv[ti]))
                result.solutions.append(WeakSolution(m, d, t, None, stats))
                if result.example is None:
                    result.example = witness
            if not result.solutions:
                for ti in np.argsort(score, kind="stable")[:3]:
                    if not np.isfinite(score[ti]):
                        break
                    item = (-float(score[ti]), -m, d, int(t_values[ti]),
                            tuple(rks) + (float(Wv[ti]), float(pv[ti])))
                    if len(nearest) < 200:
                        heapq.heappush(nearest, item)
                    elif item > nearest[0]:
                        heapq.heapreplace(nearest, item)
    advance("progress.reconstruct", len(m_values), len(m_values), label=label, m_max=m_values.stop - 1)
    result.m_values = sorted({s.m for s in result.solutions})
    if not result.solutions:
        for neg_score, neg_m, d, t, stats in sorted(nearest, reverse=True):
            witness = find_witness(-neg_m, k, d, t)
            if witness is not None:
                result.closest = WeakSolution(-neg_m, d, t, None, stats)
                result.closest_distance = (-neg_score) % 1000.0
                result.example = witness
                break
    return result
