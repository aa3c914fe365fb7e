"""The published tables' computed statuses and the JSON contract."""

import json

import pytest
from typer.testing import CliRunner

from cli import app
from repro.tables import verify_tables
from repro.verdict import STATUSES

runner = CliRunner()


def test_json_contract_lists_every_table_and_cell():
    result = runner.invoke(app, ["tables", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    ids = [t["id"] for t in data["tables"]]
    assert ids[:5] == ["A1", "B1", "B2", "B3", "B4"]
    sizes = {t["id"]: len(t["cells"]) for t in data["tables"]}
    assert sizes["B2"] == 15 * 5 and sizes["B3"] == 9 * 5 and sizes["B4"] == 7 * 3 * 2
    assert sizes["A1"] == 10 * 4 and sizes["B1"] == 6 * 4
    for t in data["tables"]:
        assert set(t["title"]) == {"kk", "ru", "en"}
        for c in t["cells"]:
            for key in ("row", "column", "published", "value", "reproduced", "status", "reason"):
                assert key in c
            assert c["status"] in STATUSES
            assert c["status"] != "not_checked_yet"


def test_table2_findings():
    (t2,) = verify_tables(("B2",))
    assert t2.extra["feasible_n"]["Q27"][0] == 27
    assert t2.extra["feasible_n"]["E1"][0] == 37
    assert 36 not in t2.extra["feasible_n"]["E1"]
    used = t2.extra["definition_used"]
    assert used["name"] in ("weighted_text", "weighted_granular")
    by = {(c.row, c.column): c for c in t2.cells}
    assert by[("1", "Жалпы")].status == "reproduced"
    assert by[("1", "E1")].status == "inconsistent"  # 0,43 is no k/36
    assert by[("1", "Q27")].status == "reproduced"  # 20/27
    assert all(c.status == "reproduced" for c in t2.cells if c.row in ("14", "15"))


def test_table3_decision_error_and_impossible_rows():
    (t3,) = verify_tables(("B3",))
    by = {(c.row, c.column): c for c in t3.cells}
    assert by[("9", "p")].status == "inconsistent"
    # p = 0,052 marked «*»: a decision error at alpha = 0.05, a group of its own resting on alpha
    mark = next(g for g in t3.groups if g.id == "B3.9.mark")
    assert mark.holds is False and mark.severity == "assumption" and "B3.9.mark" in by[("9", "p")].groups
    assert [a.key for a in mark.assumptions] == ["alpha"]
    # only a level between the largest marked p and the smallest unmarked one makes every mark agree
    assert t3.extra["alpha_consistent_with_marks"] == [0.052, 0.059]
    rows = {r["row"]: r for r in t3.extra["rows"]}
    assert rows[1]["rank_sum_ok"] is False  # 1,84 + 1,66 + 2,48 = 5,98
    assert rows[5]["rank_sum_ok"] is True


def test_table4_has_no_shared_m_k_for_every_cell():
    (t4,) = verify_tables(("B4",))
    assert tuple(t4.extra["shared_mk"]) == (13, 4) and t4.extra["shared_mk_fitted"] is True
    assert t4.extra["pairs_consistent_at_shared_mk"] == 5
    assert any(c.status == "inconsistent" for c in t4.cells)


def test_prose_claims():
    (prose,) = verify_tables(("prose",))
    by = {c.row: c for c in prose.cells}
    assert by["p004.min_p.E3"].status == "reproduced"
    assert by["p004.min_p.E2"].status == "inconsistent"
    # «3» may count the cities in the methods; only the discussion's «3 specialists» is unambiguous
    assert by["p004.experts.methods"].status == "not_checkable"
    assert by["p004.experts.results"].status == "inconsistent"
    assert by["p004.experts.results"].severity == "assumption"
    assert by["p004.q27_comparisons"].status == "reproduced"
    assert by["p000.rating_directions"].status == "reproduced"


def test_other_formats_and_languages():
    for fmt in ("csv", "markdown", "latex"):
        result = runner.invoke(app, ["tables", "--table", "B2", "--format", fmt, "--lang", "kk"])
        assert result.exit_code == 0, result.output
        assert "0,43" in result.output
    result = runner.invoke(app, ["tables", "--table", "B3", "--lang", "ru"])
    assert result.exit_code == 0 and "Экономический рост" in result.output


def test_unknown_table_is_a_one_line_error():
    result = runner.invoke(app, ["tables", "--table", "B9"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_help_of_every_command_has_an_example():
    commands = [c.name for c in app.registered_commands]
    assert {"tables", "ties", "kendall", "ladder", "audit", "report", "build", "check"} <= set(commands)
    for command in commands:
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0
        assert "Example" in result.output, command


@pytest.mark.slow
def test_plain_output_without_colour_codes_and_completion_available():
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, NO_COLOR="1", TERM="xterm-256color")
    env.pop("COLUMNS", None)
    out = subprocess.run([sys.executable, "cli.py", "tables", "--table", "B4"], cwd=root, env=env,
                         capture_output=True, text=True)
    assert out.returncode == 0 and "\x1b[" not in out.stdout  # a pipe gets plain text
    assert max(len(line) for line in out.stdout.splitlines()) <= 160  # and a readable width
    # --show-completion is a flag: Typer detects the shell from the parent processes, so the command runs
    # under bash (a test run from a background job has no shell among its parents to detect)
    # under bash (a test run from a background job has no shell among its parents to detect); "; exit $?"
    # keeps bash from replacing itself with the command
    completion = subprocess.run(["bash", "-c", f"'{sys.executable}' cli.py --show-completion; exit $?"],
                                cwd=root, env=env, capture_output=True, text=True)
    assert completion.returncode == 0 and "complete" in completion.stdout
