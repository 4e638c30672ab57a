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
    assert "80,125 t over the contracts" in text
    assert "RIVM published a lower bound" in text and "Orange diamonds" in text
    assert "Sources and provenance" in text and str(summary["seed"]) in text
    fonts = fonts_of(r)
    assert fonts
    for f in fonts:
        desc = f.get("/FontDescriptor")
        assert desc is not None and any(k in desc.get_object() for k in
                                        ("/FontFile", "/FontFile2", "/FontFile3")), f
    assert r.metadata["/Producer"].startswith("effectmodel")


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
