"""The faster bodies behind ``repro scan`` (issue 16 item 6) give exactly what the code they replaced gave.

Each test runs the former body (copied here as the slow reference) beside the current function on many
printed values; equality is exact (same lists, same ints, same booleans).
"""
from __future__ import annotations

import math
import random

import numpy as np
import pytest

from repro.printed import parse_printed as P


def _printed_values(rng: random.Random, n: int) -> list:
    out = []
    for _ in range(n):
        d = rng.choice([0, 1, 2, 3, 4])
        out.append(P(f"{rng.random() * rng.choice([1, 3, 5]):.{d}f}".replace(".", rng.choice([".", ","]))))
    return out


def _wp_feasible_mk_per_k(W, p, m_range, k_range):
    """The former wp_feasible_mk: one chi-square tail per k."""
    from scipy.special import chdtrc

    w_lo, w_hi = max(0.0, float(W.lo)), min(1.0, float(W.hi))
    ms = np.arange(m_range.start, m_range.stop, dtype=float)
    out = []
    top, bottom = float(p.hi) + 1e-12, float(p.lo) - 1e-12
    for k in k_range:
        df = k - 1
        p_lo = chdtrc(df, ms * df * w_hi)
        p_hi = chdtrc(df, ms * df * w_lo)
        out.extend((m_range.start + int(i), k) for i in np.flatnonzero((p_lo <= top) & (p_hi >= bottom)))
    return sorted(out, key=lambda mk: (mk[1], mk[0]))


def test_wp_feasible_mk_one_grid_equals_one_tail_per_k():
    from repro.kendall_groups import wp_feasible_mk
    from repro.limits import K_RANGE, M_RANGE

    rng = random.Random(16)
    nonempty = 0
    for _ in range(600):
        W = P(f"{rng.random():.{rng.choice([1, 2, 3])}f}")
        p = P(rng.choice([f"{rng.random() ** 3:.3f}", "0.000", "0.05", "1.00", "<0.001", "0,5"]))
        for m_range, k_range in ((M_RANGE, None), (range(2, 300), range(3, 4)), (range(5, 9), range(2, 7))):
            got = wp_feasible_mk(W, p, m_range, k_range)
            assert got == _wp_feasible_mk_per_k(W, p, m_range, k_range or K_RANGE)
            assert all(type(m) is int and type(k) is int for m, k in got)
            nonempty += bool(got)
    assert nonempty > 100  # the comparison is not between empty lists only


def _grain_mask_fractions(ranks, ms, strict):
    """The former audit._grain_mask: a Fraction rank_sum_bounds per rank per m."""
    k = len(ranks)
    step = 1 if strict else 2
    out = np.zeros(ms.size, dtype=bool)
    for i, m in enumerate(ms.tolist()):
        bounds = [(math.ceil(r.lo * m * step), math.floor(r.hi * m * step)) for r in ranks]
        if any(lo > hi for lo, hi in bounds):
            continue
        target = m * k * (k + 1) // 2 * step
        out[i] = sum(lo for lo, _ in bounds) <= target <= sum(hi for _, hi in bounds)
    return out


@pytest.mark.parametrize("strict", [False, True])
def test_grain_mask_is_feasible_rater_counts(strict):
    from repro.audit import _grain_mask

    rng = random.Random(3 + strict)
    ms = np.array([1, 2, 3, 5, 8, 12, 13, 20, 36, 59, 60, 120], dtype=np.int64)
    hits = 0
    for _ in range(400):
        k = rng.choice([2, 3, 4, 5])
        # mean ranks of real rankings (some rows hit), rounded, or random values (most miss)
        m = rng.choice([3, 5, 12, 13, 20])
        if rng.random() < 0.5:
            sums = np.zeros(k)
            for _ in range(m):
                sums += np.array(rng.sample(range(1, k + 1), k), dtype=float)
            ranks = [P(f"{s / m:.{rng.choice([1, 2])}f}") for s in sums]
        else:
            ranks = [P(f"{rng.uniform(1, k):.2f}") for _ in range(k)]
        got = _grain_mask(ranks, ms, strict)
        assert got.dtype == bool and got.shape == ms.shape
        assert np.array_equal(got, _grain_mask_fractions(ranks, ms, strict))
        hits += int(got.sum())
    assert hits > 50


