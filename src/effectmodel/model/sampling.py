"""Sampling: seeded streams and one design on the unit hypercube per run.

Every uncertain input column (table, variable, row id) is one dimension of the run's
:class:`Design`. Its points depend on the run seed, the scenario index and the column's
*identity*, never on the number of workers, the chunking or the order in which blocks are
drawn.

- ``random``: one stream per column (:class:`numpy.random.SeedSequence` keyed by the
  identity); adding a row to a table leaves the other rows' draws alone.
- ``lhs``: a Latin hypercube per replicate, one stratification per column from the column's
  own stream; adding a row leaves the other rows alone too.
- ``sobol``: one scrambled Sobol design over *every* column of the run (the columns in a
  fixed order, sorted by identity), per replicate; ``n_draws`` must be a power of 2. Adding a
  row changes the dimension of the columns after it, so it changes their draws: a Sobol
  design cannot keep rows apart and stay one design.

LHS and Sobol designs come as ``replicates`` independent randomisations of ``n / R`` draws
each, in contiguous rows: the spread of a statistic over the replicates is an honest Monte
Carlo error, which batch means over one stratified design are not (they overstate it).

The Bayesian-bootstrap weights of the sampled tenders (one per tender, far more than a
design holds) are always drawn plainly at random, one stream per stratum.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

import numpy as np
import xarray as xr
from scipy.special import betaincinv, ndtr, ndtri

from effectmodel.domain.keys import factor_keys
from effectmodel.domain.params import Params
from effectmodel.domain.paramschema import SAMPLERS
from effectmodel.model import evidence, outcomes
from effectmodel.model.distributions import lognormal_multiplier, ppf

if TYPE_CHECKING:  # a type only: the model never reads files
    from effectmodel.domain.inputdata import Inputs


def _key_words(key: Sequence) -> list[int]:
    digest = hashlib.sha256(repr(tuple(str(k) for k in key)).encode("utf-8")).digest()
    return [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4)]


def stream(seed: int, scenario: int, *key) -> np.random.Generator:
    """An independent generator for (seed, scenario, key...)."""
    ss = np.random.SeedSequence([int(seed), int(scenario), *_key_words(key)])
    return np.random.Generator(np.random.PCG64(ss))




def replicate_rows(n_draws: int, replicates: int) -> list[np.ndarray]:
    """The rows of each replicate: contiguous, as :func:`~effectmodel.model.stats.batch_se`
    cuts its batches (``numpy.array_split``)."""
    return np.array_split(np.arange(n_draws), replicates)


class Design:
    """The points in [0, 1) of every uncertain input column of one run (one scenario).

    ``columns``: the identity ``(*key, column)`` of every column the run may draw; needed
    for ``sobol`` only, which makes one design over all of them (sorted, so the order does
    not depend on how the run draws). ``replicates``: independent randomisations of the
    design in contiguous rows (``lhs`` and ``sobol``; plain random draws are independent
    already).
    """

    def __init__(self, seed: int, scenario: int, n_draws: int, sampler: str = "random",
                 columns: Sequence[tuple] = (), replicates: int = 1):
        if sampler not in SAMPLERS:
            raise ValueError(f"unknown sampler {sampler!r} (allowed: {', '.join(SAMPLERS)})")
        self.seed, self.scenario, self.n_draws = int(seed), int(scenario), int(n_draws)
        self.sampler, self.replicates = sampler, max(1, int(replicates))
        self._index: dict[tuple, int] = {}
        self._points: np.ndarray | None = None
        if sampler == "sobol":
            order = sorted({tuple(str(k) for k in c) for c in columns})
            self._index = {c: i for i, c in enumerate(order)}

    def block(self, key: Sequence, columns: Sequence[str]) -> np.ndarray:
        """Points of shape (n_draws, len(columns)) for the columns ``(*key, column)``."""
        n = self.n_draws
        if self.sampler == "sobol":
            points = self._sobol()
            try:
                idx = [self._index[tuple(str(k) for k in (*key, c))] for c in columns]
            except KeyError as exc:
                raise KeyError(f"column {exc} is not in the run's Sobol design") from None
            return points[:, idx]
        out = np.empty((n, len(columns)))
        for j, col in enumerate(columns):
            gen = stream(self.seed, self.scenario, *key, col)
            if self.sampler == "random":
                out[:, j] = gen.random(n)
                continue
            for rows in replicate_rows(n, self.replicates):  # lhs
                strata = gen.permutation(rows.size)
                out[rows, j] = (strata + gen.random(rows.size)) / rows.size
        return out

    def _sobol(self) -> np.ndarray:
        """The whole design: ``replicates`` independently scrambled Sobol sequences of
        n / replicates points each (a power of 2) over all columns, each replicate with its
        own random assignment of Sobol dimensions to columns (so that the few pairs of
        dimensions whose projections are correlated differ between replicates and average
        out)."""
        if self._points is None:
            from scipy.stats import qmc  # here only: scipy.stats takes ~1 s to import

            d = max(1, len(self._index))
            parts = []
            for r, rows in enumerate(replicate_rows(self.n_draws, self.replicates)):
                m = int(rows.size).bit_length() - 1
                if rows.size != 2**m:
                    raise ValueError(f"a Sobol replicate of {rows.size} draws: n_draws / "
                                     "replicates must be a power of 2")
                gen = stream(self.seed, self.scenario, "sobol-design", r)
                points = qmc.Sobol(d=d, scramble=True, seed=gen).random_base2(m)
                parts.append(points[:, gen.permutation(d)])
            self._points = np.concatenate(parts)
        return self._points


#: points per Sobol replicate per dimension, at least: with fewer, pairs of a scrambled
#: Sobol sequence's dimensions are correlated beyond plain random draws (measured for 147
#: dimensions, dimensions permuted per replicate: max |corr| 0.018-0.024 with 16 x 1024
#: points, against 4/sqrt(n) = 0.031; without the permutation 0.047-0.082)
SOBOL_POINTS_PER_DIMENSION = 4


#: the least independent Sobol scrambles a run's Monte Carlo error rests on: with 2 (one
#: degree of freedom) a +-2 SE interval covered 68-70% of runs, not 95%
MIN_REPLICATES = 8


def sobol_replicates(n_draws: int, batches: int, dims: int = 1) -> int:
    """Independent scrambles of a Sobol design of ``n_draws`` (a power of 2) in ``dims``
    dimensions: the largest power of 2 at most ``batches`` that leaves every replicate
    :data:`SOBOL_POINTS_PER_DIMENSION` points per dimension, but at least
    :data:`MIN_REPLICATES` (where ``batches`` and 2 points per replicate allow), and never
    fewer than 2 (the least that gives a Monte Carlo error) [-]. Many dimensions then cost
    the design some balance, not the error estimate its reliability."""
    least = max(2, SOBOL_POINTS_PER_DIMENSION * dims)
    r = 1
    while r * 2 <= batches and n_draws // (r * 2) >= least:
        r *= 2
    while r < MIN_REPLICATES and r * 2 <= batches and n_draws // (r * 2) >= 2:
        r *= 2
    return max(2, r) if n_draws >= 4 else 1


#: while the variance budget evaluates a pick-freeze sample (model/budget.py): a function of
#: (key, column) giving the row order of that column's points (None: as drawn)
_ORDER: ContextVar[Callable[[tuple, str], np.ndarray | None] | None] = ContextVar(
    "effectmodel_point_order", default=None)


@contextmanager
def reordered(order: Callable[[tuple, str], np.ndarray | None]) -> Iterator[None]:
    """Within the block, :func:`unit_block` gives each column its points in the row order
    ``order(key, column)`` (None: as drawn): the variance budget's pick-freeze samples, made
    of the run's own points."""
    token = _ORDER.set(order)
    try:
        yield
    finally:
        _ORDER.reset(token)


