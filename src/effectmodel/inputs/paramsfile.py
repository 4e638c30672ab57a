"""A params file read, overridden and validated: :func:`load_params` returns the frozen
:class:`~effectmodel.domain.params.Params`."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from effectmodel.domain.params import Params, build
from effectmodel.inputs.yamlfiles import read_yaml


def load_params(
    path: str | Path,
    overrides: Mapping[str, Any] | None = None,
    n_draws: int | None = None,
    seed: int | None = None,
) -> Params:
    """Read, override and validate a params file.

    Parameters
    ----------
    path : params file (YAML).
    overrides : dotted paths to values, as ``--set`` (``{"run.seed": 7}``); ``None``: none.
    n_draws, seed : shortcuts for ``run.n_draws`` and ``run.seed``; ``None``: as the file says.

    Raises
    ------
    InputError
        listing every problem, each naming the file and the field.
    """
    path = Path(path)
    raw, text_ = read_yaml(path, "a params YAML file")
    all_overrides: dict[str, Any] = dict(overrides or {})
    if n_draws is not None:
        all_overrides["run.n_draws"] = n_draws
    if seed is not None:
        all_overrides["run.seed"] = seed
    sha = hashlib.sha256(text_.encode("utf-8")).hexdigest()
    return build(raw, path, all_overrides, sha)