def test_pair_raters_cached_equals_fresh_grid():
    """pair_raters (the W-p tail grid kept per (W, p, k)) answers as the former per-call grid."""
    from scipy.special import chdtrc

    from repro.audit import ReportedTest, pair_raters

    rng = random.Random(5)
    ks = np.arange(2, 16, dtype=np.int64)
    ms = np.arange(2, 61, dtype=np.int64)
    for _ in range(150):
        W, p = P(f"{rng.random():.2f}"), P(rng.choice([f"{rng.random() ** 2:.3f}", "0.000", "1.00"]))
        test = ReportedTest("r", W=W, p=p)
        mask = np.zeros((ms.size, ks.size), dtype=bool)
        mask[:, rng.sample(range(ks.size), rng.choice([1, 2, 14]))] = True
        top = rng.choice([60, 2000])
        k_values = ks[mask.any(axis=0)]
        M = np.arange(2, top + 1, dtype=float)[:, None]
        K = k_values[None, :].astype(float)
        w_lo, w_hi = max(0.0, float(W.lo)), min(1.0, float(W.hi))
        ok = ((chdtrc(K - 1, M * (K - 1) * w_hi) <= float(p.hi) + 1e-12)
              & (chdtrc(K - 1, M * (K - 1) * w_lo) >= float(p.lo) - 1e-12)).any(axis=1)
        values = [int(m) for m in M[ok, 0]]
        for _ in range(2):  # the second call comes from the cache
            got = pair_raters(test, mask, ms, ks, top)
            assert got == (values, bool(values) and values[-1] == top)
            got[0].append(-1)  # a caller changing its list does not change the cache


def test_tie_totals_copy_is_fresh():
    from repro.ranksums import tie_totals

    first = tie_totals(4, 3)
    first[0] = 99
    assert tie_totals(4, 3).tolist()[0] == 0
    assert tie_totals(2, 3).tolist() == [0, 6, 12, 24, 30, 48]


def test_wp_agree_grid_equals_both_tails_everywhere():
    """The second tail computed only where the first condition holds gives the mask of both tails computed
    everywhere (both branches: few elements hold, most hold)."""
    from scipy.special import chdtrc

    from repro.kendall_groups import wp_agree_grid

    rng = random.Random(11)
    branches = set()
    for _ in range(300):
        top = rng.choice([60, 2000])
        M = np.arange(2, top + 1, dtype=float)[:, None]
        K = np.array(sorted(rng.sample(range(2, 16), rng.choice([1, 3, 14]))), dtype=float)[None, :]
        w_lo = rng.random() * rng.choice([0.1, 1.0])
        w = (w_lo, min(1.0, w_lo + rng.choice([0.0, 0.005, 0.05])))
        p_lo = rng.random() ** rng.choice([1, 4])
        p = rng.choice([(p_lo, min(1.0, p_lo + 0.0005)), (0.0, 0.0005), (0.0, 1.0)])
        expected = (chdtrc(K - 1, M * (K - 1) * w[1]) <= p[1] + 1e-12) & (chdtrc(K - 1, M * (K - 1) * w[0]) >= p[0] - 1e-12)
        got = wp_agree_grid(K - 1, M * (K - 1), w, p)
        assert got.shape == expected.shape and np.array_equal(got, expected)
        first = (chdtrc(K - 1, M * (K - 1) * w[0]) >= p[0] - 1e-12).mean()
        branches.add("most" if first > 0.5 else "few" if first > 0 else "none")
    assert branches == {"most", "few", "none"}


def _open_ranges_walk(values, open_end):
    """The former audit._open_ranges: a walk down the set of values."""
    from repro.audit import _ranges_text

    if not open_end:
        return _ranges_text(values), None
    start = values[-1]
    present = set(values)
    while start - 1 in present:
        start -= 1
    return _ranges_text([v for v in values if v < start]), start


def test_open_ranges_equals_the_walk():
    from repro.audit import _open_ranges

    rng = random.Random(2)
    cases = [[5], [2, 3, 4], [2, 4, 5, 6], [7, 3, 4, 5], [3, 3, 4], [2, 9, 10, 2000], list(range(2, 2001))]
    for _ in range(300):
        n = rng.randint(1, 60)
        values = sorted(rng.sample(range(2, 200), n)) if rng.random() < 0.7 else [rng.randint(2, 50) for _ in range(n)]
        if rng.random() < 0.5:
            values += list(range(values[-1] + rng.choice([1, 2]), values[-1] + rng.randint(2, 40)))
        cases.append(values)
    for values in cases:
        for open_end in (False, True):
            got = _open_ranges(values, open_end)
            assert got == _open_ranges_walk(values, open_end)
            assert got[1] is None or type(got[1]) is int


