"""Sensitivity: which inputs drive the width of a range.

Rank (Spearman) correlations between every drawn input and an output, from the draws of a run;
the tornado chart shows the largest. Pure functions.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
from scipy.stats import rankdata


def rank_correlations(inputs: dict, output: np.ndarray) -> pd.DataFrame:
    """Spearman correlation of each input with the output.

    Parameters
    ----------
    inputs : name -> draws (n_draws,) [any unit]; a name may be a tuple (item, variable)
    output : draws (n_draws,) [any unit]

    Returns
    -------
    DataFrame (input, item, variable, rho) sorted by |rho|, largest first; constant inputs are
    left out.
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
        item, variable = name if isinstance(name, tuple) else (name, "")
        label = f"{item}: {variable}" if variable else item
        rows.append((label, item, variable, rho))
    df = pd.DataFrame(rows, columns=["input", "item", "variable", "rho"])
    order = np.argsort(-df["rho"].abs().to_numpy(), kind="stable")
    return df.iloc[order].reset_index(drop=True)


def buyer_group_drivers(ds: xr.Dataset) -> pd.DataFrame:
    """Rank correlations of every buyer-group tender input with the risk-adjusted total."""
    inputs = {}
    for var in ("quantity", "emission_factor", "reduction_fraction", "award", "additionality"):
        arr = ds[f"bg_in_{var}"]
        for t in arr["tender"].values.tolist():
            inputs[(t, var)] = arr.sel(tender=t).values
    inputs[("households", "household_factor")] = ds["bg_household_factor"].values
    return rank_correlations(inputs, ds["bg_total_t"].values)


def monitor_drivers(ds: xr.Dataset, period: str) -> pd.DataFrame:
    """Rank correlations of translation factors and frame totals with one period's total."""
    inputs = {}
    for f in ds["factor"].values.tolist():
        inputs[(f, "baseline_ef")] = ds["mon_in_baseline_ef"].sel(factor=f).values
        inputs[(f, "mvi_ef")] = ds["mon_in_mvi_ef"].sel(factor=f).values
    for i in np.flatnonzero(ds["stratum_period"].values == period):
        g = str(ds["stratum_product_group"].values[i])
        inputs[(g, "frame_total")] = ds["pg_in_frame_multiplier"][:, i].values
    return rank_correlations(inputs, ds["period_total_t"].sel(period=period).values)


#: the widest confidence interval of an index before the report advises a larger design
WIDE_INTERVAL = 0.1


def flag_indices(df: pd.DataFrame, dummy: str | None, n_base: int) -> dict[str, Any]:
    """Sobol indices judged against what they can show: the dummy parameter's indices (it
    is drawn but read by nothing) give the noise floor, and each index is flagged when its
    ST exceeds 1, its S1 lies below 0 beyond its interval, it lies below the noise floor, or
    the parameter cannot reach the output at all (every scenario pair that differs only in
    it gives the same figure: ST = 0 exactly under common random numbers). ``n_base``: the
    design's base sample N, for the advice when intervals are wide.

    Returns {"indices": rows without the dummy, each with ``flags`` (codes:
    ``cannot_reach``, ``st_above_1``, ``s1_below_0``, ``below_floor``, else SALib's
    ``negative`` / ``includes_0`` warnings as ``warning``), "noise_floor": {"S1", "ST"} or
    None, "widest_interval": the widest half-width [-], "advise_n": a base sample N that
    would halve the intervals, or None when none is wider than :data:`WIDE_INTERVAL`}.
    """
    floor = None
    rows = df
    if dummy is not None and dummy in set(df["parameter"]):
        d = df[df["parameter"] == dummy].iloc[0]
        floor = {"S1": float(abs(d["S1"]) + d["S1_conf"]), "ST": float(abs(d["ST"]) +
                                                                       d["ST_conf"])}
        rows = df[df["parameter"] != dummy]
    out = []
    for r in rows.to_dict(orient="records"):
        flags = []
        if r["ST"] <= 1e-12 and abs(r["S1"]) <= 1e-12:
            flags.append("cannot_reach")
        else:
            if r["ST"] > 1:
                flags.append("st_above_1")
            if r["S1"] + r["S1_conf"] < 0:
                flags.append("s1_below_0")
            if floor is not None and r["ST"] <= floor["ST"] and floor["ST"] > 0:
                flags.append("below_floor")
        r["flags"] = flags
        out.append(r)
    wide = max((max(r["S1_conf"], r["ST_conf"]) for r in out), default=0.0)
    return {"indices": out, "noise_floor": floor, "widest_interval": wide,
            "advise_n": 4 * n_base if wide > WIDE_INTERVAL else None}


def sobol_indices(problem: dict, y: np.ndarray, conf_level: float = 0.95,
                  seed: int = 0) -> pd.DataFrame:
    """First-order and total Sobol indices (SALib, Saltelli/Jansen estimators) with their
    bootstrap confidence intervals.

    Parameters
    ----------
    problem : SALib problem (num_vars, names, bounds) of the design that produced ``y``.
    y : model output per design point, in the order of ``SALib.sample.sobol.sample``
        (no second order) [any unit].

    Returns
    -------
    DataFrame (parameter, S1, S1_conf, ST, ST_conf, warning); ``warning`` names an index that
    is negative or whose interval includes zero.
    """
    from SALib.analyze import sobol

    res = sobol.analyze(problem, np.asarray(y, dtype=float), calc_second_order=False,
                        conf_level=conf_level, seed=seed)
    rows = []
    for i, name in enumerate(problem["names"]):
        s1, c1, st, ct = (float(res[k][i]) for k in ("S1", "S1_conf", "ST", "ST_conf"))
        warn = []
        for label, v, c in (("S1", s1, c1), ("ST", st, ct)):
            if v < 0:
                warn.append(f"{label} negative")
            elif v - c <= 0:
                warn.append(f"{label} interval includes 0")
        rows.append((name, s1, c1, st, ct, "; ".join(warn)))
    return pd.DataFrame(rows, columns=["parameter", "S1", "S1_conf", "ST", "ST_conf",
                                       "warning"])
