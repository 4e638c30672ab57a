"""Evaluate: sample the inputs, run both models, return one xarray Dataset of draws.

No I/O: takes validated :class:`~effectmodel.params.Params` and
:class:`~effectmodel.data.Inputs`, returns the results that ``summary`` reduces and ``outputs``
saves as ``results.nc``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xarray as xr

from effectmodel.inputs.params import Params
from effectmodel.model import buyergroups, monitor
from effectmodel.model.sampling import (
    BG_VARIABLES,
    Design,
    bootstrap_blocks,
    factor_columns,
    sample_buyer_groups,
    sample_household_factor,
    sample_monitor,
    sobol_replicates,
)

if TYPE_CHECKING:  # a type only: the model never reads files
    from effectmodel.inputs.tables import Inputs

T = "t CO2-eq"


def evaluate(params: Params, inputs: Inputs, scenario: int = 0,
             block: int | None = None) -> xr.Dataset:
    """All draws of one run (one scenario).

    ``block``: draws of the monitor's bootstrap evaluated at a time (default: about 64 MiB
    per (draw x sampled tender) array); it changes memory, never a number.

    Returns
    -------
    Dataset with dims ``draw``, ``tender`` (buyer-group tenders), ``buyer_group`` (quantified
    groups), ``stratum`` (period x product group) and ``period``; every variable carries
    ``units`` in its attrs. See :data:`VARIABLES` for the meaning of each.
    """
    design = run_design(params, inputs, scenario)  # one design for both parts of the run
    bg = evaluate_buyer_groups(params, inputs, scenario, design)
    mon = evaluate_monitor(params, inputs, scenario, block, design)
    ds = xr.merge([bg, mon], combine_attrs="drop")
    ds.attrs = {
        "title": params.title,
        "name": params.name,
        "seed": params.run.seed,
        "n_draws": params.run.n_draws,
        "sampler": params.run.sampler,
        "scenario": scenario,
        "units_note": "all reductions in t CO2-eq over the contract lifetime",
        # the settings used, for a reader of results.nc alone (JSON text: netCDF attributes
        # hold no nested data)
        "params_json": json.dumps(params.as_dict(), ensure_ascii=False),
        "overrides_json": json.dumps(dict(params.overrides), ensure_ascii=False),
    }
    for name in ds.data_vars:
        ds[name].attrs["units"] = UNITS[name]  # arithmetic drops attrs: set them all here
        if name in VARIABLES:
            ds[name].attrs["long_name"] = VARIABLES[name]
    return ds


def buyer_group_core(x: xr.Dataset, order: list[str]):
    """The buyer-group Monte Carlo core on drawn inputs.

    Parameters
    ----------
    x : drawn inputs (draw, tender), as :func:`~effectmodel.sampling.sample_buyer_groups`.
    order : buyer-group ids in output order.

    Returns
    -------
    (per tender (draw, tender), per group (draw, buyer_group), total (draw,)) [t CO2-eq]
    """
    red = buyergroups.tender_reduction(x["quantity"], x["emission_factor"],
                                       x["reduction_fraction"], x["award"], x["additionality"])
    groups = buyergroups.group_totals(red).sel(buyer_group=order)
    return red, groups, red.sum("tender")


def monitor_core(d: dict, quantity, factor_index, value, weight, frame_total, starts,
                 period_starts):
    """The monitor's Monte Carlo core on drawn inputs.

    Parameters
    ----------
    d : drawn inputs, as :func:`~effectmodel.sampling.sample_monitor`.
    quantity : (tender,) [unit], 0 where nothing counts; factor_index : (tender,) column of
        each tender's translation factor; value : (tender,) [EUR]; weight : (tender,) [-];
        frame_total : (stratum,) [EUR]; starts, period_starts : first tender of each stratum,
        first stratum of each period.

    Returns
    -------
    (per stratum (draw, stratum), per period (draw, period)) [t CO2-eq]
    """
    saving = monitor.tender_effect(1.0, d["baseline_ef"], d["mvi_ef"])  # per unit, per factor
    effect = quantity * saving[..., factor_index]
    ratio = monitor.ratio_estimate(effect, value, weight * d["boot"], starts)
    pg = monitor.extrapolate(ratio, frame_total * d["frame_multiplier"])
    return pg, monitor.stratum_sums(pg, period_starts)


def evaluate_buyer_groups(params: Params, inputs: Inputs, scenario: int = 0,
                          design: Design | None = None) -> xr.Dataset:
    """Buyer-group draws: per tender, per group, total, households; and as planned.
    ``design``: the run's (default: :func:`run_design`)."""
    run, opts = params.run, params.buyer_groups
    tenders = inputs["buyer_group_tenders"]
    design = design or run_design(params, inputs, scenario)
    x = sample_buyer_groups(tenders, opts, run.seed, run.n_draws, design, scenario)
    order = quantified_groups(inputs)
    red, groups, total = buyer_group_core(x, order)
    factors = inputs["household_factors"]
    hf = sample_household_factor(factors, opts.household_factor, run.seed, run.n_draws,
                                 design, scenario)
    hf_mode = float(factors.loc[factors["id"] == opts.household_factor,
                                "t_per_household_mode"].iloc[0])
    planned = xr.DataArray(buyergroups.as_planned(tenders), dims="tender",
                           coords={"tender": x["tender"], "buyer_group": x["buyer_group"]})
    planned_total = float(planned.sum())
    ds = xr.Dataset({
        "bg_tender_reduction_t": red,
        "bg_group_reduction_t": groups,
        "bg_total_t": total,
        "bg_household_factor": ("draw", hf),
        "bg_households": ("draw", buyergroups.households(total.values, hf)),
        "bg_as_planned_tender_t": planned,
        "bg_as_planned_group_t": buyergroups.group_totals(planned).sel(buyer_group=order),
        "bg_as_planned_t": planned_total,
        "bg_households_as_planned": buyergroups.households(planned_total, hf_mode),
    })
    for var in ("quantity", "emission_factor", "reduction_fraction", "award", "additionality"):
        ds[f"bg_in_{var}"] = x[var]
    return ds


