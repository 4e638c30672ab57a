"""Evaluate: sample the inputs, run both models, return one xarray Dataset of draws.

No I/O: takes validated :class:`~effectmodel.domain.params.Params` and
:class:`~effectmodel.domain.inputdata.Inputs`, returns the results that ``summary`` reduces
and ``outputs`` saves as ``results.nc``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import xarray as xr

from effectmodel.domain.columns import INDICATORS, SPEND_INDICATORS
from effectmodel.domain.crosscheck import spend_period
from effectmodel.domain.params import Params
from effectmodel.model import buyergroups, outcomes
from effectmodel.model.design import Design
from effectmodel.model.monitor.evaluate import evaluate_monitor
from effectmodel.model.rundesign import run_design
from effectmodel.model.sampling import sample_buyer_groups, sample_household_factor
from effectmodel.model.spendimpact import evaluate_spend_impact

if TYPE_CHECKING:  # a type only: the model never reads files
    from effectmodel.domain.inputdata import Inputs

T = "t CO2-eq"


def evaluate(params: Params, inputs: Inputs, scenario: int = 0,
             block: int | None = None) -> xr.Dataset:
    """All draws of one run (one scenario).

    ``block``: draws of the monitor's bootstrap evaluated at a time (default: about 16 MiB
    per (draw x sampled tender) array); it changes memory, never a number.

    Returns
    -------
    Dataset with dims ``draw``, ``tender`` (buyer-group tenders), ``buyer_group`` (quantified
    groups), ``stratum`` (period x product group) and ``period``, of the parts the params
    hold (``parts`` in its attrs); every variable carries ``units`` in its attrs. See
    :data:`VARIABLES` for the meaning of each.
    """
    design = run_design(params, inputs, scenario)  # one design for the parts of the run
    parts = []
    if params.buyer_groups is not None:
        parts.append(evaluate_buyer_groups(params, inputs, scenario, design))
    if params.monitor is not None:
        parts.append(evaluate_monitor(params, inputs, scenario, block, design))
        if "spend_intensities" in inputs.tables:
            parts.append(evaluate_spend_impact(params, inputs,
                                               spend_period(params, tuple(inputs.periods)),
                                               scenario))
    ds = xr.merge(parts, combine_attrs="drop")
    ds.attrs = {
        "title": params.title,
        "name": params.name,
        "seed": params.run.seed,
        "n_draws": params.run.n_draws,
        "sampler": params.run.sampler,
        "scenario": scenario,
        "parts": " ".join(params.parts),
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
    """(long name, units) of a variable of :func:`evaluate`, the other indicators' and the
    spend and impact's included."""
    if name in UNITS:
        return VARIABLES.get(name), UNITS[name]
    if name in ("si_spend_eur", "si_spend_central_eur"):
        return ("spend per group and year" + (", as given" if "central" in name else ""),
                "EUR per year")
    if name in ("si_year_spend_eur", "si_year_spend_central_eur"):
        return ("spend per year, all groups" + (", as given" if "central" in name else ""),
                "EUR per year")
    for ind, (per_eur, unit, _) in SPEND_INDICATORS.items():
        what = INDICATOR_NAMES.get(ind, "land use")
        if name == f"si_{ind}_calibration":
            return f"factor on the intensities putting the median on the calibration: {what}", \
                "1"
        if name == f"si_{ind}_by_correlation":
            return f"footprint of the spend, all groups, per intensity correlation: {what}", \
                unit
        if name == f"si_year_{ind}":
            return f"footprint of the spend per year, all groups: {what}", unit
        if name == f"si_year_{ind}_central":
            return f"footprint of the spend per year, all groups, at the modes: {what}", unit
        if name == f"si_{ind}":
            return f"footprint of the spend per group: {what}", unit
        if name == f"si_{ind}_central":
            return f"footprint of the spend per group at the modes: {what}", unit
        if name == f"si_{ind}_intensity":
            return f"footprint per euro, the mode: {what}", per_eur
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
    x : drawn inputs (draw, tender), as :func:`~effectmodel.model.sampling.sample_buyer_groups`.
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
    x = sample_buyer_groups(tenders, opts, run.seed, run.n_draws, design, scenario,
                            outcomes.state_of(opts, inputs))
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
    for var in RISK_RATES:  # with buyer_groups.risk_evidence: counts
        if f"risk_{var}" in x:
            ds[f"bg_risk_{var}"] = x[f"risk_{var}"]
    return ds


