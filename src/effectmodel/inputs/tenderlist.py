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


def read_tender_list(path: Path, column_map: dict[str, Any]) -> pd.DataFrame:
    """The announcements of a tender list (:data:`TENDER_FIELDS`), ``value`` [EUR]."""
    path = Path(path)
    if not path.exists():
        raise InputError([Problem(str(path), "(file)", "not found (allowed: a tender list: "
                                  "CSV, .xlsx, or OCDS JSON)")])
    if path.suffix.lower() == ".json":
        return _ocds(path)
    return _table(path, column_map)


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
    value = pd.to_numeric(df[cols["value"]].str.strip().replace("", None), errors="coerce")
    bad = value.isna() & (df[cols["value"]].str.strip() != "")
    if bad.any():
        line = int(bad.to_numpy().nonzero()[0][0]) + 2
        raise InputError([Problem(label, f"{cols['value']}[line {line}]", f"not a number: "
                                  f"{short(df[cols['value']].iloc[line - 2])} (allowed: an "
                                  f"amount in EUR; {int(bad.sum())} such rows)")])
    out["value"], out["value_kind"] = value, "estimated"
    award = cmap.get("awarded_value")
    if award and award in header:
        awarded = pd.to_numeric(df[award].str.strip().replace("", None), errors="coerce")
        use = awarded.notna()
        out.loc[use, "value"] = awarded[use]
        out.loc[use, "value_kind"] = "awarded"
    kind = cmap.get("value_kind")
    if isinstance(kind, dict) and kind.get("column") in header:
        hit = df[kind["column"]].str.strip().isin([str(v) for v in kind.get("awarded", [])])
        out.loc[hit, "value_kind"] = "awarded"
    out["date"] = _dates(out["date"], label, cols["date"])
    return out[list(TENDER_FIELDS)]


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


def _ocds(path: Path) -> pd.DataFrame:
    """OCDS release packages ({"releases": [...]}) or record packages ({"records": [...]},
    each with its compiledRelease or releases): a row per release and lot (or tender),
    the tender's estimated value, and a row per award with its awarded value."""
    label = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError([Problem(label, "(file)", f"not JSON: {exc} (allowed: an OCDS release "
                                  "or record package)")]) from None
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
                "cpv": str(cpv or ""), "buyer": (r.get("buyer") or {}).get("name", "")}
        lots = tender.get("lots") or []
        if lots:
            for lot in lots:
                rows.append({**base, "lot": str(lot.get("id", "")),
                             "value": (lot.get("value") or {}).get("amount"),
                             "value_kind": "estimated"})
        elif (tender.get("value") or {}).get("amount") is not None or not r.get("awards"):
            # (an award release that repeats no tender value adds only its awards)
            rows.append({**base, "lot": "", "value": (tender.get("value") or {}).get("amount"),
                         "value_kind": "estimated"})
        for award in r.get("awards") or []:
            amount = (award.get("value") or {}).get("amount")
            for lot in award.get("relatedLots") or [""]:
                rows.append({**base, "lot": str(lot), "value": amount,
                             "value_kind": "awarded"})
    out = pd.DataFrame(rows, columns=list(TENDER_FIELDS))
    out["date"] = _dates(out["date"].astype(str), label, "date")
    out["value"] = pd.to_numeric(out["value"], errors="coerce")
    return out