def unit_block(seed: int, scenario: int, key: Sequence, columns: Sequence[str], n_draws: int,
               sampler: str | Design = "random") -> np.ndarray:
    """Points in [0, 1) of shape (n_draws, len(columns)): from the run's :class:`Design`,
    or, given a sampler's name, from a design of these columns alone (one replicate); rows
    reordered per column within :func:`reordered`."""
    if len(columns) == 0:
        return np.empty((n_draws, 0))
    if not isinstance(sampler, Design):
        sampler = Design(seed, scenario, n_draws, sampler,
                         [(*key, c) for c in columns])
    u = sampler.block(key, columns)
    order = _ORDER.get()
    if order is not None:
        rows = [order(tuple(key), c) for c in columns]
        if any(r is not None for r in rows):
            u = np.column_stack([u[:, j] if r is None else u[r, j]
                                 for j, r in enumerate(rows)])
    return u


# --------------------------------------------------------------------------------------------
# Mapping the tables' uncertain inputs from the unit hypercube to parameter space
# --------------------------------------------------------------------------------------------

BG_VARIABLES = ("quantity", "emission_factor", "reduction_fraction", "additionality")
BG_UNITS = {
    "quantity": "tender unit (quantity_unit)",
    "emission_factor": "t CO2-eq per tender unit",
    "reduction_fraction": "1",
    "award": "1",
    "additionality": "1",
}


