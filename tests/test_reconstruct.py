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


# ---------------------------------------------------------------- k = 4 (repro.weak_orders)

def test_weak_orders_are_the_ordered_bell_numbers_and_match_k3():
    from repro.reconstruct import WEAK_ORDERS, tie_units
    from repro.weak_orders import weak_orders

    assert [len(weak_orders(k)) for k in (2, 3, 4)] == [3, 13, 75]  # ordered Bell numbers
    assert sorted(weak_orders(3)) == sorted((w, tie_units(w)) for w in WEAK_ORDERS)


@pytest.mark.slow
def test_witness_existence_equals_brute_force_for_small_m():
    from itertools import combinations_with_replacement

    from repro.weak_orders import find_witness, weak_orders

    orders = weak_orders(4)
    for m in (2, 3):
        reachable = set()
        for combo in combinations_with_replacement(orders, m):
            reachable.add((tuple(map(sum, zip(*[o[0] for o in combo]))), sum(o[1] for o in combo)))
        grid = [(d, t) for d in {r[0] for r in reachable} for t in range(0, 10 * m + 1)]
        for d, t in grid[:: max(1, len(grid) // 400)]:
            witness = find_witness(m, 4, d, t)
            assert (witness is not None) == ((d, t) in reachable), (m, d, t)
            if witness is not None:
                assert len(witness) == m


@pytest.mark.slow
def test_k4_round_trip_finds_the_true_m_and_flags_a_perturbed_rank():
    """Generate rankings, summarise, round as a paper prints, reconstruct; then break one mean rank."""
    from repro.kendall import kendall_w
    from repro.printed import parse_printed
    from repro.weak_orders import reconstruct_row_weak

    rng = np.random.default_rng(2024)

    def printed(x, decimals):
        return parse_printed(f"{x:.{decimals}f}".replace(".", ","))

    for _ in range(12):
        m = int(rng.integers(4, 31))
        scores = rng.integers(1, 5, size=(m, 4)).astype(float)
        r = kendall_w(scores, exact=False)
        ranks = tuple(printed(x, 2) for x in r.mean_ranks)
        W, p = printed(r.W, 3), printed(r.p_asymptotic, 3)
        found = reconstruct_row_weak(ranks, W, p)
        d_true = tuple(int(round(2 * s - 5 * m)) for s in r.rank_sums)
        t_true = int(round(r.tie_total / 6))
        assert (m, d_true, t_true) in {(s.m, s.d, s.t) for s in found.solutions}
        assert len(found.example) in found.m_values
        broken = (printed(float(ranks[0].value) + 0.2, 2),) + ranks[1:]
        assert reconstruct_row_weak(broken, W, p).solutions == []  # the rank sum no longer equals 10
