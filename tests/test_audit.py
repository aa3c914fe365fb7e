"""The audit engine on round trips: random rankings -> printed summaries -> audit."""

import dataclasses
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from cli import app
from repro.audit import AuditOptions, ReportedTest, audit_row
from repro.kendall import kendall_w
from repro.printed import parse_printed

runner = CliRunner()


def feasible_mk(test):
    """Every (m, k) at which the row's figures agree (audit_row's grid: m 2–60, k 2–15 unless printed)."""
    info = audit_row(test, AuditOptions(reconstruct=False, exact_reading=False)).info
    assert info["feasible_mk_count"] == len(info["feasible_mk"])  # not cut by the listing cap
    return [tuple(x) for x in info["feasible_mk"]]


def agrees_at(test, m, k):
    """Whether the row's figures agree at m raters and k items (the row judged with m and k printed)."""
    pinned = dataclasses.replace(test, m=parse_printed(str(m)), k=parse_printed(str(k)))
    return audit_row(pinned, AuditOptions(reconstruct=False, exact_reading=False)).info["holds"]


def printed(x, d):
    return parse_printed(f"{x:.{d}f}")


def _random_study(rng):
    """m raters ranking k items, about half of them agreeing on one order; (m, k, KendallResult)."""
    m, k = int(rng.integers(3, 30)), int(rng.integers(3, 7))
    base = np.argsort(rng.random(k)) + 1.0
    ranks = np.array([base if rng.random() < 0.5 else np.argsort(rng.random(k)) + 1.0 for _ in range(m)])
    return m, k, kendall_w(ranks, exact=False)


# 150 seeded studies; the first 40 in the quick loop, the rest with the slow tests
@pytest.mark.parametrize("seed", [s if s < 40 else pytest.param(s, marks=pytest.mark.slow) for s in range(150)])
def test_true_m_k_is_feasible_and_perturbation_flagged(seed):
    rng = np.random.default_rng(seed)
    m, k, r = _random_study(rng)
    # whatever the data, the true (m, k) fits its own printed W and p
    test = ReportedTest("t", W=printed(r.W, 3), p=printed(r.p_asymptotic, 3))
    assert agrees_at(test, m, k)
    # the perturbation needs a p printed with a significant digit (p >= 0.002) and W not near 0:
    # draw again from the same generator until the study qualifies, so every case asserts it
    for _ in range(100):
        if r.p_asymptotic >= 0.002 and r.W >= 0.01:
            break
        m, k, r = _random_study(rng)
    else:
        pytest.fail("no qualifying study in 100 draws")
    test = ReportedTest("t", W=printed(r.W, 3), p=printed(r.p_asymptotic, 3))
    assert agrees_at(test, m, k)
    bumped = ReportedTest("t", W=printed(r.W, 3), p=printed(r.p_asymptotic, 3), m=parse_printed(str(m)),
                          k=parse_printed(str(k)))
    assert feasible_mk(bumped) == [(m, k)]
    wrong = ReportedTest("t", W=printed(r.W + 0.05, 3), p=printed(r.p_asymptotic, 3), m=parse_printed(str(m)),
                         k=parse_printed(str(k)))
    assert feasible_mk(wrong) == []


def test_decision_error_is_flagged():
    a = audit_row(ReportedTest("x", W=parse_printed("0,299"), p=parse_printed("0,052*"), mark="*"),
                  AuditOptions(reconstruct=False))
    assert a.info["decision_error"] is True


