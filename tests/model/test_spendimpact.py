"""Spend and impact: the footprint of spend per group and year times an intensity per euro,
by hand on the tiny project; its Monte Carlo means against the known means of a lognormal
spend and a PERT intensity; the monitor's share draw by draw; bad input in one line."""

from __future__ import annotations

import numpy as np
import pytest

import effectmodel as em
from conftest import ERROR_LINE, RTOL_EXACT, copy_project
from effectmodel.cli import main
from effectmodel.model import spendimpact

INTENSITIES = """group,indicator,intensity_dist,intensity_low,intensity_mode,intensity_high,source
a,co2_eq,fixed,0.5,0.5,0.5,assumption: test
b,co2_eq,pert,0.1,0.2,0.6,assumption: test
a,land_use,fixed,2,2,2,assumption: test
"""
SPEND = """group,name_en,name_nl,spend_eur,relative_uncertainty,source
a,group A,groep A,1000,0,assumption: test
b,group B,groep B,3000,0.2,assumption: test
"""


def project(tmp_path, spend: bool, period: str | None = "2019-2020", n_draws: int = 200):
    params = copy_project(tmp_path / "p") / "variants" / "tiny-criteria.yaml"
    data = params.parent.parent / "data"
    (data / "spend_intensities.csv").write_text(INTENSITIES)
    lines = ["  spend_intensities: ../data/spend_intensities.csv"]
    if spend:
        (data / "spend.csv").write_text(SPEND)
        lines.append("  spend: ../data/spend.csv")
    text = params.read_text().replace(
        "  published_indicators: ../data/published_indicators.csv\n",
        "  published_indicators: ../data/published_indicators.csv\n" + "\n".join(lines) + "\n")
    text = text.replace("n_draws: 200", f"n_draws: {n_draws}")
    if period:
        text += f"spend_impact:\n  period: \"{period}\"\n"
    params.write_text(text)
    return params


def summary(params, **overrides):
    p = em.load_params(params, overrides=overrides)
    i = em.load_inputs(p)
    ds = em.evaluate(p, i)
    return ds, em.summarise(ds, p, i)


def test_the_frame_totals_per_year_by_hand(tmp_path):
    """Without a spend table: the frame totals of 2019-2020 per year, a 1,000 / 2 = 500 and
    b 2,000 / 2 = 1,000 EUR; CO2-eq at the modes 500 x 0.5 + 1,000 x 0.2 = 450 kg = 0.45 t;
    land use only for a: 500 x 2 = 1,000 m2a."""
    ds, s = summary(project(tmp_path, spend=False))
    si = s["spend_impact"]
    assert (si["period"], si["spend_from"]) == ("2019-2020", "frame_totals")
    co2 = next(i for i in si["indicators"] if i["id"] == "co2_eq")
    assert co2["central"] == pytest.approx(0.45, rel=RTOL_EXACT)
    land = next(i for i in si["indicators"] if i["id"] == "land_use")
    assert land["central"] == pytest.approx(1000.0, rel=RTOL_EXACT) and land["n_groups"] == 1
    names = [(g["name_en"], g["spend_eur"]) for g in si["groups"]]
    assert names == [("group A", 500.0), ("group B", 1000.0)]
    assert si["groups"][1]["footprint"]["land_use"] is None


@pytest.mark.slow
def test_monte_carlo_means_match_the_distributions(tmp_path):
    """A spend table: a 1,000 EUR fixed at 0.5 kg/EUR; b 3,000 EUR with a lognormal error of
    log-sd 0.2 (mean factor exp(0.02)) and a PERT(0.1, 0.2, 0.6) intensity (mean (0.1 + 0.8 +
    0.6) / 6 = 0.25), independent: mean footprint 0.5 + 3 x exp(0.02) x 0.25 t. The mean of
    20,000 draws lies within 4 standard errors of it."""
    ds, s = summary(project(tmp_path, spend=True, n_draws=20_000))
    want = 0.5 + 3 * np.exp(0.02) * 0.25
    total = np.nansum(ds["si_co2_eq"].values, axis=1)
    se = total.std(ddof=1) / np.sqrt(total.size)
    assert abs(total.mean() - want) < 4 * se
    assert s["spend_impact"]["indicators"][0]["central"] == pytest.approx(
        0.5 + 3 * 0.2, rel=RTOL_EXACT)
    assert np.all(ds["si_co2_eq"].values[:, 0] == pytest.approx(0.5, rel=RTOL_EXACT))


