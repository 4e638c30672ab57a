"""Evaluate: sample the inputs, run both models, return one xarray Dataset of draws.

No I/O: takes validated :class:`~effectmodel.params.Params` and
:class:`~effectmodel.data.Inputs`, returns the results that ``summary`` reduces and ``outputs``
saves as ``results.nc``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xarray as xr

from effectmodel.inputs.columns import (
    AMBITION_LEVELS,
    CRITERION_CLASSES,
    CRITERION_TYPES,
    INDICATORS,
)
from effectmodel.inputs.params import Params
from effectmodel.model import buyergroups, monitor
from effectmodel.model.sampling import (
    BG_VARIABLES,
    Design,
    bootstrap_blocks,
    factor_columns,
    sample_buyer_groups,
    sample_factor_pairs,
    sample_household_factor,
    sample_monitor,
    sobol_replicates,
    unit_block,
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
    for name in ds.data_vars:  # arithmetic drops attrs: set them all here
        long_name, units = variable_meta(name)
        ds[name].attrs["units"] = units
        if long_name:
            ds[name].attrs["long_name"] = long_name
    return ds


def variable_meta(name: str) -> tuple[str | None, str]:
    """(long name, units) of a variable of :func:`evaluate`, the other indicators' included."""
    if name in UNITS:
        return VARIABLES.get(name), UNITS[name]
    for ind, (unit, per_year) in INDICATORS.items():
        for suffix, what in INDICATOR_VARIABLES.items():
            if name == f"{ind}_{suffix}":
                return f"{INDICATOR_NAMES[ind]}: {what}", per_year if "per_year" in suffix \
                    else unit
    raise KeyError(name)


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
        order); ``sampled`` : the sampled tenders sorted by stratum, then sub-stratum (in
        order of first appearance; stable); ``starts`` : index of each stratum's first tender.
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
    sub = sampled["sub_stratum"].fillna("")
    sampled["_h"] = pd.factorize(sub)[0]
    sampled = sampled.sort_values(["_s", "_h"], kind="stable").reset_index(drop=True)
    starts = np.searchsorted(sampled["_s"].to_numpy(), np.arange(len(frames)))
    return frames.drop(columns=["_p", "_g"]), sampled.drop(columns=["_h"]), starts


#: a test's outcome as a number: passed 1, failed 0, unclear -1
OUTCOME = {"yes": 1, "no": 0, "unclear": -1}


@dataclass(frozen=True)
class MonitorSetup:
    """What the monitor's computation needs from the inputs, derived once per run (or sweep):
    strata and sub-strata, the sampled tenders and their criteria as arrays, and each
    period's household factor id. Criteria are sorted by tender (so by stratum)."""

    frames: pd.DataFrame
    sampled: pd.DataFrame
    factors: pd.DataFrame
    criteria: pd.DataFrame
    starts: np.ndarray            # first tender of each stratum
    value: np.ndarray             # (tender,) [EUR]
    weight: np.ndarray            # (tender,) the data's weight over the inclusion probability
    segment_of: np.ndarray        # (tender,) sub-stratum of each tender
    segment_starts: np.ndarray    # first tender of each sub-stratum
    segment_n: np.ndarray         # (sub-stratum,) sampled tenders n_h
    segment_frame: np.ndarray     # (sub-stratum,) frame count N_h; NaN unknown
    crit_tender: np.ndarray       # (criterion,) its tender's index
    crit_factor: np.ndarray       # (criterion,) its translation factor's column
    crit_quantity: np.ndarray     # (criterion,) [unit]; 0 where no factor
    crit_years: np.ndarray        # (criterion,) [year]; NaN unknown
    crit_contract: np.ndarray     # (criterion,) 1 yes, 0 no, -1 unclear
    crit_beyond: np.ndarray       # (criterion,) 1 yes, 0 no, -1 unclear
    crit_ids: list[str]           # "period/tender/criterion"
    crit_starts: np.ndarray       # first criterion of each stratum
    frame_total: np.ndarray       # (stratum,) [EUR]
    stratum_ids: list[str]
    periods: list[str]
    period_starts: np.ndarray
    household_factor_ids: list[str]
    #: another indicator's setup keeps only the criteria its factors reach: their index into
    #: the run's criteria (None: all)
    crit_index: np.ndarray | None = None

    @property
    def annual(self) -> bool:
        """Every criterion that may count has its years: per-year figures can be given."""
        may = (self.crit_contract != 0) & (self.crit_beyond != 0)
        return bool(np.all(np.isfinite(self.crit_years[may])))


