"""The briefing's tables as data: what the pages show, at full precision, with the unit in
each column's name, in the briefing's language (column names, figure labels, names). Pure: a
summary in, named pandas DataFrames out; ``pipeline.outputs`` writes them beside
``index.html`` as CSV files and as one workbook."""

from __future__ import annotations

from typing import Any

import pandas as pd

from effectmodel.report.formatting import display_name, model_over_rivm
from effectmodel.report.i18n import in_dutch, unit_text
from effectmodel.report.numformat import at_step, step_of

STAT_COLUMNS = ("median", "low", "high", "mean", "mc_error")


def _stats(s: dict | None, unit: str, prefix: str = "") -> dict[str, float | None]:
    """A STATS block as columns ``median [unit]``, ``low [unit]``, ..."""
    s = s or {}
    return {f"{prefix}{k} [{unit}]": s.get(k) for k in STAT_COLUMNS}


T = "t CO2-eq"


def briefing_tables(summary: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """Every table of a briefing: name -> DataFrame (a row per line of the page's table), its
    words in the briefing's language."""
    bg, mon = summary.get("buyer_groups"), summary.get("effect_monitor")
    lang = summary.get("language", "en")
    out = {"headline": _headline(bg, mon)}
    if bg is not None:
        out |= {"buyer_groups": _buyer_groups(bg, lang),
                "buyer_group_tenders": _buyer_group_tenders(bg)}
    if mon is not None:
        out |= {"product_groups": _product_groups(mon, lang), "periods": _periods(mon)}
        indicators = _indicators(mon)
        if indicators is not None:
            out["indicators"] = indicators
    if summary.get("spend_impact"):
        out["spend_impact"] = _spend_impact(summary["spend_impact"], lang)
        if summary["spend_impact"].get("years"):
            out["spend_years"] = _spend_years(summary["spend_impact"])
    vb = summary.get("variance_budget")
    if vb:
        out["variance_budget"] = _variance_budget(vb)
    return {k: localised(df, lang) for k, df in out.items()}


def translated(text: str, lang: str) -> str:
    """A column name or figure label of the tables in ``lang`` ('median [t CO2-eq per year]'
    -> 'mediaan [t CO2-eq per jaar]'): the catalogue's phrases, then the unit in brackets;
    English as it is."""
    if lang != "nl":
        return text
    head, bracket, unit = text.partition(" [")
    return in_dutch(head, "phrases", lang) + bracket + unit_text(unit, lang)


def localised(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``df`` with its column names, and its figure and group labels, in ``lang``."""
    if lang == "en":
        return df
    out = df.rename(columns=lambda c: translated(str(c), lang))
    for column in ("figure", "group"):  # labels in words (a group's id stays as it is)
        name = translated(column, lang)
        if name in out:
            out[name] = [translated(v, lang) if isinstance(v, str) and " " in v else v
                         for v in out[name]]
    return out


def _headline(bg: dict | None, mon: dict | None) -> pd.DataFrame:
    """The headline figures of the parts run, rows of several units (a unit column); beside
    each figure at full precision, the value the pages show (``... as shown``)."""
    def line(figure: str, unit: str, planned, s: dict, bound=None) -> dict[str, Any]:
        step = step_of(s)
        return {"figure": figure, "unit": unit, "as planned or published": planned,
                "published bound": bound, **{k: s.get(k) for k in STAT_COLUMNS},
                **{f"{k} as shown": at_step(s[k], step) for k in ("median", "low", "high")},
                "share of draws at 0": s.get("at_zero")}

    rows = [] if bg is None else [
        line("buyer groups, all quantified", T, bg["as_planned_t"], bg["total_t"]),
        line("buyer groups, household equivalents", "households", bg["households_as_planned"],
             bg["households"])]
    for p in (mon or {}).get("periods", []):
        rows.append(line(f"effect monitor {p['period']}", T, p["published_t"], p["total_t"],
                         p["published_bound"]))
    return pd.DataFrame(rows)


def _buyer_groups(bg: dict, lang: str) -> pd.DataFrame:
    return pd.DataFrame([
        {"buyer group": g["id"], "name": g[f"name_{lang}"], "quantified": g["quantified"],
         f"as planned [{T}]": g["as_planned_t"], **_stats(g["total_t"], T),
         "reason not quantified": g.get(f"reason_not_quantified_{lang}")}
        for g in bg["groups"]])


def _buyer_group_tenders(bg: dict) -> pd.DataFrame:
    return pd.DataFrame([
        {"tender": r["id"], "buyer group": r["buyer_group"], "description": r["description"],
         "unit": r["quantity_unit"], "award probability": r["award_probability"],
         **{f"{v} {k}": r[f"{v}_{k}"] for v in ("quantity", "emission_factor",
                                                  "reduction_fraction", "additionality")
            for k in ("dist", "low", "mode", "high")},
         f"as planned [{T}]": r["as_planned_t"], **_stats(r["total_t"], T)}
        for r in bg["tenders"]])


def _product_groups(mon: dict, lang: str) -> pd.DataFrame:
    rows = []
    for p in mon["periods"]:
        for g in p["product_groups"]:
            sh = g["share_with_effect"]
            rows.append({"period": p["period"], "product group": g["id"],
                         "name": g[f"name_{lang}"],
                         "sampled": g["n_sampled"], "with effect": g["n_with_effect"],
                         "share with effect": sh["estimate"], "share low": sh["low"],
                         "share high": sh["high"], "frame total [EUR]": g["frame_total_eur"],
                         f"central [{T}]": g["central_t"], **_stats(g["reduction_t"], T),
                         f"design SE [{T}]": g.get("design_se_t"),
                         "design effect": g.get("design_effect"),
                         "no counted effect (Jeffreys bound)": g.get("zero_effect"),
                         "no upper bound": g.get("unbounded"),
                         "self-check coverage": g.get("self_check_coverage"),
                         f"upper 95% [{T}]": g.get("upper_95_t"),
                         f"upper 95%, uniform prior [{T}]": g.get("upper_95_uniform_t"),
                         **{f"criteria {k}": v for k, v in (g.get("criteria") or {}).items()},
                         f"central per year [{T} per year]": g.get("central_t_per_year")})
    return pd.DataFrame(rows)


#: the column name of each breakdown of a period's figures, by the breakdown's key
_BREAKDOWN = {"criteria": "criteria {k}",
              "central_by_unclear_t": "central, unclear as {k} [" + T + "]",
              "central_by_ambition_t": "central, ambition {k} [" + T + "]",
              "central_by_type_t": "central, type {k} [" + T + "]"}


def _periods(mon: dict) -> pd.DataFrame:
    rows = []
    for p in mon["periods"]:
        row = {"period": p["period"], f"central [{T}]": p["central_t"],
               **_stats(p["total_t"], T), **_stats(p.get("total_t_per_year"),
                                                   f"{T} per year", "per year "),
               **_stats(p.get("households_per_year"), "households per year", "households ")}
        for group, name in _BREAKDOWN.items():
            for k, v in (p.get(group) or {}).items():
                row[name.format(k=k)] = v
        rows.append(row)
    return pd.DataFrame(rows)


def _indicators(mon: dict) -> pd.DataFrame | None:
    rows = []
    for ind in mon.get("indicators") or []:
        for p in ind["periods"]:
            pub = p["published"] or {}
            rows.append({"indicator": ind["id"], "period": p["period"],
                         f"RIVM published [{ind['unit']}]": pub.get("value"),
                         "RIVM published as": pub.get("label"),
                         "RIVM basis": pub.get("basis"),
                         f"central [{ind['unit']}]": p["central"],
                         "computed": p.get("n_criteria", 1) > 0,
                         "model over RIVM": model_over_rivm(p),
                         **_stats(p["total"], ind["unit"]),
                         **_stats(p["total_per_year"], ind["unit_per_year"], "per year ")})
    return pd.DataFrame(rows) if rows else None


def _spend_impact(si: dict, lang: str) -> pd.DataFrame:
    """One row per spend group: its spend [EUR per year], and per indicator its intensity
    (the mode), its footprint at the modes and the draws' median and range."""
    units = {i["id"]: (i["unit"], i["unit_per_eur"]) for i in si["indicators"]}
    rows = []
    for g in si["groups"]:
        row = {"group": g["group"], "name": display_name(g, lang),
               "spend [EUR per year]": g["spend_eur"]}
        for ind, (unit, per_eur) in units.items():
            fp = g["footprint"].get(ind) or {}
            row[f"{ind} [{per_eur}]"] = g["intensity"].get(ind)
            row[f"{ind} central [{unit}]"] = fp.get("central")
            row |= {f"{ind} {k} [{unit}]": fp.get(k) for k in ("median", "low", "high")}
        rows.append(row)
    return pd.DataFrame(rows)


def _spend_years(si: dict) -> pd.DataFrame:
    """One row per year of the spend table: its spend [EUR per year] and per indicator its
    footprint at the modes and the draws' median and range."""
    units = {i["id"]: i["unit"] for i in si["indicators"]}
    rows = []
    for y in si["years"]:
        row = {"year": y["year"], "spend [EUR per year]": y["spend_eur"]["central"]}
        for ind, unit in units.items():
            fp = y["footprint"][ind]
            row |= {f"{ind} {k} [{unit}]": fp[k] for k in ("central", "median", "low", "high")}
        rows.append(row)
    return pd.DataFrame(rows)


def _variance_budget(vb: dict) -> pd.DataFrame:
    """One row per figure and group of inputs: first-order and total Sobol indices with their
    95% Monte Carlo intervals [-], and the interactions (1 - sum of first orders)."""
    figures = {}
    if vb.get("buyer_groups"):
        figures["buyer groups, total"] = vb["buyer_groups"]
    if vb.get("monitor"):
        period = vb["monitor"]["period"]
        if vb["monitor"].get("indices"):
            figures[f"effect monitor {period}"] = vb["monitor"]["indices"]
        figures |= {f"{i}, {period}": b for i, b in vb["monitor"].get("indicators", {}).items()
                    if b}
    rows = []
    for name, b in figures.items():
        for g, x in b["groups"].items():
            rows.append({"figure": name, "group": g, "first order": x["first_order"],
                         "first order low": x["first_order_ci"][0],
                         "first order high": x["first_order_ci"][1], "total": x["total"],
                         "total low": x["total_ci"][0], "total high": x["total_ci"][1]})
        rows.append({"figure": name, "group": "interactions (1 - sum of first orders)",
                     "first order": b["interactions"]["share"],
                     "first order low": b["interactions"]["ci"][0],
                     "first order high": b["interactions"]["ci"][1]})
    return pd.DataFrame(rows)