def gaussian_copula(u_first: np.ndarray, u_second: np.ndarray, rho: float) -> np.ndarray:
    """Points for a second variable that are ``rho``-correlated with the first on the normal
    scale (a Gaussian copula): each margin stays uniform, and Spearman's rank correlation is
    (6 / pi) asin(rho / 2) [-]."""
    z1, z2 = ndtri(u_first), ndtri(u_second)  # scipy.stats.norm's ppf and cdf, without it
    return ndtr(rho * z1 + np.sqrt(1.0 - rho * rho) * z2)


def _spec_draws(df, prefix, ids, key, on, seed, scenario, n, sampler, u=None):
    """Draws of one table variable (its ``_dist``, ``_low``, ``_mode``, ``_high`` columns),
    from the design's points for ``key`` and ``ids`` or from the points ``u`` given."""
    if not on:
        return np.broadcast_to(df[f"{prefix}_mode"].to_numpy(float), (n, len(ids))).copy()
    if u is None:
        u = unit_block(seed, scenario, key, ids, n, sampler)
    return ppf(df[f"{prefix}_dist"].to_numpy(object), df[f"{prefix}_low"].to_numpy(float),
               df[f"{prefix}_mode"].to_numpy(float), df[f"{prefix}_high"].to_numpy(float), u)


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


def sample_buyer_groups(tenders, options, seed: int, n_draws: int, sampler: str,
                        scenario: int = 0, state=None) -> xr.Dataset:
    """Draw the uncertain inputs of every buyer-group tender.

    Parameters
    ----------
    tenders : the ``buyer_group_tenders`` table.
    options : :class:`~effectmodel.params.BuyerGroupOptions`.
    state : the tenders' outcomes as of a date (:class:`~effectmodel.model.outcomes.State`),
        or None: realised quantities replace planned ones, the rates learn from the
        outcomes, and what the outcomes settle is settled (:mod:`.outcomes`).

    Returns
    -------
    Dataset with dims (draw, tender): quantity [tender unit], emission_factor
    [t CO2-eq per tender unit], reduction_fraction [-], award [0/1], additionality [-].
    """
    if state is not None:
        tenders = outcomes.realised_tenders(tenders, state)
    ids = list(tenders["tender_id"])
    unc = options.uncertainty
    data = {}

    def risk_points(var: str) -> np.ndarray:
        return _risk_points(var, options, list(tenders["buyer_group"]), ids, seed, scenario,
                            n_draws, sampler)

    for var in BG_VARIABLES:
        key = ("buyer_groups", var)
        if var == "additionality" and options.additionality is not None:
            data[var] = np.full((n_draws, len(ids)), options.additionality)
            continue
        u = risk_points(var) if var == "additionality" and unc[var] else None
        if var == "emission_factor" and unc[var]:
            u = shared_points(tenders, seed, scenario, n_draws, sampler)
        data[var] = _spec_draws(tenders, var, ids, key, unc[var], seed, scenario, n_draws,
                                sampler, u)
    p = tenders["award_probability"].to_numpy(float)
    if options.award_probability is not None:
        p = np.full(len(ids), options.award_probability)
    learn = None if state is None else (state, tenders["buyer_group"].to_numpy(object))
    rates = (risk_rates(options, seed, scenario, n_draws, sampler, learn)
             if options.risk_evidence == "counts" else {})
    data.update(_risk_outcomes(tenders, options, p, rates, data["additionality"], risk_points,
                               n_draws))
    if options.risk_evidence == "counts" and options.uncertainty.get("cancellation", False):
        rates["cancellation"], goes = cancellation(
            options, ids, list(tenders["buyer_group"]), seed, scenario, n_draws, sampler, state)
        data["award"] = data["award"] * goes
    if state is not None:
        data["award"], data["additionality"] = outcomes.resolve(
            data["award"], data["additionality"], state, options.unclear)
    return _tender_dataset(data, tenders, p, rates)


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
    return _spec_draws(row, "t_per_household", [factor_id], ("household_factor",), True, seed,
                       scenario, n_draws, sampler)[:, 0]


