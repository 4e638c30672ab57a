"""The monitor as RIVM runs it: criteria per tender, sub-strata with frame counts, unclear
criteria, the finite-population correction, strata without a counted effect, per-year
figures. Hand-computed answers, worked out in the docstrings (docs/model.md, section 2)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import numpy as np
import pytest
from scipy import special

import effectmodel as em
from conftest import ROOT, RTOL_EXACT, copy_project, with_period
from effectmodel.model import engine, summary
from effectmodel.model import monitor as mon


@pytest.fixture
def project(tmp_path):
    """The tiny project in the criteria format (tests/data/tiny/variants/tiny-criteria.yaml:
    data.criteria and data.sub_strata); every input fixed, no resampling."""
    return copy_project(tmp_path / "p") / "variants" / "tiny-criteria.yaml"


#: translation factors at their modes, frame totals as given: only what a test draws varies
FIXED = {"monitor.emission_factor_uncertainty": False, "monitor.frame_total_uncertainty": False}


def monitor(params, n_draws=None, reading=None, **overrides):
    """The monitor's draws; ``reading``: its own reading of unclear tests (none, expected,
    drawn, all), where the project's ``unclear`` offers three of them."""
    p = em.load_params(params, overrides={**FIXED, **overrides}, n_draws=n_draws)
    if reading is not None:
        p = dataclasses.replace(p, monitor=dataclasses.replace(p.monitor, unclear=reading))
    return mon.evaluate_monitor(p, em.load_inputs(p))


def test_the_project_unclear_sets_the_monitor_reading(project):
    """One key for the project: not_counted reads unclear tests as none (RIVM), missing at
    random draws them, counted takes them all; the old monitor key is refused."""
    for rule, reading in (("not_counted", "none"), ("missing_at_random", "drawn"),
                          ("counted", "all")):
        p = em.load_params(project, overrides={"unclear": rule})
        assert p.monitor.unclear == reading
        if p.buyer_groups is not None:
            assert p.buyer_groups.unclear == rule
    with pytest.raises(em.InputError, match="monitor.unclear: moved to the project-wide key"):
        em.load_params(project, overrides={"monitor.unclear": "all"})


def test_hand_computed_case(project):
    """2019-2020, modal factors (fa saves 1.0 - 0.4 = 0.6 t, fb 2.0 - 1.5 = 0.5 t per unit).

    Product group a has two sub-strata: s1 samples 2 of N = 4 tenders (inclusion weight
    4/2 = 2), s2 1 of 1 (weight 1). Denominator 2 x 200 + 2 x 200 + 1 x 100 = 900 EUR.
    a1 has two criteria that count: 10 x 0.6 + 5 x 0.6 = 9 t, weighted 18. a2's criterion
    (30 x 0.6 = 18 t, weighted 36) is unclear about the contract; a3's is not in it.
    - unclear counted as none: a = 18 / 900 x 1000 = 20; b = 40 x 0.5 / 400 x 2000 = 100;
      total 120;
    - by their probability (0.766): a = (18 + 0.766 x 36) / 900 x 1000 = 50.64; total 150.64;
    - all: a = 54 / 900 x 1000 = 60; total 160.
    Per year (none): a1's criteria run 5 and 10 years: (6/5 + 3/10) x 2 / 900 x 1000 = 10/3;
    b2's 4 years: 20 / 4 / 400 x 2000 = 25; total 85/3.
    By type (none): minimum 40/3 + 100, award 20/3; by ambition: basis 40/3 + 100,
    ambitious 20/3. Criteria of 2019-2020/a: 2 counted, 1 not in the contract, 1 unclear.
    """
    for option, want in (("none", 120.0), ("expected", 150.64), ("all", 160.0)):
        ds = monitor(project, reading=option)
        period = ds["period_central_t"].sel(period="2019-2020")
        assert float(period) == pytest.approx(want, rel=RTOL_EXACT), option
        # no resampling and fixed inputs: every draw is the central figure
        assert np.allclose(ds["period_total_t"].sel(period="2019-2020"), want, rtol=RTOL_EXACT)
    ds = monitor(project)
    assert float(ds["pg_central_t"].sel(stratum="2019-2020/a")) == pytest.approx(20.0)
    np.testing.assert_allclose(ds["period_central_by_unclear_t"].sel(period="2019-2020"),
                               [120.0, 150.64, 160.0], rtol=RTOL_EXACT)
    assert float(ds["period_central_t_per_year"].sel(period="2019-2020")) == \
        pytest.approx(85 / 3, rel=RTOL_EXACT)
    by_type = ds["period_central_by_type_t"].sel(period="2019-2020")
    np.testing.assert_allclose(by_type.sel(criterion_type=["minimum", "stricter", "award",
                                                           "unknown"]),
                               [40 / 3 + 100, 0, 20 / 3, 0], rtol=RTOL_EXACT, atol=1e-12)
    by_level = ds["period_central_by_ambition_t"].sel(period="2019-2020")
    np.testing.assert_allclose(by_level.sel(ambition=["basis", "significant", "ambitious"]),
                               [40 / 3 + 100, 0, 20 / 3], rtol=RTOL_EXACT, atol=1e-12)
    counts = ds["pg_n_criteria"].sel(stratum="2019-2020/a")
    assert counts.sel(criterion_class=["counted", "not_beyond_market_standard",
                                       "not_in_contract", "unclear"]).values.tolist() == \
        [2, 0, 1, 1]


