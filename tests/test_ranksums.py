"""The one reconstruction engine (repro.ranksums): brute force on small cases, Table 3 against an
independent scan, seeded round trips k = 5..30, perturbations, budgets and a silent solver."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from itertools import combinations_with_replacement, permutations
from pathlib import Path

import numpy as np
import pytest

from repro import ranksums as rs
from repro.kendall import kendall_w
from repro.printed import parse_printed

ROOT = Path(__file__).resolve().parent.parent


def printed(x: float, decimals: int):
    return parse_printed(f"{x:.{decimals}f}")


def summarise(ranks: np.ndarray, rank_decimals=2, w_decimals=3, p_decimals=3):
    """A table of rankings summarised and rounded as papers print it (mean ranks, W, p)."""
    r = kendall_w(ranks, exact=False)
    return ([printed(x, rank_decimals) for x in r.mean_ranks], printed(r.W, w_decimals),
            printed(r.p_asymptotic, p_decimals), r)


def check_witness(decision, ranks, W, p):
    """A consistent decision's witness recomputes (repro.kendall) to the printed row."""
    assert decision.witness is not None and decision.witness.shape == (decision.m, len(ranks))
    r = kendall_w(decision.witness, exact=False)
    stats = tuple(r.mean_ranks) + (r.W, r.p_asymptotic)
    assert rs.reproduces(stats, ranks, W, p), (stats, [x.text for x in ranks], W.text, p.text)


# ------------------------------------------------------------------------------------- proofs' pieces


def test_block_programme_decomposes_into_rankings_with_the_sums():
    """Strict: peeling + the last raters by search or integer programme; the König split is exact."""
    rng = np.random.default_rng(3)
    for _ in range(20):
        k, m = int(rng.integers(3, 12)), int(rng.integers(2, 40))
        data = np.argsort(rng.random((m, k)), axis=1).argsort(axis=1) + 1
        r2 = 2 * data.sum(axis=0)
        wit, _ = rs.strict_witness(m, r2)
        assert wit is not None and wit.shape == (m, k)
        assert np.array_equal(2 * wit.sum(axis=0), r2)
        assert all(sorted(row) == list(range(1, k + 1)) for row in wit.tolist())


@pytest.mark.parametrize("k,m_max", [(3, 4), (4, 3)])
def test_strict_existence_equals_brute_force(k, m_max):
    """Every integer rank-sum vector: strict_witness finds m rankings iff plain enumeration does."""
    perms = list(permutations(range(1, k + 1)))
    for m in range(1, m_max + 1):
        reachable = {tuple(map(sum, zip(*combo))) for combo in combinations_with_replacement(perms, m)}
        for R in np.ndindex(*([m * k + 1] * k)):
            if sum(R) != m * k * (k + 1) // 2 or min(R) < m:
                continue
            wit, proved = rs.strict_witness(m, 2 * np.array(R))
            assert (wit is not None) == (R in reachable), (m, R)
            if wit is None:
                assert proved, (m, R)


