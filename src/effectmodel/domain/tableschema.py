"""The input tables' columns: each column's type, which may be empty, which are numbers, which
must be unique together, and which a file may leave out. Read by
:mod:`effectmodel.inputs.data`."""

from __future__ import annotations

from effectmodel.domain.columns import (
    AMBITION_LEVELS,
    CRITERION_TYPES,
    FRACTION,
    INDICATORS,
    NONNEG,
    OPT_CPV,
    OPT_TEXT,
    OPT_YEAR,
    OUTCOME_STATUSES,
    POSITIVE,
    PROB,
    PUBLISHED_BASES,
    PUBLISHED_BOUNDS,
    SOURCE,
    SPEND_INDICATORS,
    TEST_OUTCOME,
    TEXT,
    YESNO,
    Column,
    choice_column,
    number_column,
    optional,
    triple,
)

TABLES: dict[str, dict[str, Column]] = {
    "buyer_groups": {
        "id": TEXT, "name_nl": TEXT, "name_en": TEXT, "category": TEXT, "quantified": YESNO,
        "reason_not_quantified_nl": OPT_TEXT, "reason_not_quantified_en": OPT_TEXT,
        "source": SOURCE,
    },
    "buyer_group_tenders": {
        "tender_id": TEXT, "buyer_group": TEXT, "description": TEXT, "quantity_unit": TEXT,
        **triple("quantity", POSITIVE), **triple("emission_factor", POSITIVE),
        **triple("reduction_fraction", FRACTION), "award_probability": PROB,
        **triple("additionality", FRACTION), "emission_factor_id": OPT_TEXT,
        "source": SOURCE,
        # what `track --propose` matches releases on (:mod:`effectmodel.model.matching`)
        "buyer": OPT_TEXT, "cpv": OPT_CPV, "expected_date": OPT_TEXT,
        "value_eur": optional(POSITIVE),
    },
    "household_factors": {
        "id": TEXT, "publication": TEXT, **triple("t_per_household", POSITIVE),
        "households_published": optional(POSITIVE), "basis": TEXT, "basis_nl": OPT_TEXT,
        "source": SOURCE,
    },
    "buyer_group_outcomes": {
        "tender_id": TEXT, "status": choice_column(*OUTCOME_STATUSES), "date": TEXT,
        "ocid": OPT_TEXT, "quantity": optional(POSITIVE),
        "in_contract": optional(TEST_OUTCOME), "beyond_market_standard": optional(TEST_OUTCOME),
        "source": SOURCE,
    },
    "product_groups": {
        "id": TEXT, "name_nl": TEXT, "name_en": TEXT, "cluster": TEXT,
        "in_pilot_2015_2016": YESNO, "source": SOURCE,
    },
    "monitor_periods": {
        "period": TEXT, "published_t": optional(POSITIVE),
        "published_bound": choice_column(*PUBLISHED_BOUNDS, default=""),
        "published_unit_label": OPT_TEXT, "n_product_groups_published": optional(POSITIVE),
        "household_factor": TEXT, "source": SOURCE,
    },
    "frame_totals": {
        "period": TEXT, "product_group": TEXT, "frame_total_eur": POSITIVE,
        "relative_uncertainty": number_column(0.0, False, 2.0, "a number in [0, 2]"),
        "source": SOURCE,
    },
    "translation_factors": {
        "factor_id": TEXT, "indicator": choice_column(*INDICATORS, default="co2_eq"),
        "product_group": TEXT, "criterion": TEXT, "unit": TEXT,
        **triple("baseline_ef", NONNEG), **triple("mvi_ef", NONNEG), "source": SOURCE,
        "period": OPT_TEXT,
    },
    "sampled_tenders": {
        "period": TEXT, "product_group": TEXT, "sub_stratum": OPT_TEXT, "tender_id": TEXT,
        "value_eur": POSITIVE, "weight": POSITIVE, "has_effect": optional(YESNO),
        "factor_id": OPT_TEXT, "quantity": optional(POSITIVE), "source": SOURCE,
    },
    "criteria": {
        "period": TEXT, "tender_id": TEXT, "criterion_id": TEXT,
        "type": choice_column(*CRITERION_TYPES), "ambition": choice_column(*AMBITION_LEVELS),
        "in_contract": TEST_OUTCOME,
        "beyond_market_standard": TEST_OUTCOME,
        "factor_id": OPT_TEXT, "quantity": optional(POSITIVE), "years": optional(POSITIVE),
        "source": SOURCE,
    },
    "sub_strata": {
        "period": TEXT, "product_group": TEXT, "sub_stratum": TEXT, "frame_count": POSITIVE,
        "take_all": optional(YESNO), "source": SOURCE,
    },
    "published_indicators": {
        "period": TEXT, "indicator": choice_column(*INDICATORS), "published_value": POSITIVE,
        "published_label": TEXT, "basis": choice_column(*PUBLISHED_BASES),
        "published_bound": choice_column(*PUBLISHED_BOUNDS, default=""), "source": SOURCE,
    },
    "spend": {
        "year": OPT_YEAR, "group": TEXT, "name_en": TEXT, "name_nl": TEXT, "spend_eur": POSITIVE,
        "relative_uncertainty": number_column(0.0, False, 2.0, "a number in [0, 2]"),
        "source": SOURCE,
    },
    "spend_intensities": {
        "group": TEXT, "indicator": choice_column(*SPEND_INDICATORS),
        **triple("intensity", NONNEG), "source": SOURCE,
    },
}

