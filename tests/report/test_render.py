"""The pages' nbconvert exporter (report.render): nbconvert's HTMLExporter without its last
BeautifulSoup pass, which would add nothing to these pages."""

from __future__ import annotations

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter

from conftest import ROOT
from effectmodel.report import render


@pytest.mark.parametrize("name", ["briefing", "annex_buyer_groups", "annex_monitor"])
def test_the_exporter_gives_the_page_nbconverts_own_pass_would_only_reformat(name):
    """HTMLExporter parses the page with BeautifulSoup to add alt texts to <img> and a
    tabindex to JupyterLab's cells, and writes it out again. Ours skips that pass: the page
    has no <img> and no such cell, so the pass would change the formatting only (the same
    document once parsed), and it takes 0.4 s of a briefing's 0.5 s."""
    nb = nbformat.read(ROOT / "reports" / "reference" / "notebooks" / f"{name}.ipynb",
                       as_version=4)
    ours = render.render_html(nb, "en", "Title")
    assert "<img" not in ours and "jp-Notebook" not in ours
    theirs = HTMLExporter(template_name="briefing",
                          extra_template_basedirs=[str(render.TEMPLATES)],
                          exclude_input=True, exclude_input_prompt=True,
                          exclude_output_prompt=True)
    css = (render.TEMPLATES / "briefing" / "briefing.css").read_text(encoding="utf-8")
    html, _ = theirs.from_notebook_node(
        nb, resources={"effectmodel": {"lang": "en", "title": "Title", "css": css}})
    assert str(BeautifulSoup(ours, features="html.parser")) == html
    assert ours.startswith("<!DOCTYPE html>") and ours.rstrip().endswith("</html>")
