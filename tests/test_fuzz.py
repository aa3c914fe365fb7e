"""Malformed input cannot break the tool: at least 1000 hypothesis cases per parser, and every command x format.

Every parser — the datasets (Tables 2-4), the raw judgments (``repro ties --data``), the raw
rankings (``repro kendall --data``) and the reported results (``repro audit``) — is fed
empty, binary, BOM-prefixed, wrongly delimited files, missing and extra columns, non-numeric
and non-finite values, duplicated rows and long files. Through the command line every case
ends with exit 0 or with exit 2 and exactly one ``repro: error`` line naming the file, never
a traceback; the dataset loaders raise only ReproError.
"""

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from typer.testing import CliRunner

from cli import app
from repro.errors import ReproError

runner = CliRunner()
CASES = settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))

NASTY = ["", " ", "nan", "NaN", "inf", "-inf", "1e309", "-1", "0", "1/0", "1/10", "10", "3", "1/3", "0,5", "0.5",
         "<0.001", "=0,05", "**", "2;3;1", "1,5;1,5;3", "x", "\x00", "\ufeff", "ә", '"', "''", "1e-400", "9" * 40]
cell = st.one_of(st.sampled_from(NASTY), st.text(max_size=6))


def _file(header: list[str], rows: list[list[str]], sep: str, bom: bool, duplicate: bool, tail: bytes) -> bytes:
    def line(cells):
        return sep.join('"' + c.replace('"', '""') + '"' if (sep in c or '"' in c or "\n" in c) else c for c in cells)

    body = [line(header)] + [line(r) for r in rows] + ([line(rows[0])] if duplicate and rows else [])
    data = "\n".join(body).encode("utf-8", "surrogatepass") + tail
    return (b"\xef\xbb\xbf" if bom else b"") + data


def files(headers):
    """CSV bytes: a header drawn from ``headers`` (maybe with a column dropped or added), nasty rows."""
    return st.builds(
        _file,
        header=st.sampled_from(headers).flatmap(lambda h: st.one_of(
            st.just(h), st.just(h[:-1]), st.just(h + ["extra"]), st.just(list(reversed(h))))),
        rows=st.lists(st.lists(cell, min_size=0, max_size=7), max_size=8),
        sep=st.sampled_from([",", ",", ",", ";", "\t"]),
        bom=st.booleans(),
        duplicate=st.booleans(),
        tail=st.sampled_from([b"", b"\n", b"\x00\x01\xff", b"\n" * 3, b"\xd0"]),
    )


def _cli_case(data: bytes, args_for) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.csv"
        path.write_bytes(data)
        result = runner.invoke(app, args_for(str(path)))
        assert result.exit_code in (0, 2), result.output
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        if result.exit_code == 2:
            errors = [l for l in result.output.splitlines() if l.startswith("repro: error")]
            assert len(errors) == 1, result.output
            assert str(path) in errors[0]


@CASES
@given(data=files([["respondent", "block", "item_a", "item_b", "value"]]))
def test_fuzz_judgments(data):
    _cli_case(data, lambda p: ["ties", "--data", p, "--format", "json"])


@CASES
@given(data=files([["rater", "item", "value"], ["rater", "a", "b", "c"], ["rater", "a", "b"]]))
def test_fuzz_rankings(data):
    _cli_case(data, lambda p: ["kendall", "--data", p, "--format", "json"])


@CASES
@given(data=files([["label", "m", "k", "W", "chi2", "df", "p", "mean_ranks", "mark"],
                   ["label", "W", "p", "mean_rank_1", "mean_rank_2", "mean_rank_3"], ["label", "share", "N"]]))
def test_fuzz_reported_results(data):
    _cli_case(data, lambda p: ["audit", p, "--format", "json"])


DATASET_FILES = {
    "p004_table2.csv": ("table2", ["row", "gap_before", "label", "E1", "E2", "E3", "Q27", "Жалпы"]),
    "p004_table3.csv": ("table3", ["row", "indicator", "rank_1", "rank_2", "rank_3", "W", "p"]),
    "p004_table4.csv": ("table4", ["row", "indicator", "dimension", "W", "p"]),
}


