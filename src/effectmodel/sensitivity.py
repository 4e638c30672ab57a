"""Sensitivity: which inputs drive the width of a range.

Rank (Spearman) correlations between every drawn input and an output, from the draws of a run;
the tornado chart shows the largest. Pure functions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr
from scipy.stats import rankdata


def rank_correlations(inputs: dict[str, np.ndarray], output: np.ndarray) -> pd.DataFrame:
    """Spearman correlation of each input with the output.

    Parameters
    ----------
    inputs : name -> draws (n_draws,) [any unit]
    output : draws (n_draws,) [any unit]

    Returns
    -------
    DataFrame (input, rho) sorted by |rho|, largest first; constant inputs are left out.
    """
    ry = rankdata(output)
    ry = ry - ry.mean()
    rows = []
    for name, x in inputs.items():
        x = np.asarray(x, dtype=float)
        if np.ptp(x) == 0 or np.ptp(ry) == 0:
            continue
        rx = rankdata(x)
        rx = rx - rx.mean()
        rho = float(rx @ ry / np.sqrt((rx @ rx) * (ry @ ry)))
        rows.append((name, rho))
    df = pd.DataFrame(rows, columns=["input", "rho"])
    order = np.argsort(-df["rho"].abs().to_numpy(), kind="stable")
    return df.iloc[order].reset_index(drop=True)


def buyer_group_drivers(ds: xr.Dataset) -> pd.DataFrame:
    """Rank correlations of every buyer-group tender input with the risk-adjusted total."""
    inputs = {}
    for var in ("quantity", "emission_factor", "reduction_fraction", "award", "additionality"):
        arr = ds[f"bg_in_{var}"]
        for t in arr["tender"].values.tolist():
            inputs[f"{t}: {var}"] = arr.sel(tender=t).values
    inputs["household factor"] = ds["bg_household_factor"].values
    return rank_correlations(inputs, ds["bg_total_t"].values)


def monitor_drivers(ds: xr.Dataset, period: str) -> pd.DataFrame:
    """Rank correlations of translation factors and frame totals with one period's total."""
    inputs = {}
    for f in ds["factor"].values.tolist():
        inputs[f"{f}: baseline"] = ds["mon_in_baseline_ef"].sel(factor=f).values
        inputs[f"{f}: MVI"] = ds["mon_in_mvi_ef"].sel(factor=f).values
    for i in np.flatnonzero(ds["stratum_period"].values == period):
        g = str(ds["stratum_product_group"].values[i])
        inputs[f"frame total {g}"] = ds["pg_in_frame_multiplier"][:, i].values
    return rank_correlations(inputs, ds["period_total_t"].sel(period=period).values)
