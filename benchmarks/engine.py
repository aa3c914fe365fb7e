"""Benchmarks and measurements of the rank-sum engine (issue 14), used by benchmarks/run.py.

Run alone: python benchmarks/engine.py [--undecided N]

* speed rows (median seconds, target): one row k = 10, m = 50 (<= 0.2 s); k = 30, m = 200 (<= 1 s);
  unknown m over 2..1000 (<= 2 s) for a row whose p is printed with a significant digit, and the
  worst case of a p printed as 0.000 (no target: nearly every m is consistent and each gets a witness);
  the coarse rows of D6/D8; Table 3;
* ratios in the same run: plain enumeration of every dataset (k = 3, m = 2..8) against the engine,
  and the former k = 4 path (benchmarks/baseline_k4.py, frozen) against the engine on the same row;
* the undecided rate: seeded rows printed from random studies (k = 5..30, m = 5..500, half with
  ties) and the same rows with one printed figure moved by 1-5 units of its last digit.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.timing import median_time  # noqa: E402




def _printed(x, d):
    from repro.printed import parse_printed

    return parse_printed(f"{x:.{d}f}")


def study_row(seed: int, k: int, m: int, ties: bool, spread: float = 0.8):
    """(mean ranks, W, p) printed from a seeded random study (2, 3 and 3 decimals)."""
    from repro.kendall import kendall_w

    rng = np.random.default_rng(seed)
    scores = rng.normal(size=k) * spread + rng.normal(size=(m, k))
    if ties:
        scores = np.round(scores)
    r = kendall_w(scores, exact=False)
    return [_printed(x, 2) for x in r.mean_ranks], _printed(r.W, 3), _printed(r.p_asymptotic, 3)


def speed_rows() -> list[tuple[str, float, float | None]]:
    from repro import datasets as ds
    from repro import ranksums as rs
    from repro.printed import parse_printed as P
    from repro.reconstruct import brute_force_row, multiset_counts

    rows = []
    multiset_counts("strict"), multiset_counts("pair")
    row6 = ds.table3()[5]
    rows.append(("engine: Table 3 row 6, m = 2..60", median_time(lambda: rs.reconstruct_row(row6.ranks, row6.W, row6.p)), 1.0))
    rows.append(("engine: Table 3, all rows, m = 2..60",
                 median_time(lambda: [rs.reconstruct_row(r.ranks, r.W, r.p) for r in ds.table3()], runs=3), 3.0))
    for k, m, ties, target in ((10, 50, False, 0.2), (10, 50, True, 0.2), (30, 200, False, 1.0), (30, 200, True, 1.0)):
        ranks, W, p = study_row(1, k, m, ties)
        status = rs.decide(ranks, W, p, m).status
        rows.append((f"engine: one row k = {k}, m = {m}{' with ties' if ties else ''} ({status})",
                     median_time(lambda: rs.decide(ranks, W, p, m), runs=5), target))
    ranks, W, p = study_row(2, 10, 40, False, spread=0.05)  # p printed 0.021: W and p pin m
    found = rs.consistent_m(ranks, W, p, range(2, 1001))
    ok = [d.m for d in found if d.status == "consistent"]
    rows.append((f"engine: unknown m over 2..1000, k = 10, p = {p.text} ({len(ok)} m consistent)",
                 median_time(lambda: rs.consistent_m(ranks, W, p, range(2, 1001)), runs=3), 2.0))
    ranks, W, p = study_row(3, 10, 50, False)
    rows.append((f"engine: unknown m over 2..1000, k = 10, p = {p.text} (worst case: every large m consistent)",
                 median_time(lambda: rs.consistent_m(ranks, W, p, range(2, 1001)), runs=1), None))
    for text, ranks, W, p in (("B,0,1,\"2;2;2\"", ("2", "2", "2"), "0", "1"),
                              ("A,0.3,0.01,\"2;2;3;3\"", ("2", "2", "3", "3"), "0.3", "0.01"),
                              ("A,0.00,1.00,\"2.50;2.50;2.50;2.50\"", ("2.50",) * 4, "0.00", "1.00")):
        pr = [P(x) for x in ranks]
        rows.append((f"engine: coarse row {text}, m = 2..60",
                     median_time(lambda: rs.reconstruct_row(pr, P(W), P(p), range(2, 61)), runs=3), 2.0))
    # ratios: plain enumeration (k = 3) and the former k = 4 path, against the engine, same rows
    test_row = (P("1,67"), P("2,00"), P("2,33"))
    W3, p3 = P("0,111"), P("0,717")
    t_fast = median_time(lambda: rs.reconstruct_row(test_row, W3, p3, range(2, 9)), runs=3)
    t_slow = median_time(lambda: [brute_force_row(test_row, W3, p3, m) for m in range(2, 9)], runs=1)
    fast = {(s.m, s.d[0], s.d[1], s.t): s.count for s in rs.reconstruct_row(test_row, W3, p3, range(2, 9)).solutions}
    slow = {(m,) + key: n for m in range(2, 9) for key, n in brute_force_row(test_row, W3, p3, m).items()}
    rows.append((f"engine vs plain enumeration, k = 3, m = 2..8 (same solutions: {fast == slow}); "
                 f"enumeration {t_slow:.2f} s; ratio {t_slow / t_fast:.0f}x", t_fast, None))
    from benchmarks import baseline_k4

    k4 = tuple(P(x) for x in ("1,75", "2,10", "2,85", "3,30"))
    W4, p4 = P("0,312"), P("0,001")
    with rs.silenced_fd1():
        t_old = median_time(lambda: baseline_k4.reconstruct_row_weak(k4, W4, p4), runs=1)
    t_new = median_time(lambda: rs.reconstruct_row(k4, W4, p4, range(2, 31)), runs=3)
    rows.append((f"engine vs the former k = 4 path, m = 2..30: former {t_old:.2f} s; ratio {t_old / t_new:.1f}x",
                 t_new, None))
    return rows


def undecided_rate(n: int = 100, seed: int = 2026) -> dict:
    """Outcomes of :func:`repro.ranksums.decide` at the true m on printed rows and perturbed rows."""
    from repro import ranksums as rs
    from repro.printed import parse_printed

    rng = np.random.default_rng(seed)
    tally = {"true": {}, "perturbed": {}}
    seconds = []
    for i in range(n):
        k, m = int(rng.integers(5, 31)), int(rng.integers(5, 501))
        ties = bool(i % 2)
        ranks, W, p = study_row(int(rng.integers(1 << 30)), k, m, ties, spread=float(rng.uniform(0, 1.5)))
        if not np.isfinite(float(W.value)):
            continue
        t = time.perf_counter()
        status = rs.decide(ranks, W, p, m).status
        seconds.append(time.perf_counter() - t)
        tally["true"][status] = tally["true"].get(status, 0) + 1
        figures = list(ranks) + [W, p]
        j = int(rng.integers(len(figures)))
        pr = figures[j]
        step = (1 if rng.random() < 0.5 else -1) * int(rng.integers(1, 6)) * 10.0 ** -pr.decimals
        figures[j] = parse_printed(f"{max(0.0, float(pr.value) + step):.{pr.decimals}f}")
        status = rs.decide(figures[:k], figures[k], figures[k + 1], m).status
        tally["perturbed"][status] = tally["perturbed"].get(status, 0) + 1
    tally["median_seconds_true_rows"] = statistics.median(seconds) if seconds else None
    return tally


if __name__ == "__main__":
    if "--undecided" in sys.argv:
        n = int(sys.argv[sys.argv.index("--undecided") + 1])
        print(undecided_rate(n))
    else:
        for name, t, target in speed_rows():
            print(f"{name}  {t:.3f}  {'' if target is None else target}")
