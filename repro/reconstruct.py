"""Exact dataset counts for k = 3 (generating functions); the row search is :mod:`repro.ranksums`.

CORVIDS-style: instead of sampling datasets (SPRITE), every dataset of m raters ranking
3 items, ties allowed, is accounted for through its sufficient statistics. A rater's
ranking is one of 13 weak orders: 6 strict, 6 with one tied pair, 1 all tied. With
D_j = 2 R_j - 4 m (rank sums in half units, centred), every printed statistic is a
function of (m, D_1, D_2, t) where t = (number of tied-pair raters) + 4 (all-tied raters):

    mean rank_j = 2 + D_j / (2 m),  S = (D_1^2 + D_2^2 + D_3^2) / 4,  sum T = 6 t,
    W = 12 S / (24 m^2 - 6 m t)  (tie-corrected; 12 S / 24 m^2 uncorrected),
    chi2 = 2 m W,  p = exp(-m W)  (chi-square upper tail on 2 df).

The number of datasets (multisets of weak orders, raters unordered) with given
sufficient statistics is counted exactly by generating functions: strict and tied-pair
rankings are counted separately by size and D, then convolved.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations_with_replacement

import numpy as np

from repro.printed import Printed

from repro.limits import RANKSUMS_COUNT_M_MAX as M_MAX  # noqa: E402

C = 2 * M_MAX  # offset of D = 0 in the count arrays
STRICT = [(-2, 0, 2), (-2, 2, 0), (0, -2, 2), (0, 2, -2), (2, -2, 0), (2, 0, -2)]
PAIR = [(-1, -1, 2), (-1, 2, -1), (2, -1, -1), (-2, 1, 1), (1, -2, 1), (1, 1, -2)]
ALL_TIED = (0, 0, 0)
WEAK_ORDERS = STRICT + PAIR + [ALL_TIED]


def ranks_of(move: tuple[int, int, int]) -> tuple[float, float, float]:
    """Ranks of one weak order from its centred half-unit vector."""
    a, b, c = move
    return 2 + a / 2, 2 + b / 2, 2 + c / 2


def tie_units(move: tuple[int, int, int]) -> int:
    """Contribution to t (sum T / 6) of one weak order: 0 strict, 1 tied pair, 4 all tied."""
    if move == ALL_TIED:
        return 4
    return 1 if move in PAIR else 0


@lru_cache(maxsize=2)
def multiset_counts(kind: str, m_max: int = M_MAX) -> np.ndarray:
    """counts[n, C + D1, C + D2]: multisets of n rankings of ``kind`` ('strict'|'pair') with sums D."""
    if m_max > M_MAX:
        raise ValueError(f"m_max {m_max} > M_MAX {M_MAX}: the arrays are sized for M_MAX")
    moves = STRICT if kind == "strict" else PAIR
    size = 2 * C + 1
    counts = np.zeros((m_max + 1, size, size), dtype=np.int64)
    counts[0, C, C] = 1
    for d1, d2, _ in moves:
        for n in range(1, m_max + 1):
            # n - 1 rankings reach |D| <= 2 (n - 1) <= C - 2: only that square is non-zero, and its shift
            # by one move stays inside the array (what np.roll of the whole array gave, without the zeros)
            lo, hi = C - 2 * (n - 1), C + 2 * (n - 1) + 1
            counts[n, lo + d1:hi + d1, lo + d2:hi + d2] += counts[n - 1, lo:hi, lo:hi]
    return counts


def _conv_at(a: np.ndarray, b: np.ndarray, d1: int, d2: int) -> int:
    """(a * b)(d1, d2) for arrays indexed with offset C: sum_x a[d - x] b[x]."""
    size = a.shape[0]
    lo1, hi1 = max(0, d1), min(size, size + d1)
    lo2, hi2 = max(0, d2), min(size, size + d2)
    # x index i in b pairs with index (C + d) - (i - C) = 2C + d - i in a
    i1 = np.arange(lo1, hi1)
    i2 = np.arange(lo2, hi2)
    j1 = 2 * C + d1 - i1
    j2 = 2 * C + d2 - i2
    ok1 = (j1 >= 0) & (j1 < size)
    ok2 = (j2 >= 0) & (j2 < size)
    sub_b = b[np.ix_(i1[ok1], i2[ok2])]
    sub_a = a[np.ix_(j1[ok1], j2[ok2])]
    return int(np.sum(sub_a * sub_b)) if sub_b.size else 0


def count_datasets(m: int, d1: int, d2: int, t: int) -> int:
    """Exact number of datasets (multisets of m weak orders) with sums (D1, D2) and tie units t."""
    strict = multiset_counts("strict")
    pair = multiset_counts("pair")
    total = 0
    for a in range(0, t // 4 + 1):
        b = t - 4 * a
        s = m - a - b
        if b < 0 or s < 0:
            continue
        if abs(d1) > 2 * (s + b) or abs(d2) > 2 * (s + b):
            continue
        total += _conv_at(strict[s], pair[b], d1, d2)
    return total


def example_dataset(m: int, d1: int, d2: int, t: int) -> list[tuple[float, float, float]] | None:
    """One dataset (list of m rankings) with the given sufficient statistics, or None."""
    strict = multiset_counts("strict")
    pair = multiset_counts("pair")
    for a in range(0, t // 4 + 1):
        b = t - 4 * a
        s = m - a - b
        if b < 0 or s < 0:
            continue
        # find a split D = D_strict + D_pair with both parts reachable
        for x1 in range(-2 * b, 2 * b + 1):
            for x2 in range(-2 * b, 2 * b + 1):
                y1, y2 = d1 - x1, d2 - x2
                if abs(y1) > 2 * s or abs(y2) > 2 * s:
                    continue
                if pair[b, C + x1, C + x2] and strict[s, C + y1, C + y2]:
                    rows = _walk(strict, STRICT, s, y1, y2) + _walk(pair, PAIR, b, x1, x2)
                    rows += [ALL_TIED] * a
                    return [ranks_of(r) for r in rows]
    return None


def _walk(counts: np.ndarray, moves: list, n: int, d1: int, d2: int) -> list[tuple[int, int, int]]:
    """Peel one ranking at a time off a reachable state (any path of the generating function)."""
    out = []
    while n > 0:
        for mv in moves:
            e1, e2 = d1 - mv[0], d2 - mv[1]
            if abs(e1) <= 2 * (n - 1) and abs(e2) <= 2 * (n - 1) and counts[n - 1, C + e1, C + e2]:
                out.append(mv)
                d1, d2, n = e1, e2, n - 1
                break
        else:  # pragma: no cover - unreachable when the state is reachable
            raise RuntimeError("state not reachable")
    return out


def row_statistics(m: int, d1, d2, t, corrected: bool = True):
    """(mean ranks r1, r2, r3, W, p) from sufficient statistics; works on numpy arrays."""
    d3 = -(d1 + d2)
    S = (d1 * d1 + d2 * d2 + d3 * d3) / 4.0
    denom = 24.0 * m * m - (6.0 * m * t if corrected else 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        W = np.where(denom > 0, 12.0 * S / np.where(denom > 0, denom, 1.0), np.nan)
    p = np.exp(-m * W)
    return 2 + d1 / (2.0 * m), 2 + d2 / (2.0 * m), 2 + d3 / (2.0 * m), W, p


# The row search itself lives in the one engine (:mod:`repro.ranksums`); these names stay for callers.
from repro.ranksums import RowReconstruction, Solution  # noqa: E402,F401


def reconstruct_row(ranks: tuple[Printed, Printed, Printed], W: Printed, p: Printed,
                    m_values: range = range(2, M_MAX + 1), corrected: bool = True,
                    label: str = "") -> RowReconstruction:
    """Every dataset of m raters ranking 3 items (ties allowed) that reproduces the printed row.

    A thin wrapper of :func:`repro.ranksums.reconstruct_row`: the windows of the rank sums come
    from the printed intervals exactly (any printed precision), and the datasets are counted by
    :func:`count_datasets` for m <= RANKSUMS_COUNT_M_MAX.
    """
    from repro.ranksums import reconstruct_row as engine

    return engine(ranks, W, p, m_values, ties=True, corrected=corrected, label=label)


def brute_force_row(ranks, W, p, m: int, corrected: bool = True) -> dict[tuple[int, int, int], int]:
    """Plain enumeration of every multiset of m weak orders; {(D1, D2, t): count} of those matching.

    Used by the tests and the benchmark to check :func:`reconstruct_row` on small m.
    """
    printed = list(ranks) + [W, p]
    found: dict[tuple[int, int, int], int] = {}
    for combo in combinations_with_replacement(WEAK_ORDERS, m):
        d1 = sum(c[0] for c in combo)
        d2 = sum(c[1] for c in combo)
        t = sum(tie_units(c) for c in combo)
        stats = row_statistics(m, np.float64(d1), np.float64(d2), np.float64(t), corrected)
        if all(np.isfinite(x) and pr.contains(float(x)) for x, pr in zip(stats, printed)):
            key = (d1, d2, t)
            found[key] = found.get(key, 0) + 1
    return found
