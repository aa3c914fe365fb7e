"""Weak orders of k items and their sufficient statistics (k >= 4 callers of the one engine).

A rater who ranks k items with ties gives a *weak order* (an ordered partition of the items);
there are 13 for k = 3 and 75 for k = 4 (the ordered Bell numbers). With midranks, a weak
order contributes to the centred half-unit rank sums D_j = 2 R_j - (k + 1) m and to the tie
total sum T = 6 t, t = sum over its tie blocks of (s^3 - s) / 6 (Kendall 1948).

The search over a printed row, and the existence of a dataset for given (m, D, t), live in
:mod:`repro.ranksums` (one engine for every k); the names below stay as thin wrappers for callers
and for the brute-force tests.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import product

import numpy as np

from repro.limits import RANKSUMS_LIST_PROOFS
from repro.printed import Printed
from repro.ranksums import RowReconstruction as WeakReconstruction  # noqa: F401
from repro.ranksums import Solution as WeakSolution  # noqa: F401

M4_MAX = 30  # the default k = 4 search range of the old entry point (m = 2..30)


@lru_cache(maxsize=8)
def weak_orders(k: int) -> tuple[tuple[tuple[int, ...], int], ...]:
    """All weak orders of k items as (D half-unit centred vector, tie units t), t descending."""
    out = set()
    for levels in product(range(k), repeat=k):  # item -> level; keep surjections onto 0..L-1
        used = sorted(set(levels))
        if used != list(range(len(used))):
            continue
        sizes = [levels.count(level) for level in used]
        start = [sum(sizes[:level]) for level in used]
        d = tuple(2 * start[lv] + sizes[lv] + 1 - (k + 1) for lv in levels)  # 2 * midrank - (k + 1)
        t = sum((s ** 3 - s) // 6 for s in sizes)
        out.add((d, t))
    return tuple(sorted(out, key=lambda o: (-o[1], o[0])))


def find_witness(m: int, k: int, d: tuple[int, ...], t: int):
    """A dataset (list of m rankings) with sums (D, t), or None if none exists (wrapper of the engine)."""
    from repro.ranksums import strict_witness, tied_witness

    r2 = np.array(d, dtype=np.int64) + m * (k + 1)
    if sum(d) != 0 or np.any(r2 < 2 * m) or np.any(r2 > 2 * m * k):
        return None
    if t == 0 and not np.any(r2 % 2):
        wit, _ = strict_witness(m, r2)
    else:
        wit, _ = tied_witness(m, r2, 6 * t, 6 * t)
    return None if wit is None else [tuple(float(v) for v in row) for row in wit]


def reconstruct_row_weak(ranks: tuple[Printed, ...], W: Printed | None, p: Printed | None,
                         m_values: range = range(2, M4_MAX + 1), label: str = "",
                         max_solutions: int = RANKSUMS_LIST_PROOFS,
                         corrected: bool = True) -> WeakReconstruction:
    """Every (m, D, t) whose mean ranks, W and p round to the printed row: :func:`repro.ranksums.reconstruct_row`.

    ``max_solutions`` is kept for callers; the cap is ``limits.RANKSUMS_LIST_PROOFS``.
    """
    from repro.ranksums import reconstruct_row

    del max_solutions
    return reconstruct_row(ranks, W, p, m_values, ties=True, corrected=corrected, label=label)
