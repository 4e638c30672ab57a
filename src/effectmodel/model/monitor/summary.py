"""The effect monitor's block of summary.json: per period and product group, the trends, and
the other indicators [t CO2-eq, or each indicator's own unit]. Pure, as :mod:`.summary`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from effectmodel.domain.columns import INDICATORS
from effectmodel.domain.params import Params
from effectmodel.model import stats
from effectmodel.model.monitor import decompose
from effectmodel.model.monitor.setup import for_indicator, monitor_setup
from effectmodel.model.rundesign import error_batches

if TYPE_CHECKING:  # a type only: the model never reads files
    from effectmodel.domain.inputdata import Inputs


def _none_if_nan(x: float | None) -> float | None:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return None
    return float(x)


def stratum_table(ds: xr.Dataset) -> pd.DataFrame:
    """One row per period and product group: counts and central estimate."""
    return pd.DataFrame({
        "period": ds["stratum_period"].values,
        "product_group": ds["stratum_product_group"].values,
        "n_sampled": ds["pg_n_sampled"].values.astype(int),
        "n_with_effect": ds["pg_n_with_effect"].values.astype(int),
        "central_t": ds["pg_central_t"].values,
    })


def _by(da: xr.DataArray, dim: str) -> dict[str, float]:
    """A 1-D DataArray as {label: value}."""
    return {str(k): float(v) for k, v in zip(da[dim].values, da.values, strict=True)}


def per_year(ds: xr.Dataset, prefix: str, where, interval: float, batches: int
             ) -> dict[str, Any]:
    """The per-year figures of a stratum (``prefix`` pg, ``where`` its index) or a period
    (``period``, its name): central and range [t CO2-eq per year], households for a period;
    None where the data lack contract years."""
    if f"{prefix}_central_t_per_year" not in ds:
        keys = ["central_t_per_year", "total_t_per_year"] if prefix == "period" else \
            ["central_t_per_year", "reduction_t_per_year"]
        return {k: None for k in keys + (["households_per_year"] if prefix == "period" else [])}
    if prefix == "pg":
        return {"central_t_per_year": float(ds["pg_central_t_per_year"][where]),
                "reduction_t_per_year": stats.describe(
                    ds["pg_reduction_t_per_year"][:, where].values, interval, batches)}
    return {"central_t_per_year": float(ds["period_central_t_per_year"].sel(period=where)),
            "total_t_per_year": stats.describe(
                ds["period_total_t_per_year"].sel(period=where).values, interval, batches),
            "households_per_year": stats.describe(
                ds["period_households_per_year"].sel(period=where).values, interval, batches)}


def monitor_summary(ds: xr.Dataset, params: Params, inputs: Inputs) -> dict[str, Any]:
    """The ``effect_monitor`` block of summary.json [t CO2-eq]."""
    interval, batches = params.run.interval, error_batches(params.run, inputs)
    names = inputs["product_groups"].set_index("id")
    mp = inputs["monitor_periods"].set_index("period")
    periods = []
    for p in ds["period"].values.tolist():
        rows = _product_group_rows(ds, p, names, interval, batches)
        row = mp.loc[p]
        bound = row["published_bound"] or None
        periods.append({
            "period": p,
            "published_t": _none_if_nan(row["published_t"]),
            "published_bound": bound if row["published_t"] is not None else None,
            "published_unit_label": row["published_unit_label"] or None,
            "central_t": float(ds["period_central_t"].sel(period=p)),
            "total_t": stats.describe(ds["period_total_t"].sel(period=p).values, interval,
                                      batches),
            "households": stats.describe(ds["period_households"].sel(period=p).values,
                                         interval, batches),
            **per_year(ds, "period", p, interval, batches),
            "criteria": {c: sum(r["criteria"][c] for r in rows)
                         for c in ds["criterion_class"].values.tolist()},
            # central effect of the criteria of each type and ambition level, and with the
            # unclear criteria counted as none, by their probability, or all [t CO2-eq]
            "central_by_type_t": _by(ds["period_central_by_type_t"].sel(period=p),
                                     "criterion_type"),
            "central_by_ambition_t": _by(ds["period_central_by_ambition_t"].sel(period=p),
                                         "ambition"),
            "central_by_unclear_t": _by(ds["period_central_by_unclear_t"].sel(period=p),
                                        "unclear_option"),
            "household_factor": row["household_factor"],
            # the factor the households divide by, its publication and basis [t CO2-eq per
            # household per year]
            "household_factor_detail": household_factor_detail(inputs, row["household_factor"]),
            "n_product_groups": len(rows),
            # the share of all sampled tenders of the period with a counted effect [-]
            "observed_share": sum(r["n_with_effect"] for r in rows)
            / max(1, sum(r["n_sampled"] for r in rows)),
            "product_groups": rows,
        })
    headline = params.monitor.headline_period or ds["period"].values.tolist()[-1]
    return {"periods": periods, "headline_period": headline,
            "resampling": resampling(ds, params),
            "trend": _trends(ds, params, periods),
            "changes": changes(ds, params, interval, batches, params.monitor.changes),
            "indicators": indicator_summary(ds, params, inputs)}


def changes(ds: xr.Dataset, params: Params, interval: float, batches: int,
            pairs: list[tuple[str, str]] | None = None) -> list[dict[str, Any]]:
    """``effect_monitor.changes``: the change of the total between two periods (``pairs``,
    ``monitor.changes``; None: each period and the next), split per product group into spend, use,
    intensity and entry or exit (:mod:`.decompose`) [t CO2-eq]. Each figure is its central
    value (the central estimates' split: the parts add up to ``change_t``'s) and its range
    over the draws (each draw split on its own: the parts add up draw by draw)."""
    periods = ds["period"].values.tolist()
    pairs = pairs if pairs is not None else list(zip(periods[:-1], periods[1:], strict=True))
    where, group = ds["stratum_period"].values, ds["stratum_product_group"].values
    frame = ds["pg_frame_total_eur"].values
    drawn = (ds["pg_reduction_t"].values, frame * ds["pg_in_frame_multiplier"].values,
             ds["pg_use_share"].values)
    central = (ds["pg_central_t"].values, frame * params.monitor.frame_total_scale,
               ds["pg_use_share_central"].values)

    def groups(p: str, arrays: tuple) -> dict[str, tuple]:
        return {str(group[i]): tuple(a[..., i] for a in arrays)
                for i in np.flatnonzero(where == p)}

    def figure(c: float, draws: np.ndarray) -> dict[str, Any]:
        return {"central": float(c), **stats.describe(draws, interval, batches)}

    out = []
    for a, b in pairs:
        d = decompose.change_by_group(groups(a, drawn), groups(b, drawn))
        c = decompose.change_by_group(groups(a, central), groups(b, central))
        total = ds["period_total_t"]
        out.append({
            "from": a, "to": b,
            "change_t": figure(float(ds["period_central_t"].sel(period=b)
                                     - ds["period_central_t"].sel(period=a)),
                               total.sel(period=b).values - total.sel(period=a).values),
            # each part summed over the product groups, draw by draw
            "parts": {f"{term}_t": figure(sum(c[g][term] for g in c),
                                          sum(d[g][term] for g in d))
                      for term in decompose.TERMS},
            "by_product_group": [{"product_group": g, **{
                f"{term}_t": figure(c[g][term], d[g][term]) for term in decompose.TERMS}}
                for g in d]})
    return out


def household_factor_detail(inputs: Inputs, factor_id: str) -> dict[str, Any]:
    """A household factor's publication, modal value [t CO2-eq per household per year] and
    basis (``basis_nl`` in Dutch, None where the data give none), from
    ``household_factors``."""
    hf = inputs["household_factors"].set_index("id").loc[factor_id]
    nl = hf.get("basis_nl")
    return {"id": factor_id, "publication": hf["publication"],
            "t_per_household": float(hf["t_per_household_mode"]), "basis": hf["basis"],
            "basis_nl": nl if isinstance(nl, str) and nl else None}


#: the estimator of the sampling uncertainty, by ``monitor.bootstrap``
RESAMPLING = {
    "design": "design bootstrap: Dirichlet weights per sub-stratum, concentration "
              "((n - 1) / ((1 - f) k) - 1) / n (the stratified design's variance times k, "
              "the sub-stratum's jackknife variance over its linearisation)",
    "bayesian": "Bayesian bootstrap: flat Dirichlet weights ((n - 1) / (n + 1) of the "
                "design's variance)",
    "none": "none",
}


def resampling(ds: xr.Dataset, params: Params) -> dict[str, Any]:
    """How the sample's uncertainty is drawn: the method, its name, and the strata (period/
    product group) with one sampled tender in all, which add no sampling variance."""
    one = ds["pg_n_sampled"].values == 1
    design = params.monitor.bootstrap == "design"
    interval = params.monitor.interval if design else "percentile"
    return {"method": params.monitor.bootstrap, "name": RESAMPLING[params.monitor.bootstrap],
            "interval": interval, "interval_name": INTERVALS[interval],
            "single_tender_strata": [str(s) for s in ds["stratum"].values[one]]}


#: the product groups' interval procedure, by name (model/monitor/intervals.py)
INTERVALS = {
    "studentized": "studentized (bootstrap-t) interval: each resample's deviation over its "
                   "own linearised standard error, times the sample's (with the jackknife's "
                   "inflation), held within Student's t at 0.999",
    "percentile": "percentile interval of the resampled estimates",
}


def zero_effect_reading(stats_block: dict[str, Any], bounds: dict[str, Any], zero: bool,
                        unbounded: bool) -> dict[str, Any]:
    """A stratum's reduction statistics as every surface reads them: as drawn where its
    sample counts an effect; where it counts none, its central figure is 0 and its draws
    only bound it, so no mean or median, a low of 0 and a high at the one-sided 95% bound
    (``bounds``), or none (``unbounded``: no counted tender of the product group in any
    period, nothing to bound it with)."""
    if not zero or not (bounds or unbounded):
        return stats_block
    return {**stats_block, "mean": None, "median": None, "low": 0.0,
            "high": None if unbounded else bounds["upper_95_t"]}


def zero_effect_bounds(draws: np.ndarray, n: int, zero: bool) -> dict[str, Any]:
    """For a stratum whose sample counts no effect: the one-sided 95% upper bound of its
    draws under the Jeffreys prior Beta(1/2, n + 1/2) on the share of spend with an effect
    [t CO2-eq], and the same bound under a uniform prior Beta(1, n + 1), scaled by the
    ratio of the two priors' 95% points (exact where the share is the only uncertain
    factor). Nothing for other strata, or where the draws do not vary (``zero``)."""
    if not zero or float(np.ptp(draws)) == 0.0:
        return {}
    from scipy import special

    upper = float(np.quantile(draws, 0.95))
    scale = float(special.betaincinv(1.0, n + 1.0, 0.95) / special.betaincinv(0.5, n + 0.5,
                                                                              0.95))
    return {"prior": "jeffreys", "upper_95_t": upper, "upper_95_uniform_t": upper * scale}


def _product_group_rows(ds: xr.Dataset, p: str, names, interval: float, batches: int
                        ) -> list[dict[str, Any]]:
    """Period ``p``'s product groups: the sample's counts, the Wilson share with an effect,
    the frame [EUR], the central estimate and the range of the effect [t CO2-eq]."""
    rows = []
    for i in np.flatnonzero(ds["stratum_period"].values == p):
        g = str(ds["stratum_product_group"].values[i])
        n, k = int(ds["pg_n_sampled"][i]), int(ds["pg_n_with_effect"][i])
        zero = bool(ds["pg_zero_effect"][i])
        unbounded = bool(ds["pg_unbounded"][i]) if "pg_unbounded" in ds else False
        bounds = zero_effect_bounds(ds["pg_reduction_t"][:, i].values, n, zero)
        rows.append({
            "id": g, "name_nl": names.loc[g, "name_nl"], "name_en": names.loc[g, "name_en"],
            "n_sampled": n, "n_with_effect": k,
            "share_with_effect": stats.wilson(k, n, interval),
            "frame_total_eur": float(ds["pg_frame_total_eur"][i]),
            # the share of its spend that counts (central; :mod:`.decompose`'s use) [-]
            "use_share": float(ds["pg_use_share_central"][i]),
            "central_t": float(ds["pg_central_t"][i]),
            # the sample's uncertainty alone, by the design (Taylor linearisation)
            "design_se_t": float(ds["pg_design_se_t"][i]),
            "design_effect": _none_if_nan(float(ds["pg_design_effect"][i])),
            "reduction_t": zero_effect_reading(
                stats.describe(ds["pg_reduction_t"][:, i].values, interval, batches),
                bounds, zero, unbounded),
            # no criterion of its sample counts: the range is the Jeffreys bound, or none
            "zero_effect": zero,
            "unbounded": unbounded,
            # the interval's coverage on the sample's own pseudo-population
            "self_check_coverage": (_none_if_nan(float(ds["pg_self_coverage"][i]))
                                    if "pg_self_coverage" in ds else None),
            # the sampled tenders' weighted value over the frame total: far from 1, the
            # sample lacks the frame's dominant tenders (or drew one at random)
            "spend_ratio": (_none_if_nan(float(ds["pg_spend_ratio"][i]))
                            if "pg_spend_ratio" in ds else None),
            **bounds,
            "criteria": {c: int(v) for c, v in zip(
                ds["criterion_class"].values.tolist(),
                ds["pg_n_criteria"][i].values.tolist(), strict=True)},
            **per_year(ds, "pg", i, interval, batches),
        })
    return rows


def _trends(ds: xr.Dataset, params: Params, periods: list[dict]) -> dict[str, Any]:
    """The adoption trend (binomial GLM) and the totals' trend (log-linear OLS), each with
    statsmodels' own tables and, where the params ask and the data allow, a projection."""
    interval = params.run.interval
    plist = ds["period"].values.tolist()
    adoption, fit_a = stats.adoption_trend(stratum_table(ds), plist, interval)
    adoption["interval"] = interval  # of its projection: a confidence interval of the mean
    totals, fit_t = stats.totals_trend(ds["period_central_t"].values, plist, interval)
    # statsmodels' own tables, for the annex (so that it need not fit again)
    adoption["summary_html"] = stats.summary_html(fit_a, interval)
    totals["summary_html"] = stats.summary_html(fit_t, interval)
    if not params.monitor.projection:
        adoption.pop("projection", None)
        totals.pop("projection", None)
    why = no_totals_projection(len(plist), [p["n_product_groups"] for p in periods])
    if why is not None and totals.get("projection"):
        totals.pop("projection")
        totals["no_projection"] = why
    return {"adoption": adoption, "totals": totals}


