"""``repro build``: every artefact (tables in four formats, figures, report) and manifest.json."""

from __future__ import annotations

from typing import List, Optional

import typer

from commands._common import Lang, edge

EXAMPLE = """Write every artefact into --out: tables/ID.LANG.{json,csv,md,tex} (LaTeX with booktabs),
report/ (report.html, report.LANG.pdf, SVG figures) and manifest.json (sha256 of every input and
output, the tool's and the dependencies' versions). CI commits the folder; repro check compares.

Example: repro build --out artefacts"""


@edge
def build(out: str = typer.Option(..., "--out", "-o", help="Output folder (created if missing)."),
          lang: Optional[List[Lang]] = typer.Option(None, "--lang", "-l", help="Limit the languages."),
          no_pdf: bool = typer.Option(False, "--no-pdf", help="Skip the PDFs.")):
    from repro.artefacts import build_artefacts

    languages = tuple(dict.fromkeys(l.value for l in lang)) if lang else ("kk", "ru", "en")
    manifest = build_artefacts(out, languages, pdf=not no_pdf)
    typer.echo(f"{out}: {len(manifest['outputs'])} + manifest.json")

