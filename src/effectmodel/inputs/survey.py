"""The monitor's sample in one shape, whichever format the files use.

A sampled tender has 0..n criteria (the ``criteria`` table), each scored by RIVM's two tests:
carried into the contract, and beyond market standard. Files from before the criteria table
carry one criterion per tender in ``sampled_tenders`` itself (``has_effect``, ``factor_id``,
``quantity``); :func:`criteria_from_tenders` reads those as criteria rows that pass both tests,
so such a file gives the same figures as before (it has no contract durations, so no per-year
figures). ``scripts/convert_sample.py`` writes the two files of the newer format.

Sub-strata (``sub_strata``: the frame count N_h of each sub-category of a product group) are
optional; without them a product group is one sub-stratum whose frame count is unknown (no
finite-population correction).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CRITERIA_COLUMNS = ("period", "tender_id", "criterion_id", "type", "ambition", "in_contract",
                    "beyond_market_standard", "factor_id", "quantity", "years", "source")
SUB_STRATA_COLUMNS = ("period", "product_group", "sub_stratum", "frame_count", "source")
#: the columns of the one-criterion format, not read when a criteria table is given
LEGACY_COLUMNS = ("has_effect", "factor_id", "quantity")
CONVERTED = "converted from the one-criterion format (scripts/convert_sample.py)"


def criteria_from_tenders(sampled: pd.DataFrame) -> pd.DataFrame:
    """The criteria of a one-criterion-per-tender sample: one criterion that counts (in the
    contract, beyond market standard) for each tender with an effect, none for the others.
    Type and ambition are unknown, and so is the contract duration (``years``)."""
    has = sampled["has_effect"].astype(bool).to_numpy()
    rows = sampled[has]
    return pd.DataFrame({
        "period": rows["period"].to_numpy(object),
        "tender_id": rows["tender_id"].to_numpy(object),
        "criterion_id": np.full(len(rows), "1", dtype=object),
        "type": np.full(len(rows), "unknown", dtype=object),
        "ambition": np.full(len(rows), "unknown", dtype=object),
        "in_contract": np.full(len(rows), "yes", dtype=object),
        "beyond_market_standard": np.full(len(rows), "yes", dtype=object),
        "factor_id": rows["factor_id"].to_numpy(object),
        "quantity": rows["quantity"].to_numpy(float),
        "years": np.full(len(rows), np.nan),
        "source": [f"{s}; {CONVERTED}" for s in rows["source"]],
    }, columns=list(CRITERIA_COLUMNS))


def no_sub_strata() -> pd.DataFrame:
    """An empty sub-strata table: every product group one sub-stratum, N unknown."""
    return pd.DataFrame({c: pd.Series([], dtype=float if c == "frame_count" else object)
                         for c in SUB_STRATA_COLUMNS})
