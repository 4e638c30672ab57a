"""Helpers shared by the benchmark scripts."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def median_time(fn, repeats: int):
    """(median wall time [s] over ``repeats`` calls, the last result)."""
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def write_sweep(path: Path, *, name: str, draws: int, design: str, parameters: str,
                outputs: str, chunk_size: int = 8) -> Path:
    """A sweep file on the reference model."""
    path.write_text(
        f"schema_version: 1\nname: {name}\ntitle: {name} benchmark\n"
        f"base: {ROOT / 'params' / 'reference.yaml'}\ndraws: {draws}\n"
        f"chunk_size: {chunk_size}\ndesign: {design}\nparameters:\n{parameters}"
        f"outputs: {outputs}\n")
    return path
