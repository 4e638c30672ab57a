"""The sweep page speaks the schema's words and shows each figure at one value: no raw keys
as labels, parameter values and axes in the page's number format, the heat-map's cells the
same numbers as the table's medians."""

from __future__ import annotations

import html
import re

from conftest import ROOT

PAGE = ROOT / "reports" / "award-grid" / "index.html"


def plain(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def section(page: str, sid: str) -> str:
    i = page.index(f'<section id="{sid}">')
    return page[i:page.index("</section>", i)]


def test_no_raw_key_is_a_label():
    page = PAGE.read_text(encoding="utf-8")
    heads = [plain(h) for h in re.findall(r'<th scope="(?:row|col)">(.*?)</th>', page, re.S)]
    raw = [h for h in heads if re.fullmatch(r"[a-z0-9]+(?:_[a-z0-9]+)+", h)
           or h in ("value", "design", "scenario", "parameter", "git")]
    assert raw == [], raw


def test_the_heat_map_shows_the_tables_medians():
    """The review found 80,767 in a cell where the table said 80,800."""
    page = PAGE.read_text(encoding="utf-8")
    outputs = section(page, "outputs")
    heat = outputs[outputs.index('aria-label="Heatmap'):]
    heat = heat[:heat.index("</svg>")]
    labels = re.findall(r'<text[^>]*style="font-size: 7px[^"]*"[^>]*>(.*?)</text>', heat, re.S)
    cells = [plain(x) for x in labels]
    medians = set()
    for row in re.findall(r"<tr>(.*?)</tr>", outputs, re.S):
        tds = [plain(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if len(tds) == 4:  # two parameters, then each output's 'median (low – high)'
            medians.add(tds[2].split(" (")[0])
    assert len(cells) == 15 and set(cells) <= medians, (cells, medians)
