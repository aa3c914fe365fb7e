"""The audit engine on round trips: random rankings -> printed summaries -> audit."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from cli import app
from repro.audit import ReportedTest, audit_test, feasible_mk
from repro.kendall import kendall_w
from repro.printed import parse_printed

runner = CliRunner()


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
    assert (m, k) in feasible_mk(test)
    # the perturbation needs a p printed with a significant digit (p >= 0.002) and W not near 0:
    # draw again from the same generator until the study qualifies, so every case asserts it
    for _ in range(100):
        if r.p_asymptotic >= 0.002 and r.W >= 0.01:
            break
        m, k, r = _random_study(rng)
    else:
        pytest.fail("no qualifying study in 100 draws")
    test = ReportedTest("t", W=printed(r.W, 3), p=printed(r.p_asymptotic, 3))
    assert (m, k) in feasible_mk(test)
    bumped = ReportedTest("t", W=printed(r.W, 3), p=printed(r.p_asymptotic, 3), m=parse_printed(str(m)),
                          k=parse_printed(str(k)))
    assert feasible_mk(bumped) == [(m, k)]
    wrong = ReportedTest("t", W=printed(r.W + 0.05, 3), p=printed(r.p_asymptotic, 3), m=parse_printed(str(m)),
                         k=parse_printed(str(k)))
    assert feasible_mk(wrong) == []


def test_decision_error_is_flagged():
    a = audit_test(ReportedTest("x", W=parse_printed("0,299"), p=parse_printed("0,052*"), mark="*"),
                   reconstruct=False)
    assert a.decision_error is True


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
    assert by_cell[("Paper 004 Table 3 row 9", "p")]["reason_key"] == "reason.decision_error"
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
