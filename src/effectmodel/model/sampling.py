"""Sampling: seeded streams and designs on the unit hypercube.

Every random block is keyed by the run seed, the scenario index and the *identity* of what is
drawn (table, variable, row id), through :class:`numpy.random.SeedSequence`. So the numbers do
not change with the number of workers, the chunking, or the order in which blocks are drawn, and
adding a row to a table leaves the other rows' draws alone (plain Monte Carlo and Latin
hypercube; a Sobol design is drawn per table block).
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterator, Sequence

import numpy as np
import xarray as xr
from scipy.stats import qmc

from effectmodel.model.distributions import lognormal_multiplier, ppf


def _key_words(key: Sequence) -> list[int]:
    digest = hashlib.sha256(repr(tuple(str(k) for k in key)).encode("utf-8")).digest()
    return [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4)]


def stream(seed: int, scenario: int, *key) -> np.random.Generator:
    """An independent generator for (seed, scenario, key...)."""
    ss = np.random.SeedSequence([int(seed), int(scenario), *_key_words(key)])
    return np.random.Generator(np.random.PCG64(ss))


def unit_block(seed: int, scenario: int, key: Sequence, columns: Sequence[str], n_draws: int,
               sampler: str = "random") -> np.ndarray:
    """Points in [0, 1) of shape (n_draws, len(columns)).

    ``random``: one stream per column; ``lhs``: a one-dimensional Latin hypercube per column
    (independent permutations, which is a Latin hypercube of the block); ``sobol``: a scrambled
    Sobol design over the block, seeded by the block key.
    """
    n_cols = len(columns)
    out = np.empty((n_draws, n_cols))
    if n_cols == 0:
        return out
    if sampler == "sobol":
        gen = stream(seed, scenario, *key)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # balance warning for n not 2**m
            return qmc.Sobol(d=n_cols, scramble=True, seed=gen).random(n_draws)
    for j, col in enumerate(columns):
        gen = stream(seed, scenario, *key, col)
        if sampler == "lhs":
            strata = gen.permutation(n_draws)
            out[:, j] = (strata + gen.random(n_draws)) / n_draws
        elif sampler == "random":
            out[:, j] = gen.random(n_draws)
        else:
            raise ValueError(f"unknown sampler {sampler!r} (allowed: random, lhs, sobol)")
    return out


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


def _spec_draws(df, prefix, ids, key, on, seed, scenario, n, sampler):
    if not on:
        return np.broadcast_to(df[f"{prefix}_mode"].to_numpy(float), (n, len(ids))).copy()
    u = unit_block(seed, scenario, key, ids, n, sampler)
    return ppf(df[f"{prefix}_dist"].to_numpy(object), df[f"{prefix}_low"].to_numpy(float),
               df[f"{prefix}_mode"].to_numpy(float), df[f"{prefix}_high"].to_numpy(float), u)


def sample_buyer_groups(tenders, options, seed: int, n_draws: int, sampler: str,
                        scenario: int = 0) -> xr.Dataset:
    """Draw the uncertain inputs of every buyer-group tender.

    Parameters
    ----------
    tenders : the ``buyer_group_tenders`` table.
    options : :class:`~effectmodel.params.BuyerGroupOptions`.

    Returns
    -------
    Dataset with dims (draw, tender): quantity [tender unit], emission_factor
    [t CO2-eq per tender unit], reduction_fraction [-], award [0/1], additionality [-].
    """
    ids = list(tenders["tender_id"])
    unc = options.uncertainty
    data = {}
    for var in BG_VARIABLES:
        key = ("buyer_groups", var)
        if var == "additionality" and options.additionality is not None:
            data[var] = np.full((n_draws, len(ids)), options.additionality)
            continue
        data[var] = _spec_draws(tenders, var, ids, key, unc[var], seed, scenario, n_draws,
                                sampler)
    p = tenders["award_probability"].to_numpy(float)
    if options.award_probability is not None:
        p = np.full(len(ids), options.award_probability)
    if unc["award"]:
        u = unit_block(seed, scenario, ("buyer_groups", "award"), ids, n_draws, sampler)
        data["award"] = (u < p).astype(float)
    else:
        data["award"] = np.ones((n_draws, len(ids)))
    ds = xr.Dataset(
        {k: (("draw", "tender"), v, {"units": BG_UNITS[k]}) for k, v in data.items()},
        coords={"tender": ids, "buyer_group": ("tender", list(tenders["buyer_group"]))},
    )
    ds["award_probability"] = ("tender", p, {"units": "1"})
    return ds


def sample_household_factor(factors, factor_id: str, seed: int, n_draws: int, sampler: str,
                            scenario: int = 0):
    """Draws of one publication's household factor [t CO2-eq per household], shape (n_draws,)."""
    row = factors.iloc[[int(np.flatnonzero(factors["id"].to_numpy() == factor_id)[0])]]
    return _spec_draws(row, "t_per_household", [factor_id], ("household_factor",), True, seed,
                       scenario, n_draws, sampler)[:, 0]


