"""Helpers shared by the benchmark scripts."""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(fn) -> float:
    """Wall time [s] of one call of ``fn``."""
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


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


def award_sweep(path: Path, points: int, draws: int, chunk_size: int = 8) -> Path:
    """The benchmarks' sweep of the buyer groups' two risks: ``points`` LHS points of the
    award probability and the additionality (0.3-1.0 each) on the reference model."""
    return write_sweep(
        path, name="bench", draws=draws, chunk_size=chunk_size,
        design=f"{{method: lhs, n: {points}, seed: 1}}",
        parameters="  buyer_groups.award_probability: {low: 0.3, high: 1.0}\n"
                   "  buyer_groups.additionality: {low: 0.3, high: 1.0}\n",
        outputs="[bg_total_t, period_total_t]")


def _timed(cmd: list[str]) -> tuple[float, float | None, str]:
    """(wall time [s], peak RSS [MB] or None, stdout) of a command, under ``/usr/bin/time
    -v`` where present; stops the script with the command's stderr when it fails."""
    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if timer:
        cmd = [timer, "-v", *cmd]
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(r.stderr[-2000:])
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
    return wall, (int(m.group(1)) / 1024 if m else None), r.stdout.strip()


def timed_effectmodel(args: list[str]) -> tuple[float, float | None, str]:
    """(wall time [s], peak RSS [MB] or None, stdout) of an ``effectmodel`` command run as a
    subprocess (:func:`_timed`)."""
    return _timed([str(Path(sys.executable).with_name("effectmodel")), *args])


def timed_python(code: str, *args: str) -> tuple[float, float | None]:
    """(wall time [s], peak RSS [MB] or None) of Python code run as a subprocess, measured
    as :func:`timed_effectmodel` measures a command."""
    return _timed([sys.executable, "-c", code, *args])[:2]
