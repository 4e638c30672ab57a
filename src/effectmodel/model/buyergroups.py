"""Buyer-group tenders: ex-ante CO2 reduction of tenders in preparation (docs/model.md, section 1).

Pure functions on NumPy arrays or xarray objects; no I/O, no plotting.
"""

from __future__ import annotations

import numpy as np
import xarray as xr


def tender_reduction(quantity, emission_factor, reduction_fraction, award=1.0,
                     additionality=1.0):
    """Reduction of one tender over the contract.

    ``reduction = award x quantity x emission_factor x reduction_fraction x additionality``

    Parameters
    ----------
    quantity : what the tender buys [tender unit]
    emission_factor : emission factor of the conventional product [t CO2-eq per tender unit]
    reduction_fraction : share of baseline emissions avoided by the criteria [-]
    award : 1 if awarded with criteria intact, else 0 [-]
    additionality : share beyond market standard or legal minimum [-]

    Returns
    -------
    reduction [t CO2-eq], same shape as the broadcast inputs
    """
    return award * quantity * emission_factor * reduction_fraction * additionality


def as_planned(tenders) -> np.ndarray:
    """RIVM's method: modes, every tender awarded, additionality 1.

    Parameters
    ----------
    tenders : the buyer_group_tenders table (``*_mode`` columns).

    Returns
    -------
    array (tender,) [t CO2-eq]
    """
    return tender_reduction(
        tenders["quantity_mode"].to_numpy(float),
        tenders["emission_factor_mode"].to_numpy(float),
        tenders["reduction_fraction_mode"].to_numpy(float),
    )


def group_totals(reduction: xr.DataArray) -> xr.DataArray:
    """Sum tender reductions per buyer group.

    Parameters
    ----------
    reduction : DataArray (..., tender) with a ``buyer_group`` coordinate on ``tender``
        [t CO2-eq]

    Returns
    -------
    DataArray (..., buyer_group) [t CO2-eq], groups in order of first appearance
    """
    groups = list(dict.fromkeys(reduction["buyer_group"].values.tolist()))
    parts = [reduction.isel(tender=np.flatnonzero(reduction["buyer_group"].values == g))
             .sum("tender") for g in groups]
    out = xr.concat(parts, dim="buyer_group").assign_coords(buyer_group=groups)
    dims = [d for d in reduction.dims if d != "tender"] + ["buyer_group"]
    out = out.transpose(*dims)
    out.attrs["units"] = "t CO2-eq"
    return out


def households(reduction_t, t_per_household):
    """Household equivalent of a reduction.

    Parameters
    ----------
    reduction_t : reduction [t CO2-eq]
    t_per_household : household factor of the publication [t CO2-eq per household]

    Returns
    -------
    households [households]
    """
    return reduction_t / t_per_household
