"""Parameter sweeps: a ``scenario`` dimension over one vectorised computation.

A sweep file names a base params file, the parameters to vary (by the dotted paths of
``--set``), the design (grid, explicit list, Latin hypercube or Sobol via SALib), the draws and
the outputs to keep. Scenarios run in chunks; each chunk stacks its scenarios' draws along a
leading ``scenario`` axis and evaluates the Monte Carlo core once. Each scenario's draws come
from (seed, scenario index), so the numbers are the same bit for bit whatever the chunk size,
the number of workers or the scheduler. Finished chunks are kept in a work folder, so an
interrupted sweep resumes (``--resume``) without computing a chunk twice; a scenario whose
overrides are invalid is recorded with its reason and the others complete.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import xarray as xr
from tqdm import tqdm

from effectmodel.domain.errors import InputError, Problem, raise_if
from effectmodel.domain.inputdata import Inputs
from effectmodel.domain.params import Params
from effectmodel.domain.paths import input_label
from effectmodel.domain.sweepspec import OUTPUT_PARTS, SweepSpec, part_problems
from effectmodel.inputs.data import load_inputs
from effectmodel.inputs.hashing import code_hash
from effectmodel.inputs.paramsfile import load_params
from effectmodel.inputs.sweepfile import load_sweep
from effectmodel.model.scenarios import attach_parameters, chunks, design, evaluate_scenarios
from effectmodel.pipeline.atomic import MARKER, check_output, marker_text, owned, target
from effectmodel.pipeline.staging import staged_file


def load(path: str | Path) -> tuple[SweepSpec, Params, Inputs]:
    """A sweep file, its base params (with the sweep's draws and seed) and their inputs. A
    sweep that sets no interval takes the base params' ``run.interval``."""
    spec = load_sweep(path)
    base = load_params(spec.base, n_draws=spec.draws, seed=spec.seed)
    if spec.outputs_default:  # the totals of the parts the base holds
        spec = dataclasses.replace(spec, outputs=tuple(
            o for o in spec.outputs if OUTPUT_PARTS[o] in base.parts))
    raise_if(part_problems(spec, base.parts))
    if spec.interval is None:
        spec = dataclasses.replace(spec, interval=base.run.interval)
    return spec, base, load_inputs(base)


# --------------------------------------------------------------------------------------------
# Running a chunk in a worker (local process or dask) and the sweep as a whole
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def running_code() -> str:
    """The hash of the package's code as this process first used it for a sweep [hex] (a
    long-lived worker keeps running the code it imported)."""
    return code_hash()


def base_fingerprint(params: Params, inputs: Inputs, code: str) -> str:
    """Everything a chunk's numbers depend on besides its scenarios, as canonical JSON: the
    resolved params, every data file and the code (their SHA-256)."""
    return json.dumps({"params": params.sha256, "inputs": dict(inputs.sha256), "code": code},
                      sort_keys=True)


@lru_cache(maxsize=4)
def _base(params_path: str, draws: int, seed: int | None, fingerprint: str
          ) -> tuple[Params, Inputs]:
    """The base params and data, loaded once per process and ``fingerprint``
    (:func:`base_fingerprint`).
    Raises :class:`InputError` when what this process loads is not what the sweep started
    with (a data file edited since, or a worker running other code)."""
    params = load_params(params_path, n_draws=draws, seed=seed)
    inputs = load_inputs(params)
    mine = json.loads(base_fingerprint(params, inputs, running_code()))
    want = json.loads(fingerprint)
    if mine != want:
        label = input_label(params.path, params.path)
        changed = sorted(k for k in want["inputs"] if mine["inputs"].get(k) != want["inputs"][k])
        if mine["params"] != want["params"]:
            changed.insert(0, label)
        what = (", ".join(changed) + " changed since the sweep started" if changed
                else "this worker runs other effectmodel code than the sweep")
        raise InputError([Problem(label, "(sweep)", f"{what} (allowed: inputs and "
                                  "code that stay as they are while a sweep runs; restart "
                                  "long-lived dask workers after a code change)")])
    return params, inputs


def compute_chunk(params_path: str, draws: int, seed: int | None, fingerprint: str,
                  overrides: list[dict], indices: list[int], outputs: list[str],
                  interval: float, common: bool = True) -> xr.Dataset:
    """One chunk, in any process: loads the base (cached per process and ``fingerprint``,
    see :func:`base_fingerprint`; not ``key``, which dask's ``submit`` takes for itself) and
    evaluates."""
    base, inputs = _base(params_path, draws, seed, fingerprint)
    return evaluate_scenarios(base, inputs, overrides, indices, outputs, interval, common)


def _write_atomic_nc(ds: xr.Dataset, path: Path) -> None:
    ds = ds.copy()
    ds["status"] = ds["status"].astype(str)
    with staged_file(path) as tmp:
        ds.to_netcdf(tmp, engine="scipy")


def _read_nc(path: Path) -> xr.Dataset:
    with xr.open_dataset(path, engine="scipy") as ds:
        out = ds.load()
    out["status"] = out["status"].astype(object)
    return out


def run_chunks(tasks: list[tuple[int, dict]], workers: int | None, scheduler: str | None,
               on_done: Callable[[int, xr.Dataset], None]) -> None:
    """Run chunk tasks (chunk id, kwargs of :func:`compute_chunk`) serially, in local worker
    processes, or on a dask.distributed cluster; ``on_done`` is called in this process as each
    chunk finishes."""
    if scheduler:
        try:
            from distributed import Client, as_completed
        except ImportError:
            raise InputError([Problem("--scheduler", scheduler, "needs dask.distributed, "
                                      "which is not installed (allowed: pip install "
                                      "'effectmodel[dask]', or no --scheduler)")]) from None

        with Client(scheduler, timeout="30s") as client:
            futures = {client.submit(compute_chunk, pure=False, **kw): cid for cid, kw in tasks}
            for fut in as_completed(futures):
                on_done(futures[fut], fut.result())
        return
    if workers and workers > 1:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        ctx = worker_context()
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            futures = {pool.submit(compute_chunk, **kw): cid for cid, kw in tasks}
            for fut in as_completed(futures):
                on_done(futures[fut], fut.result())
        return
    for cid, kw in tasks:
        on_done(cid, compute_chunk(**kw))


def worker_context():
    """The start method of local sweep workers: a fork server where there is one (a clean
    process, started before any thread of ours, that imports the model once and forks each
    worker from it), else spawn. Never a plain fork of this process, which may hold threads
    (a fork copies their locks in whatever state they are)."""
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["effectmodel.pipeline.sweep"])
        return ctx
    return multiprocessing.get_context("spawn")


