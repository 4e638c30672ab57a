"""How often the monitor's interval holds the truth: repeated samples from a finite
population, each estimated as a run estimates it (sampling weights, resampling units, the
design bootstrap with the jackknife's inflation, the interval of :mod:`.intervals`), many
samples at once.

Used by the coverage battery (``benchmarks/coverage.py``: synthetic populations whose truth
is known) and by the self-check of a run (:func:`self_check`: the pseudo-population the
sample itself stands for). Only the sampling is uncertain here: factors and frame totals are
fixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from effectmodel.domain.assurance import SELF_CHECK_REPS
from effectmodel.model.frame import take_all
from effectmodel.model.monitor import equations, intervals


@dataclass(frozen=True)
class Population:
    """A finite population of tenders in strata (product groups) and sub-strata.

    stratum, sub : (tender,) integer labels; value : (tender,) [EUR]; effect : (tender,)
    [t CO2-eq]
    """

    stratum: np.ndarray
    sub: np.ndarray
    value: np.ndarray
    effect: np.ndarray

    @cached_property
    def cells(self) -> list[tuple[int, int, np.ndarray]]:
        """(stratum, sub-stratum, its tenders' indices), in order (one sort, kept)."""
        order = np.lexsort((self.sub, self.stratum))
        s, h = self.stratum[order], self.sub[order]
        edges = np.flatnonzero((np.diff(s) != 0) | (np.diff(h) != 0)) + 1
        return [(int(s[a]), int(h[a]), np.sort(part))
                for a, part in zip(np.append(0, edges), np.split(order, edges), strict=True)]

    def totals(self) -> np.ndarray:
        """(stratum,) each stratum's true total effect [t CO2-eq]."""
        return np.bincount(self.stratum, weights=self.effect)

    def frame_totals(self) -> np.ndarray:
        """(stratum,) each stratum's frame total T [EUR]."""
        return np.bincount(self.stratum, weights=self.value)

    def at(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The value [EUR] and effect [t CO2-eq] of the tenders ``idx`` (any shape)."""
        return self.value[idx], self.effect[idx]


@dataclass(frozen=True)
class Replicated:
    """A population made of a sample's tenders, each ``reps`` times in a row, the sample in
    stratum and sub-stratum order (:func:`pseudo_population`): held as the sample and its
    counts, not as ten times the sample (10^7 tenders for a sample of 10^6). It answers as
    a :class:`Population` of the repeated tenders does (its ``cells``, ``at``, ``totals``
    and ``frame_totals``); tender i of it is sample row
    ``searchsorted(cumsum(reps), i, side="right")``."""

    stratum: np.ndarray   # (sampled tender,) in cell order
    sub: np.ndarray
    value: np.ndarray
    effect: np.ndarray
    reps: np.ndarray

    @cached_property
    def _ends(self) -> np.ndarray:
        return np.cumsum(self.reps)

    @cached_property
    def cells(self) -> list[tuple[int, int, np.ndarray]]:
        """(stratum, sub-stratum, its tenders' indices), in order."""
        s, h = self.stratum, self.sub
        edges = np.flatnonzero((s[1:] != s[:-1]) | (h[1:] != h[:-1])) + 1
        ends = np.append(0, self._ends)
        return [(int(s[a]), int(h[a]), np.arange(ends[a], ends[b]))
                for a, b in zip(np.append(0, edges).tolist(),
                                np.append(edges, len(s)).tolist(), strict=True)]

    def at(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The value [EUR] and effect [t CO2-eq] of the tenders ``idx`` (any shape)."""
        row = np.searchsorted(self._ends, idx, side="right")
        return self.value[row], self.effect[row]

    def totals(self) -> np.ndarray:
        """(stratum,) each stratum's true total effect [t CO2-eq]."""
        return np.bincount(self.stratum, weights=self.effect * self.reps)

    def frame_totals(self) -> np.ndarray:
        """(stratum,) each stratum's frame total T [EUR]."""
        return np.bincount(self.stratum, weights=self.value * self.reps)


def allocate(pop: Population, n: int) -> dict[tuple[int, int], int]:
    """Tenders to sample per (stratum, sub-stratum): ``n`` per stratum, shared between its
    sub-strata in proportion to their size by largest remainders, at least 1 and at most
    the sub-stratum each (``effectmodel sample``'s proportional allocation)."""
    out: dict[tuple[int, int], int] = {}
    for s in np.unique(pop.stratum):
        cells = [(h, len(idx)) for ss, h, idx in pop.cells if ss == s]
        sizes = np.array([k for _, k in cells], dtype=float)
        share = sizes / sizes.sum() * min(n, sizes.sum())
        base = np.minimum(np.maximum(np.floor(share), 1), sizes).astype(int)
        for j in np.argsort(-(share - np.floor(share)), kind="stable"):
            if base.sum() >= min(n, sizes.sum()):
                break
            if base[j] < sizes[j]:
                base[j] += 1
        out.update({(int(s), h): int(b) for (h, _), b in zip(cells, base, strict=True)})
    return out


#: the sub-stratum label of a stratum's take-all tenders: its sub-stratum's label plus this
TAKE_ALL_LABEL = 1_000_000


def with_take_all(pop: Population, sizes: dict[tuple[int, int], int], share: float
                  ) -> tuple[Population, dict[tuple[int, int], int]]:
    """The population and sizes with each sub-stratum's take-all tenders
    (:func:`~effectmodel.model.frame.take_all`) in a sub-stratum of their own, sampled
    whole; ``share`` 0 leaves both as they are."""
    sub = pop.sub.copy()
    out = dict(sizes)
    for s, h, idx in pop.cells:
        taken = take_all(pop.value[idx], sizes[(s, h)], share)
        if taken.any():
            sub[idx[taken]] = h + TAKE_ALL_LABEL
            out[(s, h)] = sizes[(s, h)] - int(taken.sum())
            out[(s, h + TAKE_ALL_LABEL)] = int(taken.sum())
    return Population(pop.stratum, sub, pop.value, pop.effect), out


def draw_samples(pop: Population | Replicated, sizes: dict[tuple[int, int], int],
                 gens: list[np.random.Generator]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One stratified sample without replacement per generator in ``gens`` (each from its
    own stream, so that samples can be drawn in any batches): (rep, tender) indices into
    the population in stratum and sub-stratum order, each tender's sub-stratum cell (index
    into the population's cells) and its inclusion weight N_h / n_h."""
    taken = [(c, members, sizes[(s, h)]) for c, (s, h, members) in enumerate(pop.cells)
             if sizes[(s, h)] > 0]
    idx = np.empty((len(gens), sum(k for _, _, k in taken)), dtype=np.int64)
    for r, gen in enumerate(gens):
        at = 0
        for _, members, k in taken:
            if k < len(members):
                pick = np.sort(np.argpartition(gen.random(len(members)), k - 1)[:k])
                idx[r, at:at + k] = members[pick]
            else:
                idx[r, at:at + k] = members
            at += k
    cell = np.concatenate([np.full(k, c) for c, _, k in taken]) if taken else np.zeros(0, int)
    weight = np.concatenate([np.full(k, len(m) / k) for _, m, k in taken]) if taken else \
        np.zeros(0)
    return idx, cell, weight


@dataclass(frozen=True)
class Intervals:
    """Per repetition and stratum: the central estimate, and per method the interval's
    ends [t CO2-eq]; the same for the sum over the strata (the period total)."""

    central: np.ndarray          # (rep, stratum)
    spend_ratio: np.ndarray      # (rep, stratum) the sample's weighted value over T [-]
    low: dict[str, np.ndarray]   # method -> (rep, stratum)
    high: dict[str, np.ndarray]
    total_low: dict[str, np.ndarray]   # method -> (rep,)
    total_high: dict[str, np.ndarray]
    #: the samples: (rep, tender) population indices, and per tender its sub-stratum cell,
    #: weight N_h / n_h, stratum and whether its cell is sampled whole
    samples: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None


def simulate(pop: Population | Replicated, sizes: dict[tuple[int, int], int], reps: int, draws: int,
             methods: tuple[str, ...], rng: np.random.Generator, level: float = 0.9,
             chunk_values: int = 4_000_000, keep_samples: bool = True) -> Intervals:
    """Draw ``reps`` samples and estimate each as a run does. Each repetition draws its
    sample and its bootstrap from a generator of its own (``rng.spawn``), so repetitions
    are estimated in batches, each batch one vectorised estimate on one tender axis, its
    bootstrap in blocks of draws: at most about ``chunk_values`` values (draws x tenders)
    are held at once, whatever the sample's size, and the numbers do not depend on the
    batches. ``keep_samples``: the samples in :attr:`Intervals.samples` (reps x tenders;
    None without)."""
    cells = pop.cells
    gens = rng.spawn(reps)
    per_rep = sum(sizes[(s, h)] for s, h, _ in cells)
    cell_frame = np.array([len(m) for _, _, m in cells], dtype=float)  # N_h of each cell
    parts, kept = [], []
    step = max(1, chunk_values // max(1, per_rep))  # one draw of a batch in a block
    for a in range(0, reps, step):
        idx, cell, weight = draw_samples(pop, sizes, gens[a:a + step])
        cell_stratum = np.array([s for s, _, _ in cells])[cell]
        parts.append(_estimate(pop, idx, cell, weight, cell_stratum, cell_frame, draws,
                               methods, gens[a:a + step], level, chunk_values))
        if keep_samples:
            kept.append(idx)
    census = np.array([sizes[(s, h)] == len(m) for s, h, m in cells])[cell]

    def joined(key: str):
        if isinstance(parts[0][key], dict):
            return {m: np.concatenate([p[key][m] for p in parts]) for m in methods}
        return np.concatenate([p[key] for p in parts])

    return Intervals(joined("central"), joined("ratio"), joined("low"), joined("high"),
                     joined("tl"), joined("th"),
                     (np.concatenate(kept), cell, weight, cell_stratum, census)
                     if keep_samples else None)


def _estimate(pop: Population | Replicated, idx: np.ndarray, cell: np.ndarray, weight: np.ndarray,
              cell_stratum: np.ndarray, cell_frame: np.ndarray, draws: int,
              methods: tuple[str, ...], gens: list[np.random.Generator], level: float,
              chunk_values: int) -> dict:
    """The estimates of a batch of samples (``idx`` (rep, tender); ``gens`` their
    generators) as one tender axis: per sample and stratum the central estimate, the spend
    ratio and each method's interval; per sample the period total's interval."""
    q = ((1 - level) / 2, (1 + level) / 2)
    frame = pop.frame_totals()
    n_strata, n_cells = len(frame), len(cell_frame)
    r, per_rep = idx.shape
    x, y = (a.reshape(-1) for a in pop.at(idx))
    w = np.tile(weight, r)
    rep = np.repeat(np.arange(r), per_rep)
    stratum_key = rep * n_strata + np.tile(cell_stratum, r)
    cell_key = rep * n_cells + np.tile(cell, r)
    starts = np.flatnonzero(np.diff(stratum_key, prepend=-1))
    seg_starts = np.flatnonzero(np.diff(cell_key, prepend=-1))
    seg_n = np.diff(np.append(seg_starts, len(x))).astype(float)
    u_starts, u_n, u_frame = equations.design_units(
        stratum_key[seg_starts], seg_starts, seg_n, cell_frame[np.tile(cell, r)[seg_starts]])
    layout = intervals.Layout(starts, u_starts, u_n, equations.sampled_fraction(u_n, u_frame))
    k = equations.jackknife_inflation(y, x, w, u_starts, u_n, starts)
    alpha = np.repeat(equations.dirichlet_concentration(u_n, u_frame, True, k),
                      u_n.astype(int)).reshape(r, per_rep)
    r_star, se_star = _bootstrap_ratios(y, x, w, layout, alpha, gens, draws,
                                        max(1, chunk_values // max(1, len(x))))
    r_hat, se_hat = intervals.ratio_se(y, x, w, layout, inflation=k)
    t_frame = np.tile(frame, r)[stratum_key[starts] % n_strata]
    n_stratum = np.diff(np.append(starts, len(x)))
    # no counted tender: no upper bound (no intensity to bound it with, in one period)
    none = equations.stratum_sums((y > 0).astype(float), starts) == 0
    out = {"central": (r_hat * t_frame).reshape(r, n_strata),
           "ratio": (equations.stratum_sums(w * x, starts) / t_frame).reshape(r, n_strata),
           "low": {}, "high": {}, "tl": {}, "th": {}}
    for m in methods:
        e = np.maximum(intervals.studentized(r_star, se_star, r_hat, se_hat, m,
                                             intervals.t_bound(n_stratum)), 0) * t_frame
        lo, hi = np.quantile(e, q, axis=0)
        out["low"][m] = lo.reshape(r, n_strata)
        out["high"][m] = np.where(none, np.inf, hi).reshape(r, n_strata)
        tl, th = np.quantile(e.reshape(draws, r, n_strata).sum(axis=2), q, axis=0)
        out["tl"][m] = tl
        out["th"][m] = np.where(none.reshape(r, n_strata).any(axis=1), np.inf, th)
    return out


def _bootstrap_ratios(y, x, w, layout, alpha: np.ndarray, gens, draws: int, block: int
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Each draw's resample ratio and standard error (draw, rep x stratum), the design
    bootstrap's Gamma(``alpha``) weights (rep, tender) drawn ``block`` draws at a time from
    each repetition's generator (in its stream's order whatever the block)."""
    r_star, se_star = [], []
    for a in range(0, draws, block):
        rows = min(block, draws - a)
        boot = np.concatenate([g.standard_gamma(al, size=(rows, al.size))
                               for g, al in zip(gens, alpha, strict=True)], axis=1)
        boot = equations.normalise_units(boot, layout.unit_starts, layout.unit_n)
        rs, ss = intervals.ratio_se(y, x, w, layout, boot)
        r_star.append(rs)
        se_star.append(ss)
    return np.concatenate(r_star), np.concatenate(se_star)


#: the self-check's draws per repeated sample [-] (its samples: SELF_CHECK_REPS)
SELF_CHECK_DRAWS = 100
#: the self-check's values (draws x tenders) held at once, about [-]: a batch's arrays
#: (about a dozen of this many) stay near 100 MB at any sample size
SELF_CHECK_VALUES = 1_000_000
#: where the weights give no frame (each tender stands for itself), the pseudo-population
#: replicates each sampled tender this many times (assumption: a frame ten times the sample)
SELF_CHECK_SPREAD = 10


def pseudo_population(effect, value, weight, stratum, sub, census) -> tuple[
        Replicated, dict[tuple[int, int], int]]:
    """The finite population a sample stands for: each sampled tender replicated by its
    sampling weight (rounded, at least 1; :data:`SELF_CHECK_SPREAD` times where the
    sub-stratum's weights give no more tenders than it has), with the sample's sizes per
    sub-stratum; a sub-stratum sampled whole (``census``) is its sample."""
    reps = np.maximum(np.rint(weight), 1).astype(int)
    for h in np.unique(sub):
        cell = sub == h
        if not census[cell][0] and reps[cell].sum() <= cell.sum():
            reps[cell] = SELF_CHECK_SPREAD
    reps = np.where(census, 1, reps)
    # in stratum and sub-stratum order, held as the sample and its counts: at 10^6
    # sampled tenders the population has 10^7 (:class:`Replicated`)
    order = np.lexsort((sub, stratum))
    pop = Replicated(np.asarray(stratum)[order], np.asarray(sub)[order],
                     np.asarray(value, float)[order], np.asarray(effect, float)[order],
                     reps[order])
    keys, counts = np.unique(np.stack([stratum, sub], axis=1), axis=0, return_counts=True)
    return pop, {(int(s), int(h)): int(k) for (s, h), k in zip(keys, counts, strict=True)}


def self_check(effect, value, weight, stratum, sub, census, method: str, seed: int,
               level: float = 0.9) -> np.ndarray:
    """(stratum,) how often the run's interval procedure covers the truth when the sample's
    own pseudo-population (:func:`pseudo_population`) is sampled again by the same design
    [-]; NaN for a stratum whose sample shows no effect, or that is sampled whole (nothing
    to cover)."""
    pop, sizes = pseudo_population(effect, value, weight, stratum, sub, census)
    n_strata = int(stratum.max()) + 1 if len(stratum) else 0
    rng = np.random.default_rng([seed, 36])
    res = simulate(pop, sizes, SELF_CHECK_REPS, SELF_CHECK_DRAWS, (method,), rng, level,
                   chunk_values=SELF_CHECK_VALUES, keep_samples=False)
    truth = pop.totals()
    hit = (res.low[method] <= truth) & (truth <= res.high[method])
    out = hit.mean(axis=0)
    shows = np.bincount(stratum, weights=(effect > 0).astype(float), minlength=n_strata) > 0
    whole = np.bincount(stratum, weights=(~census).astype(float), minlength=n_strata) == 0
    return np.where(shows & ~whole, out, np.nan)


def spend_ratio(value, weight, stratum, frame_total) -> np.ndarray:
    """(stratum,) the sampled tenders' value, weighted, over the frame total ``sum(w x) /
    T`` [-]: near 1 where the sample stands for the frame's spend (the Horvitz-Thompson
    estimate of T over T); NaN without a frame total."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.bincount(stratum, weights=np.asarray(weight) * np.asarray(value),
                           minlength=len(frame_total)) / np.asarray(frame_total, dtype=float)
