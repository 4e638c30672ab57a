"""``effectmodel frame`` and ``effectmodel sample``: a sampling frame from a tender list, and
a reproducible stratified sample from it in the intake format (:mod:`effectmodel.model.frame`).

Both write into a new (or empty) folder only, and never overwrite a file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from effectmodel.domain.checkers import integer, number
from effectmodel.domain.columns import MAX_NUMBER
from effectmodel.domain.errors import InputError, Problem, raise_if
from effectmodel.inputs.tenderlist import read_map, read_rates, read_tender_list
from effectmodel.model import frame as fr
from effectmodel.pipeline.spreadsheet import csv_safe
from effectmodel.pipeline.staging import check_destination

#: the CPV map that ships with the package (data/cpv_product_groups.csv in the repository)
DEFAULT_CPV_MAP = Path(__file__).resolve().parents[1] / "maps" / "cpv_product_groups.csv"
UNITS_FILE = "frame_units.csv"


def refuse_unless_empty(out: Path) -> None:
    """Refuse (bad input) an output path that is a file or a folder with anything in it:
    the commands that write folders of their own write only into new or empty ones."""
    out = Path(out)
    check_destination(out, "--out")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError([Problem(str(out), "(folder)", "exists and is not empty (allowed: a "
                                  "new or empty folder; nothing is overwritten)")])


def new_folder(out: Path) -> Path:
    """The output folder, made (:func:`refuse_unless_empty` first)."""
    refuse_unless_empty(out)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    return out


def period_bounds(period: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last day of a monitoring period '2019-2020' (or a year '2019')."""
    parts = period.split("-")
    try:
        first, last = int(parts[0]), int(parts[-1])
    except ValueError:
        raise InputError([Problem("--period", period, "not a period (allowed: e.g. 2019-2020 "
                                  "or 2019)")]) from None
    return pd.Timestamp(first, 1, 1), pd.Timestamp(last, 12, 31, 23, 59, 59)


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """A frame table as CSV, its text cells safe to open in a spreadsheet
    (:func:`~effectmodel.pipeline.spreadsheet.csv_safe`)."""
    csv_safe(df).to_csv(path, index=False, lineterminator="\n")


def make_frame(tenders: Path, column_map: Path | None, period: str, out: Path,
               cpv_map: Path | None = None, skip_bad: bool = False,
               rates: Path | None = None, progress=None) -> dict[str, Any]:
    """Write the frame of ``period`` into ``out``: ``frame_totals.csv`` and
    ``sub_strata.csv`` (intake format), ``frame_strata.csv`` (per stratum: tenders with
    and without a value, the valued sum and T_h), ``frame_units.csv`` (one row per tender
    or lot, with its product group, sub-stratum, dates and the value used),
    ``unknown_cpv.csv`` and ``spend.csv`` (spend per CPV division and year, the spend table
    of a footprint). A unit's period follows its award date, else its publication, in
    Europe/Amsterdam. Returns counts for the command's report."""
    refuse_unless_empty(out)
    cmap = read_map(column_map)
    lo, hi = period_bounds(period)
    cpv = pd.read_csv(cpv_map or DEFAULT_CPV_MAP, dtype=str, keep_default_na=False)
    announcements = read_tender_list(tenders, cmap, skip_bad, read_rates(rates), progress)
    units = fr.tender_units(announcements)
    units = units[(units["date"] >= lo) & (units["date"] <= hi)]
    classified = fr.classify(units, cpv)
    unknown = fr.unknown_cpv(classified)
    by_group, by_sub = fr.frame_tables(classified, period)
    out = new_folder(out)
    n_missing = int(by_group["n_without_value"].sum())
    _write_frame(out, Path(tenders).name, period, classified, by_group, by_sub, n_missing)
    known = _write_units(out, period, classified)
    write_csv(unknown, out / "unknown_cpv.csv")
    _write_spend(out, Path(tenders).name, period, fr.spend_by_division(
        units, int(hi.year) - int(lo.year) + 1))
    attrs = announcements.attrs
    return {"announcements": attrs.get("releases", int(announcements["announcements"].sum())),
            "units": len(classified), "classified": int(by_group["frame_count"].sum()),
            "unknown_units": int(unknown["units"].sum()),
            "unknown_codes": len(unknown), "value_kinds": known["value_kind"]
            .value_counts().to_dict(), "strata": len(by_sub),
            "without_value": n_missing,
            "no_total": by_group.loc[by_group["frame_total_eur"].isna(), "product_group"]
            .tolist(),
            "by_award_date": int((classified["date_basis"] == "award").sum()),
            **{k: attrs.get(k, d) for k, d in (("bad_amounts", 0), ("text_amounts", 0),
                                               ("converted", {}), ("no_currency", 0),
                                               ("mapping", ""))}}


