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

from .data import Inputs, input_labels
from .params import Params

PACKAGES = ("numpy", "scipy", "pandas", "xarray", "statsmodels", "matplotlib", "papermill",
            "nbconvert", "nbformat", "ipykernel", "pyyaml", "tqdm")
PACKAGE_DIR = Path(__file__).resolve().parent


def code_hash() -> str:
    """SHA-256 over the package's source files and templates [hex]."""
    h = hashlib.sha256()
    files = sorted(p for p in PACKAGE_DIR.rglob("*") if p.is_file()
                   and p.suffix in (".py", ".j2", ".json", ".css")
                   and "__pycache__" not in p.parts)
    for p in files:
        h.update(p.relative_to(PACKAGE_DIR).as_posix().encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def code_version() -> str:
    """Package version plus the first 12 hex digits of :func:`code_hash`."""
    from . import __version__

    return f"{__version__}+{code_hash()[:12]}"


def project_root(params: Params) -> Path:
    """The project folder: the parent of the params file's folder."""
    return params.path.resolve().parent.parent


def notebook_hashes(params: Params) -> dict[str, str]:
    """SHA-256 of each notebook in the project's ``notebooks/`` folder, by relative path."""
    root = project_root(params)
    out = {}
    for nb in sorted((root / "notebooks").glob("*.ipynb")):
        out[nb.relative_to(root).as_posix()] = hashlib.sha256(nb.read_bytes()).hexdigest()
    return out


def package_versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def provenance(params: Params, inputs: Inputs) -> dict[str, Any]:
    """The provenance block of summary.json."""
    labels = input_labels(params)
    resolved = json.dumps(_plain(params.resolved), sort_keys=True).encode()
    root = project_root(params)
    try:
        params_label = params.path.resolve().relative_to(root).as_posix()
    except ValueError:
        params_label = params.path.name
    return {
        "params": params_label,
        "params_sha256": params.sha256,
        "resolved_params_sha256": hashlib.sha256(resolved).hexdigest(),
        "inputs": {labels[k]: inputs.sha256[k] for k in sorted(labels, key=labels.get)},
        "notebooks": notebook_hashes(params),
        "code_version": code_version(),
        "python": platform.python_version(),
        "packages": package_versions(),
    }


def _plain(x):
    if hasattr(x, "items"):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, tuple | list):
        return [_plain(v) for v in x]
    return x