def unit_matrix(seed: int, scenario: int, key: Sequence, n_draws: int, n_cols: int,
                sampler: str = "random") -> np.ndarray:
    """Points in [0, 1) of shape (n_draws, n_cols) from one stream per block ``key``.

    Cheaper than :func:`unit_block` for wide blocks (a stratum's tenders): one generator for
    the block. ``lhs`` stratifies each column (an independent permutation per column).
    """
    gen = stream(seed, scenario, *key)
    if sampler == "sobol":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return qmc.Sobol(d=n_cols, scramble=True, seed=gen).random(n_draws)
    u = gen.random((n_draws, n_cols))
    if sampler == "lhs":
        strata = gen.permuted(np.broadcast_to(np.arange(n_draws)[:, None], (n_draws, n_cols)),
                              axis=0)
        u = (strata + u) / n_draws
    elif sampler != "random":
        raise ValueError(f"unknown sampler {sampler!r} (allowed: random, lhs, sobol)")
    return u


def bootstrap_blocks(sampled, seed: int, scenario: int, n_draws: int, sampler: str,
                     block: int) -> Iterator[tuple[slice, np.ndarray]]:
    """The Bayesian-bootstrap weights (draw, tender) [-], ``block`` draws at a time: Exp(1)
    weights, per stratum a flat Dirichlet, one stream per stratum keyed by its identity.

    With the ``random`` sampler each stratum's stream is read on block by block, so a block
    holds exactly the rows the whole matrix would, and memory is bounded by the block. A
    Latin hypercube or Sobol design needs all draws of a stratum at once: it is made whole
    and handed out in blocks.
    """
    per = sampled["period"].to_numpy(object)
    grp = sampled["product_group"].to_numpy(object)
    edges = np.flatnonzero((per[1:] != per[:-1]) | (grp[1:] != grp[:-1])) + 1
    bounds = list(zip([0, *edges.tolist()], [*edges.tolist(), len(sampled)], strict=True))
    keys = [("monitor", "bootstrap", per[a], grp[a]) for a, _ in bounds]
    if sampler == "random":
        gens = [stream(seed, scenario, *k) for k in keys]
        for first in range(0, n_draws, block):
            rows = min(block, n_draws - first)
            out = np.empty((rows, len(sampled)))
            for gen, (a, b) in zip(gens, bounds, strict=True):
                u = gen.random((rows, b - a))
                np.negative(np.log1p(np.negative(u, out=u), out=u), out=out[:, a:b])
            yield slice(first, first + rows), out
        return
    whole = np.empty((n_draws, len(sampled)))
    for k, (a, b) in zip(keys, bounds, strict=True):
        u = unit_matrix(seed, scenario, k, n_draws, b - a, sampler)
        np.negative(np.log1p(np.negative(u, out=u), out=u), out=whole[:, a:b])
    for first in range(0, n_draws, block):
        yield slice(first, min(first + block, n_draws)), whole[first:first + block]


def sample_monitor(sampled, factors, frames, options, seed: int, n_draws: int, sampler: str,
                   scenario: int = 0, with_bootstrap: bool = True) -> dict[str, np.ndarray]:
    """Draw the monitor's uncertain inputs.

    Parameters
    ----------
    sampled : the sampled tenders of the periods estimated, sorted by stratum.
    factors : the translation table.
    frames : frame totals of the strata, in stratum order.

    Returns
    -------
    dict of arrays: ``boot`` (draw, tender) Bayesian-bootstrap gamma weights [-] (None
    with ``with_bootstrap=False``: draw them in blocks with :func:`bootstrap_blocks`);
    ``baseline_ef`` and ``mvi_ef`` (draw, factor) [t CO2-eq per unit];
    ``frame_multiplier`` (draw, stratum) [-].
    """
    if not with_bootstrap:
        boot = None
    elif options.bootstrap == "bayesian":
        boot = np.concatenate([b for _, b in bootstrap_blocks(sampled, seed, scenario, n_draws,
                                                               sampler, n_draws)])
    else:
        boot = np.ones((n_draws, len(sampled)))
    fids = list(factors["factor_id"])
    on = options.emission_factor_uncertainty
    base = _spec_draws(factors, "baseline_ef", fids, ("monitor", "baseline_ef"), on, seed,
                       scenario, n_draws, sampler)
    mvi = _spec_draws(factors, "mvi_ef", fids, ("monitor", "mvi_ef"), on, seed, scenario,
                      n_draws, sampler)
    sids = [f"{p}/{g}" for p, g in zip(frames["period"], frames["product_group"], strict=True)]
    if options.frame_total_uncertainty:
        u = unit_block(seed, scenario, ("monitor", "frame_total"), sids, n_draws, sampler)
        mult = lognormal_multiplier(frames["relative_uncertainty"].to_numpy(float), u)
    else:
        mult = np.ones((n_draws, len(sids)))
    mult = mult * options.frame_total_scale
    return {"boot": boot, "baseline_ef": base, "mvi_ef": mvi, "frame_multiplier": mult}
