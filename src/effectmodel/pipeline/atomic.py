"""Output folders: which ones effectmodel may replace, and how it replaces them whole.

**Never destroy what the user has.** An output folder is replaced only when it is absent,
empty, or a report that effectmodel made: one holding the marker file :data:`MARKER`, which
lists every file effectmodel wrote there, and nothing else. Everything else is refused before
any work, with a :class:`~effectmodel.domain.errors.Problem` naming the path and what is allowed:
files, symbolic links, foreign or hand-edited folders, the project folder and the folders
above it, the project's own folders (``data/``, ``params/``, ``notebooks/``, ``src/``, ...),
and any folder that holds an input of the run.

A new report is written into ``.<name>.tmp-<pid>-<random>`` beside the target (marked as
effectmodel's from its first moment), while the writer holds a file lock of the same name
and ``.lock`` (filelock); the lock file is created exclusively first, so the name is this
run's, and the folder is made exclusively: a file or folder of the user's with such a name
is never opened, emptied or removed. :func:`swap` checks the target once more, then
exchanges the new folder and the old one in one step (Linux ``renameat2`` with
``RENAME_EXCHANGE``): a reader sees the whole old report or the whole new one, never a
missing folder. Where the OS or file system cannot exchange, the old report is moved aside
to ``.<name>.old-<pid>-<random>`` and the new one renamed into place, a window in which the
folder is absent. A process killed in between leaves at most such a folder, which
:func:`recover` puts back (or removes, once the new folder is in place) the next time
anything touches the report; a folder whose lock another process holds is being written,
and is left alone. :func:`recover` removes only folders that carry effectmodel's marker.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from effectmodel.domain.errors import InputError, Problem
from effectmodel.domain.paths import inside, relative_label

#: The marker file of a folder effectmodel made: JSON ``{"made_by": "effectmodel", "files":
#: [...]}``, the files (relative POSIX paths) it wrote there.
MARKER = ".effectmodel.json"

#: Folders of a project that never are outputs, nor hold one.
PROJECT_FOLDERS = ("data", "params", "notebooks", "src", "tests", "scripts", "benchmarks",
                   "docs", ".git", ".ci", ".github", ".venv")

#: Names a report of an earlier effectmodel (before the marker) holds; such a folder, with a
#: build ``manifest.json``, counts as effectmodel's.
_LEGACY_NAMES = {"index.html", "annex-buyer-groups.html", "annex-monitor.html", "summary.json",
                 "results.nc", "sweep.nc", "notebooks", "scenarios", "manifest.json",
                 "changes.json"}
_LEGACY_MANIFEST_KEYS = {"schema_version", "target", "kind", "inputs", "headline"}

ALLOWED = ("allowed: a folder that is absent, empty, or a report effectmodel made, outside the "
           "project's own folders and holding no input")


# --------------------------------------------------------------------------------------------
# Ownership
# --------------------------------------------------------------------------------------------


def files_below(folder: Path) -> list[str]:
    """Every file and link below ``folder`` (relative POSIX paths, sorted), not the marker."""
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        base = Path(dirpath)
        # links to folders are listed as entries, never followed
        names = filenames + [d for d in dirnames if (base / d).is_symlink()]
        for name in names:
            rel = (base / name).relative_to(folder).as_posix()
            if rel != MARKER:
                out.append(rel)
    return sorted(out)


def _marker(folder: Path) -> dict[str, Any] | None:
    """The marker's content, or None when ``folder`` holds no valid marker."""
    path = folder / MARKER
    if path.is_symlink() or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("made_by") != "effectmodel":
        return None
    files = data.get("files")
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    if not isinstance(data.get("source", ""), str):
        return None
    return data


def read_marker(folder: Path) -> list[str] | None:
    """The files effectmodel says it wrote in ``folder``, or None when it holds no valid
    marker."""
    data = _marker(folder)
    return None if data is None else data["files"]