def bootstrap_blocks(sampled, seed: int, scenario: int, n_draws: int, sampler: str,
                     block: int, alpha: np.ndarray | None = None
                     ) -> Iterator[tuple[slice, np.ndarray]]:
    """The Bayesian-bootstrap weights (draw, tender) [-], ``block`` draws at a time: Exp(1)
    weights, per stratum a flat Dirichlet; with ``alpha`` (tender,), Gamma(alpha) weights,
    a Dirichlet of that concentration (the design bootstrap); one stream per stratum keyed
    by its identity.

    Each stratum's stream is read on block by block, so a block holds exactly the rows the
    whole matrix would, and memory is bounded by the block. The weights are plain random
    draws whatever the run's design (``sampler`` is kept for the signature): they number one
    per sampled tender, far beyond the columns of a design.
    """
    per = sampled["period"].to_numpy(object)
    grp = sampled["product_group"].to_numpy(object)
    edges = np.flatnonzero((per[1:] != per[:-1]) | (grp[1:] != grp[:-1])) + 1
    bounds = list(zip([0, *edges.tolist()], [*edges.tolist(), len(sampled)], strict=True))
    keys = [("monitor", "bootstrap", per[a], grp[a]) for a, _ in bounds]
    gens = [stream(seed, scenario, *k) for k in keys]
    for first in range(0, n_draws, block):
        rows = min(block, n_draws - first)
        out = np.empty((rows, len(sampled)))
        for gen, (a, b) in zip(gens, bounds, strict=True):
            if alpha is not None:
                out[:, a:b] = gen.standard_gamma(alpha[a:b], size=(rows, b - a))
                continue
            u = gen.random((rows, b - a))
            np.negative(np.log1p(np.negative(u, out=u), out=u), out=out[:, a:b])
        yield slice(first, first + rows), out


