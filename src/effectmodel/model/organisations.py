"""The footprint of one buying organisation, and of a planned tender: the spend and impact
method (:mod:`.spendimpact`) applied to the spend a tender list records, per organisation
and spend group, and to a planned tender's value.

The intensities are the run's: the same draws per group (correlated as
``spend_impact.intensity_correlation`` says) and the same calibration factor, so the
organisations' footprints sum to the footprint of the list's whole spend draw by draw, and a
planned euro meets the same intensity as a spent one. The recorded amounts carry no error of
their own. Pure functions on arrays and frames; reading and writing are in
:mod:`effectmodel.pipeline.footprints`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: organisations per block when their draws are summarised (bounds the memory: a block of
#: draws x organisations at a time)
BLOCK = 256


def spend_matrix(units: pd.DataFrame, groups: list[str]) -> tuple[list[str], np.ndarray]:
    """The organisations (sorted) and their spend per group [EUR] (organisation, group):
    ``units`` has ``buyer``, ``group`` and ``value`` [EUR], one row per tender or lot."""
    table = units.pivot_table(index="buyer", columns="group", values="value", aggfunc="sum",
                              fill_value=0.0, sort=True)
    table = table.reindex(columns=groups, fill_value=0.0)
    return list(table.index), table.to_numpy(float)


def summarise(totals: np.ndarray, interval: float) -> dict[str, np.ndarray]:
    """Median and the central ``interval`` of each column of ``totals`` (draw, column)."""
    a = (1.0 - interval) / 2
    q = np.quantile(totals, [0.5, a, 1.0 - a], axis=0)
    return {"median": q[0], "low": q[1], "high": q[2]}


def organisation_draws(spend: np.ndarray, intensity: np.ndarray, to_unit: float
                       ) -> np.ndarray:
    """Draws of each organisation's footprint [footprint unit] (draw, organisation): its
    ``spend`` (organisation, group) [EUR] at the ``intensity`` draws (draw, group) [unit
    per EUR], groups with an intensity only."""
    return intensity @ spend.T * to_unit


def organisation_footprints(spend: np.ndarray, intensity: np.ndarray, modes: np.ndarray,
                            to_unit: float, interval: float) -> dict[str, np.ndarray]:
    """Each organisation's footprint [the indicator's footprint unit] and footprint per euro
    [the indicator's unit per EUR] of its ``spend`` (organisation, group) [EUR] at the
    ``intensity`` draws (draw, group) [unit per EUR]: ``central`` at the ``modes`` (group,),
    and the draws' ``median``, ``low`` and ``high``; ``per_eur_*`` the same divided by the
    organisation's spend. A group without an intensity (NaN) adds nothing and is counted in
    ``spend_without`` [EUR]."""
    known = ~np.isnan(modes)
    s = spend[:, known]
    i = intensity[:, known]
    total_spend = spend.sum(axis=1)
    out = {"spend": total_spend, "spend_without": spend[:, ~known].sum(axis=1),
           "central": s @ modes[known] * to_unit}
    parts = {k: [] for k in ("median", "low", "high")}
    for start in range(0, s.shape[0], BLOCK):
        draws = organisation_draws(s[start:start + BLOCK], i, to_unit)
        for k, v in summarise(draws, interval).items():
            parts[k].append(v)
    for k, v in parts.items():
        out[k] = np.concatenate(v) if v else np.zeros(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        for k in ("central", "median", "low", "high"):
            out[f"per_eur_{k}"] = np.where(total_spend > 0,
                                           out[k] / to_unit / total_spend, np.nan)
    return out


def largest_groups(spend: np.ndarray, modes: np.ndarray, groups: list[str], n: int = 3
                   ) -> list[list[tuple[str, float]]]:
    """Per organisation its ``n`` groups of the largest central footprint, each with its
    share of the organisation's central footprint [-] (groups without one left out)."""
    fp = spend * np.nan_to_num(modes)  # a group without an intensity adds 0
    total = fp.sum(axis=1)
    out = []
    for row, t in zip(fp, total, strict=True):
        order = [k for k in np.argsort(-row, kind="stable")[:n] if row[k] > 0]
        out.append([(groups[k], float(row[k] / t)) for k in order])
    return out


def planned_footprints(values: np.ndarray, intensity: np.ndarray, modes: np.ndarray,
                       to_unit: float, interval: float) -> dict[str, np.ndarray]:
    """Each planned tender's expected footprint: per euro [unit per EUR] (its group's
    intensity draws, (draw, tender), and mode (tender,)) and in total [footprint unit] for
    its ``values`` [EUR]."""
    per = summarise(intensity, interval)
    out = {f"per_eur_{k}": v for k, v in per.items()} | {"per_eur_central": modes}
    for k in ("central", "median", "low", "high"):
        out[k] = out[f"per_eur_{k}"] * values * to_unit
    return out
