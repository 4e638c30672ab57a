"""Risk defaults from evidence: Zijp et al. 2022's counts give the reference data's award
probability and additionality, and the data say how (docs/model.md, "Risk defaults")."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import effectmodel as em
from conftest import K_SIGMA, REFERENCE, RTOL_EXACT
from effectmodel.model import engine
from effectmodel.model import evidence as E


def test_counts_give_the_rates_by_hand():
    """20 + 7 + 21 = 48 applications are two thirds, so 72, and 24 with an effect.
    Not counted (the default): the 21 unclear fail the first test, so beyond market standard
    24 + 7 = 31 against 20 + 21; in the contract 24 against 7; with half a success and half a
    failure as prior. Missing at random: 31 against 20."""
    c = E.ZIJP_2022
    assert (c.without_effect, c.total, c.with_effect) == (48, 72, 24)
    assert E.additionality_rate().mean == pytest.approx(31.5 / 73, rel=1e-15)
    assert E.contract_rate().mean == pytest.approx(24.5 / 32, rel=1e-15)
    # the chance that a tender both goes beyond market standard and reaches the contract:
    # about the source's own "one third with an effect" (24 / 72)
    assert E.additionality_rate().mean * E.contract_rate().mean == pytest.approx(0.3304, abs=1e-4)
    mar = E.additionality_rate(unclear="missing_at_random")
    assert mar.mean == pytest.approx(31.5 / 52, rel=1e-15)
    assert mar.mean * E.contract_rate().mean == pytest.approx(0.4638, abs=1e-4)
    with pytest.raises(ValueError, match="not one of"):
        E.additionality_rate(unclear="ignored")


def test_posteriors_follow_the_total_by_hand():
    """At a total of 48 nothing had an effect: Beta(0 + 7 + 1/2, 20 + 21 + 1/2) beyond market
    standard, Beta(1/2, 7 + 1/2) into the contract; at 96, 48 with an effect; a total below
    the counts has none."""
    post = E.posteriors(20, 7, 21, np.array([40.0, 48.0, 96.0]))
    np.testing.assert_allclose(post["additionality"][0], [7.5, 7.5, 55.5], rtol=RTOL_EXACT)
    np.testing.assert_allclose(post["additionality"][1], [41.5] * 3, rtol=RTOL_EXACT)
    np.testing.assert_allclose(post["award"][0], [0.5, 0.5, 48.5], rtol=RTOL_EXACT)
    np.testing.assert_allclose(post["award"][1], [7.5] * 3, rtol=RTOL_EXACT)
    mar = E.posteriors(20, 7, 21, 72.0, "missing_at_random")
    assert float(mar["additionality"][1]) == pytest.approx(20.5, rel=RTOL_EXACT)


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


def _marginal(f, low=48.0, mode=72.0, high=96.0) -> float:
    """E[f(T)] for T triangular(low, mode, high), by quadrature [-]."""
    from scipy import integrate

    def density(x):
        return (2 * (x - low) / ((high - low) * (mode - low)) if x < mode
                else 2 * (high - x) / ((high - low) * (high - mode)))
    return sum(integrate.quad(lambda x: f(x) * density(x), a, b, epsabs=1e-12)[0]
               for a, b in ((low, mode), (mode, high)))


def test_drawn_share_of_tenders_with_an_effect_matches_the_counts():
    """In a run of the reference (risks from counts, unclear not counted), a tender is awarded
    with the chance E[(w + 1/2) / (w + 8)] over the total's triangular 48-72-96, w = T - 48,
    and goes beyond market standard with E[(w + 7 + 1/2) / (w + 49)], both by quadrature;
    it goes ahead (is not cancelled) with the independent chance 9 / 10, the mean of 1 - c
    under the cancellation prior Beta(1, 9). The draws share the rates: the standard error
    of the mean comes from the per-draw means (at most sqrt(0.25 / 20,000) = 0.0035);
    within 4 of them."""
    ahead = 9 / 10
    award = _marginal(lambda x: (x - 48 + 0.5) / (x - 48 + 8)) * ahead
    beyond = _marginal(lambda x: (x - 48 + 7.5) / (x - 48 + 49))
    both = _marginal(lambda x: (x - 48 + 0.5) / (x - 48 + 8) * (x - 48 + 7.5)
                     / (x - 48 + 49)) * ahead
    p = em.load_params(REFERENCE, n_draws=20000)
    assert p.buyer_groups.risk_evidence == "counts"
    ds = engine.evaluate_buyer_groups(p, em.load_inputs(p))
    counts = (ds["bg_in_award"] * ds["bg_in_additionality"]).values
    assert set(np.unique(counts).tolist()) == {0.0, 1.0}
    for x, want in ((counts, both), (ds["bg_in_award"].values, award),
                    (ds["bg_in_additionality"].values, beyond)):
        per_draw = x.mean(axis=1)
        se = per_draw.std(ddof=1) / np.sqrt(len(per_draw))
        assert per_draw.mean() == pytest.approx(want, abs=K_SIGMA * se)
    # the rates are shared: every tender of a draw has the same chance, so the tenders'
    # outcomes correlate across draws (independent tenders would give 0)
    r = np.corrcoef(ds["bg_in_award"].values[:, 0], ds["bg_in_award"].values[:, 1])[0, 1]
    assert r > 4 / np.sqrt(20000)
    assert float(ds["bg_risk_total"].mean()) == pytest.approx(
        72.0, abs=K_SIGMA * float(ds["bg_risk_total"].std()) / np.sqrt(20000))


def test_fraction_counts_each_tender_by_the_shared_rate():
    """risk_outcome: fraction: award and additionality are the draw's rates themselves, the
    same for every tender of a draw (the award times the draw's chance of going ahead)."""
    p = em.load_params(REFERENCE, n_draws=500,
                       overrides={"buyer_groups.risk_outcome": "fraction"})
    ds = engine.evaluate_buyer_groups(p, em.load_inputs(p))
    ahead = 1.0 - ds["bg_risk_cancellation"].values
    np.testing.assert_allclose(ds["bg_in_award"].values,
                               np.repeat((ds["bg_risk_award"].values * ahead)[:, None], 11,
                                         axis=1), rtol=1e-15)
    np.testing.assert_array_equal(ds["bg_in_additionality"].values[:, 3],
                                  ds["bg_risk_additionality"].values)


def test_a_total_out_of_order_is_one_line(tmp_path):
    with pytest.raises(em.InputError, match=r"buyer_groups.risk_counts: total_low 80, "
                                            r"total_mode 72, total_high 96 \(allowed: low <= "):
        em.load_params(REFERENCE, overrides={"buyer_groups.risk_counts.total_low": 80})
