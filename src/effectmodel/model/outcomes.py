"""From plan to contract: what the buyer-group tenders' outcomes say, and what the model
learns from them.

A tender passes planned, published, awarded and contracted, or is cancelled
(``buyer_group_outcomes``). As of a date, each tender has its latest status:

- cancelled: no effect (its award factor is 0);
- contracted, with its criteria scored: carried into the contract (``in_contract``) and
  beyond market standard (``beyond_market_standard``) are known; yes is 1, no is 0, and
  unclear is read by the project's ``unclear`` (not counted: 0, as RIVM counts it; missing at
  random: still drawn; counted: 1);
- awarded: the tender went ahead; whether its criteria reach the contract is still drawn;
- planned or published: as before, and at risk of cancellation (with ``risk_evidence:
  counts``): a rate drawn from Beta(``cancellation.prior_cancelled`` + tenders seen
  cancelled, ``cancellation.prior_went_ahead`` + tenders seen awarded or contracted).

The rates the open tenders are drawn from (``risk_evidence: counts``) are updated by the
outcomes observed, a beta-binomial update: Beta(w (a - 1/2) + 1/2 + s, w (b - 1/2) + 1/2 +
f), with (a, b) the Jeffreys posterior of the counts
(:func:`~effectmodel.model.evidence.posteriors`), w ``outcomes.prior_weight`` (0: the
outcomes alone) and s, f the successes and failures seen in the buyer groups; a group counts
the other groups' outcomes at weight ``outcomes.pooling`` (1: one rate for all; 0: its own
only). The total of applications behind the counts is updated too (:func:`total_posterior`):
its prior times the outcomes' evidence, for all groups' outcomes together. Realised quantities
replace planned ones, the stated distribution kept relative to its mode. Pure functions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import betaln

from effectmodel.domain.columns import OUTCOME_RANK


@dataclass(frozen=True)
class State:
    """Every tender's state as of a date (arrays in the order of ``buyer_group_tenders``):
    ``status``; ``quantity`` realised [tender unit] or NaN; ``in_contract`` and ``beyond``
    1.0 (yes), 0.0 (no), 0.5 (unclear) or NaN (not scored); ``as_of`` the date."""

    status: np.ndarray
    quantity: np.ndarray
    in_contract: np.ndarray
    beyond: np.ndarray
    as_of: str | None


_SCORE = {"yes": 1.0, "no": 0.0, "unclear": 0.5}


def state(outcomes: pd.DataFrame, tender_ids: list[str], as_of: str | None) -> State:
    """The state of each tender from the outcome rows dated on or before ``as_of`` (all of
    them with None): the status of its latest row, the realised quantity of its latest row
    that gives one, and the scores of its contracted row."""
    rows = outcomes.assign(_date=pd.to_datetime(outcomes["date"], format="%Y-%m-%d"))
    if as_of is not None:
        rows = rows[rows["_date"] <= pd.Timestamp(as_of)]
    rows = rows.assign(_rank=rows["status"].map(OUTCOME_RANK)).sort_values(["_date", "_rank"],
                                                                    kind="stable")
    at = {t: i for i, t in enumerate(tender_ids)}
    n = len(tender_ids)
    out = State(np.array(["planned"] * n, dtype=object), np.full(n, np.nan),
                np.full(n, np.nan), np.full(n, np.nan), as_of)
    for r in rows.to_dict("records"):
        i = at.get(r["tender_id"])
        if i is None:
            continue
        out.status[i] = r["status"]
        if r.get("quantity") is not None and not pd.isna(r["quantity"]):
            out.quantity[i] = float(r["quantity"])
        if r["status"] == "contracted":
            for name, arr in (("in_contract", out.in_contract),
                              ("beyond_market_standard", out.beyond)):
                v = r.get(name)
                if isinstance(v, str):
                    arr[i] = _SCORE[v]
    return out


def model_view(st: State) -> tuple:
    """What the model reads of a state (:func:`resolve`, :func:`observed`,
    :func:`realised_tenders`): which tenders are cancelled or contracted, their realised
    quantities and scores. Two states with the same view give the same draws."""
    settled = np.where(np.isin(st.status, ("cancelled", "contracted")), st.status, "")
    return (tuple(settled), *(tuple(np.nan_to_num(x, nan=-1.0))
                              for x in (st.quantity, st.in_contract, st.beyond)))


def state_of(options, inputs, as_of: str | None | object = ...) -> State | None:
    """The tenders' state as of ``options.outcomes['as_of']`` (or the date given; None:
    every outcome), or None where the inputs hold no outcome table."""
    if "buyer_group_outcomes" not in inputs.tables:
        return None
    when = options.outcomes["as_of"] if as_of is ... else as_of
    return state(inputs["buyer_group_outcomes"], list(inputs["buyer_group_tenders"]["tender_id"]),
                 when)


def observed(st: State, groups: np.ndarray, unclear: str) -> dict[str, dict[str, np.ndarray]]:
    """Successes and failures seen per buyer group [tenders], as the prior counts them
    (:mod:`~effectmodel.model.evidence`): additionality from every scored contracted tender
    (unclear a failure under ``not_counted``, left out under ``missing_at_random``); the
    award rate (carried into the contract) from those that went beyond market standard.

    Returns ``{"additionality": {"s", "f"}, "award": {"s", "f"}}``, each (group,) in the
    order of ``np.unique(groups)``."""
    order = np.unique(groups)
    idx = np.searchsorted(order, groups)
    fail_unclear, pass_unclear = unclear == "not_counted", unclear == "counted"

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(idx[mask], minlength=len(order)).astype(float)

    b, c = st.beyond, st.in_contract
    yes_b = (b == 1.0) | ((b == 0.5) & pass_unclear)
    yes_c = (c == 1.0) | ((c == 0.5) & pass_unclear)
    add_f = count((b == 0.0) | ((b == 0.5) & fail_unclear))
    return {"additionality": {"s": count(yes_b), "f": add_f},
            "award": {"s": count(yes_b & yes_c), "f": count(yes_b & (c == 0.0))}}


def went_ahead(st: State) -> tuple[float, float]:
    """Tenders seen cancelled, and seen going ahead (awarded or contracted) [tenders]: the
    cancellation rate's evidence, one rate for all buyer groups."""
    return (float(np.sum(st.status == "cancelled")),
            float(np.sum(np.isin(st.status, ("awarded", "contracted")))))


