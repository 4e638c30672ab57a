"""The MVI effect monitor: sampled tenders extrapolated to all spend (MODEL.md section 2).

Pure functions on NumPy arrays; tenders are grouped in contiguous strata (period x product
group), and sums over tenders use ``np.add.reduceat`` so the result is the same bit for bit
whatever the number of draws computed at once.
"""

from __future__ import annotations

import numpy as np


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
