"""Helper processes (the kernel server, the page server): their slot, one per process and
environment, started on first use; and a quick exit for them and the command line."""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Generic, NoReturn, Protocol, TypeVar

#: variables that change while a process runs and that no import reads (pytest's test name)
_VOLATILE = frozenset({"PYTEST_CURRENT_TEST"})


class Helper(Protocol):
    key: tuple
    owner: int
    alive: bool

    def stop(self) -> None: ...


H = TypeVar("H", bound=Helper)


def spawn(module: str) -> tuple[subprocess.Popen, int, int]:
    """Start ``module``'s ``serve(requests, replies)`` in a new interpreter, over two pipes;
    returns the process, the write end of its requests and the read end of its replies. It
    ends through :func:`exit_now` once ``serve`` returns (its requests have closed)."""
    req_r, req_w = os.pipe()
    rep_r, rep_w = os.pipe()
    code = (f"from effectmodel.pipeline.helpers import exit_now; from {module} import serve; "
            f"serve({req_r}, {rep_w}); exit_now(0)")
    process = subprocess.Popen([sys.executable, "-c", code], pass_fds=(req_r, rep_w),
                               stdin=subprocess.DEVNULL)
    os.close(req_r)
    os.close(rep_w)
    return process, req_w, rep_r


def picklable(exc: BaseException) -> BaseException:
    """``exc``, or a RuntimeError with its type and text when it cannot cross a pipe to the
    process that raises it."""
    try:
        pickle.dumps(exc)
        return exc
    except Exception:  # noqa: BLE001 - any failure to pickle
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def environment_key() -> tuple:
    """This process's environment as a key (less :data:`_VOLATILE`)."""
    return tuple(sorted((k, v) for k, v in os.environ.items() if k not in _VOLATILE))


class Slot(Generic[H]):
    """This process's helper made by ``start(key)``: a new one when the environment has
    changed (imports and kernels may read it) or the old one has ended. A forked copy of the
    process does not use its parent's helper (it has no reader for its replies)."""

    def __init__(self, start: Callable[[tuple], H]) -> None:
        self._start = start
        self._helper: H | None = None
        self._lock = threading.Lock()

    def get(self) -> H:
        key = environment_key()
        with self._lock:
            current = self._helper
            if current is not None and current.owner == os.getpid():
                if current.alive and current.key == key:
                    return current
                current.stop()
            self._helper = self._start(key)
            return self._helper

    def running(self) -> H | None:
        """The helper, if one runs."""
        with self._lock:
            current = self._helper
            return current if current is not None and current.alive else None


def exit_now(code: int) -> NoReturn:
    """Exit with ``code`` once the atexit handlers have run and stdout and stderr are flushed,
    without the interpreter's teardown of every module and object: after a run that teardown
    took 0.4-0.5 s of CPU, and the system frees the memory at once. A process that still runs
    a thread other than daemon threads exits the normal way instead (its threads are joined).
    """
    others = [t for t in threading.enumerate()
              if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    if others:
        sys.exit(code)
    atexit._run_exitfuncs()  # what a normal exit runs, in the same order
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # e.g. a closed pipe
            stream.flush()
    os._exit(code)
