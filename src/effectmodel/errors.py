"""Input problems: one line each, naming the file, the field and what is allowed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input.

    Rendered as ``FILE: field.path: what is wrong (what is allowed)``.
    """

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


class InputError(ValueError):
    """Bad input (params, data or sweep spec): the command line exits with code 2."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def raise_if(problems: list[Problem]) -> None:
    """Raise :class:`InputError` when ``problems`` is not empty."""
    if problems:
        raise InputError(problems)
