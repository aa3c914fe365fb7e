"""The ``repro`` command line: a Typer application with one module per subcommand in ``commands/``.

Heavy libraries (pandas, scipy, weasyprint) are imported inside the commands that need
them, so ``repro --help`` starts fast.
"""

from __future__ import annotations

import typer

from commands import audit, build, check, kendall, ladder, report, scan, tables, ties

app = typer.Typer(name="repro", no_args_is_help=True, add_completion=True,
                  help="Reproduce and verify the published tables of two papers on Smart City in Kazakhstan, "
                       "and render them into a trilingual (kk, ru, en) report.\n\n"
                       "Example: repro tables --lang kk")

@app.callback()
def _options(debug: bool = typer.Option(False, "--debug", help="Show the full traceback of an error (as REPRO_DEBUG=1).")):
    """Options for every command."""
    import os

    if debug:
        os.environ["REPRO_DEBUG"] = "1"
    if not os.environ.get("SOURCE_DATE_EPOCH", "x").strip():  # empty is unset (numpy's int('') would fail)
        del os.environ["SOURCE_DATE_EPOCH"]
    if "SOURCE_DATE_EPOCH" in os.environ:  # numpy reads it when scipy is imported: refuse a bad one first (D28)
        from commands._common import fail
        from repro.provenance import source_date_epoch
        from repro.errors import ReproError

        try:
            source_date_epoch()
        except ReproError as exc:
            fail(exc.one_line())


app.command(name="tables", help=tables.EXAMPLE)(tables.tables)
app.command(name="ties", help=ties.EXAMPLE)(ties.ties)
app.command(name="kendall", help=kendall.EXAMPLE)(kendall.kendall)
app.command(name="ladder", help=ladder.EXAMPLE)(ladder.ladder)
app.command(name="audit", help=audit.EXAMPLE)(audit.audit)
app.command(name="report", help=report.EXAMPLE)(report.report)
app.command(name="build", help=build.EXAMPLE)(build.build)
app.command(name="check", help=check.EXAMPLE)(check.check)
app.command(name="scan", help=scan.EXAMPLE)(scan.scan)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
