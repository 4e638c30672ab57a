"""One figure, one value: each headline figure of a reference briefing reads the same in the
headline's words, its table, reports/index.html and the printed summary's text; a bound
above 0 is never shown as 0 (headline, product groups, annex)."""

from __future__ import annotations

import html
import json
import re

import pytest

from conftest import ROOT
from effectmodel.report.changes import figure_label
from effectmodel.report.i18n import t
from effectmodel.report.numformat import at_step, step_of

REPORTS = ROOT / "reports"
NAMES = ("reference", "reference-nl")
UNITS = {"t": 1.0, "kt": 1e3, "Mt": 1e6}


def value_of(text: str, lang: str) -> float:
    """A figure as a page writes it, in tonnes: '7.8 Mt' / '7,8 Mt' -> 7.8e6,
    '24,000' / '24.000' -> 24000; '−' is a minus."""
    m = re.fullmatch(r"\s*([−-]?[\d.,]+)\s*(t|kt|Mt)?\s*", text)
    assert m, text
    digits = m.group(1).replace("−", "-")
    digits = (digits.replace(".", "").replace(",", ".") if lang == "nl"
              else digits.replace(",", ""))
    return float(digits) * UNITS[m.group(2) or "t"]


def plain(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def section(page: str, sid: str) -> str:
    i = page.index(f'<section id="{sid}">')
    return page[i:page.index("</section>", i)]


def table_rows(fragment: str) -> dict[str, list[str]]:
    """Row header -> the row's cells, as text."""
    out = {}
    for row in re.findall(r"<tr>(.*?)</tr>", fragment, re.S):
        head = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        if head:
            out[plain(head.group(1))] = [plain(c) for c in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                       row, re.S)]
    return out


def shown_values(s: dict) -> dict[str, float]:
    step = step_of(s)
    return {k: at_step(s[k], step) for k in ("median", "low", "high")}


def range_values(cell: str, lang: str) -> tuple[float, float]:
    low, high = cell.replace("‡", "").split(" – ")
    return value_of(low, lang), value_of(high, lang)


def words_figures(words: str, lang: str, level: str) -> list[tuple[float, float, float]]:
    """(median, low, high) of each headline sentence: the bold figure and its range."""
    rng = "range" if lang == "en" else "marge"
    to = "to" if lang == "en" else "tot"
    unit = r"[\d.,−]+ (?:t|kt|Mt)"
    out = []
    for m in re.finditer(rf"<strong>({unit})</strong>.*?{re.escape(level)}[ -]{rng} "
                         rf"({unit}) {to} ({unit})", words, re.S):
        out.append(tuple(value_of(g, lang) for g in m.groups()))
    return out


@pytest.fixture(scope="module", params=NAMES)
def report(request):
    folder = REPORTS / request.param
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    return folder, summary


def expected(summary: dict) -> list[tuple[str, dict]]:
    """(table row label, STATS) of each headline figure, headline sentences' order."""
    lang = summary["language"]
    rows = []
    if "buyer_groups" in summary:
        rows.append((t("bg_total", lang), summary["buyer_groups"]["total_t"]))
    mon = summary.get("effect_monitor")
    if mon:
        want = mon.get("headline_period")
        p = next((p for p in mon["periods"] if p["period"] == want), mon["periods"][-1])
        rows.append((t("period_total", lang, period=p["period"]), p["total_t"]))
    return rows


def test_words_and_table_show_each_headline_figure_at_one_value(report):
    folder, summary = report
    lang = summary["language"]
    head = section((folder / "index.html").read_text(encoding="utf-8"), "headline")
    level = f"{round(100 * summary['interval'])}%"
    words = words_figures(head, lang, level)
    rows = table_rows(head)
    want = expected(summary)
    assert len(words) == len(want)
    for (label, s), said in zip(want, words, strict=True):
        v = shown_values(s)
        assert said == (v["median"], v["low"], v["high"]), (label, said, v)
        median, span = rows[label][2], rows[label][3]
        assert value_of(median, lang) == v["median"]
        assert range_values(span, lang) == (v["low"], v["high"])


