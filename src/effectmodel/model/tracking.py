"""From plan to contract, summarised: per buyer group and in all, the reduction as planned
(RIVM's method), the reduction realised to date (contracted tenders whose criteria count:
in the contract and beyond market standard, at their realised quantity and the modes), and
the risk-adjusted range of what remains (the tenders neither contracted nor cancelled); the
rates before and after the outcomes; and the range as it stood on each status date, with
the outcomes of that date, so that a reader sees which outcome moved it most.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from effectmodel.domain.columns import OUTCOME_STATUSES
from effectmodel.domain.params import Params
from effectmodel.model import buyergroups, engine, outcomes, stats
from effectmodel.model.distributions import quantile_bounds
from effectmodel.model.rundesign import error_batches

if TYPE_CHECKING:  # a type only: the model never reads files
    from effectmodel.domain.inputdata import Inputs


def realised(tenders: pd.DataFrame, st: outcomes.State) -> np.ndarray:
    """Each tender's reduction realised to date [t CO2-eq]: a contracted tender whose
    criteria are in the contract and beyond market standard, at its realised quantity (else
    the planned) and the modes; 0 for every other."""
    counted = (st.status == "contracted") & (st.in_contract == 1.0) & (st.beyond == 1.0)
    planned = buyergroups.as_planned(outcomes.realised_tenders(tenders, st))
    return np.where(counted, planned, 0.0)


def unsettled(st: outcomes.State, draws: np.ndarray) -> np.ndarray:
    """The tenders whose reduction is still a range: neither cancelled, nor realised (see
    :func:`realised`), nor contracted with a criterion scored no (0 in every draw). A
    contracted tender with an unclear score is one of them where the project's ``unclear``
    rule counts it in some draw (``draws``: (draw, tender) [t CO2-eq]), else it is settled
    at 0. With :func:`realised` they hold every tender the total counts."""
    contracted = st.status == "contracted"
    done = contracted & (st.in_contract == 1.0) & (st.beyond == 1.0)
    nil = (st.status == "cancelled") | (contracted & ((st.in_contract == 0.0)
                                                       | (st.beyond == 0.0)))
    unclear = contracted & ~done & ~nil
    return ~done & ~nil & (~unclear | (draws != 0).any(axis=0))


def _snapshots(params: Params, inputs: Inputs, st: outcomes.State) -> list[dict[str, Any]]:
    """The risk-adjusted total (median and range [t CO2-eq]) before any outcome and as of
    each status date, with the outcomes of that date. A date whose outcomes change nothing
    the model reads (a publication, an award) repeats the figures before it, unevaluated."""
    oc = inputs["buyer_group_outcomes"]
    dates = sorted(d for d in set(oc["date"]) if st.as_of is None or d <= st.as_of)
    lo, hi = quantile_bounds(params.run.interval)
    ids = list(inputs["buyer_group_tenders"]["tender_id"])
    before = (pd.Timestamp(dates[0]) - pd.Timedelta(days=1)).strftime("%Y-%m-%d") \
        if dates else "0001-01-01"
    out, last = [], None
    for when in [None, *dates]:
        as_of = before if when is None else when
        view = outcomes.model_view(outcomes.state(oc, ids, as_of))
        if view != last:
            p = params.with_overrides({"buyer_groups.outcomes.as_of": as_of})
            total = engine.evaluate_buyer_groups(p, inputs)["bg_total_t"].values
            figures = {"median": float(np.median(total)), "low": float(np.quantile(total, lo)),
                       "high": float(np.quantile(total, hi))}
            last = view
        rows = oc[oc["date"] == when] if when else oc.iloc[:0]
        out.append({"date": when, **figures, "outcomes": [
            f"{r['tender_id']} {r['status']}" for r in rows.to_dict("records")]})
    return out


def tracking_summary(ds: xr.Dataset, params: Params, inputs: Inputs) -> dict[str, Any] | None:
    """The ``outcomes`` block of the buyer groups in summary.json, or None without outcomes
    (see the module's text)."""
    st = outcomes.state_of(params.buyer_groups, inputs)
    if st is None:
        return None
    interval, batches = params.run.interval, error_batches(params.run, inputs)
    tenders = inputs["buyer_group_tenders"]
    groups = tenders["buyer_group"].to_numpy(object)
    real = realised(tenders, st)
    red = ds["bg_tender_reduction_t"].values
    open_ = unsettled(st, red)
    planned = ds["bg_as_planned_tender_t"].values

    def block(mask: np.ndarray) -> dict[str, Any]:
        return {"as_planned_t": float(planned[mask].sum()), "realised_t": float(real[mask].sum()),
                "remaining_t": stats.describe(red[:, mask & open_].sum(axis=1), interval,
                                              batches),
                "n_tenders": int(mask.sum()), "n_open": int((mask & open_).sum())}

    snaps = _snapshots(params, inputs, st)
    moves = [{"date": b["date"], "outcomes": b["outcomes"],
              "median_change_t": b["median"] - a["median"],
              "width_change_t": (b["high"] - b["low"]) - (a["high"] - a["low"])}
             for a, b in zip(snaps, snaps[1:], strict=False)]
    return {"as_of": st.as_of,
            "statuses": {s: int((st.status == s).sum()) for s in OUTCOME_STATUSES},
            "total": block(np.ones(len(groups), dtype=bool)),
            "groups": [{"id": g, **block(groups == g)} for g in dict.fromkeys(groups)],
            "snapshots": snaps,
            "moves": sorted(moves, key=lambda m: -abs(m["median_change_t"]))}
