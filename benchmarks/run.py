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

    from benchmarks.engine import speed_rows, undecided_rate  # the rank-sum engine (issue 14): speeds and ratios

    rows.extend(speed_rows())

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

    rate = undecided_rate(100)
    rows.append((f"engine: outcomes at the true m on 100 seeded rows {rate['true']}, perturbed {rate['perturbed']}",
                 rate["median_seconds_true_rows"], None))
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark'.ljust(width)}  median s  target s")
    for name, t, target in rows:
        print(f"{name.ljust(width)}  {t:8.3f}  {'' if target is None else f'{target:8.1f}'}")


if __name__ == "__main__":
    main()