#: tables a params file may leave out (``data.<key>: null``); see :mod:`effectmodel.inputs.survey`
OPTIONAL_TABLES = ("criteria", "sub_strata", "published_indicators", "spend",
                   "spend_intensities", "buyer_group_outcomes")

# columns an empty cell is a problem in (asked of each column's own cell parser)
REQUIRED = {key: {c for c, col in spec.items() if col.cell("")[1] is not None}
            for key, spec in TABLES.items()}
# number columns (a decimal comma becomes a point there): they read 0.5 and refuse text
NUMERIC = {key: {c for c, col in spec.items()
                 if col.cell("0.5")[1] is None and col.cell("abc")[1] is not None}
           for key, spec in TABLES.items()}

#: date columns, read by :mod:`.dates` (ISO text, a date cell, or day-month-year)
DATES = {key: {"date", "expected_date"} & set(spec) for key, spec in TABLES.items()}

KEYS = {  # columns that must be unique together
    "buyer_groups": ("id",),
    "buyer_group_tenders": ("tender_id",),
    "buyer_group_outcomes": ("tender_id", "status"),
    "household_factors": ("id",),
    "product_groups": ("id",),
    "monitor_periods": ("period",),
    "frame_totals": ("period", "product_group"),
    "translation_factors": ("factor_id", "indicator", "period"),
    "sampled_tenders": ("period", "tender_id"),
    "criteria": ("period", "tender_id", "criterion_id"),
    "sub_strata": ("period", "product_group", "sub_stratum"),
    "published_indicators": ("period", "indicator"),
    "spend": ("year", "group"),
    "spend_intensities": ("group", "indicator"),
}

#: columns a table may leave out (read as empty): added after files existed without them
OPTIONAL_COLUMNS = {"buyer_group_tenders": ("emission_factor_id",
                                            # the matching fields: added with --propose
                                            "buyer", "cpv", "expected_date", "value_eur"),
                    # sub_stratum: added with sub-strata; the others: the one-criterion
                    # format, from before the criteria table
                    "sampled_tenders": ("sub_stratum", "has_effect", "factor_id", "quantity"),
                    # indicator: added with the other indicators (empty: co2_eq); period:
                    # added with factors of one period (empty: every period)
                    "translation_factors": ("indicator", "period"),
                    # take_all: added with take-all tenders (empty: no)
                    "sub_strata": ("take_all",),
                    # basis_nl: added for Dutch briefings (empty: the basis as written)
                    "household_factors": ("basis_nl",),
                    # year: added with spend per year (empty: a table of one year)
                    "spend": ("year",)}

#: tables with low/mode/high triples, checked for their order
TRIPLE_TABLES = {k for k, spec in TABLES.items() if any(c.endswith("_dist") for c in spec)}