def indicator_factors(inputs: Inputs, indicator: str = "co2_eq") -> pd.DataFrame:
    """The translation factors of one indicator, in table order."""
    tf = inputs["translation_factors"]
    return tf[tf["indicator"] == indicator].reset_index(drop=True)


def for_indicator(m: MonitorSetup, inputs: Inputs, indicator: str) -> MonitorSetup:
    """The setup of another indicator: its translation factors, and only the criteria whose
    factor has a row for it (the others add nothing to it), each with that row."""
    factors = indicator_factors(inputs, indicator)
    fidx = {f: i for i, f in enumerate(factors["factor_id"])}
    fid = m.criteria["factor_id"].fillna("").to_numpy(object)
    keep = np.flatnonzero([f in fidx for f in fid])
    stratum = np.searchsorted(m.crit_starts, np.arange(len(fid)), side="right") - 1
    return replace(
        m, factors=factors, criteria=m.criteria.iloc[keep].reset_index(drop=True),
        crit_tender=m.crit_tender[keep], crit_quantity=m.crit_quantity[keep],
        crit_factor=np.array([fidx[f] for f in fid[keep]], dtype=int),
        crit_years=m.crit_years[keep], crit_contract=m.crit_contract[keep],
        crit_beyond=m.crit_beyond[keep], crit_ids=[m.crit_ids[k] for k in keep],
        crit_starts=np.searchsorted(stratum[keep], np.arange(len(m.frame_total))),
        crit_index=keep)


def monitor_setup(inputs: Inputs) -> MonitorSetup:
    """Derive :class:`MonitorSetup` from validated inputs (CO2-eq; other indicators:
    :func:`for_indicator`)."""
    frames, sampled, starts = strata(inputs)
    factors = indicator_factors(inputs)
    periods = list(inputs.periods)
    # sub-strata: contiguous runs of (stratum, sub_stratum) in the sorted sample
    sub = sampled["sub_stratum"].fillna("").to_numpy(object)
    s_code = sampled["_s"].to_numpy()
    new = np.ones(len(sampled), dtype=bool)
    new[1:] = (s_code[1:] != s_code[:-1]) | (sub[1:] != sub[:-1])
    seg_starts = np.flatnonzero(new)
    seg_of = np.cumsum(new) - 1
    seg_n = np.diff(np.append(seg_starts, len(sampled))).astype(float)
    ss = inputs["sub_strata"]
    count = {(q, g, h): float(n) for q, g, h, n in zip(
        ss["period"], ss["product_group"], ss["sub_stratum"], ss["frame_count"], strict=True)}
    per, grp = sampled["period"].to_numpy(object), sampled["product_group"].to_numpy(object)
    seg_frame = np.array([count.get((per[a], grp[a], sub[a]), np.nan) for a in seg_starts])
    weight = monitor.inclusion_weights(sampled["weight"].to_numpy(float), seg_n[seg_of],
                                       seg_frame[seg_of])
    # criteria, in the order of their tenders
    crit = inputs["criteria"]
    pos = {k: i for i, k in enumerate(zip(sampled["period"], sampled["tender_id"],
                                          strict=True))}
    tender = np.array([pos.get(k, -1) for k in zip(crit["period"], crit["tender_id"],
                                                   strict=True)], dtype=int)
    crit = crit[tender >= 0].assign(_t=tender[tender >= 0])
    crit = crit.sort_values("_t", kind="stable").reset_index(drop=True)
    ct = crit["_t"].to_numpy(int)
    fidx = {f: i for i, f in enumerate(factors["factor_id"])}
    fid = crit["factor_id"].fillna("").to_numpy(object)
    has_factor = np.array([f in fidx for f in fid], dtype=bool)
    cf = np.array([fidx.get(f, 0) for f in fid], dtype=int)
    cq = np.where(has_factor, crit["quantity"].fillna(0.0).to_numpy(float), 0.0)
    c_stratum = s_code[ct] if len(ct) else np.zeros(0, dtype=int)
    mp = inputs["monitor_periods"].set_index("period")
    return MonitorSetup(
        frames=frames, sampled=sampled, factors=factors, criteria=crit.drop(columns="_t"),
        starts=starts, value=sampled["value_eur"].to_numpy(float), weight=weight,
        segment_of=seg_of, segment_starts=seg_starts, segment_n=seg_n,
        segment_frame=seg_frame, crit_tender=ct, crit_factor=cf, crit_quantity=cq,
        crit_years=crit["years"].to_numpy(float),
        crit_contract=crit["in_contract"].map(OUTCOME).to_numpy(int),
        crit_beyond=crit["beyond_market_standard"].map(OUTCOME).to_numpy(int),
        crit_ids=[f"{p}/{t}/{c}" for p, t, c in zip(crit["period"], crit["tender_id"],
                                                     crit["criterion_id"], strict=True)],
        crit_starts=np.searchsorted(c_stratum, np.arange(len(frames))),
        frame_total=frames["frame_total_eur"].to_numpy(float),
        stratum_ids=[f"{p}/{g}" for p, g in zip(frames["period"], frames["product_group"],
                                                 strict=True)],
        periods=periods,
        period_starts=np.searchsorted(frames["period"].map(periods.index).to_numpy(),
                                      np.arange(len(periods))),
        household_factor_ids=[mp.loc[p, "household_factor"] for p in periods])


