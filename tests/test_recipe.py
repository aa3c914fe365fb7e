"""The README's fresh-machine recipe is what CI runs, and it names what a fresh machine lacks."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## ", 1)[0]  # the two commands open the README, before any section
    blocks = re.findall(r"```\n(.*?)```", section, flags=re.S)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def test_readme_setup_installs_into_a_virtual_environment_and_names_pango():
    commands = _setup_commands()
    installs = [c for c in commands if "pip install" in c]
    # the README opens with exactly two commands, each self-contained on a fresh Debian machine
    assert len(installs) == 2 and len(commands) == 2, commands
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.index(installs[0]) < readme.index("## "), "the two commands must open the README"
    for c in installs:
        # a stock Debian Python refuses `pip install` outside a virtual environment, and lacks
        # python3-venv and Pango until apt-get installs them
        assert " && python3 -m venv .venv && . .venv/bin/activate && " in c
        apt = c.split(" && python3 -m venv")[0]
        assert apt.startswith("apt-get update && apt-get install -y ")
        assert {"python3-venv", "libpango-1.0-0", "libpangoft2-1.0-0"} <= set(apt.split())


def test_ci_runs_the_readme_test_command():
    test_command = next(c for c in _setup_commands() if "python -m pytest" in c)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    ci_lines = [line.replace("pip install -q ", "pip install ") for line in ci.splitlines()]
    assert test_command in ci_lines, "the README's test command is not the one .ci/run runs"
    assert "REPRO_REQUIRE_SEEDS=1" in ci and "repro check --artefacts artefacts" in ci
