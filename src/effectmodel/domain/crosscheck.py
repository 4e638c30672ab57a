"""Checks across the tables and against the params: references between tables, effects
with their factor and quantity, strata with frame totals and samples, and the params'
household factor and periods. Column-wise where the tables are long."""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np
import pandas as pd

from effectmodel.domain.columns import OUTCOME_RANK
from effectmodel.domain.errors import Problem, caused_by, short
from effectmodel.domain.keys import match_rows
from effectmodel.domain.params import Params

BOUNDS = ("at least", "point", "")

def params_problems(params: Params, household_factors: list[str], all_periods: list[str],
                     params_label: str) -> tuple[list[Problem], tuple[str, ...]]:
    """The params' references into the tables, for the parts they hold: household factor id,
    periods, headline period. Returns (problems, the periods estimated in data order; none
    without the monitor)."""
    p: list[Problem] = []
    if params.buyer_groups is not None \
            and params.buyer_groups.household_factor not in household_factors:
        p.append(Problem(params_label, "buyer_groups.household_factor",
                         f"unknown id {short(params.buyer_groups.household_factor)} (allowed: "
                         f"{', '.join(household_factors)})"))
    if params.monitor is None:
        return p, ()
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
    for a, b in params.monitor.changes or ():
        for q in (a, b):
            if q not in periods:
                p.append(Problem(params_label, "monitor.changes",
                                 f"{short(q)} in [{short(a)}, {short(b)}] is not among the "
                                 f"periods estimated (allowed: {', '.join(periods) or 'none'})"))
    return p, periods


def check_params_against(params: Params, inputs: Any) -> list[Problem]:
    """Problems of a params object (e.g. a sweep scenario's) against inputs already loaded."""
    periods = list(inputs["monitor_periods"]["period"]) if params.monitor is not None else []
    return params_problems(params, list(inputs["household_factors"]["id"]), periods,
                           str(params.path))[0]


def refs(df, col, allowed, label, what) -> list[Problem]:
    """Cells of ``col`` (in rows without problems) that name nothing in ``allowed``: one line
    per unknown value (its first row, and how many more rows name it), and its rows marked
    bad (``_bad``), so that the checks after this one do not report the same cause again."""
    values = df[col]
    unknown = ~df["_bad"].astype(bool) & values.notna() & ~values.isin(list(allowed))
    shown = ", ".join(sorted(allowed)[:20])
    out = []
    lines = df["_line"][unknown]
    for v in dict.fromkeys(values[unknown]):
        at = lines[values[unknown] == v].tolist()
        out.append(Problem(label, f"{col}[line {at[0]}]",
                           f"unknown {what} {short(v)}{caused_by(at)} (allowed: {shown})"))
    if unknown.any():
        df.loc[unknown, "_bad"] = True
    return out


def cross_checks(t: dict[str, pd.DataFrame], labels: dict[str, str], params: Params,
                 params_label: str) -> tuple[list[Problem], tuple[str, ...]]:
    """Every check across the tables and against the params, for the parts the params hold;
    returns (problems, the periods estimated)."""
    p = _buyer_group_checks(t, labels) if params.buyer_groups is not None else []
    all_periods = list(t["monitor_periods"]["period"]) if params.monitor is not None else []
    if "buyer_group_outcomes" in t and params.buyer_groups is not None:
        p += _outcome_checks(t["buyer_group_outcomes"], set(t["buyer_group_tenders"]["tender_id"]),
                             labels, all_periods)
    if params.monitor is not None:
        p += _monitor_checks(t, labels, all_periods)
    more, periods = params_problems(params, list(t["household_factors"]["id"]), all_periods,
                                    params_label)
    p += more
    if params.monitor is not None:
        p += _indicator_checks(t, labels, params, params_label, set(all_periods))
        p += _strata_checks(t["frame_totals"], t["sampled_tenders"], periods, labels)
        if "spend_intensities" in t:
            p += _spend_checks(t, labels, params, params_label, periods)
    return p, periods