def _write_frame(out: Path, name: str, period: str, classified: pd.DataFrame,
                 by_group: pd.DataFrame, by_sub: pd.DataFrame, n_missing: int) -> None:
    """frame_totals.csv and sub_strata.csv (intake format) and frame_strata.csv."""
    source = (f"assumption: counted by 'effectmodel frame' from {name} for {period} "
              f"({len(classified)} tenders or lots; period by award date, else publication, "
              "in Europe/Amsterdam); as complete as that list"
              + (f"; {n_missing} without a value: {fr.IMPUTATION}" if n_missing else ""))
    valued = by_group[by_group["frame_total_eur"].notna()]
    write_csv(valued.assign(relative_uncertainty=0.0, source=source)[
        ["period", "product_group", "frame_total_eur", "relative_uncertainty", "source"]],
        out / "frame_totals.csv")
    write_csv(by_sub.assign(source=source)[["period", "product_group", "sub_stratum",
                                            "frame_count", "source"]], out / "sub_strata.csv")
    write_csv(by_sub[["period", "product_group", "sub_stratum", "frame_count", "n_valued",
                      "n_without_value", "valued_eur", "frame_total_eur"]],
              out / "frame_strata.csv")


def _write_units(out: Path, period: str, classified: pd.DataFrame) -> pd.DataFrame:
    """frame_units.csv: the classified units, a unit without a value at its stratum's mean;
    returns them."""
    known = fr.impute(classified)
    known["sub_stratum"] = known["sub_stratum"].where(known["sub_stratum"] != "", "all")
    day = "%Y-%m-%d"
    write_csv(known.assign(period=period, date=known["date"].dt.strftime(day),
                           published=known["published"].dt.strftime(day),
                           award_date=known["award_date"].dt.strftime(day))[
        ["period", "product_group", "sub_stratum", "tender_id", "lot", "date", "date_basis",
         "published", "award_date", "cpv", "buyer", "value", "value_kind", "announcements"]],
        out / UNITS_FILE)
    return known


def _write_spend(out: Path, name: str, period: str, spend: pd.DataFrame) -> None:
    """spend.csv: the spend per CPV division and year, in the format of a spend table."""
    spend = spend[spend["spend_eur"] > 0]
    write_csv(spend.assign(relative_uncertainty=0.0, source=[
        f"assumption: valued tenders and lots of CPV division in {name}, {period}, per year "
        f"({u} units, {m} without a value, not counted); as complete as that list"
        for u, m in zip(spend["units"], spend["n_without_value"], strict=True)])[
        ["group", "name_en", "name_nl", "spend_eur", "relative_uncertainty", "source"]],
        out / "spend.csv")


