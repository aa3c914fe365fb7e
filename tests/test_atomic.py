"""Atomic writes survive SIGKILL; the tool writes only inside --out."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from repro.atomic import inside, write_atomic
from repro.errors import ReproError

ROOT = Path(__file__).resolve().parent.parent

# The child writes a new artefact and stalls after the bytes are written but before the rename
# (fsync is patched to signal the parent and sleep), so the kill lands mid-write every time.
CHILD = """
import os, sys, time
import repro.atomic as atomic
real_fsync = os.fsync
def stall(fd):
    real_fsync(fd)
    open(sys.argv[2], "w").close()
    time.sleep(60)
atomic.os.fsync = stall
atomic.write_atomic(sys.argv[1], "new content " * 100_000)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX only")
def test_sigkill_mid_write_leaves_the_previous_artefact_intact(tmp_path):
    target = tmp_path / "table.json"
    target.write_text("previous artefact")
    marker = tmp_path / "written"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(target), str(marker)], cwd=ROOT)
    deadline = time.monotonic() + 30
    while not marker.exists():
        assert child.poll() is None and time.monotonic() < deadline, "child ended before the kill"
        time.sleep(0.02)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    assert target.read_text() == "previous artefact"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name not in ("table.json", "written")]
    assert all(name.startswith(".table.json.") and name.endswith(".tmp") for name in leftovers)


def test_a_completed_write_replaces_the_file_with_normal_permissions(tmp_path):
    target = write_atomic(tmp_path / "a.txt", "x")
    assert target.read_text() == "x"
    assert (target.stat().st_mode & 0o777) == (0o666 & ~_umask())
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_paths_outside_out_are_refused(tmp_path):
    with pytest.raises(ReproError):
        inside(tmp_path, "../escape.txt")
    with pytest.raises(ReproError):
        inside(tmp_path, "/etc/passwd")
    assert inside(tmp_path, "tables/B2.en.csv") == (tmp_path / "tables" / "B2.en.csv").resolve()


def test_d33_a_symlink_given_as_out_is_written_through_and_stays_a_link(tmp_path):
    """Attack review D33: `-o LINK` replaced the symbolic link itself by a regular file. Now the
    target gets the bytes (atomically) and the link stays a link."""
    from repro.atomic import write_atomic

    target = tmp_path / "real" / "t.csv"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "new"
    assert [p.name for p in target.parent.iterdir()] == ["t.csv"]  # no temporary left
