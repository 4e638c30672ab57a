"""Swap a report folder in whole: readers see the old folder or the new one, never a mix.

A new report is written into ``.<name>.tmp-<pid>`` beside the target; the old folder is moved
aside to ``.<name>.old-<pid>``, the new one renamed into place, the old one removed. A process
killed in between leaves at most the moved-aside folder, which :func:`recover` puts back (or
removes, once the new folder is in place) the next time anything touches the report.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def temporary(out: Path) -> Path:
    """The temporary folder for a new version of ``out``."""
    return out.parent / f".{out.name}.tmp-{os.getpid()}"


def recover(out: Path) -> None:
    """Finish an interrupted swap: put a moved-aside previous version back when the report
    folder is missing; remove leftover temporary and moved-aside folders."""
    if not out.exists():
        olds = sorted(p for p in out.parent.glob(f".{out.name}.old-*") if not _alive(p))
        if olds:
            olds[-1].rename(out)
    for stale in [*out.parent.glob(f".{out.name}.tmp-*"), *out.parent.glob(f".{out.name}.old-*")]:
        if not _alive(stale):  # another process may be writing its own new version
            shutil.rmtree(stale, ignore_errors=True)


def _alive(folder: Path) -> bool:
    """Whether the process whose id ends the folder's name is still running (not this one)."""
    try:
        pid = int(folder.name.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def swap(new: Path, out: Path) -> None:
    """Put the complete folder ``new`` in the place of ``out``."""
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        out.rename(old)
    new.rename(out)
    shutil.rmtree(old, ignore_errors=True)
