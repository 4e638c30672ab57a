"""Parameter sweeps as one computation: the design's scenarios, their stacked evaluation
along a leading ``scenario`` axis, and the sweep's summary with SALib Sobol indices.

Pure: validated params and inputs in, xarray out. Each scenario's draws come from (seed,
scenario index), so the numbers do not depend on how scenarios are grouped into chunks.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import xarray as xr

from effectmodel.domain.crosscheck import check_params_against
from effectmodel.domain.errors import InputError, raise_if
from effectmodel.domain.params import Params
from effectmodel.domain.sweepspec import OUTPUTS, SweepSpec
from effectmodel.model import buyergroups, monitor, outcomes
from effectmodel.model.distributions import quantile_bounds
from effectmodel.model.rundesign import run_design
from effectmodel.model.sampling import (
    RATE_OPTIONS,
    buyer_group_arrays,
    input_draws,
    sample_household_factor,
    shared_rates,
)

if TYPE_CHECKING:
    from effectmodel.domain.inputdata import Inputs

STATS = ("mean", "median", "low", "high")


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
        # the last column is the dummy parameter: drawn, never applied
        return [{k: float(v) for k, v in zip(names, row[:len(names)], strict=True)}
                for row in x]
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


def scenario_stats(a: np.ndarray, interval: float) -> np.ndarray:
    """Mean, median, low and high over the draws of (scenario, draw[, period]) figures, as
    (scenario, [period,] stat) in :data:`STATS` order [unit of the figures]."""
    lo_q, hi_q = quantile_bounds(interval)
    qs = np.quantile(a, [0.5, lo_q, hi_q], axis=1)
    return np.stack([a.mean(axis=1), qs[0], qs[1], qs[2]], axis=-1)


def evaluate_scenarios(base: Params, inputs: Inputs, overrides: Sequence[Mapping[str, Any]],
                       indices: Sequence[int], outputs: Sequence[str],
                       interval: float, common: bool = True,
                       memo: Memo | None = None) -> xr.Dataset:
    """Evaluate scenarios as one stacked computation along a leading ``scenario`` axis.

    ``common``: every scenario draws scenario 0's random numbers (common random numbers),
    so an input a scenario does not vary has the same draws in every scenario; else
    scenario *i* draws its own (seed, *i*). ``memo``: what earlier calls on the same base
    and inputs computed that these scenarios share (:class:`Memo`).

    Returns a Dataset with, per output, (scenario, [period,] stat) [unit of the output], and
    ``status`` (scenario): "ok" or the reason the scenario failed.
    """
    memo = memo if memo is not None else Memo()
    bg, mon = base.buyer_groups is not None, base.monitor is not None
    m = monitor.monitor_setup(inputs) if mon else None  # kept per inputs by monitor_setup
    status: list[str] = []
    xs, hfb, mons = [], [], []
    for sid, ov in zip(indices, overrides, strict=True):
        try:
            p = base.with_overrides(ov)
            raise_if(check_params_against(p, inputs))
        except InputError as exc:
            status.append("; ".join(f"{pr.field}: {pr.message}" for pr in exc.problems))
            continue
        status.append("ok")
        draw = 0 if common else sid
        design = _design(memo, p, inputs, draw)
        if bg:
            x, hf = _buyer_group_draws(memo, p, inputs, design, draw)
            xs.append(x)
            hfb.append(hf)
        if mon:
            mons.append(_monitor_totals(memo, m, p, inputs, design, draw))
    ok = [i for i, s in enumerate(status) if s == "ok"]
    results: dict[str, np.ndarray] = {}
    if ok:
        raw = {}
        if bg:
            total = _buyer_group_totals(xs)
            raw |= {"bg_total_t": total, "bg_households": total / np.stack(hfb)}
        if mon:
            totals, hfp = (np.stack(x) for x in zip(*mons, strict=True))
            raw |= {"period_total_t": totals, "period_households": totals / hfp}
        results = {name: scenario_stats(raw[name], interval) for name in outputs}
    return _scenario_dataset(results, status, indices, m.periods if mon else None, outputs)


class Memo:
    """Results a sweep's scenarios share, kept by the content of what they depend on
    (besides the base's inputs, which one memo never outlives): at most :attr:`Memo.size` of
    each kind, the least recently used dropped first, so scenarios that share nothing
    (no common random numbers) cost memory for :attr:`Memo.size` results, not one per
    scenario."""

    size = 8

    def __init__(self) -> None:
        self._kinds: dict[str, OrderedDict] = {}

    def get(self, kind: str, key: tuple, compute: Callable[[], Any]) -> Any:
        """The result for ``key``, computed by ``compute()`` when not kept."""
        kept = self._kinds.setdefault(kind, OrderedDict())
        if key in kept:
            kept.move_to_end(key)
            return kept[key]
        kept[key] = value = compute()
        if len(kept) > self.size:
            kept.popitem(last=False)
        return value


def _design(memo: Memo, p: Params, inputs: Inputs, draw: int):
    """The run's design for a scenario's settings, made once per settings and draw."""
    return memo.get("design", (repr(p.run), draw), lambda: run_design(p, inputs, draw))


def _buyer_group_draws(memo: Memo, p: Params, inputs: Inputs, design, draw: int
                       ) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """A scenario's buyer-group draws (each (draw, tender), as
    :func:`~effectmodel.model.sampling.buyer_group_arrays`) and household factors (draw,)
    [t CO2-eq per household]: the tenders' uncertain inputs drawn once per content of the
    (realised) tenders, the uncertainty switches and the design, as is the household
    factor; the risks, which a sweep varies, per scenario."""
    opts, r = p.buyer_groups, p.run
    state = outcomes.state_of(opts, inputs)
    tenders = inputs["buyer_group_tenders"]
    real = tenders if state is None else outcomes.realised_tenders(tenders, state)
    seen = _state_key(state)  # with the memo's inputs, all the tenders' state holds
    drawn = memo.get("bg_inputs", (seen, repr(opts.uncertainty), repr(r), draw),
                     lambda: _read_only(input_draws(real, opts, r.seed, r.n_draws, design,
                                                    draw)))
    learn = None if state is None else (state, real["buyer_group"].to_numpy(object))
    rates = memo.get("bg_rates", (seen, rate_key(opts), repr(r), draw),
                     lambda: _read_only(shared_rates(opts, r.seed, draw, r.n_draws, design,
                                                     learn)))
    hf = memo.get("household", (opts.household_factor, repr(r), draw),
                  lambda: sample_household_factor(inputs["household_factors"],
                                                  opts.household_factor, r.seed, r.n_draws,
                                                  design, draw))
    data = buyer_group_arrays(tenders, opts, r.seed, r.n_draws, design, draw, state,
                              drawn, rates)[0]
    return data, hf


def _state_key(state) -> str | None:
    """The content of the tenders' outcomes state (None without one) [hex]."""
    if state is None:
        return None
    h = hashlib.sha256(repr(state.as_of).encode())
    h.update("\0".join(map(str, state.status)).encode())
    for a in (state.quantity, state.in_contract, state.beyond):
        h.update(np.ascontiguousarray(a, dtype=float).tobytes())
    return h.hexdigest()


