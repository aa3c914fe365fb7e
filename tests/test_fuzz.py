"""Malformed input cannot break the tool: at least 1000 hypothesis cases per parser.

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
