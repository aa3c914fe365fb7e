"""The audit engine: checks any reported Kendall/Friedman result or tie share, as printed.

One code path serves ``repro audit FILE`` and the audit of paper 004's Tables 2–4.
For a reported test (label; whatever is printed of m, k, W, chi2, df, p, mean ranks,
significance mark) it finds:

* which (m, k) make W, chi2, df and p agree (chi2 = m (k-1) W, df = k-1, p = P(chi2_df >= chi2))
  at the printed precision, with every printed value moving within its rounding;
* whether the mean ranks sum to k (k+1) / 2 and for which m they are attainable (granularity);
* decision errors (statcheck): a significance mark that disagrees with p at alpha;
* for k = 3, the exhaustive reconstruction of the rank data with a count of datasets
  (:mod:`repro.reconstruct`); for k = 4, of the sufficient statistics with a witness dataset each
  (:mod:`repro.weak_orders`).

For reported shares: every N for which all shares are k/N at the printed precision.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from repro.granularity import feasible_denominators, feasible_rater_counts
from repro.printed import Printed
from repro.verdict import Cell, Reason, judge

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


@dataclass
class TestAudit:
    """What the engine established about one reported test."""

    test: ReportedTest
    feasible_mk: list[tuple[int, int]]
    rank_sum: float | None = None
    rank_sum_ok: bool | None = None
    granular_m: list[int] | None = None
    decision_error: bool | None = None
    reconstruction: object | None = None


def _p_interval(W: Printed, m: int, k: int) -> tuple[float, float, float]:
    """(p at W's point, lowest p, highest p) for W within its printed rounding."""
    from repro.kendall import friedman_p

    w_lo = max(0.0, float(W.lo))
    w_hi = min(1.0, float(W.hi))
    return friedman_p(float(W.value), m, k), friedman_p(w_hi, m, k), friedman_p(w_lo, m, k)


def _W_interval_from_p(p: Printed, m: int, k: int) -> tuple[float, float, float]:
    """(W at p's point, lowest W, highest W) inverting p = P(chi2_{k-1} >= m (k-1) W)."""
    from scipy.stats import chi2

    def w_of(pv: float) -> float:
        pv = min(max(pv, 1e-300), 1.0)
        return float(chi2.isf(pv, k - 1)) / (m * (k - 1))

    # W lies in [0, 1] whatever p allows (a p printed as "<0.001" bounds W from below only)
    return (min(1.0, w_of(float(p.value))), min(1.0, w_of(min(1.0, float(p.hi)))),
            min(1.0, w_of(max(0.0, float(p.lo)))))


def k_candidates(test: ReportedTest, k_range: range = K_RANGE) -> list[int]:
    """The k a row allows: printed k, df + 1, the number of mean ranks, else the whole range."""
    if test.k is not None and test.k.is_number:
        return [int(test.k.value)]
    if test.df is not None and test.df.is_number:
        return [int(test.df.value) + 1]
    if test.mean_ranks:
        return [len(test.mean_ranks)]
    return list(k_range)


def m_candidates(test: ReportedTest, m_range: range = M_RANGE) -> list[int]:
    if test.m is not None and test.m.is_number:
        return [int(test.m.value)]
    return list(m_range)


def mk_consistent(test: ReportedTest, m: int, k: int) -> bool:
    """Whether every printed figure of the row agrees with m raters and k items."""
    from repro.kendall import chi2_sf

    if test.W is not None and test.p is not None:
        _, p_lo, p_hi = _p_interval(test.W, m, k)
        if not test.p.overlaps(p_lo, p_hi):
            return False
    if test.W is not None and test.chi2 is not None:
        if not test.chi2.overlaps(m * (k - 1) * max(0.0, float(test.W.lo)), m * (k - 1) * float(test.W.hi)):
            return False
    if test.chi2 is not None and test.p is not None and test.W is None:
        if not test.p.overlaps(chi2_sf(float(test.chi2.hi), k - 1), chi2_sf(max(0.0, float(test.chi2.lo)), k - 1)):
            return False
    if test.mean_ranks and not feasible_rater_counts(test.mean_ranks, k, range(m, m + 1)):
        return False
    return True


def feasible_mk(test: ReportedTest, m_range: range = M_RANGE, k_range: range = K_RANGE) -> list[tuple[int, int]]:
    """Every (m, k) under which the row's printed figures agree with each other."""
    return [(m, k) for k in k_candidates(test, k_range) for m in m_candidates(test, m_range)
            if mk_consistent(test, m, k)]


def decision_error(test: ReportedTest, alpha: float = ALPHA) -> bool | None:
    """statcheck's decision error: the mark says significant and p >= alpha, or the reverse.

    None when nothing can be decided (no p, or the column prints no marks at all).
    """
    if test.p is None or not test.p.is_number:
        return None
    significant = float(test.p.hi) < alpha if test.p.comparator == "<" else float(test.p.value) < alpha
    marked = bool(test.mark)
    return marked != significant


def audit_test(test: ReportedTest, m_range: range = M_RANGE, k_range: range = K_RANGE,
               marks_used: bool = True, reconstruct: bool = True) -> TestAudit:
    """All checks of one reported test; see the module docstring."""
    result = TestAudit(test=test, feasible_mk=feasible_mk(test, m_range, k_range))
    if test.mean_ranks:
        k = len(test.mean_ranks)
        lo = sum(float(r.lo) for r in test.mean_ranks)
        hi = sum(float(r.hi) for r in test.mean_ranks)
        result.rank_sum = float(sum(r.value for r in test.mean_ranks))
        result.rank_sum_ok = lo - 1e-12 <= k * (k + 1) / 2 <= hi + 1e-12
        result.granular_m = feasible_rater_counts(test.mean_ranks, k, m_range)
        if reconstruct and k == 3 and test.W is not None and test.p is not None:
            from repro.reconstruct import reconstruct_row

            result.reconstruction = reconstruct_row(tuple(test.mean_ranks), test.W, test.p,
                                                    m_values=range(max(2, m_range.start), min(60, m_range.stop - 1) + 1),
                                                    label=test.label)
        elif reconstruct and k == 4 and test.W is not None and test.p is not None:
            from repro.weak_orders import M4_MAX, reconstruct_row_weak

            result.reconstruction = reconstruct_row_weak(
                tuple(test.mean_ranks), test.W, test.p,
                m_values=range(max(2, m_range.start), min(M4_MAX, m_range.stop - 1) + 1), label=test.label)
    if marks_used:
        result.decision_error = decision_error(test)
    return result


def best_shared_mk(audits: list[TestAudit]) -> tuple[tuple[int, int] | None, int]:
    """The (m, k) under which most rows are consistent (ties: smallest m, then k), and how many."""
    tally: dict[tuple[int, int], int] = {}
    for a in audits:
        for mk in a.feasible_mk:
            tally[mk] = tally.get(mk, 0) + 1
    if not tally:
        return None, 0
    best = min(tally, key=lambda mk: (-tally[mk], mk[0], mk[1]))
    return best, tally[best]


def test_cells(audit: TestAudit, table: str, row: str, mk: tuple[int, int] | None,
               columns: dict[str, str] | None = None) -> list[Cell]:
    """Cells of one reported test judged at (m, k): p from W, W from p, chi2 from W, marks.

    ``columns`` renames the fields (``W``, ``p``, ``chi2``, ``mean_rank_j``) to table columns.
    """
    columns = columns or {}
    test = audit.test
    cells: list[Cell] = []

    def cell(field_name: str, printed: Printed) -> Cell:
        return Cell(table=table, row=row, column=columns.get(field_name, field_name), published=printed.text,
                    value=float(printed.value) if printed.is_number else None, decimals=printed.decimals)

    recon = audit.reconstruction
    if recon is not None:
        return _reconstruction_cells(audit, table, row, columns, cell)
    if mk is None:
        for name, pr in (("W", test.W), ("chi2", test.chi2), ("p", test.p)):
            if pr is not None:
                c = cell(name, pr)
                c.status, c.layer = "inconsistent", "recomputed"
                c.reason = Reason("reason.no_mk")
                cells.append(c)
        return cells
    m, k = mk
    if test.W is not None and test.p is not None:
        point, lo, hi = _p_interval(test.W, m, k)
        c = cell("p", test.p)
        j = judge(test.p, point, lo, hi)
        c.reproduced, c.status, c.nearest, c.layer = point, j.status, j.nearest, "recomputed"
        c.reason = Reason("reason.p_from_W", {"m": m, "k": k, "df": k - 1, "W": test.W.text,
                                                          "p": point, "lo": lo, "hi": hi})
        _apply_decision(audit, c)
        cells.append(c)
        point, lo, hi = _W_interval_from_p(test.p, m, k)
        c = cell("W", test.W)
        j = judge(test.W, point, lo, hi)
        c.reproduced, c.status, c.nearest, c.layer = point, j.status, j.nearest, "recomputed"
        c.reason = Reason("reason.W_from_p", {"m": m, "k": k, "df": k - 1, "p": test.p.text,
                                                          "W": point, "lo": lo, "hi": hi})
        cells.append(c)
    if test.chi2 is not None and test.W is not None:
        point = m * (k - 1) * float(test.W.value)
        c = cell("chi2", test.chi2)
        j = judge(test.chi2, point, m * (k - 1) * float(test.W.lo), m * (k - 1) * float(test.W.hi))
        c.reproduced, c.status, c.nearest, c.layer = point, j.status, j.nearest, "recomputed"
        c.reason = Reason("reason.chi2_from_W", {"m": m, "k": k, "chi2": point})
        cells.append(c)
    for j_index, pr in enumerate(test.mean_ranks, start=1):
        c = cell(f"mean_rank_{j_index}", pr)
        c.layer = "recomputed"
        if audit.rank_sum_ok is False:
            c.status, c.reason = "inconsistent", Reason("reason.rank_sum", {"sum": audit.rank_sum,
                                                                              "expected": k * (k + 1) / 2})
        elif audit.granular_m is not None and m not in audit.granular_m:
            c.status, c.reason = "inconsistent", Reason("reason.rank_granularity", {"m": m})
        else:
            c.status, c.reason = "not_checkable", Reason("reason.rank_attainable", {"m": m})
        cells.append(c)
    return cells


def _apply_decision(audit: TestAudit, c: Cell) -> None:
    if audit.decision_error:
        c.status = "inconsistent"
        c.reason = Reason("reason.decision_error", {"p": audit.test.p.text, "mark": audit.test.mark or "—",
                                                     "alpha": ALPHA})


def _reconstruction_cells(audit: TestAudit, table: str, row: str, columns: dict[str, str], cell) -> list[Cell]:
    test = audit.test
    recon = audit.reconstruction
    fields = [(f"mean_rank_{j}", pr) for j, pr in enumerate(test.mean_ranks, start=1)] + [("W", test.W), ("p", test.p)]
    cells = []
    if recon.solutions:
        first = recon.solutions[0]
        for index, (name, pr) in enumerate(fields):
            c = cell(name, pr)
            c.layer, c.status = "reconstructed", "reproduced"
            c.reproduced = first.statistics[index]
            c.nearest = c.reproduced
            params = {"count": recon.total_datasets, "m_values": ", ".join(map(str, recon.m_values)),
                      "lo": recon.searched[0], "hi": recon.searched[1], "solutions": len(recon.solutions)}
            # k = 3 counts the datasets; larger k proves one exists for each solution (integer program)
            key = "reason.reconstructed" if recon.total_datasets is not None else "reason.reconstructed_witness"
            c.reason = Reason(key, params)
            if name == "p":
                _apply_decision(audit, c)
            cells.append(c)
        return cells
    best = recon.closest
    for index, (name, pr) in enumerate(fields):
        c = cell(name, pr)
        c.layer = "reconstructed"
        value = best.statistics[index] if best else None
        c.reproduced = value
        c.nearest = value
        if value is not None and pr.contains(value):
            c.status = "reproduced"
            c.reason = Reason("reason.closest_match", {"m": best.m, "lo": recon.searched[0], "hi": recon.searched[1]})
        else:
            c.status = "inconsistent"
            c.reason = Reason("reason.closest_miss", {"m": best.m if best else None, "value": value,
                                                       "lo": recon.searched[0], "hi": recon.searched[1]})
        if name == "p":
            _apply_decision(audit, c)
        cells.append(c)
    return cells


@dataclass
class ShareAudit:
    """Granularity of a set of reported shares that share one denominator N."""

    label: str
    shares: list[Printed]
    feasible_n: list[int]


def audit_shares(label: str, shares: list[Printed], n_max: int = 200) -> ShareAudit:
    """Every N <= n_max for which every share equals k/N at its printed precision."""
    return ShareAudit(label=label, shares=shares, feasible_n=feasible_denominators(shares, n_max))



def _n_list(ns: list[int], shown: int = 8) -> str:
    return ", ".join(str(n) for n in ns[:shown]) + ("…" if len(ns) > shown else "") if ns else "—"


def share_cells(rows: list[tuple[str, Printed, int | None]], table: str = "audit", n_max: int = 200):
    """Cells and inferences for reported shares ``(label, share, N or None)``, grouped by N.

    With N printed a share is reproduced when some k/N rounds to it (GRIM); the reason names
    the nearest k/N otherwise. Without N nothing recomputes the share: it is not checkable,
    and the reason lists the N under which every share of the group is k/N.
    """
    from repro.granularity import share_numerators
    from repro.verdict import Cell, Reason

    groups: dict = {}
    for label, share, n in rows:
        groups.setdefault(n, []).append((label, share))
    cells, feasible = [], {}
    for n, members in groups.items():
        result = audit_shares(f"N={n}", [s for _, s in members], n_max)
        feasible[str(n) if n else "unknown"] = result.feasible_n
        for label, share in members:
            if n:
                ks = share_numerators(share, n)
                nearest = round(float(share.value) * n)
                status = "reproduced" if ks else "inconsistent"
                reason = Reason("reason.audit_share_fits", {"k": ks[0], "n": n}) if ks else \
                    Reason("reason.audit_share_misfit", {"n": n, "k": nearest, "value": nearest / n,
                                                         "n_list": _n_list(result.feasible_n)})
                reproduced = (ks[0] if ks else nearest) / n
            else:
                status, reproduced = "not_checkable", None
                reason = Reason("reason.audit_share_no_n", {"n_list": _n_list(result.feasible_n)})
            cells.append(Cell(table, label, "share", share.text, float(share.value), reproduced=reproduced,
                              status=status, reason=reason, layer="recomputed", decimals=share.decimals))
    return cells, {"feasible_n": feasible}


def reported_test_cells(tests: list[ReportedTest], table: str = "audit"):
    """Cells and inferences for a reviewer's reported tests (``repro audit``).

    Each row is judged at its printed (m, k) when both are printed, else at the first
    consistent (m, k); the inferences list every consistent (m, k) and the (m, k) most rows share.
    """
    audits = [audit_test(t) for t in tests]
    cells, rows = [], []
    for a in audits:
        chosen = a.feasible_mk[0] if a.feasible_mk else None
        if a.test.m is not None and a.test.k is not None:
            chosen = (int(a.test.m.value), int(a.test.k.value))
        cells.extend(test_cells(a, table, a.test.label, chosen))
        rows.append({"label": a.test.label, "feasible_mk": a.feasible_mk, "rank_sum_ok": a.rank_sum_ok,
                     "granular_m": a.granular_m, "decision_error": a.decision_error,
                     "datasets": a.reconstruction.total_datasets if a.reconstruction else None})
    shared, n = best_shared_mk(audits)
    return cells, {"rows": rows, "shared_mk": shared, "rows_consistent_at_shared_mk": n}
