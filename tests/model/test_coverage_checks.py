"""Groups with no counted tender read one way everywhere; the self-check and the spend-ratio
warning (issue 36, items 2, 3 and 5)."""

from __future__ import annotations

import json
import math
import shutil

import numpy as np
import pandas as pd
import pytest

import effectmodel as em
from conftest import REFERENCE, ROOT
from effectmodel.cli import main
from effectmodel.domain.assurance import spend_off
from effectmodel.model.monitor import coverage
from effectmodel.report.formatting import (
    coverage_note,
    pg_median,
    pg_span,
    unbounded_note,
)


def reference_copy(tmp_path, stratum_without_effect: str | None = None):
    """A copy of the reference project; with a product group id, none of its criteria in
    any period goes beyond market standard (so no period shows an effect for it)."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "params", tmp_path / "params")
    if stratum_without_effect:
        crit = pd.read_csv(tmp_path / "data" / "criteria.csv", dtype=str,
                           keep_default_na=False)
        mine = crit["tender_id"].str.contains(f"-{stratum_without_effect}-", regex=False)
        crit.loc[mine, "beyond_market_standard"] = "no"
        crit.to_csv(tmp_path / "data" / "criteria.csv", index=False)
    return tmp_path / "params" / REFERENCE.name


def monitor_of(params_path, draws: int = 200) -> dict:
    """The monitor's part of a run's summary (no variance budget: it is not read here)."""
    from effectmodel.model.monitor.summary import monitor_summary

    params = em.load_params(params_path, overrides={"run.n_draws": draws})
    inputs = em.load_inputs(params)
    return {"effect_monitor": monitor_summary(em.evaluate(params, inputs), params, inputs)}


def group(summary: dict, period: str, pg: str) -> dict:
    p = next(p for p in summary["effect_monitor"]["periods"] if p["period"] == period)
    return next(g for g in p["product_groups"] if g["id"] == pg)


def test_a_group_with_no_counted_tender_reads_one_way_everywhere():
    """grondverzet 2017-2018 counts no criterion, but the group has counted tenders in other
    periods. The committed reference report's summary.json, tables/product_groups.csv,
    em.product_groups and annex all read: central 0, no median, 0 to the one-sided 95%
    bound."""
    folder = ROOT / "reports" / "reference"
    s = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    g = group(s, "2017-2018", "grondverzet")
    r = g["reduction_t"]
    assert g["zero_effect"] and not g["unbounded"] and g["central_t"] == 0
    assert r["median"] is None and r["mean"] is None and r["low"] == 0.0
    assert r["high"] == g["upper_95_t"] > 0
    row = em.product_groups(s).set_index(["period", "product_group"]).loc[
        ("2017-2018", "grondverzet")]
    assert math.isnan(row["reduction_median_t"]) and row["reduction_low_t"] == 0.0
    assert row["reduction_high_t"] == r["high"]
    csv = pd.read_csv(folder / "tables" / "product_groups.csv").set_index(
        ["period", "product group"]).loc[("2017-2018", "grondverzet")]
    assert math.isnan(csv["median [t CO2-eq]"]) and csv["low [t CO2-eq]"] == 0.0
    assert csv["high [t CO2-eq]"] == pytest.approx(r["high"], rel=1e-9)
    span = pg_span(g, "en")
    assert pg_median(g, "en") == "–" and span.startswith("0 – ") and span != "0 – 0"
    assert span in (folder / "annex-monitor.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_group_with_no_counted_tender_in_any_period_has_no_upper_bound(tmp_path):
    """No period of grondverzet counts a criterion: no intensity bounds it, so high is null
    (not 0), unbounded is true, and the page says so in words, never '0 – 0'."""
    s = monitor_of(reference_copy(tmp_path, "grondverzet"))
    for p in s["effect_monitor"]["periods"]:
        g = next((g for g in p["product_groups"] if g["id"] == "grondverzet"), None)
        if g is None:
            continue
        assert g["zero_effect"] and g["unbounded"], p["period"]
        assert g["reduction_t"]["high"] is None and g["reduction_t"]["low"] == 0.0
        assert "upper_95_t" not in g
        assert pg_span(g, "en") == ("0 – no upper bound: no counted tender of this group in "
                                    "any period")
        assert pg_span(g, "nl").startswith("0 – geen bovengrens")
        note = unbounded_note(p["product_groups"], "en")
        assert note.startswith(g["name_en"]) and "counts them at 0" in note


def test_the_self_check_is_near_the_nominal_level_on_a_smooth_sample():
    """A sample of 30 from 300 tenders whose effect is in proportion to value with mild
    noise: the self-check is near 0.9 (the battery: 0.90 for such a population at n_h 30;
    SE 0.02 here, so 0.80-0.98); a stratum whose sample shows no effect gives NaN."""
    rng = np.random.default_rng(5)
    x = rng.lognormal(12, 0.5, 60)
    y = 1e-5 * x * rng.gamma(20, 0.05, 60)
    y[30:] = 0.0  # the second stratum shows no effect
    stratum = np.repeat([0, 1], 30)
    got = coverage.self_check(y, x, np.full(60, 10.0), stratum, stratum,
                              np.zeros(60, dtype=bool), "studentized", seed=1)
    assert 0.80 <= got[0] <= 0.98
    assert math.isnan(got[1])


def test_the_spend_ratio_by_hand():
    """Two tenders of 10 and 30 with weight 5 stand for 200 of a frame of 400: 0.5, at the
    edge of the assured range; 100 of 400 is flagged, and so is 1,000 of 400."""
    ratio = coverage.spend_ratio(np.array([10.0, 30.0, 10.0, 10, 100]),
                                 np.array([5.0, 5.0, 5.0, 5.0, 10.0]),
                                 np.array([0, 0, 1, 1, 2]), np.array([400.0, 400, 400]))
    assert ratio.tolist() == pytest.approx([0.5, 0.25, 2.5])
    assert spend_off(ratio).tolist() == [False, True, True]
    assert not spend_off(None) and not spend_off(0.5) and spend_off(0.49)


def test_validate_warns_in_one_line_where_the_sample_lacks_dominant_tenders(capsys):
    """The reference's foreign business travel 2015-2016 has frame counts, and its sampled
    tenders, weighted, stand for 6% of its frame total: one warning line, exit 0."""
    assert main(["validate", str(REFERENCE)]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("warning: ") and "coverage not assured" in err[0]
    assert "2015-2016/buitenlandse-dienstreizen 6%" in err[0]


def test_the_page_names_the_groups_whose_coverage_is_not_assured():
    """Self-check below 0.85, or sampled spend outside 50-200% of the frame: named with the
    reason; a group within both is not named."""
    rows = [{"id": "a", "name_en": "A", "name_nl": "A", "self_check_coverage": 0.78,
             "spend_ratio": None},
            {"id": "b", "name_en": "B", "name_nl": "B", "self_check_coverage": 0.91,
             "spend_ratio": 0.06},
            {"id": "c", "name_en": "C", "name_nl": "C", "self_check_coverage": 0.9,
             "spend_ratio": 1.1}]
    note = coverage_note(rows, 0.9, "en")
    assert "A (self-check 78%)" in note
    assert "B (sampled tenders stand for 6% of the frame's spend)" in note
    assert "C (" not in note
    assert "200 times" in note and "--take-all" in note
    only_check = coverage_note(rows[:1], 0.9, "en")  # each explanation only where it applies
    assert "200 times" in only_check and "--take-all" not in only_check
    assert coverage_note(rows[2:], 0.9, "en") is None


def test_a_period_whose_groups_have_no_upper_bound_still_draws():
    """Every product group of the period without a counted tender in any period (a new
    project's first small sample): the chart draws, with the words instead of bars, and no
    log axis of nothing (it raised 'Data cannot be log-scaled' before)."""
    from effectmodel.report import plotting
    from effectmodel.report.html import svg_of

    rows = [{"id": g, "name_en": g, "name_nl": g, "unbounded": True, "zero_effect": True,
             "reduction_t": {"mean": None, "median": None, "low": 0.0, "high": None,
                             "mc_error": 0.0}} for g in ("gas", "ict")]
    for lang, words in (("en", "no upper bound"), ("nl", "geen bovengrens")):
        ax = plotting.product_groups({"period": "2023-2024", "product_groups": rows}, lang)
        svg = svg_of(ax.figure, "x")
        assert ax.get_xscale() == "linear" and svg.count(words) == 2


def _skewed_population(seed: int, n: int = 3000) -> coverage.Population:
    """Three strata of lognormal tender values, a share of them with an effect [EUR, t]."""
    rng = np.random.default_rng(seed)
    stratum = rng.integers(0, 3, n)
    value = rng.lognormal(12, 1.5, n)
    effect = np.where(rng.random(n) < 0.3, value * rng.lognormal(-12, 1, n), 0.0)
    return coverage.Population(stratum, rng.integers(0, 2, n), value, effect)


@pytest.mark.parametrize("seed", [1, 2])
def test_repeated_samples_do_not_depend_on_the_batches_they_are_estimated_in(seed):
    """Each repetition draws its sample and bootstrap from its own stream: one batch of
    all repetitions, a batch per repetition and blocks of a few draws give the same
    numbers, so the self-check's memory is bounded by ``chunk_values`` at any sample size."""
    pop = _skewed_population(seed)
    sizes = coverage.allocate(pop, 40)
    runs = [coverage.simulate(pop, sizes, 12, 50, ("studentized", "log"),
                              np.random.default_rng(seed), chunk_values=chunk)
            for chunk in (10**9, 500, 7)]
    for other in runs[1:]:
        np.testing.assert_allclose(other.central, runs[0].central, rtol=1e-13)
        np.testing.assert_array_equal(other.samples[0], runs[0].samples[0])
        for m in ("studentized", "log"):
            np.testing.assert_allclose(other.low[m], runs[0].low[m], rtol=1e-12)
            np.testing.assert_allclose(other.high[m], runs[0].high[m], rtol=1e-12)
            np.testing.assert_allclose(other.total_high[m], runs[0].total_high[m], rtol=1e-12)
    assert not np.array_equal(runs[0].samples[0][0], runs[0].samples[0][1])


def test_a_population_in_cell_order_has_the_cells_of_any_order():
    """A population's cells are those of the same tenders in any other order, and the
    pseudo-population's cover every replica once."""
    rng = np.random.default_rng(5)
    stratum, sub = np.sort(rng.integers(0, 4, 500)), rng.integers(0, 3, 500)
    order = np.lexsort((sub, stratum))
    stratum, sub = stratum[order], sub[order]
    value = rng.random(500)
    fast = coverage.Population(stratum, sub, value, value).cells
    back = coverage.Population(stratum[::-1], sub[::-1], value[::-1], value[::-1]).cells
    assert [(s, h) for s, h, _ in fast] == [(s, h) for s, h, _ in back]
    for (_, _, a), (_, _, b) in zip(fast, back, strict=True):
        np.testing.assert_array_equal(a, np.sort(499 - b))
    pop, sizes = coverage.pseudo_population(value[::-1], value[::-1], np.full(500, 3.0),
                                            stratum[::-1], sub[::-1], np.zeros(500, bool))
    assert pop.reps.sum() == 1500 and sum(len(m) for _, _, m in pop.cells) == 1500
    assert pop.frame_totals() == pytest.approx(3 * np.bincount(stratum, weights=value))


@pytest.mark.parametrize("seed", [3, 4])
def test_a_replicated_population_answers_as_its_tenders_repeated(seed):
    """The self-check's pseudo-population is held as the sample and its counts: sampled
    and estimated, it gives what the same tenders, repeated, give."""
    pop = _skewed_population(seed, 400)
    census = np.zeros(400, bool)
    weight = np.random.default_rng(seed).integers(1, 6, 400).astype(float)
    rep, sizes = coverage.pseudo_population(pop.effect, pop.value, weight, pop.stratum,
                                            pop.sub, census)
    whole = coverage.Population(*(np.repeat(a, rep.reps) for a in
                                  (rep.stratum, rep.sub, rep.value, rep.effect)))
    assert [(s, h) for s, h, _ in rep.cells] == [(s, h) for s, h, _ in whole.cells]
    for (_, _, a), (_, _, b) in zip(rep.cells, whole.cells, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(rep.totals(), whole.totals(), rtol=1e-12)
    got, want = (coverage.simulate(p, sizes, 6, 40, ("studentized",),
                                   np.random.default_rng(seed)) for p in (rep, whole))
    np.testing.assert_allclose(got.low["studentized"], want.low["studentized"], rtol=1e-10)
    np.testing.assert_allclose(got.high["studentized"], want.high["studentized"], rtol=1e-10)