def criterion_counts(m: MonitorSetup, opts, u_contract=None, u_beyond=None) -> np.ndarray:
    """Whether each criterion counts [-]: in the contract and beyond market standard.

    An unclear test follows ``monitor.unclear``: ``none`` fails it (RIVM), ``all`` passes it,
    ``expected`` counts the criterion by its probability (a fraction), ``drawn`` passes it
    where the point ``u`` lies below that probability.

    Parameters
    ----------
    u_contract, u_beyond : (..., criterion) points in [0, 1) (``drawn`` only)

    Returns
    -------
    (criterion,) or, drawn, (..., criterion) [-]
    """
    def test(outcome, p, u):
        sure = (outcome == 1).astype(float)
        if opts.unclear == "none":
            return sure
        unclear = outcome == -1
        if opts.unclear == "all":
            return sure + unclear
        if opts.unclear == "expected" or u is None:
            return sure + p * unclear
        return np.where(unclear, (u < p).astype(float), sure)

    return (test(m.crit_contract, opts.unclear_contract_probability, u_contract)
            * test(m.crit_beyond, opts.unclear_beyond_probability, u_beyond))


def zero_strata(m: MonitorSetup, counts) -> np.ndarray:
    """Strata none of whose criteria counts with a quantity in any draw (bool, (stratum,))."""
    can = (np.asarray(counts).reshape(-1, len(m.crit_ids)).max(axis=0, initial=0) > 0) \
        & (m.crit_quantity > 0) if len(m.crit_ids) else np.zeros(0, dtype=bool)
    return monitor.segment_sums(can.astype(float), m.crit_starts, len(m.frame_total)) == 0


def zero_stratum_intensity(m: MonitorSetup, counts, per_year: bool = False) -> np.ndarray:
    """Per stratum, the effect per euro of the tenders with a counted effect in the same
    product group over the periods estimated, at modal factors and inclusion weights
    [t CO2-eq per EUR] (``per_year``: [t CO2-eq per EUR per year]); 0 where the product group
    has none."""
    f = m.factors
    saving = f["baseline_ef_mode"].to_numpy(float) - f["mvi_ef_mode"].to_numpy(float)
    counts = np.asarray(counts, dtype=float)
    if m.crit_index is not None and counts.ndim:  # another indicator: its criteria only
        counts = counts[..., m.crit_index]
    c = counts.reshape(-1, len(m.crit_ids)).mean(axis=0) if len(m.crit_ids) else np.zeros(0)
    effect = c * m.crit_quantity * saving[m.crit_factor] if len(c) else c
    if per_year and len(c):
        effect = np.where(effect > 0, effect, 0.0) * np.where(np.isfinite(m.crit_years),
                                                             1 / m.crit_years, 0.0)
    tender_effect = np.bincount(m.crit_tender, weights=effect, minlength=len(m.value))
    with_effect = tender_effect > 0
    group = m.sampled["product_group"].to_numpy(object)
    out = {}
    for g in np.unique(group):
        sel = (group == g) & with_effect
        den = float(np.sum(m.weight[sel] * m.value[sel]))
        out[g] = float(np.sum(m.weight[sel] * tender_effect[sel])) / den if den > 0 else 0.0
    return np.array([out.get(g, 0.0) for g in m.frames["product_group"]])


