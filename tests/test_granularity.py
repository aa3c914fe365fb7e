"""Granularity (GRIM-style) tests against brute force, and reconstruction round trips."""

import random
from fractions import Fraction

import pytest

from repro.granularity import feasible_denominators, feasible_rater_counts, share_numerators
from repro.printed import parse_printed


def brute(shares, n_max):
    out = []
    for n in range(1, n_max + 1):
        ok = True
        for s in shares:
            v = Fraction(s.replace(",", "."))
            if not any(abs(Fraction(k, n) - v) <= Fraction(1, 200) for k in range(n + 1)):
                ok = False
        if ok:
            out.append(n)
    return out


@pytest.mark.parametrize("seed", range(25))
def test_feasible_denominators_equal_brute_force(seed):
    rng = random.Random(seed)
    shares = [f"{rng.randint(0, 100) / 100:.2f}" for _ in range(rng.randint(1, 6))]
    assert feasible_denominators([parse_printed(s) for s in shares], 120) == brute(shares, 120)


@pytest.mark.parametrize("seed", range(40))
def test_round_trip_shares_recover_counts(seed):
    rng = random.Random(1000 + seed)
    n = rng.randint(5, 60)
    counts = [rng.randint(0, n) for _ in range(13)]
    shares = [parse_printed(f"{k / n:.2f}") for k in counts]
    assert n in feasible_denominators(shares, 200)
    for k, s in zip(counts, shares):
        assert k in share_numerators(s, n)


def test_half_is_accepted_in_both_directions():
    assert list(share_numerators(parse_printed("0,13"), 8)) == [1]  # 0.125 rounds either way
    assert list(share_numerators(parse_printed("0,12"), 8)) == [1]


def test_mean_rank_granularity():
    ranks = [parse_printed(x) for x in ("1,50", "2,00", "2,50")]
    ok = feasible_rater_counts(ranks, 3, range(2, 11), ties=False)
    assert 2 in ok and 4 in ok
    assert feasible_rater_counts([parse_printed(x) for x in ("1,84", "1,66", "2,48")], 3, range(2, 61)) == []
