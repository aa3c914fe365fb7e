"""One reconstruction engine for a printed Kendall/Friedman row: rank sums, W and p, any k and m.

Given m raters, k items and a printed row (mean ranks, W, p, each standing for the interval of its
printed rounding), the engine decides one of three outcomes for every m it is asked about:

* **consistent**: a concrete m x k table of rankings is returned (the *witness*) whose mean ranks,
  W and p, recomputed by :func:`repro.kendall.kendall_w`, round to the printed row;
* **impossible**: a necessary condition fails, and the condition is named;
* **undecided**: the conditions hold but the search found no witness within its budget; the gap
  is stated.

Notation. R_i is the rank sum of item i; all rank sums are handled in *half units*
r_i = 2 R_i (midranks of tied items are half-integers), centred at c = m (k + 1).
Q = sum_i (r_i - c)^2 = 4 S, D = m^2 (k^3 - k), and with a tie total sum T (T = sum over raters of
sum over tie blocks of t^3 - t):

    W_uncorrected = 12 S / D = 3 Q / D,   W = 12 S / (D - m sum T) = 3 Q / (D - m sum T),
    chi2 = m (k - 1) W,   p = P(chi2_{k-1} >= chi2)      (Kendall & Babington Smith 1939).

**Strict rankings (Birkhoff–von Neumann).** m strict rankings of k items exist with rank sums R
if and only if there is a k x k matrix N of non-negative integers with every row and every column
summing to m and sum_j j N_ij = R_i. *Proof.* Given rankings, let N_ij count the raters who put
item i at position j: each rater puts each item at one position and one item at each position, so
rows and columns sum to m, and item i's rank sum is sum_j j N_ij. Conversely N is the biadjacency
matrix of an m-regular bipartite multigraph (items x positions); by König's edge-colouring theorem
(König 1916; equivalently the Birkhoff 1946 – von Neumann 1953 theorem applied to N / m, with
Hall's theorem for integrality) its edges split into m perfect matchings, i.e. N is a sum of m
permutation matrices P^1..P^m; rater r ranks item i at the position j with P^r_ij = 1, and the rank
sums are the row sums of j N_ij. :func:`_decompose_regular` does this split constructively.
Reference: Brualdi, *Combinatorial Matrix Classes* (2006), ch. 4, doi:10.1017/CBO9780511721182.

**Weak orders (ties).** A rater with ties gives an ordered partition of the items into blocks of
sizes s_1, s_2, ... (a *composition* of k); an item in the block covering positions a+1..a+s gets
the midrank a + (s + 1) / 2 and the rater's tie total is sum (s^3 - s). For a set of compositions
(block structures) F, take integers n_p (raters with structure p, sum n_p = m) and X^p_ib (raters
with structure p that put item i in block b) with sum_b X^p_ib = n_p and sum_i X^p_ib = s_b n_p.
Every such solution is a dataset: split the X^p_ib edges of block b into its s_b positions, n_p
each; the result is an n_p-regular bipartite multigraph, which splits into n_p perfect matchings
(König again), each one a weak order with structure p. Conversely every dataset gives such a
solution. With F = all 2^(k-1) compositions the formulation is therefore *exact* (used for
k <= ``limits.RANKSUMS_EXACT_TIES_K``); with a smaller F it is *sound*: a solution is a dataset, no
solution proves nothing (the outcome is then "undecided", never "impossible").

**Necessary conditions** (each gives "impossible" with its name):

* granularity: r_i is an integer (even for strict rankings) in [2 m lo_i, 2 m hi_i] and in
  [2m, 2mk];
* rank sum: sum_i R_i = m k (k + 1) / 2;
* majorization (Landau-type): every s items together have rank sum >= m s (s + 1) / 2 (the s best
  positions), since each rater's (mid)rank vector lies in the permutohedron;
* W and p: W in its printed interval and in the interval the printed p gives at (m, k);
* S: the mean ranks fix Q within [Q_min, Q_max] (exact, by a greedy and a dynamic programme over
  the rank-sum box); the printed W needs Q in a window (strict), or W_uncorrected <= W_hi (ties:
  the correction only raises W);
* tie total: 3 h <= sum T <= m (k^3 - k) - 12 S / m, h = number of half-integer rank sums (each
  needs an even block, s^3 - s >= 3 s), and the upper bound is W <= 1 (Cauchy–Schwarz over raters:
  S <= m sum_r sum_i (v_ri - c)^2 = m (m (k^3 - k) - sum T) / 12).

**Search.** Within the rank-sum box with the exact sum, Q moves between its minimum x and maximum y
by unit transfers (r_i - step, r_j + step), each changing Q by at most G = 2 step (max r - min r) +
2 step^2; walking such a path visits a vector in every Q window of width >= G inside [Q_min, Q_max]
(discrete intermediate values). Candidates found on the walk are checked for majorization and
realised: strict rankings by peeling permutations (the sorted assignment, keeping the remainder
majorized) down to two raters and an exact integer program for the rest (HiGHS via
``scipy.optimize.milp``, silenced); ties by the block-structure programme above.

Example
-------
>>> from repro.printed import parse_printed as P
>>> d = decide([P("1,6"), P("2"), P("2,6")], P("0,6"), P("0,002*"), m=10)
>>> d.status
'consistent'
"""

from __future__ import annotations

import csv
import heapq
import math
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from itertools import product

import numpy as np

from repro import limits
from repro.printed import Printed
from repro.progress import advance

# ------------------------------------------------------------------------------------- solver hygiene


@contextmanager
def silenced_fd1():
    """Redirect file descriptor 1 to /dev/null (HiGHS' C code writes diagnostics there, D9)."""
    try:
        sys.stdout.flush()
    except (ValueError, OSError):  # pragma: no cover - closed stdout
        pass
    try:
        saved = os.dup(1)
    except OSError:  # pragma: no cover - no fd 1 at all
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def _milp(c, constraints, integrality, bounds):
    """HiGHS through scipy, silenced, with a deterministic work cap (branch-and-bound nodes) so a
    verdict never depends on the machine's load; the wall-clock cap is only a safety net."""
    from scipy.optimize import milp

    with silenced_fd1():
        return milp(c=c, constraints=constraints, integrality=integrality, bounds=bounds,
                    options={"disp": False, "node_limit": int(limits.RANKSUMS_MILP_NODES),
                             "time_limit": float(limits.RANKSUMS_MILP_SECONDS)})


# ------------------------------------------------------------------------------------- printed intervals


def _bounds(pr: Printed | None) -> tuple[Fraction, Fraction] | None:
    if pr is None or not pr.is_number:
        return None
    return pr.lo, pr.hi


@lru_cache(maxsize=4096)
def _chi2_isf(q: float, df: int) -> float:
    """:func:`repro.kendall.chi2_isf`, computed once per (q, df): w_window asks the same two per m."""
    from repro.kendall import chi2_isf

    return chi2_isf(q, df)


def w_window(W: Printed | None, p: Printed | None, m: int, k: int) -> tuple[float, float] | None:
    """The W interval allowed at (m, k) by the printed W and by the printed p (None when empty)."""
    lo, hi = 0.0, 1.0
    if W is not None and W.is_number:
        lo, hi = max(lo, float(W.lo)), min(hi, float(W.hi))
    if p is not None and p.is_number:
        df = k - 1
        p_hi, p_lo = float(p.hi), float(p.lo)
        w_from_phi = 0.0 if p_hi >= 1 else _chi2_isf(p_hi, df) / (m * df)
        w_from_plo = 1.0 if p_lo <= 0 else _chi2_isf(p_lo, df) / (m * df)
        # the sf is evaluated in floats: allow the slack Printed.contains allows
        lo, hi = max(lo, w_from_phi * (1 - 1e-9) - 1e-12), min(hi, w_from_plo * (1 + 1e-9) + 1e-12)
    if W is not None and W.is_number:
        lo, hi = lo - 1e-12, hi + 1e-12
    return (max(lo, 0.0), hi) if lo <= hi else None


