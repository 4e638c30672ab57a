"""The briefing's tables as data: what the pages show, at full precision, with the unit in
each column's name. Pure: a summary in, named pandas DataFrames out; ``pipeline.outputs``
writes them beside ``index.html`` as CSV files and as one workbook."""

from __future__ import annotations

from typing import Any

import pandas as pd

STAT_COLUMNS = ("median", "low", "high", "mean", "mc_error")


def _stats(s: dict | None, unit: str, prefix: str = "") -> dict[str, float | None]:
    """A STATS block as columns ``median [unit]``, ``low [unit]``, ..."""
    s = s or {}
    return {f"{prefix}{k} [{unit}]": s.get(k) for k in STAT_COLUMNS}


def briefing_tables(summary: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """Every table of a briefing: name -> DataFrame (a row per line of the page's table)."""
    out: dict[str, pd.DataFrame] = {}
    bg, mon = summary["buyer_groups"], summary["effect_monitor"]
    t = "t CO2-eq"
    def line(figure: str, unit: str, planned, s: dict, bound=None) -> dict[str, Any]:
        return {"figure": figure, "unit": unit, "as planned or published": planned,
                "published bound": bound, **{k: s.get(k) for k in STAT_COLUMNS}}

    rows = [line("buyer groups, all quantified", t, bg["as_planned_t"], bg["total_t"]),
            line("buyer groups, household equivalents", "households",
                 bg["households_as_planned"], bg["households"])]
    for p in mon["periods"]:
        rows.append(line(f"effect monitor {p['period']}", t, p["published_t"], p["total_t"],
                         p["published_bound"]))
    out["headline"] = pd.DataFrame(rows)  # rows of several units: a unit column
    out["buyer_groups"] = pd.DataFrame([
        {"buyer group": g["id"], "name": g["name_en"], "quantified": g["quantified"],
         f"as planned [{t}]": g["as_planned_t"], **_stats(g["total_t"], t),
         "reason not quantified": g.get("reason_not_quantified_en")}
        for g in bg["groups"]])
    out["buyer_group_tenders"] = pd.DataFrame([
        {"tender": r["id"], "buyer group": r["buyer_group"], "description": r["description"],
         "unit": r["quantity_unit"], "award probability": r["award_probability"],
         **{f"{v} {k}": r[f"{v}_{k}"] for v in ("quantity", "emission_factor",
                                                  "reduction_fraction", "additionality")
            for k in ("dist", "low", "mode", "high")},
         f"as planned [{t}]": r["as_planned_t"], **_stats(r["total_t"], t)}
        for r in bg["tenders"]])
    rows = []
    for p in mon["periods"]:
        for g in p["product_groups"]:
            sh = g["share_with_effect"]
            rows.append({"period": p["period"], "product group": g["id"], "name": g["name_en"],
                         "sampled": g["n_sampled"], "with effect": g["n_with_effect"],
                         "share with effect": sh["estimate"], "share low": sh["low"],
                         "share high": sh["high"], "frame total [EUR]": g["frame_total_eur"],
                         f"central [{t}]": g["central_t"], **_stats(g["reduction_t"], t),
                         "no counted effect (Jeffreys bound)": g.get("zero_effect"),
                         **{f"criteria {k}": v for k, v in (g.get("criteria") or {}).items()},
                         f"central per year [{t} per year]": g.get("central_t_per_year")})
    out["product_groups"] = pd.DataFrame(rows)
    rows = []
    for p in mon["periods"]:
        row = {"period": p["period"], f"central [{t}]": p["central_t"],
               **_stats(p["total_t"], t), **_stats(p.get("total_t_per_year"),
                                                   f"{t} per year", "per year "),
               **_stats(p.get("households_per_year"), "households per year", "households ")}
        for group in ("criteria", "central_by_unclear_t", "central_by_ambition_t",
                      "central_by_type_t"):
            for k, v in (p.get(group) or {}).items():
                name = {"criteria": f"criteria {k}",
                        "central_by_unclear_t": f"central, unclear as {k} [{t}]",
                        "central_by_ambition_t": f"central, ambition {k} [{t}]",
                        "central_by_type_t": f"central, type {k} [{t}]"}[group]
                row[name] = v
        rows.append(row)
    out["periods"] = pd.DataFrame(rows)
    rows = []
    for ind in mon.get("indicators") or []:
        for p in ind["periods"]:
            pub = p["published"] or {}
            rows.append({"indicator": ind["id"], "period": p["period"],
                         f"RIVM published [{ind['unit']}]": pub.get("value"),
                         "RIVM published as": pub.get("label"),
                         "RIVM basis": pub.get("basis"),
                         f"central [{ind['unit']}]": p["central"],
                         **_stats(p["total"], ind["unit"]),
                         **_stats(p["total_per_year"], ind["unit_per_year"], "per year ")})
    if rows:
        out["indicators"] = pd.DataFrame(rows)
    vb = summary.get("variance_budget")
    if vb:
        shares = {"buyer groups, total": vb["buyer_groups"],
                  f"effect monitor {vb['monitor']['period']}": vb["monitor"]["shares"],
                  **{f"{i}, {vb['monitor']['period']}": v for i, v in
                     vb["monitor"].get("indicators", {}).items()}}
        sources = list(dict.fromkeys(k for d in shares.values() for k in d))
        out["variance_budget"] = pd.DataFrame(
            [{"source": s, **{f"{name} [share of variance]": d.get(s)
                              for name, d in shares.items()}} for s in sources])
    return out
