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


class InChild:
    """``compute()`` running in a forked child process while this one goes on; :meth:`result` waits for it.

    Used to put a second core to work on a pure computation (``repro scan`` reads the later half of a long
    PDF's pages, ``repro check`` the text of differing PDFs). The value comes back through a pipe that only
    this process and its child hold, as JSON in the cache's data format (:func:`repro.cache.encode`; only
    plain data and the package's own dataclasses are rebuilt, each field type-checked: nothing read can
    execute code). The child ends with its parent (:func:`die_with_parent`), reports no progress and writes
    nothing else.

    Wherever the child cannot give the value (no ``fork`` on this platform, one core, ``REPRO_JOBS=1``, the
    child failed or was killed, a value the data format does not carry), :meth:`result` computes it here, so errors surface exactly as without
    a child (a :class:`~repro.errors.ReproError` with its message, a bug with its traceback).
    """

    def __init__(self, compute):
        self._compute = compute
        self._pid: int | None = None
        self._read: int | None = None
        if not can_fork():
            return
        read, write = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, leave without running the parent's exit handlers
            code = 1
            try:
                os.close(read)
                die_with_parent(parent)
                from repro import progress

                progress._listener.set(None)
                import json

                from repro.cache import encode

                data = json.dumps(encode(compute()), ensure_ascii=False, separators=(",", ":")).encode()
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(data)
                code = 0
            except BaseException:  # noqa: BLE001 - the parent recomputes and raises it there
                pass
            finally:
                os._exit(code)
        os.close(write)
        self._pid, self._read = pid, read

    def cancel(self) -> None:
        """End the child without waiting for its value (this process failed before asking for it)."""
        if self._pid is not None and self._read is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:  # pragma: no cover - already gone
                pass
            os.waitpid(self._pid, 0)
            os.close(self._read)
            self._pid = self._read = None

    def result(self):
        """The value: from the child when it gave one, else computed here."""
        if self._pid is not None and self._read is not None:
            chunks = []
            with os.fdopen(self._read, "rb") as pipe:
                while True:
                    chunk = pipe.read(1 << 20)
                    if not chunk:
                        break
                    chunks.append(chunk)
            _, status = os.waitpid(self._pid, 0)
            self._pid = self._read = None
            if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
                import json

                from repro.cache import decode

                try:
                    return decode(json.loads(b"".join(chunks)), "the child's value")
                except ValueError:  # not what the child writes (repro.cache.Invalid is a ValueError): compute
                    pass
        return self._compute()


def can_fork() -> bool:
    """A second process is worth starting: fork exists, more than one core is ours (affinity), and REPRO_JOBS
    is not 1. The one test of it (InChild, the PDF renderer)."""
    from repro.rowrun import default_jobs

    return hasattr(os, "fork") and os.environ.get("REPRO_JOBS", "").strip() != "1" and default_jobs() > 1
