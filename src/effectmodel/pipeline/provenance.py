"""Provenance of a run: hashes of everything it read, versions of what computed it.

Paths are project-relative (from the params file's folder's parent), never absolute, so the
same inputs give the same provenance on every machine and in every output folder.
"""

from __future__ import annotations

import hashlib
import json
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

from effectmodel.domain.inputdata import Inputs
from effectmodel.domain.params import Params, input_labels
from effectmodel.domain.paths import project_folder, relative_label
from effectmodel.inputs.hashing import PACKAGE_DIR, code_hash, file_sha256

PACKAGES = ("numpy", "scipy", "pandas", "xarray", "statsmodels", "matplotlib", "papermill",
            "nbconvert", "nbformat", "ipykernel", "pyyaml", "tqdm")


def code_version() -> str:
    """Package version plus the first 12 hex digits of :func:`code_hash`."""
    from effectmodel import __version__

    return f"{__version__}+{code_hash()[:12]}"


def git_commit(folders: list[Path]) -> dict[str, Any] | None:
    """The git commit the code was run from (its first 12 hex digits), and whether a tracked
    file below ``folders`` (the package's source, the notebooks) differs from it
    (``uncommitted_changes``); None when the code is not in a git work tree (an installed
    package) or git is missing."""
    import subprocess

    folders = [f for f in folders if f.is_dir()]
    if not folders:
        return None

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(folders[0]), *args], capture_output=True,
                              text=True, check=True, timeout=30).stdout.strip()

    try:
        head = git("rev-parse", "HEAD")[:12]
        dirty = git("status", "--porcelain", "--untracked-files=no", "--",
                    *(str(f) for f in folders))
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": head, "uncommitted_changes": bool(dirty)}


def uncommitted(root: Path) -> list[str] | None:
    """Tracked files that differ from the last commit, where a build's pages would not name
    the commit that made them: below the project's ``params``, ``data`` and ``notebooks``
    and, when the package's source lies in the project's work tree (the repository's own
    reports), below it; None when ``root`` is not in a git work tree (its reports are not
    committed) or git is missing."""
    import subprocess

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                              check=True, timeout=30).stdout

    try:
        top = Path(git("rev-parse", "--show-toplevel").strip()).resolve()
    except (OSError, subprocess.SubprocessError):
        return None
    paths = [root / d for d in ("params", "data", "notebooks") if (root / d).is_dir()]
    if PACKAGE_DIR.resolve().is_relative_to(top):
        paths.append(PACKAGE_DIR)
    if not paths:
        return []
    try:
        out = git("status", "--porcelain", "--untracked-files=no", "--",
                  *(str(p) for p in paths))
    except (OSError, subprocess.SubprocessError):
        return None
    return [line[3:] for line in out.splitlines() if line.strip()]


def project_root(params: Params) -> Path:
    """The project folder of ``params`` (:func:`~effectmodel.domain.paths.project_folder`)."""
    return project_folder(params.path)


def notebook_hashes(params: Params, names: tuple[str, ...] | None = None) -> dict[str, str]:
    """SHA-256 of the named notebooks (default: those a run of ``params`` executes, the
    briefing and the annexes of its parts), each where the run takes it from
    (:func:`pages.notebook_path`), by its label (:func:`pages.notebook_label`)."""
    from effectmodel.pipeline.pages import notebook_label, notebook_path, notebooks_of

    root = project_root(params)
    if names is None:
        names = notebooks_of(params.parts)
    paths = [notebook_path(root, n) for n in names]
    return dict(sorted((notebook_label(root, p), file_sha256(p)) for p in paths))


def package_versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def resolved_sha256(params: Params) -> str:
    """SHA-256 of the params as resolved (file, overrides, defaults) [hex]."""
    return hashlib.sha256(json.dumps(params.as_dict(), sort_keys=True).encode()
                          ).hexdigest()


def input_hashes(params: Params, inputs: Inputs | None = None) -> dict[str, str]:
    """SHA-256 of every data file the params name, by project-relative label: as ``inputs``
    recorded it when they were read, else read from disk (the same value). A table left out
    because its file holds only a header is hashed too, so that a run's notebooks, which
    hash from disk, recognise its summary.json (a project made by init has such tables)."""
    labels = input_labels(params)
    known = inputs.sha256 if inputs is not None else {}
    return {labels[k]: known.get(k) or file_sha256(params.data[k])
            for k in sorted(labels, key=labels.get)}


def provenance(params: Params, inputs: Inputs,
               notebooks: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The provenance block of summary.json (``notebooks``: which to hash; default the run's,
    :func:`notebook_hashes`)."""
    root = project_root(params)
    params_label = relative_label(params.path, root, outside=params.path.name)
    return {
        "params": params_label,
        "params_sha256": params.sha256,
        "resolved_params_sha256": resolved_sha256(params),
        "inputs": input_hashes(params, inputs),
        "notebooks": notebook_hashes(params, notebooks),
        "code_version": code_version(),
        "git": git_commit([PACKAGE_DIR, root / "notebooks"]),
        "python": platform.python_version(),
        "packages": package_versions(),
    }
