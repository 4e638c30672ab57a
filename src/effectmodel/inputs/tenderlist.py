"""Tender lists, for a sampling frame: TenderNed's open-data export (a CSV or a workbook's
sheet, any dialect :mod:`.formats` reads), any list with a publication date, a CPV code, a
value and a buyer, or OCDS release and record packages (JSON, the Open Contracting Data
Standard TenderNed follows). A column map (YAML) says which column holds what; the default
map names OCDS paths, which TenderNed's field tab gives for each of its columns.

Returns one row per announcement in :data:`~effectmodel.domain.columns.TENDER_FIELDS`; bad
input is an :class:`~effectmodel.domain.errors.InputError` naming file, row and column.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

from effectmodel.domain.columns import TENDER_FIELDS
from effectmodel.domain.errors import InputError, Problem, short
from effectmodel.inputs.formats import read_source
from effectmodel.inputs.yamlfiles import read_yaml

#: the map's column names: required, and those a list may leave out
REQUIRED = ("tender_id", "date", "cpv", "value")
OPTIONAL = ("lot", "buyer")
#: the default map: OCDS paths as column names (TenderNed's field tab names them)
DEFAULT_MAP = {
    "columns": {"tender_id": "ocid", "lot": "tender/lots/id", "date": "date",
                "cpv": "tender/classification/id", "value": "tender/value/amount",
                "buyer": "buyer/name"},
    "awarded_value": "awards/value/amount",
}


def read_map(path: Path | None) -> dict[str, Any]:
    """A column map: ``columns`` (field -> the list's header), optionally ``awarded_value``
    (a column with the awarded value, used where filled) or ``value_kind`` ({column, awarded:
    [values]}: which rows give an awarded value)."""
    if path is None:
        return DEFAULT_MAP
    raw, _ = read_yaml(Path(path), "a column map (YAML)")
    label = str(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("columns"), dict):
        raise InputError([Problem(label, "columns", "missing (allowed: a mapping of tender_id, "
                                  "date, cpv, value and optionally lot, buyer to headers)")])
    cols = raw["columns"]
    problems = [Problem(label, f"columns.{k}", "missing (allowed: the header of the list's "
                        f"column with the {k})") for k in REQUIRED if not cols.get(k)]
    problems += [Problem(label, f"columns.{k}", f"unknown field (allowed: "
                         f"{', '.join(REQUIRED + OPTIONAL)})") for k in cols
                 if k not in REQUIRED + OPTIONAL]
    if problems:
        raise InputError(problems)
    return raw


#: JSON read whole (until streaming): larger files are refused, not read into MemoryError
MAX_JSON_BYTES = 512_000_000
AMOUNT = "an amount in EUR: a finite number, 0 or more"


def read_amount(x: Any) -> tuple[float | None, str | None, bool]:
    """An amount as a tender list gives it: (value [EUR], what is wrong with it or None,
    whether it was read from text). None and empty text are no amount (no problem); a
    number, or text that is one, must be finite and 0 or more."""
    if x is None or (isinstance(x, str) and not x.strip()):
        return None, None, False
    text = isinstance(x, str)
    if isinstance(x, bool) or not (text or isinstance(x, int | float)):
        return None, f"not a number: {short(x)}", False
    try:
        value = float(x.strip()) if text else float(x)
    except (ValueError, OverflowError):
        return None, f"not a number: {short(x)}", text
    if value != value or value in (float("inf"), float("-inf")):
        return None, f"not a finite number: {short(x)}", text
    if value < 0:
        return None, f"negative: {short(x)}", text
    return value, None, text


def read_tender_list(path: Path, column_map: dict[str, Any], skip_bad: bool = False
                     ) -> pd.DataFrame:
    """The announcements of a tender list (:data:`TENDER_FIELDS`), ``value`` [EUR].

    An amount that is not a finite number 0 or more is bad input, a line per amount naming
    its release or row (raises :class:`InputError`); with ``skip_bad`` its announcement is
    left out instead. ``attrs`` count ``bad_amounts`` (left out) and ``text_amounts`` (read
    from text that is a number)."""
    path = Path(path)
    if not path.exists():
        raise InputError([Problem(str(path), "(file)", "not found (allowed: a tender list: "
                                  "CSV, .xlsx, or OCDS JSON)")])
    df, problems, text = _ocds(path) if path.suffix.lower() == ".json" else \
        _table(path, column_map)
    if problems and not skip_bad:
        raise InputError([p for _, p in problems])
    if problems:
        df = df.drop(index=sorted({i for i, _ in problems})).reset_index(drop=True)
    df.attrs.update(bad_amounts=len({i for i, _ in problems}), text_amounts=text)
    return df


def _amounts(raw: pd.Series, label: str, where) -> tuple[pd.Series, list, int]:
    """Amounts of a column (``where(i)``: the field naming row i in a problem): values
    [EUR], (row, problem) of the bad ones, and how many were read from text."""
    values, problems, text = [], [], 0
    for i, x in enumerate(raw.tolist()):
        value, err, from_text = read_amount(x)
        values.append(value)
        text += from_text and err is None and value is not None
        if err:
            problems.append((i, Problem(label, where(i), f"{err} (allowed: {AMOUNT}; or "
                                                         "--skip-bad to leave it out)")))
    return pd.Series(values, index=raw.index, dtype=float), problems, text


def _table(path: Path, cmap: dict[str, Any]) -> pd.DataFrame:
    cols = cmap["columns"]
    numeric = {cols["value"], cmap.get("awarded_value", "")} - {""}
    src, problems = read_source(path, "tenders", str(path), numeric)
    if src is None:
        raise InputError(problems)
    label = str(path) + (f"#{src.sheet}" if src.sheet else "")
    rows = list(csv.reader(io.StringIO(src.text)))
    if not rows:
        raise InputError([Problem(label, "(file)", "empty (allowed: a header and rows)")])
    header = [h.strip() for h in rows[0]]
    missing = [(k, cols[k]) for k in (*REQUIRED, *OPTIONAL) if cols.get(k)
               and cols[k] not in header]
    if missing:
        raise InputError([Problem(label, "(header)", f"no column {short(h)} for {k} (allowed: "
                                  f"one of {', '.join(header[:12])}; or another column map)")
                          for k, h in missing])
    df = pd.DataFrame(rows[1:], columns=header).astype(str)
    out = pd.DataFrame({k: df[cols[k]].str.strip() if cols.get(k) else ""
                        for k in ("tender_id", "lot", "date", "cpv", "buyer")})
    column = cols["value"]
    value, problems, _ = _amounts(df[column], label, lambda i: f"{column}[line {i + 2}]")
    out["value"], out["value_kind"] = value, "estimated"
    award = cmap.get("awarded_value")
    if award and award in header:
        awarded, more, _ = _amounts(df[award], label, lambda i: f"{award}[line {i + 2}]")
        problems += more
        use = awarded.notna()
        out.loc[use, "value"] = awarded[use]
        out.loc[use, "value_kind"] = "awarded"
    kind = cmap.get("value_kind")
    if isinstance(kind, dict) and kind.get("column") in header:
        hit = df[kind["column"]].str.strip().isin([str(v) for v in kind.get("awarded", [])])
        out.loc[hit, "value_kind"] = "awarded"
    out["date"] = _dates(out["date"], label, cols["date"])
    return out[list(TENDER_FIELDS)], problems, 0


def _dates(text: pd.Series, label: str, column: str) -> pd.Series:
    """Dates as written in tender lists: ISO (2019-05-01, with a time or not) or Dutch
    (01-05-2019); an unreadable date is bad input, with its row."""
    iso = pd.to_datetime(text, errors="coerce", format="ISO8601", utc=True).dt.tz_localize(None)
    dutch = pd.to_datetime(text, errors="coerce", dayfirst=True, format="%d-%m-%Y")
    out = iso.fillna(dutch)
    bad = out.isna()
    if bad.any():
        line = int(bad.to_numpy().nonzero()[0][0]) + 2
        raise InputError([Problem(label, f"{column}[line {line}]", f"not a date: "
                                  f"{short(text.iloc[line - 2])} (allowed: 2019-05-01 or "
                                  f"01-05-2019; {int(bad.sum())} such rows)")])
    return out


def _json(path: Path) -> Any:
    """A JSON file read whole, within bounds: its size (:data:`MAX_JSON_BYTES`), and the
    nesting Python's reader can follow; a breach is bad input, not a crash."""
    label, size = str(path), path.stat().st_size
    if size > MAX_JSON_BYTES:
        raise InputError([Problem(label, "(file)", f"{size / 1e6:,.0f} MB of JSON (allowed: at "
                                  f"most {MAX_JSON_BYTES / 1e6:,.0f} MB; split the package by "
                                  "year or month)")])
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError([Problem(label, "(file)", f"not JSON: {exc} (allowed: an OCDS release "
                                  "or record package)")]) from None
    except RecursionError:
        raise InputError([Problem(label, "(file)", "nested too deep to read (allowed: an OCDS "
                                  "release or record package, a few levels deep)")]) from None
    except MemoryError:
        raise InputError([Problem(label, "(file)", f"{size / 1e6:,.0f} MB of JSON do not fit "
                                  "in memory (allowed: a smaller package; split it by year or "
                                  "month)")]) from None


def _ocds(path: Path) -> tuple[pd.DataFrame, list, int]:
    """OCDS release packages ({"releases": [...]}) or record packages ({"records": [...]},
    each with its compiledRelease or releases): a row per release and lot (or tender),
    the tender's estimated value, and a row per award with its awarded value."""
    label = str(path)
    data = _json(path)
    if isinstance(data, dict) and "releases" in data:
        releases = data["releases"]
    elif isinstance(data, dict) and "records" in data:
        releases = []
        for rec in data["records"]:
            releases += [rec["compiledRelease"]] if "compiledRelease" in rec else \
                rec.get("releases", [])
    else:
        raise InputError([Problem(label, "(file)", "neither 'releases' nor 'records' at the "
                                  "top (allowed: an OCDS release or record package)")])
    rows = []
    for i, r in enumerate(releases):
        tender = r.get("tender") or {}
        tid = tender.get("id") or r.get("ocid")
        cpv = ((tender.get("classification") or {}).get("id")
               or next(((it.get("classification") or {}).get("id")
                        for it in tender.get("items") or [] if it.get("classification")), ""))
        base = {"tender_id": str(tid or f"release-{i}"), "date": r.get("date", ""),
                "cpv": str(cpv or ""), "buyer": (r.get("buyer") or {}).get("name", ""),
                "_at": f"releases[{i}]"}
        lots = tender.get("lots") or []
        if lots:
            for lot in lots:
                rows.append({**base, "lot": str(lot.get("id", "")),
                             "value": (lot.get("value") or {}).get("amount"),
                             "value_kind": "estimated", "_field": "tender.lots.value.amount"})
        elif (tender.get("value") or {}).get("amount") is not None or not r.get("awards"):
            # (an award release that repeats no tender value adds only its awards)
            rows.append({**base, "lot": "", "value": (tender.get("value") or {}).get("amount"),
                         "value_kind": "estimated", "_field": "tender.value.amount"})
        for award in r.get("awards") or []:
            amount = (award.get("value") or {}).get("amount")
            for lot in award.get("relatedLots") or [""]:
                rows.append({**base, "lot": str(lot), "value": amount,
                             "value_kind": "awarded", "_field": "awards.value.amount"})
    out = pd.DataFrame(rows, columns=[*TENDER_FIELDS, "_at", "_field"])
    out["date"] = _dates(out["date"].astype(str), label, "date")
    at = (out["_at"] + "." + out["_field"]).tolist()
    # the amounts as the JSON gave them (a DataFrame column would turn None into NaN)
    raw = pd.Series([row["value"] for row in rows], index=out.index, dtype=object)
    out["value"], problems, text = _amounts(raw, label, lambda i: at[i])
    return out[list(TENDER_FIELDS)], problems, text
