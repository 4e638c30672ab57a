"""The buyer groups' draws: each tender's uncertain inputs, the award and additionality
risks (from the data or learned from outcomes), cancellation and the household factor
(the design: :mod:`effectmodel.model.design`)."""


from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import xarray as xr
from scipy.special import betaincinv

from effectmodel.model import evidence, outcomes
from effectmodel.model.design import spec_draws, unit_block
from effectmodel.model.distributions import ppf

if TYPE_CHECKING:  # a type only: the model never reads files
    pass


BG_VARIABLES = ("quantity", "emission_factor", "reduction_fraction", "additionality")


BG_UNITS = {
    "quantity": "tender unit (quantity_unit)",
    "emission_factor": "t CO2-eq per tender unit",
    "reduction_fraction": "1",
    "award": "1",
    "additionality": "1",
}


def factor_columns(tenders) -> list[str]:
    """Each tender's emission-factor column of the design: its ``emission_factor_id`` when
    it shares one (one physical quantity, drawn once), else its own tender id."""
    ids = list(tenders["tender_id"])
    if "emission_factor_id" not in tenders:
        return ids
    shared = [str(x) if isinstance(x, str) and x else "" for x in tenders["emission_factor_id"]]
    return [f"factor:{s}" if s else t for s, t in zip(shared, ids, strict=True)]


def shared_points(tenders, seed: int, scenario: int, n_draws: int, sampler) -> np.ndarray:
    """Points of the tenders' emission factors, one column per physical factor, spread to
    the tenders that share it (tenders of their own keep their own column, as before)."""
    cols = factor_columns(tenders)
    order = list(dict.fromkeys(cols))
    u = unit_block(seed, scenario, ("buyer_groups", "emission_factor"), order, n_draws,
                   sampler)
    return u[:, [order.index(c) for c in cols]]


def input_draws(tenders, options, seed: int, n_draws: int, sampler, scenario: int = 0
                ) -> dict[str, np.ndarray]:
    """The tenders' uncertain inputs (draw, tender): quantity [tender unit], emission_factor
    [t CO2-eq per tender unit] and reduction_fraction [-], each from its distribution where
    ``options.uncertainty`` says so, else its mode. They depend on the tenders, the
    uncertainty switches and the design only, not on the risks a sweep varies."""
    ids = list(tenders["tender_id"])
    unc = options.uncertainty
    out = {}
    for var in BG_VARIABLES[:3]:
        u = (shared_points(tenders, seed, scenario, n_draws, sampler)
             if var == "emission_factor" and unc[var] else None)
        out[var] = spec_draws(tenders, var, ids, ("buyer_groups", var), unc[var], seed,
                              scenario, n_draws, sampler, u)
    return out


def sample_buyer_groups(tenders, options, seed: int, n_draws: int, sampler: str,
                        scenario: int = 0, state=None, drawn: dict | None = None
                        ) -> xr.Dataset:
    """Draw the uncertain inputs of every buyer-group tender.

    Parameters
    ----------
    tenders : the ``buyer_group_tenders`` table.
    options : :class:`~effectmodel.domain.params.BuyerGroupOptions`.
    state : the tenders' outcomes as of a date (:class:`~effectmodel.model.outcomes.State`),
        or None: realised quantities replace planned ones, the rates learn from the
        outcomes, and what the outcomes settle is settled (:mod:`.outcomes`).
    drawn : :func:`input_draws` of the (realised) tenders, where the caller has them.

    Returns
    -------
    Dataset with dims (draw, tender): quantity [tender unit], emission_factor
    [t CO2-eq per tender unit], reduction_fraction [-], award [0/1], additionality [-].
    """
    return _tender_dataset(*buyer_group_arrays(tenders, options, seed, n_draws, sampler,
                                               scenario, state, drawn))


