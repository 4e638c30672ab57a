"""Distributions: the inverse CDFs against scipy's frozen distributions."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special

from effectmodel.model import distributions as D


@pytest.mark.parametrize("alpha, beta", [(1.0, 5.0), (5.0, 1.0), (3.0, 3.0), (1.4, 4.6),
                                         (2.6, 1.8), (1.0, 1.0)])
def test_fast_beta_ppf_matches_exact(alpha, beta):
    u = np.concatenate([np.random.default_rng(0).random(200_000),
                        np.linspace(0, 1, 10_001)[:-1], [0.01, 0.99, 0.0099999, 0.9899999]])
    exact = special.betaincinv(alpha, beta, u)
    np.testing.assert_allclose(D.beta_ppf(u, alpha, beta), exact, rtol=0, atol=1e-9)


@pytest.mark.parametrize("dist, lo, mode, hi", [
    ("pert", 2.0, 3.0, 7.0), ("triangular", 2.0, 3.0, 7.0), ("uniform", 2.0, 3.0, 7.0),
    ("lognormal", 2.0, 3.0, 7.0), ("pert", 0.0, 0.0, 1.0), ("triangular", 1.0, 4.0, 4.0),
    ("bernoulli", 0.0, 0.606, 1.0), ("bernoulli", 0.0, 0.0, 1.0), ("bernoulli", 0.0, 1.0, 1.0)])
def test_ppf_matches_scipy_frozen(dist, lo, mode, hi):
    u = np.random.default_rng(1).random((5000, 1))
    got = D.ppf([dist], [lo], [mode], [hi], u)[:, 0]
    want = D.frozen(dist, lo, mode, hi).ppf(u[:, 0])
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9 * (hi - lo))


@pytest.mark.parametrize("dist", ["pert", "triangular", "uniform", "lognormal"])
def test_analytic_means(dist):
    f = D.frozen(dist, 2.0, 3.0, 7.0)
    assert D.mean(dist, 2.0, 3.0, 7.0) == pytest.approx(f.mean(), rel=1e-12)


def test_bernoulli_is_one_with_probability_mode_and_non_decreasing():
    """On an even grid of n points the share of ones is p to within 1/n, and the inverse
    CDF never falls as u rises (LHS, Sobol and copulas rely on that)."""
    u = (np.arange(10_000) + 0.5) / 10_000
    out = D.ppf(["bernoulli"], [0.0], [0.606], [1.0], u[:, None])[:, 0]
    assert set(out.tolist()) == {0.0, 1.0}
    assert abs(out.mean() - 0.606) <= 1e-4
    assert np.all(np.diff(out) >= 0)
    assert D.mean("bernoulli", 0.0, 0.606, 1.0) == 0.606


def test_lognormal_low_high_are_5_and_95_percent():
    f = D.frozen("lognormal", 2.0, 3.0, 7.0)
    assert f.ppf(0.05) == pytest.approx(2.0, rel=1e-12)
    assert f.ppf(0.95) == pytest.approx(7.0, rel=1e-12)


def test_fixed_and_collapsed_ranges_give_the_mode():
    u = np.random.default_rng(2).random((10, 2))
    out = D.ppf(["fixed", "pert"], [1.0, 5.0], [2.0, 5.0], [3.0, 5.0], u)
    np.testing.assert_array_equal(out, [[2.0, 5.0]] * 10)


def test_beta_ppf_tiny_probabilities():
    """scipy's betaincinv gives NaN below ~1e-200; the asymptote x = (u a B(a, b))^(1/a)
    takes over and agrees with it where both are defined."""
    u = np.array([1e-300, 3.88e-269, 1e-200, 1e-120])
    x = D.beta_ppf(u, 3.0, 3.0)
    assert np.isfinite(x).all() and (np.diff(x) > 0).all()
    edge = D.beta_ppf(np.array([1e-101]), 3.0, 3.0)
    exact = special.betaincinv(3.0, 3.0, 1e-101)
    np.testing.assert_allclose(edge, exact, rtol=1e-12)


def test_the_special_functions_are_scipy_stats_own():
    """The draws use scipy.special, not scipy.stats (1 s to import): ``ndtri`` and ``ndtr``
    give exactly what ``norm.ppf`` and ``norm.cdf`` give (the sign of a zero aside:
    ``norm.ppf(0.5)`` adds 0.0); the beta pdf, from public special functions, agrees with
    ``beta.pdf`` to a few units in the last place (it sets only the interpolation's slopes,
    whose error is far below the table's 1e-9)."""
    from scipy import stats

    from effectmodel.model.design import gaussian_copula

    rng = np.random.default_rng(3)
    u = np.concatenate([rng.random(100_000), [0.0, 0.5, 1.0, 1e-300, 1 - 2**-53]])
    assert np.array_equal(special.ndtri(u) + 0.0, stats.norm.ppf(u))
    x = np.concatenate([rng.normal(0, 3, 100_000), [-np.inf, -0.0, 0.0, np.inf, 40.0]])
    assert np.array_equal(special.ndtr(x), stats.norm.cdf(x))
    np.testing.assert_allclose(D.beta_pdf(u, 1.4, 4.6), stats.beta.pdf(u, 1.4, 4.6),
                               rtol=1e-13, atol=0)
    for alpha, beta in [(1.0, 5.0), (5.0, 1.0), (3.0, 3.0), (2.6, 1.8), (1.0, 1.0)]:
        x, slope, _ = D._beta_table(alpha, beta)
        np.testing.assert_allclose(slope, 1.0 / stats.beta.pdf(x, alpha, beta), rtol=1e-13,
                                   atol=0)
    v = rng.random((2, 50_000))
    want = stats.norm.cdf(0.6 * stats.norm.ppf(v[0]) + np.sqrt(1 - 0.36) * stats.norm.ppf(v[1]))
    assert np.array_equal(gaussian_copula(v[0], v[1], 0.6), want)
    assert D.Z95 == float(stats.norm.ppf(0.95))


@pytest.mark.slow
def test_evaluating_the_model_does_not_import_scipy_stats():
    """A process that only evaluates (a run's budget helper, a sweep worker's scenarios)
    does not pay for scipy.stats."""
    import subprocess
    import sys

    code = ("import sys; import effectmodel as em; from effectmodel.model import budget; "
            "p = em.load_params(sys.argv[1], n_draws=64); i = em.load_inputs(p); "
            "budget.variance_budget(p, i, em.evaluate(p, i), '2019-2020'); "
            "from effectmodel.model import scenarios; scenarios.evaluate_scenarios(p, i, "
            "[{}, {'buyer_groups.additionality': 0.5}], [0, 1], ['bg_total_t'], 0.9); "
            "print(sorted(m for m in sys.modules if m.startswith('scipy.stats')))")
    from conftest import REFERENCE

    out = subprocess.run([sys.executable, "-c", code, str(REFERENCE)], capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "[]"
