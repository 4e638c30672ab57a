"""The MVI effect monitor: sampled tenders extrapolated to all spend (docs/model.md, section 2).

Pure functions on NumPy arrays; tenders are grouped in contiguous strata (period x product
group), and sums over tenders use ``np.add.reduceat`` so the result is the same bit for bit
whatever the number of draws computed at once.
"""

from __future__ import annotations

import numpy as np
from scipy import special


def tender_effect(quantity, baseline_ef, mvi_ef):
    """Effect of a criterion that counts.

    ``effect = quantity x (baseline_ef - mvi_ef)``

    Parameters
    ----------
    quantity : quantity under the criterion [unit]; 0 where nothing counts
    baseline_ef : emission factor of the market-average product [t CO2-eq per unit]
    mvi_ef : emission factor of the MVI product [t CO2-eq per unit]

    Returns
    -------
    effect [t CO2-eq]
    """
    return quantity * (baseline_ef - mvi_ef)


def stratum_sums(x: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Sum the last axis of ``x`` over contiguous strata beginning at ``starts``.

    Parameters
    ----------
    x : array (..., tender)
    starts : index of the first tender of each stratum, increasing, starting at 0

    Returns
    -------
    array (..., stratum)
    """
    return np.add.reduceat(x, starts, axis=-1)


def ratio_estimate(effect, value, weight, starts):
    """Ratio estimator per stratum: ``R = sum(w effect) / sum(w value)``.

    Parameters
    ----------
    effect : (..., tender) [t CO2-eq]
    value : (..., tender) tender value [EUR]
    weight : (..., tender) sampling weight times bootstrap weight [-]
    starts : first tender of each stratum

    Returns
    -------
    R : (..., stratum) [t CO2-eq per EUR]
    """
    return stratum_sums(weight * effect, starts) / stratum_sums(weight * value, starts)


def extrapolate(ratio, frame_total):
    """Effect of all spend in a stratum: ``E = R x T``.

    Parameters
    ----------
    ratio : [t CO2-eq per EUR]
    frame_total : total tender value in the frame [EUR]

    Returns
    -------
    E [t CO2-eq]
    """
    return ratio * frame_total


def segment_sums(x: np.ndarray, starts: np.ndarray, n_segments: int) -> np.ndarray:
    """Sum the last axis of ``x`` over contiguous segments beginning at ``starts``, some of
    which may be empty (their sum is 0).

    Parameters
    ----------
    x : array (..., item)
    starts : index of the first item of each segment, non-decreasing, length ``n_segments``

    Returns
    -------
    array (..., n_segments)
    """
    starts = np.asarray(starts, dtype=int)
    ends = np.append(starts[1:], x.shape[-1])
    full = ends > starts
    out = np.zeros(x.shape[:-1] + (n_segments,))
    if full.any():
        out[..., full] = np.add.reduceat(x, starts[full], axis=-1)
    return out


def inclusion_weights(weight, n_sample, n_frame):
    """Sampling weight of each tender: its own weight over its inclusion probability
    ``n_h / N_h`` where the sub-stratum's frame count is known, else its own weight.

    Parameters
    ----------
    weight : (tender,) the data's weight [-]
    n_sample : (tender,) sampled tenders of the tender's sub-stratum, n_h [tenders]
    n_frame : (tender,) tenders in its frame, N_h [tenders]; NaN: unknown

    Returns
    -------
    (tender,) [-]
    """
    known = np.isfinite(n_frame)
    return np.where(known, weight * np.where(known, n_frame, 1.0) / n_sample, weight)


def fpc_scale(n_sample, n_frame):
    """The finite-population correction of a sub-stratum's resampling, ``sqrt(1 - n/N)``
    [-]; NaN where the frame count is unknown (no correction, weights as drawn)."""
    n_frame = np.asarray(n_frame, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(np.isfinite(n_frame), np.sqrt(np.clip(1 - n_sample / n_frame, 0, 1)),
                        np.nan)


def rescale_bootstrap(boot, segment_of, segment_starts, segment_n, scale):
    """Bayesian-bootstrap weights of sub-strata whose frame count is known: normalised to
    mean 1 within the sub-stratum (each keeps its share of the frame), then shrunk towards
    1 by ``scale`` (the rescaled bootstrap: a linear statistic's spread shrinks by exactly
    ``scale``). Other columns stay as drawn, so a sample without frame counts resamples as
    before, bit for bit.

    Parameters
    ----------
    boot : (..., tender) Exp(1) weights [-]
    segment_of : (tender,) sub-stratum of each tender (contiguous, in order)
    segment_starts : first tender of each sub-stratum; segment_n : its tenders, n_h
    scale : (sub-stratum,) ``sqrt(1 - n_h / N_h)``, 1 without the correction; NaN: as drawn

    Returns
    -------
    (..., tender) [-]
    """
    known = np.isfinite(scale)
    if not known.any():
        return boot
    cols = np.flatnonzero(known[segment_of])
    mean = np.add.reduceat(boot, segment_starts, axis=-1) / segment_n
    s = scale[segment_of[cols]]
    out = boot.copy()
    out[..., cols] = 1 + s * (boot[..., cols] / mean[..., segment_of[cols]] - 1)
    return out


#: the least Dirichlet concentration of the design bootstrap: a unit of two tenders without
#: a frame count would need 0 (its design variance is that of picking one of the two); 0.1
#: gives 1 / 1.2 = 0.83 of it and keeps every weight a proper draw
ALPHA_MIN = 0.1


def design_units(stratum, segment_starts, segment_n, segment_frame):
    """The resampling units of the design bootstrap: the sub-strata, where one with a single
    sampled tender is merged with its neighbour in the same stratum (the next, else the one
    before), since one tender has no spread to estimate. A sub-stratum taken whole (its
    sampled tenders are its frame count: take-all tenders) is a unit of its own and never
    merged: it has no sampling variance. A stratum with one tender in all stays a unit of
    one: it adds no sampling variance (the rule the briefing states).

    Parameters
    ----------
    stratum : (sub-stratum,) stratum of each sub-stratum (contiguous, in order)
    segment_starts : first tender of each sub-stratum; segment_n : its tenders n_h
    segment_frame : (sub-stratum,) frame count N_h [tenders]; NaN unknown

    Returns
    -------
    (unit starts, unit n [tenders], unit frame count [tenders], NaN where a merged
    sub-stratum's is unknown)
    """
    units: list[list] = []
    k, n_seg = 0, len(segment_starts)
    while k < n_seg:
        end = k
        while end + 1 < n_seg and stratum[end + 1] == stratum[k]:
            end += 1
        group = [[int(segment_starts[j]), float(segment_n[j]), float(segment_frame[j])]
                 for j in range(k, end + 1)]
        census = [g for g in group if g[1] == g[2]]  # taken whole: no spread, never merged
        group = [g for g in group if g[1] != g[2]]
        while len(group) > 1 and any(g[1] == 1 for g in group):
            i = next(i for i, g in enumerate(group) if g[1] == 1)
            j = i + 1 if i + 1 < len(group) else i - 1
            a, b = sorted((i, j))
            group[a:b + 1] = [[group[a][0], group[a][1] + group[b][1],
                               group[a][2] + group[b][2]]]
        units += sorted(group + census)
        k = end + 1
    arr = np.array(units, dtype=float).reshape(-1, 3)
    return arr[:, 0].astype(int), arr[:, 1], arr[:, 2]


def sampled_fraction(n, n_frame):
    """The sampled fraction ``f = n / N`` of each unit [-]; 0 where the frame count ``N`` is
    unknown (NaN)."""
    n_frame = np.asarray(n_frame, dtype=float)
    known = np.isfinite(n_frame)
    return np.where(known, np.asarray(n, dtype=float) / np.where(known, n_frame, 1.0), 0.0)


def dirichlet_concentration(n, n_frame, fpc: bool = True, inflation=None):
    """The concentration alpha of each unit's Dirichlet weights that gives a linear
    statistic the variance of the stratified design, ``(1 - f) s^2 / n`` with ``f = n / N``
    (0 without a frame count or ``fpc``): ``alpha = ((n - 1) / (1 - f) - 1) / n`` [-]. A flat
    Dirichlet (alpha 1, the plain Bayesian bootstrap) gives ``(n - 1) / (n + 1)`` of it.
    ``inflation`` (unit,): that variance times it, ``alpha = ((n - 1) / ((1 - f) k) - 1) / n``
    (:func:`jackknife_inflation`: the ratio estimator's small-sample excess over its
    linearisation). Floored at :data:`ALPHA_MIN`; a unit of one tender (no spread) and a
    census (f = 1, no sampling variance) get 1 and 1e9."""
    n = np.asarray(n, dtype=float)
    f = sampled_fraction(n, n_frame) if fpc else np.zeros_like(n)
    k = np.ones_like(n) if inflation is None else np.asarray(inflation, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = ((n - 1) / ((1 - np.minimum(f, 1.0)) * k) - 1) / n
    alpha = np.where(f >= 1, 1e9, np.maximum(alpha, ALPHA_MIN))
    return np.where(n <= 1, 1.0, alpha)


def normalise_units(boot, unit_starts, unit_n):
    """Bootstrap weights divided by their mean within each (contiguous) unit: every unit
    keeps its share of the sample, and draws only how its tenders share it [-].

    Parameters
    ----------
    boot : (..., tender) positive weights; unit_starts : first tender of each unit;
    unit_n : (unit,) its tenders
    """
    mean = np.add.reduceat(boot, unit_starts, axis=-1) / unit_n
    return boot / np.repeat(mean, unit_n.astype(int), axis=-1)


def linearised_se(effect, value, weight, unit_starts, unit_n, unit_frame, starts,
                  frame_total):
    """The design-based (Taylor linearisation) standard error of each stratum's ratio
    estimate ``E = T sum(w y) / sum(w x)`` [t CO2-eq]: with residuals ``e = y - R x``,
    ``Var(R) = sum_u W_u^2 (1 - f_u) s_{e,u}^2 / n_u / (sum w x)^2`` over the stratum's
    resampling units ``u`` (``W_u`` their weight, ``f_u = n_u / N_u``, 0 without a frame
    count; a unit of one tender adds nothing), and ``SE = T sqrt(Var(R))``.

    Parameters
    ----------
    effect, value, weight : (tender,) [t CO2-eq], [EUR], [-]
    unit_starts, unit_n, unit_frame : the units (:func:`design_units`)
    starts : first tender of each stratum; frame_total : (stratum,) [EUR]
    """
    effect, value, weight = (np.asarray(a, dtype=float) for a in (effect, value, weight))
    den = stratum_sums(weight * value, starts)
    ratio = stratum_sums(weight * effect, starts) / den
    stratum_of = np.searchsorted(starts, np.arange(len(value)), side="right") - 1
    e = effect - ratio[stratum_of] * value
    n = np.asarray(unit_n, dtype=float)
    mean = np.add.reduceat(e, unit_starts) / n
    ss = np.add.reduceat((e - np.repeat(mean, n.astype(int))) ** 2, unit_starts)
    s2 = np.where(n > 1, ss / np.maximum(n - 1, 1), 0.0)
    f = sampled_fraction(n, unit_frame)
    w_unit = np.add.reduceat(weight, unit_starts)
    var = w_unit**2 * np.clip(1 - f, 0, 1) * s2 / n
    unit_stratum = np.searchsorted(starts, unit_starts, side="right") - 1
    var_num = np.bincount(unit_stratum, weights=var, minlength=len(starts))
    return np.asarray(frame_total, dtype=float) * np.sqrt(var_num) / den


#: the jackknife's inflation of a unit's variance is held to this range [-]: one sample's
#: ratio of two variance estimates is noisy (a sanity bound; over five simulated populations
#: it changed no ratio of bootstrap SD to true SD by more than 0.01 against no bound)
INFLATION_RANGE = (0.25, 4.0)


def jackknife_inflation(effect, value, weight, unit_starts, unit_n, starts):
    """(unit,) the delete-one jackknife variance of each stratum's ratio ``sum(w y) /
    sum(w x)`` from each resampling unit, over its linearisation [-], within
    :data:`INFLATION_RANGE`; 1 for a unit of one tender or without spread.

    The linearisation, which the design bootstrap matches for a linear statistic, runs low
    for a ratio of small skewed samples (0.85 of the true SD at n = 5 from a lognormal
    population of 1,000); the jackknife does not (1.03). Deleting tender i of unit u leaves
    the unit's other tenders its weight: ``Y_(i) = Y - Y_u + (Y_u - w_i y_i) n / (n - 1)``,
    the same for X, ``R_(i) = Y_(i) / X_(i)``; ``v_jack = (n - 1) / n sum (R_(i) - mean)^2``
    and its linear counterpart ``n / (n - 1) sum (z_i - mean z)^2 / X^2`` with ``z = w (y -
    R x)``.

    Parameters
    ----------
    effect, value, weight : (tender,) [t CO2-eq], [EUR], [-]
    unit_starts, unit_n : the units (:func:`design_units`); starts : each stratum's first
    """
    y, x, w = (np.asarray(a, dtype=float) for a in (effect, value, weight))
    n = np.asarray(unit_n, dtype=float)
    reps = n.astype(int)
    tender_stratum = np.searchsorted(starts, np.arange(len(x)), side="right") - 1
    big_y = stratum_sums(w * y, starts)[tender_stratum]
    big_x = stratum_sums(w * x, starts)[tender_stratum]
    unit_y = np.repeat(np.add.reduceat(w * y, unit_starts), reps)
    unit_x = np.repeat(np.add.reduceat(w * x, unit_starts), reps)
    nn = np.repeat(n, reps)
    keep = np.where(nn > 1, nn / np.maximum(nn - 1, 1), 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r_del = (big_y - unit_y + (unit_y - w * y) * keep) / (big_x - unit_x
                                                                + (unit_x - w * x) * keep)
        ratio = big_y / big_x
        z = w * (y - ratio * x)

        def spread(a):
            mean = np.add.reduceat(a, unit_starts) / n
            return np.add.reduceat((a - np.repeat(mean, reps)) ** 2, unit_starts)
        v_jack = (n - 1) / n * spread(r_del)
        v_lin = n / np.maximum(n - 1, 1) * spread(z) / big_x[unit_starts] ** 2
        k = v_jack / v_lin
    ok = (n > 1) & np.isfinite(k) & (v_lin > 0)
    return np.where(ok, np.clip(k, *INFLATION_RANGE), 1.0)


def zero_stratum_share(u, n_sampled):
    """Share of a product group's spend with an effect when none of its ``n_sampled``
    sampled tenders has one: the Jeffreys posterior Beta(1/2, n + 1/2), at points ``u``
    [-]. Its 95% point is the upper bound the briefing shows (about 1.9 / n; the classical
    rule of three gives 3 / n)."""
    return special.betaincinv(0.5, np.asarray(n_sampled, dtype=float) + 0.5, u)