def rate_key(options) -> str:
    """The buyer-group options the shared rates read, as text (their names:
    :data:`~effectmodel.model.sampling.RATE_OPTIONS`)."""
    return repr(tuple(getattr(options, k) for k in RATE_OPTIONS))


def _read_only(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    for a in arrays.values():
        a.flags.writeable = False
    return arrays


def _buyer_group_totals(xs: list[dict[str, np.ndarray]]) -> np.ndarray:
    """The scenarios' buyer-group totals (scenario, draw) [t CO2-eq]: each tender's
    reduction (:func:`~effectmodel.model.buyergroups.tender_reduction`) summed over the
    tenders, as :func:`~effectmodel.model.engine.buyer_group_core` sums them."""
    stacked = [np.stack([x[k] for x in xs]) for k in
               ("quantity", "emission_factor", "reduction_fraction", "award", "additionality")]
    return buyergroups.tender_reduction(*stacked).sum(axis=-1)


def _monitor_totals(memo: Memo, m, p: Params, inputs: Inputs, design, draw: int
                    ) -> tuple[np.ndarray, np.ndarray]:
    """A scenario's monitor period totals (draw, period) [t CO2-eq] and household factors
    (draw, period) [t CO2-eq per household]: computed once per content of what they depend
    on (the monitor's options, the run's settings and the random numbers' scenario), so a
    sweep of buyer-group parameters with common random numbers computes the monitor once,
    and every scenario gets the same numbers it would compute itself."""
    def compute():
        d = monitor.draw_monitor(m, p.monitor, p.run, design, draw)
        return (monitor.monitor_core(d, m)[1],
                monitor.sample_period_household_factors(inputs, m, p.run, draw, design))

    return memo.get("monitor", (repr(p.monitor), repr(p.run), draw), compute)


def _scenario_dataset(results: dict[str, np.ndarray], status: list[str],
                      indices: Sequence[int], periods: list[str] | None,
                      outputs: Sequence[str]) -> xr.Dataset:
    """The scenarios' statistics, NaN for a failed scenario (all NaN when none ran), and
    each one's ``status``; ``periods``: None without the monitor."""
    ok = [i for i, s in enumerate(status) if s == "ok"]
    data = {}
    for name in outputs:
        unit, per_period = OUTPUTS[name]
        shape = (len(indices), len(periods), len(STATS)) if per_period else \
            (len(indices), len(STATS))
        full = np.full(shape, np.nan)
        if ok:
            full[ok] = results[name]
        dims = ("scenario", "period", "stat") if per_period else ("scenario", "stat")
        data[name] = (dims, full, {"units": unit})
    data["status"] = ("scenario", np.array(status, dtype=object))
    return xr.Dataset(data, coords={"scenario": list(indices),
                                    **({"period": periods} if periods is not None else {}),
                                    "stat": list(STATS)})


def parameter_names(spec: SweepSpec, scenarios: list[dict]) -> list[str]:
    """The dotted paths the sweep varies."""
    return list(spec.parameters) or sorted({k for s in scenarios for k in s})


def coordinate_names(paths: list[str]) -> dict[str, str]:
    """Each varied parameter's coordinate name in sweep.nc: the last part of its dotted path
    (``award_probability``), or the whole path with ``__`` for dots where two parameters
    share a last part."""
    last = [p.rsplit(".", 1)[-1] for p in paths]
    return {p: (n if last.count(n) == 1 and n not in RESERVED else p.replace(".", "__"))
            for p, n in zip(paths, last, strict=True)}


#: names sweep.nc uses itself, which a parameter's coordinate may not take
RESERVED = {"scenario", "period", "stat", "status"}


def attach_parameters(ds: xr.Dataset, spec: SweepSpec, scenarios: list[dict]) -> xr.Dataset:
    """Each varied parameter's value per scenario as a coordinate named as
    :func:`coordinate_names` says, its dotted path in the ``path`` and ``long_name``
    attributes (numbers as floats, anything else as JSON text). ``ds.set_xindex(name)`` then
    selects by value: ``.sel(award_probability=0.7)``."""
    paths = parameter_names(spec, scenarios)
    for path, name in coordinate_names(paths).items():
        vals = [s.get(path) for s in scenarios]
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in vals):
            arr = np.array(vals, dtype=float)
        else:
            arr = np.array([json.dumps(v) for v in vals], dtype=object)
        attrs = {"path": path, "long_name": path, **({"units": "1"} if arr.dtype == float
                                                     else {})}
        ds = ds.assign_coords({name: ("scenario", arr, attrs)})
    return ds


