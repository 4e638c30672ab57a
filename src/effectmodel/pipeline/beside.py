"""Independent calls shared between this process and a helper process on the machine's other
core, from both ends of their list.

A run uses it for the expensive part of its variance budget
(:func:`~effectmodel.model.budget.alone_run`: one evaluation of the model per source of
uncertainty). Those evaluations need the params and data only, so they start beside the run's
own evaluation instead of after it. The numbers are the same wherever a call is computed (same
code, same inputs, same random numbers); tested.

- :func:`share` forks a helper from this process (:func:`forkable`: no other thread runs),
  or else starts a new interpreter (:func:`~effectmodel.pipeline.helpers.spawn`) that
  imports the function. The helper calls it for the items from the first on, sending back
  each value as it is done (or the exception a call raised); a thread here reads them.
- :meth:`Shared.result`, called when this process has done its own work, takes the items the
  helper has not started from the last on, computes them here, and waits for the helper's
  current one. Whichever process is faster, or less busy, does more of them: no fixed split
  can suit a machine whose speed drifts.
- A helper that ends before it has answered (killed, out of memory) leaves its items to this
  process. :meth:`Shared.cancel` kills it: a failed run leaves nothing running.
- Off on Windows (no pipes to pass to a child), on a machine with one core, with
  ``EFFECTMODEL_BESIDE=0``, and where the caller says so (a run whose data are large: a
  helper holds a copy of them and works beside the run, so it would double the run's memory):
  every call is then made here, by ``result()``.
"""

from __future__ import annotations

import contextlib
import copyreg
import gc
import importlib
import io
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from types import MappingProxyType
from typing import Any

from effectmodel.pipeline.helpers import picklable, spawn


def enabled() -> bool:
    """Whether a helper process shares the calls (POSIX, two cores or more, not switched
    off)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (os.name == "posix" and (cores or 1) > 1
            and os.environ.get("EFFECTMODEL_BESIDE", "1") != "0")


#: the helper's niceness: below the run's page server and kernel server (niceness 10), whose
#: work must be done when the run's summary.json is written, while the helper's calls can
#: still be made by the run itself (measured: at niceness 0 the kernels of a run started 3-4 s
#: after its summary.json, at 19 before it)
NICE = 19


def _read_only(mapping: dict) -> MappingProxyType:
    """A read-only view of ``mapping`` (how a pickled one is made again)."""
    return MappingProxyType(mapping)


def _dumps(obj: Any) -> bytes:
    """``obj`` pickled, read-only mappings (the frozen params and inputs) included."""
    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table,
                              MappingProxyType: lambda m: (_read_only, (dict(m),))}
    pickler.dump(obj)
    return buf.getvalue()


def _function(module: str, name: str) -> Callable[..., Any]:
    return getattr(importlib.import_module(module), name)


# --------------------------------------------------------------------------------------------
# The helper process
# --------------------------------------------------------------------------------------------


def serve(requests: int, replies: int, call: tuple | None = None) -> None:
    """The helper's side. Reads ``(module, function, args, items)`` (unless given as
    ``call``: a forked helper has it), then ``("take", i)`` for each item this process
    computes itself, from fd ``requests``; sends ``("start", i)`` before and
    ``("value", i, value)`` after each item it computes (``("error", i, exception)`` and stops
    if one raises) on fd ``replies``. Stops when ``requests`` closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the run, which kills this
    os.nice(NICE)
    inbox, outbox = Connection(requests, writable=False), Connection(replies, readable=False)
    try:
        module, name, args, items = call or pickle.loads(inbox.recv_bytes())
        function = _function(module, name)
        taken: set[int] = set()
        for i, item in enumerate(items):
            while inbox.poll():
                taken.add(inbox.recv()[1])
            if i in taken:
                continue
            outbox.send(("start", i))
            try:
                reply = _dumps(("value", i, function(*args, item)))
            except Exception as exc:  # noqa: BLE001 - the call's error, or a value that does
                # not pickle: handed to the caller, which raises it
                outbox.send_bytes(_dumps(("error", i, picklable(exc))))
                return
            outbox.send_bytes(reply)
    except (EOFError, BrokenPipeError):  # this process needs no more
        return


def forkable() -> bool:
    """Whether the helper can be a fork of this process: Linux (macOS's system libraries are
    not safe to use after a fork, which is why Python's multiprocessing spawns there), and no
    thread but this one (a fork copies only the calling thread; a lock another thread held
    would stay locked)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


class _Forked:
    """A forked helper, with the part of :class:`subprocess.Popen` that :class:`Shared`
    uses."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self) -> int:
        if self.returncode is None:
            self.returncode = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
        return self.returncode

    def kill(self) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)


