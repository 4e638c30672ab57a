"""Evaluate the MVI effect monitor: its setup from the inputs (strata, sub-strata, criteria,
other indicators), its Monte Carlo core, its draws, and the central and per-class figures
(docs/model.md, section 2). No I/O: validated inputs in, an xarray Dataset out; the array
arithmetic is in :mod:`~effectmodel.model.monitor.equations`."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import xarray as xr

from effectmodel.domain.columns import AMBITION_LEVELS, CRITERION_TYPES
from effectmodel.domain.params import Params
from effectmodel.model.design import Design, reordered, unit_block
from effectmodel.model.monitor import coverage, equations, intervals
from effectmodel.model.monitor.sampling import bootstrap_blocks, sample_factor_pairs, sample_monitor
from effectmodel.model.monitor.setup import (
    CLASSES,
    MonitorSetup,
    classify,
    criterion_counts,
    for_indicator,
    monitor_setup,
    zero_strata,
    zero_stratum_intensity,
)
from effectmodel.model.rundesign import run_design
from effectmodel.model.sampling import sample_household_factor

if TYPE_CHECKING:  # a type only: the model never reads files
    from effectmodel.domain.inputdata import Inputs


def monitor_core(d: dict, m: MonitorSetup, others=()):
    """The monitor's Monte Carlo core on drawn inputs.

    Parameters
    ----------
    d : drawn inputs (:func:`~.sampling.sample_monitor`): ``boot`` (..., tender),
        ``baseline_ef`` and ``mvi_ef`` (..., factor), ``frame_multiplier`` (..., stratum),
        ``count`` (criterion,) or (..., criterion), for strata without a counted effect
        ``zero_share`` (..., stratum) with ``zero_intensity`` (stratum,), and for the
        bootstrap-t ``studentized`` (:func:`studentized_setup`).
    m : the run's :class:`MonitorSetup`.
    others : (setup, draws) of other indicators (:func:`indicator_draws`): the same sample,
        weights and frames, their own factors; computed on the weights of this call.

    Returns
    -------
    (per stratum (..., stratum), per period (..., period)) [t CO2-eq over the contracts'
    lifetime], and the same per year [t CO2-eq per year] (None without contract years); with
    ``others``, a pair: that tuple, and a list of the same for each other indicator [its
    units].
    """
    n_strata = len(m.frame_total)
    if d.get("units"):  # the design bootstrap: weights normalised within each unit
        boot = equations.normalise_units(d["boot"], m.unit_starts, m.unit_n)
    else:
        boot = equations.rescale_bootstrap(
            d["boot"], m.segment_of, m.segment_starts, m.segment_n,
            d.get("fpc_scale", np.full(len(m.segment_n), np.nan)))
    wb = m.weight * boot
    den = equations.stratum_sums(wb * m.value, m.starts)
    wc = wb[..., m.crit_tender]
    frame = m.frame_total * d["frame_multiplier"]
    per_year = np.where(np.isfinite(m.crit_years), 1 / m.crit_years, 0.0)  # never counting: 0

    def figures(mm: MonitorSetup, dd: dict):
        sub = mm.crit_index is not None  # another indicator: its criteria only
        count = d["count"][..., mm.crit_index] if sub and np.ndim(d["count"]) else d["count"]
        saving = equations.tender_effect(1.0, dd["baseline_ef"], dd["mvi_ef"])  # per unit
        effect = count * mm.crit_quantity * saving[..., mm.crit_factor]  # (..., criterion)
        w = wb[..., mm.crit_tender] if sub else wc
        years = per_year[mm.crit_index] if sub else per_year
        out = []
        for e in (effect, effect * years if m.annual else None):
            if e is None:
                out += [None, None]
                continue
            ratio = (_studentized_ratio(e, mm, m, boot, d["studentized"]) if "studentized" in d
                     else equations.segment_sums(w * e, mm.crit_starts, n_strata) / den)
            pg = equations.extrapolate(ratio, frame)
            if "zero_share" in d:  # no counted effect in the sample: the Jeffreys bound
                zs = d["zero_share"]
                per = dd["zero_intensity"] if e is effect else dd["zero_intensity_per_year"]
                pg = np.where(np.isnan(zs), pg, np.nan_to_num(zs) * per * frame)
            out += [pg, equations.stratum_sums(pg, m.period_starts)]
        return tuple(out)

    main = figures(m, d)
    if not others:
        return main
    return main, [figures(mi, {**d, **di}) for mi, di in others]


def _studentized_ratio(effect, mm: MonitorSetup, m: MonitorSetup, boot, setup: dict):
    """(..., stratum) the bootstrap-t's ratio draws [unit per EUR] of criteria effects
    ``effect`` (..., criterion of ``mm``): summed per tender, then
    :func:`~.intervals.interval_draws` with the run's design (:func:`studentized_setup`)."""
    tender = equations.segment_sums(
        effect, np.searchsorted(mm.crit_tender, np.arange(len(m.value))), len(m.value))
    return intervals.interval_draws(tender, m.value, m.weight, boot, setup["layout"],
                                    "studentized", setup["inflation"], setup["t_max"])


