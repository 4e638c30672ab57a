"""Dates as people write them in tables: the one reader of every date column.

A date is an ISO date (``2024-03-01``, a time after it left out: a date cell of Excel's
reads back as one), or day-month-year with dashes (``1-3-2024``, as Dutch Excel writes it)
where the file's reading is certain: the file is Dutch Excel's (semicolon-separated), or one
of its dates has a day above 12. A date that reads as two days (``01-03-2024``: 1 March or
3 January) in a file that tells neither is refused, naming both; nothing is guessed.
"""

from __future__ import annotations

import datetime
import re

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
                  r"\s*$")
_DMY = re.compile(r"^\s*(\d{1,2})-(\d{1,2})-(\d{4})\s*$")
ALLOWED = "2024-03-01, a date cell, or 1-3-2024 (day-month-year), from 1900 to 2100"


#: the years a date may have (a typo such as 0219 is refused, not read)
YEARS = (1900, 2100)


def _day(y: int, m: int, d: int) -> str | None:
    if not YEARS[0] <= y <= YEARS[1]:
        return None
    try:
        return datetime.date(y, m, d).isoformat()
    except ValueError:
        return None


def day_first(cells: list[str]) -> bool:
    """Whether the cells show day-month order: a d-m-yyyy date with a day above 12."""
    for c in cells:
        m = _DMY.match(c)
        if m and int(m[1]) > 12:
            return True
    return False


def read(text: str, dmy: bool) -> tuple[str, str | None]:
    """``text`` as an ISO date and what is wrong: ('', None) for an empty cell; (ISO date,
    None); or ('', problem). ``dmy``: whether the file's d-m-yyyy order is certain."""
    if not text.strip():
        return "", None
    m = _ISO.match(text)
    if m:
        iso = _day(int(m[1]), int(m[2]), int(m[3]))
        return (iso, None) if iso else ("", f"not a date: {text.strip()!r} (allowed: "
                                             f"{ALLOWED})")
    m = _DMY.match(text)
    if m:
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
        iso = _day(y, mo, d)
        if iso is None:
            return "", f"not a date: {text.strip()!r} (allowed: {ALLOWED})"
        if dmy or d == mo:
            return iso, None
        other = _day(y, d, mo)
        return "", (f"{text.strip()!r} reads as {iso} (day-month-year) or {other} "
                    "(month-day-year), and nothing in this file tells which (allowed: "
                    f"{iso} or {other}, or a date cell)")
    return "", f"not a date: {text.strip()!r} (allowed: {ALLOWED})"


def read_column(cells: list[str], dutch: bool) -> tuple[list[str], dict[int, str]]:
    """Every cell as :func:`read` reads it: (ISO dates, {index: problem}). ``dutch``:
    whether the file is Dutch Excel's (then d-m-yyyy is certain)."""
    dmy = dutch or day_first(cells)
    out, errors = [], {}
    for i, c in enumerate(cells):
        iso, err = read(c, dmy)
        out.append(iso)
        if err:
            errors[i] = err
    return out, errors
