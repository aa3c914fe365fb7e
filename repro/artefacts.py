"""The artefact pipeline: every table in four formats, the figures, the report, and a manifest.

``build_artefacts`` writes into a folder (``repro build --out DIR``); ``compare_artefacts`` compares
two such folders and explains each difference, down to the table cell (``repro check`` regenerates
into a temporary folder and compares with the committed ``artefacts/``). Like showyourwork, the
manifest records the sha256 of every input dataset and every output, the tool's version and its
dependencies' versions; it also records the rendering stack (``rendering``: Python packages, the
system's Pango, HarfBuzz and fontconfig, the hash of each font embedded in each PDF).

What ``repro check`` guarantees across machines:

* computed numbers are written at :data:`repro.numfmt.SIGNIFICANT_DIGITS` significant digits and
  compared within :data:`repro.numfmt.RELATIVE_TOLERANCE`; statuses, severities, reasons, labels and
  published values compare exactly;
* the tables (JSON, CSV, Markdown, LaTeX) are compared value by value, every difference named by
  table, row and column with the old and new value and status;
* a PDF is compared byte for byte where the recorded rendering stack and its embedded fonts are the
  same, and otherwise by its page count and the text of each page; the HTML likewise by its text;
* the comparison made for each file is reported (``comparisons`` in the JSON output).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import platform
import re
import stat
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

from repro import __version__
from repro import datasets as ds
from repro.atomic import inside, write_atomic
from repro.catalog import LANGUAGES
from repro.errors import ReproError
from repro.numfmt import canonical_data, same_number

FORMATS = {"json": "json", "csv": "csv", "markdown": "md", "latex": "tex"}
MANIFEST = "manifest.json"
CELL_FIELDS = ("published", "value", "reproduced", "status", "reason_key", "reason", "layer", "nearest")
KIND_ORDER = ("input", "cell", "table", "page", "added", "removed", "file")
# outputs whose bytes depend on the versions of the rendering libraries, not only on the data
VERSION_BOUND = ("report/",)
MAX_MANIFEST_BYTES = 16 * 2 ** 20
MAX_LISTED = 20  # differences listed per file beyond the cells (pages, lines, table fields)


def _open_regular(path: Path):
    """A binary handle on a regular file, refused for FIFOs, devices and folders (never blocks)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ReproError(f"cannot read ({exc.strerror})", file=str(path)) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise ReproError("not a regular file", file=str(path))
    return os.fdopen(fd, "rb")