def spend_period(params: Params, periods: tuple[str, ...]) -> str:
    """The period of the spend and impact: ``spend_impact.period``, else the monitor's
    headline period, else the latest estimated."""
    chosen = params.resolved.get("spend_impact", {}).get("period")
    return chosen or params.resolved["monitor"].get("headline_period") or periods[-1]


def _spend_checks(t: dict[str, pd.DataFrame], labels: dict[str, str], params: Params,
                  params_label: str, periods: tuple[str, ...]) -> list[Problem]:
    """The spend and impact: its period is estimated; every spend group (the spend table's,
    or the product groups of the period's frame totals) has a CO2-eq intensity, and the
    groups without one are listed, not guessed."""
    if not periods:
        return []
    period = spend_period(params, periods)
    if period not in periods:
        return [Problem(params_label, "spend_impact.period", f"{short(period)} is not "
                        f"estimated (allowed: {', '.join(periods)})")]
    si, ls = t["spend_intensities"], labels["spend_intensities"]
    have = set(si.loc[si["indicator"] == "co2_eq", "group"])  # a bad row: reported there
    if "spend" in t:
        sp = t["spend"]
        groups, where = list(sp.loc[~sp["_bad"].astype(bool), "group"]), labels["spend"]
    else:
        fr = t["frame_totals"]
        groups = list(fr.loc[fr["period"] == period, "product_group"])
        where = f"{labels['frame_totals']} ({period})"
    missing = [g for g in dict.fromkeys(groups) if g not in have]
    if not missing:
        return []
    shown = ", ".join(short(g) for g in missing[:10]) + (
        f" and {len(missing) - 10} more" if len(missing) > 10 else "")
    return [Problem(ls, "group", f"no co2_eq intensity for {len(missing)} spend group(s) of "
                    f"{where}: {shown} (allowed: a row per group and indicator; nothing is "
                    "guessed)")]


def _monitor_checks(t: dict[str, pd.DataFrame], labels: dict[str, str],
                    all_periods: list[str]) -> list[Problem]:
    """The monitor's tables against each other: periods, product groups, household factors,
    criteria and sub-strata."""
    mp = t["monitor_periods"]
    p = refs(mp, "household_factor", set(t["household_factors"]["id"]),
             labels["monitor_periods"], "household factor")
    for _, r in mp.iterrows():
        if r["published_bound"] not in BOUNDS:
            p.append(Problem(labels["monitor_periods"], f"published_bound[line {r['_line']}]",
                             f"{short(r['published_bound'])} (allowed: at least, point, or empty)"))
    groups = set(t["product_groups"]["id"])
    for key in ("frame_totals", "sampled_tenders"):
        p += refs(t[key], "product_group", groups, labels[key], "product group")
        p += refs(t[key], "period", set(all_periods), labels[key], "period")
    p += refs(t["translation_factors"], "product_group", groups, labels["translation_factors"],
              "product group")
    if "criteria" in t:
        p += _criteria_checks(t["criteria"], t["sampled_tenders"], t["translation_factors"],
                              labels)
    else:
        p += _legacy_checks(t["sampled_tenders"], labels)
        p += _effect_checks(t["sampled_tenders"], t["translation_factors"], labels)
    p += _sub_strata_checks(t.get("sub_strata"), t["sampled_tenders"], groups,
                            set(all_periods), labels)
    return p


def _shared_factor_checks(bgt: pd.DataFrame, label: str) -> list[Problem]:
    """Tenders that share an ``emission_factor_id`` share one emission factor: the same
    distribution, drawn once."""
    p = []
    cols = [f"emission_factor_{k}" for k in ("dist", "low", "mode", "high")]
    named = bgt[bgt["emission_factor_id"].fillna("") != ""]
    for fid, rows in named.groupby("emission_factor_id", sort=False):
        first = rows.iloc[0]
        for _, r in rows.iloc[1:].iterrows():
            if any(r[c] != first[c] for c in cols):
                p.append(Problem(label, f"emission_factor_id[line {r['_line']}]",
                                 f"{short(fid)} is shared with line {first['_line']}, whose "
                                 "emission factor differs (allowed: the same emission_factor_"
                                 "dist, _low, _mode and _high, or another id)"))
    return p