def owned_work(work: Path) -> bool:
    """Whether a sweep work folder is effectmodel's (its marker, or an earlier version's
    ``sweep-key.json``)."""
    return owned(work) or (work.is_dir() and not work.is_symlink()
                           and (work / "sweep-key.json").is_file())


def work_folder(out: Path) -> Path:
    """Where finished chunks wait until the sweep is complete (beside the output folder)."""
    return out.parent / f".{out.name}.sweep-work"


def check_sweep_output(spec: SweepSpec, base: Params, out: str | Path | None) -> Path:
    """The sweep's output folder (``--out``, else reports/<name>/ of the base's project),
    checked with its work folder: never replace what is not effectmodel's. Raises
    :class:`InputError`."""
    root = base.path.resolve().parent.parent
    given = Path(out) if out is not None else root / "reports" / spec.name
    read = [spec.path, base.path, *base.data.values(), root / "notebooks" / "sweep.ipynb"]
    check_output(given, root, read, source=spec.path)
    work = work_folder(target(given))
    if work.exists() and not owned_work(work):
        raise InputError([Problem(str(work), "(work folder)", "exists and was not made by "
                                  "effectmodel (allowed: remove or rename it, or choose "
                                  "another --out)")])
    return target(given)


def _prepare_work(work: Path, key: dict[str, Any], resume: bool, spec_path: Path) -> None:
    """The sweep's work folder, ready for its chunks: kept with ``resume`` when its key (the
    sweep, base params, data, code and chunk size) is the same, else made afresh."""
    if resume and (work / "sweep-key.json").exists():
        old = json.loads((work / "sweep-key.json").read_text())
        if old != key:
            raise InputError([Problem(str(spec_path), "(resume)",
                                      "the sweep, its base params, data, code or chunk size "
                                      "changed since the interrupted run (allowed: run "
                                      "without --resume)")])
    elif owned_work(work):
        shutil.rmtree(work)
    (work / "chunks").mkdir(parents=True, exist_ok=True)
    (work / MARKER).write_text(marker_text([]), encoding="utf-8")
    (work / "sweep-key.json").write_text(json.dumps(key, sort_keys=True))


def run_sweep(path: str | Path, out: str | Path | None = None, workers: int | None = None,
              scheduler: str | None = None, resume: bool = False,
              progress: bool | None = None,
              loaded: tuple[SweepSpec, Params, Inputs] | None = None
              ) -> tuple[Path, xr.Dataset, SweepSpec]:
    """Run a sweep's chunks (finished ones wait in the work folder) and return (output
    folder, assembled Dataset, spec). The report is rendered by :mod:`report`.

    ``loaded``: the spec, base params and inputs, as :func:`load`, when already at hand.
    """
    spec, base, inputs = loaded or load(path)
    scenarios = design(spec)
    out = check_sweep_output(spec, base, out)  # before any work
    work = work_folder(out)
    code = code_hash()
    key = {"spec_sha256": spec.sha256, "base_params_sha256": base.sha256,
           "inputs": dict(inputs.sha256), "code": code, "n_scenarios": len(scenarios),
           "chunk_size": spec.chunk_size}
    _prepare_work(work, key, resume, spec.path)
    parts = chunks(len(scenarios), spec.chunk_size)
    done = {int(f.stem.split("-")[1]) for f in (work / "chunks").glob("chunk-*.nc")}
    todo = [cid for cid in range(len(parts)) if cid not in done]
    tasks = [(cid, {"params_path": str(spec.base.resolve()), "draws": spec.draws,
                    "seed": spec.seed, "fingerprint": base_fingerprint(base, inputs, code),
                    "overrides": [scenarios[i] for i in parts[cid]],
                    "indices": list(parts[cid]), "outputs": list(spec.outputs),
                    "interval": spec.interval, "common": spec.common_random_numbers})
             for cid in todo]
    if progress is None:
        progress = sys.stderr.isatty()
    bar = tqdm(total=len(parts), initial=len(done), unit="chunk", disable=not progress)
    log = work / "computed.log"

    def on_done(cid: int, ds: xr.Dataset) -> None:
        _write_atomic_nc(ds, work / "chunks" / f"chunk-{cid:05d}.nc")
        with log.open("a") as fh:
            fh.write(f"{cid}\n")
        bar.update()

    try:
        run_chunks(tasks, workers, scheduler, on_done)
    finally:
        bar.close()
    ds = xr.concat([_read_nc(work / "chunks" / f"chunk-{cid:05d}.nc")
                    for cid in range(len(parts))], dim="scenario")
    ds = attach_parameters(ds, spec, scenarios)
    ds.attrs = {"name": spec.name, "title": spec.title, "method": spec.method,
                "draws": spec.draws, "seed": base.run.seed, "interval": spec.interval}
    return out, ds, spec
