"""YAML files (params, sweeps) and ``--set`` values, read with bounds: a hostile document
(an alias bomb, deep nesting, a huge file) stops at once with a clear line, exit code 2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from effectmodel.inputs.errors import InputError, Problem, decode_problem, short

MAX_YAML_BYTES = 1_000_000      # a params or sweep file [bytes]
MAX_SET_CHARS = 10_000          # one --set value [characters]
MAX_ALIASES = 100               # alias uses (*name) in one document
MAX_NODES = 100_000             # values in the document once aliases are expanded
MAX_DEPTH = 50                  # nesting of mappings and lists


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, counting alias uses and nesting as it composes."""

    def __init__(self, stream):
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None, None, f"more than {MAX_ALIASES} aliases (allowed: at most "
                    f"{MAX_ALIASES})", mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep (allowed: at most "
                    f"{MAX_DEPTH})", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _expanded_size(x: Any, limit: int) -> int:
    """How many values ``x`` holds with aliases expanded, counting no further than
    ``limit + 1`` (so a billion-laughs document costs at most ``limit`` steps)."""
    n, stack = 0, [x]
    while stack:
        v = stack.pop()
        n += 1
        if n > limit:
            return n
        if isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return n


def safe_yaml(text_: str, file: str, field_: str = "(file)") -> Any:
    """Parse YAML text with bounded aliases, nesting and expanded size.

    Raises ``yaml.YAMLError`` for malformed text and :class:`InputError` for a document
    that would expand beyond :data:`MAX_NODES` values.
    """
    loader = _BoundedLoader(text_)
    try:
        raw = loader.get_single_data()
    finally:
        loader.dispose()
    if _expanded_size(raw, MAX_NODES) > MAX_NODES:
        raise InputError([Problem(file, field_, f"more than {MAX_NODES} values once its "
                                  f"aliases are expanded (allowed: at most {MAX_NODES})")])
    return raw


def read_yaml(path: Path, what: str) -> tuple[Any, str]:
    """(parsed YAML, text) of a file; an empty file reads as ``{}``.

    Raises :class:`InputError` naming the file (and the line of a YAML error).
    """
    file = str(path)
    try:
        if path.is_dir():
            raise InputError([Problem(file, "(file)", f"is a folder (allowed: {what})")])
        if path.stat().st_size > MAX_YAML_BYTES:
            raise InputError([Problem(file, "(file)", f"larger than {MAX_YAML_BYTES:,} bytes "
                                      f"(allowed: {what} of at most {MAX_YAML_BYTES:,} bytes)")])
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(file, "(file)", f"not found (allowed: {what})")]) from None
    except OSError as exc:
        raise InputError([Problem(file, "(file)", f"cannot be read: {exc.strerror} (allowed: "
                                  f"a readable file, {what})")]) from None
    try:
        text_ = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError([decode_problem(file, data, exc)]) from None
    try:
        raw = safe_yaml(text_, file)
    except InputError:
        raise
    except RecursionError:
        raise InputError([Problem(file, "(file)", "nested too deeply (allowed: at most "
                                  f"{MAX_DEPTH} levels)")]) from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise InputError([Problem(file, "(file)", f"a value YAML cannot hold: {short(str(exc))} "
                                  "(allowed: numbers of at most 4300 digits)")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        reason = reason[:100]
        if "(allowed" not in reason:
            reason += " (allowed: YAML, as in params/reference.yaml)"
        raise InputError([Problem(file, where, f"malformed YAML: {reason}")]) from None
    return ({} if raw is None else raw), text_
