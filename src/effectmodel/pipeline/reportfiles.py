"""Report folders read defensively: ``summary.json`` and the build manifest are checked
against the shape the readers use (with bounds on size and nesting) and ``results.nc`` is
read guarded, before ``compare``, ``pdf`` or ``build`` use them. A damaged file is named
in one line (bad input, exit 2), or, for ``build``, makes its report stale."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from effectmodel.domain.errors import InputError, Problem, short

#: the largest summary.json or manifest read [bytes] and the deepest nesting taken
MAX_BYTES = 500_000_000
MAX_DEPTH = 64
ALLOWED = "a report folder as effectmodel run or build wrote it; run or build it again"


class Damaged(ValueError):
    """A report file that is not what effectmodel wrote: the message says what."""


def read_json(path: Path) -> Any:
    """A JSON file of a report, within the bounds (raises :class:`Damaged`)."""
    try:
        size = Path(path).stat().st_size
        if size > MAX_BYTES:
            raise Damaged(f"{size:,} bytes (at most {MAX_BYTES:,})")
        value = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise Damaged("missing") from None
    except RecursionError:
        raise Damaged("nested too deeply") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise Damaged(f"not JSON ({type(exc).__name__})") from None
    if depth(value) > MAX_DEPTH:
        raise Damaged(f"nested deeper than {MAX_DEPTH} levels")
    return value


def depth(x: Any) -> int:
    """How deep lists and objects nest in ``x`` (iteratively: any depth is safe)."""
    deepest, stack = 0, [(x, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, dict | list):
            deepest = max(deepest, d)
            stack.extend((w, d + 1) for w in (v.values() if isinstance(v, dict) else v))
    return deepest


NUMBER = "number"
#: the shape of summary.json the readers use: key -> type, or a nested shape; a list of one
#: shape: a list of such
_FIGURE = {"low": NUMBER, "median": NUMBER, "high": NUMBER,
           "mc_errors": {"median": NUMBER}}
SUMMARY = {"schema_version": int, "title": str, "parts": [str],
           "buyer_groups?": {"total_t": _FIGURE},
           "effect_monitor?": {"periods": [{"period": str, "total_t": _FIGURE}]},
           "provenance?": {"inputs?": dict, "git?": (dict, type(None)), "packages?": dict,
                           "notebooks?": dict},
           "settings?": [{"key": str}]}
MANIFEST = {"schema_version": int, "kind": str, "inputs": dict, "headline": dict,
            "rows?": dict, "code_files?": dict, "outputs?": dict, "pairing?": dict}


def shape_problem(x: Any, shape: Any, where: str = "") -> str | None:
    """Where ``x`` departs from ``shape`` and how, or None."""
    if isinstance(shape, dict):
        if not isinstance(x, dict):
            return f"{where or '(top)'}: not an object"
        for key, sub in shape.items():
            name = key.rstrip("?")
            if name not in x:
                if key.endswith("?"):
                    continue
                return f"{where}{name}: missing"
            found = shape_problem(x[name], sub, f"{where}{name}.")
            if found:
                return found
        return None
    if isinstance(shape, list):
        if not isinstance(x, list):
            return f"{where.rstrip('.')}: not a list"
        for i, v in enumerate(x):
            found = shape_problem(v, shape[0], f"{where.rstrip('.')}[{i}].")
            if found:
                return found
        return None
    if shape == NUMBER:
        ok = x is None or (isinstance(x, int | float) and not isinstance(x, bool))
        return None if ok else f"{where.rstrip('.')}: {short(x)} is not a number"
    if not isinstance(x, shape) or (shape is int and isinstance(x, bool)):
        names = " or ".join(t.__name__ for t in (shape if isinstance(shape, tuple)
                                                 else (shape,)))
        return f"{where.rstrip('.')}: {short(x)} is not {names}"
    return None


def read_summary(path: Path) -> dict[str, Any]:
    """A report's summary.json, its shape checked (raises :class:`InputError`, one line
    naming the file)."""
    try:
        summary = read_json(path)
        problem = shape_problem(summary, SUMMARY)
        if problem:
            raise Damaged(problem)
    except Damaged as exc:
        raise InputError([Problem(str(path), "(file)", f"damaged: {exc} (allowed: "
                                  f"{ALLOWED})")]) from None
    return summary


def read_manifest(path: Path) -> dict[str, Any] | None:
    """A build manifest, its shape checked; None where it is missing or damaged (the report
    is then stale, and rebuilt)."""
    try:
        manifest = read_json(path)
    except Damaged:
        return None
    return None if shape_problem(manifest, MANIFEST) else manifest


def finite(*xs: Any) -> bool:
    """Whether every value is a finite number."""
    return all(isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)
               for x in xs)
