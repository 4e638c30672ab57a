"""The briefings in a real headless Chromium (Debian's /usr/bin/chromium, driven by
Playwright): opened from file:// with the network blocked, no requests outside the file, no
console errors, every figure drawn with a size; escaping and accessibility checks. Screenshots
go to test-artifacts/."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from effectmodel.cli import main

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

CONTRAST_JS = """
() => {
  const lum = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const [r, g, b] = m[1].split(',').slice(0, 3).map(Number).map(v => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const bg = (el) => { while (el) { const c = getComputedStyle(el).backgroundColor;
      if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c; el = el.parentElement; }
    return 'rgb(255, 255, 255)'; };
  let worst = 99, where = '';
  const sel = 'p, td, th, figcaption, caption, a, h1, h2, h3, li, code, span';
  for (const el of document.querySelectorAll(sel)) {
    if (!el.textContent.trim()) continue;
    const a = lum(getComputedStyle(el).color), b = lum(bg(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < worst) { worst = ratio; where = el.tagName + ': ' + el.textContent.slice(0, 40); }
  }
  return [worst, where];
}
"""


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs it (scripts/install-chromium.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_page(browser, path: Path):
    """Open ``path`` with every non-file request blocked; returns (page, requests, errors,
    dialogs)."""
    context = browser.new_context(offline=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    requests, errors, dialogs = [], [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def on_dialog(d):
        dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
               else route.abort())
    page.goto(path.as_uri(), wait_until="load")
    return page, requests, errors, dialogs


REPORTS = [("en", ROOT / "reports" / "reference"), ("nl", ROOT / "reports" / "reference-nl")]
PAGES = ["index.html", "annex-buyer-groups.html", "annex-monitor.html"]


@pytest.mark.parametrize("lang, folder", REPORTS, ids=[r[0] for r in REPORTS])
@pytest.mark.parametrize("name", PAGES)
def test_briefing_offline_no_errors_figures_drawn(browser, lang, folder, name):
    path = folder / name
    assert path.stat().st_size < 1_000_000
    page, requests, errors, _ = open_page(browser, path)
    outside = [u for u in requests if not u.startswith("file:")]
    assert outside == [], outside
    assert requests == [path.as_uri()]
    assert errors == []
    sizes = page.eval_on_selector_all(
        "figure.chart svg", "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [r.width, r.height]; })")
    assert sizes, "no figures"
    assert all(w > 100 and h > 100 for w, h in sizes), sizes
    assert page.eval_on_selector("html", "e => e.lang") == lang
    assert page.evaluate("document.scripts.length") == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{folder.name}-{name[:-5]}.png"), full_page=True)
    page.context.close()


@pytest.mark.parametrize("lang, folder", REPORTS, ids=[r[0] for r in REPORTS])
def test_accessibility(browser, lang, folder):
    page, *_ = open_page(browser, folder / "index.html")
    levels = page.eval_on_selector_all("h1, h2, h3, h4, h5, h6",
                                       "els => els.map(e => Number(e.tagName[1]))")
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    tables = page.eval_on_selector_all("table", "els => els.map(t => t.querySelectorAll("
                                       "'th').length)")
    assert tables and all(n > 0 for n in tables)
    labels = page.eval_on_selector_all(
        "figure.chart svg", "els => els.map(e => [e.getAttribute('role'),"
        " e.getAttribute('aria-label'), e.querySelector('title') && e.querySelector('title')"
        ".textContent])")
    assert all(r == "img" and a and t for r, a, t in labels), labels
    worst, where = page.evaluate(CONTRAST_JS)
    assert worst >= 4.5, (worst, where)
    # the page fits its width: nothing runs off to the side
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.context.close()


def test_dutch_number_format(browser):
    page, *_ = open_page(browser, ROOT / "reports" / "reference-nl" / "index.html")
    text = page.inner_text("#headline")
    assert "80.125" in text and "7,8 Mt" in text and "19.000" in text and "4,22 t" in text
    page.context.close()


def test_labels_are_escaped(browser, tiny, tmp_path):
    evil = "<script>alert(1)</script> & co"
    path = tiny.parent.parent / "data" / "buyer_groups.csv"
    rows = list(csv.reader(path.read_text().splitlines()))
    rows[1][2] = evil  # name_en of g1
    rows[2][1] = '<img src=x onerror="alert(2)">'  # name_nl of g2
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue())
    out = tmp_path / "out"
    assert main(["run", str(tiny), "--out", str(out), "--draws", "50"]) == 0
    html = (out / "index.html").read_text()
    assert "<script>" not in html and "<img" not in html
    page, requests, errors, dialogs = open_page(browser, out / "index.html")
    assert dialogs == [] and errors == []
    assert evil in page.inner_text("#buyer-groups")
    assert [u for u in requests if not u.startswith("file:")] == []
    page.context.close()


ALL_PAGES = sorted(p for p in (ROOT / "reports").rglob("*.html")
                   if "scenarios" not in p.relative_to(ROOT / "reports").parts)


def axe_source() -> str:
    """axe-core (the copy axe-playwright-python brings), injected into the page under test."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


@pytest.mark.parametrize("path", ALL_PAGES, ids=[p.relative_to(ROOT / "reports").as_posix()
                                                 for p in ALL_PAGES])
def test_axe_core_finds_no_violations(browser, path):
    """axe-core's WCAG rules on every committed page: no violation of any impact (the review
    found scrollable tables keyboard users could not reach, and empty table headers)."""
    page, *_ = open_page(browser, path)
    page.add_script_tag(content=axe_source())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
             for v in result["violations"]]
    page.context.close()
    assert found == []
