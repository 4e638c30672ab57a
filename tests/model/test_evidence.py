"""Risk defaults from evidence: Zijp et al. 2022's counts give the reference data's award
probability and additionality, and the data say how (docs/model.md, "Risk defaults")."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import effectmodel as em
from conftest import REFERENCE
from effectmodel.model import evidence as E


def test_counts_give_the_rates_by_hand():
    """20 + 7 + 21 = 48 applications are two thirds, so 72, and 24 with an effect.
    Beyond market standard: 24 + 7 = 31 against 20; in the contract: 24 against 7; with half a
    success and half a failure as prior."""
    c = E.ZIJP_2022
    assert (c.without_effect, c.total, c.with_effect) == (48, 72, 24)
    assert E.additionality_rate().mean == pytest.approx(31.5 / 52, rel=1e-15)
    assert E.contract_rate().mean == pytest.approx(24.5 / 32, rel=1e-15)
    # the chance that a tender both goes beyond market standard and reaches the contract
    assert E.additionality_rate().mean * E.contract_rate().mean == pytest.approx(0.4638, abs=1e-4)


def test_interval_is_the_posterior_of_a_uniform_prior_by_hand():
    """With a flat Beta(1, 1) prior and 1 success, 0 failures the posterior is Beta(2, 1):
    CDF x^2, so its 90% interval is (sqrt(0.05), sqrt(0.95))."""
    lo, hi = E.Rate(1, 0, prior=(1.0, 1.0)).interval(0.9)
    assert lo == pytest.approx(0.05 ** 0.5, rel=1e-12)
    assert hi == pytest.approx(0.95 ** 0.5, rel=1e-12)


def test_a_count_that_is_no_whole_number_of_applications_is_refused():
    with pytest.raises(ValueError, match="not a whole number"):
        _ = E.CircularCounts(20, 7, 20, Fraction(2, 3)).total


def test_reference_data_carry_the_derivation():
    """Every buyer-group tender of the reference data: award probability and the Bernoulli
    additionality are the posterior means to 3 decimals, and its source says how."""
    tenders = em.load_inputs(em.load_params(REFERENCE))["buyer_group_tenders"]
    assert len(tenders) == 11
    for _, row in tenders.iterrows():
        assert row["award_probability"] == pytest.approx(E.contract_rate().mean, abs=5e-4)
        assert row["additionality_dist"] == "bernoulli"
        assert (row["additionality_low"], row["additionality_high"]) == (0.0, 1.0)
        assert row["additionality_mode"] == pytest.approx(E.additionality_rate().mean,
                                                          abs=5e-4)
        assert E.derivation() in row["source"]
    assert "20 did not go beyond market standard, 7 were not carried into the contract, 21 " \
        "unclear" in E.derivation()


def test_drawn_share_of_tenders_with_an_effect_matches_the_counts():
    """In a run of the reference, a tender counts (awarded and beyond market standard) with
    probability 0.766 x 0.606 = 0.464. Over 4,000 draws of 11 tenders the share is that within
    4 standard errors (sqrt(0.25 / 44,000) = 0.0024 at most)."""
    p = em.load_params(REFERENCE, n_draws=4000)
    ds = em.evaluate(p, em.load_inputs(p))
    counts = (ds["bg_in_award"] * ds["bg_in_additionality"]).values
    assert set(np.unique(counts).tolist()) == {0.0, 1.0}
    assert counts.mean() == pytest.approx(0.766 * 0.606, abs=4 * 0.0024)
    # and each on its own
    assert ds["bg_in_award"].values.mean() == pytest.approx(0.766, abs=4 * 0.0024)
    assert ds["bg_in_additionality"].values.mean() == pytest.approx(0.606, abs=4 * 0.0024)
