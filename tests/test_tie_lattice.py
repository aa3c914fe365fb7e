"""The tie lattice check of `repro audit`: a W or chi2 beside rank sums (or mean ranks) must be one that
some attainable tie total T = sum (t^3 - t) gives (repro.ranksums.rater_tie_totals / tie_totals,
repro.audit.half_sum_squares / tie_lattice_spans / _tie_lattice_constraints).

References for the arithmetic: Friedman (1937), doi:10.1080/01621459.1937.10503522 (chi2_r and its tie
correction); Kendall & Gibbons (1990), Rank Correlation Methods, ch. 6 (W corrected for ties: W = 12 S /
(m^2 (k^3 - k) - m T) = W_u / (1 - T / (m (k^3 - k))), T summed over raters). Brute force: every weak order of
k objects enumerated, midranks by scipy.stats.rankdata (independent of repro).
"""

from fractions import Fraction as F
from itertools import combinations_with_replacement, product

import numpy as np
import pytest
from scipy.stats import friedmanchisquare, rankdata

from repro.audit import AuditOptions, ReportedTest, attainable, audit_row, half_sum_squares, tie_lattice_spans
from repro.printed import parse_printed as P
from repro.ranksums import rater_tie_totals, tie_totals


def weak_orders(k: int) -> list[tuple[float, ...]]:
    """Every weak order of k objects as its midranks (scipy.stats.rankdata, 'average')."""
    seen = set()
    for levels in product(range(k), repeat=k):
        seen.add(tuple(rankdata(levels)))
    return sorted(seen)


def tie_total_of(ranks) -> int:
    """sum over tie groups of t^3 - t, from the midranks (a group = equal ranks)."""
    _, counts = np.unique(ranks, return_counts=True)
    return int(sum(t ** 3 - t for t in counts))


def chi2_corrected(sums, m: int, k: int, T: int) -> float:
    """Friedman's chi2 from rank sums, tie-corrected: (12 sum R^2 / (m k (k+1)) - 3 m (k+1)) / (1 - T / (m (k^3 - k)))."""
    unc = 12.0 * sum(r * r for r in sums) / (m * k * (k + 1)) - 3.0 * m * (k + 1)
    return unc / (1.0 - T / (m * (k ** 3 - k)))


# --- hand-computed cases -----------------------------------------------------------------------------------

def test_per_rater_tie_totals_by_hand():
    # k = 3: strict 0; one pair 2^3 - 2 = 6; all three 3^3 - 3 = 24
    assert rater_tie_totals(3) == (0, 6, 24)
    # k = 4: 1+1+1+1 -> 0; 2+1+1 -> 6; 2+2 -> 12; 3+1 -> 24; 4 -> 60
    assert rater_tie_totals(4) == (0, 6, 12, 24, 60)
    # k = 5 adds 2+3 -> 30, 4+1 -> 60, 5 -> 120 (and 2+2+1 -> 12)
    assert rater_tie_totals(5) == (0, 6, 12, 24, 30, 60, 120)
    assert all(v % 6 == 0 for k in range(2, 16) for v in rater_tie_totals(k))  # (t - 1) t (t + 1)


