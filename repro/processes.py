"""Processes this tool starts end with the one that started them (attack review D14).

One helper for every pool and helper process (the PDF renderer and its workers, the audit's row
workers): a worker calls :func:`die_with_parent` first thing, as a pool initialiser or at the top of its
target, so SIGTERM, SIGINT or SIGKILL sent to the main ``repro`` process alone leaves nothing behind.
"""

from __future__ import annotations

import os
import signal
import sys


def die_with_parent(parent: int | None = None) -> None:
    """Make this (freshly forked) process end when ``parent`` (default: its parent now) does.

    Linux: ``PR_SET_PDEATHSIG`` = SIGKILL through libc. Then, since the parent may already have gone
    between the fork and this call, a check of the current parent id. Elsewhere: a daemon thread polls
    the parent id every 0.2 s and exits the process when it changes.
    """
    parent = os.getppid() if parent is None else parent
    armed = False
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            PR_SET_PDEATHSIG = 1
            armed = libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    if os.getppid() != parent:
        os._exit(1)
    if not armed:
        import threading
        import time

        def watch():
            while os.getppid() == parent:
                time.sleep(0.2)
            os._exit(1)

        threading.Thread(target=watch, name="repro-parent-watch", daemon=True).start()
