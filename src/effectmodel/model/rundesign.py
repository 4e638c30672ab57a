"""The one design of a run: every uncertain input column of the parts it holds (buyer
groups, monitor), in a fixed order, and its replicates (the machinery:
:mod:`effectmodel.model.design`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from effectmodel.domain.keys import factor_keys
from effectmodel.domain.params import Params
from effectmodel.model.design import Design, sobol_replicates
from effectmodel.model.sampling import BG_VARIABLES, RATE_COLUMNS, factor_columns

if TYPE_CHECKING:  # a type only: the model never reads files
    from effectmodel.domain.inputdata import Inputs


def design_columns(inputs: Inputs) -> list[tuple]:
    """The identity of every uncertain input column a run may draw: each buyer-group tender
    input, each household factor, each translation factor's baseline and MVI factor, each
    stratum's frame total, of the parts whose tables ``inputs`` hold. The dimensions of a
    Sobol design. (The unclear tests of criteria,
    the shares of strata without a counted effect and the translation factors of indicators
    other than CO2-eq are plain random draws whatever the design, like the bootstrap weights:
    they can number thousands, beyond what a Sobol design keeps independent at these sample
    sizes.)"""
    bg = "buyer_group_tenders" in inputs.tables
    mon = "translation_factors" in inputs.tables
    cols: list[tuple] = []
    if bg:
        tenders = list(inputs["buyer_group_tenders"]["tender_id"])
        cols += [("buyer_groups", var, i) for var in (*BG_VARIABLES, "award") for i in tenders]
        groups = list(dict.fromkeys(inputs["buyer_group_tenders"]["buyer_group"]))
        cols += [("buyer_groups", f"{var}_by_group", g) for var in ("award", "additionality")
                 for g in groups]
        cols += [("buyer_groups", "risk_rates", c) for c in RATE_COLUMNS]
        cols += [("buyer_groups", "cancellation", c)
                 for c in ["rate", *tenders, *(f"group:{g}" for g in groups)]]
    if mon:
        cols += [("monitor", "frame_total_common", "all")]
    if bg:
        cols += [("buyer_groups", "emission_factor", c)
                 for c in dict.fromkeys(factor_columns(inputs["buyer_group_tenders"]))
                 if c.startswith("factor:")]
    cols += [("household_factor", h) for h in inputs["household_factors"]["id"]]
    if mon:
        tf = inputs["translation_factors"]
        factors = factor_keys(tf[tf["indicator"] == "co2_eq"])  # CO2-eq: the design's
        cols += [("monitor", var, f) for var in ("baseline_ef", "mvi_ef") for f in factors]
        fr = inputs["frame_totals"]
        cols += [("monitor", "frame_total", f"{p}/{g}")
                 for p, g in zip(fr["period"], fr["product_group"], strict=True)]
    return cols


def error_batches(run, inputs: Inputs | None = None) -> int:
    """Batches of the Monte Carlo error [-]: ``mc_batches`` for plain random draws and LHS
    (each batch its own Latin hypercube); for Sobol the design's independent scrambles (see
    :func:`~effectmodel.model.design.sobol_replicates`; ``inputs`` give its dimensions).
    Batch means over one stratified design would overstate the error: the draws of a design
    are not independent, its replicates are."""
    if run.sampler == "sobol":
        dims = len(design_columns(inputs)) if inputs is not None else 1
        return sobol_replicates(run.n_draws, run.mc_batches, dims)
    return run.mc_batches


def run_design(params: Params, inputs: Inputs, scenario: int = 0) -> Design:
    """The one design of a run's uncertain inputs (see :mod:`~effectmodel.model.design`)."""
    run = params.run
    return Design(run.seed, scenario, run.n_draws, run.sampler,
                  design_columns(inputs) if run.sampler == "sobol" else (),
                  1 if run.sampler == "random" else error_batches(run, inputs))
