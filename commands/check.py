"""``repro check``: regenerate the artefacts and compare them with the committed ones."""

from __future__ import annotations

import typer

from commands._common import Format, Lang, dump_json, edge, fail

EXAMPLE = """Regenerate every artefact into a temporary folder and compare with the committed folder
(default artefacts/), using the languages and PDF setting recorded in its manifest.json.
Exit 0: equal; 1: drift, listed down to the table cell; 2: error.

Example: repro check --artefacts artefacts
         repro check --format json"""


@edge
def check(artefacts: str = typer.Option("artefacts", "--artefacts", "-a", help="Committed artefact folder."),
          lang: Lang = typer.Option(Lang.en, "--lang", "-l", help="Language of the messages."),
          fmt: Format = typer.Option(Format.table, "--format", "-f", help="table (text lines) or json.")):
    import os
    import tempfile
    from collections import Counter

    from repro.artefacts import METHODS, build_artefacts, compare_artefacts, read_manifest
    from repro.catalog import render
    from repro.numfmt import RELATIVE_TOLERANCE

    if fmt not in (Format.table, Format.json):
        fail("--format takes table or json")
    recorded = read_manifest(artefacts)
    languages = tuple(recorded.get("languages") or ("kk", "ru", "en"))
    pdf = recorded.get("pdf", True)
    with tempfile.TemporaryDirectory(prefix="repro-check-") as tmp:
        build_artefacts(tmp, languages, pdf=pdf, durable=False)  # deleted after the comparison: no fsync
        try:
            comparison = compare_artefacts(artefacts, tmp)
        except (KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
            # exit 1 means drift to CI: a committed folder the comparison cannot read is an error (D12)
            if os.environ.get("REPRO_DEBUG"):
                raise
            fail(f"{artefacts}: cannot compare the committed artefacts ({type(exc).__name__}: {exc})")
    if fmt is Format.json:
        typer.echo(dump_json(comparison.to_json()))
    else:
        l = lang.value
        if comparison.equal:
            typer.echo(render("check.equal", l, {"n": len(recorded["outputs"])}))
        else:
            typer.echo(render("check.drift", l, {"n": len(comparison.changes)}))
            for change in comparison.changes:
                typer.echo("  " + render(_message_key(change), l, change_params(change, l)))
        counts = Counter(comparison.methods.values())
        parts = []
        for m in METHODS:
            if counts[m]:
                part = render(f"check.method.{m}", l, {"n": counts[m], "tolerance": f"{RELATIVE_TOLERANCE:g}"})
                if m in ("page_text", "text"):  # the few files not compared byte for byte by design: named
                    part += " (" + ", ".join(f for f, how in sorted(comparison.methods.items()) if how == m) + ")"
                parts.append(part)
        summary = "; ".join(parts)
        typer.echo(render("check.compared", l, {"summary": summary}))
        line = stack_line(comparison, l)
        if line:
            typer.echo(line)
        if not comparison.equal:
            typer.echo(render("check.hint", l, {"folder": artefacts}))
    if not comparison.equal:
        raise typer.Exit(1)


def stack_line(comparison, lang: str) -> str | None:
    """Why some reports were compared by their text: the rendering stack differs (the versions that
    differ are named), or, with the same stack, their embedded fonts do (a font is subset to the glyphs
    the report prints, so a report that says something else embeds other font programs). None when
    every report was compared byte for byte."""
    from repro.catalog import render

    if not any(how in ("page_text", "text") for how in comparison.methods.values()):
        return None
    stack = {k: v for k, v in comparison.version_notes.items() if k != "repro"}  # the tool is not the stack
    if not stack:
        return render("check.fonts", lang, {})
    versions = ", ".join(f"{k} {a} → {b}" for k, (a, b) in stack.items())
    return render("check.stack", lang, {"versions": versions})


def change_params(change, lang: str) -> dict:
    """A change's fields as the reader sees them: statuses in the catalog's status words, the compared
    field (``page 10``, ``line 1``, ``status``, ``value``…) and ``present``/``missing`` in the catalog's words.
    The JSON keeps the raw keys (contract); only the text lines translate them."""
    import re

    from repro.catalog import catalog, label, render

    def status(s):
        return label(f"status.{s}", lang) if s is not None and f"status.{s}" in catalog() else s

    def field(f):
        if f is None:
            return None
        numbered = re.fullmatch(r"(line|page) (\d+)", str(f))
        if numbered:
            return render(f"check.field.{numbered.group(1)}", lang, {"n": int(numbered.group(2))})
        name = "bytes" if str(f).startswith("bytes (") else f  # artefacts' field for a byte-level difference
        for key in (f"check.field.{name}", f"ui.{name}"):
            if key in catalog():
                return label(key, lang).lower() if key.startswith("ui.") else label(key, lang)
        return f

    params = dict(vars(change))
    params["status_before"], params["status_after"] = status(change.status_before), status(change.status_after)
    params["field"] = field(change.field)
    for side in ("before", "after"):
        value = params[side]
        if change.field == "status":
            params[side] = status(value)
        elif change.field == "cell" and value in ("present", "missing"):
            params[side] = label(f"check.value.{value}", lang)
    return {k: ("—" if v is None else v) for k, v in params.items()}


def _message_key(change) -> str:
    if change.kind == "cell" and change.field != "status" and change.status_before is not None:
        return "check.cell_status"
    if change.kind == "file" and change.field:
        return "check.file_detail"
    return f"check.{change.kind}"
