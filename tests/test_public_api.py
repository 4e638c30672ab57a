"""Public APIs only (docs/design.md): no attribute of another object whose name starts with
an underscore (``fig._get_renderer()``, ``exporter._init_resources``), no process-wide
switch (``gc.disable()``, ``sys.setrecursionlimit``) and no plain fork of a process that may
hold threads. A grep over the package's source, so a new use fails at once."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

SOURCE = sorted((ROOT / "src" / "effectmodel").rglob("*.py"))
#: an attribute with a leading underscore on anything but self or cls (dunders aside)
PRIVATE = re.compile(r"(?<![\w.])(?!self\b|cls\b)([A-Za-z_]\w*(?:\(\))?)\._(?!_)[A-Za-z]\w*")
SWITCHES = re.compile(r"\bgc\.(disable|freeze|set_threshold)\(|\bsys\.(setrecursionlimit|"
                      r"setswitchinterval)\(|get_context\(\s*[\"']fork[\"']|"
                      r"set_start_method\(")


def hits(pattern: re.Pattern, text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()
            if pattern.search(line.split("#", 1)[0])]


@pytest.mark.parametrize("path", SOURCE, ids=lambda p: str(p.relative_to(ROOT / "src")))
def test_no_private_api_or_process_wide_switch(path):
    text = path.read_text(encoding="utf-8")
    assert not hits(PRIVATE, text), hits(PRIVATE, text)
    assert not hits(SWITCHES, text), hits(SWITCHES, text)


def test_the_grep_finds_what_it_looks_for():
    """The patterns catch the cases the architecture review found, and pass our own."""
    for bad in ("r = fig._get_renderer()", "self.x = exporter._init_resources(r)",
                "gc.disable()", 'ctx = multiprocessing.get_context("fork")',
                "nb = HTMLExporter()._nb_metadata"):
        assert hits(PRIVATE, bad) or hits(SWITCHES, bad), bad
    for fine in ("self._cache = {}", "cls._registry", "x.__class__", "_spend_draws(run)",
                 'ctx = multiprocessing.get_context("forkserver")', "# gc.disable() was here"):
        assert not (hits(PRIVATE, fine) or hits(SWITCHES, fine)), fine