def strata(inputs: Inputs) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """The monitor's strata (period x product group) of the periods estimated.

    Returns
    -------
    frames : frame totals in stratum order (period order of the data, then product-group
        order); ``sampled`` : the sampled tenders sorted by stratum (stable); ``starts`` :
        index of each stratum's first tender.
    """
    periods = list(inputs.periods)
    pg_order = {g: i for i, g in enumerate(inputs["product_groups"]["id"])}
    frames = inputs["frame_totals"]
    frames = frames[frames["period"].isin(periods)].copy()
    frames["_p"] = frames["period"].map(periods.index)
    frames["_g"] = frames["product_group"].map(pg_order)
    frames = frames.sort_values(["_p", "_g"], kind="stable").reset_index(drop=True)
    code = {(p, g): i for i, (p, g) in enumerate(zip(frames["period"], frames["product_group"],
                                                      strict=True))}
    sampled = inputs["sampled_tenders"]
    sampled = sampled[sampled["period"].isin(periods)].copy()
    sampled["_s"] = [code[(p, g)] for p, g in zip(sampled["period"], sampled["product_group"],
                                                  strict=True)]
    sampled = sampled.sort_values("_s", kind="stable").reset_index(drop=True)
    starts = np.searchsorted(sampled["_s"].to_numpy(), np.arange(len(frames)))
    return frames.drop(columns=["_p", "_g"]), sampled, starts


def tender_arrays(sampled: pd.DataFrame, factors: pd.DataFrame, frames: pd.DataFrame):
    """NumPy arrays of the sampled tenders: quantity (0 where nothing counts), factor column,
    value [EUR], weight [-], frame totals [EUR] and has_effect."""
    fidx = {f: i for i, f in enumerate(factors["factor_id"])}
    has = sampled["has_effect"].to_numpy(bool)
    fi = np.array([fidx.get(f, 0) if h else 0 for f, h in zip(sampled["factor_id"], has,
                                                               strict=True)], dtype=int)
    q = np.where(has, sampled["quantity"].fillna(0.0).to_numpy(float), 0.0)
    return (q, fi, sampled["value_eur"].to_numpy(float), sampled["weight"].to_numpy(float),
            frames["frame_total_eur"].to_numpy(float), has)


