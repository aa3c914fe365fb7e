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
    assert {k for k in manifest["inputs"] if k.startswith("datasets/")} == {f"datasets/{name}" for name in ds.dataset_hashes()}
    assert {"repro/catalog.toml", "templates/fonts/DejaVuSans.ttf"} <= set(manifest["inputs"])
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


def test_build_fsyncs_and_check_regenerates_without_fsync(built, tmp_path, monkeypatch):
    """repro build writes durably; repro check's folder is deleted after use, so it skips the fsyncs
    (about 3.5 ms each here, 16 ms under load) and compares the same bytes."""
    import os

    out, _ = built
    synced = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd)))
    ok = runner.invoke(app, ["check", "--artefacts", str(out)])
    assert ok.exit_code == 0, ok.output
    assert synced == []
    build_artefacts(tmp_path / "again", ("en",), pdf=False)
    assert len(synced) == len(list((tmp_path / "again").rglob("*.*")))  # every file, manifest included


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
    # the printed value that changed, with both values (#18 "names that cell")
    assert f"table B3, row {row.row}, column W: published {row.W.text} → {perturbed}" in result.stdout


# ---------------------------------------------------------------- #18: across machines
def _nudge(value):
    """Every float one ulp up, through lists, dicts and dataclasses (another CPU's summation order)."""
    import dataclasses
    import math

    if isinstance(value, float) and math.isfinite(value) and value != 0:
        return math.nextafter(value, math.inf)
    if isinstance(value, dict):
        return {k: _nudge(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nudge(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_nudge(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: _nudge(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
    return value


def test_canonical_numbers_do_not_depend_on_the_last_ulp(built, tmp_path):
    """Results whose every float differs in the last ulp write the same table bytes (10 significant digits)."""
    from repro.tables import TABLE_IDS, verify_tables

    out, manifest = built
    nudged = _nudge(verify_tables(TABLE_IDS))
    again = build_artefacts(tmp_path, ("en",), pdf=False, results=nudged)
    tables = {k: v for k, v in manifest["outputs"].items() if k.startswith("tables/")}
    assert tables and tables == {k: v for k, v in again["outputs"].items() if k.startswith("tables/")}
    doc = json.loads((out / "tables/B3.en.json").read_text())
    p = next(c for c in doc["tables"][0]["cells"] if c["row"] == "8" and c["column"] == "p")
    assert len(repr(p["reproduced"]).replace("0.", "").lstrip("0")) <= 10


def test_floats_perturbed_in_the_last_ulp_pass_check(built, tmp_path):
    """#18 item 4a: committed artefacts whose floats differ in the last ulp (JSON and CSV): exit 0."""
    import csv
    import io
    import math

    out, _ = built
    committed = tmp_path / "committed"
    shutil.copytree(out, committed)
    touched = 0
    for path in sorted((committed / "tables").glob("*.json")):
        doc = json.loads(path.read_text())
        nudged = _nudge(doc)
        touched += nudged != doc
        path.write_text(json.dumps(nudged, ensure_ascii=False, indent=2) + "\n")
    for path in sorted((committed / "tables").glob("*.csv")):
        rows = list(csv.reader(io.StringIO(path.read_text())))
        for row in rows[1:]:
            for i in (5, 6):  # value, reproduced
                try:
                    if float(row[i]) != 0:
                        row[i] = repr(math.nextafter(float(row[i]), math.inf))
                except ValueError:
                    pass
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        path.write_text(buffer.getvalue())
    assert touched >= 4
    comparison = compare_artefacts(committed, out)
    assert comparison.equal, comparison.changes[:3]
    assert comparison.methods["tables/B3.en.json"] == comparison.methods["tables/B3.en.csv"] == "values"
    result = runner.invoke(app, ["check", "--artefacts", str(committed)])
    assert result.exit_code == 0, result.output
    assert "value by value" in result.output


def test_a_hand_edited_csv_value_is_named_to_its_cell(built, tmp_path):
    """#18 item 3: a table file's difference is never only "bytes differ"."""
    import csv
    import io

    out, _ = built
    committed = tmp_path / "committed"
    shutil.copytree(out, committed)
    path = committed / "tables/B3.en.csv"
    rows = list(csv.reader(io.StringIO(path.read_text())))
    cells = json.loads((out / "tables/B3.en.json").read_text())["tables"][0]["cells"]
    j = next(i for i, c in enumerate(cells) if isinstance(c["reproduced"], float))
    cell, record = cells[j], rows[j + 1]
    record[record.index(repr(cell["reproduced"]))] = "9.99"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue())
    changes = compare_artefacts(committed, out).changes
    assert [(c.kind, c.file, c.table, c.row, c.column) for c in changes] == \
        [("cell", "tables/B3.en.csv", "B3", cell["row"], cell["column"])]
    assert "9.99" in changes[0].before and repr(cell["reproduced"]) in changes[0].after
    assert changes[0].status_after == cell["status"]


@pytest.mark.slow
def test_a_different_rendering_stack_compares_pdf_text(tmp_path):
    """#18 item 4c: the recorded stack differs and the PDF's bytes differ (rewritten, same text): the
    page text is compared and check passes; with the same recorded stack the bytes are drift; a PDF
    whose text differs is drift named by page."""
    from pypdf import PdfReader, PdfWriter

    fresh = tmp_path / "fresh"
    build_artefacts(fresh, ("en",), pdf=True)
    committed = tmp_path / "committed"
    shutil.copytree(fresh, committed)
    pdf = committed / "report/report.en.pdf"
    writer = PdfWriter(clone_from=PdfReader(str(pdf)))
    writer.add_metadata({"/Producer": "another stack"})
    with open(pdf, "wb") as handle:
        writer.write(handle)
    assert sha256_file(pdf) != sha256_file(fresh / "report/report.en.pdf")
    same_stack = compare_artefacts(committed, fresh)
    assert not same_stack.equal and same_stack.methods["report/report.en.pdf"] == "bytes"
    manifest = json.loads((committed / "manifest.json").read_text())
    assert manifest["rendering"]["fonts"]["report/report.en.pdf"]
    assert {"pango", "harfbuzz", "fontconfig"} <= set(manifest["rendering"]["system"])
    assert {"fonttools", "pydyf", "tinycss2"} <= set(manifest["rendering"]["packages"])
    # fonts subset differently (same recorded stack, another embedded font program): text comparison
    fonts = dict(manifest["rendering"]["fonts"])
    manifest["rendering"]["fonts"]["report/report.en.pdf"] = {"61 0": "0" * 64}
    (committed / "manifest.json").write_text(json.dumps(manifest))
    subset = compare_artefacts(committed, fresh)
    assert subset.equal and subset.methods["report/report.en.pdf"] == "page_text"
    manifest["rendering"]["fonts"] = fonts
    manifest["rendering"]["system"]["harfbuzz"] = "0.0.0-elsewhere"
    (committed / "manifest.json").write_text(json.dumps(manifest))
    other = compare_artefacts(committed, fresh)
    assert other.equal, other.changes
    assert other.methods["report/report.en.pdf"] == "page_text"
    assert other.version_notes["harfbuzz"][0] == "0.0.0-elsewhere"
    # a report that says something else is drift, named by page
    shutil.copy(fresh / "report/report.en.pdf", pdf)
    writer = PdfWriter(clone_from=PdfReader(str(pdf)))
    writer.remove_page(len(writer.pages) - 1)
    with open(pdf, "wb") as handle:
        writer.write(handle)
    drift = compare_artefacts(committed, fresh)
    assert [(c.kind, c.field) for c in drift.changes] == [("page", "pages")]


# ---------------------------------------------------------------- #21: the manifest as hostile input
def _committed_with_manifest(out: Path, tmp_path: Path, edit) -> Path:
    folder = tmp_path / "committed"
    shutil.copytree(out, folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps(edit(manifest)))
    return folder


D12_SHAPES = {
    "list": lambda m: [1, 2, 3],
    "outputs-int": lambda m: dict(m, outputs=5),
    "inputs-null": lambda m: dict(m, inputs=None),
    "dependencies-list": lambda m: dict(m, dependencies=[1]),
    "languages-unknown": lambda m: dict(m, languages=["xx"]),
    "languages-string": lambda m: dict(m, languages="en"),
}


@pytest.mark.parametrize("shape", sorted(D12_SHAPES))
def test_d12_a_malformed_manifest_is_exit_2_with_one_line(shape, tmp_path):
    folder = tmp_path / "a"
    folder.mkdir()
    base = {"tool": {"name": "repro", "version": "0"}, "languages": ["en"], "pdf": False, "inputs": {},
            "outputs": {}, "dependencies": {}}
    (folder / "manifest.json").write_text(json.dumps(D12_SHAPES[shape](base)))
    result = runner.invoke(app, ["check", "--artefacts", str(folder)])
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert "malformed manifest" in result.output and result.output.count("\n") == 1


def test_d12_a_malformed_table_artefact_is_exit_2(built, tmp_path):
    out, _ = built
    folder = tmp_path / "committed"
    shutil.copytree(out, folder)
    (folder / "tables/B3.en.json").write_text('{"tables": 5}')
    result = runner.invoke(app, ["check", "--artefacts", str(folder)])
    assert result.exit_code == 2, (result.output, result.exception)
    assert "malformed table artefact" in result.output


@pytest.mark.parametrize("name", ["../../../../../etc/passwd", "/etc/shadow", "tables/../../x", "link/passwd"])
def test_d13_manifest_paths_outside_the_folder_are_refused(name, tmp_path):
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "link").symlink_to("/etc")
    manifest = {"tool": {"name": "repro", "version": "0"}, "languages": ["en"], "pdf": False, "inputs": {},
                "dependencies": {}, "outputs": {name: "0" * 64}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    from repro.errors import ReproError

    with pytest.raises(ReproError, match="inside the artefacts folder|outside the artefacts folder"):
        compare_artefacts(folder, folder)


def test_d13_hashing_reads_regular_files_in_chunks_and_never_a_fifo(tmp_path):
    import os

    from repro.errors import ReproError

    big = tmp_path / "big"
    with open(big, "wb") as handle:  # sparse: 64 MiB on disk as nothing
        handle.truncate(64 * 2 ** 20)
    import hashlib

    assert sha256_file(big) == hashlib.sha256(b"\0" * 64 * 2 ** 20).hexdigest()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(ReproError, match="not a regular file"):
        sha256_file(fifo)
    # and through the command, in a child that a hang cannot take down with the suite
    folder = tmp_path / "a"
    folder.mkdir()
    os.mkfifo(folder / "pipe.json")
    (folder / "manifest.json").write_text(json.dumps({"languages": ["en"], "pdf": False, "inputs": {},
                                                      "outputs": {"pipe.json": "0" * 64}}))
    code = "from repro.artefacts import compare_artefacts as c; import sys; c(sys.argv[1], sys.argv[1])"
    done = subprocess.run([sys.executable, "-c", code, str(folder)], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr  # the FIFO is not read: it counts as missing from the folder


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "1.5", "-5"])
def test_d28_a_bad_source_date_epoch_is_one_line_naming_it(value):
    result = runner.invoke(app, ["tables", "--table", "B1", "--format", "json"], env={"SOURCE_DATE_EPOCH": value})
    assert result.exit_code == 2, (result.output, result.exception)
    assert "SOURCE_DATE_EPOCH" in result.output and result.output.count("\n") == 1


def test_d28_an_empty_source_date_epoch_is_unset():
    result = runner.invoke(app, ["tables", "--table", "B1", "--format", "json"], env={"SOURCE_DATE_EPOCH": " "})
    assert result.exit_code == 0, result.output


def test_d28_report_names_source_date_epoch(tmp_path):
    result = runner.invoke(app, ["report", "--out", str(tmp_path / "r"), "--no-pdf", "--lang", "en"],
                           env={"SOURCE_DATE_EPOCH": "abc"})
    assert result.exit_code == 2 and "SOURCE_DATE_EPOCH" in result.output
    assert not (tmp_path / "r").exists()


@pytest.mark.slow
def test_fonts_subset_by_another_library_are_compared_by_page_text(tmp_path, monkeypatch):
    """#18 item 4c, the reported symptom itself: the same code and versions, but the fonts subset by
    fontTools (a machine without HarfBuzz-Subset) instead of HarfBuzz. The PDFs' bytes and embedded font
    programs differ, the manifest says so, the pages say the same: check passes by page text."""
    import warnings

    import weasyprint.pdf.fonts as weasy_fonts  # the renderer is forked from this process: it sees the patch

    committed, fresh = tmp_path / "committed", tmp_path / "fresh"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        monkeypatch.setattr(weasy_fonts, "harfbuzz_subset", None)
        a = build_artefacts(committed, ("en",), pdf=True)
        monkeypatch.undo()
        b = build_artefacts(fresh, ("en",), pdf=True)
    name = "report/report.en.pdf"
    assert a["outputs"][name] != b["outputs"][name]
    assert a["rendering"]["fonts"][name] != b["rendering"]["fonts"][name]
    comparison = compare_artefacts(committed, fresh)
    assert comparison.equal, comparison.changes[:3]
    assert comparison.methods[name] == "page_text"


def test_check_lines_speak_the_reader_language():
    """repro check's text lines: statuses in the catalog's status words, fields (line/page/status) translated."""
    from commands.check import _message_key, change_params
    from repro.artefacts import Change
    from repro.catalog import render

    status = Change("cell", "a.json", "B3", "4", "p", "status", "not_checkable", "inconsistent",
                    "not_checkable", "inconsistent")
    line = render(_message_key(status), "ru", change_params(status, "ru"))
    assert "not_checkable" not in line and "проверить нельзя → не согласуется" in line
    page = Change("page", "r.pdf", field="page 10", before="a", after="b")
    assert "страница 10" in render(_message_key(page), "ru", change_params(page, "ru"))
    first = Change("file", "r.txt", field="line 1", before="x", after="y")
    assert "1-жол" in render(_message_key(first), "kk", change_params(first, "kk"))
    assert "line 1" in render(_message_key(first), "en", change_params(first, "en"))


def test_system_versions_on_linux_open_the_sonames_without_find_library(monkeypatch):
    """WeasyPrint's first library names fail on Linux, and each failure costs cffi a find_library
    (ldconfig, gcc, ld: 22 subprocesses); the soname WeasyPrint ends up loading is tried first."""
    import ctypes.util
    import sys

    from repro import stack

    names = stack._LIBRARIES["pango"]
    assert stack._candidates(names, "linux")[0] == "libpango-1.0.so.0"
    assert sorted(stack._candidates(names, "linux")) == sorted(names)
    assert stack._candidates(names, "darwin") == names == stack._candidates(names, "win32")
    if not sys.platform.startswith("linux") or stack.system_versions()["pango"] is None:
        pytest.skip("Pango is not installed here")
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: pytest.fail(f"find_library({name!r})"))
    assert all(stack.system_versions().values())


@pytest.mark.slow
def test_pdfs_read_in_forked_children_give_the_text_read_here(monkeypatch):
    """check reads the differing reports on every core (repro.stack.pdfs_pages_text): the same pages'
    text, in the same order, as reading them one by one in this process (REPRO_JOBS=1)."""
    from repro import stack

    pdfs = sorted((ROOT / "artefacts" / "report").glob("report.*.pdf"))[:2]
    if len(pdfs) < 2:
        pytest.skip("no committed reports")
    paths = [pdfs[0], pdfs[1], pdfs[0]]
    here = [stack.pdf_pages_text(p) for p in paths]
    assert stack.pdfs_pages_text(paths) == here
    monkeypatch.setenv("REPRO_JOBS", "1")
    assert stack.pdfs_pages_text(paths) == here


def test_verification_runs_in_this_process(monkeypatch):
    """The artefact pipeline verifies in one process while the PDF renderer imports WeasyPrint on the
    other core: verify_tables starts no child."""
    from repro import processes
    from repro.tables import TABLE_IDS, verify_tables

    monkeypatch.setattr(processes, "InChild", lambda compute: pytest.fail("a child was started"))
    assert [t.id for t in verify_tables(TABLE_IDS)] == list(TABLE_IDS)


@pytest.mark.slow
def test_pdf_text_with_each_font_read_once_is_the_text_read_per_page():
    """check reads each font of a report once (repro.stack._fonts_read_once, a third of pypdf's time):
    the pages' text is the same as pypdf reading every font on every page and form, and pypdf is left
    as it was."""
    from pypdf import _page

    from repro import stack

    before = _page.Font.__dict__["from_font_resource"]
    pdfs = sorted((ROOT / "artefacts" / "report").glob("report.*.pdf"))
    if not pdfs:
        pytest.skip("no committed reports")
    for pdf in pdfs:
        assert stack.pdf_pages_text(pdf) == stack.pdf_pages_text(pdf, fonts_once=False)
    assert _page.Font.__dict__["from_font_resource"] is before


def test_the_reason_for_a_text_comparison_is_the_true_one():
    """With the recorded stack, reports whose fonts differ (another text: other glyphs in the subset)
    are compared by text: check says the fonts differ, not that the stack does ("(—)"); a differing
    stack is named by its versions, the tool's own version apart; no line when every report matched
    byte for byte."""
    from commands.check import stack_line
    from repro.artefacts import Comparison

    bytes_only = Comparison(methods={"report/report.en.pdf": "bytes"})
    assert stack_line(bytes_only, "en") is None
    fonts = Comparison(methods={"report/report.en.pdf": "page_text"}, version_notes={"repro": ("0.1", "0.2")})
    assert "embedded fonts differ" in stack_line(fonts, "en") and "—" not in stack_line(fonts, "en")
    other = Comparison(methods={"report/report.en.pdf": "page_text"},
                       version_notes={"harfbuzz": ("6.0.0", "8.3.0"), "repro": ("0.1", "0.2")})
    line = stack_line(other, "en")
    assert "rendering stack differs" in line and "harfbuzz 6.0.0 → 8.3.0" in line and "repro" not in line
    for lang in ("kk", "ru"):
        assert stack_line(fonts, lang) != stack_line(fonts, "en")
