"""The papers' texts ("seeds") for the transcription tests: a committed excerpt, checked against the seeds.

The full texts live outside the repository, in ``../shared/seeds/`` (``000_*.txt``, ``004_*.txt``).
The tests that compare ``datasets/`` with the papers read ``tests/seed_excerpts/``: the lines of each
seed they need, verbatim, with their line numbers. So they run in any clone, the same everywhere.

Each excerpt records the sha256 of its seed and of its own body. ``tests/test_seeds.py`` checks the
body hash always, and every excerpt line against the full seed whenever the seeds are found; with
``REPRO_REQUIRE_SEEDS=1`` (set by ``.ci/run``) a missing seed folder is a failure, not a skip.
The seeds are looked for, in order:

1. ``$REPRO_SEEDS`` (a folder holding the ``NNN_*.txt`` files);
2. ``../shared/seeds`` beside the repository (the layout of CI: a fresh clone with ``shared/`` beside it);
3. for a git worktree, ``../shared/seeds`` beside its main checkout.

After a transcription changes what the tests look up, rewrite the excerpts (needs the seeds)::

    python tests/seedtexts.py            # writes tests/seed_excerpts/*.txt
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXCERPTS = Path(__file__).resolve().parent / "seed_excerpts"
BLOCK = "@@ "  # a block of consecutive seed lines starts with "@@ <line number>"
GAP = " \u2042 "  # joins blocks in the text the tests search: no needle spans two blocks


def _worktree_main() -> Path | None:
    """The main checkout of a git worktree (``.git`` is then a file naming ``.../.git/worktrees/NAME``)."""
    dotgit = ROOT / ".git"
    if not dotgit.is_file():
        return None
    match = re.match(r"gitdir:\s*(.+)", dotgit.read_text(encoding="utf-8").strip())
    if not match:
        return None
    gitdir = (ROOT / match.group(1)).resolve()
    common = gitdir / "commondir"
    if not common.is_file():
        return None
    return (gitdir / common.read_text(encoding="utf-8").strip()).resolve().parent


def find_seeds() -> Path | None:
    """The folder of the full seed texts, or None (see the module docstring for the order)."""
    candidates = []
    if os.environ.get("REPRO_SEEDS"):
        candidates.append(Path(os.environ["REPRO_SEEDS"]))
    candidates.append(ROOT.parent / "shared" / "seeds")
    main = _worktree_main()
    if main is not None:
        candidates.append(main.parent / "shared" / "seeds")
    return next((c for c in candidates if any(c.glob("[0-9][0-9][0-9]_*.txt"))), None)


def full_seed(paper: str) -> Path | None:
    """The full text file of seed ``paper`` ("000", "004"), or None when the seeds are not found."""
    folder = find_seeds()
    return None if folder is None else next(folder.glob(paper + "_*.txt"), None)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalized(text: str) -> str:
    """Whitespace runs as one space (line breaks of the extracted PDF text do not matter)."""
    return re.sub(r"\s+", " ", text)


# ---- reading an excerpt ------------------------------------------------------------------------

def excerpt_path(paper: str) -> Path:
    path = next(EXCERPTS.glob(paper + "_*.txt"), None)
    if path is None:
        raise FileNotFoundError(f"no excerpt of seed {paper} in {EXCERPTS}")
    return path


def read_excerpt(paper: str) -> tuple[dict[str, str], dict[int, str], str]:
    """(header fields, {line number: line}, body) of the excerpt of seed ``paper``."""
    header: dict[str, str] = {}
    lines: dict[int, str] = {}
    raw = excerpt_path(paper).read_text(encoding="utf-8")
    head, _, body = raw.partition("\n\n")
    for line in head.splitlines():
        key, _, value = line.lstrip("# ").partition(": ")
        header[key] = value
    number = None
    for line in body.split("\n")[:-1]:
        if line.startswith(BLOCK):
            number = int(line[len(BLOCK):])
            continue
        if number is None:
            raise ValueError(f"{excerpt_path(paper)}: a line before the first block")
        lines[number] = line
        number += 1
    return header, lines, body


def blocks(lines: dict[int, str]) -> list[list[str]]:
    """The excerpt's lines as blocks of consecutive seed lines."""
    out: list[list[str]] = []
    previous = None
    for number in sorted(lines):
        if previous is None or number != previous + 1:
            out.append([])
        out[-1].append(lines[number])
        previous = number
    return out