def read_source(folder: Path) -> str | None:
    """The params or sweep file that made the report in ``folder`` (as the marker names it:
    relative to the project folder when inside it), or None when the marker names none."""
    data = _marker(folder)
    return None if data is None else data.get("source")


def marker_text(files: Iterable[str], source: str | None = None) -> str:
    """The marker's content for a folder holding ``files``, made from ``source`` (a params or
    sweep file, see :func:`source_label`); byte-stable: sorted, no time."""
    data: dict[str, Any] = {"made_by": "effectmodel", "files": sorted(files)}
    if source is not None:
        data["source"] = source
    return json.dumps(data, indent=1) + "\n"


def source_label(source: Path, root: Path) -> str:
    """How a marker names the file that made a report: its POSIX path relative to the project
    folder ``root`` when inside it (a moved or cloned project keeps its labels), else
    absolute."""
    return relative_label(source, root)


def seal(folder: Path, source: str | None = None) -> None:
    """Write the marker of a complete folder: it lists every file now in it, and the file
    that made it."""
    (folder / MARKER).write_text(marker_text(files_below(folder), source), encoding="utf-8")


def mark(folder: Path, files: Iterable[str], source: str | None = None) -> None:
    """Add ``files`` (relative paths) to the marker of a folder effectmodel writes in (its
    source kept, or set when it has none)."""
    data = _marker(folder) or {}
    listed = data.get("files", [])
    (folder / MARKER).write_text(marker_text(set(listed) | set(files),
                                             data.get("source", source)), encoding="utf-8")