def test_drawn_unclear_criteria_average_to_the_expected_figure(project):
    """Drawn, a2's criterion counts in a share 0.766 of the draws: its stratum is 20 or 60,
    and the mean is 50.64 within 4 standard errors (40 x sqrt(0.766 x 0.234 / 20,000))."""
    ds = monitor(project, n_draws=20_000, unclear="missing_at_random")
    a = ds["pg_reduction_t"].sel(stratum="2019-2020/a").values
    assert set(np.round(a, 9).tolist()) == {20.0, 60.0}
    se = 40 * np.sqrt(0.766 * 0.234 / 20_000)
    assert a.mean() == pytest.approx(50.64, abs=4 * se)


def test_finite_population_correction_shrinks_the_resampling_exactly(project):
    """In 2019-2020/a both tenders of s1 are worth 200 EUR and s2 has one tender, so the
    stratified bootstrap keeps the denominator at 900 and the estimate is linear in a1's
    weight: 20 b. The correction then moves every draw towards 20 by exactly
    sqrt(1 - 2/4) = 0.707 (the same bootstrap streams with and without it)."""
    on = monitor(project, **{"monitor.bootstrap": "bayesian"})
    off = monitor(project, **{"monitor.bootstrap": "bayesian",
                              "monitor.finite_population_correction": False})
    a_on = on["pg_reduction_t"].sel(stratum="2019-2020/a").values
    a_off = off["pg_reduction_t"].sel(stratum="2019-2020/a").values
    assert a_off.std() > 1.0  # the bootstrap moves it
    np.testing.assert_allclose(a_on - 20, np.sqrt(0.5) * (a_off - 20), rtol=0, atol=1e-9)
    # product group b has no frame counts: resampled as before, whatever the option
    np.testing.assert_array_equal(on["pg_reduction_t"].sel(stratum="2019-2020/b"),
                                  off["pg_reduction_t"].sel(stratum="2019-2020/b"))


def test_a_stratum_without_a_counted_effect_gets_the_jeffreys_bound(project):
    """2017-2018/a: its one criterion is not beyond market standard, so nothing counts among
    its n = 2 tenders. The share with an effect is Beta(1/2, 2 + 1/2); the intensity is that
    of product group a's tenders with an effect elsewhere, (1 x 6 + 2 x 9) / (1 x 100 + 2 x
    200) = 0.048 t per EUR; the frame is 1,000 EUR. So the stratum's 95% point is
    48 x I^-1(0.95; 1/2, 5/2), and 95% of 20,000 draws lie below it (within 4 standard
    errors). Its central figure stays 0, as RIVM counts; with ``zero`` it is 0 in every
    draw."""
    ds = monitor(project, n_draws=20_000, **{"monitor.bootstrap": "bayesian"})
    z = ds["pg_reduction_t"].sel(stratum="2017-2018/a").values
    bound = 48 * special.betaincinv(0.5, 2.5, 0.95)
    share = np.mean(z <= bound)
    assert share == pytest.approx(0.95, abs=4 * np.sqrt(0.95 * 0.05 / 20_000))
    assert float(ds["pg_central_t"].sel(stratum="2017-2018/a")) == 0.0
    assert bool(ds["pg_zero_effect"].sel(stratum="2017-2018/a"))
    assert z.min() >= 0 and np.median(z) > 0
    off = monitor(project, **{"monitor.bootstrap": "bayesian",
                              "monitor.zero_effect_strata": "zero"})
    assert np.all(off["pg_reduction_t"].sel(stratum="2017-2018/a").values == 0)


