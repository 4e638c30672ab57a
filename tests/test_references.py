"""Every cross-reference resolves: the Sphinx roles in docstrings (``:func:`~effectmodel.x.y```,
relative ``~.x.y`` and bare names in the same module), the ``effectmodel.x.y`` names the docs
quote, and no docstring points at a design file outside the repository."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from conftest import ROOT

SRC = ROOT / "src" / "effectmodel"
ROLE = re.compile(r":(func|class|mod|data|attr|meth|exc):`([^`<>]+?)`")
DOC_NAME = re.compile(r"`(effectmodel(?:\.\w+)+)`")


def resolve(target: str) -> bool:
    """Whether ``a.b.c`` names a module, or an attribute reached from the longest module."""
    parts = target.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            if not hasattr(obj, name):
                return False
            obj = getattr(obj, name)
        return True
    return False


def module_of(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def targets(path: Path) -> list[str]:
    """The absolute names the roles of one module's source point at."""
    module = module_of(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    for role, raw in ROLE.findall(path.read_text(encoding="utf-8")):
        t = raw.strip().lstrip("~").rstrip("()")
        if role == "meth" and "." not in t:
            continue  # a method of the class whose docstring names it
        if t.startswith("effectmodel.") or t == "effectmodel":
            out.append(t)
        elif t.startswith("."):
            up = len(t) - len(t.lstrip("."))
            base = package.rsplit(".", up - 1)[0] if up > 1 else package
            out.append(f"{base}.{t.lstrip('.')}")
        elif "." not in t or t.split(".")[0][:1].isupper():
            out.append(f"{module}.{t}")  # a name in the same module (or its class's)
        # else: another library's name (numpy.random.SeedSequence): not ours to check
    return out


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: module_of(p))
def test_every_docstring_reference_resolves(path):
    bad = [t for t in targets(path) if not resolve(t)]
    assert bad == []


def test_every_name_the_docs_quote_resolves():
    bad = [f"{doc.name}: {name}" for doc in sorted((ROOT / "docs").glob("*.md"))
           for name in DOC_NAME.findall(doc.read_text(encoding="utf-8")) if not resolve(name)]
    assert bad == []


def test_no_pointer_to_design_files_outside_the_repository():
    """MODEL.md and DESIGN.md were the founding notes; the repository's are docs/model.md
    and docs/design.md."""
    hits = [f"{p.relative_to(ROOT)}:{i}" for p in sorted(SRC.rglob("*.py"))
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if re.search(r"\b(MODEL|DESIGN|STYLE)\.md\b", line)]
    assert hits == []
