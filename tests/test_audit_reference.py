"""A held-out reference set: Kendall/Friedman results typed from public textbooks, software manuals
and papers, each checked by hand first (the arithmetic is in the comment beside each row, done with
scipy.stats.chi2 directly, not with repro). The audit must raise no false alarm on any of them, and
must find the two published results that no data can give.

Each row is typed exactly as its source prints it (decimal points, precision, ``p = .0429``-style
text kept where the source prints it so).
"""

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from cli import app

runner = CliRunner()

HEADER = "label,m,k,W,chi2,df,p,mean_ranks,rank_sums,mark,ties"

# (source, CSV row). Sources:
REFERENCE = [
    # NAG Library Manual, G08DAF example program results (Mark 26.2): 3 comparisons of 10 objects,
    # "Kendall's coefficient = 0.828, Significance = 0.008" (the Siegel & Castellan 1988 sec. 9.4 data,
    # with ties). Rank sums typed from the printed scores: 5.5 6.5 9 13.5 12 20 23 23.5 25.5 26.5
    # (sum 165 = 3 * 55). By hand: chi2 = 3 * 9 * 0.828 = 22.36, sf(22.36, 9) = 0.0078; tie-corrected
    # W from the scores = 0.8277, uncorrected 0.7960 <= 0.828.
    ("NAG G08DAF", 'NAG G08DAF,3,10,0.828,,,0.008,,"5.5;6.5;9;13.5;12;20;23;23.5;25.5;26.5",,'),
    # NAG Library Manual, G08AEF example program results (Mark 26.2): Friedman test on 3 treatments
    # and 18 blocks, "Test statistic 8.583, Degrees of freedom 2, Significance 0.014". NAG's statistic
    # is not corrected for ties (one tied block). By hand: sf(8.583, 2) = 0.01368; rank sums of the
    # printed ranks 39.5, 42.5, 26 give 12 / (18 * 3 * 4) * sum (R - 36)^2 = 8.5833.
    ("NAG G08AEF", 'NAG G08AEF,18,3,,8.583,2,0.014,,"39.5;42.5;26",,'),
    # SciPy documentation, "Friedman test for repeated samples" (scipy.stats.friedmanchisquare), after
    # Sprent & Smeeton (2000) sec. 6.3.2: pulse rates of 7 students on 3 occasions,
    # statistic 10.57142857142857, pvalue 0.005063414171757498. Rank sums from the printed data by hand:
    # 10, 21, 11 (no ties): 12 / (7 * 3 * 4) * (100 + 441 + 121) - 3 * 7 * 4 = 10.5714.
    ("SciPy friedmanchisquare", "SciPy pulse,7,3,,10.57142857142857,,0.005063414171757498,,10;21;11,,no"),
    # R package irr, kendall(anxiety, TRUE) (also asserted by pyirr's test-suite): "Subjects = 20,
    # Raters = 3, Wt = 0.54, Chisq(19) = 30.8, p-value = 0.0429". Here the 20 subjects are the items
    # (k = 20) and the 3 raters m. By hand: 3 * 19 * 0.54 = 30.78; sf(30.75, 19) = 0.0430,
    # sf(30.85, 19) = 0.0419.
    ("R irr kendall", "R irr anxiety,3,20,0.54,Chisq(19) = 30.8,,p-value = 0.0429,,,,"),
    # R stats::friedman.test on 10 runners' heart rates at 3 times (thoughtfulexaminations.com,
    # "Friedman test"): "Friedman chi-squared = 5.8421, df = 2, p-value = 0.05388". Mean ranks from the
    # printed data by hand: 2.55, 1.95, 1.50; uncorrected chi2 5.55, two tied blocks: 5.55 / 0.95 = 5.8421.
    ("R friedman.test", 'R heart rates,10,3,,5.8421,2,0.05388,"2.55;1.95;1.50",,,'),
    # IBM SPSS Statistics 25 Command Syntax Reference, NPAR TESTS KENDALL example (4 judges, 5 items,
    # data printed in the manual). SPSS prints mean ranks, W, chi-square, df and asymptotic p,
    # tie-corrected; computed by hand from the printed data: rank sums 7.5 14 13.5 19.5 5.5,
    # S = 125, sum T = 42, W = 1500 / (1920 - 168) = 0.856, chi2 = 16 W = 13.699, sf(13.699, 4) = 0.008.
    ("SPSS NPAR TESTS KENDALL", 'SPSS manual example,4,5,.856,13.699,4,.008,"1.88;3.50;3.38;4.88;1.38",,,'),
    # UNISTAT manual 6.5.6 (Kendall's concordance), Zar (2010) Example 20.5: 3 cases, 12 variables,
    # printed rank sums and mean ranks (total 234 = 3 * 78).
    ("UNISTAT / Zar 20.5", 'Zar 20.5,3,12,,,,,"4.8333;7.0000;10.1667;2.0000;3.6667;1.1667;6.6667;3.8333;9.6667;9.5000;7.5000;12.0000",'
     '"14.5;21;30.5;6;11;3.5;20;11.5;29;28.5;22.5;36",,'),
    # Russian coursework (expert ranking of 10 banks by 13 experts, "Таблица № 3 - Результаты расчетов
    # по банкам"), rank sums S_j printed with decimal commas; W by hand from the printed S_j and tie
    # terms (30 and 6): 12 * 7752.5 / (169 * 990 - 13 * 36) = 0.558.
    ("Russian expert-ranking coursework", 'Банки,13,10,"0,558",,,,,"15;63,5;32;85,5;112;85,5;93;60,5;82;86",,'),
    # rovdownloads.com, "Kendall's W measure of concordance ... with or without ties", cases L and M:
    # "Kendall's W = 0.2261 ... p-value = 0.1352" and "W = 0.0028 ... p-value = 0.9999" (m, k not
    # printed there). By hand: k = 5, m = 4 gives chi2 = 16 * 0.2261 = 3.62, sf(3.62, 4) = 0.46 (no), but
    # e.g. k = 3, m = 4: chi2 = 8 * 0.2261 = 1.81, sf = 0.405 ...; W and p agree at some (m, k) searched.
    ("rovdownloads case L", "Case L,,,0.2261,,,0.1352,,,,"),
    ("rovdownloads case M", "Case M,,,0.0028,,,0.9999,,,,"),
    # Semicolon-free Kazakh-style decimal commas, SPSS-style ".000" p: Sprent & Smeeton's pulse data
    # re-printed as SPSS would (asymptotic Sig. of 10.571 on 2 df is .005).
    ("SciPy pulse as SPSS prints it", 'Pulse (SPSS style),7,3,"0,755","10,571",2,".005","1,43;3,00;1,57",,*,'),
    # NAG G08DAF as a paper would report it: "W = .828, χ2(9) = 22.36, p = .008".
    ("NAG G08DAF reported APA-style", "G08DAF APA,3,10,W = .828,χ2(9) = 22.36,,p = .008,,,,"),
    # Russian textbook (Ю. П. Эльяков, «Методы и технологии документационного обеспечения управленческих
    # решений», Table 4.15, studmed.ru): 12 experts rank 5 elements with ties, "Коэффициент конкордации:
    # W = 0,546", χ² = 26,208 > χ²табл = 9,487. Rank sums from the printed ranks by hand: 49,5 38,5 18 27,5 46,5
    # (sum 180 = 12 * 15); sum T = 168; W = 12 S / (144 * 120 - 12 * 168) = 0.5464; 12 * 4 * 0.546 = 26.208.
    ("Russian textbook (Эльяков, table 4.15)", 'Задание (завод),12,5,"0,546","26,208",,,,"49,5;38,5;18;27,5;46,5",,'),
    # Ukrainian textbook page (ukrbukva.net, "Статистична перевірка гіпотез"): m = 4 experts, n = 6 factors,
    # "χ² набл = m(n-1)W = 4 × 5 × 0,805 = 16,1", f = n - 1 = 5. By hand: 20 * 0.805 = 16.1.
    ("Ukrainian textbook page", 'Фактори,4,6,"0,805","16,1",5,,,,,'),
    # studyx.ai, worked answer to "4 judges rank 5 projects" (second answer): rank sums 9 7 8 18 18,
    # "W = (12 * 122) / (16 * 5 * 24) = 0.7625", "χ² = 4(5-1) * 0.7625 = 12.2". By hand: strict
    # rankings (ranks 1..5 per judge), sum 60 = 4 * 15, W_unc = 12 * 122 / 1920 = 0.7625.
    ("studyx.ai answer 2", "Projects (answer 2),4,5,0.7625,12.2,4,,,9;7;8;18;18,,no"),
]

