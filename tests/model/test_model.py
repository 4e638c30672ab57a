"""The science: deterministic cases against hand-computed figures, Monte Carlo cases against
analytic answers within K_SIGMA standard errors."""

from __future__ import annotations

import numpy as np
import pytest

import effectmodel as em
from conftest import K_SIGMA, RTOL_EXACT
from effectmodel.model import buyergroups, monitor, stats


def test_tender_reduction_by_hand():
    assert buyergroups.tender_reduction(100.0, 2.0, 0.5, 1, 0.5) == pytest.approx(50.0, rel=0)
    x = buyergroups.tender_reduction(np.array([1.0, 2.0]), 3.0, 0.5, np.array([1, 0]), 1.0)
    np.testing.assert_array_equal(x, [1.5, 0.0])


def test_ratio_estimator_by_hand():
    effect = np.array([6.0, 0.0, 20.0, 2.5, 0.0])
    value = np.array([100.0, 300.0, 200.0, 100.0, 100.0])
    weight = np.array([1.0, 1.0, 2.0, 1.0, 1.0])
    r = monitor.ratio_estimate(effect, value, weight, np.array([0, 2]))
    np.testing.assert_allclose(r, [6 / 400, (40 + 2.5) / 600], rtol=RTOL_EXACT)
    np.testing.assert_allclose(monitor.extrapolate(r, np.array([1000, 2000])), [15, 141.666666666],
                               rtol=1e-9)


def test_deterministic_tiny_equals_hand_computed(tiny):
    """Every range collapsed, award probability 1 (tests/data/README.md)."""
    params = em.load_params(tiny, overrides={"monitor.emission_factor_uncertainty": False,
                                             "monitor.frame_total_uncertainty": False})
    inputs = em.load_inputs(params)
    ds = em.evaluate(params, inputs)
    s = em.summarise(ds, params, inputs)
    bg = s["buyer_groups"]
    assert bg["as_planned_t"] == pytest.approx(180.0, rel=RTOL_EXACT)
    assert bg["households_as_planned"] == pytest.approx(90.0, rel=RTOL_EXACT)
    np.testing.assert_allclose(ds["bg_total_t"].values, 155.0, rtol=RTOL_EXACT)
    np.testing.assert_allclose(ds["bg_households"].values, 77.5, rtol=RTOL_EXACT)
    assert bg["n_groups"] == 3 and bg["n_quantified"] == 2
    g3 = bg["groups"][2]
    assert g3["quantified"] is False and g3["total_t"] is None and g3["as_planned_t"] is None
    expected = {"2015-2016": (15, 75), "2017-2018": (60, 110), "2019-2020": (60, 100)}
    for p in s["effect_monitor"]["periods"]:
        a, b = expected[p["period"]]
        got = [r["central_t"] for r in p["product_groups"]]
        np.testing.assert_allclose(got, [a, b], rtol=RTOL_EXACT)
        np.testing.assert_allclose(ds["period_total_t"].sel(period=p["period"]).values, a + b,
                                   rtol=RTOL_EXACT)
        assert p["total_t"]["low"] == pytest.approx(a + b, rel=RTOL_EXACT)


def test_monte_carlo_mean_and_quantiles_analytic(tiny):
    """One tender with quantity ~ U(50, 150), award ~ Bernoulli(0.6), the rest fixed:
    mean = 0.6 x 100 x 2 x 0.5; quantile q = 0 for q <= 0.4, else 50 + 100 (q - 0.4) / 0.6
    times 1 t per unit."""
    path = tiny.parent.parent / "data" / "buyer_group_tenders.csv"
    lines = path.read_text().splitlines()
    header = lines[0]
    row = ("t1,g1,first,kitchen,uniform,50,100,150,fixed,2,2,2,fixed,0.5,0.5,0.5,0.6,"
           "fixed,1,1,1,assumption: test")
    path.write_text("\n".join([header, row]) + "\n")
    bg = tiny.parent.parent / "data" / "buyer_groups.csv"
    bg.write_text(bg.read_text().replace("g2,Groep twee,Group two,GWW,yes,,",
                                         "g2,Groep twee,Group two,GWW,no,geen,none"))
    n = 40_000
    params = em.load_params(tiny, n_draws=n, seed=11)
    inputs = em.load_inputs(params)
    ds = em.evaluate(params, inputs)
    x = ds["bg_total_t"].values
    d = stats.describe(x, 0.9, 20)
    mean = 0.6 * 100 * 2 * 0.5
    se_mean = x.std(ddof=1) / np.sqrt(n)
    assert abs(d["mean"] - mean) < K_SIGMA * se_mean
    for q, key in ((0.5, "median"), (0.95, "high")):
        exact = (50 + 100 * (q - 0.4) / 0.6) * 1.0
        density = 0.6 / 100  # of the continuous part, per t
        se_q = np.sqrt(q * (1 - q) / n) / density
        assert abs(d[key] - exact) < K_SIGMA * se_q, (key, d[key], exact)
        # the batch-means error agrees with the analytic one within a factor of 2
        assert 0.5 < d["mc_errors"][key] / se_q < 2.0
    assert d["low"] == 0.0  # q = 0.05 <= 0.4: not awarded


