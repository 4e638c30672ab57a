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
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any

import xarray as xr
from tqdm import tqdm

from effectmodel.domain.errors import InputError, Problem, raise_if
from effectmodel.domain.inputdata import Inputs
from effectmodel.domain.params import Params
from effectmodel.domain.paths import input_label, project_folder, relative_label
from effectmodel.domain.sweepspec import OUTPUT_PARTS, SweepSpec, part_problems
from effectmodel.inputs.data import load_inputs
from effectmodel.inputs.hashing import code_hash
from effectmodel.inputs.paramsfile import load_params
from effectmodel.inputs.sweepfile import load_sweep
from effectmodel.model.scenarios import Memo, attach_parameters, chunks, design, evaluate_scenarios
from effectmodel.pipeline.atomic import (
    MARKER,
    check_output,
    marker_text,
    owned,
    remove_owned,
    replacing,
    target,
)
from effectmodel.pipeline.pages import (
    SWEEP_NOTEBOOK,
    Job,
    Page,
    check_notebook,
    notebook_label,
    notebook_path,
    notebooks_of,
    run_job,
)
from effectmodel.pipeline.provenance import project_root
from effectmodel.pipeline.run import run, run_inputs, stages
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
    return evaluate_scenarios(base, inputs, overrides, indices, outputs, interval, common,
                              _memo(params_path, draws, seed, fingerprint))


@lru_cache(maxsize=4)
def _memo(params_path: str, draws: int, seed: int | None, fingerprint: str) -> Memo:
    """What this process's chunks of one sweep share (the monitor, the designs, the
    tenders' uncertain inputs under common random numbers), kept as long as its base
    (:func:`_base`)."""
    return Memo()


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
    root = project_folder(base.path)
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
    folder, assembled Dataset, spec). The report is rendered by :func:`run_sweep_report`.

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


def _sweep_page(staging: Path, ds, summary: dict[str, Any], spec, base: Params, root: Path,
                out_dir: Path) -> None:
    """A sweep's sweep.nc, summary.json, and its page (index.html, from notebooks/sweep.ipynb
    executed into notebooks/) in ``staging``."""
    from effectmodel.model.engine import VARIABLES
    from effectmodel.pipeline.netcdf import to_cf, write_netcdf
    from effectmodel.pipeline.outputs import write_summary

    nc = ds.copy()
    nc["status"] = nc["status"].astype(str)
    (staging / "notebooks").mkdir()
    version = summary["provenance"].get("code_version", "")
    write_netcdf(to_cf(nc, f"effectmodel sweep {summary['provenance']['sweep']}",
                       f"effectmodel {version}".strip(), VARIABLES), staging / "sweep.nc")
    write_summary(summary, staging)
    parameters = {"output_dir": str(staging)}
    page = Page(notebook_path(root, SWEEP_NOTEBOOK), staging / "notebooks" / SWEEP_NOTEBOOK,
                staging / "index.html")
    run_job(Job((page,), parameters, root, base.language, spec.title,
                replace={str(staging): relative_label(out_dir, root)}))


def _scenario_briefings(staging: Path, spec, base: Params, scenarios: list[dict],
                        selected: list[int], workers: int | None) -> None:
    """The briefing of each selected scenario under ``staging/scenarios/<i>/``, ``workers``
    side by side."""
    from effectmodel.report.sweepreport import scenario_title

    def one(i: int) -> Path:
        title = scenario_title(base.title, i, scenarios[i], base.language)
        return run(spec.base, out=staging / "scenarios" / str(i),
                   overrides={**scenarios[i], "title": title, "run.interval": spec.interval},
                   n_draws=spec.draws, seed=spec.seed, progress=False,
                   scenario=0 if spec.common_random_numbers else i)

    with ThreadPoolExecutor(max_workers=max(1, workers or 1)) as pool:
        list(pool.map(one, selected))




def parse_selection(text: str | None, n: int) -> list[int]:
    """Scenario indices from ``all``, ``3``, ``0,5,9`` or ``2-6`` (inclusive ranges)."""
    if not text:
        return []
    if text == "all":
        return list(range(n))
    out: list[int] = []
    try:
        for part in text.split(","):
            a, _, b = part.strip().partition("-")
            lo, hi = int(a), int(b) if b else int(a)
            out += list(range(lo, hi + 1))
    except ValueError:
        raise InputError([Problem("--notebooks", text, "invalid selection (allowed: all, "
                                  "3, 0,5,9 or 2-6)")]) from None
    bad = [i for i in out if not 0 <= i < n]
    if bad:
        raise InputError([Problem("--notebooks", text, f"scenarios {bad} out of range "
                                  f"(allowed: 0 to {n - 1})")])
    return sorted(set(out))


def run_sweep_report(spec_path: str | Path, out: str | Path | None = None,
                     workers: int | None = None, scheduler: str | None = None,
                     resume: bool = False, notebooks: str | None = None,
                     progress: bool | None = None,
                     finalize: Callable[[Path], None] | None = None,
                     log: Callable[[str], None] | None = None) -> Path:
    """Run a sweep and write its folder: sweep.nc, summary.json, index.html, notebooks/ and,
    for ``notebooks``, a briefing per selected scenario under scenarios/<i>/. Written into a
    staging folder and swapped in at the end. ``log``: one line per finished stage."""
    from effectmodel.model import scenarios as msw
    from effectmodel.pipeline.provenance import provenance

    say = stages(log)
    with say("validated the sweep, its base params and data, and the output folder"):
        loaded = load(spec_path)
        spec, base, inputs = loaded
        scenarios = msw.design(spec)
        selected = parse_selection(notebooks, len(scenarios))  # bad input: before any work
        check_sweep_output(spec, base, out)
        page = notebook_path(project_root(base), SWEEP_NOTEBOOK)
        check_notebook(page, notebook_label(project_root(base), page))
    with say(f"computed {len(scenarios):,} scenarios x {spec.draws:,} draws"):
        out_dir, ds, spec = run_sweep(spec_path, out=out, workers=workers,
                                         scheduler=scheduler, resume=resume,
                                         progress=progress, loaded=loaded)
    failed = {int(i) for i, st in zip(ds["scenario"].values, ds["status"].values, strict=True)
              if str(st) != "ok"}
    selected = [i for i in selected if i not in failed]  # a failed scenario has no briefing
    root = project_root(base)
    read = [spec.path, *run_inputs(base, (notebook_path(root, n) for n in
                                          (*notebooks_of(base.parts), SWEEP_NOTEBOOK)))]
    work = work_folder(out_dir)
    with say("summarised the sweep"):
        prov = {"sweep": relative_label(spec.path.resolve(), root), "sweep_sha256": spec.sha256,
                **provenance(base, inputs, notebooks=(SWEEP_NOTEBOOK,))}
        summary = msw.sweep_summary(ds, spec, msw.sobol_analysis(ds, spec), prov,
                                    base.language)
        # the scenarios rendered as briefings (scenarios/<i>/index.html), linked from the page
        summary["scenario_briefings"] = [int(i) for i in selected]
    with replacing(out_dir, root, read, beside=work / "staging", source=spec.path) as staging:
        with say("rendered the sweep report"):
            _sweep_page(staging, ds, summary, spec, base, root, out_dir)
        if selected:
            with say(f"rendered {len(selected)} scenario briefings"):
                _scenario_briefings(staging, spec, base, scenarios, selected, workers)
        if finalize is not None:
            finalize(staging)
    remove_owned(work)
    return out_dir
