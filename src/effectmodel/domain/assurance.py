"""When the monitor's range of a product group is assured: the bounds the model computes
against and the page words (docs/model.md, "The self-check")."""

from __future__ import annotations

import numpy as np

#: below this coverage on its sample's own pseudo-population a product group's range is
#: "not assured" on the page [-]
ASSURED_COVERAGE = 0.85

#: a product group whose sampled tenders, weighted, stand for less than the first or more
#: than the second share of its frame total lacks the frame's dominant tenders, or drew one
#: at random: "not assured" on the page, a warning from validate (benchmarks/coverage.py
#: measures the coverage of the samples this flags) [-]
SPEND_RATIO_RANGE = (0.5, 2.0)

#: the self-check's repeated samples of the pseudo-population [-]: its coverage has a Monte
#: Carlo SE of about sqrt(0.9 x 0.1 / 200) = 0.02 per product group
SELF_CHECK_REPS = 200


def spend_off(ratio) -> np.ndarray:
    """Where a sampled spend over its frame total (a ratio, or an array of them; None or
    NaN: unknown, never off) lies outside :data:`SPEND_RATIO_RANGE`."""
    r = np.asarray(np.nan if ratio is None else ratio, dtype=float)
    lo, hi = SPEND_RATIO_RANGE
    return np.isfinite(r) & ((r < lo) | (r > hi))


def check_low(coverage: float | None) -> bool:
    """Whether a self-check's coverage (None: none made) is below :data:`ASSURED_COVERAGE`."""
    return coverage is not None and coverage < ASSURED_COVERAGE
