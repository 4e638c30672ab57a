"""YAML files (params, sweeps, column maps) read whole and parsed with the bounded loader of
:mod:`~effectmodel.domain.yamltext`; every failure is a one-line problem naming the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from effectmodel.domain.errors import InputError, Problem, decode_problem, short
from effectmodel.domain.yamltext import MAX_DEPTH, MAX_YAML_BYTES, safe_yaml


def read_yaml(path: Path, what: str) -> tuple[Any, str]:
    """(parsed YAML, text) of a file; an empty file reads as ``{}``.

    Raises :class:`InputError` naming the file (and the line of a YAML error).
    """
    file = str(path)
    try:
        if path.is_dir():
            raise InputError([Problem(file, "(file)", f"is a folder (allowed: {what})")])
        if path.exists() and not path.is_file():
            raise InputError([Problem(file, "(file)", "not a regular file (a pipe, a device "
                                      f"or a socket) (allowed: {what})")])
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
