"""Params: schema, loading, overrides and validation. No computation, no data files.

A params file (YAML) describes one run: name, title, language, seed, draws, the data files and
every model option. :func:`load_params` reads it, applies ``--set``-style overrides, checks
everything against :data:`SCHEMA` and returns a frozen :class:`Params`. Every problem is
collected (not only the first) and raised together as :class:`~effectmodel.errors.InputError`.
"""

from __future__ import annotations

import copy
import hashlib
import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from effectmodel.inputs.errors import InputError, Problem, decode_problem, raise_if, short

SCHEMA_VERSION = 1
DATA_KEYS = (
    "buyer_groups",
    "buyer_group_tenders",
    "household_factors",
    "product_groups",
    "monitor_periods",
    "frame_totals",
    "translation_factors",
    "sampled_tenders",
)
SAMPLERS = ("random", "lhs", "sobol")
LANGUAGES = ("en", "nl")
BOOTSTRAPS = ("bayesian", "none")
MAX_DRAWS = 10_000_000

_MISSING = object()


# --------------------------------------------------------------------------------------------
# Field checkers: value -> (clean value, error message or None)
# --------------------------------------------------------------------------------------------

Checker = Callable[[Any], tuple[Any, str | None]]


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _span(lo: int | None, hi: int | None) -> str:
    if lo is not None and hi is not None:
        return f"an integer from {lo} to {hi}"
    return "an integer" + (f" >= {lo}" if lo is not None else "") + (
        f" <= {hi}" if hi is not None else "")


def integer(lo: int | None = None, hi: int | None = None) -> Checker:
    def check(x):
        if not isinstance(x, int) or isinstance(x, bool):
            return x, f"must be an integer, got {short(x)} (allowed: {_span(lo, hi)})"
        if (lo is not None and x < lo) or (hi is not None and x > hi):
            return x, f"out of range, got {short(x, 25)} (allowed: {_span(lo, hi)})"
        return x, None

    return check


def number(lo: float, hi: float, *, lo_open: bool = False, hi_open: bool = False,
           nullable: bool = False) -> Checker:
    span = f"{'(' if lo_open else '['}{lo}, {hi}{')' if hi_open else ']'}"

    def check(x):
        if x is None and nullable:
            return None, None
        if not _is_number(x) or not math.isfinite(x):
            allowed = "a number" + (" or null" if nullable else "")
            return x, f"must be {allowed}, got {short(x)} (allowed: {allowed} in {span})"
        bad = x < lo or x > hi or (lo_open and x == lo) or (hi_open and x == hi)
        if bad:
            return x, f"out of range, got {short(x, 25)} (allowed: {span})"
        return float(x), None

    return check


def choice(*options: str) -> Checker:
    def check(x):
        if x not in options:
            return x, f"unknown value {short(x)} (allowed: {', '.join(map(str, options))})"
        return x, None

    return check


def text(pattern: str | None = None, what: str = "", nullable: bool = False) -> Checker:
    def check(x):
        if x is None and nullable:
            return None, None
        if not isinstance(x, str) or not x.strip():
            return x, (f"must be a non-empty string, got {short(x)} (allowed: "
                       f"{what or 'text'}{' or null' if nullable else ''})")
        if pattern and not re.fullmatch(pattern, x):
            return x, f"invalid {short(x)} (allowed: {what})"
        return x, None

    return check


def boolean() -> Checker:
    def check(x):
        if not isinstance(x, bool):
            return x, f"must be true or false, got {short(x)} (allowed: true, false)"
        return x, None

    return check


def period_list() -> Checker:
    def check(x):
        if x == "all":
            return "all", None
        if not isinstance(x, list) or not x or not all(isinstance(p, str) for p in x):
            return x, (f"must be 'all' or a non-empty list of period names, got {short(x)} "
                       "(allowed: all, or e.g. [2019-2020, 2021-2022])")
        if len(set(x)) != len(x):
            return x, f"duplicate periods in {short(x)} (allowed: each period once)"
        return tuple(x), None

    return check


@dataclass(frozen=True)
class F:
    """A leaf of the schema: its checker, and its default (``_MISSING``: required)."""

    check: Checker
    default: Any = _MISSING
    doc: str = ""