@dataclass(frozen=True)
class MonitorSetup:
    """What the monitor's computation needs from the inputs, derived once per run (or sweep):
    strata, the sampled tenders as arrays, and each period's household factor id."""

    frames: pd.DataFrame
    sampled: pd.DataFrame
    factors: pd.DataFrame
    starts: np.ndarray
    quantity: np.ndarray
    factor_index: np.ndarray
    value: np.ndarray
    weight: np.ndarray
    frame_total: np.ndarray
    has_effect: np.ndarray
    periods: list[str]
    period_starts: np.ndarray
    household_factor_ids: list[str]


def monitor_setup(inputs: Inputs) -> MonitorSetup:
    """Derive :class:`MonitorSetup` from validated inputs."""
    frames, sampled, starts = strata(inputs)
    factors = inputs["translation_factors"]
    q, fi, value, weight, frame_t, has = tender_arrays(sampled, factors, frames)
    periods = list(inputs.periods)
    p_starts = np.searchsorted(frames["period"].map(periods.index).to_numpy(),
                               np.arange(len(periods)))
    mp = inputs["monitor_periods"].set_index("period")
    return MonitorSetup(frames, sampled, factors, starts, q, fi, value, weight, frame_t, has,
                        periods, p_starts, [mp.loc[p, "household_factor"] for p in periods])


def sample_period_household_factors(inputs: Inputs, setup: MonitorSetup, run,
                                    scenario: int = 0, design: Design | None = None
                                    ) -> np.ndarray:
    """Household factor draws of each period's publication, (draw, period)
    [t CO2-eq per household]. Periods that share a publication share its draws: one
    physical quantity, drawn once."""
    return np.stack([sample_household_factor(inputs["household_factors"], h, run.seed,
                                             run.n_draws, design or run.sampler, scenario)
                     for h in setup.household_factor_ids], axis=1)


def design_columns(inputs: Inputs) -> list[tuple]:
    """The identity of every uncertain input column a run may draw: each buyer-group tender
    input, each household factor, each translation factor's baseline and MVI factor, each
    stratum's frame total. The dimensions of a Sobol design."""
    tenders = list(inputs["buyer_group_tenders"]["tender_id"])
    cols = [("buyer_groups", var, i) for var in (*BG_VARIABLES, "award") for i in tenders]
    groups = list(dict.fromkeys(inputs["buyer_group_tenders"]["buyer_group"]))
    cols += [("buyer_groups", f"{var}_by_group", g) for var in ("award", "additionality")
             for g in groups]
    cols += [("monitor", "frame_total_common", "all")]
    cols += [("buyer_groups", "emission_factor", c)
             for c in dict.fromkeys(factor_columns(inputs["buyer_group_tenders"]))
             if c.startswith("factor:")]
    cols += [("household_factor", h) for h in inputs["household_factors"]["id"]]
    factors = list(inputs["translation_factors"]["factor_id"])
    cols += [("monitor", var, f) for var in ("baseline_ef", "mvi_ef") for f in factors]
    fr = inputs["frame_totals"]
    cols += [("monitor", "frame_total", f"{p}/{g}")
             for p, g in zip(fr["period"], fr["product_group"], strict=True)]
    return cols


def error_batches(run, inputs: Inputs | None = None) -> int:
    """Batches of the Monte Carlo error [-]: ``mc_batches`` for plain random draws and LHS
    (each batch its own Latin hypercube); for Sobol the design's independent scrambles (see
    :func:`~effectmodel.model.sampling.sobol_replicates`; ``inputs`` give its dimensions).
    Batch means over one stratified design would overstate the error: the draws of a design
    are not independent, its replicates are."""
    if run.sampler == "sobol":
        dims = len(design_columns(inputs)) if inputs is not None else 1
        return sobol_replicates(run.n_draws, run.mc_batches, dims)
    return run.mc_batches


