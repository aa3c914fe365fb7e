"""Kendall's coefficient of concordance W and the Friedman test, with exact and Monte Carlo p.

Notation (Kendall & Babington Smith 1939; Siegel & Castellan 1988, ch. 9.4): m raters
rank k items; R_j is the rank sum of item j; S = sum_j (R_j - m(k+1)/2)^2;
T_i = sum over tie groups t of rater i of (t^3 - t).

* W (uncorrected)    = 12 S / (m^2 (k^3 - k))
* W (tie-corrected)  = 12 S / (m^2 (k^3 - k) - m sum_i T_i)       (R ``irr::kendall(correct=TRUE)``,
                                                                  ``DescTools::KendallW(correct=TRUE)``)
* Friedman chi2      = m (k - 1) W, df = k - 1, p from the chi-square upper tail (SPSS, R
                       ``friedman.test`` on the transposed table).

The exact null distribution keeps each rater's ranks fixed up to permutation
(Legendre 2005's permutation test): rank-sum vectors are convolved rater by rater, so the
distribution of S is exact for any tie pattern. Without ties every rater has the same
k! permutations (the Kendall–Babington Smith recursion on rank sums).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import permutations

import numpy as np

from repro import limits
from repro.errors import ReproError
from repro.progress import advance

# Largest number of orbit states (sorted rank-sum vectors) the exact recursion may carry
# when asked without --exact (the work budget is :func:`exact_cost` against repro/limits.py),
# and the largest key space it aggregates with a dense bincount (beyond: np.unique).
EXACT_ORBIT_LIMIT = 400_000
DENSE_KEY_LIMIT = 20_000_000


@dataclass
class KendallResult:
    """Kendall's W and the Friedman test for m raters ranking k items (pingouin-style fields)."""

    m: int
    k: int
    W: float
    W_uncorrected: float
    chi2: float
    df: int
    p_asymptotic: float
    ties_corrected: bool
    mean_ranks: list[float]
    rank_sums: list[float] = field(default_factory=list)
    tie_total: float = 0.0
    S: float = 0.0
    p_exact: float | None = None
    p_monte_carlo: float | None = None
    p_monte_carlo_se: float | None = None
    n_resamples: int | None = None
    # why a statistic is null, as catalog keys with their parameters ({"p_exact": ("kendall.why...", {...})})
    reasons: dict[str, tuple[str, dict]] = field(default_factory=dict)
    exact_cost: tuple[int, int] | None = None      # (state x move pairs, bytes) estimated before computing


def midranks(scores: np.ndarray) -> np.ndarray:
    """Rank each row of an (m raters x k items) score matrix, ties given their mean rank."""
    from scipy.stats import rankdata

    scores = np.asarray(scores, dtype=float)
    if scores.ndim != 2:
        raise ReproError("expected a two-dimensional table of raters by items")
    return rankdata(scores, axis=1, method="average")


def tie_totals(ranks: np.ndarray) -> np.ndarray:
    """T_i = sum over tie groups of rater i of (t^3 - t)."""
    ranks = np.sort(np.asarray(ranks, dtype=float), axis=1)
    m, k = ranks.shape
    starts = np.ones((m, k), dtype=bool)
    starts[:, 1:] = ranks[:, 1:] != ranks[:, :-1]
    group = np.cumsum(starts, axis=1) - 1                      # tie-group index of each cell
    sizes = np.zeros((m, k))
    np.add.at(sizes, (np.repeat(np.arange(m), k), group.ravel()), 1.0)
    return np.sum(sizes ** 3 - sizes, axis=1)


