"""Render an executed notebook as a page with the project's nbconvert template (no input
cells, no prompts, inline CSS): formatting only."""

from __future__ import annotations

import threading
from pathlib import Path

import nbformat
from nbconvert import TemplateExporter

TEMPLATES = Path(__file__).resolve().parent / "templates"


def exporter() -> TemplateExporter:
    """nbconvert's public TemplateExporter for the briefing template (no input cells, no
    prompts). The template extends nbconvert's ``base`` templates only, so HTMLExporter's
    extras (its CSS and widget resources, and a last pass of the whole page through
    BeautifulSoup for image alt texts and cell tabindexes, 0.4 s a page) have nothing to do:
    the template's output is the page."""
    ex = TemplateExporter(template_name="briefing", template_file="index.html.j2",
                          extra_template_basedirs=[str(TEMPLATES)])
    ex.exclude_input = True
    ex.exclude_input_prompt = True
    ex.exclude_output_prompt = True
    return ex


_EXPORTER: list[TemplateExporter] = []
_LOCK = threading.Lock()  # one exporter, its template environment used one page at a time


def render_html(nb: nbformat.NotebookNode, lang: str, title: str) -> str:
    """The briefing page of an executed notebook (one exporter per process, its template
    compiled once)."""
    css = (TEMPLATES / "briefing" / "briefing.css").read_text(encoding="utf-8")
    resources = {"effectmodel": {"lang": lang, "title": title, "css": css}}
    with _LOCK:
        if not _EXPORTER:
            _EXPORTER.append(exporter())
        body, _ = _EXPORTER[0].from_notebook_node(nb, resources=resources)
    return body