def test_tie_totals_of_m_raters_by_hand():
    # two raters of 3: {0, 6, 24} + {0, 6, 24} = {0, 6, 12, 24, 30, 48}; 18, 36, 42 are not sums
    assert tie_totals(2, 3).tolist() == [0, 6, 12, 24, 30, 48]
    # m = 4, k = 3 (H14): sums of 4 values from {0, 1, 4} (units of 6); 11, 14, 15 are not among them
    # (three 4s give 12, 13 or 16; two give at most 8 + 1 + 1 = 10 without a third 4)
    units = sorted(int(v) // 6 for v in tie_totals(4, 3))
    assert units == sorted({a + b + c + d for a in (0, 1, 4) for b in (0, 1, 4) for c in (0, 1, 4) for d in (0, 1, 4)})
    assert {11, 14, 15}.isdisjoint(units) and {10, 12, 13, 16} <= set(units)


def test_half_sum_squares_by_hand():
    # Gauthmath (H08): 13.5 and 10.5 exact (1 decimal), 14 and 22 at +-0.5, total 6 * 4 * 5 / 2 = 60:
    # (14, 22), (13.5, 22.5), (14.5, 21.5); 4 sum R^2 = 4 * (182.25 + 110.25) + 4 * (196 + 484) = 3890, and
    # 4 * (182.25 + 110.25 + 182.25 + 506.25) = 3924, 4 * (182.25 + 110.25 + 210.25 + 462.25) = 3860
    boxes = [(F(27, 2), F(27, 2)), (F(21, 2), F(21, 2)), (F(27, 2), F(29, 2)), (F(43, 2), F(45, 2))]
    assert half_sum_squares(boxes, F(60)).tolist() == [3860, 3890, 3924]
    # no halves add up: sums 1 and 1 with total 3
    assert half_sum_squares([(F(1), F(1)), (F(1), F(1))], F(3)).size == 0
    # too many states: undecided (None), never a finding
    assert half_sum_squares([(F(0), F(1000))] * 6, F(3000), cap=100) is None


def test_the_two_published_errors_by_hand():
    # H08: chi2_u = 3 * 3890 / 120 - 90 = 7.25; T = 114 -> 7.25 / (1 - 114/360) = 10.6098, T = 120 -> 10.875;
    # with (13.5, 22.5): 8.1, T = 90 -> 8.1 / 0.75 = 10.8 (the nearest above 10.75)
    boxes = [(F(27, 2), F(27, 2)), (F(21, 2), F(21, 2)), (F(27, 2), F(29, 2)), (F(43, 2), F(45, 2))]
    ok, below, above = attainable(tie_lattice_spans("rank_sums", boxes, 6), 10.745, 10.755)
    assert not ok and below == pytest.approx(10.6098, abs=1e-4) and above == pytest.approx(10.8)
    # the page's own ranks have T = 12: 7.25 / (1 - 12/360) = 7.5, attainable
    assert attainable(tie_lattice_spans("rank_sums", boxes, 6), 7.4999, 7.5001)[0]
    # H14: 4.5 9.5 10 (m = 4, k = 3): chi2_u = 3 * 842 / 48 - 48 = 4.625; T = 6 -> 4.625 / (1 - 6/96) = 4.9333
    boxes = [(F(9, 2), F(9, 2)), (F(19, 2), F(19, 2)), (F(19, 2), F(21, 2))]
    ok, below, above = attainable(tie_lattice_spans("rank_sums", boxes, 4), 4.645, 4.655)
    assert not ok and below == pytest.approx(4.625) and above == pytest.approx(4.93333, abs=1e-5)
    # R friedman.test RoundingTimes (H03): rank sums 53 47 32, m = 22, T = 24: 10.636 / (1 - 24/528) = 11.1429
    boxes = [(F(53), F(53)), (F(47), F(47)), (F(32), F(32))]
    assert attainable(tie_lattice_spans("rank_sums", boxes, 22), 11.1425, 11.1435)[0]


# --- brute force: the tie totals, and soundness of the whole check ----------------------------------------

@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_per_rater_totals_are_exactly_those_of_weak_orders(k):
    assert set(rater_tie_totals(k)) == {tie_total_of(w) for w in weak_orders(k)}


@pytest.mark.parametrize("m,k", [(1, 3), (2, 3), (3, 3), (4, 3), (2, 4), (3, 4)])
def test_every_allowed_tie_total_is_reached_and_none_excluded_is(m, k):
    """Every T the check allows is the tie total of some m weak orders, and no m weak orders give one it
    excludes: tie_totals(m, k) equals the set over all multisets of m weak orders."""
    orders = weak_orders(k)
    reached = {sum(tie_total_of(w) for w in data) for data in combinations_with_replacement(orders, m)}
    assert set(tie_totals(m, k).tolist()) == reached


@pytest.mark.parametrize("m,k", [(2, 3), (3, 3), (4, 3), (2, 4), (3, 4)])
def test_no_dataset_is_excluded_by_the_check(m, k):
    """Soundness (no false alarm): for every dataset of m weak orders of k objects, its tie-corrected chi2
    (and W = chi2 / (m (k - 1))) is attainable by the check, with the rank sums printed exactly, at one
    decimal, and as whole numbers (read at +-0.5), and from the mean ranks at two decimals."""
    orders = weak_orders(k)
    seen: dict[tuple, set] = {}
    for data in combinations_with_replacement(orders, m):
        sums = tuple(np.sum(data, axis=0).tolist())
        T = sum(tie_total_of(w) for w in data)
        if T < m * (k ** 3 - k):
            seen.setdefault(sums, set()).add(round(chi2_corrected(sums, m, k, T), 9))
    for sums, chis in seen.items():
        exact = [(F(s).limit_denominator(2), F(s).limit_denominator(2)) for s in sums]
        whole = [(F(round(s)) - F(1, 2), F(round(s)) + F(1, 2)) for s in sums]
        means = [(F(round(s / m, 2)) - F(1, 200), F(round(s / m, 2)) + F(1, 200)) for s in sums]
        spans = [tie_lattice_spans("rank_sums", exact, m), tie_lattice_spans("rank_sums", whole, m),
                 tie_lattice_spans("mean_ranks", means, m)]
        for chi in chis:
            for sp in spans:
                assert attainable(sp, chi - 1e-7, chi + 1e-7)[0], (sums, chi)


def test_the_corrected_formula_is_scipys():
    """chi2_corrected above (the formula the check inverts) against scipy.stats.friedmanchisquare on tied data
    (3 raters x 4 objects, ties in two raters)."""
    data = np.array([[1, 2, 2, 4], [1, 1, 3, 3], [4, 3, 2, 1]], dtype=float)
    ranks = np.array([rankdata(r) for r in data])
    sums = ranks.sum(axis=0)
    T = sum(tie_total_of(r) for r in ranks)  # 6 + 12 = 18
    assert T == 18
    assert chi2_corrected(sums, 3, 4, T) == pytest.approx(friedmanchisquare(*data.T).statistic)


# --- the audit ---------------------------------------------------------------------------------------------

def cells(test: ReportedTest, **options) -> dict:
    return {c.column: c for c in audit_row(test, AuditOptions(**options)).cells}


def test_a_finding_only_under_the_column_reading_is_an_assumption():
    """Rank sums 13.5 10.5 14 22 (m = 6, k = 4) with chi2 = 8.10: at the printed precision "14" and "22" may
    be 13.5 and 22.5 (sum 60), chi2_u = 8.1 with no ties, so the row holds. Read at the column's precision
    (14.0, 22.0: chi2_u = 7.25), 7.25 / (1 - T/360) gives 8.0556 (T = 36) or 8.2075 (T = 42), never 8.10:
    a finding under precision_column only, so severity assumption, never impossible."""
    test = ReportedTest("col", m=P("6"), k=P("4"), chi2=P("8.10"),
                        rank_sums=[P("13.5"), P("10.5"), P("14"), P("22")])
    c = cells(test)["chi2"]
    assert c.status == "inconsistent" and c.severity == "assumption", c.reason
    assert [a.key for a in c.assumptions] == ["precision_column"]
    # 8.06 is 7.25 / (1 - 36/360) = 8.0556 at two decimals: no finding under either reading
    test = ReportedTest("col", m=P("6"), k=P("4"), chi2=P("8.06"),
                        rank_sums=[P("13.5"), P("10.5"), P("14"), P("22")])
    assert cells(test)["chi2"].status != "inconsistent"


def test_a_chi2_computed_from_the_rounded_w_is_no_finding():
    """Эльяков Table 4.15 (test_audit_reference): W = 0,546 is attainable (T = 168: 0.5464), chi2 = 26,208 is
    12 * 4 * 0,546, not attainable itself (26.23): one computed from the other as printed is no finding."""
    test = ReportedTest("4.15", m=P("12"), k=P("5"), W=P("0.546"), chi2=P("26.208"),
                        rank_sums=[P("49.5"), P("38.5"), P("18"), P("27.5"), P("46.5")])
    assert not [c for c in cells(test).values() if c.status == "inconsistent"]


def test_a_chi2_declared_uncorrected_is_checked_with_no_ties():
    """--chi2-uncorrected: T = 0 only. H14 (4.5 9.5 10, m = 4): chi2_u = 4.625, so 4.65 fails, as an
    assumption (chi2_uncorrected); before, the "10" read at +-0.5 let it through even then (chi2_sums_equal
    is a continuous bound). 4.63 (4.625 to two places) holds; by default 4.65 is impossible."""
    test = ReportedTest("H14", m=P("4"), k=P("3"), chi2=P("4.65"), rank_sums=[P("4.5"), P("9.5"), P("10")])
    c = cells(test, chi2_uncorrected=True)["chi2"]
    assert c.status == "inconsistent" and c.severity == "assumption", c.reason
    assert c.reason.key == "reason.audit_untied_lattice_rank_sums"
    assert [a.key for a in c.assumptions] == ["chi2_uncorrected"]
    assert cells(test)["chi2"].reason.key == "reason.audit_ties_lattice_rank_sums"
    assert cells(test)["chi2"].severity == "impossible"
    fits = ReportedTest("H14", m=P("4"), k=P("3"), chi2=P("4.63"), rank_sums=[P("4.5"), P("9.5"), P("10")])
    assert cells(fits, chi2_uncorrected=True)["chi2"].status != "inconsistent"


def test_random_tied_datasets_round_trip_with_no_alarm():
    """200 random tied datasets (m 3-12, k 3-6), summarised as a paper prints them (rank sums as halves, W to
    3 decimals, chi2 to 2): the audit raises nothing."""
    rng = np.random.default_rng(20261125)
    for _ in range(200):
        m, k = int(rng.integers(3, 13)), int(rng.integers(3, 7))
        data = rng.integers(0, max(2, k - 1), size=(m, k))
        ranks = np.array([rankdata(r) for r in data])
        sums = ranks.sum(axis=0)
        T = sum(tie_total_of(r) for r in ranks)
        if T >= m * (k ** 3 - k):
            continue
        chi = chi2_corrected(sums, m, k, T)
        w = chi / (m * (k - 1))
        test = ReportedTest("r", m=P(str(m)), k=P(str(k)), W=P(f"{w:.3f}"), chi2=P(f"{chi:.2f}"),
                            rank_sums=[P(f"{s:g}") for s in sums])
        alarms = [(c.column, c.reason) for c in cells(test).values() if c.status == "inconsistent"]
        assert not alarms, (m, k, sums.tolist(), T, chi, alarms)
