"""What every command shares: the error edge, the one output path and the terminal tables.

Output: every command hands its results to :func:`emit_results` (verified tables) or
:func:`emit_grids` (its own plain tables), with the ``--format`` and ``--out`` it was given.
Each format is written the same way whether it goes to the screen or to a file: the
terminal table to a file is the same table without colour. Data formats (json, csv,
markdown, latex) are written with ``sys.stdout.write``, so labels keep their bytes; only
the terminal table shows control characters escaped (see :mod:`repro.outputs`).

Errors: :func:`edge` turns :class:`~repro.errors.ReproError` into one line and exit 2.
Anything else is a bug: one line naming the exception, a pointer to ``--debug``, exit 70.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from dataclasses import dataclass, field
from enum import Enum
from typing import Callable, NoReturn, Sequence

import typer

from repro.errors import ReproError

EXIT_ERROR = 2
EXIT_BUG = 70          # EX_SOFTWARE: an internal error, not the user's input
EXIT_PIPE = 141        # 128 + SIGPIPE, as a shell reports a process killed by a closed pipe
MIN_WIDTH, MAX_WIDTH, DEFAULT_WIDTH = 60, 400, 80


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


LANG_HELP = "Language of labels, reasons and messages (kk, ru or en)."
FORMAT_HELP = "Output format: table (terminal), json, csv, markdown or latex."
OUT_HELP = "Write the output to this file (atomically) instead of the screen; works with every --format."


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    """One line on stderr, then exit with ``code`` (2: bad usage or input); a very long line is shortened."""
    text = " ".join(str(message).split())
    if len(text) > 400:  # e.g. a 5000-digit cell quoted back: keep where it is, drop the middle of what
        text = text[:300] + " … " + text[-60:]
    with contextlib.suppress(Exception):
        sys.stderr.write(f"repro: error: {text}\n")
        sys.stderr.flush()
    raise typer.Exit(code)


def refuse(message: str) -> NoReturn:
    """A conflict between options: exit 2 naming it."""
    fail(message)


def debugging() -> bool:
    """Whether ``--debug`` was given (on the main command) or ``REPRO_DEBUG`` is set."""
    if os.environ.get("REPRO_DEBUG"):
        return True
    ctx = None
    for module in ("typer._click.globals", "click"):  # typer >= 0.20 vendors click; older typer uses click
        try:
            ctx = __import__(module, fromlist=["get_current_context"]).get_current_context(silent=True)
        except Exception:
            continue
        if ctx is not None:
            break
    while ctx is not None:
        if ctx.params.get("debug"):
            return True
        ctx = ctx.parent
    return False


def _exit_exceptions() -> tuple[type[BaseException], ...]:
    """Exceptions that are the command line's own control flow (exit, usage errors, abort)."""
    kinds: list[type[BaseException]] = [typer.Exit]
    for module in ("click.exceptions", "typer._click.exceptions"):
        try:
            mod = __import__(module, fromlist=["ClickException"])
        except ImportError:
            continue
        kinds += [getattr(mod, n) for n in ("Exit", "ClickException", "Abort") if hasattr(mod, n)]
    return tuple(kinds)


