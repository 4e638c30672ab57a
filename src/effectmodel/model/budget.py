"""A variance budget: first-order and total Sobol indices of groups of inputs, per headline
figure (docs/model.md, section 5).

Estimator: pick-freeze on the run's own draws. The run is sample A. A second sample B and the
mixed samples A_B^g (A with the inputs of group g taken from B) come from the run's own
points, each group's rows permuted across the draws by a permutation of its own (draws are
exchangeable, so a permuted group is an independent sample of it, and the groups stay
independent of each other). Then, with V the variance of the figure over A and B:

- first order ``S_g``: the correlation of f(B) with f(A_B^g), which share only group g's
  draws, in the form of Janon et al. (2014), asymptotically efficient: with
  ``m = mean((f(B) + f(A_B^g)) / 2)``, ``S_g = (mean(f(B) f(A_B^g)) - m^2) /
  (mean((f(B)^2 + f(A_B^g)^2) / 2) - m^2)``; the share of the variance that group g causes
  alone;
- total ``ST_g = mean((f(A) - f(A_B^g))^2) / (2 V)`` (Jansen 1999), its share with every
  interaction it takes part in;
- interactions ``1 - sum S_g``: never negative for independent groups, beyond Monte Carlo
  error.

Each index carries a 95% Monte Carlo interval from a bootstrap over the draws. The cost is one
evaluation per group and one for B. The monitor's bootstrap over sampled tenders is one group
(``sampling``): its weights are streamed block by block and are never permuted; where it is
the group taken from B, every other group is permuted the other way and the figure's draws
reordered after (the same pairs of draws).

The permutation reaches the draws through :func:`~effectmodel.model.design.reordered`: every
uncertain input is drawn through :func:`~effectmodel.model.design.unit_block`, which reorders
the rows of the points of a group while a budget evaluation runs.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from effectmodel.model import engine, monitor
from effectmodel.model.design import reordered

if TYPE_CHECKING:
    import xarray as xr

    from effectmodel.domain.inputdata import Inputs
    from effectmodel.domain.params import Params

METHOD = ("first-order and total Sobol indices of groups of inputs: pick-freeze on the run's "
          "own draws (Janon 2014 first order, Jansen total), the second sample by "
          "permuting each group's draws; 95% Monte Carlo intervals by a bootstrap over the "
          "draws (see model/budget.py)")
#: the buyer groups' groups of inputs, as the model draws them
BG_GROUPS = ("award", "additionality", "risk_total", "cancellation", "quantity",
             "emission_factor", "reduction_fraction")
#: the monitor's groups of inputs; ``sampling`` (the bootstrap weights) is never permuted
MONITOR_GROUPS = ("sampling", "translation_factors", "frame_totals", "unclear_criteria")
ANCHOR = "sampling"
#: bootstrap resamples of the draws for the Monte Carlo intervals, and their level
RESAMPLES = 200
LEVEL = 0.95

_MONITOR_KEYS = {"baseline_ef": "translation_factors", "mvi_ef": "translation_factors",
                 "frame_total": "frame_totals", "frame_total_common": "frame_totals",
                 "unclear_contract": "unclear_criteria", "unclear_beyond": "unclear_criteria",
                 "zero_share": "sampling"}
_RATE_GROUPS = {"total": "risk_total", "additionality": "additionality", "award": "award"}


def group_of(key: tuple, column: str) -> str:
    """The group of inputs a column of points belongs to, by the identity it is drawn under
    (:func:`~effectmodel.model.design.unit_block`'s key and column)."""
    if key[0] == "buyer_groups":
        if key[1] == "risk_rates":
            return _RATE_GROUPS[column]
        return str(key[1]).removesuffix("_by_group")
    if key[0] == "monitor":
        return _MONITOR_KEYS.get(key[1], f"monitor:{key[1]}")
    return str(key[0])


# --------------------------------------------------------------------------------------------
# The estimators (pure, on arrays of draws)
# --------------------------------------------------------------------------------------------


def indices(y_a: np.ndarray, y_b: np.ndarray, y_ab: dict[str, np.ndarray]
            ) -> dict[str, Any] | None:
    """First-order and total indices [-] of each group from the draws of f(A), f(B) and
    f(A_B^g) (n,), and the interactions ``1 - sum S``; None where the figure does not vary
    beyond rounding (a spread below 1e-9 of its size)."""
    both = np.concatenate([y_a, y_b])
    v = float(np.var(both))
    size = float(np.max(np.abs(both))) if both.size else 0.0
    if v <= 0 or np.sqrt(v) <= 1e-9 * size:
        return None
    first = {g: float(janon(y_b, y)) for g, y in y_ab.items()}
    total = {g: float(np.mean((y_a - y) ** 2) / (2 * v)) for g, y in y_ab.items()}
    return {"first": first, "total": total, "interactions": 1.0 - sum(first.values())}


def janon(y: np.ndarray, y_g: np.ndarray) -> np.ndarray:
    """First-order index [-] from draws of two samples that share one group's inputs only
    (last axis: the draws), Janon et al. 2014."""
    m = np.mean((y + y_g) / 2, axis=-1)
    return (np.mean(y * y_g, axis=-1) - m * m) / (np.mean((y * y + y_g * y_g) / 2, axis=-1)
                                                   - m * m)


def _resampled(y_a, y_b, y_ab, rows: np.ndarray) -> dict[str, np.ndarray]:
    """:func:`indices` over bootstrap resamples of the draws, ``rows`` (R, n): each index an
    array (R,)."""
    a, b = y_a[rows], y_b[rows]
    v = np.var(np.concatenate([a, b], axis=1), axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        first = {g: janon(b, y[rows]) for g, y in y_ab.items()}
        total = {g: np.mean((a - y[rows]) ** 2, axis=1) / (2 * v) for g, y in y_ab.items()}
    return {"first": first, "total": total,
            "interactions": 1.0 - np.sum(list(first.values()), axis=0)}


def budget_of(y_a: np.ndarray, y_b: np.ndarray, y_ab: dict[str, np.ndarray],
              seed: int = 0) -> dict[str, Any] | None:
    """One figure's budget: per group its first-order and total index with their 95% Monte
    Carlo intervals [-], and the interactions with theirs; None where the figure does not
    vary. ``seed``: of the bootstrap over the draws."""
    y_a, y_b = np.asarray(y_a, dtype=float), np.asarray(y_b, dtype=float)
    y_ab = {g: np.asarray(y, dtype=float) for g, y in y_ab.items()}
    point = indices(y_a, y_b, y_ab)
    if point is None:
        return None
    rows = np.random.default_rng(seed).integers(0, y_a.size, (RESAMPLES, y_a.size))
    boot = _resampled(y_a, y_b, y_ab, rows)
    tail = 100 * (1 - LEVEL) / 2

    def ci(x: np.ndarray) -> list[float]:
        lo, hi = np.nanpercentile(x, [tail, 100 - tail])
        return [float(lo), float(hi)]

    return {"groups": {g: {"first_order": point["first"][g],
                           "first_order_ci": ci(boot["first"][g]),
                           "total": point["total"][g], "total_ci": ci(boot["total"][g])}
                       for g in y_ab},
            "interactions": {"share": point["interactions"],
                             "ci": ci(boot["interactions"])}}


# --------------------------------------------------------------------------------------------
# The pick-freeze evaluations of a run
# --------------------------------------------------------------------------------------------


def permutation(seed: int, scenario: int, group: str, n: int) -> np.ndarray:
    """The permutation of the draws (n,) that gives sample B its draws of ``group``, keyed
    by the run's seed, scenario and the group's name (the same in every process)."""
    rng = np.random.default_rng([seed, scenario, zlib.crc32(group.encode())])
    return rng.permutation(n)


def plans(groups: list[str], anchor: str | None, perm: Callable[[str], np.ndarray]
          ) -> dict[str, tuple[dict[str, np.ndarray | None], np.ndarray | None, np.ndarray | None]]:
    """Each evaluation of the budget: ``"B"`` and one per group, as (row order per group,
    row order of any other group, the order to put the figure's draws in after), so that
    the evaluation's draw j is sample B's (or A_B^g's) draw j. ``anchor``: a group whose draws
    are never reordered (the monitor's bootstrap); None: any group may be."""
    out = {}
    if anchor is None:
        out["B"] = ({g: perm(g) for g in groups}, None, None)
        out.update({g: ({g: perm(g)}, None, None) for g in groups})
        return out
    p_s = perm(anchor)
    inv = np.argsort(p_s)
    # sample B keeps the anchor in place and shifts every other group against it
    out["B"] = ({**{g: perm(g)[inv] for g in groups if g != anchor}, anchor: None}, inv, p_s)
    for g in groups:
        out[g] = ({anchor: None}, inv, p_s) if g == anchor else ({g: perm(g)}, None, None)
    return out


def _order_of(moves: dict[str, np.ndarray | None], default: np.ndarray | None):
    """The row order of the points of (key, column) in one evaluation (None: as drawn)."""
    def order(key: tuple, column: str) -> np.ndarray | None:
        g = group_of(key, column)
        return moves[g] if g in moves else default
    return order


def _evaluations(params: Params, figures: Callable[[list], list], groups: list[str],
                 anchor: str | None, scenario: int) -> dict[str, Any]:
    """The figures under each plan (:func:`plans`): {"B" or group: figures with their draws
    on axis 0 in the sample's order}. ``figures(orders)``: the figures under each row order
    of the points (:func:`~effectmodel.model.design.reordered`), in one call, so that the
    monitor draws its bootstrap weights once for all of them."""
    n = params.run.n_draws
    seed = params.run.seed

    def perm(g: str) -> np.ndarray:
        return permutation(seed, scenario, g, n)

    todo = plans(groups, anchor, perm)
    got = figures([_order_of(moves, default) for moves, default, _ in todo.values()])
    return {name: y if after is None else _take(y, after)
            for (name, (_, _, after)), y in zip(todo.items(), got, strict=True)}


def _take(got: Any, rows: np.ndarray) -> Any:
    if isinstance(got, dict):
        return {k: v[rows] for k, v in got.items()}
    return got[rows]


def active_groups(params: Params) -> dict[str, list[str]]:
    """The groups of inputs that vary in the run, per part of the params."""
    out: dict[str, list[str]] = {}
    if params.buyer_groups is not None:
        b = params.buyer_groups
        on = dict(b.uncertainty)
        c = b.risk_counts
        on["risk_total"] = (b.risk_evidence == "counts" and c["total_low"] < c["total_high"]
                            and (on["award"] or on["additionality"]))
        on["cancellation"] = b.risk_evidence == "counts" and on.get("cancellation", False)
        out["buyer_groups"] = [g for g in BG_GROUPS if on[g]]
    if params.monitor is not None:
        m = params.monitor
        on = {"sampling": m.bootstrap != "none",
              "translation_factors": m.emission_factor_uncertainty,
              "frame_totals": m.frame_total_uncertainty,
              "unclear_criteria": m.unclear == "drawn"}
        out["monitor"] = [g for g in MONITOR_GROUPS if on[g]]
    return out


def _monitor_names(params: Params) -> dict[str, str]:
    """Each indicator's period-total variable in the model's results."""
    return {"co2_eq": "period_total_t",
            **{i: f"{i}_period_total" for i in params.monitor.indicators if i != "co2_eq"}}


def variance_budget(params: Params, inputs: Inputs, ds: xr.Dataset, period: str | None
                    ) -> dict[str, Any]:
    """The ``variance_budget`` block of summary.json, for the parts the params hold: the
    budget (:func:`budget_of`) of the buyer-group total (``buyer_groups``), of ``period``'s
    monitor total (``monitor.indices``) and of each other indicator's
    (``monitor.indicators``)."""
    scenario = int(ds.attrs.get("scenario", 0))
    seed = params.run.seed
    groups = active_groups(params)
    out: dict[str, Any] = {"method": METHOD}
    if params.buyer_groups is not None:
        def bg(orders: list) -> list[np.ndarray]:
            out = []
            for order in orders:
                with reordered(order):
                    out.append(engine.evaluate_buyer_groups(params, inputs, scenario)
                               ["bg_total_t"].values)
            return out
        runs = _evaluations(params, bg, groups["buyer_groups"], None, scenario)
        out["buyer_groups"] = _budget(ds["bg_total_t"].values, runs, groups["buyer_groups"],
                                      seed)
    if params.monitor is not None and period is not None:
        names = _monitor_names(params)
        at = list(ds["period"].values).index(period)

        def mon(orders: list) -> list[dict[str, np.ndarray]]:
            return [{i: totals[i][:, at] for i in names}
                    for totals in monitor.period_totals(params, inputs, orders, scenario)]
        g = groups["monitor"]
        runs = _evaluations(params, mon, g, ANCHOR if ANCHOR in g else None, scenario)
        per = {i: _budget(ds[var].values[:, at], {k: r[i] for k, r in runs.items()}, g, seed)
               for i, var in names.items()}
        out["monitor"] = {"period": period, "indices": per.pop("co2_eq")}
        if per:
            out["monitor"]["indicators"] = per
    return out


def _budget(y_a: np.ndarray, runs: dict[str, np.ndarray], groups: list[str], seed: int):
    if not groups:
        return None
    return budget_of(y_a, runs["B"], {g: runs[g] for g in groups}, seed)