#: the buyer groups' shared risk draws (``bg_risk_<name>``) with ``risk_evidence: counts``
RISK_RATES = ("total", "additionality", "award", "cancellation")


def quantified_groups(inputs: Inputs) -> list[str]:
    """Ids of the buyer groups that have tenders, in the order of the buyer-group table."""
    with_tenders = set(inputs["buyer_group_tenders"]["buyer_group"])
    return [g for g in inputs["buyer_groups"]["id"] if g in with_tenders]


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
    "pg_design_se_t": "design-based (linearisation) standard error of the central effect",
    "pg_design_effect": "design effect of the central effect: design variance over a simple "
                        "random sample's of the same size",
    "pg_n_sampled": "sampled tenders",
    "pg_n_with_effect": "sampled tenders with a counted effect",
    "pg_n_criteria": "criteria of the sampled tenders by class (counted, not beyond market "
                     "standard, not in the contract, unclear)",
    "pg_zero_effect": "1 where no criterion of the stratum's sample counts",
    "pg_self_coverage": "coverage of the run's interval when the sample's own "
                        "pseudo-population is sampled again by the same design",
    "pg_spend_ratio": "the sampled tenders' value, weighted, over the frame total",
    "pg_unbounded": "1 where no criterion of the stratum's sample counts and its product "
                    "group has no counted tender in any period: no upper bound",
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
    "bg_risk_total": "total of applications behind the risk counts, drawn",
    "bg_risk_additionality": "chance that a criterion goes beyond market standard, drawn "
                             "once per draw from its posterior",
    "bg_risk_award": "chance that a criterion is carried into the contract, drawn once per "
                     "draw from its posterior",
    "bg_risk_cancellation": "share of open buyer-group tenders cancelled, drawn once per "
                            "draw from its posterior",
    "bg_in_award": "drawn award per buyer-group tender (1 awarded and not cancelled, 0 not)",
    "bg_in_additionality": "drawn additionality per buyer-group tender",
    "pg_in_frame_multiplier": "drawn multiplier of the frame total per stratum",
    "pg_use_share": "share of the spend that counts per stratum, as each draw's total "
                    "carries it (the sample's, or the drawn share where it counts none)",
    "pg_use_share_central": "share of the sampled spend with a central effect per stratum",
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
    "bg_risk_total": "1", "bg_risk_additionality": "1", "bg_risk_award": "1",
    "bg_risk_cancellation": "1",
    "pg_reduction_t": T, "pg_central_t": T, "pg_design_se_t": T, "pg_design_effect": "1",
    "pg_n_sampled": "tenders",
    "pg_n_with_effect": "tenders", "pg_frame_total_eur": "EUR",
    "pg_n_criteria": "criteria", "pg_zero_effect": "1", "pg_unbounded": "1",
    "pg_self_coverage": "1", "pg_spend_ratio": "1",
    "period_central_by_type_t": T, "period_central_by_ambition_t": T,
    "period_central_by_unclear_t": T,
    "pg_reduction_t_per_year": "t CO2-eq per year", "pg_central_t_per_year": "t CO2-eq per year",
    "period_total_t_per_year": "t CO2-eq per year",
    "period_central_t_per_year": "t CO2-eq per year",
    "period_households_per_year": "households", "pg_in_frame_multiplier": "1",
    "pg_use_share": "1", "pg_use_share_central": "1",
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