def indicator_summary(ds: xr.Dataset, params: Params, inputs: Inputs) -> list[dict[str, Any]]:
    """The other indicators the run computed (``monitor.indicators``): per period the
    central figure and range over the contracts' lifetime [the indicator's unit] and per year,
    RIVM's published figure as published (value in the model's unit, label, basis, bound),
    and per product group the central figure and range."""
    interval, batches = params.run.interval, error_batches(params.run, inputs)
    names = inputs["product_groups"].set_index("id")
    published = {}
    if "published_indicators" in inputs.tables:
        for r in inputs["published_indicators"].to_dict("records"):
            published[(r["period"], r["indicator"])] = {
                "value": float(r["published_value"]), "label": r["published_label"],
                "basis": r["basis"], "bound": r["published_bound"] or None}
    out = []
    m = monitor_setup(inputs)
    for ind in params.monitor.indicators:
        if ind == "co2_eq":
            continue
        unit, unit_per_year = INDICATORS[ind]
        mi = for_indicator(m, inputs, ind)
        crit_stratum = np.searchsorted(mi.crit_starts, np.arange(len(mi.crit_ids)),
                                       side="right") - 1
        crit_period = np.asarray(m.frames["period"].to_numpy(object))[crit_stratum] \
            if len(mi.crit_ids) else np.array([], dtype=object)
        periods = []
        for p in ds["period"].values.tolist():
            rows = []
            for i in np.flatnonzero(ds["stratum_period"].values == p):
                g = str(ds["stratum_product_group"].values[i])
                rows.append({"id": g, "name_nl": names.loc[g, "name_nl"],
                             "name_en": names.loc[g, "name_en"],
                             "central": float(ds[f"{ind}_pg_central"][i]),
                             "reduction": stats.describe(ds[f"{ind}_pg_reduction"][:, i].values,
                                                         interval, batches)})
            per_year = f"{ind}_period_total_per_year" in ds
            periods.append({
                "period": p,
                "central": float(ds[f"{ind}_period_central"].sel(period=p)),
                "total": stats.describe(ds[f"{ind}_period_total"].sel(period=p).values,
                                        interval, batches),
                "central_per_year": float(ds[f"{ind}_period_central_per_year"].sel(period=p))
                if per_year else None,
                "total_per_year": stats.describe(
                    ds[f"{ind}_period_total_per_year"].sel(period=p).values, interval, batches)
                if per_year else None,
                "published": published.get((p, ind)),
                # sampled criteria of the period with a translation factor for it: none, and
                # the model computed nothing (its zeros are no estimate)
                "n_criteria": int(np.sum(crit_period == p)),
                "product_groups": rows,
            })
        out.append({"id": ind, "unit": unit, "unit_per_year": unit_per_year,
                    "periods": periods})
    return out


#: residual degrees of freedom a totals trend needs before it may project
MIN_RESIDUAL_DF = 3


def no_totals_projection(n_periods: int, scopes: list[int]) -> dict[str, Any] | None:
    """Why the totals trend may not be projected, or None when it may: a log-linear fit on
    ``n_periods`` points has ``n_periods - 2`` residual degrees of freedom, and needs
    :data:`MIN_RESIDUAL_DF`; and the periods must cover one scope (the same number of
    product groups, ``scopes``), else the trend measures the scope's growth."""
    df = n_periods - 2
    if df < MIN_RESIDUAL_DF:
        return {"reason": "few_periods", "residual_df": df, "needed": MIN_RESIDUAL_DF}
    if len(set(scopes)) > 1:
        return {"reason": "scope_change", "from": scopes[0], "to": scopes[-1]}
    return None
