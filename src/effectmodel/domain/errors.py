"""Input problems: one line each, naming the file, the field and what is allowed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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


SHORT = 40  # characters of a quoted value, at the most


def short(value: object, limit: int = SHORT) -> str:
    """A quoted value for a message: escaped (``repr``), built with bounded work however
    large or nested the value is, and cut to ``limit`` characters."""
    import reprlib

    r = reprlib.Repr()
    r.maxlevel, r.maxdict, r.maxlist, r.maxtuple, r.maxset = 2, 4, 4, 4, 4
    r.maxstring = r.maxother = r.maxlong = limit
    text = r.repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def caused_by(lines: list[int]) -> str:
    """How many more lines one problem caused, after its first (``lines``: every line it
    concerns, the first one named in the problem): ``' (and 5 more lines caused by this: 3,
    4, 5, 6, 7)'``, the first five listed; empty for one line."""
    if len(lines) < 2:
        return ""
    listed = ", ".join(str(n) for n in lines[1:6]) + (", ..." if len(lines) > 6 else "")
    return f" (and {len(lines) - 1} more lines caused by this: {listed})"


def decode_problem(file: str, raw: bytes, exc: UnicodeDecodeError) -> Problem:
    """The problem of a file that is not UTF-8: its line and column, the accepted encoding."""
    line = raw.count(b"\n", 0, exc.start) + 1
    column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
    return Problem(file, f"line {line}", f"byte 0x{raw[exc.start]:02x} at column {column} is "
                   "neither UTF-8 nor cp1252 text (allowed: UTF-8 with or without BOM, or "
                   "cp1252 as Excel's 'CSV' writes it; or an .xlsx workbook)")


def key_label(key: Any) -> str:
    """A key as a message names it: itself when it is short plain text, else quoted."""
    if isinstance(key, str) and len(key) <= 40 and key.isprintable():
        return key
    return short(key)