def boot_alpha(m: MonitorSetup, opts) -> np.ndarray | None:
    """(tender,) the design bootstrap's Dirichlet concentration per tender [-]: the design's
    variance of a linear statistic, times the jackknife's inflation of each unit over its
    linearisation (:func:`~.equations.jackknife_inflation`, on the tenders' central effects);
    None for the plain Bayesian bootstrap (flat Dirichlet) and without resampling."""
    if opts.bootstrap != "design":
        return None
    return m.unit_alpha(opts.finite_population_correction, unit_inflation(m, opts))


def unit_inflation(m: MonitorSetup, opts) -> np.ndarray:
    """(unit,) the jackknife's variance of each resampling unit's contribution over its
    linearisation [-], on the tenders' central effects (:func:`central_draw`)."""
    effect = tender_central_effect(m, central_draw(m, opts))
    return equations.jackknife_inflation(effect, m.value, m.weight, m.unit_starts, m.unit_n,
                                         m.starts)


def studentized_setup(m: MonitorSetup, opts) -> dict:
    """What the bootstrap-t of :mod:`.intervals` needs of the design: the layout of strata
    and resampling units (each unit's sampled fraction, 0 without the correction), the
    jackknife's inflation of each unit (:func:`unit_inflation`) and each stratum's bound on
    a studentized deviation (:func:`~.intervals.t_bound`)."""
    f = (equations.sampled_fraction(m.unit_n, m.unit_frame)
         if opts.finite_population_correction else np.zeros(len(m.unit_n)))
    return {"layout": intervals.Layout(m.starts, m.unit_starts, m.unit_n, f),
            "inflation": unit_inflation(m, opts),
            "t_max": intervals.t_bound(np.diff(np.append(m.starts, len(m.value))))}


def tender_central_effect(m: MonitorSetup, c: dict) -> np.ndarray:
    """(tender,) each sampled tender's central effect [t CO2-eq]: modal factors, its criteria
    counted as the central estimate counts them (``c``: :func:`central_draw`)."""
    saving = equations.tender_effect(1.0, c["baseline_ef"][0], c["mvi_ef"][0])
    count = np.asarray(c["count"], dtype=float).reshape(-1)
    per_crit = count * m.crit_quantity * saving[m.crit_factor]
    return np.bincount(m.crit_tender, weights=per_crit, minlength=len(m.value))


def use_share(m: MonitorSetup, c: dict, d: dict, n_draws: int) -> tuple[np.ndarray, np.ndarray]:
    """The share of each stratum's spend that counts [-] (the use of :mod:`.decompose`):
    the weighted value of its sampled tenders with a central effect (``c``:
    :func:`central_draw`) over the weighted value of all its sampled tenders. Returns the
    central share (stratum,) and the draws (draw, stratum): the same, but in a stratum whose
    sample counts no effect the drawn share of the Jeffreys bound (``d['zero_share']``), which
    its draws' totals carry."""
    x = m.weight * m.value
    with np.errstate(divide="ignore", invalid="ignore"):
        central = equations.stratum_sums(x * (tender_central_effect(m, c) != 0), m.starts) \
            / equations.stratum_sums(x, m.starts)
    central = np.nan_to_num(central)
    draws = np.broadcast_to(central, (n_draws, len(central)))
    if "zero_share" in d:
        draws = np.where(np.isnan(d["zero_share"]), draws, d["zero_share"])
    return central, np.array(draws)


