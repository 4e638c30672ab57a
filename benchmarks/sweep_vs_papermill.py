"""Benchmark: a 200-point sweep of the reference model, as users do it today (one papermill
execution of the briefing notebook per point) against ``effectmodel sweep``. Prints the ratio.

The papermill side is timed on a subset of points (``--papermill-points``, default 4) and
scaled linearly to all points: each execution is independent (a kernel start, the imports and
the run), so its time is linear in the number of points.

    .venv/bin/python benchmarks/sweep_vs_papermill.py [--points 200] [--draws 1000] [--workers 1]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import ROOT, award_sweep

BIN = Path(sys.executable).parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=200)
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--papermill-points", type=int, default=4)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="effectmodel-bench-"))
    try:
        spec = award_sweep(tmp / "bench.yaml", args.points, args.draws)
        t0 = time.perf_counter()
        subprocess.run([str(BIN / "effectmodel"), "sweep", str(spec), "--out", str(tmp / "sw"),
                        "--workers", str(args.workers)], check=True, cwd=ROOT)
        t_sweep = time.perf_counter() - t0

        from effectmodel.inputs.sweepfile import load_sweep
        from effectmodel.model.scenarios import design

        scenarios = design(load_sweep(spec))
        k = min(args.papermill_points, len(scenarios))
        t0 = time.perf_counter()
        for i in range(k):
            ov = scenarios[i]
            cmd = [str(BIN / "papermill"), "notebooks/briefing.ipynb", str(tmp / f"p{i}.ipynb"),
                   "-p", "params_path", "params/reference.yaml", "-p", "n_draws",
                   str(args.draws), "-p", "output_dir", str(tmp / f"p{i}"),
                   "-y", "overrides: " + repr(ov).replace("'", '"'), "--no-progress-bar"]
            subprocess.run(cmd, check=True, cwd=ROOT, capture_output=True)
        t_pm = (time.perf_counter() - t0) / k
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    total_pm = t_pm * args.points
    print(f"points: {args.points}, draws per point: {args.draws}, workers: {args.workers}")
    print(f"effectmodel sweep (end to end, report included): {t_sweep:.1f} s")
    print(f"papermill per point: {t_pm:.2f} s (measured on {k} points), scaled to "
          f"{args.points} points: {total_pm:.0f} s")
    print(f"speed ratio papermill / effectmodel sweep = {total_pm / t_sweep:.0f}x (goal >= 300)")


if __name__ == "__main__":
    main()
