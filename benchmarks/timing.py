"""The one timer of the benchmarks: the median wall-clock time of several runs."""

from __future__ import annotations

import statistics
import time


def median_time(fn, runs: int = 5) -> float:
    """Median of ``runs`` wall-clock timings of ``fn()``, in seconds."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)