def buyer_group_arrays(tenders, options, seed: int, n_draws: int, sampler, scenario: int = 0,
                       state=None, drawn: dict | None = None, rates: dict | None = None):
    """What :func:`sample_buyer_groups` draws, as arrays: (the draws by variable, each
    (draw, tender); the tenders as realised under ``state``; each tender's award
    probability [-]; the shared rates by name). ``drawn`` and ``rates``: the
    :func:`input_draws` and :func:`shared_rates` where the caller has them."""
    if state is not None:
        tenders = outcomes.realised_tenders(tenders, state)
    ids = list(tenders["tender_id"])
    unc = options.uncertainty

    def risk_points(var: str) -> np.ndarray:
        return _risk_points(var, options, list(tenders["buyer_group"]), ids, seed, scenario,
                            n_draws, sampler)

    data = dict(drawn) if drawn is not None else input_draws(tenders, options, seed, n_draws,
                                                             sampler, scenario)
    if options.additionality is not None:
        data["additionality"] = np.full((n_draws, len(ids)), options.additionality)
    else:
        data["additionality"] = spec_draws(
            tenders, "additionality", ids, ("buyer_groups", "additionality"),
            unc["additionality"], seed, scenario, n_draws, sampler,
            risk_points("additionality") if unc["additionality"] else None)
    p = tenders["award_probability"].to_numpy(float)
    if options.award_probability is not None:
        p = np.full(len(ids), options.award_probability)
    learn = None if state is None else (state, tenders["buyer_group"].to_numpy(object))
    rates = dict(rates if rates is not None else
                 shared_rates(options, seed, scenario, n_draws, sampler, learn))
    data.update(_risk_outcomes(tenders, options, p, rates, data["additionality"], risk_points,
                               n_draws))
    if options.risk_evidence == "counts" and options.uncertainty.get("cancellation", False):
        rates["cancellation"], goes = cancellation(
            options, ids, list(tenders["buyer_group"]), seed, scenario, n_draws, sampler, state)
        data["award"] = data["award"] * goes
    if state is not None:
        data["award"], data["additionality"] = outcomes.resolve(
            data["award"], data["additionality"], state, options.unclear)
    return data, tenders, p, rates


def _tender_dataset(data: dict, tenders, p: np.ndarray, rates: dict) -> xr.Dataset:
    """The buyer-group draws (draw, tender) with each tender's award probability and the
    shared rates (``risk_<name>``: (draw,), or (draw, tender) where learnt per group)."""
    ds = xr.Dataset(
        {k: (("draw", "tender"), v, {"units": BG_UNITS[k]}) for k, v in data.items()},
        coords={"tender": list(tenders["tender_id"]),
                "buyer_group": ("tender", list(tenders["buyer_group"]))},
    )
    ds["award_probability"] = ("tender", p, {"units": "1"})
    for k, v in rates.items():  # the shared rates, with risk_evidence: counts
        if v.ndim == 1:
            ds[f"risk_{k}"] = ("draw", v, {"units": "applications" if k == "total" else "1"})
        else:  # learnt per buyer group: each tender's group's rate
            ds[f"risk_{k}"] = (("draw", "tender"), v, {"units": "1"})
    return ds


def _risk_points(var: str, options, groups: list, ids: list, seed: int, scenario: int,
                 n_draws: int, sampler) -> np.ndarray:
    """Points of a risk (award, additionality): per tender, or once per buyer group and
    shared by its tenders (``risk_shared_by: group``)."""
    if options.risk_shared_by != "group":
        return unit_block(seed, scenario, ("buyer_groups", var), ids, n_draws, sampler)
    order = list(dict.fromkeys(groups))
    u = unit_block(seed, scenario, ("buyer_groups", f"{var}_by_group"), order, n_draws,
                   sampler)
    return u[:, [order.index(g) for g in groups]]


