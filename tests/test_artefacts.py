"""repro build and repro check: manifest, byte-identical rebuilds, drift named down to the cell, exit codes."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from repro import datasets as ds
from repro.artefacts import build_artefacts, compare_artefacts, sha256_file

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("artefacts")
    manifest = build_artefacts(out, ("en",), pdf=False)
    return out, manifest


def test_manifest_lists_every_input_and_output_with_hashes(built):
    out, manifest = built
    assert set(manifest["inputs"]) == {f"datasets/{name}" for name in ds.dataset_hashes()}
    for name, digest in manifest["outputs"].items():
        assert sha256_file(out / name) == digest
    for table in ("A1", "B1", "B2", "B3", "B4", "prose"):
        for ext in ("json", "csv", "md", "tex"):
            assert f"tables/{table}.en.{ext}" in manifest["outputs"]
    assert "report/report.html" in manifest["outputs"] and "report/table2_heatmap.en.svg" in manifest["outputs"]
    assert manifest["tool"]["name"] == "repro" and "weasyprint" in manifest["dependencies"]
    tex = (out / "tables/B3.en.tex").read_text()
    assert "\\toprule" in tex and "\\bottomrule" in tex  # booktabs


def test_rebuild_is_byte_identical(built, tmp_path):
    out, _ = built
    build_artefacts(tmp_path, ("en",), pdf=False)
    assert compare_artefacts(out, tmp_path).equal


def test_a_moved_status_is_drift_named_down_to_the_cell(built, tmp_path):
    out, _ = built
    committed = tmp_path / "committed"
    shutil.copytree(out, committed)
    path = committed / "tables/B3.en.json"
    doc = json.loads(path.read_text())
    cell = doc["tables"][0]["cells"][0]
    cell["status"] = "reproduced" if cell["status"] != "reproduced" else "inconsistent"
    path.write_text(json.dumps(doc, ensure_ascii=False))
    comparison = compare_artefacts(committed, out)
    assert not comparison.equal
    change = comparison.changes[0]
    assert (change.kind, change.table, change.row, change.column, change.field) == \
        ("cell", "B3", cell["row"], cell["column"], "status")


def test_check_exit_codes(built, tmp_path):
    out, _ = built
    assert runner.invoke(app, ["check", "--artefacts", str(tmp_path / "none")]).exit_code == 2
    ok = runner.invoke(app, ["check", "--artefacts", str(out)])
    assert ok.exit_code == 0, ok.output
    drifted = tmp_path / "drifted"
    shutil.copytree(out, drifted)
    (drifted / "tables/B2.en.md").write_text("edited by hand\n")
    result = runner.invoke(app, ["check", "--artefacts", str(drifted), "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.output)["changes"][0]["file"] == "tables/B2.en.md"


def test_a_dataset_edit_that_moves_a_status_fails_check_naming_the_cell(built, tmp_path):
    """End to end on a copy of the checkout: perturb one printed W of Table 3 beyond rounding."""
    out, _ = built
    project = tmp_path / "project"
    for part in ("cli.py", "commands", "repro", "datasets", "templates"):
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, project / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            project.mkdir(exist_ok=True)
            shutil.copy(src, project / part)
    committed = tmp_path / "committed"
    shutil.copytree(out, committed)
    row = ds.table3()[5]
    perturbed = str(round(float(row.W.value) + 0.1, row.W.decimals)).replace(".", ",")
    path = project / "datasets/p004_table3.csv"
    lines = path.read_text().splitlines()
    lines[row.row] = lines[row.row].replace(f'"{row.W.text}"', f'"{perturbed}"')
    path.write_text("\n".join(lines) + "\n")
    result = subprocess.run([sys.executable, "cli.py", "check", "--artefacts", str(committed)], cwd=project,
                            capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "REPRO_NO_CACHE": "1",
                                                                 "HOME": str(tmp_path)})
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"table B3, row {row.row}, column W: status reproduced → inconsistent" in result.stdout
