"""Sweep files: schema, loading and validation (a base params file, the parameters to vary,
the design, draws, chunks and outputs). Every problem is reported at once (exit code 2)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from effectmodel.domain.errors import Problem, key_label, short
from effectmodel.domain.paramschema import MAX_NAME, SCHEMA

METHODS = ("grid", "list", "lhs", "sobol")
OUTPUTS = {  # output name -> (unit, per period?)
    "bg_total_t": ("t CO2-eq", False),
    "bg_households": ("households", False),
    "period_total_t": ("t CO2-eq", True),
    "period_households": ("households", True),
}
NOT_SWEEPABLE = ("schema_version", "name", "title", "language", "notes.", "data.", "run.n_draws",
                 "monitor.periods", "monitor.headline_period", "monitor.changes",
                 "run.mc_batches")
SPEC_KEYS = ("schema_version", "name", "title", "base", "draws", "seed", "chunk_size",
             "interval", "common_random_numbers", "design", "parameters", "scenarios",
             "outputs")
#: the parameter a Sobol design adds that nothing reads: its indices are the noise floor
DUMMY = "(dummy)"



@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep file."""

    name: str
    title: str
    base: Path
    draws: int
    seed: int | None
    chunk_size: int
    interval: float | None  # None: the base params' run.interval
    method: str
    design_n: int | None
    design_seed: int
    parameters: Mapping[str, Mapping[str, Any]]
    scenarios: tuple[Mapping[str, Any], ...]
    outputs: tuple[str, ...]
    path: Path
    sha256: str
    sobol_problem: Mapping[str, Any] | None = field(default=None)
    #: every scenario draws the same random numbers (scenario 0's): identical settings give
    #: identical figures, and differences between scenarios are paired
    common_random_numbers: bool = True
    #: the file names no outputs: the default, each of the base params' parts' totals
    outputs_default: bool = False


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


def scalar_problems(raw: dict, file: str) -> list[Problem]:
    """The sweep file's single values: version, name, base, draws, seed, chunks, interval."""
    p: list[Problem] = []
    if raw.get("schema_version") != 1:
        p.append(Problem(file, "schema_version",
                         f"{short(raw.get('schema_version'))} (allowed: 1)"))
    name = raw.get("name")
    if not isinstance(name, str) or not name or len(name) > MAX_NAME or not all(
            c.isalnum() or c in "-_" for c in name):
        p.append(Problem(file, "name", f"{short(name)} (allowed: letters, digits, '-' and '_', "
                                       f"at most {MAX_NAME} characters)"))
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
    interval = raw.get("interval")
    if interval is not None and (isinstance(interval, bool)
                                 or not isinstance(interval, int | float)
                                 or not 0 < interval < 1):
        p.append(Problem(file, "interval", f"{short(interval)} (allowed: a number in (0, 1); "
                                               "absent: the base params' run.interval)"))
    crn = raw.get("common_random_numbers", True)
    if not isinstance(crn, bool):
        p.append(Problem(file, "common_random_numbers", f"{short(crn)} (allowed: true, the "
                                                        "default, or false)"))
    return p


#: the largest design size (a design of 10^12 points asked for terabytes before any check)
MAX_DESIGN_N = 2**20


def design_problems(design: Any, file: str) -> list[Problem]:
    """``design``: a known method, its keys, ``n`` (a power of 2 for Sobol), ``seed``."""
    p: list[Problem] = []
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
    if method in ("lhs", "sobol") and _is_int(n) and n > MAX_DESIGN_N:
        p.append(Problem(file, "design.n", f"{n:,} (allowed: at most {MAX_DESIGN_N:,}; each "
                                           "point is a scenario of the run's draws)"))
    if method == "sobol" and _is_int(n) and n >= 2 and n & (n - 1):
        p.append(Problem(file, "design.n", f"{n} (allowed: a power of 2 for sobol)"))
    dseed = design.get("seed", 0) if isinstance(design, dict) else 0
    if not _is_int(dseed) or dseed < 0:
        p.append(Problem(file, "design.seed", f"{short(dseed)} (allowed: an integer >= 0)"))
    return p


def parameter_problems(params_: dict, method: Any, file: str) -> list[Problem]:
    """Each parameter to vary: a dotted path of the schema that may vary, and values or a
    range as the design needs."""
    p: list[Problem] = []
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
    return p


def scenario_problems(scen: Any, method: Any, has_parameters: bool, file: str
                       ) -> tuple[list, list[Problem]]:
    """(the scenarios of a ``list`` design, or [], the problems of ``scenarios``)."""
    p: list[Problem] = []
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
    elif not has_parameters:
        p.append(Problem(file, "parameters", "empty (allowed: at least one parameter to vary)"))
    return scen or [], p


def sweep_base_problems(base: str, path: Path) -> list[Problem]:
    """A sweep's base must name a params file (``.yaml``/``.yml``); its data paths are then
    held to the base's own project like any params file's."""
    if Path(base).suffix not in (".yaml", ".yml"):
        return [Problem(str(path), "base", f"{short(base)} is not a .yaml file (allowed: a "
                        "params file, e.g. ../reference.yaml)")]
    return []


#: the part each output comes from
OUTPUT_PARTS = {"bg_total_t": "buyer_groups", "bg_households": "buyer_groups",
                "period_total_t": "monitor", "period_households": "monitor"}


def part_problems(spec: SweepSpec, parts: tuple[str, ...]) -> list[Problem]:
    """Outputs and parameters of a part the base params do not hold: a sweep over them
    would fail in every scenario."""
    file, problems = str(spec.path), []
    outputs = [o for o in OUTPUTS if OUTPUT_PARTS[o] in parts]
    for name in spec.outputs:
        if OUTPUT_PARTS[name] not in parts:
            problems.append(Problem(file, "outputs", f"{name} needs the "
                                    f"{OUTPUT_PARTS[name]} part, which the base params do not "
                                    f"hold (allowed: {', '.join(outputs)})"))
    varied = list(spec.parameters) or sorted({k for s in spec.scenarios for k in s})
    for path in varied:
        section = path.split(".", 1)[0]
        if section in OUTPUT_PARTS.values() and section not in parts:
            problems.append(Problem(file, key_label(path), f"sets the {section} part, which the "
                                    f"base params do not hold (allowed: {', '.join(parts)} "
                                    "and run settings)"))
    return problems
