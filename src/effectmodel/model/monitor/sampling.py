"""The monitor's draws: the translation factors' pairs, the frame totals and the
Bayesian-bootstrap weights of the sampled tenders, one stream per stratum (the design:
:mod:`effectmodel.model.design`)."""


from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from effectmodel.model.design import gaussian_copula, spec_draws, stream, unit_block
from effectmodel.model.distributions import lognormal_multiplier

if TYPE_CHECKING:  # a type only: the model never reads files
    pass


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
    base = spec_draws(factors, "baseline_ef", ids, ("monitor", "baseline_ef"), on, seed,
                       scenario, n_draws, sampler, u_base)
    mvi = spec_draws(factors, "mvi_ef", ids, ("monitor", "mvi_ef"), on, seed, scenario,
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
