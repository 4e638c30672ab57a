"""A sampling frame from a tender list, and a reproducible stratified sample from the frame.

RIVM draws its monitor samples from TenderNed: every tender of a product group in a period
(the frame), then a sample per sub-category. Here, pure functions on pandas tables:

- :func:`tender_units`: one row per tender (or lot); several announcements of one tender
  (pre-announcement, notice, correction, award) become one, with the value used said
  (``awarded`` where an award gives one, else ``estimated``);
- :func:`classify`: each unit's product group and sub-stratum from its CPV code, by the
  longest matching prefix of a CPV map; codes the map does not know are kept and counted;
- :func:`frame_tables`: frame counts N_h (with and without a value) and totals T_h per
  product group and sub-stratum, a unit without a value at its stratum's mean (:func:`impute`);
- :func:`allocate` and :func:`draw`: a stratified sample of n tenders, proportional or
  Neyman (by the spread of tender values), with each tender's inclusion probability
  n_h / N_h, seeded.

The Horvitz-Thompson estimate of a stratum's total value from the sample, sum(v / pi), is
unbiased for T_h; the sum of 1 / pi over the sample is N_h exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def cpv_digits(code) -> str:
    """A CPV code's eight digits, without its check digit: '34110000-1' -> '34110000'."""
    text = str(code).strip()
    digits = "".join(ch for ch in text.split("-", 1)[0] if ch in "0123456789")
    return digits[:8]


def cpv_digits_of(codes: pd.Series) -> pd.Series:
    """:func:`cpv_digits` of each code, vectorised."""
    head = codes.fillna("").astype(str).str.strip().str.split("-", n=1).str[0]
    return head.str.replace(r"[^0-9]", "", regex=True).str[:8]


def cpv_prefix(code: str) -> str:
    """The significant part of a CPV code (trailing zeros off): '34110000' -> '3411'; at
    least the two digits of its division."""
    d = cpv_digits(code)
    return d.rstrip("0").ljust(2, "0") if d else ""


def tender_units(announcements: pd.DataFrame) -> pd.DataFrame:
    """One row per tender and lot [EUR]: its publication (the first announcement's date),
    its award date (the earliest an announcement gives), the date that decides its period
    (``date``: the award date, else the publication; ``date_basis`` says which), the latest
    announcement's CPV code and buyer; the awarded value where any announcement of it gives
    one, else the latest estimated value; ``value_kind`` says which ('none': no value).

    Parameters
    ----------
    announcements : columns ``domain.columns.TENDER_FIELDS`` (``lot`` may be empty;
        ``value_kind`` 'awarded' or 'estimated'; ``value`` [EUR], empty where not given;
        ``award_date`` may be empty; ``announcements``: how many each row stands for).
    """
    a = announcements.copy()
    a["lot"] = a["lot"].fillna("").astype(str)
    a["value"] = pd.to_numeric(a["value"], errors="coerce")
    if "award_date" not in a:
        a["award_date"] = pd.NaT
    if "announcements" not in a:
        a["announcements"] = 1
    a = a.sort_values(["tender_id", "lot", "date"], kind="stable")
    keys = ["tender_id", "lot"]
    grouped = a.groupby(keys, sort=False)
    last = grouped.tail(1).set_index(keys)
    awarded = a[(a["value_kind"] == "awarded") & a["value"].notna()] \
        .groupby(keys, sort=False)["value"].last()
    estimated = a[(a["value_kind"] != "awarded") & a["value"].notna()] \
        .groupby(keys, sort=False)["value"].last()
    out = last[["cpv", "buyer"]].copy()
    out["published"] = grouped["date"].min().reindex(out.index)
    out["award_date"] = grouped["award_date"].min().reindex(out.index)
    out["date"] = out["award_date"].fillna(out["published"])
    out["date_basis"] = np.where(out["award_date"].notna(), "award", "publication")
    out["value"] = awarded.reindex(out.index)
    out["value_kind"] = np.where(out["value"].notna(), "awarded", "estimated")
    missing = out["value"].isna()
    out.loc[missing, "value"] = estimated.reindex(out.index[missing]).to_numpy()
    out.loc[out["value"].isna(), "value_kind"] = "none"
    out["announcements"] = grouped["announcements"].sum().reindex(out.index).to_numpy()
    return out.reset_index()