@pytest.mark.parametrize("m", [2, pytest.param(3, marks=pytest.mark.slow)])
def test_tied_existence_equals_brute_force_k4(m):
    """k = 4 with ties (every composition: exact): a dataset with (r, T) exists iff enumeration finds one."""
    from repro.weak_orders import weak_orders

    orders = weak_orders(4)
    reachable = set()
    for combo in combinations_with_replacement(orders, m):
        d = tuple(map(sum, zip(*[o[0] for o in combo])))
        reachable.add((d, 6 * sum(o[1] for o in combo)))
    ds = sorted({d for d, _ in reachable})
    grid = [(d, T) for d in ds for T in range(0, 60 * m + 1, 6)]
    for d, T in grid[:: max(1, len(grid) // 300)]:
        r2 = np.array(d) + 5 * m
        wit, proved = rs.tied_witness(m, r2, T, T)
        assert (wit is not None) == ((d, T) in reachable), (m, d, T)
        if wit is None:
            assert proved
        else:
            assert np.array_equal(2 * wit.sum(axis=0), r2) and rs._tie_total(wit) == T


@pytest.mark.slow
def test_decide_agrees_with_brute_force_on_small_rows():
    """Rows printed from random small datasets (and the same rows perturbed): consistent only when a
    dataset exists, impossible only when none does (plain enumeration of every multiset)."""
    from repro.weak_orders import weak_orders

    rng = np.random.default_rng(11)
    undecided = checked = 0
    for k, m in ((3, 2), (3, 3), (3, 4), (4, 2), (4, 3)):
        orders = weak_orders(k)
        stats = []
        for combo in combinations_with_replacement(orders, m):
            ranks = np.array([[(k + 1) / 2 + x / 2 for x in o[0]] for o in combo])
            if np.all(ranks == ranks[0]) and np.all(ranks[0] == (k + 1) / 2):
                continue
            stats.append(rs.row_statistics(ranks))
        stats = np.array(stats)
        for _ in range(12):
            base = stats[int(rng.integers(len(stats)))].copy()
            if rng.random() < 0.5:
                base[int(rng.integers(k))] += rng.choice([-1, 1]) * 0.07
                base[k] += rng.choice([-1, 1]) * 0.02
            row = [printed(x, 1) for x in base[:k]]
            W, p = printed(base[k], 2), printed(base[k + 1], 2)
            ok = np.ones(len(stats), dtype=bool)
            for j, pr in enumerate(row + [W, p]):
                ok &= (stats[:, j] >= float(pr.lo) - 1e-12) & (stats[:, j] <= float(pr.hi) + 1e-12)
            decision = rs.decide(row, W, p, m)
            checked += 1
            if decision.status == "undecided":
                undecided += 1
                continue
            assert (decision.status == "consistent") == bool(ok.any()), ([x.text for x in row], W.text, p.text, m)
            if decision.status == "consistent":
                check_witness(decision, row, W, p)
    assert undecided <= checked // 10


# ------------------------------------------------------------------------------------- Table 3 (issue 13 §6)


def _table3_independent(row, m: int, corrected: bool = True) -> dict:
    """Every (D1, D2, t) over the whole lattice (no window), the statistics by Kendall's formulas,
    existence and count by the generating functions (checked against plain enumeration for m <= 5
    in test_reconstruct); {(m, D1, D2, t): count} of those that round to the printed row."""
    from scipy.stats import chi2

    from repro.reconstruct import count_datasets

    ranks, W, p = row.ranks, row.W, row.p
    out = {}
    d = np.arange(-2 * m, 2 * m + 1)
    D1, D2 = np.meshgrid(d, d, indexing="ij")
    D3 = -(D1 + D2)
    inside = np.abs(D3) <= 2 * m
    for j, Dj in enumerate((D1, D2, D3)):
        mean = 2 + Dj / (2 * m)
        inside &= (mean >= float(ranks[j].lo) - 1e-12) & (mean <= float(ranks[j].hi) + 1e-12)
    for i, j in np.argwhere(inside):
        d1, d2 = int(D1[i, j]), int(D2[i, j])
        S = (d1 ** 2 + d2 ** 2 + (d1 + d2) ** 2) / 4
        for t in range(0, 4 * m):
            Wv = 12 * S / (24 * m * m - 6 * m * t) if corrected else 12 * S / (24 * m * m)
            pv = chi2.sf(2 * m * Wv, 2)
            if W.contains(Wv) and p.contains(pv):
                n = count_datasets(m, d1, d2, t)
                if n:
                    out[(m, d1, d2, t)] = n
    return out


@pytest.mark.slow
def test_table3_search_equals_an_independent_scan_for_every_row():
    """Issue 13 §6: every Table 3 row, m = 2..30, the engine's list equals a window-free scan.
    Row 6 (key enablers, ranks printed 1,6 / 2 / 2,6) has 4 datasets at m = 10 and m = 11."""
    from repro import datasets as ds

    for row in ds.table3():
        found = rs.reconstruct_row(row.ranks, row.W, row.p, range(2, 31))
        assert not found.truncated
        engine = {(s.m,) + s.d[:2] + (s.t,): s.count for s in found.solutions}
        scan = {}
        for m in range(2, 31):
            scan.update(_table3_independent(row, m))
        assert engine == scan, row.row
        if row.row == 6:
            assert sum(scan.values()) == 4 and sorted({key[0] for key in scan}) == [10, 11]


def test_table3_row6_has_four_datasets_at_m_10_and_11():
    from repro import datasets as ds

    row = ds.table3()[5]
    found = rs.reconstruct_row(row.ranks, row.W, row.p, range(2, 31))
    assert found.m_values == [10, 11] and found.total_datasets == 4 and not found.truncated
    scan = {}
    for m in (10, 11):
        scan.update(_table3_independent(row, m))
    assert {(s.m,) + s.d[:2] + (s.t,): s.count for s in found.solutions} == scan


# ------------------------------------------------------------------------------------- round trips


def _random_study(rng, k, m, ties):
    preference = rng.normal(size=k) * rng.uniform(0.0, 1.5)
    scores = preference + rng.normal(size=(m, k))
    if ties:
        scores = np.round(scores * rng.uniform(0.7, 2.0))
    return scores


def _round_trip(seed, k_range=(5, 31), m_range=(5, 501)):
    rng = np.random.default_rng(seed)
    k, m = int(rng.integers(*k_range)), int(rng.integers(*m_range))
    ties = bool(seed % 2)
    ranks, W, p, r = summarise(_random_study(rng, k, m, ties))
    if not np.isfinite(r.W):
        return None
    decision = rs.decide(ranks, W, p, m)
    return k, m, ties, ranks, W, p, r, decision


@pytest.mark.parametrize("seed", range(6))
def test_round_trip_finds_a_witness_at_the_true_m(seed):
    k, m, ties, ranks, W, p, r, decision = _round_trip(seed, (5, 16), (5, 120))
    assert decision.status == "consistent", (k, m, ties, decision.condition, decision.params)
    check_witness(decision, ranks, W, p)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(6, 46))
def test_round_trip_k5_to_30_m5_to_500(seed):
    out = _round_trip(seed)
    if out is None:
        return
    k, m, ties, ranks, W, p, r, decision = out
    assert decision.status in ("consistent", "undecided"), (k, m, ties, decision.condition)
    if decision.status == "consistent":
        check_witness(decision, ranks, W, p)
    if not ties:  # strict rankings: the witness is always found
        assert decision.status == "consistent", (k, m)


@pytest.mark.slow
def test_unknown_m_contains_the_true_m():
    rng = np.random.default_rng(99)
    for ties in (False, True):
        k, m = 8, int(rng.integers(10, 60))
        ranks, W, p, r = summarise(_random_study(rng, k, m, ties))
        decisions = rs.consistent_m(ranks, W, p, range(2, 121))
        by_m = {d.m: d for d in decisions}
        assert by_m[m].status == "consistent"
        for d in decisions:
            if d.status == "consistent":
                check_witness(d, ranks, W, p)


# ------------------------------------------------------------------------------------- perturbations


def _strict_row(seed, k=8, m=40):
    rng = np.random.default_rng(seed)
    data = _random_study(rng, k, m, False)
    return summarise(data) + (m,)


@pytest.mark.parametrize("seed", range(5))
def test_a_mean_rank_moved_beyond_its_rounding_is_impossible(seed):
    ranks, W, p, r, m = _strict_row(seed)
    moved = [printed(float(ranks[0].value) + 0.05, 2)] + ranks[1:]
    decision = rs.decide(moved, W, p, m)
    assert decision.status == "impossible" and decision.condition in ("rank_sum", "granularity")


@pytest.mark.parametrize("seed", range(5))
def test_a_W_below_the_bound_of_the_mean_ranks_is_impossible(seed):
    ranks, W, p, r, m = _strict_row(seed)
    low = printed(max(0.0, r.W_uncorrected - 0.02), 3)
    decision = rs.decide(ranks, low, None, m)
    assert decision.status == "impossible" and decision.condition == "S_range", decision


def test_a_rank_sum_of_the_wrong_parity_is_impossible():
    """Integer mean ranks printed to 2 decimals: with m = 2 the rank sum 2 x 1,75 = 3,5 needs ties;
    strict rankings cannot give it, and a single half-integer rank sum cannot add up with ties."""
    ranks = [parse_printed(x) for x in ("1.75", "2.00", "2.25")]  # rank sums 3.5, 4, 4.5
    assert rs.decide(ranks, None, None, 2, ties=False).condition == "granularity"
    assert rs.decide(ranks, None, None, 2, ties=True).status == "consistent"
    odd = [parse_printed(x) for x in ("1.75", "2.00", "2.00")]  # 3.5 + 4 + 4 = 11.5: not 12
    decision = rs.decide(odd, None, None, 2)
    assert decision.status == "impossible" and decision.condition == "rank_sum"


def test_majorization_is_necessary():
    ranks = [parse_printed(x) for x in ("1.1", "1.1", "3.8", "4.0")]  # two items both nearly always first
    decision = rs.decide(ranks, None, None, 10)
    assert decision.status == "impossible" and decision.condition == "majorization"


# ------------------------------------------------------------------------------------- budgets and hygiene


def test_coarse_rows_answer_quickly_and_say_what_was_covered():
    """D6/D8: integer mean ranks and a wide W/p interval; the listing cap is stated, not silent."""
    for ranks, W, p in ((("2", "2", "2"), "0", "1"), (("2", "2", "3", "3"), "0.3", "0.01"),
                        (("2.50",) * 4, "0.00", "1.00")):
        start = time.perf_counter()
        found = rs.reconstruct_row([parse_printed(x) for x in ranks], parse_printed(W), parse_printed(p),
                                   range(2, 61))
        assert time.perf_counter() - start < 30  # a few seconds on an idle machine
        summary = found.summary()
        assert summary["reconstruction_status"] in ("consistent", "impossible", "undecided")
        if found.truncated and found.listed_upto is not None:
            assert found.total_datasets is None and summary["truncated"] is True


def test_the_solver_writes_nothing_to_fd1():
    """D9: HiGHS' C code writes diagnostics to file descriptor 1; the engine silences it."""
    ranks = np.array([10, 15, 20, 25, 30, 20], dtype=np.int64)  # k = 6, m = 5: a real programme
    with tempfile.TemporaryFile() as sink:
        saved = os.dup(1)
        os.dup2(sink.fileno(), 1)
        try:
            for stop in (2, 5):
                rs._block_programme(stop, 6, ranks * stop // 5 if stop == 5 else np.array([4, 6, 8, 6, 8, 10]),
                                    rs.tie_family(6), 0, 200)
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        sink.seek(0)
        assert sink.read() == b""


@pytest.mark.slow
def test_audit_json_is_valid_for_the_row_that_made_highs_print(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text('label,W,p,mean_ranks\nA,0.0,1.0,"2.5;2.5;2.5;2.5"\n')
    out = subprocess.run([sys.executable, str(ROOT / "cli.py"), "audit", str(path), "-f", "json"],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    json.loads(out.stdout)


def test_witness_csv_is_read_back_by_kendall(tmp_path):
    from repro.rankings import read_rankings

    ranks = [parse_printed(x) for x in ("1,6", "2", "2,6")]
    decision = rs.decide(ranks, parse_printed("0,6"), parse_printed("0,002*"), 10)
    path = tmp_path / "witness.csv"
    rs.write_witness_csv(path, decision.witness, ["a", "b", "c"])
    matrix = read_rankings(str(path))[0]
    assert np.array_equal(np.asarray(matrix, dtype=float), decision.witness)
    r = kendall_w(matrix, exact=False)
    assert parse_printed("0,6").contains(r.W) and parse_printed("0,002").contains(r.p_asymptotic)


def test_audit_write_witness_gives_a_file_kendall_recomputes_to_the_row(tmp_path):
    """`repro audit --write-witness`: the witness file, read by `repro kendall --data`, gives the row."""
    from typer.testing import CliRunner

    from cli import app

    reported = tmp_path / "row.csv"
    reported.write_text('label,W,p,mean_ranks\nK6,"0,6","0,002*","1,6;2;2,6"\n')
    witness = tmp_path / "witness.csv"
    runner = CliRunner()
    result = runner.invoke(app, ["audit", str(reported), "-f", "json", "--write-witness", str(witness)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["tables"][0]["rows"]
    assert rows[0]["reconstruction_status"] == "consistent" and rows[0]["witness_m"] in (10, 11)
    result = runner.invoke(app, ["kendall", "--data", str(witness), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert parse_printed("0,6").contains(data["W"]) and parse_printed("0,002").contains(data["p_asymptotic"])


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(8))
def test_unknown_m_round_trip_k5_to_30(seed):
    """m not printed: over m = 2..1000 the true m is consistent (with a witness) whenever W and p pin
    it (p printed with a significant digit); otherwise it is consistent or left to the witness budget."""
    rng = np.random.default_rng(500 + seed)
    k, m = int(rng.integers(5, 31)), int(rng.integers(5, 301))
    data = rng.normal(size=k) * rng.uniform(0.02, 0.3) + rng.normal(size=(m, k))
    if seed % 2:
        data = np.round(data)
    ranks, W, p, r = summarise(data)
    decisions = {d.m: d for d in rs.consistent_m(ranks, W, p, range(2, 1001))}
    truth = decisions[m]
    if float(p.value) >= 0.001:
        assert truth.status in ("consistent", "undecided") and truth.condition != "budget"
        if not seed % 2:
            assert truth.status == "consistent"
    else:
        assert truth.status == "consistent" or truth.condition == "budget"
    if truth.status == "consistent":
        check_witness(truth, ranks, W, p)
