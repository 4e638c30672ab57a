"""Benchmark: one sweep of the reference model on two local worker processes
(``--workers 2``) against a dask.distributed cluster of two single-threaded worker
processes on 127.0.0.1 (``--scheduler``). Prints the ratio dask / local (goal <= 1.2) and
checks that both give the same numbers, bit for bit.

The cluster is started before the timed command (as a user's cluster is running already);
its workers import effectmodel and load the base params on their first chunk, as the local
workers do, so both times include that.

    .venv/bin/python benchmarks/sweep_dask.py [--points 192] [--draws 1000] [--chunk 8]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import xarray as xr
from timing import ROOT, award_sweep

BIN = Path(sys.executable).parent


def timed_sweep(spec: Path, out: Path, *extra: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([str(BIN / "effectmodel"), "sweep", str(spec), "--out", str(out), *extra],
                   check=True, cwd=ROOT, capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    from distributed import Client, LocalCluster

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=192)
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--chunk", type=int, default=8)
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="effectmodel-bench-"))
    try:
        spec = award_sweep(tmp / "bench.yaml", args.points, args.draws, args.chunk)
        local, remote = [], []
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          host="127.0.0.1", dashboard_address=None) as cluster:
            for r in range(args.repeats):  # alternated, so drift in the machine hits both
                local.append(timed_sweep(spec, tmp / f"local{r}", "--workers", "2"))
                with Client(cluster) as client:  # fresh workers, as the local ones are
                    client.restart()
                remote.append(timed_sweep(spec, tmp / f"dask{r}", "--scheduler",
                                          cluster.scheduler_address))
        with xr.open_dataset(tmp / "local0" / "sweep.nc") as a, \
                xr.open_dataset(tmp / "dask0" / "sweep.nc") as b:
            for name in ("bg_total_t", "period_total_t"):
                np.testing.assert_array_equal(a[name].values, b[name].values)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    lo, re_ = min(local), min(remote)
    print(f"points: {args.points}, draws: {args.draws}, chunk: {args.chunk}")
    print(f"local, 2 workers: {', '.join(f'{t:.1f}' for t in local)} s")
    print(f"dask, 2 workers:  {', '.join(f'{t:.1f}' for t in remote)} s (same numbers)")
    print(f"ratio dask / local (best of {args.repeats}) = {re_ / lo:.2f} (goal <= 1.2)")


if __name__ == "__main__":
    main()
