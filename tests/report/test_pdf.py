"""`effectmodel pdf`: the reference briefing printed by headless Chromium, as its two-page
summary and whole; page count, extractable text, embedded fonts, no network request, and
nothing of the user's replaced."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import ERROR_LINE, ROOT
from effectmodel.cli import main

pytestmark = pytest.mark.browser

REPORT = ROOT / "reports" / "reference"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def fonts_of(reader) -> list[dict]:
    """Every font dictionary the pages use (descendants of Type0 fonts included)."""
    out = []
    for page in reader.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            out += [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
    return out


@pytest.fixture(scope="module")
def summary_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "reference-summary.pdf"
    assert main(["pdf", str(REPORT), "--out", str(out)]) == 0
    return out


def test_the_summary_is_two_pages_of_text_with_its_fonts(summary_pdf):
    """Two A4 pages; the headline, the two charts' captions and the small print are text a
    reader can copy (pypdf extracts them); every font is embedded."""
    from pypdf import PdfReader

    r = PdfReader(summary_pdf)
    assert len(r.pages) == 2
    w, h = (float(x) for x in r.pages[0].mediabox[2:])
    assert abs(w - 595.3) < 1 and abs(h - 841.9) < 1  # A4 in points
    text = " ".join(p.extract_text() for p in r.pages)
    summary = json.loads((REPORT / "summary.json").read_text(encoding="utf-8"))
    assert "Once the risks are counted" in text and "80,125" in text
    assert "RIVM published a lower bound" in text and "Orange diamonds" in text
    assert "Sources and provenance" in text and str(summary["seed"]) in text
    fonts = fonts_of(r)
    assert fonts
    for f in fonts:
        desc = f.get("/FontDescriptor")
        assert desc is not None and any(k in desc.get_object() for k in
                                        ("/FontFile", "/FontFile2", "/FontFile3")), f
    assert r.metadata["/Producer"].startswith("effectmodel")


def span_sizes(path: Path) -> list[list[float]]:
    """The font size of every character of each page [pt]: its extent across the baseline
    (a rotated axis label's too)."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [[c["height"] if c["upright"] else c["width"] for c in p.chars if c["text"].strip()]
                for p in pdf.pages]


def filled(path: Path) -> list[float]:
    """How far down each page its lowest text reaches [share of the page's height]."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [max(c["bottom"] for c in p.chars) / float(p.height) for p in pdf.pages]


def test_every_text_of_the_summary_is_7_pt_or_more_and_no_page_is_half_empty(summary_pdf):
    """Made for print: the charts drawn at print size, not the screen's SVG shrunk (96 of
    171 spans were under 7 pt, the charts' text 3.8-4.7 pt), and both pages filled."""
    sizes = span_sizes(summary_pdf)
    assert len(sizes) == 2 and all(sizes)
    assert min(min(s) for s in sizes) >= 7.0 - 0.05, [min(s) for s in sizes]
    assert all(f > 0.6 for f in filled(summary_pdf)), filled(summary_pdf)


def test_a_monitor_only_summary_fills_its_two_pages(tmp_path):
    """Without buyer groups, page 2 draws the periods and the headline period's product
    groups: still two pages, none half empty, every text 7 pt or more."""
    summary = json.loads((REPORT / "summary.json").read_text(encoding="utf-8"))
    folder = tmp_path / "monitor-only"
    folder.mkdir()
    del summary["buyer_groups"]
    summary["drivers"].pop("buyer_groups", None)
    summary["parts"] = ["monitor"]
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    shutil.copy(REPORT / "index.html", folder / "index.html")
    out = tmp_path / "m.pdf"
    assert main(["pdf", str(folder), "--out", str(out)]) == 0
    sizes = span_sizes(out)
    assert len(sizes) == 2 and min(min(s) for s in sizes) >= 7.0 - 0.05
    assert all(f > 0.5 for f in filled(out)), filled(out)


def test_the_whole_briefing_prints(tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "reference.pdf"
    assert main(["pdf", str(REPORT), "--pages", "all", "--out", str(out)]) == 0
    r = PdfReader(out)
    assert len(r.pages) > 2
    assert "Where the variance comes from" in " ".join(p.extract_text() for p in r.pages)


def test_the_printed_page_requests_nothing(tmp_path):
    """The summary page, loaded in Chromium as it is printed: no request but the page
    itself (inline CSS and SVG, no font, script or image fetched)."""
    from playwright.sync_api import sync_playwright

    from effectmodel.report.printed import summary_html

    page_path = tmp_path / "summary.html"
    page_path.write_text(summary_html(json.loads((REPORT / "summary.json").read_text())),
                         encoding="utf-8")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox",
                                                              "--disable-gpu"])
        page = b.new_page()
        seen = []
        page.on("request", lambda req: seen.append(req.url))
        page.goto(page_path.as_uri())
        page.pdf(path=str(tmp_path / "p.pdf"))
        b.close()
    assert seen == [page_path.as_uri()]


def test_nothing_of_the_users_is_replaced(tmp_path, capsys):
    """An output file effectmodel did not write is refused in one line (exit 2) and kept;
    a PDF it wrote is replaced; a folder that is no briefing is refused."""
    mine = tmp_path / "notes.pdf"
    mine.write_bytes(b"%PDF-1.4 my own notes")
    assert main(["pdf", str(REPORT), "--out", str(mine)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and ERROR_LINE.match(err[0]), err
    assert mine.read_bytes() == b"%PDF-1.4 my own notes"
    ours = tmp_path / "ours.pdf"
    assert main(["pdf", str(REPORT), "--out", str(ours)]) == 0
    assert main(["pdf", str(REPORT), "--out", str(ours)]) == 0  # its own: replaced
    assert main(["pdf", str(tmp_path), "--out", str(tmp_path / "x.pdf")]) == 2
    assert not (tmp_path / "x.pdf").exists()