def pooled(x: np.ndarray, pooling: float) -> np.ndarray:
    """Each group's own count plus the other groups' at weight ``pooling`` [tenders]."""
    return x + pooling * (x.sum() - x)


#: the Jeffreys prior's half a success and half a failure, kept outside the weight
HALF = 0.5


def update(a, b, s, f, weight: float):
    """The beta-binomial update with the counts' evidence at ``weight``: Beta(w (a - 1/2) +
    1/2 + s, w (b - 1/2) + 1/2 + f) [-], (a, b) a Jeffreys posterior of the counts. The
    Jeffreys half is not weighted: ``weight`` 0 means the outcomes alone, never Beta(0, 0)."""
    return (weight * (np.asarray(a) - HALF) + HALF + s,
            weight * (np.asarray(b) - HALF) + HALF + f)


def log_evidence(a, b, s: float, f: float, weight: float) -> np.ndarray:
    """log P(s successes, f failures | the counts' prior Beta(a, b) at ``weight``), up to a
    constant that does not depend on (a, b): log B(a' + s, b' + f) - log B(a', b') with
    (a', b') the weighted prior of :func:`update` [-]."""
    a0, b0 = update(a, b, 0.0, 0.0, weight)
    return betaln(a0 + s, b0 + f) - betaln(a0, b0)


def total_posterior(grid: np.ndarray, prior: np.ndarray, post_at, seen: dict, weight: float
                    ) -> np.ndarray:
    """The total of applications' posterior CDF on ``grid`` [-]: its prior density
    (``prior``, on ``grid``) times the evidence of every outcome seen, for each rate
    (``post_at(grid)``: the rates' (a, b) at each total; ``seen``: each rate's successes and
    failures over all groups). The outcomes then say something about the total too: a total
    whose rates fit the outcomes better gains weight."""
    log = np.zeros_like(grid, dtype=float)
    for k, (a, b) in post_at(grid).items():
        log += log_evidence(a, b, float(np.sum(seen[k]["s"])), float(np.sum(seen[k]["f"])),
                            weight)
    dens = prior * np.exp(log - log.max())
    cdf = np.concatenate([[0.0], np.cumsum((dens[1:] + dens[:-1]) / 2 * np.diff(grid))])
    return cdf / cdf[-1]


def realised_tenders(tenders: pd.DataFrame, st: State) -> pd.DataFrame:
    """The tenders with realised quantities in place of planned ones: the mode becomes the
    realised quantity, low and high keep their ratio to the mode (the stated uncertainty)."""
    done = ~np.isnan(st.quantity)
    if not done.any():
        return tenders
    out = tenders.copy()
    ratio = np.where(done, st.quantity / out["quantity_mode"].to_numpy(float), 1.0)
    for col in ("quantity_low", "quantity_mode", "quantity_high"):
        out[col] = out[col].to_numpy(float) * ratio
    return out


def resolve(award: np.ndarray, additionality: np.ndarray, st: State, unclear: str
            ) -> tuple[np.ndarray, np.ndarray]:
    """Award [0/1] and additionality [-] draws (draw, tender) with what the outcomes settle:
    a cancelled tender's award 0; a contracted tender's scores (yes 1, no 0, unclear 0 under
    ``not_counted``, still drawn under ``missing_at_random``)."""
    award, additionality = award.copy(), additionality.copy()
    award[:, st.status == "cancelled"] = 0.0
    settle_unclear = unclear != "missing_at_random"
    passes = 0.5 if unclear == "counted" else 1.0  # the lowest score that passes
    for arr, score in ((award, st.in_contract), (additionality, st.beyond)):
        known = (st.status == "contracted") & ~np.isnan(score)
        fixed = known & ((score != 0.5) | settle_unclear)
        arr[:, fixed] = np.where(score[fixed] >= passes, 1.0, 0.0)
    return award, additionality