def sha256_file(path: Path) -> str:
    """sha256 of a regular file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with _open_regular(Path(path)) as handle:
        for chunk in iter(lambda: handle.read(2 ** 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def table_text(result, lang: str, fmt: str) -> str:
    """One verified table in one language and format (the same renderers as ``repro tables``)."""
    from repro.render import render_rows
    from repro.tables import tables_json

    if fmt == "json":
        return json.dumps(tables_json([result], lang), ensure_ascii=False, indent=2) + "\n"
    text = render_rows([result], lang, fmt)
    return text if text.endswith("\n") else text + "\n"


def build_command(languages, pdf: bool) -> str:
    """The command line recorded as provenance; the folder is written as OUT so the bytes do not depend on it."""
    return " ".join(["repro", "build", "--out", "OUT"] + [f"--lang {code}" for code in languages]
                    + ([] if pdf else ["--no-pdf"]))


def build_artefacts(out_dir: str | Path, languages=LANGUAGES, pdf: bool = True, results=None,
                    durable: bool = True) -> dict:
    """Write tables/ID.LANG.{json,csv,md,tex}, report/ (HTML, PDFs, SVG figures) and manifest.json.

    Computed floats are written at the canonical precision (:func:`repro.numfmt.canonical`), so the
    bytes do not depend on the CPU's summation order.

    The order is chosen for time, not meaning: the PDF renderer process starts first (WeasyPrint
    imports while the tables are verified, once); each edition's PDF job is handed over as soon as its
    HTML exists, and the tables in four formats, the rendering stack and the input hashes are written
    or computed here while the PDFs are laid out. ``durable=False`` (``repro check``'s temporary
    folder): files are not fsynced.
    """
    from repro.cache import cached
    from repro.pdf import PdfRenderer
    from repro.provenance import source_date_epoch
    from repro.report import dependency_versions, write_report
    from repro.stack import pdf_fonts, rendering_stack
    from repro.tables import TABLE_IDS, verify_tables

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ReproError("not a folder", file=str(out))
    epoch = source_date_epoch()  # ReproError naming the variable when it is not a date (D28)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    renderer = PdfRenderer(len(languages)) if pdf else None
    written: list[Path] = []
    side: dict = {}

    def tables_and_provenance() -> None:  # runs while the PDFs are laid out
        for result in results:
            for lang in languages:
                for fmt, ext in FORMATS.items():
                    written.append(write_atomic(inside(out, f"tables/{result.id}.{lang}.{ext}"),
                                                table_text(result, lang, fmt), durable=durable))
        side["rendering"] = rendering_stack()
        side["inputs"] = input_hashes()

    try:
        if results is None:
            # the second core is the renderer's (WeasyPrint's import) while this verifies
            results = cached("tables-" + "-".join(TABLE_IDS), lambda: verify_tables(TABLE_IDS))
        results = canonical_data(results)
        command = build_command(languages, pdf)
        written += write_report(inside(out, "report"), languages, pdf=pdf, results=results, command=command,
                                renderer=renderer, while_rendering=tables_and_provenance, durable=durable)
    finally:
        if renderer is not None:
            renderer.close()
    outputs = {p.relative_to(out.resolve()).as_posix(): p for p in sorted(Path(w).resolve() for w in written)}
    rendering = side["rendering"]
    rendering["fonts"] = {name: pdf_fonts(path) for name, path in outputs.items() if name.endswith(".pdf")}
    manifest = {
        "tool": {"name": "repro", "version": __version__},
        "python": platform.python_version(),
        "dependencies": dependency_versions(),
        "rendering": rendering,
        "source_date_epoch": epoch or 0,
        "languages": list(languages),
        "pdf": pdf,
        "command": command,
        "inputs": side["inputs"],
        "outputs": {name: sha256_file(path) for name, path in outputs.items()},
    }
    write_atomic(inside(out, MANIFEST), json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                 durable=durable)
    return manifest


def input_hashes() -> dict[str, str]:
    """sha256 of everything the artefacts are made from besides the code: the datasets, the catalog,
    the templates and the embedded fonts."""
    from repro.paths import PACKAGE_DIR, templates_dir

    inputs = {f"datasets/{name}": digest for name, digest in ds.dataset_hashes().items()}
    inputs["repro/catalog.toml"] = sha256_file(PACKAGE_DIR / "catalog.toml")
    root = templates_dir()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            inputs[f"templates/{path.relative_to(root).as_posix()}"] = sha256_file(path)
    return inputs


# ---------------------------------------------------------------- reading a manifest
def _malformed(what: str, file: str) -> ReproError:
    return ReproError(f"malformed manifest: {what}", file=file)


def _str_map(manifest: dict, key: str, file: str, required: bool, values=(str,)) -> None:
    value = manifest.get(key)
    if value is None and not required:
        return
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, values) for k, v in value.items()):
        raise _malformed(f'"{key}" must be an object of strings', file)


def _output_name(name: str, file: str) -> str:
    """A manifest output name: a relative path inside the artefacts folder, no '..', no absolute path."""
    pure = PurePosixPath(name)
    if not name or "\\" in name or "\x00" in name or pure.is_absolute() or ".." in pure.parts or name != pure.as_posix():
        raise _malformed(f"output {name[:80]!r} is not a relative path inside the artefacts folder", file)
    return name


def validate_manifest(manifest, file: str = MANIFEST) -> dict:
    """The manifest, or ReproError (exit 2) naming what is malformed: never a traceback."""
    if not isinstance(manifest, dict):
        raise _malformed(f"an object is expected, not {type(manifest).__name__}", file)
    _str_map(manifest, "outputs", file, required=True)
    _str_map(manifest, "inputs", file, required=True)
    _str_map(manifest, "dependencies", file, required=False)
    for name, digest in manifest["outputs"].items():
        _output_name(name, file)
        if not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise _malformed(f"output {name[:80]!r} has no sha256", file)
    languages = manifest.get("languages", list(LANGUAGES))
    if (not isinstance(languages, list) or not languages or not all(isinstance(l, str) for l in languages)
            or not set(languages) <= set(LANGUAGES) or len(set(languages)) != len(languages)):
        raise _malformed(f'"languages" must be a list of distinct codes among {", ".join(LANGUAGES)}', file)
    if not isinstance(manifest.get("pdf", True), bool):
        raise _malformed('"pdf" must be true or false', file)
    tool = manifest.get("tool", {})
    if not isinstance(tool, dict):
        raise _malformed('"tool" must be an object', file)
    rendering = manifest.get("rendering", {})
    if not isinstance(rendering, dict) or not all(isinstance(v, dict) for v in rendering.values()):
        raise _malformed('"rendering" must be an object of objects', file)
    return manifest


def read_manifest(folder: str | Path) -> dict:
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise ReproError("no manifest.json: build the artefacts with `repro build --out DIR`", file=str(path))
    with _open_regular(path) as handle:
        data = handle.read(MAX_MANIFEST_BYTES + 1)
    if len(data) > MAX_MANIFEST_BYTES:
        raise ReproError(f"manifest larger than {MAX_MANIFEST_BYTES // 2 ** 20} MiB", file=str(path))
    try:
        return validate_manifest(json.loads(data.decode("utf-8")), str(path))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise ReproError(f"manifest is not valid JSON ({exc})", file=str(path)) from None


def confined(folder: Path, name: str) -> Path:
    """``folder/name``, refused unless it resolves (symbolic links followed) inside ``folder``."""
    root = folder.resolve()
    target = (root / _output_name(name, str(folder / MANIFEST))).resolve()
    if root not in target.parents:
        raise ReproError("manifest output lies outside the artefacts folder", file=name)
    return target


# ---------------------------------------------------------------- comparing two folders
@dataclass
class Change:
    """One difference between committed and regenerated artefacts."""

    kind: str  # input | cell | table | page | added | removed | file
    file: str
    table: str | None = None
    row: str | None = None
    column: str | None = None
    field: str | None = None
    before: object = None
    after: object = None
    status_before: str | None = None
    status_after: str | None = None


@dataclass
class Comparison:
    changes: list[Change] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # kept for the JSON contract: nothing is skipped now
    version_notes: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    methods: dict[str, str] = field(default_factory=dict)  # file -> comparison made (METHODS)

    @property
    def equal(self) -> bool:
        return not self.changes

    def to_json(self) -> dict:
        from repro.numfmt import ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE, SIGNIFICANT_DIGITS

        return {"equal": self.equal, "changes": [asdict(c) for c in self.changes], "skipped": self.skipped,
                "versions_differ": {k: list(v) for k, v in self.version_notes.items()},
                "comparisons": dict(sorted(self.methods.items())),
                "tolerance": {"relative": RELATIVE_TOLERANCE, "absolute": ABSOLUTE_TOLERANCE,
                              "significant_digits": SIGNIFICANT_DIGITS}}


# how each file was compared: identical bytes; a table by its values (numbers within the tolerance);
# a PDF by its page count and the text of each page; an HTML file by its visible text
METHODS = ("bytes", "values", "page_text", "text")


def _same(a, b) -> bool:
    """Deep equality with numbers compared within the tolerance."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return same_number(a, b)


