"""Input tables: read and validate the CSV files a params file names.

The only module that opens input files. Each table has a fixed set of columns with a type; every
row needs a ``source`` that gives an address (``http...``) or says ``assumption: ...``. All
problems in all files are collected and raised together, each naming file, field and line.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from effectmodel.inputs.errors import InputError, Problem, decode_problem, raise_if, short
from effectmodel.inputs.params import (
    Params,
    data_paths,
    input_label,
    key_label,
    params_problems,
)

DISTRIBUTIONS = ("pert", "triangular", "uniform", "lognormal", "fixed")

# a cell's parser: text -> (value, error); a column's fast path: the cells -> (values, bad)
Parser = Callable[[str], tuple[Any, str | None]]
Vector = Callable[[pd.Series], "tuple[list, np.ndarray] | None"]


@dataclass(frozen=True)
class Column:
    """How one column is read: ``cell`` decides (and words the problem) for one cell;
    ``vector`` reads a whole column at once, with the same values, and flags the cells it
    cannot accept, which ``cell`` then judges one by one. ``vector`` may return None (for
    example when some cell is not a number at all): then every cell goes through ``cell``.
    """

    cell: Parser
    vector: Vector

    def __call__(self, s: str) -> tuple[Any, str | None]:
        return self.cell(s)

    def read(self, cells: pd.Series) -> tuple[list, dict[int, str]]:
        """(values, {row: problem}) of a column of text cells."""
        fast = self.vector(cells)
        if fast is None:
            values, bad = [None] * len(cells), np.ones(len(cells), dtype=bool)
        else:
            values, bad = fast
        judge = np.flatnonzero(bad).tolist()
        if judge and not isinstance(values, list):
            values = values.tolist()  # cells of other types (None) go in: a list, as before
        errors = {}
        for i in judge:
            values[i], err = self.cell(cells.iat[i])
            if err:
                errors[i] = err
        return values, errors


def _as_float(cells: pd.Series) -> np.ndarray | None:
    """Every cell as a float by Python's own rules (as ``float(text)``), or None when one
    cell is not a number."""
    try:
        return cells.to_numpy(dtype=object).astype(float)
    except (ValueError, TypeError):
        return None


def _num_vector(lo: float | None, lo_open: bool, hi: float | None) -> Vector:
    def vector(cells: pd.Series):
        x = _as_float(cells)
        if x is None:
            return None
        ok = np.isfinite(x)
        if lo is not None:
            ok &= (x > lo) if lo_open else (x >= lo)
        if hi is not None:
            ok &= x <= hi
        return x, ~ok

    return vector


def _num(lo: float | None, lo_open: bool, hi: float | None, allowed: str) -> Column:
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

    return Column(parse, _num_vector(lo, lo_open, hi))


def _text_cell(s: str):
    return (s, None) if s.strip() else (None, "empty (allowed: non-empty text)")


_text = Column(_text_cell, lambda c: (c, (c.str.strip() == "").to_numpy(dtype=bool)))
_opt_text = Column(lambda s: (s.strip(), None),
                   lambda c: (c.str.strip(), np.zeros(len(c), dtype=bool)))


def _yesno_cell(s: str):
    v = s.strip().lower()
    if v in ("yes", "no"):
        return v == "yes", None
    return None, f"{short(s)} (allowed: yes, no)"


def _canonical(cells: pd.Series, allowed: tuple[str, ...]) -> pd.Series:
    """The cells stripped and lower-case (only those not already one of ``allowed``)."""
    plain = cells.isin(allowed)
    if plain.all():
        return cells
    v = cells.copy()
    v[~plain] = cells[~plain].str.strip().str.lower()
    return v


def _yesno_vector(cells: pd.Series):
    v = _canonical(cells, ("yes", "no"))
    return (v == "yes").to_numpy(dtype=bool), (~v.isin(("yes", "no"))).to_numpy()


_yesno = Column(_yesno_cell, _yesno_vector)


def _dist_cell(s: str):
    v = s.strip().lower()
    if v in DISTRIBUTIONS:
        return v, None
    return None, f"unknown distribution {short(s)} (allowed: {', '.join(DISTRIBUTIONS)})"


def _dist_vector(cells: pd.Series):
    v = _canonical(cells, DISTRIBUTIONS)
    return v, (~v.isin(DISTRIBUTIONS)).to_numpy(dtype=bool)


_dist = Column(_dist_cell, _dist_vector)


def _source_cell(s: str):
    v = s.strip()
    if "http" in v or "assumption:" in v.lower():
        return v, None
    return None, "no source (allowed: an address http... or 'assumption: ...' and why)"


def _source_vector(cells: pd.Series):
    v = cells.str.strip()
    ok = v.str.contains("http", regex=False).to_numpy(dtype=bool, copy=True)
    rest = np.flatnonzero(~ok)
    if rest.size:  # only the cells without an address: is there an assumption?
        ok[rest] = v.iloc[rest].str.lower().str.contains("assumption:", regex=False).to_numpy()
    return v, ~ok


_source = Column(_source_cell, _source_vector)


def _opt(column: Column) -> Column:
    """The column, or empty (None)."""
    def parse(s: str):
        if not s.strip():
            return None, None
        return column.cell(s)

    def vector(cells: pd.Series):
        empty = (cells.str.strip() == "").to_numpy()
        if not empty.any():
            return column.vector(cells)
        if empty.all():
            return [None] * len(cells), np.zeros(len(cells), dtype=bool)
        fast = column.vector(cells.where(~empty, "1"))  # any valid stand-in
        if fast is None:
            return None
        values, bad = fast
        values = np.where(empty, np.nan, values)  # empty: missing, as None read before
        return values, bad & ~empty

    return Column(parse, vector)


POSITIVE = _num(0.0, True, None, "a number > 0")
NONNEG = _num(0.0, False, None, "a number >= 0")
PROB = _num(0.0, False, 1.0, "a number in [0, 1]")
FRACTION = PROB


def _triple(prefix: str, kind: Column) -> dict[str, Column]:
    return {f"{prefix}_dist": _dist, f"{prefix}_low": kind, f"{prefix}_mode": kind,
            f"{prefix}_high": kind}


TABLES: dict[str, dict[str, Column]] = {
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

# columns an empty cell is a problem in (asked of each column's own cell parser)
REQUIRED = {key: {c for c, col in spec.items() if col.cell("")[1] is not None}
            for key, spec in TABLES.items()}

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
    """One table and its own problems (columns, cells, duplicate keys)."""
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
    if "\x00" in text_:  # the message names no content
        return None, [Problem(label, "(file)", "not CSV: line contains NUL (allowed: "
                                               "comma-separated text)")]
    fast = _fast_table(raw, text_, REQUIRED[key])
    result = _from_rows(key, label, text_, fast)
    if fast is not None and result[1]:  # problems: read again, record by record
        result = _from_rows(key, label, text_, None)
    if result[0] is not None:
        result[0].attrs["sha256"] = hashlib.sha256(raw).hexdigest()  # of the bytes read
    return result


def _from_rows(key: str, label: str, text_: str,
               fast: tuple[list[str], list[int], list[pd.Series]] | None
               ) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The table and its problems, from the fast read or (None) record by record."""
    spec = TABLES[key]
    rows: list[list[str]] = []
    if fast is None:  # quotes, odd line ends or rows of the wrong length: record by record
        try:
            rows = list(csv.reader(text_.splitlines()))
        except csv.Error as exc:
            return None, [Problem(label, "(file)", f"not CSV: {exc} (allowed: "
                                                   "comma-separated text)")]
        if not rows:
            return None, [Problem(label, "(file)", "empty (allowed: a header row and data "
                                                   "rows)")]
        header = [h.strip() for h in rows[0]]
    else:
        header = [h.strip() for h in fast[0]]
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
    if fast is not None:
        _, lines, cells = fast
    else:
        if len(rows) == 1:
            return None, [Problem(label, "(file)", "no data rows (allowed: at least one row)")]
        lines, kept = [], []
        for lineno, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                problems.append(Problem(label, f"line {lineno}", f"{len(row)} fields (allowed: "
                                        f"{len(header)}, as the header)"))
                continue
            lines.append(lineno)
            kept.append(row)
        cells = [pd.Series(list(c)) for c in zip(*kept, strict=True)] if kept else [
            pd.Series([], dtype=object) for _ in header]
    df, cell_problems = _columns(spec, header, lines, cells, label)
    problems += cell_problems
    keys = KEYS[key]
    dup = df.duplicated(list(keys), keep="first")
    for _, r in df[dup].iterrows():
        ident = ", ".join(str(r[k]) for k in keys)
        problems.append(Problem(label, f"{'+'.join(keys)}[line {r['_line']}]",
                                f"duplicate {short(ident)} (allowed: each once)"))
    return df, problems