def _quiet_pipe() -> None:
    """After a closed pipe: point stdout at /dev/null so the interpreter's final flush stays silent."""
    with contextlib.suppress(Exception):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def edge(fn: Callable) -> Callable:
    """Run a command: ReproError -> one line, exit 2; a closed pipe -> quiet exit 141; a bug -> exit 70.

    ``--debug`` (or ``REPRO_DEBUG=1``) re-raises, so the traceback is shown. Long searches
    inside the command show a progress bar on a terminal (:func:`progress_bar`).
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        debug = bool(kwargs.pop("debug", False))
        given = kwargs.get("lang")
        lang = str(getattr(given[0] if isinstance(given, list) and given else given, "value", "en"))
        try:
            with progress_bar(lang):
                return fn(*args, **kwargs)
        except _exit_exceptions():
            raise
        except ReproError as exc:
            if debug or debugging():
                raise
            fail(exc.one_line())
        except BrokenPipeError:
            _quiet_pipe()
            raise typer.Exit(EXIT_PIPE)
        except Exception as exc:
            if debug or debugging():
                raise
            text = " ".join(str(exc).split())[:300]
            fail(f"internal error ({type(exc).__name__}{': ' + text if text else ''}); this is a bug in repro, "
                 "not in your input: run again with --debug for the traceback", code=EXIT_BUG)

    # every command also takes --debug after its name (repro audit x.csv --debug), as before it
    import inspect

    signature = inspect.signature(fn)
    if "debug" not in signature.parameters:
        option = typer.Option(False, "--debug", help="Show the full traceback of an error (also: REPRO_DEBUG=1).")
        extra = inspect.Parameter("debug", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=option, annotation="bool")
        setattr(wrapper, "__signature__", signature.replace(parameters=[*signature.parameters.values(), extra]))
        wrapper.__annotations__ = {**getattr(fn, "__annotations__", {}), "debug": "bool"}
    return wrapper


# --------------------------------------------------------------------------- writing


def write_stdout(text: str) -> None:
    """Write ``text`` to standard output as is (no stripping of escape sequences, unlike click.echo)."""
    stream = sys.stdout
    if stream is None:
        raise ReproError("standard output is closed; give --out FILE or redirect the output")
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        raise
    except UnicodeEncodeError as exc:
        raise ReproError(f"standard output cannot encode {exc.object[exc.start:exc.end]!r} "
                         f"({exc.encoding}); set PYTHONIOENCODING=utf-8") from None
    except (OSError, ValueError) as exc:  # closed (ValueError: I/O on closed file), full, bad descriptor
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ReproError(f"cannot write to standard output: {reason}") from None


def emit(text: str, out: str | None) -> None:
    """Print ``text`` or write it atomically to ``out``."""
    text = text if text.endswith("\n") else text + "\n"
    if out:
        from repro.atomic import write_atomic

        write_atomic(out, text)
    else:
        write_stdout(text)


def dump_json(obj) -> str:
    """Strict JSON (NaN and infinities become null), UTF-8 kept, indented by 2.

    The text of ``json.dumps(_finite(obj), ensure_ascii=False, indent=2, allow_nan=False)``, written in one
    walk (:func:`_json_indent2`; the standard encoder writes indented JSON in pure Python, a generator per
    level, after a second walk for the non-finite floats: 3x slower on the large outputs of ``repro scan``).
    Anything that walk does not handle (keys other than strings, objects that are no JSON type, cycles)
    goes through ``json.dumps``, with its errors.
    """
    import json

    try:
        return _json_indent2(obj)
    except (_NotPlainJSON, RecursionError):
        return json.dumps(_finite(obj), ensure_ascii=False, indent=2, sort_keys=False, allow_nan=False)


class _NotPlainJSON(Exception):
    """A value :func:`_json_indent2` leaves to ``json.dumps``."""


def _json_indent2(obj) -> str:
    """``json.dumps(_finite(obj), ensure_ascii=False, indent=2)`` for str-keyed dicts, lists, tuples, str, int,
    float, bool and None: the same separators, indentation, string escapes (the encoder's own
    ``encode_basestring``) and number texts (``int.__repr__``, ``float.__repr__``; NaN and infinities null)."""
    from json.encoder import encode_basestring

    out: list[str] = []
    append = out.append
    float_text, int_text = float.__repr__, int.__repr__
    inf = float("inf")

    def write(o, level: int) -> None:
        if isinstance(o, str):
            append(encode_basestring(o))
        elif o is None:
            append("null")
        elif o is True:
            append("true")
        elif o is False:
            append("false")
        elif isinstance(o, int):
            append(int_text(o))
        elif isinstance(o, float):
            append(float_text(o) if o == o and o != inf and o != -inf else "null")
        elif isinstance(o, (list, tuple)):
            if not o:
                append("[]")
                return
            inner = "\n" + "  " * (level + 1)
            append("[")
            for i, v in enumerate(o):
                append(inner if i == 0 else "," + inner)
                write(v, level + 1)
            append("\n" + "  " * level + "]")
        elif isinstance(o, dict):
            if not o:
                append("{}")
                return
            inner = "\n" + "  " * (level + 1)
            append("{")
            for i, (k, v) in enumerate(o.items()):
                if not isinstance(k, str):
                    raise _NotPlainJSON(k)
                append(inner if i == 0 else "," + inner)
                append(encode_basestring(k))
                append(": ")
                write(v, level + 1)
            append("\n" + "  " * level + "}")
        else:
            raise _NotPlainJSON(type(o))

    write(obj, 0)
    return "".join(out)


def _finite(value):
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


# --------------------------------------------------------------------------- terminal tables


def terminal_width() -> int:
    """COLUMNS when set (clamped to 60…400), else the terminal's width on stdout/stderr/stdin, else 80."""
    raw = os.environ.get("COLUMNS", "").strip()
    try:
        width = int(raw)
    except ValueError:
        width = 0
    if width <= 0:
        for fd in (1, 2, 0):
            try:
                width = os.get_terminal_size(fd).columns
                break
            except (OSError, ValueError):
                continue
    if width <= 0:
        width = DEFAULT_WIDTH
    return max(MIN_WIDTH, min(MAX_WIDTH, width))


