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

import hashlib
import itertools
import json
import os
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
from tqdm import tqdm

from . import engine
from .atomic import MARKER, check_output, marker_text, owned
from .data import Inputs, check_params_against, load_inputs
from .errors import InputError, Problem, raise_if, short
from .params import SCHEMA, Params, key_label, load_params, read_yaml, sweep_base_problems
from .sampling import sample_buyer_groups, sample_household_factor, sample_monitor
from .stats import quantile_bounds

METHODS = ("grid", "list", "lhs", "sobol")
OUTPUTS = {  # output name -> (unit, per period?)
    "bg_total_t": ("t CO2-eq", False),
    "bg_households": ("households", False),
    "period_total_t": ("t CO2-eq", True),
    "period_households": ("households", True),
}
STATS = ("mean", "median", "low", "high")
NOT_SWEEPABLE = ("schema_version", "name", "title", "language", "data.", "run.n_draws",
                 "monitor.periods", "monitor.headline_period", "run.mc_batches")
SPEC_KEYS = ("schema_version", "name", "title", "base", "draws", "seed", "chunk_size",
             "interval", "design", "parameters", "scenarios", "outputs")


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep file."""

    name: str
    title: str
    base: Path
    draws: int
    seed: int | None
    chunk_size: int
    interval: float
    method: str
    design_n: int | None
    design_seed: int
    parameters: Mapping[str, Mapping[str, Any]]
    scenarios: tuple[Mapping[str, Any], ...]
    outputs: tuple[str, ...]
    path: Path
    sha256: str
    sobol_problem: Mapping[str, Any] | None = field(default=None)


def _leaf(path: str):
    if not isinstance(path, str):
        return None
    spec: Any = SCHEMA
    for key in path.split("."):
        if not isinstance(spec, dict) or key not in spec:
            return None
        spec = spec[key]
    return None if isinstance(spec, dict) else spec


def _is_int(x) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def load_sweep(path: str | Path) -> SweepSpec:
    """Read and validate a sweep file; every problem is reported (exit code 2 in the CLI)."""
    path = Path(path)
    file = str(path)
    raw, text = read_yaml(path, "a sweep YAML file")
    p: list[Problem] = []
    if not isinstance(raw, dict):
        raise InputError([Problem(file, "(top level)", "must be a mapping (allowed: keys "
                                  f"{', '.join(SPEC_KEYS)})")])
    for key in raw:
        if key not in SPEC_KEYS:
            p.append(Problem(file, key_label(key),
                             f"unknown key (allowed: {', '.join(SPEC_KEYS)})"))
    if raw.get("schema_version") != 1:
        p.append(Problem(file, "schema_version",
                         f"{short(raw.get('schema_version'))} (allowed: 1)"))
    name = raw.get("name")
    if not isinstance(name, str) or not name or not all(c.isalnum() or c in "-_" for c in name):
        p.append(Problem(file, "name",
                         f"{short(name)} (allowed: letters, digits, '-' and '_')"))
    title = raw.get("title", name)
    base = raw.get("base")
    if not isinstance(base, str):
        p.append(Problem(file, "base", "missing (required: path of the base params file)"))
    draws = raw.get("draws", 1000)
    if not _is_int(draws) or not 2 <= draws <= 1_000_000:
        p.append(Problem(file, "draws", f"{short(draws)} (allowed: an integer 2 to 1000000)"))
    seed = raw.get("seed")
    if seed is not None and (not _is_int(seed) or seed < 0):
        p.append(Problem(file, "seed", f"{short(seed)} (allowed: an integer >= 0, or null: the "
                                       "base params' seed)"))
    chunk = raw.get("chunk_size", 8)
    if not _is_int(chunk) or not 1 <= chunk <= 10_000:
        p.append(Problem(file, "chunk_size", f"{short(chunk)} (allowed: an integer 1 to 10000)"))
    interval = raw.get("interval", 0.9)
    if isinstance(interval, bool) or not isinstance(interval, int | float) \
            or not 0 < interval < 1:
        p.append(Problem(file, "interval", f"{short(interval)} (allowed: a number in (0, 1))"))
    design = raw.get("design") or {}
    method = design.get("method") if isinstance(design, dict) else None
    if method not in METHODS:
        p.append(Problem(file, "design.method", f"{short(method)} (allowed: {', '.join(METHODS)})"))
    if isinstance(design, dict):
        for key in design:
            if key not in ("method", "n", "seed"):
                p.append(Problem(file, f"design.{key}", "unknown key (allowed: method, n, "
                                                        "seed)"))
    n = design.get("n") if isinstance(design, dict) else None
    if method in ("lhs", "sobol") and (not _is_int(n) or n < 2):
        p.append(Problem(file, "design.n", f"{short(n)} (allowed: an integer >= 2; for sobol the "
                                           "base sample size N, a power of 2)"))
    if method == "sobol" and _is_int(n) and n >= 2 and n & (n - 1):
        p.append(Problem(file, "design.n", f"{n} (allowed: a power of 2 for sobol)"))
    dseed = design.get("seed", 0) if isinstance(design, dict) else 0
    if not _is_int(dseed) or dseed < 0:
        p.append(Problem(file, "design.seed", f"{short(dseed)} (allowed: an integer >= 0)"))
    params_ = raw.get("parameters") or {}
    if not isinstance(params_, dict):
        p.append(Problem(file, "parameters", "must be a mapping (allowed: dotted paths of "
                                            "--set, each {values: [...]} or {low, high})"))
        params_ = {}
    for key, spec in params_.items():
        where = f"parameters.{key_label(key)}"
        if _leaf(key) is None:
            p.append(Problem(file, where, "not a parameter of the params schema (allowed: the "
                                          "dotted paths of --set)"))
            continue
        if any(key == b or (b.endswith(".") and key.startswith(b)) for b in NOT_SWEEPABLE):
            p.append(Problem(file, where, "cannot vary in a sweep: it changes the shape or the "
                                          "identity of the run (allowed: model options)"))
        if not isinstance(spec, dict):
            p.append(Problem(file, where, "not a mapping (allowed: {values: [...]} or "
                                          "{low: x, high: y})"))
            continue
        if method == "grid":
            vals = spec.get("values")
            if not isinstance(vals, list) or not vals or set(spec) != {"values"}:
                p.append(Problem(file, where, "no list of values (allowed: for grid, "
                                              "{values: [v1, v2, ...]})"))
        elif method in ("lhs", "sobol"):
            lo, hi = spec.get("low"), spec.get("high")
            if set(spec) != {"low", "high"} or not all(
                    isinstance(v, int | float) and not isinstance(v, bool) for v in (lo, hi)) \
                    or not lo < hi:
                p.append(Problem(file, where, f"no valid range (allowed: for {method}, "
                                              "{low: x, high: y} with x < y)"))
    scen = raw.get("scenarios")
    if method == "list":
        if not isinstance(scen, list) or not scen or not all(isinstance(s, dict) for s in scen):
            p.append(Problem(file, "scenarios", "empty or not a list (allowed: for design "
                                                "list, a non-empty list of mappings of "
                                                "dotted paths to values)"))
            scen = []
        for i, s in enumerate(scen):
            for key in s:
                if _leaf(key) is None:
                    p.append(Problem(file, f"scenarios[{i}].{key_label(key)}",
                                     "not a parameter (allowed: the dotted paths of --set)"))
    elif scen is not None:
        p.append(Problem(file, "scenarios", f"given with design.method {short(method)} "
                                            "(allowed: only with design.method list)"))
    elif method != "list" and not params_:
        p.append(Problem(file, "parameters", "empty (allowed: at least one parameter to vary)"))
    outputs = raw.get("outputs", ["bg_total_t", "period_total_t"])
    if not isinstance(outputs, list) or not outputs or any(o not in OUTPUTS for o in outputs):
        p.append(Problem(file, "outputs", f"{short(outputs)} (allowed: a list of "
                                          f"{', '.join(OUTPUTS)})"))
    if isinstance(base, str):
        p += sweep_base_problems(base, path)
    raise_if(p)
    base_path = (path.parent / base)
    problem = None
    if method == "sobol":
        problem = {"num_vars": len(params_), "names": list(params_),
                   "bounds": [[float(v["low"]), float(v["high"])] for v in params_.values()]}
    return SweepSpec(
        name=name, title=str(title), base=base_path, draws=draws, seed=seed, chunk_size=chunk,
        interval=float(interval), method=method, design_n=n, design_seed=dseed,
        parameters=params_, scenarios=tuple(scen or ()), outputs=tuple(outputs), path=path,
        sha256=hashlib.sha256(text.encode()).hexdigest(), sobol_problem=problem)


def load(path: str | Path) -> tuple[SweepSpec, Params, Inputs]:
    """A sweep file, its base params (with the sweep's draws and seed) and their inputs."""
    spec = load_sweep(path)
    base = load_params(spec.base, n_draws=spec.draws, seed=spec.seed)
    return spec, base, load_inputs(base)


def design(spec: SweepSpec) -> list[dict[str, Any]]:
    """The scenarios' overrides (dotted path -> value), in scenario order."""
    names = list(spec.parameters)
    if spec.method == "list":
        return [dict(s) for s in spec.scenarios]
    if spec.method == "grid":
        values = [spec.parameters[k]["values"] for k in names]
        return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*values)]
    if spec.method == "lhs":
        from scipy.stats import qmc

        u = qmc.LatinHypercube(d=len(names), seed=np.random.default_rng(spec.design_seed)
                               ).random(spec.design_n)
    else:
        from SALib.sample import sobol as sobol_sample

        x = sobol_sample.sample(dict(spec.sobol_problem), spec.design_n,
                                calc_second_order=False, seed=spec.design_seed)
        return [{k: float(v) for k, v in zip(names, row, strict=True)} for row in x]
    lows = np.array([spec.parameters[k]["low"] for k in names], float)
    highs = np.array([spec.parameters[k]["high"] for k in names], float)
    x = lows + u * (highs - lows)
    return [{k: float(v) for k, v in zip(names, row, strict=True)} for row in x]


