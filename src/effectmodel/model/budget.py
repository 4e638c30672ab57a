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

from effectmodel.model import engine, monitor

if TYPE_CHECKING:
    import xarray as xr

    from effectmodel.domain.inputdata import Inputs
    from effectmodel.domain.params import Params

#: buyer-group sources: each is the switch of one input's uncertainty
BG_SOURCES = ("award", "additionality", "quantity", "emission_factor", "reduction_fraction")
#: monitor sources and the switches that leave only that source uncertain
MONITOR_SOURCES = {
    # (the run's own resampling, design or bayesian: kept from its params)
    "sampling": {"monitor.emission_factor_uncertainty": False,
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
    ``interactions`` [-]; all None when the total does not vary beyond rounding (a spread
    below 1e-9 of its size: the sum of fixed inputs in another order)."""
    total = np.asarray(total, dtype=float)
    v = float(np.var(total))
    size = float(np.max(np.abs(total))) if total.size else 0.0
    if v <= 0 or np.sqrt(v) <= 1e-9 * size:
        return {**{k: None for k in alone}, "interactions": None}
    out = {k: float(np.var(x)) / v for k, x in alone.items()}
    out["interactions"] = 1.0 - sum(out.values())
    return out


def _monitor_names(params: Params) -> dict[str, str]:
    """Each indicator's period-total variable in the model's results."""
    return {"co2_eq": "period_total_t",
            **{i: f"{i}_period_total" for i in params.monitor.indicators if i != "co2_eq"}}


def _monitor_active(params: Params) -> dict[str, bool]:
    """Which monitor sources are uncertain in ``params``."""
    m = params.monitor
    return {"sampling": m.bootstrap != "none",
            "translation_factors": m.emission_factor_uncertainty,
            "frame_totals": m.frame_total_uncertainty,
            "unclear_criteria": m.unclear == "drawn"}


def alone_tasks(params: Params) -> list[tuple[str, str]]:
    """The budget's evaluations, one per uncertain source: ``("monitor", source)`` first (the
    costly ones), then ``("buyer_groups", source)``, of the parts the params hold."""
    tasks = []
    if params.monitor is not None:
        active = _monitor_active(params)
        tasks += [("monitor", s) for s in MONITOR_SOURCES if active[s]]
    if params.buyer_groups is not None:
        on = dict(params.buyer_groups.uncertainty)
        tasks += [("buyer_groups", s) for s in BG_SOURCES if on[s]]
    return tasks


def alone_run(params: Params, inputs: Inputs, scenario: int, task: tuple[str, str]) -> Any:
    """One evaluation of :func:`alone_tasks`: the model with only ``task``'s source uncertain,
    with the run's random numbers (``scenario``). A buyer-group task gives the total per draw
    [t CO2-eq]; a monitor task each indicator's period total per period and draw."""
    part, source = task
    if part == "buyer_groups":
        only = {f"buyer_groups.uncertainty.{k}": k == source for k in BG_SOURCES}
        return engine.evaluate_buyer_groups(params.with_overrides(only), inputs,
                                            scenario)["bg_total_t"].values
    switches = MONITOR_SOURCES[source]
    if params.monitor.unclear == "drawn" and source != "unclear_criteria":
        switches = {**switches, "monitor.unclear": "expected"}
    run = monitor.evaluate_monitor(params.with_overrides(switches), inputs, scenario,
                                       per_year=False)
    return {i: run[var] for i, var in _monitor_names(params).items()}


def alone_runs(params: Params, inputs: Inputs, scenario: int = 0) -> dict[str, Any]:
    """The model's figures with one source uncertain at a time: the expensive part of the
    budget, one evaluation per source (:func:`alone_tasks`). Depends on params, data and
    ``scenario`` only (not on the run's results).

    Returns ``{"buyer_groups": {source: bg_total_t [t CO2-eq] per draw},
    "monitor": {source: {indicator: period total per period and draw}}}``.
    """
    out: dict[str, Any] = {"buyer_groups": {}, "monitor": {}}
    for part, source in alone_tasks(params):
        out[part][source] = alone_run(params, inputs, scenario, (part, source))
    return out


def buyer_group_budget(ds: xr.Dataset, runs: dict[str, Any]) -> dict[str, float]:
    """Shares of the variance of the buyer-group total [-], one input at a time."""
    return shares(ds["bg_total_t"].values, runs["buyer_groups"])


def monitor_budget(params: Params, ds: xr.Dataset, period: str, runs: dict[str, Any]
                   ) -> dict[str, float]:
    """Shares of the variance of one period's monitor total [-], one source at a time."""
    names = _monitor_names(params)
    alone = {i: {source: run[i].sel(period=period).values
                 for source, run in runs["monitor"].items()} for i in names}
    out = shares(ds["period_total_t"].sel(period=period).values, alone["co2_eq"])
    if len(names) > 1:  # the other indicators share the sources (their own factors)
        out["indicators"] = {i: shares(ds[var].sel(period=period).values, alone[i])
                             for i, var in names.items() if i != "co2_eq"}
    return out


def variance_budget(params: Params, inputs: Inputs, ds: xr.Dataset, period: str | None,
                    runs: dict[str, Any] | None = None) -> dict[str, Any]:
    """The ``variance_budget`` block of summary.json, for the parts the params hold: shares
    [-] of the variance of the buyer-group total (``buyer_groups``) and of ``period``'s
    monitor total (``monitor.shares``), and of each other indicator's
    (``monitor.indicators``). ``runs``: :func:`alone_runs` of the same params, data and
    scenario, when already computed (else computed here)."""
    if runs is None:
        runs = alone_runs(params, inputs, int(ds.attrs.get("scenario", 0)))
    out: dict[str, Any] = {"method": "one source at a time, same random numbers (see "
                                     "model/budget.py)"}
    if params.buyer_groups is not None:
        out["buyer_groups"] = buyer_group_budget(ds, runs)
    if params.monitor is not None and period is not None:
        shares = monitor_budget(params, ds, period, runs)
        others = shares.pop("indicators", None)  # a flat {source: share} stays flat
        out["monitor"] = {"period": period, "shares": shares}
        if others:
            out["monitor"]["indicators"] = others
    return out