def _buyer_group_checks(t: dict[str, pd.DataFrame], labels: dict[str, str]) -> list[Problem]:
    """Tenders name known groups; quantified groups have tenders; the others a reason."""
    bg, bgt = t["buyer_groups"], t["buyer_group_tenders"]
    p = refs(bgt, "buyer_group", set(bg["id"]), labels["buyer_group_tenders"], "buyer group")
    p += _shared_factor_checks(bgt, labels["buyer_group_tenders"])
    with_tenders = set(bgt["buyer_group"])
    for _, r in bg.iterrows():
        if r["quantified"] and r["id"] not in with_tenders:
            p.append(Problem(labels["buyer_groups"], f"quantified[line {r['_line']}]",
                             f"group {short(r['id'])} is quantified but has no tenders in "
                             f"{labels['buyer_group_tenders']} (allowed: add tenders, or 'no')"))
        if r["quantified"] is False:
            if r["id"] in with_tenders:
                p.append(Problem(labels["buyer_groups"], f"quantified[line {r['_line']}]",
                                 f"group {short(r['id'])} is not quantified but has tenders "
                                 "(allowed: 'yes', or remove its tenders)"))
            for lang in ("nl", "en"):
                if not r[f"reason_not_quantified_{lang}"]:
                    p.append(Problem(labels["buyer_groups"],
                                     f"reason_not_quantified_{lang}[line {r['_line']}]",
                                     "empty for a group that is not quantified (allowed: the "
                                     "reason)"))
    return p


def _outcome_checks(oc: pd.DataFrame, tenders: set[str], labels: dict[str, str],
                    periods: list[str]) -> list[Problem]:
    """Outcomes name known tenders, give a date (ISO), within the monitor's periods where
    the project has them, and a tender's statuses never go backwards in time (contracted,
    then published); scores only on a contracted row."""
    lo_ = labels["buyer_group_outcomes"]
    p = refs(oc, "tender_id", tenders, lo_, "tender")
    ok = oc[~oc["_bad"].astype(bool)].copy()
    ok["_date"] = pd.to_datetime(ok["date"], errors="coerce", format="%Y-%m-%d")
    for r in ok[ok["_date"].isna()].head(5).to_dict("records"):
        p.append(Problem(lo_, f"date[line {r['_line']}]", f"not a date: {short(r['date'])} "
                         "(allowed: 2022-06-30)"))
    ok = ok[ok["_date"].notna()]
    outside = np.zeros(len(ok), dtype=bool)
    if periods:
        first = pd.Timestamp(int(periods[0][:4]), 1, 1)
        last = pd.Timestamp(int(periods[-1][-4:]), 12, 31)
        outside = ((ok["_date"] < first) | (ok["_date"] > last)).to_numpy()
        for r in ok[outside].head(5).to_dict("records"):
            p.append(Problem(lo_, f"date[line {r['_line']}]", f"{r['date']} lies outside the "
                             f"monitor's periods (allowed: {first.date()} to {last.date()})"))
    for tid, rows in ok.sort_values(["_date", "_line"]).groupby("tender_id", sort=False):
        rank = rows["status"].map(OUTCOME_RANK).to_numpy()
        back = [i for i in range(1, len(rank)) if rank[i] < rank[i - 1]]
        if back:
            r, prev = rows.iloc[back[0]], rows.iloc[back[0] - 1]
            p.append(Problem(lo_, f"status[line {r['_line']}]", f"{tid}: {r['status']} on "
                             f"{r['date']} after {prev['status']} on {prev['date']} (allowed: "
                             "planned, published, awarded, contracted in that order; "
                             "cancelled after any)"))
    scored = ok[(ok["in_contract"].notna() | ok["beyond_market_standard"].notna())
                & (ok["status"] != "contracted")]
    for r in scored.head(5).to_dict("records"):
        p.append(Problem(lo_, f"in_contract[line {r['_line']}]", f"scores on a {r['status']} "
                         "row (allowed: scores on the contracted row only)"))
    named = ok[ok["ocid"].fillna("") != ""].drop_duplicates(["ocid", "tender_id"])
    for ocid, rows in named.groupby("ocid", sort=False):
        if len(rows) > 1:
            r = rows.iloc[1]
            p.append(Problem(lo_, f"ocid[line {r['_line']}]", f"{short(ocid)} names "
                             f"{', '.join(rows['tender_id'])} (allowed: one tender per ocid, "
                             "which effectmodel track credits)"))
    today = pd.Timestamp(datetime.date.today())
    future = ok[(ok["_date"] > today).to_numpy() & (ok["status"] != "planned").to_numpy()
                & ~outside]
    for r in future.head(5).to_dict("records"):
        p.append(Problem(lo_, f"date[line {r['_line']}]", f"{r['tender_id']} {r['status']} on "
                         f"{r['date']}, after today (allowed: dates up to today for what has "
                         "happened; a date to come only on a planned row)"))
    unscored = ok[(ok["status"] == "contracted")
                  & (ok["in_contract"].isna() | ok["beyond_market_standard"].isna())]
    for r in unscored.head(5).to_dict("records"):
        empty = [c for c in ("in_contract", "beyond_market_standard") if pd.isna(r[c])]
        p.append(Problem(lo_, f"{'+'.join(empty)}[line {r['_line']}]", f"{r['tender_id']} "
                         f"is contracted without {' and '.join(empty)} (allowed: yes, no or "
                         "unclear in both on a contracted row: how the contract scores the "
                         "criteria; 'effectmodel track' leaves them to fill in)"))
    return p


