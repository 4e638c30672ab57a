"""The monitor's interval for a stratum's ratio estimate from its design-bootstrap draws
(docs/model.md, section 2, "Which interval").

The percentile interval of the bootstrap draws inherits the ratio estimator's skew the wrong
way round: a sample that misses the large tenders gives a low estimate and a narrow spread,
so its interval falls below the truth far more often than above it (1.7-3.9 times in the
review's populations). The **studentized** (bootstrap-t) interval divides each bootstrap
deviation by that resample's own linearised standard error, so a resample without the large
tenders counts as the large deviation it is: each draw becomes

    R_d = R_hat - t_d SE_hat,   t_d = (R*_d - R_hat) / SE*_d

whose quantiles are the bootstrap-t interval; the draws stay draws, so sums over strata,
the variance budget and every other figure read them as before. ``log`` does the same on
``log R`` (SE / R its standard error), which keeps every draw above 0.

Pure functions on NumPy arrays; the last axis is the sampled tenders, contiguous by
stratum, and the resampling units (:func:`~.equations.design_units`) contiguous within
strata.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import special

from effectmodel.model.monitor import equations

#: the interval procedures: ``percentile`` (the bootstrap draws as they are), ``studentized``
#: (bootstrap-t) and ``log`` (bootstrap-t on log R; benchmarks/coverage.py compares it, and
#: it covers less than ``studentized`` in every population there)
METHODS = ("percentile", "studentized", "log")


#: a resample's studentized deviation is held within Student's t of n - 1 degrees of freedom
#: at this level, both sides: a resample that puts nearly all its weight on one tender has
#: nearly no spread of its own, and its deviation over that spread would be unbounded
#: (benchmarks/coverage.py: at 0.995 the pooled coverage is 0.871, at 0.999 0.886)
T_LEVEL = 0.999


def t_bound(n_sampled) -> np.ndarray:
    """(stratum,) the bound on a resample's studentized deviation [-]: Student's t quantile
    :data:`T_LEVEL` with ``n - 1`` degrees of freedom (at least 1)."""
    return special.stdtrit(np.maximum(np.asarray(n_sampled, dtype=float) - 1, 1), T_LEVEL)


@dataclass(frozen=True)
class Layout:
    """Where each stratum's tenders and resampling units lie in the tender axis.

    starts : first tender of each stratum; unit_starts, unit_n : first tender and tenders of
    each resampling unit; unit_f : its sampled fraction n / N [-] (0 unknown, 1 a census).
    """

    starts: np.ndarray
    unit_starts: np.ndarray
    unit_n: np.ndarray
    unit_f: np.ndarray

    @property
    def n_strata(self) -> int:
        return len(self.starts)

    @cached_property
    def stratum_n(self) -> np.ndarray:
        """(stratum,) the tenders of each stratum."""
        n = int(self.unit_starts[-1] + self.unit_n[-1]) if len(self.unit_n) else 0
        return np.diff(np.append(self.starts, n))

    @cached_property
    def unit_stratum_starts(self) -> np.ndarray:
        """The first unit of each stratum."""
        unit_stratum = np.searchsorted(self.starts, self.unit_starts, side="right") - 1
        return np.searchsorted(unit_stratum, np.arange(len(self.starts)))


def ratio_se(effect, value, weight, layout: Layout, boot=None, inflation=None
             ) -> tuple[np.ndarray, np.ndarray]:
    """Each stratum's ratio ``R = sum(w b y) / sum(w b x)`` [y per x] and its linearised
    standard error [y per x], the bootstrap weights ``b`` read as frequencies (a resample's
    tender counted ``b`` times, as a with-replacement resample counts it):
    ``Var(R) = sum_u (1 - f_u) n_u / (n_u - 1) sum_{i in u} b_i (z_i - zbar_u)^2 / X^2``,
    ``z = w (y - R x)``, ``zbar_u = sum_{i in u} b_i z_i / n_u``. With ``b`` 1 (None) it is
    :func:`~.equations.linearised_se` over the frame total; with a resample's ``b`` it is
    that resample's own standard error. A unit of one tender or a census adds nothing.

    Parameters
    ----------
    effect : (..., tender) [t CO2-eq]; value : (tender,) [EUR]; weight : (tender,) the
    sampling weights [-]; boot : (..., tender) bootstrap weights, mean 1 in each unit [-]

    Returns
    -------
    (R, SE), each (..., stratum)
    """
    wv = np.asarray(weight * value, dtype=float)
    wy = weight * effect
    if boot is None:
        big_x = equations.stratum_sums(wv, layout.starts)
        big_y = equations.stratum_sums(wy, layout.starts)
    else:
        big_x = equations.stratum_sums(wv * boot, layout.starts)
        big_y = equations.stratum_sums(wy * boot, layout.starts)
    ratio = big_y / big_x
    # z = w (y - R x), the ratio repeated over each stratum's (contiguous) tenders
    z = wy - np.repeat(ratio, layout.stratum_n, axis=-1) * wv
    bz = z if boot is None else boot * z
    n = layout.unit_n
    # sum b (z - zbar)^2 = sum b z^2 - n zbar^2, the weights' sum in a unit being n
    s1 = np.add.reduceat(bz, layout.unit_starts, axis=-1)
    ss = np.maximum(np.add.reduceat(bz * z, layout.unit_starts, axis=-1) - s1 * s1 / n, 0.0)
    scale = np.where(n > 1, (1 - np.clip(layout.unit_f, 0, 1)) * n / np.maximum(n - 1, 1), 0.0)
    if inflation is not None:
        scale = scale * inflation
    var = equations.segment_sums(ss * scale, layout.unit_stratum_starts, layout.n_strata)
    return ratio, np.sqrt(var) / np.abs(big_x)


def studentized(r_star, se_star, r_hat, se_hat, method: str = "studentized",
                t_max=np.inf):
    """Each draw of the bootstrap-t interval [as R]: ``R_hat - t SE_hat`` with ``t = (R* -
    R_hat) / SE*``; ``log``: the same on ``log R`` with standard error ``SE / R``, so
    ``R_hat exp(-t SE_hat / R_hat)``, where ``R_hat`` and every ``R*`` are above 0 (else as
    ``studentized``). A resample without spread (``SE* = 0``) gives ``R_hat``;
    ``percentile`` returns ``r_star`` itself. ``t`` is held within ``t_max`` (stratum,)
    (:func:`t_bound`).

    Parameters
    ----------
    r_star, se_star : (..., stratum) a resample's ratio and its standard error
    r_hat, se_hat : (..., stratum) the sample's (broadcast against the draws)
    """
    if method == "percentile":
        return r_star
    if method not in METHODS:
        raise ValueError(f"unknown interval {method!r} (allowed: {', '.join(METHODS)})")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t = np.clip(np.where(se_star > 0, (r_star - r_hat) / se_star, 0.0), -t_max, t_max)
        plain = r_hat - t * se_hat
        if method == "studentized":
            return plain
        ok = (r_hat > 0) & (r_star > 0)
        t_log = np.where(ok & (se_star > 0),
                         (np.log(np.where(ok, r_star, 1)) - np.log(np.where(ok, r_hat, 1)))
                         / (se_star / np.where(ok, r_star, 1)), 0.0)
        logged = r_hat * np.exp(-t_log * se_hat / np.where(ok, r_hat, 1))
    return np.where(ok, logged, plain)


def interval_draws(effect, value, weight, boot, layout: Layout, method: str,
                   inflation=None, t_max=np.inf):
    """(..., stratum) each draw's ratio [y per x] under ``method``: the resample's (``weight
    x boot``) for ``percentile``, else the bootstrap-t draw of :func:`studentized`, with
    the sample's ratio and standard error on the same draw's effects (at least 0 where no
    tender of the stratum has an effect below 0), that standard error's
    unit variances times ``inflation`` (unit,) (the jackknife's over the linearisation,
    :func:`~.equations.jackknife_inflation`: the linearisation runs low for a small skewed
    sample).

    Parameters
    ----------
    effect : (..., tender) each draw's tender effects; value : (tender,); weight : (tender,)
    the sampling weights; boot : (..., tender) the bootstrap weights, mean 1 in each unit
    """
    r_star, se_star = ratio_se(effect, value, weight, layout, boot)
    if method == "percentile":
        return r_star
    r_hat, se_hat = ratio_se(effect, value, weight, layout, inflation=inflation)
    out = studentized(r_star, se_star, r_hat, se_hat, method, t_max)
    # a stratum whose tenders all save (no effect below 0) cannot total below 0
    negative = equations.stratum_sums((np.asarray(effect) < 0).astype(float), layout.starts)
    return np.where(negative == 0, np.maximum(out, 0.0), out)