def _differences(a, b, path: str = ""):
    """(path, before, after) for each leaf where two JSON values differ beyond the tolerance."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            yield from _differences(a.get(key), b.get(key), f"{path}.{key}" if path else str(key))
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            yield from _differences(x, y, f"{path}[{i}]")
    elif not _same(a, b):
        yield path, a, b


def _table_doc(doc, file: str) -> dict:
    """A table artefact's JSON, checked for the shape compared here."""
    ok = isinstance(doc, dict) and isinstance(doc.get("tables"), list) and all(
        isinstance(t, dict) and isinstance(t.get("id"), str) and isinstance(t.get("cells"), list)
        and all(isinstance(c, dict) and isinstance(c.get("row"), str) and isinstance(c.get("column"), str)
                for c in t["cells"])
        for t in doc["tables"])
    if not ok:
        raise ReproError('malformed table artefact: {"tables": [{"id", "cells": [{"row", "column", …}]}]} expected',
                         file=file)
    return doc


def _cells(doc) -> dict:
    return {(t["id"], c["row"], c["column"]): c for t in doc["tables"] for c in t["cells"]}


def cell_changes(file: str, before: dict, after: dict) -> list[Change]:
    """Cell-level differences between two tables_json documents (cells keyed by table, row, column).

    Every field of a cell is compared (numbers within the tolerance, everything else exactly); each
    change carries the cell's status before and after. Table-level fields (summary, findings, the
    reconstruction details) are compared too, named by their path.
    """
    before, after = _table_doc(before, file), _table_doc(after, file)
    old, new = _cells(before), _cells(after)
    out = []
    for key in sorted(set(old) | set(new)):
        table, row, column = key
        a, b = old.get(key), new.get(key)
        status = ((a or {}).get("status"), (b or {}).get("status"))
        if b is None:
            out.append(Change("cell", file, table, row, column, "cell", "present", "missing", *status))
        elif a is None:
            out.append(Change("cell", file, table, row, column, "cell", "missing", "present", *status))
        else:
            names = list(CELL_FIELDS) + sorted((set(a) | set(b)) - set(CELL_FIELDS))
            for name in names:
                if not _same(a.get(name), b.get(name)):
                    out.append(Change("cell", file, table, row, column, name, a.get(name), b.get(name), *status))
    tables_a = {t["id"]: t for t in before["tables"]}
    tables_b = {t["id"]: t for t in after["tables"]}
    for table in sorted(set(tables_a) | set(tables_b)):
        rest_a = {k: v for k, v in tables_a.get(table, {}).items() if k != "cells"}
        rest_b = {k: v for k, v in tables_b.get(table, {}).items() if k != "cells"}
        for path, x, y in list(_differences(rest_a, rest_b))[:MAX_LISTED]:
            out.append(Change("table", file, table, field=path, before=x, after=y))
    return out


