"""Render an executed notebook as a page with the project's nbconvert template (no input
cells, no prompts, inline CSS): formatting only."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

TEMPLATES = Path(__file__).resolve().parent / "templates"


def exporter() -> HTMLExporter:
    """The nbconvert exporter of the briefing template (no input cells, no prompts)."""
    ex = HTMLExporter(template_name="briefing", extra_template_basedirs=[str(TEMPLATES)])
    ex.exclude_input = True
    ex.exclude_input_prompt = True
    ex.exclude_output_prompt = True
    return ex


def render_html(nb: nbformat.NotebookNode, lang: str, title: str) -> str:
    """The briefing page of an executed notebook."""
    css = (TEMPLATES / "briefing" / "briefing.css").read_text(encoding="utf-8")
    resources = {"effectmodel": {"lang": lang, "title": title, "css": css}}
    body, _ = exporter().from_notebook_node(nb, resources=resources)
    return body
