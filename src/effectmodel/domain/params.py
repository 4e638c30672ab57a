"""Params: schema, loading, overrides and validation. No computation, no data files.

A params file (YAML) describes one run: name, title, language, seed, draws, the data files
and every model option. :func:`~effectmodel.inputs.paramsfile.load_params` reads it, applies
``--set``-style overrides, checks everything against :data:`SCHEMA` and returns a frozen
:class:`Params`. Every problem is collected (not only the first) and raised together as
:class:`~effectmodel.domain.errors.InputError`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from effectmodel.domain.errors import InputError, Problem, key_label, raise_if
from effectmodel.domain.paramschema import (
    MISSING,
    MONITOR_UNCLEAR,
    MOVED,
    SCHEMA,
    UNCLEAR_RULES,
    F,
)
from effectmodel.domain.parts import MEANING, PARTS, parts_of, tables_of
from effectmodel.domain.paths import data_paths, input_label
from effectmodel.domain.yamltext import MAX_SET_CHARS, safe_yaml

# --------------------------------------------------------------------------------------------
# The frozen result
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunOptions:
    seed: int
    n_draws: int
    interval: float
    sampler: str
    mc_batches: int


@dataclass(frozen=True)
class BuyerGroupOptions:
    household_factor: str
    award_probability: float | None
    additionality: float | None
    uncertainty: Mapping[str, bool]
    risk_shared_by: str = "tender"
    risk_evidence: str = "table"
    unclear: str = "not_counted"
    risk_outcome: str = "bernoulli"
    #: outcome counts [applications] and the triangular total (``total_low``, ``total_mode``,
    #: ``total_high``) behind the rates, with ``risk_evidence: counts``
    risk_counts: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({
        "not_beyond_market_standard": 20, "not_in_contract": 7, "unclear": 21,
        "total_low": 48.0, "total_mode": 72.0, "total_high": 96.0}))
    #: the prior of the cancellation rate, ``prior_cancelled`` and ``prior_went_ahead``
    #: [tenders], with ``risk_evidence: counts``
    cancellation: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({
        "prior_cancelled": 1.0, "prior_went_ahead": 9.0}))
    #: with outcome data: ``as_of`` (a date or None), ``prior_weight`` and ``pooling`` [-]
    outcomes: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({
        "as_of": None, "prior_weight": 1.0, "pooling": 1.0}))


@dataclass(frozen=True)
class MonitorOptions:
    periods: str | tuple[str, ...]
    bootstrap: str
    emission_factor_uncertainty: bool
    frame_total_uncertainty: bool
    frame_total_scale: float
    projection: bool
    headline_period: str | None
    factor_rank_correlation: float = 0.0
    frame_total_correlation: float = 0.0
    unclear: str = "none"
    unclear_contract_probability: float = 0.766
    unclear_beyond_probability: float = 0.606
    finite_population_correction: bool = True
    zero_effect_strata: str = "jeffreys"
    interval: str = "studentized"
    indicators: tuple[str, ...] = ("co2_eq",)
    #: the changes split into spend, use and intensity, (from, to) pairs; None: each period
    #: and the next
    changes: tuple[tuple[str, str], ...] | None = None


@dataclass(frozen=True)
class Params:
    """A validated, immutable description of one run."""

    name: str
    title: str
    language: str
    run: RunOptions
    data: Mapping[str, Path]
    #: None where the params hold no buyer groups (see ``parts``)
    buyer_groups: BuyerGroupOptions | None
    #: None where the params hold no effect monitor
    monitor: MonitorOptions | None
    path: Path
    resolved: Mapping[str, Any] = field(repr=False)
    sha256: str = ""
    #: where each setting (dotted key) came from: "file", "override" (``--set``, the API's
    #: overrides, ``--draws``/``--seed``, a sweep scenario) or "default" (the schema's)
    origins: Mapping[str, str] = field(default_factory=dict, repr=False)
    #: the overrides applied, in the order given (dotted key -> value)
    overrides: Mapping[str, Any] = field(default_factory=dict, repr=False)
    #: the parts the params hold, in page order (:mod:`~effectmodel.domain.parts`)
    parts: tuple[str, ...] = PARTS

    def as_dict(self) -> dict[str, Any]:
        """The resolved params (defaults filled in, overrides applied) as plain JSON data."""
        return _thaw(self.resolved)

    def with_overrides(self, overrides: Mapping[str, Any]) -> Params:
        """A new Params with dotted-path overrides applied and validated again."""
        raw = _thaw(self.resolved)
        return build(raw, self.path, overrides, self.sha256, self)


def leaves(schema: Mapping[str, Any] = SCHEMA, prefix: str = "") -> dict[str, F]:
    """Every setting of the schema by dotted key, in the schema's order."""
    out: dict[str, F] = {}
    for key, spec in schema.items():
        if isinstance(spec, dict):
            out.update(leaves(spec, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = spec
    return out


def _present(raw: Any, dotted: str) -> bool:
    """Whether the mapping ``raw`` sets the dotted key."""
    for key in dotted.split("."):
        if not isinstance(raw, Mapping) or key not in raw:
            return False
        raw = raw[key]
    return True


def origins(raw: Any, overrides: Mapping[str, Any], base: Params | None = None
            ) -> dict[str, str]:
    """Where each setting comes from: ``overrides``, else ``base``'s origin (overrides on an
    already loaded Params), else the file ``raw`` (as read, before overrides), else the
    schema's default."""
    out = {}
    for dotted in leaves():
        if dotted in overrides:
            out[dotted] = "override"
        elif base is not None:
            out[dotted] = base.origins.get(dotted, "file")
        else:
            out[dotted] = "file" if _present(raw, dotted) else "default"
    return out


def _thaw(x: Any) -> Any:
    if isinstance(x, Mapping):
        return {k: _thaw(v) for k, v in x.items()}
    if isinstance(x, tuple):
        return [_thaw(v) for v in x]
    return x


def _freeze(x: Any) -> Any:
    if isinstance(x, dict):
        return MappingProxyType({k: _freeze(v) for k, v in x.items()})
    if isinstance(x, list):
        return tuple(_freeze(v) for v in x)
    return x


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


def moved(file: str, where: str) -> Problem:
    """A key that moved, with a pointer to its new place (:data:`MOVED`)."""
    new = MOVED[where.removeprefix("--set ")]
    return Problem(file, where, f"moved to the project-wide key {new!r} (allowed: at the top "
                   f"level, {new}: {' | '.join(UNCLEAR_RULES)}; one reading rules the buyer "
                   "groups, the monitor and tracking)")


def _validate(raw: Any, schema: dict, file: str, prefix: str = "") -> tuple[dict, list[Problem]]:
    problems: list[Problem] = []
    clean: dict[str, Any] = {}
    where = prefix.rstrip(".") or "(top level)"
    if not isinstance(raw, dict):
        return clean, [Problem(file, where, f"must be a mapping, got {type(raw).__name__} "
                               f"(allowed: keys {', '.join(schema)})")]
    for key in raw:
        if f"{prefix}{key}" in MOVED:
            problems.append(moved(file, f"{prefix}{key}"))
        elif key not in schema:
            problems.append(Problem(file, f"{prefix}{key_label(key)}",
                                    f"unknown key (allowed: {', '.join(schema)})"))
    for key, spec in schema.items():
        path = f"{prefix}{key}"
        if isinstance(spec, dict):
            sub = raw.get(key, {})
            if sub is None:
                sub = {}
            clean[key], more = _validate(sub, spec, file, path + ".")
            problems += more
            continue
        if key not in raw:
            if spec.default is MISSING:
                problems.append(Problem(file, path, f"missing (required: {spec.doc})"))
            else:
                clean[key] = spec.default
            continue
        value, err = spec.check(raw[key])
        if err:
            problems.append(Problem(file, path, err))
        clean[key] = value
    return clean, problems


def parse_override(text_: str) -> tuple[str, Any]:
    """Split ``key.path=value``; the value is read as YAML (``1.5``, ``true``, ``null``, text)."""
    if "=" not in text_:
        raise InputError([Problem("--set", key_label(text_),
                                  "expected key.path=value (allowed: e.g. run.seed=7)")])
    key, _, value = text_.partition("=")
    if len(value) > MAX_SET_CHARS:
        raise InputError([Problem("--set", key_label(key.strip()),
                                  f"value of {len(value)} characters (allowed: at most "
                                  f"{MAX_SET_CHARS})")])
    try:
        parsed = safe_yaml(value, "--set", key_label(key.strip())) if value.strip() else value
    except InputError:
        raise
    except (yaml.YAMLError, ValueError, RecursionError):  # not YAML: the text itself
        parsed = value
    return key.strip(), parsed


def _apply_overrides(raw: dict, overrides: Mapping[str, Any], file: str) -> list[Problem]:
    problems = []
    for dotted, value in overrides.items():
        if dotted in MOVED:
            problems.append(moved(file, f"--set {dotted}"))
            continue
        keys = dotted.split(".")
        spec: Any = SCHEMA
        node = raw
        ok = True
        for i, key in enumerate(keys):
            if not isinstance(spec, dict) or key not in spec:
                allowed = ", ".join(spec) if isinstance(spec, dict) else "nothing below a value"
                problems.append(Problem(file, f"--set {dotted}",
                                        f"unknown key {'.'.join(keys[: i + 1])!r} "
                                        f"(allowed: {allowed})"))
                ok = False
                break
            spec = spec[key]
            if i < len(keys) - 1:
                if not isinstance(node.get(key), dict):
                    node[key] = {}
                node = node[key]
        if ok:
            if isinstance(spec, dict):
                problems.append(Problem(file, f"--set {dotted}",
                                        f"is a section (allowed: one of {', '.join(spec)})"))
            else:
                node[keys[-1]] = value
    return problems


def build(raw: Any, path: Path, overrides: Mapping[str, Any] | None, sha: str,
           base: Params | None = None) -> Params:
    file = str(path)
    where = origins(raw, overrides or {}, base)
    applied = {**(base.overrides if base is not None else {}), **(overrides or {})}
    raw = copy.deepcopy(raw)
    problems: list[Problem] = []
    if isinstance(raw, dict) and overrides:
        problems += _apply_overrides(raw, overrides, file)
    parts = parts_of(raw)
    if not parts and isinstance(raw, dict):  # the one root cause: no other line
        raise_if([Problem(file, "(top level)", "holds no part (allowed: a buyer_groups "
                          f"section and its data, for {MEANING['buyer_groups']}; a monitor "
                          f"section and its data, for {MEANING['monitor']}; or both)")])
    clean, more = _validate(raw, part_schema(parts), file)
    problems += more
    if not more:
        problems += _design_problems(clean["run"], file)
        problems += _count_problems(clean.get("buyer_groups"), file)
    if not more:
        data, outside = data_paths(clean["data"], path, clean["data_root"])
        problems += outside
    raise_if(problems)
    b, m = clean.get("buyer_groups"), clean.get("monitor")
    return Params(
        name=clean["name"],
        title=clean["title"],
        language=clean["language"],
        run=RunOptions(**clean["run"]),
        data=MappingProxyType(data),
        buyer_groups=None if b is None else BuyerGroupOptions(
            household_factor=b["household_factor"],
            award_probability=b["award_probability"],
            additionality=b["additionality"],
            uncertainty=MappingProxyType(dict(b["uncertainty"])),
            risk_shared_by=b["risk_shared_by"],
            risk_evidence=b["risk_evidence"],
            unclear=clean["unclear"],
            risk_outcome=b["risk_outcome"],
            risk_counts=MappingProxyType(dict(b["risk_counts"])),
            outcomes=MappingProxyType(dict(b["outcomes"])),
            cancellation=MappingProxyType(dict(b["cancellation"])),
        ),
        monitor=None if m is None else MonitorOptions(**m,
                                                      unclear=MONITOR_UNCLEAR[clean["unclear"]]),
        path=path,
        resolved=_freeze(clean),
        sha256=sha,
        origins=MappingProxyType(where),
        overrides=MappingProxyType(applied),
        parts=parts,
    )


def part_schema(parts: tuple[str, ...]) -> dict[str, Any]:
    """The schema of params holding ``parts``: the sections of those parts, and the data
    tables they read (a table any part may leave out may stay, as null)."""
    tables = set(tables_of(parts))
    schema = {k: v for k, v in SCHEMA.items() if k not in PARTS or k in parts}
    schema["data"] = {k: f for k, f in SCHEMA["data"].items()
                      if k in tables or f.default is None}
    return schema


def _design_problems(run: Mapping[str, Any], file: str) -> list[Problem]:
    """A Sobol design needs 2^m draws (its balance, and its replicates, rest on that)."""
    n = run["n_draws"]
    if run["sampler"] == "sobol" and n & (n - 1):
        lo = 1 << (n.bit_length() - 1)
        return [Problem(file, "run.n_draws", f"{n} with run.sampler: sobol (allowed: a power "
                                             f"of 2, such as {lo} or {2 * lo})")]
    return []


def _count_problems(b: Mapping[str, Any] | None, file: str) -> list[Problem]:
    """The total of applications is a triangular distribution: low <= mode <= high."""
    if b is None:
        return []
    c = b["risk_counts"]
    lo, mode, hi = c["total_low"], c["total_mode"], c["total_high"]
    if lo <= mode <= hi:
        return []
    return [Problem(file, "buyer_groups.risk_counts", f"total_low {lo:g}, total_mode {mode:g}, "
                    f"total_high {hi:g} (allowed: low <= mode <= high)")]


def input_labels(params: Params) -> dict[str, str]:
    """Table key -> project-relative path label, for provenance."""
    return {key: input_label(path, params.path) for key, path in params.data.items()}
