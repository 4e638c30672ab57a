"""Benchmark: the no-op build of the reference project (nothing changed, nothing executes).
Prints the median wall time of several runs of the command, as a user or CI runs it.

    .venv/bin/python benchmarks/build_noop.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    exe = str(Path(sys.executable).parent / "effectmodel")
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        r = subprocess.run([exe, "build"], cwd=ROOT, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if "0 built" not in r.stdout:
            raise SystemExit(f"not a no-op build: {r.stdout}")
    print(f"no-op build: median {statistics.median(times):.2f} s over {args.runs} runs "
          f"(min {min(times):.2f}, max {max(times):.2f}); goal < 2 s")


if __name__ == "__main__":
    main()
