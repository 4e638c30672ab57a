"""Words on a page come from the data and the params, never from what the reference data
happen to be: the params' notes, and RIVM's figure only where one was published."""

from __future__ import annotations

import copy

import pytest

import effectmodel as em
from effectmodel.report import briefing
from effectmodel.report.i18n import t


@pytest.fixture(scope="module")
def summary(tmp_path_factory):
    from conftest import copy_project

    params = copy_project(tmp_path_factory.mktemp("w") / "tiny") / "params" / "tiny.yaml"
    p = em.load_params(params, n_draws=200)
    i = em.load_inputs(p)
    return em.summarise(em.evaluate(p, i), p, i)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_without_notes_the_header_says_nothing_about_the_data(summary, lang):
    s = {**summary, "language": lang}
    assert s["notes"] == {"en": None, "nl": None}
    html = str(briefing.header(s))
    assert f'<p class="note">{t("units_note", lang)}</p>' in html
    for word in ("synthetic", "synthetisch", "reference data", "referentiedata"):
        assert word not in html


def test_the_notes_of_the_params_in_the_pages_language(summary):
    notes = {"en": "Our frame totals are estimates.", "nl": "Onze inkoopvolumes zijn schattingen."}
    for lang in ("en", "nl"):
        html = str(briefing.header({**summary, "language": lang, "notes": notes}))
        assert notes[lang] in html and notes["nl" if lang == "en" else "en"] not in html


def test_no_clause_on_rivms_figure_where_none_was_published(summary):
    """RIVM's figure of the headline period is said under the monitor's heading where RIVM
    published one, and nothing is said of it where it did not; the headline's sentence
    carries the model's figure only (one number and its range)."""
    s = copy.deepcopy(summary)
    latest = s["effect_monitor"]["periods"][-1]
    assert "<p>RIVM published" in str(briefing.monitor(s))  # the tiny project's has one
    head = str(briefing.headline(s))
    said = head[head.index("The MVI effect monitor counts"):]
    assert "RIVM published" not in said[:said.index(".")]
    latest["published_t"] = None
    latest["published_bound"] = None
    assert "<p>RIVM published" not in str(briefing.monitor(s))
    s["language"] = "nl"
    assert "<p>Het RIVM publiceerde" not in str(briefing.monitor(s))


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_trend_with_nothing_to_show_says_why_in_one_line(summary, lang):
    s = copy.deepcopy({**summary, "language": lang})
    mon = s["effect_monitor"]
    mon["periods"] = mon["periods"][-1:]
    mon["trend"] = {"adoption": {"model": None, "note": "needs at least two periods"},
                    "totals": {"model": None}}
    text = str(briefing.trend(s))
    assert text.count("<p>") == 1 and "<svg" not in text
    assert t("trend_none", lang, n=1) in text.replace("&#39;", "'")


def test_no_empty_tornado_chart(summary):
    s = copy.deepcopy(summary)
    s["drivers"]["buyer_groups"] = []
    s["variance_budget"] = None  # its charts are not tornado charts
    text = str(briefing.drivers(s))
    assert text.count("<svg") == 1  # the monitor's chart only
    assert t("tornado_none", "en", title=t("tornado_title", "en")) in text.replace("&#39;", "'")


def test_a_total_that_varies_by_rounding_only_has_no_budget():
    """The sum of fixed inputs can differ in its last bits from draw to draw; that is no
    variance to share out (it gave 100% per source and -400% interactions)."""
    import numpy as np

    from effectmodel.model import budget

    rng = np.random.default_rng(1)

    def jitter():
        return 1234.5 * (1 + 1e-16 * rng.standard_normal(1000))
    assert budget.budget_of(jitter(), jitter(), {"a": jitter(), "b": jitter()}) is None
    y_a = jitter() * (1 + 0.1 * rng.standard_normal(1000))
    real = budget.budget_of(y_a, jitter() * (1 + 0.1 * rng.standard_normal(1000)),
                            {"a": jitter(), "b": jitter()})
    assert real is not None and set(real["groups"]) == {"a", "b"}


def test_a_figure_that_does_not_vary_has_no_range():
    from effectmodel.report.formatting import span

    fixed = {"mean": 0.0, "median": 0.0, "low": 0.0, "high": 0.0, "mc_error": 0.0}
    assert span(fixed, "en") == span(fixed, "nl") == "–"
    varies = {"mean": 5.0, "median": 5.0, "low": 1.0, "high": 9.0, "mc_error": 0.1}
    assert span(varies, "en") == "1 – 9"


def test_what_changed_shows_an_exact_figure_exactly():
    """An as-planned total has no Monte Carlo error: the page shows 80,125 as the headline
    does, not 80,100; a Monte Carlo figure keeps the step of its error."""
    from effectmodel.report.changes import what_changed_html

    ch = {"inputs": [], "figures": [
        {"figure": "bg_as_planned", "old": 80000.0, "new": 80125.0, "difference": 125.0,
         "se": None, "low": None, "high": None, "reading": "real"},
        {"figure": "bg_median", "old": 37253.4, "new": 24398.8, "difference": -12854.6,
         "se": 210.0, "low": -13300.0, "high": -12400.0, "reading": "real"}]}
    html = str(what_changed_html(ch, "en"))
    assert "80,125" in html and "+125" in html and "80,100" not in html
    assert "24,000" in html and "24,398" not in html


