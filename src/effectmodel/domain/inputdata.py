"""The validated data of a run (:class:`Inputs`), as the readers of
:mod:`~effectmodel.inputs.data` return it and the model takes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd


@dataclass(frozen=True)
class Inputs:
    """The validated input tables (pandas DataFrames with canonical column names).

    ``files`` maps each table key to the path read; ``labels`` to its project-relative name
    (in messages and provenance); ``sha256`` to the file's hash. ``periods`` are the
    monitoring periods this run estimates, in data order. ``derived`` holds the optional
    tables a params file left out, made from the others
    (:mod:`~effectmodel.inputs.survey`): ``inputs[key]`` reads either.
    """

    tables: MappingProxyType
    files: MappingProxyType
    sha256: MappingProxyType
    periods: tuple[str, ...]
    labels: MappingProxyType
    derived: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    def __getitem__(self, key: str) -> pd.DataFrame:
        return self.tables[key] if key in self.tables else self.derived[key]
