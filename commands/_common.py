"""What every command shares: the error edge, output writing and table rendering."""

from __future__ import annotations

import contextlib
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
    """Turn domain errors into a one-line message and exit code 2 (``REPRO_DEBUG=1`` re-raises).

    Long searches inside the command show a progress bar on a terminal (:func:`progress_bar`).
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        lang = kwargs.get("lang")
        lang = getattr(lang[0] if isinstance(lang, list) and lang else lang, "value", "en")
        try:
            with progress_bar(lang):
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

    tty = sys.stdout.isatty()
    # not a terminal (a pipe, a CI log): no colour codes, and a width that keeps rows readable
    width = None if tty or os.environ.get("COLUMNS") else 160
    return Console(no_color=bool(os.environ.get("NO_COLOR")), highlight=False, soft_wrap=not tty, width=width)


def emit(text: str, out: str | None) -> None:
    """Print ``text`` or write it atomically to ``out``."""
    if out:
        from repro.atomic import write_atomic

        write_atomic(out, text if text.endswith("\n") else text + "\n")
    else:
        typer.echo(text)


STATUS_STYLE = {"reproduced": "green", "within_rounding": "cyan", "inconsistent": "bold red",
                "not_checkable": "yellow", "not_checked_yet": "dim"}


@contextlib.contextmanager
def progress_bar(lang: str = "en", delay: float = 1.0):
    """Show a transient Rich progress bar on stderr for searches that run longer than ``delay`` s.

    Nothing is drawn when stderr is not a terminal (CI logs stay clean) or when the work
    finishes within ``delay`` seconds.
    """
    import time

    from repro.progress import listening

    started = time.monotonic()
    state: dict = {"bar": None, "tasks": {}}

    def listener(key: str, params: dict, done: int, total: int) -> None:
        bar = state["bar"]
        if bar is None:
            if time.monotonic() - started < delay or not sys.stderr.isatty():
                return
            from rich.console import Console
            from rich.progress import Progress

            bar = state["bar"] = Progress(console=Console(stderr=True, no_color=bool(os.environ.get("NO_COLOR"))),
                                          transient=True)
            bar.start()
        name = (key, tuple(sorted(params.items())))
        task = state["tasks"].get(name)
        if task is None:
            from repro.catalog import render

            task = state["tasks"][name] = bar.add_task(render(key, lang, params), total=total)
        bar.update(task, completed=done, total=total)
        if done >= total:
            bar.remove_task(task)
            del state["tasks"][name]

    with listening(listener):
        try:
            yield
        finally:
            if state["bar"] is not None:
                state["bar"].stop()


def dump_json(obj) -> str:
    import json

    return json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False)