def seed(paper: str) -> str:
    """What the transcription tests search: the excerpt of seed ``paper``, whitespace normalized."""
    _, lines, _ = read_excerpt(paper)
    return GAP.join(normalized("\n".join(b)) for b in blocks(lines))


# ---- writing the excerpts (needs the full seeds) -----------------------------------------------

def needles() -> dict[str, list]:
    """What tests/test_datasets.py looks up in each seed, as predicates over normalized text.

    Mirror of the tests' own look-ups: a test that searches for something new needs it here too.
    """
    sys.path.insert(0, str(ROOT))
    from repro import datasets as ds

    def has(s):
        return lambda t: s in t

    def quote(q):
        plain = q.replace("-", "")
        return lambda t: q in t or plain in t.replace("- ", "").replace("-", "")

    out: dict[str, list] = {"000": [], "004": []}
    for row in ds.table2():
        out["004"] += [has(p.text) for p in row.cells.values()]
        out["004"].append(has(" ".join(row.cells[c].text for c in list(ds.TABLE2_BLOCKS) + [ds.TABLE2_TOTAL])))
    for row in ds.table3():
        out["004"].append(has(" ".join(p.text for p in row.ranks + (row.W, row.p))))
    for cell in ds.table4():
        out["004"] += [has(cell.W.text), has(cell.p.text)]
    for fig in ds.prose_figures().values():
        out[fig["paper"]].append(quote(fig["quote"]))
    for rec in ds.p000_table1():
        out["000"] += [has(rec["level"]), has(rec["kz_experience"].split(",")[0])]
    return out


def _window(lines: list[str], found) -> tuple[int, int]:
    """The shortest run of lines [i, j) whose normalized text satisfies ``found`` (binary searches)."""
    def ok(i, j):
        return found(normalized("\n".join(lines[i:j])))

    if not ok(0, len(lines)):
        raise LookupError("not in the seed")
    lo, hi = 1, len(lines)
    while lo < hi:  # the first j with found(lines[:j])
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if ok(0, mid) else (mid + 1, hi)
    j = lo
    lo, hi = 0, j - 1
    while lo < hi:  # the last i with found(lines[i:j])
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if ok(mid, j) else (lo, mid - 1)
    return lo, j


def write_excerpts() -> None:
    folder = find_seeds()
    if folder is None:
        raise SystemExit("the seed texts are not found: set REPRO_SEEDS or put shared/seeds beside the repository")
    EXCERPTS.mkdir(exist_ok=True)
    for paper, predicates in needles().items():
        path = full_seed(paper)
        assert path is not None, paper
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        keep: set[int] = set()
        for found in predicates:
            i, j = _window(lines, found)
            keep.update(range(i, j))
        body = []
        previous = None
        for n in sorted(keep):
            if lines[n].startswith(BLOCK):
                raise ValueError(f"seed line {n + 1} starts with {BLOCK!r}")
            if previous is None or n != previous + 1:
                body.append(f"{BLOCK}{n + 1}")
            body.append(lines[n])
            previous = n
        body_text = "\n".join(body) + "\n"
        header = (f"# excerpt of: {path.name}\n"
                  f"# seed sha256: {_sha256(text)}\n"
                  f"# body sha256: {_sha256(body_text)}\n"
                  f"# lines: {len(keep)} of {len(lines)}\n"
                  f"# written by: python tests/seedtexts.py (the lines tests/test_datasets.py reads, verbatim)\n")
        for old in EXCERPTS.glob(paper + "_*.txt"):
            old.unlink()
        (EXCERPTS / path.name).write_text(header + "\n" + body_text, encoding="utf-8")
        print(f"{EXCERPTS / path.name}: {len(keep)} of {len(lines)} lines")


if __name__ == "__main__":
    write_excerpts()
