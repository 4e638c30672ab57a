"""Where inputs may lie: the project folder of a params file, data paths that resolve (links
followed) inside it or inside an explicit ``data_root``, and how a file is named in messages
and provenance."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from effectmodel.domain.errors import Problem, short


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies below it (both absolute)."""
    return path == folder or folder in path.parents


def project_folder(params_path: Path) -> Path:
    """The project folder of a params file: the parent of the file's folder (resolved)."""
    return Path(params_path).resolve().parent.parent


def relative_label(path: Path, root: Path, outside: str | None = None,
                   follow_links: bool = True) -> str:
    """How effectmodel names a file or folder in messages, provenance, markers, manifests and
    executed notebooks: its POSIX path relative to ``root`` when it lies inside, so the same
    on every machine and after a move; else ``outside`` (default: the absolute POSIX path).
    Links are followed (where the data really lie), or with ``follow_links=False`` not (a
    notebook is named where the project keeps it, even as a link into the package)."""
    norm = (lambda x: Path(x).resolve()) if follow_links else (
        lambda x: Path(os.path.abspath(x)))
    path, root = norm(path), norm(root)
    if inside(path, root):
        return path.relative_to(root).as_posix()
    return path.as_posix() if outside is None else outside


def input_label(path: Path, params_path: Path) -> str:
    """How a data file is named in messages and provenance: relative to the project folder
    of the params file (:func:`relative_label`)."""
    return relative_label(path, project_folder(params_path))


def data_paths(data: Mapping[str, Any], params_path: Path, data_root: Any = None
               ) -> tuple[dict[str, Path], list[Problem]]:
    """The data files a params file names, and the problems of those that resolve (links
    followed) outside the project folder and outside an explicit ``data_root``."""
    file, base = str(params_path), Path(params_path).parent
    root = project_folder(params_path)
    roots, problems = [root], []
    if isinstance(data_root, str) and data_root.strip():
        extra = (base / data_root).resolve()
        if inside(root, extra):
            problems.append(Problem(file, "data_root", f"{short(data_root)} holds the project "
                                    "folder itself (allowed: a data folder outside the project, "
                                    "or null)"))
        else:
            roots.append(extra)
    where = "the project folder" + (" or data_root" if len(roots) > 1 else "")
    paths = {}
    for key, value in data.items():
        if not isinstance(value, str):
            continue
        paths[key] = base / value
        if not any(inside(paths[key].resolve(), r) for r in roots):
            link = any(inside(Path(os.path.abspath(paths[key])), r) for r in roots)
            what = "is a link to a file outside" if link else "lies outside"
            problems.append(Problem(file, f"data.{key}", f"{short(value)} {what} {where} "
                                    "(allowed: a path inside the project folder, or inside a "
                                    "data_root the params name)"))
    return paths, problems