def make_sample(units_csv: Path, n: int, seed: int, allocation: str, out: Path,
                take_all: float | None = None) -> dict[str, Any]:
    """Write a stratified sample of the frame ``units_csv`` (from :func:`make_frame`) into
    ``out``: ``sampled_tenders.csv`` (intake format: the tenders to examine, value and
    sub-stratum), ``sub_strata.csv`` (the frame counts, so the monitor's inclusion weights
    and finite-population correction follow) and ``sample_design.csv`` (each tender's
    inclusion probability).

    Within each stratum, tenders whose value exceeds ``take_all`` (default
    :data:`~effectmodel.model.frame.TAKE_ALL_SHARE`) times what one sampled tender of the
    rest stands for are taken with certainty (:func:`~effectmodel.model.frame.take_all`):
    a sub-stratum of their own, ``<sub-stratum>/take-all``, sampled whole and marked
    ``take_all: yes`` in ``sub_strata.csv``; they count within the stratum's n_h."""
    share = fr.TAKE_ALL_SHARE if take_all is None else take_all
    refuse_unless_empty(out)
    units_csv = Path(units_csv)
    if not units_csv.exists():
        raise InputError([Problem(str(units_csv), "(file)", f"not found (allowed: the "
                                  f"{UNITS_FILE} that 'effectmodel frame' writes)")])
    frame = pd.read_csv(units_csv, dtype={"tender_id": str, "lot": str, "sub_stratum": str,
                                          "cpv": str}, keep_default_na=False)
    missing = [c for c in ("period", "product_group", "sub_stratum", "tender_id", "value")
               if c not in frame.columns]
    if missing:
        raise InputError([Problem(str(units_csv), c, f"missing column (allowed: the "
                                  f"{UNITS_FILE} that 'effectmodel frame' writes)")
                          for c in missing])
    raise_if([Problem(flag, str(value), err.split(" (allowed")[0] + f" (allowed: {allowed})")
              for flag, value, check, allowed in (
                  ("--n", n, integer(1, len(frame)),
                   f"1 to {len(frame):,}, the tenders in {units_csv.name}"),
                  ("--seed", seed, integer(0, 2**63 - 1), "0 to 2**63 - 1"),
                  ("--take-all", share, number(0.0, 1e6), "a share from 0 (none) upwards"))
              if (err := check(value)[1])])
    if "lot" not in frame.columns:  # a frame of tenders without lots
        frame["lot"] = ""
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    wrong = frame["value"].notna() & ~frame["value"].between(0, MAX_NUMBER)
    if wrong.any():
        i = int(wrong.to_numpy().nonzero()[0][0])
        raise InputError([Problem(str(units_csv), f"value[line {i + 2}]",
                                  f"{float(frame['value'].iat[i])} (allowed: an amount from 0 to "
                                  f"{MAX_NUMBER:.0e} EUR; {int(wrong.sum())} such rows)")])
    n_h = fr.allocate(frame, n, allocation)
    frame, n_h = _take_all(frame, n_h, share)
    sample = fr.draw(frame, n_h, seed)
    _write_sample(new_folder(out), units_csv.name, frame, sample, seed, allocation, share)
    taken = int((sample["sub_stratum"].str.endswith(TAKE_ALL_SUFFIX)).sum())
    return {"n": len(sample), "strata": len(n_h), "frame": len(frame), "take_all": taken}


def _write_sample(out: Path, name: str, frame: pd.DataFrame, sample: pd.DataFrame, seed: int,
                  allocation: str, share: float) -> None:
    """sampled_tenders.csv, sub_strata.csv (with the take-all flag) and sample_design.csv
    of a drawn sample of the frame ``name``."""
    ids = sample["tender_id"] + sample["lot"].where(sample["lot"] == "", "/" + sample["lot"])
    src = (f"assumption: tender drawn from {name} (seed {seed}, {allocation} "
           f"allocation, inclusion probability n_h/N_h); to be scored")
    write_csv(pd.DataFrame({"period": sample["period"], "product_group": sample["product_group"],
                            "sub_stratum": sample["sub_stratum"], "tender_id": ids,
                            "value_eur": sample["value"], "weight": 1, "source": src}),
              out / "sampled_tenders.csv")
    counts = frame.groupby(["period", "product_group", "sub_stratum"], sort=True).size()
    ss = counts.rename("frame_count").reset_index()
    ss["take_all"] = np.where(ss["sub_stratum"].str.endswith(TAKE_ALL_SUFFIX), "yes", "no")
    write_csv(ss.assign(source=f"assumption: frame counts of {name}; take-all "
                               f"tenders above {share:g} x T_rest / n_rest of their stratum"),
              out / "sub_strata.csv")
    write_csv(sample.assign(tender_id=ids)[["period", "product_group", "sub_stratum",
                                            "tender_id", "value", "pi", "design_weight"]],
              out / "sample_design.csv")


#: the sub-stratum of a stratum's take-all tenders: its own name plus this
TAKE_ALL_SUFFIX = "/take-all"


def _take_all(frame: pd.DataFrame, n_h: pd.Series, share: float
              ) -> tuple[pd.DataFrame, pd.Series]:
    """The frame and allocation with each stratum's take-all tenders
    (:func:`~effectmodel.model.frame.take_all`) in a sub-stratum of their own, sampled whole;
    the rest of the stratum keeps the rest of its n_h."""
    frame = frame.copy()
    strata = fr.strata_of(frame)
    out = n_h.copy()
    for s, k in n_h.items():
        members = np.flatnonzero((strata == s).to_numpy())
        taken = fr.take_all(frame["value"].to_numpy(float)[members], int(k), share)
        if taken.any():
            rows = frame.index[members[taken]]
            sub = frame.loc[rows, "sub_stratum"].replace("", "all") + TAKE_ALL_SUFFIX
            frame.loc[rows, "sub_stratum"] = sub
            out[s] = int(k) - int(taken.sum())
            out[fr.strata_of(frame.loc[rows[:1]]).iat[0]] = int(taken.sum())
    return frame, out
