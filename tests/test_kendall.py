"""Kendall's W against independent references (R's irr documentation example, scipy) and brute force.

R (irr 0.84, documented example):  data(anxiety); kendall(anxiety, TRUE)
  -> Wt = 0.54, Chisq(19) = 30.8, p-value = 0.0429 (as asserted by pyirr's port of that example)
The R calls behind every reference value here are in tests/test_kendall.R (documentation: not run).
"""

import itertools

import numpy as np
import pytest
from scipy.stats import friedmanchisquare, permutation_test

from repro.kendall import exact_p, exact_p_no_ties, kendall_w, monte_carlo_p

# irr's `anxiety` data: 20 subjects (rows) rated by 3 raters (columns).
ANXIETY = np.array([[3, 3, 2], [3, 6, 1], [3, 4, 4], [4, 6, 4], [5, 2, 3], [5, 4, 2], [2, 2, 1], [3, 4, 6],
                    [5, 3, 1], [2, 3, 1], [2, 2, 1], [6, 3, 2], [1, 3, 3], [5, 3, 3], [2, 2, 1], [2, 2, 1],
                    [1, 1, 3], [2, 3, 3], [4, 3, 2], [3, 4, 2]])


def test_anxiety_matches_irr_documented_output():
    r = kendall_w(ANXIETY.T, correct=True, exact=False)  # irr takes objects in rows: transpose
    assert (r.m, r.k) == (3, 20)
    assert round(r.W, 2) == 0.54
    assert round(r.chi2, 1) == 30.8
    assert round(r.p_asymptotic, 4) == 0.0429


def test_anxiety_matches_scipy_friedman_to_1e9():
    r = kendall_w(ANXIETY.T, correct=True, exact=False)
    f = friedmanchisquare(*ANXIETY.T.T)
    assert abs(r.chi2 - f.statistic) < 1e-9
    assert abs(r.p_asymptotic - f.pvalue) < 1e-9
    assert abs(r.W - f.statistic / (r.m * (r.k - 1))) < 1e-9


def test_uncorrected_w_without_ties_equals_corrected():
    ranks = np.array([[1, 2, 3, 4], [2, 1, 3, 4], [1, 3, 2, 4]], float)
    r = kendall_w(ranks, exact=False)
    assert r.W == pytest.approx(r.W_uncorrected, abs=1e-12)
    # hand computation: rank sums 4, 6, 8, 12; S = 4^2+2^2+0+4^2... centre 7.5
    S = sum((x - 7.5) ** 2 for x in (4, 6, 8, 12))
    assert r.W == pytest.approx(12 * S / (9 * (64 - 4)), abs=1e-12)


def _brute_p(ranks):
    m, k = ranks.shape
    centre = m * (k + 1) / 2
    observed = np.sum((ranks.sum(0) - centre) ** 2)
    perms = [sorted(set(itertools.permutations(row))) for row in ranks]
    hits = total = 0
    for combo in itertools.product(*perms):
        s = np.sum((np.array(combo).sum(0) - centre) ** 2)
        hits += s >= observed - 1e-9
        total += 1
    return hits / total


@pytest.mark.parametrize("ranks", [
    [[1, 2, 3], [1, 3, 2], [2, 1, 3], [1, 2, 3]],
    [[1, 2, 3, 4], [2, 1, 4, 3], [1, 2, 4, 3]],
    [[1.5, 1.5, 3], [1, 2, 3], [2, 2, 2], [3, 1.5, 1.5]],
    [[1, 2.5, 2.5, 4], [1, 2, 3, 4], [4, 3, 1.5, 1.5]],
])
def test_exact_p_equals_brute_force(ranks):
    ranks = np.array(ranks, float)
    assert exact_p(ranks) == pytest.approx(_brute_p(ranks), abs=1e-12)


def test_exact_no_ties_matches_general_recursion():
    ranks = np.array([[1, 2, 3], [1, 2, 3], [2, 1, 3], [1, 3, 2], [1, 2, 3]], float)
    S = float(np.sum((ranks.sum(0) - 10) ** 2))
    assert exact_p_no_ties(S, 5, 3) == pytest.approx(exact_p(ranks), abs=1e-12)


