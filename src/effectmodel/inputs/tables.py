"""Input tables: read and validate the CSV files a params file names.

The only module that opens input files. Each table has a fixed set of columns with a type; every
row needs a ``source`` that gives an address (``http...``) or says ``assumption: ...``. All
problems in all files are collected and raised together, each naming file, field and line.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from effectmodel.inputs.errors import InputError, Problem, decode_problem, raise_if, short
from effectmodel.inputs.hashing import file_sha256
from effectmodel.inputs.params import (
    Params,
    data_paths,
    input_label,
    key_label,
    params_problems,
)

DISTRIBUTIONS = ("pert", "triangular", "uniform", "lognormal", "fixed")

# column kinds -> parser(text) -> (value, error)
Parser = Callable[[str], tuple[Any, str | None]]


def _num(lo: float | None, lo_open: bool, hi: float | None, allowed: str) -> Parser:
    def parse(s: str):
        try:
            x = float(s)
        except ValueError:
            return None, f"not a number: {short(s)} (allowed: {allowed})"
        if not math.isfinite(x):
            return None, f"not a finite number: {short(s)} (allowed: {allowed})"
        if lo is not None and (x < lo or (lo_open and x == lo)):
            return None, f"out of range: {short(s.strip(), 20)} (allowed: {allowed})"
        if hi is not None and x > hi:
            return None, f"out of range: {short(s.strip(), 20)} (allowed: {allowed})"
        return x, None

    return parse


def _text(s: str):
    return (s, None) if s.strip() else (None, "empty (allowed: non-empty text)")


def _opt_text(s: str):
    return s.strip(), None


def _yesno(s: str):
    v = s.strip().lower()
    if v in ("yes", "no"):
        return v == "yes", None
    return None, f"{short(s)} (allowed: yes, no)"


def _dist(s: str):
    v = s.strip().lower()
    if v in DISTRIBUTIONS:
        return v, None
    return None, f"unknown distribution {short(s)} (allowed: {', '.join(DISTRIBUTIONS)})"


def _source(s: str):
    v = s.strip()
    if "http" in v or "assumption:" in v.lower():
        return v, None
    return None, "no source (allowed: an address http... or 'assumption: ...' and why)"


def _opt(parser: Parser) -> Parser:
    def parse(s: str):
        if not s.strip():
            return None, None
        return parser(s)

    return parse


POSITIVE = _num(0.0, True, None, "a number > 0")
NONNEG = _num(0.0, False, None, "a number >= 0")
PROB = _num(0.0, False, 1.0, "a number in [0, 1]")
FRACTION = PROB


def _triple(prefix: str, kind: Parser) -> dict[str, Parser]:
    return {f"{prefix}_dist": _dist, f"{prefix}_low": kind, f"{prefix}_mode": kind,
            f"{prefix}_high": kind}


TABLES: dict[str, dict[str, Parser]] = {
    "buyer_groups": {
        "id": _text, "name_nl": _text, "name_en": _text, "category": _text, "quantified": _yesno,
        "reason_not_quantified_nl": _opt_text, "reason_not_quantified_en": _opt_text,
        "source": _source,
    },
    "buyer_group_tenders": {
        "tender_id": _text, "buyer_group": _text, "description": _text, "quantity_unit": _text,
        **_triple("quantity", POSITIVE), **_triple("emission_factor", POSITIVE),
        **_triple("reduction_fraction", FRACTION), "award_probability": PROB,
        **_triple("additionality", FRACTION), "source": _source,
    },
    "household_factors": {
        "id": _text, "publication": _text, **_triple("t_per_household", POSITIVE),
        "households_published": _opt(POSITIVE), "basis": _text, "source": _source,
    },
    "product_groups": {
        "id": _text, "name_nl": _text, "name_en": _text, "cluster": _text,
        "in_pilot_2015_2016": _yesno, "source": _source,
    },
    "monitor_periods": {
        "period": _text, "published_t": _opt(POSITIVE), "published_bound": _opt_text,
        "published_unit_label": _opt_text, "n_product_groups_published": _opt(POSITIVE),
        "household_factor": _text, "source": _source,
    },
    "frame_totals": {
        "period": _text, "product_group": _text, "frame_total_eur": POSITIVE,
        "relative_uncertainty": _num(0.0, False, 2.0, "a number in [0, 2]"), "source": _source,
    },
    "translation_factors": {
        "factor_id": _text, "product_group": _text, "criterion": _text, "unit": _text,
        **_triple("baseline_ef", NONNEG), **_triple("mvi_ef", NONNEG), "source": _source,
    },
    "sampled_tenders": {
        "period": _text, "product_group": _text, "tender_id": _text, "value_eur": POSITIVE,
        "weight": POSITIVE, "has_effect": _yesno, "factor_id": _opt_text,
        "quantity": _opt(POSITIVE), "source": _source,
    },
}

KEYS = {  # columns that must be unique together
    "buyer_groups": ("id",),
    "buyer_group_tenders": ("tender_id",),
    "household_factors": ("id",),
    "product_groups": ("id",),
    "monitor_periods": ("period",),
    "frame_totals": ("period", "product_group"),
    "translation_factors": ("factor_id",),
    "sampled_tenders": ("period", "tender_id"),
}

BOUNDS = ("at least", "point", "")


@dataclass(frozen=True)
class Inputs:
    """The validated input tables (pandas DataFrames with canonical column names).

    ``files`` maps each table key to the path read; ``sha256`` to the file's hash.
    ``periods`` are the monitoring periods this run estimates, in data order.
    """

    tables: MappingProxyType
    files: MappingProxyType
    sha256: MappingProxyType
    periods: tuple[str, ...]

    def __getitem__(self, key: str) -> pd.DataFrame:
        return self.tables[key]


def _read_table(key: str, path: Path, label: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    spec = TABLES[key]
    try:
        if path.is_dir():
            return None, [Problem(label, "(file)", f"is a folder (allowed: the CSV file of the "
                                                   f"{key} table, named in params data.{key})")]
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(label, "(file)", f"not found (allowed: the CSV file of the {key} "
                                               f"table, named in params data.{key})")]
    except OSError as exc:
        return None, [Problem(label, "(file)", f"cannot be read: {exc.strerror} (allowed: a "
                                               "readable CSV file)")]
    try:
        text_ = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [decode_problem(label, raw, exc)]
    try:
        rows = list(csv.reader(text_.splitlines()))
    except csv.Error as exc:  # e.g. a NUL byte; the message names no content
        return None, [Problem(label, "(file)", f"not CSV: {exc} (allowed: comma-separated "
                                               "text)")]
    if not rows:
        return None, [Problem(label, "(file)", "empty (allowed: a header row and data rows)")]
    header = [h.strip() for h in rows[0]]
    problems = []
    missing = [c for c in spec if c not in header]
    unknown = [c for c in header if c not in spec]
    for c in missing:
        problems.append(Problem(label, c, f"missing column (required: {', '.join(spec)})"))
    for c in unknown[:10]:
        problems.append(Problem(label, key_label(c),
                                f"unknown column (allowed: {', '.join(spec)})"))
    if len(unknown) > 10:
        problems.append(Problem(label, "(header)", f"{len(unknown) - 10} more unknown columns "
                                                   f"(allowed: {', '.join(spec)})"))
    if len(set(header)) != len(header):
        problems.append(Problem(label, "(header)", "duplicate column names (allowed: each "
                                                   "column once)"))
    if problems:
        return None, problems
    if len(rows) == 1:
        return None, [Problem(label, "(file)", "no data rows (allowed: at least one row)")]
    records = []
    for lineno, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(Problem(label, f"line {lineno}",
                                    f"{len(row)} fields (allowed: {len(header)}, as the header)"))
            continue
        rec: dict[str, Any] = {"_line": lineno, "_bad": False}
        for col, cell in zip(header, row, strict=True):
            value, err = spec[col](cell)
            if err:
                problems.append(Problem(label, f"{col}[line {lineno}]", err))
                rec["_bad"] = True
            rec[col] = value
        records.append(rec)
    df = pd.DataFrame.from_records(records, columns=["_line", "_bad", *spec])
    keys = KEYS[key]
    dup = df.duplicated(list(keys), keep="first")
    for _, r in df[dup].iterrows():
        ident = ", ".join(str(r[k]) for k in keys)
        problems.append(Problem(label, f"{'+'.join(keys)}[line {r['_line']}]",
                                f"duplicate {short(ident)} (allowed: each once)"))
    return df, problems


def _check_triples(df: pd.DataFrame, key: str, label: str) -> list[Problem]:
    problems = []
    prefixes = [c[:-5] for c in TABLES[key] if c.endswith("_dist")]
    for prefix in prefixes:
        for _, r in df[~df["_bad"]].iterrows():
            lo, mo, hi = r[f"{prefix}_low"], r[f"{prefix}_mode"], r[f"{prefix}_high"]
            if pd.isna(lo) or pd.isna(mo) or pd.isna(hi):
                continue
            if not lo <= mo <= hi:
                problems.append(Problem(
                    label, f"{prefix}_low/mode/high[line {r['_line']}]",
                    f"{lo} / {mo} / {hi} not ordered (allowed: low <= mode <= high)"))
            elif r[f"{prefix}_dist"] == "lognormal" and lo <= 0:
                problems.append(Problem(label, f"{prefix}_low[line {r['_line']}]",
                                        "lognormal needs low > 0 (allowed: > 0)"))
    return problems


def _refs(df, col, allowed, label, what) -> list[Problem]:
    problems = []
    for _, r in df.iterrows():
        if not r["_bad"] and not pd.isna(r[col]) and r[col] not in allowed:
            shown = ", ".join(sorted(allowed)[:20])
            problems.append(Problem(label, f"{col}[line {r['_line']}]",
                                    f"unknown {what} {short(r[col])} (allowed: {shown})"))
    return problems


def _cross_checks(t: dict[str, pd.DataFrame], labels: dict[str, str], params: Params,
                  params_label: str) -> tuple[list[Problem], tuple[str, ...]]:
    p: list[Problem] = []
    bg, bgt = t["buyer_groups"], t["buyer_group_tenders"]
    hf, pg, mp = t["household_factors"], t["product_groups"], t["monitor_periods"]
    ft, tf, st = t["frame_totals"], t["translation_factors"], t["sampled_tenders"]

    # buyer groups
    p += _refs(bgt, "buyer_group", set(bg["id"]), labels["buyer_group_tenders"], "buyer group")
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
    p += _refs(mp, "household_factor", set(hf["id"]), labels["monitor_periods"],
               "household factor")
    for _, r in mp.iterrows():
        if r["published_bound"] not in BOUNDS:
            p.append(Problem(labels["monitor_periods"], f"published_bound[line {r['_line']}]",
                             f"{short(r['published_bound'])} (allowed: at least, point, or empty)"))

    # monitor
    groups = set(pg["id"])
    all_periods = list(mp["period"])
    for key in ("frame_totals", "sampled_tenders"):
        p += _refs(t[key], "product_group", groups, labels[key], "product group")
        p += _refs(t[key], "period", set(all_periods), labels[key], "period")
    p += _refs(tf, "product_group", groups, labels["translation_factors"], "product group")
    factor_group = dict(zip(tf["factor_id"], tf["product_group"], strict=True))
    for _, r in st.iterrows():
        if r["_bad"]:
            continue  # already reported; no follow-on problems
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

    more, periods = params_problems(params, list(hf["id"]), all_periods, params_label)
    p += more
    framed = {(a, b) for a, b in zip(ft["period"], ft["product_group"], strict=True)}
    sampled = {(a, b) for a, b in zip(st["period"], st["product_group"], strict=True)}
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
    return p, periods


def read_tables(paths: dict[str, Path], params_path: Path):
    """Read each table and check it on its own (columns, types, ranges, duplicates,
    low <= mode <= high), without the checks across tables or against params.

    Returns (tables, labels, sha256, problems), keyed by table.
    """
    problems: list[Problem] = []
    tables: dict[str, pd.DataFrame] = {}
    labels: dict[str, str] = {}
    hashes: dict[str, str] = {}
    for key in TABLES:
        path = paths[key]
        label = input_label(path, params_path)
        labels[key] = label
        df, more = _read_table(key, path, label)
        problems += more
        if df is not None:
            problems += _check_triples(df, key, label) if key in _TRIPLE_TABLES else []
            tables[key] = df
            hashes[key] = file_sha256(path)
    return tables, labels, hashes, problems


def check_files(raw_params: Any, params_path: Path) -> list[Problem]:
    """Problems in the data files of a params file that did not validate, where its ``data``
    section names every table: so ``validate`` reports params and data problems at once."""
    data = raw_params.get("data") if isinstance(raw_params, dict) else None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in TABLES):
        return []
    paths, outside = data_paths(data, params_path, raw_params.get("data_root"))
    if outside:  # never read a file outside the project
        return outside
    return read_tables(paths, params_path)[3]


def load_inputs(params: Params) -> Inputs:
    """Read and validate every data file ``params`` names.

    Raises
    ------
    InputError
        listing every problem in every file.
    """
    tables, labels, hashes, problems = read_tables(dict(params.data), params.path)
    if len(tables) < len(TABLES):
        raise_if(problems)
    more, periods = _cross_checks(tables, labels, params, str(params.path))
    problems += more
    raise_if(problems)
    return Inputs(
        tables=MappingProxyType({k: v.drop(columns=["_line", "_bad"]) for k, v in tables.items()}),
        files=MappingProxyType({k: params.data[k] for k in TABLES}),
        sha256=MappingProxyType(hashes),
        periods=periods,
    )


_TRIPLE_TABLES = {k for k, spec in TABLES.items() if any(c.endswith("_dist") for c in spec)}


__all__ = ["Inputs", "InputError", "load_inputs", "file_sha256", "TABLES"]
