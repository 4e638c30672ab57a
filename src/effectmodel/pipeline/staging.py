"""Staging that cannot touch a user's file: every temporary file or folder is created new
and exclusively beside its destination (``mkstemp`` / ``mkdtemp``: O_EXCL, never through a
symbolic link, a name no one else holds), then renamed into place; on failure only what this
run created is removed. A file or folder of the user's that happens to carry a staging-like
name is never opened, overwritten nor removed."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from effectmodel.domain.errors import InputError, Problem

#: how much of a destination's name a staging name keeps (a file system allows 255 bytes)
_KEEP = 64


def prefix(out: Path) -> str:
    """The start of a staging name for ``out``: hidden, and recognisable as its own."""
    return f".{Path(out).name[:_KEEP]}."


def new_file(out: Path) -> Path:
    """A new, empty file beside ``out``, created exclusively (its name no one else's)."""
    fd, name = tempfile.mkstemp(prefix=prefix(out), dir=Path(out).parent)
    os.close(fd)
    return Path(name)


def new_folder(out: Path) -> Path:
    """A new, empty folder beside ``out``, created exclusively."""
    return Path(tempfile.mkdtemp(prefix=prefix(out), dir=Path(out).parent))


@contextmanager
def staged_file(out: Path) -> Iterator[Path]:
    """Yield a new file beside ``out`` to write; on success it replaces ``out`` in one
    step, on any failure it is removed (it is this run's)."""
    tmp = new_file(out)
    try:
        yield tmp
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def staged_folder(out: Path) -> Iterator[Path]:
    """Yield a new folder beside ``out`` to fill; the caller renames it into place. On any
    failure it is removed with what it holds (all of it this run's)."""
    tmp = new_folder(out)
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


#: the longest name of a file or folder [bytes] (NAME_MAX of Linux file systems)
NAME_MAX = 255
#: file systems of the kernel, never a destination
PSEUDO = (Path("/proc"), Path("/sys"), Path("/dev"))


def check_destination(out: Path, field: str) -> None:
    """Refuse, before any work, a destination no file can be written to: a name longer than
    the file system takes, or a place under /proc, /sys or /dev (raises InputError)."""
    out = Path(out)
    for part in out.parts:
        n = len(os.fsencode(part))
        if n > NAME_MAX:
            raise InputError([Problem(str(out)[:80] + "...", field, f"a name of {n} bytes "
                                      f"(allowed: at most {NAME_MAX} bytes, the file "
                                      "system's limit)")])
    where = out.parent.resolve()
    for pseudo in PSEUDO:
        if where == pseudo or pseudo in where.parents:
            raise InputError([Problem(str(out), field, f"lies under {pseudo}, a file system "
                                      "of the kernel (allowed: a folder of files)")])
