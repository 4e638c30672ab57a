"""Coverage of the monitor's interval, from frame to estimate.

A synthetic finite population of tenders in four product groups (values lognormal, a third
without effect, effects in proportion to value with noise) is sampled as `effectmodel
sample` does (stratified, without replacement, n_h per product group, frame counts known);
each sample is written as a project's tables and run through the package (validate,
evaluate with the design bootstrap, translation factors and frame totals fixed so that the
sample is the only uncertainty). The share of repetitions whose 90% interval holds the
population's true total is the coverage: of the period total and per product group.

    python benchmarks/coverage.py [--reps 500] [--n 5,8,12,15] [--draws 1000] [--seed 1]
                                  [--bootstrap design|bayesian]

Target (issue 25): 0.87-0.93 for the total at 90%. Prints one line per figure.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

GROUPS = ("a", "b", "c", "d")
FRAME = (60, 120, 40, 200)      # tenders per product group in the population, N_h
PERIOD = "2019-2020"
SOURCE = "assumption: synthetic coverage population"


def population(seed: int) -> pd.DataFrame:
    """The finite population: group, tender id, value [EUR], effect [t CO2-eq]."""
    rng = np.random.default_rng(seed)
    rows = []
    for g, n_frame in zip(GROUPS, FRAME, strict=True):
        x = rng.lognormal(12, 0.7, n_frame)
        y = 1e-5 * x * rng.gamma(2.0, 0.5, n_frame) * (rng.random(n_frame) < 0.67)
        rows += [{"product_group": g, "tender_id": f"{g}{i}", "value": v, "effect": e}
                 for i, (v, e) in enumerate(zip(x, y, strict=True))]
    return pd.DataFrame(rows)


def write_project(folder: Path, pop: pd.DataFrame, sample: pd.DataFrame, draws: int,
                  bootstrap: str = "design") -> Path:
    """A project whose sample is ``sample``: one criterion per tender with an effect,
    saving 1 t per unit (fixed), its quantity the tender's effect; returns its params."""
    data = folder / "data"
    data.mkdir(parents=True)
    (folder / "params").mkdir()
    frame = pop.groupby("product_group").agg(total=("value", "sum"), n=("value", "size"))
    tables = {
        "product_groups": pd.DataFrame({"id": GROUPS, "name_nl": GROUPS, "name_en": GROUPS,
                                        "cluster": "x", "in_pilot_2015_2016": "yes"}),
        "monitor_periods": pd.DataFrame({"period": [PERIOD], "published_t": [""],
                                         "published_bound": [""],
                                         "published_unit_label": [""],
                                         "n_product_groups_published": [""],
                                         "household_factor": ["hf"]}),
        "household_factors": pd.DataFrame({
            "id": ["hf"], "publication": ["x"], "t_per_household_dist": ["fixed"],
            "t_per_household_low": [5.0], "t_per_household_mode": [5.0],
            "t_per_household_high": [5.0], "households_published": [""], "basis": ["x"]}),
        "frame_totals": pd.DataFrame({"period": PERIOD, "product_group": frame.index,
                                      "frame_total_eur": frame["total"].to_numpy(),
                                      "relative_uncertainty": 0.0}),
        "sub_strata": pd.DataFrame({"period": PERIOD, "product_group": frame.index,
                                    "sub_stratum": "all",
                                    "frame_count": frame["n"].to_numpy()}),
        "translation_factors": pd.DataFrame({
            "factor_id": [f"f-{g}" for g in GROUPS], "indicator": "co2_eq",
            "product_group": GROUPS, "criterion": "x", "unit": "t", "baseline_ef_dist": "fixed",
            "baseline_ef_low": 1.0, "baseline_ef_mode": 1.0, "baseline_ef_high": 1.0,
            "mvi_ef_dist": "fixed", "mvi_ef_low": 0.0, "mvi_ef_mode": 0.0,
            "mvi_ef_high": 0.0}),
        "sampled_tenders": pd.DataFrame({
            "period": PERIOD, "product_group": sample["product_group"], "sub_stratum": "all",
            "tender_id": sample["tender_id"], "value_eur": sample["value"], "weight": 1}),
        "criteria": pd.DataFrame({
            "period": PERIOD, "tender_id": sample["tender_id"], "criterion_id": "1",
            "type": "minimum", "ambition": "basis", "in_contract": "yes",
            "beyond_market_standard": np.where(sample["effect"] > 0, "yes", "no"),
            "factor_id": np.where(sample["effect"] > 0, "f-" + sample["product_group"], ""),
            "quantity": np.where(sample["effect"] > 0, sample["effect"], np.nan),
            "years": 4}),
    }
    for key, df in tables.items():
        df.assign(source=SOURCE).to_csv(data / f"{key}.csv", index=False)
    params = {"schema_version": 1, "name": "coverage", "title": "coverage",
              "run": {"seed": 1, "n_draws": draws},
              "data": {k: f"../data/{k}.csv" for k in tables},
              "monitor": {"bootstrap": bootstrap, "emission_factor_uncertainty": False,
                          "frame_total_uncertainty": False, "projection": False,
                          "zero_effect_strata": "jeffreys"}}
    path = folder / "params" / "coverage.yaml"
    path.write_text(yaml.safe_dump(params))
    return path