def monitor_core(d: dict, m: MonitorSetup, others=()):
    """The monitor's Monte Carlo core on drawn inputs.

    Parameters
    ----------
    d : drawn inputs, as :func:`~effectmodel.sampling.sample_monitor` (``boot`` (..., tender),
        ``baseline_ef`` and ``mvi_ef`` (..., factor), ``frame_multiplier`` (..., stratum),
        ``count`` (criterion,) or (..., criterion), and for strata without a counted effect
        ``zero_share`` (..., stratum) with ``zero_intensity`` (stratum,)).
    m : the run's :class:`MonitorSetup`.
    others : (setup, draws) of other indicators (:func:`indicator_draws`): the same sample,
        weights and frames, their own factors; computed on the weights of this call.

    Returns
    -------
    (per stratum (..., stratum), per period (..., period)) [t CO2-eq over the contracts'
    lifetime], and the same per year [t CO2-eq per year] (None without contract years); with
    ``others``, a pair: that tuple, and a list of the same for each other indicator [its
    units].
    """
    n_strata = len(m.frame_total)
    boot = monitor.rescale_bootstrap(d["boot"], m.segment_of, m.segment_starts, m.segment_n,
                                     d.get("fpc_scale", np.full(len(m.segment_n), np.nan)))
    wb = m.weight * boot
    den = monitor.stratum_sums(wb * m.value, m.starts)
    wc = wb[..., m.crit_tender]
    frame = m.frame_total * d["frame_multiplier"]
    per_year = np.where(np.isfinite(m.crit_years), 1 / m.crit_years, 0.0)  # never counting: 0

    def figures(mm: MonitorSetup, dd: dict):
        sub = mm.crit_index is not None  # another indicator: its criteria only
        count = d["count"][..., mm.crit_index] if sub and np.ndim(d["count"]) else d["count"]
        saving = monitor.tender_effect(1.0, dd["baseline_ef"], dd["mvi_ef"])  # per unit
        effect = count * mm.crit_quantity * saving[..., mm.crit_factor]  # (..., criterion)
        w = wb[..., mm.crit_tender] if sub else wc
        years = per_year[mm.crit_index] if sub else per_year
        out = []
        for e in (effect, effect * years if m.annual else None):
            if e is None:
                out += [None, None]
                continue
            pg = monitor.extrapolate(
                monitor.segment_sums(w * e, mm.crit_starts, n_strata) / den, frame)
            if "zero_share" in d:  # no counted effect in the sample: the Jeffreys bound
                zs = d["zero_share"]
                per = dd["zero_intensity"] if e is effect else dd["zero_intensity_per_year"]
                pg = np.where(np.isnan(zs), pg, np.nan_to_num(zs) * per * frame)
            out += [pg, monitor.stratum_sums(pg, m.period_starts)]
        return tuple(out)

    main = figures(m, d)
    if not others:
        return main
    return main, [figures(mi, {**d, **di}) for mi, di in others]


