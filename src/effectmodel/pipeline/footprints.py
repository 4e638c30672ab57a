"""``effectmodel footprint``: the footprint of each buying organisation in a tender list
(TenderNed workbook, OCDS, CSV or xlsx), and of planned tenders, per euro and in total, with
ranges (:mod:`effectmodel.model.organisations`).

The list is read as ``effectmodel frame`` reads it; each tender or lot of the period counts
its value (awarded, else estimated) for its buyer, in the spend group its CPV division maps
to (``maps/cpv_spend_groups.csv``, or ``--spend-map``). The intensities, their correlation
and their calibration are the params' spend and impact. Writes into a new or empty folder
only: ``organisations.csv``, ``organisation_groups.csv``, ``footprint_totals.csv``,
``unmapped_cpv.csv``, ``planned.csv`` (with ``--planned``) and ``footprint.xlsx`` (the same
tables, a sheet each), column names in the params' language.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from effectmodel.domain.columns import SPEND_INDICATORS
from effectmodel.domain.crosscheck import spend_period
from effectmodel.domain.errors import InputError, Problem
from effectmodel.inputs.data import load_inputs
from effectmodel.inputs.paramsfile import load_params
from effectmodel.inputs.tenderlist import (
    read_map,
    read_planned,
    read_rates,
    read_spend_map,
    read_tender_list,
)
from effectmodel.model import frame as fr
from effectmodel.model import organisations as org
from effectmodel.model.spendimpact import (
    evaluate_spend_impact,
    footprint_year,
    intensity_draws,
    intensity_modes,
)
from effectmodel.pipeline.framing import new_folder, period_bounds, refuse_unless_empty, write_csv
from effectmodel.pipeline.outputs import write_book
from effectmodel.report.i18n import unit_text
from effectmodel.report.tables import localised

#: CPV division -> spend group of the reference data (shipped with the package)
DEFAULT_SPEND_MAP = Path(__file__).resolve().parents[1] / "maps" / "cpv_spend_groups.csv"
#: the largest groups named per organisation
LARGEST = 3


def _params(params_path: Path):
    """The params and their inputs, which must name spend intensities."""
    params = load_params(params_path)
    if not params.resolved["data"].get("spend_intensities"):
        raise InputError([Problem(str(params_path), "data.spend_intensities", "missing "
                                  "(allowed: a params file whose data name the footprint per "
                                  "euro of each spend group)")])
    return params, load_inputs(params)


def _national(params, inputs) -> tuple[dict[str, float], dict[str, dict], str]:
    """As the run finds them: each indicator's calibration factor [-] (1 without one), its
    national footprint per euro [unit per EUR] (central, median, low, high) from the
    params' spend, and the year (or period) of that spend."""
    period = spend_period(params, tuple(inputs.periods))
    ds = evaluate_spend_impact(params, inputs, period)
    spend = ds["si_spend_eur"].values.sum(axis=1)
    central_spend = float(ds["si_spend_central_eur"].values.sum())
    factors, per_eur = {}, {}
    for ind, (_, _, to_unit) in SPEND_INDICATORS.items():
        if f"si_{ind}" not in ds:
            continue
        factors[ind] = float(ds[f"si_{ind}_calibration"])
        per = np.nansum(ds[f"si_{ind}"].values, axis=1) / to_unit / spend
        q = org.summarise(per[:, None], params.run.interval)
        per_eur[ind] = {"central": float(np.nansum(ds[f"si_{ind}_central"].values)) / to_unit
                        / central_spend} | {k: float(v[0]) for k, v in q.items()}
    return factors, per_eur, footprint_year(params, inputs, period) or period


QUANTITIES = ("central", "median", "low", "high")


