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


@pytest.mark.parametrize("seed", range(150))
def test_true_m_k_is_feasible_and_perturbation_flagged(seed):
    rng = np.random.default_rng(seed)
    m, k = int(rng.integers(3, 30)), int(rng.integers(3, 7))
    base = np.argsort(rng.random(k)) + 1.0
    ranks = np.array([base if rng.random() < 0.5 else np.argsort(rng.random(k)) + 1.0 for _ in range(m)])
    r = kendall_w(ranks, exact=False)
    if r.p_asymptotic < 0.002 or r.W < 0.01:
        return
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