@pytest.mark.slow
def test_one_criterion_format_gives_the_same_figures_after_conversion(tiny, tmp_path):
    """scripts/convert_sample.py writes the criteria format; the tiny project gives the same
    summary figures from either (its hand-computed totals: 90, 170, 160 t)."""
    data = tiny.parent.parent / "data"
    out, old = tmp_path / "converted", tmp_path / "old.csv"
    old.write_bytes((data / "sampled_tenders.csv").read_bytes())
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "convert_sample.py"), str(old),
                        str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    before = monitor(tiny)
    (data / "sampled_tenders.csv").write_bytes((out / "sampled_tenders.csv").read_bytes())
    (data / "criteria.csv").write_bytes((out / "criteria.csv").read_bytes())
    tiny.write_text(tiny.read_text().replace(
        "  sampled_tenders: ../data/sampled_tenders.csv\n",
        "  sampled_tenders: ../data/sampled_tenders.csv\n  criteria: ../data/criteria.csv\n"))
    after = monitor(tiny)
    np.testing.assert_allclose(after["period_central_t"], [90.0, 170.0, 160.0],
                               rtol=RTOL_EXACT)
    np.testing.assert_array_equal(after["period_total_t"], before["period_total_t"])
    # a second run refuses to overwrite, and writes nothing
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "convert_sample.py"), str(old),
                        str(out)], capture_output=True, text=True)
    assert r.returncode == 2 and "exists" in r.stderr and "Traceback" not in r.stderr


def test_another_indicator_hand_computed(project):
    """NOx (tiny fixture: factor fa saves 3 - 1 = 2 kg per unit; fb has no NOx factor).
    2019-2020: a1's criteria 10 + 5 units x 2 kg = 30 kg, weighted 60, over 900 EUR x 1000 =
    200/3 kg; per year (10 x 2 / 5 + 5 x 2 / 10) x 2 / 900 x 1000 = 100/9 kg; b adds none.
    2015-2016: 10 x 2 / 400 x 1000 = 50 kg. 2017-2018/a counts nothing: 0 central."""
    ds = monitor(project)
    np.testing.assert_allclose(ds["nox_period_central"], [50.0, 0.0, 200 / 3],
                               rtol=RTOL_EXACT, atol=1e-12)
    assert float(ds["nox_period_central_per_year"].sel(period="2019-2020")) == \
        pytest.approx(100 / 9, rel=RTOL_EXACT)
    assert float(ds["nox_pg_central"].sel(stratum="2019-2020/b")) == 0.0
    assert engine.variable_meta("nox_period_total")[1] == "kg NOx"
    assert engine.variable_meta("nox_period_total_per_year")[1] == "kg NOx per year"


def test_a_factor_of_one_period_holds_for_that_period_only(project):
    """Rows with a ``period`` (RIVM's translation tables change between monitors): NOx of fa
    in 2019-2020 saves 6 - 1 = 5 kg per unit instead of 2, so 2019-2020 becomes
    200/3 x 5/2 = 500/3 kg (per year 100/9 x 5/2 = 250/9); 2015-2016 keeps 50 kg. CO2-eq of
    fa in 2015-2016 saves 1.2 instead of 0.6 t: a1's 10 units add 10 x 0.6 / 400 x 1000 = 15
    t more to 2015-2016, and no other period moves."""
    before = monitor(project)
    tf = project.parent.parent / "data" / "criteria_translation_factors.csv"
    tf.write_text(with_period(tf.read_text())
                  + "fa,nox,a,green,MWh,fixed,6,6,6,fixed,1,1,1,assumption: x,2019-2020\n"
                  + "fa,co2_eq,a,green,MWh,fixed,1.6,1.6,1.6,fixed,0.4,0.4,0.4,assumption: x,"
                  "2015-2016\n")
    after = monitor(project)
    np.testing.assert_allclose(after["nox_period_central"], [50.0, 0.0, 500 / 3],
                               rtol=RTOL_EXACT, atol=1e-12)
    assert float(after["nox_period_central_per_year"].sel(period="2019-2020")) == \
        pytest.approx(250 / 9, rel=RTOL_EXACT)
    np.testing.assert_allclose(after["period_central_t"] - before["period_central_t"],
                               [15.0, 0.0, 0.0], rtol=RTOL_EXACT, atol=1e-9)
    assert after["factor"].values.tolist() == ["fa", "fb", "fa@2015-2016"]
    p = em.load_params(project, overrides=FIXED)
    labels = summary.driver_names(em.load_inputs(p))
    assert labels["fa@2015-2016"]["en"].endswith(", 2015-2016")