def _legacy_report(folder: Path) -> bool:
    """A report of an earlier effectmodel: a build manifest and only names it writes."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    if not isinstance(manifest, dict) or not _LEGACY_MANIFEST_KEYS <= set(manifest):
        return False
    if any(p.is_symlink() for p in folder.rglob("*")):
        return False
    return all(p.name in _LEGACY_NAMES for p in folder.iterdir())


def foreign_files(folder: Path) -> list[str]:
    """Files in an existing folder that effectmodel did not write (empty: it may be
    replaced). A folder with no marker is foreign whole, unless it is empty."""
    present = files_below(folder)
    if not present and not any(folder.iterdir()):
        return []
    listed = read_marker(folder)
    if listed is None:
        if _legacy_report(folder):
            return []
        return present or [MARKER]
    listed_set = set(listed)
    return [f for f in present if f not in listed_set]


def owned(folder: Path) -> bool:
    """Whether effectmodel made ``folder`` (marker present; used for its own working and
    moved-aside folders, which may hold anything it was writing)."""
    return (not folder.is_symlink() and folder.is_dir()
            and (read_marker(folder) is not None or not any(folder.iterdir())))


#: the longest output folder name [bytes]: 255 (NAME_MAX) less what the staging folder and
#: its lock add (".", ".tmp-<pid>-<random>", ".lock")
MAX_FOLDER_NAME = 200


def output_problem(out: Path, root: Path, inputs: Iterable[Path] = (),
                   label: str | None = None, source: Path | None = None) -> Problem | None:
    """Why ``out`` may not be replaced by a report of the project at ``root`` that reads
    ``inputs``, made from ``source`` (params or sweep file: a report another file made is not
    replaced); None when it may. Looks only; changes nothing."""
    label = label or str(out)
    out = Path(out)

    def no(what: str) -> Problem:
        return Problem(label, "(output folder)", f"{what} ({ALLOWED})")

    if out.is_symlink():
        return no("is a symbolic link")
    if len(out.name.encode()) > MAX_FOLDER_NAME:
        return Problem(label, "(output folder)", f"a name of {len(out.name.encode())} bytes "
                       f"(allowed: at most {MAX_FOLDER_NAME}: the staging folder beside it adds "
                       "its own suffix to the name, within the 255 a file system allows)")
    dest = target(out)
    root = root.resolve()
    if inside(root, dest):
        return no("is the project folder or a folder above it")
    for name in PROJECT_FOLDERS:
        if inside(dest, root / name):
            where = "is" if dest == root / name else "is inside"
            return no(f"{where} the project's {name}/ folder")
    if dest == root / "reports":
        return no("is the project's reports/ folder itself (a report goes in reports/<name>/)")
    for inp in inputs:
        inp = Path(inp).resolve()
        if inside(inp, dest):
            return no(f"holds an input of this run ({inp.name})")
    for parent in dest.parents:
        if parent.exists() and not parent.is_dir():
            return no(f"lies below {parent.name}, which is a file")
    if dest.exists():
        if not dest.is_dir():
            return no("is a file")
        foreign = foreign_files(dest)
        if foreign:
            shown = foreign[0] if len(foreign[0]) <= 60 else foreign[0][:57] + "..."
            more = f" and {len(foreign) - 1} more" if len(foreign) > 1 else ""
            return no(f"holds files effectmodel did not write ({shown!r}{more})")
        made_by = read_source(dest)
        if source is not None and made_by is not None and made_by != source_label(source,
                                                                                  root):
            mine = source_label(source, root)
            return Problem(label, "(output folder)",
                           f"is the report of {made_by}, not of {mine} (allowed: another "
                           f"--out, or another name: in {mine}; remove the folder by hand to "
                           "give it up)")
    return None


def check_output(out: Path, root: Path, inputs: Iterable[Path] = (),
                 label: str | None = None, source: Path | None = None) -> None:
    """Raise :class:`InputError` (exit code 2) when ``out`` may not be replaced."""
    problem = output_problem(out, root, inputs, label, source)
    if problem is not None:
        raise InputError([problem])


# --------------------------------------------------------------------------------------------
# Staging, swapping and recovering
# --------------------------------------------------------------------------------------------


def claim(out: Path, kind: str = "tmp") -> Path:
    """A name beside ``out`` for a staging (``kind`` tmp) or moved-aside (old) folder that no
    one else holds: its lock file (:func:`lock_path`) is created first, exclusively
    (``mkstemp``: O_EXCL, never through a link), so the name is this run's; the folder
    itself is not made."""
    fd, lock = tempfile.mkstemp(prefix=f".{out.name}.{kind}-{os.getpid()}-", suffix=".lock",
                                dir=out.parent)
    os.close(fd)
    return Path(lock[:-len(".lock")])


def stage(out: Path, folder: Path | None = None) -> Path:
    """Create a fresh, marked temporary folder for a new version of ``out``: ``folder`` (a
    name :func:`claim` gave), else a new name beside ``out``; created exclusively, so no
    folder of the user's is ever taken or emptied."""
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-{os.getpid()}-",
                                       dir=out.parent))
    else:
        folder.mkdir()  # FileExistsError rather than another's folder
    (folder / MARKER).write_text(marker_text([]), encoding="utf-8")
    return folder


def remove_owned(folder: Path) -> None:
    """Remove ``folder`` when effectmodel made it (marker or empty); leave anything else."""
    if owned(folder):
        shutil.rmtree(folder, ignore_errors=True)


def lock_path(folder: Path) -> Path:
    """The lock file a writer of the staging folder ``folder`` holds while it works."""
    return folder.with_name(folder.name + ".lock")


@contextmanager
def writing(folder: Path) -> Iterator[None]:
    """Hold ``folder``'s lock (:func:`lock_path`, a file :func:`claim` made) while the
    context runs; the lock file, this run's, is removed at the end."""
    lock = FileLock(lock_path(folder))
    try:
        with lock:
            yield
    finally:
        lock_path(folder).unlink(missing_ok=True)


def in_use(folder: Path) -> bool:
    """Whether a writer (this process or another) holds ``folder``'s lock now."""
    lock = FileLock(lock_path(folder))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return True
    try:  # nobody writes it: a leftover of a killed process, and so is its lock file
        lock_path(folder).unlink(missing_ok=True)
    finally:
        lock.release()
    return False


