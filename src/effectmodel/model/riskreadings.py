"""How the reading of the buyer groups' risks moves their headline: the risk-adjusted total
re-run under each other reading, with the run's own random numbers (docs/model.md, section 4).

The readings, each against what the run chose:

- ``unclear``: an unclear outcome under each other rule of the project's ``unclear`` (not
  counted, missing at random, counted; with ``risk_evidence: counts``);
- ``risk_shared_by``: award and additionality drawn per tender, or once per buyer group;
- ``risk_outcome``: a tender counts wholly or not (0/1), or by its chance (a fraction);
- ``total``: the total of applications behind the counts fixed at its low and its high end
  (with ``risk_evidence: counts``), instead of drawn;
- ``cancellation``: the open tenders' risk of cancellation left out, or taken in (with
  ``risk_evidence: counts``);
- ``weight``: with outcomes observed, the counts' evidence at the other weights of
  :data:`WEIGHTS` against the outcomes (``outcomes.prior_weight``).

No I/O: params and inputs in, rows of figures out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from effectmodel.domain.paramschema import UNCLEAR_RULES
from effectmodel.model import engine, stats
from effectmodel.model.rundesign import error_batches

if TYPE_CHECKING:
    from effectmodel.domain.inputdata import Inputs
    from effectmodel.domain.params import Params

OTHER = {"tender": "group", "group": "tender", "bernoulli": "fraction", "fraction": "bernoulli"}
#: the weights of the counts against the outcomes the panel shows (a quarter, as they are,
#: four times) [-]
WEIGHTS = (0.25, 1.0, 4.0)


def readings(params: Params, learns: bool = False) -> list[tuple[str, dict[str, Any]]]:
    """The other readings of the run's params: (id, overrides) in the order of the panel.
    The id names the option and its value, ``total_48`` names the fixed total
    [applications], ``weight_4`` a weight of the counts; ``learns``: outcomes are observed
    (the weights are then readings too)."""
    b = params.buyer_groups
    out: list[tuple[str, dict[str, Any]]] = []
    counts = b.risk_evidence == "counts"
    if counts:
        out += [(f"unclear_{r}", {"unclear": r}) for r in UNCLEAR_RULES if r != b.unclear]
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
        on = bool(b.uncertainty.get("cancellation", False))
        out.append((f"cancellation_{'off' if on else 'on'}",
                    {"buyer_groups.uncertainty.cancellation": not on}))
        if learns:
            own = b.outcomes["prior_weight"]
            out += [(f"weight_{w:g}", {"buyer_groups.outcomes.prior_weight": w})
                    for w in WEIGHTS if w != own]
    return out


def risk_readings(params: Params, inputs: Inputs, scenario: int = 0) -> dict[str, Any]:
    """The ``risk_readings`` block of the buyer groups in summary.json: per other reading its
    overrides, and the risk-adjusted total's median, low and high [t CO2-eq] at the run's
    interval, with the run's seed and scenario (common random numbers: the difference is the
    reading's, not the draws')."""
    run = params.run
    batches = error_batches(run, inputs)
    rows = []
    for rid, overrides in readings(params, "buyer_group_outcomes" in inputs.tables):
        ds = engine.evaluate_buyer_groups(params.with_overrides(overrides), inputs, scenario)
        d = stats.describe(ds["bg_total_t"].values, run.interval, batches)
        rows.append({"id": rid, "overrides": overrides,
                     **{k: d[k] for k in ("median", "low", "high", "mc_error")}})
    return {"method": "the risk-adjusted total under each other reading, same random numbers",
            "rows": rows}
