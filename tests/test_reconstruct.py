"""Exhaustive reconstruction: generating functions against plain enumeration, and round trips."""

import numpy as np
import pytest

from repro.printed import parse_printed
from repro.reconstruct import (WEAK_ORDERS, brute_force_row, count_datasets, example_dataset, reconstruct_row,
                               row_statistics, tie_units)
from repro.kendall import kendall_w


def printed(x, d):
    return parse_printed(f"{x:.{d}f}")


@pytest.mark.parametrize("m", [2, 3, 4, 5])
def test_counts_equal_plain_enumeration(m):
    from itertools import combinations_with_replacement

    tally = {}
    for combo in combinations_with_replacement(WEAK_ORDERS, m):
        key = (sum(c[0] for c in combo), sum(c[1] for c in combo), sum(tie_units(c) for c in combo))
        tally[key] = tally.get(key, 0) + 1
    for (d1, d2, t), n in tally.items():
        assert count_datasets(m, d1, d2, t) == n


def test_statistics_agree_with_kendall_w():
    rng = np.random.default_rng(1)
    for _ in range(30):
        m = int(rng.integers(2, 12))
        rows = [WEAK_ORDERS[i] for i in rng.integers(0, 13, m)]
        d1, d2 = sum(r[0] for r in rows), sum(r[1] for r in rows)
        t = sum(tie_units(r) for r in rows)
        r1, r2, r3, W, p = row_statistics(m, d1, d2, t)
        ranks = np.array([[2 + x / 2 for x in r] for r in rows])
        if np.all(ranks == 2):
            continue
        kw = kendall_w(ranks, exact=False)
        assert kw.W == pytest.approx(W, abs=1e-12)
        assert kw.p_asymptotic == pytest.approx(p, abs=1e-12)
        assert kw.mean_ranks == pytest.approx([r1, r2, r3], abs=1e-12)


@pytest.mark.parametrize("seed", range(12))
def test_round_trip_finds_the_original(seed):
    rng = np.random.default_rng(seed)
    m = int(rng.integers(3, 25))
    rows = [WEAK_ORDERS[i] for i in rng.integers(0, 13, m)]
    d1, d2 = sum(r[0] for r in rows), sum(r[1] for r in rows)
    t = sum(tie_units(r) for r in rows)
    r1, r2, r3, W, p = row_statistics(m, d1, d2, t)
    if not np.isfinite(W):
        return
    row = (printed(r1, 2), printed(r2, 2), printed(r3, 2))
    result = reconstruct_row(row, printed(W, 3), printed(p, 3))
    assert any(s.m == m and s.d[:2] == (d1, d2) and s.t == t for s in result.solutions)
    assert result.example is not None


def test_search_equals_plain_enumeration_for_small_m():
    row = (parse_printed("1,67"), parse_printed("2,00"), parse_printed("2,33"))
    W, p = parse_printed("0,111"), parse_printed("0,717")
    result = reconstruct_row(row, W, p, m_values=range(2, 7))
    fast = {(s.m, s.d[0], s.d[1], s.t): s.count for s in result.solutions}
    slow = {}
    for m in range(2, 7):
        for (d1, d2, t), n in brute_force_row(row, W, p, m).items():
            slow[(m, d1, d2, t)] = n
    assert fast == slow


def test_example_dataset_has_the_statistics():
    ex = example_dataset(9, -6, 2, 3)
    assert ex is not None and len(ex) == 9
    sums = np.array(ex).sum(axis=0)
    assert 2 * sums[0] - 36 == -6 and 2 * sums[1] - 36 == 2