def _risk_outcomes(tenders, options, p: np.ndarray, rates: dict, additionality: np.ndarray,
                   risk_points, n_draws: int) -> dict[str, np.ndarray]:
    """Award [0/1 or chance] and additionality [-] of every tender and draw: outcomes of the
    shared rates (``rates``, with ``risk_evidence: counts``) or of each tender's award
    probability ``p`` and additionality draws; by their chance with ``risk_outcome:
    fraction``."""
    unc, n = options.uncertainty, len(p)
    fraction = options.risk_outcome == "fraction"
    out = {}
    if "additionality" in rates and options.additionality is None and unc["additionality"]:
        rate = _per_tender(rates["additionality"])
        out["additionality"] = (np.broadcast_to(rate, (n_draws, n)).copy() if fraction else
                                (risk_points("additionality") < rate).astype(float))
    elif fraction and options.additionality is None and unc["additionality"]:
        bern = (tenders["additionality_dist"] == "bernoulli").to_numpy()
        out["additionality"] = additionality.copy()
        out["additionality"][:, bern] = tenders["additionality_mode"].to_numpy(float)[bern]
    award_p = _per_tender(rates["award"]) if "award" in rates and options.award_probability \
        is None else p[None, :]
    if not unc["award"]:
        out["award"] = np.ones((n_draws, n))
    elif fraction:
        out["award"] = np.broadcast_to(award_p, (n_draws, n)).copy()
    else:
        out["award"] = (risk_points("award") < award_p).astype(float)
    return out


def _per_tender(rate: np.ndarray) -> np.ndarray:
    """A rate (draw,) shared by every tender as a column, or (draw, tender) as it is."""
    return rate[:, None] if rate.ndim == 1 else rate


#: the rates' own draws (one column each, shared by every tender) with risk_evidence: counts
RATE_COLUMNS = ("total", "additionality", "award")

#: the buyer-group options :func:`shared_rates` reads (a test holds it to that): a sweep
#: draws the rates once per their values, whatever else its scenarios vary
RATE_OPTIONS = ("risk_evidence", "risk_counts", "outcomes", "unclear")


def shared_rates(options, seed: int, scenario: int, n_draws: int, sampler, learn=None
                 ) -> dict[str, np.ndarray]:
    """The rates of :func:`risk_rates` with ``risk_evidence: counts``; none (an empty
    dict) with the tenders' own risks. Reads only the options :data:`RATE_OPTIONS` names."""
    if options.risk_evidence != "counts":
        return {}
    return risk_rates(options, seed, scenario, n_draws, sampler, learn)


def risk_rates(options, seed: int, scenario: int, n_draws: int, sampler, learn=None
               ) -> dict[str, np.ndarray]:
    """The buyer groups' risk rates drawn once per draw from the outcome counts
    (``risk_counts``, read by ``options.unclear``): the total of applications from its
    triangular distribution, then each rate from its Beta posterior given that total
    (:func:`~effectmodel.model.evidence.posteriors`).

    ``learn``: (:class:`~effectmodel.model.outcomes.State`, each tender's buyer group): the
    rates updated by the outcomes observed (:func:`~effectmodel.model.outcomes.update`),
    per buyer group, each tender given its group's (draw, tender).

    Returns ``{"total": [applications], "additionality": [-], "award": [-]}``, each (draw,)
    (the rates (draw, tender) when learning).
    """
    c = options.risk_counts
    u = unit_block(seed, scenario, ("buyer_groups", "risk_rates"), list(RATE_COLUMNS),
                   n_draws, sampler)
    seen = None if learn is None else outcomes.observed(learn[0], learn[1], options.unclear)
    weight = options.outcomes["prior_weight"]
    if (seen is not None and c["total_high"] > c["total_low"]
            and any(v.sum() for r in seen.values() for v in r.values())):
        # the total of applications learns from the outcomes too: drawn from its
        # posterior by the same uniform column (inverse CDF on a fine grid)
        total = learned_total(c, seen, weight, options.unclear, u[:, 0])
    else:
        total = ppf(["triangular"], [c["total_low"]], [c["total_mode"]], [c["total_high"]],
                    u[:, :1])[:, 0]
    post = evidence.posteriors(c["not_beyond_market_standard"], c["not_in_contract"],
                               c["unclear"], total, options.unclear)
    if seen is None:
        return {"total": total,
                **{k: betaincinv(a, b, u[:, 1 + i])
                   for i, (k, (a, b)) in enumerate(post.items())}}
    groups = learn[1]
    at = np.searchsorted(np.unique(groups), groups)
    pooling = options.outcomes["pooling"]
    out = {"total": total}
    for i, (k, (a, b)) in enumerate(post.items()):
        a2, b2 = outcomes.update(a[:, None], b[:, None],
                                 outcomes.pooled(seen[k]["s"], pooling)[None, :],
                                 outcomes.pooled(seen[k]["f"], pooling)[None, :], weight)
        out[k] = betaincinv(a2, b2, u[:, 1 + i][:, None])[:, at]
    return out