def chunks(n_scenarios: int, size: int) -> list[range]:
    """Scenario index ranges of each chunk."""
    return [range(i, min(i + size, n_scenarios)) for i in range(0, n_scenarios, size)]


# --------------------------------------------------------------------------------------------
# Evaluating a chunk: pure computation on validated inputs
# --------------------------------------------------------------------------------------------


def evaluate_scenarios(base: Params, inputs: Inputs, overrides: Sequence[Mapping[str, Any]],
                       indices: Sequence[int], outputs: Sequence[str],
                       interval: float) -> xr.Dataset:
    """Evaluate scenarios as one stacked computation along a leading ``scenario`` axis.

    Returns a Dataset with, per output, (scenario, [period,] stat) [unit of the output], and
    ``status`` (scenario): "ok" or the reason the scenario failed.
    """
    n = base.run.n_draws
    tenders = inputs["buyer_group_tenders"]
    order = engine.quantified_groups(inputs)
    m = engine.monitor_setup(inputs)
    status: list[str] = []
    xs, ds_, hfb, hfp = [], [], [], []
    for sid, ov in zip(indices, overrides, strict=True):
        try:
            p = base.with_overrides(ov)
            raise_if(check_params_against(p, inputs))
        except InputError as exc:
            status.append("; ".join(f"{pr.field}: {pr.message}" for pr in exc.problems))
            continue
        status.append("ok")
        r = p.run
        xs.append(sample_buyer_groups(tenders, p.buyer_groups, r.seed, n, r.sampler, sid))
        ds_.append(sample_monitor(m.sampled, m.factors, m.frames, p.monitor, r.seed, n,
                                  r.sampler, sid))
        hfb.append(sample_household_factor(inputs["household_factors"],
                                           p.buyer_groups.household_factor, r.seed, n,
                                           r.sampler, sid))
        hfp.append(engine.sample_period_household_factors(inputs, m, r, sid))
    ok = [i for i, s in enumerate(status) if s == "ok"]
    results: dict[str, np.ndarray] = {}
    if ok:
        x = xr.concat(xs, dim="scenario")
        _, _, total = engine.buyer_group_core(x, order)
        d = {k: np.stack([dd[k] for dd in ds_]) for k in ds_[0]}
        _, totals = engine.monitor_core(d, m.quantity, m.factor_index, m.value, m.weight,
                                        m.frame_total, m.starts, m.period_starts)
        raw = {
            "bg_total_t": total.values,
            "bg_households": total.values / np.stack(hfb),
            "period_total_t": totals,
            "period_households": totals / np.stack(hfp),
        }
        lo_q, hi_q = quantile_bounds(interval)
        for name in outputs:
            a = raw[name]  # (scenario, draw[, period])
            qs = np.quantile(a, [0.5, lo_q, hi_q], axis=1)
            results[name] = np.stack([a.mean(axis=1), qs[0], qs[1], qs[2]], axis=-1)
    data = {}
    for name in outputs:
        unit, per_period = OUTPUTS[name]
        shape = (len(indices), len(m.periods), len(STATS)) if per_period else \
            (len(indices), len(STATS))
        full = np.full(shape, np.nan)
        if ok:
            full[ok] = results[name]
        dims = ("scenario", "period", "stat") if per_period else ("scenario", "stat")
        data[name] = (dims, full, {"units": unit})
    data["status"] = ("scenario", np.array(status, dtype=object))
    return xr.Dataset(data, coords={"scenario": list(indices), "period": m.periods,
                                    "stat": list(STATS)})


