"""Benchmark: `effectmodel run params/reference.yaml` against its floor and its core, in one
run of this script (the machine is shared and noisy: compare the three, not the seconds).

- run: the whole command line, in a subprocess, into a temporary folder;
- floor: papermill + nbconvert of three trivial notebooks (one print each), the three side by
  side as `run` executes its pages, each in a fresh kernel;
- core: load + evaluate + summarise in-process.

Target: run <= floor + 1.3 x core, met by the algorithm, not by machinery: a run is one
process plus the kernels papermill starts (docs/design.md). If it misses, report by how much.

    .venv/bin/python benchmarks/run_vs_floor.py [--repeats R]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from timing import ROOT, timed

PARAMS = ROOT / "params" / "reference.yaml"


def trivial_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = None", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("print('hello')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


def floor(folder: Path) -> None:
    import papermill
    from nbconvert import HTMLExporter

    def one(i: int) -> None:
        src = folder / f"trivial-{i}.ipynb"
        nbformat.write(trivial_notebook(), src)
        nb = papermill.execute_notebook(str(src), str(folder / f"out-{i}.ipynb"),
                                        parameters={"x": i}, progress_bar=False,
                                        kernel_name="python3")
        (folder / f"out-{i}.html").write_text(HTMLExporter().from_notebook_node(nb)[0])

    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(one, (0, 1, 2)))


def core() -> None:
    import effectmodel as em

    params = em.load_params(PARAMS)
    inputs = em.load_inputs(params)
    em.summarise(em.evaluate(params, inputs), params, inputs)


def run(folder: Path) -> None:
    exe = Path(sys.executable).with_name("effectmodel")
    subprocess.run([str(exe), "run", str(PARAMS), "--out", str(folder / "report")],
                   check=True, capture_output=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    rounds = []
    with tempfile.TemporaryDirectory() as t:
        folder = Path(t)
        core()  # warm the imports and caches the run's own process also pays for once
        floor(folder)
        # the three one after another in each round: this machine's speed drifts by up to 2x
        # within minutes, so a round compares figures taken seconds apart
        for _ in range(args.repeats):
            rounds.append((timed(core), timed(lambda: floor(folder)),
                           timed(lambda: run(folder))))
    t_core, t_floor, t_run = (statistics.median(r[i] for r in rounds) for i in range(3))
    ratios = [r / (f + 1.3 * c) for c, f, r in rounds]
    print(f"run   (effectmodel run, 10,000 draws): {t_run:6.2f} s")
    print(f"floor (papermill + nbconvert, 3 trivial notebooks): {t_floor:6.2f} s")
    print(f"core  (load + evaluate + summarise in-process): {t_core:6.2f} s")
    print(f"run / (floor + 1.3 x core) = {statistics.median(ratios):.2f} (target <= 1; "
          f"median of the rounds: {', '.join(f'{x:.2f}' for x in ratios)}); "
          f"run - floor = {(t_run - t_floor) / t_core:.2f} x core")


if __name__ == "__main__":
    main()