def sweep_summary(ds: xr.Dataset, spec: SweepSpec, sobol: dict | None,
                  provenance: dict, language: str = "en") -> dict[str, Any]:
    """The sweep's summary.json (``language``: of its report, the base params')."""
    status = [str(s) for s in ds["status"].values]
    out: dict[str, Any] = {
        "schema_version": 1, "kind": "sweep", "name": spec.name, "title": spec.title,
        "language": language,
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
    out["scenarios"] = scenario_table(ds, spec, status)
    return out


def scenario_table(ds: xr.Dataset, spec: SweepSpec, status: list[str]) -> list[dict[str, Any]]:
    """Per scenario: its status, the values of the varied parameters and each output's mean,
    median, low and high [unit of the output] (per period for period outputs)."""
    params = {ds[c].attrs["path"]: ds[c].values.tolist() for c in ds.coords
              if "path" in ds[c].attrs}
    periods = [str(p) for p in ds["period"].values] if "period" in ds.coords else []
    values = {name: ds[name].transpose("scenario", ..., "stat").values.tolist()
              for name in spec.outputs}
    rows = []
    for k, sid in enumerate(ds["scenario"].values.tolist()):
        outs: dict[str, Any] = {}
        for name in spec.outputs:
            v = values[name][k]
            outs[name] = ({p: dict(zip(STATS, v[j], strict=True))
                           for j, p in enumerate(periods)}
                          if "period" in ds[name].dims else dict(zip(STATS, v, strict=True)))
        rows.append({"scenario": int(sid), "status": status[k],
                     "parameters": {path: vals[k] for path, vals in params.items()},
                     "outputs": outs})
    return rows


def _range(x: np.ndarray) -> dict[str, float | None]:
    x = x[np.isfinite(x)]
    if not x.size:
        return {"min_median": None, "max_median": None}
    return {"min_median": float(x.min()), "max_median": float(x.max())}


def sobol_analysis(ds: xr.Dataset, spec: SweepSpec) -> dict | None:
    """Sobol S1/ST (SALib) of each output's scenario mean, or None when not a Sobol design."""
    if spec.method != "sobol":
        return None
    from effectmodel.domain.sweepspec import DUMMY
    from effectmodel.model.sensitivity import flag_indices, sobol_indices

    # the indices' intervals at the sweep's one level (the outputs' ranges use it too)
    result: dict[str, Any] = {"conf_level": spec.interval, "outputs": {}}
    for name in spec.outputs:
        mean = ds[name].sel(stat="mean")
        series = {name: mean.values} if "period" not in mean.dims else {
            f"{name}[{p}]": mean.sel(period=p).values for p in ds["period"].values}
        for label, y in series.items():
            if not np.isfinite(y).all():
                result["outputs"][label] = {"error": "failed scenarios: Sobol indices need "
                                                     "every scenario"}
                continue
            df = sobol_indices(dict(spec.sobol_problem), y, conf_level=spec.interval,
                               seed=spec.design_seed)
            result["outputs"][label] = flag_indices(df, DUMMY, spec.design_n)
    return result
