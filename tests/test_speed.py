"""Speed paths give the same numbers as the slow paths they replace (issue 19 item 3)."""
from __future__ import annotations

import numpy as np
import pytest

from repro.kendall import _tail_probability, exact_p_no_ties


@pytest.mark.parametrize("m,k", [(3, 3), (5, 3), (4, 4), (7, 3), (3, 5)])
def test_memoised_untied_p_equals_fresh_computation(m, k):
    ranks = np.tile(np.arange(1, k + 1, dtype=float), (m, 1))
    S_max = m * m * (k ** 3 - k) / 12.0
    for S in np.linspace(0.0, S_max, 7):
        # the memoised distribution answers exactly (bit for bit) what a fresh one does
        assert exact_p_no_ties(S, m, k) == _tail_probability(ranks, S)


def _datasets_k3_recursive(ranks, W, p, m):
    """The depth-first walk datasets_k3 used before it went level-at-a-time (the slow reference)."""
    import math

    from repro.kendall_groups import _WEAK3

    orders = sorted(_WEAK3)
    tie_t = [24.0 if len(set(o)) == 1 else 6.0 if len(set(o)) == 2 else 0.0 for o in orders]
    lo = [float(r.lo) * m - 1e-9 for r in ranks]
    hi = [float(r.hi) * m + 1e-9 for r in ranks]
    found = []
    counts = [0] * len(orders)

    def walk(i, left, sums, T):
        if any(sums[j] + left * 1.0 > hi[j] or sums[j] + left * 3.0 < lo[j] for j in range(3)):
            return
        if i == len(orders) - 1:
            counts[i] = left
            total = [sums[j] + left * orders[i][j] for j in range(3)]
            t_all = T + left * tie_t[i]
            if all(lo[j] <= total[j] <= hi[j] for j in range(3)):
                S = sum((x - 2.0 * m) ** 2 for x in total)
                denom = 24.0 * m * m - m * t_all
                if denom > 0:
                    w = 12.0 * S / denom
                    if W.contains(w) and (p is None or p.contains(math.exp(-m * w))):
                        found.append(np.array([orders[k] for k, n in enumerate(counts) for _ in range(n)]))
            return
        for n in range(left + 1):
            counts[i] = n
            walk(i + 1, left - n, [sums[j] + n * orders[i][j] for j in range(3)], T + n * tie_t[i])
        counts[i] = 0

    walk(0, m, [0.0, 0.0, 0.0], 0.0)
    return found


@pytest.mark.parametrize("ranks,W,p,ms", [
    (("1,84", "1,66", "2,48"), "0,230", "0,012", (9, 10, 11, 12)),
    (("2,50", "1,50", "2,00"), "0,250", None, (4, 6, 8)),
    (("1,5", "2,0", "2,5"), "0,25", "0,37", (3, 4, 5, 7)),
    (("1,00", "2,00", "3,00"), "1,000", None, (1, 2, 5)),
])
def test_level_walk_of_datasets_k3_equals_depth_first_walk(ranks, W, p, ms):
    from repro.kendall_groups import datasets_k3
    from repro.printed import parse_printed

    R = [parse_printed(r) for r in ranks]
    Wp = parse_printed(W)
    pp = parse_printed(p) if p else None
    for m in ms:
        fast, slow = datasets_k3(R, Wp, pp, m), _datasets_k3_recursive(R, Wp, pp, m)
        assert len(fast) == len(slow)
        for a, b in zip(fast, slow):
            assert a.dtype == b.dtype and np.array_equal(a, b)
    # not vacuous: the rows other than paper 004's impossible row 1 do have datasets
    assert any(len(datasets_k3(R, Wp, pp, m)) for m in ms) or ranks[0] == "1,84"


def test_chi2_tails_without_scipy_stats_equal_scipy_stats():
    from scipy.stats import chi2

    from repro.kendall import chi2_isf, chi2_sf

    rng = np.random.default_rng(19)
    assert np.isnan(chi2_sf(3.0, 0)) and np.isnan(float(chi2.sf(3.0, 0)))
    assert np.isnan(chi2_isf(0.05, 0)) and np.isnan(float(chi2.isf(0.05, 0)))
    for df in (1, 2, 3, 4, 9):
        for x in [-1.0, 0.0, 1e-300, 0.5, 3.84, 11.16, 700.0, float("inf"), *rng.uniform(0, 60, 50)]:
            assert chi2_sf(float(x), df) == float(chi2.sf(x, df))
        for q in [0.0, 1e-300, 0.0005, 0.001, 0.0495, 0.05, 0.5, 1.0, *rng.uniform(0, 1, 50)]:
            assert chi2_isf(float(q), df) == float(chi2.isf(q, df))


