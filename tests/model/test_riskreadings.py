"""The buyer groups' risk readings: the other readings of a run, and the headline under each
(model/riskreadings.py), on the tiny project by hand and on the reference."""

from __future__ import annotations

import numpy as np
import pytest

import effectmodel as em
from conftest import K_SIGMA, REFERENCE, TINY
from effectmodel.model import engine, riskreadings, stats

TINY_PARAMS = TINY / "params" / "tiny.yaml"
#: the tiny project's tenders as planned: 100 x 2 x 0.5, 50 x 4 x 0.25, 1000 x 0.1 x 0.3 [t]
PLANNED = 100.0 + 50.0 + 30.0
FIXED_72 = {f"buyer_groups.risk_counts.total_{k}": 72.0 for k in ("low", "mode", "high")}


def test_the_readings_of_a_run_by_hand():
    """Counts (the reference): the other unclear rule, per group, a fraction, the total at its
    two ends. A project with per-tender figures (tiny): per group and a fraction only; a run
    that already reads per group and by fraction gets per tender and 0/1."""
    ref = em.load_params(REFERENCE)
    assert [r for r, _ in riskreadings.readings(ref)] == [
        "unclear_missing_at_random", "unclear_counted", "shared_by_group", "outcome_fraction",
        "total_48", "total_96", "cancellation_off"]
    off = ref.with_overrides({"buyer_groups.uncertainty.cancellation": False})
    assert dict(riskreadings.readings(off))["cancellation_on"] == {
        "buyer_groups.uncertainty.cancellation": True}
    assert dict(riskreadings.readings(ref))["total_96"] == {
        f"buyer_groups.risk_counts.total_{k}": 96.0 for k in ("low", "mode", "high")}
    tiny = em.load_params(TINY_PARAMS)
    assert tiny.buyer_groups.risk_evidence == "table"
    assert [r for r, _ in riskreadings.readings(tiny)] == ["shared_by_group", "outcome_fraction"]
    other = tiny.with_overrides({"buyer_groups.risk_shared_by": "group",
                                 "buyer_groups.risk_outcome": "fraction"})
    assert [r for r, _ in riskreadings.readings(other)] == ["shared_by_tender",
                                                            "outcome_bernoulli"]
    fixed = ref.with_overrides(FIXED_72)
    assert "total_72" not in dict(riskreadings.readings(fixed))
    # with outcomes observed: the counts at the other weights of 0.25, 1 and 4
    learning = [r for r, _ in riskreadings.readings(ref, learns=True)]
    assert learning[-2:] == ["weight_0.25", "weight_4"]
    quarter = ref.with_overrides({"buyer_groups.outcomes.prior_weight": 0.25})
    assert [r for r, _ in riskreadings.readings(quarter, learns=True)][-2:] == [
        "weight_1", "weight_4"]


def test_counts_by_fraction_give_the_mean_by_hand():
    """The tiny project's inputs are fixed; with its risks from counts, by fraction, at a total
    of 72, a draw's total is 180 t x award rate x additionality rate x (1 - cancellation
    rate), independent Beta posteriors: mean 180 x 24.5 / 32 x 31.5 / 73 (unclear not
    counted) or x 31.5 / 52 (missing at random), times 9 / 10 (Beta(1, 9))."""
    base = em.load_params(TINY_PARAMS, n_draws=20000).with_overrides({
        "buyer_groups.risk_evidence": "counts", "buyer_groups.risk_outcome": "fraction",
        **FIXED_72})
    inputs = em.load_inputs(base)
    for rule, beyond in (("not_counted", 31.5 / 73), ("missing_at_random", 31.5 / 52)):
        ds = engine.evaluate_buyer_groups(base.with_overrides({"unclear": rule}),
                                          inputs)
        x = ds["bg_total_t"].values
        np.testing.assert_allclose(x, PLANNED * ds["bg_risk_award"].values
                                   * ds["bg_risk_additionality"].values
                                   * (1 - ds["bg_risk_cancellation"].values), rtol=1e-12)
        assert x.mean() == pytest.approx(PLANNED * 24.5 / 32 * beyond * 9 / 10,
                                         abs=K_SIGMA * x.std() / np.sqrt(x.size))


@pytest.mark.slow
def test_each_row_is_the_run_under_its_reading():
    """A row's figures are those of the run with the row's overrides and the same seed:
    common random numbers, so the difference is the reading's."""
    p = em.load_params(REFERENCE, n_draws=2000)
    inputs = em.load_inputs(p)
    block = riskreadings.risk_readings(p, inputs)
    assert [r["id"] for r in block["rows"]] == [r for r, _ in riskreadings.readings(p)]
    for row in block["rows"]:
        ds = engine.evaluate_buyer_groups(p.with_overrides(row["overrides"]), inputs)
        want = stats.describe(ds["bg_total_t"].values, 0.9, p.run.mc_batches)
        for k in ("median", "low", "high"):
            assert row[k] == pytest.approx(want[k], rel=1e-12)
    rows = {r["id"]: r for r in block["rows"]}
    # nothing had an effect at a total of 48: the median tender counts for nothing
    assert rows["total_48"]["median"] == 0.0
    # missing at random counts more tenders than not counted
    run = stats.describe(engine.evaluate_buyer_groups(p, inputs)["bg_total_t"].values, 0.9, 20)
    assert rows["unclear_missing_at_random"]["median"] > run["median"] \
        + 4 * rows["unclear_missing_at_random"]["mc_error"]
