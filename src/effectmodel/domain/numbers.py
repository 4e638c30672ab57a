"""Numbers as people write them in tables: the one reader of every numeric CSV field and every
workbook text cell.

A number may carry a decimal mark (a point or a comma) and thousands separators (the other
one), a euro sign and a minus sign, as Dutch and English Excel write them: ``0``, ``0,00``,
``#.##0``, ``#.##0,00``, ``€ -1.234,56``, ``1,234.5``. Which mark is the decimal one is a
property of the file, not of the value: ``850.000`` is 850000 in a file with decimal commas
and 850 in a file with decimal points. So a file's mark is decided first (:func:`file_mark`):
by its dialect where it has one (a semicolon-separated file is Dutch Excel's: decimal
commas), else by its values that read one way only (``0.35``, ``12,5``, ``1.234.567``). A
value that reads two ways in a file whose mark nothing decides is refused, naming both
readings; so is a value written with the other mark. Nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

POINT, COMMA = ".", ","
MARK_NAME = {POINT: "a decimal point", COMMA: "a decimal comma"}
WORD = {POINT: "point", COMMA: "comma"}

#: sign, then an optional euro sign (or the other order), then the digits
_SPACE = "[ \u00a0\u202f]*"
_SHAPE = re.compile(rf"^\s*(?P<s1>[-+]?){_SPACE}(?:(?:€|EUR){_SPACE})?(?P<s2>[-+]?)"
                    rf"(?P<body>[0-9.,]+(?:[eE][-+]?[0-9]+)?)\s*$")


def _body(mark: str) -> re.Pattern[str]:
    d, g = re.escape(mark), re.escape(COMMA if mark == POINT else POINT)
    plain = rf"(?:[0-9]+(?:{d}[0-9]+)?|{d}[0-9]+)(?:[eE][-+]?[0-9]+)?"
    grouped = rf"[1-9][0-9]{{0,2}}(?:{g}[0-9]{{3}})+(?:{d}[0-9]+)?"
    return re.compile(rf"^(?:{plain}|{grouped})$")


_BODY = {POINT: _body(POINT), COMMA: _body(COMMA)}


def readings(text: str) -> dict[str, str]:
    """The readings of ``text`` as a number, by decimal mark: {mark: the number as Python
    writes it, e.g. '-1234.5'}. Empty where it reads as a number under neither mark (then
    it is no number this reader knows; the column's own check words the problem)."""
    m = _SHAPE.match(text)
    if not m or (m["s1"] and m["s2"]):
        return {}
    sign = "-" if "-" in (m["s1"] + m["s2"]) else ""
    body = m["body"]
    out = {}
    for mark in (POINT, COMMA):
        if _BODY[mark].match(body):
            other = COMMA if mark == POINT else POINT
            out[mark] = sign + body.replace(other, "").replace(mark, ".")
    return out


def _same(a: str, b: str) -> bool:
    return float(a) == float(b)


def evidence(text: str) -> str | None:
    """The decimal mark ``text`` shows: the one mark under which it reads as a number, or
    None (it reads the same under both, two ways, or not at all)."""
    r = readings(text)
    return next(iter(r)) if len(r) == 1 else None


def ambiguous(text: str) -> bool:
    """Whether ``text`` reads as two different numbers, by the mark (``850.000``)."""
    r = readings(text)
    return len(r) == 2 and not _same(r[POINT], r[COMMA])


@dataclass(frozen=True)
class Mark:
    """A file's decimal mark (POINT or COMMA, None when nothing decides it) and why: the
    file's dialect, or a value and where it stands."""

    mark: str | None
    why: str = ""


def file_mark(cells, hint: Mark | None = None) -> tuple[Mark, tuple[str, str] | None]:
    """The decimal mark of a file from its numeric ``cells`` ((text, where) pairs, in file
    order) and its dialect's ``hint``. Returns (the mark, None), or (no mark, (where a
    point is shown, where a comma is)) when values show both marks and no dialect decides."""
    if hint is not None and hint.mark is not None:
        return hint, None
    seen: dict[str, tuple[str, str]] = {}
    for text, where in cells:
        mark = evidence(text)
        if mark is not None and mark not in seen:
            seen[mark] = (text, where)
            if len(seen) == 2:
                break
    if len(seen) == 2:
        (tp, wp), (tc, wc) = seen[POINT], seen[COMMA]
        return Mark(None), (f"{tp!r} ({wp})", f"{tc!r} ({wc})")
    if seen:
        mark, (text, where) = next(iter(seen.items()))
        return Mark(mark, f"{text!r} at {where} has {MARK_NAME[mark]}"), None
    return Mark(None), None


def both_marks(point_at: str, comma_at: str, what: str) -> str:
    """The problem of a file (``what``: file, sheet) whose numbers show both decimal marks,
    each by a value and where it stands."""
    return (f"numbers with a decimal point, {point_at}, and with a decimal comma, {comma_at} "
            f"(allowed: one decimal mark in a {what})")


def _plain(number: str) -> str:
    """A number as one writes it without any separator (for the messages)."""
    x = float(number)
    return f"{x:.15g}" if "e" not in number.lower() else number


def read(text: str, mark: Mark) -> tuple[str, str | None]:
    """``text`` as Python reads numbers (a point, no thousands separators) under the file's
    ``mark``, and what is wrong: (text, None) where it reads one way; (``text`` unchanged,
    None) where it is no number at all (the column's check words that); ('', message)
    where it reads two ways or only with the other mark."""
    r = readings(text)
    if not r:
        return text, None
    if len(r) == 2 and _same(r[POINT], r[COMMA]):
        return r[POINT], None
    if mark.mark is not None:
        if mark.mark in r:
            return r[mark.mark], None
        other = next(iter(r))
        show = r[other].replace(".", mark.mark) if mark.mark == COMMA else r[other]
        return "", (f"{text.strip()!r} reads as a number only with {MARK_NAME[other]} "
                    f"({_plain(r[other])}), but this file's decimal mark is the "
                    f"{WORD[mark.mark]}: {mark.why} (allowed: {show})")
    if len(r) == 1:  # the file's values show both marks: the file is refused as a whole
        return next(iter(r.values())), None
    a, b = _plain(r[COMMA]), _plain(r[POINT])
    if POINT in text:
        return "", (f"{text.strip()!r} reads as {a} (the point a thousands separator) or as "
                    f"{b} (a decimal point), and nothing in this file tells which (allowed: "
                    f"{a} or {b} without a thousands separator; or a semicolon-separated "
                    "file, where a comma is the decimal mark, as Dutch Excel saves it)")
    return "", (f"{text.strip()!r} reads as {b} (the comma a thousands separator) or as {a} "
                f"(a decimal comma), and nothing in this file tells which (allowed: {b} or "
                f"{a} without a thousands separator)")


SEMICOLON = Mark(COMMA, "the file is semicolon-separated, as Dutch Excel saves it")
CANONICAL = Mark(POINT, "the numbers are already read")


# --------------------------------------------------------------------------------------------
# Whole columns: the same readings, with a fast path for columns of plain numbers
# --------------------------------------------------------------------------------------------

#: characters only numbers with a comma, a euro sign or a space inside have: such a column
#: is read cell by cell
_SPECIAL = re.compile("[,€\u00a0\u202fU]")
#: a line that reads two ways without a comma: one thousands point (850.000)
_ONE_GROUP = re.compile(r"(?m)^[ \t]*[-+]?[1-9][0-9]{0,2}\.[0-9]{3}[ \t]*$")
#: a line that reads only with a decimal comma, without a comma: thousands points (1.234.567)
_GROUPS = re.compile(r"(?m)^[ \t]*[-+]?[1-9][0-9]{0,2}(?:\.[0-9]{3}){2,}[ \t]*$")
#: a line that reads only with a decimal point (0.35, 1.5e-07): pointed, not one group
_POINTED = re.compile(r"(?m)^(?![ \t]*[-+]?[1-9][0-9]{0,2}\.[0-9]{3}[ \t]*$)"
                      r"[ \t]*[-+]?[0-9]*\.[0-9]+(?:[eE][-+]?[0-9]+)?[ \t]*$")
#: a line as Dutch Excel writes a number: thousands points, a decimal comma
_DUTCH = re.compile(r"(?m)^[ \t]*[-+]?(?:[1-9][0-9]{0,2}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?"
                    r"[ \t]*$")


def _joined(cells: list[str]) -> str | None:
    """The cells as lines of one text, or None where a cell holds a line break or a special
    character (such a column is read cell by cell)."""
    text = "\n".join(cells)
    if text.count("\n") != max(len(cells) - 1, 0) or _SPECIAL.search(text):
        return None
    return text


def column_marks(cells: list[str]) -> set[str]:
    """The decimal marks the cells of a column show (see :func:`evidence`)."""
    text = _joined(cells)
    if text is None:
        return {m for m in map(evidence, cells) if m is not None}
    out = set()
    if _POINTED.search(text):
        out.add(POINT)
    if _GROUPS.search(text):
        out.add(COMMA)
    return out


def first_showing(cells: list[str], mark: str) -> int | None:
    """The index of the first cell that shows ``mark``, or None."""
    return next((i for i, c in enumerate(cells) if evidence(c) == mark), None)


def read_column(cells: list[str], mark: Mark) -> tuple[list[str], dict[int, str]]:
    """Every cell as :func:`read` reads it under ``mark``: (texts, {index: problem}); the
    texts are ``cells`` itself where no cell changes."""
    if mark.mark == COMMA:  # Dutch Excel's numbers, all of them: read in one pass
        whole = "\n".join(cells)
        if whole.count("\n") == max(len(cells) - 1, 0) and "€" not in whole and \
                len(_DUTCH.findall(whole)) + sum(1 for c in cells if not c) == len(cells):
            if "." not in whole and "," not in whole:
                return cells, {}
            return whole.replace(".", "").replace(",", ".").split("\n"), {}
    text = _joined(cells)
    if text is not None:
        if mark.mark == COMMA and "." not in text:
            return cells, {}
        if mark.mark != COMMA and not _GROUPS.search(text) and (
                mark.mark == POINT or not _ONE_GROUP.search(text)):
            return cells, {}
    out, errors = list(cells), {}
    for i, c in enumerate(cells):
        if not c or (text is not None and "." not in c):
            continue
        out[i], err = read(c, mark)
        if err:
            errors[i] = err
    return out, errors