@lru_cache(maxsize=4096)
def _bound_parts(pr: Printed) -> tuple[int, int, int, int]:
    """(numerator, denominator) of the printed interval's ends, computed once per printed value."""
    lo, hi = pr.lo, pr.hi
    return lo.numerator, lo.denominator, hi.numerator, hi.denominator


def rank_box(ranks: list[Printed], m: int, step: int) -> tuple[list[int], list[int]]:
    """Per item the least and largest half-unit rank sum r = 2R inside the printed mean rank.

    ``step`` is 2 for strict rankings (R integer), 1 with ties. Exact (integer arithmetic on the
    printed bounds' fractions).
    """
    k = len(ranks)
    a, b = [], []
    for pr in ranks:
        ln, ld, hn, hd = _bound_parts(pr)
        first = max(2 * m, -((-2 * m * ln) // ld))  # ceil(2 m lo)
        last = min(2 * m * k, (2 * m * hn) // hd)   # floor(2 m hi)
        if step == 2:
            first += first % 2
            last -= last % 2
        a.append(first)
        b.append(last)
    return a, b


def majorization_gap(r: np.ndarray | list[int] | tuple[int, ...], m: int) -> int | None:
    """The smallest s whose s lowest half-unit rank sums fall below m s (s + 1) (None when none)."""
    r = np.sort(np.asarray(r, dtype=np.int64))
    s = np.arange(1, r.size + 1, dtype=np.int64)
    bad = np.flatnonzero(np.cumsum(r) < m * s * (s + 1))
    return int(bad[0]) + 1 if bad.size else None


# ------------------------------------------------------------------------------------- Q over the box


def _q_min(a, b, step, target, c):
    """(Q_min, argmin) of sum (r_i - c)^2 over the box with sum r = target: greedy by marginal cost.

    Exact: a separable convex function under one sum constraint is minimised by taking the
    cheapest increments first (Gale/Fox; the increments of each term are increasing).
    """
    r = list(a)
    need = (target - sum(a)) // step
    heap = [((r[i] + step - c) ** 2 - (r[i] - c) ** 2, i) for i in range(len(a)) if r[i] < b[i]]
    heapq.heapify(heap)
    for _ in range(need):
        _, i = heapq.heappop(heap)
        r[i] += step
        if r[i] < b[i]:
            heapq.heappush(heap, ((r[i] + step - c) ** 2 - (r[i] - c) ** 2, i))
    return sum((x - c) ** 2 for x in r), r


def _q_max(a, b, step, target, c):
    """(Q_max, argmax) over the box with sum r = target: dynamic programme over partial sums (exact)."""
    k = len(a)
    span = [(b[i] - a[i]) // step for i in range(k)]
    total = (target - sum(a)) // step
    best = np.full(total + 1, -1, dtype=np.int64)
    best[0] = 0
    choice = np.zeros((k, total + 1), dtype=np.int32)
    for i in range(k):
        new = np.full(total + 1, -1, dtype=np.int64)
        pick = np.zeros(total + 1, dtype=np.int32)
        for u in range(min(span[i], total) + 1):
            val = (a[i] + u * step - c) ** 2
            cand = np.full(total + 1, -1, dtype=np.int64)
            ok = best[: total + 1 - u] >= 0
            cand[u:] = np.where(ok, best[: total + 1 - u] + val, -1)
            better = cand > new
            new[better], pick[better] = cand[better], u
        best, choice[i] = new, pick
    r, rest = [0] * k, total
    for i in range(k - 1, -1, -1):
        u = int(choice[i, rest])
        r[i] = a[i] + u * step
        rest -= u
    return int(best[total]), r


def _walk(x, y, step, c, q_lo, q_hi, cap):
    """Vectors with Q in [q_lo, q_hi] on a path of unit transfers from x to y (at most ``cap``)."""
    x = np.array(x, dtype=np.int64)
    y = np.array(y, dtype=np.int64)
    q = int(((x - c) ** 2).sum())
    found = []
    if q_lo <= q <= q_hi:
        found.append(x.copy())
    for _ in range(int(np.abs(x - y).sum() // (2 * step)) + 1):
        donors = np.flatnonzero(x > y)
        takers = np.flatnonzero(x < y)
        if not donors.size or not takers.size:
            break
        gain_d = (x[donors] - step - c) ** 2 - (x[donors] - c) ** 2
        gain_t = (x[takers] + step - c) ** 2 - (x[takers] - c) ** 2
        if q < q_lo:  # move up as fast as possible, else as slowly as possible (stay in the window)
            i, j = donors[np.argmax(gain_d)], takers[np.argmax(gain_t)]
        else:
            i, j = donors[np.argmin(gain_d)], takers[np.argmin(gain_t)]
        q += int((x[i] - step - c) ** 2 - (x[i] - c) ** 2 + (x[j] + step - c) ** 2 - (x[j] - c) ** 2)
        x[i] -= step
        x[j] += step
        if q_lo <= q <= q_hi:
            found.append(x.copy())
            if len(found) >= cap:
                break
    return found


def _explore(start, a, b, step, c, q_lo, q_hi, cap, seed):
    """More vectors of the box with the same sum and Q in [q_lo, q_hi]: a seeded random walk of
    unit transfers from ``start`` (deterministic for a given m)."""
    rng = np.random.default_rng(seed)
    x = np.array(start, dtype=np.int64)
    lo, hi = np.array(a), np.array(b)
    seen = {tuple(x)}
    found = []
    for _ in range(20 * cap):
        i, j = rng.integers(x.size, size=2)
        if i == j or x[i] - step < lo[i] or x[j] + step > hi[j]:
            continue
        x[i] -= step
        x[j] += step
        q = int(((x - c) ** 2).sum())
        if not q_lo <= q <= q_hi:
            x[i] += step
            x[j] -= step
            continue
        if tuple(x) not in seen:
            seen.add(tuple(x))
            found.append(x.copy())
            if len(found) >= cap:
                break
    return found


# ------------------------------------------------------------------------------------- realisation


def _decompose_regular(Y: np.ndarray) -> list[tuple[np.ndarray, int]]:
    """Split an n-regular non-negative integer matrix into permutations with multiplicities (König)."""
    from scipy.optimize import linear_sum_assignment

    Y = Y.copy()
    out = []
    while Y.sum() > 0:
        rows, cols = linear_sum_assignment(-(Y > 0).astype(float))
        if not np.all(Y[rows, cols] > 0):  # pragma: no cover - impossible for a regular matrix (Hall)
            raise RuntimeError("matrix is not regular")
        mult = int(Y[rows, cols].min())
        Y[rows, cols] -= mult
        out.append((cols.copy(), mult))
    return out


@lru_cache(maxsize=16)
def compositions(k: int) -> tuple[tuple[int, ...], ...]:
    """All ordered block structures (compositions) of k: 2^(k-1) of them, strict first."""
    out = []
    for cuts in product((0, 1), repeat=k - 1):
        sizes, run = [], 1
        for cut in cuts:
            if cut:
                sizes.append(run)
                run = 1
            else:
                run += 1
        sizes.append(run)
        out.append(tuple(sizes))
    return tuple(sorted(out, key=lambda s: (-len(s), s)))


def tie_family(k: int) -> tuple[tuple[int, ...], ...]:
    """Block structures searched with ties: all compositions for small k, else a sound sample.

    The sample (k > ``RANKSUMS_EXACT_TIES_K``): strict; one tied pair at the top, middle or
    bottom; every position paired; all tied; and equal blocks of 3, 4 and 5.
    """
    if k <= limits.RANKSUMS_EXACT_TIES_K:
        return compositions(k)
    fam = {(1,) * k, (k,), (2,) + (1,) * (k - 2), (1,) * (k - 2) + (2,),
           (1,) * ((k - 2) // 2) + (2,) + (1,) * (k - 2 - (k - 2) // 2), (2,) * (k // 2) + (1,) * (k % 2)}
    for s in (3, 4, 5):
        fam.add((s,) * (k // s) + ((k % s,) if k % s else ()))
    return tuple(sorted(fam, key=lambda s: (-len(s), s)))


@lru_cache(maxsize=64)
def rater_tie_totals(k: int) -> tuple[int, ...]:
    """Every tie total one rater's weak order of k objects can have, ascending.

    Parameters
    ----------
    k : int
        Number of objects ranked (k >= 1).

    Returns
    -------
    tuple of int
        The distinct values of T = sum over tie groups of (t^3 - t), one per partition of k into
        tie-group sizes t (a group of one adds 0). Each is a multiple of 6, since
        t^3 - t = (t - 1) t (t + 1).

    Notes
    -----
    Unbounded knapsack over part sizes: totals[n] = union over t of totals[n - t] + (t^3 - t).
    The order of the groups does not change T, so partitions (not compositions) suffice.

    References
    ----------
    Kendall, M. G., & Gibbons, J. D. (1990). *Rank Correlation Methods* (5th ed.), ch. 6 (the tie
    correction of W). Friedman, M. (1937). doi:10.1080/01621459.1937.10503522.

    Examples
    --------
    >>> rater_tie_totals(4)  # 1+1+1+1, 2+1+1, 2+2, 3+1, 4
    (0, 6, 12, 24, 60)
    """
    totals: list[set[int]] = [set() for _ in range(k + 1)]
    totals[0].add(0)
    for t in range(2, k + 1):
        c = t ** 3 - t
        for n in range(t, k + 1):
            totals[n] |= {v + c for v in totals[n - t]}
    # parts of size 1 add nothing: any partition of n <= k pads with singletons to k
    return tuple(sorted(set().union(*totals)))


_TIE_BITS: dict[int, list[int]] = {}


def _tie_total_bits(m: int, k: int) -> int:
    """Bit i set when 6 i is a sum of m per-rater tie totals (a Python int as a bitset), grown per k."""
    rows = _TIE_BITS.setdefault(k, [1])
    while len(rows) <= m:
        prev, out = rows[-1], 0
        for v in rater_tie_totals(k):
            out |= prev << (v // 6)
        rows.append(out)
    return rows[m]


def tie_totals(m: int, k: int) -> np.ndarray:
    r"""Every total tie count sum T over m raters of k objects that some m weak orders give, ascending.

    Parameters
    ----------
    m : int
        Number of raters.
    k : int
        Number of objects.

    Returns
    -------
    numpy.ndarray of int64
        The sums of m values of :func:`rater_tie_totals` (k): exactly the attainable
        sum_j sum_g (t_jg^3 - t_jg), since each rater's weak order is free. It says nothing about which
        rank sums go with which total; as a condition on printed rank sums it is necessary, not sufficient.

    Notes
    -----
    The tie-corrected statistics (Kendall & Gibbons 1990, ch. 6; Friedman 1937) are

    .. math:: W_c = W_u / (1 - T / (m (k^3 - k))),\quad \chi^2_c = \chi^2_u / (1 - T / (m (k^3 - k))),

    so for fixed rank sums only the T listed here give attainable values.

    Examples
    --------
    >>> tie_totals(2, 3).tolist()  # each rater: 0 (strict), 6 (a pair), 24 (all three tied)
    [0, 6, 12, 24, 30, 48]
    """
    if m * (k ** 3 - k) > 6 * TIE_TOTALS_CACHED:  # a long list: built each time, not kept
        return _tie_totals.__wrapped__(m, k).copy()
    return _tie_totals(m, k).copy()


TIE_TOTALS_CACHED = 20_000  # lists of at most this many totals are kept (<= 256 x 160 kB)


@lru_cache(maxsize=256)
def _tie_totals(m: int, k: int) -> np.ndarray:
    """:func:`tie_totals`, built once per (m, k) (the audit asks per m for every row); read-only."""
    bits = _tie_total_bits(m, k)
    out = np.array([6 * i for i in range(bits.bit_length()) if bits >> i & 1], dtype=np.int64)
    out.flags.writeable = False
    return out


def _block_programme(m: int, k: int, r: np.ndarray, structures, t_lo: int, t_hi: int):
    """The block-structure integer programme (module docstring): a witness (m x k midranks) or None.

    Returns (witness, proved): ``proved`` is True when the solver proved infeasibility.
    """
    from scipy.optimize import Bounds, LinearConstraint
    from scipy.sparse import coo_matrix

    rows, cols, vals = [], [], []
    lo, hi = [], []
    var = 0
    layout = []
    eq = 0

    def add_row(lo_v, hi_v):
        nonlocal eq
        lo.append(lo_v)
        hi.append(hi_v)
        eq += 1
        return eq - 1

    total_row = add_row(m, m)
    tie_row = add_row(t_lo, t_hi)
    item_rows = [add_row(int(r[i]), int(r[i])) for i in range(k)]
    for sizes in structures:
        starts = np.cumsum((0,) + sizes[:-1])
        mids2 = [2 * int(a) + s + 1 for a, s in zip(starts, sizes)]
        T = sum(s ** 3 - s for s in sizes)
        n_var = var
        var += 1
        rows += [total_row, tie_row]
        cols += [n_var, n_var]
        vals += [1, T]
        per_item = [add_row(0, 0) for _ in range(k)]
        per_block = [add_row(0, 0) for _ in sizes]
        for i in range(k):
            rows.append(per_item[i]); cols.append(n_var); vals.append(-1)
        for b, s in enumerate(sizes):
            rows.append(per_block[b]); cols.append(n_var); vals.append(-s)
        x0 = var
        for i in range(k):
            for b in range(len(sizes)):
                rows += [per_item[i], per_block[b], item_rows[i]]
                cols += [var] * 3
                vals += [1, 1, mids2[b]]
                var += 1
        layout.append((sizes, starts, mids2, n_var, x0))
    A = coo_matrix((vals, (rows, cols)), shape=(eq, var)).tocsr()
    res = _milp(np.zeros(var), LinearConstraint(A, np.array(lo, float), np.array(hi, float)),
                np.ones(var), Bounds(0, m))
    if res.x is None:
        return None, res.status == 2
    x = np.rint(res.x).astype(np.int64)
    if not np.array_equal(A @ x, np.rint(A @ res.x)) or np.any(A @ x < np.array(lo) - 0.5) or \
            np.any(A @ x > np.array(hi) + 0.5):  # pragma: no cover - solver tolerance artefact
        return None, False
    out = []
    for sizes, starts, mids2, n_var, x0 in layout:
        n = int(x[n_var])
        if n == 0:
            continue
        X = x[x0:x0 + k * len(sizes)].reshape(k, len(sizes))
        Y = np.zeros((k, k), dtype=np.int64)  # items x positions, n-regular
        for b, (a, s) in enumerate(zip(starts, sizes)):
            pool = np.repeat(np.arange(k), X[:, b])
            for q in range(s):
                np.add.at(Y[:, a + q], pool[q * n:(q + 1) * n], 1)
        pos_mid = np.empty(k)
        for a, s, mid2 in zip(starts, sizes, mids2):
            pos_mid[a:a + s] = mid2 / 2
        for perm, mult in _decompose_regular(Y):
            out += [pos_mid[perm]] * mult
    return np.array(out), False


def _sorted_peel(r: np.ndarray, m_left: int, stop: int) -> tuple[list[np.ndarray], np.ndarray, int]:
    """Peel permutations (the sorted assignment) while the remainder stays majorized.

    Each permutation is peeled q times at once, q as large as keeps the remainder majorized
    (tried from the largest down, halving): O(k log k log m) per distinct permutation.
    """
    k = r.size
    peeled = []
    while m_left > stop:
        order = np.lexsort((np.arange(k), r))
        sigma = np.empty(k, dtype=np.int64)
        sigma[order] = np.arange(1, k + 1)
        q = m_left - stop
        while q >= 1 and majorization_gap(r - 2 * q * sigma, m_left - q) is not None:
            q //= 2
        if q < 1:
            break
        peeled += [sigma.astype(float)] * q
        r, m_left = r - 2 * q * sigma, m_left - q
    return peeled, r, m_left


def _two_raters(r: np.ndarray, budget: int = 2_000) -> np.ndarray | None:
    """Two permutations with rank sums r / 2 by depth-first search (exact within ``budget`` nodes)."""
    R = (np.asarray(r, dtype=np.int64) // 2).tolist()
    k = len(R)
    place = np.empty(k, dtype=np.int64)
    place[np.lexsort((np.arange(k), R))] = np.arange(1, k + 1)
    # values nearest the item's place in the order of R first (x = place, y = R - place solves a
    # balanced remainder at once), items with the fewest values first
    def nearest_first(values: range, centre: int) -> list[int]:
        return sorted(values, key=lambda x: (abs(x - centre), x))

    options = [nearest_first(range(max(1, Ri - k), min(k, Ri - 1) + 1), int(place[i])) for i, Ri in enumerate(R)]
    order = sorted(range(k), key=lambda i: (len(options[i]), R[i]))
    used1, used2 = [False] * (k + 1), [False] * (k + 1)
    first = [0] * k
    nodes = [0]

    def dfs(depth: int) -> bool:
        if depth == k:
            return True
        nodes[0] += 1
        if nodes[0] > budget:
            return False
        i = order[depth]
        for x in options[i]:
            y = R[i] - x
            if not used1[x] and not used2[y]:
                used1[x] = used2[y] = True
                first[i] = x
                if dfs(depth + 1):
                    return True
                used1[x] = used2[y] = False
        return False

    if not dfs(0):
        return None
    a = np.array(first, dtype=float)
    return np.vstack([a, np.array(R, dtype=float) - a])


def strict_witness(m: int, r) -> tuple[np.ndarray | None, bool]:
    """m strict rankings with half-unit rank sums r (all even), or None; (witness, proved_impossible).

    Peels permutations down to two raters, finishes them by a bounded exact search, else by the
    integer programme on 2 and 4 raters, and finally on all m (which decides: ``proved``).
    """
    r = np.asarray(r, dtype=np.int64)
    k = r.size
    if np.any(r % 2) or majorization_gap(r, m) is not None:
        return None, True
    if m == 1:
        ok = sorted((r // 2).tolist()) == list(range(1, k + 1))
        return (np.array([r / 2.0]), False) if ok else (None, True)
    peeled, rest, m_left = _sorted_peel(r, m, 2)
    if m_left == 2:
        tail = _two_raters(rest)
        if tail is not None:
            return np.vstack(peeled + [tail]) if peeled else tail, False
    for stop in (2, 4, m):
        peeled, rest, m_left = _sorted_peel(r, m, min(stop, m))
        tail, proved = _block_programme(m_left, k, rest, ((1,) * k,), 0, 0)
        if tail is not None:
            return np.vstack(peeled + [tail]) if peeled else tail, False
        if proved and m_left == m:
            return None, True
    return None, False


def _coarsened(r: np.ndarray, m_left: int, blocks: list[tuple[int, int]], pairs: list[tuple[int, int]]):
    """One weak order for peeling: items in the order of the remainder's mean, the positions
    ``blocks`` ((start, size), odd sizes) tied, and the item pairs ``pairs`` put side by side and tied.

    Returns the rater's midranks in half units (or None when a block overlaps a pair)."""
    k = r.size
    order = list(np.lexsort((np.arange(k), r)))
    for i, j in pairs:  # bring j next to i
        order.remove(j)
        order.insert(order.index(i) + 1, j)
    pos2 = np.empty(k, dtype=np.int64)
    for place, item in enumerate(order):
        pos2[item] = 2 * (place + 1)
    for i, j in pairs:
        mid = (pos2[i] + pos2[j]) // 2
        pos2[i] = pos2[j] = mid
    by_place = np.array(order)
    for start, size in blocks:
        members = by_place[start:start + size]
        if any(pos2[x] % 2 for x in members):
            return None
        pos2[members] = 2 * start + size + 1
    return pos2


def _block_plan(budget: int, k: int, shift: int, gap: int = 1) -> list[tuple[int, int]]:
    """Odd blocks (start, size), ``gap`` positions apart, whose tie totals s^3 - s add up to at most
    ``budget`` (multiples of 24), largest first; ``shift`` moves the first block (raters differ)."""
    plan, used, start = [], 0, shift % (2 + gap)
    sizes = [s for s in range(k if k % 2 else k - 1, 2, -2)]
    while True:
        fit = [s for s in sizes if s ** 3 - s <= budget - used and start + s <= k]
        if not fit:
            break
        s = fit[0]
        plan.append((start, s))
        used += s ** 3 - s
        start += s + gap
    return plan


def _pair_raters(r: np.ndarray, odd: list[int], extra: int) -> list[list[tuple[int, int]]]:
    """Tied pairs grouped into raters (each rater's pairs disjoint): a perfect matching of the
    half-integer items ``odd`` (in the order of r), then ``extra`` more pairs that leave every
    item's parity unchanged: a pair tied twice (2 pairs) or a triangle a-b, b-c, c-a (3 pairs),
    on items next to each other in the order of r."""
    order = [int(i) for i in np.lexsort((np.arange(r.size), r))]
    raters: list[list[tuple[int, int]]] = [[(odd[2 * q], odd[2 * q + 1]) for q in range(len(odd) // 2)]]
    groups = []
    n, start = extra, 0
    while n > 0:
        a, b, c = (order[(start + j) % r.size] for j in range(3))
        if n % 2 == 1 or n == 3:
            groups.append([(a, b), (b, c), (a, c)])
            n -= 3
        else:
            groups.append([(a, b), (a, b)])
            n -= 2
        start += 3
    for group in groups:  # the pairs of a group share items: each goes to its own rater
        for j, pair in enumerate(group, start=1):
            while len(raters) <= j:
                raters.append([])
            if any(set(pair) & set(q) for q in raters[j]):
                raters.append([pair])
            else:
                raters[j].append(pair)
    return [x for x in raters if x]


def _constructed_ties(m: int, r: np.ndarray, t_lo: int, t_hi: int, gap: int = 1) -> np.ndarray | None:
    """A dataset with ties built directly (sound, fast; None when the construction does not fit).

    Half-integer rank sums are fixed by one rater that ties them in pairs (6 each); more pairs
    that keep every parity (a pair twice: 12, a triangle: 18) and odd blocks (integer midranks:
    24, 120, 336, ... each) make up the tie total; each tied rater is the order of the remainder's
    means with its ties; the last raters are strict (:func:`strict_witness`). Every step keeps the
    remainder majorized; the caller verifies the result.
    """
    k = r.size
    odd = [int(i) for i in np.flatnonzero(r % 2)]
    odd.sort(key=lambda i: r[i])
    base = 3 * len(odd)
    if m < 3 or k < 3:
        return None
    choice = None
    for tau in range(t_lo, t_hi + 1, 6):
        n = (tau - base) // 6 if tau >= base else -1
        if n < 0:
            continue
        extra = n % 4
        if extra == 1:
            extra = 5
        if extra <= n:
            choice = (tau, extra, (n - extra) // 4 * 24)
            break
    if choice is None:
        return None
    _, extra, bulk = choice
    rest, m_left, raters = r.copy(), m, []
    for pairs in _pair_raters(r, odd, extra):
        if m_left <= 2:
            return None
        v = _coarsened(rest, m_left, [], pairs)
        if v is None or majorization_gap(rest - v, m_left - 1) is not None:
            return None
        raters.append(v)
        rest, m_left = rest - v, m_left - 1
    tied_raters = m_left - 2
    for index in range(tied_raters):
        if bulk <= 0:
            break
        share = -(-bulk // (tied_raters - index))
        share = min(bulk, 24 * -(-share // 24))
        plan = _block_plan(share, k, index, gap) or _block_plan(bulk, k, index, gap)
        v = _coarsened(rest, m_left, plan, [])
        if v is None or majorization_gap(rest - v, m_left - 1) is not None:
            continue
        raters.append(v)
        bulk -= sum(s ** 3 - s for _, s in plan)
        rest, m_left = rest - v, m_left - 1
    if bulk != 0 or np.any(rest % 2):
        return None
    tail, _ = strict_witness(m_left, rest)
    if tail is None:
        return None
    return np.vstack([np.array(raters, dtype=float) / 2, tail]) if raters else tail


def tied_witness(m: int, r, t_lo: int, t_hi: int) -> tuple[np.ndarray | None, bool]:
    """m weak orders with half-unit rank sums r and tie total in [t_lo, t_hi], or None.

    First the direct construction :func:`_constructed_ties` (sound, fast). When it does not fit:
    for k <= RANKSUMS_EXACT_TIES_K the block programme over all compositions (exact: ``proved``
    True means no such dataset exists); above, the programme over a sample of structures on the
    last RANKSUMS_TIED_TAIL raters after peeling strict ones (sound only; ``proved`` False).
    """
    r = np.asarray(r, dtype=np.int64)
    k = r.size
    for gap in (1, 0):  # blocks apart first (gentler on the remainder), then side by side (more ties)
        built = _constructed_ties(m, r, t_lo, t_hi, gap)
        if built is not None:
            return built, False
    if k <= limits.RANKSUMS_EXACT_TIES_K:
        return _block_programme(m, k, r, compositions(k), t_lo, t_hi)
    peeled, rest, m_left = _sorted_peel(r, m, min(limits.RANKSUMS_TIED_TAIL, m))
    tail, _ = _block_programme(m_left, k, rest, tie_family(k), t_lo, t_hi)
    if tail is not None:
        return np.vstack(peeled + [tail]) if peeled else tail, False
    return None, False


# ------------------------------------------------------------------------------------- statistics


def row_statistics(witness: np.ndarray, corrected: bool = True) -> tuple[float, ...]:
    """(mean ranks..., W, p) of a table of rankings, recomputed from the table itself.

    Each rater's row is re-ranked (midranks: the number of items below plus (the number equal + 1) / 2,
    what ``scipy.stats.rankdata(method="average")`` gives, exactly, without importing scipy.stats) and must
    equal itself (a witness is a table of rankings); the tie total is sum over raters and items of
    (c^2 - 1), c the number of items sharing the item's rank (= sum over tie groups of t^3 - t); then W and
    p as :func:`repro.kendall.kendall_w_from_sums` and :func:`repro.kendall.friedman_p`.
    """
    from repro.kendall import friedman_p, kendall_w_from_sums

    w = np.asarray(witness, dtype=float)
    m, k = w.shape
    same = (w[:, :, None] == w[:, None, :]).sum(axis=2)
    below = (w[:, None, :] < w[:, :, None]).sum(axis=2)
    if not np.array_equal(below + (same + 1) / 2.0, w):
        raise ValueError("the witness is not a table of rankings")
    tie_total = float((same.astype(np.int64) ** 2 - 1).sum())
    sums = w.sum(axis=0)
    _, W_unc, W_cor = kendall_w_from_sums(sums, m, tie_total)
    W = W_cor if corrected else W_unc
    return tuple(float(x) for x in sums / m) + (W, friedman_p(W, m, k))


def reproduces(stats: tuple[float, ...], ranks, W, p) -> bool:
    printed = list(ranks) + [W, p]
    return all(pr is None or pr.contains(x) for x, pr in zip(stats, printed))


# ------------------------------------------------------------------------------------- one m


@dataclass
class Decision:
    """The engine's outcome for one m: ``status`` consistent | impossible | undecided."""

    m: int
    status: str
    condition: str  # granularity, rank_sum, majorization, W_p, S_range, tie_total, search, budget, witness
    params: dict = field(default_factory=dict)
    witness: np.ndarray | None = None
    rank_sums: tuple[float, ...] | None = None
    tie_total: float | None = None
    statistics: tuple[float, ...] | None = None
    truncated: bool = False


def _tie_total(witness: np.ndarray) -> float:
    w = np.asarray(witness, dtype=float)
    return float(((w[:, :, None] == w[:, None, :]).sum(axis=2).astype(np.int64) ** 2 - 1).sum())


def decide(ranks: list[Printed], W: Printed | None, p: Printed | None, m: int, ties: bool = True,
           corrected: bool = True, build: bool = True) -> Decision:
    """Consistent (with a witness), impossible (with the condition) or undecided, for one m.

    Cost: O(k log k) for the necessary conditions, O(k * span) for the greedy and O(k * span^2)
    (span = rank-sum candidates per item) for Q_max, then at most RANKSUMS_CANDIDATES candidate
    vectors, each realised by peeling (O(m k log k)) and an integer programme on 2..4 raters
    (time-capped by RANKSUMS_MILP_SECONDS).
    """
    k = len(ranks)
    c = m * (k + 1)
    target = m * k * (k + 1)
    D = m * m * (k ** 3 - k)
    window = w_window(W, p, m, k)
    if window is None:
        return Decision(m, "impossible", "W_p", {"m": m, "k": k})
    w_lo, w_hi = window
    best_fail = None  # with ties the permissive pass (step 1) runs last and its verdict stands
    for step in ((2, 1) if ties else (2,)):
        a, b = rank_box(ranks, m, step)
        empty = [j + 1 for j in range(k) if a[j] > b[j]]
        if empty:
            best_fail = Decision(m, "impossible", "granularity", {"m": m, "item": empty[0]})
            continue
        if not sum(a) <= target <= sum(b) or (target - sum(a)) % step:
            best_fail = Decision(m, "impossible", "rank_sum",
                                              {"m": m, "lo": sum(a) / (2 * m), "hi": sum(b) / (2 * m),
                                               "expected": k * (k + 1) / 2})
            continue
        s_bad = majorization_gap(b, m)
        if s_bad is not None:
            best_fail = Decision(m, "impossible", "majorization", {"m": m, "s": s_bad})
            continue
        q_min, x = _q_min(a, b, step, target, c)
        strict_window = (math.ceil(w_lo * D / 3 - 1e-9), math.floor(w_hi * D / 3 + 1e-9))
        if step == 2:
            q_lo, q_hi = strict_window
        else:  # ties: corrected W >= uncorrected W, and W <= 1 bounds the tie total from above
            q_lo, q_hi = (0, strict_window[1]) if corrected else strict_window
        if q_min > q_hi:
            best_fail = Decision(m, "impossible", "S_range", {"m": m, "W_min": 3 * q_min / D,
                                                                          "W_hi": w_hi})
            continue
        q_max, y = _q_max(a, b, step, target, c) if q_lo > q_min or step == 1 else (q_min, x)
        if q_max < q_lo:
            best_fail = Decision(m, "impossible", "S_range",
                                              {"m": m, "W_max": 3 * q_max / D, "W_lo": w_lo})
            continue
        # ties: walk down from the largest Q (the fewer ties a vector needs, the likelier a witness)
        cands = _walk(y, x, step, c, q_lo, q_hi, limits.RANKSUMS_CANDIDATES) if step == 1 else \
            _walk(x, y, step, c, q_lo, q_hi, limits.RANKSUMS_CANDIDATES)
        if step == 1 and cands and len(cands) < limits.RANKSUMS_CANDIDATES:
            cands += _explore(cands[0], a, b, step, c, q_lo, q_hi, limits.RANKSUMS_CANDIDATES - len(cands), m)
        if step == 1 and corrected:  # prefer the vectors that need the fewest ties
            cands.sort(key=lambda v: -int(((v - c) ** 2).sum()))
        tried = 0
        for r in cands:
            if majorization_gap(r, m) is not None:
                continue
            if not build:  # the witness budget is spent: every necessary condition holds, no witness built
                return Decision(m, "undecided", "budget", {"m": m}, truncated=True)
            tried += 1
            q = int(((r - c) ** 2).sum())
            if step == 2 and strict_window[0] <= q <= strict_window[1]:
                wit, _ = strict_witness(m, r)
            else:
                if not ties:
                    continue
                h = int(np.count_nonzero(r % 2))
                t_min = 6 * math.ceil(3 * h / 6)
                t_cap = m * (k ** 3 - k) - math.ceil(3 * q / m)  # W <= 1
                if corrected:
                    # W = 3Q / (D - m T) grows with T: W >= w_lo bounds T below, W <= w_hi above
                    need_lo = 0 if w_lo <= 0 else math.ceil((D - 3 * q / w_lo) / m - 1e-9)
                    need_hi = math.floor((D - 3 * q / w_hi) / m + 1e-9) if w_hi > 0 else -1
                else:
                    need_lo, need_hi = 0, t_cap
                t_lo, t_hi = max(t_min, need_lo, 0), min(t_cap, need_hi)
                t_lo, t_hi = 6 * math.ceil(t_lo / 6), 6 * (t_hi // 6)
                if t_lo > t_hi:
                    continue
                wit, _ = tied_witness(m, r, t_lo, t_hi)
            if wit is None:
                continue
            stats = row_statistics(wit, corrected)
            if reproduces(stats, ranks, W, p):
                return Decision(m, "consistent", "witness", {"m": m}, wit, tuple(wit.sum(axis=0)),
                                _tie_total(wit), stats)
            if tried >= limits.RANKSUMS_REALISATIONS:
                break
        gap = {"m": m, "candidates": len(cands), "tried": tried}
        best_fail = Decision(m, "undecided", "search", gap, truncated=True)
    assert best_fail is not None  # every pass ends in a verdict
    return best_fail


# ------------------------------------------------------------------------------------- many m (unknown m)


def consistent_m(ranks: list[Printed], W: Printed | None, p: Printed | None, m_values=range(2, 1001),
                 ties: bool = True, corrected: bool = True, label: str = "") -> list[Decision]:
    """:func:`decide` for every m, pruned first by granularity, the rank sum, majorization and the
    W–p relation (no programme runs for an m that fails them).

    Witnesses are built for the first RANKSUMS_UNKNOWN_M_WITNESSES consistent m; every later m
    that passes all the necessary conditions is "undecided" with condition ``budget`` (stated,
    never counted as consistent). Cost: O(k log k + k span) per m for the conditions.
    """
    out = []
    m_values = list(m_values)
    built = 0
    for index, m in enumerate(m_values):
        advance("progress.reconstruct", index, len(m_values), label=label, m_max=m_values[-1])
        d = decide(ranks, W, p, m, ties, corrected, build=built < limits.RANKSUMS_UNKNOWN_M_WITNESSES)
        built += d.status == "consistent"
        out.append(d)
    advance("progress.reconstruct", len(m_values), len(m_values), label=label, m_max=m_values[-1] if m_values else 0)
    return out


# ------------------------------------------------------------------------------------- row reconstruction


@dataclass
class Solution:
    """Sufficient statistics (m, D = 2R - (k+1)m, t = sum T / 6) that reproduce a printed row."""

    m: int
    d: tuple[int, ...]
    t: int
    count: int | None  # datasets behind the solution (k = 3, m <= RANKSUMS_COUNT_M_MAX); None: not counted
    statistics: tuple[float, ...]


@dataclass
class RowReconstruction:
    """The engine's answer for one printed row over a range of m.

    ``solutions`` lists every sufficient statistic reproducing the row where the listing was
    complete (k <= 4 within budget), else one per consistent m (from its witness). ``status`` is
    consistent / impossible / undecided for the whole range; ``truncated`` says a cap cut a list
    or a search, and ``covered`` what was covered.
    """

    solutions: list[Solution] = field(default_factory=list)
    m_values: list[int] = field(default_factory=list)
    total_datasets: int | None = 0
    example: list | None = None
    closest: Solution | None = None
    searched: tuple[int, int] = (2, 60)
    truncated: bool = False
    covered: str = ""
    status: str = "impossible"
    decisions: list[Decision] = field(default_factory=list)
    undecided_m: list[int] = field(default_factory=list)
    listed: bool = True  # every solution listed (not one per m)
    listed_upto: int | None = None  # the listing cap stopped the list after this m
    condition: str | None = None  # the condition that failed at every m (impossible rows)

    def reason(self, m_text=lambda ms: ", ".join(map(str, ms))) -> tuple[str, dict]:
        """(catalog key, params) of the reason for a row with solutions: counted, one per solution,
        a list cut by its cap, or one witness per m; m left undecided by the witness budget named."""
        key = "reason.reconstructed" if self.total_datasets is not None else "reason.reconstructed_witness"
        if self.truncated or not self.listed:
            key = "reason.reconstructed_partial" if self.listed_upto is not None else "reason.reconstructed_each"
            if self.undecided_m:
                key += "_undecided"
        return key, {"count": self.total_datasets, "m_values": m_text(self.m_values), "lo": self.searched[0],
                     "hi": self.searched[1], "solutions": len(self.solutions), "listed_upto": self.listed_upto,
                     "undecided": m_text(self.undecided_m)}

    def summary(self) -> dict:
        """The JSON keys every caller adds to a row (issue 21: truncation stated, and what was covered)."""
        return {"reconstruction_status": self.status, "truncated": self.truncated, "covered": self.covered,
                "listed_upto": self.listed_upto, "undecided_m": list(self.undecided_m),
                "failed_condition": self.condition, "witness_m": len(self.example) if self.example else None}


def _d_of(r2: tuple[int, ...], m: int, k: int) -> tuple[int, ...]:
    return tuple(int(x) - m * (k + 1) for x in r2)


def _w_p(q: int, m: int, k: int, t: np.ndarray, corrected: bool):
    """(W, p) over tie units t (sum T = 6 t) for Q = 4 S: W = 3 Q / (m^2 (k^3 - k) - 6 m t), NaN where the
    denominator vanishes; p the chi-square tail of m (k - 1) W on k - 1 df."""
    from scipy.special import chdtrc  # the chi-square upper tail (scipy.stats.chi2.sf without its overhead)

    denom = m * m * (k ** 3 - k) - (6.0 * m * t if corrected else 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        W = np.where(denom > 0, 3.0 * q / np.where(denom > 0, denom, 1.0), np.nan)
    return W, chdtrc(k - 1, m * (k - 1) * W)


def _list_statistics(ranks, W, p, m: int, ties: bool, corrected: bool, budget: list[int]):
    """Every (r, t) at m whose statistics round to the row (exact windows), existence proven.

    Returns (solutions, complete) or None when the window product exceeds the listing budget.
    """
    k = len(ranks)
    step = 1 if ties else 2
    a, b = rank_box(ranks, m, step)
    if any(x > y for x, y in zip(a, b)):
        return [], True
    sizes = [(y - x) // step + 1 for x, y in zip(a[:-1], b[:-1])]
    t_max = (k ** 3 - k) // 6 * m if ties else 0
    if math.prod(sizes) * (t_max + 1) > limits.RANKSUMS_LIST_CELLS:
        return None
    c = m * (k + 1)
    t = np.arange(0, t_max + 1)
    w_bounds = None if W is None else (float(W.lo), float(W.hi))
    p_bounds = None if p is None else (float(p.lo), float(p.hi))
    out: list[Solution] = []
    for head in product(*[range(x, y + 1, step) for x, y in zip(a[:-1], b[:-1])]):
        last = m * k * (k + 1) - sum(head)
        if not (a[-1] <= last <= b[-1]) or (last - a[-1]) % step:
            continue
        r2 = tuple(head) + (last,)
        if majorization_gap(r2, m) is not None:
            continue
        Wv, pv = _w_p(sum((x - c) ** 2 for x in r2), m, k, t, corrected)
        ok = np.isfinite(Wv)
        for values, bounds in ((Wv, w_bounds), (pv, p_bounds)):
            if bounds is not None:
                ok &= (values >= bounds[0] - 1e-12) & (values <= bounds[1] + 1e-12)
        for ti in np.flatnonzero(ok):
            if budget[0] <= 0 or budget[1] <= 0:
                return out, False
            budget[1] -= 1
            tt = int(t[ti])
            count = None
            if k == 3 and m <= limits.RANKSUMS_COUNT_M_MAX:
                from repro.reconstruct import count_datasets

                d = _d_of(r2, m, k)
                count = count_datasets(m, d[0], d[1], tt)
                exists = count > 0
            else:
                budget[0] -= 1
                h = int(np.count_nonzero(np.array(r2) % 2))
                if 3 * h > 6 * tt:  # half-integer rank sums need ties (module docstring)
                    continue
                found, proved = tied_witness(m, r2, 6 * tt, 6 * tt) if tt or h else strict_witness(m, r2)
                exists = found is not None
                if not exists and not proved:  # a programme stopped on its time cap: not listed
                    return out, False
            if exists:
                stats = tuple(x / (2 * m) for x in r2) + (float(Wv[ti]), float(pv[ti]))
                out.append(Solution(m, _d_of(r2, m, k), tt, count, stats))
    return out, True


def reconstruct_row(ranks, W: Printed | None, p: Printed | None, m_values=range(2, 61), ties: bool = True,
                    corrected: bool = True, label: str = "") -> RowReconstruction:
    """Every m in ``m_values`` the printed row allows, with a witness dataset, or the reason none does.

    For k <= RANKSUMS_LIST_K and a window small enough (RANKSUMS_LIST_CELLS), every sufficient
    statistic (m, D, t) is listed, with the number of datasets for k = 3 (exact generating
    functions, :mod:`repro.reconstruct`); otherwise :func:`decide` gives one witness per m.
    Listing stops after RANKSUMS_LIST_PROOFS integer programmes (``truncated``).
    """
    ranks = tuple(ranks)
    k = len(ranks)
    m_values = range(m_values.start, m_values.stop) if isinstance(m_values, range) else m_values
    m_list = list(m_values)
    result = RowReconstruction(searched=(m_list[0], m_list[-1]) if m_list else (0, 0))
    budget = [limits.RANKSUMS_LIST_PROOFS, limits.RANKSUMS_LIST_SOLUTIONS]
    conditions = set()
    listed_all = True
    listed_upto = None  # the listing stopped at this m (a cap); later m get one witness each
    for index, m in enumerate(m_list):
        advance("progress.reconstruct", index, len(m_list), label=label, m_max=m_list[-1])
        listing = None
        if w_window(W, p, m, k) is None:  # the W–p relation alone excludes m: nothing to list
            conditions.add("W_p")
            continue
        if k <= limits.RANKSUMS_LIST_K and listed_upto is None:
            listing = _list_statistics(ranks, W, p, m, ties, corrected, budget)
        if listing is not None:
            sols, complete = listing
            if complete:
                result.solutions += sols
                if not sols:
                    conditions.add("listing")
                continue
            result.truncated, listed_upto = True, m - 1
        listed_all = False
        built = sum(1 for d in result.decisions if d.status == "consistent")
        dec = decide(list(ranks), W, p, m, ties, corrected, build=built < limits.RANKSUMS_UNKNOWN_M_WITNESSES)
        result.decisions.append(dec)
        if dec.status == "consistent":
            assert dec.rank_sums is not None and dec.tie_total is not None and dec.statistics is not None
            assert dec.witness is not None
            d = tuple(int(round(2 * x)) - m * (k + 1) for x in dec.rank_sums)
            result.solutions.append(Solution(m, d, int(round(dec.tie_total / 6)), None, dec.statistics))
            if result.example is None:
                result.example = [tuple(float(v) for v in row) for row in dec.witness]
        elif dec.status == "undecided":
            result.undecided_m.append(m)
            result.truncated = True
        else:
            conditions.add(dec.condition)
    advance("progress.reconstruct", len(m_list), len(m_list), label=label, m_max=m_list[-1] if m_list else 0)
    result.listed = listed_all
    result.m_values = sorted({s.m for s in result.solutions})
    counts = [s.count for s in result.solutions if s.count is not None]
    result.total_datasets = sum(counts) if listed_all and len(counts) == len(result.solutions) else None
    result.listed_upto = listed_upto
    lo, hi = result.searched
    if listed_upto is not None:  # the listing cap cut the list; every m still has a verdict
        result.covered = f"m = {lo}…{listed_upto}" if listed_upto >= lo else ""
    else:
        result.covered = f"m = {lo}…{hi}"
    if result.solutions:
        result.status = "consistent"
        if result.example is None:
            first = result.solutions[0]
            result.example = example_for(first, k, corrected)
    elif result.undecided_m:
        result.status = "undecided"
    else:
        result.status = "impossible"
        result.condition = ", ".join(sorted(conditions)) if conditions else None
        if k <= limits.RANKSUMS_LIST_K:
            _closest(result, ranks, W, p, m_list, ties, corrected)
    return result


def _m_text(ms: list[int]) -> str:
    return ", ".join(map(str, ms[:8])) + ("…" if len(ms) > 8 else "")


def example_for(sol: Solution, k: int, corrected: bool = True) -> list[tuple[float, ...]] | None:
    """A dataset with the sufficient statistics of ``sol`` (m, D, t)."""
    m = sol.m
    r2 = np.array(sol.d) + m * (k + 1)
    if k == 3 and m <= limits.RANKSUMS_COUNT_M_MAX:
        from repro.reconstruct import example_dataset

        three = example_dataset(m, sol.d[0], sol.d[1], sol.t)
        return None if three is None else [tuple(row) for row in three]
    if sol.t == 0 and not np.any(r2 % 2):
        wit, _ = strict_witness(m, r2)
    else:
        wit, _ = tied_witness(m, r2, 6 * sol.t, 6 * sol.t)
    return None if wit is None else [tuple(float(v) for v in row) for row in wit]


def _closest_at(heap: list, m: int, k: int, a, b, step: int, t: np.ndarray, c: int, corrected: bool,
                rank_bounds, w_bounds, p_bounds) -> None:
    """Push the best (up to 3 tie units per rank-sum vector) candidates at m onto the 50-item heap.

    All rank-sum vectors of the widened box at once, as arrays (the same floats, operation for
    operation, as one vector at a time); the heap is fed in the order of :func:`itertools.product`."""
    heads = list(product(*[range(x, y + 1, step) for x, y in zip(a, b)]))
    if not heads:
        return
    H = np.array(heads, dtype=np.int64).reshape(len(heads), k - 1)
    last = m * k * (k + 1) - H.sum(axis=1)
    R = np.concatenate([H, last[:, None]], axis=1)
    s = np.arange(1, k + 1, dtype=np.int64)
    majorized = (np.cumsum(np.sort(R, axis=1), axis=1) >= m * s * (s + 1)).all(axis=1)
    keep = np.flatnonzero((2 * m <= last) & (last <= 2 * m * k) & majorized)
    if not keep.size:
        return
    R = R[keep]
    q = ((R - c) ** 2).sum(axis=1)
    from scipy.special import chdtrc

    denom = m * m * (k ** 3 - k) - (6.0 * m * t if corrected else 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        Wv = np.where(denom > 0, 3.0 * q[:, None] / np.where(denom > 0, denom, 1.0), np.nan)
    Wv = np.broadcast_to(Wv, (len(q), len(t)))
    pv = chdtrc(k - 1, m * (k - 1) * Wv)
    rk = R / (2 * m)
    base = np.zeros(len(q))
    missed = np.zeros(len(q), dtype=np.int64)
    for j, (lo, hi, unit) in enumerate(rank_bounds):
        part = np.maximum(0.0, np.maximum(lo - rk[:, j], rk[:, j] - hi)) / unit
        base = base + part
        missed += part > 0
    base = base + 1000.0 * missed
    score = np.broadcast_to(base[:, None], Wv.shape)
    for values, box in ((Wv, w_bounds), (pv, p_bounds)):
        if box is not None:
            lo, hi, unit = box
            miss = np.maximum(0.0, np.maximum(lo - values, values - hi)) / unit
            score = score + miss + 1000.0 * (miss > 0)
    score = np.where(np.isfinite(Wv), score, np.inf)
    best = np.argsort(score, axis=1, kind="stable")[:, :3]
    rows = np.arange(len(q))[:, None]
    # the candidates as Python numbers, taken once (tolist gives the same int and float as int() and float())
    best_score, best_W, best_p = (a[rows, best].tolist() for a in (score, Wv, pv))
    best_t = t[best].tolist()
    R_list, rk_list = R.tolist(), rk.tolist()
    for i, scores in enumerate(best_score):
        if len(heap) >= 50 and -scores[0] < heap[0][0]:
            continue  # its best item (and so every other) sorts below the heap's least: nothing would enter
        r2 = tuple(R_list[i])
        rk_i = tuple(rk_list[i])
        for j, sc in enumerate(scores):
            if not math.isfinite(sc):
                break
            item = (-sc, -m, r2, best_t[i][j], rk_i + (best_W[i][j], best_p[i][j]))
            if len(heap) < 50:
                heapq.heappush(heap, item)
            elif item > heap[0]:
                heapq.heapreplace(heap, item)


def _closest(result: RowReconstruction, ranks, W, p, m_list, ties, corrected) -> None:
    """The closest attainable statistics (fewest printed cells missed, then the least distance in
    last-digit units) over the m whose widened windows fit RANKSUMS_CLOSEST_CELLS in all (small k)."""
    k = len(ranks)
    heap: list = []
    cells_left = limits.RANKSUMS_CLOSEST_CELLS

    def interval(pr: Printed) -> tuple[float, float, float]:
        return float(pr.lo), float(pr.hi), 10.0 ** -pr.decimals

    rank_bounds = [interval(pr) for pr in ranks]
    w_bounds = None if W is None else interval(W)
    p_bounds = None if p is None else interval(p)
    for m in m_list:
        step = 1 if ties else 2
        c = m * (k + 1)
        a, b = [], []
        for pr in ranks[:-1]:
            lo = math.ceil(2 * m * pr.lo) - 2 * step
            hi = math.floor(2 * m * pr.hi) + 2 * step
            lo, hi = max(lo, 2 * m), min(hi, 2 * m * k)
            if step == 2:
                lo += lo % 2
                hi -= hi % 2
            a.append(lo)
            b.append(hi)
        t_max = (k ** 3 - k) // 6 * m if ties else 0
        sizes = [max(0, (y - x) // step + 1) for x, y in zip(a, b)]
        cells = math.prod(sizes) * (t_max + 1)
        if cells > cells_left:
            continue
        cells_left -= cells
        t = np.arange(0, t_max + 1)
        _closest_at(heap, m, k, a, b, step, t, c, corrected, rank_bounds, w_bounds, p_bounds)
    for _score, neg_m, r2, tt, stats in sorted(heap, reverse=True):
        m = -neg_m
        sol = Solution(m, _d_of(r2, m, k), tt, None, stats)
        example = example_for(sol, k, corrected)
        if example is not None:
            if k == 3 and m <= limits.RANKSUMS_COUNT_M_MAX:
                from repro.reconstruct import count_datasets

                sol.count = count_datasets(m, sol.d[0], sol.d[1], tt)
            result.closest, result.example = sol, example
            return


# ------------------------------------------------------------------------------------- witness file


def write_witness_csv(path, witness, labels: list[str] | None = None) -> None:
    """Write a witness (m raters x k items, midranks) as CSV that ``repro kendall --data`` reads.

    One row per rater (``rater,<item labels...>``), ranks written exactly (integers or .5).
    """
    from repro.atomic import write_atomic

    witness = np.asarray(witness, dtype=float)
    k = witness.shape[1]
    labels = labels or [f"item_{j + 1}" for j in range(k)]
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["rater"] + list(labels))
    for i, row in enumerate(witness, start=1):
        writer.writerow([f"r{i}"] + [(str(int(v)) if float(v).is_integer() else f"{v:.1f}") for v in row])
    write_atomic(path, buffer.getvalue())


def write_witnesses(path, items: list[tuple[str, list | None]]) -> list[str]:
    """Write each row's witness dataset: ``path`` itself for one, ``stem-<n>.csv`` for several.

    ``items`` are (row label, witness or None); rows without a witness are skipped. Raises
    ReproError when no row has one (every row impossible or undecided).
    """
    from pathlib import Path

    from repro.errors import ReproError

    found = [(label, w) for label, w in items if w]
    if not found:
        raise ReproError("no row has a witness dataset (each is impossible or undecided): nothing written",
                         file=str(path))
    target = Path(path)
    written = []
    for n, (label, witness) in enumerate(found, start=1):
        out = target if len(found) == 1 else target.with_name(f"{target.stem}-{n}{target.suffix or '.csv'}")
        write_witness_csv(out, witness)
        written.append(str(out))
    return written