def one(pop: pd.DataFrame, n_h: dict[str, int], rng: np.random.Generator, draws: int,
        seed: int, bootstrap: str = "design") -> tuple[bool, dict[str, bool]]:
    """Whether one sample's 90% intervals hold the true totals (period, each group)."""
    import effectmodel as em

    parts = [g.iloc[rng.choice(len(g), n_h[name], replace=False)]
             for name, g in pop.groupby("product_group")]
    sample = pd.concat(parts).reset_index(drop=True)
    with tempfile.TemporaryDirectory() as tmp:
        params = em.load_params(write_project(Path(tmp), pop, sample, draws, bootstrap),
                                overrides={"run.seed": seed})
        ds = em.evaluate(params, em.load_inputs(params))
    truth = pop.groupby("product_group")["effect"].sum()
    total = ds["period_total_t"].sel(period=PERIOD).values
    lo, hi = np.quantile(total, [0.05, 0.95])
    by_group = {}
    for g in GROUPS:
        x = ds["pg_reduction_t"].sel(stratum=f"{PERIOD}/{g}").values
        a, b = np.quantile(x, [0.05, 0.95])
        by_group[g] = bool(a <= truth[g] <= b)
    return bool(lo <= truth.sum() <= hi), by_group


def coverage(reps: int, sizes: tuple[int, ...], draws: int, seed: int,
             bootstrap: str = "design") -> dict[str, float]:
    """Coverage of the 90% interval over ``reps`` samples: of the period total and of each
    product group [-]."""
    pop = population(seed)
    n_h = dict(zip(GROUPS, sizes, strict=True))
    rng = np.random.default_rng(seed + 1)
    hits, groups = 0, dict.fromkeys(GROUPS, 0)
    for r in range(reps):
        total, by_group = one(pop, n_h, rng, draws, seed + r, bootstrap)
        hits += total
        for g, ok in by_group.items():
            groups[g] += ok
    return {"total": hits / reps, **{g: k / reps for g, k in groups.items()}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=500)
    ap.add_argument("--n", default="5,8,12,15", help="sampled tenders per product group")
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bootstrap", choices=("design", "bayesian"), default="design")
    args = ap.parse_args(argv)
    sizes = tuple(int(v) for v in args.n.split(","))
    cov = coverage(args.reps, sizes, args.draws, args.seed, args.bootstrap)
    se = np.sqrt(0.9 * 0.1 / args.reps)
    print(f"coverage of the 90% interval, {args.bootstrap} bootstrap, over {args.reps} "
          f"samples (n_h {args.n} of "
          f"N_h {','.join(map(str, FRAME))}; Monte Carlo SE {se:.3f}):")
    for name, value in cov.items():
        print(f"  {'period total' if name == 'total' else 'product group ' + name}: "
              f"{value:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