# --------------------------------------------------------------------------------------------
# Running a chunk in a worker (local process or dask) and the sweep as a whole
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _base(params_path: str, draws: int, seed: int | None, sha: str) -> tuple[Params, Inputs]:
    params = load_params(params_path, n_draws=draws, seed=seed)
    return params, load_inputs(params)


def compute_chunk(params_path: str, draws: int, seed: int | None, sha: str,
                  overrides: list[dict], indices: list[int], outputs: list[str],
                  interval: float) -> xr.Dataset:
    """One chunk, in any process: loads the base (cached per process) and evaluates."""
    base, inputs = _base(params_path, draws, seed, sha)
    return evaluate_scenarios(base, inputs, overrides, indices, outputs, interval)


def _write_atomic_nc(ds: xr.Dataset, path: Path) -> None:
    tmp = path.with_suffix(f".tmp-{os.getpid()}")
    ds = ds.copy()
    ds["status"] = ds["status"].astype(str)
    ds.to_netcdf(tmp, engine="scipy")
    os.replace(tmp, path)


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
        from distributed import Client, as_completed

        with Client(scheduler, timeout="30s") as client:
            futures = {client.submit(compute_chunk, pure=False, **kw): cid for cid, kw in tasks}
            for fut in as_completed(futures):
                on_done(futures[fut], fut.result())
        return
    if workers and workers > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        # fork where there is one: workers start with the modules already imported
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            futures = {pool.submit(compute_chunk, **kw): cid for cid, kw in tasks}
            for fut in as_completed(futures):
                on_done(futures[fut], fut.result())
        return
    for cid, kw in tasks:
        on_done(cid, compute_chunk(**kw))