def draw_monitor(m: MonitorSetup, opts, run, design, scenario: int = 0,
                 with_bootstrap: bool = True) -> dict:
    """Every drawn input of the monitor core (see :func:`monitor_core`): translation
    factors, frame totals, bootstrap weights (``with_bootstrap``), whether each criterion
    counts, and the share with an effect of strata whose sample shows none."""
    d = sample_monitor(m.sampled, m.factors, m.frames, opts, run.seed, run.n_draws, design,
                       scenario, with_bootstrap=with_bootstrap)
    n = run.n_draws
    if opts.unclear == "drawn":
        u = {}
        for name, outcome in (("unclear_contract", m.crit_contract),
                              ("unclear_beyond", m.crit_beyond)):
            cols = np.flatnonzero(outcome == -1)
            u[name] = np.zeros((n, len(m.crit_ids)))
            u[name][:, cols] = unit_block(run.seed, scenario, ("monitor", name),
                                          [m.crit_ids[c] for c in cols], n, "random")
        d["count"] = criterion_counts(m, opts, u["unclear_contract"], u["unclear_beyond"])
    else:
        d["count"] = criterion_counts(m, opts)
    # sub-strata with a frame count resample within themselves; the correction shrinks it
    d["fpc_scale"] = (monitor.fpc_scale(m.segment_n, m.segment_frame)
                      if opts.finite_population_correction else
                      np.where(np.isfinite(m.segment_frame), 1.0, np.nan))
    zero = zero_strata(m, d["count"])
    if zero.any() and opts.zero_effect_strata == "jeffreys" and opts.bootstrap == "bayesian":
        cols = np.flatnonzero(zero)
        n_sampled = np.diff(np.append(m.starts, len(m.sampled)))[cols]
        share = np.full((n, len(m.frame_total)), np.nan)
        u = unit_block(run.seed, scenario, ("monitor", "zero_share"),
                       [m.stratum_ids[c] for c in cols], n, "random")
        share[:, cols] = monitor.zero_stratum_share(u, n_sampled)
        d["zero_share"] = share
        d["zero_intensity"] = zero_stratum_intensity(m, d["count"])
        if m.annual:
            d["zero_intensity_per_year"] = zero_stratum_intensity(m, d["count"], per_year=True)
    return d


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
    stratum's frame total. The dimensions of a Sobol design. (The unclear tests of criteria,
    the shares of strata without a counted effect and the translation factors of indicators
    other than CO2-eq are plain random draws whatever the design, like the bootstrap weights:
    they can number thousands, beyond what a Sobol design keeps independent at these sample
    sizes.)"""
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
    factors = list(indicator_factors(inputs)["factor_id"])
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


CLASSES = CRITERION_CLASSES


def classify(m: MonitorSetup) -> np.ndarray:
    """Each criterion's class, an index into :data:`CLASSES`: not beyond market standard
    first, then not in the contract, then unclear; counted when both tests pass."""
    c, b = m.crit_contract, m.crit_beyond
    return np.select([b == 0, c == 0, (b == -1) | (c == -1)], [1, 2, 3], default=0)


def central_draw(m: MonitorSetup, opts, count=None) -> dict:
    """The central estimate's inputs as one draw: modal factors, no resampling, the frame
    totals as given (times ``frame_total_scale``), unclear criteria by their probability
    where the run draws them."""
    f = m.factors
    expected = replace(opts, unclear="expected") if opts.unclear == "drawn" else opts
    return {"boot": np.ones((1, len(m.value))),
            "baseline_ef": f["baseline_ef_mode"].to_numpy(float)[None, :],
            "mvi_ef": f["mvi_ef_mode"].to_numpy(float)[None, :],
            "frame_multiplier": np.full((1, len(m.frame_total)), opts.frame_total_scale),
            "count": criterion_counts(m, expected) if count is None else count}


def central_by(m: MonitorSetup, opts, labels: np.ndarray, values: tuple[str, ...]
               ) -> np.ndarray:
    """Central effect per period of the criteria of each label value, (period, value)
    [t CO2-eq]; they add up to the central total."""
    base = central_draw(m, opts)
    out = np.zeros((len(m.periods), len(values)))
    for k, v in enumerate(values):
        d = {**base, "count": base["count"] * (labels == v)}
        out[:, k] = monitor_core(d, m)[1][0]
    return out


def indicator_draws(m: MonitorSetup, inputs: Inputs, indicator: str, d: dict, opts, run,
                    scenario: int = 0) -> tuple[MonitorSetup, dict]:
    """Another indicator's setup and its own drawn inputs: its translation factors (plain
    random draws, named ``factor_id/indicator``) and, for strata without a counted effect,
    its intensity; everything else it shares with the run's CO2-eq draws."""
    mi = for_indicator(m, inputs, indicator)
    ids = [f"{f}/{indicator}" for f in mi.factors["factor_id"]]
    base, mvi = sample_factor_pairs(mi.factors, ids, opts, run.seed, run.n_draws, "random",
                                    scenario)
    di = {"baseline_ef": base, "mvi_ef": mvi}
    if "zero_share" in d:
        di["zero_intensity"] = zero_stratum_intensity(mi, d["count"])
        if m.annual:
            di["zero_intensity_per_year"] = zero_stratum_intensity(mi, d["count"], per_year=True)
    return mi, di


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
    frames, factors, starts = m.frames, m.factors, m.starts
    design = design or run_design(params, inputs, scenario)
    d = draw_monitor(m, opts, run, design, scenario, with_bootstrap=False)
    pg_c, central, pg_cy, central_y = monitor_core(central_draw(m, opts), m)
    n, n_strata, n_periods = run.n_draws, len(frames), len(m.periods)
    pg, totals = np.empty((n, n_strata)), np.empty((n, n_periods))
    pg_y, totals_y = (np.empty((n, n_strata)), np.empty((n, n_periods))) if m.annual \
        else (None, None)
    size = block or block_draws(max(len(m.sampled), len(m.crit_ids)), n)
    blocks = (bootstrap_blocks(m.sampled, run.seed, scenario, n, run.sampler, size)
              if opts.bootstrap == "bayesian" else
              ((slice(a, min(a + size, n)), np.ones((min(size, n - a), len(m.sampled))))
               for a in range(0, n, size)))
    extra = {i: indicator_draws(m, inputs, i, d, opts, run, scenario)
             for i in opts.indicators if i != "co2_eq"}
    out = {i: [np.empty((n, n_strata)), np.empty((n, n_periods))]
           + ([np.empty((n, n_strata)), np.empty((n, n_periods))] if m.annual else [])
           for i in extra}
    for rows, boot in blocks:
        part = {k: (v[rows] if np.ndim(v) == 2 else v) for k, v in d.items() if v is not None}
        # the other indicators: the same draws and weights, their own factors
        rest = [(mi, {k: (v[rows] if np.ndim(v) == 2 else v) for k, v in di.items()})
                for mi, di in extra.values()]
        got = monitor_core({**part, "boot": boot}, m, rest)
        (a, b, c, e), more = got if rest else (got, [])
        pg[rows], totals[rows] = a, b
        if m.annual:
            pg_y[rows], totals_y[rows] = c, e
        for i, figs in zip(extra, more, strict=True):
            for arr, x in zip(out[i], figs, strict=False):
                arr[rows] = x
    hf = sample_period_household_factors(inputs, m, run, scenario, design)
    sampled = m.sampled
    n_sampled = np.diff(np.append(starts, len(sampled)))
    sure = ((m.crit_contract == 1) & (m.crit_beyond == 1)).astype(float)
    tender_counts = np.bincount(m.crit_tender, weights=sure, minlength=len(sampled)) > 0
    n_effect = np.add.reduceat(tender_counts.astype(int), starts)
    cls = classify(m)
    n_class = np.stack([monitor.segment_sums((cls == k).astype(float), m.crit_starts, n_strata)
                        for k in range(len(CLASSES))], axis=1).astype(int)
    unclear_opts = ("none", "expected", "all")
    by_unclear = np.stack([monitor_core(central_draw(m, replace(opts, unclear=u)), m)[1][0]
                           for u in unclear_opts], axis=1)
    crit = m.criteria
    data = {
        "pg_reduction_t": (("draw", "stratum"), pg),
        "pg_central_t": ("stratum", pg_c[0]),
        "pg_n_sampled": ("stratum", n_sampled),
        "pg_n_with_effect": ("stratum", n_effect),
        "pg_n_criteria": (("stratum", "criterion_class"), n_class),
        "pg_zero_effect": ("stratum", zero_strata(m, d["count"]).astype(np.int8)),
        "pg_frame_total_eur": ("stratum", m.frame_total),
        "pg_in_frame_multiplier": (("draw", "stratum"), d["frame_multiplier"]),
        "period_total_t": (("draw", "period"), totals),
        "period_central_t": ("period", central[0]),
        "period_central_by_type_t": (("period", "criterion_type"),
                                     central_by(m, opts, crit["type"].to_numpy(object),
                                                CRITERION_TYPES)),
        "period_central_by_ambition_t": (("period", "ambition"),
                                         central_by(m, opts, crit["ambition"].to_numpy(object),
                                                    AMBITION_LEVELS)),
        "period_central_by_unclear_t": (("period", "unclear_option"), by_unclear),
        "period_household_factor": (("draw", "period"), hf),
        "period_households": (("draw", "period"), totals / hf),
        "mon_in_baseline_ef": (("draw", "factor"), d["baseline_ef"]),
        "mon_in_mvi_ef": (("draw", "factor"), d["mvi_ef"]),
    }
    central_d = central_draw(m, opts)
    for i, (mi, _) in extra.items():
        f = mi.factors
        _, (c,) = monitor_core(central_d, m, [(mi, {
            "baseline_ef": f["baseline_ef_mode"].to_numpy(float)[None, :],
            "mvi_ef": f["mvi_ef_mode"].to_numpy(float)[None, :]})])
        data.update({
            f"{i}_pg_reduction": (("draw", "stratum"), out[i][0]),
            f"{i}_pg_central": ("stratum", c[0][0]),
            f"{i}_period_total": (("draw", "period"), out[i][1]),
            f"{i}_period_central": ("period", c[1][0]),
        })
        if m.annual:
            data.update({f"{i}_period_total_per_year": (("draw", "period"), out[i][3]),
                         f"{i}_period_central_per_year": ("period", c[3][0])})
    if m.annual:
        data.update({
            "pg_reduction_t_per_year": (("draw", "stratum"), pg_y),
            "pg_central_t_per_year": ("stratum", pg_cy[0]),
            "period_total_t_per_year": (("draw", "period"), totals_y),
            "period_central_t_per_year": ("period", central_y[0]),
            "period_households_per_year": (("draw", "period"), totals_y / hf),
        })
    return xr.Dataset(data, coords={
        "stratum": m.stratum_ids,
        "stratum_period": ("stratum", list(frames["period"])),
        "stratum_product_group": ("stratum", list(frames["product_group"])),
        "period": m.periods,
        "factor": list(factors["factor_id"]),
        "criterion_class": list(CLASSES),
        "criterion_type": list(CRITERION_TYPES),
        "ambition": list(AMBITION_LEVELS),
        "unclear_option": list(unclear_opts),
    })


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
    "pg_n_criteria": "criteria of the sampled tenders by class (counted, not beyond market "
                     "standard, not in the contract, unclear)",
    "pg_zero_effect": "1 where no criterion of the stratum's sample counts",
    "period_central_by_type_t": "central counted effect per period by criterion type",
    "period_central_by_ambition_t": "central counted effect per period by ambition level",
    "period_central_by_unclear_t": "central counted effect per period with unclear criteria "
                                   "counted as none, by their probability, or all",
    "pg_reduction_t_per_year": "effect per period and product group per year of the "
                               "contracts",
    "pg_central_t_per_year": "central counted effect per year of the contracts",
    "period_total_t_per_year": "effect per period, all product groups, per year of the "
                               "contracts",
    "period_central_t_per_year": "central counted effect per period per year of the contracts",
    "period_households_per_year": "effect per year in household equivalents",
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
    "pg_n_with_effect": "tenders", "pg_frame_total_eur": "EUR",
    "pg_n_criteria": "criteria", "pg_zero_effect": "1",
    "period_central_by_type_t": T, "period_central_by_ambition_t": T,
    "period_central_by_unclear_t": T,
    "pg_reduction_t_per_year": "t CO2-eq per year", "pg_central_t_per_year": "t CO2-eq per year",
    "period_total_t_per_year": "t CO2-eq per year",
    "period_central_t_per_year": "t CO2-eq per year",
    "period_households_per_year": "households", "pg_in_frame_multiplier": "1",
    "period_total_t": T, "period_central_t": T,
    "period_household_factor": "t CO2-eq per household", "period_households": "households",
    "mon_in_baseline_ef": "t CO2-eq per unit", "mon_in_mvi_ef": "t CO2-eq per unit",
}

#: the variables of another indicator ``<indicator>_<suffix>``: what each holds
INDICATOR_VARIABLES = {
    "pg_reduction": "effect per period and product group, extrapolated to all spend",
    "pg_central": "central counted effect per period and product group",
    "period_total": "effect per period, all product groups",
    "period_central": "central counted effect per period",
    "period_total_per_year": "effect per period per year of the contracts",
    "period_central_per_year": "central counted effect per period per year of the contracts",
}
INDICATOR_NAMES = {"co2_eq": "greenhouse gases", "nox": "nitrogen oxides (NOx)",
                   "pm": "fine particulate matter (PM)", "raw_materials": "raw materials",
                   "jobs": "jobs"}