def test_monte_carlo_agrees_with_exact_and_scipy():
    rng = np.random.default_rng(7)
    ranks = np.argsort(rng.random((6, 4)), axis=1) + 1.0
    ranks[:3] = [1, 2, 3, 4]
    p_exact = exact_p(ranks)
    p_mc, se = monte_carlo_p(ranks, 20000, seed=3)
    assert abs(p_mc - p_exact) < 4 * se + 1e-4

    def stat(*samples, axis=-1):
        data = np.stack(samples, axis=-1)
        sums = data.sum(axis=-2)
        return np.sum((sums - 6 * 2.5) ** 2, axis=-1)

    res = permutation_test([ranks[:, j] for j in range(4)], stat, permutation_type="samples",
                           n_resamples=5000, vectorized=True, alternative="greater", random_state=1)
    assert abs(res.pvalue - p_exact) < 0.03


def test_too_few_raters_refused():
    from repro.errors import ReproError

    with pytest.raises(ReproError):
        kendall_w(np.array([[1, 2, 3]]))


# Exact Friedman probabilities P(chi2_r >= x) as tabulated by Siegel (1956), *Nonparametric
# Statistics*, Table N (from Friedman 1937); chi2_r = 12 S / (m k (k + 1)).
SIEGEL_TABLE_N = [(3, 3, 6.0, 0.028), (3, 3, 4.667, 0.194), (3, 4, 6.5, 0.042), (3, 4, 8.0, 0.0046),
                  (3, 5, 6.4, 0.039), (3, 5, 8.4, 0.0085), (3, 6, 7.0, 0.029), (3, 6, 9.0, 0.0081),
                  (4, 3, 7.4, 0.033), (4, 3, 9.0, 0.0017), (4, 4, 7.8, 0.036)]


@pytest.mark.parametrize("k,m,chi2_r,p_table", SIEGEL_TABLE_N)
def test_exact_p_matches_friedman_table(k, m, chi2_r, p_table):
    S = round(chi2_r * m * k * (k + 1) / 12)
    digits = len(str(p_table).split(".")[1])
    assert round(exact_p_no_ties(S, m, k), digits) == p_table


def test_exact_p_k5_equals_brute_force():
    perms = list(itertools.permutations(range(1, 6)))
    ranks = np.array([[1, 2, 3, 4, 5], [2, 1, 3, 5, 4]], float)
    S_obs = np.sum((ranks.sum(0) - 6) ** 2)
    brute = np.mean([np.sum((np.add(a, b) - 6) ** 2) >= S_obs - 1e-9 for a in perms for b in perms])
    assert exact_p(ranks) == pytest.approx(brute, abs=1e-12)


def test_exact_range_twice_suppdists():
    # the orbit recursion reaches k = 5, m = 16 without ties; p of the maximal S is 1 / 120^15
    assert exact_p_no_ties(16 ** 2 * 10, 16, 5) == pytest.approx(120.0 ** -15, rel=1e-9)


def test_monte_carlo_shuffle_path_agrees_with_scipy():
    # k = 8 takes the Generator.permuted path rather than the packed table
    rng = np.random.default_rng(11)
    ranks = np.argsort(rng.random((5, 8)), axis=1) + 1.0
    p_mc, se = monte_carlo_p(ranks, 20000, seed=5)

    def stat(*samples, axis=-1):
        return np.sum((np.stack(samples, axis=-1).sum(axis=-2) - 5 * 4.5) ** 2, axis=-1)

    res = permutation_test([ranks[:, j] for j in range(8)], stat, permutation_type="samples",
                           n_resamples=20000, vectorized=True, alternative="greater", random_state=2)
    assert abs(res.pvalue - p_mc) < 4 * se + 1e-3


def test_nag_g08aef_documented_example():
    """NAG Library G08AEF (Friedman test) example: 3 treatments, 18 blocks, one tied block.

    Documented results: test statistic 8.583, degrees of freedom 2, significance 0.014 —
    the statistic without the tie correction (the corrected one is larger).
    """
    g1 = [1, 2, 1, 1, 3, 2, 3, 1, 3, 3, 2, 2, 3, 2, 2.5, 3, 3, 2]
    g2 = [3, 3, 3, 2, 1, 3, 2, 3, 1, 1, 3, 3, 2, 3, 2.5, 2, 2, 3]
    g3 = [2, 1, 2, 3, 2, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1]
    blocks = np.array([g1, g2, g3]).T  # blocks are the raters
    plain = kendall_w(blocks, correct=False, exact=False)
    assert (plain.m, plain.k, plain.df) == (18, 3, 2)
    assert round(plain.chi2, 3) == 8.583 and round(plain.p_asymptotic, 3) == 0.014
    corrected = kendall_w(blocks, correct=True, exact=False)
    assert corrected.chi2 > plain.chi2 and abs(corrected.chi2 - friedmanchisquare(g1, g2, g3).statistic) < 1e-9
