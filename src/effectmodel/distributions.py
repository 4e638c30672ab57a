"""Distributions: a (dist, low, mode, high) spec -> scipy distribution; inverse CDF of uniforms.

Kinds (the data tables' ``*_dist`` columns):

- ``pert``: beta-PERT on [low, high] with the given mode (shape 4);
- ``triangular``: triangular on [low, high] with the given mode;
- ``uniform``: uniform on [low, high] (mode unused, must lie within);
- ``lognormal``: low and high are the 5th and 95th percentiles (mode unused);
- ``fixed``: always the mode.

Nothing here draws random numbers: :func:`ppf` maps points of the unit hypercube.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

Z95 = float(stats.norm.ppf(0.95))


def frozen(dist: str, low: float, mode: float, high: float):
    """The scipy.stats frozen distribution of one spec (``fixed``: a point mass as uniform of
    width 0)."""
    width = high - low
    if dist == "fixed" or width == 0:
        return stats.uniform(loc=mode, scale=0.0)
    if dist == "pert":
        a = 1 + 4 * (mode - low) / width
        b = 1 + 4 * (high - mode) / width
        return stats.beta(a, b, loc=low, scale=width)
    if dist == "triangular":
        return stats.triang((mode - low) / width, loc=low, scale=width)
    if dist == "uniform":
        return stats.uniform(loc=low, scale=width)
    if dist == "lognormal":
        mu, sigma = _lognormal_params(low, high)
        return stats.lognorm(sigma, scale=np.exp(mu))
    raise ValueError(f"unknown distribution {dist!r} (allowed: pert, triangular, uniform, "
                     "lognormal, fixed)")


def _lognormal_params(low, high):
    mu = (np.log(low) + np.log(high)) / 2
    sigma = (np.log(high) - np.log(low)) / (2 * Z95)
    return mu, sigma


def mean(dist: str, low: float, mode: float, high: float) -> float:
    """Analytic mean of one spec [same unit as low/mode/high]."""
    if dist == "fixed" or high == low:
        return float(mode)
    if dist == "pert":
        return (low + 4 * mode + high) / 6
    if dist == "triangular":
        return (low + mode + high) / 3
    if dist == "uniform":
        return (low + high) / 2
    if dist == "lognormal":
        mu, sigma = _lognormal_params(low, high)
        return float(np.exp(mu + sigma**2 / 2))
    raise ValueError(f"unknown distribution {dist!r}")


def ppf(dist, low, mode, high, u: np.ndarray) -> np.ndarray:
    """Inverse CDF, vectorised over columns.

    Parameters
    ----------
    dist, low, mode, high : sequences of length n_cols (one spec per column).
    u : array (n_draws, n_cols) of points in [0, 1).

    Returns
    -------
    array (n_draws, n_cols) [unit of low/mode/high]
    """
    u = np.asarray(u, dtype=float)
    dist = np.asarray(dist, dtype=object)
    low, mode, high = (np.asarray(x, dtype=float) for x in (low, mode, high))
    out = np.empty_like(u)
    width = high - low
    point = (dist == "fixed") | (width == 0)
    for kind in ("pert", "triangular", "uniform", "lognormal"):
        cols = np.flatnonzero((dist == kind) & ~point)
        if cols.size == 0:
            continue
        a, m, c, w, uu = low[cols], mode[cols], high[cols], width[cols], u[:, cols]
        if kind == "pert":
            alpha = 1 + 4 * (m - a) / w
            beta = 1 + 4 * (c - m) / w
            out[:, cols] = a + w * stats.beta.ppf(uu, alpha, beta)
        elif kind == "triangular":
            fc = (m - a) / w
            left = a + np.sqrt(uu * w * (m - a))
            right = c - np.sqrt((1 - uu) * w * (c - m))
            out[:, cols] = np.where(uu < fc, left, right)
        elif kind == "uniform":
            out[:, cols] = a + w * uu
        else:
            mu, sigma = _lognormal_params(a, c)
            out[:, cols] = np.exp(mu + sigma * stats.norm.ppf(uu))
    cols = np.flatnonzero(point)
    out[:, cols] = mode[cols]
    return out


def lognormal_multiplier(relative_uncertainty, u: np.ndarray) -> np.ndarray:
    """Multiplicative uncertainty with median 1 and log-sd ``relative_uncertainty``.

    Parameters
    ----------
    relative_uncertainty : array (n_cols,) [-]
    u : array (n_draws, n_cols) in [0, 1)

    Returns
    -------
    array (n_draws, n_cols) [-]
    """
    sigma = np.asarray(relative_uncertainty, dtype=float)
    return np.exp(sigma * stats.norm.ppf(np.clip(u, 1e-12, 1 - 1e-12)))