def _colour() -> bool:
    return bool(sys.stdout is not None and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))


def render_rich(renderables: Sequence, colour: bool = False) -> str:
    """Renderables as text at :func:`terminal_width`; ANSI colour only when ``colour``."""
    import io

    from rich.console import Console

    buffer = io.StringIO()
    con = Console(file=buffer, width=terminal_width(), force_terminal=colour, no_color=not colour,
                  color_system="standard" if colour else None, highlight=False, markup=False, emoji=False,
                  legacy_windows=False, soft_wrap=False)
    for r in renderables:
        con.print(r)
    return buffer.getvalue()


STATUS_STYLE = {"reproduced": "green", "within_rounding": "cyan", "inconsistent": "bold red",
                "not_checkable": "yellow", "not_checked_yet": "dim"}


@dataclass
class Grid:
    """A plain table of text: the shape every command's own output takes before it is written.

    ``rows`` hold strings (user text kept as is; escaping happens per format on output).
    ``styles`` optionally give a Rich style per cell (same shape as ``rows``) for the terminal.
    ``sections`` are row indices before which the terminal table draws a separator.
    """

    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    caption: str = ""
    styles: list[list[str]] | None = None
    sections: list[int] = field(default_factory=list)
    right: set[int] = field(default_factory=set)          # right-aligned columns (numbers)
    no_wrap: set[int] = field(default_factory=set)         # columns whose words never break (statuses)
    widths: dict[int, int] = field(default_factory=dict)   # minimum widths
    ratios: dict[int, int] = field(default_factory=dict)   # share of the free width


def _rich_table(grid: Grid):
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from repro.outputs import terminal_text

    table = Table(title=Text(terminal_text(grid.title), style="bold") if grid.title else None,
                  caption=Text(terminal_text(grid.caption)) if grid.caption else None,
                  box=box.SIMPLE_HEAD, pad_edge=False, expand=bool(grid.ratios))
    for i, head in enumerate(grid.columns):
        table.add_column(Text(terminal_text(head), style="bold"), justify="right" if i in grid.right else "left",
                         no_wrap=i in grid.no_wrap, overflow="fold", min_width=grid.widths.get(i),
                         ratio=grid.ratios.get(i))
    for n, row in enumerate(grid.rows):
        if n in grid.sections:
            table.add_section()
        styles = grid.styles[n] if grid.styles else [""] * len(row)
        table.add_row(*[Text(terminal_text(cell), style=style or "") for cell, style in zip(row, styles)])
    return table


def emit_grids(grids: Sequence[Grid], fmt: "Format", out: str | None, payload=None, footer: str = "") -> None:
    """Write the command's own tables in ``fmt`` to the screen or to ``out``.

    json writes ``payload``; csv needs exactly one grid (the command's data); markdown and
    latex write every grid in turn; the terminal table draws them all plus ``footer``.
    """
    from repro import outputs

    if fmt is Format.json:
        if payload is None:
            payload = [{"title": g.title, "columns": g.columns, "rows": g.rows} for g in grids]
        emit(dump_json(payload), out)
        return
    if fmt is Format.table:
        from rich.text import Text

        from repro.outputs import terminal_text

        renderables = [_rich_table(g) for g in grids] + ([Text(terminal_text(footer))] if footer else [])
        emit(render_rich(renderables, colour=_colour() and not out), out)
        return
    if fmt is Format.csv:
        if len(grids) != 1:
            fail(f"--format csv writes one table; this output has {len(grids)}: use json, markdown or latex")
        emit(outputs.csv_text(grids[0].columns, grids[0].rows), out)
        return
    writer = outputs.markdown_text if fmt is Format.markdown else outputs.latex_text
    parts = []
    for g in grids:
        parts.append(writer(g.columns, g.rows, title=g.title))
    emit("\n".join(parts), out)


