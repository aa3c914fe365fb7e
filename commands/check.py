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
    import tempfile

    from repro.artefacts import build_artefacts, compare_artefacts, read_manifest
    from repro.catalog import render

    if fmt not in (Format.table, Format.json):
        fail("--format takes table or json")
    recorded = read_manifest(artefacts)
    languages = tuple(recorded.get("languages") or ("kk", "ru", "en"))
    pdf = bool(recorded.get("pdf", True))
    with tempfile.TemporaryDirectory(prefix="repro-check-") as tmp:
        build_artefacts(tmp, languages, pdf=pdf)
        comparison = compare_artefacts(artefacts, tmp)
    if fmt is Format.json:
        typer.echo(dump_json(comparison.to_json()))
    else:
        l = lang.value
        if comparison.skipped:
            versions = ", ".join(f"{k} {a} → {b}" for k, (a, b) in comparison.version_notes.items())
            typer.echo(render("check.skipped", l, {"n": len(comparison.skipped), "versions": versions}), err=True)
        if comparison.equal:
            typer.echo(render("check.equal", l, {"n": len(recorded.get("outputs", {}))}))
        else:
            typer.echo(render("check.drift", l, {"n": len(comparison.changes)}))
            for change in comparison.changes:
                params = {k: ("—" if v is None else v) for k, v in vars(change).items()}
                typer.echo("  " + render(f"check.{change.kind}", l, params))
            typer.echo(render("check.hint", l, {"folder": artefacts}))
    if not comparison.equal:
        raise typer.Exit(1)