def test_other_indicators_leave_the_co2_draws_alone(project):
    """Their factors are drawn from streams of their own: asking for NOx changes no CO2-eq
    draw, bit for bit (resampling and factor uncertainty on)."""
    on = {"monitor.bootstrap": "bayesian", "monitor.emission_factor_uncertainty": True}
    with_nox = monitor(project, **on)
    co2_only = monitor(project, **on, **{"monitor.indicators": ["co2_eq"]})
    for name in ("pg_reduction_t", "period_total_t", "period_total_t_per_year"):
        np.testing.assert_array_equal(with_nox[name], co2_only[name])
    assert "nox_period_total" in with_nox and "nox_period_total" not in co2_only


def test_the_summary_shows_the_published_figure_beside_the_model(project):
    """summary.json: NOx per period with RIVM's figure as published (the fixture's 70 kg,
    'at least'), and a variance budget of its own."""
    p = em.load_params(project, overrides={"monitor.bootstrap": "bayesian"}, n_draws=400)
    i = em.load_inputs(p)
    s = em.summarise(em.evaluate(p, i), p, i)
    (nox,) = s["effect_monitor"]["indicators"]
    assert (nox["id"], nox["unit"], nox["unit_per_year"]) == ("nox", "kg NOx", "kg NOx per year")
    last = nox["periods"][-1]
    assert last["period"] == "2019-2020"
    assert last["published"] == {"value": 70.0, "label": "NOx -70 kg", "basis": "not stated",
                                 "bound": "at least"}
    assert last["central"] == pytest.approx(200 / 3, rel=RTOL_EXACT)
    assert nox["periods"][0]["published"] is None
    nox_budget = s["variance_budget"]["monitor"]["indicators"]["nox"]["groups"]
    assert 0 <= nox_budget["sampling"]["total"] <= 1


@pytest.mark.slow
def test_a_stratum_without_a_counted_effect_shows_zero_and_its_bounds(project):
    """2017-2018/a (no counted effect, n = 2): summary.json gives central 0 and the
    one-sided 95% upper bound of its draws under the Jeffreys prior, and beside it the
    uniform prior's, scaled by the ratio of the two Beta 95% points,
    I^-1(0.95; 1, 3) / I^-1(0.95; 1/2, 5/2); the page shows '–' for its median and
    '0 – bound' for its range, with the note naming both priors."""
    from effectmodel.report import annex
    from effectmodel.report.formatting import pg_median, pg_span

    p = em.load_params(project, n_draws=4000, overrides={**FIXED,
                                                         "monitor.bootstrap": "design"})
    inputs = em.load_inputs(p)
    ds = em.evaluate(p, inputs)
    s = em.summarise(ds, p, inputs)
    period = next(q for q in s["effect_monitor"]["periods"] if q["period"] == "2017-2018")
    row = next(r for r in period["product_groups"] if r["id"] == "a")
    draws = ds["pg_reduction_t"].sel(stratum="2017-2018/a").values
    assert row["central_t"] == 0.0 and row["prior"] == "jeffreys"
    assert row["upper_95_t"] == pytest.approx(float(np.quantile(draws, 0.95)), rel=RTOL_EXACT)
    ratio = special.betaincinv(1, 3, 0.95) / special.betaincinv(0.5, 2.5, 0.95)
    assert row["upper_95_uniform_t"] == pytest.approx(row["upper_95_t"] * ratio,
                                                      rel=RTOL_EXACT)
    assert pg_median(row, "en") == "–" and pg_span(row, "en").startswith("0 – ")
    other = next(r for r in period["product_groups"] if r["id"] == "b")
    assert "upper_95_t" not in other and pg_median(other, "en") != "–"
    page = str(annex.monitor_periods({**s, "language": "en"}))
    assert "A uniform prior Beta(1, n + 1) gives: " in page
    assert page.count("†") == 2  # the row's mark and its note
