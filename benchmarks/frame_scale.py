"""Benchmark: a sampling frame and a stratified sample from a seeded synthetic tender list of
N announcements (default 1,000,000) with realistic CPV codes: the product groups' codes of
data/cpv_product_groups.csv (and codes below them) and other CPV divisions the map does not
know; one to three announcements per tender, some with lots, estimated and awarded values.

Prints the time and peak memory of `effectmodel frame` and `effectmodel sample` (subprocesses,
`/usr/bin/time -v` where present), the unknown-CPV report's head, and the Horvitz-Thompson
check: per stratum, the sum of 1/pi over the sample against the frame count (exact), and the
HT estimate of the frame's total value against the frame total over several seeds.

    .venv/bin/python benchmarks/frame_scale.py [--rows N] [--n SAMPLE]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from timing import ROOT, timed_effectmodel

# CPV codes the map does not know (real CPV 2008 divisions): works, architecture, health,
# cleaning, business services, printing, laboratory equipment, medical equipment
OTHER = ["45000000", "71000000", "85100000", "90910000", "79400000", "22000000", "38000000",
         "33100000", "50000000", "80500000"]


def tender_list(path: Path, rows: int, seed: int = 3) -> None:
    """Write a synthetic tender list with OCDS paths as headers (the default column map)."""
    rng = np.random.default_rng(seed)
    known = pd.read_csv(ROOT / "data" / "cpv_product_groups.csv", dtype=str)["cpv"].tolist()
    # below a known code: a more detailed code of the same class (e.g. 34111000)
    detail = [c[:4] + f"{k}" + c[5:] if c[4] == "0" else c for c in known for k in (1, 2)]
    codes = np.array(known + detail + OTHER)
    p = np.r_[np.full(len(known) + len(detail), 0.7 / (len(known) + len(detail))),
              np.full(len(OTHER), 0.3 / len(OTHER))]
    n_tenders = int(rows / 1.6)
    per = rng.choice([1, 2, 3], size=n_tenders, p=[0.55, 0.3, 0.15])
    tid = np.repeat(np.arange(n_tenders), per)[:rows]
    n = len(tid)
    cpv = codes[rng.choice(len(codes), size=n_tenders, p=p)][tid]
    start = np.datetime64("2016-01-01") + rng.integers(0, 7 * 365, n_tenders)
    step = np.concatenate([np.arange(k) for k in per])[:n] * 60
    date = (start[tid] + step).astype(str)
    est = np.round(rng.lognormal(12, 1.5, n_tenders), 2)[tid]
    last = np.r_[tid[1:] != tid[:-1], True]
    awarded = np.where(last & (rng.random(n) < 0.7), np.round(est * rng.uniform(0.8, 1.2, n), 2),
                       np.nan)
    lot = np.where(rng.random(n_tenders) < 0.1, "L1", "")[tid]
    df = pd.DataFrame({"ocid": [f"ocds-syn-{t:07d}" for t in tid], "tender/lots/id": lot,
                       "date": date, "tender/classification/id": [f"{c}-1" for c in cpv],
                       "tender/value/amount": np.where(last & ~np.isnan(awarded), "", est),
                       "buyer/name": [f"buyer {b}" for b in rng.integers(0, 500, n)],
                       "awards/value/amount": awarded})
    df.to_csv(path, index=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--n", type=int, default=1000)
    args = ap.parse_args()
    from effectmodel.model import frame as fr

    with tempfile.TemporaryDirectory() as t:
        t = Path(t)
        src = t / "tenders.csv"
        tender_list(src, args.rows)
        print(f"tender list: {args.rows:,} announcements, {src.stat().st_size / 1e6:.0f} MB")
        wall, rss, said = timed_effectmodel(["frame", str(src), "--period", "2019-2020",
                                     "--out", str(t / "frame")])
        print(f"frame: {wall:.1f} s, peak RSS {rss:.0f} MB\n  {said}")
        print(pd.read_csv(t / "frame" / "unknown_cpv.csv").head(5).to_string(index=False))
        wall, rss, said = timed_effectmodel(["sample", str(t / "frame" / "frame_units.csv"), "--n",
                                     str(args.n), "--seed", "1", "--out", str(t / "sample")])
        print(f"sample: {wall:.1f} s, peak RSS {rss:.0f} MB\n  {said}")
        units = pd.read_csv(t / "frame" / "frame_units.csv", dtype={"lot": str, "cpv": str},
                            keep_default_na=False)
        units["value"] = pd.to_numeric(units["value"])
        design = pd.read_csv(t / "sample" / "sample_design.csv", keep_default_na=False)
        strata = fr.strata_of(units).value_counts()
        got = (1 / design["pi"]).groupby(fr.strata_of(design)).sum()
        worst = float((got / strata.reindex(got.index) - 1).abs().max())
        print(f"sum of 1/pi against N_h, {len(got)} strata: largest relative gap {worst:.1e}")
        n_h = fr.allocate(units, args.n)
        total = units["value"].sum()
        ht = [(lambda d: (d["value"] / d["pi"]).sum())(fr.draw(units, n_h, s))
              for s in range(50)]
        print(f"Horvitz-Thompson total over 50 seeds: mean {np.mean(ht) / total - 1:+.2%} of "
              f"the frame total (sd of one sample {np.std(ht) / total:.1%}, so the mean's SE "
              f"{np.std(ht) / total / np.sqrt(50):.1%})")


if __name__ == "__main__":
    main()