SCHEMA: dict[str, Any] = {
    "schema_version": F(choice(SCHEMA_VERSION), doc="params schema version"),
    "name": F(text(r"[a-z0-9][a-z0-9_-]*", "lower-case letters, digits, '-' and '_'"),
              doc="report name; default output folder reports/<name>/"),
    "title": F(text(), doc="title of the briefing"),
    "language": F(choice(*LANGUAGES), "en", doc="language of the briefing"),
    "run": {
        "seed": F(integer(0, 2**63 - 1), doc="the one seed of the run"),
        "n_draws": F(integer(2, MAX_DRAWS), doc="Monte Carlo draws [-]"),
        "interval": F(number(0.0, 1.0, lo_open=True, hi_open=True), 0.9,
                      doc="central interval reported as low/high [-]"),
        "sampler": F(choice(*SAMPLERS), "random", doc="design on the unit hypercube"),
        "mc_batches": F(integer(2, 10_000), 20, doc="batches for the Monte Carlo error [-]"),
    },
    "data": {key: F(text(), doc=f"path of the {key} table, relative to the params file")
             for key in DATA_KEYS},
    "data_root": F(text(nullable=True), None,
                   doc="a folder outside the project that data paths may lie in, relative to "
                       "the params file; null: data only inside the project"),
    "buyer_groups": {
        "household_factor": F(text(), doc="id in household_factors for household equivalents"),
        "award_probability": F(number(0.0, 1.0, nullable=True), None,
                               doc="null: per tender from data; else the same for all [-]"),
        "additionality": F(number(0.0, 1.0, nullable=True), None,
                           doc="null: per tender distribution from data; else fixed [-]"),
        "uncertainty": {
            name: F(boolean(), True, doc=f"draw {name} from its distribution (else its mode)")
            for name in ("quantity", "emission_factor", "reduction_fraction", "award",
                         "additionality")
        },
    },
    "monitor": {
        "periods": F(period_list(), "all", doc="monitoring periods to estimate"),
        "bootstrap": F(choice(*BOOTSTRAPS), "bayesian", doc="resampling of sampled tenders"),
        "emission_factor_uncertainty": F(boolean(), True, doc="draw translation factors"),
        "frame_total_uncertainty": F(boolean(), True, doc="draw frame totals"),
        "frame_total_scale": F(number(0.0, 100.0, lo_open=True), 1.0,
                               doc="multiplies every frame total (e.g. spend growth) [-]"),
        "projection": F(boolean(), True, doc="project the trend one period ahead"),
        "headline_period": F(text(nullable=True), None,
                             doc="period in the headline; null: the latest"),
    },
}


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


@dataclass(frozen=True)
class MonitorOptions:
    periods: str | tuple[str, ...]
    bootstrap: str
    emission_factor_uncertainty: bool
    frame_total_uncertainty: bool
    frame_total_scale: float
    projection: bool
    headline_period: str | None


@dataclass(frozen=True)
class Params:
    """A validated, immutable description of one run."""

    name: str
    title: str
    language: str
    run: RunOptions
    data: Mapping[str, Path]
    buyer_groups: BuyerGroupOptions
    monitor: MonitorOptions
    path: Path
    resolved: Mapping[str, Any] = field(repr=False)
    sha256: str = ""

    def with_overrides(self, overrides: Mapping[str, Any]) -> Params:
        """A new Params with dotted-path overrides applied and validated again."""
        raw = _thaw(self.resolved)
        return _build(raw, self.path, overrides, self.sha256)


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


def _validate(raw: Any, schema: dict, file: str, prefix: str = "") -> tuple[dict, list[Problem]]:
    problems: list[Problem] = []
    clean: dict[str, Any] = {}
    where = prefix.rstrip(".") or "(top level)"
    if not isinstance(raw, dict):
        return clean, [Problem(file, where, f"must be a mapping, got {type(raw).__name__} "
                               f"(allowed: keys {', '.join(schema)})")]
    for key in raw:
        if key not in schema:
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
            if spec.default is _MISSING:
                problems.append(Problem(file, path, f"missing (required: {spec.doc})"))
            else:
                clean[key] = spec.default
            continue
        value, err = spec.check(raw[key])
        if err:
            problems.append(Problem(file, path, err))
        clean[key] = value
    return clean, problems


def key_label(key: Any) -> str:
    """A key as a message names it: itself when it is short plain text, else quoted."""
    if isinstance(key, str) and len(key) <= 40 and key.isprintable():
        return key
    return short(key)


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


# --------------------------------------------------------------------------------------------
# Bounded YAML: hostile files (alias bombs, deep nesting, huge files) stop with a clear line
# --------------------------------------------------------------------------------------------