def _effect_checks(st: pd.DataFrame, tf: pd.DataFrame, labels: dict[str, str]
                   ) -> list[Problem]:
    """A sampled tender with an effect names a factor of its own product group and a
    quantity; one without names neither."""
    p: list[Problem] = []
    factor_group = dict(zip(tf["factor_id"], tf["product_group"], strict=True))
    # the rows that may have a problem, found column-wise; each then checked as a row
    fid = st["factor_id"].fillna("")
    effect, no_effect = st["has_effect"] == True, st["has_effect"] == False  # noqa: E712
    suspect = ~st["_bad"].astype(bool) & (
        (effect & ((fid == "") | ~fid.isin(list(factor_group))
                   | (fid.map(factor_group) != st["product_group"]) | st["quantity"].isna()))
        | (no_effect & ((fid != "") | st["quantity"].notna())))
    for _, r in st[suspect].iterrows():
        where = f"[line {r['_line']}]"
        if r["has_effect"]:
            if not r["factor_id"]:
                p.append(Problem(labels["sampled_tenders"], "factor_id" + where,
                                 "empty for a tender with an effect (allowed: a factor_id of "
                                 f"{labels['translation_factors']})"))
            elif r["factor_id"] not in factor_group:
                p.append(Problem(labels["sampled_tenders"], "factor_id" + where,
                                 f"unknown factor {short(r['factor_id'])} (allowed: ids in "
                                 f"{labels['translation_factors']})"))
            elif factor_group[r["factor_id"]] != r["product_group"]:
                p.append(Problem(labels["sampled_tenders"], "factor_id" + where,
                                 f"factor {short(r['factor_id'])} belongs to product group "
                                 f"{short(factor_group[r['factor_id']])} (allowed: a factor of "
                                 f"{short(r['product_group'])})"))
            if pd.isna(r["quantity"]):
                p.append(Problem(labels["sampled_tenders"], "quantity" + where,
                                 "empty for a tender with an effect (allowed: a number > 0)"))
        elif r["has_effect"] is False and (r["factor_id"] or not pd.isna(r["quantity"])):
            p.append(Problem(labels["sampled_tenders"], "has_effect" + where,
                             "'no' but factor_id or quantity given (allowed: 'yes', or leave "
                             "both empty)"))
    return p


