"""A variance budget: how much of each headline figure's variance comes from each source.

Estimator: one source at a time. The model is evaluated again with only that source
uncertain (every other source at its mode, or without resampling), with the *same* random
numbers as the run; the variance of the figure then, divided by its variance with every
source uncertain, is the source's share [-]. What the shares leave (1 - their sum) is the
interaction between sources: the model multiplies its inputs, so sources amplify each other.

Why this estimator: it uses the model's own switches (``buyer_groups.uncertainty.*``,
``monitor.emission_factor_uncertainty``, ``monitor.frame_total_uncertainty``,
``monitor.bootstrap``), so every source is exactly one group of inputs; it costs one
evaluation per source; and for effects that add up it equals the first-order Sobol index of
the group. Unlike rank correlations it covers the bootstrap over the sampled tenders, which
no single input column carries. It is not a variance-based index under interactions: the
interaction term says how far from additive the model is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from effectmodel.model import engine, monitoreval

if TYPE_CHECKING:
    import xarray as xr

    from effectmodel.inputs.params import Params
    from effectmodel.inputs.tables import Inputs

#: buyer-group sources: each is the switch of one input's uncertainty
BG_SOURCES = ("award", "additionality", "quantity", "emission_factor", "reduction_fraction")
#: monitor sources and the switches that leave only that source uncertain
MONITOR_SOURCES = {
    "sampling": {"monitor.bootstrap": "bayesian", "monitor.emission_factor_uncertainty": False,
                 "monitor.frame_total_uncertainty": False},
    "translation_factors": {"monitor.bootstrap": "none",
                            "monitor.emission_factor_uncertainty": True,
                            "monitor.frame_total_uncertainty": False},
    "frame_totals": {"monitor.bootstrap": "none", "monitor.emission_factor_uncertainty": False,
                     "monitor.frame_total_uncertainty": True},
    # criteria whose tests are unclear, drawn (monitor.unclear: drawn); in the other sources'
    # runs they count by their probability
    "unclear_criteria": {"monitor.bootstrap": "none",
                         "monitor.emission_factor_uncertainty": False,
                         "monitor.frame_total_uncertainty": False, "monitor.unclear": "drawn"},
}


def shares(total: np.ndarray, alone: dict[str, np.ndarray]) -> dict[str, float]:
    """Each source's variance alone as a share of the total variance, and the rest as
    ``interactions`` [-]; all None when the total does not vary."""
    v = float(np.var(total))
    if v <= 0:
        return {**{k: None for k in alone}, "interactions": None}
    out = {k: float(np.var(x)) / v for k, x in alone.items()}
    out["interactions"] = 1.0 - sum(out.values())
    return out


def buyer_group_budget(params: Params, inputs: Inputs, ds: xr.Dataset) -> dict[str, float]:
    """Shares of the variance of the buyer-group total [-], one input at a time."""
    on = dict(params.buyer_groups.uncertainty)
    alone = {}
    for source in BG_SOURCES:
        if not on[source]:
            continue
        only = {f"buyer_groups.uncertainty.{k}": k == source for k in BG_SOURCES}
        run = engine.evaluate_buyer_groups(params.with_overrides(only), inputs,
                                           int(ds.attrs.get("scenario", 0)))
        alone[source] = run["bg_total_t"].values
    return shares(ds["bg_total_t"].values, alone)


def monitor_budget(params: Params, inputs: Inputs, ds: xr.Dataset, period: str
                   ) -> dict[str, float]:
    """Shares of the variance of one period's monitor total [-], one source at a time."""
    m = params.monitor
    active = {"sampling": m.bootstrap == "bayesian",
              "translation_factors": m.emission_factor_uncertainty,
              "frame_totals": m.frame_total_uncertainty,
              "unclear_criteria": m.unclear == "drawn"}
    names = {"co2_eq": "period_total_t",
             **{i: f"{i}_period_total" for i in m.indicators if i != "co2_eq"}}
    alone: dict[str, dict[str, np.ndarray]] = {i: {} for i in names}
    for source, switches in MONITOR_SOURCES.items():
        if not active[source]:
            continue
        if m.unclear == "drawn" and source != "unclear_criteria":
            switches = {**switches, "monitor.unclear": "expected"}
        run = monitoreval.evaluate_monitor(params.with_overrides(switches), inputs,
                                      int(ds.attrs.get("scenario", 0)), per_year=False)
        for i, var in names.items():
            alone[i][source] = run[var].sel(period=period).values
    out = shares(ds["period_total_t"].sel(period=period).values, alone["co2_eq"])
    if len(names) > 1:  # the other indicators share the sources (their own factors)
        out["indicators"] = {i: shares(ds[var].sel(period=period).values, alone[i])
                             for i, var in names.items() if i != "co2_eq"}
    return out


def variance_budget(params: Params, inputs: Inputs, ds: xr.Dataset, period: str
                    ) -> dict[str, Any]:
    """The ``variance_budget`` block of summary.json: shares [-] of the variance of the
    buyer-group total and of ``period``'s monitor total (``monitor.shares``), and of each
    other indicator's (``monitor.indicators``)."""
    shares = monitor_budget(params, inputs, ds, period)
    others = shares.pop("indicators", None)  # a flat {source: share} stays flat
    monitor = {"period": period, "shares": shares}
    if others:
        monitor["indicators"] = others
    return {"method": "one source at a time, same random numbers (see model/budget.py)",
            "buyer_groups": buyer_group_budget(params, inputs, ds), "monitor": monitor}
