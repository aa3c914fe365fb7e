"""The artefact pipeline: every table in four formats, the figures, the report, and a manifest.

``build_artefacts`` writes into a folder (``repro build --out DIR``); ``compare_artefacts`` compares
two such folders and explains each difference, down to the table cell for the JSON tables
(``repro check`` regenerates into a temporary folder and compares with the committed ``artefacts/``).
Like showyourwork, the manifest records the sha256 of every input dataset and every output, the
tool's version and its dependencies' versions.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import platform
from dataclasses import asdict, dataclass, field
from pathlib import Path

from repro import __version__
from repro import datasets as ds
from repro.atomic import inside, write_atomic
from repro.catalog import LANGUAGES
from repro.errors import ReproError

FORMATS = {"json": "json", "csv": "csv", "markdown": "md", "latex": "tex"}
MANIFEST = "manifest.json"
CELL_FIELDS = ("published", "value", "reproduced", "status", "reason_key", "reason", "layer", "nearest")
KIND_ORDER = ("input", "cell", "added", "removed", "file")
# outputs whose bytes depend on the versions of the rendering libraries, not only on the data
VERSION_BOUND = ("report/",)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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


def build_artefacts(out_dir: str | Path, languages=LANGUAGES, pdf: bool = True, results=None) -> dict:
    """Write tables/ID.LANG.{json,csv,md,tex}, report/ (HTML, PDFs, SVG figures) and manifest.json."""
    from repro.cache import cached
    from repro.report import dependency_versions, write_report
    from repro.tables import TABLE_IDS, verify_tables

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ReproError("not a folder", file=str(out))
    (out / "tables").mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    if results is None:
        results = cached("tables-" + "-".join(TABLE_IDS), lambda: verify_tables(TABLE_IDS))
    written = []
    for result in results:
        for lang in languages:
            for fmt, ext in FORMATS.items():
                written.append(write_atomic(inside(out, f"tables/{result.id}.{lang}.{ext}"),
                                            table_text(result, lang, fmt)))
    command = build_command(languages, pdf)
    written += write_report(inside(out, "report"), languages, pdf=pdf, results=results, command=command)
    manifest = {
        "tool": {"name": "repro", "version": __version__},
        "python": platform.python_version(),
        "dependencies": dependency_versions(),
        "source_date_epoch": int(os.environ["SOURCE_DATE_EPOCH"]),
        "languages": list(languages),
        "pdf": pdf,
        "command": command,
        "inputs": {f"datasets/{name}": digest for name, digest in ds.dataset_hashes().items()},
        "outputs": {p.relative_to(out.resolve()).as_posix(): sha256_file(p)
                    for p in sorted(Path(w).resolve() for w in written)},
    }
    write_atomic(inside(out, MANIFEST), json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return manifest


def read_manifest(folder: str | Path) -> dict:
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise ReproError("no manifest.json: build the artefacts with `repro build --out DIR`", file=str(path))
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ReproError(f"manifest is not valid JSON ({exc})", file=str(path)) from None


@dataclass
class Change:
    """One difference between committed and regenerated artefacts."""

    kind: str  # input | added | removed | file | cell
    file: str
    table: str | None = None
    row: str | None = None
    column: str | None = None
    field: str | None = None
    before: object = None
    after: object = None


@dataclass
class Comparison:
    changes: list[Change] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # version-bound files not compared, with why
    version_notes: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)

    @property
    def equal(self) -> bool:
        return not self.changes

    def to_json(self) -> dict:
        return {"equal": self.equal, "changes": [asdict(c) for c in self.changes], "skipped": self.skipped,
                "versions_differ": {k: list(v) for k, v in self.version_notes.items()}}


def _same_number(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def cell_changes(file: str, before: dict, after: dict) -> list[Change]:
    """Cell-level differences between two tables_json documents (cells keyed by table, row, column)."""
    def cells(doc):
        return {(t["id"], c["row"], c["column"]): c for t in doc.get("tables", []) for c in t.get("cells", [])}

    old, new = cells(before), cells(after)
    out = []
    for key in sorted(set(old) | set(new)):
        table, row, column = key
        if key not in new:
            out.append(Change("cell", file, table, row, column, "cell", "present", "missing"))
        elif key not in old:
            out.append(Change("cell", file, table, row, column, "cell", "missing", "present"))
        else:
            for name in CELL_FIELDS:
                if not _same_number(old[key].get(name), new[key].get(name)):
                    out.append(Change("cell", file, table, row, column, name, old[key].get(name), new[key].get(name)))
    return out


def compare_artefacts(committed: str | Path, fresh: str | Path) -> Comparison:
    """Every difference between two artefact folders; JSON tables are compared cell by cell.

    Files under ``report/`` embed the rendering libraries' output; when the manifests record
    different versions of those libraries they are listed as skipped rather than as drift.
    """
    committed, fresh = Path(committed), Path(fresh)
    a, b = read_manifest(committed), read_manifest(fresh)
    result = Comparison()
    deps_a, deps_b = a.get("dependencies", {}), b.get("dependencies", {})
    result.version_notes = {k: (deps_a.get(k), deps_b.get(k)) for k in sorted(set(deps_a) | set(deps_b))
                            if deps_a.get(k) != deps_b.get(k)}
    if a.get("tool", {}).get("version") != b.get("tool", {}).get("version"):
        result.version_notes["repro"] = (a.get("tool", {}).get("version"), b.get("tool", {}).get("version"))
    for name in sorted(set(a.get("inputs", {})) | set(b.get("inputs", {}))):
        if a["inputs"].get(name) != b["inputs"].get(name):
            result.changes.append(Change("input", name, before=a["inputs"].get(name), after=b["inputs"].get(name)))
    # the committed files as they are on disk (a hand edit that bypassed the manifest is drift too)
    outs_a = {name: sha256_file(committed / name) for name in a.get("outputs", {}) if (committed / name).is_file()}
    outs_b = b.get("outputs", {})
    for name in sorted(set(outs_a) | set(outs_b)):
        if name not in outs_b:
            result.changes.append(Change("removed", name))
        elif name not in outs_a:
            result.changes.append(Change("added", name))
        elif outs_a[name] != outs_b[name]:
            if name.endswith(".json") and name.startswith("tables/"):
                cells = cell_changes(name, _load_json(committed / name), _load_json(fresh / name))
                result.changes.extend(cells or [Change("file", name)])
            elif name.startswith(VERSION_BOUND) and result.version_notes:
                result.skipped.append(name)
            else:
                result.changes.append(Change("file", name))
    # a cell change shows in every language's JSON: keep it once (the first file, English sorts first)
    seen, unique = set(), []
    for change in result.changes:
        key = (change.kind, change.table, change.row, change.column, change.field) if change.kind == "cell" else id(change)
        if key not in seen:
            seen.add(key)
            unique.append(change)
    result.changes = sorted(unique, key=lambda c: KIND_ORDER.index(c.kind))
    return result


def _load_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReproError(f"cannot read a table artefact ({exc})", file=str(path)) from None
