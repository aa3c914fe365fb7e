"""What every command shares: the error edge, output writing and table rendering."""

from __future__ import annotations

import functools
import os
import sys
from enum import Enum
from typing import Callable

import typer

from repro.errors import ReproError


class Lang(str, Enum):
    kk = "kk"
    ru = "ru"
    en = "en"


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    latex = "latex"


def fail(message: str, code: int = 2) -> None:
    """One line on stderr, then exit with ``code`` (2: bad usage or input)."""
    typer.echo(f"repro: error: {' '.join(str(message).split())}", err=True)
    raise typer.Exit(code)


def edge(fn: Callable) -> Callable:
    """Turn domain errors into a one-line message and exit code 2 (``REPRO_DEBUG=1`` re-raises)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ReproError as exc:
            if os.environ.get("REPRO_DEBUG"):
                raise
            fail(exc.one_line())
        except (OSError, ValueError) as exc:
            if os.environ.get("REPRO_DEBUG"):
                raise
            fail(str(exc))

    return wrapper


def console():
    """A Rich console: plain when not a terminal, no colour under NO_COLOR."""
    from rich.console import Console

    return Console(no_color=bool(os.environ.get("NO_COLOR")), highlight=False,
                   soft_wrap=not sys.stdout.isatty())


def emit(text: str, out: str | None) -> None:
    """Print ``text`` or write it atomically to ``out``."""
    if out:
        from repro.atomic import write_atomic

        write_atomic(out, text if text.endswith("\n") else text + "\n")
    else:
        typer.echo(text)


STATUS_STYLE = {"reproduced": "green", "within_rounding": "cyan", "inconsistent": "bold red",
                "not_checkable": "yellow", "not_checked_yet": "dim"}


def dump_json(obj) -> str:
    import json

    return json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False)