def _fork(call: tuple) -> tuple[_Forked, int, int]:
    """A helper forked from this process, serving ``call`` over two pipes: it starts with
    this process's modules imported and its arguments in memory (no interpreter to start, no
    imports, nothing pickled). It holds no descriptor but its pipes and stderr, collects none
    of this process's objects, and ends by ``os._exit`` (no atexit handler, no flush of this
    process's buffers). Returns the process, the write end of its requests and the read end
    of its replies."""
    req_r, req_w = os.pipe()
    rep_r, rep_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the helper
        code = 1
        try:
            gc.freeze()  # this process's objects, garbage included, are not the helper's
            null = os.open(os.devnull, os.O_RDWR)
            os.dup2(null, 0)
            os.dup2(null, 1)  # a reader of this process's stdout waits for no helper
            keep = sorted({2, req_r, rep_w})
            for lo, hi in zip([3, *(k + 1 for k in keep)], [*keep, os.sysconf("SC_OPEN_MAX")],
                              strict=True):
                if lo < hi:
                    os.closerange(lo, hi)
            serve(req_r, rep_w, call)
            code = 0
        finally:
            os._exit(code)
    os.close(req_r)
    os.close(rep_w)
    return _Forked(pid), req_w, rep_r


# --------------------------------------------------------------------------------------------
# This process's side
# --------------------------------------------------------------------------------------------


class Shared:
    """``function(*args, item)`` for each of ``items``, the helper working from the first.

    A thread reads the helper's replies as they come, so that the helper never waits for this
    process to read a value (a value larger than the pipe's buffer would otherwise hold it up
    until :meth:`result` is called)."""

    def __init__(self, module: str, name: str, args: tuple, items: Sequence[Any]) -> None:
        self._call = (module, name, args, list(items))
        forked = forkable()
        self._process, req_w, rep_r = _fork(self._call) if forked else spawn(__name__)
        self._requests = Connection(req_w, readable=False)
        self._replies = Connection(rep_r, writable=False)
        self._changed = threading.Condition()
        self._values: dict[int, Any] = {}  # the helper's, as they come
        self._started: set[int] = set()
        self._error: BaseException | None = None
        self._ended = False
        self._reader = threading.Thread(target=self._read, name="effectmodel-beside",
                                        daemon=True)
        self._reader.start()
        if forked:
            return
        try:
            self._requests.send_bytes(_dumps(self._call))
        except BaseException:  # e.g. arguments that do not pickle: no helper left waiting
            self.cancel()
            raise

    def _read(self) -> None:
        """The reader thread: every reply into the shared state, until the helper ends."""
        while True:
            try:
                kind, i, *value = pickle.loads(self._replies.recv_bytes())
            except Exception:  # noqa: BLE001 - ended (EOF), or a reply that does not load:
                # either way its items not yet answered are made here
                kind, i, value = "ended", -1, []
            with self._changed:
                if kind == "start":
                    self._started.add(i)
                elif kind == "value":
                    self._values[i] = value[0]
                else:
                    self._error = value[0] if kind == "error" else None
                    self._ended = True
                self._changed.notify_all()
            if self._ended:
                return

    def _next(self, done: dict[int, Any]) -> int | None:
        """The last item nobody has started (waiting for the helper while there is none);
        None when every item has its value. Raises a helper's error."""
        n = len(self._call[3])
        with self._changed:
            while True:
                if self._error is not None:
                    raise self._error
                done.update(self._values)
                if len(done) == n:
                    return None
                free = [i for i in range(n) if i not in done
                        and (self._ended or i not in self._started)]
                if free:
                    return free[-1]
                self._changed.wait()

    def result(self) -> list[Any]:
        """Every item's value, in order (computes the items the helper has not started);
        raises what a call raised."""
        module, name, args, items = self._call
        values: dict[int, Any] = {}
        try:
            while (i := self._next(values)) is not None:
                self._take(i)
                values[i] = _function(module, name)(*args, items[i])
        finally:
            self.cancel()
        return [values[i] for i in range(len(items))]

    def _take(self, i: int) -> None:
        """Tell the helper that this process makes item ``i``."""
        try:
            self._requests.send(("take", i))
        except OSError:  # the helper has ended; its reader says so
            pass

    def cancel(self) -> None:
        """Stop the helper (nothing is left running)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        # the replies' pipe has no writer left, so the reader ends; its end is closed only
        # then (closing a descriptor that another thread reads could close a new file's)
        self._reader.join(timeout=10)
        for end in (self._requests, self._replies):
            if not end.closed and (end is self._requests or not self._reader.is_alive()):
                end.close()


class _Here:
    """Every call made here, by :meth:`result` (the helper is off)."""

    def __init__(self, module: str, name: str, args: tuple, items: Sequence[Any]) -> None:
        self._call = (module, name, args, list(items))

    def result(self) -> list[Any]:
        module, name, args, items = self._call
        function = _function(module, name)
        return [function(*args, item) for item in items]

    def cancel(self) -> None:
        pass


def share(module: str, name: str, args: tuple, items: Sequence[Any], helper: bool = True
          ) -> Shared | _Here:
    """``module.name(*args, item)`` for each of ``items``: a helper process starts on them now;
    ``result()`` shares the rest and returns the values in order. Without a helper
    (``helper`` false, or not :func:`enabled`), ``result()`` makes every call."""
    return (Shared if helper and enabled() and items else _Here)(module, name, args, items)
