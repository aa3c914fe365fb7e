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
from itertools import permutations

import numpy as np

from repro.errors import ReproError

# Largest dense state space (number of rank-sum vectors) the exact recursion may allocate.
EXACT_STATE_LIMIT = 4_000_000


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
    exact_method: str | None = None


def midranks(scores: np.ndarray) -> np.ndarray:
    """Rank each row of an (m raters x k items) score matrix, ties given their mean rank."""
    from scipy.stats import rankdata

    scores = np.asarray(scores, dtype=float)
    if scores.ndim != 2:
        raise ReproError("expected a two-dimensional table of raters by items")
    return rankdata(scores, axis=1, method="average")


def tie_totals(ranks: np.ndarray) -> np.ndarray:
    """T_i = sum over tie groups of rater i of (t^3 - t)."""
    totals = np.zeros(ranks.shape[0])
    for i, row in enumerate(ranks):
        _, counts = np.unique(row, return_counts=True)
        totals[i] = float(np.sum(counts.astype(float) ** 3 - counts))
    return totals


def kendall_w_from_sums(rank_sums: np.ndarray, m: int, tie_total: float = 0.0) -> tuple[float, float, float]:
    """(S, W uncorrected, W tie-corrected) from rank sums R_j, m and sum_i T_i."""
    rank_sums = np.asarray(rank_sums, dtype=float)
    k = rank_sums.size
    S = float(np.sum((rank_sums - m * (k + 1) / 2.0) ** 2))
    denom = m * m * (k ** 3 - k)
    W_unc = 12.0 * S / denom
    denom_c = denom - m * tie_total
    W_cor = 12.0 * S / denom_c if denom_c > 0 else float("nan")
    return S, W_unc, W_cor


def chi2_sf(x: float, df: int) -> float:
    """Upper tail of the chi-square distribution (scipy.stats.chi2.sf)."""
    from scipy.stats import chi2

    return float(chi2.sf(x, df))


def friedman_p(W: float, m: int, k: int) -> float:
    """Asymptotic p of W: chi2 = m (k-1) W on k-1 degrees of freedom."""
    return chi2_sf(m * (k - 1) * W, k - 1)


def kendall_w(scores, correct: bool = True, exact: bool | None = None, n_resamples: int = 0,
              seed: int = 12345) -> KendallResult:
    """Kendall's W for an (m raters x k items) table of scores or ranks.

    Scores are ranked within each rater (midranks for ties). ``correct`` applies the tie
    correction (as ``irr::kendall(correct=TRUE)``). ``exact`` computes the exact permutation
    p where the state space allows (None: when feasible); ``n_resamples`` > 0 adds a Monte
    Carlo permutation p with its standard error.
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
    if exact is not False:
        try:
            result.p_exact = exact_p(ranks)
            result.exact_method = "exact permutation distribution (rank-sum recursion)"
        except ExactTooLarge:
            if exact:
                raise ReproError(f"exact p is out of reach for m={m}, k={k}: use --resamples") from None
    if n_resamples:
        p, se = monte_carlo_p(ranks, n_resamples, seed)
        result.p_monte_carlo, result.p_monte_carlo_se, result.n_resamples = p, se, n_resamples
    return result


class ExactTooLarge(Exception):
    """The exact distribution would need more states than :data:`EXACT_STATE_LIMIT`."""


def _rater_moves(rank_row: np.ndarray, unit: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct permutations of one rater's ranks (in integer units) and their multiplicities."""
    vals = tuple(int(round(x * unit)) for x in rank_row)
    seen: dict[tuple[int, ...], int] = {}
    for perm in permutations(vals):
        seen[perm] = seen.get(perm, 0) + 1
    moves = np.array(list(seen.keys()), dtype=np.int64)
    weights = np.array(list(seen.values()), dtype=float)
    return moves, weights / weights.sum()


def exact_state_count(m: int, k: int, unit: int = 1) -> int:
    """Number of dense rank-sum states the exact recursion needs at the last rater."""
    return (unit * m * (k - 1) + 1) ** (k - 1)


