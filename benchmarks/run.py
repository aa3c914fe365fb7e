"""Benchmarks: medians over several runs, printed as a table. Run: python benchmarks/run.py

Measures the targets of the issues on this machine: `repro --help`, `repro tables` (cached and cold),
one Table 3 row searched over m = 2..60, the whole Table 3 audit, the plain enumeration of every
dataset for small m against the sufficient-statistics search (same solutions, ratio of times),
exact p without ties at the stated (m, k), Monte Carlo against scipy.stats.permutation_test, the k = 4
reconstruction, the report and repro check.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def median_time(fn, runs=5):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def cli(*args, env=None, ok=(0,)):
    def run():
        code = subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], stdout=subprocess.DEVNULL, env=env).returncode
        if code not in ok:
            raise SystemExit(f"repro {' '.join(args)} exited with {code}")
    return run


def peak_rss_mb(*args):
    """The largest resident set of `repro ARGS` and the processes it starts (renderer, workers), in MB:
    measured in a fresh helper process, whose RUSAGE_CHILDREN covers only that run."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, sys.executable, str(ROOT / "cli.py"), *args],
                         check=True, capture_output=True, text=True).stdout
    return int(out.split()[-1]) / 1024  # ru_maxrss is in KB on Linux


def main():
    rows = []
    rows.append(("repro --help", median_time(cli("--help")), 0.3))
    cli("tables")()  # warm the cache
    rows.append(("repro tables (cached)", median_time(cli("tables")), 1.0))
    rows.append(("repro tables (cold, REPRO_NO_CACHE=1)", median_time(cli("tables", env=dict(os.environ, REPRO_NO_CACHE="1")), runs=3), None))

    from repro import datasets as ds
    from repro.reconstruct import brute_force_row, multiset_counts, reconstruct_row

    multiset_counts("strict"), multiset_counts("pair")
    row = ds.table3()[5]
    rows.append(("Table 3 row 6, m = 2..60", median_time(lambda: reconstruct_row(row.ranks, row.W, row.p)), 1.0))
    rows.append(("Table 3, all rows, m = 2..60", median_time(lambda: [reconstruct_row(r.ranks, r.W, r.p) for r in ds.table3()], runs=3), 3.0))

    from repro.printed import parse_printed

    test_row = (parse_printed("1,67"), parse_printed("2,00"), parse_printed("2,33"))
    W, p = parse_printed("0,111"), parse_printed("0,717")
    t_fast = median_time(lambda: reconstruct_row(test_row, W, p, m_values=range(2, 9)), runs=3)
    t_slow = median_time(lambda: [brute_force_row(test_row, W, p, m) for m in range(2, 9)], runs=1)
    fast = {(s.m, s.d[0], s.d[1], s.t): s.count for s in reconstruct_row(test_row, W, p, m_values=range(2, 9)).solutions}
    slow = {(m,) + key: n for m in range(2, 9) for key, n in brute_force_row(test_row, W, p, m).items()}
    rows.append((f"search m=2..8 (same solutions: {fast == slow}); plain enumeration {t_slow:.2f} s; ratio {t_slow / t_fast:.0f}x", t_fast, None))

    from repro.kendall import exact_p_no_ties

    for m, k in ((60, 3), (30, 4), (10, 5), (16, 5)):
        try:
            rows.append((f"exact p without ties, m = {m}, k = {k}", median_time(lambda: exact_p_no_ties(1.0, m, k), runs=3), 1.0))
        except Exception as exc:  # the recursion refuses beyond EXACT_ORBIT_LIMIT
            rows.append((f"exact p without ties, m = {m}, k = {k}: {type(exc).__name__}", float("nan"), 1.0))

    import numpy as np
    from scipy.stats import permutation_test

    from repro.kendall import monte_carlo_p

    rng = np.random.default_rng(0)
    ranks = np.argsort(rng.random((13, 3)), axis=1) + 1.0
    B = 20000

    def stat(*samples, axis=-1):
        data = np.stack(samples, axis=-1)
        return np.sum((data.sum(axis=-2) - 13 * 2) ** 2, axis=-1)

    t_ours = median_time(lambda: monte_carlo_p(ranks, B, seed=1), runs=5)
    t_scipy = median_time(lambda: permutation_test([ranks[:, j] for j in range(3)], stat, permutation_type="samples",
                                                  n_resamples=B, vectorized=True, alternative="greater",
                                                  random_state=1), runs=5)
    p_ours, se = monte_carlo_p(ranks, B, seed=1)
    p_scipy = permutation_test([ranks[:, j] for j in range(3)], stat, permutation_type="samples", n_resamples=B,
                               vectorized=True, alternative="greater", random_state=1).pvalue
    rows.append((f"Monte Carlo B={B}: ours p={p_ours:.4f}±{se:.4f}, scipy p={p_scipy:.4f}; speed-up {t_scipy / t_ours:.1f}x", t_ours, None))

    from repro.weak_orders import reconstruct_row_weak

    k4_row = tuple(parse_printed(x) for x in ("1,75", "2,10", "2,85", "3,30"))
    rows.append(("k = 4 row, m = 2..30 (sufficient statistics + integer program)",
                 median_time(lambda: reconstruct_row_weak(k4_row, parse_printed("0,312"), parse_printed("0,001")), runs=3),
                 None))

    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        cli("report", "--out", tmp)()  # the verification's cache is warm (as for `repro tables`)
        rows.append(("repro report (kk, ru, en: HTML + 3 PDFs, cached verification)",
                     median_time(cli("report", "--out", tmp), runs=9), 3.0))
        rows.append(("repro report --lang en", median_time(cli("report", "--out", tmp, "--lang", "en"), runs=3), None))
        rows.append(("repro report: peak memory of its largest process, MB", peak_rss_mb("report", "--out", tmp), None))
        rows.append(("repro check (regenerate every artefact and compare)",
                     median_time(cli("check", "--artefacts", str(ROOT / "artefacts"), ok=(0, 1)), runs=3), None))

    from benchmarks.scan_bench import scan_rows  # repro scan (issue 16): rates and seconds, see that file

    rows.extend(scan_rows())

    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark'.ljust(width)}  median s  target s")
    for name, t, target in rows:
        print(f"{name.ljust(width)}  {t:8.3f}  {'' if target is None else f'{target:8.1f}'}")


if __name__ == "__main__":
    main()
