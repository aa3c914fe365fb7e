"""Which printed figures of one Kendall/Friedman row can hold together, and which cannot.

A row prints k mean ranks, W and p (any of them may be missing). Instead of a "closest dataset"
that makes some cells look right, the row is judged by groups of figures
(:class:`repro.verdict.Group`), from small to large:

* **the mean ranks alone**: ranks of every rater sum to k(k+1)/2, so the mean ranks must too
  (within their printed rounding): ``sum 5,98, cannot be 6``;
* **W and p alone**: p = P(chi2_{k-1} >= m(k-1)W) (asymptotic, as SPSS prints it) gives the
  raters m for which they agree; p falls as m grows, so the set is an interval;
* **the mean ranks with W**: the mean ranks fix the untied W,
  W_0 = 12 sum_j (R_j - (k+1)/2)^2 / (k(k^2-1)); ties only raise W,
  W = W_0 / (1 - sum T / (m(k^3-k))), so a printed W below W_0 is impossible and one above it
  needs ties totalling sum T >= m(k^3-k)(1 - W_0/W);
* **the whole row**: the exhaustive reconstruction (:mod:`repro.reconstruct`) counts the datasets
  that give every printed figure; the mean ranks' granularity (rank sums are multiples of 1/2)
  and the W–p raters are intersected for the reason.

:func:`judge_row` turns them into cells with :func:`repro.verdict.apply_groups`: a cell is
reproduced only when the whole row is. References: Kendall & Babington Smith (1939),
doi:10.1214/aoms/1177732186; Siegel & Castellan (1988), ch. 9.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Protocol

from repro.limits import M_RANGE
from repro.printed import Printed, parse_printed
from repro.verdict import Assumption, Cell, Group, Reason, apply_groups, mark_minimal

if TYPE_CHECKING:  # numpy is imported where the datasets are enumerated, not with this module
    import numpy as np

ALPHA = 0.05


class Reconstruction(Protocol):
    """What the row's groups read of a reconstruction: :class:`repro.ranksums.RowReconstruction`, or
    one restricted to some m (a fixed-m reading)."""

    solutions: list[Any]
    m_values: list[int]
    total_datasets: int | None
    searched: tuple[int, int]
    status: str
    undecided_m: list[int]

P_ASYMPTOTIC = Assumption.of("p_asymptotic")


def m_text(ms: list[int]) -> str:
    """``12–14`` for a run, ``10–11, 15`` otherwise, ``—`` for none (:func:`repro.numfmt.integer_runs`)."""
    from repro.numfmt import integer_runs

    return integer_runs(ms)


def at_decimals(printed: Printed, decimals: int) -> Printed:
    """The printed figure read at ``decimals`` places (a "2" in a two-decimal column read as 2,00)."""
    if not printed.is_number or printed.decimals >= decimals or printed.comparator != "=":
        return printed
    text = f"{float(printed):.{decimals}f}".replace(".", ",") + printed.marks
    return parse_printed(text)


# ------------------------------------------------------------------------------ W and p alone

def _p_asymptotic(w: float, m: int, k: int) -> float:
    from repro.kendall import friedman_p

    return friedman_p(w, m, k)


def _p_exact_untied(w: float, m: int, k: int) -> float:
    from repro.kendall import exact_p_no_ties

    S = w * m * m * (k ** 3 - k) / 12.0
    return exact_p_no_ties(S, m, k)


def wp_raters(W: Printed, p: Printed, k: int, m_range: range = M_RANGE, exact: bool = False) -> tuple[list[int], bool]:
    """Raters m for which a printed W and p agree, and whether a larger m might too.

    Parameters
    ----------
    W, p : Printed
        Kendall's W and its p as printed; each stands for its rounding interval.
    k : int
        Number of items ranked.
    m_range : range
        Raters tried (default: :data:`repro.limits.M_RANGE`).
    exact : bool
        Use the exact permutation p of untied rankings instead of the asymptotic p.

    Returns
    -------
    ms : list of int
        Every m in ``m_range`` at which some W' in W's interval gives a p in p's interval.
    beyond : bool
        True when every p attainable at the largest m is still above the printed one (larger m might fit).

    Notes
    -----
    Asymptotic p = P(chi2_{k-1} >= m (k - 1) W) (Friedman's chi-square; SPSS and R print it), which falls as m
    grows, so the m found form an interval. For k = 3, p = exp(-m W).

    References
    ----------
    Kendall, M. G., & Babington Smith, B. (1939). The problem of m rankings. *Annals of Mathematical
    Statistics*, 10(3), 275-287. https://doi.org/10.1214/aoms/1177732186

    Examples
    --------
    Paper 004, Table 3, row 3 (citizen engagement): W = 0,505 and p = 0,001 agree at 13 to 15 raters.

    >>> from repro.printed import parse_printed
    >>> wp_raters(parse_printed("0,505"), parse_printed("0,001"), 3)
    ([13, 14, 15], False)
    """
    p_of = _p_exact_untied if exact else _p_asymptotic
    w_lo, w_hi = max(0.0, float(W.lo)), min(1.0, float(W.hi))
    if not exact and len(m_range):
        import numpy as np
        from scipy.special import chdtrc  # chi2.sf(x, df) is chdtrc(df, x): the same numbers, array at a time

        ms = np.array(list(m_range), dtype=float)
        df = k - 1
        los, his = chdtrc(df, ms * df * w_hi), chdtrc(df, ms * df * w_lo)
        agree = (los <= float(p.hi) + 1e-12) & (his >= float(p.lo) - 1e-12)  # Printed.overlaps
        return [int(m) for m in ms[agree]], bool(los[-1] > float(p.hi) + 1e-12)
    found = []
    last_lo = 1.0
    for m in m_range:
        lo, hi = p_of(w_hi, m, k), p_of(w_lo, m, k)
        last_lo = lo
        if p.overlaps(lo, hi):
            found.append(m)
    beyond = last_lo > float(p.hi) + 1e-12  # every p attainable at the largest m is still above the print
    return found, beyond


def wp_real_raters(W: Printed, p: Printed, k: int) -> tuple[float, float] | None:
    """The real m for which the asymptotic p of W matches p, over W and p within their rounding.

    Parameters
    ----------
    W, p : Printed
        Kendall's W and its p as printed.
    k : int
        Number of items ranked.

    Returns
    -------
    tuple of float or None
        (lowest, highest) m = chi2_isf(p; k - 1) / ((k - 1) W); None when W may be 0, p may be 0 or 1, or p is
        printed with a comparator.

    Examples
    --------
    Paper 004, Table 3, row 1: W = 0,21, p = 0,059 need m = -ln(p) / W between 13,12 and 13,85 (k = 3): no
    whole number of raters.

    >>> from repro.printed import parse_printed
    >>> lo, hi = wp_real_raters(parse_printed("0,21"), parse_printed("0,059"), 3)
    >>> round(lo, 2), round(hi, 2)
    (13.12, 13.85)
    """
    from repro.kendall import chi2_isf

    df = k - 1
    w_lo, w_hi = float(W.lo), float(W.hi)
    p_lo, p_hi = float(p.lo), float(p.hi)
    if w_lo <= 0 or p_lo <= 0 or p_hi >= 1 or p.comparator != "=":
        return None
    return chi2_isf(p_hi, df) / (df * w_hi), chi2_isf(p_lo, df) / (df * w_lo)


@dataclass(frozen=True)
class PairAt:
    """W and p of one row judged at (m, k): each computed from the other, within its rounding."""

    m: int
    k: int
    p_point: float
    p_lo: float
    p_hi: float
    W_point: float
    W_lo: float
    W_hi: float


def pair_at(W: Printed, p: Printed, m: int, k: int) -> tuple[PairAt, bool]:
    """p from W and W from p at (m, k) (asymptotic p), and whether the two agree within rounding.

    Formula: p = P(chi2_{k-1} >= m (k - 1) W); W from p inverts it, W = chi2_isf(p; k - 1) / (m (k - 1)). Each
    printed figure moves within its rounding, so p from W is an interval [p(W_hi), p(W_lo)].

    Examples
    --------
    Paper 004, Table 4, economic growth / open government: W = 0,227 gives p = 0,0313 at the fitted m = 13,
    k = 4; the paper prints 0,005 (R: ``pchisq(13 * 3 * 0.227, 3, lower.tail = FALSE)``).

    >>> from repro.printed import parse_printed
    >>> at, agree = pair_at(parse_printed("0,227"), parse_printed("0,005"), 13, 4)
    >>> round(at.p_point, 4), agree
    (0.0313, False)
    """
    from repro.kendall import chi2_isf

    df = k - 1
    w_lo, w_hi = max(0.0, float(W.lo)), min(1.0, float(W.hi))
    p_point, p_lo, p_hi = _p_asymptotic(float(W), m, k), _p_asymptotic(w_hi, m, k), _p_asymptotic(w_lo, m, k)

    def w_of(pv: float) -> float:
        return min(1.0, chi2_isf(min(max(pv, 1e-300), 1.0), df) / (m * df))

    at = PairAt(m, k, p_point, p_lo, p_hi, w_of(float(p)), w_of(min(1.0, float(p.hi))),
                w_of(max(0.0, float(p.lo))))
    return at, p.overlaps(p_lo, p_hi)


def pair_exact_at(W: Printed, p: Printed, m: int, k: int) -> bool | None:
    """Whether W and p agree at (m, k) when p is the exact permutation p of untied rankings
    (None when the exact distribution is too large to enumerate)."""
    from repro.kendall import ExactTooLarge

    w_lo, w_hi = max(0.0, float(W.lo)), min(1.0, float(W.hi))
    try:
        return p.overlaps(_p_exact_untied(w_hi, m, k), _p_exact_untied(w_lo, m, k))
    except ExactTooLarge:
        return None


def wp_agree_grid(df: "np.ndarray", mdf: "np.ndarray", w: tuple[float, float], p: tuple[float, float]) -> "np.ndarray":
    """Where W and p agree (asymptotic p), elementwise over a grid of (m, k): W in [w_lo, w_hi] gives p in
    [chdtrc(df, m df w_hi), chdtrc(df, m df w_lo)], which must meet the printed [p_lo, p_hi] (slack 1e-12,
    as :meth:`Printed.overlaps`).

    ``df`` (k - 1) and ``mdf`` (m (k - 1)) are float arrays that broadcast together. The tail at w_lo is
    computed everywhere, the tail at w_hi only where the first condition holds: the same elements get the
    same values as with both tails computed everywhere (``chdtrc`` is elementwise), in about half the time.
    """
    import numpy as np
    from scipy.special import chdtrc

    (w_lo, w_hi), (p_lo, p_hi) = w, p
    shape = np.broadcast_shapes(np.shape(df), np.shape(mdf))
    ok = chdtrc(df, mdf * w_lo) >= p_lo - 1e-12
    where = np.nonzero(ok)
    if 2 * where[0].size > ok.size:  # most hold: the whole grid costs less than picking the elements
        ok &= chdtrc(df, mdf * w_hi) <= p_hi + 1e-12
    elif where[0].size:
        ok[where] = chdtrc(np.broadcast_to(df, shape)[where], np.broadcast_to(mdf * w_hi, shape)[where]) \
            <= p_hi + 1e-12
    return ok


def wp_feasible_mk(W: Printed, p: Printed, m_range: range = M_RANGE, k_range: range | None = None) -> list[tuple[int, int]]:
    """Every (m, k) in the limits under which W and p alone agree (asymptotic p; one vectorised
    chi-square tail per k, the same test as :func:`pair_at`)."""
    import numpy as np

    from repro.limits import K_RANGE

    w_lo, w_hi = max(0.0, float(W.lo)), min(1.0, float(W.hi))
    ms = np.array(list(m_range), dtype=float)[None, :]
    ks = list(k_range or K_RANGE)
    df = np.array(ks, dtype=float)[:, None] - 1.0  # one row per k: the same tails as one call per k
    ok = wp_agree_grid(df, ms * df, (w_lo, w_hi), (float(p.lo), float(p.hi)))
    rows, cols = np.nonzero(ok)  # row by row: ordered by k, then m
    return list(zip(np.array(list(m_range))[cols].tolist(), np.array(ks)[rows].tolist()))


def _down(x: float, decimals: int = 4) -> float:
    """A lower bound as shown: rounded down, so the text never claims more than was computed."""
    return math.floor(x * 10 ** decimals) / 10 ** decimals


def _up(x: float, decimals: int = 4) -> float:
    """An upper bound as shown: rounded up."""
    return math.ceil(x * 10 ** decimals) / 10 ** decimals


def outward(interval: tuple[float, float]) -> tuple[float, float]:
    """An interval rounded outward to the fewest decimals (2 to 6) that keep it free of whole numbers when
    it is (so a reader never sees «12,84…13» for an interval that ends at 12,998)."""
    lo, hi = interval
    for d in range(2, 7):
        scale = 10 ** d
        lo_d, hi_d = math.floor(lo * scale) / scale, math.ceil(hi * scale) / scale
        if math.floor(hi_d) < math.ceil(lo_d) or math.floor(hi) >= math.ceil(lo):
            return lo_d, hi_d
    return lo, hi


# the 13 rankings of 3 items with ties as midranks, and their tie totals T = sum (t^3 - t)
_WEAK3 = ([(a, b, c) for a, b, c in __import__("itertools").permutations((1.0, 2.0, 3.0))]
          + [v for v in {(1.5, 1.5, 3.0), (1.5, 3.0, 1.5), (3.0, 1.5, 1.5), (1.0, 2.5, 2.5), (2.5, 1.0, 2.5),
                         (2.5, 2.5, 1.0)}] + [(2.0, 2.0, 2.0)])


def datasets_k3(ranks: list[Printed], W: Printed, p: Printed | None, m: int) -> list[np.ndarray]:
    """Every dataset of m raters ranking 3 items (ties as midranks; raters unordered) whose mean ranks, W
    (tie-corrected) and asymptotic p round to the printed ones, as (m x 3) arrays (``p=None``: mean ranks and
    W only, for another reading of p).

    Brute force over the multisets of the 13 weak orders, independent of :mod:`repro.ranksums`: a
    walk over how many raters take each order (all partial choices of one level at a time, as arrays),
    cut wherever the rank sums can no longer reach the printed mean ranks (each rater still to place adds
    between the least and the largest value the orders left give that item)."""
    import numpy as np

    orders = sorted(_WEAK3)
    tie_t = [24.0 if len(set(o)) == 1 else 6.0 if len(set(o)) == 2 else 0.0 for o in orders]
    lo = np.array([float(r.lo) * m - 1e-9 for r in ranks])
    hi = np.array([float(r.hi) * m + 1e-9 for r in ranks])
    values = np.array(orders)  # (13, 3)
    last = len(orders) - 1
    # the walk level by level: every partial choice (counts of the first i orders) that is still alive, kept in
    # lexicographic order of the counts (each parent expanded into n = 0, 1, ..., left in turn), so the
    # datasets come out in the order of a depth-first walk; sums are exact (multiples of 0,5)
    counts = np.zeros((1, 0), dtype=np.int64)
    sums = np.zeros((1, 3))
    T = np.zeros(1)
    left = np.array([m], dtype=np.int64)
    # what the raters still to place can add to each rank sum: between the least and the largest value of the
    # orders left (1 and 3 at most; sorted orders make the first column's least rise level by level)
    least = np.minimum.accumulate(values[::-1], axis=0)[::-1]
    most = np.maximum.accumulate(values[::-1], axis=0)[::-1]
    for i in range(len(orders)):
        alive = ~(((sums + left[:, None] * least[i]) > hi) | ((sums + left[:, None] * most[i]) < lo)).any(axis=1)
        counts, sums, T, left = counts[alive], sums[alive], T[alive], left[alive]
        if i == last or not len(left):
            break
        parent = np.repeat(np.arange(len(left)), left + 1)
        start = np.cumsum(left + 1) - (left + 1)
        n = np.arange(len(parent)) - np.repeat(start, left + 1)
        counts = np.concatenate([counts[parent], n[:, None]], axis=1)
        sums = sums[parent] + n[:, None] * values[i]
        T = T[parent] + n * tie_t[i]
        left = left[parent] - n
    found: list[np.ndarray] = []  # one (m, 3) array of ranks per dataset
    if not len(left):
        return found
    total = sums + left[:, None] * values[last]
    inside = ((lo <= total) & (total <= hi)).all(axis=1)
    for c, x, t_prev, n_last in zip(counts[inside], total[inside], T[inside], left[inside]):
        t_all = float(t_prev) + int(n_last) * tie_t[last]
        S = sum((float(v) - 2.0 * m) ** 2 for v in x)
        denom = 24.0 * m * m - m * t_all
        if denom > 0:
            w = 12.0 * S / denom
            if W.contains(w) and (p is None or p.contains(math.exp(-m * w))):
                n_of = list(c) + [int(n_last)]
                found.append(np.array([orders[k] for k, n in enumerate(n_of) for _ in range(n)]))
    return found


# ------------------------------------------------------------------------------ mean ranks

def rank_sum_interval(ranks: list[Printed]) -> tuple[float, float, float]:
    """The sum of printed mean ranks, with its lowest and highest value within their rounding.

    Every rater's ranks of k items add up to k (k + 1) / 2, so the mean ranks must too.

    Examples
    --------
    Paper 004, Table 3, row 1: 1,84 + 1,66 + 2,48 = 5,98, at most 5,995 within rounding: it cannot be 6.

    >>> from repro.printed import parse_printed
    >>> rank_sum_interval([parse_printed(x) for x in ("1,84", "1,66", "2,48")])
    (5.98, 5.965, 5.995)
    """
    return (float(sum(Fraction(r.value or 0) for r in ranks)), float(sum(r.lo for r in ranks)),
            float(sum(r.hi for r in ranks)))


# ------------------------------------------------------------------------------ the groups of a row

@dataclass
class RowFields:
    """The printed figures of one row with the table columns they sit in."""

    table: str
    row: str
    ranks: list[tuple[str, Printed]] = field(default_factory=list)
    W: tuple[str, Printed] | None = None
    p: tuple[str, Printed] | None = None
    mark: str = ""
    marks_printed: bool = True

    @property
    def k(self) -> int:
        return len(self.ranks)


@dataclass
class RowAnalysis:
    """What the groups of one row established (also written to the table's JSON)."""

    groups: list[Group]
    wp_m: list[int] | None = None
    wp_beyond: bool = False
    wp_m_exact: list[int] | None = None
    wp_m_real: tuple[float, float] | None = None
    rank_sum: float | None = None
    w_untied: tuple[float, float] | None = None
    ties_needed: float | None = None  # sum T per rater at least
    whole_row: bool | None = None
    row_m: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"wp_m": self.wp_m, "wp_m_real": list(self.wp_m_real) if self.wp_m_real else None,
                "wp_m_beyond_search": self.wp_beyond, "wp_m_exact_untied": self.wp_m_exact,
                "rank_sum": self.rank_sum, "w_untied": list(self.w_untied) if self.w_untied else None,
                "ties_per_rater_at_least": self.ties_needed, "whole_row": self.whole_row, "row_m": self.row_m}


def row_groups(f: RowFields, recon: Reconstruction | None = None, strict_rankings: bool = False, m_range: range = M_RANGE,
               exact_p: bool = True) -> RowAnalysis:
    """Every group of the row (see the module docstring); ``recon`` is the engine's reconstruction."""
    groups: list[Group] = []
    out = RowAnalysis(groups)
    k = f.k
    rid = f"{f.table}.{f.row}"
    rank_cells = [(f.row, col) for col, _ in f.ranks]
    ranks = [pr for _, pr in f.ranks]
    expected = k * (k + 1) / 2
    m_range_a = Assumption.of("m_range", lo=m_range.start, hi=m_range.stop - 1)
    if ranks:
        total, lo, hi = rank_sum_interval(ranks)
        out.rank_sum = total
        holds = lo - 1e-12 <= expected <= hi + 1e-12
        key = "group.rank_sum.holds" if holds else "group.rank_sum.fails"
        groups.append(Group(f"{rid}.ranks", f.row, rank_cells, holds,
                            Reason(key, {"k": k, "sum": total, "lo": lo, "hi": hi, "expected": expected}),
                            None if holds else "impossible"))
    if f.W is not None and f.p is not None and f.W[1].is_number and f.p[1].is_number and k:
        ms, beyond = wp_raters(f.W[1], f.p[1], k, m_range)
        out.wp_m, out.wp_beyond = ms, beyond
        if exact_p:
            out.wp_m_exact, _ = wp_raters(f.W[1], f.p[1], k, range(m_range.start, min(m_range.stop, 31)), exact=True)
        out.wp_m_real = wp_real_raters(f.W[1], f.p[1], k)
        cells = [(f.row, f.W[0]), (f.row, f.p[0])]
        if ms:
            groups.append(Group(f"{rid}.W_p", f.row, cells, True,
                                Reason("group.wp.holds", {"k": k, "m": m_text(ms), "count": ms[-1]}),
                                assumptions=[P_ASYMPTOTIC]))
        else:
            assumptions = [P_ASYMPTOTIC] + ([m_range_a] if beyond else [])
            real = out.wp_m_real
            if real is not None and m_range.start <= real[0] and real[1] <= m_range.stop - 1:
                lo_shown, hi_shown = outward(real)
                reason = Reason("group.wp.not_whole", {"k": k, "m_from": lo_shown, "m_to": hi_shown})
            elif len(m_range) == 1:
                reason = Reason("group.wp.fails_at", {"k": k, "m": m_range.start})
            else:
                reason = Reason("group.wp.fails", {"k": k, "lo": m_range.start, "hi": m_range.stop - 1})
            groups.append(Group(f"{rid}.W_p", f.row, cells, False, reason, "assumption", assumptions))
    if ranks and f.W is not None and f.W[1].is_number and groups[0].holds:  # groups[0]: the mean ranks alone
        W = f.W[1]
        from repro.audit import ties_per_rater_needed, w_uncorrected_bounds  # one builder each (any k)

        w0_lo, w0_hi = w_uncorrected_bounds([(float(r.lo), float(r.hi)) for r in ranks], widen=False)
        out.w_untied = (w0_lo, w0_hi)
        cells = rank_cells + [(f.row, f.W[0])]
        max_t = k ** 3 - k
        if float(W.hi) < w0_lo - 1e-12:
            groups.append(Group(f"{rid}.ranks_W", f.row, cells, False,
                                Reason("group.ranks_w.below", {"w0": _down(w0_lo), "W": W.text}), "impossible"))
        elif float(W.lo) > w0_hi + 1e-12:
            out.ties_needed = ties = ties_per_rater_needed(k, w0_hi, float(W.lo)) or 0.0  # W.lo > w0_hi >= 0
            if strict_rankings:
                groups.append(Group(f"{rid}.ranks_W", f.row, cells, False,
                                    Reason("group.ranks_w.strict", {"w0": _up(w0_hi), "W": W.text}), "assumption",
                                    [Assumption.of("strict_rankings")]))
            else:
                groups.append(Group(f"{rid}.ranks_W", f.row, cells, True,
                                    Reason("group.ranks_w.ties", {"w0": _up(w0_hi), "W": W.text, "t": _down(ties, 2),
                                                                  "max_t": max_t})))
        else:
            groups.append(Group(f"{rid}.ranks_W", f.row, cells, True,
                                Reason("group.ranks_w.holds", {"w0_lo": _down(w0_lo), "w0_hi": _up(w0_hi), "W": W.text})))
    if ranks and f.W is not None and f.p is not None:
        _whole_row(f, recon, out, m_range, strict_rankings)
    if f.p is not None and f.marks_printed and f.p[1].is_number:
        decision = _decision_group(f, rid)
        if decision is not None:
            groups.append(decision)
    return out


def _whole_row(f: RowFields, recon: Reconstruction | None, out: RowAnalysis, m_range: range, strict: bool) -> None:
    from repro.granularity import feasible_rater_counts

    if f.W is None or f.p is None:
        return
    cells = [(f.row, col) for col, _ in f.ranks] + [(f.row, f.W[0]), (f.row, f.p[0])]
    rid = f"{f.table}.{f.row}.row"
    ranks = [pr for _, pr in f.ranks]
    granular = feasible_rater_counts(ranks, f.k, m_range, ties=not strict)
    assumptions = [P_ASYMPTOTIC]
    if out.wp_beyond:
        assumptions.append(Assumption.of("m_range", lo=m_range.start, hi=m_range.stop - 1))
    common = sorted(set(granular) & set(out.wp_m or []))
    if recon is None or strict:
        if out.wp_m is not None and not common:
            out.whole_row = False
            out.groups.append(Group(rid, f.row, cells, False,
                                    Reason("group.row.no_common_m", {"ranks_m": m_text(granular), "wp_m": m_text(out.wp_m)}),
                                    "assumption", assumptions + ([Assumption.of("strict_rankings")] if strict else [])))
        else:
            out.groups.append(Group(rid, f.row, cells, None, Reason("group.row.undecided", {"m": m_text(common)})))
        return
    lo, hi = recon.searched
    if recon.solutions:
        out.whole_row = True
        out.row_m = list(recon.m_values)
        key = "group.row.holds" if recon.total_datasets is not None else "group.row.holds_witness"
        out.groups.append(Group(rid, f.row, cells, True,
                                Reason(key, {"count": recon.total_datasets, "m": m_text(list(recon.m_values)),
                                             "lo": lo, "hi": hi, "solutions": len(recon.solutions)}),
                                assumptions=[P_ASYMPTOTIC]))
        return
    if recon.status == "undecided":  # the engine's search ran out of budget: no verdict
        out.groups.append(Group(rid, f.row, cells, None,
                                Reason("group.row.undecided", {"m": m_text(list(recon.undecided_m))})))
        return
    out.whole_row = False
    if lo > m_range.start or hi < m_range.stop - 1:
        assumptions.append(Assumption.of("m_range", lo=lo, hi=hi))
    reason = Reason("group.row.no_common_m", {"ranks_m": m_text(granular), "wp_m": m_text(out.wp_m or [])}) \
        if not common else Reason("group.row.fails", {"lo": lo, "hi": hi, "m": m_text(common)})
    out.groups.append(Group(rid, f.row, cells, False, reason, "assumption", assumptions))


def _decision_group(f: RowFields, rid: str) -> Group | None:
    """A significance mark beside a p that is not below alpha = 0.05 (statcheck's decision error)."""
    if f.p is None:
        return None
    p = f.p[1]
    significant = float(p.hi) < ALPHA if p.comparator == "<" else float(p) < ALPHA
    # an empty mark is an unknown mark, never "marked not significant" (issue 13 item 5): only a mark
    # beside a p that is not below alpha is a decision error
    if not f.mark or significant:
        return None
    return Group(f"{rid}.mark", f.row, [(f.row, f.p[0])], False,
                 Reason("group.mark.fails", {"p": p.text, "alpha": ALPHA, "mark": f.mark or "—"}), "assumption",
                 [Assumption.of("alpha", alpha=ALPHA)])


def judge_row(f: RowFields, recon: Reconstruction | None = None, strict_rankings: bool = False, m_range: range = M_RANGE,
              exact_p: bool = True) -> tuple[list[Cell], RowAnalysis]:
    """Cells of one row with statuses from its groups (no cell of a row no dataset gives is reproduced)."""
    analysis = row_groups(f, recon, strict_rankings, m_range, exact_p)
    fields = list(f.ranks) + [x for x in (f.W, f.p) if x is not None]
    cells = []
    solution = recon.solutions[0] if recon is not None and recon.solutions and analysis.whole_row else None
    for index, (col, pr) in enumerate(fields):
        c = Cell(f.table, f.row, col, pr.text, float(pr) if pr.is_number else None,
                 layer="reconstructed" if recon is not None else "recomputed", decimals=pr.decimals)
        if solution is not None:
            c.reproduced = c.nearest = float(solution.statistics[index])
            c.status = "reproduced"
            c.reason = next(g.conclusion for g in analysis.groups if g.id.endswith(".row"))
        else:
            # decided below by the groups; what no group decides stays undecided with the whole row's reason
            c.status = "not_checked_yet"
            row_group = next((g for g in analysis.groups if g.id.endswith(".row")), None)
            c.reason = row_group.conclusion if row_group else Reason("group.row.undecided", {"m": "—"})
        cells.append(c)
    # a significance mark that disagrees with p says nothing about the data: it is judged on the p cell only
    data_groups = [g for g in analysis.groups if not g.id.endswith(".mark")]
    mark_minimal(analysis.groups)
    minimal = [g.conclusion for g in data_groups if g.holds is False and g.minimal]
    row_reason = Reason("reason.row_fails_elsewhere", {"groups": minimal}) if minimal else None
    apply_groups(cells, data_groups, row_reason)
    for c in cells:
        if c.status == "not_checked_yet":
            c.status = "not_checkable"
    for g in analysis.groups:
        if g.id.endswith(".mark") and g.holds is False:
            for c in cells:
                if (c.row, c.column) in g.cells:
                    c.groups.append(g.id)
                    if c.status != "inconsistent":
                        c.mark_inconsistent(g.severity or "assumption", g.conclusion, g.assumptions)
    return cells, analysis
