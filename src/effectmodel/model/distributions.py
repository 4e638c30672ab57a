"""Distributions: a (dist, low, mode, high) spec -> scipy distribution; inverse CDF of uniforms.

Kinds (the data tables' ``*_dist`` columns):

- ``pert``: beta-PERT on [low, high] with the given mode (shape 4);
- ``triangular``: triangular on [low, high] with the given mode;
- ``uniform``: uniform on [low, high] (mode unused, must lie within);
- ``lognormal``: low and high are the 5th and 95th percentiles (mode unused);
- ``bernoulli``: 1 with probability ``mode``, else 0 (low must be 0 and high 1): a share that
  counts wholly or not at all, such as criteria that go beyond market standard or not;
- ``fixed``: always the mode.

Nothing here draws random numbers: :func:`ppf` maps points of the unit hypercube.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import special

# The model's draws use scipy.special only: scipy.stats takes about 1 s to import, and every
# process that evaluates the model (a sweep's workers) would pay it. Its standard normal ppf
# is ``special.ndtri`` (bit for bit); its beta pdf is :func:`beta_pdf`, from public special
# functions (within 3e-15 of ``scipy.stats.beta.pdf``; tests/model/test_distributions.py).


def quantile_bounds(interval: float) -> tuple[float, float]:
    """Lower and upper quantile levels of a central interval [-]."""
    return (1 - interval) / 2, (1 + interval) / 2


def beta_pdf(x: np.ndarray, alpha: float, beta: float) -> np.ndarray:
    """Density of Beta(alpha, beta) at ``x`` in [0, 1] [-]."""
    log_pdf = special.xlogy(alpha - 1.0, x) + special.xlog1py(beta - 1.0, -x)
    return np.exp(log_pdf - special.betaln(alpha, beta))


Z95 = float(special.ndtri(0.95))


def frozen(dist: str, low: float, mode: float, high: float):
    """The scipy.stats frozen distribution of one spec (``fixed``: a point mass as uniform of
    width 0)."""
    from scipy import stats

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
    if dist == "bernoulli":
        return stats.bernoulli(mode)
    raise ValueError(f"unknown distribution {dist!r} (allowed: pert, triangular, uniform, "
                     "lognormal, bernoulli, fixed)")


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
    if dist == "bernoulli":
        return float(mode)
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
    for kind in ("pert", "triangular", "uniform", "lognormal", "bernoulli"):
        cols = np.flatnonzero((dist == kind) & ~point)
        if cols.size == 0:
            continue
        a, m, c, w, uu = low[cols], mode[cols], high[cols], width[cols], u[:, cols]
        if kind == "pert":
            alpha = 1 + 4 * (m - a) / w
            beta = 1 + 4 * (c - m) / w
            for j in range(cols.size):
                out[:, cols[j]] = a[j] + w[j] * beta_ppf(uu[:, j], alpha[j], beta[j])
        elif kind == "triangular":
            fc = (m - a) / w
            left = a + np.sqrt(uu * w * (m - a))
            right = c - np.sqrt((1 - uu) * w * (c - m))
            out[:, cols] = np.where(uu < fc, left, right)
        elif kind == "uniform":
            out[:, cols] = a + w * uu
        elif kind == "bernoulli":  # non-decreasing in u, as an inverse CDF must be
            out[:, cols] = (uu >= 1 - m).astype(float)
        else:
            mu, sigma = _lognormal_params(a, c)
            out[:, cols] = np.exp(mu + sigma * special.ndtri(uu))
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
    return np.exp(sigma * special.ndtri(np.clip(u, 1e-12, 1 - 1e-12)))


# --------------------------------------------------------------------------------------------
# A fast, accurate inverse of the beta CDF
# --------------------------------------------------------------------------------------------

TABLE_NODES = 4096
TABLE_LO, TABLE_HI = 0.01, 0.99


@lru_cache(maxsize=4096)
def _beta_table(alpha: float, beta: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Nodes x_k = ppf(u_k) and slopes dx/du = 1 / pdf(x_k) on a uniform grid of u in
    [TABLE_LO, TABLE_HI]."""
    u = np.linspace(TABLE_LO, TABLE_HI, TABLE_NODES + 1)
    x = special.betaincinv(alpha, beta, u)
    with np.errstate(over="ignore", divide="ignore"):  # a zero density: an infinite slope
        slope = 1.0 / beta_pdf(x, alpha, beta)
    return x, slope, (TABLE_HI - TABLE_LO) / TABLE_NODES


def beta_ppf(u: np.ndarray, alpha: float, beta: float) -> np.ndarray:
    """Inverse CDF of Beta(alpha, beta) on [0, 1].

    Cubic Hermite interpolation between exact nodes, with the exact slopes, for u in
    [0.01, 0.99]; the exact inverse (``scipy.special.betaincinv``) in the tails. The error
    against the exact inverse is below 1e-9 (tested in tests/test_distributions.py); it is
    about ten times faster for large arrays.
    """
    u = np.asarray(u, dtype=float)
    out = np.empty_like(u)
    inner = (u >= TABLE_LO) & (u < TABLE_HI)
    tail = ~inner
    if tail.any():
        out[tail] = special.betaincinv(alpha, beta, u[tail])
        # scipy returns NaN for u below ~1e-200: there I_x(a, b) ~ x^a / (a B(a, b))
        tiny = tail & (u < 1e-100) & (u > 0)
        if tiny.any():
            out[tiny] = np.exp((np.log(u[tiny]) + np.log(alpha) + special.betaln(alpha, beta))
                               / alpha)
    if inner.any():
        x, d, h = _beta_table(float(alpha), float(beta))
        pos = (u[inner] - TABLE_LO) / h
        k = np.minimum(pos.astype(np.int64), TABLE_NODES - 1)
        t = pos - k
        t2, t3 = t * t, t * t * t
        out[inner] = ((2 * t3 - 3 * t2 + 1) * x[k] + (t3 - 2 * t2 + t) * h * d[k]
                      + (3 * t2 - 2 * t3) * x[k + 1] + (t3 - t2) * h * d[k + 1])
    return out