def _spend_and_use(m: MonitorSetup, c: dict, d: dict, n_draws: int) -> dict[str, tuple]:
    """Each stratum's spend (its frame total, and the drawn multiplier) and the share of it
    that counts (:func:`use_share`), centrally and per draw: the factors a change is split
    into (:mod:`.decompose`) besides the intensity."""
    use_c, use_d = use_share(m, c, d, n_draws)
    return {"pg_frame_total_eur": ("stratum", m.frame_total),
            "pg_in_frame_multiplier": (("draw", "stratum"), d["frame_multiplier"]),
            "pg_use_share_central": ("stratum", use_c),
            "pg_use_share": (("draw", "stratum"), use_d)}


def draw_monitor(m: MonitorSetup, opts, run, design, scenario: int = 0,
                 with_bootstrap: bool = True) -> dict:
    """Every drawn input of the monitor core (see :func:`monitor_core`): translation
    factors, frame totals, bootstrap weights (``with_bootstrap``), whether each criterion
    counts, and the share with an effect of strata whose sample shows none."""
    d = sample_monitor(m.sampled, m.factors, m.frames, opts, run.seed, run.n_draws, design,
                       scenario, with_bootstrap=with_bootstrap,
                       alpha=boot_alpha(m, opts) if with_bootstrap else None)
    n = run.n_draws
    if opts.unclear == "drawn":
        u = {}
        for name, outcome in (("unclear_contract", m.crit_contract),
                              ("unclear_beyond", m.crit_beyond)):
            cols = np.flatnonzero(outcome == -1)
            u[name] = np.zeros((n, len(m.crit_ids)))
            u[name][:, cols] = unit_block(run.seed, scenario, ("monitor", name),
                                          [m.crit_ids[c] for c in cols], n, "random")
        d["count"] = criterion_counts(m, opts, u["unclear_contract"], u["unclear_beyond"])
    else:
        d["count"] = criterion_counts(m, opts)
    if opts.bootstrap == "design":  # each unit keeps its share; its alpha sets the spread
        d["units"] = True
        if opts.interval == "studentized":
            d["studentized"] = studentized_setup(m, opts)
    else:  # sub-strata with a frame count resample within themselves; the correction
        d["fpc_scale"] = (equations.fpc_scale(m.segment_n, m.segment_frame)  # shrinks it
                          if opts.finite_population_correction else
                          np.where(np.isfinite(m.segment_frame), 1.0, np.nan))
    zero = zero_strata(m, d["count"])
    if zero.any() and opts.zero_effect_strata == "jeffreys" and opts.bootstrap != "none":
        cols = np.flatnonzero(zero)
        n_sampled = np.diff(np.append(m.starts, len(m.sampled)))[cols]
        share = np.full((n, len(m.frame_total)), np.nan)
        u = unit_block(run.seed, scenario, ("monitor", "zero_share"),
                       [m.stratum_ids[c] for c in cols], n, "random")
        share[:, cols] = equations.zero_stratum_share(u, n_sampled)
        d["zero_share"] = share
        d["zero_intensity"] = zero_stratum_intensity(m, d["count"])
        if m.annual:
            d["zero_intensity_per_year"] = zero_stratum_intensity(m, d["count"], per_year=True)
    return d


def _sample_checks(m: MonitorSetup, d: dict, opts, c: dict, run) -> dict[str, tuple]:
    """Per stratum, what the page says of its range: no upper bound (:func:`unbounded`),
    the interval's coverage on the sample's own pseudo-population (:func:`self_coverage`)
    and the sampled spend over the frame total (:func:`spend_ratio`)."""
    return {"pg_unbounded": ("stratum", unbounded(m, d, opts).astype(np.int8)),
            "pg_self_coverage": ("stratum", self_coverage(m, opts, c, run.seed, run.interval)),
            "pg_spend_ratio": ("stratum", spend_ratio(m))}


def unbounded(m: MonitorSetup, d: dict, opts) -> np.ndarray:
    """(stratum,) strata whose sample counts no effect and whose product group has no
    counted tender in any period estimated: no intensity bounds them, so they have no upper
    bound (the Jeffreys rule's; under ``zero_effect_strata: zero`` they are 0 by choice)."""
    zero = zero_strata(m, d["count"])
    if "zero_intensity" not in d:  # no zero stratum, or not the Jeffreys rule's
        return np.zeros(len(zero), dtype=bool)
    return zero & ~(d["zero_intensity"] > 0)