def _records(text: str, ext: str) -> tuple[list[str], list[tuple[str, ...]]]:
    """(framing lines, data records) of a CSV, Markdown or LaTeX table artefact, one record per cell."""
    if ext == "csv":
        rows = [tuple(r) for r in csv.reader(io.StringIO(text))]
        return [",".join(rows[0])] if rows else [], rows[1:]
    lines = text.splitlines()
    if ext == "md":
        return lines[:2], [tuple(f.strip() for f in line.strip().strip("|").split("|")) for line in lines[2:]]
    # LaTeX longtable: the data rows lie between \endlastfoot and \end{longtable}
    try:
        start = lines.index("\\endlastfoot") + 1
        end = lines.index("\\end{longtable}")
    except ValueError:
        return lines, []
    data = [tuple(f.strip() for f in line.rstrip().removesuffix("\\\\").split(" & ")) for line in lines[start:end]]
    return lines[:start] + lines[end:], data


def _same_field(a: str, b: str) -> bool:
    if a == b:
        return True
    try:
        return same_number(float(a), float(b))  # "1,84" (a published value) is text and compares exactly
    except ValueError:
        return False


def _first_line_difference(a: str, b: str) -> tuple[int, str, str]:
    la, lb = a.splitlines(), b.splitlines()
    for i in range(max(len(la), len(lb))):
        x = la[i] if i < len(la) else "∅"
        y = lb[i] if i < len(lb) else "∅"
        if x != y:
            return i + 1, x[:200], y[:200]
    return 0, "", ""


def text_table_changes(file: str, before: str, after: str, cells_before: list, cells_after: list,
                       explained: set) -> list[Change]:
    """Differences between two CSV/Markdown/LaTeX renderings of a table, named to the cell.

    The records of these files follow the cells of the JSON artefact of the same table and language,
    in order; a record that differs (numbers beyond the tolerance, any text) is named by that cell.
    Cells whose JSON already shows the change (``explained``) are not listed twice.
    """
    ext = file.rsplit(".", 1)[-1]
    frame_a, rec_a = _records(before, ext)
    frame_b, rec_b = _records(after, ext)
    if [" ".join(l.split()) for l in frame_a] == [" ".join(l.split()) for l in frame_b] \
            and len(rec_a) == len(rec_b) == len(cells_after) == len(cells_before):
        out = []
        for ra, rb, ca, cb in zip(rec_a, rec_b, cells_before, cells_after):
            if len(ra) == len(rb) and all(_same_field(x, y) for x, y in zip(ra, rb)):
                continue
            key = (cb["row"], cb["column"])
            if key in explained:
                continue
            table = file.split("/")[-1].split(".")[0]
            out.append(Change("cell", file, table, cb["row"], cb["column"], ext, " | ".join(ra)[:300],
                              " | ".join(rb)[:300], ca.get("status"), cb.get("status")))
        return out
    line, x, y = _first_line_difference(before, after)
    return [Change("file", file, field=f"line {line}", before=x, after=y)]


MAX_ARTEFACT_BYTES = 256 * 2 ** 20