@CASES
@given(name=st.sampled_from(sorted(DATASET_FILES)), data=st.data())
def test_fuzz_dataset_loaders(name, data):
    from repro import datasets as ds

    loader, header = DATASET_FILES[name]
    content = data.draw(files([header]))
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / name).write_bytes(content)
        try:
            getattr(ds, loader)(Path(tmp))
        except ReproError as exc:
            assert name in exc.one_line() and "\n" not in exc.one_line()


def test_huge_file_is_refused_in_one_line(tmp_path):
    from repro.csvread import MAX_BYTES

    path = tmp_path / "huge.csv"
    with open(path, "wb") as handle:
        handle.write(b"rater,a,b,c\n")
        handle.truncate(MAX_BYTES + 1)
    result = runner.invoke(app, ["kendall", "--data", str(path)])
    assert result.exit_code == 2 and result.output.count("repro: error") == 1 and "MiB" in result.output


# --------------------------------------------------------------------------- every command x every format

FORMATS = ["table", "json", "csv", "markdown", "latex"]
HOSTILE = st.sampled_from(["[/]", "[bold]x[/bold]", "<script>", "{{7*7}}", "\\input{/etc/passwd}", "=HYPERLINK(1)",
                           "a|b", "\x1b[2J", "\x07", "line\nbreak", "total", "", "ә", "\u202e"]) | st.text(max_size=8)


def _edge_case(args, data: bytes | None = None, name: str = "input.csv"):
    """Run one command line; only exit 0 or a one-line ReproError (exit 2) may come out, never a bug (70)."""
    with tempfile.TemporaryDirectory() as tmp:
        full = list(args)
        if data is not None:
            path = Path(tmp) / name
            path.write_bytes(data)
            full = [a.replace("{path}", str(path)) for a in full]
        result = runner.invoke(app, full)
        assert result.exit_code in (0, 2), (full, result.output[-800:])
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        if result.exit_code == 2:
            assert len([l for l in result.output.splitlines() if l.startswith("repro: error")]) == 1, result.output


def _csv(rows) -> bytes:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


FAST = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.mark.slow
@FAST
@given(label=HOSTILE, fmt=st.sampled_from(FORMATS), values=st.lists(st.sampled_from(NASTY + ["12", "4", "0.31", "0.011"]),
                                                                   min_size=4, max_size=4))
def test_fuzz_audit_every_format(label, fmt, values):
    _edge_case(["audit", "{path}", "-f", fmt, "-j", "1"], _csv([["label", "m", "k", "W", "p"], [label] + values]))


@pytest.mark.slow
@FAST
@given(item=HOSTILE, fmt=st.sampled_from(FORMATS), scores=st.lists(st.lists(st.integers(-3, 9), min_size=3, max_size=3),
                                                                   min_size=0, max_size=6))
def test_fuzz_kendall_every_format(item, fmt, scores):
    rows = [["rater", item or "x", "b", "c"]] + [[f"r{i}"] + [str(v) for v in s] for i, s in enumerate(scores)]
    _edge_case(["kendall", "--data", "{path}", "-f", fmt], _csv(rows))


@pytest.mark.slow
@FAST
@given(who=HOSTILE, block=HOSTILE, fmt=st.sampled_from(FORMATS),
       values=st.lists(st.sampled_from(["1", "3", "1/3", "9", "0", "x", "٣"]), min_size=0, max_size=5))
def test_fuzz_ties_every_format(who, block, fmt, values):
    rows = [["respondent", "block", "item_a", "item_b", "value"]] + \
           [[who, block, f"a{i}", f"b{i}", v] for i, v in enumerate(values)]
    _edge_case(["ties", "--data", "{path}", "-f", fmt], _csv(rows))


@pytest.mark.slow
@FAST
@given(text=st.text(max_size=200) | st.sampled_from(["Kendall's W = 0.31, p = 0.011, m = 12, k = 4",
                                                     "W = 1.5, p = 2, χ2(0) = 3", "[/] W = 0,5"]),
       fmt=st.sampled_from(FORMATS))
def test_fuzz_scan_every_format(text, fmt):
    _edge_case(["scan", "{path}", "-f", fmt, "-j", "1"], text.encode("utf-8", "surrogatepass"), name="paper.txt")


@pytest.mark.parametrize("args", [[c] + (["-t", t] if t else []) + ["-f", f, "-l", l]
                                  for c, t in (("tables", "B2"), ("ties", None), ("ladder", None),
                                               ("kendall", "B3"))
                                  for f in FORMATS for l in ("kk", "en")])
