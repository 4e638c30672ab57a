"""The slot of a helper process (the kernel server, the page server): one per process and
environment, started on first use."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

#: variables that change while a process runs and that no import reads (pytest's test name)
_VOLATILE = frozenset({"PYTEST_CURRENT_TEST"})


class Helper(Protocol):
    key: tuple
    owner: int
    alive: bool

    def stop(self) -> None: ...


H = TypeVar("H", bound=Helper)


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
