"""``repro report``: the trilingual HTML and PDF report."""

from __future__ import annotations

from typing import List, Optional

import typer

from commands._common import Lang, edge

EXAMPLE = """Render every table, check and figure into report.html (kk, ru, en with a switch) and one PDF
per language, plus the ladder figure per language, inside --out.

Example: repro report --out out/ --lang kk --lang en"""


@edge
def report(out: str = typer.Option(..., "--out", "-o", help="Output folder (created if missing)."),
           lang: Optional[List[Lang]] = typer.Option(None, "--lang", "-l", help="Limit the languages."),
           no_pdf: bool = typer.Option(False, "--no-pdf", help="HTML and figures only.")):
    from repro.report import write_report

    languages = tuple(dict.fromkeys(l.value for l in lang)) if lang else ("kk", "ru", "en")
    # the command line as provenance; the output folder is written as OUT so the bytes do not depend on it
    command = " ".join(["repro", "report", "--out", "OUT"] + [f"--lang {code}" for code in languages]
                       + (["--no-pdf"] if no_pdf else []))
    try:
        paths = write_report(out, languages, pdf=not no_pdf, command=command)
    except Exception as exc:
        problem = None if no_pdf else pdf_unavailable()
        if problem is None:
            raise
        from repro.errors import ReproError

        raise ReproError(f"cannot load WeasyPrint for the PDFs ({problem}); install Pango (Debian/Ubuntu: "
                         "apt install libpango-1.0-0 libpangoft2-1.0-0; macOS: brew install pango), "
                         "or use --no-pdf for the HTML report only") from exc
    from commands._common import write_stdout

    write_stdout("".join(f"{path}\n" for path in paths))


def pdf_unavailable() -> str | None:
    """Why WeasyPrint cannot be imported (a missing system library such as Pango), or None when it can."""
    try:
        import weasyprint  # noqa: F401
    except Exception as exc:  # OSError: cannot load library 'libgobject-2.0-0'; ImportError
        return " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    return None