def test_bayesian_bootstrap_known_distribution(tiny):
    """Stratum 2019-2020/a has two tenders of equal value (200 EUR) with effects 6 and 18 t.
    Under the Bayesian bootstrap the weights are Dirichlet(1, 1), so E = (D 6 + (1 - D) 18)
    / 200 x 1000 with D ~ U(0, 1): E is uniform on [30, 90] t."""
    n = 20_000
    params = em.load_params(tiny, n_draws=n, overrides={
        "monitor.bootstrap": "bayesian", "monitor.emission_factor_uncertainty": False,
        "monitor.frame_total_uncertainty": False})
    inputs = em.load_inputs(params)
    ds = em.evaluate(params, inputs)
    x = ds["pg_reduction_t"].sel(stratum="2019-2020/a").values
    assert x.min() >= 30 - 1e-9 and x.max() <= 90 + 1e-9
    d = stats.describe(x, 0.9, 20)
    sd = 60 / np.sqrt(12)
    assert abs(d["mean"] - 60) < K_SIGMA * sd / np.sqrt(n)
    for q, key in ((0.05, "low"), (0.5, "median"), (0.95, "high")):
        se_q = np.sqrt(q * (1 - q) / n) * 60  # density 1/60 per t
        assert abs(d[key] - (30 + 60 * q)) < K_SIGMA * se_q, key


def test_same_seed_same_numbers_other_seed_other_numbers(tiny):
    p = em.load_params(tiny, overrides={"monitor.bootstrap": "bayesian"})
    i = em.load_inputs(p)
    a = em.evaluate(p, i)["period_total_t"].values
    b = em.evaluate(p, i)["period_total_t"].values
    np.testing.assert_array_equal(a, b)
    c = em.evaluate(p.with_overrides({"run.seed": 8}), i)["period_total_t"].values
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("sampler", ["random", "lhs", "sobol"])
def test_samplers_agree_on_the_mean(tiny, sampler):
    p = em.load_params(tiny, n_draws=2048, overrides={"run.sampler": sampler})
    i = em.load_inputs(p)
    x = em.evaluate(p, i)["period_total_t"].sel(period="2019-2020").values
    p0 = p.with_overrides({"monitor.emission_factor_uncertainty": False,
                           "monitor.frame_total_uncertainty": False})
    central = float(em.evaluate(p0, i)["period_central_t"].sel(period="2019-2020"))
    # factors enter linearly through PERT/triangular means equal to the modes here, and the
    # lognormal frame multiplier has mean exp(sigma^2 / 2)
    expected = central * np.exp(0.1**2 / 2)
    se = x.std(ddof=1) / np.sqrt(x.size)
    assert abs(x.mean() - expected) < K_SIGMA * se


def test_wilson_equals_statsmodels(tiny):
    from statsmodels.stats.proportion import proportion_confint

    p = em.load_params(tiny)
    i = em.load_inputs(p)
    s = em.summarise(em.evaluate(p, i), p, i)
    n_checked = 0
    for per in s["effect_monitor"]["periods"]:
        for r in per["product_groups"]:
            lo, hi = proportion_confint(r["n_with_effect"], r["n_sampled"], alpha=0.1,
                                        method="wilson")
            w = r["share_with_effect"]
            np.testing.assert_allclose([w["low"], w["high"]], [lo, hi], rtol=1e-12, atol=0)
            assert w["method"] == "wilson"
            n_checked += 1
    assert n_checked == 6


def test_trend_is_fitted_with_projection(tiny):
    p = em.load_params(tiny)
    i = em.load_inputs(p)
    s = em.summarise(em.evaluate(p, i), p, i)
    tr = s["effect_monitor"]["trend"]
    assert tr["adoption"]["projection"]["period"] == "2021-2022"
    assert 0 < tr["adoption"]["projection"]["low"] < tr["adoption"]["projection"]["high"] < 1
    # OLS of log 90, log 170, log 160 on 0, 1, 2 by hand: slope (log 160 - log 90) / 2, so
    # the factor per period is sqrt(160 / 90) = 4/3; the fit at t = 3 is the geometric mean
    # times (4/3)^2
    assert tr["totals"]["factor_per_period"] == pytest.approx(4 / 3, rel=1e-9)
    # three points leave one residual degree of freedom: the summary shows no projection,
    # and says why; the fit itself still projects (checked by hand)
    assert "projection" not in tr["totals"]
    assert tr["totals"]["no_projection"] == {"reason": "few_periods", "residual_df": 1,
                                             "needed": 3}
    from effectmodel.model import stats

    fit, _ = stats.totals_trend(np.array([90.0, 170.0, 160.0]),
                                ["2015-2016", "2017-2018", "2019-2020"], 0.9)
    p = fit["projection"]
    assert p["estimate_t"] == pytest.approx((90 * 170 * 160) ** (1 / 3) * (4 / 3) ** 2,
                                            rel=1e-9)
    assert 0 < p["low_t"] < p["estimate_t"] < p["high_t"]


