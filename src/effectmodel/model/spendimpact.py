"""Spend and impact: the footprint of what public buyers spend, as RIVM's "85 billion" study
estimates it (RIVM-rapport 2021-0087 and its revision): spend per group and year times an
intensity per euro, per indicator (CO2-eq, land use, raw materials), with Monte Carlo
ranges; and the effect monitor's reduction per year as a share of that footprint.

Pure functions on arrays, then :func:`evaluate_spend_impact` on validated inputs. The spend
comes from the ``spend`` table, or from the monitor's frame totals of one period divided by
its years; each group's spend carries a lognormal error (``relative_uncertainty``), each
intensity its own distribution; all are plain random draws from streams of their own, so the
monitor's draws do not change when the footprint is asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xarray as xr

from effectmodel.domain.columns import SPEND_INDICATORS
from effectmodel.domain.params import Params
from effectmodel.model.distributions import lognormal_multiplier, ppf
from effectmodel.model.sampling import unit_block

if TYPE_CHECKING:  # a type only: the model never reads files
    from effectmodel.domain.inputdata import Inputs


def footprint(spend_eur: np.ndarray, intensity: np.ndarray, to_unit: float) -> np.ndarray:
    """Footprint [the indicator's footprint unit per year] of spend [EUR per year] at an
    intensity [the indicator's unit per EUR]; ``to_unit`` converts (1e-3: kg to t)."""
    return spend_eur * intensity * to_unit


def period_years(period: str) -> int:
    """Years a period spans [year]: '2019-2020' -> 2, '2019' -> 1."""
    parts = period.split("-")
    return int(parts[-1]) - int(parts[0]) + 1


def spend_table(inputs: Inputs, period: str) -> pd.DataFrame:
    """The spend groups: ``group``, ``name_en``, ``name_nl``, ``spend_eur`` [EUR per year],
    ``relative_uncertainty`` [-] and ``source``: the ``spend`` table, or the frame totals of
    ``period`` per year (each product group by its names, with its frame total's error)."""
    if "spend" in inputs.tables:
        return inputs["spend"][["group", "name_en", "name_nl", "spend_eur",
                                "relative_uncertainty", "source"]].reset_index(drop=True)
    fr = inputs["frame_totals"]
    fr = fr[fr["period"] == period]
    names = inputs["product_groups"].set_index("id")
    years = period_years(period)
    return pd.DataFrame({
        "group": fr["product_group"].to_numpy(object),
        "name_en": names.loc[fr["product_group"], "name_en"].to_numpy(object),
        "name_nl": names.loc[fr["product_group"], "name_nl"].to_numpy(object),
        "spend_eur": fr["frame_total_eur"].to_numpy(float) / years,
        "relative_uncertainty": fr["relative_uncertainty"].to_numpy(float),
        "source": [f"frame total {period} / {years} years: {s}" for s in fr["source"]]})


def evaluate_spend_impact(params: Params, inputs: Inputs, period: str,
                          scenario: int = 0) -> xr.Dataset:
    """Draws of the spend [EUR per year] and the footprint of each group and indicator
    [footprint unit per year], and their central values (at the modes, spend as given).

    Returns
    -------
    Dataset with dims ``draw``, ``spend_group`` and, per indicator with intensities,
    ``si_<indicator>`` (draw, spend_group) and ``si_<indicator>_central`` (spend_group);
    ``si_spend_eur`` (draw, spend_group); ``si_<indicator>_intensity`` (spend_group, the
    mode [intensity unit]). A group without an intensity of an indicator adds NaN to it.
    """
    run = params.run
    spend = spend_table(inputs, period)
    groups = list(spend["group"])
    u = unit_block(run.seed, scenario, ("spend_impact", "spend"), groups, run.n_draws,
                   "random")
    drawn = spend["spend_eur"].to_numpy(float) * lognormal_multiplier(
        spend["relative_uncertainty"].to_numpy(float), u)
    data = {"si_spend_eur": (("draw", "spend_group"), drawn),
            "si_spend_central_eur": ("spend_group", spend["spend_eur"].to_numpy(float))}
    si = inputs["spend_intensities"]
    for ind, (_, _, to_unit) in SPEND_INDICATORS.items():
        rows = si[si["indicator"] == ind].set_index("group")
        if rows.empty:
            continue
        have = [g for g in groups if g in rows.index]
        at = [groups.index(g) for g in have]
        r = rows.loc[have]
        u = unit_block(run.seed, scenario, ("spend_impact", "intensity", ind), have,
                       run.n_draws, "random")
        intensity = np.full((run.n_draws, len(groups)), np.nan)
        intensity[:, at] = ppf(r["intensity_dist"].to_numpy(object),
                               r["intensity_low"].to_numpy(float),
                               r["intensity_mode"].to_numpy(float),
                               r["intensity_high"].to_numpy(float), u)
        mode = np.full(len(groups), np.nan)
        mode[at] = r["intensity_mode"].to_numpy(float)
        data[f"si_{ind}"] = (("draw", "spend_group"), footprint(drawn, intensity, to_unit))
        data[f"si_{ind}_central"] = ("spend_group", footprint(
            spend["spend_eur"].to_numpy(float), mode, to_unit))
        data[f"si_{ind}_intensity"] = ("spend_group", mode)
    return xr.Dataset(data, coords={"spend_group": groups})


def spend_impact_summary(ds: xr.Dataset, params: Params, inputs: Inputs, period: str,
                         batches: int) -> dict:
    """The ``spend_impact`` block of summary.json: the period and where the spend comes
    from; per indicator its units and the total footprint (central at the modes, and the
    draws' statistics) [footprint unit per year]; per group its names, spend [EUR per
    year], footprint and intensity (the mode) per indicator; and the monitor's reduction
    per year of ``period`` as a share of the CO2-eq footprint [-], draw by draw (None
    without per-year figures)."""
    from effectmodel.model import stats  # here: evaluating never imports scipy.stats

    interval = params.run.interval
    spend = spend_table(inputs, period)
    indicators = [i for i in SPEND_INDICATORS if f"si_{i}" in ds]
    out: dict = {
        "period": period,
        "spend_from": "table" if "spend" in inputs.tables else "frame_totals",
        "spend_eur": stats.describe(ds["si_spend_eur"].values.sum(axis=1), interval, batches)
        | {"central": float(ds["si_spend_central_eur"].values.sum())},
        "indicators": [],
        "groups": [],
    }
    for ind in indicators:
        per_eur, unit, _ = SPEND_INDICATORS[ind]
        full = ~np.isnan(ds[f"si_{ind}_central"].values)
        out["indicators"].append({
            "id": ind, "unit": unit, "unit_per_eur": per_eur,
            "n_groups": int(full.sum()),
            "central": float(np.nansum(ds[f"si_{ind}_central"].values)),
            "total": stats.describe(np.nansum(ds[f"si_{ind}"].values, axis=1), interval,
                                    batches),
        })
    for k, row in spend.iterrows():
        g = {"group": row["group"], "name_en": row["name_en"], "name_nl": row["name_nl"],
             "spend_eur": float(row["spend_eur"]), "footprint": {}, "intensity": {}}
        for ind in indicators:
            central = float(ds[f"si_{ind}_central"].values[k])
            if np.isnan(central):
                g["footprint"][ind] = g["intensity"][ind] = None
                continue
            d = stats.describe(ds[f"si_{ind}"].values[:, k], interval, batches)
            g["footprint"][ind] = {"central": central, "median": d["median"], "low": d["low"],
                                   "high": d["high"], "mc_error": d["mc_error"]}
            g["intensity"][ind] = float(ds[f"si_{ind}_intensity"].values[k])
        out["groups"].append(g)
    out["monitor_share"] = None
    if "co2_eq" in indicators and "period_total_t_per_year" in ds \
            and period in ds["period"].values.tolist():
        reduction = ds["period_total_t_per_year"].sel(period=period).values
        total = np.nansum(ds["si_co2_eq"].values, axis=1)
        share = stats.describe(reduction / total, interval, batches)
        central = float(ds["period_central_t_per_year"].sel(period=period)) / \
            out["indicators"][indicators.index("co2_eq")]["central"]
        out["monitor_share"] = share | {"central": central}
    return out
