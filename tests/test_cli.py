"""The command line's edge: options honoured or refused, output hygiene, input files, budgets.

Each ``test_dNN_*`` reproduces defect DNN of the attack review (../shared/reviews/attacks.md)
and fails on the code before its fix (876ef70).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
SHARES = str(ROOT / "examples" / "reported_shares.csv")
TESTS = str(ROOT / "examples" / "reported_tests.csv")
JUDGMENTS = str(ROOT / "datasets" / "reconstructed_judgments.csv")
PAYLOAD = '[/] [bold]x[/bold] <script>alert(1)</script> {{7*7}} \\input{/etc/passwd} =HYPERLINK("http://e") | end'


def run(args, **kw):
    return runner.invoke(app, args, **kw)


def repro(args, *, stdin=None, env=None, limit_mb: int | None = None, timeout: float = 60, close_stdout=False,
          text=False):
    """Run the installed entry point in a subprocess (real stdout/stderr bytes, optional memory limit)."""

    def pre():
        if limit_mb:
            resource.setrlimit(resource.RLIMIT_AS, (limit_mb * 2 ** 20, limit_mb * 2 ** 20))
        if close_stdout:
            os.close(1)

    full_env = dict(os.environ, **(env or {}))
    full_env.pop("REPRO_DEBUG", None)
    return subprocess.run([sys.executable, "-c", "import cli; cli.main()", *args], input=stdin, capture_output=not close_stdout,
                          stderr=subprocess.PIPE if close_stdout else None, env=full_env, timeout=timeout,
                          preexec_fn=pre, cwd=str(ROOT), text=text)


def one_error(result) -> str:
    assert result.exit_code == 2, result.output
    lines = [l for l in result.output.splitlines() if l.startswith("repro: error")]
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# --------------------------------------------------------------------------- D18: --out with every format


@pytest.mark.slow
def test_d18_out_with_the_default_table_format_writes_the_file(tmp_path):
    wide = write(tmp_path, "w.csv", "rater,a,b,c\nr1,1,2,3\nr2,1,3,2\nr3,2,1,3\n")
    cases = {"tables": ["tables", "-t", "B4"], "audit": ["audit", TESTS], "kendall": ["kendall", "--data", wide],
             "ties": ["ties", "--data", JUDGMENTS], "kendall_tables": ["kendall", "-t", "B3"], "ties_table": ["ties"],
             "ladder": ["ladder"]}
    for name, args in cases.items():
        target = tmp_path / f"{name}.txt"
        result = run(args + ["--out", str(target)])
        assert result.exit_code == 0, (name, result.output)
        assert target.exists(), name
        assert target.read_text(encoding="utf-8").strip(), name
        assert result.stdout.strip() == "", (name, result.stdout[:200])
        assert "\x1b[" not in target.read_text(encoding="utf-8")


@pytest.mark.slow
def test_kendall_data_and_ladder_honour_every_format(tmp_path):
    wide = write(tmp_path, "w.csv", "rater,a,b,c\nr1,1,2,3\nr2,1,3,2\nr3,2,1,3\n")
    out = tmp_path / "k.csv"
    assert run(["kendall", "--data", wide, "-f", "csv", "--out", str(out)]).exit_code == 0
    text = out.read_text()
    assert text.splitlines()[0].split(",")[:2] == ["Statistic", "Value"] and "p_exact" in text
    for fmt, marker in (("csv", "table,row,row_label"), ("markdown", "|---"), ("latex", r"\begin{longtable}")):
        result = run(["ladder", "-f", fmt])
        assert result.exit_code == 0 and marker in result.output.replace("| ---", "|---").replace("|:--", "|---"), \
            (fmt, result.output[:300])
        result = run(["kendall", "--data", wide, "-f", fmt])
        assert result.exit_code == 0 and "╭" not in result.output and "uncorrected" in result.output


def test_table_with_data_is_refused(tmp_path):
    wide = write(tmp_path, "w.csv", "rater,a,b,c\nr1,1,2,3\nr2,1,3,2\n")
    assert "--table" in one_error(run(["kendall", "--data", wide, "-t", "B3"]))
    assert "--data" in one_error(run(["kendall", "--resamples", "100"]))


# --------------------------------------------------------------------------- the option walk

WIDE = "rater,a,b,c,d\nr1,1,2,3,4\nr2,1,3,2,4\nr3,2,1,3,4\nr4,1,2,4,3\n"


def _scenarios(tmp_path):
    """(command, option) -> (baseline args, args with the option). The option must change the output or be refused."""
    wide = write(tmp_path, "w.csv", WIDE)
    rows = write(tmp_path, "rows.csv", "item,r1,r2,r3\na,1,1,2\nb,2,3,1\nc,3,2,3\n")
    holes = write(tmp_path, "holes.csv", WIDE + "r5,1,,2,3\n")
    ties_wide = write(tmp_path, "t.csv", "rater,a,b,c\nr1,1,1,2\nr2,1,2,3\nr3,2,1,3\n")
    out = str(tmp_path / "o.txt")
    svg = str(tmp_path / "l.svg")
    example = str(tmp_path / "ex.csv")
    summary = str(tmp_path / "summary.csv")
    witness = str(tmp_path / "witness.csv")
    ranks_table = write(tmp_path, "t3.txt", "Table 3\nMean ranks\nItem A B C W p\nEconomy 1,25 2,00 2,75 0,562 0,011\n"
                                            "Note: survey\n")
    consistent = write(tmp_path, "consistent.csv", 'label,W,p,mean_ranks\nA,0.562,0.011,"1.25;2.00;2.75"\n')
    manuscript = write(tmp_path, "paper.txt", "Kendall's W = 0.31, p = 0.011 (m = 12 experts, k = 4 items).\n")
    s = {
        ("tables", "--table"): (["tables"], ["tables", "--table", "B2"]),
        ("tables", "--lang"): (["tables", "-t", "B2"], ["tables", "-t", "B2", "--lang", "kk"]),
        ("tables", "--format"): (["tables", "-t", "B2"], ["tables", "-t", "B2", "--format", "csv"]),
        ("tables", "--out"): (["tables", "-t", "B2"], ["tables", "-t", "B2", "--out", out]),
        ("audit", "--lang"): (["audit", SHARES], ["audit", SHARES, "--lang", "ru"]),
        ("audit", "--format"): (["audit", SHARES], ["audit", SHARES, "--format", "markdown"]),
        ("audit", "--out"): (["audit", SHARES], ["audit", SHARES, "--out", out]),
        ("kendall", "--data"): (["kendall", "-t", "B3"], ["kendall", "--data", wide]),
        ("kendall", "--objects-in-rows"): (["kendall", "--data", rows], ["kendall", "--data", rows, "--objects-in-rows"]),
        ("kendall", "--drop-incomplete"): (["kendall", "--data", holes], ["kendall", "--data", holes, "--drop-incomplete"]),
        ("kendall", "--no-tie-correction"): (["kendall", "--data", ties_wide],
                                             ["kendall", "--data", ties_wide, "--no-tie-correction"]),
        ("kendall", "--exact"): (["kendall", "--data", wide], ["kendall", "--data", wide, "--no-exact"]),
        ("kendall", "--resamples"): (["kendall", "--data", wide], ["kendall", "--data", wide, "--resamples", "500"]),
        ("kendall", "--seed"): (["kendall", "--data", wide, "--resamples", "500"],
                                ["kendall", "--data", wide, "--resamples", "500", "--seed", "7"]),
        ("kendall", "--table"): (["kendall"], ["kendall", "--table", "B3"]),
        ("kendall", "--lang"): (["kendall", "--data", wide], ["kendall", "--data", wide, "--lang", "kk"]),
        ("kendall", "--format"): (["kendall", "--data", wide], ["kendall", "--data", wide, "--format", "json"]),
        ("kendall", "--out"): (["kendall", "--data", wide], ["kendall", "--data", wide, "--out", out]),
        ("ties", "--data"): (["ties"], ["ties", "--data", JUDGMENTS]),
        ("ties", "--lang"): (["ties"], ["ties", "--lang", "ru"]),
        ("ties", "--format"): (["ties"], ["ties", "--format", "json"]),
        ("ties", "--out"): (["ties"], ["ties", "--out", out]),
        ("ties", "--write-example"): (["ties"], ["ties", "--write-example", example]),
        ("ladder", "--lang"): (["ladder"], ["ladder", "--lang", "kk"]),
        ("ladder", "--format"): (["ladder"], ["ladder", "--format", "json"]),
        ("ladder", "--out"): (["ladder"], ["ladder", "--out", out]),
        ("ladder", "--svg"): (["ladder"], ["ladder", "--svg", svg]),
        ("audit", "--strict"): (["audit", TESTS, "-f", "json"], ["audit", TESTS, "-f", "json", "--strict"]),
        ("audit", "--chi2-uncorrected"): (["audit", TESTS, "-f", "json"], ["audit", TESTS, "-f", "json", "--chi2-uncorrected"]),
        ("audit", "--exact-p"): (["audit", TESTS, "-f", "json"], ["audit", TESTS, "-f", "json", "--exact-p"]),
        ("audit", "--no-reconstruct"): (["audit", consistent, "-f", "json"], ["audit", consistent, "-f", "json",
                                                                             "--no-reconstruct"]),
        ("audit", "--write-witness"): (["audit", consistent], ["audit", consistent, "--write-witness", witness]),
        ("audit", "--row-seconds"): (["audit", TESTS, "-j", "1"], ["audit", TESTS, "-j", "1", "--row-seconds", "0.000001"]),
        ("scan", "--lang"): (["scan", manuscript], ["scan", manuscript, "--lang", "ru"]),
        ("scan", "--format"): (["scan", manuscript], ["scan", manuscript, "--format", "latex"]),
        ("scan", "--out"): (["scan", manuscript], ["scan", manuscript, "--out", out]),
        ("scan", "--summary"): (["scan", manuscript], ["scan", manuscript, "--summary", summary]),
        ("scan", "--reconstruct"): (["scan", ranks_table, "-f", "json", "-j", "1"],
                                    ["scan", ranks_table, "-f", "json", "-j", "1", "--no-reconstruct"]),
    }
    return s, {"out": out, "svg": svg, "example": example, "summary": summary, "witness": witness}


# options that change how fast, not what: accepted, and the output is the same
PERFORMANCE = {("audit", "--jobs"): ["audit", TESTS], ("scan", "--jobs"): None}


SLOW_COMMANDS = {"report", "build", "check"}
SLOW_SCENARIOS = {("report", "--out"), ("report", "--lang"), ("report", "--no-pdf"), ("build", "--out"),
                  ("build", "--lang"), ("build", "--no-pdf"), ("check", "--artefacts"), ("check", "--lang"),
                  ("check", "--format")}


def _declared():
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        for param in command.params:
            if param.param_type_name == "option" and "--help" not in param.opts:
                yield name, param


def test_every_option_has_help_text_and_no_bool_placeholder():
    for name, param in _declared():
        assert (param.help or "").strip(), (name, param.opts)
    for command in ["", "tables", "audit", "kendall", "ties", "ladder", "report", "build", "check"]:
        result = run(([command] if command else []) + ["--help"], env={"COLUMNS": "120"})
        assert result.exit_code == 0 and "<bool>" not in result.output, command
    assert "{file}" not in run(["audit", "--help"]).output
    import typer.main

    for name, command in typer.main.get_command(app).commands.items():  # the command list: one paragraph each
        assert command.short_help and "\n" not in command.short_help, name


@pytest.mark.slow
def test_every_option_of_every_command_has_an_effect_or_is_refused(tmp_path):
    scenarios, files = _scenarios(tmp_path)
    for name, param in _declared():
        key = (name, param.opts[0] if param.opts[0].startswith("--") else param.opts[-1])
        if key[1] == "--debug":  # every command's --debug: test_debug_after_the_subcommand_shows_the_traceback
            continue
        if name in SLOW_COMMANDS:
            assert key in SLOW_SCENARIOS, key
            continue
        if key in PERFORMANCE:
            if PERFORMANCE[key]:
                one, two = run(PERFORMANCE[key] + ["--jobs", "1"]), run(PERFORMANCE[key] + ["--jobs", "2"])
                assert one.exit_code == two.exit_code == 0 and one.output == two.output, key
            continue
        assert key in scenarios, f"no scenario for {key}: add one (the option must have an effect or be refused)"
        base_args, opt_args = scenarios[key]
        for f in files.values():
            Path(f).unlink(missing_ok=True)
        base = run(base_args)
        with_opt = run(opt_args)
        if with_opt.exit_code == 2:
            one_error(with_opt)
            continue
        assert with_opt.exit_code == 0, (key, with_opt.output)
        written = [f for f in files.values() if Path(f).exists()]
        assert with_opt.output != base.output or written, f"{key} changed nothing"


@pytest.mark.slow
def test_the_options_of_report_build_and_check_have_an_effect(tmp_path):
    built = tmp_path / "b"
    assert run(["build", "--out", str(built), "--lang", "en", "--no-pdf"]).exit_code == 0
    manifest = json.loads((built / "manifest.json").read_text())
    assert manifest.get("languages") == ["en"] and not any(k.endswith(".pdf") for k in manifest["outputs"])
    ok = run(["check", "--artefacts", str(built), "--format", "json"])
    assert ok.exit_code == 0 and json.loads(ok.stdout)
    en, kk = run(["check", "--artefacts", str(built)]), run(["check", "--artefacts", str(built), "--lang", "kk"])
    assert en.output != kk.output
    rep = tmp_path / "r"
    assert run(["report", "--out", str(rep), "--lang", "ru", "--no-pdf"]).exit_code == 0
    assert (rep / "report.html").exists() and not list(rep.glob("*.pdf"))


# --------------------------------------------------------------------------- conventions


def test_version_and_short_help():
    assert run(["--version"]).output.startswith("repro ")
    assert run(["-h"]).exit_code == 0 and "Usage" in run(["-h"]).output
    assert run(["tables", "-h"]).exit_code == 0


def test_tables_help_counts_six_tables():
    text = run(["tables", "--help"], env={"COLUMNS": "200"}).output
    assert "five" not in text and "six tables" in text


@pytest.mark.slow
def test_markdown_and_latex_have_no_nan():
    for fmt in ("markdown", "latex"):
        text = run(["tables", "-f", fmt]).output
        import re

        assert not re.search(r"\bnan\b", text, re.I), fmt


@pytest.mark.slow
def test_piped_output_is_80_columns_without_columns():
    result = repro(["tables", "-t", "B4"], env={"COLUMNS": ""}, text=True)
    widths = {len(line) for line in result.stdout.splitlines()}
    assert max(widths) <= 80, max(widths)


@pytest.mark.slow
def test_d26_columns_zero_or_tiny_is_clamped():
    for value in ("0", "1", "20"):
        result = repro(["tables", "-t", "B4"], env={"COLUMNS": value}, text=True)
        assert result.returncode == 0
        assert "0,455" in result.stdout and "inconsistent" in result.stdout, value


@pytest.mark.slow
def test_sigpipe_is_quiet():
    proc = subprocess.Popen(f"{sys.executable} -c 'import cli; cli.main()' tables | head -1", shell=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(ROOT),
                            env=dict(os.environ, COLUMNS="80"))
    out, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err and b"error" not in err, err
    assert len(out.splitlines()) == 1


@pytest.mark.slow
def test_d27_closed_stdout_is_a_one_line_error():
    for args in (["tables", "-t", "B2"], ["tables", "-t", "B2", "-f", "json"]):
        result = repro(args, close_stdout=True)
        err = result.stderr.decode()
        assert result.returncode == 2, err
        assert "Traceback" not in err and err.count("repro: error") == 1 and "standard output" in err


@pytest.mark.slow
def test_grand_summary_closes_repro_tables():
    lines = run(["tables"]).output.strip().splitlines()
    # one closing line per paper: no count adds the two papers together (issue 13)
    tail = " ".join(" ".join(lines[-8:]).split())
    assert "Paper 000 (2 tables" in tail and "Paper 004 (5 tables" in tail
    assert "All tables together" not in tail


@pytest.mark.slow
def test_reasons_wrap_at_word_boundaries_at_80_columns():
    import re

    from repro.labels import cell_view
    from repro.tables import verify_tables

    text = repro(["tables", "-t", "B4"], env={"COLUMNS": "80"}, text=True).stdout
    assert max(len(line) for line in text.splitlines()) <= 80
    words = {w for c in verify_tables(("B4",))[0].cells for w in cell_view("B4", c, "en").reason.split()
             if re.fullmatch(r"[A-Za-z]{4,12}", w)}
    shown = set(re.findall(r"[A-Za-z]+", text))
    assert words and words <= shown, sorted(words - shown)  # no word of a reason is cut in two


# --------------------------------------------------------------------------- errors at the edge


def test_debug_after_the_subcommand_shows_the_traceback(tmp_path):
    from repro.errors import ReproError

    missing = str(tmp_path / "none.csv")
    for args in (["kendall", "--data", missing], ["audit", missing], ["ties", "--data", missing]):
        assert isinstance(run(args + ["--debug"]).exception, ReproError), args
        one_error(run(args))
    assert "REPRO_DEBUG" not in os.environ


def test_python_m_repro():
    out = subprocess.run([sys.executable, "-m", "repro", "--version"], capture_output=True, text=True, cwd=str(ROOT))
    assert out.returncode == 0 and out.stdout.startswith("repro ")


def test_a_bug_is_one_line_with_a_pointer_to_debug(monkeypatch):
    import repro.tables

    def broken(ids):
        raise ValueError("internal inconsistency")

    monkeypatch.setattr(repro.tables, "verify_tables", broken)
    monkeypatch.setenv("REPRO_NO_CACHE", "1")
    result = run(["tables", "-t", "B2"])
    assert result.exit_code == 70
    lines = [l for l in result.output.splitlines() if l.startswith("repro: error")]
    assert len(lines) == 1 and "bug" in lines[0] and "--debug" in lines[0]
    loud = run(["--debug", "tables", "-t", "B2"])
    assert isinstance(loud.exception, ValueError)


@pytest.mark.slow
def test_missing_pango_names_it_and_suggests_no_pdf(tmp_path):
    stub = tmp_path / "stub" / "weasyprint"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text("raise OSError(\"cannot load library 'libgobject-2.0-0': no such file\")\n")
    env = {"PYTHONPATH": str(tmp_path / "stub"), "REPRO_NO_CACHE": "1"}
    result = repro(["report", "--out", str(tmp_path / "r"), "--lang", "en"], env=env, text=True, timeout=300)
    assert result.returncode == 2, result.stderr
    assert "Pango" in result.stderr and "--no-pdf" in result.stderr and "libgobject" in result.stderr
    assert result.stderr.count("\n") == 1 and "Broken pipe" not in result.stderr
    debug = repro(["--debug", "report", "--out", str(tmp_path / "r2"), "--lang", "en"], env=env, text=True,
                  timeout=300)
    assert "Traceback" in debug.stderr


# --------------------------------------------------------------------------- input files


def test_semicolon_files_with_decimal_commas_are_read_everywhere(tmp_path):
    semi_k = write(tmp_path, "k.csv", "rater;a;b;c\nr1;1;2;3\nr2;1,5;1,5;3\nr3;2;1;3\n")
    comma_k = write(tmp_path, "kc.csv", "rater,a,b,c\nr1,1,2,3\nr2,1.5,1.5,3\nr3,2,1,3\n")
    a = json.loads(run(["kendall", "--data", semi_k, "-f", "json"]).stdout)
    b = json.loads(run(["kendall", "--data", comma_k, "-f", "json"]).stdout)
    assert a["W"] == b["W"]
    semi_a = write(tmp_path, "a.csv", "label;m;k;W;p\nx;10;3;0,45;0,011\n")
    comma_a = write(tmp_path, "ac.csv", "label,m,k,W,p\nx,10,3,0.45,0.011\n")
    ra, rb = run(["audit", semi_a, "-f", "json"]), run(["audit", comma_a, "-f", "json"])
    assert ra.exit_code == 0, ra.output
    assert [c["status"] for c in json.loads(ra.stdout)["tables"][0]["cells"]] == \
           [c["status"] for c in json.loads(rb.stdout)["tables"][0]["cells"]]
    semi_t = write(tmp_path, "t.csv", "respondent;block;item_a;item_b;value\nr1;E1;a;b;1\nr1;E1;a;c;3\n")
    assert json.loads(run(["ties", "--data", semi_t, "-f", "json"]).stdout)["shares"][0]["share"] == 0.5


def test_na_cells_with_drop_incomplete(tmp_path):
    path = write(tmp_path, "na.csv", "rater,A,B,C\nr1,1,2,3\nr2,2,1,3\nr3,1,3,2\nr4,NA,1,2\n")
    assert "r4" in one_error(run(["kendall", "--data", path]))
    result = run(["kendall", "--data", path, "--drop-incomplete", "-f", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["m"] == 3
    long = write(tmp_path, "long.csv", "rater,item,score\nr1,a,1\nr1,b,2\nr2,a,2\nr2,b,1\n")
    assert json.loads(run(["kendall", "--data", long, "-f", "json"]).stdout)["k"] == 2


def test_folder_fifo_and_stdin(tmp_path):
    assert "folder" in one_error(run(["audit", str(tmp_path)]))
    result = run(["audit", "-", "-f", "json"], input="label,share,N\nA,0.5,36\n")
    assert result.exit_code == 0 and json.loads(result.stdout)["tables"][0]["cells"]
    fifo = tmp_path / "f.csv"
    os.mkfifo(fifo)
    proc = repro(["kendall", "--data", "/dev/stdin", "-f", "json"], stdin=WIDE.encode())
    assert proc.returncode == 0 and json.loads(proc.stdout)["m"] == 4


@pytest.mark.slow
def test_d5_devices_are_read_with_a_byte_cap():
    start = time.monotonic()
    for args in (["audit", "/dev/zero"], ["kendall", "--data", "/dev/urandom"], ["ties", "--data", "/dev/zero"]):
        result = repro(args, limit_mb=1500, timeout=60, text=True)
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("repro: error") == 1 and "Traceback" not in result.stderr
    assert time.monotonic() - start < 60


def test_errors_never_name_a_temporary_file(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    line = one_error(run(["tables", "-t", "B2", "-f", "json", "--out", str(folder)]))
    assert ".tmp" not in line and str(folder) in line


def test_d30_a_number_of_5000_digits_names_file_row_and_column(tmp_path):
    path = write(tmp_path, "long.csv", "rater,a,b\nr1,1," + "2" * 5000 + "\nr2,2,1\n")
    line = one_error(run(["kendall", "--data", path]))
    assert "row 2" in line and "column b" in line and len(line) < 450
    # repro audit judges the cell (one bad cell is a verdict on that cell, not a refused file)
    path = write(tmp_path, "long_audit.csv", "label,m,k,W,p\nx,10,3," + "1" * 5000 + ",0.01\n")
    result = run(["audit", path, "-f", "json"])
    if result.exit_code == 2:
        line = one_error(result)
        assert "row 2" in line and "column W" in line and len(line) < 450
    else:
        cells = json.loads(result.stdout)["tables"][0]["cells"]
        assert [c["status"] for c in cells if c["column"] == "W"] == ["not_checkable"]


def test_d32_one_number_reader(tmp_path):
    from repro.numerals import NotANumber, parse_score
    from repro.printed import parse_printed
    from repro.ties import parse_saaty

    assert parse_score("١٢") == 12 and float(parse_printed("١٢").value) == 12 and parse_saaty("٣") == 3
    assert parse_score("０,５") == 0.5 and float(parse_printed("٠.٣١").value) == 0.31
    with pytest.raises(NotANumber):
        parse_score("1_000")
    assert parse_printed("1_000").value is None
    k = write(tmp_path, "k.csv", "rater,a,b\nr1,1_0,2\nr2,2,1\n")
    assert "1_0" in one_error(run(["kendall", "--data", k]))
    t = write(tmp_path, "t.csv", "respondent,block,item_a,item_b,value\nr1,E1,a,b,٣\nr1,E1,a,c,1\n")
    assert run(["ties", "--data", t, "-f", "json"]).exit_code == 0


# --------------------------------------------------------------------------- user text is data


def _label_files(tmp_path, label):
    q = '"' + label.replace('"', '""') + '"'
    return {
        "audit": write(tmp_path, "a.csv", f"label,m,k,W,p\n{q},12,4,0.31,0.011\n"),
        "shares": write(tmp_path, "s.csv", f"label,share,N\n{q},0.5,36\n"),
        "kendall": write(tmp_path, "k.csv", f"rater,{q},b,c\nr1,1,2,3\nr2,1,3,2\nr3,2,1,3\n"),
        "ties": write(tmp_path, "t.csv", f"respondent,block,item_a,item_b,value\n{q},E1,a,b,1\n{q},E1,a,c,3\n"),
    }


def _shows_literally(text: str, fmt: str, label: str) -> bool:
    import html

    if fmt == "json":
        return label in json.dumps(json.loads(text), ensure_ascii=False) or label in text.encode().decode("unicode_escape", "ignore")
    if fmt == "markdown":
        text = html.unescape(text.replace("\\|", "|").replace("\\\\", "\\").replace("<br>", "\n"))
    if fmt == "latex":
        for a, b in ((r"\textbackslash{}", "\\"), (r"\{", "{"), (r"\}", "}"), (r"\_", "_"), (r"\&", "&"),
                     (r"\%", "%"), (r"\$", "$"), (r"\#", "#")):
            text = text.replace(a, b)
    if fmt == "csv":
        text = text.replace("'=HYPERLINK", "=HYPERLINK").replace('""', '"')
    if fmt == "table":  # a long label wraps inside its column: every word is there, unbroken and unstyled
        return all(word in text for word in label.split())
    flat = " ".join(text.split())
    return " ".join(label.split()) in flat


@pytest.mark.slow
def test_d11_d16_d17_a_hostile_label_is_shown_literally_in_every_command_and_format(tmp_path):
    files = _label_files(tmp_path, PAYLOAD)
    commands = {"audit": ["audit", files["audit"]], "shares": ["audit", files["shares"]],
                "kendall": ["kendall", "--data", files["kendall"]], "ties": ["ties", "--data", files["ties"]]}
    for name, args in commands.items():
        for fmt in ("table", "json", "csv", "markdown", "latex"):
            if name == "ties" and fmt in ("csv",):
                pass
            result = run(args + ["-f", fmt], env={"COLUMNS": "400"})
            assert result.exit_code == 0, (name, fmt, result.output[:500])
            assert _shows_literally(result.stdout, fmt, PAYLOAD), (name, fmt, result.stdout[:800])
    # the input path itself is shown as the title
    odd = tmp_path / "[x] [bold]y"
    odd.mkdir()
    path = write(odd, "a.csv", "label,m,k,W,p\nA,12,4,0.31,0.011\n")
    result = run(["audit", path], env={"COLUMNS": "400"})
    assert result.exit_code == 0 and "[x] [bold]y" in result.output


def test_d16_csv_cells_that_look_like_formulas_are_neutralised_but_numbers_are_not(tmp_path):
    path = write(tmp_path, "a.csv", "label,m,k,W,p\n\"=cmd|' /C calc'!A0\",12,4,0.31,0.011\n+x,12,4,0.31,0.011\n"
                                    "@y,12,4,0.31,0.011\n-z,12,4,0.31,0.011\n")
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(run(["audit", path, "-f", "csv"]).stdout)))
    labels = {r["row"] for r in rows}
    assert labels == {"'=cmd|' /C calc'!A0", "'+x", "'@y", "'-z"}
    from repro.outputs import csv_cell

    assert csv_cell("-0,12") == "-0,12" and csv_cell(-0.5) == "-0.5" and csv_cell("-a") == "'-a"


def test_d17_markdown_keeps_printed_precision_and_escapes_pipes_and_newlines(tmp_path):
    path = write(tmp_path, "a.csv", 'label,m,k,W,p,mark\n"A|B\nC",12,4,0.310,0.0110,*\n')
    text = run(["audit", path, "-f", "markdown"]).stdout
    assert "0.310" in text and "0.0110" in text
    assert "A\\|B<br>C" in text
    body = [l for l in text.splitlines() if l.startswith("|")]
    assert len({l.count("|") - l.count("\\|") for l in body}) == 1  # every row has the same number of cells


@pytest.mark.slow
def test_d15_control_characters_are_visible_on_terminals_and_kept_in_data(tmp_path):
    label = "\x1b]0;PWNED\x07\x1b[2J\x1b[31mRED"
    path = write(tmp_path, "a.csv", f"label,m,k,W,p\n{label},12,4,0.31,0.011\n")
    table = repro(["audit", path], env={"COLUMNS": "200"})
    assert b"\x1b" not in table.stdout and b"\\x1b]0;PWNED\\x07" in table.stdout
    csv_out = repro(["audit", path, "-f", "csv"])
    assert label.encode() in csv_out.stdout
    md = repro(["audit", path, "-f", "markdown"])
    assert b"\x1b[2J\x1b[31m" in md.stdout


# --------------------------------------------------------------------------- budgets


@pytest.mark.slow
def test_d10_k8_m3_answers_within_2_s_with_monte_carlo_p(tmp_path):
    path = write(tmp_path, "k8.csv", "rater,a,b,c,d,e,f,g,h\nr1,1,2,3,4,5,6,7,8\nr2,2,1,4,3,6,5,8,7\n"
                                     "r3,8,7,6,5,4,3,2,1\n")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = repro(["kendall", "--data", path, "-f", "json"], limit_mb=1500, timeout=60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    data = json.loads(result.stdout)
    assert data["p_exact"] is None and "budget" in data["reasons"]["p_exact"]
    assert data["p_monte_carlo"] is not None and data["p_monte_carlo_se"] > 0
    assert cpu <= 2.0, cpu  # CPU seconds (start-up included): wall time on a shared machine says little


def test_exact_is_forced_with_exact(tmp_path):
    from repro.kendall import exact_cost, kendall_w
    import numpy as np

    ranks = np.array([[1, 2, 3, 4, 5, 6, 7], [2, 1, 4, 3, 6, 5, 7], [7, 6, 5, 4, 3, 2, 1]], float)
    pairs, _ = exact_cost(ranks)
    r = kendall_w(ranks, exact=True)
    assert r.p_exact is not None and pairs > 0


@pytest.mark.slow
def test_d31_monte_carlo_resamples_are_capped(tmp_path):
    from repro import limits
    from repro.kendall import monte_carlo_cap

    rows = "\n".join(f"r{i},{i % 3 + 1},{(i + 1) % 3 + 1},{(i + 2) % 3 + 1}" for i in range(20000))
    path = write(tmp_path, "big.csv", "rater,a,b,c\n" + rows + "\n")
    result = run(["kendall", "--data", path, "-f", "json", "--resamples", "1000000"])
    data = json.loads(result.stdout)
    assert data["n_resamples"] == monte_carlo_cap(20000, 3) < 1_000_000
    assert "n_resamples" in data["reasons"]
    assert monte_carlo_cap(400_000, 3) * 400_000 * 3 <= limits.MONTE_CARLO_MAX_WORK
    from repro.kendall import kendall_w
    import numpy as np

    huge = kendall_w(np.tile([[1.0, 2.0, 3.0]], (1_100_000, 1)), n_resamples=1000)
    assert huge.p_monte_carlo is None and huge.reasons["p_monte_carlo"][0] == "kendall.why.mc_over_budget"


def test_d19_kendall_json_is_strict_json_with_null_and_a_reason(tmp_path):
    path = write(tmp_path, "tied.csv", "rater,a,b,c\nr1,1,1,1\nr2,2,2,2\n")
    text = run(["kendall", "--data", path, "-f", "json"]).stdout
    data = json.loads(text, parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}"))
    assert data["W"] is None and "undefined" in data["reasons"]["W"]


def _judgments(n_respondents: int, pairs_each: int) -> str:
    lines = ["respondent,block,item_a,item_b,value"]
    for r in range(n_respondents):
        for j in range(pairs_each):
            lines.append(f"r{r},E1,i{r}_{j},k{r}_{j},{1 if j % 2 else 3}")
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_d7_ties_reader_is_linear_and_the_json_does_not_list_every_missing_pair(tmp_path):
    path = write(tmp_path, "j.csv", _judgments(2000, 5))   # 10,000 judgments over disjoint pairs
    start = time.monotonic()
    result = repro(["ties", "--data", path, "-f", "json"], limit_mb=1000, timeout=60)
    assert result.returncode == 0, result.stderr[-500:]
    assert time.monotonic() - start <= 5 + 1.5
    data = json.loads(result.stdout)
    assert len(result.stdout) < 5_000_000
    entry = data["missing_pairs"][0]
    assert entry["count"] == 9995 and len(entry["pairs"]) <= 10 and entry["truncated"] is True
    assert result.stderr.decode().count("\n") <= 25


def test_d24_a_block_named_total_is_refused(tmp_path):
    path = write(tmp_path, "t.csv", "respondent,block,item_a,item_b,value\nr1,total,a,b,1\nr1,E1,a,b,3\n")
    line = one_error(run(["ties", "--data", path]))
    assert "total" in line and "row 2" in line and "column block" in line


# --------------------------------------------------------------------------- start-up


def test_help_starts_without_heavy_imports():
    code = "import sys, cli; print(sorted(m for m in ('pandas', 'scipy', 'numpy', 'weasyprint') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(ROOT)).stdout
    assert out.strip() == "[]"


# --------------------------------------------------------------------------- D22: linear in rows


@pytest.mark.slow
def test_d22_a_thousand_audit_rows_in_linear_time_and_over_budget_rows_are_named(tmp_path):
    rows = "".join(f"r{i},12,0.31,0.011\n" for i in range(1000))
    path = write(tmp_path, "many.csv", "label,m,W,p\n" + rows)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    result = repro(["audit", path, "-f", "json"], timeout=120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert result.returncode == 0, result.stderr[-300:]
    assert len(json.loads(result.stdout)["tables"][0]["cells"]) >= 1000
    assert cpu <= 10, cpu                      # CPU seconds of all workers: the machine may be shared
    assert time.monotonic() - start <= 60
    stopped = run(["audit", TESTS, "-f", "json", "--row-seconds", "0.000001", "-j", "1"])
    table = json.loads(stopped.stdout)["tables"][0]
    assert table["over_budget_rows"] and "budget" in stopped.stderr
    assert any(c["status"] == "not_checkable" and "budget" in c["reason"] for c in table["cells"])


def test_rows_run_in_parallel_and_in_order():
    from repro.rowrun import OverBudget, run_rows

    assert run_rows(abs, list(range(-50, 50)), 5.0, jobs=2) == [abs(x) for x in range(-50, 50)]
    out = run_rows(time.sleep, [0.0, 3.0], 0.5, jobs=1)
    assert out[0] is None and isinstance(out[1], OverBudget)


@pytest.mark.slow
def test_audit_workers_die_with_their_parent(tmp_path):
    import contextlib
    import signal as sig

    rows = "".join(f'r{i},0.0,1.0,"2.5;2.5;2.5;2.5"\n' for i in range(6))  # slow k = 4 rows
    path = write(tmp_path, "slow.csv", "label,W,p,mean_ranks\n" + rows)
    proc = subprocess.Popen([sys.executable, "-c", "import cli; cli.main()", "audit", path, "-j", "2"], cwd=str(ROOT),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(4)
    children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    proc.send_signal(sig.SIGKILL)
    proc.wait()
    time.sleep(2)
    alive = [c for c in children if Path(f"/proc/{c}").exists()
             and "zombie" not in Path(f"/proc/{c}/status").read_text().lower()]
    for c in alive:  # never leave them behind, even when the test fails
        with contextlib.suppress(OSError):
            os.kill(int(c), sig.SIGKILL)
    assert not alive, alive


def test_ladder_svg_name_and_out_meaning(tmp_path):
    assert ".svg" in one_error(run(["ladder", "--svg", str(tmp_path / "l.png")]))
    assert "--svg" in one_error(run(["ladder", "--out", str(tmp_path / "l.svg")]))
    assert run(["ladder", "--svg", str(tmp_path / "l.svg"), "-f", "json"]).exit_code == 0
    assert (tmp_path / "l.svg").read_text().startswith("<svg")


def test_table_completion_offers_the_table_ids():
    env = dict(os.environ, _REPRO_COMPLETE="complete_bash", COMP_WORDS="repro tables --table B", COMP_CWORD="3")
    out = subprocess.run([sys.executable, "-c", "import sys; sys.argv[0] = 'repro'; import cli; cli.main()"],
                         capture_output=True, text=True, env=env, cwd=str(ROOT))
    assert out.stdout.split() == ["B1", "B2", "B3", "B4"], out.stdout + out.stderr
    assert run(["tables", "-t", "b4", "-f", "json"]).exit_code == 0  # case-insensitive


def test_no_unfilled_placeholder_in_any_terminal_output():
    import re

    for args in (["ties"], ["tables", "-t", "B3"], ["ladder"], ["audit", TESTS], ["kendall", "-t", "B4"]):
        text = run(args, env={"COLUMNS": "200"}).output
        assert not re.search(r"\{[a-z_]+\}", text), (args, re.findall(r".{30}\{[a-z_]+\}.{10}", text)[:3])


def test_narrow_terminals_show_each_reason_once_as_a_numbered_note():
    from repro.labels import cell_view
    from repro.tables import verify_tables

    text = run(["tables", "-t", "B3"], env={"COLUMNS": "80"}).output
    assert max(len(line) for line in text.splitlines()) <= 80
    reasons = {cell_view("B3", c, "en").reason for c in verify_tables(("B3",))[0].cells} - {""}
    import re

    flat = " ".join(text.split())
    for reason in reasons:  # every distinct reason is printed, whole
        assert " ".join(reason.split()) in flat, reason
    notes = re.findall(r"^\s*\[(\d+)\]\s", text, re.M)  # and once: one numbered note per distinct reason
    assert sorted(map(int, notes)) == list(range(1, len(reasons) + 1))
    assert "Publishe\n" not in text