def self_coverage(m: MonitorSetup, opts, c: dict, seed: int, level: float) -> np.ndarray:
    """(stratum,) the coverage of the run's interval on the sample's own pseudo-population
    (:func:`~.coverage.self_check`, the tenders' central effects) [-]; NaN without the
    design bootstrap, where there is nothing to cover, or with the other indicators only."""
    if opts.bootstrap != "design":
        return np.full(len(m.frame_total), np.nan)
    stratum = np.searchsorted(m.starts, np.arange(len(m.value)), side="right") - 1
    census = (m.segment_n == m.segment_frame)[m.segment_of]
    return coverage.self_check(tender_central_effect(m, c), m.value, m.weight, stratum,
                               m.segment_of, census, opts.interval, seed, level)


def spend_ratio(m: MonitorSetup) -> np.ndarray:
    """(stratum,) the sampled tenders' value, weighted, over the frame total [-]
    (:func:`~.coverage.spend_ratio`); NaN where a sub-stratum's frame count is unknown (the
    weights are then no inclusion weights, and the sum stands for nothing)."""
    stratum = np.searchsorted(m.starts, np.arange(len(m.value)), side="right") - 1
    known = np.isfinite(m.segment_frame[m.segment_of])
    every = np.bincount(stratum, weights=(~known).astype(float),
                        minlength=len(m.frame_total)) == 0
    ratio = coverage.spend_ratio(m.value, m.weight, stratum, m.frame_total)
    return np.where(every, ratio, np.nan)


def sample_period_household_factors(inputs: Inputs, setup: MonitorSetup, run,
                                    scenario: int = 0, design: Design | None = None
                                    ) -> np.ndarray:
    """Household factor draws of each period's publication, (draw, period)
    [t CO2-eq per household]. Periods that share a publication share its draws: one
    physical quantity, drawn once."""
    return np.stack([sample_household_factor(inputs["household_factors"], h, run.seed,
                                             run.n_draws, design or run.sampler, scenario)
                     for h in setup.household_factor_ids], axis=1)


#: Draws evaluated at a time [-], at the most: the (draw x sampled tender) arrays of a block
#: stay near ``BLOCK_BYTES`` whatever the size of the sample.
BLOCK_BYTES = 16 * 2**20


