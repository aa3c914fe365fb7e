"""The ``repro`` command line: a Typer application with one module per subcommand in ``commands/``.

Heavy libraries (pandas, scipy, weasyprint) are imported inside the commands that need
them, so ``repro --help`` starts fast.
"""

from __future__ import annotations

import sys
from typing import Optional

import typer

from commands import audit, build, check, kendall, ladder, report, scan, tables, ties

app = typer.Typer(name="repro", no_args_is_help=True, add_completion=True,
                  context_settings={"help_option_names": ["-h", "--help"]},
                  help="Reproduce and verify the published tables of two papers on Smart City in Kazakhstan, "
                       "and render them into a trilingual (kk, ru, en) report.\n\n"
                       "Example: repro tables --lang kk")


def _hide_flag_types() -> None:
    """Flags take no value: show no ``<bool>`` type beside them in the help (typer >= 0.20 prints one)."""
    try:
        from typer.core import TyperOption
    except ImportError:  # pragma: no cover - older typer prints no type for flags
        return
    shown = getattr(TyperOption, "display_type_rich", None)
    if shown is None or getattr(shown, "_repro_flags", False):
        return

    def display_type_rich(self, ctx):
        if getattr(self, "is_flag", False) or getattr(self, "is_bool_flag", False):
            return None
        return shown(self, ctx)

    setattr(display_type_rich, "_repro_flags", True)
    setattr(TyperOption, "display_type_rich", display_type_rich)


_hide_flag_types()


def _version(value: bool) -> None:
    if value:
        from repro import __version__

        sys.stdout.write(f"repro {__version__}\n")
        raise typer.Exit()


@app.callback()
def _options(debug: bool = typer.Option(False, "--debug",
                                        help="Show the full traceback of an error (also: REPRO_DEBUG=1)."),
             version: Optional[bool] = typer.Option(None, "--version", "-V", callback=_version, is_eager=True,
                                                    help="Show the version and exit.")):
    """Options for every command (--debug is read by the error edge of each command)."""
    import os

    if not os.environ.get("SOURCE_DATE_EPOCH", "x").strip():  # empty is unset (numpy's int('') would fail)
        del os.environ["SOURCE_DATE_EPOCH"]
    if "SOURCE_DATE_EPOCH" in os.environ:  # numpy reads it when scipy is imported: refuse a bad one first (D28)
        from commands._common import fail
        from repro.errors import ReproError
        from repro.provenance import source_date_epoch

        try:
            source_date_epoch()
        except ReproError as exc:
            fail(exc.one_line())


def _short(text: str) -> str:
    """The first paragraph of a command's help on one line (the command list shows no hard breaks)."""
    return " ".join(text.split("\n\n")[0].split())


app.command(name="tables", help=tables.EXAMPLE, short_help=_short(tables.EXAMPLE))(tables.tables)
app.command(name="ties", help=ties.EXAMPLE, short_help=_short(ties.EXAMPLE))(ties.ties)
app.command(name="kendall", help=kendall.EXAMPLE, short_help=_short(kendall.EXAMPLE))(kendall.kendall)
app.command(name="ladder", help=ladder.EXAMPLE, short_help=_short(ladder.EXAMPLE))(ladder.ladder)
app.command(name="audit", help=audit.EXAMPLE, short_help=_short(audit.EXAMPLE))(audit.audit)
app.command(name="report", help=report.EXAMPLE, short_help=_short(report.EXAMPLE))(report.report)
app.command(name="build", help=build.EXAMPLE, short_help=_short(build.EXAMPLE))(build.build)
app.command(name="check", help=check.EXAMPLE, short_help=_short(check.EXAMPLE))(check.check)
app.command(name="scan", help=scan.EXAMPLE, short_help=_short(scan.EXAMPLE))(scan.scan)


class _ClosedStream:
    """Stands for a standard output that was closed before the start (``repro tables >&-``).

    Python then sets ``sys.stdout`` to None and every print is silently lost; this stand-in
    makes the first write fail, so the command reports it in one line instead.
    """

    closed = False
    encoding = "utf-8"

    def write(self, text):
        raise OSError(9, "standard output is closed")

    def flush(self):
        pass

    def isatty(self):
        return False

    def fileno(self):
        raise OSError(9, "standard output is closed")


def main() -> None:
    """The console script: run the command, then end the process at once (:func:`_leave`)."""
    if sys.stdout is None:
        sys.stdout = _ClosedStream()
    try:
        try:
            app()
        except BrokenPipeError:  # the reader of a pipe left (repro tables | head -1): quiet, as SIGPIPE
            from commands._common import EXIT_PIPE, _quiet_pipe

            _quiet_pipe()
            sys.exit(EXIT_PIPE)
    except SystemExit as done:  # how Typer ends every command
        _leave(done.code)
    _leave(0)


def _leave(code) -> None:
    """Flush the standard streams and end the process without the interpreter's teardown.

    The teardown frees every object of every imported module (numpy, scipy.special, Rich, the results):
    0.1–0.3 s after the work is done, which a cold ``repro tables`` or ``repro report`` would otherwise
    spend. Nothing is left to it: files are written and closed by then (atomic writes), worker and
    renderer processes are reaped or die with this one (:mod:`repro.processes`), and the exit code and
    message are those ``sys.exit(code)`` gives (None: 0; a number; any other value printed, 1). Only
    the console script ends this way; ``app`` called in-process (tests) returns as before.
    """
    import os

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left while the last of the output waited in the buffer
        from commands._common import EXIT_PIPE, _quiet_pipe

        _quiet_pipe()
        status = EXIT_PIPE
    except (OSError, ValueError):  # a closed standard output (D27): the command has said so already
        pass
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(status)


if __name__ == "__main__":
    main()