@pytest.mark.slow
def test_the_monitor_share_is_taken_draw_by_draw(tmp_path):
    """Like for like by default: the lifetime effect of 2019-2020 over its 2 years, over
    one year's footprint (central: over 0.5 + 3 x 0.2 = 1.1 t); the per-calendar-year share
    beside it, each draw by draw; the other basis on request."""
    ds, s = summary(project(tmp_path, spend=True))
    share = s["spend_impact"]["monitor_share"]
    total = np.nansum(ds["si_co2_eq"].values, axis=1)
    lifetime = ds["period_total_t"].sel(period="2019-2020").values / 2 / total
    calendar = ds["period_total_t_per_year"].sel(period="2019-2020").values / total
    assert share["basis"] == "per_tendering_year"
    assert share["median"] == pytest.approx(float(np.median(lifetime)), rel=RTOL_EXACT)
    assert share["central"] == pytest.approx(
        float(ds["period_central_t"].sel(period="2019-2020")) / 2 / 1.1, rel=RTOL_EXACT)
    other = share["bases"]["per_calendar_year"]
    assert other["median"] == pytest.approx(float(np.median(calendar)), rel=RTOL_EXACT)
    assert other["central"] == pytest.approx(
        float(ds["period_central_t_per_year"].sel(period="2019-2020")) / 1.1, rel=RTOL_EXACT)
    _, s2 = summary(project(tmp_path / "b", spend=True),
                    **{"spend_impact.share_basis": "per_calendar_year"})
    assert s2["spend_impact"]["monitor_share"]["basis"] == "per_calendar_year"
    assert s2["spend_impact"]["monitor_share"]["median"] == pytest.approx(other["median"],
                                                                          rel=RTOL_EXACT)


def test_asking_for_the_footprint_changes_no_monitor_draw(tmp_path):
    with_si, _ = summary(project(tmp_path / "a", spend=True))
    plain = em.load_params(copy_project(tmp_path / "b" / "p") / "variants" /
                           "tiny-criteria.yaml")
    without = em.evaluate(plain, em.load_inputs(plain))
    np.testing.assert_array_equal(with_si["period_total_t"], without["period_total_t"])