def sample_factor_pairs(factors, ids, options, seed: int, n_draws: int, sampler,
                        scenario: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Draws of translation factors: baseline and MVI factor of each row (draw, row)
    [the row's unit per unit], the columns of the design named by ``ids``; the pair of one
    comparison coupled by ``monitor.factor_rank_correlation`` (a Gaussian copula)."""
    on = options.emission_factor_uncertainty
    u_base = unit_block(seed, scenario, ("monitor", "baseline_ef"), ids, n_draws, sampler)
    u_mvi = unit_block(seed, scenario, ("monitor", "mvi_ef"), ids, n_draws, sampler)
    rho = options.factor_rank_correlation
    if rho:  # a Gaussian copula between the two factors of one comparison
        u_mvi = gaussian_copula(u_base, u_mvi, rho)
    base = _spec_draws(factors, "baseline_ef", ids, ("monitor", "baseline_ef"), on, seed,
                       scenario, n_draws, sampler, u_base)
    mvi = _spec_draws(factors, "mvi_ef", ids, ("monitor", "mvi_ef"), on, seed, scenario,
                      n_draws, sampler, u_mvi)
    return base, mvi


def sample_monitor(sampled, factors, frames, options, seed: int, n_draws: int, sampler: str,
                   scenario: int = 0, with_bootstrap: bool = True,
                   alpha: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Draw the monitor's uncertain inputs.

    Parameters
    ----------
    sampled : the sampled tenders of the periods estimated, sorted by stratum.
    factors : the translation table.
    frames : frame totals of the strata, in stratum order.

    Returns
    -------
    dict of arrays: ``boot`` (draw, tender) Bayesian-bootstrap gamma weights [-], of
    concentration ``alpha`` (tender,) for the design bootstrap (None with
    ``with_bootstrap=False``: draw them in blocks with :func:`bootstrap_blocks`);
    ``baseline_ef`` and ``mvi_ef`` (draw, factor) [t CO2-eq per unit];
    ``frame_multiplier`` (draw, stratum) [-].
    """
    if not with_bootstrap:
        boot = None
    elif options.bootstrap != "none":
        boot = np.concatenate([b for _, b in bootstrap_blocks(sampled, seed, scenario, n_draws,
                                                               sampler, n_draws, alpha)])
    else:
        boot = np.ones((n_draws, len(sampled)))
    base, mvi = sample_factor_pairs(factors, list(factors["key"]), options, seed,
                                    n_draws, sampler, scenario)
    sids = [f"{p}/{g}" for p, g in zip(frames["period"], frames["product_group"], strict=True)]
    if options.frame_total_uncertainty:
        u = unit_block(seed, scenario, ("monitor", "frame_total"), sids, n_draws, sampler)
        share = options.frame_total_correlation
        if share:  # one bias common to every stratum, beside each stratum's own error
            common = unit_block(seed, scenario, ("monitor", "frame_total_common"), ["all"],
                                n_draws, sampler)
            u = gaussian_copula(np.broadcast_to(common, u.shape), u, float(np.sqrt(share)))
        mult = lognormal_multiplier(frames["relative_uncertainty"].to_numpy(float), u)
    else:
        mult = np.ones((n_draws, len(sids)))
    mult = mult * options.frame_total_scale
    return {"boot": boot, "baseline_ef": base, "mvi_ef": mvi, "frame_multiplier": mult}


# --------------------------------------------------------------------------------------------
# The one design of a run: every uncertain input column it may draw (the dimensions of a
# Sobol design), and the batches its Monte Carlo error comes from
# --------------------------------------------------------------------------------------------


def design_columns(inputs: Inputs) -> list[tuple]:
    """The identity of every uncertain input column a run may draw: each buyer-group tender
    input, each household factor, each translation factor's baseline and MVI factor, each
    stratum's frame total, of the parts whose tables ``inputs`` hold. The dimensions of a
    Sobol design. (The unclear tests of criteria,
    the shares of strata without a counted effect and the translation factors of indicators
    other than CO2-eq are plain random draws whatever the design, like the bootstrap weights:
    they can number thousands, beyond what a Sobol design keeps independent at these sample
    sizes.)"""
    bg = "buyer_group_tenders" in inputs.tables
    mon = "translation_factors" in inputs.tables
    cols: list[tuple] = []
    if bg:
        tenders = list(inputs["buyer_group_tenders"]["tender_id"])
        cols += [("buyer_groups", var, i) for var in (*BG_VARIABLES, "award") for i in tenders]
        groups = list(dict.fromkeys(inputs["buyer_group_tenders"]["buyer_group"]))
        cols += [("buyer_groups", f"{var}_by_group", g) for var in ("award", "additionality")
                 for g in groups]
        cols += [("buyer_groups", "risk_rates", c) for c in RATE_COLUMNS]
        cols += [("buyer_groups", "cancellation", c)
                 for c in ["rate", *tenders, *(f"group:{g}" for g in groups)]]
    if mon:
        cols += [("monitor", "frame_total_common", "all")]
    if bg:
        cols += [("buyer_groups", "emission_factor", c)
                 for c in dict.fromkeys(factor_columns(inputs["buyer_group_tenders"]))
                 if c.startswith("factor:")]
    cols += [("household_factor", h) for h in inputs["household_factors"]["id"]]
    if mon:
        tf = inputs["translation_factors"]
        factors = factor_keys(tf[tf["indicator"] == "co2_eq"])  # CO2-eq: the design's
        cols += [("monitor", var, f) for var in ("baseline_ef", "mvi_ef") for f in factors]
        fr = inputs["frame_totals"]
        cols += [("monitor", "frame_total", f"{p}/{g}")
                 for p, g in zip(fr["period"], fr["product_group"], strict=True)]
    return cols


def error_batches(run, inputs: Inputs | None = None) -> int:
    """Batches of the Monte Carlo error [-]: ``mc_batches`` for plain random draws and LHS
    (each batch its own Latin hypercube); for Sobol the design's independent scrambles (see
    :func:`~effectmodel.model.sampling.sobol_replicates`; ``inputs`` give its dimensions).
    Batch means over one stratified design would overstate the error: the draws of a design
    are not independent, its replicates are."""
    if run.sampler == "sobol":
        dims = len(design_columns(inputs)) if inputs is not None else 1
        return sobol_replicates(run.n_draws, run.mc_batches, dims)
    return run.mc_batches


def run_design(params: Params, inputs: Inputs, scenario: int = 0) -> Design:
    """The one design of a run's uncertain inputs (see :mod:`~effectmodel.model.sampling`)."""
    run = params.run
    return Design(run.seed, scenario, run.n_draws, run.sampler,
                  design_columns(inputs) if run.sampler == "sobol" else (),
                  1 if run.sampler == "random" else error_batches(run, inputs))

