"""Summary: reduce the draws to the figures of summary.json (docs/design.md) and the briefing.

Pure: takes the results Dataset, the inputs and params, and a provenance mapping; returns plain
dicts and DataFrames. No plotting, no files.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from effectmodel.domain.catalogue import LANGUAGES, catalogue
from effectmodel.domain.crosscheck import spend_period
from effectmodel.domain.keys import factor_keys
from effectmodel.domain.params import MISSING, BuyerGroupOptions, Params, leaves
from effectmodel.model import (
    budget,
    engine,
    riskreadings,
    sensitivity,
    spendimpact,
    stats,
    tracking,
)
from effectmodel.model.distributions import quantile_bounds
from effectmodel.model.monitor.summary import household_factor_detail, monitor_summary
from effectmodel.model.rundesign import error_batches

if TYPE_CHECKING:  # a type only: the model never reads files
    from effectmodel.domain.inputdata import Inputs

SCHEMA_VERSION = 1


def buyer_group_summary(ds: xr.Dataset, params: Params, inputs: Inputs) -> dict[str, Any]:
    """The ``buyer_groups`` block of summary.json [t CO2-eq; households]."""
    interval, batches = params.run.interval, error_batches(params.run, inputs)
    groups = []
    quantified = set(ds["buyer_group"].values.tolist())
    for _, g in inputs["buyer_groups"].iterrows():
        q = g["id"] in quantified
        groups.append({
            "id": g["id"], "name_nl": g["name_nl"], "name_en": g["name_en"],
            "category": g["category"],
            "quantified": bool(g["quantified"]),
            "reason_not_quantified_nl": g["reason_not_quantified_nl"] or None,
            "reason_not_quantified_en": g["reason_not_quantified_en"] or None,
            "as_planned_t": float(ds["bg_as_planned_group_t"].sel(buyer_group=g["id"]))
            if q else None,
            "total_t": stats.describe(ds["bg_group_reduction_t"].sel(buyer_group=g["id"]).values,
                                      interval, batches) if q else None,
        })
    hf = inputs["household_factors"].set_index("id").loc[params.buyer_groups.household_factor]
    risk = risk_block(ds, params)
    rate_means = {k: v["mean"] for k, v in risk.get("rates", {}).items()}
    return {
        "as_planned_t": float(ds["bg_as_planned_t"]),
        "households_as_planned": float(ds["bg_households_as_planned"]),
        "total_t": stats.describe(ds["bg_total_t"].values, interval, batches),
        "households": stats.describe(ds["bg_households"].values, interval, batches),
        "household_factor": {**household_factor_detail(inputs,
                                                       params.buyer_groups.household_factor),
                             "households_published": _published(hf)},
        "probability_below_as_planned": float(
            np.mean(ds["bg_total_t"].values < float(ds["bg_as_planned_t"]))),
        "risk": risk,
        "risk_readings": riskreadings.risk_readings(params, inputs,
                                                    int(ds.attrs.get("scenario", 0))),
        "outcomes": tracking.tracking_summary(ds, params, inputs),
        "n_groups": len(groups),
        "n_quantified": sum(1 for g in groups if g["quantified"]),
        "groups": groups,
        "tenders": [{
            "id": r["tender_id"], "buyer_group": r["buyer_group"],
            "description": r["description"], "quantity_unit": r["quantity_unit"],
            # the inputs as the run used them: mode, low, high [the row's unit]; what the
            # data say instead, where a setting replaced it, in "data_values"
            **tender_inputs_used(r, params.buyer_groups, rate_means),
            "as_planned_t": float(ds["bg_as_planned_tender_t"].sel(tender=r["tender_id"])),
            "total_t": stats.describe(
                ds["bg_tender_reduction_t"].sel(tender=r["tender_id"]).values, interval,
                batches),
        } for _, r in inputs["buyer_group_tenders"].iterrows()],
    }


TENDER_INPUTS = ("quantity", "emission_factor", "reduction_fraction", "additionality")


def _published(hf) -> float | None:
    """The households a publication names [households], None where it names none."""
    x = hf.get("households_published")
    return None if x is None or x != x else float(x)


def risk_block(ds: xr.Dataset, params: Params) -> dict[str, Any]:
    """How the run read the buyer groups' risks: where they come from, the unclear rule, the
    outcome and what shares a draw; with ``risk_evidence: counts`` the shared rates' draws
    described (``total`` [applications], ``additionality`` and ``award`` [-])."""
    b = params.buyer_groups
    out: dict[str, Any] = {"evidence": b.risk_evidence, "shared_by": b.risk_shared_by,
                           "outcome": b.risk_outcome}
    if b.risk_evidence == "counts":
        out["unclear"] = b.unclear
        out["counts"] = dict(b.risk_counts)
        lo, hi = quantile_bounds(params.run.interval)
        out["rates"] = {k: {"mean": float(np.mean(x)), "low": float(np.quantile(x, lo)),
                            "high": float(np.quantile(x, hi))}
                        for k in engine.RISK_RATES if f"bg_risk_{k}" in ds
                        for x in [ds[f"bg_risk_{k}"].values]}
    return out


def tender_inputs_used(row: Mapping[str, Any], opts: BuyerGroupOptions,
                       rates: Mapping[str, float] | None = None) -> dict[str, Any]:
    """A buyer-group tender's inputs as the run used them: distribution (``fixed`` where a
    setting collapsed it), mode, low and high of each input [the row's unit], and the award
    probability [-]; a ``bernoulli`` input's mode is its probability of 1. A fixed
    additionality or award probability in the params replaces the row's; an input whose
    uncertainty is off is its mode (low = high = mode); award uncertainty off means every
    tender is awarded (1). ``data_values`` keeps what the row said, for each value a setting
    replaced. ``rates``: the mean of the shared rates (``additionality``, ``award`` [-]) with
    ``risk_evidence: counts``, which replace the row's."""
    rates = rates or {}
    used: dict[str, Any] = {}
    for v in TENDER_INPUTS:
        mode, low, high = (float(row[f"{v}_{k}"]) for k in ("mode", "low", "high"))
        kind = str(row[f"{v}_dist"])
        if v == "additionality" and opts.additionality is not None:
            mode = low = high = float(opts.additionality)
            kind = "fixed"
        elif v == "additionality" and "additionality" in rates and opts.uncertainty[v]:
            kind, mode, low, high = "bernoulli", rates["additionality"], 0.0, 1.0
        elif not opts.uncertainty[v]:
            low = high = mode
            kind = "fixed"
        used.update({f"{v}_dist": kind, f"{v}_mode": mode, f"{v}_low": low, f"{v}_high": high})
    p = float(row["award_probability"])
    used["award_probability"] = (1.0 if not opts.uncertainty["award"]
                                 else float(opts.award_probability)
                                 if opts.award_probability is not None
                                 else rates.get("award", p))
    data: dict[str, Any] = {f"{v}_{k}": float(row[f"{v}_{k}"]) for v in TENDER_INPUTS
                            for k in ("mode", "low", "high")}
    data.update({f"{v}_dist": str(row[f"{v}_dist"]) for v in TENDER_INPUTS})
    data["award_probability"] = p
    used["data_values"] = {k: x for k, x in data.items() if used[k] != x}
    return used


#: model options at the top level of the params (beside ``run.*`` and the parts' sections)
MODEL_KEYS = ("unclear",)


def settings(params: Params) -> list[dict[str, Any]]:
    """Every model option of the run (``run.*``, and ``buyer_groups.*``, ``monitor.*`` of the
    parts it holds): its value, where it came from (``file``, ``override``, ``default``) and
    the schema's default (absent for a required option)."""
    rows = []
    resolved = params.as_dict()
    for key, spec in leaves().items():
        if key not in MODEL_KEYS and not key.startswith(("run.",
                                                         *(f"{p}." for p in params.parts))):
            continue
        value: Any = resolved
        for part in key.split("."):
            value = value[part]
        row = {"key": key, "value": value, "origin": params.origins.get(key, "file")}
        if spec.default is not MISSING:
            row["default"] = list(spec.default) if isinstance(spec.default, tuple) \
                else spec.default
        rows.append(row)
    return rows


def sources(inputs: Inputs) -> list[dict[str, Any]]:
    """Every input table's sources, with the number of its rows that cite each."""
    return [{"file": inputs.labels[key], "rows": int(k), "source": str(src)}
            for key, df in inputs.tables.items()
            for src, k in df["source"].value_counts(sort=False).items()]


def summarise(ds: xr.Dataset, params: Params, inputs: Inputs,
              provenance: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything summary.json holds (docs/design.md), in its order."""
    out = {
        "schema_version": SCHEMA_VERSION,
        "name": params.name,
        "title": params.title,
        "language": params.language,
        "notes": dict(params.resolved["notes"]),
        "units": "t CO2-eq",
        "interval": params.run.interval,
        "n_draws": params.run.n_draws,
        "seed": params.run.seed,
        "scenario": int(ds.attrs.get("scenario", 0)),
        "sampler": params.run.sampler,
        "mc_batches": error_batches(params.run, inputs),
        "parts": list(params.parts),
    }
    if params.buyer_groups is not None:
        out["buyer_groups"] = buyer_group_summary(ds, params, inputs)
    monitor = None
    if params.monitor is not None:
        out["effect_monitor"] = monitor = monitor_summary(ds, params, inputs)
    if "si_spend_eur" in ds:
        out["spend_impact"] = spendimpact.spend_impact_summary(
            ds, params, inputs, spend_period(params, tuple(inputs.periods)),
            error_batches(params.run, inputs))
    period = headline_period(monitor)["period"] if monitor is not None else None
    out |= {
        "drivers": drivers(ds, monitor, inputs, params.parts),
        "variance_budget": budget.variance_budget(params, inputs, ds, period),
        "sources": sources(inputs),
        "settings": settings(params),
        "overrides": dict(params.overrides),
        "params": params.as_dict(),
        "provenance": dict(provenance or {}),
    }
    return out


def headline_period(monitor: dict[str, Any]) -> dict[str, Any]:
    """The period in the headline (``monitor.headline_period``, else the latest)."""
    want = monitor.get("headline_period")
    return next((p for p in monitor["periods"] if p["period"] == want), monitor["periods"][-1])


def driver_names(inputs: Inputs) -> dict[str, dict[str, str]]:
    """Readable names of the items the drivers name, from the data, in English and Dutch:
    a buyer-group tender by its description (en) or its group and id (nl), a translation
    factor by its product group and criterion (en) or product group and id (nl), a product
    group by its name."""
    out = {"households": {lang: catalogue(lang)["text"]["driver_households"]
                          for lang in LANGUAGES}}
    if "buyer_group_tenders" in inputs.tables:
        groups = inputs["buyer_groups"].set_index("id")
        for _, r in inputs["buyer_group_tenders"].iterrows():
            g = groups.loc[r["buyer_group"]]
            out[r["tender_id"]] = {"en": f"{r['description']} ({r['tender_id']})",
                                   "nl": f"{g['name_nl']} ({r['tender_id']})"}
    if "product_groups" in inputs.tables:
        pgs = inputs["product_groups"].set_index("id")
        tf = inputs["translation_factors"]
        for key, (_, r) in zip(factor_keys(tf), tf.iterrows(), strict=True):
            pg = pgs.loc[r["product_group"]]
            when = f", {r['period']}" if key != r["factor_id"] else ""
            out[key] = {"en": f"{pg['name_en']}: {r['criterion']}{when}",
                        "nl": f"{pg['name_nl']} ({r['factor_id']}{when})"}
        for pid, pg in pgs.iterrows():
            out[str(pid)] = {"en": pg["name_en"], "nl": pg["name_nl"]}
    return out


def drivers(ds: xr.Dataset, monitor: dict[str, Any] | None, inputs: Inputs,
            parts: tuple[str, ...] = ("buyer_groups", "monitor")) -> dict[str, Any]:
    """What drives the ranges: the rank correlations of the inputs with the buyer-group total
    and with the headline period's monitor total [-], largest first, of the ``parts`` run;
    each item with its name from the data (``name_en``, ``name_nl``)."""
    names = driver_names(inputs)

    def rows(df: pd.DataFrame) -> list[dict[str, Any]]:
        return [{"item": r.item, "variable": r.variable, "rho": float(r.rho),
                 "name_en": names.get(r.item, {}).get("en", r.item),
                 "name_nl": names.get(r.item, {}).get("nl", r.item)}
                for r in df.itertuples()]

    out: dict[str, Any] = {"method": "Spearman rank correlation over the draws"}
    if "buyer_groups" in parts:
        out["buyer_groups"] = rows(sensitivity.buyer_group_drivers(ds))
    if monitor is not None and "monitor" in parts:
        period = headline_period(monitor)["period"]
        out["monitor"] = {"period": period,
                          "inputs": rows(sensitivity.monitor_drivers(ds, period))}
    return out


def product_groups(summary: dict[str, Any]) -> pd.DataFrame:
    """The effect monitor's figures of a summary (as :func:`summarise` returns or
    ``summary.json`` holds): one row per period and product group, with the counts, the
    Wilson interval of the share with an effect [-] and the reduction's statistics
    [t CO2-eq]."""
    rows = []
    for period in summary["effect_monitor"]["periods"]:
        for g in period["product_groups"]:
            share, red = g["share_with_effect"], g["reduction_t"]
            rows.append({"period": period["period"], "product_group": g["id"],
                         "name_en": g["name_en"], "name_nl": g["name_nl"],
                         "n_sampled": g["n_sampled"], "n_with_effect": g["n_with_effect"],
                         "share": share["estimate"], "share_low": share["low"],
                         "share_high": share["high"],
                         **{f"reduction_{k}_t": red[k] for k in
                            ("mean", "median", "low", "high", "mc_error")}})
    return pd.DataFrame(rows)
