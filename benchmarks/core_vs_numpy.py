"""Benchmark: the Monte Carlo core against a plain NumPy implementation of the same formulas,
on the same draws of the reference model. Prints the speed ratio (core / NumPy; 1.0 = as fast,
0.5 = half as fast). Times are medians of several repeats; the ratio, not the seconds, is the
result (machines here are shared and noisy).

    .venv/bin/python benchmarks/core_vs_numpy.py [--draws N] [--repeats R]
"""

from __future__ import annotations

import argparse

import numpy as np
from timing import ROOT, median_time

import effectmodel as em
from effectmodel.model import engine, monitor
from effectmodel.model.sampling import sample_buyer_groups


def numpy_buyer_groups(q, ef, rf, award, add, group_index, n_groups):
    """Plain NumPy: per-tender product, then per-group and total sums."""
    red = award * q * ef * rf * add
    groups = np.zeros((red.shape[0], n_groups))
    for j in range(red.shape[1]):
        groups[:, group_index[j]] += red[:, j]
    return red, groups, red.sum(axis=1)


def numpy_monitor(base, mvi, boot, mult, count, q, fi, tender, value, weight, frame, stratum,
                  period_of, segment, scale, zero_share, zero_intensity):
    """Plain NumPy: bootstrap weights normalised and shrunk per sub-stratum with a frame
    count (``scale`` finite), each criterion's effect added to its tender, weighted sums per
    stratum with loops over strata, strata without a counted effect from their share."""
    boot = boot.copy()
    for h in np.flatnonzero(np.isfinite(scale)):
        cols = segment == h
        b = boot[:, cols] / boot[:, cols].mean(axis=1, keepdims=True)
        boot[:, cols] = 1 + scale[h] * (b - 1)
    effect = np.zeros((base.shape[0], value.size))
    np.add.at(effect.T, tender, (count * q * (base[:, fi] - mvi[:, fi])).T)
    w = weight * boot
    num, den = w * effect, w * value
    n_strata = frame.size
    pg = np.empty((effect.shape[0], n_strata))
    for s in range(n_strata):
        cols = stratum == s
        pg[:, s] = num[:, cols].sum(axis=1) / den[:, cols].sum(axis=1)
    pg *= frame * mult
    if zero_share is not None:
        pg = np.where(np.isnan(zero_share), pg, np.nan_to_num(zero_share) * zero_intensity
                      * frame * mult)
    totals = np.stack([pg[:, period_of == p].sum(axis=1) for p in np.unique(period_of)], axis=1)
    return pg, totals


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=20_000)
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    params = em.load_params(ROOT / "params" / "reference.yaml", n_draws=args.draws)
    inputs = em.load_inputs(params)
    run = params.run

    # --- the same draws for both ---
    tenders = inputs["buyer_group_tenders"]
    x = sample_buyer_groups(tenders, params.buyer_groups, run.seed, run.n_draws, run.sampler)
    order = engine.quantified_groups(inputs)
    gi = np.array([order.index(g) for g in tenders["buyer_group"]])
    arrays = [x[v].values for v in ("quantity", "emission_factor", "reduction_fraction",
                                    "award", "additionality")]
    m = monitor.monitor_setup(inputs)
    sampled, starts = m.sampled, m.starts
    d = monitor.draw_monitor(m, params.monitor, run, run.sampler)
    q, fi, value, weight, frame_t = m.crit_quantity, m.crit_factor, m.value, m.weight, \
        m.frame_total
    period_of = m.frames["period"].map(m.periods.index).to_numpy()
    stratum = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(sampled))))

    def core():
        _, groups, total = engine.buyer_group_core(x, order)
        pg, totals, _, _ = monitor.monitor_core(d, m)
        return groups.values, total.values, pg, totals

    def plain():
        _, groups, total = numpy_buyer_groups(*arrays, gi, len(order))
        pg, totals = numpy_monitor(d["baseline_ef"], d["mvi_ef"], d["boot"],
                                   d["frame_multiplier"], d["count"], q, fi, m.crit_tender,
                                   value, weight, frame_t, stratum, period_of,
                                   m.segment_of, d["fpc_scale"], d.get("zero_share"),
                                   d.get("zero_intensity"))
        return groups, total, pg, totals

    core(), plain()  # warm up
    t_core, a = median_time(core, args.repeats)
    t_np, b = median_time(plain, args.repeats)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_allclose(u, v, rtol=1e-12)
    print(f"draws: {args.draws}, tenders: {len(sampled)} sampled + {len(tenders)} buyer-group, "
          f"strata: {len(starts)}")
    print(f"core (effectmodel) median: {t_core * 1e3:.1f} ms; plain NumPy median: "
          f"{t_np * 1e3:.1f} ms (same draws, same results to 1e-12)")
    print(f"speed ratio core/NumPy = {t_np / t_core:.2f} (goal: >= 0.5)")


if __name__ == "__main__":
    main()