def _strata_checks(ft: pd.DataFrame, st: pd.DataFrame, periods: tuple[str, ...],
                   labels: dict[str, str]) -> list[Problem]:
    """Every period estimated has framed product groups, each with sampled tenders; every
    sampled stratum has a frame total."""
    p: list[Problem] = []
    ft, st = ft[~ft["_bad"].astype(bool)], st[~st["_bad"].astype(bool)]  # else reported
    framed = set(ft[["period", "product_group"]].drop_duplicates().itertuples(index=False,
                                                                               name=None))
    sampled = set(st[["period", "product_group"]].drop_duplicates().itertuples(index=False,
                                                                                name=None))
    for period in periods:
        in_period = {g for (q, g) in framed if q == period}
        if not in_period:
            p.append(Problem(labels["frame_totals"], "period",
                             f"no product groups for period {short(period)} "
                             "(allowed: at least one)"))
        for g in sorted(in_period - {g for (q, g) in sampled if q == period}):
            p.append(Problem(labels["sampled_tenders"], "product_group",
                             f"empty sample: no sampled tenders for {short(g)} in {period} "
                             "(allowed: at least one tender per framed product group)"))
    for q, g in sorted(sampled - framed):
        p.append(Problem(labels["frame_totals"], "product_group",
                         f"no frame total for {short(g)} in {q}, which has sampled tenders "
                         "(allowed: one row per sampled period and product group)"))
    return p


def _legacy_checks(st: pd.DataFrame, labels: dict[str, str]) -> list[Problem]:
    """Without a criteria table every sampled tender says whether it has an effect."""
    empty = ~st["_bad"].astype(bool) & st["has_effect"].isna()
    if len(st) and empty.all():  # the criteria format without its table: one line says so
        return [Problem(labels["sampled_tenders"], "has_effect", "empty in every row: a sample "
                        "in the criteria format needs its criteria table (allowed: the params' "
                        "data.criteria naming it; or yes/no per tender)")]
    return [Problem(labels["sampled_tenders"], f"has_effect[line {line}]",
                    "empty (allowed: yes, no; or a criteria table in the params' data.criteria, "
                    "made by scripts/convert_sample.py)")
            for line in st["_line"][empty]]


def tender_rows(st: pd.DataFrame, cr: pd.DataFrame) -> np.ndarray:
    """The row of ``st`` holding the sampled tender (the first row of its period and
    tender_id) of each row of ``cr``; -1 where there is no such tender."""
    return match_rows([st["period"].to_numpy(object), st["tender_id"].to_numpy(object)],
                      [cr["period"].to_numpy(object), cr["tender_id"].to_numpy(object)])


def _at_rows(st: pd.DataFrame, column: str, at: np.ndarray, missing: object) -> np.ndarray:
    """``st[column]`` at the rows ``at`` (:func:`tender_rows`), ``missing`` where -1."""
    out = np.full(len(at), missing, dtype=object)
    out[at >= 0] = st[column].to_numpy(dtype=object)[at[at >= 0]]
    return out


def tender_groups(st: pd.DataFrame, cr: pd.DataFrame) -> np.ndarray:
    """The product group of the sampled tender of each row of ``cr``; NaN where there is no
    such tender."""
    return _at_rows(st, "product_group", tender_rows(st, cr), np.nan)


