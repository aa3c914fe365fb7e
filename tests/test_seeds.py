"""The committed seed excerpts (tests/seed_excerpts/) are verbatim lines of the papers' texts.

The transcription tests (test_datasets.py) search these excerpts, so they run in any clone. Here the
excerpts are checked: their bodies against their recorded hash always, and line by line against the
full seeds whenever those are found (``$REPRO_SEEDS`` or ``../shared/seeds``; see tests/seedtexts.py).
"""

import hashlib
import os

import pytest

import seedtexts

PAPERS = ("000", "004")


@pytest.mark.parametrize("paper", PAPERS)
def test_excerpt_body_matches_its_recorded_hash(paper):
    header, lines, body = seedtexts.read_excerpt(paper)
    assert hashlib.sha256(body.encode("utf-8")).hexdigest() == header["body sha256"], (
        "the excerpt was edited by hand: rewrite it with python tests/seedtexts.py")
    assert lines and int(header["lines"].split()[0]) == len(lines)


@pytest.mark.parametrize("paper", PAPERS)
def test_excerpt_lines_are_verbatim_lines_of_the_seed(paper):
    path = seedtexts.full_seed(paper)
    if path is None:
        message = "the seed texts are not found (REPRO_SEEDS, or ../shared/seeds beside the repository)"
        if os.environ.get("REPRO_REQUIRE_SEEDS"):
            pytest.fail(message + "; REPRO_REQUIRE_SEEDS is set (.ci/run sets it: its clone has shared/ beside it)")
        pytest.skip(message)
    header, lines, _ = seedtexts.read_excerpt(paper)
    text = path.read_text(encoding="utf-8")
    assert header["excerpt of"] == path.name
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == header["seed sha256"], (
        f"{path} changed since the excerpt was written: rewrite it with python tests/seedtexts.py")
    seed_lines = text.split("\n")
    for number, line in lines.items():
        assert seed_lines[number - 1] == line, (paper, number)


def test_seeds_are_found_through_REPRO_SEEDS(tmp_path, monkeypatch):
    (tmp_path / "004_test.txt").write_text("text\n", encoding="utf-8")
    monkeypatch.setenv("REPRO_SEEDS", str(tmp_path))
    assert seedtexts.find_seeds() == tmp_path
    assert seedtexts.full_seed("004") == tmp_path / "004_test.txt"


def test_blocks_never_join_across_a_gap():
    text = seedtexts.GAP.join(["0,70", "0,73"])
    assert "0,70 0,73" not in text