def owned_work(work: Path) -> bool:
    """Whether a sweep work folder is effectmodel's (its marker, or an earlier version's
    ``sweep-key.json``)."""
    return owned(work) or (work.is_dir() and not work.is_symlink()
                           and (work / "sweep-key.json").is_file())


def work_folder(out: Path) -> Path:
    """Where finished chunks wait until the sweep is complete (beside the output folder)."""
    return out.parent / f".{out.name}.sweep-work"


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
    root = base.path.resolve().parent.parent
    given = Path(out) if out is not None else root / "reports" / spec.name
    read = [spec.path, base.path, *base.data.values(), root / "notebooks" / "sweep.ipynb"]
    check_output(given, root, read)  # before any work: never replace what is not ours
    out = given.resolve()
    work = work_folder(out)
    if work.exists() and not owned_work(work):
        raise InputError([Problem(str(work), "(work folder)", "exists and was not made by "
                                  "effectmodel (allowed: remove or rename it, or choose "
                                  "another --out)")])
    key = {"spec_sha256": spec.sha256, "base_params_sha256": base.sha256,
           "inputs": dict(inputs.sha256), "n_scenarios": len(scenarios),
           "chunk_size": spec.chunk_size}
    if resume and (work / "sweep-key.json").exists():
        old = json.loads((work / "sweep-key.json").read_text())
        if old != key:
            raise InputError([Problem(str(spec.path), "(resume)",
                                      "the sweep, its base params, data or chunk size changed "
                                      "since the interrupted run (allowed: run without "
                                      "--resume)")])
    elif owned_work(work):
        shutil.rmtree(work)
    (work / "chunks").mkdir(parents=True, exist_ok=True)
    (work / MARKER).write_text(marker_text([]), encoding="utf-8")
    (work / "sweep-key.json").write_text(json.dumps(key, sort_keys=True))
    parts = chunks(len(scenarios), spec.chunk_size)
    done = {int(f.stem.split("-")[1]) for f in (work / "chunks").glob("chunk-*.nc")}
    todo = [cid for cid in range(len(parts)) if cid not in done]
    tasks = [(cid, {"params_path": str(spec.base.resolve()), "draws": spec.draws,
                    "seed": spec.seed, "sha": base.sha256,
                    "overrides": [scenarios[i] for i in parts[cid]],
                    "indices": list(parts[cid]), "outputs": list(spec.outputs),
                    "interval": spec.interval}) for cid in todo]
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


