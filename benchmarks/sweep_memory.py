"""Peak memory of a large sweep of the reference model (default 1,000 scenarios x 2,000 draws),
run as a child process; prints the child's peak resident set size.

    .venv/bin/python benchmarks/sweep_memory.py [--scenarios 1000] [--draws 2000] [--workers 1]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import write_sweep


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", type=int, default=1000)
    ap.add_argument("--draws", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--chunk-size", type=int, default=8)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="effectmodel-mem-"))
    try:
        spec = write_sweep(
            tmp / "mem.yaml", name="mem", draws=args.draws, chunk_size=args.chunk_size,
            design=f"{{method: lhs, n: {args.scenarios}, seed: 1}}",
            parameters="  buyer_groups.award_probability: {low: 0.3, high: 1.0}\n"
                       "  monitor.frame_total_scale: {low: 0.8, high: 1.2}\n",
            outputs="[bg_total_t, bg_households, period_total_t, period_households]")
        t0 = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "effectmodel"), "sweep", str(spec),
                        "--out", str(tmp / "out"), "--workers", str(args.workers)], check=True)
        elapsed = time.perf_counter() - t0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"scenarios: {args.scenarios}, draws: {args.draws}, chunk size: {args.chunk_size}, "
          f"workers: {args.workers}")
    print(f"peak RSS of the largest process: {peak_mb:.0f} MB (goal < 2048 MB); "
          f"time {elapsed:.0f} s")


if __name__ == "__main__":
    main()
