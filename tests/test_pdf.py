"""D14: the PDF renderer and its workers die with the main process, whatever signal reaches it alone."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _children() -> dict[int, int]:
    """pid -> parent pid of every process (Linux /proc)."""
    out = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                out[int(entry.name)] = int(fields[1])
    return out


def _descendants(pid: int) -> set[int]:
    parents = _children()
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - found
        found |= frontier
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2,
                    reason="the renderer process runs only with fork and two or more CPUs; /proc is read")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=["TERM", "INT", "KILL"])
def test_renderer_and_workers_die_with_the_main_process(tmp_path, sig):
    """`kill -TERM/-INT/-KILL PID` of `repro report`'s main process alone (as timeout or a CI runner sends
    it) leaves no renderer or worker behind (attack review D14: they stayed blocked forever)."""
    env = dict(os.environ, REPRO_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("REPRO_SERIAL", None)
    main = subprocess.Popen([sys.executable, "-c",
                             "import sys; from repro.report import write_report; write_report(sys.argv[1])",
                             str(tmp_path / "out")], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        seen: set[int] = set()
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and main.poll() is None:
            seen |= _descendants(main.pid)
            if len(_alive(seen)) >= 3:  # the renderer and its two workers (three editions)
                break
            time.sleep(0.05)
        assert main.poll() is None, "the report finished before its workers could be seen"
        assert len(_alive(seen)) >= 2, seen
        os.kill(main.pid, sig)
        main.wait(timeout=30)
        deadline = time.monotonic() + 15
        while _alive(seen) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(seen), f"orphaned after {sig.name}: {sorted(_alive(seen))}"
    finally:
        if main.poll() is None:
            main.kill()
            main.wait()
        for pid in _alive(seen if "seen" in locals() else set()):
            os.kill(pid, signal.SIGKILL)  # processes this test started, by id
