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


def input_label(path: Path, params_path: Path) -> str:
    """How a data file is named in messages and provenance: as reached from the params file's
    folder's parent (the project root), so the same on every machine."""
    try:
        return str(Path(path).resolve().relative_to(project_folder(params_path)))
    except ValueError:
        return str(path)


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