def test_parse_printed_value_is_int_part_plus_fraction():
    """parse_printed builds the value as one Fraction(int+frac digits, 10^d); the former sum of two
    Fractions gives the same exact value in the same lowest terms."""
    from fractions import Fraction

    rng = random.Random(7)
    for _ in range(3000):
        int_part = str(rng.randint(0, 10 ** rng.randint(0, 6)))
        frac_part = str(rng.randint(0, 10 ** rng.randint(0, 8))).zfill(rng.randint(0, 6)) if rng.random() < 0.8 else ""
        text = int_part + ("," + frac_part if frac_part else "")
        value = P(text).value
        former = Fraction(int(int_part)) + (Fraction(int(frac_part), 10 ** len(frac_part)) if frac_part else 0)
        assert value == former and (value.numerator, value.denominator) == (former.numerator, former.denominator)
        assert P(text).decimals == len(frac_part)


def test_long_pdf_read_by_two_processes_gives_the_same_lines(tmp_path, monkeypatch):
    """A PDF of several pages read with jobs=2 (a forked child extracts the later half) gives the lines of
    jobs=1, page numbers included; the child path is taken where fork and a second core exist."""
    import html

    from weasyprint import HTML

    from repro import processes
    from repro.scan import readers

    pages = [f"Кесте {i}. Келісім коэффициенті W = 0,{40 + i}; p &lt; 0,001; n = {10 + i} сарапшы. Page {i}"
             for i in range(1, 7)]
    path = tmp_path / "six.pdf"
    HTML(string="<html><body>" + "<div style='page-break-after: always'></div>".join(
        f"<p>{html.escape(p).replace('&amp;lt;', '&lt;')}</p>" for p in pages) + "</body></html>").write_pdf(str(path))
    started = []

    class Counted(processes.InChild):
        def __init__(self, compute):
            started.append(1)
            super().__init__(compute)

    monkeypatch.setattr(processes, "InChild", Counted)
    one = readers.read_document(str(path), jobs=1)
    assert not started
    two = readers.read_document(str(path), jobs=2)
    assert started and one.lines == two.lines and one.pages == two.pages == 6
    assert [ln.page for ln in two.lines if ln.text.startswith("Кесте")] == list(range(1, 7))


def test_dump_json_is_json_dumps_of_finite():
    """commands._common.dump_json writes in one walk what json.dumps(_finite(obj), indent=2) writes, and hands
    anything else (non-string keys, other objects) to json.dumps with its errors."""
    import json

    from commands._common import _finite, dump_json

    def reference(o):
        return json.dumps(_finite(o), ensure_ascii=False, indent=2, sort_keys=False, allow_nan=False)

    rng = random.Random(19)
    leaves = [None, True, False, 0, -3, 10 ** 20, 1.5, -0.0, 0.1, 1e-7, 1e300, float("nan"), float("inf"),
              -float("inf"), np.float64(0.3), "", "ә і\n\"\t\x00 ‘’ 𝟘", "<&>", "\u2028"]

    def gen(depth=0):
        r = rng.random()
        if depth > 4 or r < 0.35:
            return rng.choice(leaves + [rng.random(), rng.randint(-10 ** 6, 10 ** 6), str(rng.random())])
        if r < 0.6:
            return [gen(depth + 1) for _ in range(rng.randint(0, 4))]
        if r < 0.7:
            return tuple(gen(depth + 1) for _ in range(rng.randint(0, 3)))
        return {rng.choice(["k", "ключ", 'a"b', ""]) + str(i): gen(depth + 1) for i in range(rng.randint(0, 4))}

    for _ in range(3000):
        o = gen()
        assert dump_json(o) == reference(o)
    for o in ({1: 2}, {None: [1]}, {"a": {1.5: 2}}, {"a": (1, {2: 3})}):  # non-string keys: json.dumps itself
        assert dump_json(o) == reference(o)
    with pytest.raises(TypeError):
        dump_json({"a": [object()]})