_CONTENT = re.compile(r"\S")


def _fast_table(raw: bytes, text: str, required: set[str]
                ) -> tuple[list[str], list[int], list[pd.Series]] | None:
    """(header, line numbers, the text of each column) of a table read by pandas' C parser,
    or None where the record-by-record reader must judge: quotes, more than one kind of line
    end, no data rows, a row with too many fields, or a last column that may be empty (the C
    parser pads a short row with empty fields: a required last column makes such a row a
    problem, and a table with problems is read again record by record)."""
    if '"' in text or ("\r" in text and text.count("\r") != text.count("\r\n")):
        return None
    end = text.find("\n")
    if end < 0 or not _CONTENT.search(text, end + 1):
        return None
    first = text[:end]
    header = [h.strip() for h in next(csv.reader([first.rstrip("\r")]), [])]
    if not header or header[-1] not in required:
        return None
    n = len(header)
    try:
        df = pd.read_csv(io.BytesIO(raw), header=None, skiprows=1, names=list(range(n)),
                         dtype=str, keep_default_na=False, na_filter=False,
                         skip_blank_lines=False, quoting=csv.QUOTE_NONE, engine="c",
                         encoding="utf-8-sig")
    except (pd.errors.ParserError, ValueError):
        return None
    # blank lines are rows of empty (or blank) cells: the record-by-record reader skips them
    blank = np.zeros(len(df), dtype=bool)
    for i in np.flatnonzero((df[0].str.strip() == "").to_numpy()).tolist():
        blank[i] = not any(str(v).strip() for v in df.iloc[i])
    keep = ~blank
    # every non-blank row has n fields: pandas pads short rows and may take a first extra
    # field as an index, so count the commas of the file against the rows
    blank_commas = 0
    if blank.any():
        physical = text[end + 1:].split("\n")
        blank_commas = sum(physical[i].count(",") for i in np.flatnonzero(blank).tolist())
    if raw.count(b",") - first.count(",") != (n - 1) * int(keep.sum()) + blank_commas:
        return None
    lines = (np.flatnonzero(keep) + 2).tolist()
    if blank.any():
        df = df[keep].reset_index(drop=True)
    return header, lines, [df[j] for j in range(n)]


