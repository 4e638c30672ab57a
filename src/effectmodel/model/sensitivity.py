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
    """Sobol indices judged against what they can show.

    The noise floor is the larger of the dummy parameter's indices plus their intervals
    (it is drawn but read by nothing: under common random numbers exactly 0) and the
    median interval half-width of the parameters that reach the output: an index within it
    of 0 shows nothing. Flags, each only where the interval excludes the opposite:
    ``cannot_reach`` (every scenario pair that differs only in the parameter gives the same
    figure: ST = 0 exactly under common random numbers), ``st_above_1`` and ``s1_above_1``
    (impossible), ``s1_above_st`` (S1 cannot exceed ST), ``s1_below_0``, ``below_floor``.
    ``n_base``: the design's base sample N; the intervals shrink as 1/sqrt(N) and no other
    setting narrows them.

    Returns {"indices": rows without the dummy, each with ``flags``, "noise_floor": {"S1",
    "ST", "basis": "dummy" or "intervals"} or None, "widest_interval": the widest half-width
    [-], "advise_n": the base sample N (a power of 2) that would bring it to
    +-:data:`WIDE_INTERVAL`, N (w / 0.1)^2, or None when none is wider}.
    """
    rows = df[df["parameter"] != dummy] if dummy is not None else df
    d = df[df["parameter"] == dummy].iloc[0] if dummy is not None and dummy in set(
        df["parameter"]) else None
    out = []
    for r in rows.to_dict(orient="records"):
        r["flags"] = _flags(r)
        out.append(r)
    reach = [r for r in out if "cannot_reach" not in r["flags"]]
    floor = None
    if d is not None or reach:
        floor = {}
        for k in ("S1", "ST"):
            by_dummy = float(abs(d[k]) + d[f"{k}_conf"]) if d is not None else 0.0
            typical = float(np.median([r[f"{k}_conf"] for r in reach])) if reach else 0.0
            floor[k] = max(by_dummy, typical)
        floor["basis"] = "dummy" if d is not None and by_dummy >= typical else "intervals"
    for r in out:
        if floor is not None and "cannot_reach" not in r["flags"] \
                and r["ST"] <= floor["ST"] and floor["ST"] > 0:
            r["flags"].append("below_floor")
    wide = max((max(r["S1_conf"], r["ST_conf"]) for r in out), default=0.0)
    advise = None
    if wide > WIDE_INTERVAL:
        need = n_base * (wide / WIDE_INTERVAL) ** 2
        advise = 1 << int(np.ceil(np.log2(need)))
    return {"indices": out, "noise_floor": floor, "widest_interval": wide,
            "advise_n": advise}


def _flags(r: dict) -> list[str]:
    """The flags of one parameter's indices that do not need the noise floor."""
    if r["ST"] <= 1e-12 and abs(r["S1"]) <= 1e-12:
        return ["cannot_reach"]
    flags = []
    if r["ST"] - r["ST_conf"] > 1:
        flags.append("st_above_1")
    if r["S1"] - r["S1_conf"] > 1:
        flags.append("s1_above_1")
    if r["S1"] - r["S1_conf"] > r["ST"] + r["ST_conf"]:
        flags.append("s1_above_st")
    if r["S1"] + r["S1_conf"] < 0:
        flags.append("s1_below_0")
    return flags


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