def recover(out: Path) -> None:
    """Finish an interrupted swap: put a moved-aside previous version back when the report
    folder is missing; remove leftover temporary and moved-aside folders that effectmodel
    made and no writer holds (:func:`in_use`)."""
    parent = out.parent
    if not parent.is_dir():
        return
    name = glob_escape(out.name)
    leftovers = [p for p in (*parent.glob(f".{name}.tmp-*"), *parent.glob(f".{name}.old-*"))
                 if p.is_dir() and not p.is_symlink()]
    if not out.exists() and not out.is_symlink():
        olds = sorted(p for p in leftovers if ".old-" in p.name
                      and read_marker(p) is not None and not in_use(p))
        if olds:
            olds[-1].rename(out)
    for stale in leftovers:  # only what effectmodel made and marked: no folder of the user's
        if stale.exists() and read_marker(stale) is not None and not in_use(stale):
            remove_owned(stale)  # (another writer may be at work on its own: it is locked)


def glob_escape(name: str) -> str:
    """``name`` with glob's special characters escaped."""
    return "".join(f"[{c}]" if c in "*?[]" else c for c in name)


#: renameat2's arguments on Linux: the current folder as the base of a relative path, and
#: the flag that exchanges the two paths
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def exchange(a: Path, b: Path) -> bool:
    """Exchange two existing paths in one atomic step (Linux ``renameat2`` with
    ``RENAME_EXCHANGE``); False, with nothing changed, where the OS or the file system
    cannot. Raises ``OSError`` for any other failure."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)  # glibc 2.28 and later, musl 1.2.4
    if renameat2 is None:
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def target(out: Path) -> Path:
    """The absolute path ``out`` names, its parents resolved but not a link at its end."""
    out = Path(out)
    return out.resolve() if out.name in ("", ".", "..") else out.parent.resolve() / out.name


@contextmanager
def replacing(out: Path, root: Path, inputs: Iterable[Path] = (),
              beside: Path | None = None, source: Path | None = None) -> Iterator[Path]:
    """Check ``out`` (before any work), then yield a fresh, marked staging folder to write
    the new report into; on success it replaces ``out`` whole (:func:`swap`), on any failure
    it is removed and ``out`` stays as it was.

    ``beside``: stage next to this path instead of next to ``out`` (a sweep stages inside
    its work folder). ``source``: the params or sweep file the report is made from; the
    marker names it, and a report another file made is not replaced.
    """
    inputs = list(inputs)
    check_output(out, root, inputs, source=source)
    out = target(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    near = beside if beside is not None else out
    near.parent.mkdir(parents=True, exist_ok=True)
    tmp = claim(near)
    try:
        with writing(tmp):
            stage(near, tmp)
            try:
                yield tmp
                swap(tmp, out, root, inputs, source)
            except BaseException:
                remove_owned(tmp)
                raise
    finally:
        recover(out)  # a swap that failed half way: the previous version back in place


def swap(new: Path, out: Path, root: Path, inputs: Iterable[Path] = (),
         source: Path | None = None) -> None:
    """Seal the complete folder ``new`` and put it in the place of ``out``.

    ``out`` is checked again first (something may have changed while the report was made);
    when it may no longer be replaced, :class:`InputError` is raised and ``out`` stays as it
    is. The previous version is removed only after the new one is in place.
    """
    check_output(out, root, inputs, source=source)
    seal(new, None if source is None else source_label(source, root))
    if not out.exists():
        new.rename(out)
        return
    if not (out / MARKER).exists():  # empty or legacy: mark it, so recover may take it
        (out / MARKER).write_text(marker_text(files_below(out)), encoding="utf-8")
    if exchange(new, out):
        remove_owned(new)  # it holds the previous version now
        return
    old = claim(out, "old")
    with writing(old):
        out.rename(old)
        new.rename(out)
        remove_owned(old)