MAX_YAML_BYTES = 1_000_000      # a params or sweep file [bytes]
MAX_SET_CHARS = 10_000          # one --set value [characters]
MAX_ALIASES = 100               # alias uses (*name) in one document
MAX_NODES = 100_000             # values in the document once aliases are expanded
MAX_DEPTH = 50                  # nesting of mappings and lists


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, counting alias uses and nesting as it composes."""

    def __init__(self, stream):
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None, None, f"more than {MAX_ALIASES} aliases (allowed: at most "
                    f"{MAX_ALIASES})", mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep (allowed: at most "
                    f"{MAX_DEPTH})", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _expanded_size(x: Any, limit: int) -> int:
    """How many values ``x`` holds with aliases expanded, counting no further than
    ``limit + 1`` (so a billion-laughs document costs at most ``limit`` steps)."""
    n, stack = 0, [x]
    while stack:
        v = stack.pop()
        n += 1
        if n > limit:
            return n
        if isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return n


def safe_yaml(text_: str, file: str, field_: str = "(file)") -> Any:
    """Parse YAML text with bounded aliases, nesting and expanded size.

    Raises ``yaml.YAMLError`` for malformed text and :class:`InputError` for a document
    that would expand beyond :data:`MAX_NODES` values.
    """
    loader = _BoundedLoader(text_)
    try:
        raw = loader.get_single_data()
    finally:
        loader.dispose()
    if _expanded_size(raw, MAX_NODES) > MAX_NODES:
        raise InputError([Problem(file, field_, f"more than {MAX_NODES} values once its "
                                  f"aliases are expanded (allowed: at most {MAX_NODES})")])
    return raw


def _apply_overrides(raw: dict, overrides: Mapping[str, Any], file: str) -> list[Problem]:
    problems = []
    for dotted, value in overrides.items():
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


def _build(raw: Any, path: Path, overrides: Mapping[str, Any] | None, sha: str) -> Params:
    file = str(path)
    raw = copy.deepcopy(raw)
    problems: list[Problem] = []
    if isinstance(raw, dict) and overrides:
        problems += _apply_overrides(raw, overrides, file)
    clean, more = _validate(raw, SCHEMA, file)
    problems += more
    if not more:
        data, outside = data_paths(clean["data"], path, clean["data_root"])
        problems += outside
    raise_if(problems)
    r, b, m = clean["run"], clean["buyer_groups"], clean["monitor"]
    return Params(
        name=clean["name"],
        title=clean["title"],
        language=clean["language"],
        run=RunOptions(**r),
        data=MappingProxyType(data),
        buyer_groups=BuyerGroupOptions(
            household_factor=b["household_factor"],
            award_probability=b["award_probability"],
            additionality=b["additionality"],
            uncertainty=MappingProxyType(dict(b["uncertainty"])),
        ),
        monitor=MonitorOptions(**m),
        path=path,
        resolved=_freeze(clean),
        sha256=sha,
    )


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def project_folder(params_path: Path) -> Path:
    """The project folder of a params file: the parent of the file's folder (resolved)."""
    return Path(params_path).resolve().parent.parent


def input_label(path: Path, params_path: Path) -> str:
    """How a data file is named in messages and provenance: as reached from the params file's
    folder's parent (the project root), so the same on every machine."""
    try:
        return str(Path(path).resolve().relative_to(project_folder(params_path)))
    except ValueError:
        return str(path)


def input_labels(params: Params) -> dict[str, str]:
    """Table key -> project-relative path label, for provenance."""
    return {key: input_label(params.data[key], params.path) for key in DATA_KEYS}


def data_paths(data: Mapping[str, Any], params_path: Path, data_root: Any = None
               ) -> tuple[dict[str, Path], list[Problem]]:
    """The data files a params file names, and the problems of those that resolve (links
    followed) outside the project folder and outside an explicit ``data_root``."""
    file, base = str(params_path), Path(params_path).parent
    root = project_folder(params_path)
    roots, problems = [root], []
    if isinstance(data_root, str) and data_root.strip():
        extra = (base / data_root).resolve()
        if _inside(root, extra):
            problems.append(Problem(file, "data_root", f"{short(data_root)} holds the project "
                                    "folder itself (allowed: a data folder outside the project, "
                                    "or null)"))
        else:
            roots.append(extra)
    where = "the project folder" + (" or data_root" if len(roots) > 1 else "")
    paths = {}
    for key, value in data.items():
        if not isinstance(value, str):
            continue
        paths[key] = base / value
        if not any(_inside(paths[key].resolve(), r) for r in roots):
            link = any(_inside(Path(os.path.abspath(paths[key])), r) for r in roots)
            what = "is a link to a file outside" if link else "lies outside"
            problems.append(Problem(file, f"data.{key}", f"{short(value)} {what} {where} "
                                    "(allowed: a path inside the project folder, or inside a "
                                    "data_root the params name)"))
    return paths, problems