# Published results no data can give (the audit must find them, as impossible).
IMPOSSIBLE = [
    # rovdownloads.com case K: "Kendall's W = 1.1068 ... p-value = 0.0000" (W > 1).
    ("rovdownloads case K", "Case K,,,1.1068,,,0.0000,,,,", "W"),
    # foodtours.ru coursework, "Таблица 5": 7 researchers, 6 features, printed rank sums
    # 26 25 10 9 17 34 (sum 121; 7 raters ranking 6 items give 7 * 21 = 147).
    ("foodtours.ru table 5", "Признаки,7,6,,,,,,26;25;10;9;17;34,,", "rank_sum_1"),
    # studyx.ai, the same question's first answer: "W ≈ 0.73", "χ² = 4 * (5 - 1) * 0.73 = 11.68" from the
    # same rank sums 9 7 8 18 18, whose uncorrected W is 0.7625: a W below it no ranking can give.
    # The ranks are printed as strict permutations, hence ties = no (the finding rests on that reading).
    ("studyx.ai answer 1", "Projects (answer 1),4,5,0.73,11.68,4,,,9;7;8;18;18,,no", "W"),
]
SEVERITY = {"studyx.ai answer 1": ("assumption", ["strict_rankings"])}


def audit_csv(tmp_path, rows: list[str], *options: str) -> list[dict]:
    path = tmp_path / "reference.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["audit", str(path), "--format", "json", *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["tables"][0]["cells"]


