"""A sweep file read and validated: :func:`load_sweep` returns the frozen
:class:`~effectmodel.domain.sweepspec.SweepSpec`."""

from __future__ import annotations

import hashlib
from pathlib import Path

from effectmodel.domain.errors import InputError, Problem, key_label, raise_if, short
from effectmodel.domain.sweepspec import (
    DUMMY,
    OUTPUTS,
    SPEC_KEYS,
    SweepSpec,
    design_problems,
    parameter_problems,
    scalar_problems,
    scenario_problems,
    sweep_base_problems,
)
from effectmodel.inputs.yamlfiles import read_yaml


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
    p += scalar_problems(raw, file)
    design = raw.get("design") or {}
    p += design_problems(design, file)
    method = design.get("method") if isinstance(design, dict) else None
    n = design.get("n") if isinstance(design, dict) else None
    dseed = design.get("seed", 0) if isinstance(design, dict) else 0
    name, title, base = raw.get("name"), raw.get("title", raw.get("name")), raw.get("base")
    draws, seed = raw.get("draws", 1000), raw.get("seed")
    chunk, interval = raw.get("chunk_size", 8), raw.get("interval")
    params_ = raw.get("parameters") or {}
    if not isinstance(params_, dict):
        p.append(Problem(file, "parameters", "must be a mapping (allowed: dotted paths of "
                                            "--set, each {values: [...]} or {low, high})"))
        params_ = {}
    p += parameter_problems(params_, method, file)
    scen, more = scenario_problems(raw.get("scenarios"), method, bool(params_), file)
    p += more
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
        problem = {"num_vars": len(params_) + 1, "names": [*params_, DUMMY],
                   "bounds": [[float(v["low"]), float(v["high"])] for v in params_.values()]
                   + [[0.0, 1.0]]}
    return SweepSpec(
        name=name, title=str(title), base=base_path, draws=draws, seed=seed, chunk_size=chunk,
        interval=None if interval is None else float(interval), method=method, design_n=n,
        design_seed=dseed,
        parameters=params_, scenarios=tuple(scen or ()), outputs=tuple(outputs), path=path,
        sha256=hashlib.sha256(text.encode()).hexdigest(), sobol_problem=problem,
        common_random_numbers=raw.get("common_random_numbers", True),
        outputs_default="outputs" not in raw)


