"""Render an executed notebook as a page with the project's nbconvert template (no input
cells, no prompts, inline CSS): formatting only."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import nbformat
from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

TEMPLATES = Path(__file__).resolve().parent / "templates"


class BriefingExporter(HTMLExporter):
    """nbconvert's HTMLExporter for the briefing template, without its last pass through
    BeautifulSoup. That pass parses and writes out the whole page again (0.4 s of the
    briefing's 0.5 s) to give ``<img>`` an alt text and JupyterLab's cells a tabindex; the
    briefing template has neither (figures are inline SVG with their own label; the pages
    are checked for ``<img>`` in the tests), so the template's output is the page."""

    def from_notebook_node(self, nb: nbformat.NotebookNode,
                           resources: dict[str, Any] | None = None,
                           **kw: Any) -> tuple[str, dict[str, Any]]:
        # HTMLExporter.from_notebook_node up to its BeautifulSoup pass (nbconvert 7)
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        self.register_filter("highlight_code", self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


def exporter() -> BriefingExporter:
    """The nbconvert exporter of the briefing template (no input cells, no prompts)."""
    ex = BriefingExporter(template_name="briefing", extra_template_basedirs=[str(TEMPLATES)])
    ex.exclude_input = True
    ex.exclude_input_prompt = True
    ex.exclude_output_prompt = True
    return ex


_EXPORTER: list[BriefingExporter] = []
_LOCK = threading.Lock()  # an exporter registers filters as it converts: one at a time


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
