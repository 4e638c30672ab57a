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
from scipy.special import ndtr, ndtri

from effectmodel.domain.paramschema import SAMPLERS
from effectmodel.model.distributions import ppf

if TYPE_CHECKING:  # a type only: the model never reads files
    pass


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
        self._blocks: dict[tuple, np.ndarray] = {}
        if sampler == "sobol":
            order = sorted({tuple(str(k) for k in c) for c in columns})
            self._index = {c: i for i, c in enumerate(order)}

    def block(self, key: Sequence, columns: Sequence[str]) -> np.ndarray:
        """Points of shape (n_draws, len(columns)) for the columns ``(*key, column)``, read
        only: drawn once per design and kept (a run asks for some blocks twice, and a sweep
        with common random numbers asks for the same blocks in every scenario)."""
        ident = (tuple(str(k) for k in key), tuple(str(c) for c in columns))
        if ident not in self._blocks:
            u = self._draw(key, columns)
            u.flags.writeable = False
            self._blocks[ident] = u
        return self._blocks[ident]

    def _draw(self, key: Sequence, columns: Sequence[str]) -> np.ndarray:
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


def gaussian_copula(u_first: np.ndarray, u_second: np.ndarray, rho: float) -> np.ndarray:
    """Points for a second variable that are ``rho``-correlated with the first on the normal
    scale (a Gaussian copula): each margin stays uniform, and Spearman's rank correlation is
    (6 / pi) asin(rho / 2) [-]."""
    z1, z2 = ndtri(u_first), ndtri(u_second)  # scipy.stats.norm's ppf and cdf, without it
    return ndtr(rho * z1 + np.sqrt(1.0 - rho * rho) * z2)


def spec_draws(df, prefix, ids, key, on, seed, scenario, n, sampler, u=None):
    """Draws of one table variable (its ``_dist``, ``_low``, ``_mode``, ``_high`` columns),
    from the design's points for ``key`` and ``ids`` or from the points ``u`` given."""
    if not on:
        return np.broadcast_to(df[f"{prefix}_mode"].to_numpy(float), (n, len(ids))).copy()
    if u is None:
        u = unit_block(seed, scenario, key, ids, n, sampler)
    return ppf(df[f"{prefix}_dist"].to_numpy(object), df[f"{prefix}_low"].to_numpy(float),
               df[f"{prefix}_mode"].to_numpy(float), df[f"{prefix}_high"].to_numpy(float), u)
