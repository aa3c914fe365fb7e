"""The result cache: JSON only, verified on read, never executes what it reads (D1, D29, D33)."""

import json
import os
import pickle
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from repro import cache
from repro.tables import verify_tables
from repro.verdict import Cell, Reason, TableResult

ROOT = Path(__file__).resolve().parent.parent
NAME = "tables-B1"  # the quickest real verification (definitions): keyed and checked like the others


def compute():
    return verify_tables(("B1",))


@pytest.fixture
def cache_env(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("REPRO_CACHE_DIR", str(folder))
    monkeypatch.delenv("REPRO_NO_CACHE", raising=False)
    return folder


def paths(folder: Path) -> list[Path]:
    """Where this and the former (pickle) cache keep NAME: a planted file sits at both."""
    key = cache.inputs_key(NAME)[:32]
    return [folder / f"{NAME}-{key}.json", folder / f"{NAME}-{key}.pickle"]


class Boom:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_results_round_trip_through_json_exactly():
    results = compute()
    extra = {"pairs": [(1, 2), (3, 4)], "by_m": {7: "int key"}, "__odd": -0.0, "inf": float("inf")}
    results.append(TableResult("X", "000", ["a"], [Cell("X", "1", "a", "1,5", 1.5, reproduced=1.4999999999999998,
                                                         status="reproduced", reason=Reason("k", {"m": (2, 3)}))],
                               extra=extra))
    text = json.dumps(cache.encode(results))
    back = cache.decode(json.loads(text))
    assert back == results
    assert back[-1].extra["pairs"][0] == (1, 2) and isinstance(back[-1].extra["pairs"][0], tuple)
    assert 7 in back[-1].extra["by_m"] and back[-1].cells[0].reproduced == 1.4999999999999998
    assert back[-1].cells[0].reason.params["m"] == (2, 3)


def test_the_cache_holds_json_written_0600_in_a_private_folder(cache_env):
    first = cache.cached(NAME, compute)
    files = list(cache_env.iterdir())
    assert [p.suffix for p in files] == [".json"]
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(cache_env.stat().st_mode) & 0o077 == 0
    json.loads(files[0].read_text())  # a data format
    again = cache.cached(NAME, lambda: pytest.fail("recomputed although cached"))
    assert again == first


def test_d1_a_planted_malicious_pickle_runs_no_code_and_the_result_is_correct(cache_env, tmp_path, capsys):
    marker = tmp_path / "PWNED"
    cache_env.mkdir(mode=0o700)
    for path in paths(cache_env):
        path.write_bytes(pickle.dumps(Boom(marker)))
        path.chmod(0o600)
    result = cache.cached(NAME, compute)
    assert not marker.exists()
    assert result == compute()
    assert "recomputed" in capsys.readouterr().err


def test_d1_forged_verdicts_in_the_cache_are_rejected(cache_env, capsys):
    """Every field is checked against the dataclass: a forged wrong-typed value, an unknown class,
    a list of the wrong tables, or an empty list is recomputed; the real verdicts come back."""
    truth = compute()
    json_path = paths(cache_env)[0]
    cache.cached(NAME, compute)
    doc = json.loads(json_path.read_text())
    good = doc["value"]
    forged_values = [
        [dict(good[0], fields=dict(good[0]["fields"], cells=[{"__dataclass__": "repro.verdict:Cell",
                                                              "fields": {**good[0]["fields"]["cells"][0]["fields"],
                                                                         "status": ["reproduced"]}}]))],
        [{"__dataclass__": "os:system", "fields": {}}],
        [{"__dataclass__": "subprocess:Popen", "fields": {"args": "id"}}],
        [dict(good[0], fields=dict(good[0]["fields"], id=5))],
        [dict(good[0], fields=dict(good[0]["fields"], cells=[1, 2, 3]))],
        [],
        None,
        [1, 2, 3],
    ]
    for forged in forged_values:
        json_path.write_text(json.dumps(dict(doc, value=forged)))
        json_path.chmod(0o600)
        assert cache.cached(NAME, compute) == truth, forged
        assert "ignored" in capsys.readouterr().err
        assert json.loads(json_path.read_text())["value"] == good  # overwritten with the real result


def test_d29_a_truncated_or_corrupt_cache_is_recomputed_with_one_line(cache_env, capsys):
    truth = cache.cached(NAME, compute)
    path = paths(cache_env)[0]
    for damage in (path.read_bytes()[:100], b"\x80\x04garbage", b"", b'{"format": 99}'):
        path.write_bytes(damage)
        assert cache.cached(NAME, compute) == truth
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "recomputed" in err


def test_d29_a_fifo_in_place_of_the_cache_does_not_hang(cache_env, tmp_path):
    cache_env.mkdir(mode=0o700)
    for path in paths(cache_env):
        os.mkfifo(path)
    code = ("import sys; from repro import cache; from repro.tables import verify_tables;"
            "r = cache.cached('tables-B1', lambda: verify_tables(('B1',))); print(r[0].id)")
    env = dict(os.environ, REPRO_CACHE_DIR=str(cache_env))
    env.pop("REPRO_NO_CACHE", None)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "B1"
    assert paths(cache_env)[0].is_file()  # the FIFO was replaced by a regular cache file


def test_d29_a_folder_writable_by_others_is_not_used(cache_env, capsys):
    cache_env.mkdir()
    cache_env.chmod(0o777)
    assert cache.cached(NAME, compute) == compute()
    assert list(cache_env.iterdir()) == []
    assert "not used" in capsys.readouterr().err


def test_d29_a_symlink_in_place_of_the_cache_is_not_followed(cache_env, tmp_path):
    cache_env.mkdir(mode=0o700)
    target = tmp_path / "elsewhere.json"
    target.write_text("{}")
    paths(cache_env)[0].symlink_to(target)
    assert cache.cached(NAME, compute) == compute()
    assert target.read_text() == "{}" and not paths(cache_env)[0].is_symlink()


def test_d33_a_missing_home_is_never_created(tmp_path, monkeypatch):
    home = tmp_path / "nonexistent"
    for variable in ("REPRO_CACHE_DIR", "XDG_CACHE_HOME", "REPRO_NO_CACHE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("HOME", str(home))
    assert cache.cache_dir() is None
    assert cache.cached(NAME, compute)[0].id == "B1"
    assert not home.exists()


def test_d33_a_relative_xdg_cache_home_is_ignored(tmp_path, monkeypatch):
    monkeypatch.delenv("REPRO_CACHE_DIR", raising=False)
    monkeypatch.delenv("REPRO_NO_CACHE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", "relative-cache")
    monkeypatch.chdir(tmp_path)
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "repro"
    cache.cached(NAME, compute)
    assert not (tmp_path / "relative-cache").exists()


def test_a_value_of_a_type_the_cache_does_not_know_is_returned_uncached(cache_env, capsys):
    assert cache.cached("other", lambda: {1, 2}) == {1, 2}
    assert "not cached" in capsys.readouterr().err and not any(cache_env.glob("other-*"))
