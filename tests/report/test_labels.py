"""Labels a reader sees: exact tick labels, inputs named from the data in the page's
language, captions that add to the chart's title, readable keys on the reports index."""

from __future__ import annotations

import html as html_module
import json
import re

import pytest

from conftest import ROOT
from effectmodel.report.changes import index_page
from effectmodel.report.plotting import LocalFormatter, tick_decimals


@pytest.mark.parametrize("locs, decimals", [
    ([-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1], 2),
    ([0, 0.2, 0.4, 0.6], 1), ([0, 2000, 4000], 0), ([1e6, 2.5e6], 0), ([0.125, 0.25], 3)])
def test_tick_labels_are_exact(locs, decimals):
    assert tick_decimals(locs) == decimals
    fmt = LocalFormatter("nl")
    fmt.set_locs(locs)
    labels = [fmt(x) for x in locs]
    # every label reads back as its tick (Dutch: decimal comma, − for minus)
    back = [float(s.replace(".", "").replace(",", ".").replace("−", "-")) for s in labels]
    assert back == pytest.approx(locs, abs=1e-12)


@pytest.mark.parametrize("lang, decimal, thousands", [("en", ".", ","), ("nl", ",", ".")])
@pytest.mark.parametrize("scale", ["log", "symlog"])
def test_log_axes_label_their_ticks_as_the_catalogue_writes_numbers(lang, decimal, thousands,
                                                                    scale):
    """A product-group chart's log (or symlog) axis: plain numbers in the page's format, the
    sign kept, no power of ten set as mathtext ($10^{3}$)."""
    import io

    from effectmodel.report import plotting

    ax = plotting.new_axes((5.0, 2.0))
    ax.errorbar([-50.0 if scale == "symlog" else 0.5, 20.0, 3000.0], [0, 1, 2], fmt="o")
    ax.set_xscale(scale, **({"linthresh": 1.0} if scale == "symlog" else {}))
    plotting.localise(ax, lang, "x")
    ax.figure.savefig(io.StringIO(), format="svg")
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert not any("$" in x for x in labels)
    assert f"1{thousands}000" in labels
    assert ("−10" in labels and "0" in labels) if scale == "symlog" else f"0{decimal}1" in labels
    back = [float(x.replace(thousands, "").replace(decimal, ".").replace("−", "-"))
            for x in labels]
    ticks = [t.get_position()[0] for t in ax.get_xticklabels() if t.get_text()]
    assert back == pytest.approx(ticks, rel=1e-12)


REFERENCE = {"en": ROOT / "reports" / "reference", "nl": ROOT / "reports" / "reference-nl"}


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_drivers_are_named_from_the_data(lang):
    s = json.loads((REFERENCE[lang] / "summary.json").read_text())
    row = next(r for r in s["drivers"]["buyer_groups"] if r["item"] == "T-wegen-1")
    # the tender's description (data/buyer_group_tenders.csv), its group's Dutch name
    # (data/buyer_groups.csv)
    assert row["name_en"] == "Provincial roads, low-temperature asphalt (T-wegen-1)"
    assert row["name_nl"] == "Duurzame wegverhardingen (T-wegen-1)"
    page = (REFERENCE[lang] / "annex-buyer-groups.html").read_text(encoding="utf-8")
    want = {"en": "Provincial roads, low-temperature asphalt (T-wegen-1): award",
            "nl": "Duurzame wegverhardingen (T-wegen-1): contractopname"}[lang]
    assert want in page
    assert ">T-wegen-1: " not in page  # never the raw id alone


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_captions_add_to_the_chart_titles(lang):
    from effectmodel.report.i18n import TEXT

    page = (REFERENCE[lang] / "index.html").read_text(encoding="utf-8")
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", page, re.S)
    titles = {v.split("{")[0] for k, v in TEXT[lang].items() if k.endswith("_title")}
    assert len(captions) >= 5
    for c in captions:
        assert len(c) > 60, c  # a sentence on what the marks mean
        assert not any(c.startswith(t_) for t_ in titles if len(t_) > 10), c


def test_the_index_names_figures_in_words():
    html = index_page([{"name": "reference", "href": "reference/index.html",
                        "kind": "params", "status": "current",
                        "figures": {"bg_median": 41223.4, "period_median:2019-2020": 6.8e6}},
                       {"name": "award-grid", "href": "award-grid/index.html",
                        "kind": "sweep", "status": "current",
                        "figures": {"sweep_max:bg_total_t": 48302.8}}])
    assert "buyer groups, risk-adjusted median [t]: 41,223" in html
    assert "effect monitor 2019-2020, median [t]: 6,800,000" in html
    assert ("buyer groups, risk-adjusted [t CO2-eq]: largest median over the scenarios: "
            "48,303") in html
    assert "bg_median" not in html and "sweep_max" not in html


def test_the_index_writes_each_reports_figures_as_its_page_does():
    """A Dutch report's headline on the index reads as on its page (17.000 t, not 17,000),
    marked Dutch on an English index; an index of Dutch reports only is Dutch throughout."""
    nl = {"name": "studie", "href": "studie/index.html", "kind": "params",
          "status": "current", "lang": "nl",
          "figures": {"bg_median": {"value": 17123.4, "step": 1000.0}}}
    en = {**nl, "name": "study", "href": "study/index.html", "lang": "en"}
    mixed = index_page([en, nl])
    assert '<html lang="en">' in mixed
    assert "buyer groups, risk-adjusted median [t]: 17,000" in mixed
    dutch = re.search(r'<ul lang="nl">(.*?)</ul>', mixed).group(1)
    assert ": 17.000</li>" in dutch and "17,000" not in dutch
    only = index_page([nl])
    assert '<html lang="nl">' in only and 'ul lang=' not in only
    assert ": 17.000</li>" in only and "17,000" not in only


