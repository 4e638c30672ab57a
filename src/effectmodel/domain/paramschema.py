"""The params file's schema: every key, its checker, its default and what it means. Read by
:mod:`.params`, which validates a params file against it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from effectmodel.domain.checkers import (
    Checker,
    boolean,
    choice,
    choice_list,
    integer,
    number,
    period_list,
    period_pairs,
    text,
)
from effectmodel.domain.columns import INDICATORS
from effectmodel.domain.parts import PARTS, REQUIRED_TABLES

SCHEMA_VERSION = 1
DATA_KEYS = (
    "buyer_groups",
    "buyer_group_tenders",
    "household_factors",
    "product_groups",
    "monitor_periods",
    "frame_totals",
    "translation_factors",
    "sampled_tenders",
)
SAMPLERS = ("random", "lhs", "sobol")
LANGUAGES = ("en", "nl")
BOOTSTRAPS = ("design", "bayesian", "none")
UNCLEAR = ("none", "expected", "drawn", "all")
#: buyer-group risks: from each tender's columns, or from outcome counts
RISK_EVIDENCE = ("table", "counts")
#: how an unclear outcome or test is read, for the whole project (``unclear``): not counted
#: (RIVM's rule), missing at random (as the clear ones go), or counted in full
UNCLEAR_RULES = ("not_counted", "missing_at_random", "counted")
#: the monitor's reading of each rule (``MonitorOptions.unclear``): none (RIVM), each unclear
#: test drawn with the clear ones' probability, all
MONITOR_UNCLEAR = {"not_counted": "none", "missing_at_random": "drawn", "counted": "all"}
#: the bases of the monitor's share of the footprint (``spend_impact.share_basis``):
#: the lifetime effect of one year's tenders, or one calendar year of the contracts' effect
SHARE_BASES = ("per_tendering_year", "per_calendar_year")
#: keys that moved, and where to: a params file that still has one is refused with a pointer
MOVED = {"buyer_groups.unclear": "unclear", "monitor.unclear": "unclear"}
MAX_DRAWS = 10_000_000
#: batches (run.mc_batches, or a Sobol design's replicates) below which a Monte Carlo error
#: is widened to Student's t with B - 1 degrees of freedom, and the page warns
FEW_BATCHES = 8
#: a report name becomes a folder name: short enough for every file system and path
MAX_NAME = 64

MISSING = object()


def _needed_by(table: str) -> str:
    """Which parts read ``table``, for a message: "the monitor", "the buyer groups and the
    monitor"."""
    words = {"buyer_groups": "the buyer groups", "monitor": "the monitor"}
    return " and ".join(words[p] for p in PARTS if table in REQUIRED_TABLES[p])


@dataclass(frozen=True)
class F:
    """A leaf of the schema: its checker, and its default (``MISSING``: required)."""

    check: Checker
    default: Any = MISSING
    doc: str = ""


