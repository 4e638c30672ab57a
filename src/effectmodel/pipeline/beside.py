"""Independent calls shared between this process and a helper process on the machine's other
core, from both ends of their list.

A run uses it for the expensive part of its variance budget
(:func:`~effectmodel.model.budget.alone_run`: one evaluation of the model per source of
uncertainty). Those evaluations need the params and data only, so they start beside the run's
own evaluation instead of after it. The numbers are the same wherever a call is computed (same
code, same inputs, same random numbers); tested.

- :func:`share` starts a new interpreter (:func:`~effectmodel.pipeline.helpers.spawn`) that
  imports the function and calls it for the items from the first on, sending back each value
  as it is done (or the exception a call raised).
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

import copyreg
import importlib
import io
import os
import pickle
import signal
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


def serve(requests: int, replies: int) -> None:
    """The helper's side. Reads ``(module, function, args, items)``, then ``("take", i)`` for
    each item this process computes itself, from fd ``requests``; sends ``("start", i)``
    before and ``("value", i, value)`` after each item it computes (``("error", i, exception)``
    and stops if one raises) on fd ``replies``. Stops when ``requests`` closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the run, which kills this
    inbox, outbox = Connection(requests, writable=False), Connection(replies, readable=False)
    try:
        module, name, args, items = pickle.loads(inbox.recv_bytes())
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


# --------------------------------------------------------------------------------------------
# This process's side
# --------------------------------------------------------------------------------------------


class Shared:
    """``function(*args, item)`` for each of ``items``, the helper working from the first."""

    def __init__(self, module: str, name: str, args: tuple, items: Sequence[Any]) -> None:
        self._call = (module, name, args, list(items))
        self._process, req_w, rep_r = spawn(__name__)
        self._requests = Connection(req_w, readable=False)
        self._replies = Connection(rep_r, writable=False)
        try:
            self._requests.send_bytes(_dumps(self._call))
        except BaseException:  # e.g. arguments that do not pickle: no helper left waiting
            self.cancel()
            raise

    def result(self) -> list[Any]:
        """Every item's value, in order (computes the items the helper has not started);
        raises what a call raised."""
        module, name, args, items = self._call
        values: dict[int, Any] = {}
        started: set[int] = set()
        helper = True
        try:
            while len(values) < len(items):
                while helper and self._replies.poll():
                    helper = self._receive(values, started)
                free = [i for i in range(len(items)) if i not in values
                        and (i not in started or not helper)]
                if free:
                    i = free[-1]
                    if helper:
                        self._take(i)
                    values[i] = _function(module, name)(*args, items[i])
                elif helper:
                    helper = self._receive(values, started)
        finally:
            self.cancel()
        return [values[i] for i in range(len(items))]

    def _take(self, i: int) -> None:
        try:
            self._requests.send(("take", i))
        except OSError:  # the helper has ended; its replies say so
            pass

    def _receive(self, values: dict[int, Any], started: set[int]) -> bool:
        """Read one reply into ``values`` or ``started``; False when the helper has ended."""
        try:
            kind, i, *value = pickle.loads(self._replies.recv_bytes())
        except EOFError:
            return False
        if kind == "error":
            raise value[0]
        if kind == "start":
            started.add(i)
        else:
            values[i] = value[0]
        return True

    def cancel(self) -> None:
        """Stop the helper (nothing is left running)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for end in (self._requests, self._replies):
            if not end.closed:
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
