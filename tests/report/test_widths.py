"""Every table and figure of every committed page fits its column, at 1280 px on screen and
in print layout (A4 less margins), measured in a real headless Chromium: no scroll region,
nothing cut off."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PAGES = sorted(p for p in (ROOT / "reports").rglob("*.html")
               if "scenarios" not in p.relative_to(ROOT / "reports").parts)
#: what overflows: a table or figure wider than its page's main column, or whose content is
#: wider than itself (cut off, or a scroll region)
OVERFLOW_JS = """() => {
  const main = document.querySelector('main') || document.body;
  const css = getComputedStyle(main);
  const box = main.getBoundingClientRect();
  // the column the page lays out: main's content box, inside its padding
  const left = box.left + parseFloat(css.paddingLeft) + parseFloat(css.borderLeftWidth);
  const right = box.right - parseFloat(css.paddingRight) - parseFloat(css.borderRightWidth);
  const room = right - left;
  const out = [];
  for (const el of document.querySelectorAll('table, figure')) {
    const r = el.getBoundingClientRect();
    const w = r.width;
    if (r.left < left - 1 || r.right > right + 1 || el.scrollWidth > el.clientWidth + 1) {
      const cap = el.querySelector('caption, figcaption');
      out.push(`${el.tagName} ${Math.round(w)} px in ${Math.round(room)} px: ` +
               (cap ? cap.textContent.slice(0, 60) : el.id));
    }
  }
  return out;
}"""
#: A4 (210 mm) less 2 x 12 mm margins at 96 px per inch; the screen a reviewer's 1280 px
LAYOUTS = {"screen": {"width": 1280, "height": 900}, "print": {"width": 703, "height": 1000}}


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs it (scripts/install-chromium.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM,
                              args=["--headless", "--no-sandbox", "--disable-gpu",
                                    "--disable-background-networking"])
        yield b
        b.close()


def test_the_committed_pages_are_measured():
    names = {p.relative_to(ROOT / "reports").as_posix() for p in PAGES}
    assert {"reference/index.html", "reference/annex-monitor.html",
            "reference-nl/annex-buyer-groups.html", "award-additionality/index.html"} <= names


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_every_table_and_figure_fits(browser, layout):
    page = browser.new_page(viewport=LAYOUTS[layout])
    page.emulate_media(media=layout)
    over = {}
    for path in PAGES:
        page.goto(path.as_uri())
        bad = page.evaluate(OVERFLOW_JS)
        if bad:
            over[path.relative_to(ROOT / "reports").as_posix()] = bad
    page.close()
    assert over == {}, over