def test_jsonable_fast_path_equals_former():
    """contract._jsonable returns str, int, bool and None as they are before its other checks; the result is
    the former function's, also for the verdict objects it renders and NaN."""
    from repro.contract import _jsonable
    from repro.verdict import Assumption, Reason

    def former(value, lang="en"):
        from repro.contract import assumption_json
        from repro.labels import text_of

        if isinstance(value, Assumption):
            return assumption_json(value, lang)
        if isinstance(value, Reason):
            return text_of(value, lang)
        if isinstance(value, dict):
            return {str(k): former(v, lang) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [former(v, lang) for v in value]
        if isinstance(value, float) and value != value:
            return None
        return value

    rng = random.Random(23)
    leaves = [None, True, False, 0, 7, "x", "ә", 1.5, float("nan"), float("inf"), np.float64(0.25),
              Reason("reason.audit_alone", {}), Assumption.of("p_asymptotic"), Assumption.of("m_range", lo=2, hi=60)]

    def gen(depth=0):
        r = rng.random()
        if depth > 3 or r < 0.4:
            return rng.choice(leaves)
        if r < 0.7:
            return rng.choice([list, tuple])(gen(depth + 1) for _ in range(rng.randint(0, 4)))
        return {rng.choice(["a", "b", 3, None]): gen(depth + 1) for _ in range(rng.randint(0, 3))}

    for _ in range(2000):
        value = gen()
        for lang in ("en", "kk"):
            got, want = _jsonable(value, lang), former(value, lang)
            assert repr(got) == repr(want)


def test_in_child_cancel_ends_the_child():
    """InChild.cancel (used when the first half of a PDF fails here) ends and reaps the child at once."""
    import os
    import time

    from repro.processes import InChild, can_fork

    if not can_fork():
        pytest.skip("no second process here")
    child = InChild(lambda: time.sleep(30))
    pid = child._pid
    started = time.monotonic()
    child.cancel()
    assert time.monotonic() - started < 5
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)  # already reaped
    child.cancel()  # a second cancel does nothing


def test_long_pdf_failing_page_same_error_with_two_processes(tmp_path, monkeypatch):
    """A page this process cannot read: the same one-line error with jobs=2 as with jobs=1 (the child ended)."""
    import os

    from pypdf import PageObject
    from weasyprint import HTML

    from repro import processes
    from repro.errors import ReproError
    from repro.scan import readers

    path = tmp_path / "five.pdf"
    HTML(string="<html><body>" + "<div style='page-break-after: always'></div>".join(
        f"<p>W = 0,{i}</p>" for i in range(1, 6)) + "</body></html>").write_pdf(str(path))
    original = PageObject.extract_text

    def broken(self, *args, **kwargs):
        if self.page_number == 0:
            raise ValueError("bad operator")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(PageObject, "extract_text", broken)
    children = []

    class Kept(processes.InChild):
        def __init__(self, compute):
            super().__init__(compute)
            self.pid = self._pid
            children.append(self)

    monkeypatch.setattr(processes, "InChild", Kept)
    messages = []
    for jobs in (1, 2):
        with pytest.raises(ReproError) as err:
            readers.read_document(str(path), jobs=jobs)
        messages.append(err.value.one_line())
    assert messages[0] == messages[1] and "unreadable PDF" in messages[0]
    assert len(children) == (1 if processes.can_fork() else 0)
    for child in children:  # the child that read the later pages was ended and reaped
        with pytest.raises(ChildProcessError):
            os.waitpid(child._pid or child.pid, os.WNOHANG)


def test_row_statistics_midranks_equal_rankdata():
    """ranksums.row_statistics re-ranks a witness by counting (below + (equal + 1) / 2): the same floats as
    scipy.stats.rankdata(method="average"), so the same tables are accepted and refused."""
    from scipy.stats import rankdata

    from repro.ranksums import row_statistics

    rng = np.random.default_rng(4)
    accepted = refused = 0
    for _ in range(400):
        m, k = int(rng.integers(1, 9)), int(rng.integers(2, 8))
        scores = rng.integers(0, k if rng.random() < 0.7 else 3, size=(m, k)).astype(float)
        table = rankdata(scores, axis=1, method="average")
        if rng.random() < 0.3:
            table = table.copy()
            table[0, 0] += rng.choice([0.5, 1.0, -0.5])
        below = (table[:, None, :] < table[:, :, None]).sum(axis=2)
        same = (table[:, :, None] == table[:, None, :]).sum(axis=2)
        assert np.array_equal(below + (same + 1) / 2.0, rankdata(table, axis=1, method="average"))
        if np.array_equal(rankdata(table, axis=1, method="average"), table):
            row_statistics(table)
            accepted += 1
        else:
            with pytest.raises(ValueError):
                row_statistics(table)
            refused += 1
    assert accepted > 100 and refused > 20


def test_tie_totals_long_lists_not_kept():
    """A long list of tie totals (large m and k) is built each time; the short ones come from the cache."""
    from repro.ranksums import _tie_totals, tie_totals

    _tie_totals.cache_clear()
    tie_totals(3, 4)
    tie_totals(3, 4)
    assert _tie_totals.cache_info().hits == 1
    big = tie_totals(60, 15)
    assert big[0] == 0 and big[-1] == 60 * (15 ** 3 - 15) and _tie_totals.cache_info().currsize == 1