def test_the_monte_carlo_table_shows_the_headlines_values(report):
    """The Monte Carlo error table names each headline figure again: at the headline's
    value (it showed 2017-2018's median as 7,900,000 beside the headline's 8,000,000)."""
    folder, summary = report
    lang = summary["language"]
    rows = table_rows(section((folder / "index.html").read_text(encoding="utf-8"),
                              "mc-error"))
    blocks = ([(t("buyer_groups_lc", lang), summary["buyer_groups"]["total_t"])]
              if "buyer_groups" in summary else [])
    blocks += [(p["period"], p["total_t"]) for p in summary["effect_monitor"]["periods"]]
    checked = 0
    for label, s in blocks:
        v = shown_values(s)
        for k in ("median", "low", "high"):
            cells = rows[f"{label}: {t(k, lang).lower()}"]
            assert value_of(cells[0], lang) == v[k], (label, k, cells[0], v[k])
            checked += 1
    assert checked == 3 * len(blocks)


def test_the_index_shows_the_briefings_values(report):
    folder, summary = report
    index = (REPORTS / "index.html").read_text(encoding="utf-8")
    block = index[index.index(f'href="{folder.name}/index.html"'):]
    block = block[:block.index("</tr>")]
    items = dict(re.findall(r"<li>(.*?): ([^<]*)</li>", block))
    items = {html.unescape(k): v for k, v in items.items()}
    lang = summary["language"]  # each report's figures as its own page writes them
    if "buyer_groups" in summary:
        bg = summary["buyer_groups"]
        assert value_of(items[figure_label("bg_median", lang)], lang) == \
            shown_values(bg["total_t"])["median"]
        assert value_of(items[figure_label("bg_as_planned", lang)], lang) == \
            round(bg["as_planned_t"])
    for p in summary["effect_monitor"]["periods"]:
        key = figure_label(f"period_median:{p['period']}", lang)
        assert value_of(items[key], lang) == shown_values(p["total_t"])["median"], key


def test_no_bound_above_0_is_shown_as_0(report):
    """Headline, the briefing's product groups and the annex's: where a low is above 0, its
    cell does not start at 0 (the review found four: transport services 2015-2016, low
    1,506 t, shown as '0 – 420,000')."""
    folder, summary = report
    lang = summary["language"]
    name = "name_nl" if lang == "nl" else "name_en"
    mon = summary["effect_monitor"]
    want = mon.get("headline_period")
    latest = next((p for p in mon["periods"] if p["period"] == want), mon["periods"][-1])
    briefing_page = (folder / "index.html").read_text(encoding="utf-8")
    annex = (folder / "annex-monitor.html").read_text(encoding="utf-8")
    checked = 0
    for p in mon["periods"]:
        tables = [section(annex, f"period-{p['period']}")]
        if p is latest:
            tables.append(section(briefing_page, "monitor"))
        for r in p["product_groups"]:
            s = r["reduction_t"]
            if r.get("upper_95_t") is not None or r.get("unbounded") or s["low"] <= 0:
                continue
            for fragment in tables:
                cells = table_rows(fragment).get(r[name])
                assert cells, (p["period"], r["id"])
                spans = [c for c in cells if " – " in c]
                assert spans and not any(c.startswith("0 –") for c in spans), \
                    (p["period"], r["id"], spans)
                checked += 1
    assert checked
    head = table_rows(section(briefing_page, "headline"))
    for label, s in expected(summary):
        if s["low"] > 0:
            assert not head[label][3].startswith("0 –"), label


@pytest.mark.browser
def test_the_printed_summary_shows_the_same_values(tmp_path):
    """The PDF's page 1 says the headline sentences with the page's values."""
    pdfplumber = pytest.importorskip("pdfplumber")
    from effectmodel.cli import main

    folder = REPORTS / "reference"
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    out = tmp_path / "s.pdf"
    assert main(["pdf", str(folder), "--out", str(out)]) == 0
    with pdfplumber.open(out) as pdf:
        text = re.sub(r"\s+", " ", pdf.pages[0].extract_text())
    for _, s in expected(summary):
        v = shown_values(s)
        for k in ("median", "low", "high"):
            if v[k] >= 1e6:
                word = f"{v[k] / 1e6:g} Mt"
            elif v[k] >= 1e5:
                word = f"{v[k] / 1e3:g} kt"
            else:
                word = f"{v[k]:,.0f} t"
            assert word in text, (k, word)

