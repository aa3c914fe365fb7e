"""Raw-data parsers: the end-to-end example, malformed inputs (hypothesis), one-line errors, exit 2."""

import json
import os
from typer.testing import CliRunner

from cli import app
from repro.paths import dataset

runner = CliRunner()
HEADER = "respondent,block,item_a,item_b,value\n"


def run(args):
    return runner.invoke(app, args)


def assert_one_line_error(result):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [l for l in result.output.splitlines() if l.startswith("repro: error")]
    assert len(lines) == 1, result.output


def test_example_file_reproduces_published_table2():
    result = run(["ties", "--data", str(dataset("reconstructed_judgments.csv")), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    from repro import datasets as ds

    body = ds.table2()[:13]
    shares = {(s["respondent"], s["block"]): s for s in data["shares"]}
    for i, row in enumerate(body, start=1):
        for block in ("E1", "E2", "E3", "Q27"):
            assert row.cells[block].contains(shares[(f"reconstructed-{i:02d}", block)]["share"])
        assert row.cells["Жалпы"].contains(shares[(f"reconstructed-{i:02d}", "total")]["share"])
    for block, printed in ds.table2()[13].cells.items():
        key = "total" if block == "Жалпы" else block
        assert data["above_half"][key]["count"] == int(printed.value)
    for key in ("respondent", "block", "ties", "judgments", "share"):
        assert key in data["shares"][0]


def test_named_errors(tmp_path):
    cases = {
        "off_scale": HEADER + "r1,E1,a,b,10\n",
        "self": HEADER + "r1,E1,a,a,3\n",
        "duplicate": HEADER + "r1,E1,a,b,3\nr1,E1,b,a,1/3\n",
        "unknown_column": "respondent,block,item_a,item_b,value,extra\nr1,E1,a,b,3,x\n",
        "missing_column": "respondent,block,item_a,value\nr1,E1,a,3\n",
        "empty": "",
        "pipe": "respondent|block|item_a|item_b|value\nr1|E1|a|b|3\n",
    }
    for name, text in cases.items():
        path = tmp_path / f"{name}.csv"
        path.write_text(text)
        result = run(["ties", "--data", str(path)])
        assert_one_line_error(result)
        assert str(path) in result.output
    result = run(["ties", "--data", str(tmp_path / "nope.csv")])
    assert_one_line_error(result)
    off = (tmp_path / "off_scale.csv")
    result = run(["ties", "--data", str(off)])
    assert "row 2" in result.output and "column value" in result.output


def test_missing_pairs_are_warnings(tmp_path):
    path = tmp_path / "j.csv"
    path.write_text(HEADER + "r1,E1,a,b,1\nr1,E1,a,c,3\nr2,E1,a,b,1\n")
    result = run(["ties", "--data", str(path), "--format", "json"])
    assert result.exit_code == 0
    assert "missing" in result.output


def test_kendall_wide_and_long(tmp_path):
    wide = tmp_path / "w.csv"
    wide.write_text("rater,a,b,c\nr1,1,2,3\nr2,1,3,2\nr3,2,1,3\nr4,1,2,3\n")
    long = tmp_path / "l.csv"
    long.write_text("rater,item,value\n" + "".join(
        f"r{i},{it},{v}\n" for i, row in enumerate([(1, 2, 3), (1, 3, 2), (2, 1, 3), (1, 2, 3)], 1)
        for it, v in zip("abc", row)))
    a = json.loads(run(["kendall", "--data", str(wide), "--format", "json"]).output)
    b = json.loads(run(["kendall", "--data", str(long), "--format", "json"]).output)
    assert a["W"] == b["W"] and a["m"] == 4 and a["k"] == 3
    assert abs(a["p_exact"] - 0.125) < 1e-12
    for key in ("m", "k", "W", "W_uncorrected", "chi2", "df", "p_asymptotic", "p_exact", "p_monte_carlo",
                "ties_corrected", "mean_ranks"):
        assert key in a
    t = json.loads(run(["kendall", "--data", str(wide), "--format", "json", "--objects-in-rows"]).output)
    assert (t["m"], t["k"]) == (3, 4)


def test_kendall_incomplete_raters(tmp_path):
    wide = tmp_path / "w.csv"
    wide.write_text("rater,a,b,c\nr1,1,2,3\nr2,1,,2\nr3,2,1,3\nr4,1,2,3\n")
    result = run(["kendall", "--data", str(wide)])
    assert_one_line_error(result)
    assert "r2" in result.output
    result = run(["kendall", "--data", str(wide), "--drop-incomplete", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["m"] == 3


def test_debug_flag_shows_the_traceback(tmp_path, monkeypatch):
    from repro.errors import ReproError

    monkeypatch.delenv("REPRO_DEBUG", raising=False)
    missing = str(tmp_path / "none.csv")
    quiet = run(["kendall", "--data", missing])
    assert quiet.exit_code == 2, quiet.output
    assert isinstance(quiet.exception, SystemExit), quiet.exception  # a clean exit, not an escaped error
    assert "Traceback" not in quiet.output
    loud = runner.invoke(app, ["--debug", "kendall", "--data", missing])
    assert isinstance(loud.exception, ReproError)
    assert "REPRO_DEBUG" not in os.environ  # the flag is read from the command line, not written to the environment