def _units(tenders: Path, period: str, gmap: dict[str, str], column_map: Path | None,
           rates: Path | None, skip_bad: bool, progress) -> tuple[pd.DataFrame, pd.DataFrame,
                                                                   pd.DataFrame]:
    """The tenders or lots of ``period`` with their spend group (by CPV division), those
    counted (a value, a group and a buyer), and the valued ones whose division the map
    does not place, per division."""
    lo, hi = period_bounds(period)
    units = fr.tender_units(read_tender_list(tenders, read_map(column_map), skip_bad,
                                             read_rates(rates), progress))
    units = units[(units["date"] >= lo) & (units["date"] <= hi)].copy()
    units["division"] = fr.cpv_digits_of(units["cpv"]).str[:2]
    units["group"] = units["division"].map(gmap)
    units["buyer"] = units["buyer"].fillna("").astype(str).str.strip()
    valued = units["value"].notna()
    counted = units[valued & units["group"].notna() & (units["buyer"] != "")]
    unmapped = units[valued & units["group"].isna()].groupby(
        "division", sort=True).agg(**{"units": ("tender_id", "size"),
                                     "spend [EUR]": ("value", "sum")})
    return units, counted, unmapped


def make_footprints(tenders: Path, params_path: Path, period: str, out: Path,
                    column_map: Path | None = None, rates: Path | None = None,
                    skip_bad: bool = False, spend_map: Path | None = None,
                    planned: Path | None = None, progress=None) -> dict[str, Any]:
    """Write the footprints of the organisations in ``tenders`` over ``period`` (and of the
    ``planned`` tenders) into ``out``: per year of the period (its spend divided by its
    years), as the national footprint is. Returns figures for the command's report."""
    refuse_unless_empty(out)
    lo, hi = period_bounds(period)
    params, inputs = _params(params_path)
    gmap = read_spend_map(spend_map or DEFAULT_SPEND_MAP,
                          set(intensity_modes(inputs, "co2_eq")))
    plan = read_planned(planned) if planned is not None else None
    units, counted, unmapped = _units(tenders, period, gmap, column_map, rates, skip_bad,
                                      progress)
    groups = sorted(set(gmap.values()))
    years = int(hi.year) - int(lo.year) + 1
    buyers, spend = org.spend_matrix(counted, groups)
    spend = spend / years  # [EUR per year], as the intensities' footprints are per year
    orgs = pd.DataFrame({"organisation": buyers, "spend [EUR per year]": spend.sum(axis=1),
                         "tenders or lots": counted.groupby("buyer").size()
                         .reindex(buyers).to_numpy()})
    detail = pd.DataFrame({"organisation": np.repeat(buyers, len(groups)),
                           "group": np.tile(groups, len(buyers)),
                           "spend [EUR per year]": spend.ravel()})
    plan_out = None if plan is None else plan.assign(group=plan["cpv"].str[:2].map(gmap))
    totals, said = _indicators(params, inputs, groups, spend, (orgs, detail, plan_out))
    orgs["largest groups (share of co2_eq)"] = [
        "; ".join(f"{g} {share:.0%}" for g, share in top)
        for top in org.largest_groups(spend, np.array(
            [intensity_modes(inputs, "co2_eq").get(g, np.nan) for g in groups]), groups,
            LARGEST)]
    tables = {"organisations": orgs.sort_values("spend [EUR per year]", ascending=False,
                                                kind="stable"),
              "organisation_groups": detail[detail["spend [EUR per year]"] > 0],
              "footprint_totals": pd.DataFrame(totals),
              "unmapped_cpv": unmapped.reset_index()}
    if plan_out is not None:
        tables["planned"] = plan_out
    _write(new_folder(out), tables, params.language)
    valued = units["value"].notna()
    return {"units": len(units), "counted": len(counted), "without_value": int((~valued).sum()),
            "unmapped_units": int(unmapped["units"].sum()),
            "unmapped_eur": float(unmapped["spend [EUR]"].sum()),
            "organisations": len(buyers), "spend_eur": float(spend.sum()) * years,
            "totals": said, "planned": 0 if plan is None else len(plan),
            "unplanned": [] if plan_out is None else
            list(plan_out.loc[plan_out["group"].isna(), "id"]), "language": params.language,
            "interval": params.run.interval}