def sweep_base_problems(base: str, path: Path) -> list[Problem]:
    """A sweep's base must name a params file (``.yaml``/``.yml``); its data paths are then
    held to the base's own project like any params file's."""
    if Path(base).suffix not in (".yaml", ".yml"):
        return [Problem(str(path), "base", f"{short(base)} is not a .yaml file (allowed: a "
                        "params file, e.g. ../reference.yaml)")]
    return []


def read_yaml(path: Path, what: str) -> tuple[Any, str]:
    """(parsed YAML, text) of a file; an empty file reads as ``{}``.

    Raises :class:`InputError` naming the file (and the line of a YAML error).
    """
    file = str(path)
    try:
        if path.is_dir():
            raise InputError([Problem(file, "(file)", f"is a folder (allowed: {what})")])
        if path.stat().st_size > MAX_YAML_BYTES:
            raise InputError([Problem(file, "(file)", f"larger than {MAX_YAML_BYTES:,} bytes "
                                      f"(allowed: {what} of at most {MAX_YAML_BYTES:,} bytes)")])
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(file, "(file)", f"not found (allowed: {what})")]) from None
    except OSError as exc:
        raise InputError([Problem(file, "(file)", f"cannot be read: {exc.strerror} (allowed: "
                                  f"a readable file, {what})")]) from None
    try:
        text_ = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError([decode_problem(file, data, exc)]) from None
    try:
        raw = safe_yaml(text_, file)
    except InputError:
        raise
    except RecursionError:
        raise InputError([Problem(file, "(file)", "nested too deeply (allowed: at most "
                                  f"{MAX_DEPTH} levels)")]) from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise InputError([Problem(file, "(file)", f"a value YAML cannot hold: {short(str(exc))} "
                                  "(allowed: numbers of at most 4300 digits)")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        reason = reason[:100]
        if "(allowed" not in reason:
            reason += " (allowed: YAML, as in params/reference.yaml)"
        raise InputError([Problem(file, where, f"malformed YAML: {reason}")]) from None
    return ({} if raw is None else raw), text_


def load_params(
    path: str | Path,
    overrides: Mapping[str, Any] | None = None,
    n_draws: int | None = None,
    seed: int | None = None,
) -> Params:
    """Read, override and validate a params file.

    Parameters
    ----------
    path : params file (YAML).
    overrides : dotted paths to values, as ``--set`` (``{"run.seed": 7}``); ``None``: none.
    n_draws, seed : shortcuts for ``run.n_draws`` and ``run.seed``; ``None``: as the file says.

    Raises
    ------
    InputError
        listing every problem, each naming the file and the field.
    """
    path = Path(path)
    raw, text_ = read_yaml(path, "a params YAML file")
    all_overrides: dict[str, Any] = dict(overrides or {})
    if n_draws is not None:
        all_overrides["run.n_draws"] = n_draws
    if seed is not None:
        all_overrides["run.seed"] = seed
    sha = hashlib.sha256(text_.encode("utf-8")).hexdigest()
    return _build(raw, path, all_overrides, sha)


# --------------------------------------------------------------------------------------------
# Params against the tables they name
# --------------------------------------------------------------------------------------------


def params_problems(params: Params, household_factors: list[str], all_periods: list[str],
                     params_label: str) -> tuple[list[Problem], tuple[str, ...]]:
    """The params' references into the tables: household factor id, periods, headline
    period. Returns (problems, the periods estimated in data order)."""
    p: list[Problem] = []
    if params.buyer_groups.household_factor not in household_factors:
        p.append(Problem(params_label, "buyer_groups.household_factor",
                         f"unknown id {short(params.buyer_groups.household_factor)} (allowed: "
                         f"{', '.join(household_factors)})"))
    wanted = params.monitor.periods
    if wanted == "all":
        periods = tuple(all_periods)
    else:
        unknown = [q for q in wanted if q not in all_periods]
        for q in unknown:
            p.append(Problem(params_label, "monitor.periods",
                             f"unknown period {short(q)} (allowed: {', '.join(all_periods)})"))
        periods = tuple(q for q in all_periods if q in wanted)
    hp = params.monitor.headline_period
    if hp is not None and hp not in periods:
        p.append(Problem(params_label, "monitor.headline_period",
                         f"{short(hp)} is not among the periods estimated (allowed: "
                         f"{', '.join(periods) or 'none'}, or null)"))
    return p, periods


def check_params_against(params: Params, inputs: Any) -> list[Problem]:
    """Problems of a params object (e.g. a sweep scenario's) against inputs already loaded."""
    return params_problems(params, list(inputs["household_factors"]["id"]),
                            list(inputs["monitor_periods"]["period"]), str(params.path))[0]
