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
from scipy import special

from effectmodel.domain.columns import SPEND_INDICATORS
from effectmodel.domain.params import Params
from effectmodel.model.design import unit_block
from effectmodel.model.distributions import lognormal_multiplier, ppf
from effectmodel.model.monitor.decompose import per_euro, shapley

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


def spend_years(inputs: Inputs) -> list[str]:
    """The years of the spend table, in order ([] without a spend table or a year column;
    [''] for a table of one unnamed year)."""
    if "spend" not in inputs.tables:
        return []
    return sorted(set(inputs["spend"].get("year", pd.Series([""])).astype(str)))


def footprint_year(params: Params, inputs: Inputs, period: str) -> str:
    """The year whose footprint is shown and set against the monitor: ``spend_impact.year``,
    else the latest year of the spend table inside ``period``, else its latest year ('' for
    a table of one unnamed year or the frame totals)."""
    chosen = params.resolved.get("spend_impact", {}).get("year")
    years = spend_years(inputs)
    if chosen or not years:
        return chosen or ""
    first, last = (int(x) for x in (period.split("-")[0], period.split("-")[-1]))
    inside = [y for y in years if y and first <= int(y) <= last]
    return (inside or years)[-1]


def spend_table(inputs: Inputs, period: str, year: str = "") -> pd.DataFrame:
    """The spend groups: ``group``, ``name_en``, ``name_nl``, ``spend_eur`` [EUR per year],
    ``relative_uncertainty`` [-] and ``source``: the ``spend`` table's rows of ``year``, or
    the frame totals of ``period`` per year (each product group by its names, with its frame
    total's error)."""
    if "spend" in inputs.tables:
        sp = inputs["spend"]
        if "year" in sp:
            sp = sp[sp["year"].astype(str) == year]
        return sp[["group", "name_en", "name_nl", "spend_eur",
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


#: the correlations of the intensities' errors the page shows beside the chosen one
CORRELATION_READINGS = (0.0, 1.0)


def correlated(u_own: np.ndarray, u_shared: np.ndarray, rho: float) -> np.ndarray:
    """Points in [0, 1] whose normal scores correlate ``rho`` [-] across columns (a
    Gaussian copula): each column's own score and one shared score (draw,), mixed as
    sqrt(rho) z_shared + sqrt(1 - rho) z_own. ``rho`` 0 gives ``u_own`` itself, 1 the
    shared column in every column."""
    if rho == 0.0:
        return u_own
    if rho == 1.0:
        return np.broadcast_to(u_shared[:, None], u_own.shape).copy()
    tiny = np.finfo(float).eps
    z = (np.sqrt(rho) * special.ndtri(np.clip(u_shared, tiny, 1 - tiny))[:, None]
         + np.sqrt(1.0 - rho) * special.ndtri(np.clip(u_own, tiny, 1 - tiny)))
    return special.ndtr(z)


def median_factor(target: float | None, totals: np.ndarray) -> float:
    """The factor [-] that puts the median of ``totals`` on ``target`` (1 without one):
    exact for the draws, as the median of c x is c times the median of x."""
    if target is None:
        return 1.0
    return float(target / np.median(totals))


def intensity_modes(inputs: Inputs, ind: str) -> dict[str, float]:
    """Each group's intensity mode of ``ind`` [its unit per EUR], as the data give it."""
    si = inputs["spend_intensities"]
    rows = si[si["indicator"] == ind].drop_duplicates("group")
    return dict(zip(rows["group"], rows["intensity_mode"].astype(float), strict=True))


def intensity_draws(params: Params, inputs: Inputs, ind: str, names: list[str],
                    rho: float | None = None, scenario: int = 0) -> np.ndarray:
    """Draws of the intensity of ``ind`` [its unit per EUR] of the groups ``names``
    (draw, name), as the data give them (before any calibration), NaN where a group has
    none. The errors correlate ``rho`` across groups (default
    ``spend_impact.intensity_correlation``, :func:`correlated`). The draws are made for every
    group the data give an intensity, so a group has the same draws whichever groups are
    asked for."""
    run = params.run
    if rho is None:
        rho = float(params.resolved.get("spend_impact", {}).get("intensity_correlation", 0.0))
    si = inputs["spend_intensities"]
    rows = si[si["indicator"] == ind].drop_duplicates("group").set_index("group")
    known = list(rows.index)
    out = np.full((run.n_draws, len(names)), np.nan)
    if not known:
        return out
    u_own = unit_block(run.seed, scenario, ("spend_impact", "intensity", ind), known,
                       run.n_draws, "random")
    u_shared = unit_block(run.seed, scenario, ("spend_impact", "intensity_shared", ind),
                          ["shared"], run.n_draws, "random")[:, 0]
    have = [k for k, g in enumerate(names) if g in rows.index]
    cols = [known.index(names[k]) for k in have]
    r = rows.iloc[cols]
    out[:, have] = ppf(r["intensity_dist"].to_numpy(object),
                       r["intensity_low"].to_numpy(float), r["intensity_mode"].to_numpy(float),
                       r["intensity_high"].to_numpy(float),
                       correlated(u_own, u_shared, rho)[:, cols])
    return out


def _spend_draws(run, scenario: int, key: tuple, spend: pd.DataFrame) -> np.ndarray:
    """Draws of each group's spend [EUR per year] (draw, group): a lognormal error of its
    relative uncertainty."""
    u = unit_block(run.seed, scenario, key, list(spend["group"]), run.n_draws, "random")
    return spend["spend_eur"].to_numpy(float) * lognormal_multiplier(
        spend["relative_uncertainty"].to_numpy(float), u)


def evaluate_spend_impact(params: Params, inputs: Inputs, period: str,
                          scenario: int = 0) -> xr.Dataset:
    """Draws of the spend [EUR per year] and the footprint of each group and indicator
    [footprint unit per year] in the footprint's year (:func:`footprint_year`), and their
    central values (at the modes, spend as given); the totals of every year of the spend
    table; the totals at the correlations of :data:`CORRELATION_READINGS`.

    The intensities' errors correlate ``spend_impact.intensity_correlation`` across groups
    (:func:`correlated`); an indicator with a ``spend_impact.calibrate`` figure has its
    intensities scaled so that the median of its total is that figure
    (:func:`median_factor`), the scale applied to the modes too.

    Returns
    -------
    Dataset with dims ``draw``, ``spend_group`` and, per indicator with intensities,
    ``si_<indicator>`` (draw, spend_group) and ``si_<indicator>_central`` (spend_group);
    ``si_spend_eur`` (draw, spend_group); ``si_<indicator>_intensity`` (spend_group, the
    mode [intensity unit]); ``si_<indicator>_calibration`` (the factor [-]);
    ``si_<indicator>_by_correlation`` (draw, intensity_correlation); with years,
    ``si_year_spend_eur``, ``si_year_<indicator>`` (draw, spend_year) and their
    ``..._central`` (spend_year). A group without an intensity of an indicator adds NaN.
    """
    run = params.run
    opts = params.resolved.get("spend_impact", {})
    rho = float(opts.get("intensity_correlation", 0.0))
    targets = opts.get("calibrate") or {}
    year = footprint_year(params, inputs, period)
    spend = spend_table(inputs, period, year)
    groups = list(spend["group"])
    drawn = _spend_draws(run, scenario, ("spend_impact", "spend"), spend)
    data = {"si_spend_eur": (("draw", "spend_group"), drawn),
            "si_spend_central_eur": ("spend_group", spend["spend_eur"].to_numpy(float))}
    years = [y for y in spend_years(inputs) if y]
    tables = {y: spend_table(inputs, period, y) for y in years}
    year_draws = {y: drawn if y == year else _spend_draws(
        run, scenario, ("spend_impact", "spend", y), tables[y]) for y in years}
    if years:
        data["si_year_spend_eur"] = (("draw", "spend_year"), np.stack(
            [year_draws[y].sum(axis=1) for y in years], axis=1))
        data["si_year_spend_central_eur"] = ("spend_year", np.array(
            [tables[y]["spend_eur"].sum() for y in years], float))
    readings = sorted({rho, *CORRELATION_READINGS})
    for ind in SPEND_INDICATORS:
        if intensity_modes(inputs, ind):
            data |= _indicator(params, inputs, ind, spend, drawn, targets.get(ind), readings,
                               (tables, year_draws), scenario)
    coords = {"spend_group": groups, "intensity_correlation": readings}
    if years:
        coords["spend_year"] = years
    return xr.Dataset(data, coords=coords)


def _indicator(params: Params, inputs: Inputs, ind: str, spend: pd.DataFrame,
               drawn: np.ndarray, target: float | None, readings: list[float],
               by_year: tuple[dict, dict], scenario: int) -> dict[str, tuple]:
    """One indicator's variables of :func:`evaluate_spend_impact`: the footprint's draws and
    central values in the footprint's year, calibrated to ``target`` (None: as given), the
    totals at each correlation of ``readings``, and each year's totals (``by_year``: the
    spend tables and spend draws of the years)."""
    _, _, to_unit = SPEND_INDICATORS[ind]
    rho = float(params.resolved.get("spend_impact", {}).get("intensity_correlation", 0.0))
    modes = intensity_modes(inputs, ind)
    groups = list(spend["group"])
    known = list(modes)
    # each correlation's draws once, for every group with an intensity; then by name
    draws = {r: intensity_draws(params, inputs, ind, known, r, scenario) for r in readings}

    def at(r: float, names: list[str]) -> np.ndarray:
        out = np.full((draws[r].shape[0], len(names)), np.nan)
        have = [k for k, g in enumerate(names) if g in modes]
        out[:, have] = draws[r][:, [known.index(names[k]) for k in have]]
        return out

    mode = np.array([modes.get(g, np.nan) for g in groups])
    fp = footprint(drawn, at(rho, groups), to_unit)
    factor = median_factor(target, np.nansum(fp, axis=1))
    data = {
        f"si_{ind}": (("draw", "spend_group"), fp * factor),
        f"si_{ind}_central": ("spend_group", footprint(spend["spend_eur"].to_numpy(float),
                                                        mode * factor, to_unit)),
        f"si_{ind}_intensity": ("spend_group", mode * factor),
        f"si_{ind}_calibration": ((), factor),
        f"si_{ind}_by_correlation": (("draw", "intensity_correlation"), np.stack(
            [np.nansum(footprint(drawn, at(r, groups), to_unit), axis=1) * factor
             for r in readings], axis=1))}
    tables, year_draws = by_year
    if tables:
        per_year, central = [], []
        for y, table in tables.items():
            names = list(table["group"])
            m = np.array([modes.get(g, np.nan) for g in names])
            per_year.append(np.nansum(footprint(year_draws[y], at(rho, names), to_unit),
                                      axis=1) * factor)
            central.append(np.nansum(footprint(table["spend_eur"].to_numpy(float), m,
                                               to_unit)) * factor)
        data[f"si_year_{ind}"] = (("draw", "spend_year"), np.stack(per_year, axis=1))
        data[f"si_year_{ind}_central"] = ("spend_year", np.array(central))
    return data


def spend_impact_summary(ds: xr.Dataset, params: Params, inputs: Inputs, period: str,
                         batches: int) -> dict:
    """The ``spend_impact`` block of summary.json: the period, the footprint's year and
    where the spend comes from; per indicator its units, the total footprint (central at the
    modes, and the draws' statistics) [footprint unit per year], its calibration and its
    totals at the correlations of :data:`CORRELATION_READINGS`; per group its names, spend
    [EUR per year], footprint and intensity (the mode) per indicator; per year of the spend
    table its spend and footprint; and the monitor's reduction of ``period`` as a share of
    the CO2-eq footprint [-], draw by draw, on both bases (:func:`monitor_share`)."""
    from effectmodel.model import stats  # here: evaluating never imports scipy.stats

    interval = params.run.interval
    opts = params.resolved.get("spend_impact", {})
    year = footprint_year(params, inputs, period)
    spend = spend_table(inputs, period, year)
    indicators = [i for i in SPEND_INDICATORS if f"si_{i}" in ds]

    def describe(x: np.ndarray, central: float | None = None) -> dict:
        out = stats.describe(x, interval, batches)
        return out if central is None else out | {"central": float(central)}

    out: dict = {
        "period": period,
        "year": year or None,
        "spend_from": "table" if "spend" in inputs.tables else "frame_totals",
        "spend_eur": describe(ds["si_spend_eur"].values.sum(axis=1),
                              ds["si_spend_central_eur"].values.sum()),
        "intensity_correlation": float(opts.get("intensity_correlation", 0.0)),
        "indicators": [],
        "groups": [],
        "years": [],
    }
    targets = opts.get("calibrate") or {}
    out["indicators"] = [_indicator_summary(ds, ind, targets, describe) for ind in indicators]
    out["groups"] = _group_summaries(ds, spend, indicators, describe)
    if "spend_year" in ds.coords:
        for j, y in enumerate(ds["spend_year"].values.tolist()):
            out["years"].append({
                "year": y,
                "spend_eur": describe(ds["si_year_spend_eur"].values[:, j],
                                      ds["si_year_spend_central_eur"].values[j]),
                "footprint": {ind: describe(ds[f"si_year_{ind}"].values[:, j],
                                            ds[f"si_year_{ind}_central"].values[j])
                              for ind in indicators}})
            if j:  # the change from the year before, by volume and intensity
                out["years"][-1]["change"] = {ind: year_change(ds, ind, j, describe)
                                              for ind in indicators}
    basis = opts.get("share_basis", "per_tendering_year")
    out["monitor_share"] = monitor_share(ds, period, basis, describe) \
        if "co2_eq" in indicators else None
    return out


def year_change(ds: xr.Dataset, ind: str, j: int, describe) -> dict:
    """The change of an indicator's footprint from spend year ``j - 1`` to ``j`` [its unit
    per year], split by Shapley's rule (:func:`~.monitor.decompose.shapley`) into the
    spend's volume and its intensity, the footprint per euro of the year's spend (with the
    groups' intensities the same in every year: the mix of groups); central and draw by
    draw, the parts adding up to the change."""
    out = {}
    for key, spend, total in (("draws", ds["si_year_spend_eur"].values,
                               ds[f"si_year_{ind}"].values),
                              ("central", ds["si_year_spend_central_eur"].values,
                               ds[f"si_year_{ind}_central"].values)):
        volume, intensity = shapley(*(per_euro(total[..., k], spend[..., k])
                                      for k in (j - 1, j)))
        out[key] = (total[..., j] - total[..., j - 1], volume, intensity)
    return {name: describe(d, c) for name, d, c in zip(
        ("change", "volume", "intensity"), out["draws"], out["central"], strict=True)}


def _indicator_summary(ds: xr.Dataset, ind: str, targets: dict, describe) -> dict:
    """An indicator's entry of ``spend_impact.indicators``: its units, total (central and
    the draws' statistics, ``describe`` of the run: STATS, and ``central`` where given),
    calibration and totals per correlation."""
    per_eur, unit, _ = SPEND_INDICATORS[ind]
    target = targets.get(ind)
    by = ds[f"si_{ind}_by_correlation"]
    return {
        "id": ind, "unit": unit, "unit_per_eur": per_eur,
        "n_groups": int((~np.isnan(ds[f"si_{ind}_central"].values)).sum()),
        "central": float(np.nansum(ds[f"si_{ind}_central"].values)),
        "total": describe(np.nansum(ds[f"si_{ind}"].values, axis=1)),
        "calibration": None if target is None else {
            "statistic": "median", "target": float(target),
            "factor": float(ds[f"si_{ind}_calibration"]), "source": targets.get("source")},
        "by_correlation": [{"correlation": float(r)}
                           | describe(by.sel(intensity_correlation=r).values)
                           for r in by["intensity_correlation"].values],
    }


def _group_summaries(ds: xr.Dataset, spend: pd.DataFrame, indicators: list[str],
                     describe) -> list[dict]:
    """Each spend group's entry of ``spend_impact.groups``: names, spend [EUR per year],
    footprint (central, median, range, Monte Carlo error) and intensity per indicator
    (None where it has none)."""
    out = []
    for k, row in spend.iterrows():
        g = {"group": row["group"], "name_en": row["name_en"], "name_nl": row["name_nl"],
             "spend_eur": float(row["spend_eur"]), "footprint": {}, "intensity": {}}
        for ind in indicators:
            central = float(ds[f"si_{ind}_central"].values[k])
            if np.isnan(central):
                g["footprint"][ind] = g["intensity"][ind] = None
                continue
            d = describe(ds[f"si_{ind}"].values[:, k], central)
            g["footprint"][ind] = {key: d[key] for key in ("central", "median", "low", "high",
                                                          "mc_error")}
            g["intensity"][ind] = float(ds[f"si_{ind}_intensity"].values[k])
        out.append(g)
    return out


def monitor_share(ds: xr.Dataset, period: str, basis: str, describe) -> dict | None:
    """The monitor's reduction of ``period`` over the CO2-eq footprint of one year [-],
    draw by draw, on both bases: ``per_tendering_year``, the lifetime effect of the period's
    tenders divided by its years (like for like: a year's footprint counts its purchases'
    whole chain); ``per_calendar_year``, the effect in one calendar year of the period's
    contracts (None without per-year figures). The chosen ``basis`` first, its statistics
    at the top level. None when the period is not estimated."""
    if "period_total_t" not in ds or period not in ds["period"].values.tolist():
        return None
    total = np.nansum(ds["si_co2_eq"].values, axis=1)
    central = float(np.nansum(ds["si_co2_eq_central"].values))
    years = period_years(period)
    both = {"per_tendering_year": describe(
        ds["period_total_t"].sel(period=period).values / years / total,
        float(ds["period_central_t"].sel(period=period)) / years / central)}
    if "period_total_t_per_year" in ds:
        both["per_calendar_year"] = describe(
            ds["period_total_t_per_year"].sel(period=period).values / total,
            float(ds["period_central_t_per_year"].sel(period=period)) / central)
    if basis not in both:
        basis = "per_tendering_year"
    return {"basis": basis, **both[basis], "bases": both}
