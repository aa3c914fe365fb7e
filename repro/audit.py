"""The audit engine: checks any reported Kendall/Friedman result or tie share, as printed.

``repro audit FILE`` judges each row with :func:`audit_row` (a pure function of the row and
:class:`AuditOptions`; ``repro scan`` uses it too). Every printed figure of the row (m, k, df, W, chi2,
p, mean ranks, rank sums) is a relation on the (m, k) grid (:func:`row_constraints`):

* df = k - 1; chi2 = m (k-1) W; p = P(chi2_{k-1} >= chi2) (asymptotic); 0 <= W <= 1; chi2 <= m (k-1);
* the mean ranks sum to k (k+1) / 2 and are rank sums over m (GRIM-style granularity,
  :mod:`repro.granularity`); the rank sums add up to m k (k+1) / 2;
* with the mean ranks the uncorrected W is fixed and the tie-corrected W is only larger
  (:func:`w_uncorrected_bounds`); under strict rankings the two are equal;
* for mean ranks, W and p, the reconstruction of the rank data by :mod:`repro.ranksums`;

every printed value moving within its rounding. The row holds when some (m, k) satisfies them all.
:func:`row_groups` names the smallest sets of figures that cannot hold together (each with the relation
that binds it, its severity and the readings it rests on) and the sets that do ("W and p alone: m = 13–15");
:func:`repro.verdict.apply_groups` turns them into cell statuses. A significance mark is judged apart
(:func:`mark_verdict`, statcheck's decision error; an empty mark is unknown).

Paper 004's Table 3 takes its row facts (the (m, k) where the figures agree, the rank sum, the decision error)
from :func:`audit_row`'s ``info``. Shares: :func:`share_cells` (every N for which all shares are k/N, the nearest k/N).

References: Kendall, M. G. & Babington Smith, B. (1939), The problem of m rankings, Ann. Math. Statist.
10, 275–287, https://doi.org/10.1214/aoms/1177732186; Brown, N. J. L. & Heathers, J. A. J. (2017), The GRIM
test, SPPS 8, 363–369, https://doi.org/10.1177/1948550616673876; Nuijten, M. B. et al. (2016), The
prevalence of statistical reporting errors in psychology (statcheck), Behav. Res. Methods 48, 1205–1226,
https://doi.org/10.3758/s13428-015-0664-2.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from fractions import Fraction
from typing import Any

import numpy as np

from repro.granularity import feasible_denominators
from repro.printed import Printed
from repro.verdict import Assumption, Cell, Group, Reason, apply_groups, judge, mark_minimal, strongest

ALPHA = 0.05
M_RANGE = range(2, 61)
K_RANGE = range(2, 16)


@dataclass
class ReportedTest:
    """One reported Kendall/Friedman result, every field as printed (None where not printed)."""

    label: str
    m: Printed | None = None
    k: Printed | None = None
    W: Printed | None = None
    chi2: Printed | None = None
    df: Printed | None = None
    p: Printed | None = None
    mean_ranks: list[Printed] = field(default_factory=list)
    mark: str = ""
    source_row: int | None = None
    # rank sums R_j as Russian and Ukrainian textbooks print them (mean rank = R_j / m)
    rank_sums: list[Printed] = field(default_factory=list)
    # True: the paper declares strict rankings (no ties); False: ties declared; None: not said
    strict: bool | None = None
    # columns whose printed text cannot be read as a number: column -> text
    unreadable: dict[str, str] = field(default_factory=dict)
    # a df printed inside the chi2 cell, "χ2(3) = 12.5"
    df_in_chi2: Printed | None = None
    # columns whose number is beyond what can be checked (1e999, m = 10^12): column -> text
    too_large: dict[str, str] = field(default_factory=dict)


def _p_interval(W: Printed, m: int, k: int) -> tuple[float, float, float]:
    """(p at W's point, lowest p, highest p) for W within its printed rounding.

    One vectorised chi-square tail (``scipy.special.chdtrc``, what ``scipy.stats.chi2.sf`` computes).
    """
    from scipy.special import chdtrc

    w = np.array([float(W.number), min(1.0, float(W.hi)), max(0.0, float(W.lo))])
    point, lo, hi = (float(x) for x in chdtrc(k - 1, m * (k - 1) * w))
    return point, lo, hi


def _W_interval_from_p(p: Printed, m: int, k: int) -> tuple[float, float, float]:
    """(W at p's point, lowest W, highest W) inverting p = P(chi2_{k-1} >= m (k-1) W)."""
    from scipy.special import chdtri

    def w_of(pv: float) -> float:
        pv = min(max(pv, 1e-300), 1.0)
        return float(chdtri(k - 1, pv)) / (m * (k - 1))

    # W lies in [0, 1] whatever p allows (a p printed as "<0.001" bounds W from below only)
    return (min(1.0, w_of(float(p.number))), min(1.0, w_of(min(1.0, float(p.hi)))),
            min(1.0, w_of(max(0.0, float(p.lo)))))


def decision_error(test: ReportedTest, alpha: float = ALPHA) -> bool | None:
    """statcheck's decision error: the mark says significant and p >= alpha, or the reverse.

    None when nothing can be decided: no p, no mark (an empty or absent mark is unknown, never
    "marked not significant"), or a p whose printed interval straddles alpha (see :func:`mark_verdict`).
    """
    return mark_verdict(test.p, test.mark, alpha)


SIGNIFICANT_MARKS = set("*†‡§#")


def mark_meaning(mark: str) -> bool | None:
    """True: the mark claims significance; False: it claims non-significance (``n.s.``); None: unknown."""
    text = (mark or "").strip().lower()
    if not text:
        return None
    if text.replace(" ", "") in ("ns", "n.s.", "n.s", "ns.", "н.з.", "нз"):
        return False
    if any(ch in SIGNIFICANT_MARKS for ch in text):
        return True
    return None


def mark_verdict(p: Printed | None, mark: str, alpha: float = ALPHA) -> bool | None:
    """Whether a significance mark contradicts the printed p at ``alpha`` (a statcheck decision error).

    A mark claiming significance contradicts p only when every value p can stand for is ≥ alpha
    (``p = 0.052``, ``p > 0.05``); ``p < 0.05``, ``p ≤ 0.05`` and ``p = 0.05`` (which may be 0.0496)
    do not. ``n.s.`` contradicts p only when p < alpha for certain (``p < 0.05``, ``p = 0.049``);
    ``p ≤ 0.05`` does not. Any number of stars is read as p < alpha (the weakest reading).
    None when the mark is absent or unknown, or p is not printed.
    """
    claim = mark_meaning(mark)
    if claim is None or p is None or not p.is_number:
        return None
    if claim:
        return float(p.lo) >= alpha - 1e-15 if p.comparator != "<" else False
    inclusive = p.text.strip().lstrip("pP= ").startswith(("≤", "<="))
    if p.comparator == "<":
        return float(p.number) < alpha or (float(p.number) == alpha and not inclusive)
    return float(p.hi) < alpha


# ---------------------------------------------------------------------------------------------------
# The row engine of ``repro audit``: every printed figure of a row is a constraint on (m, k); a row
# holds when some (m, k) satisfies all of them. Groups are the smallest sets of printed figures
# that cannot hold together, and the sets that can, with the m and k they imply.

FIGURES = ("m", "k", "df", "W", "chi2", "p", "mean_ranks", "rank_sums")
SYMBOLS = {"m": "m", "k": "k", "df": "df", "W": "W", "chi2": "χ²", "p": "p", "mean_ranks": "R̄", "rank_sums": "R",
           "mark": "*"}


@dataclass(frozen=True)
class AuditOptions:
    """How to read the printed figures of a row (``repro audit`` options).

    ``layout_k``: the number of mean ranks (rank sums) printed is the row's k for every set of figures.
    ``strict``: the rankings are declared strict (no ties), so W equals the uncorrected W and rank
    sums are whole numbers; a row's ``ties`` column overrides it. ``chi2_uncorrected``: the printed
    chi2 is not corrected for ties. ``exact_p``: the printed p is exact, so W–p and chi2–p are not
    checked through the chi-square approximation. ``reconstruct``: run the exhaustive k = 3 / k = 4
    reconstruction of the rank data. ``m_search``/``k_search``: the m and k tried when not printed
    (defaults from :mod:`repro.limits`); a printed m or k is always used whatever its size.
    """

    strict: bool = False
    chi2_uncorrected: bool = False
    exact_p: bool = False
    reconstruct: bool = True
    alpha: float = ALPHA
    m_search: tuple[int, int] | None = None
    k_search: tuple[int, int] | None = None
    table: str = "audit"
    exact_reading: bool = True  # compute the exact-p reading of a failing W–p pair (repro scan --no-reconstruct: off)
    # the number of mean-rank (rank-sum) columns is the row's k for every set of figures, W and p alone
    # included (as Tables 3/4 of paper 004 are judged); False lets k vary where a set does not fix it
    layout_k: bool = True
    # cell columns as the caller's table names them, e.g. (("mean_rank_1", "rank_1"), ("W", "E1 W")): B3/B4
    # and scan judge their rows here and keep their own column names
    columns: tuple[tuple[str, str], ...] = ()


@dataclass
class Constraint:
    """One relation among printed figures, as a mask over the (m, k) grid (True: holds there)."""

    key: str
    fields: frozenset
    mask: np.ndarray
    why: Reason
    assumptions: tuple = ()
    dims: str = ""  # the grid axes the relation depends on: "m", "k", "mk" or ""


@dataclass
class RowAudit:
    """What :func:`audit_row` found for one row: its cells, its groups and plain facts (JSON-ready)."""

    cells: list[Cell]
    groups: list[Group]
    info: dict
    witness: list | None = None  # a dataset that gives the row (repro.ranksums), for --write-witness


_LABEL = re.compile(r"^\s*(?:p-value|p\.value|p|wt|w|n|m|k|df|chisq|chi2|chi\^2|chi-squared|chi-square|χ2|χ²|x2|χ\^2)"
                    r"\s*(?:\([^)]*\))?\s*(?=[=<>≤≥])", re.IGNORECASE)


def _shown(pr: Printed | None) -> str:
    """The printed number as a reason quotes it: without the label a paper prints before it
    ("p = .022" -> ".022", "χ2(3) = 12.5" -> "12.5"; "p < .001" -> "< .001"); the cell keeps the text."""
    if pr is None:
        return ""
    text = pr.text.strip()
    match = _LABEL.match(text)
    if match:
        text = text[match.end():].strip()
        if text.startswith("="):
            text = text[1:].strip()
    return text


def _is_whole(pr: Printed, least: int) -> bool:
    return pr.value is not None and pr.comparator == "=" and pr.value.denominator == 1 and pr.value >= least


def _ranges_text(values) -> str:
    """``2–5, 9, 12–14`` for a sorted list of integers (:func:`repro.numfmt.integer_runs`)."""
    from repro.numfmt import integer_runs

    return integer_runs(values)


def _figures(fields) -> str:
    return ", ".join(SYMBOLS[f] for f in FIGURES + ("mark",) if f in fields)


def w_uncorrected_bounds(boxes: list[tuple[float, float]], widen: bool = True) -> tuple[float, float]:
    """Least and greatest uncorrected W that mean ranks within ``boxes`` can give.

    W_unc = 12 sum_j (r_j - (k+1)/2)^2 / (k^3 - k) depends on the mean ranks only (not on m). The
    least value minimises the sum over the box subject to sum_j r_j = k(k+1)/2 (every unclipped r_j
    equal, found by bisection); the greatest is bounded by taking each r_j at its farthest end.
    Both are bounds of what data can give, so a W outside them is impossible; the tie-corrected W
    is never below the uncorrected one (Kendall & Gibbons 1990, ch. 6): W = W_unc / (1 - sum T / (m (k^3 - k))).
    The one builder of this bound (``repro tables``' B3 through :mod:`repro.kendall_groups`, ``repro audit``,
    ``repro scan``).

    Parameters
    ----------
    boxes : list of (float, float)
        Each mean rank's interval within its rounding (``Printed.lo``, ``Printed.hi``).
    widen : bool
        Widen both bounds by 1e-9 relative (and 1e-12), so that a bound is never a false alarm; False gives the
        bounds as computed (for a caller that prints them and applies its own tolerance).

    Returns
    -------
    (float, float)
        The least and greatest uncorrected W.

    References
    ----------
    Siegel, S., & Castellan, N. J. (1988). *Nonparametric statistics for the behavioral sciences* (2nd ed.),
    section 9.4. McGraw-Hill. Legendre, P. (2005). Species associations: the Kendall coefficient of
    concordance revisited. *JABES*, 10(2), 226-245. https://doi.org/10.1198/108571105X46642

    Examples
    --------
    Mean ranks printed 1,2; 2; 2,8 (k = 3): the uncorrected W is at most (0,85² + 0,5² + 0,85²) / 2 = 0,8475,
    so a printed W = 0,9 needs ties.

    >>> lo, hi = w_uncorrected_bounds([(1.15, 1.25), (1.5, 2.5), (2.75, 2.85)])
    >>> round(hi, 4)
    0.8475
    """
    return _w_uncorrected_bounds(tuple((float(a), float(b)) for a, b in boxes), widen)


@lru_cache(maxsize=4096)
def _w_uncorrected_bounds(boxes: tuple[tuple[float, float], ...], widen: bool) -> tuple[float, float]:
    """:func:`w_uncorrected_bounds` for hashable boxes, computed once per boxes (callers ask per m, and the bounds
    do not depend on m)."""
    k = len(boxes)
    if k < 2:  # one item: W is not defined; nothing bounds it
        return 0.0, 1.0
    c = (k + 1) / 2
    lo = np.array([max(1.0, b[0]) for b in boxes])
    hi = np.array([min(float(k), b[1]) for b in boxes])
    hi = np.maximum(hi, lo)
    target = k * c
    if lo.sum() <= target <= hi.sum():
        a, b = -float(k), float(k)
        for _ in range(80):
            mid = (a + b) / 2
            if np.clip(c + mid, lo, hi).sum() < target:
                a = mid
            else:
                b = mid
        x = np.clip(c + (a + b) / 2, lo, hi)
    else:
        x = np.clip(c, lo, hi)
    denom = k ** 3 - k
    least = 12.0 * float(np.sum((x - c) ** 2)) / denom
    most = 12.0 * float(np.sum(np.maximum((lo - c) ** 2, (hi - c) ** 2))) / denom
    if not widen:
        return least, most
    return max(0.0, least * (1 - 1e-9) - 1e-12), min(1.0, most * (1 + 1e-9) + 1e-12)


TIE_LATTICE_STATES = 20_000  # (partial sum, sum of squares) pairs kept; beyond, the check is skipped (a miss)


def half_sum_squares(boxes: list[tuple[Fraction, Fraction]], total: Fraction,
                     cap: int = TIE_LATTICE_STATES) -> np.ndarray | None:
    """Every sum of squares 4 sum_j R_j^2 of rank sums R_j on the half lattice inside ``boxes`` adding to ``total``.

    With midranks every rank is a multiple of 1/2, so each rank sum is too: u_j = 2 R_j is a whole number
    in [ceil(2 lo_j), floor(2 hi_j)], and sum_j u_j = 2 total. A dynamic programme over the items keeps,
    per partial sum, the set of partial sums of u_j^2. Returns the sorted values of sum_j u_j^2, an empty
    array when no such vector exists, or None when more than ``cap`` states would be kept (undecided).

    Example: boxes 13.5, 10.5, [13.5, 14.5], [21.5, 22.5] with total 60 allow (14, 22), (13.5, 22.5) and
    (14.5, 21.5) for the last two: 4 sum R^2 = 3890, 3924, 3860.
    """
    ints = [(math.ceil(2 * lo), math.floor(2 * hi)) for lo, hi in boxes]
    if any(a > b for a, b in ints) or (2 * total).denominator != 1:
        return np.zeros(0, dtype=np.int64)
    goal = int(2 * total)
    rest_lo = [sum(a for a, _ in ints[i:]) for i in range(len(ints) + 1)]
    rest_hi = [sum(b for _, b in ints[i:]) for i in range(len(ints) + 1)]
    states: dict[int, set[int]] = {0: {0}}
    for i, (a, b) in enumerate(ints):
        new: dict[int, set[int]] = {}
        for part, squares in states.items():
            for u in range(a, b + 1):
                left = goal - part - u
                if rest_lo[i + 1] <= left <= rest_hi[i + 1]:
                    new.setdefault(part + u, set()).update(q + u * u for q in squares)
        if sum(len(v) for v in new.values()) > cap:
            return None
        states = new
    return np.array(sorted(states.get(goal, ())), dtype=np.int64)


def tie_lattice_spans(form: str, boxes: list[tuple[Fraction, Fraction]], m: int,
                      printed: list[Fraction] | None = None, untied: bool = False) -> tuple[np.ndarray, np.ndarray] | None:
    """Every chi2 (as closed spans [low, high]) that rank sums or mean ranks within ``boxes`` and m raters give
    with some attainable tie total.

    Parameters
    ----------
    form : {"rank_sums", "mean_ranks"}
        What ``boxes`` bound.
    boxes : list of (Fraction, Fraction)
        The interval of each printed figure (k of them).
    m : int
        Number of raters.
    printed : list of Fraction, optional
        Rank sums as printed: their chi2 is added as it stands (a statistic computed by hand from them).
    untied : bool
        T = 0 only (a chi2 declared uncorrected for ties).

    Returns
    -------
    (lows, highs) : two 1-D arrays, or None when undecided (too many rank-sum vectors, :data:`TIE_LATTICE_STATES`).
        Empty arrays when no rank sums fit at all.

    Notes
    -----
    Friedman (1937, doi:10.1080/01621459.1937.10503522) and Kendall & Gibbons (1990, ch. 6):

    .. math:: \\chi^2_c = \\frac{12 \\sum_j R_j^2 / (m k (k+1)) - 3 m (k+1)}{1 - T / (m (k^3 - k))},
              \\quad W_c = \\chi^2_c / (m (k - 1)),

    T in :func:`repro.ranksums.tie_totals` (m, k), T < m (k^3 - k). Rank sums: the halves of
    :func:`half_sum_squares` (points). Mean ranks: the whole range :func:`w_uncorrected_bounds` allows (a W
    computed by hand from rounded mean ranks is in it), one span per T. Necessary, not sufficient: which T
    goes with which rank sums is not checked.

    Example
    -------
    Gauthmath (6 subjects, 4 treatments), rank sums 13.5 10.5 14 22: chi2_u = 97.25 - 90 = 7.25, and with
    T = 114, 120: 7.25 / (1 - 114/360) = 10.61, 7.25 / (1 - 120/360) = 10.875; "10.75" is none of them.
    """
    from repro.ranksums import tie_totals

    k = len(boxes)
    if form == "rank_sums":
        q4 = half_sum_squares(boxes, Fraction(m * k * (k + 1), 2))
        if q4 is None:
            return None
        if q4.size == 0:
            return np.zeros(0), np.zeros(0)
        points = 3.0 * q4.astype(float) / (m * k * (k + 1)) - 3.0 * m * (k + 1)
        if printed is not None:
            points = np.append(points, 3.0 * float(4 * sum(v * v for v in printed)) / (m * k * (k + 1))
                               - 3.0 * m * (k + 1))
        spans = np.stack([points, points], axis=1)
    else:
        least, most = w_uncorrected_bounds([(float(lo), float(hi)) for lo, hi in boxes])
        spans = np.array([[least, most]]) * m * (k - 1)
    denom = m * (k ** 3 - k)
    t = np.zeros(1, dtype=np.int64) if untied else tie_totals(m, k)
    f = 1.0 - t[t < denom].astype(float) / denom
    return (spans[:, :1] / f[None, :]).ravel(), (spans[:, 1:] / f[None, :]).ravel()


def attainable(spans: tuple[np.ndarray, np.ndarray], lo: float, hi: float) -> tuple[bool, float | None, float | None]:
    """Whether some span meets [lo, hi], and the nearest attainable values below and above it (or None)."""
    lows, highs = spans
    tol = 1e-9 * max(1.0, abs(hi))
    ok = bool(((highs >= lo - tol) & (lows <= hi + tol)).any())
    below, above = highs[highs < lo - tol], lows[lows > hi + tol]
    return ok, (float(below.max()) if below.size else None), (float(above.min()) if above.size else None)


def _column_box(pr: Printed, decimals: int) -> tuple[Fraction, Fraction]:
    """A figure printed with fewer decimals than its column, read at the column's precision
    (assumption precision_column: a "14" beside "13.5" is 14.0)."""
    if pr.value is None or pr.comparator != "=" or pr.decimals >= decimals:
        return pr.lo, pr.hi
    half = Fraction(1, 2 * 10 ** decimals)
    return pr.value - half, pr.value + half


def _layout_k(test: ReportedTest) -> int | None:
    """The k the layout gives: the number of mean-rank (or rank-sum) columns, when they agree."""
    counts = {len(v) for v in (test.mean_ranks, test.rank_sums) if len(v) >= 2}
    return counts.pop() if len(counts) == 1 else None


def _grid(test: ReportedTest, options: AuditOptions) -> tuple[np.ndarray, np.ndarray]:
    from repro import limits

    m_lo, m_hi = options.m_search or (limits.M_RANGE.start, limits.M_RANGE.stop - 1)
    k_lo, k_hi = options.k_search or (limits.K_RANGE.start, limits.K_RANGE.stop - 1)
    ms = set(range(m_lo, m_hi + 1))
    ks = set(range(k_lo, k_hi + 1))
    if test.m is not None and _is_whole(test.m, 1):
        ms.add(int(test.m.number))
    if test.k is not None and _is_whole(test.k, 2):
        ks.add(int(test.k.number))
    for df in (test.df, test.df_in_chi2):
        if df is not None and _is_whole(df, 1):
            ks.add(int(df.number) + 1)
    for values in (test.mean_ranks, test.rank_sums):
        if len(values) >= 2:
            ks.add(len(values))
    layout = _layout_k(test)
    if options.layout_k and layout is not None:
        ks = {layout}  # the table's columns of mean ranks (rank sums) are its k: every set is judged there
    if len(test.rank_sums) >= 2:  # the rank sums fix m: sum R = m k (k+1) / 2
        k = len(test.rank_sums)
        total_lo = sum(max(Fraction(0), r.lo) for r in test.rank_sums)
        total_hi = sum(min(Fraction(10 ** 12), r.hi) for r in test.rank_sums)
        first = math.ceil(total_lo * 2 / (k * (k + 1)))
        last = math.floor(total_hi * 2 / (k * (k + 1)))
        ms.update(range(max(1, first), min(last, first + 50) + 1))
    return np.array(sorted(ms), dtype=np.int64), np.array(sorted(ks), dtype=np.int64)


def _interval(pr: Printed, floor: float = -math.inf, ceil: float = math.inf) -> tuple[float, float]:
    return max(floor, float(pr.lo)), min(ceil, float(pr.hi))


def _grain_mask(ranks: list[Printed], ms: np.ndarray, strict: bool) -> np.ndarray:
    """For each m: the mean ranks are rank sums over m (multiples of 1/2, or whole when strict), together
    summing to m k (k+1)/2 — exact integer arithmetic (:func:`repro.granularity.feasible_rater_counts`)."""
    from repro.granularity import feasible_rater_counts

    return np.isin(ms, feasible_rater_counts(ranks, len(ranks), ms.tolist(), ties=not strict))


def row_constraints(test: ReportedTest, options: AuditOptions, ms: np.ndarray, ks: np.ndarray,
                    strict: bool) -> list[Constraint]:
    """Every relation the printed figures of one row must satisfy, as masks over the (m, k) grid.

    The chi-square tails are one vectorised call over the whole grid (``scipy.special.chdtrc``, the
    survival function of scipy.stats.chi2 without its per-call overhead).
    """
    from scipy.special import chdtrc

    M = ms[:, None].astype(float)
    K = ks[None, :].astype(float)
    shape = (ms.size, ks.size)
    out: list[Constraint] = []
    asym = (Assumption.of("p_asymptotic"),)
    strict_a = (Assumption.of("strict_rankings"),)
    # with ties, W and the chi2 behind p must be computed alike (both tie-corrected, or neither): a paper
    # printing a corrected W beside an uncorrected chi2 breaks chi2 = m(k-1)W without an arithmetic error
    alike: tuple = () if strict else (Assumption.of("same_correction"),)

    dims_of = {"W_one_rater": "m", "chi2_max": "mk", "W_p": "mk", "W_chi2": "mk", "chi2_p": "k", "ranks_grain": "m",
               "ranks_grain_strict": "m", "chi2_ranks": "m", "chi2_ranks_equal": "m", "sums_total": "m",
               "sums_ranks": "m", "W_sums": "m", "W_sums_strict": "m", "chi2_sums": "m", "chi2_sums_equal": "m",
               "p_ranks": "m", "p_sums": "m", "ties_lattice": "m", "ties_lattice_column": "m",
               "ties_lattice_uncorrected": "m", "ties_lattice_uncorrected_column": "m"}

    def add(key, fields, mask, why, assumptions=()):
        out.append(Constraint(key, frozenset(fields), np.broadcast_to(np.asarray(mask, dtype=bool), shape), why,
                              tuple(assumptions), dims_of.get(key, "")))

    # printed counts: m, k, df are whole numbers (m >= 1, k >= 2, df >= 1) and fix the grid
    if test.m is not None:
        if _is_whole(test.m, 1):
            add("m", ["m"], ms[:, None] == int(test.m.number), Reason("reason.audit_m_printed", {"m": _shown(test.m)}))
        else:
            add("m", ["m"], False, Reason("reason.audit_bad_count", {"column": "m", "value": _shown(test.m), "least": 1}))
    layout = _layout_k(test) if options.layout_k else None
    layout_symbol = SYMBOLS["mean_ranks" if test.mean_ranks else "rank_sums"]

    def k_reason(column: str, text: str, k: int) -> Reason:
        if layout is not None and k != layout:
            return Reason("reason.audit_k_clash", {"a": column, "ka": k, "b": layout_symbol, "kb": layout})
        return Reason("reason.audit_m_printed", {"m": text})

    if test.k is not None:
        if _is_whole(test.k, 2):
            add("k", ["k"], ks[None, :] == int(test.k.number), k_reason("k", _shown(test.k), int(test.k.number)))
        elif _is_whole(test.k, 1):
            add("k", ["k"], False, Reason("reason.audit_k_small", {"column": "k", "value": _shown(test.k), "k": 1}))
        else:
            add("k", ["k"], False, Reason("reason.audit_bad_count", {"column": "k", "value": _shown(test.k), "least": 2}))
    dfs = [test.df] if test.df is not None else []
    if test.df_in_chi2 is not None:
        if test.df is None:
            dfs = [test.df_in_chi2]
        else:
            same = test.df_in_chi2.value == test.df.value
            add("df_chi2", ["df", "chi2"], same, Reason("reason.audit_df_twice",
                                                        {"df": _shown(test.df), "chi2": test.chi2.text if test.chi2 else ""}))
    for df in dfs:
        fields = ["df"] if df is test.df else ["chi2"]
        if _is_whole(df, 1):
            add("df", fields, ks[None, :] == int(df.number) + 1, k_reason("df", _shown(df), int(df.number) + 1))
        elif _is_whole(df, 0):
            add("df", fields, False, Reason("reason.audit_k_small", {"column": "df", "value": _shown(df), "k": 1}))
        else:
            add("df", fields, False, Reason("reason.audit_bad_count", {"column": "df", "value": _shown(df), "least": 1}))
    # ranges: 0 <= W <= 1, 0 <= p <= 1, 0 <= chi2 <= m (k - 1)
    for name in ("W", "p"):
        pr = getattr(test, name)
        if pr is not None:
            add(name + "_range", [name], float(pr.hi) >= 0 and float(pr.lo) <= 1,
                Reason("reason.audit_out_of_range", {"column": name, "value": _shown(pr), "lo": 0, "hi": 1}))
    if test.chi2 is not None:
        add("chi2_range", ["chi2"], float(test.chi2.hi) >= 0,
            Reason("reason.audit_out_of_range", {"column": "χ²", "value": _shown(test.chi2), "lo": 0, "hi": "m(k−1)"}))
        add("chi2_max", ["chi2"], float(test.chi2.lo) <= M * (K - 1) + 1e-9,
            Reason("reason.audit_chi2_max", {"chi2": _shown(test.chi2)}))
    W = test.W
    w_lo, w_hi = _interval(W, 0.0, 1.0) if W is not None else (0.0, 1.0)
    # one rater: a single ranking agrees with itself, W = 1 (12 S / (m^2 (k^3 - k)) with S = (k^3 - k) / 12)
    if W is not None and 1 in ms.tolist():
        add("W_one_rater", ["W"], (M != 1) | (w_hi >= 1 - 1e-12), Reason("reason.audit_one_rater", {"W": _shown(W)}))
    # W and p: p = P(chi2_{k-1} >= m (k-1) W), W moving within its rounding
    if W is not None and test.p is not None and not options.exact_p:
        from repro.kendall_groups import wp_agree_grid

        add("W_p", ["W", "p"], wp_agree_grid(K - 1, M * (K - 1), (w_lo, w_hi), (float(test.p.lo), float(test.p.hi))),
            Reason("reason.audit_W_p", {"W": _shown(W), "p": _shown(test.p), "k": _ranges_text(ks),
                                        "m": _ranges_text(ms)}), asym + alike)
    if W is not None and test.chi2 is not None:
        c_lo, c_hi = float(test.chi2.lo), float(test.chi2.hi)
        if options.chi2_uncorrected:  # the uncorrected chi2 is never above m (k-1) W (tie-corrected)
            mask = c_lo <= M * (K - 1) * w_hi + 1e-9
        else:
            mask = (c_lo <= M * (K - 1) * w_hi + 1e-9) & (c_hi >= M * (K - 1) * w_lo - 1e-9)
        add("W_chi2", ["W", "chi2"], mask, Reason("reason.audit_W_chi2", {"W": _shown(W), "chi2": _shown(test.chi2)}),
            () if options.chi2_uncorrected else alike)
    if test.chi2 is not None and test.p is not None and not options.exact_p:
        c_lo, c_hi = max(0.0, float(test.chi2.lo)), max(0.0, float(test.chi2.hi))
        p_lo = chdtrc(K - 1, c_hi) * np.ones_like(M)
        p_hi = chdtrc(K - 1, c_lo) * np.ones_like(M)
        add("chi2_p", ["chi2", "p"], (p_lo <= float(test.p.hi) + 1e-12) & (p_hi >= float(test.p.lo) - 1e-12),
            Reason("reason.audit_chi2_p", {"chi2": _shown(test.chi2), "p": _shown(test.p)}), asym)
    # mean ranks: k of them, each in [1, k], summing to k (k+1)/2, attainable as rank sums over m
    ranks = test.mean_ranks
    if ranks:
        k = len(ranks)
        add("ranks_k", ["mean_ranks"], ks[None, :] == k, Reason("reason.audit_count", {"count": k}))
        outside = [r.text for r in ranks if float(r.hi) < 1 or float(r.lo) > k]
        add("ranks_bounds", ["mean_ranks"], not outside,
            Reason("reason.audit_rank_bounds", {"value": outside[0] if outside else "", "k": k}))
        lo = sum(r.lo for r in ranks)
        hi = sum(r.hi for r in ranks)
        total = sum(r.number for r in ranks)
        add("ranks_sum", ["mean_ranks"], lo <= Fraction(k * (k + 1), 2) <= hi,
            Reason("reason.rank_sum", {"sum": float(total), "expected": k * (k + 1) / 2}))
        if k >= 2:
            grain = _grain_mask(ranks, ms, False)
            add("ranks_grain", ["mean_ranks"], grain[:, None], Reason("reason.audit_grain", {}))
            if strict:
                add("ranks_grain_strict", ["mean_ranks"], _grain_mask(ranks, ms, True)[:, None],
                    Reason("reason.audit_grain_strict", {}), strict_a)
            boxes = [_interval(r) for r in ranks]
            least, most = w_uncorrected_bounds(boxes)
            if W is not None:
                add("W_ranks", ["W", "mean_ranks"], w_hi >= least,
                    Reason("reason.audit_W_bound", {"W": _shown(W), "bound": least}))
                if strict:
                    add("W_ranks_strict", ["W", "mean_ranks"], (w_hi >= least) & (w_lo <= most),
                        Reason("reason.audit_W_strict", {"W": _shown(W), "lo": least, "hi": most}), strict_a)
            if test.chi2 is not None:
                c_lo, c_hi = float(test.chi2.lo), float(test.chi2.hi)
                mask = c_hi >= M * (k - 1) * least - 1e-9
                add("chi2_ranks", ["chi2", "mean_ranks"], mask,
                    Reason("reason.audit_chi2_bound", {"chi2": _shown(test.chi2), "bound": least}))
                if strict or options.chi2_uncorrected:
                    add("chi2_ranks_equal", ["chi2", "mean_ranks"], mask & (c_lo <= M * (k - 1) * most + 1e-9),
                        Reason("reason.audit_chi2_equal", {"chi2": _shown(test.chi2)}),
                        strict_a if strict else (Assumption.of("chi2_uncorrected"),))
            if W is None and test.chi2 is None and test.p is not None and not options.exact_p:
                # p printed without W or chi2: ties only raise chi2 above m (k - 1) W_unc, so p is at most
                # the tail of the uncorrected chi2 of the mean ranks
                add("p_ranks", ["p", "mean_ranks"], float(test.p.lo) <= chdtrc(k - 1, M * (k - 1) * least) + 1e-12,
                    Reason("reason.audit_p_bound", {"p": _shown(test.p)}), asym)
    sums = test.rank_sums
    if sums:
        k = len(sums)
        add("sums_k", ["rank_sums"], ks[None, :] == k, Reason("reason.audit_count", {"count": k}))
        step = 1 if strict else 2
        off = [r.text for r in sums if math.floor(r.hi * step) < math.ceil(r.lo * step)]
        add("sums_lattice", ["rank_sums"], not off,
            Reason("reason.audit_sums_lattice", {"value": off[0] if off else ""}),
            strict_a if strict and not [r for r in sums if math.floor(r.hi * 2) < math.ceil(r.lo * 2)] else ())
        lo = sum(r.lo for r in sums)
        hi = sum(r.hi for r in sums)
        need = ms.astype(object) * (k * (k + 1) // 2)
        sum_ok = np.array([lo <= n <= hi for n in need], dtype=bool)
        bounds_ok = np.array([all(r.hi >= m and r.lo <= m * k for r in sums) for m in ms.tolist()], dtype=bool)
        add("sums_total", ["rank_sums"], (sum_ok & bounds_ok)[:, None],
            Reason("reason.audit_sums_total", {"sum": float(sum(r.number for r in sums)), "k": k}))
        if ranks and len(ranks) == k:
            agree = np.array([all(r.lo * m <= s.hi and r.hi * m >= s.lo for r, s in zip(ranks, sums))
                              for m in ms.tolist()], dtype=bool)
            add("sums_ranks", ["rank_sums", "mean_ranks"], agree[:, None], Reason("reason.audit_sums_ranks", {}))
        if W is not None or test.chi2 is not None or test.p is not None:
            least_m = np.zeros(ms.size)
            most_m = np.ones(ms.size)
            # each rank sum on its lattice (halves with ties, whole numbers without) inside its printed interval
            def snapped(unit: int) -> list[tuple[float, float]]:
                return [(math.ceil(r.lo * unit) / unit, math.floor(r.hi * unit) / unit) for r in sums]

            least_s, most_s = least_m.copy(), most_m.copy()
            halves, wholes = snapped(2), snapped(1)
            for i, m in enumerate(ms.tolist()):
                if sum_ok[i]:
                    least_m[i], most_m[i] = w_uncorrected_bounds([(lo / m, hi / m) for lo, hi in halves])
                    if strict:
                        least_s[i], most_s[i] = w_uncorrected_bounds([(lo / m, hi / m) for lo, hi in wholes])
            if W is not None:
                add("W_sums", ["W", "rank_sums"], (w_hi >= least_m)[:, None],
                    Reason("reason.audit_W_bound_sums", {"W": _shown(W)}))
                if strict:
                    add("W_sums_strict", ["W", "rank_sums"], ((w_hi >= least_s) & (w_lo <= most_s))[:, None],
                        Reason("reason.audit_W_strict_sums", {"W": _shown(W)}), strict_a)
            if test.chi2 is not None:
                c_lo, c_hi = float(test.chi2.lo), float(test.chi2.hi)
                add("chi2_sums", ["chi2", "rank_sums"], (c_hi >= ms * (k - 1) * least_m - 1e-9)[:, None],
                    Reason("reason.audit_chi2_bound_sums", {"chi2": _shown(test.chi2)}))
                # untied rankings, or a chi2 declared uncorrected: chi2 is the uncorrected m (k - 1) W of the
                # rank sums, as with the mean ranks (chi2_ranks_equal)
                if strict or options.chi2_uncorrected:
                    lo_w, hi_w = (least_s, most_s) if strict else (least_m, most_m)
                    add("chi2_sums_equal", ["chi2", "rank_sums"],
                        ((c_hi >= ms * (k - 1) * lo_w - 1e-9) & (c_lo <= ms * (k - 1) * hi_w + 1e-9))[:, None],
                        Reason("reason.audit_chi2_equal_sums", {"chi2": _shown(test.chi2)}),
                        strict_a if strict else (Assumption.of("chi2_uncorrected"),))
            if W is None and test.chi2 is None and test.p is not None and not options.exact_p:
                add("p_sums", ["p", "rank_sums"],
                    (float(test.p.lo) <= chdtrc(k - 1, ms * (k - 1) * least_m) + 1e-12)[:, None],
                    Reason("reason.audit_p_bound_sums", {"p": _shown(test.p)}), asym)
    _tie_lattice_constraints(test, options, ms, strict, add, out)
    return out


def _tie_lattice_constraints(test: ReportedTest, options: AuditOptions, ms: np.ndarray, strict: bool, add,
                             prior: list[Constraint]) -> None:
    """W or chi2 beside rank sums (or mean ranks) with ties.

    The tie-corrected statistic is the uncorrected one of the rank sums over 1 - T / (m (k^3 - k)), and
    T = sum of (t^3 - t) takes only the values m weak orders of k give (:func:`repro.ranksums.tie_totals`,
    multiples of 6). A W or chi2 that no attainable T gives is arithmetic, not ties: the set fails.
    Before, a statistic above the uncorrected one was accepted as "ties" whatever its value.

    What the uncorrected statistic may be, every reading taken (a false alarm is worse than a miss):

    * rank sums: any halves inside their printed intervals adding to m k (k + 1) / 2
      (:func:`half_sum_squares`), or the statistic computed from the printed rank sums as they stand;
    * mean ranks: anything the printed intervals allow (:func:`w_uncorrected_bounds`), which covers a W
      computed by hand from the rounded mean ranks;
    * W and chi2 both printed: one may be computed from the other as printed (chi2 = m (k - 1) W with a
      rounded W), so the set fails only when neither is attainable (W_chi2 ties the two together).

    A rank sum printed shorter than its column ("14" beside "13.5") is also read at the column's
    precision (assumption precision_column), reported only where the printed-precision reading holds.
    Not under strict rankings (T = 0 and whole rank sums: the strict bounds judge that). A chi2 declared
    uncorrected is checked with T = 0 only (assumption chi2_uncorrected). Each constraint fails only where
    the ``prior`` relations among the same figures hold, so an earlier, plainer reason (a chi2 below the
    uncorrected one, chi2_sums_equal) keeps naming the clash it finds.
    """
    if strict:
        return
    form = "rank_sums" if test.rank_sums else "mean_ranks" if test.mean_ranks else None
    if form is None:
        return
    figures = test.rank_sums or test.mean_ranks
    k = len(figures)
    if k < 2 or any(f.value is None or f.comparator != "=" for f in figures):
        return
    stats: list[tuple[str, Printed, Any]] = []
    if test.W is not None and test.W.comparator == "=":
        stats.append(("W", test.W, lambda m: float(m * (k - 1))))
    if test.chi2 is not None and test.chi2.comparator == "=":
        stats.append(("chi2", test.chi2, lambda m: 1.0))
    if not stats:
        return
    # (key, statistics any one of which may hold, T = 0 only, the reading it rests on)
    checks: list[tuple[str, list, bool, tuple[Assumption, ...]]] = []
    if options.chi2_uncorrected:
        checks.append(("ties_lattice", [s for s in stats if s[0] == "W"], False, ()))
        checks.append(("ties_lattice_uncorrected", [s for s in stats if s[0] == "chi2"], True,
                       (Assumption.of("chi2_uncorrected"),)))
    else:
        checks.append(("ties_lattice", stats, False, ()))
    dmax = max(f.decimals for f in figures)
    # (suffix, rank-sum boxes, the statistic read as rounded or truncated, the reading it rests on). The
    # primary reading lets the printed statistic be rounded OR truncated (a book may cut 0.3777 to 0.377),
    # so it fails only under both; "rounded only" is a reading of its own (assumption rounded_not_truncated).
    boxes0 = [(f.lo, f.hi) for f in figures]
    readings: list[tuple[str, list[tuple[Fraction, Fraction]], bool, tuple[Assumption, ...]]] = [
        ("", boxes0, True, ()), ("_rounded", boxes0, False, (Assumption.of("rounded_not_truncated"),))]
    if form == "rank_sums" and any(f.decimals < dmax for f in figures):
        readings.append(("_column", [_column_box(f, dmax) for f in figures], True,
                         (Assumption.of("precision_column"),)))
    shown_m = int(test.m.number) if test.m is not None and _is_whole(test.m, 1) else None
    printed = [f.value for f in figures if f.value is not None] if form == "rank_sums" else None
    # the spans depend on the boxes, m and T = 0 only, not on the reading of the statistic: the rounded-only
    # reading shares the primary reading's boxes, so each (boxes, m) is computed once
    spans_of: dict[tuple[bool, int, int], Any] = {}
    for key, among, untied, reading in checks:
        if not among:
            continue
        fields = frozenset([s[0] for s in among] + [form])
        earlier = np.ones((ms.size, prior[0].mask.shape[1]) if prior else (ms.size, 1), dtype=bool)
        for c in prior:
            if c.fields <= fields:
                earlier = earlier & c.mask
        live = np.asarray(earlier.any(axis=1))  # only the m the earlier relations leave open are worth the search
        primary = np.ones(ms.size, dtype=bool)
        for suffix, boxes, truncated, assumptions in readings:
            mask = np.ones(ms.size, dtype=bool)
            near: dict[str, tuple] = {}
            for i, m in enumerate(ms.tolist()):
                if not live[i]:
                    continue
                memo = (untied, id(boxes), m)
                if memo not in spans_of:
                    spans_of[memo] = tie_lattice_spans(form, boxes, m, printed, untied)
                spans = spans_of[memo]
                if spans is None or spans[0].size == 0:  # undecided, or no rank sums (sums_total / grain judge that)
                    continue
                any_ok = False
                for name, pr, unit in among:
                    # truncated: v printed with d decimals may stand for [v, v + 10^-d] too, so hi + unit / 2
                    hi = float(pr.hi + (pr.hi - pr.lo) / 2) if truncated else float(pr.hi)
                    ok, below, above = attainable(spans, max(0.0, float(pr.lo)) * unit(m), hi * unit(m))
                    any_ok |= ok
                    if not ok and (m == shown_m or name not in near):
                        near[name] = tuple("—" if v is None else round(v / unit(m), 4) for v in (below, above))
                mask[i] = any_ok
            if suffix:  # a further reading is a finding only where the primary reading holds
                mask |= ~primary
            else:
                primary = mask
            if mask.all():
                continue
            full = mask[:, None] | ~earlier
            if full.all():
                continue
            name, pr, _ = among[-1]  # chi2 when printed (W is then checked through it and W_chi2)
            below, above = near.get(name, ("—", "—"))
            add(key + suffix, sorted(fields), full,
                Reason(("reason.audit_untied_lattice_" if untied else "reason.audit_ties_lattice_") + form,
                       {"stat": "W" if name == "W" else "χ²", "value": _shown(pr), "below": below, "above": above}),
                tuple(reading) + tuple(assumptions))


def _mask_of(constraints: list[Constraint], fields: frozenset, shape, free_only: bool = False) -> np.ndarray:
    mask = None
    for c in constraints:
        if c.fields <= fields and not (free_only and c.assumptions):
            mask = np.array(c.mask) if mask is None else mask & c.mask  # a fresh array: callers may change it
    return np.ones(shape, dtype=bool) if mask is None else mask


def _row_cells_of(test: ReportedTest, field_name: str) -> list[str]:
    if field_name == "mean_ranks":
        return [f"mean_rank_{j}" for j in range(1, len(test.mean_ranks) + 1)]
    if field_name == "rank_sums":
        return [f"rank_sum_{j}" for j in range(1, len(test.rank_sums) + 1)]
    return [field_name]


def _implied(mask: np.ndarray, ms: np.ndarray, ks: np.ndarray) -> tuple[str, str]:
    return _ranges_text(ms[mask.any(axis=1)]), _ranges_text(ks[mask.any(axis=0)])


def _search_assumptions(test, fields, constraints, shape, options, ms, ks) -> list:
    """The search ranges a failing set rests on: m (k) not fixed by the set, and the set fails only
    with relations that depend on m (k) — so an m (k) outside the range searched might fit."""
    out = []
    active = [c for c in constraints if c.fields <= fields]
    m_fixed = "m" in fields or "rank_sums" in fields
    k_fixed = bool(fields & {"k", "df", "mean_ranks", "rank_sums"}) or any(c.key == "df" for c in active) \
        or ks.size == 1  # the layout's k (options.layout_k)

    def fails_without(axis: str) -> bool:
        mask = np.ones(shape, dtype=bool)
        for c in active:
            if axis not in c.dims:
                mask = mask & c.mask
        return not mask.any()

    def beyond_top_fails() -> bool:
        """The set holds W–p, and p only falls as m grows (chi2 = m(k-1)W): if even the lowest W at the
        largest m searched gives a p below the printed one, no larger m satisfies W–p, so none the set."""
        if "W_p" not in [c.key for c in active] or test.W is None or test.p is None:
            return False
        from scipy.special import chdtrc

        w_lo = max(0.0, float(test.W.lo))
        return bool(np.all(chdtrc(ks - 1.0, float(ms[-1]) * (ks - 1.0) * w_lo) < float(test.p.lo) - 1e-12))

    if not m_fixed and any("m" in c.dims for c in active) and not fails_without("m") and not beyond_top_fails():
        out.append(Assumption.of("m_range", lo=int(ms[0]), hi=int(ms[-1])))
    if not k_fixed and any("k" in c.dims for c in active) and not fails_without("k"):
        out.append(Assumption.of("k_range", lo=int(ks[0]), hi=int(ks[-1])))
    return out


# relations whose reason states the condition on m or k it needs, so it explains a set with that count
SELF_EXPLAINING = {"W_one_rater"}


def _k_fixers(test: ReportedTest) -> dict[str, int]:
    """The k each printed figure implies: k itself, df + 1, the number of mean ranks or rank sums."""
    out = {}
    if test.k is not None and _is_whole(test.k, 1):
        out["k"] = int(test.k.number)
    if test.df is not None and _is_whole(test.df, 0):
        out["df"] = int(test.df.number) + 1
    if test.mean_ranks:
        out["mean_ranks"] = len(test.mean_ranks)
    if test.rank_sums:
        out["rank_sums"] = len(test.rank_sums)
    return out


def _fail_group(test, row, fields, constraints, shape, options, ms, ks, index) -> Group:
    inside = [c for c in constraints if c.fields <= fields]

    def binding(c: Constraint) -> bool:
        """c fails wherever every other relation of the set holds: it names the clash."""
        rest = np.ones(shape, dtype=bool)
        for other in inside:
            if other is not c:
                rest = rest & other.mask
        return not c.mask.any() or (bool(rest.any()) and not (c.mask & rest).any())

    own = sorted((c for c in inside if binding(c)), key=lambda c: (c.fields != fields, c.mask.any()))
    fixers = _k_fixers(test)
    if len(fields) == 2 and fields <= set(fixers) and fixers[min(fields)] != fixers[max(fields)]:
        a, b = sorted(fields, key=FIGURES.index)
        conclusion = Reason("reason.audit_k_clash", {"a": SYMBOLS[a], "ka": fixers[a], "b": SYMBOLS[b],
                                                     "kb": fixers[b]})
    elif own and (len(fields) == 1 or own[0].fields == fields):
        conclusion = own[0].why
    elif any(c.key in SELF_EXPLAINING for c in own):  # its reason already names the printed count it needs
        conclusion = next(c for c in own if c.key in SELF_EXPLAINING).why
    else:
        # what the set implies without its last printed count (m, k, df first), to show the clash
        drop = next((f for f in ("m", "k", "df", "p", "chi2", "W", "mean_ranks", "rank_sums") if f in fields), "W")
        rest = _mask_of(constraints, fields - {drop}, shape)
        om, ok = _implied(rest, ms, ks)
        conclusion = Reason("group.audit_cannot", {"figures": _figures(fields), "without": SYMBOLS[drop],
                                                   "others": _figures(fields - {drop}), "m": om, "k": ok})
    free = _mask_of(constraints, fields, shape, free_only=True).any()
    assumptions: list = []
    if free:  # fails only with the constraints that rest on a reading
        for c in constraints:
            if c.fields <= fields and c.assumptions:
                assumptions.extend(a for a in c.assumptions if a not in assumptions)
    assumptions.extend(a for a in _search_assumptions(test, fields, constraints, shape, options, ms, ks)
                       if a not in assumptions)
    cells = [(row, c) for f in FIGURES if f in fields for c in _row_cells_of(test, f)]
    return Group(id=f"{row}#{index}", row=row, cells=cells, holds=False, conclusion=conclusion,
                 severity="assumption" if assumptions else "impossible", assumptions=assumptions)


PAIR_M_TOP = 2000  # how far "W and p alone" looks for m when m is not printed (a vectorised tail per k)


def pair_raters(test: ReportedTest, mask: np.ndarray, ms: np.ndarray, ks: np.ndarray,
                top: int = PAIR_M_TOP) -> tuple[list[int], bool]:
    """Every m in 2..top at which W and p alone agree, at the k ``mask`` allows; and whether the set
    reaches ``top`` (then it goes on: "m ≥ a"). A printed m is not needed: this is what W and p imply."""
    k_values = ks[mask.any(axis=0)]
    if not len(k_values) or test.W is None or test.p is None:
        return [], False
    values, open_end = _pair_raters(_interval(test.W, 0.0, 1.0), (float(test.p.lo), float(test.p.hi)),
                                    tuple(k_values.tolist()), top)
    return list(values), open_end


@lru_cache(maxsize=32)  # a row asks twice in a row; a few rows kept (each up to 2000 m)
def _pair_raters(w: tuple[float, float], p: tuple[float, float], k_values: tuple[int, ...],
                 top: int) -> tuple[tuple[int, ...], bool]:
    """:func:`pair_raters` on plain numbers, computed once per row (a row asks twice: its W–p group and its
    ``m_from_W_p_beyond``)."""
    from repro.kendall_groups import wp_agree_grid

    M = np.arange(2, top + 1, dtype=float)[:, None]
    K = np.array(k_values, dtype=float)[None, :]
    ok = wp_agree_grid(K - 1, M * (K - 1), w, p).any(axis=1)
    values = tuple((np.flatnonzero(ok) + 2).tolist())
    return values, bool(values) and values[-1] == top


def _open_ranges(values: list[int], open_end: bool) -> tuple[str, int | None]:
    """(closed ranges text, start of the open range or None)."""
    if not open_end:
        return _ranges_text(values), None
    v = np.asarray(values)
    if v.ndim == 1 and v.size and v.dtype.kind in "iu" and bool(np.all(np.diff(v) > 0)):
        # ascending and distinct (pair_raters' m): the open run is the tail of steps of one
        gaps = np.flatnonzero(np.diff(v) != 1)
        cut = int(gaps[-1]) + 1 if gaps.size else 0
        return _ranges_text(list(values)[:cut]), int(v[cut])
    start = values[-1]
    present = set(values)  # a list's "in" made this quadratic in the m searched
    while start - 1 in present:
        start -= 1
    return _ranges_text([v for v in values if v < start]), start


def _hold_group(test, row, fields, mask, ms, ks, index) -> Group:
    m_text, k_text = _implied(mask, ms, ks)
    cells = [(row, c) for f in FIGURES if f in fields for c in _row_cells_of(test, f)]
    params: dict[str, Any] = {"figures": _figures(fields), "m": m_text, "k": k_text}
    key = "group.audit_holds"
    if fields == {"W", "p"}:
        key = "group.audit_holds_pair"
        # W and p alone (whatever m is printed), beyond the search of the whole row
        values, open_end = pair_raters(test, mask, ms, ks)
        closed, start = _open_ranges(values, open_end)
        if start is not None:
            key = "group.audit_holds_pair_open" if closed == "—" else "group.audit_holds_pair_mixed"
            params.update(m=closed, m_from=start)
        elif values:
            params["m"] = closed
    return Group(id=f"{row}#{index}", row=row, cells=cells, holds=True, conclusion=Reason(key, params))


K_FIXING = ("k", "df", "ranks_k", "sums_k")


def pair_mask(constraints: list[Constraint], shape) -> np.ndarray:
    """Where W and p alone agree, at the k the row prints (k, df or the number of mean ranks) when
    those agree with W and p; else at any k."""
    pair = _mask_of(constraints, frozenset({"W", "p"}), shape)
    fixed = pair.copy()
    for c in constraints:
        if c.key in K_FIXING:
            fixed &= c.mask
    return fixed if fixed.any() else pair


def row_groups(test: ReportedTest, row: str, constraints: list[Constraint], present: list[str],
               ms: np.ndarray, ks: np.ndarray, options: AuditOptions) -> tuple[list[Group], np.ndarray]:
    """Smallest failing sets of figures, and the sets that hold (W and p alone; the whole row; when the
    row fails, each largest set that holds). Returns the groups and the whole row's mask."""
    from itertools import combinations

    shape = (ms.size, ks.size)
    full = frozenset(present)
    whole = _mask_of(constraints, full, shape)
    groups: list[Group] = []
    feasible: dict[frozenset, bool] = {}
    # the relations among the same figures taken together once: a set's mask is the AND of those within it
    # (what _mask_of gives, with fewer arrays to combine per set)
    merged: dict[frozenset, np.ndarray] = {}
    for c in constraints:
        merged[c.fields] = c.mask & merged[c.fields] if c.fields in merged else c.mask

    def holds_somewhere(s: frozenset) -> bool:
        mask = None
        for fields, m in merged.items():
            if fields <= s:
                mask = m if mask is None else mask & m
        return bool(mask.any()) if mask is not None else bool(whole.size)

    for size in range(1, len(present) + 1):
        for combo in combinations(present, size):
            s = frozenset(combo)
            if any(not feasible[s - {f}] for f in s if size > 1):
                feasible[s] = False  # contains a failing set: not minimal
                continue
            feasible[s] = holds_somewhere(s)
            if not feasible[s]:
                groups.append(_fail_group(test, row, s, constraints, shape, options, ms, ks, len(groups) + 1))
    if {"W", "p"} <= full and feasible.get(frozenset({"W", "p"})):
        groups.append(_hold_group(test, row, {"W", "p"}, pair_mask(constraints, shape), ms, ks, len(groups) + 1))
    if whole.any():
        if len(present) > 1 and full != frozenset({"W", "p"}):
            groups.append(_hold_group(test, row, full, whole, ms, ks, len(groups) + 1))
    else:
        # the largest sets that hold, when some relation ties their figures together
        maximal = [s for s, ok in feasible.items() if ok and len(s) > 1
                   and all(not feasible.get(s | {f}, False) for f in full - s)
                   and any(len(c.fields) > 1 and c.fields <= s for c in constraints)]
        for s in sorted(maximal, key=lambda s: (-len(s), _figures(s))):
            if s != frozenset({"W", "p"}):
                groups.append(_hold_group(test, row, s, _mask_of(constraints, s, shape), ms, ks, len(groups) + 1))
    return groups, whole


def _present(test: ReportedTest, name: str) -> bool:
    value = getattr(test, name)
    return bool(value) if isinstance(value, list) else value is not None


def _reconstruction(test: ReportedTest, whole: np.ndarray, ms: np.ndarray, ks: np.ndarray, strict: bool = False):
    """The reconstruction of the rank data by the one engine (:mod:`repro.ranksums`, any k) over the m
    the rest of the row allows (printed m only, when printed); None when the row is outside what it
    searches."""
    from repro import limits

    k = len(test.mean_ranks)
    if k < 2 or k not in ks.tolist():
        return None
    column = whole[:, ks.tolist().index(k)]
    candidates = [int(m) for m in ms[column] if 2 <= m < limits.RANKSUMS_M_SEARCH.stop]
    if not candidates:
        return None
    from repro.ranksums import reconstruct_row

    return reconstruct_row(tuple(test.mean_ranks), test.W, test.p, m_values=candidates, ties=not strict,
                           label=test.label)


def _choose_mk(test: ReportedTest, whole: np.ndarray, ms: np.ndarray, ks: np.ndarray, options: AuditOptions):
    """The (m, k) the cells are recomputed at: among those the whole row allows, the first (smallest m,
    then k) at which the recomputed p, W and chi2 round to the printed ones, else the first allowed."""
    from scipy.special import chdtrc

    idx = np.argwhere(whole)
    M = ms[idx[:, 0]].astype(float)
    K = ks[idx[:, 1]].astype(float)
    score = np.zeros(len(idx))
    if test.W is not None and test.p is not None and not options.exact_p:
        point = chdtrc(K - 1, M * (K - 1) * float(test.W.number))
        score += (point >= float(test.p.lo) - 1e-12) & (point <= float(test.p.hi) + 1e-12)
    if test.W is not None and test.chi2 is not None:
        point = M * (K - 1) * float(test.W.number)
        score += (point >= float(test.chi2.lo) - 1e-9) & (point <= float(test.chi2.hi) + 1e-9)
    best = int(np.argmax(score)) if len(idx) else 0
    order = np.lexsort((K, M, -score))
    best = int(order[0]) if len(idx) else best
    return int(M[best]), int(K[best])


def _new_cell(table: str, row: str, column: str, pr: Printed | None, text: str | None = None) -> Cell:
    return Cell(table=table, row=row, column=column, published=pr.text if pr is not None else (text or ""),
                value=float(pr.number) if pr is not None and pr.is_number else None,
                decimals=max(0, pr.decimals) if pr is not None else 0, layer="recomputed",
                status="not_checkable", reason=Reason("reason.audit_alone", {}))


def _set(c: Cell, printed: Printed, point: float, lo: float, hi: float, reason: Reason,
         assumptions: list | None = None) -> None:
    j = judge(printed, point, lo, hi)
    c.reproduced, c.nearest, c.reason = point, j.nearest, reason
    # the row holds at this (m, k), so the printed value is at worst within the rounding of the others
    c.status = j.status if j.status != "inconsistent" else "within_rounding"
    c.assumptions = list(assumptions or [])


def _cells_at(test: ReportedTest, table: str, row: str, mk: tuple[int, int], options: AuditOptions,
              constraints: list[Constraint], present: list[str], ms, ks, recon, strict: bool) -> list[Cell]:
    """Cells of a row that holds, recomputed at (m, k)."""
    from repro import limits
    from repro.kendall import chi2_isf, chi2_sf

    m, k = mk
    fitted = [] if (test.m is not None and (test.k is not None or test.df is not None or test.mean_ranks
                                            or test.rank_sums)) else [Assumption.of("fitted_mk", m=m, k=k)]
    asym = [] if options.exact_p else [Assumption.of("p_asymptotic")]
    cells: list[Cell] = []
    shape = (ms.size, ks.size)
    W, p, chi2 = test.W, test.p, test.chi2
    for name in ("m", "k"):
        pr = getattr(test, name)
        if pr is None:
            continue
        c = _new_cell(table, row, name, pr)
        rest = _mask_of(constraints, frozenset(present) - {name}, shape)
        allowed = ms[rest.any(axis=1)] if name == "m" else ks[rest.any(axis=0)]
        grid = ms if name == "m" else ks
        # implied only when the others bound it within the search (a bare m >= 4 from chi2 <= m(k-1) is not)
        search_top = (options.m_search or (0, limits.M_RANGE.stop - 1))[1] if name == "m" else \
            (options.k_search or (0, limits.K_RANGE.stop - 1))[1]
        layout = _layout_k(test) if name == "k" and options.layout_k else None
        if layout is not None and allowed.tolist() == [layout]:  # the number of mean ranks / rank sums is k
            c.status, c.reproduced, c.nearest = "reproduced", float(pr.number), float(pr.number)
            c.reason = Reason("reason.audit_implied", {"column": name, "values": str(layout)})
        elif len(allowed) and len(allowed) < len(grid) and (allowed.max() < search_top or len(allowed) == 1):
            c.status, c.reproduced, c.nearest = "reproduced", float(pr.number), float(pr.number)
            c.reason = Reason("reason.audit_implied", {"column": name, "values": _ranges_text(allowed)})
        else:
            c.reason = Reason("reason.audit_free", {"column": name})
        cells.append(c)
    if test.df is not None:
        c = _new_cell(table, row, "df", test.df)
        if test.k is not None or test.mean_ranks or test.rank_sums:
            _set(c, test.df, float(k - 1), float(k - 1), float(k - 1), Reason("reason.audit_df", {"k": k}))
        else:
            c.reason = Reason("reason.audit_df_only", {"k": k})
        cells.append(c)
    if recon is not None and recon.solutions:
        first = recon.solutions[0]
        key, params = recon.reason(_ranges_text)  # counted, listed, cut by a cap, or one witness per m
        fields = [(f"mean_rank_{j}", pr) for j, pr in enumerate(test.mean_ranks, start=1)] + [("W", W), ("p", p)]
        for index, (name, pr) in enumerate(fields):
            c = _new_cell(table, row, name, pr)
            c.layer, c.status = "reconstructed", "reproduced"
            c.reproduced = c.nearest = float(first.statistics[index])
            c.reason = Reason(key, params)
            c.assumptions = [Assumption.of("ties_allowed")] + asym
            cells.append(c)
        done = {"W", "p", "mean_ranks"}
    else:
        done = set()
    if W is not None and "W" not in done:
        c = _new_cell(table, row, "W", W)
        if p is not None and not options.exact_p:
            point, lo, hi = _W_interval_from_p(p, m, k)
            _set(c, W, point, lo, hi, Reason("reason.W_from_p", {"m": m, "k": k, "df": k - 1, "p": _shown(p), "W": point,
                                                                 "lo": lo, "hi": hi}), fitted + asym)
        elif chi2 is not None and not options.chi2_uncorrected:
            f = m * (k - 1)
            _set(c, W, float(chi2.number) / f, max(0.0, float(chi2.lo)) / f, float(chi2.hi) / f,
                 Reason("reason.audit_W_from_chi2", {"m": m, "k": k, "chi2": _shown(chi2), "W": float(chi2.number) / f}),
                 fitted)
        elif strict and test.mean_ranks:
            least, most = w_uncorrected_bounds([_interval(r) for r in test.mean_ranks])
            c_ = (k + 1) / 2
            point = 12.0 * sum((float(r.number) - c_) ** 2 for r in test.mean_ranks) / (k ** 3 - k)
            _set(c, W, point, least, most, Reason("reason.audit_W_from_ranks", {"W": point}),
                 [Assumption.of("strict_rankings")])
        cells.append(c)
    if p is not None and "p" not in done:
        c = _new_cell(table, row, "p", p)
        if options.exact_p:
            c.reason = Reason("reason.audit_exact_p", {})
        elif W is not None:
            point, lo, hi = _p_interval(W, m, k)
            _set(c, p, point, lo, hi, Reason("reason.p_from_W", {"m": m, "k": k, "df": k - 1, "W": _shown(W),
                                                                 "p": point, "lo": lo, "hi": hi}), fitted + asym)
        elif chi2 is not None:
            point = chi2_sf(float(chi2.number), k - 1)
            lo = chi2_sf(float(chi2.hi), k - 1)
            hi = chi2_sf(max(0.0, float(chi2.lo)), k - 1)
            _set(c, p, point, lo, hi, Reason("reason.audit_p_from_chi2", {"chi2": _shown(chi2), "df": k - 1, "p": point,
                                                                         "lo": lo, "hi": hi}), asym)
        cells.append(c)
    if chi2 is not None:
        c = _new_cell(table, row, "chi2", chi2)
        f = m * (k - 1)
        if W is not None and not options.chi2_uncorrected:
            point = f * float(W.number)
            _set(c, chi2, point, f * max(0.0, float(W.lo)), f * min(1.0, float(W.hi)),
                 Reason("reason.chi2_from_W", {"m": m, "k": k, "chi2": point}), fitted)
        elif p is not None and not options.exact_p and W is None:
            p_hi = min(1.0, float(p.hi))
            p_lo = max(1e-300, float(p.lo))
            point = chi2_isf(min(max(float(p.number), 1e-300), 1.0), k - 1)
            _set(c, chi2, point, chi2_isf(p_hi, k - 1), chi2_isf(p_lo, k - 1),
                 Reason("reason.audit_chi2_from_p", {"p": _shown(p), "df": k - 1, "chi2": point}), asym)
        cells.append(c)
    if "mean_ranks" not in done:
        for j, pr in enumerate(test.mean_ranks, start=1):
            c = _new_cell(table, row, f"mean_rank_{j}", pr)
            c.reason = Reason("reason.rank_attainable", {"m": m})
            cells.append(c)
    for j, pr in enumerate(test.rank_sums, start=1):
        c = _new_cell(table, row, f"rank_sum_{j}", pr)
        c.reason = Reason("reason.audit_sums_fit", {"m": m})
        cells.append(c)
    return cells


def _ties_needed(test: ReportedTest, strict: bool) -> dict | None:
    """Mean ranks with a W above their uncorrected W need ties: W = W_unc / (1 - sum T / (m (k^3 - k))), so
    the raters' ties total, per rater on average, sum_i T_i / m >= (k^3 - k)(1 - W_unc / W) (T = sum of
    t^3 - t over tie groups), at the least W_unc and the largest W the rounding allows. None when no tie is
    needed, or under strict rankings (then the set fails instead)."""
    if strict or test.W is None or len(test.mean_ranks) < 2:
        return None
    k = len(test.mean_ranks)
    least, most = w_uncorrected_bounds([_interval(r) for r in test.mean_ranks])
    per_rater = ties_per_rater_needed(k, most, max(0.0, float(test.W.lo)))
    if per_rater is None:
        return None
    return {"T": per_rater, "k": k, "W": _shown(test.W), "w_unc": most}


def ties_per_rater_needed(k: int, w_unc: float, w: float) -> float | None:
    """The least average tie total per rater, sum_i T_i / m, that lifts an uncorrected W to W.

    Formula: W = W_unc / (1 - sum T / (m (k^3 - k))), T = sum of t^3 - t over a rater's tie groups, so
    sum T / m = (k^3 - k) (1 - W_unc / W). Pass the greatest W_unc and the least W the rounding allows.
    None when no tie is needed (W <= W_unc). The one builder for ``repro audit``, ``repro scan`` and B3.

    Reference: Kendall, M. G. & Gibbons, J. D. (1990), *Rank correlation methods* (5th ed.), ch. 6; Legendre, P.
    (2005), JABES 10(2), 226-245, https://doi.org/10.1198/108571105X46642.

    Examples
    --------
    Paper 004, Table 3, row 6: W_unc <= 0,4375 and W = 0,6 (0,55 at least): (27 - 3)(1 - 0,4375 / 0,55) = 4,91.

    >>> round(ties_per_rater_needed(3, 0.4375, 0.55), 2)
    4.91
    """
    if w <= w_unc or w <= 0:
        return None
    return (k ** 3 - k) * (1 - w_unc / w)


FEASIBLE_LISTED = 200  # (m, k) pairs listed per row in the JSON; feasible_mk_count says how many there are


def audit_row(test: ReportedTest, options: AuditOptions = AuditOptions()) -> RowAudit:
    """Audit one reported Kendall/Friedman row: a pure function of the row and the options.

    Every printed figure (m, k, df, W, chi2, p, mean ranks, rank sums) is a constraint on (m, k)
    (:func:`row_constraints`); the printed m, k and df are always used. The row holds when some (m, k)
    satisfies all of them (and, for k = 3 or 4 with mean ranks, W and p, when the exhaustive
    reconstruction finds a dataset). Cells of a row that holds are recomputed at the (m, k) chosen;
    in a row that fails, the cells of each smallest failing set of figures are ``inconsistent``
    (with severity and assumptions) and no other cell is reproduced. A significance mark is judged
    against p (:func:`mark_verdict`) apart: an empty mark is unknown, never a decision error.

    Returns plain, picklable data (cells, groups, facts), so callers may run rows in parallel.

    Example
    -------
    >>> from repro.printed import parse_printed as P
    >>> r = audit_row(ReportedTest("A", m=P("12"), k=P("4"), W=P("0.31"), p=P("0.011")))
    >>> sorted({c.status for c in r.cells})
    ['reproduced']
    """
    table, row = options.table, test.label
    strict = options.strict if test.strict is None else test.strict
    ms, ks = _grid(test, options)
    constraints = row_constraints(test, options, ms, ks, strict)
    present = [f for f in FIGURES if _present(test, f)]
    groups, whole = row_groups(test, row, constraints, present, ms, ks, options)
    recon = None
    if (whole.any() and options.reconstruct and test.mean_ranks and test.W is not None and test.p is not None
            and not options.exact_p):
        recon = _reconstruction(test, whole, ms, ks, strict)
        if recon is not None:
            k = len(test.mean_ranks)
            # an m the engine left undecided is not ruled out (issue 14: undecided, never impossible)
            found = np.isin(ms, recon.m_values) | np.isin(ms, recon.undecided_m)
            searched = (ms >= recon.searched[0]) & (ms <= recon.searched[1])
            mask = np.ones((ms.size, ks.size), dtype=bool)
            mask[:, ks.tolist().index(k)] = found | ~searched
            constraints.append(Constraint("reconstruction", frozenset({"W", "p", "mean_ranks"}), mask,
                                          Reason("reason.audit_no_dataset", {"lo": recon.searched[0],
                                                                             "hi": recon.searched[1]}),
                                          (Assumption.of("ties_allowed"), Assumption.of("p_asymptotic"))))
            if not recon.solutions or not found.any():
                groups, whole = row_groups(test, row, constraints, present, ms, ks, options)
    declared = None
    if options.exact_p and strict:  # the paper's p is exact and its rankings strict: check W–p exactly
        declared = _exact_untied_reading(test, constraints, ms, ks, options, declared=True)
        if declared is not None and not declared["holds"]:
            groups.append(Group(id=f"{row}#{len(groups) + 1}", row=row, cells=[(row, declared["stat"]), (row, "p")],
                                holds=False, conclusion=Reason(_EXACT_KEY[declared["stat"]], declared),
                                severity="assumption",
                                assumptions=[Assumption.of("p_exact"), Assumption.of("strict_rankings")]))
    ties = _ties_needed(test, strict)
    if ties is not None and _mask_of(constraints, frozenset({"W", "mean_ranks"}), whole.shape).any():
        groups.append(Group(id=f"{row}#{len(groups) + 1}", row=row,
                            cells=[(row, "W")] + [(row, c) for c in _row_cells_of(test, "mean_ranks")], holds=True,
                            conclusion=Reason("group.audit_needs_ties", ties)))
    failing = [g for g in groups if g.holds is False]
    # the exact reading only where the asymptotic one fails a set with W and p (it costs milliseconds)
    stat = "W" if test.W is not None else "chi2"
    pair_fails = any({stat, "p"} <= {c for _, c in g.cells} for g in failing)
    exact = _exact_untied_reading(test, constraints, ms, ks, options) if pair_fails else None
    if exact is not None and exact["holds"]:
        # the conclusion flips under another reading: say so (a set that holds, under that reading)
        groups.append(Group(id=f"{row}#{len(groups) + 1}", row=row, cells=[(row, exact["stat"]), (row, "p")],
                            holds=True, conclusion=Reason(_EXACT_KEY[exact["stat"]], exact)))
    if whole.any():
        if recon is not None and recon.solutions:
            mk = (recon.solutions[0].m, len(test.mean_ranks))
        else:
            mk = _choose_mk(test, whole, ms, ks, options)
        cells = _cells_at(test, table, row, mk, options, constraints, present, ms, ks, recon, strict)
        if declared is not None and declared["holds"] and test.p is not None:
            for c in cells:
                if c.column == "p":
                    _set(c, test.p, declared["p"], declared["lo"], declared["hi"],
                         Reason(_EXACT_KEY[declared["stat"]], declared),
                         [Assumption.of("p_exact"), Assumption.of("strict_rankings")])
    else:
        mk = None
        cells = []
        for name in present:
            for column, pr in zip(_row_cells_of(test, name), getattr(test, name) if isinstance(
                    getattr(test, name), list) else [getattr(test, name)]):
                cells.append(_new_cell(table, row, column, pr))
    row_reason = Reason("reason.audit_row_fails", {"groups": [g.conclusion for g in failing]}) if failing else None
    if mk is None:
        for c in cells:
            c.reason = row_reason or c.reason
    apply_groups(cells, groups, row_reason)
    # significance marks, judged against p apart from the data
    decision = mark_verdict(test.p, test.mark, options.alpha) if test.p is not None else None
    if decision:
        reason = Reason("reason.decision_error", {"p": _shown(test.p), "mark": test.mark,
                                                  "alpha": options.alpha})
        group = Group(id=f"{row}#{len(groups) + 1}", row=row, cells=[(row, "p"), (row, "mark")], holds=False,
                      conclusion=reason, severity="assumption",
                      assumptions=[Assumption.of("alpha_marks", alpha=options.alpha)])
        groups.append(group)
        for c in cells:
            if c.column == "p":
                c.groups.append(group.id)
                if c.status != "inconsistent":
                    c.reproduced = None if c.status == "reproduced" else c.reproduced
                    c.mark_inconsistent("assumption", reason, group.assumptions)
    if test.mark.strip():  # the printed mark is a cell too: recomputed from p at alpha
        c = _new_cell(table, row, "mark", None, test.mark)
        if decision:
            c.groups.append(groups[-1].id)
            c.mark_inconsistent("assumption", groups[-1].conclusion, groups[-1].assumptions)
        elif decision is False and not failing:
            c.status = "reproduced"
            c.reason = Reason("reason.audit_mark_agrees", {"mark": test.mark.strip(), "p": _shown(test.p),
                                                           "alpha": options.alpha})
            c.assumptions = [Assumption.of("alpha_marks", alpha=options.alpha)]
        elif decision is False:
            c.reason = row_reason or c.reason
        else:
            c.reason = Reason("reason.audit_mark_unknown", {"mark": test.mark.strip()})
        cells.append(c)
    mark_minimal(groups)
    for column, text in test.unreadable.items():
        c = _new_cell(table, row, column, None, text)
        c.reason = Reason("reason.audit_unreadable", {"column": column, "text": text.strip()})
        cells.append(c)
    for column, text in test.too_large.items():
        c = _new_cell(table, row, column, None, text)
        c.reason = Reason("reason.audit_too_large", {"column": column, "text": text.strip()})
        cells.append(c)
    rank_sum_ok = None
    if test.mean_ranks:
        kk = len(test.mean_ranks)
        rank_sum_ok = sum(r.lo for r in test.mean_ranks) <= Fraction(kk * (kk + 1), 2) <= sum(r.hi for r in test.mean_ranks)
    pair = pair_mask(constraints, whole.shape) if test.W is not None and test.p is not None else None
    info = {"label": row, "row": test.source_row,
            "feasible_mk": [(int(ms[i]), int(ks[j])) for i, j in np.argwhere(whole)][:FEASIBLE_LISTED],
            "feasible_mk_count": int(whole.sum()),  # the list stops at FEASIBLE_LISTED pairs; this counts all
            "mk": list(mk) if mk else None,
            "holds": bool(whole.any()) and not [g for g in groups if g.holds is False
                                                and g.conclusion.key != "reason.decision_error"],
            "m_from_W_p": _ranges_text(ms[pair.any(axis=1)]) if pair is not None else None,
            "m_from_W_p_beyond": (lambda v: {"m": v[0], "open_from": _open_ranges(*v)[1]})(
                pair_raters(test, pair, ms, ks)) if pair is not None else None,
            "rank_sum_ok": rank_sum_ok, "decision_error": decision,
            "datasets": recon.total_datasets if recon is not None else None,
            "truncated": bool(getattr(recon, "truncated", False)) if recon is not None else False,
            **(recon.summary() if recon is not None else {}),
            "strict": strict, "exact_untied_p": exact}
    # the row's verdict as its cells carry it: the engine's "impossible" means only "no dataset in the searched m
    # under this model"; a failing row's reconstruction_status is its severity (the engine's word: engine_status)
    info["row_severity"] = strongest([g.severity for g in groups if g.holds is False and g.minimal and g.severity
                                      and g.conclusion.key != "reason.decision_error"])
    # the real m at which W and p agree (asymptotic p) at the k the row fixes, as B3's rows[].wp_m_real
    fixed = set(_k_fixers(test).values())
    real = None
    if len(fixed) == 1 and min(fixed) >= 2 and test.W is not None and test.p is not None \
            and test.W.is_number and test.p.is_number:
        from repro.kendall_groups import wp_real_raters

        real = wp_real_raters(test.W, test.p, min(fixed))
    info["m_from_W_p_real"] = [real[0], real[1]] if real else None
    if recon is not None:
        info["engine_status"] = recon.status
        info["reconstruction_status"] = info["row_severity"] or recon.status
    if options.columns:
        rename = dict(options.columns)
        for c in cells:
            c.column = rename.get(c.column, c.column)
        for g in groups:
            g.cells = [(r, rename.get(col, col)) for r, col in g.cells]
    return RowAudit(cells=cells, groups=groups, info=info,
                    witness=recon.example if recon is not None and recon.solutions else None)


# the largest m per k for which the exact untied distribution takes about 0.1 s (measured 2026-11-25:
# k = 4, m = 25: 0.09 s; k = 5, m = 8: 0.10 s, m = 15: 1.7 s, m = 20: 22 s)
EXACT_READING_M = {2: 60, 3: 40, 4: 25, 5: 8}
_EXACT_KEY = {"W": "group.audit_exact_p", "chi2": "group.audit_exact_p_chi2"}


def _exact_untied_reading(test: ReportedTest, constraints, ms, ks, options: AuditOptions,
                          declared: bool = False) -> dict | None:
    """The W–p pair read with an exact p instead of the asymptotic one (rankings without ties), where the
    row fixes m and k and the exact distribution is within reach: the p at W, the p interval W's rounding
    gives, and whether the printed p meets it. None when not computed. ``declared``: the paper's p is
    declared exact and its rankings strict (``--exact-p --strict``), so this is the primary check."""
    from repro.kendall import exact_p_no_ties

    # the statistic read against p: W, or the Friedman chi2 when the row prints no W (NAG, Igor Pro and
    # StatXact-style output print chi2 with an exact p)
    stat = "W" if test.W is not None else "chi2"
    printed = test.W if test.W is not None else test.chi2
    if printed is None or test.p is None or not (declared or (not options.exact_p and options.exact_reading)):
        return None
    pair = _mask_of(constraints, frozenset(f for f in FIGURES if _present(test, f)) - {stat, "p"},
                    (ms.size, ks.size))
    fixed = np.argwhere(pair)
    if len(fixed) != 1:
        return None
    m, k = int(ms[fixed[0][0]]), int(ks[fixed[0][1]])
    if m < 2 or m > EXACT_READING_M.get(k, 0):  # within the exact recursion's reach in about 0.1 s
        return None
    # S = sum of squared deviations of the rank sums: W m^2 (k^3 - k) / 12, or chi2 m k (k + 1) / 12
    if stat == "W":
        unit = m * m * (k ** 3 - k) / 12.0
        w_lo, w_hi = _interval(printed, 0.0, 1.0)
    else:
        unit = m * k * (k + 1) / 12.0
        w_lo, w_hi = _interval(printed, 0.0, float(m * (k - 1)))
    try:
        p_lo = float(exact_p_no_ties(w_hi * unit - 1e-9, m, k))
        p_hi = float(exact_p_no_ties(w_lo * unit - 1e-9, m, k))
        point = float(exact_p_no_ties(float(printed.number) * unit - 1e-9, m, k)) if declared else None
    except Exception:  # the exact distribution is out of reach (its own budget): not computed
        return None
    holds = test.p.overlaps(min(p_lo, p_hi), max(p_lo, p_hi))
    return {"m": m, "k": k, "lo": min(p_lo, p_hi), "hi": max(p_lo, p_hi), "holds": bool(holds), "p": point,
            "stat": stat}


@dataclass
class ShareAudit:
    """Granularity of a set of reported shares that share one denominator N."""

    label: str
    shares: list[Printed]
    feasible_n: list[int]


@dataclass
class ReportedShare:
    """One reported share (a proportion k/N) as printed, with its N when printed."""

    label: str
    share: Printed | None
    n: Printed | None = None
    source_row: int | None = None
    unreadable: dict[str, str] = field(default_factory=dict)


def audit_shares(label: str, shares: list[Printed], n_max: int | None = None) -> ShareAudit:
    """Every N <= n_max for which every share equals k/N at its printed precision."""
    from repro import limits

    return ShareAudit(label=label, shares=shares,
                      feasible_n=feasible_denominators(shares, n_max or limits.N_MAX))


def _n_list(ns: list[int], shown: int = 8) -> str:
    return ", ".join(str(n) for n in ns[:shown]) + ("…" if len(ns) > shown else "") if ns else "—"


def _as_share(row) -> ReportedShare:
    if isinstance(row, ReportedShare):
        return row
    label, share, n = row
    if n is not None and not isinstance(n, Printed):
        from repro.printed import parse_printed

        n = parse_printed(str(n))
    return ReportedShare(label, share, n)


def share_cells(rows, table: str = "audit", n_max: int | None = None):
    """Cells and inferences for reported shares, grouped by N (``ReportedShare`` or ``(label, share, N)``).

    With N printed (a whole number >= 1, of any size) a share is reproduced when some k/N rounds to
    it (GRIM); the reason names the k/N nearest the printed value otherwise. Without N nothing
    recomputes the share: it is not checkable, and the reason lists the N under which every share of
    the group is k/N. An N that is not a whole number >= 1 and a share outside [0, 1] are impossible
    cells of their row; text that is not a number is that cell's ``not_checkable``.
    """
    from repro import limits
    from repro.granularity import nearest_numerator, share_numerators

    n_max = n_max or limits.N_MAX
    groups: dict = {}
    cells = []
    for raw in rows:
        r = _as_share(raw)
        for column, text in r.unreadable.items():
            c = _new_cell(table, r.label, column, None, text)
            c.reason = Reason("reason.audit_unreadable", {"column": column, "text": text.strip()})
            cells.append(c)
        if r.share is None:
            continue
        if not (float(r.share.hi) >= 0 and float(r.share.lo) <= 1):
            c = _new_cell(table, r.label, "share", r.share)
            c.mark_inconsistent("impossible", Reason("reason.audit_out_of_range",
                                                     {"column": "share", "value": _shown(r.share), "lo": 0, "hi": 1}))
            cells.append(c)
            continue
        if r.n is not None and not _is_whole(r.n, 1):
            c = _new_cell(table, r.label, "N", r.n)
            c.mark_inconsistent("impossible", Reason("reason.audit_bad_count",
                                                     {"column": "N", "value": _shown(r.n), "least": 1}))
            cells.append(c)
            c = _new_cell(table, r.label, "share", r.share)
            c.reason = Reason("reason.audit_share_bad_n", {"value": _shown(r.n)})
            cells.append(c)
            continue
        n = int(r.n.number) if r.n is not None else None
        groups.setdefault(n, []).append(r)
    feasible = {}
    for n, members in groups.items():
        result = audit_shares(f"N={n}", [m.share for m in members], n_max)
        feasible[str(n) if n else "unknown"] = result.feasible_n
        for member in members:
            share = member.share
            c = _new_cell(table, member.label, "share", share)
            if n:
                ks = share_numerators(share, n)
                nearest = nearest_numerator(share, n)
                if ks:
                    k = min(max(nearest, ks.start), ks.stop - 1)
                    c.status, c.reproduced = "reproduced", k / n
                    c.reason = Reason("reason.audit_share_fits", {"k": k, "n": n})
                else:
                    c.reproduced = nearest / n
                    c.mark_inconsistent("impossible", Reason("reason.audit_share_misfit", {
                        "n": n, "k": nearest, "value": nearest / n, "n_list": _n_list(result.feasible_n)}))
                c.nearest = c.reproduced
            else:
                c.reason = Reason("reason.audit_share_no_n", {"n_list": _n_list(result.feasible_n)})
            cells.append(c)
    return cells, {"feasible_n": feasible}


def audit_rows(tests: list[ReportedTest], options: AuditOptions = AuditOptions()) -> list[RowAudit]:
    """:func:`audit_row` for every row (in order); the CLI may map it in parallel instead."""
    return [audit_row(t, options) for t in tests]


def collect(results: list[RowAudit]):
    """(cells, groups, extra) of a whole file from its rows' audits; ``extra`` lists each row's facts
    and the (m, k) most rows share."""
    cells, groups, rows = [], [], []
    tally: dict = {}
    for r in results:
        cells.extend(r.cells)
        groups.extend(r.groups)
        rows.append(r.info)
        for mk in r.info["feasible_mk"]:
            tally[mk] = tally.get(mk, 0) + 1
    shared = min(tally, key=lambda mk: (-tally[mk], mk[0], mk[1])) if tally else None
    return cells, groups, {"rows": rows, "shared_mk": shared, "rows_consistent_at_shared_mk": tally.get(shared, 0)}


def reported_test_cells(tests: list[ReportedTest], table: str = "audit", options: AuditOptions | None = None):
    """Cells and inferences for a reviewer's reported tests (``repro audit``); groups in ``extra["groups"]``."""
    options = options or AuditOptions(table=table)
    cells, groups, extra = collect(audit_rows(tests, options))
    extra["groups"] = groups
    return cells, extra


def audit_table(kind: str, rows: list, options: AuditOptions = AuditOptions(), results: list | None = None):
    """The TableResult of ``repro audit``: tests (rows already audited may be passed as ``results``)
    or shares."""
    from repro.verdict import TableResult

    if kind == "shares":
        cells, extra = share_cells(rows, options.table)
        return TableResult(options.table, "input", [], cells, [], extra)
    cells, groups, extra = collect(results if results is not None else audit_rows(rows, options))
    return TableResult(options.table, "input", [], cells, [], extra, groups=groups)
