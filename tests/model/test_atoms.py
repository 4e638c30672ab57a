"""Quantiles on a mass of draws at 0: read as 0 with the share at 0 said beside, the same on
every seed; quantiles away from a mass keep their batch-means error, which the spread across
seeds bears out (several populations, none tuned to)."""

from __future__ import annotations

import numpy as np
import pytest

from effectmodel.model import stats

N, SEEDS = 10_000, 20


def mixture(rng, p0: float, n: int = N, kind: str = "lognormal") -> np.ndarray:
    """Draws with a mass ``p0`` at 0 and a continuous positive part."""
    cont = {"lognormal": lambda: rng.lognormal(10, 0.8, n),
            "gamma": lambda: rng.gamma(2.0, 5000.0, n),
            "uniform": lambda: rng.uniform(500.0, 60_000.0, n)}[kind]()
    return np.where(rng.random(n) < p0, 0.0, cont)


@pytest.mark.parametrize("kind", ["lognormal", "gamma", "uniform"])
@pytest.mark.parametrize("p0", [0.0496, 0.051, 0.3])
def test_a_bound_on_the_mass_is_zero_on_every_seed(kind, p0):
    """P(0) at or near the lower bound's level (the review's buyer-group total: 0.0496): the
    bound is 0 with its share on all 20 seeds, not 0 on some and ~1,000 t on others."""
    lows, shares = [], []
    for seed in range(SEEDS):
        d = stats.describe(mixture(np.random.default_rng(seed), p0, kind=kind), 0.9, 20)
        lows.append(d["low"])
        shares.append(d.get("at_zero"))
        assert d["mc_errors"]["low"] == 0.0
    assert lows == [0.0] * SEEDS
    assert all(s is not None and abs(s - p0) < 4 * np.sqrt(p0 * (1 - p0) / N) for s in shares)


@pytest.mark.parametrize("kind", ["lognormal", "gamma", "uniform"])
def test_a_bound_away_from_the_mass_keeps_its_value_and_error(kind):
    """P(0) = 0.02, far below the 5% level (13 binomial SEs): the bound is the continuous
    part's quantile, its seed-to-seed spread within a factor 2 of the batch-means error."""
    ds = [stats.describe(mixture(np.random.default_rng(100 + s), 0.02, kind=kind), 0.9, 20)
          for s in range(SEEDS)]
    lows = np.array([d["low"] for d in ds])
    assert (lows > 0).all() and all("at_zero" not in d for d in ds)
    spread = lows.std(ddof=1)
    reported = np.median([d["mc_errors"]["low"] for d in ds])
    assert 0.5 < spread / reported < 2.0, (spread, reported)


def test_no_mass_no_change():
    """Draws without a 0: the STATS block has no ``at_zero`` and its quantiles are
    NumPy's."""
    x = np.random.default_rng(3).normal(100.0, 10.0, N)
    d = stats.describe(x, 0.9, 20)
    assert "at_zero" not in d
    assert d["low"] == pytest.approx(float(np.quantile(x, 0.05)), rel=1e-12)


def test_a_median_on_a_mass():
    d = stats.describe(mixture(np.random.default_rng(5), 0.6), 0.9, 20)
    assert d["median"] == 0.0 and d["low"] == 0.0 and d["at_zero"] > 0.5