def kendall_w_from_sums(rank_sums: np.ndarray, m: int, tie_total: float = 0.0) -> tuple[float, float, float]:
    """Kendall's W from the rank sums alone (what a reconstruction or a printed table gives).

    Parameters
    ----------
    rank_sums : array of k floats
        R_j, the sum over the m raters of the ranks of item j (midranks for ties).
    m : int
        Number of raters.
    tie_total : float
        sum_i T_i, with T_i = sum over the tie groups of rater i of (t^3 - t); 0 without ties.

    Returns
    -------
    S : float
        sum_j (R_j - m (k + 1) / 2)^2.
    W_uncorrected : float
        12 S / (m^2 (k^3 - k)).
    W : float
        12 S / (m^2 (k^3 - k) - m sum_i T_i), the tie-corrected W (NaN when every rater ties
        every item).

    References
    ----------
    Kendall, M. G., & Babington Smith, B. (1939). The problem of m rankings. *The Annals of
    Mathematical Statistics*, 10(3), 275-287. https://doi.org/10.1214/aoms/1177732186

    Examples
    --------
    Five raters, three items, rank sums 6, 10 and 14:

    >>> from repro.kendall import kendall_w_from_sums
    >>> kendall_w_from_sums([6, 10, 14], m=5)
    (32.0, 0.64, 0.64)
    """
    rank_sums = np.asarray(rank_sums, dtype=float)
    k = rank_sums.size
    S = float(np.sum((rank_sums - m * (k + 1) / 2.0) ** 2))
    denom = m * m * (k ** 3 - k)
    W_unc = 12.0 * S / denom
    denom_c = denom - m * tie_total
    W_cor = 12.0 * S / denom_c if denom_c > 0 else float("nan")
    return S, W_unc, W_cor


def chi2_sf(x: float, df: int) -> float:
    """Upper tail of the chi-square distribution: the float ``scipy.stats.chi2.sf(x, df)`` gives.

    Computed as ``scipy.special.chdtrc(df, x)`` (what chi2.sf calls; 1 below the support), which spares
    a cold run the import of scipy.stats."""
    from scipy.special import chdtrc

    if not df > 0:
        return float("nan")  # as scipy.stats: no distribution
    return float(chdtrc(df, max(x, 0.0)))


def chi2_isf(q: float, df: int) -> float:
    """Inverse upper tail of the chi-square distribution: the float ``scipy.stats.chi2.isf(q, df)`` gives
    (``scipy.special.chdtri(df, q)``, what chi2.isf calls, without importing scipy.stats)."""
    from scipy.special import chdtri

    if not df > 0:
        return float("nan")  # as scipy.stats: no distribution
    return float(chdtri(df, q))


def friedman_p(W: float, m: int, k: int) -> float:
    """Asymptotic p of Kendall's W through the Friedman chi-square.

    Parameters
    ----------
    W : float
        Kendall's W (tie-corrected or not, as the chi-square is to be).
    m : int
        Number of raters (Friedman's blocks).
    k : int
        Number of items ranked (Friedman's treatments).

    Returns
    -------
    p : float
        P(chi2_{k-1} >= m (k - 1) W), the upper tail of the chi-square distribution with
        k - 1 degrees of freedom, as SPSS and R's ``friedman.test`` report it.

    Notes
    -----
    chi2_F = m (k - 1) W (Friedman 1937; Siegel & Castellan 1988, ch. 9.4). The approximation
    is poor for small m; :func:`exact_p` gives the permutation p.

    References
    ----------
    Friedman, M. (1937). The use of ranks to avoid the assumption of normality implicit in the
    analysis of variance. *Journal of the American Statistical Association*, 32(200), 675-701.
    https://doi.org/10.1080/01621459.1937.10503522

    Examples
    --------
    >>> from repro.kendall import friedman_p
    >>> round(friedman_p(0.64, m=5, k=3), 4)   # chi2 = 6.4 on 2 df
    0.0408

    Compare with SciPy (whose statistic is the tie-corrected chi2 = m (k - 1) W):

    >>> from scipy.stats import friedmanchisquare
    >>> round(float(friedmanchisquare([1, 1, 2, 1, 1], [2, 3, 1, 2, 2], [3, 2, 3, 3, 3]).pvalue), 4)
    0.0408
    """
    return chi2_sf(m * (k - 1) * W, k - 1)