def run_design(params: Params, inputs: Inputs, scenario: int = 0) -> Design:
    """The one design of a run's uncertain inputs (see :mod:`~effectmodel.model.sampling`)."""
    run = params.run
    return Design(run.seed, scenario, run.n_draws, run.sampler,
                  design_columns(inputs) if run.sampler == "sobol" else (),
                  1 if run.sampler == "random" else error_batches(run, inputs))


def quantified_groups(inputs: Inputs) -> list[str]:
    """Ids of the buyer groups that have tenders, in the order of the buyer-group table."""
    with_tenders = set(inputs["buyer_group_tenders"]["buyer_group"])
    return [g for g in inputs["buyer_groups"]["id"] if g in with_tenders]


#: Draws evaluated at a time [-], at the most: the (draw x sampled tender) arrays of a block
#: stay near ``BLOCK_BYTES`` whatever the size of the sample.
BLOCK_BYTES = 64 * 2**20


def block_draws(n_tenders: int, n_draws: int) -> int:
    """Draws per block for ``n_tenders`` sampled tenders [-]: about 64 MiB per array."""
    return int(min(n_draws, max(1, BLOCK_BYTES // (8 * max(1, n_tenders)))))


def evaluate_monitor(params: Params, inputs: Inputs, scenario: int = 0,
                     block: int | None = None, design: Design | None = None) -> xr.Dataset:
    """Effect-monitor draws per stratum and per period, and the central (modal) estimate.

    The sampled tenders are resampled ``block`` draws at a time (default
    :func:`block_draws`), each block reduced to its strata before the next: memory grows with
    the draws times the strata, not with the draws times the sample. Every block size gives
    the same numbers, bit for bit.
    """
    run, opts = params.run, params.monitor
    m = monitor_setup(inputs)
    frames, factors, starts, fi = m.frames, m.factors, m.starts, m.factor_index
    design = design or run_design(params, inputs, scenario)
    d = sample_monitor(m.sampled, factors, frames, opts, run.seed, run.n_draws, design,
                       scenario, with_bootstrap=False)
    effect_c = monitor.tender_effect(m.quantity,
                                     factors["baseline_ef_mode"].to_numpy(float)[fi],
                                     factors["mvi_ef_mode"].to_numpy(float)[fi])
    frame_t = m.frame_total
    pg_central = monitor.extrapolate(
        monitor.ratio_estimate(effect_c, m.value, m.weight, starts),
        frame_t * opts.frame_total_scale)
    n = run.n_draws
    pg, totals = np.empty((n, len(frames))), np.empty((n, len(m.periods)))
    size = block or block_draws(len(m.sampled), n)
    blocks = (bootstrap_blocks(m.sampled, run.seed, scenario, n, run.sampler, size)
              if opts.bootstrap == "bayesian" else
              ((slice(a, min(a + size, n)), np.ones((min(size, n - a), len(m.sampled))))
               for a in range(0, n, size)))
    for rows, boot in blocks:
        part = {k: v[rows] for k, v in d.items() if v is not None}
        pg[rows], totals[rows] = monitor_core({**part, "boot": boot}, m.quantity, fi, m.value,
                                              m.weight, frame_t, starts, m.period_starts)
    central = monitor.stratum_sums(pg_central, m.period_starts)
    hf = sample_period_household_factors(inputs, m, run, scenario, design)
    periods = m.periods
    sampled, has = m.sampled, m.has_effect
    sid = [f"{p}/{g}" for p, g in zip(frames["period"], frames["product_group"], strict=True)]
    n_sampled = np.diff(np.append(starts, len(sampled)))
    n_effect = np.add.reduceat(has.astype(int), starts)
    ds = xr.Dataset(
        {
            "pg_reduction_t": (("draw", "stratum"), pg),
            "pg_central_t": ("stratum", pg_central),
            "pg_n_sampled": ("stratum", n_sampled),
            "pg_n_with_effect": ("stratum", n_effect),
            "pg_frame_total_eur": ("stratum", frame_t),
            "pg_in_frame_multiplier": (("draw", "stratum"), d["frame_multiplier"]),
            "period_total_t": (("draw", "period"), totals),
            "period_central_t": ("period", central),
            "period_household_factor": (("draw", "period"), hf),
            "period_households": (("draw", "period"), totals / hf),
            "mon_in_baseline_ef": (("draw", "factor"), d["baseline_ef"]),
            "mon_in_mvi_ef": (("draw", "factor"), d["mvi_ef"]),
        },
        coords={
            "stratum": sid,
            "stratum_period": ("stratum", list(frames["period"])),
            "stratum_product_group": ("stratum", list(frames["product_group"])),
            "period": periods,
            "factor": list(factors["factor_id"]),
        },
    )
    return ds


VARIABLES = {
    "bg_tender_reduction_t": "risk-adjusted reduction per buyer-group tender",
    "bg_group_reduction_t": "risk-adjusted reduction per buyer group",
    "bg_total_t": "risk-adjusted reduction of all quantified buyer groups",
    "bg_household_factor": "household factor draws (buyer-group publication)",
    "bg_households": "risk-adjusted reduction in household equivalents",
    "bg_as_planned_tender_t": "as planned (RIVM method) per tender",
    "bg_as_planned_group_t": "as planned (RIVM method) per buyer group",
    "bg_as_planned_t": "as planned (RIVM method), all quantified groups",
    "bg_households_as_planned": "as planned, in household equivalents",
    "pg_reduction_t": "effect per period and product group, extrapolated to all spend",
    "pg_central_t": "central counted effect (modal factors, no resampling)",
    "pg_n_sampled": "sampled tenders",
    "pg_n_with_effect": "sampled tenders with a counted effect",
    "pg_frame_total_eur": "total tender value in the frame",
    "period_total_t": "effect per period, all product groups",
    "period_central_t": "central counted effect per period",
    "period_households": "effect per period in household equivalents",
    # the drawn inputs
    "bg_in_quantity": "drawn quantity per buyer-group tender",
    "bg_in_emission_factor": "drawn emission factor per buyer-group tender",
    "bg_in_reduction_fraction": "drawn reduction fraction per buyer-group tender",
    "bg_in_award": "drawn award per buyer-group tender (1 awarded, 0 not)",
    "bg_in_additionality": "drawn additionality per buyer-group tender",
    "pg_in_frame_multiplier": "drawn multiplier of the frame total per stratum",
    "period_household_factor": "household factor draws (the period's publication)",
    "mon_in_baseline_ef": "drawn baseline emission factor per translation factor",
    "mon_in_mvi_ef": "drawn emission factor with MVI criteria per translation factor",
}

UNITS = {
    "bg_tender_reduction_t": T, "bg_group_reduction_t": T, "bg_total_t": T,
    "bg_household_factor": "t CO2-eq per household", "bg_households": "households",
    "bg_as_planned_tender_t": T, "bg_as_planned_group_t": T, "bg_as_planned_t": T,
    "bg_households_as_planned": "households",
    "bg_in_quantity": "tender unit (quantity_unit)",
    "bg_in_emission_factor": "t CO2-eq per tender unit", "bg_in_reduction_fraction": "1",
    "bg_in_award": "1", "bg_in_additionality": "1",
    "pg_reduction_t": T, "pg_central_t": T, "pg_n_sampled": "tenders",
    "pg_n_with_effect": "tenders", "pg_frame_total_eur": "EUR", "pg_in_frame_multiplier": "1",
    "period_total_t": T, "period_central_t": T,
    "period_household_factor": "t CO2-eq per household", "period_households": "households",
    "mon_in_baseline_ef": "t CO2-eq per unit", "mon_in_mvi_ef": "t CO2-eq per unit",
}