SCHEMA: dict[str, Any] = {
    "schema_version": F(choice(SCHEMA_VERSION), doc="params schema version"),
    "name": F(text(rf"[a-z0-9][a-z0-9_-]{{0,{MAX_NAME - 1}}}",
                   f"lower-case letters, digits, '-' and '_', at most {MAX_NAME} characters"),
              doc="report name; default output folder reports/<name>/"),
    "title": F(text(), doc="title of the briefing"),
    "language": F(choice(*LANGUAGES), "en", doc="language of the briefing"),
    "plan": {
        "en": F(text(nullable=True), None,
                doc="the plan or programme the procurement falls under, as the subtitle names "
                    "it (e.g. 'MVI 2021-2025'); null: none"),
        "nl": F(text(nullable=True), None, doc="the same in Dutch; null: the English"),
    },
    "notes": {
        "en": F(text(nullable=True), None,
                doc="what a reader should know about the data (which values are assumptions, "
                    "what is calibrated), in English, under the briefing's title; null: none"),
        "nl": F(text(nullable=True), None, doc="the same in Dutch; null: none"),
    },
    "unclear": F(choice(*UNCLEAR_RULES), "not_counted",
                 doc="how an unclear outcome or test is read, in the buyer groups, the "
                     "monitor and tracking alike: not_counted (RIVM's rule, the low reading), "
                     "missing_at_random (as the clear ones go: the buyer groups' rates "
                     "leave them out, the monitor draws each unclear test with the "
                     "unclear_*_probability) or counted (in full)"),
    "run": {
        "seed": F(integer(0, 2**63 - 1), doc="the one seed of the run"),
        "n_draws": F(integer(2, MAX_DRAWS), doc="Monte Carlo draws [-]"),
        "interval": F(number(0.0, 1.0, lo_open=True, hi_open=True), 0.9,
                      doc="central interval reported as low/high [-]"),
        "sampler": F(choice(*SAMPLERS), "random", doc="design on the unit hypercube"),
        "mc_batches": F(integer(2, 10_000), 20, doc="batches for the Monte Carlo error [-]"),
    },
    "data": {
        **{key: F(text(), doc=f"path of the {key} table, relative to the params file; read "
                              f"by {_needed_by(key)}")
           for key in DATA_KEYS},
        "criteria": F(text(nullable=True), None,
                      doc="path of the criteria of the sampled tenders (one row per criterion); "
                          "null: one criterion per tender, from sampled_tenders' has_effect, "
                          "factor_id and quantity"),
        "sub_strata": F(text(nullable=True), None,
                        doc="path of the frame counts per sub-stratum; null: each product "
                            "group one sub-stratum, frame count unknown"),
        "published_indicators": F(text(nullable=True), None,
                                  doc="path of RIVM's published figures of the other "
                                      "indicators (NOx, PM, raw materials, jobs); null: none"),
        "buyer_group_outcomes": F(text(nullable=True), None,
                                  doc="path of the buyer-group tenders' statuses as they are "
                                      "published, awarded, contracted or cancelled; null: "
                                      "none (the ex-ante estimate)"),
        "spend_intensities": F(text(nullable=True), None,
                               doc="path of the footprint per euro of each spend group "
                                   "(CO2-eq, land use, raw materials); null: no spend and "
                                   "impact"),
        "spend": F(text(nullable=True), None,
                   doc="path of the spend per group and year [EUR per year]; null: the "
                       "frame totals of spend_impact.period, per year"),
    },
    "data_root": F(text(nullable=True), None,
                   doc="a folder outside the project that data paths may lie in, relative to "
                       "the params file; null: data only inside the project"),
    "buyer_groups": {
        "household_factor": F(text(), doc="id in household_factors for household equivalents"),
        "started": F(text(nullable=True), None,
                     doc="when the buyer groups started, as headings name them (e.g. '2020'); "
                         "null: not named"),
        "award_probability": F(number(0.0, 1.0, nullable=True), None,
                               doc="null: per tender from data; else the same for all [-]"),
        "additionality": F(number(0.0, 1.0, nullable=True), None,
                           doc="null: per tender distribution from data; else fixed [-]"),
        "risk_shared_by": F(choice("tender", "group"), "tender",
                            doc="draw award and additionality per tender, or once per buyer "
                                "group (RIVM's reasons act per group)"),
        "risk_evidence": F(choice(*RISK_EVIDENCE), "table",
                           doc="where award and additionality come from: table (each tender's "
                               "award_probability and additionality columns) or counts (the "
                               "outcome counts of risk_counts, their rates drawn once per "
                               "draw and shared by all tenders)"),
        "risk_outcome": F(choice("bernoulli", "fraction"), "bernoulli",
                          doc="a tender is awarded and goes beyond market standard wholly or "
                              "not (bernoulli), or counts by its chance (fraction)"),
        "risk_counts": {
            **{k: F(integer(0, 10**9), v, doc=f"applications {w} [applications] (default: "
                                              "Zijp et al. 2022, model/evidence.py)")
               for k, v, w in (("not_beyond_market_standard", 20,
                                "that did not go beyond market standard"),
                               ("not_in_contract", 7, "not carried into the contract"),
                               ("unclear", 21, "whose outcome stayed unclear"))},
            **{f"total_{k}": F(number(0.0, 1e9), v,
                               doc=f"all applications, {k} of a triangular distribution "
                                   "[applications]; those beyond the three counts had an "
                                   "effect (default: 48 read as two thirds, 72, from 48 to 96)")
               for k, v in (("low", 48.0), ("mode", 72.0), ("high", 96.0))},
        },
        "cancellation": {
            "prior_cancelled": F(
                number(0.0, 1000.0), 1.0,
                doc="with risk_evidence: counts, the prior of the share of open tenders that "
                    "are cancelled, Beta(prior_cancelled, prior_went_ahead), updated by the "
                    "tenders seen cancelled and seen going ahead (awarded or contracted) "
                    "[tenders]; default Beta(1, 9), a mean of 10% (assumption: no public "
                    "figure; docs/model.md)"),
            "prior_went_ahead": F(number(0.0, 1000.0, lo_open=True), 9.0,
                                  doc="the prior's tenders that went ahead [tenders]"),
        },
        "outcomes": {
            "as_of": F(text(r"\d{4}-\d{2}-\d{2}", "a date such as 2022-06-30", nullable=True),
                       None, doc="the outcomes known on this date; null: all of them"),
            "prior_weight": F(number(0.0, 1000.0), 1.0,
                              doc="weight of the rates' prior (the outcome counts of "
                                  "risk_counts) against the outcomes observed [-]; 1: the "
                                  "counts as they are"),
            "pooling": F(number(0.0, 1.0), 1.0,
                         doc="how much a buyer group learns from the other groups' outcomes "
                             "[-]: 1 one rate for all (complete pooling), 0 each group from "
                             "its own outcomes only, between: partial pooling"),
        },
        "uncertainty": {
            name: F(boolean(), True, doc=f"draw {name} from its distribution (else its mode"
                                         + ("; cancellation: none" if name == "cancellation"
                                            else "") + ")")
            for name in ("quantity", "emission_factor", "reduction_fraction", "award",
                         "additionality", "cancellation")
        },
    },
    "monitor": {
        "periods": F(period_list(), "all", doc="monitoring periods to estimate"),
        "bootstrap": F(choice(*BOOTSTRAPS), "design",
                       doc="resampling of the sampled tenders: design (a Dirichlet per "
                           "sub-stratum whose spread is the stratified design's, with its "
                           "finite-population correction), bayesian (a flat Dirichlet, the "
                           "plain Bayesian bootstrap: (n - 1) / (n + 1) of the design's "
                           "variance) or none"),
        "interval": F(choice("studentized", "percentile"), "studentized",
                      doc="each product group's range from the design bootstrap: "
                          "studentized (bootstrap-t: each resample's deviation over its own "
                          "standard error, so a skewed sample's range leans the right way) "
                          "or percentile (the resampled estimates as they are); the "
                          "bayesian bootstrap is always percentile"),
        "emission_factor_uncertainty": F(boolean(), True, doc="draw translation factors"),
        "frame_total_uncertainty": F(boolean(), True, doc="draw frame totals"),
        "factor_rank_correlation": F(number(-1.0, 1.0), 0.0,
                                     doc="Gaussian-copula correlation between the baseline "
                                         "and MVI factor of one comparison [-]"),
        "frame_total_correlation": F(number(0.0, 1.0), 0.0,
                                     doc="share of the frame totals' log-variance that is "
                                         "one bias common to all strata [-]"),
        "frame_total_scale": F(number(0.0, 100.0, lo_open=True), 1.0,
                               doc="multiplies every frame total (e.g. spend growth) [-]"),
        "unclear_contract_probability": F(
            number(0.0, 1.0), 0.766,
            doc="chance that an unclear criterion is in the contract [-] (derived from Zijp et "
                "al. 2022's counts: model/evidence.py)"),
        "unclear_beyond_probability": F(
            number(0.0, 1.0), 0.606,
            doc="chance that an unclear criterion goes beyond market standard [-] (derived "
                "from Zijp et al. 2022's counts: model/evidence.py)"),
        "indicators": F(choice_list(*INDICATORS, required="co2_eq"), ["co2_eq"],
                        doc="indicators computed: co2_eq and any of nox, pm, raw_materials, "
                            "jobs (each needs translation factors for it)"),
        "finite_population_correction": F(
            boolean(), True, doc="shrink the resampling of a sub-stratum by sqrt(1 - n/N) "
                                 "where its frame count N is known"),
        "zero_effect_strata": F(
            choice("jeffreys", "zero"), "jeffreys",
            doc="a product group with no counted effect in its sample: a range from the "
                "Jeffreys posterior of the share with an effect (jeffreys), or exactly 0"),
        "projection": F(boolean(), True, doc="project the trend one period ahead"),
        "headline_period": F(text(nullable=True), None,
                             doc="period in the headline; null: the latest"),
        "changes": F(period_pairs(), None,
                     doc="the changes between periods the page splits into spend, use and "
                         "intensity, as [from, to] pairs; null: each period and the next"),
    },
    "spend_impact": {
        "period": F(text(nullable=True), None,
                    doc="with the spend from the frame totals: their period, and the period "
                        "whose reduction per year is set against the footprint; null: the "
                        "monitor's headline period"),
        "year": F(text(r"\d{4}", "a year such as 2019", nullable=True), None,
                  doc="the year of the spend table whose footprint is shown and set against "
                      "the monitor; null: the latest year inside the period, else the "
                      "latest year"),
        "intensity_correlation": F(
            number(0.0, 1.0), 0.5,
            doc="correlation of the intensities' errors across groups [-] (a Gaussian "
                "copula): 0 independent, 1 one shared error (one input-output model behind "
                "every group); 0.5: half of each group's error shared (assumption, argued "
                "in docs/model.md; the page shows 0 and 1 beside it)"),
        "calibrate": {
            **{ind: F(number(0.0, 1e15, lo_open=True, nullable=True), None,
                      doc=f"the median footprint of {ind} [its footprint unit per year] the "
                          "intensities are scaled to, in the footprint's year; null: the "
                          "intensities as given")
               for ind in ("co2_eq", "land_use", "raw_materials")},
            "source": F(text(nullable=True), None,
                        doc="where the calibration's figures come from, shown beside them"),
        },
        "share_basis": F(
            choice(*SHARE_BASES), "per_tendering_year",
            doc="the monitor's reduction set against one year's footprint: the lifetime "
                "effect of one year's tenders (per_tendering_year, like for like: a year's "
                "footprint counts its purchases' whole chain), or the effect in one "
                "calendar year of the period's contracts (per_calendar_year); both are in "
                "summary.json"),
    },
}
