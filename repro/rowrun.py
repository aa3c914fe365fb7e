"""Run a pure per-row function over many rows: in parallel over the cores, each row within a time budget.

``repro audit`` (and any command that judges rows one by one) maps a pure, picklable
function over its rows. The cost is linear in the rows: each row gets at most
``seconds`` of wall-clock time (``AUDIT_ROW_SECONDS`` in :mod:`repro.limits`); a row that
needs more is stopped and returned as :class:`OverBudget`, never waited for, so one
coarse row cannot hold up a file. Rows run in ``jobs`` forked worker processes (default:
the number of cores), in chunks, and progress is reported as rows done
(:func:`repro.progress.advance`). Results come back in input order.
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from repro.progress import advance


@dataclass
class OverBudget:
    """A row stopped at its time budget (seconds)."""

    index: int
    seconds: float


class _Alarm(BaseException):
    """Raised by the timer; a BaseException so that no ``except Exception`` in a library swallows it."""


def _on_alarm(signum, frame):
    raise _Alarm


def _one(fn: Callable, row: Any, index: int, seconds: float):
    """``fn(row)`` stopped after ``seconds`` (a real-time timer in this process's main thread)."""
    import threading

    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread():
        return fn(row)  # signals reach only the main thread: no budget when embedded in a worker thread
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, seconds)
            return fn(row)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Alarm:  # also when it fires between the row's end and the timer's reset
        return OverBudget(index, seconds)
    finally:
        signal.signal(signal.SIGALRM, previous)


_TASK: dict = {}


def _chunk(bounds: tuple[int, int]) -> list:
    fn, rows, seconds = _TASK["fn"], _TASK["rows"], _TASK["seconds"]
    return [_one(fn, rows[i], i, seconds) for i in range(*bounds)]


def _die_with_parent() -> None:
    """Worker initialiser: the worker ends when the parent does (see repro.processes)."""
    from repro.processes import die_with_parent

    die_with_parent()


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def run_rows(fn: Callable, rows: Sequence, seconds: float, jobs: int | None = None,
             progress_key: str = "progress.audit", chunk: int = 16) -> list:
    """``[fn(row) or OverBudget]`` for every row, in order; ``jobs`` processes (1: in this process).

    Workers are forked (the rows and ``fn`` are inherited, nothing is pickled on the way in);
    without fork, or with one job or few rows, the rows run here. The budget applies in both.
    """
    import multiprocessing

    n = len(rows)
    jobs = default_jobs() if not jobs else max(1, jobs)
    parallel = jobs > 1 and n > 1 and "fork" in multiprocessing.get_all_start_methods()
    out: list = []
    if not parallel:
        for i, row in enumerate(rows):
            out.append(_one(fn, row, i, seconds))
            advance(progress_key, i + 1, n)
        return out
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, min(chunk, n // (jobs * 4) or 1))
    bounds = [(start, min(n, start + size)) for start in range(0, n, size)]
    _TASK.update(fn=fn, rows=rows, seconds=seconds)
    try:
        with ProcessPoolExecutor(max_workers=min(jobs, len(bounds)), initializer=_die_with_parent,
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            done = 0
            for part in pool.map(_chunk, bounds):
                out.extend(part)
                done += len(part)
                advance(progress_key, done, n)
    finally:
        _TASK.clear()
    return out