def verdict_grids(title: str, caption: str, entries: Sequence[dict], lang: str,
                  where_column: str | None = None) -> list[Grid]:
    """The one terminal layout of judged cells (``repro tables``, ``repro scan``).

    ``entries`` are dicts with ``row``, ``column``, ``published``, ``computed``, ``status``,
    ``severity_word`` (empty when none), ``reason`` and, with ``where_column``, ``where``. Wide
    terminals (110 columns and more) keep the reason beside each cell. Narrower ones get a compact
    grid (row and column in one cell, published, computed, status) and the reasons under the table as
    numbered notes, each distinct reason once; a cell points to its note with [n].
    """
    from repro.catalog import label

    heads = [label(h, lang) for h in ("ui.row", "ui.column", "ui.published", "ui.reproduced", "ui.status", "ui.reason")]
    where = [where_column] if where_column else []
    styles: list[list[str]] = []
    if terminal_width() >= 110:
        grid = Grid(title=title, columns=heads + where, caption=caption, styles=styles, no_wrap={3},
                    ratios={0: 3, 1: 2, 2: 2, 4: 2, 5: 6})
        for e in entries:
            word = f"{e['status_word']} ({e['severity_word']})" if e["severity_word"] else e["status_word"]
            grid.rows.append([e["row"], e["column"], e["published"], e["computed"], word, e["reason"]]
                             + ([e["where"]] if where else []))
            styles.append(["", "", "", "", STATUS_STYLE.get(e["status"], ""), ""] + [""] * len(where))
        return [grid]
    notes: dict[str, int] = {}
    grid = Grid(title=title, columns=[f"{heads[0]} / {heads[1]}", heads[2], heads[3], heads[4]] + where,
                caption=caption, styles=styles, no_wrap={2}, ratios={0: 4, 1: 3, 3: 3})
    for e in entries:
        word = f"{e['status_word']} ({e['severity_word']})" if e["severity_word"] else e["status_word"]
        if e["reason"]:
            word += f" [{notes.setdefault(e['reason'], len(notes) + 1)}]"
        grid.rows.append([f"{e['row']}\n· {e['column']}", e["published"], e["computed"], word]
                         + ([e["where"]] if where else []))
        styles.append(["", "", "", STATUS_STYLE.get(e["status"], "")] + [""] * len(where))
    grids = [grid]
    if notes:
        grids.append(Grid(title="", columns=["", label("ui.reason", lang)], right={0}, ratios={1: 1},
                          rows=[[f"[{n}]", reason] for reason, n in notes.items()]))
    return grids


def table_grids(results, lang: str, title: str | None = None) -> list[Grid]:
    """The verified tables as terminal grids (see verdict_grids): one row per published cell, a
    status count per table."""
    from repro.catalog import label
    from repro.labels import cell_view, summary_text

    grids = []
    for t in results:
        entries = []
        for c in t.cells:
            v = cell_view(t.id, c, lang)
            entries.append({"row": v.row, "column": v.column, "published": v.published, "computed": v.computed,
                            "status": c.status, "status_word": v.status_word,
                            "severity_word": v.severity_word if v.severity else "", "reason": v.reason})
        grids.extend(verdict_grids(title or label(f"table.{t.id}.title", lang, default=t.id),
                                   summary_text(t, lang), entries, lang))
    return grids


def grand_summary(results, lang: str) -> str:
    """Closing lines over every table shown, one per paper (issue 13: no total adds two papers together):
    the number of tables and cells, the count per status and the findings by severity."""
    from repro.labels import paper_summaries

    return "\n".join(paper_summaries(results, lang))


def print_tables(results, lang: str, title: str | None = None, out: str | None = None,
                 extra: Sequence[Grid] = ()) -> None:
    """The terminal table of verified tables (and ``extra`` grids), with a grand total after several tables."""
    footer = grand_summary(results, lang) if len(results) > 1 else ""
    emit_grids(table_grids(results, lang, title) + list(extra), Format.table, out, footer=footer)


def emit_results(results, fmt: "Format", lang: str, out: str | None, title: str | None = None,
                 payload=None, extra: Sequence[Grid] = ()) -> None:
    """The one output path of verified tables (``repro tables``, ``audit``, ``kendall``, ``ties``, ``ladder``).

    json: ``payload`` (default: the JSON contract of ``results``); csv, markdown, latex: one
    flat record per published cell (:func:`repro.render.render_rows`); table: the terminal
    tables, ``extra`` grids after them, and a grand total. ``out`` writes any of them to a file.
    """
    if fmt is Format.json:
        if payload is None:
            from repro.tables import tables_json

            payload = tables_json(results, lang)
        emit(dump_json(payload), out)
        return
    if fmt is Format.table:
        print_tables(results, lang, title, out, extra)
        return
    from repro.render import render_rows

    emit(render_rows(results, lang, fmt.value), out)


# --------------------------------------------------------------------------- progress


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
            if time.monotonic() - started < delay or sys.stderr is None or not sys.stderr.isatty():
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            bar = state["bar"] = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                          TimeRemainingColumn(),
                                          console=Console(stderr=True, no_color=bool(os.environ.get("NO_COLOR"))),
                                          transient=True)
            bar.start()
        name = (key, tuple(sorted((k, str(v)) for k, v in params.items())))
        task = state["tasks"].get(name)
        if task is None:
            from rich.markup import escape

            from repro.catalog import render
            from repro.outputs import terminal_text

            task = state["tasks"][name] = bar.add_task(escape(terminal_text(render(key, lang, params))), total=total)
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