@pytest.mark.parametrize("stats_, step, median", [
    # three significant figures of the largest value, at a step the Monte Carlo error stays
    # below (the power of ten at or above it)
    ({"median": 4649799.1, "low": 2685278.0, "high": 7857018.0, "mc_error": 19172.9},
     100_000, "4,600,000"),
    ({"median": 41223.4, "low": 25331.0, "high": 56479.0, "mc_error": 112.6}, 1000, "41,000"),
    ({"median": 41223.4, "low": 25331.0, "high": 56479.0, "mc_error": 92.6}, 100, "41,200"),
    ({"median": 41223.4, "low": 25331.0, "high": 56479.0, "mc_error": 1500.0}, 10_000,
     "40,000"),
    ({"median": 12.3, "low": 10.2, "high": 15.9, "mc_error": 0.0}, 1, "12"),
])
def test_figures_are_shown_at_their_real_precision(stats_, step, median):
    from effectmodel.report.briefing import median as shown_median
    from effectmodel.report.briefing import step_of

    assert step_of(stats_) == step
    assert shown_median(stats_, "en") == median


def test_pages_do_not_show_seven_digit_figures():
    """The review saw '4,649,799 (2,685,278–7,857,018)' with a Monte Carlo error of 19,000;
    the figures now end where their precision does."""
    s = json.loads((REFERENCE["en"] / "summary.json").read_text())
    p = s["effect_monitor"]["periods"][0]["total_t"]
    for page in ("index.html", "annex-monitor.html"):
        html = (REFERENCE["en"] / page).read_text(encoding="utf-8")
        assert f"{round(p['median']):,}" not in html
    from effectmodel.report.formatting import median

    shown = median(p, "en")  # three significant figures, e.g. 4,640,000
    assert re.fullmatch(r"\d,\d{2}0,000", shown), shown
    assert shown in (REFERENCE["en"] / "index.html").read_text(encoding="utf-8")


def test_the_headline_says_what_the_numbers_hold():
    """Calibration said, households as annual emissions against lifetime reductions, the
    chance of reaching the as-planned figure, zero lower bounds explained, the published
    unit as published, and no totals projection from 4 points across a scope change."""
    html = (REFERENCE["en"] / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", html)
    s = json.loads((REFERENCE["en"] / "summary.json").read_text())
    reach = 1 - s["buyer_groups"]["probability_below_as_planned"]
    # 4 of 10,000 draws: not shown as 0% (its first significant digit kept)
    assert 0 < reach < 0.001
    assert f"In {100 * reach:.2f}% of the draws the risk-adjusted total reaches" in text
    assert "A median of 0 t means that this happened in at least half of the draws." in text
    # the headline states one household convention, once, under its table: lifetime
    # reductions against a year's household emissions, the factor with basis and publication
    head = html_module.unescape(text[text.index("Headline figures"):text.index("Quantity")])
    assert ("Households: the figure over the contracts' lifetime divided by what one household "
            "emits in a year (4.22 t, direct emissions; RIVM Buyer groups briefrapport") in head
    assert "per year" not in head and "127,000" not in head
    # the buyer groups' section gives the figure as planned; the monitor's the figure per year
    assert ("As planned, RIVM's method gives 80,125 t over the contracts' lifetime: as much as "
            "about 19,000 households emit in a year (4.22 t per household per year, direct "
            "emissions") in text
    assert ("the annual emissions of about 127,000 households (19.7 t per household per year, "
            "greenhouse gases households emit each year; RIVM effect MVI 2019-2020)") in text
    # the periods chart's caption says what it draws: three lower bounds, as the table marks
    assert "For 2015-2016, 2019-2020, 2021-2022 RIVM published a lower bound." in text
    assert text.count("≥ ") == 3
    assert "log-linear projection" not in text  # none drawn: 4 points across a scope change
    # the two rank-correlation captions differ, and the monitor's says what bars cannot show
    assert "with the buyer-group total over" in text and "with the monitor total of 2019-2020"\
        in text and "no bar shows it" in text
    assert "The data are calibrated so that the central estimate reproduces" in text
    assert "RIVM published at least 6.8 Mt CO2-eq for 2019-2020." in text  # as published
    assert "A range that starts at 0 t means" in text
    assert ("The totals are not projected: 4 periods leave 2 residual degrees of freedom"
            in text)
    # one sentence per part: its figure and range, at the table's values; the low sits on
    # the draws at 0 (about 7% of them, cancellations included), said beside it
    assert ("reduce 22,000 t CO2-eq over the contracts' lifetime (90% range 0 t to 51,000 t; "
            "0 in 6.6% of the draws)") in text


def test_the_settings_name_the_changes_split():
    """monitor.changes on the settings table: its pairs with arrows, or each period and the
    next where the params leave it to the default."""
    from effectmodel.report.settings import value_text

    assert value_text("monitor.changes", None, "en") == "each period and the next"
    assert value_text("monitor.changes", None, "nl") == "elke periode en de volgende"
    assert value_text("monitor.changes", [["2015-2016", "2021-2022"], ["2019-2020", "2021-2022"]],
                      "en") == "2015-2016 → 2021-2022, 2019-2020 → 2021-2022"