def _indicators(params, inputs, groups: list[str], spend: np.ndarray,
                frames: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]
                ) -> tuple[list[dict], list[dict]]:
    """Each indicator's columns of the organisations, their groups and the planned tenders
    (``frames``, filled in place), and its rows of the totals (the national spend's figure
    per euro, and the list's) with what the command says of it."""
    orgs, detail, plan_out = frames
    factors, national, national_year = _national(params, inputs)
    interval = params.run.interval
    totals, said = [], []
    for ind, (per_eur, unit, to_unit) in SPEND_INDICATORS.items():
        modes_of = intensity_modes(inputs, ind)
        if not modes_of:
            continue
        k, nat = factors[ind], national[ind]
        modes = np.array([modes_of.get(g, np.nan) for g in groups]) * k
        draws = intensity_draws(params, inputs, ind, groups) * k
        f = org.organisation_footprints(spend, draws, modes, to_unit, interval)
        for key in QUANTITIES:
            orgs[f"{ind} {key} [{unit}]"] = f[key]
        for key in QUANTITIES:
            orgs[f"{ind} {key} [{per_eur}]"] = f[f"per_eur_{key}"]
        orgs[f"{ind} central per euro / national [-]"] = f["per_eur_central"] / nat["central"]
        detail[f"{ind} central [{unit}]"] = (spend * modes * to_unit).ravel()  # NaN: none
        whole = org.organisation_footprints(spend.sum(axis=0, keepdims=True), draws, modes,
                                            to_unit, interval)
        said.append({"indicator": ind, "unit": unit_text(unit, params.language),
                     "per_unit": unit_text(per_eur, params.language),
                     **{key: float(whole[key][0]) for key in ("median", "low", "high")},
                     "per_eur": float(whole["per_eur_median"][0]),
                     "national_per_eur": nat["median"], "national_year": national_year})
        totals += [
            {"indicator": ind, "scope": f"national spend {national_year}",
             "spend [EUR per year]": None, "calibration factor": k,
             **{f"{key} [{unit}]": None for key in QUANTITIES},
             **{f"{key} [{per_eur}]": nat[key] for key in QUANTITIES}},
            {"indicator": ind, "scope": "tender list",
             "spend [EUR per year]": float(spend.sum()), "calibration factor": k,
             **{f"{key} [{unit}]": float(whole[key][0]) for key in QUANTITIES},
             **{f"{key} [{per_eur}]": float(whole[f"per_eur_{key}"][0]) for key in QUANTITIES}}]
        if plan_out is not None:
            _planned(plan_out, groups, draws, modes, (ind, per_eur, unit, to_unit), interval)
    return totals, said


def _planned(plan_out: pd.DataFrame, groups: list[str], draws: np.ndarray, modes: np.ndarray,
             indicator: tuple[str, str, str, float], interval: float) -> None:
    """One indicator's columns of the planned tenders (in place): per euro, and for the
    tender's whole value; NaN for a tender whose CPV division has no group."""
    ind, per_eur, unit, to_unit = indicator
    at = [groups.index(g) if g in groups else -1 for g in plan_out["group"]]
    ok = np.array([a >= 0 for a in at], dtype=bool)
    cols = [a for a in at if a >= 0]
    pf = org.planned_footprints(plan_out["value_eur"].to_numpy(float)[ok], draws[:, cols],
                                modes[cols], to_unit, interval)
    whole_value = unit.removesuffix(" per year")  # a tender's whole value
    for key in QUANTITIES:
        for name, col in ((f"{ind} {key} [{per_eur}]", f"per_eur_{key}"),
                          (f"{ind} {key} [{whole_value}]", key)):
            values = np.full(len(plan_out), np.nan)
            values[ok] = pf[col]
            plan_out[name] = values


def _twelve(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with its floats at the 12 significant digits summary.json keeps: the same
    inputs give the same bytes on any machine."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype.kind == "f":
            out[c] = [float(f"{x:.12g}") if x == x else x for x in out[c]]
    return out


def _write(out: Path, tables: dict[str, pd.DataFrame], lang: str) -> None:
    """Each table as CSV and as a sheet of footprint.xlsx, its column names in ``lang``."""
    shown = {name: localised(_twelve(df.reset_index(drop=True)), lang)
             for name, df in tables.items()}
    for name, df in shown.items():
        write_csv(df, out / f"{name}.csv")
    write_book(shown, out / "footprint.xlsx")