def block_draws(n_tenders: int, n_draws: int) -> int:
    """Draws per block for ``n_tenders`` sampled tenders [-]: about 16 MiB per array."""
    return int(min(n_draws, max(1, BLOCK_BYTES // (8 * max(1, n_tenders)))))


def central_draw(m: MonitorSetup, opts, count=None) -> dict:
    """The central estimate's inputs as one draw: modal factors, no resampling, the frame
    totals as given (times ``frame_total_scale``), unclear criteria by their probability
    where the run draws them."""
    f = m.factors
    expected = replace(opts, unclear="expected") if opts.unclear == "drawn" else opts
    return {"boot": np.ones((1, len(m.value))),
            "baseline_ef": f["baseline_ef_mode"].to_numpy(float)[None, :],
            "mvi_ef": f["mvi_ef_mode"].to_numpy(float)[None, :],
            "frame_multiplier": np.full((1, len(m.frame_total)), opts.frame_total_scale),
            "count": criterion_counts(m, expected) if count is None else count}


def central_by(m: MonitorSetup, opts, labels: np.ndarray, values: tuple[str, ...]
               ) -> np.ndarray:
    """Central effect per period of the criteria of each label value, (period, value)
    [t CO2-eq]; they add up to the central total."""
    base = central_draw(m, opts)
    out = np.zeros((len(m.periods), len(values)))
    for k, v in enumerate(values):
        d = {**base, "count": base["count"] * (labels == v)}
        out[:, k] = monitor_core(d, m)[1][0]
    return out


def indicator_draws(m: MonitorSetup, inputs: Inputs, indicator: str, d: dict, opts, run,
                    scenario: int = 0) -> tuple[MonitorSetup, dict]:
    """Another indicator's setup and its own drawn inputs: its translation factors (plain
    random draws, named ``factor_id/indicator``) and, for strata without a counted effect,
    its intensity; everything else it shares with the run's CO2-eq draws."""
    mi = for_indicator(m, inputs, indicator)
    ids = [f"{f}/{indicator}" for f in mi.factors["key"]]
    base, mvi = sample_factor_pairs(mi.factors, ids, opts, run.seed, run.n_draws, "random",
                                    scenario)
    di = {"baseline_ef": base, "mvi_ef": mvi}
    if "zero_share" in d:
        di["zero_intensity"] = zero_stratum_intensity(mi, d["count"])
        if m.annual:
            di["zero_intensity_per_year"] = zero_stratum_intensity(mi, d["count"], per_year=True)
    return mi, di


def evaluate_monitor(params: Params, inputs: Inputs, scenario: int = 0,
                     block: int | None = None, design: Design | None = None,
                     per_year: bool = True) -> xr.Dataset:
    """Effect-monitor draws per stratum and per period, and the central (modal) estimate.

    The sampled tenders are resampled ``block`` draws at a time (default
    :func:`block_draws`), each block reduced to its strata before the next: memory grows with
    the draws times the strata, not with the draws times the sample. Every block size gives
    the same numbers, bit for bit. ``per_year=False`` leaves out the per-year figures (the
    variance budget's runs need the lifetime totals only); the others stay the same.
    """
    run, opts = params.run, params.monitor
    m = monitor_setup(inputs)
    if not per_year:
        m = replace(m, crit_years=np.full(len(m.crit_years), np.nan))
    design = design or run_design(params, inputs, scenario)
    d = draw_monitor(m, opts, run, design, scenario, with_bootstrap=False)
    extra = {i: indicator_draws(m, inputs, i, d, opts, run, scenario)
             for i in opts.indicators if i != "co2_eq"}
    draws = _draw_figures(m, d, extra, run, opts, scenario, block)
    c = central_draw(m, opts)  # the central estimate's inputs, once for its figures and SE
    central = _central_figures(m, c, extra)
    pg, totals, *yearly = draws.pop("co2_eq")
    pg_c, central_t, pg_cy, central_y = central.pop("co2_eq")
    hf = sample_period_household_factors(inputs, m, run, scenario, design)
    n_sampled, n_effect, n_class = _counts(m)
    data = {
        "pg_reduction_t": (("draw", "stratum"), pg),
        "pg_central_t": ("stratum", pg_c[0]),
        "pg_design_se_t": ("stratum", design_se(m, opts, c)),
        "pg_design_effect": ("stratum", design_effect(m, opts, c)),
        "pg_n_sampled": ("stratum", n_sampled),
        "pg_n_with_effect": ("stratum", n_effect),
        "pg_n_criteria": (("stratum", "criterion_class"), n_class),
        "pg_zero_effect": ("stratum", zero_strata(m, d["count"]).astype(np.int8)),
        **_sample_checks(m, d, opts, c, run),
        **_spend_and_use(m, c, d, run.n_draws),
        "period_total_t": (("draw", "period"), totals),
        "period_central_t": ("period", central_t[0]),
        **_breakdowns(m, opts),
        "period_household_factor": (("draw", "period"), hf),
        "period_households": (("draw", "period"), totals / hf),
        "mon_in_baseline_ef": (("draw", "factor"), d["baseline_ef"]),
        "mon_in_mvi_ef": (("draw", "factor"), d["mvi_ef"]),
    }
    if m.annual:
        data.update(_per_year_variables(yearly, pg_cy[0], central_y[0], hf))
    data.update(_indicator_variables(m, draws, central))
    return xr.Dataset(data, coords={
        "stratum": m.stratum_ids,
        "stratum_period": ("stratum", list(m.frames["period"])),
        "stratum_product_group": ("stratum", list(m.frames["product_group"])),
        "period": m.periods,
        "factor": list(m.factors["key"]),
        "criterion_class": list(CLASSES),
        "criterion_type": list(CRITERION_TYPES),
        "ambition": list(AMBITION_LEVELS),
        "unclear_option": list(UNCLEAR_OPTIONS),
    })


#: the ways of counting unclear criteria in the central estimate's breakdown
UNCLEAR_OPTIONS = ("none", "expected", "all")


def _breakdowns(m: MonitorSetup, opts) -> dict[str, tuple]:
    """The central estimate per period [t CO2-eq] by criterion type, by ambition level, and
    with the unclear criteria counted as none, by their probability or all."""
    crit = m.kept_criteria()
    by_unclear = np.stack([monitor_core(central_draw(m, replace(opts, unclear=u)), m)[1][0]
                           for u in UNCLEAR_OPTIONS], axis=1)
    return {
        "period_central_by_type_t": (("period", "criterion_type"), central_by(
            m, opts, crit["type"].to_numpy(object), CRITERION_TYPES)),
        "period_central_by_ambition_t": (("period", "ambition"), central_by(
            m, opts, crit["ambition"].to_numpy(object), AMBITION_LEVELS)),
        "period_central_by_unclear_t": (("period", "unclear_option"), by_unclear),
    }


def _per_year_variables(yearly: list, pg_central: np.ndarray, period_central: np.ndarray,
                        hf: np.ndarray) -> dict[str, tuple]:
    """CO2-eq per year of a criterion's life [t CO2-eq/yr]: draws per stratum and period
    (``yearly``), central estimates, and households per year (``hf`` [t CO2-eq per
    household per year])."""
    pg_y, totals_y = yearly
    return {
        "pg_reduction_t_per_year": (("draw", "stratum"), pg_y),
        "pg_central_t_per_year": ("stratum", pg_central),
        "period_total_t_per_year": (("draw", "period"), totals_y),
        "period_central_t_per_year": ("period", period_central),
        "period_households_per_year": (("draw", "period"), totals_y / hf),
    }


def _indicator_variables(m: MonitorSetup, draws: dict, central: dict) -> dict[str, tuple]:
    """The other indicators' draws and central estimates per stratum and per period (and per
    year where the criteria give years), in each indicator's own unit."""
    data: dict[str, tuple] = {}
    for i in draws:
        figs, c = draws[i], central[i]
        data.update({f"{i}_pg_reduction": (("draw", "stratum"), figs[0]),
                     f"{i}_pg_central": ("stratum", c[0][0]),
                     f"{i}_period_total": (("draw", "period"), figs[1]),
                     f"{i}_period_central": ("period", c[1][0])})
        if m.annual:
            data.update({f"{i}_period_total_per_year": (("draw", "period"), figs[3]),
                         f"{i}_period_central_per_year": ("period", c[3][0])})
    return data


def _draw_figures(m: MonitorSetup, d: dict, extra: dict, run, opts, scenario: int,
                  block: int | None) -> dict[str, list[np.ndarray]]:
    """Every indicator's draws, a block of draws at a time: per stratum and per period, and
    the same per year where the criteria have their years, (draw, stratum | period) [its
    unit]. CO2-eq is ``co2_eq``; the others use the same draws and weights, their own
    factors (``extra``: :func:`indicator_draws`)."""
    return _draws_of_sets(m, [(d, extra)], run, opts, scenario, block)[0]


def _draws_of_sets(m: MonitorSetup, sets: list[tuple[dict, dict]], run, opts, scenario: int,
                   block: int | None) -> list[dict[str, list[np.ndarray]]]:
    """:func:`_draw_figures` for several sets of drawn inputs (``(d, extra)`` each) that share
    the bootstrap weights: the weights are drawn once, block by block, for all of them (the
    variance budget's pick-freeze samples never move the weights)."""
    n = run.n_draws
    shapes = [(n, len(m.frame_total)), (n, len(m.periods))] * (2 if m.annual else 1)
    outs = [{i: [np.empty(s) for s in shapes] for i in ("co2_eq", *extra)}
            for _, extra in sets]
    size = block or block_draws(max(len(m.sampled), len(m.crit_ids)), n)
    blocks = (bootstrap_blocks(m.sampled, run.seed, scenario, n, run.sampler, size,
                               boot_alpha(m, opts))
              if opts.bootstrap != "none" else
              ((slice(a, min(a + size, n)), np.ones((min(size, n - a), len(m.sampled))))
               for a in range(0, n, size)))

    def rows_of(draws: dict, rows: slice) -> dict:
        return {k: (v[rows] if np.ndim(v) == 2 else v) for k, v in draws.items()
                if v is not None}

    for rows, boot in blocks:
        for (d, extra), out in zip(sets, outs, strict=True):
            rest = [(mi, rows_of(di, rows)) for mi, di in extra.values()]
            got = monitor_core({**rows_of(d, rows), "boot": boot}, m, rest)
            main, more = got if rest else (got, [])
            for arrays, figs in zip(out.values(), [main, *more], strict=True):
                for arr, x in zip(arrays, figs, strict=False):  # None at the end: no years
                    arr[rows] = x
    return outs


def period_totals(params: Params, inputs: Inputs, orders: list, scenario: int = 0,
                  block: int | None = None) -> list[dict[str, np.ndarray]]:
    """Each indicator's period totals (draw, period) [its unit, over the contracts'
    lifetime] for each row order of the inputs' points in ``orders`` (see
    :func:`~effectmodel.model.design.reordered`; None: as drawn), in one pass over the
    bootstrap weights, which no order moves. The variance budget's evaluations: the same
    numbers as :func:`evaluate_monitor` under each order."""
    run, opts = params.run, params.monitor
    m = monitor_setup(inputs)
    m = replace(m, crit_years=np.full(len(m.crit_years), np.nan))  # lifetime totals only
    design = run_design(params, inputs, scenario)
    sets = []
    for order in orders:
        with reordered(order):
            d = draw_monitor(m, opts, run, design, scenario, with_bootstrap=False)
            extra = {i: indicator_draws(m, inputs, i, d, opts, run, scenario)
                     for i in opts.indicators if i != "co2_eq"}
        sets.append((d, extra))
    outs = _draws_of_sets(m, sets, run, opts, scenario, block)
    return [{i: figs[1] for i, figs in out.items()} for out in outs]


def design_se(m: MonitorSetup, opts, c: dict) -> np.ndarray:
    """(stratum,) the design-based standard error of each stratum's central estimate
    [t CO2-eq] (:func:`~.equations.linearised_se`): the tenders' central effects (modal
    factors, unclear criteria as the central estimate counts them: ``c``, the
    :func:`central_draw`), their sampling weights and resampling units; no frame count where
    the correction is off."""
    effect = tender_central_effect(m, c)
    frame = m.unit_frame if opts.finite_population_correction else np.full(len(m.unit_n),
                                                                            np.nan)
    return equations.linearised_se(effect, m.value, m.weight, m.unit_starts, m.unit_n, frame,
                                   m.starts, m.frame_total * opts.frame_total_scale)


def design_effect(m: MonitorSetup, opts, c: dict) -> np.ndarray:
    """(stratum,) the design effect of each stratum's central estimate [-]: its design
    variance (:func:`design_se`) over the variance of a simple random sample of the same
    size from the stratum (one unit, equal weights, the stratum's frame count where every
    sub-stratum has one), both by linearisation on the same sample (Kish's deff); NaN where
    the simple random sample shows no spread."""
    effect = tender_central_effect(m, c)
    n = np.diff(np.append(m.starts, len(m.value))).astype(float)
    unit_stratum = np.searchsorted(m.starts, m.unit_starts, side="right") - 1
    frame = np.bincount(unit_stratum, weights=m.unit_frame, minlength=len(m.starts))
    if not opts.finite_population_correction:
        frame = np.full(len(n), np.nan)
    srs = equations.linearised_se(effect, m.value, np.ones(len(m.value)), m.starts, n, frame,
                                  m.starts, m.frame_total * opts.frame_total_scale)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(srs > 0, (design_se(m, opts, c) / srs) ** 2, np.nan)


def _central_figures(m: MonitorSetup, c: dict, extra: dict) -> dict[str, tuple]:
    """Every indicator's central figures (modal factors, no resampling), as
    :func:`monitor_core` returns them, by indicator."""
    modes = [(mi, {"baseline_ef": mi.factors["baseline_ef_mode"].to_numpy(float)[None, :],
                   "mvi_ef": mi.factors["mvi_ef_mode"].to_numpy(float)[None, :]})
             for mi, _ in extra.values()]
    got = monitor_core(c, m, modes)
    main, more = got if modes else (got, [])
    return dict(zip(("co2_eq", *extra), [main, *more], strict=True))


def _counts(m: MonitorSetup) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per stratum: sampled tenders, tenders with a criterion that counts for sure, and
    criteria by class (:data:`CLASSES`)."""
    n_sampled = np.diff(np.append(m.starts, len(m.sampled)))
    sure = ((m.crit_contract == 1) & (m.crit_beyond == 1)).astype(float)
    counted = np.bincount(m.crit_tender, weights=sure, minlength=len(m.sampled)) > 0
    n_effect = np.add.reduceat(counted.astype(int), m.starts)
    cls = classify(m)
    n_class = np.stack([equations.segment_sums((cls == k).astype(float), m.crit_starts,
                                             len(m.frame_total))
                        for k in range(len(CLASSES))], axis=1).astype(int)
    return n_sampled, n_effect, n_class
