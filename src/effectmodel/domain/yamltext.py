"""YAML files (params, sweeps) and ``--set`` values, read with bounds: a hostile document
(an alias bomb, deep nesting, a huge file) stops at once with a clear line, exit code 2."""

from __future__ import annotations

from typing import Any

import yaml

from effectmodel.domain.errors import InputError, Problem

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

    def construct_mapping(self, node, deep=False):
        """A mapping whose keys are each given once: a key given twice is refused at its
        second line, where PyYAML would keep the last silently."""
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.setdefault(key, key_node.start_mark.line)
                except TypeError:  # an unhashable key: PyYAML words that itself
                    continue
                if first != key_node.start_mark.line:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key {str(key)[:40]!r} given twice, first at line "
                        f"{first + 1} (allowed: each key once)", key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


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