@pytest.mark.parametrize("source,row", REFERENCE, ids=[s for s, _ in REFERENCE])
def test_no_false_alarm_on_published_results(tmp_path, source, row):
    cells = audit_csv(tmp_path, [row])
    assert cells, source
    alarms = [(c["column"], c["reason"]) for c in cells if c["status"] == "inconsistent"]
    assert not alarms, f"{source}: {alarms}"


def test_the_whole_reference_file_at_once(tmp_path):
    """The same rows in one file: no row changes another's verdict."""
    cells = audit_csv(tmp_path, [row for _, row in REFERENCE])
    assert not [c for c in cells if c["status"] == "inconsistent"]
    # every row was audited: some cell of each is computed, not merely listed
    labels = {next(csv.reader(io.StringIO(row))).__getitem__(0) for _, row in REFERENCE}
    checked = {c["row"] for c in cells if c["status"] in ("reproduced", "within_rounding")}
    assert labels - checked <= {"Zar 20.5"}  # rank sums alone: nothing to recompute, only to check


@pytest.mark.parametrize("source,row,column", IMPOSSIBLE, ids=[s for s, _, _ in IMPOSSIBLE])
def test_published_results_no_data_can_give_are_impossible(tmp_path, source, row, column):
    cells = audit_csv(tmp_path, [row])
    flagged = {c["column"]: c for c in cells if c["status"] == "inconsistent"}
    assert column in flagged, f"{source}: {[(c['column'], c['status']) for c in cells]}"
    severity, assumptions = SEVERITY.get(source, ("impossible", []))
    assert flagged[column]["severity"] == severity
    assert [a["key"] for a in flagged[column]["assumptions"]] == assumptions
    assert not [c for c in cells if c["status"] == "reproduced"]


def test_strict_option_on_a_strict_textbook_example(tmp_path):
    """The pulse data have no ties: under --strict the printed W must equal the uncorrected W of the
    printed mean ranks, and it does (0.755 = 12 * sum (r - 2)^2 / 24 within rounding)."""
    cells = audit_csv(tmp_path, [dict(REFERENCE)["SciPy pulse as SPSS prints it"]], "--strict")
    assert not [c for c in cells if c["status"] == "inconsistent"]