def _read_text(path: Path) -> str:
    with _open_regular(path) as handle:
        data = handle.read(MAX_ARTEFACT_BYTES + 1)
    if len(data) > MAX_ARTEFACT_BYTES:
        raise ReproError(f"artefact larger than {MAX_ARTEFACT_BYTES // 2 ** 20} MiB", file=str(path))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ReproError("not UTF-8 text", file=str(path)) from None


def _load_json(path: Path) -> dict:
    try:
        return json.loads(_read_text(path))
    except (ValueError, RecursionError) as exc:
        raise ReproError(f"cannot read a table artefact ({exc})", file=str(path)) from None


def _stack(manifest: dict, pdf_name: str | None = None) -> dict:
    rendering = manifest.get("rendering", {})
    fonts = rendering.get("fonts", {}).get(pdf_name) if pdf_name else None
    return {"dependencies": manifest.get("dependencies"), "packages": rendering.get("packages"),
            "system": rendering.get("system"), "python": manifest.get("python"), "fonts": fonts}


def _stack_notes(a: dict, b: dict) -> dict[str, tuple]:
    notes: dict[str, tuple] = {}
    for part in ("dependencies", "packages", "system"):
        x, y = _stack(a)[part] or {}, _stack(b)[part] or {}
        if not _stack(a)[part] or not _stack(b)[part]:
            notes.setdefault(part, ("not recorded" if not _stack(a)[part] else "recorded",
                                    "not recorded" if not _stack(b)[part] else "recorded"))
            continue
        for k in sorted(set(x) | set(y)):
            if x.get(k) != y.get(k):
                notes[k] = (x.get(k), y.get(k))
    if a.get("python") != b.get("python"):
        notes["python"] = (a.get("python"), b.get("python"))
    if a.get("tool", {}).get("version") != b.get("tool", {}).get("version"):
        notes["repro"] = (a.get("tool", {}).get("version"), b.get("tool", {}).get("version"))
    return notes


def _printed_versions(manifest: dict) -> dict:
    """The "name version" pairs the report prints (its provenance line), from a manifest."""
    versions = dict(manifest.get("dependencies") or {})
    versions["repro"] = manifest.get("tool", {}).get("version")
    versions["Python"] = manifest.get("python")
    return versions


def _report_changes(name: str, committed: Path, fresh: Path, a: dict, b: dict, result: Comparison,
                    pdf_text: dict | None = None) -> list[Change]:
    """A report file whose bytes differ: by text where the rendering stack differs, else bytes (with a hint).

    ``pdf_text``: the pages' text of the PDFs already read (path -> pages), else a PDF is read here."""
    from repro import stack

    same_stack = _stack(a, name) == _stack(b, name) and _stack(a, name)["system"] is not None
    printed = {**_printed_versions(a), **_printed_versions(b)}
    if name.endswith(".pdf"):
        def pages(path: Path) -> list[str]:
            read = pdf_text.get(path) if pdf_text else None
            return [stack.mask_versions(t, printed) for t in (stack.pdf_pages_text(path) if read is None else read)]

        pages_a, pages_b = pages(committed / name), pages(fresh / name)
        out = []
        if len(pages_a) != len(pages_b):
            out.append(Change("page", name, field="pages", before=len(pages_a), after=len(pages_b)))
        for i, (x, y) in enumerate(zip(pages_a, pages_b), start=1):
            if x != y and len(out) < MAX_LISTED:
                out.append(Change("page", name, field=f"page {i}", before=stack.first_difference(x, y)[0],
                                  after=stack.first_difference(x, y)[1]))
        if same_stack:
            result.methods[name] = "bytes"
            return out or [Change("file", name, field="bytes (same rendering stack and fonts)",
                                  before="text identical", after="bytes differ")]
        result.methods[name] = "page_text"
        return out
    if name.endswith((".html", ".htm")):
        x = stack.mask_versions(stack.html_text(_read_text(committed / name)), printed)
        y = stack.mask_versions(stack.html_text(_read_text(fresh / name)), printed)
        out = [] if x == y else [Change("file", name, field="text", before=stack.first_difference(x, y)[0],
                                        after=stack.first_difference(x, y)[1])]
        if _stack(a)["dependencies"] == _stack(b)["dependencies"] and _stack(a)["packages"] == _stack(b)["packages"]:
            result.methods[name] = "bytes"
            line, x, y = _first_line_difference(_read_text(committed / name), _read_text(fresh / name))
            return out or [Change("file", name, field=f"line {line}", before=x, after=y)]
        result.methods[name] = "text"
        return out
    result.methods[name] = "bytes"
    line, x, y = _first_line_difference(_read_text(committed / name), _read_text(fresh / name))
    return [Change("file", name, field=f"line {line}", before=x, after=y)]