def classify(units: pd.DataFrame, cpv_map: pd.DataFrame) -> pd.DataFrame:
    """Each unit's ``product_group`` and ``sub_stratum`` by the longest CPV prefix of the
    map that its code starts with; empty where none does (kept: see :func:`unknown_cpv`)."""
    prefixes = {cpv_prefix(c): (g, s or "") for c, g, s in zip(
        cpv_map["cpv"], cpv_map["product_group"], cpv_map["sub_stratum"].fillna(""),
        strict=True)}
    lengths = sorted({len(p) for p in prefixes}, reverse=True)
    digits = cpv_digits_of(units["cpv"])
    group = pd.Series("", index=units.index, dtype=object)
    sub = pd.Series("", index=units.index, dtype=object)
    todo = np.ones(len(units), dtype=bool)
    for n in lengths:
        head = digits.str[:n]
        hit = todo & head.isin(list(prefixes)).to_numpy()
        if hit.any():
            matched = head[hit].map(prefixes)
            group[hit] = [m[0] for m in matched]
            sub[hit] = [m[1] for m in matched]
            todo &= ~hit
    out = units.copy()
    out["product_group"], out["sub_stratum"] = group, sub
    return out


#: how a unit without a CPV code is listed
NO_CPV = "(no CPV)"


def unknown_cpv(classified: pd.DataFrame) -> pd.DataFrame:
    """The CPV codes no map entry covers: code (:data:`NO_CPV` for units without one), units
    and their value [EUR], most first."""
    u = classified[classified["product_group"] == ""]
    code = cpv_digits_of(u["cpv"])
    return (u.assign(cpv=code.where(code != "", NO_CPV))
            .groupby("cpv", sort=False).agg(units=("tender_id", "size"),
                                             value_eur=("value", "sum"))
            .sort_values(["units", "cpv"], ascending=[False, True]).reset_index())


def spend_by_division(units: pd.DataFrame, years: int) -> pd.DataFrame:
    """Spend per CPV division (the code's first two digits) per year [EUR per year] of all
    units of a period, classified or not, in the format of a spend table (``group``
    cpv-DD, or cpv-none without a code): the valued units' sum over ``years``, with the
    units counted with and without a value."""
    code = cpv_digits_of(units["cpv"]).str[:2]
    division = np.where(code.str.len() == 2, "cpv-" + code, "cpv-none")
    g = units.assign(division=division, valued=units["value"].notna()).groupby(
        "division", sort=True)
    out = g.agg(spend=("value", "sum"), units=("tender_id", "size"),
                n_valued=("valued", "sum")).reset_index()
    return pd.DataFrame({
        "group": out["division"],
        "name_en": ["no CPV code" if d == "cpv-none" else f"CPV division {d[4:]}"
                    for d in out["division"]],
        "name_nl": ["geen CPV-code" if d == "cpv-none" else f"CPV-divisie {d[4:]}"
                    for d in out["division"]],
        "spend_eur": out["spend"] / years,
        "units": out["units"], "n_without_value": out["units"] - out["n_valued"]})


#: the rule for a unit without a value, as frame_totals.csv's source names it
IMPUTATION = ("a tender or lot without a value counts at the mean value of the valued ones "
              "of its stratum, or of its product group where none of the stratum has one "
              "(stratum mean imputation)")


def impute(classified: pd.DataFrame) -> pd.DataFrame:
    """The units of the classified strata with a value for each [EUR]: a unit without one
    gets the mean of the valued units of its product group and sub-stratum
    (:data:`IMPUTATION`; ``value_kind`` 'imputed'), or of its product group where no unit
    of the sub-stratum has one; where no unit of the product group has one it stays
    empty."""
    known = classified[classified["product_group"] != ""].copy()
    stratum = [known["product_group"], known["sub_stratum"]]
    mean = known.groupby(stratum, sort=False)["value"].transform("mean")
    # a sub-stratum without any value: the mean of its product group
    mean = mean.fillna(known.groupby("product_group", sort=False)["value"].transform("mean"))
    gap = known["value"].isna() & mean.notna()
    known.loc[gap, "value"] = mean[gap]
    known.loc[gap, "value_kind"] = "imputed"
    return known