def kendall_w(scores, correct: bool = True, exact: bool | None = None, n_resamples: int = 0,
              seed: int = 12345) -> KendallResult:
    """Kendall's coefficient of concordance W and the Friedman test, with exact and Monte Carlo p.

    Parameters
    ----------
    scores : array-like, shape (m, k)
        One row per rater, one column per item: scores or ranks. Scores are ranked within each
        rater, ties given their mean rank (midranks).
    correct : bool
        Apply the tie correction to W and chi2 (as ``irr::kendall(correct = TRUE)`` and
        ``DescTools::KendallW(correct = TRUE)``); both Ws are returned either way.
    exact : bool or None
        Compute the exact permutation p. None: when its estimated cost (:func:`exact_cost`) is
        within the budget of :mod:`repro.limits`; beyond it ``p_exact`` is None, the reason is in
        ``reasons["p_exact"]`` and the Monte Carlo p is computed (``MONTE_CARLO_DEFAULT_RESAMPLES``
        unless ``n_resamples`` is given). True: always, whatever the cost (progress is reported).
        False: never.
    n_resamples : int
        If > 0, add a Monte Carlo permutation p with this many resamples, and its standard error.
    seed : int
        Seed of the Monte Carlo resampling.

    Returns
    -------
    KendallResult
        ``W`` (tie-corrected when ``correct``), ``W_uncorrected``, ``chi2``, ``df``,
        ``p_asymptotic``, ``p_exact`` (or None), ``p_monte_carlo`` and ``p_monte_carlo_se``
        (or None), with ``m``, ``k``, the ``mean_ranks``, ``rank_sums``, ``S`` and ``tie_total``.

    Notes
    -----
    With R_j the rank sum of item j, S = sum_j (R_j - m (k + 1) / 2)^2 and
    T_i = sum over the tie groups of rater i of (t^3 - t):

    .. math::

        W = \\frac{12 S}{m^2 (k^3 - k) - m \\sum_i T_i}, \\qquad
        \\chi^2_F = m (k - 1) W, \\quad df = k - 1.

    The exact p is P(S >= S_observed) when every rater's ranks (ties kept) are permuted
    independently and uniformly (Legendre 2005); see :func:`exact_p` and :func:`monte_carlo_p`.

    References
    ----------
    Kendall, M. G., & Babington Smith, B. (1939). The problem of m rankings. *The Annals of
    Mathematical Statistics*, 10(3), 275-287. https://doi.org/10.1214/aoms/1177732186

    Legendre, P. (2005). Species associations: the Kendall coefficient of concordance revisited.
    *Journal of Agricultural, Biological, and Environmental Statistics*, 10(2), 226-245.
    https://doi.org/10.1198/108571105X46642

    Siegel, S., & Castellan, N. J. (1988). *Nonparametric statistics for the behavioral
    sciences* (2nd ed., ch. 9.4). McGraw-Hill.

    Examples
    --------
    Five raters rank three items:

    >>> from repro.kendall import kendall_w
    >>> r = kendall_w([[1, 2, 3], [1, 3, 2], [2, 1, 3], [1, 2, 3], [1, 2, 3]])
    >>> r.W, r.mean_ranks, r.df
    (0.64, [1.2, 2.0, 2.8], 2)
    >>> round(r.chi2, 4), round(r.p_asymptotic, 4)
    (6.4, 0.0408)

    The exact p counts the datasets, among the 6^5 = 7776 equally likely ones, with an S as
    large: 306 of them.

    >>> round(r.p_exact * 6 ** 5)
    306

    Scores with ties (the second rater's item scores are all distinct, the others tie):

    >>> r = kendall_w([[10, 7, 7, 3], [9, 8, 5, 1], [8, 8, 6, 2], [10, 9, 4, 4]])
    >>> round(r.W, 4), round(r.W_uncorrected, 3), round(r.chi2, 4)
    (0.9257, 0.856, 11.1081)

    Compare with SciPy, whose Friedman statistic is the tie-corrected chi2:

    >>> import numpy as np
    >>> from scipy.stats import friedmanchisquare
    >>> scores = np.array([[10, 7, 7, 3], [9, 8, 5, 1], [8, 8, 6, 2], [10, 9, 4, 4]])
    >>> round(float(friedmanchisquare(*scores.T).statistic), 4)
    11.1081
    """
    scores = np.asarray(scores, dtype=float)
    if scores.ndim != 2 or scores.shape[0] < 2 or scores.shape[1] < 2:
        raise ReproError("Kendall's W needs at least 2 raters and 2 items")
    if not np.all(np.isfinite(scores)):
        raise ReproError("scores must be finite numbers")
    ranks = midranks(scores)
    m, k = ranks.shape
    sums = ranks.sum(axis=0)
    T = tie_totals(ranks)
    S, W_unc, W_cor = kendall_w_from_sums(sums, m, float(T.sum()))
    W = W_cor if correct else W_unc
    chi2_value = m * (k - 1) * W
    result = KendallResult(m=m, k=k, W=W, W_uncorrected=W_unc, chi2=chi2_value, df=k - 1,
                           p_asymptotic=chi2_sf(chi2_value, k - 1), ties_corrected=correct,
                           mean_ranks=[float(x) for x in sums / m], rank_sums=[float(x) for x in sums],
                           tie_total=float(T.sum()), S=S)
    if not math.isfinite(W):
        result.reasons["W"] = ("kendall.why.w_undefined", {})
        result.reasons["p_asymptotic"] = ("kendall.why.w_undefined", {})
    pairs, memory = exact_cost(ranks)
    result.exact_cost = (pairs, memory)
    moves = max(_distinct_permutations(p) for p in np.unique(np.sort(ranks, axis=1), axis=0))
    within = pairs <= limits.EXACT_P_MAX_PAIRS and moves <= limits.EXACT_P_MAX_MOVES
    if exact or (exact is None and within):
        result.p_exact = exact_p(ranks)
    elif exact is None:
        result.reasons["p_exact"] = ("kendall.why.exact_over_budget",
                                     {"pairs": pairs, "mb": max(1, memory // 2 ** 20),
                                      "limit": limits.EXACT_P_MAX_PAIRS})
        if not n_resamples:
            n_resamples = limits.MONTE_CARLO_DEFAULT_RESAMPLES
    else:
        result.reasons["p_exact"] = ("kendall.why.exact_not_asked", {})
    cap = monte_carlo_cap(m, k)
    if n_resamples and cap < MONTE_CARLO_MIN_RESAMPLES:  # too many raters x items for a meaningful run
        result.reasons["p_monte_carlo"] = ("kendall.why.mc_over_budget", {"m": m, "k": k})
    elif n_resamples:
        if n_resamples > cap:
            result.reasons["n_resamples"] = ("kendall.why.resamples_capped", {"asked": n_resamples, "used": cap})
            n_resamples = cap
        p, se = monte_carlo_p(ranks, n_resamples, seed)
        result.p_monte_carlo, result.p_monte_carlo_se, result.n_resamples = p, se, n_resamples
    else:
        result.reasons["p_monte_carlo"] = ("kendall.why.no_resamples", {})
    return result


MONTE_CARLO_MIN_RESAMPLES = 100   # fewer resamples than this give no usable p: none are run


def monte_carlo_cap(m: int, k: int) -> int:
    """Most Monte Carlo resamples allowed for m raters x k items (:data:`repro.limits.MONTE_CARLO_MAX_WORK`).

    Below :data:`MONTE_CARLO_MIN_RESAMPLES` no Monte Carlo p is computed (m x k beyond 3e6 cells:
    the asymptotic p is then accurate, and the reason says so)."""
    return min(limits.MONTE_CARLO_MAX_RESAMPLES, limits.MONTE_CARLO_MAX_WORK // max(1, m * k))


def _distinct_permutations(row) -> int:
    """k! / prod(t!) over the tie groups t of one rater's ranks."""
    _, counts = np.unique(np.asarray(row), return_counts=True)
    n = math.factorial(len(row))
    for c in counts:
        n //= math.factorial(int(c))
    return n


def exact_cost(ranks: np.ndarray) -> tuple[int, int]:
    """Estimated work of :func:`exact_p` before running it: (state x move pairs, bytes at the peak).

    The recursion pairs every orbit state with every distinct permutation of the next rater,
    so step i costs states_i x moves_i; states are bounded by the product so far and by
    :func:`exact_state_count`. The last step builds the S matrix of states x moves
    (``limits.EXACT_P_BYTES_PER_PAIR`` bytes per pair with its temporaries).
    """
    ranks = np.asarray(ranks, dtype=float)
    m, k = ranks.shape
    unit = 1 if np.allclose(ranks, np.round(ranks)) else 2
    patterns, which = np.unique(np.sort(ranks, axis=1), axis=0, return_inverse=True)
    per_pattern = [_distinct_permutations(p) for p in patterns]
    states, pairs, peak = 1, 0, 0
    for i, index in enumerate(np.asarray(which).ravel(), start=1):
        moves = per_pattern[index]
        step = states * moves
        pairs += step
        peak = max(peak, step)
        states = min(step, exact_state_count(i, k, unit))
        if pairs > 1000 * limits.EXACT_P_MAX_PAIRS:  # far over any budget: the estimate is a lower bound
            break
    return pairs, peak * limits.EXACT_P_BYTES_PER_PAIR


class ExactTooLarge(Exception):
    """The exact distribution would need more orbit states than :data:`EXACT_ORBIT_LIMIT`."""


def _rater_moves(rank_row: np.ndarray, unit: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct permutations of one rater's ranks (integer units, minimum 0) and their weights."""
    vals = tuple(int(round(x * unit)) for x in rank_row)
    low = min(vals)
    seen: dict[tuple[int, ...], int] = {}
    for perm in permutations(v - low for v in vals):
        seen[perm] = seen.get(perm, 0) + 1
    moves = np.array(list(seen.keys()), dtype=np.int64)
    weights = np.array(list(seen.values()), dtype=float)
    return moves, weights / weights.sum()


def exact_state_count(m: int, k: int, unit: int = 1) -> int:
    """Estimated number of orbit states (sorted rank-sum vectors) at the last rater.

    The dense lattice of the first k-1 rank sums has (unit m (k-1) + 1)^(k-1) points; the
    null distribution is exchangeable across items, so only about one in k! of them is a
    distinct sorted vector.
    """
    return (unit * m * (k - 1) + 1) ** (k - 1) // math.factorial(k) + 1


def _sort_columns(cols: list[np.ndarray]) -> list[np.ndarray]:
    """Sort k parallel columns row-wise with an odd-even transposition network (k passes)."""
    k = len(cols)
    for step in range(k):
        for i in range(step % 2, k - 1, 2):
            low = np.minimum(cols[i], cols[i + 1])
            np.maximum(cols[i], cols[i + 1], out=cols[i + 1])
            cols[i] = low
    return cols


def rank_sum_orbits(ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Exact null distribution of the sorted rank-sum vector of the first m-1 raters.

    Under the permutation null each rater's ranks (ties kept) are permuted uniformly and
    independently (Legendre 2005); the distribution of the rank-sum vector is therefore
    exchangeable across items and can be carried on sorted vectors (orbits) only, rater by
    rater (the Kendall & Babington Smith 1939 recursion on rank sums, reduced by symmetry).
    Returns (states: sorted rank sums in integer units minus each rater's minimum, their
    probabilities, unit). Probabilities are accumulated by positive additions only, so
    small tail probabilities keep their relative precision.
    """
    ranks = np.asarray(ranks, dtype=float)
    m, k = ranks.shape
    unit = 1 if np.allclose(ranks, np.round(ranks)) else 2
    cache: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
    states = np.zeros((1, k), dtype=np.int64)
    prob: np.ndarray = np.ones(1)  # float64 probabilities (np.bincount with weights is typed as integer)
    top = 0
    for step, row in enumerate(ranks[:-1], start=1):
        advance("progress.exact_p", step - 1, m)
        key = tuple(sorted(row))
        if key not in cache:
            cache[key] = _rater_moves(np.array(key), unit)
        moves, weights = cache[key]
        top += int(moves.max())
        small = np.int16 if top < 2 ** 15 else np.int64
        cols = _sort_columns([np.add.outer(states[:, j].astype(small), moves[:, j].astype(small)).ravel()
                              for j in range(k)])
        base = top + 1
        code: np.ndarray = cols[0].astype(np.int32 if base ** (k - 1) < 2 ** 31 else np.int64)
        for j in range(1, k - 1):
            code *= base
            code += cols[j]
        mass = np.multiply.outer(prob, weights).ravel()
        if base ** (k - 1) <= DENSE_KEY_LIMIT:
            dense = np.bincount(code, weights=mass, minlength=base ** (k - 1))
            code = np.flatnonzero(dense)
            prob = dense[code]
        else:
            code, inverse = np.unique(code, return_inverse=True)
            prob = np.bincount(inverse.ravel(), weights=mass)
        total = sum(int(cols[j][0]) for j in range(k))
        digits = []
        for _ in range(k - 1):
            digits.append(code % base)
            code = code // base
        digits.reverse()
        states = np.stack(digits + [total - sum(digits)], axis=1).astype(np.int64)
    return states, prob, unit


def _pair_table(ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """S (squared integer units) and probability of every (orbit state of m-1 raters, last rater's move) pair.

    One null distribution answers any number of tail queries (:func:`_tail_from_table`)."""
    ranks = np.asarray(ranks, dtype=float)
    m, k = ranks.shape
    states, prob, unit = rank_sum_orbits(ranks)
    advance("progress.exact_p", m - 1, m)
    moves, weights = _rater_moves(np.sort(ranks[-1]), unit)
    low_sum = sum(int(round(min(r) * unit)) for r in ranks)  # the minima removed from each rater
    centre = unit * m * (k + 1) / 2.0 - low_sum / 1.0
    # S = |s + move - c|^2 = |s - c|^2 + 2 (s - c).move + |move|^2, for all (state, move) pairs
    s = states - centre
    S = (s ** 2).sum(axis=1)[:, None] + 2.0 * s @ moves.T.astype(float) + (moves ** 2).sum(axis=1)[None, :]
    advance("progress.exact_p", m, m)
    return S, np.outer(prob, weights)


def _tail_from_table(S: np.ndarray, mass: np.ndarray, S_observed_units: float) -> float:
    """P(S >= S_observed) from a :func:`_pair_table` (a tolerance of 1e-7 relative)."""
    tol = 1e-7 * max(1.0, S_observed_units)
    return float(min(1.0, (mass * (S >= S_observed_units - tol)).sum()))


def _tail_probability(ranks: np.ndarray, S_observed_units: float) -> float:
    """P(S >= S_observed) (S in squared integer units): orbits of m-1 raters, then the last rater."""
    S, mass = _pair_table(ranks)
    return _tail_from_table(S, mass, S_observed_units)


@lru_cache(maxsize=64)
def _untied_table(m: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_pair_table` of m untied raters of k items, computed once per (m, k) in a process
    (a convenience: the same distribution answers every query; read-only arrays)."""
    S, mass = _pair_table(np.tile(np.arange(1, k + 1, dtype=float), (m, 1)))
    S.setflags(write=False)
    mass.setflags(write=False)
    return S, mass


def exact_p(ranks: np.ndarray) -> float:
    """Exact permutation p of Kendall's W (equivalently of S or the Friedman chi2), any ties.

    Parameters
    ----------
    ranks : array, shape (m, k)
        Each rater's ranks (midranks for ties), as :func:`midranks` gives them.

    Returns
    -------
    p : float
        P(S >= S_observed), where S = sum_j (R_j - m (k + 1) / 2)^2 and each rater's ranks
        (ties kept) are permuted independently and uniformly: the permutation test of W
        (Legendre 2005). For untied data this is the exact distribution tabulated by Kendall
        & Babington Smith (1939) and Siegel & Castellan (1988, Table N).

    Its cost is not bounded here: :func:`kendall_w` checks :func:`exact_cost` against the
    budget of :mod:`repro.limits` first.

    Notes
    -----
    The rank-sum vector is convolved rater by rater on sorted vectors only (the null
    distribution is exchangeable across items), see :func:`rank_sum_orbits`; the last rater
    is added in closed form.

    References
    ----------
    Legendre, P. (2005). Species associations: the Kendall coefficient of concordance revisited.
    *Journal of Agricultural, Biological, and Environmental Statistics*, 10(2), 226-245.
    https://doi.org/10.1198/108571105X46642

    Examples
    --------
    Three raters in full agreement on three items: S is at its maximum in 6 of the 6^3 = 216
    equally likely datasets (one per order of the items).

    >>> from repro.kendall import exact_p
    >>> round(exact_p([[1, 2, 3], [1, 2, 3], [1, 2, 3]]) * 216)
    6
    """
    ranks = np.asarray(ranks, dtype=float)
    m, k = ranks.shape
    unit = 1 if np.allclose(ranks, np.round(ranks)) else 2
    observed = float(np.sum((ranks.sum(axis=0) * unit - unit * m * (k + 1) / 2.0) ** 2))
    return _tail_probability(ranks, observed)


def exact_p_no_ties(S_observed: float, m: int, k: int) -> float:
    """Exact p of S (rank units) for m raters with untied rankings of k items."""
    return _tail_from_table(*_untied_table(int(m), int(k)), float(S_observed))


def monte_carlo_p(ranks: np.ndarray, n_resamples: int = 10_000, seed: int = 12345,
                  batch: int = 100_000) -> tuple[float, float]:
    """Monte Carlo permutation p of Kendall's W (of S) and its standard error, seeded.

    Parameters
    ----------
    ranks : array, shape (m, k)
        Each rater's ranks (midranks for ties).
    n_resamples : int
        B, the number of resamples.
    seed : int
        Seed of ``numpy.random.default_rng``: the same seed gives the same p.
    batch : int
        Resamples drawn at once (memory bound; does not change the result for a given seed).

    Returns
    -------
    p : float
        (1 + #{S* >= S_observed}) / (1 + B), never 0 (Phipson & Smyth 2010).
    se : float
        sqrt(p (1 - p) / B), its Monte Carlo standard error.

    Notes
    -----
    Each resample permutes every rater's ranks independently (ties kept), as
    ``scipy.stats.permutation_test(permutation_type='samples')`` does. For k <= 7 (and
    m k! <= 2e6) each rater's k! permutations are tabulated once, packed into one integer per
    permutation (one bit field per item), so a resample costs m integer gathers and one sum;
    otherwise every resample shuffles (``Generator.permuted``).

    References
    ----------
    Phipson, B., & Smyth, G. K. (2010). Permutation p-values should never be zero: calculating
    exact p-values when permutations are randomly drawn. *Statistical Applications in Genetics
    and Molecular Biology*, 9(1), Article 39. https://doi.org/10.2202/1544-6115.1585

    Examples
    --------
    Full agreement of three raters on three items (exact p = 6/216 = 0.0278):

    >>> import numpy as np
    >>> from repro.kendall import monte_carlo_p
    >>> p, se = monte_carlo_p(np.array([[1, 2, 3], [1, 2, 3], [1, 2, 3.0]]), 20_000, seed=1)
    >>> abs(p - 6 / 216) < 4 * se
    True
    """
    ranks = np.asarray(ranks, dtype=float)
    m, k = ranks.shape
    unit = 1 if np.allclose(ranks, np.round(ranks)) else 2
    rng = np.random.default_rng(seed)
    centre = unit * m * (k + 1) / 2.0
    observed = float(np.sum((ranks.sum(axis=0) * unit - centre) ** 2))
    threshold = observed - 1e-9 * max(1.0, observed)
    bits = int(unit * k * m).bit_length()
    hits = done = 0
    if k <= 7 and bits * k <= 62 and m * math.factorial(k) <= 2_000_000:
        orders = np.array(list(permutations(range(k))))
        table = np.rint(ranks[:, orders] * unit).astype(np.int64)  # (m, k!, k)
        shifts = np.arange(k, dtype=np.int64) * bits
        packed = (table << shifts).sum(axis=2).ravel()
        offsets = np.arange(m) * len(orders)
        mask = (1 << bits) - 1
        while done < n_resamples:
            b = min(batch, n_resamples - done)
            draw = rng.integers(0, len(orders), size=(b, m), dtype=np.int32 if len(orders) > 255 else np.uint8)
            totals = packed[draw + offsets].sum(axis=1)
            S = np.zeros(b)
            for shift in shifts:
                S += (((totals >> shift) & mask) - centre) ** 2
            hits += int(np.count_nonzero(S >= threshold))
            done += b
            advance("progress.monte_carlo", done, n_resamples)
    else:
        scaled = ranks * unit
        while done < n_resamples:
            b = max(1, min(n_resamples - done, 5_000_000 // (m * k)))
            shuffled = rng.permuted(np.broadcast_to(scaled, (b, m, k)), axis=2)
            S = np.sum((shuffled.sum(axis=1) - centre) ** 2, axis=1)
            hits += int(np.count_nonzero(S >= threshold))
            done += b
            advance("progress.monte_carlo", done, n_resamples)
    p = (hits + 1) / (n_resamples + 1)
    return p, math.sqrt(p * (1 - p) / n_resamples)