def test_cli_audit_file(tmp_path):
    path = tmp_path / "reported.csv"
    path.write_text("label,m,k,W,p,mark\nrow one,13,3,\"0,505\",\"0,001\",*\nrow two,,,\"0,21\",\"0,059\",\n")
    result = runner.invoke(app, ["audit", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["tables"][0]["cells"]
    shares = tmp_path / "shares.csv"
    shares.write_text("label,share,N\na,\"0,43\",36\nb,\"0,74\",27\n")
    result = runner.invoke(app, ["audit", str(shares), "--format", "json"])
    statuses = [c["status"] for c in json.loads(result.output)["tables"][0]["cells"]]
    assert statuses == ["inconsistent", "reproduced"]


@pytest.mark.slow
def test_audit_formats_and_the_worked_example():
    """The REVIEWING.md worked example, in every format the issue names; the same statuses in each."""
    import csv
    import io
    import json
    from pathlib import Path

    from typer.testing import CliRunner

    from cli import app

    example = str(Path(__file__).resolve().parent.parent / "examples" / "reported_tests.csv")
    runner = CliRunner()
    as_json = json.loads(runner.invoke(app, ["audit", example, "--format", "json"]).output)
    cells = as_json["tables"][0]["cells"]
    statuses = [c["status"] for c in cells]
    as_csv = list(csv.DictReader(io.StringIO(runner.invoke(app, ["audit", example, "--format", "csv"]).output)))
    assert [r["status"] for r in as_csv] == statuses
    markdown = runner.invoke(app, ["audit", example, "--format", "markdown", "--lang", "ru"]).output
    assert markdown.count("\n|") >= len(cells) and "inconsistent" in markdown
    by_cell = {(c["row"], c["column"]): c for c in cells}
    # the row typed from paper 004's Table 3 row 9 carries the decision error found by repro tables
    # (a group of p and its mark, beside the failing W-p pair)
    decision = [g for g in as_json["tables"][0]["groups"] if g["conclusion_key"] == "reason.decision_error"]
    assert [g["row"] for g in decision] == ["Paper 004 Table 3 row 9"]
    assert by_cell[("Paper 004 Table 3 row 9", "p")]["status"] == "inconsistent"
    assert decision[0]["id"] in by_cell[("Paper 004 Table 3 row 9", "p")]["groups"]
    # REVIEWING's other rows: A reproduced, D (no W) reproduced from chi2 and df, E's df impossible
    assert by_cell[("Made-up study A", "p")]["status"] == "reproduced"
    assert by_cell[("Made-up study D (Friedman without W)", "p")]["status"] == "reproduced"
    assert by_cell[("Made-up study E (k = 4 but df = 5)", "df")]["severity"] == "impossible"
    # a p printed as "<0.001" bounds W from below only: the W interval never exceeds 1
    assert "34." not in by_cell[("Made-up study B", "W")]["reason"]


def test_audit_shares_without_n_are_not_checkable_and_list_the_feasible_n(tmp_path):
    from repro.audit import share_cells
    from repro.granularity import feasible_denominators
    from repro.printed import parse_printed

    shares = [parse_printed(x) for x in ("0,43", "0,81")]
    cells, extra = share_cells([("a", shares[0], None), ("b", shares[1], None)])
    assert {c.status for c in cells} == {"not_checkable"}
    assert extra["feasible_n"]["unknown"] == feasible_denominators(shares, 200)
    cells, _ = share_cells([("a", shares[0], 36)])
    assert cells[0].status == "inconsistent" and cells[0].reason.params["k"] == 15


# ------------------------------------------------------------------------------------------------
# Regression tests of issue #13 item 5 and the attack review (D2 D3 D4 D20 D21 D23 D25); each fails
# on the audit as it was at 876ef70.

def run_audit(tmp_path, text: str, *options: str, name: str = "f.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["audit", str(path), "--format", "json", *options])
    return result


def audit_cells(tmp_path, text: str, *options: str) -> dict:
    result = run_audit(tmp_path, text, *options)
    assert result.exit_code == 0, result.output
    table = json.loads(result.output)["tables"][0]
    return {(c["row"], c["column"]): c for c in table["cells"]}


def audit_table(tmp_path, text: str, *options: str) -> dict:
    result = run_audit(tmp_path, text, *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["tables"][0]


def test_d3_no_mark_column_is_never_a_decision_error(tmp_path):
    """D3: REVIEWING's 'Some study' row: p = 0.011 is right and there is no mark column at all."""
    cells = audit_cells(tmp_path, "label,m,k,W,p\nS,12,4,0.31,0.011\n")
    assert cells[("S", "p")]["status"] == "reproduced"
    assert cells[("S", "p")]["reason_key"] != "reason.decision_error"


def test_d3_an_empty_mark_is_unknown(tmp_path):
    """An empty mark in a column that prints marks elsewhere is unknown, never 'marked not significant'."""
    cells = audit_cells(tmp_path, "label,m,k,W,p,mark\nA,12,4,0.31,0.011,*\nB,12,4,0.31,0.011,\n")
    assert all(c["reason_key"] != "reason.decision_error" for c in cells.values())
    assert cells[("B", "p")]["status"] == "reproduced"


@pytest.mark.parametrize("p,mark,error", [
    ("<0.05", "*", False), ("< 0.05", "*", False), ("≤0.05", "*", False), ("<=0.05", "*", False),
    ("0.05", "*", False), ("0.050", "*", False), ("=0.05", "*", False), ("0.0500", "*", False),
    ("0.049", "*", False), ("0.0505", "*", True), ("0.051", "*", True), ("0.052", "*", True),
    (">0.05", "*", True), ("0.011", "**", False), ("0.011", "***", False),
    ("<0.05", "n.s.", True), ("0.049", "ns", True), ("0.0495", "n.s.", True), ("≤0.05", "n.s.", False),
    ("0.05", "n.s.", False), ("=0.050", "ns", False), ("0.06", "n.s.", False), (">0.05", "n.s.", False),
    ("0.011", "", None), ("0.5", "", None), ("0.011", " ", None),
])
def test_mark_boundaries(p, mark, error):
    """Every comparison at the boundary of <, ≤ and =: a mark contradicts p only when every value p can
    stand for is on the other side of 0.05."""
    from repro.audit import decision_error

    assert decision_error(ReportedTest("x", p=parse_printed(p), mark=mark)) is error


D2_ROW = 'label,m,W,p,mark,mean_ranks\nx,{m},0.34,0.017,*,"1.58;1.75;2.67"\n'


@pytest.mark.parametrize("m", [3, 59])
def test_d2_a_printed_m_the_row_cannot_have(tmp_path, m):
    """D2: the printed m is used (the reconstruction is restricted to it); the row is impossible there."""
    cells = audit_cells(tmp_path, D2_ROW.format(m=m))
    assert not [c for c in cells.values() if c["status"] == "reproduced"]
    assert cells[("x", "m")]["status"] == "inconsistent"
    assert cells[("x", "m")]["severity"] in ("impossible", "assumption")


def test_d2_the_same_row_without_m_holds_and_reproduces(tmp_path):
    cells = audit_cells(tmp_path, 'label,W,p,mark,mean_ranks\nx,0.34,0.017,*,"1.58;1.75;2.67"\n')
    assert {c["status"] for c in cells.values()} <= {"reproduced", "within_rounding"}


def test_d2_a_printed_k_that_disagrees_with_the_mean_ranks(tmp_path):
    cells = audit_cells(tmp_path, 'label,m,k,W,p,mean_ranks\nx,12,5,0.34,0.017,"1.58;1.75;2.67"\n')
    assert cells[("x", "k")]["status"] == "inconsistent" and cells[("x", "k")]["severity"] == "impossible"
    assert not [c for c in cells.values() if c["status"] == "reproduced"]


def test_d4_friedman_rows_without_W_are_audited(tmp_path):
    """D4: chi2, df, p, m, k without W: p from chi2 and df; a chi2/p contradiction is found."""
    cells = audit_cells(tmp_path, "label,m,k,chi2,df,p\nB,12,4,11.16,3,0.5\nC,12,4,11.16,3,0.011\n")
    assert cells[("B", "p")]["status"] == "inconsistent"
    assert cells[("B", "chi2")]["status"] == "inconsistent"
    assert cells[("C", "p")]["status"] == "reproduced"  # pchisq(11.16, 3, lower.tail = FALSE) = 0.0109
    assert cells[("C", "df")]["status"] == "reproduced"


def test_d4_df_is_always_checked(tmp_path):
    """D4: k = 4 with df = 5 is impossible (df = k - 1), whatever else the row prints."""
    cells = audit_cells(tmp_path, "label,m,k,W,df,p\nA,12,4,0.31,5,0.011*\n")
    assert cells[("A", "df")]["status"] == "inconsistent"
    assert cells[("A", "df")]["severity"] == "impossible"
    assert not [c for c in cells.values() if c["status"] == "reproduced"]


def test_d4_chi2_is_m_k_minus_1_W(tmp_path):
    cells = audit_cells(tmp_path, "label,m,k,W,chi2,p\nA,12,4,0.31,12.5,0.011\nB,12,4,0.31,11.16,0.011\n")
    assert cells[("A", "chi2")]["status"] == "inconsistent"
    assert cells[("B", "chi2")]["status"] == "reproduced"


@pytest.mark.parametrize("k", [3, 5, 7])
def test_mean_ranks_fix_the_uncorrected_W_and_a_W_below_it_is_impossible(tmp_path, k):
    """With the mean ranks the uncorrected W is fixed; the tie-corrected W is only larger."""
    ranks = [1 + (k - 1) * j / (k - 1) for j in range(k)]  # 1, 2, ..., k: W_unc = 1
    ranks = [(k + 1) / 2 + 0.5 * (r - (k + 1) / 2) for r in ranks]  # halfway to the centre: W_unc = 0.25
    text = ";".join(f"{r:.2f}" for r in ranks)
    rows = f'label,m,W,mean_ranks\nlow,20,0.20,"{text}"\nhigh,20,0.30,"{text}"\nexact,20,0.25,"{text}"\n'
    cells = audit_cells(tmp_path, rows)
    assert cells[("low", "W")]["status"] == "inconsistent"
    assert cells[("low", "W")]["severity"] == "impossible"
    assert cells[("high", "W")]["status"] != "inconsistent"  # ties may raise W
    strict = audit_cells(tmp_path, rows, "--strict")
    assert strict[("high", "W")]["status"] == "inconsistent"
    assert strict[("high", "W")]["severity"] == "assumption"
    assert [a["key"] for a in strict[("high", "W")]["assumptions"]] == ["strict_rankings"]
    assert strict[("exact", "W")]["status"] != "inconsistent"


def test_a_ties_column_declares_strict_rankings(tmp_path):
    rows = 'label,m,W,mean_ranks,ties\nno ties,20,0.30,"1.50;2.00;2.50",no\nties,20,0.30,"1.50;2.00;2.50",yes\n'
    cells = audit_cells(tmp_path, rows)
    assert cells[("no ties", "W")]["status"] == "inconsistent"
    assert cells[("ties", "W")]["status"] != "inconsistent"


def test_uncorrected_chi2_and_exact_p_options(tmp_path):
    # NAG G08AEF prints the uncorrected statistic: with --chi2-uncorrected it must equal m(k-1)W_unc
    row = 'label,m,k,chi2,df,p,mean_ranks\nG08AEF,18,3,8.583,2,0.014,"2.19;2.36;1.44"\n'
    assert audit_cells(tmp_path, row, "--chi2-uncorrected")[("G08AEF", "chi2")]["status"] != "inconsistent"
    too_big = 'label,m,k,chi2,df,mean_ranks\nX,18,3,12.0,2,"2.19;2.36;1.44"\n'
    assert audit_cells(tmp_path, too_big)[("X", "chi2")]["status"] != "inconsistent"
    assert audit_cells(tmp_path, too_big, "--chi2-uncorrected")[("X", "chi2")]["status"] == "inconsistent"
    # an exact p is not checked through the chi-square approximation
    exact = "label,m,k,W,p\nE,5,3,0.6,0.028\n"  # asymptotic 0.0498; an exact p may be smaller
    assert audit_cells(tmp_path, exact)[("E", "p")]["status"] == "inconsistent"
    cell = audit_cells(tmp_path, exact, "--exact-p")[("E", "p")]
    assert cell["status"] == "not_checkable" and cell["reason_key"] == "reason.audit_exact_p"


@pytest.mark.parametrize("m", [200, 1000])
def test_granularity_and_consistency_for_any_printed_m(tmp_path, m):
    """200 farmers, 1,000 respondents: the mean ranks are judged at the printed m, not within 2..60."""
    rng = np.random.default_rng(m)
    scores = rng.random((m, 4)) + np.array([0.0, 0.1, 0.2, 0.3])
    r = kendall_w(scores, exact=False)
    ranks = ";".join(f"{x:.2f}" for x in r.mean_ranks)
    row = f'label,m,k,W,p,mean_ranks\nbig,{m},4,{r.W:.3f},{r.p_asymptotic:.3f},"{ranks}"\n'
    cells = audit_cells(tmp_path, row)
    assert not [c for c in cells.values() if c["status"] == "inconsistent"], cells
    assert cells[("big", "W")]["status"] in ("reproduced", "within_rounding")


def test_rank_sum_columns(tmp_path):
    """Rank sums as Russian and Ukrainian textbooks print them, in one column or in rank_sum_1..k."""
    one = audit_cells(tmp_path, 'label,W,rank_sums\nA,0.755,"10;21;11"\n')
    assert one[("A", "rank_sum_1")]["status"] == "not_checkable"
    many = audit_table(tmp_path, "label,m,rank_sum_1,rank_sum_2,rank_sum_3\nA,7,10,21,11\nB,7,10,21,14\n")
    by = {(c["row"], c["column"]): c for c in many["cells"]}
    assert by[("A", "m")]["status"] == "reproduced"  # the rank sums give m = 7
    assert by[("B", "rank_sum_3")]["status"] == "inconsistent"  # 45 (±1.5 within rounding) is no m * 6


def test_semicolon_files_and_na(tmp_path):
    text = 'label;m;k;W;p;mean_ranks\nA;12;4;"0,31";"0,011";NA\nB;NA;NA;"0,31";"0,011";\n'
    cells = audit_cells(tmp_path, text)
    assert cells[("A", "p")]["status"] == "reproduced"
    assert ("B", "W") in cells and ("B", "m") not in cells


@pytest.mark.parametrize("column,text,value", [
    ("p", "2.99e-05", 2.99e-05), ("p", "< 2.2e-16", 2.2e-16), ("p", "p = .022", 0.022), ("chi2", "χ2(3) = 12.5", 12.5),
    ("m", "n = 20", 20), ("p", ".000", 0.0), ("p", "0,000", 0.0), ("p", "n.s.", 0.05), ("W", "W=0,31", 0.31),
    ("m", "1 000", 1000), ("m", "1,000", 1000),
])
def test_numbers_as_papers_print_them(column, text, value):
    from repro.audit_input import read_cell

    printed, extras = read_cell(text, column, count=column == "m")
    assert float(printed.value) == pytest.approx(value)
    if column == "chi2":
        assert int(extras["df"].value) == 3


def test_scientific_notation_keeps_its_precision():
    p = parse_printed("2.99e-05")
    assert float(p.lo) == pytest.approx(2.985e-05) and float(p.hi) == pytest.approx(2.995e-05)


def test_a_bracketed_df_is_checked(tmp_path):
    cells = audit_cells(tmp_path, "label,m,k,W,chi2,p\nA,12,4,0.31,χ2(5) = 11.16,0.011\n")
    assert cells[("A", "chi2")]["status"] == "inconsistent" and cells[("A", "k")]["status"] == "inconsistent"


def test_what_cannot_be_read_is_one_cell_not_checkable(tmp_path):
    result = run_audit(tmp_path, "label,m,k,W,p\nA,12,4,0.31,about 0.01\nB,12,4,0.31,0.011\n")
    assert result.exit_code == 0, result.output
    cells = {(c["row"], c["column"]): c for c in json.loads(result.output)["tables"][0]["cells"]}
    assert cells[("A", "p")]["status"] == "not_checkable"
    assert cells[("A", "p")]["reason_key"] == "reason.audit_unreadable"
    assert cells[("B", "p")]["status"] == "reproduced"


def test_a_bad_value_is_an_impossible_cell_of_its_row(tmp_path):
    """W = 1.1068 (published: rovdownloads.com case K) is impossible in its row; the file is read."""
    cells = audit_cells(tmp_path, "label,W,p\nK,1.1068,0.0000\nL,0.2261,0.1352\n")
    assert cells[("K", "W")]["status"] == "inconsistent" and cells[("K", "W")]["severity"] == "impossible"
    assert cells[("K", "p")]["status"] == "not_checkable"
    assert cells[("L", "W")]["status"] in ("reproduced", "within_rounding")


@pytest.mark.parametrize("row,column", [("A,12,1,,0.31,0.011", "k"), ("B,12,,0,0.31,0.011", "df"),
                                        ("C,1,3,,0.31,0.011", None), ("D,2.5,3,,0.31,0.011", "m"),
                                        ("E,0,3,,0.31,0.011", "m"), ("F,-3,3,,0.31,0.011", "m")])
def test_d20_degenerate_counts_are_verdicts_not_tracebacks(tmp_path, row, column):
    """D20: k = 1 (and df = 0, m = 1, m = 2.5, 0, -3) give a verdict on the row, never a traceback."""
    result = run_audit(tmp_path, f"label,m,k,df,W,p\n{row}\n")
    assert result.exit_code == 0, result.output
    cells = {c["column"]: c for c in json.loads(result.output)["tables"][0]["cells"]}
    if column:
        assert cells[column]["status"] == "inconsistent" and cells[column]["severity"] == "impossible"
    assert not [c for c in cells.values() if c["status"] == "inconsistent" and not c["severity"]]


@pytest.mark.parametrize("n", ["2.5", "0", "-3"])
def test_d23_N_must_be_a_whole_number_of_at_least_1(tmp_path, n):
    cells = audit_cells(tmp_path, f"label,share,N\nA,0.5,{n}\nB,0.5,36\n")
    assert cells[("A", "N")]["status"] == "inconsistent" and cells[("A", "N")]["severity"] == "impossible"
    assert cells[("A", "share")]["status"] == "not_checkable"
    assert cells[("B", "share")]["status"] == "reproduced"


def test_d23_the_nearest_k_over_N_is_reported(tmp_path):
    cells = audit_cells(tmp_path, "label,share,N\nA,0.5,36\nB,0.43,36\n")
    assert cells[("A", "share")]["reproduced"] == pytest.approx(18 / 36)
    assert cells[("B", "share")]["status"] == "inconsistent"
    assert cells[("B", "share")]["reproduced"] == pytest.approx(15 / 36)


def test_d21_huge_N_is_arithmetic_not_a_list(tmp_path):
    cells = audit_cells(tmp_path, "label,share,N\nA,0.5,1000000000000\n")
    assert cells[("A", "share")]["status"] == "reproduced"
    from repro.granularity import share_numerators

    ks = share_numerators(parse_printed("0.5"), 10 ** 12)
    assert isinstance(ks, range) and len(ks) == 10 ** 11 + 1  # 0.45e12 … 0.55e12


@pytest.mark.parametrize("header,column", [
    ("label,W,mean_rank_1,mean_rank_2,mean_rank_4", "mean_rank_4"),
    ("label,W,mean_ranks,mean_rank_1,mean_rank_2,mean_rank_3", "mean_rank_1"),
    ("label,W,rank_sums,rank_sum_1,rank_sum_2", "rank_sum_1"),
])
def test_d25_mean_rank_columns_are_never_silently_dropped(tmp_path, header, column):
    n = header.count(",")
    result = run_audit(tmp_path, header + "\n" + "A," + ",".join(["1.5"] * n) + "\n")
    assert result.exit_code == 2
    assert column in result.output and "Traceback" not in result.output


def test_groups_name_the_smallest_failing_sets_and_those_that_hold(tmp_path):
    table = audit_table(tmp_path, 'label,W,p,mean_ranks\nrow 1,"0,21","0,059","1,84;1,66;2,48"\n'
                                  'row 3,"0,505","0,001","1,58;1,78;2,65"\n')
    groups = {(g["row"], tuple(c[1] for c in g["cells"])): g for g in table["groups"]}
    # Table 3 row 1 of paper 004: the three mean ranks alone sum to 5,98, not 6
    alone = groups[("row 1", ("mean_rank_1", "mean_rank_2", "mean_rank_3"))]
    assert alone["holds"] is False and alone["minimal"] and alone["severity"] == "impossible"
    assert alone["conclusion_key"] == "reason.rank_sum"
    # W and p alone imply an m (row 3: 13-15 raters at k = 3)
    pair = groups[("row 3", ("W", "p"))]
    assert pair["holds"] is True and "13–15" in pair["conclusion"]
    cells = {(c["row"], c["column"]): c for c in table["cells"]}
    assert not [c for c in cells.values() if c["status"] == "reproduced"]
    assert all(c["severity"] for c in cells.values() if c["status"] == "inconsistent")
    assert table["severity_counts"]["impossible"] >= 1


def test_audit_row_is_a_pure_picklable_function():
    import pickle

    from repro.audit import AuditOptions, audit_row

    test = ReportedTest("A", m=parse_printed("12"), k=parse_printed("4"), W=parse_printed("0.31"),
                        p=parse_printed("0.011"))
    first = audit_row(test, AuditOptions())
    again = pickle.loads(pickle.dumps(audit_row(test, AuditOptions())))
    assert [(c.column, c.status) for c in first.cells] == [(c.column, c.status) for c in again.cells]


def _draw_rankings(rng, m, k, ties):
    base = rng.random(k)
    scores = base + rng.normal(0, rng.uniform(0.05, 1.5), size=(m, k))
    if ties:
        scores = np.round(scores * 2) / 2
    return scores


ROUND_TRIP = [(k, m, ties, marks) for k in range(3, 9) for m in (3, 7, 12, 30, 60, 150, 500)
              for ties in (False, True) for marks in (False, True)]


@pytest.mark.parametrize("k,m,ties,marks", [
    pytest.param(*case, marks=pytest.mark.slow) if case[1] >= 150 or case[0] in (3, 4) and case[1] >= 60
    else case for case in ROUND_TRIP])
def test_round_trip_printed_summaries_of_real_rankings_are_never_alarms(k, m, ties, marks):
    """Random rankings of k = 3..8 items by m = 3..500 raters, with and without ties, printed as papers
    print them (W, chi2, p to 3 decimals or "<0.001", mean ranks to 2, m, k, df, a mark when p < .05):
    the audit finds the row consistent, reproduces W and p, and raises no alarm."""
    from repro.audit import AuditOptions, audit_row

    rng = np.random.default_rng(1000 * k + m + 7 * ties + 3 * marks)
    r = kendall_w(_draw_rankings(rng, m, k, ties), exact=False)
    p_text = "<0.001" if r.p_asymptotic < 0.001 else f"{r.p_asymptotic:.3f}"
    test = ReportedTest("t", m=parse_printed(str(m)), k=parse_printed(str(k)), W=parse_printed(f"{r.W:.3f}"),
                        chi2=parse_printed(f"{r.chi2:.3f}"), df=parse_printed(str(k - 1)), p=parse_printed(p_text),
                        mean_ranks=[parse_printed(f"{x:.2f}") for x in r.mean_ranks],
                        mark=("*" if r.p_asymptotic < 0.05 else "") if marks else "",
                        strict=False if ties else None)
    result = audit_row(test, AuditOptions(strict=not ties and bool(marks)))
    assert result.info["holds"], [g.conclusion for g in result.groups]
    assert not [(c.column, c.reason) for c in result.cells if c.status == "inconsistent"]
    statuses = {c.column: c.status for c in result.cells}
    assert statuses["W"] in ("reproduced", "within_rounding") and statuses["p"] in ("reproduced", "within_rounding")


def test_where_an_exact_p_flips_the_verdict_it_is_said(tmp_path):
    """#13 item 3: m = 5, k = 3, W = 0.6 gives asymptotic p = 0.0498, so p = 0.028 fails under the
    asymptotic reading (an assumption-dependent finding); with an exact p of untied rankings W's rounding
    gives p = 0.024…0.039, so the pair holds under that reading, and a group says so."""
    table = audit_table(tmp_path, "label,m,k,W,p\nE,5,3,0.6,0.028\n")
    failing = [g for g in table["groups"] if g["holds"] is False]
    assert failing and all(g["severity"] == "assumption" for g in failing)
    assert any(a["key"] == "p_asymptotic" for g in failing for a in g["assumptions"])
    exact = [g for g in table["groups"] if g["conclusion_key"] == "group.audit_exact_p"]
    assert len(exact) == 1 and exact[0]["holds"] is True
    assert exact[0]["params"]["lo"] < 0.028 < exact[0]["params"]["hi"]


def test_w_and_p_alone_look_beyond_the_search_and_beyond_the_printed_m(tmp_path):
    """#13 item 6: the m that W and p alone imply, separately from what the whole row allows: Made-up
    study B (W = 0.15, p < 0.001, k = 3) needs m >= 45 whatever m is printed (20 is), and the set goes
    on past the search of the row (m = 2..60)."""
    table = audit_table(tmp_path, "label,m,k,W,p\nB,20,3,0.15,<0.001\n")
    pair = [g for g in table["groups"] if g["conclusion_key"].startswith("group.audit_holds_pair")]
    assert len(pair) == 1 and pair[0]["holds"] is True
    assert pair[0]["conclusion_key"] == "group.audit_holds_pair_open" and pair[0]["params"]["m_from"] == 45
    row = table["rows"][0]
    assert row["m_from_W_p_beyond"]["open_from"] == 45


def test_absurd_values_are_cells_not_crashes(tmp_path):
    """Values found by fuzzing: 1e999 (no float holds it), k = 1e999 as a count, a single mean rank or rank
    sum (k = 1): each is a cell of its row (too large to check, or impossible), never a traceback."""
    text = ('label,m,k,W,chi2,df,p,mean_ranks,rank_sums\n'
            'a,12,4,1e999,,,0.011,,\n'
            'b,12,1e999,0.31,,,0.011,,\n'
            'c,3,,0.5,,,0.2,5,5\n'
            'd,1e12,4,0.31,,,0.011,,\n')
    result = run_audit(tmp_path, text, "--no-reconstruct")
    assert result.exit_code == 0, result.output
    cells = {(c["row"], c["column"]): c for c in json.loads(result.output)["tables"][0]["cells"]}
    assert cells[("a", "W")]["reason_key"] == "reason.audit_too_large"
    assert cells[("b", "k")]["reason_key"] == "reason.audit_too_large"
    assert cells[("d", "m")]["reason_key"] == "reason.audit_too_large"
    assert cells[("c", "mean_rank_1")]["status"] == "inconsistent"  # one mean rank: k = 1
    assert all(c["severity"] for c in cells.values() if c["status"] == "inconsistent")


@pytest.mark.slow
def test_paper_004_table_3_typed_in_gives_the_findings_of_repro_tables(tmp_path):
    """One judge for a Kendall row: Table 3 typed into `repro audit` without k (the three mean-rank columns
    are its k) gives the findings `repro tables --table B3` reports (verdicts' test_verdicts.py): 4
    impossible (rank sums of rows 1, 2, 4, 9) and 8 resting on an assumption (W–p at k = 3 in rows 1, 2, 3,
    5, 7, 8, 9, and row 9's mark), and row 6 alone reproduced."""
    import csv as _csv
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    lines = ["label,W,p,mean_ranks,mark"]
    with open(root / "datasets" / "p004_table3.csv", encoding="utf-8") as handle:
        for r in _csv.DictReader(handle):
            p = r["p"]
            lines.append(f'row {r["row"]},"{r["W"]}","{p.rstrip("*")}","{r["rank_1"]};{r["rank_2"]};{r["rank_3"]}",'
                         f'{"*" if p.endswith("*") else ""}')
    table = audit_table(tmp_path, "\n".join(lines) + "\n")
    assert table["severity_counts"] == {"impossible": 4, "assumption": 8, "editorial": 0}
    reproduced = {c["row"] for c in table["cells"] if c["status"] == "reproduced"}
    assert reproduced == {"row 6"}
    impossible = {g["row"] for g in table["groups"] if g["holds"] is False and g["severity"] == "impossible"}
    assert impossible == {"row 1", "row 2", "row 4", "row 9"}


FUZZ_VALUES = ["", "NA", "0", "1", "-3", "2.5", "1e3", "1e-300", "<0.001", ">0.5", "≤0.05", '"0,5"', ".000", "n.s.",
               "abc", "12", "1000", "3", "60", "0.31", "1.1068", "χ2(3) = 12.5", "p = .022", '"W=0,3"', "99999",
               "0.0000001", '"1,000"', "1 000", "*", "-0", "−1", "1e999", "nan", "inf", "2.99e-05", "<0", ">1"]
FUZZ_LISTS = ["", '"1.5;2;2.5"', '"1;2;3;4"', '"2;2;2"', '"a;b"', '"1.58;1.78;2.65"', '"0;0;0"', '"10;21;11"', '"1;;3"', "5"]


@pytest.mark.parametrize("seed", range(40))
def test_odd_values_never_crash_and_every_finding_has_a_severity(tmp_path, seed):
    """Random files of odd values (found by fuzzing: 1e999, k = 1 lists) under a valid header: exit 0 with
    a verdict per cell (a bad value is its row's verdict, never a refused file); never a traceback, never an
    inconsistent cell without severity."""
    import random

    rng = random.Random(seed)
    rows = []
    for r in range(3):
        rows.append(",".join([f"r{r}"] + [rng.choice(FUZZ_VALUES) for _ in range(6)]
                             + [rng.choice(FUZZ_LISTS), rng.choice(FUZZ_LISTS), rng.choice(["", "*", "n.s.", "x"]),
                                rng.choice(["", "no", "yes", "maybe"])]))
    text = "label,m,k,W,chi2,df,p,mean_ranks,rank_sums,mark,ties\n" + "\n".join(rows) + "\n"
    result = run_audit(tmp_path, text, "--no-reconstruct")
    assert result.exit_code == 0, (text, result.output)
    cells = json.loads(result.output)["tables"][0]["cells"]
    assert not [c for c in cells if c["status"] == "inconsistent" and not c["severity"]], text


def test_audit_row_keeps_the_callers_column_names():
    """B3/B4 and scan can judge their rows with audit_row and keep their own column names."""
    from repro.audit import AuditOptions, audit_row

    test = ReportedTest("1", W=parse_printed("0,21"), p=parse_printed("0,059"),
                        mean_ranks=[parse_printed(x) for x in ("1,84", "1,66", "2,48")])
    names = (("mean_rank_1", "rank_1"), ("mean_rank_2", "rank_2"), ("mean_rank_3", "rank_3"))
    result = audit_row(test, AuditOptions(table="B3", columns=names, reconstruct=False))
    assert {c.column for c in result.cells} == {"rank_1", "rank_2", "rank_3", "W", "p"}
    assert all(c.table == "B3" for c in result.cells)
    ranks = [g for g in result.groups if g.conclusion.key == "reason.rank_sum"]
    assert ranks and ranks[0].cells == [("1", "rank_1"), ("1", "rank_2"), ("1", "rank_3")]


def test_one_rater_has_W_equal_to_1(tmp_path):
    """m = 1 (D20's neighbour): a single ranking agrees with itself, so W = 1; W = 0.31 with m = 1 is
    impossible, said so; W = 1 with m = 1 holds."""
    cells = audit_cells(tmp_path, "label,m,k,W,p\nC,1,3,0.31,0.011\nD,1,3,1,0.37\n")
    assert cells[("C", "m")]["status"] == "inconsistent" and cells[("C", "m")]["severity"] == "impossible"
    assert cells[("C", "W")]["reason_key"] == "reason.audit_one_rater"
    assert cells[("D", "W")]["status"] == "reproduced"


@pytest.mark.parametrize("seed", range(60))
def test_no_cell_of_a_row_that_fails_is_reproduced(seed):
    """#13 item 1 as a property: in a row with a failing set of figures (a mark aside), no cell is
    reproduced; every inconsistent cell has a severity, and an assumption-dependent one names it."""
    import random

    from repro.audit import AuditOptions, audit_row

    rng = random.Random(seed)
    k = rng.randint(3, 6)
    ranks = [round(rng.uniform(1, k), 2) for _ in range(k)]
    test = ReportedTest(
        "r", W=parse_printed(f"{rng.uniform(0, 1):.3f}"), p=parse_printed(f"{rng.uniform(0, 1):.3f}"),
        m=parse_printed(str(rng.randint(2, 40))) if rng.random() < 0.6 else None,
        k=parse_printed(str(k + rng.choice([0, 0, 0, 1]))) if rng.random() < 0.5 else None,
        chi2=parse_printed(f"{rng.uniform(0, 40):.2f}") if rng.random() < 0.3 else None,
        mean_ranks=[parse_printed(f"{r:.2f}") for r in ranks] if rng.random() < 0.5 else [])
    result = audit_row(test, AuditOptions(reconstruct=False))
    data_fails = [g for g in result.groups if g.holds is False and g.conclusion.key != "reason.decision_error"]
    if data_fails:
        assert not [c for c in result.cells if c.status == "reproduced"]
    for c in result.cells:
        if c.status == "inconsistent":
            assert c.severity in ("impossible", "assumption", "editorial")
            assert c.severity != "assumption" or c.assumptions
        else:
            assert c.severity is None


def test_a_declared_exact_p_with_strict_rankings_is_checked_exactly(tmp_path):
    """--exact-p with --strict (or ties = no): W–p is checked with the exact p of untied rankings where it is
    within reach (m = 5, k = 3: W = 0.6 gives exact p 0.024…0.039), instead of being left unchecked."""
    rows = "label,m,k,W,p\nfits,5,3,0.6,0.028\nmisfits,5,3,0.6,0.2\n"
    cells = audit_cells(tmp_path, rows, "--exact-p", "--strict")
    assert cells[("fits", "p")]["status"] in ("reproduced", "within_rounding")
    assert cells[("misfits", "p")]["status"] == "inconsistent"
    assert {a["key"] for a in cells[("misfits", "p")]["assumptions"]} == {"p_exact", "strict_rankings"}
    # without --strict an exact p cannot be recomputed from W alone (ties change the distribution)
    assert audit_cells(tmp_path, rows, "--exact-p")[("misfits", "p")]["status"] == "not_checkable"


def test_mean_ranks_with_a_larger_W_name_the_ties_they_need(tmp_path):
    """#13 item 1's "mean ranks with W: needs ties totalling T ≥ …": Table 3 row 6 (1,6; 2; 2,6; W = 0,6)
    has an uncorrected W of at most 0,4375 while W ≥ 0,55 (read at its printed precision), so its raters tie:
    Σ(t³ − t) ≥ 24 (1 − 0.4375/0.55) ≈ 4.91 per rater on average; the group holds (ties allowed) and says
    how many ties it needs; under strict rankings there is no such group (the set fails instead)."""
    table = audit_table(tmp_path, 'label,W,p,mean_ranks\nrow 6,"0,6","0,002","1,6;2;2,6"\n')
    ties = [g for g in table["groups"] if g["conclusion_key"] == "group.audit_needs_ties"]
    assert len(ties) == 1 and ties[0]["holds"] is True
    w_unc, w_lo, k = 0.4375, 0.55, 3  # "2" and "0,6" read at their printed precision
    assert ties[0]["params"]["T"] == pytest.approx((k ** 3 - k) * (1 - ties[0]["params"]["w_unc"] / w_lo), rel=1e-6)
    strict = audit_table(tmp_path, 'label,W,p,mean_ranks,ties\nrow 6,"0,6","0,002","1,6;2;2,6",no\n')
    assert not [g for g in strict["groups"] if g["conclusion_key"] == "group.audit_needs_ties"]


def test_every_printed_figure_gets_a_status_marks_and_layout_k_included(tmp_path):
    """The coordinator's 13:45 findings: a consistent mark is a cell (reproduced from p at alpha, not only a
    decision error); a rank-sum row's k is fixed by the number of rank sums; reasons quote the number without
    the label typed before it ("p = .011" is quoted as ".011")."""
    cells = audit_cells(tmp_path, 'label,m,k,W,chi2,p,rank_sums,mark\n'
                                  'A,12,4,0.31,χ2(3) = 11.16,p = .011,,*\n'
                                  'B,7,3,,,,"10;21;11",\n')
    assert cells[("A", "mark")]["status"] == "reproduced"
    assert cells[("B", "k")]["status"] == "reproduced"
    assert "p = p" not in cells[("A", "W")]["reason"] and ".011" in cells[("A", "W")]["reason"]
