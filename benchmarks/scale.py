"""Benchmark: a seeded synthetic sample of N sampled tenders (default 1,000,000), made by
resampling the reference rows with new tender ids, in a copy of the reference project.

Prints, in one run of this script:
- `effectmodel validate` time as a ratio to `pandas.read_csv` of the two files that grow
  (sampled tenders and their criteria; in-process, both; target <= 5);
- with `--run`, the peak RSS of `effectmodel run --draws D` (a subprocess, measured by
  `/usr/bin/time -v` when present) and its time per (draw x tender) against the reference
  data set's.

    .venv/bin/python benchmarks/scale.py [--rows N] [--run] [--draws D]
"""

from __future__ import annotations

import argparse
import csv
import shutil
import tempfile
from pathlib import Path

import numpy as np
from timing import ROOT, timed, timed_effectmodel


def make_project(folder: Path, rows: int, seed: int = 1) -> Path:
    """A copy of the reference project whose sampled_tenders.csv has ``rows`` rows, each a
    reference tender under a new id, with that tender's criteria (criteria.csv) renamed too."""
    for name in ("params", "data", "notebooks"):
        shutil.copytree(ROOT / name, folder / name)
    with (ROOT / "data" / "sampled_tenders.csv").open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        base = list(reader)
    with (ROOT / "data" / "criteria.csv").open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        c_header = next(reader)
        criteria: dict[tuple[str, str], list[list[str]]] = {}
        for row in reader:
            criteria.setdefault((row[0], row[1]), []).append(row)
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(base), rows)
    tid, per = header.index("tender_id"), header.index("period")
    with (folder / "data" / "sampled_tenders.csv").open("w", newline="",
                                                        encoding="utf-8") as fh, \
            (folder / "data" / "criteria.csv").open("w", newline="", encoding="utf-8") as fc:
        w, wc = csv.writer(fh, lineterminator="\n"), csv.writer(fc, lineterminator="\n")
        w.writerow(header)
        wc.writerow(c_header)
        for i, k in enumerate(pick):
            row = list(base[k])
            new_id = f"syn-{i:07d}"
            for c in criteria.get((row[per], row[tid]), []):
                wc.writerow([c[0], new_id, *c[2:]])
            row[tid] = new_id
            w.writerow(row)
    # frame counts grow with the sample: each sub-stratum keeps its sampling fraction
    sub = header.index("sub_stratum")
    n_now: dict[str, int] = {}
    for k in pick:
        n_now[base[k][sub]] = n_now.get(base[k][sub], 0) + 1
    n_ref = {h: sum(1 for r in base if r[sub] == h) for h in n_now if h}
    with (ROOT / "data" / "sub_strata.csv").open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        s_header = next(reader)
        s_rows = [[*r[:3], str(max(n_now.get(r[2], 0),
                                   int(np.ceil(int(r[3]) * n_now.get(r[2], 0)
                                               / n_ref.get(r[2], 1))))), *r[4:]]
                  for r in reader]
    with (folder / "data" / "sub_strata.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(s_header)
        w.writerows(s_rows)
    return folder / "params" / "reference.yaml"


def run(params: Path, out: Path, draws: int) -> tuple[float, float | None]:
    """(wall time [s], peak RSS [MB] or None) of `effectmodel run`."""
    wall, rss, _ = timed_effectmodel(["run", str(params), "--out", str(out), "--draws",
                                      str(draws)])
    return wall, rss


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--run", action="store_true")
    ap.add_argument("--draws", type=int, default=2000)
    args = ap.parse_args()
    import pandas as pd

    import effectmodel as em

    with tempfile.TemporaryDirectory() as t:
        params = make_project(Path(t) / "proj", args.rows)
        data = params.parent.parent / "data"
        tables = [data / "sampled_tenders.csv", data / "criteria.csv"]  # the two that grow
        t_read = timed(lambda: [pd.read_csv(f, dtype=str, keep_default_na=False)
                                for f in tables])
        t_validate = timed(lambda: em.load_inputs(em.load_params(params)))
        size = sum(f.stat().st_size for f in tables) / 1e6
        with tables[1].open("rb") as fh:
            n_criteria = sum(1 for _ in fh) - 1
        print(f"{args.rows:,} sampled tenders and their {n_criteria:,} criteria ({size:.0f} MB)")
        print(f"validate: {t_validate:.2f} s; pandas.read_csv of the two files: {t_read:.2f} s; "
              f"ratio {t_validate / t_read:.1f} (target <= 5)")
        if args.run:
            wall, rss = run(params, Path(t) / "out", args.draws)
            ref_wall, ref_rss = run(ROOT / "params" / "reference.yaml", Path(t) / "ref",
                                    args.draws)
            n_ref = sum(1 for _ in (ROOT / "data" / "sampled_tenders.csv").open()) - 1
            print(f"run --draws {args.draws}: {wall:.1f} s, peak RSS "
                  f"{rss:.0f} MB" if rss else f"run: {wall:.1f} s")
            print(f"reference ({n_ref} tenders): {ref_wall:.1f} s, peak RSS "
                  f"{ref_rss:.0f} MB" if ref_rss else f"reference: {ref_wall:.1f} s")
            per = (wall - ref_wall) / (args.draws * (args.rows - n_ref)) * 1e9
            print(f"time per extra (draw x tender): {per:.1f} ns")


if __name__ == "__main__":
    main()