def _columns(spec: dict[str, Column], header: list[str], lines: list[int],
             cells: list[pd.Series], label: str) -> tuple[pd.DataFrame, list[Problem]]:
    """The table of well-formed rows, read column by column, and the problems of its cells
    in the order of the file (line, then column)."""
    data: dict[str, Any] = {"_line": lines}
    bad = np.zeros(len(lines), dtype=bool)
    found: list[tuple[int, int, Problem]] = []
    for j, col in enumerate(header):
        values, errors = spec[col].read(cells[j])
        data[col] = values
        for i, err in errors.items():
            found.append((i, j, Problem(label, f"{col}[line {lines[i]}]", err)))
            bad[i] = True
    data["_bad"] = bad.tolist()
    df = pd.DataFrame({c: data[c] for c in ["_line", "_bad", *spec]},
                      columns=["_line", "_bad", *spec])
    return df, [p for _, _, p in sorted(found, key=lambda f: (f[0], f[1]))]


def _check_triples(df: pd.DataFrame, key: str, label: str) -> list[Problem]:
    problems = []
    prefixes = [c[:-5] for c in TABLES[key] if c.endswith("_dist")]
    ok = df[~df["_bad"]]
    found = []
    for k, prefix in enumerate(prefixes):
        lo, mo, hi = (ok[f"{prefix}_{x}"].astype(float) for x in ("low", "mode", "high"))
        complete = lo.notna() & mo.notna() & hi.notna()
        unordered = complete & ~((lo <= mo) & (mo <= hi))
        lognormal = complete & ~unordered & (ok[f"{prefix}_dist"] == "lognormal") & (lo <= 0)
        for i in np.flatnonzero(unordered | lognormal).tolist():
            line = int(ok["_line"].iat[i])
            if unordered.iat[i]:
                a, b, c = (float(v.iat[i]) for v in (lo, mo, hi))
                problem = Problem(label, f"{prefix}_low/mode/high[line {line}]",
                                  f"{a} / {b} / {c} not ordered (allowed: low <= mode <= high)")
            else:
                problem = Problem(label, f"{prefix}_low[line {line}]",
                                  "lognormal needs low > 0 (allowed: > 0)")
            found.append((k, i, problem))
    return problems + [p for _, _, p in sorted(found, key=lambda f: (f[0], f[1]))]


def _refs(df, col, allowed, label, what) -> list[Problem]:
    """Cells of ``col`` (in rows without problems) that name nothing in ``allowed``."""
    values = df[col]
    unknown = ~df["_bad"] & values.notna() & ~values.isin(list(allowed))
    shown = ", ".join(sorted(allowed)[:20])
    return [Problem(label, f"{col}[line {line}]", f"unknown {what} {short(v)} (allowed: "
                    f"{shown})")
            for line, v in zip(df["_line"][unknown], values[unknown], strict=True)]


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

    more, periods = params_problems(params, list(hf["id"]), all_periods, params_label)
    p += more
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
            hashes[key] = df.attrs.pop("sha256")
            tables[key] = df
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


__all__ = ["Inputs", "InputError", "load_inputs", "TABLES"]