def test_every_command_without_input_in_every_format_and_language(args):
    if args[0] == "ladder" and "-t" in args:
        return
    _edge_case(args)


# --------------------------------------------------------------------------- degenerate inputs

DEGENERATE = {
    "k = 1": (["audit", "{path}"], "label,m,k,W,p\nA,12,1,0.31,0.011\n"),
    "m = 1": (["audit", "{path}"], "label,m,k,W,p\nA,1,3,0.31,0.011\n"),
    "df = 0": (["audit", "{path}"], "label,m,k,chi2,df,p\nA,12,3,3.1,0,0.011\n"),
    "W > 1": (["audit", "{path}"], "label,m,k,W,p\nA,12,3,1.31,0.011\n"),
    "p > 1": (["audit", "{path}"], "label,m,k,W,p\nA,12,3,0.31,1.5\n"),
    "N = 1e9": (["audit", "{path}"], "label,share,N\nA,0.5,1000000000\n"),
    "empty block": (["ties", "--data", "{path}"], "respondent,block,item_a,item_b,value\nr1,,a,b,1\n"),
    "single rater all ties": (["kendall", "--data", "{path}"], "rater,a,b,c\nr1,1,1,1\n"),
    "all raters all ties": (["kendall", "--data", "{path}", "-f", "json"], "rater,a,b,c\nr1,1,1,1\nr2,2,2,2\n"),
    "one item": (["kendall", "--data", "{path}"], "rater,a\nr1,1\nr2,2\n"),
}


@pytest.mark.parametrize("case", sorted(DEGENERATE))
def test_degenerate_inputs_are_verdicts_or_clear_errors(case):
    args, text = DEGENERATE[case]
    if case == "k = 1":
        from repro import audit

        if not hasattr(audit, "audit_row"):  # D20 is fixed by the audit engine (branch audit): until it is merged
            pytest.xfail("k = 1 raises ZeroDivisionError in the audit engine before audit_row (D20)")
    _edge_case(args, text.encode())


# --------------------------------------------------------------------------- resource property


def _limited(args: list[str], data: bytes, seconds: float, megabytes: int):
    import resource
    import subprocess
    import sys

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (megabytes * 2 ** 20, megabytes * 2 ** 20))
        resource.setrlimit(resource.RLIMIT_CPU, (int(seconds) + 1, int(seconds) + 1))

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.csv"
        path.write_bytes(data)
        full = [a.replace("{path}", str(path)) for a in args]
        return subprocess.run([sys.executable, "-c", "import cli; cli.main()", *full], capture_output=True,
                              timeout=seconds * 3, preexec_fn=limit, cwd=str(Path(__file__).resolve().parents[1]))


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(m=st.integers(2, 12), k=st.integers(2, 10), seed=st.integers(0, 10 ** 6), ties=st.booleans())
def test_resource_kendall_any_size_within_time_and_memory(m, k, seed, ties):
    """Every Kendall file of up to 12 raters x 10 items answers within 20 CPU s and 1.5 GB (D10)."""
    import random

    rng = random.Random(seed)
    rows = [["rater"] + [f"i{j}" for j in range(k)]]
    for i in range(m):
        ranks = list(range(1, k + 1))
        rng.shuffle(ranks)
        if ties:
            ranks = [min(r, k // 2 + 1) for r in ranks]
        rows.append([f"r{i}"] + [str(r) for r in ranks])
    result = _limited(["kendall", "--data", "{path}", "-f", "json"], _csv(rows), 20, 1500)
    assert result.returncode in (0, 2), result.stderr[-500:]
    assert b"Traceback" not in result.stderr


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(n=st.integers(1, 3000), pairs=st.integers(1, 8))
def test_resource_ties_reader_within_time_and_memory(n, pairs):
    rows = [["respondent", "block", "item_a", "item_b", "value"]]
    rows += [[f"r{i}", "E1", f"a{i}_{j}", f"b{i}_{j}", "1"] for i in range(n) for j in range(pairs)]
    result = _limited(["ties", "--data", "{path}", "-f", "json"], _csv(rows), 20, 1000)
    assert result.returncode in (0, 2), result.stderr[-500:]
