"""Field checkers of the params schema: value -> (clean value, error message or None), each
message ending with what is allowed."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from effectmodel.domain.errors import short

Checker = Callable[[Any], tuple[Any, str | None]]


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _span(lo: int | None, hi: int | None) -> str:
    if lo is not None and hi is not None:
        return f"an integer from {lo} to {hi}"
    return "an integer" + (f" >= {lo}" if lo is not None else "") + (
        f" <= {hi}" if hi is not None else "")


def integer(lo: int | None = None, hi: int | None = None) -> Checker:
    def check(x):
        if not isinstance(x, int) or isinstance(x, bool):
            return x, f"must be an integer, got {short(x)} (allowed: {_span(lo, hi)})"
        if (lo is not None and x < lo) or (hi is not None and x > hi):
            return x, f"out of range, got {short(x, 25)} (allowed: {_span(lo, hi)})"
        return x, None

    return check


def number(lo: float, hi: float, *, lo_open: bool = False, hi_open: bool = False,
           nullable: bool = False) -> Checker:
    span = f"{'(' if lo_open else '['}{lo}, {hi}{')' if hi_open else ']'}"

    def check(x):
        if x is None and nullable:
            return None, None
        if not _is_number(x) or not math.isfinite(x):
            allowed = "a number" + (" or null" if nullable else "")
            return x, f"must be {allowed}, got {short(x)} (allowed: {allowed} in {span})"
        bad = x < lo or x > hi or (lo_open and x == lo) or (hi_open and x == hi)
        if bad:
            return x, f"out of range, got {short(x, 25)} (allowed: {span})"
        return float(x), None

    return check


def choice(*options: str) -> Checker:
    def check(x):
        if x not in options:
            return x, f"unknown value {short(x)} (allowed: {', '.join(map(str, options))})"
        return x, None

    return check


def text(pattern: str | None = None, what: str = "", nullable: bool = False) -> Checker:
    def check(x):
        if x is None and nullable:
            return None, None
        if not isinstance(x, str) or not x.strip():
            return x, (f"must be a non-empty string, got {short(x)} (allowed: "
                       f"{what or 'text'}{' or null' if nullable else ''})")
        if pattern and not re.fullmatch(pattern, x):
            return x, f"invalid {short(x)} (allowed: {what})"
        bad = control_character(x)
        if bad is not None:
            return x, (f"a control character U+{ord(bad):04X} in {short(x)} (allowed: "
                       "printable text; a line break only in notes)")
        return x, None

    return check


#: control characters text may hold: a tab and line breaks (notes span lines)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_character(x: str) -> str | None:
    """The first control character of ``x`` other than a tab or a line break, or None."""
    m = _CONTROL.search(x)
    return m.group(0) if m else None


def boolean() -> Checker:
    def check(x):
        if not isinstance(x, bool):
            return x, f"must be true or false, got {short(x)} (allowed: true, false)"
        return x, None

    return check


def period_list() -> Checker:
    def check(x):
        if x == "all":
            return "all", None
        if not isinstance(x, list) or not x or not all(isinstance(p, str) for p in x):
            return x, (f"must be 'all' or a non-empty list of period names, got {short(x)} "
                       "(allowed: all, or e.g. [2019-2020, 2021-2022])")
        if len(set(x)) != len(x):
            return x, f"duplicate periods in {short(x)} (allowed: each period once)"
        return tuple(x), None

    return check


def _a_pair(p: Any) -> bool:
    """Whether ``p`` is a list of two different texts."""
    return (isinstance(p, list) and len(p) == 2 and all(isinstance(q, str) for q in p)
            and p[0] != p[1])


def period_pairs() -> Checker:
    """null, or a non-empty list of ``[from, to]`` pairs, each of two different period
    names."""
    def check(x):
        if x is None:
            return None, None
        if not isinstance(x, list) or not x or not all(_a_pair(p) for p in x):
            return x, (f"must be a list of [from, to] pairs of two periods, got {short(x)} "
                       "(allowed: null for each period and the next, or e.g. "
                       "[[2019-2020, 2021-2022]])")
        return tuple(tuple(p) for p in x), None

    return check


def choice_list(*options: str, required: str | None = None) -> Checker:
    """A non-empty list of distinct ``options``, in the order of ``options``; ``required``
    must be among them."""
    def check(x):
        allowed = f"(allowed: a list of {', '.join(options)})"
        if not isinstance(x, list) or not x or not all(isinstance(v, str) for v in x):
            return x, f"must be a non-empty list, got {short(x)} {allowed}"
        unknown = [v for v in x if v not in options]
        if unknown:
            return x, f"unknown {short(unknown[0])} {allowed}"
        if len(set(x)) != len(x):
            return x, f"duplicates in {short(x)} (allowed: each once)"
        if required is not None and required not in x:
            return x, f"{short(x)} leaves out {required} (allowed: a list with {required})"
        return tuple(v for v in options if v in x), None

    return check