def compare_artefacts(committed: str | Path, fresh: str | Path) -> Comparison:
    """Every difference between two artefact folders, and the comparison made for each file.

    Tables are compared value by value and named to the cell; a report file by its bytes where the
    recorded rendering stack is the same, else by its text (see the module's docstring).
    """
    committed, fresh = Path(committed), Path(fresh)
    a, b = read_manifest(committed), read_manifest(fresh)
    result = Comparison()
    result.version_notes = _stack_notes(a, b)
    for name in sorted(set(a["inputs"]) | set(b["inputs"])):
        if a["inputs"].get(name) != b["inputs"].get(name):
            result.changes.append(Change("input", name, before=a["inputs"].get(name), after=b["inputs"].get(name)))
    # the committed files as they are on disk (a hand edit that bypassed the manifest is drift too)
    outs_a = {}
    for name in a["outputs"]:
        path = confined(committed, name)
        if path.is_file():
            outs_a[name] = sha256_file(path)
    outs_b = b["outputs"]
    names = sorted(set(outs_a) | set(outs_b))
    explained: dict[str, set] = {}  # table JSON stem -> cells whose change the JSON names
    json_docs: dict[str, tuple] = {}

    def docs_of(name: str) -> tuple | None:
        """Both sides' table JSON, read when a file of that table differs (never when all bytes agree)."""
        if name not in json_docs and name in outs_a and name in outs_b:
            json_docs[name] = (_table_doc(_load_json(committed / name), name),
                               _table_doc(_load_json(fresh / name), name))
        return json_docs.get(name)

    def is_table_json(name: str) -> bool:
        return name.startswith("tables/") and name.endswith(".json")

    for name in names:
        if name not in outs_b:
            result.changes.append(Change("removed", name))
            continue
        if name not in outs_a:
            result.changes.append(Change("added", name))
            continue
        if is_table_json(name):
            result.methods[name] = "bytes" if outs_a[name] == outs_b[name] else "values"
            pair = docs_of(name) if outs_a[name] != outs_b[name] else None  # both sides exist here
            if pair is not None:
                changes = cell_changes(name, *pair)
                explained[name[:-len(".json")]] = {(c.row, c.column) for c in changes if c.kind == "cell"}
                result.changes.extend(changes)
    # the reports whose bytes differ are read as text on every core at once (pypdf: ~1.8 s CPU per PDF)
    to_read = [folder / name for name in names if name.startswith(VERSION_BOUND) and name.endswith(".pdf")
               and name in outs_a and name in outs_b and outs_a[name] != outs_b[name] for folder in (committed, fresh)]
    pdf_text = {}
    if to_read:
        from repro.stack import pdfs_pages_text

        pdf_text = dict(zip(to_read, pdfs_pages_text(to_read)))
    for name in names:
        if name not in outs_a or name not in outs_b or is_table_json(name):
            continue
        if outs_a[name] == outs_b[name]:
            result.methods[name] = "bytes"
            continue
        stem, _, ext = name.rpartition(".")
        if name.startswith("tables/") and ext in ("csv", "md", "tex"):
            result.methods[name] = "values"
            pair = docs_of(stem + ".json")
            cells = [[c for t in d["tables"] for c in t["cells"]] for d in pair] if pair else [[], []]
            result.changes.extend(text_table_changes(name, _read_text(committed / name), _read_text(fresh / name),
                                                     cells[0], cells[1], explained.get(stem, set())))
        elif name.startswith(VERSION_BOUND):
            result.changes.extend(_report_changes(name, committed, fresh, a, b, result, pdf_text))
        else:
            result.methods[name] = "bytes"
            line, x, y = _first_line_difference(_read_text(committed / name), _read_text(fresh / name))
            result.changes.append(Change("file", name, field=f"line {line}", before=x, after=y))
    # a cell change shows in every language's files: keep it once (the first file, English sorts first)
    seen, unique = set(), []
    for change in result.changes:
        key = (change.kind, change.table, change.row, change.column, change.field) \
            if change.kind in ("cell", "table") else id(change)
        if key not in seen:
            seen.add(key)
            unique.append(change)
    result.changes = sorted(unique, key=lambda c: KIND_ORDER.index(c.kind))
    return result
