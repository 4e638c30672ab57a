"""``effectmodel pdf``: a briefing printed to PDF by headless Chromium, whole or as its
two-page summary (:mod:`effectmodel.report.printed`).

Why Chromium: it is already the browser the tests check every page in (Debian's
``chromium``), it prints the page exactly as a reader's browser lays it out (CSS grid, inline
SVG, print media), and it embeds the fonts it used. WeasyPrint would be a second layout
engine with its own CSS gaps, and a heavier dependency tree (Pango, cairo).

The PDF is written next to the report folder (``reports/<name>-summary.pdf``), or to
``--out``; a file there that effectmodel did not write is never replaced. Chromium runs
with ``--disable-background-networking`` on a self-contained page: it fetches nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from effectmodel.domain.errors import InputError, Problem
from effectmodel.pipeline import reportfiles
from effectmodel.pipeline.staging import check_destination, staged_file

#: where Chromium may be; ``EFFECTMODEL_CHROMIUM`` names another
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--no-first-run", "--disable-extensions", "--no-pdf-header-footer",
         "--print-to-pdf-no-header")
#: what marks a PDF as effectmodel's (its /Producer)
PRODUCER = "effectmodel (Chromium print-to-PDF)"
SUMMARY_PAGES = 2


def chromium() -> str:
    """The Chromium executable, or a one-line refusal naming how to get one."""
    named = os.environ.get("EFFECTMODEL_CHROMIUM")
    found = shutil.which(named) if named else next(
        (p for p in map(shutil.which, BROWSERS) if p), None)
    if not found:
        raise InputError([Problem("chromium", "executable", "not found (allowed: Debian's "
                                  "chromium package, or EFFECTMODEL_CHROMIUM=path)")])
    return found


def read_summary(report: Path) -> dict:
    """A briefing's summary.json, checked (:mod:`.reportfiles`), or a one-line refusal."""
    path = report / "summary.json"
    if not path.is_file():
        raise InputError([Problem(str(report), "summary.json", "missing or unreadable "
                                  "(allowed: a briefing's folder that effectmodel run or "
                                  "build wrote)")])
    summary = reportfiles.read_summary(path)
    if "parts" not in summary or not (report / "index.html").is_file():
        raise InputError([Problem(str(report), "index.html", "missing (allowed: a briefing's "
                                  "folder that effectmodel run or build wrote)")])
    return summary


def is_ours(path: Path) -> bool:
    """Whether a file is a PDF that effectmodel wrote (its /Producer)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        return (PdfReader(path).metadata or {}).get("/Producer") == PRODUCER
    except (OSError, PyPdfError, ValueError):
        return False


def print_to_pdf(html: Path, out: Path, timeout: float = 180.0) -> None:
    """Print a local page to ``out`` with headless Chromium (A4 from the page's @page)."""
    with tempfile.TemporaryDirectory(prefix="effectmodel-chromium-") as profile:
        cmd = [chromium(), *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={out}",
               html.resolve().as_uri()]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0 or not out.is_file():
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise RuntimeError(f"chromium could not print {html.name}: {last}")


def stamp(pdf: Path, out: Path, title: str) -> int:
    """``pdf`` with effectmodel's /Producer and the briefing's title, written to ``out``;
    its page count."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(pdf))
    writer.add_metadata({"/Producer": PRODUCER, "/Title": title})
    with out.open("wb") as f:
        writer.write(f)
    return len(writer.pages)


def make_pdf(report: Path, pages: str = "2", out: Path | None = None) -> tuple[Path, int]:
    """Print ``report``'s briefing: its two-page summary (``pages`` "2") or the whole page
    ("all"). Returns the PDF's path and its page count. Refuses, before any work, a folder
    that is no briefing and an output file that effectmodel did not write."""
    from effectmodel.report.printed import summary_html

    report = report.resolve()
    summary = read_summary(report)
    if out is None:
        suffix = "-summary" if pages != "all" else ""
        out = report.parent / f"{report.name}{suffix}.pdf"
    check_destination(out, "--out")
    out = out.resolve()
    if out.exists() and (out.is_dir() or not is_ours(out)):
        raise InputError([Problem(str(out), "--out", "exists and is not a PDF effectmodel "
                                  "wrote (allowed: a new file, or one effectmodel wrote)")])
    if not out.parent.is_dir():
        raise InputError([Problem(str(out), "--out", "its folder does not exist")])
    chromium()  # refuse before any work
    with tempfile.TemporaryDirectory(prefix="effectmodel-pdf-") as tmp:
        if pages == "all":
            page = report / "index.html"
        else:
            page = Path(tmp) / "summary.html"
            try:
                html = summary_html(summary)
            except (KeyError, TypeError, AttributeError, ValueError, IndexError) as exc:
                raise InputError([Problem(str(report / "summary.json"), "(file)", "damaged: "
                                          f"{type(exc).__name__} {exc} (allowed: "
                                          f"{reportfiles.ALLOWED})")]) from None
            page.write_text(html, encoding="utf-8")
        raw = Path(tmp) / "raw.pdf"
        print_to_pdf(page, raw)
        with staged_file(out) as staged:
            n = stamp(raw, staged, summary["title"])
    return out, n