def cancellation(options, ids: list[str], groups: list[str], seed: int, scenario: int,
                 n_draws: int, sampler, state=None) -> tuple[np.ndarray, np.ndarray]:
    """The cancellation rate [-] (draw,), drawn once per draw from Beta(prior_cancelled + c,
    prior_went_ahead + g) with c tenders seen cancelled and g seen going ahead (awarded or
    contracted) in ``state`` (none without one), and each tender's factor for going ahead
    (draw, tender): 0 or 1 (``risk_outcome: bernoulli``; per tender, or once per buyer group
    with ``risk_shared_by: group``) or 1 - rate (``fraction``). A tender awarded or
    contracted goes ahead; a cancelled one is settled by :func:`outcomes.resolve`."""
    prior = options.cancellation
    c, g = (0.0, 0.0) if state is None else outcomes.went_ahead(state)
    a, b = prior["prior_cancelled"] + c, prior["prior_went_ahead"] + g
    by_group = options.risk_shared_by == "group"
    units = list(dict.fromkeys(groups)) if by_group else ids
    u = unit_block(seed, scenario, ("buyer_groups", "cancellation"),
                   ["rate", *(f"group:{x}" if by_group else x for x in units)], n_draws,
                   sampler)
    rate = betaincinv(a, b, u[:, 0]) if a > 0 else np.zeros(n_draws)
    if options.risk_outcome == "fraction":
        goes = np.broadcast_to(1.0 - rate[:, None], (n_draws, len(ids))).copy()
    else:
        at = [units.index(x) for x in groups] if by_group else list(range(len(ids)))
        goes = (u[:, 1:][:, at] >= rate[:, None]).astype(float)
    if state is not None:
        goes[:, np.isin(state.status, ("awarded", "contracted"))] = 1.0
    return rate, goes


#: points of the grid the total of applications' posterior is computed on
TOTAL_GRID = 4001


def learned_total(c: dict, seen: dict, weight: float, unclear: str, u: np.ndarray
                  ) -> np.ndarray:
    """Draws of the total of applications [applications] from its posterior given the
    outcomes seen (:func:`~effectmodel.model.outcomes.total_posterior`): its triangular
    prior on a grid of :data:`TOTAL_GRID` points, the CDF inverted at ``u``."""
    lo, mode, hi = c["total_low"], c["total_mode"], c["total_high"]
    grid = np.linspace(lo, hi, TOTAL_GRID)
    left = (grid - lo) / (mode - lo) if mode > lo else np.ones_like(grid)
    right = (hi - grid) / (hi - mode) if hi > mode else np.ones_like(grid)
    prior = np.where(grid < mode, left, right)  # triangular, up to a constant
    cdf = outcomes.total_posterior(
        grid, prior, lambda g: evidence.posteriors(
            c["not_beyond_market_standard"], c["not_in_contract"], c["unclear"], g, unclear),
        seen, weight)
    return np.interp(u, cdf, grid)


def sample_household_factor(factors, factor_id: str, seed: int, n_draws: int, sampler: str,
                            scenario: int = 0):
    """Draws of one publication's household factor [t CO2-eq per household], shape (n_draws,)."""
    row = factors.iloc[[int(np.flatnonzero(factors["id"].to_numpy() == factor_id)[0])]]
    return spec_draws(row, "t_per_household", [factor_id], ("household_factor",), True, seed,
                       scenario, n_draws, sampler)[:, 0]