@pytest.mark.parametrize(("change", "said"), [
    (lambda d: (d / "spend_intensities.csv").write_text(
        INTENSITIES.replace("b,co2_eq,pert,0.1,", "b,co2_eq,pert,-0.1,")),
     "intensity_low[line 3]: out of range: '-0.1' (allowed: a number >= 0, at most 1e15)"),
    (lambda d: (d / "spend.csv").write_text(SPEND + "c,group C,groep C,10,0,x: y\n"
                                            .replace("x: y", "assumption: test")),
     "no co2_eq intensity for 1 spend group(s) of data/spend.csv: 'c'"),
    (lambda d: (d / "spend_intensities.csv").write_text(
        INTENSITIES.replace("land_use", "water")), "indicator[line 4]"),
])
def test_bad_spend_input_is_one_line(tmp_path, capsys, change, said):
    params = project(tmp_path, spend=True)
    change(params.parent.parent / "data")
    assert main(["validate", str(params)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and ERROR_LINE.match(err[0]) and said in err[0], err


def test_a_period_not_estimated_is_refused(tmp_path, capsys):
    params = project(tmp_path, spend=False, period="2031-2032")
    assert main(["validate", str(params)]) == 2
    err = capsys.readouterr().err
    assert "spend_impact.period: '2031-2032' is not estimated" in err


def test_years_of_a_period():
    assert spendimpact.period_years("2019-2020") == 2
    assert spendimpact.period_years("2019") == 1


def test_the_page_says_the_footprint_in_a_unit_it_reaches(tmp_path):
    """The tiny footprint (0.45 t CO2-eq, 1,000 m2a, on 1,500 EUR a year) in t, m2a and
    euro, not as 0.00000045 Mt; the reference's 22,000,000 t as 22.0 Mt."""
    import re

    from effectmodel.report import spendpage

    _, s = summary(project(tmp_path, spend=False))
    text = re.sub(r"<[^>]+>", " ", str(spendpage.spend_impact(s)))
    assert "Public buyers spend 1,500 euro a year in 2 groups" in text
    assert re.search(r"footprint of 0\.\d+ t CO2-eq a year", text)
    assert "Its land use is 1,000 m2a a year" in text
    assert spendpage.unit_for("co2_eq", 22_000_000.0) == ("Mt CO2-eq", 1e-6)
    assert spendpage.unit_for("raw_materials", 999.0) == ("t", 1.0)


SPEND_YEARS = """year,group,name_en,name_nl,spend_eur,relative_uncertainty,source
2019,a,group A,groep A,1000,0,assumption: test
2019,b,group B,groep B,3000,0.2,assumption: test
2021,a,group A,groep A,2000,0,assumption: test
2021,b,group B,groep B,1000,0,assumption: test
"""


def years_project(tmp_path, n_draws: int = 2_000):
    params = project(tmp_path, spend=True, n_draws=n_draws)
    (params.parent.parent / "data" / "spend.csv").write_text(SPEND_YEARS)
    return params


@pytest.mark.slow
def test_a_calibrated_median_lands_on_its_figure(tmp_path):
    """calibrate.co2_eq 2 t: the draws' median total is 2 t to rounding, and the modes,
    intensities and every draw are scaled by the one factor the summary reports; without
    it the factor is 1 (the data's intensities as given)."""
    plain, s0 = summary(years_project(tmp_path / "a"))
    ds, s = summary(years_project(tmp_path / "b"), **{"spend_impact.calibrate.co2_eq": 2.0})
    co2 = s["spend_impact"]["indicators"][0]
    factor = co2["calibration"]["factor"]
    assert co2["total"]["median"] == pytest.approx(2.0, rel=1e-12)
    assert co2["calibration"] | {"factor": 0} == {"statistic": "median", "target": 2.0,
                                                 "factor": 0, "source": None}
    assert s0["spend_impact"]["indicators"][0]["calibration"] is None
    assert float(plain["si_co2_eq_calibration"]) == 1.0
    np.testing.assert_allclose(ds["si_co2_eq"].values, plain["si_co2_eq"].values * factor,
                               rtol=1e-12)
    assert co2["central"] == pytest.approx(
        s0["spend_impact"]["indicators"][0]["central"] * factor, rel=1e-12)
    land = s["spend_impact"]["indicators"][1]
    assert land["id"] == "land_use" and land["calibration"] is None


@pytest.mark.slow
def test_spend_per_year_by_hand(tmp_path):
    """Two years: the footprint's year is the one inside 2019-2020 (2019); 2021 at the modes
    2,000 x 0.5 + 1,000 x 0.2 = 1,200 kg = 1.2 t on 3,000 EUR. Its draws use 2019's
    intensities: with both spends fixed in 2021, each draw is 1.0 t (a at 0.5 kg/EUR) plus
    b's drawn intensity [kg/EUR] x 1,000 EUR."""
    ds, s = summary(years_project(tmp_path))
    si = s["spend_impact"]
    assert si["year"] == "2019" and [g["spend_eur"] for g in si["groups"]] == [1000.0, 3000.0]
    assert [y["year"] for y in si["years"]] == ["2019", "2021"]
    y21 = si["years"][1]
    assert y21["spend_eur"]["central"] == pytest.approx(3000.0, rel=RTOL_EXACT)
    assert y21["footprint"]["co2_eq"]["central"] == pytest.approx(1.2, rel=RTOL_EXACT)
    b_intensity = ds["si_co2_eq"].values[:, 1] / ds["si_spend_eur"].values[:, 1] / 1e-3
    np.testing.assert_allclose(ds["si_year_co2_eq"].values[:, 1], 1.0 + b_intensity,
                               rtol=1e-12)
    np.testing.assert_allclose(ds["si_year_co2_eq"].values[:, 0],
                               np.nansum(ds["si_co2_eq"].values, axis=1), rtol=1e-12)
    _, s21 = summary(years_project(tmp_path / "c"), **{"spend_impact.year": "2021"})
    assert s21["spend_impact"]["indicators"][0]["central"] == pytest.approx(1.2,
                                                                           rel=RTOL_EXACT)


def test_a_bad_year_is_one_line(tmp_path, capsys):
    params = years_project(tmp_path)
    (params.parent.parent / "data" / "spend.csv").write_text(
        SPEND_YEARS.replace("2021,a", "21,a"))
    assert main(["validate", str(params)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "year[line 4]" in err[0] and "four digits" in err[0], err


@pytest.mark.parametrize("rho", [0.0, 0.3, 0.5, 0.9, 1.0])
def test_the_copula_gives_its_correlation_and_keeps_the_margins(rho):
    """The normal scores of :func:`correlated` correlate rho within 4 SE (of a correlation,
    (1 - rho^2) / sqrt(n)), and each column stays uniform (its mean 1/2 within 4 SE)."""
    from scipy.special import ndtri

    rng = np.random.default_rng(7)
    n = 40_000
    u = spendimpact.correlated(rng.random((n, 3)), rng.random(n), rho)
    z = ndtri(np.clip(u, 1e-12, 1 - 1e-12))
    r = np.corrcoef(z[:, 0], z[:, 2])[0, 1]
    assert abs(r - rho) <= 4 * max(1 - rho ** 2, 1e-3) / np.sqrt(n) + 1e-9
    assert np.all(np.abs(u.mean(axis=0) - 0.5) < 4 * np.sqrt(1 / 12 / n))


def test_a_shared_error_widens_the_total(tmp_path):
    """Two uncertain intensities (a and b both PERT): the total's 90% range at correlation
    0 < 0.5 < 1, as a sum of positively dependent terms must; the median moves little."""
    params = project(tmp_path, spend=True, n_draws=4_000)
    (params.parent.parent / "data" / "spend_intensities.csv").write_text(
        INTENSITIES.replace("a,co2_eq,fixed,0.5,0.5,0.5", "a,co2_eq,pert,0.2,0.5,1.5"))
    _, s = summary(params)
    by = s["spend_impact"]["indicators"][0]["by_correlation"]
    assert [b["correlation"] for b in by] == [0.0, 0.5, 1.0]
    widths = [b["high"] - b["low"] for b in by]
    assert widths[0] < widths[1] < widths[2], widths
    assert s["spend_impact"]["intensity_correlation"] == 0.5


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_page_names_the_share_basis_the_calibration_and_the_years(tmp_path, lang):
    """The spend section says which basis the share is on, with the other beside it; the
    calibration's figure and factor; the ranges at correlation 0 and 1; and a chart and a
    table of both years, in the page's language."""
    import re

    from effectmodel.report import spendpage

    _, s = summary(years_project(tmp_path), **{"spend_impact.calibrate.co2_eq": 2.0,
                                               "language": lang})
    html = str(spendpage.spend_impact(s))
    assert html.count("<figure") == 1 and "<svg" in html
    text = re.sub(r"\s+", " ", re.sub(r"<svg.*?</svg>|<[^>]+>", " ", html, flags=re.S))
    words = {"en": ("like for like", "Counted per calendar year", "so that the median is 2 t",
                    "independent errors would give", "Year"),
             "nl": ("gelijk met gelijk", "Per kalenderjaar", "zodat de mediaan 2 t",
                    "onafhankelijke fouten gaven", "Jaar")}[lang]
    for w in words:
        assert w in text, (w, text)
    factor = s["spend_impact"]["indicators"][0]["calibration"]["factor"]
    assert spendpage.number(factor, lang, 3) in text
    rows = re.findall(r"<tr><th[^>]*>(20\d\d)</th>", html)
    assert rows == ["2019", "2021"], rows
