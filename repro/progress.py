"""Progress of long searches, reported to whoever listens (the command line shows a bar).

The library stays free of any terminal: computations call :func:`advance` with a label,
the steps done and the steps in all; by default nothing listens. ``commands`` install a
listener with :func:`listening` that draws a Rich progress bar once a search has run
longer than a second.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from typing import Callable, Iterator

Listener = Callable[[str, dict, int, int], None]
_listener: ContextVar[Listener | None] = ContextVar("repro_progress", default=None)


def advance(key: str, done: int, total: int, **params) -> None:
    """Report that ``done`` of ``total`` steps of the search ``key`` (a catalog key) are finished."""
    listener = _listener.get()
    if listener is not None:
        listener(key, params, done, total)


@contextlib.contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Send every :func:`advance` inside the block to ``listener``."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)