def test_an_indicator_row_says_whether_rivm_is_reproduced():
    """RIVM's figure in the table's unit and the page's number format; model over RIVM on the
    same basis (per year where RIVM published per year), marked outside 0.5-2, with two
    significant digits; 'not computed' where no criterion of the period has a factor."""
    from effectmodel.report.briefing import _indicator_row

    stats_ = {"mean": 1.0, "median": 1100.0, "low": 700.0, "high": 1900.0, "mc_error": 10.0}
    p = {"period": "2017-2018", "central": 1114.0, "central_per_year": 300.0,
         "total": stats_, "total_per_year": None, "n_criteria": 5,
         "published": {"value": 46281.0, "label": "NOx -46,281 kg", "basis": "not stated",
                       "bound": None}}
    row = _indicator_row(p, "nl")
    assert row[1] == "46.281" and row[3] == "0,024 (niet gereproduceerd)"
    per_year = {**p, "published": {"value": 300.0, "label": "x", "basis": "per year",
                                   "bound": None}}
    row = _indicator_row(per_year, "en")
    assert row[1] == "300 (per year)" and row[3] == "1.00"
    none = _indicator_row({**p, "n_criteria": 0, "published": None}, "en")
    assert none[2] == none[4] == "not computed" and none[1] == "–"


def test_a_range_on_a_mass_at_0_says_its_share_and_only_there():
    """Beside a range that starts on the draws at 0: their share to a tenth of a percent
    (4.5%, not '4%' beside a 5% bound); nothing beside a range that does not."""
    from effectmodel.report.formatting import zero_clause, zero_mark, zero_rows_note

    on = {"mean": 5.0, "median": 4.0, "low": 0.0, "high": 9.0, "mc_error": 0.1,
          "at_zero": 0.0446}
    off = {"mean": 5.0, "median": 4.0, "low": 1.0, "high": 9.0, "mc_error": 0.1}
    assert zero_clause(on, "en") == "; 0 in 4.5% of the draws"
    assert zero_clause(on, "nl") == "; 0 in 4,5% van de trekkingen"
    assert zero_clause(off, "en") == "" and zero_mark(off) == "" and zero_mark(on) == " ‡"
    rows = [{"name_en": "a", "name_nl": "a", "reduction_t": on},
            {"name_en": "b", "name_nl": "b", "reduction_t": off}]
    note = zero_rows_note(rows, "reduction_t", "en")
    assert note.startswith("‡ ") and "a 4.5%" in note and "b " not in note
    assert zero_rows_note(rows[1:], "reduction_t", "en") is None


def test_the_page_says_which_reading_of_unclear_is_the_low_one():
    """The review: 'not counted' is the low reading, missing at random gives +45% on the
    buyer-group median and 'expected' +32% on the monitor's 2019-2020, and no sentence said
    so. The figures from the reference's summary, both other readings of the project's one
    ``unclear`` named; another run's option reads as such."""
    import json

    from conftest import ROOT
    from effectmodel.report.formatting import unclear_bg, unclear_monitor

    s = json.loads((ROOT / "reports" / "reference" / "summary.json").read_text())
    bg = s["buyer_groups"]
    row = next(r for r in bg["risk_readings"]["rows"] if r["id"] == "unclear_missing_at_random")
    rel = row["median"] / bg["total_t"]["median"] - 1
    assert 0.3 < rel < 0.6
    said = unclear_bg(s, "en")
    assert said.startswith("Not counting unclear outcomes, as RIVM does, is the low reading")
    assert f"read as missing at random (+{round(100 * rel)}%)" in said
    counted = next(r for r in bg["risk_readings"]["rows"] if r["id"] == "unclear_counted")
    assert counted["median"] > row["median"]
    assert f"read as counted (+{round(100 * (counted['median'] / bg['total_t']['median'] - 1))}%)" \
        in said
    p = next(p for p in s["effect_monitor"]["periods"] if p["period"] == "2019-2020")
    expected = p["central_by_unclear_t"]["expected"] / p["central_t"] - 1
    said = unclear_monitor(s, "nl")
    assert "de lage lezing" in said and f"{round(100 * expected)}% hoger" in said
    other = copy.deepcopy(s)
    other["buyer_groups"]["risk"]["unclear"] = "missing_at_random"
    mine = next(r for r in other["buyer_groups"]["risk_readings"]["rows"]
                if r["id"] == "unclear_missing_at_random")
    mine["id"], mine["median"] = "unclear_not_counted", 0.7 * bg["total_t"]["median"]
    assert "(−30%)" in unclear_bg(other, "en") and "not counted" in unclear_bg(other, "en")
    other["params"]["unclear"] = "missing_at_random"
    assert "low reading" not in unclear_monitor(other, "en")
