"""Why the figure moved, on the page (report/movedpage.py): a sentence per change with the
summary's figures as the page writes them, the waterfall of the latest change, and the
annex's table per change, in both languages."""

from __future__ import annotations

import copy
import re

import pytest

from effectmodel.report import movedpage
from effectmodel.report.numformat import signed_tonnes

pytestmark = pytest.mark.slow  # the reference evaluated (once per run, conftest)


@pytest.mark.parametrize(("lang", "of_which"), [("en", "of which"), ("nl", "waarvan")])
def test_each_change_in_words_and_the_latest_as_a_waterfall(reference_summary, lang,
                                                            of_which):
    summary = copy.deepcopy(reference_summary)
    summary["language"] = lang
    page = str(movedpage.changes(summary))
    changes = summary["effect_monitor"]["changes"]
    assert page.startswith('<section id="moved">')
    text = re.sub(r"<svg.*?</svg>", "", page, flags=re.S)
    for c in changes:
        head = f"{c['from']} → {c['to']}: {signed_tonnes(c['change_t']['central'], lang)}, "
        assert head + of_which in text
        for k in ("spend_t", "use_t", "intensity_t", "entry_exit_t"):
            assert signed_tonnes(c["parts"][k]["central"], lang) in text
    last = changes[-1]
    assert page.count("<figure") == 1 and 'role="img"' in page
    assert f"{last['from']} → {last['to']}" in re.search(r"<svg.*?</svg>", page, re.S).group(0)
    # the sign of the latest change as RIVM's figures have it: down
    assert last["change_t"]["central"] < 0 and signed_tonnes(-5.9e6, lang) in text


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_annex_has_a_table_per_change(reference_summary, lang):
    summary = copy.deepcopy(reference_summary)
    summary["language"] = lang
    html = str(movedpage.changes_tables(summary))
    changes = summary["effect_monitor"]["changes"]
    assert html.count("<table>") == len(changes)
    for c in changes:
        body = html.split(f"{c['from']} → {c['to']}", 1)[1].split("</table>", 1)[0]
        assert body.count("<tr>") == len(c["by_product_group"]) + 2  # header, groups, sum
        assert signed_tonnes(c["parts"]["intensity_t"]["central"], lang) in body


def test_one_period_shows_no_section(reference_summary):
    summary = copy.deepcopy(reference_summary)
    summary["effect_monitor"]["changes"] = []
    assert str(movedpage.changes(summary)) == ""
    assert str(movedpage.changes_tables(summary)) == ""


@pytest.mark.parametrize(("lang", "words"), [("en", "From {a} to {b} the footprint changed by"),
                                             ("nl", "Van {a} tot {b} veranderde de voetafdruk")])
def test_the_footprints_years_say_why_they_moved(reference_summary, lang, words):
    """A sentence per spend year after the first, in the page's language."""
    from effectmodel.report import spendpage

    summary = copy.deepcopy(reference_summary)
    summary["language"] = lang
    html = str(spendpage.spend_impact(summary))
    years = [y["year"] for y in summary["spend_impact"]["years"]]
    for a, b in zip(years, years[1:], strict=False):
        assert words.format(a=a, b=b) in html