def frame_tables(classified: pd.DataFrame, period: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(frame totals per product group [EUR], frame counts and totals per product group and
    sub-stratum ('all' where the map gives none)) of the units the map classifies.

    N_h counts every unit, ``n_valued`` and ``n_without_value`` split it; T_h
    (``frame_total_eur``) is the sum of the valued units (``valued_eur``) plus the imputed
    values of the others (:func:`impute`); a stratum where no unit has a value has no T_h
    (NaN)."""
    known = classified[classified["product_group"] != ""].copy()
    known["sub_stratum"] = known["sub_stratum"].where(known["sub_stratum"] != "", "all")
    filled = impute(known)
    known["valued"] = known["value"].notna()
    known["filled"] = filled["value"]

    def agg(keys: list[str]) -> pd.DataFrame:
        g = known.groupby(keys, sort=True)
        out = g.agg(frame_count=("tender_id", "size"), n_valued=("valued", "sum"),
                    valued_eur=("value", "sum")).reset_index()
        out["n_without_value"] = out["frame_count"] - out["n_valued"]
        out["frame_total_eur"] = g["filled"].sum(min_count=1).to_numpy()
        out.loc[out["n_valued"] == 0, "frame_total_eur"] = np.nan
        out.insert(0, "period", period)
        return out

    return agg(["product_group"]), agg(["product_group", "sub_stratum"])


def strata_of(frame: pd.DataFrame) -> pd.Series:
    """Each unit's stratum: product group, and sub-stratum where the map gives one."""
    return frame["product_group"] + np.where(frame["sub_stratum"] != "",
                                             "/" + frame["sub_stratum"], "")


def allocate(frame: pd.DataFrame, n: int, allocation: str = "proportional") -> pd.Series:
    """Tenders to sample per stratum, n_h: proportional to N_h, or Neyman (to N_h S_h, S_h
    the spread of tender values), by largest remainders, at least 1 and at most N_h each.

    Returns a Series stratum -> n_h summing to min(n, units) (and at least one per
    stratum, so the sum may exceed n when n is below the number of strata).
    """
    strata = strata_of(frame)
    sizes = strata.value_counts(sort=False).sort_index()
    if allocation == "neyman":
        spread = frame.groupby(strata)["value"].std(ddof=1).reindex(sizes.index).fillna(0.0)
        weight = sizes * spread.where(spread > 0, spread[spread > 0].min() if
                                      (spread > 0).any() else 1.0)
    elif allocation == "proportional":
        weight = sizes.astype(float)
    else:
        raise ValueError(f"unknown allocation {allocation!r} (allowed: proportional, neyman)")
    total = min(n, int(sizes.sum()))
    share = weight / weight.sum() * total
    base = np.minimum(np.maximum(np.floor(share), 1), sizes).astype(int)
    left = total - int(base.sum())
    order = (share - np.floor(share)).sort_values(ascending=False, kind="stable").index
    for s in order:
        if left <= 0:
            break
        if base[s] < sizes[s]:
            base[s] += 1
            left -= 1
    return base


def draw(frame: pd.DataFrame, n_h: pd.Series, seed: int) -> pd.DataFrame:
    """A simple random sample of n_h units per stratum without replacement, seeded by the
    stratum's name (so adding a stratum changes no other's draw), with each unit's inclusion
    probability ``pi`` = n_h / N_h and weight 1 / pi."""
    strata = strata_of(frame)
    parts = []
    for s, k in n_h.items():
        members = frame[strata == s]
        seq = np.random.SeedSequence([int(seed), *s.encode("utf-8")])
        pick = np.random.default_rng(seq).choice(len(members), size=int(k), replace=False)
        part = members.iloc[np.sort(pick)].copy()
        part["pi"] = k / len(members)
        parts.append(part)
    out = pd.concat(parts, ignore_index=True) if parts else frame.iloc[:0].assign(pi=[])
    out["design_weight"] = 1 / out["pi"]
    return out


#: the default take-all rule: a tender is taken with certainty when its value exceeds this
#: share of what one sampled tender stands for, T_rest / n_rest (chosen by
#: benchmarks/coverage.py; docs/model.md, "Take-all tenders")
TAKE_ALL_SHARE = 1.0

#: tenders left to draw at random beside the take-all ones, where the stratum has them: two
#: give the rest a spread to estimate
TAKE_ALL_KEEP = 2


def take_all(values, n: int, share: float = TAKE_ALL_SHARE, keep: int = TAKE_ALL_KEEP
             ) -> np.ndarray:
    """Which of a stratum's tenders are taken with certainty (a mask in the order of
    ``values``): repeatedly the largest tender left, while its value exceeds ``share`` times
    the value one sampled tender of the rest stands for, ``T_rest / n_rest``, and at least
    ``keep`` draws stay for the rest (or all of it, where it is smaller). ``share`` 0 takes
    none.

    Parameters
    ----------
    values : (tender,) the stratum's tender values in the frame [EUR]
    n : tenders to sample in the stratum, n_h [-]
    """
    v = np.nan_to_num(np.asarray(values, dtype=float))
    taken = np.zeros(len(v), dtype=bool)
    if share <= 0 or n >= len(v):
        return taken
    order = np.argsort(-v, kind="stable")
    rest_total, rest_n = float(v.sum()), int(n)
    for k, i in enumerate(order):
        left = len(v) - k - 1  # tenders of the rest once this one is taken
        if rest_n - 1 < min(keep, left) or v[i] <= share * rest_total / rest_n:
            break
        taken[i] = True
        rest_total -= v[i]
        rest_n -= 1
    return taken