def parameter_names(spec: SweepSpec, scenarios: list[dict]) -> list[str]:
    """The dotted paths the sweep varies."""
    return list(spec.parameters) or sorted({k for s in scenarios for k in s})


def attach_parameters(ds: xr.Dataset, spec: SweepSpec, scenarios: list[dict]) -> xr.Dataset:
    """Each varied parameter's value per scenario as a coordinate ``param_<i>`` whose
    ``path`` attribute is the dotted path (numbers as floats, anything else as JSON text)."""
    for i, name in enumerate(parameter_names(spec, scenarios)):
        vals = [s.get(name) for s in scenarios]
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in vals):
            arr = np.array(vals, dtype=float)
        else:
            arr = np.array([json.dumps(v) for v in vals], dtype=object)
        ds = ds.assign_coords({f"param_{i}": ("scenario", arr, {"path": name})})
    return ds


def sweep_summary(ds: xr.Dataset, spec: SweepSpec, sobol: dict | None,
                  provenance: dict) -> dict[str, Any]:
    """The sweep's summary.json."""
    status = [str(s) for s in ds["status"].values]
    out: dict[str, Any] = {
        "schema_version": 1, "kind": "sweep", "name": spec.name, "title": spec.title,
        "units": "t CO2-eq", "interval": spec.interval, "n_draws": spec.draws,
        "seed": int(ds.attrs["seed"]), "design": {"method": spec.method, "n": spec.design_n,
                                                  "seed": spec.design_seed},
        "parameters": {k: dict(v) for k, v in spec.parameters.items()},
        "n_scenarios": len(status), "n_failed": sum(s != "ok" for s in status),
        "failed": [{"scenario": int(i), "reason": s} for i, s in zip(
            ds["scenario"].values, status, strict=True) if s != "ok"],
        "outputs": {},
        "sobol": sobol,
        "provenance": provenance,
    }
    for name in spec.outputs:
        med = ds[name].sel(stat="median")
        if "period" in med.dims:
            out["outputs"][name] = {str(p): _range(med.sel(period=p).values)
                                    for p in ds["period"].values}
        else:
            out["outputs"][name] = _range(med.values)
    return out


def _range(x: np.ndarray) -> dict[str, float | None]:
    x = x[np.isfinite(x)]
    if not x.size:
        return {"min_median": None, "max_median": None}
    return {"min_median": float(x.min()), "max_median": float(x.max())}


def sobol_analysis(ds: xr.Dataset, spec: SweepSpec) -> dict | None:
    """Sobol S1/ST (SALib) of each output's scenario mean, or None when not a Sobol design."""
    if spec.method != "sobol":
        return None
    from .sensitivity import sobol_indices

    result: dict[str, Any] = {"conf_level": 0.95, "outputs": {}}
    for name in spec.outputs:
        mean = ds[name].sel(stat="mean")
        series = {name: mean.values} if "period" not in mean.dims else {
            f"{name}[{p}]": mean.sel(period=p).values for p in ds["period"].values}
        for label, y in series.items():
            if not np.isfinite(y).all():
                result["outputs"][label] = {"error": "failed scenarios: Sobol indices need "
                                                     "every scenario"}
                continue
            df = sobol_indices(dict(spec.sobol_problem), y, seed=spec.design_seed)
            result["outputs"][label] = {"indices": df.to_dict(orient="records")}
    return result