def test_no_totals_projection_without_enough_points_or_across_a_scope_change():
    from effectmodel.model.monitor.summary import no_totals_projection

    assert no_totals_projection(4, [8, 15, 16, 16]) == {
        "reason": "few_periods", "residual_df": 2, "needed": 3}
    assert no_totals_projection(5, [8, 15, 16, 16, 16]) == {
        "reason": "scope_change", "from": 8, "to": 16}
    assert no_totals_projection(5, [16] * 5) is None


def test_every_result_variable_has_units(tiny):
    p = em.load_params(tiny)
    ds = em.evaluate(p, em.load_inputs(p))
    for name, var in ds.data_vars.items():
        assert var.attrs.get("units"), name
    assert ds["bg_total_t"].attrs["units"] == "t CO2-eq"
    assert ds["period_households"].attrs["units"] == "households"


def _big_sample(tiny, rows: int):
    """The tiny project with its sampled tenders repeated to ``rows`` rows (new ids)."""
    path = tiny.parent.parent / "data" / "sampled_tenders.csv"
    header, *body = path.read_text().splitlines()
    col = header.split(",").index("tender_id")
    out = [header]
    for i in range(rows):
        cells = body[i % len(body)].split(",")
        cells[col] = f"big-{i}"
        out.append(",".join(cells))
    path.write_text("\n".join(out) + "\n")
    tiny.write_text(tiny.read_text().replace("bootstrap: none", "bootstrap: bayesian"))


@pytest.mark.parametrize("sampler", ["random", "lhs"])
def test_blocks_of_draws_give_the_same_bits(tiny, sampler):
    _big_sample(tiny, 300)
    p = em.load_params(tiny, n_draws=97, overrides={"run.sampler": sampler})
    i = em.load_inputs(p)
    whole = em.evaluate(p, i, block=97)
    for block in (1, 10, 64):
        parts = em.evaluate(p, i, block=block)
        for name in ("pg_reduction_t", "period_total_t", "period_households"):
            np.testing.assert_array_equal(parts[name].values, whole[name].values)


@pytest.mark.slow
def test_memory_is_bounded_by_the_block_not_the_sample(tiny):
    """20,000 sampled tenders x 400 draws: one (draw x tender) array is 64 MB; in blocks of
    16 draws the whole evaluation peaks below that (tracemalloc counts NumPy's
    allocations)."""
    import tracemalloc

    _big_sample(tiny, 20_000)
    p = em.load_params(tiny, n_draws=400)
    i = em.load_inputs(p)
    tracemalloc.start()
    em.evaluate(p, i, block=16)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 64e6, f"{peak / 1e6:.0f} MB"  # measured: 22 MB; unblocked 268 MB


def test_tender_inputs_used_say_what_the_run_used():
    """A fixed additionality replaces the row's range, uncertainty off collapses a range to
    its mode, award uncertainty off counts every tender as awarded; data_values keeps what
    the row said for each replaced value (hand-computed)."""
    from types import MappingProxyType

    from effectmodel.domain.params import BuyerGroupOptions
    from effectmodel.model.summary import tender_inputs_used

    row = {"award_probability": 0.8}
    for i, v in enumerate(("quantity", "emission_factor", "reduction_fraction",
                           "additionality")):
        row.update({f"{v}_dist": "pert", f"{v}_low": 1.0 + i, f"{v}_mode": 2.0 + i,
                    f"{v}_high": 3.0 + i})
    unc = {"quantity": True, "emission_factor": False, "reduction_fraction": True,
           "award": True, "additionality": True}
    opts = BuyerGroupOptions("hf", None, 0.5, MappingProxyType(unc))
    used = tender_inputs_used(row, opts)
    assert (used["quantity_low"], used["quantity_mode"], used["quantity_high"]) == (1, 2, 3)
    assert (used["emission_factor_low"], used["emission_factor_high"]) == (3.0, 3.0)
    assert (used["additionality_low"], used["additionality_mode"]) == (0.5, 0.5)
    assert used["award_probability"] == 0.8
    assert (used["quantity_dist"], used["emission_factor_dist"]) == ("pert", "fixed")
    assert used["data_values"] == {"emission_factor_low": 2.0, "emission_factor_high": 4.0,
                                   "emission_factor_dist": "pert",
                                   "additionality_low": 4.0, "additionality_mode": 5.0,
                                   "additionality_high": 6.0, "additionality_dist": "pert"}
    off = tender_inputs_used(row, BuyerGroupOptions("hf", 0.3, None, MappingProxyType(
        {**unc, "award": False})))
    assert off["award_probability"] == 1.0 and off["data_values"]["award_probability"] == 0.8