def rank_sum_distribution(ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Exact null distribution of the rank-sum vector, keeping each rater's tie pattern.

    Returns (probability grid over the first k-1 rank sums in integer units, per-axis
    offsets, unit). Probabilities are accumulated by positive additions only, so small tail
    probabilities keep their relative precision.
    """
    ranks = np.asarray(ranks, dtype=float)
    m, k = ranks.shape
    unit = 1 if np.allclose(ranks, np.round(ranks)) else 2
    if exact_state_count(m, k, unit) > EXACT_STATE_LIMIT:
        raise ExactTooLarge
    cache: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
    grid = np.ones((1,) * (k - 1))
    offset = np.zeros(k - 1, dtype=np.int64)
    for row in ranks:
        key = tuple(sorted(row))
        if key not in cache:
            cache[key] = _rater_moves(np.array(key), unit)
        moves, weights = cache[key]
        sub = moves[:, : k - 1]
        lo = sub.min(axis=0)
        span = sub.max(axis=0) - lo
        new = np.zeros(tuple(np.array(grid.shape) + span))
        for move, w in zip(sub - lo, weights):
            index = tuple(slice(int(a), int(a) + n) for a, n in zip(move, grid.shape))
            new[index] += w * grid
        grid = new
        offset = offset + lo
    return grid, offset, unit


def exact_p(ranks: np.ndarray) -> float:
    """Exact permutation p = P(S >= S_observed) under independent within-rater permutation."""
    ranks = np.asarray(ranks, dtype=float)
    m, k = ranks.shape
    grid, offset, unit = rank_sum_distribution(ranks)
    total = unit * m * k * (k + 1) // 2
    axes = np.meshgrid(*[np.arange(n) + o for n, o in zip(grid.shape, offset)], indexing="ij", sparse=True)
    last = total - sum(axes)
    centre = unit * m * (k + 1) / 2.0
    S_grid = sum((a - centre) ** 2 for a in axes) + (last - centre) ** 2
    observed = float(np.sum((ranks.sum(axis=0) * unit - centre) ** 2))
    tol = 1e-7 * max(1.0, observed)
    return float(min(1.0, grid[S_grid >= observed - tol].sum()))


def exact_p_no_ties(S_observed: float, m: int, k: int) -> float:
    """Exact p of S (rank units) for m raters with untied rankings of k items."""
    ranks = np.tile(np.arange(1, k + 1, dtype=float), (m, 1))
    grid, offset, unit = rank_sum_distribution(ranks)
    total = m * k * (k + 1) // 2
    axes = np.meshgrid(*[np.arange(n) + o for n, o in zip(grid.shape, offset)], indexing="ij", sparse=True)
    last = total - sum(axes)
    centre = m * (k + 1) / 2.0
    S_grid = sum((a - centre) ** 2 for a in axes) + (last - centre) ** 2
    return float(min(1.0, grid[S_grid >= S_observed - 1e-7 * max(1.0, S_observed)].sum()))


def monte_carlo_p(ranks: np.ndarray, n_resamples: int = 10_000, seed: int = 12345,
                  batch: int = 20_000) -> tuple[float, float]:
    """Monte Carlo permutation p of S and its standard error, seeded.

    Each resample permutes every rater's ranks independently (ties kept). p is
    (1 + #{S* >= S}) / (1 + B) as in Phipson & Smyth (2010); se = sqrt(p (1 - p) / B).
    """
    ranks = np.asarray(ranks, dtype=float)
    m, k = ranks.shape
    rng = np.random.default_rng(seed)
    centre = m * (k + 1) / 2.0
    observed = float(np.sum((ranks.sum(axis=0) - centre) ** 2))
    hits = 0
    done = 0
    while done < n_resamples:
        b = min(batch, n_resamples - done)
        order = np.argsort(rng.random((b, m, k)), axis=2)
        permuted = np.take_along_axis(np.broadcast_to(ranks, (b, m, k)), order, axis=2)
        S = np.sum((permuted.sum(axis=1) - centre) ** 2, axis=1)
        hits += int(np.count_nonzero(S >= observed - 1e-9 * max(1.0, observed)))
        done += b
    p = (hits + 1) / (n_resamples + 1)
    return p, math.sqrt(p * (1 - p) / n_resamples)