def test_repro_tables_path_does_not_import_scipy_stats():
    import subprocess
    import sys

    code = ("import sys; from repro.tables import verify_tables; verify_tables(); "
            "print('scipy.stats' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "False", "scipy.stats costs a cold run ~0.5 s: use repro.kendall.chi2_sf/chi2_isf"


def _closest_at_slow(heap, m, k, a, b, step, t, c, corrected, rank_bounds, w_bounds, p_bounds):
    """ranksums._closest's loop before it went array-at-a-time (one rank-sum vector at a time)."""
    import heapq
    from itertools import product

    from repro.ranksums import _w_p, majorization_gap

    for head in product(*[range(x, y + 1, step) for x, y in zip(a, b)]):
        last = m * k * (k + 1) - sum(head)
        r2 = tuple(head) + (last,)
        if not 2 * m <= last <= 2 * m * k or majorization_gap(r2, m) is not None:
            continue
        Wv, pv = _w_p(sum((x - c) ** 2 for x in r2), m, k, t, corrected)
        rk = [x / (2 * m) for x in r2]
        parts = [max(0.0, lo - x, x - hi) / unit for x, (lo, hi, unit) in zip(rk, rank_bounds)]
        base = sum(parts) + 1000.0 * sum(x > 0 for x in parts)
        score = np.full(t.shape, base)
        for values, box in ((Wv, w_bounds), (pv, p_bounds)):
            if box is not None:
                lo, hi, unit = box
                miss = np.maximum(0.0, np.maximum(lo - values, values - hi)) / unit
                score = score + miss + 1000.0 * (miss > 0)
        score = np.where(np.isfinite(Wv), score, np.inf)
        for ti in np.argsort(score, kind="stable")[:3]:
            if not np.isfinite(score[ti]):
                break
            item = (-float(score[ti]), -m, r2, int(t[ti]), tuple(rk) + (float(Wv[ti]), float(pv[ti])))
            if len(heap) < 50:
                heapq.heappush(heap, item)
            elif item > heap[0]:
                heapq.heapreplace(heap, item)


@pytest.mark.parametrize("k", [3, 4])
@pytest.mark.parametrize("ties", [False, True])
def test_array_closest_equals_one_vector_at_a_time(k, ties):
    from repro.ranksums import _closest_at

    rng = np.random.default_rng(k * 10 + ties)
    filled = 0
    for m in (4, 7, 11):
        step = 1 if ties else 2
        for _ in range(3):
            means = rng.uniform(1.2, k - 0.2, k)
            means += (k + 1) / 2 - means.mean()  # mean ranks that can add up to k (k + 1) / 2
            rank_bounds = [(x - 0.005, x + 0.005, 0.01) for x in np.round(means, 2)]
            a, b = [], []
            for lo_, hi_, _u in rank_bounds[:-1]:
                lo = max(int(np.ceil(2 * m * lo_)) - 2 * step, 2 * m)
                hi = min(int(np.floor(2 * m * hi_)) + 2 * step, 2 * m * k)
                if step == 2:
                    lo += lo % 2
                    hi -= hi % 2
                a.append(lo)
                b.append(hi)
            w = round(float(rng.uniform(0.05, 0.6)), 3)
            p = round(float(rng.uniform(0.001, 0.2)), 3)
            t = np.arange(0, ((k ** 3 - k) // 6 * m if ties else 0) + 1)
            for w_bounds, p_bounds in (((w - 5e-4, w + 5e-4, 1e-3), (p - 5e-4, p + 5e-4, 1e-3)), (None, None)):
                fast, slow = [], []
                _closest_at(fast, m, k, a, b, step, t, m * (k + 1), True, rank_bounds, w_bounds, p_bounds)
                _closest_at_slow(slow, m, k, a, b, step, t, m * (k + 1), True, rank_bounds, w_bounds, p_bounds)
                assert fast == slow
                filled += len(fast) > 0
    assert filled  # not vacuous


def _multiset_counts_by_roll(kind, m_max):
    """The generating function as it was computed before: a shift of the whole array by np.roll per move and n."""
    from repro.reconstruct import C, PAIR, STRICT

    moves = STRICT if kind == "strict" else PAIR
    size = 2 * C + 1
    counts = np.zeros((m_max + 1, size, size), dtype=np.int64)
    counts[0, C, C] = 1
    for d1, d2, _ in moves:
        for n in range(1, m_max + 1):
            counts[n] += np.roll(np.roll(counts[n - 1], d1, axis=0), d2, axis=1)
    return counts


@pytest.mark.parametrize("kind", ["strict", "pair"])
def test_windowed_multiset_counts_equal_the_whole_array_roll(kind):
    from repro.reconstruct import M_MAX, multiset_counts

    assert np.array_equal(multiset_counts(kind), _multiset_counts_by_roll(kind, M_MAX))
    with pytest.raises(ValueError):
        multiset_counts(kind, M_MAX + 1)


def test_a_value_computed_in_a_child_is_the_same_and_computed_here_when_the_child_fails(monkeypatch):
    import os

    from repro.processes import InChild
    from repro.tables import VERIFIERS

    assert InChild(VERIFIERS["B2"]).result() == VERIFIERS["B2"]()
    parent = os.getpid()

    def fails_in_the_child():
        if os.getpid() != parent:
            os._exit(3)  # as a child killed mid-way
        return "computed here"

    assert InChild(fails_in_the_child).result() == "computed here"
    monkeypatch.setenv("REPRO_JOBS", "1")
    assert InChild(os.getpid).result() == parent  # one process: computed here, no child


def test_plain_digit_scores_take_the_short_path_to_the_same_float():
    import random

    from repro.numerals import NotANumber, parse_score

    def general(text):  # the path every other score takes (the short path skipped by a leading space)
        return parse_score(" " + text)

    rng = random.Random(0)
    for text in ["0", "3", "007", "9" * 15] + [str(rng.randrange(10 ** rng.randrange(1, 16))) for _ in range(5000)]:
        assert repr(parse_score(text)) == repr(general(text))
    with pytest.raises(NotANumber):
        parse_score("9" * 400)  # beyond the short path: still refused as not finite