def _criteria_checks(cr: pd.DataFrame, st: pd.DataFrame, tf: pd.DataFrame,
                     labels: dict[str, str]) -> list[Problem]:
    """Each criterion belongs to a sampled tender and, when it may count (neither test
    failed), names a factor of the tender's product group and a quantity (its ``years`` may
    be empty: then the run gives no per-year figures); the sampled tenders leave the
    one-criterion columns empty."""
    lc, ls = labels["criteria"], labels["sampled_tenders"]
    p: list[Problem] = []
    for col in ("has_effect", "factor_id", "quantity"):
        given = ~st["_bad"].astype(bool) & st[col].notna() & (st[col].astype(str) != "")
        for line in st["_line"][given].head(5):
            p.append(Problem(ls, f"{col}[line {line}]", "given while the params name a criteria "
                             f"table ({lc}) (allowed: empty, or no column; the criteria say "
                             "what counts)"))
    factor_group = dict(zip(tf["factor_id"], tf["product_group"], strict=True))
    ok = cr[~cr["_bad"].astype(bool)]
    # column-wise: the rows that may have a problem, each then worded as a row
    at = tender_rows(st, ok)
    group = pd.Series(_at_rows(st, "product_group", at, np.nan), index=ok.index)
    # a criterion of a tender with its own problem: reported there
    of_bad = pd.Series(_at_rows(st, "_bad", at, False).astype(bool), index=ok.index)
    fid = ok["factor_id"].fillna("")
    fgroup = fid.map(factor_group)
    may_count = (ok["in_contract"] != "no") & (ok["beyond_market_standard"] != "no")
    suspect = ~of_bad & (group.isna() | ((fid != "") & (fgroup != group)) | (may_count & (
        (fid == "") | ok["quantity"].isna())))
    for i in np.flatnonzero(suspect.to_numpy()).tolist():
        r = ok.iloc[i]
        where = f"[line {r['_line']}]"
        if pd.isna(group.iloc[i]):
            p.append(Problem(lc, f"tender_id{where}", f"unknown tender {short(r['tender_id'])} "
                             f"in {short(r['period'])} (allowed: a period and tender_id of {ls})"))
            continue
        f = fid.iloc[i]
        if f and f not in factor_group:
            p.append(Problem(lc, f"factor_id{where}", f"unknown factor {short(f)} (allowed: "
                             f"ids in {labels['translation_factors']})"))
        elif f and factor_group[f] != group.iloc[i]:
            p.append(Problem(lc, f"factor_id{where}", f"factor {short(f)} belongs to product "
                             f"group {short(factor_group[f])} (allowed: a factor of "
                             f"{short(group.iloc[i])})"))
        if may_count.iloc[i]:
            for col, empty in (("factor_id", not f), ("quantity", pd.isna(r["quantity"]))):
                if empty:
                    p.append(Problem(lc, f"{col}{where}", "empty for a criterion that may "
                                     "count (allowed: a value; or in_contract or "
                                     "beyond_market_standard 'no')"))
    return p


