"""How the reading of the buyer groups' risks moves their headline: the risk-adjusted total
re-run under each other reading, with the run's own random numbers (MODEL.md section 4).

The readings, each against what the run chose:

- ``unclear``: an unclear outcome not counted, or missing at random (with ``risk_evidence:
  counts``);
- ``risk_shared_by``: award and additionality drawn per tender, or once per buyer group;
- ``risk_outcome``: a tender counts wholly or not (0/1), or by its chance (a fraction);
- ``total``: the total of applications behind the counts fixed at its low and its high end
  (with ``risk_evidence: counts``), instead of drawn.

No I/O: params and inputs in, rows of figures out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from effectmodel.domain.paramschema import UNCLEAR_RULES
from effectmodel.model import engine, sampling, stats

if TYPE_CHECKING:
    from effectmodel.domain.inputdata import Inputs
    from effectmodel.domain.params import Params

OTHER = {"tender": "group", "group": "tender", "bernoulli": "fraction", "fraction": "bernoulli"}


def readings(params: Params) -> list[tuple[str, dict[str, Any]]]:
    """The other readings of the run's params: (id, overrides) in the order of the panel.
    The id names the option and its value, ``total_48`` names the fixed total
    [applications]."""
    b = params.buyer_groups
    out: list[tuple[str, dict[str, Any]]] = []
    counts = b.risk_evidence == "counts"
    if counts:
        other = next(r for r in UNCLEAR_RULES if r != b.unclear)
        out.append((f"unclear_{other}", {"buyer_groups.unclear": other}))
    out.append((f"shared_by_{OTHER[b.risk_shared_by]}",
                {"buyer_groups.risk_shared_by": OTHER[b.risk_shared_by]}))
    out.append((f"outcome_{OTHER[b.risk_outcome]}",
                {"buyer_groups.risk_outcome": OTHER[b.risk_outcome]}))
    if counts:
        c = b.risk_counts
        for end in ("low", "high"):
            n = c[f"total_{end}"]
            if c["total_low"] == c["total_high"]:
                break  # the total is fixed already
            out.append((f"total_{n:g}", {f"buyer_groups.risk_counts.total_{k}": float(n)
                                         for k in ("low", "mode", "high")}))
    return out


def risk_readings(params: Params, inputs: Inputs, scenario: int = 0) -> dict[str, Any]:
    """The ``risk_readings`` block of the buyer groups in summary.json: per other reading its
    overrides, and the risk-adjusted total's median, low and high [t CO2-eq] at the run's
    interval, with the run's seed and scenario (common random numbers: the difference is the
    reading's, not the draws')."""
    run = params.run
    batches = sampling.error_batches(run, inputs)
    rows = []
    for rid, overrides in readings(params):
        ds = engine.evaluate_buyer_groups(params.with_overrides(overrides), inputs, scenario)
        d = stats.describe(ds["bg_total_t"].values, run.interval, batches)
        rows.append({"id": rid, "overrides": overrides,
                     **{k: d[k] for k in ("median", "low", "high", "mc_error")}})
    return {"method": "the risk-adjusted total under each other reading, same random numbers",
            "rows": rows}