def _sub_strata_checks(ss: pd.DataFrame | None, st: pd.DataFrame, groups: set[str],
                       periods: set[str], labels: dict[str, str]) -> list[Problem]:
    """Sub-strata name known periods and product groups and whole frame counts; a product
    group with sub-strata has each sampled tender in one of them, and each of them sampled,
    with no more sampled tenders than its frame count; without, no tender names one."""
    ls = labels["sampled_tenders"]
    p: list[Problem] = []
    declared: dict[tuple[str, str, str], tuple[int, float]] = {}
    whole: dict[tuple[str, str, str], tuple[int, float]] = {}  # take-all sub-strata
    split: set[tuple[str, str]] = set()
    if ss is not None:
        lss = labels["sub_strata"]
        p += refs(ss, "product_group", groups, lss, "product group")
        p += refs(ss, "period", periods, lss, "period")
        for r in ss[~ss["_bad"].astype(bool)].to_dict("records"):
            if float(r["frame_count"]) != int(r["frame_count"]):
                p.append(Problem(lss, f"frame_count[line {r['_line']}]", f"{r['frame_count']} "
                                 "is no whole number (allowed: tenders in the frame, 1, 2, ...)"))
            key = (r["period"], r["product_group"], r["sub_stratum"])
            declared[key] = (r["_line"], r["frame_count"])
            flag = r.get("take_all")  # True, False or None (empty)
            if isinstance(flag, bool | np.bool_) and flag:
                whole[key] = (r["_line"], r["frame_count"])
            split.add(key[:2])
    sub = st["sub_stratum"].fillna("")
    counts = st[~st["_bad"].astype(bool)].assign(_h=sub).groupby(
        ["period", "product_group", "_h"], sort=False)["_line"].agg(["count", "min"])
    for (q, g, h), row in counts.iterrows():
        if (q, g) in split:
            if (q, g, h) not in declared:
                what = ("empty" if not h else
                        f"sub-stratum {short(h)} not in {labels['sub_strata']}")
                names = ", ".join(sorted(k[2] for k in declared if k[:2] == (q, g)))
                p.append(Problem(ls, f"sub_stratum[line {row['min']}]", f"{what} for {short(g)} "
                                 f"in {q}, which has sub-strata (allowed: {names})"))
            elif row["count"] > declared[(q, g, h)][1]:
                line, n_frame = declared[(q, g, h)]
                p.append(Problem(labels["sub_strata"], f"frame_count[line {line}]",
                                 f"{n_frame:g} tenders in the frame of {short(h)} but "
                                 f"{row['count']} sampled (allowed: at least the sample)"))
        elif h:
            p.append(Problem(ls, f"sub_stratum[line {row['min']}]", f"{short(h)} given but "
                             f"{short(g)} in {q} has no sub-strata (allowed: empty, or rows in "
                             "the params' data.sub_strata table)"))
    for key, (line, n_frame) in whole.items():
        got = int(counts["count"].get(key, 0)) if key in counts.index else 0
        if got != n_frame:
            p.append(Problem(labels["sub_strata"], f"take_all[line {line}]",
                             f"yes, but {got} of the {n_frame:g} tenders of {short(key[2])} "
                             "sampled (allowed: a take-all sub-stratum sampled whole, or "
                             "take_all no)"))
    sampled = set(counts.index)
    for key, (line, _) in declared.items():
        if key not in sampled and key[:2] in {k[:2] for k in sampled}:
            p.append(Problem(labels["sub_strata"], f"sub_stratum[line {line}]",
                             f"{short(key[2])} has no sampled tenders (allowed: at least one, "
                             "or merge it with another sub-stratum)"))
    return p


def _indicator_checks(t: dict[str, pd.DataFrame], labels: dict[str, str], params: Params,
                      params_label: str, periods: set[str]) -> list[Problem]:
    """The rows of one factor_id (one per indicator, and per period where a row holds for one
    period) belong to one product group and name known periods; every indicator the params
    ask for has translation factors; published figures name known periods and a bound the
    page understands."""
    tf = t["translation_factors"]
    dated = tf[tf["period"].fillna("") != ""].copy()
    p = refs(dated, "period", periods, labels["translation_factors"], "period")
    tf.loc[dated.index, "_bad"] = dated["_bad"]
    first: dict[str, tuple[str, int]] = {}
    for r in tf[~tf["_bad"].astype(bool)].to_dict("records"):
        g, line = first.setdefault(r["factor_id"], (r["product_group"], r["_line"]))
        if g != r["product_group"]:
            p.append(Problem(labels["translation_factors"], f"product_group[line {r['_line']}]",
                             f"factor {short(r['factor_id'])} belongs to {short(g)} on line "
                             f"{line} (allowed: one product group per factor_id)"))
    have = set(tf["indicator"])
    for ind in params.monitor.indicators:
        if ind not in have:
            p.append(Problem(params_label, "monitor.indicators", f"{ind} has no translation "
                             f"factors in {labels['translation_factors']} (allowed: rows with "
                             f"indicator {ind}, or leave it out)"))
    if "published_indicators" in t:
        pi, lp = t["published_indicators"], labels["published_indicators"]
        p += refs(pi, "period", periods, lp, "period")
        for r in pi[~pi["_bad"].astype(bool)].to_dict("records"):
            if r["published_bound"] not in BOUNDS:
                p.append(Problem(lp, f"published_bound[line {r['_line']}]",
                                 f"{short(r['published_bound'])} (allowed: at least, point, or "
                                 "empty)"))
    return p
