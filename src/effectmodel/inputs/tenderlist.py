"""Tender lists, for a sampling frame: TenderNed's open-data workbook as published (its tab
"Mapping OCDS" maps each column to an OCDS path), any CSV or sheet with a publication date,
a CPV code, a value and a buyer (a column map in YAML says which column holds what; the
default map names OCDS paths), or OCDS JSON streamed (:mod:`.ocds`).

Returns one row per announcement in :data:`~effectmodel.domain.columns.TENDER_FIELDS`
(OCDS: per tender or lot, its releases already compiled), amounts in EUR: other currencies
are converted by a rates table the user gives, never summed as they are. Dates are local
dates in Europe/Amsterdam. Bad input is an :class:`~effectmodel.domain.errors.InputError`
naming file, row and column.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pandas as pd

from effectmodel.domain import numbers
from effectmodel.domain.columns import MAX_NUMBER, TENDER_FIELDS
from effectmodel.domain.dates import YEARS
from effectmodel.domain.errors import InputError, Problem, short
from effectmodel.inputs import ocds
from effectmodel.inputs.cells import read_cells
from effectmodel.inputs.formats import (
    XLSX,
    Source,
    TooLarge,
    read_source,
    sheets,
    split_sheet,
    text_numbers,
    uncached_problem,
)
from effectmodel.inputs.yamlfiles import read_yaml

#: the map's column names: required, and those a list may leave out
REQUIRED = ("tender_id", "date", "cpv", "value")
OPTIONAL = ("lot", "buyer", "award_date", "currency")
#: the default map: OCDS paths as column names (TenderNed's field tab names them)
DEFAULT_MAP = {
    "columns": {"tender_id": "ocid", "lot": "tender/lots/id", "date": "date",
                "cpv": "tender/classification/id", "value": "tender/value/amount",
                "buyer": "buyer/name", "award_date": "awards/date",
                "currency": "tender/value/currency"},
    "awarded_value": "awards/value/amount",
    # the optional columns may be missing from a list (a map given names only those it has)
    "optional_may_be_missing": True,
}
#: TenderNed's workbook: the tab with its OCDS mapping and that tab's two columns
MAPPING_SHEET, FIELD_COLUMN, PATH_COLUMN = "Mapping OCDS", "Veldnaam TenderNed", "OCDS path"
#: for each field, the OCDS paths that may give it, the first one the mapping has wins
PATHS = {
    "tender_id": ("ocid", "tender/id"), "lot": ("tender/lots/id",),
    "date": ("tender/datePublished", "date", "tender/tenderPeriod/startDate"),
    "award_date": ("awards/date", "contracts/dateSigned"),
    "cpv": ("tender/classification/id", "tender/items/classification/id"),
    "value": ("tender/value/amount",), "awarded_value": ("awards/value/amount",),
    "currency": ("tender/value/currency", "awards/value/currency"),
    "buyer": ("buyer/name", "parties/0/name"),
}
#: the time zone a date is read in (a date with an offset is converted to it)
ZONE = "Europe/Amsterdam"
#: the largest rate a rates table gives [EUR per unit] (no currency is worth a million euro)
MAX_RATE = 1e6
#: the currency amounts are summed in
EUR = "EUR"
AMOUNT = "an amount: a number from 0 to 1e15"
_OFFSET = re.compile(r"\d:\d\d(?::\d\d(?:\.\d+)?)?\s*(?:Z|[+-]\d\d:?\d\d)$")


def read_map(path: Path | None) -> dict[str, Any] | None:
    """A column map: ``columns`` (field -> the list's header), optionally ``awarded_value``
    (a column with the awarded value, used where filled) or ``value_kind`` ({column, awarded:
    [values]}: which rows give an awarded value). None without a path: the list's own
    mapping (TenderNed's tab) or the default map."""
    if path is None:
        return None
    raw, _ = read_yaml(Path(path), "a column map (YAML)")
    label = str(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("columns"), dict):
        raise InputError([Problem(label, "columns", "missing (allowed: a mapping of tender_id, "
                                  "date, cpv, value and optionally lot, buyer, award_date, "
                                  "currency to headers)")])
    cols = raw["columns"]
    problems = [Problem(label, f"columns.{k}", "missing (allowed: the header of the list's "
                        f"column with the {k})") for k in REQUIRED if not cols.get(k)]
    problems += [Problem(label, f"columns.{k}", f"unknown field (allowed: "
                         f"{', '.join(REQUIRED + OPTIONAL)})") for k in cols
                 if k not in REQUIRED + OPTIONAL]
    if problems:
        raise InputError(problems)
    return raw


def _small_table(path: Path, key: str, columns: tuple[str, ...], amount: str | None,
                 allowed: str
                 ) -> tuple[list[dict], list[tuple[float | None, str | None]], list[Problem]]:
    """A small table a command reads beside a tender list (CSV or a workbook's sheet, in its
    own dialect): its rows, each row's ``amount`` read by the file's own decimal mark
    (:func:`read_amount`: the value and what is wrong with it; none without an amount
    column), and the file's problems. A missing column is bad input at once (``allowed``:
    the columns in words)."""
    label = str(path)
    src, problems = read_source(path, key, label, {amount} - {None})
    if src is None:
        raise InputError(problems)
    rows = list(csv.DictReader(io.StringIO(src.text)))
    missing = [c for c in columns if not rows or c not in rows[0]]
    if missing:
        raise InputError([Problem(label, c, f"missing column (allowed: {allowed})")
                          for c in missing])
    if amount is None:
        return rows, [], problems
    read, refused, problems = read_cells(
        [amount], range(2, len(rows) + 2),
        [pd.Series([r[amount] or "" for r in rows], dtype=object)], src, label, {amount})
    amounts = []
    for i in range(len(rows)):
        value, err, _ = read_amount(read[0].iat[i])
        amounts.append((value, refused.get(0, {}).get(i, err)))
    return rows, amounts, problems


def read_rates(path: Path | None) -> dict[str, float]:
    """A rates table (CSV: ``currency``, ``eur_per_unit`` [EUR per unit of the currency],
    ``source``): currency -> rate; EUR is 1 whatever the table says."""
    if path is None:
        return {EUR: 1.0}
    label = str(path)
    rows, amounts, problems = _small_table(Path(path), "rates",
                                           ("currency", "eur_per_unit", "source"),
                                           "eur_per_unit", "currency, eur_per_unit, source")
    if problems:
        raise InputError(problems)
    rates, seen = {EUR: 1.0}, {}
    for i, (r, (value, err)) in enumerate(zip(rows, amounts, strict=True), start=2):
        code = (r["currency"] or "").strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", code):
            problems.append(Problem(label, f"currency[line {i}]", f"{short(r['currency'])} "
                                    "(allowed: an ISO 4217 code such as USD)"))
        elif err or not value or value > MAX_RATE:
            what = err or short(r["eur_per_unit"])
            problems.append(Problem(label, f"eur_per_unit[line {i}]", f"{what} (allowed: EUR "
                                    f"per unit of the currency, above 0 and at most "
                                    f"{MAX_RATE:,.0f})"))
        elif not (r["source"] or "").strip():
            problems.append(Problem(label, f"source[line {i}]", "empty (allowed: where the "
                                    "rate comes from)"))
        elif code in seen:
            problems.append(Problem(label, f"currency[line {i}]", f"{code} again (first at "
                                    f"line {seen[code]}) (allowed: each currency once)"))
        elif code != EUR:
            rates[code] = value
        seen.setdefault(code, i)
    if problems:
        raise InputError(problems)
    return rates


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
    if value > MAX_NUMBER:
        return None, f"above {MAX_NUMBER:.0e}: {short(x)}", text
    return value, None, text


def read_tender_list(path: Path, column_map: dict[str, Any] | None, skip_bad: bool = False,
                     rates: dict[str, float] | None = None, progress=None) -> pd.DataFrame:
    """The announcements of a tender list (:data:`TENDER_FIELDS`), ``value`` [EUR].

    An amount that is not a finite number 0 or more is bad input, a line per amount naming
    its release or row (raises :class:`InputError`); with ``skip_bad`` its announcement is
    left out instead. An amount in a currency without a rate in ``rates`` is bad input, a
    line per currency with its count and first rows. ``attrs`` count ``bad_amounts`` (left
    out), ``text_amounts`` (read from text that is a number), ``converted`` (currency ->
    amounts converted), ``no_currency`` (amounts without a currency, read as EUR) and say
    ``mapping`` (how the columns were read)."""
    path = Path(path)
    file, _ = split_sheet(path)
    if not file.exists():
        raise InputError([Problem(str(path), "(file)", "not found (allowed: a tender list: "
                                  "CSV, .xlsx, or OCDS JSON)")])
    if not file.is_file():
        raise InputError([Problem(str(path), "(file)", "not a regular file (a folder, a pipe "
                                  "or a device) (allowed: a tender list: CSV, .xlsx, or OCDS "
                                  "JSON)")])
    rates = rates or {EUR: 1.0}
    if file.suffix.lower() in (".json", ".jsonl", ".ndjson"):
        df, problems, text, money = _ocds(path, rates, progress)
        mapping = "OCDS JSON, the releases of each ocid compiled by the OCDS merge rules"
    else:
        rows, label, mapping, cmap, src = _rows(path, column_map)
        df, problems, text, money = _table(rows, label, cmap, rates, src)
    if money:
        raise InputError(money)
    if problems and not skip_bad:
        raise InputError([p for _, p in problems])
    if problems:
        df = df.drop(index=sorted({i for i, _ in problems})).reset_index(drop=True)
    df.attrs.update(bad_amounts=len({i for i, _ in problems}), text_amounts=text,
                    mapping=mapping, **df.attrs)
    return df


def _amounts(raw: pd.Series, label: str, where) -> tuple[pd.Series, list, int]:
    """Amounts of a column (``where(i)``: the field naming row i in a problem): values
    [as given], (row, problem) of the bad ones, and how many were read from text."""
    values, problems, text = [], [], 0
    for i, x in enumerate(raw.tolist()):
        value, err, from_text = read_amount(x)
        values.append(value)
        text += from_text and err is None and value is not None
        if err:
            problems.append((i, Problem(label, where(i), f"{err} (allowed: {AMOUNT}; or "
                                                         "--skip-bad to leave it out)")))
    return pd.Series(values, index=raw.index, dtype=float), problems, text


def to_eur(value: pd.Series, currency: pd.Series, rates: dict[str, float], label: str,
           where) -> tuple[pd.Series, list[Problem], dict[str, int], int]:
    """Amounts in EUR [EUR]: each converted by its currency's rate; an empty currency is
    read as EUR (counted). Returns (values, one problem per currency without a rate, with
    its count and first rows; amounts converted per currency; amounts without currency)."""
    code = currency.fillna("").astype(str).str.strip().str.upper()
    has = value.notna()
    blank = has & (code == "")
    code = code.where(code != "", EUR)
    rate = code.map(rates)
    problems = []
    for c in sorted(set(code[has & rate.isna()])):
        at = [where(i) for i in (has & (code == c)).to_numpy().nonzero()[0][:3]]
        n = int((has & (code == c)).sum())
        problems.append(Problem(label, at[0], f"{n:,} amounts in {short(c)} (first: "
                                f"{', '.join(at)}) and no rate for it (allowed: --rates FILE "
                                f"with a row currency {c}, eur_per_unit, source)"))
    converted = {c: int(n) for c, n in code[has & (code != EUR) & rate.notna()]
                 .value_counts().items()}
    return value * rate.fillna(1.0), problems, converted, int(blank.sum())


def _rows(path: Path, cmap: dict[str, Any] | None
          ) -> tuple[list[list[str]], str, str, dict[str, Any], Source]:
    """(rows, label, how the columns were read, column map, how the file was read) of a CSV
    or a sheet: a workbook
    with TenderNed's tab "Mapping OCDS" has its data sheet's headers mapped to OCDS paths
    (unless a column map is given), the data sheet found by the mapped headers."""
    file, sheet = split_sheet(path)
    if file.suffix.lower() in XLSX and cmap is None:
        found = _tenderned(file, sheet)
        if found is not None:
            return found
    cmap = cmap or DEFAULT_MAP
    numeric = {cmap["columns"]["value"], cmap.get("awarded_value", "")} - {""}
    src, problems = read_source(path, "tenders", str(path), numeric)
    if src is None:
        raise InputError(problems)
    label = str(file) + (f"#{src.sheet}" if src.sheet else "")
    how = "OCDS paths as headers" if cmap.get("optional_may_be_missing") else \
        "the column map given"
    return list(csv.reader(io.StringIO(src.text))), label, how, cmap, src


def _tenderned(file: Path, sheet: str | None
               ) -> tuple[list[list[str]], str, str, dict[str, Any], Source] | None:
    """:func:`_tenderned_sheet`, a sheet beyond the workbook bounds refused in one line."""
    try:
        return _tenderned_sheet(file, sheet)
    except TooLarge as exc:
        raise InputError([Problem(str(file), exc.field, exc.message)]) from None


def _tenderned_sheet(file: Path, sheet: str | None
                     ) -> tuple[list[list[str]], str, str, dict[str, Any], Source] | None:
    """A TenderNed workbook's data sheet with its headers mapped through its "Mapping OCDS"
    tab, and the column map of the OCDS paths it gives; None for a workbook without it."""
    label = str(file)
    try:
        book = sheets(file)
    except ValueError as exc:
        raise InputError([Problem(label, "(file)", str(exc))]) from None
    tab = next((n for n in book if n.strip().casefold() == MAPPING_SHEET.casefold()), None)
    if tab is None:
        return None
    to_path = _mapping(book[tab].rows, f"{label}#{tab}")
    # the data sheet: the one whose header row holds most of the mapped names
    def hits(name: str) -> int:  # from the first row alone: no other sheet is read
        return sum(c.strip().casefold() in to_path for c in book.first_row(name))
    data = sheet or max((n for n in book if n != tab), key=hits, default=None)
    if data is None or data not in book or hits(data) == 0:
        raise InputError([Problem(label, "(sheet)", "no sheet whose headers the tab "
                                  f"{tab!r} names (allowed: the data sheet of the same "
                                  "workbook, or --map)")])
    rows = [list(r) for r in book[data].rows]
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    uncached = uncached_problem(book[data], f"{label}#{data}")
    if uncached is not None:
        raise InputError([uncached])
    header = [to_path.get(c.strip().casefold(), c.strip()) for c in rows[0]]
    have = set(header)
    cols = {k: next((p for p in PATHS[k] if p in have), "") for k in (*REQUIRED, *OPTIONAL)}
    missing = [k for k in REQUIRED if not cols[k]]
    if missing:
        raise InputError([Problem(f"{label}#{tab}", PATH_COLUMN, "no column maps to "
                                  f"{' or '.join(PATHS[k])} for the {k} (allowed: give the "
                                  "columns with --map)") for k in missing])
    award = next((p for p in PATHS["awarded_value"] if p in have), "")
    cmap = {"columns": {k: v for k, v in cols.items() if v}, "awarded_value": award}
    _one_column_per_path(rows[0], header, f"{label}#{tab}")
    seen: set[str] = set()
    header = [h if not (h in seen or seen.add(h)) else f"{h} ({i + 1})"
              for i, h in enumerate(header)]
    how = f"TenderNed's tab {tab!r} ({sum(h in to_path.values() for h in header)} columns)"
    # amounts typed as text are read by the sheet's own decimal mark
    rows = [header, *rows[1:]]
    refused, problems = text_numbers(book[data], rows, {cols["value"], award} - {""},
                                     f"{label}#{data}")
    if problems:
        raise InputError(problems)
    return rows, f"{label}#{data}", how, cmap, Source(
        "", "", f"xlsx sheet {data!r}", sheet=data, mark=numbers.CANONICAL, refused=refused)


def _mapping(tab: tuple[tuple[str, ...], ...], where: str) -> dict[str, str]:
    """The mapping tab's OCDS path of each field name (case-folded; the first row of a name
    gives it)."""
    rows = [list(r) for r in tab if any(c.strip() for c in r)]
    head = [c.strip().casefold() for c in rows[0]] if rows else []
    if FIELD_COLUMN.casefold() not in head or PATH_COLUMN.casefold() not in head:
        raise InputError([Problem(where, "(header)", f"no columns {FIELD_COLUMN!r} and "
                                  f"{PATH_COLUMN!r} (allowed: TenderNed's mapping tab, or "
                                  "--map)")])
    fi, pi = head.index(FIELD_COLUMN.casefold()), head.index(PATH_COLUMN.casefold())
    to_path: dict[str, str] = {}
    for r in rows[1:]:
        name, ocds_path = (r[fi] if fi < len(r) else ""), (r[pi] if pi < len(r) else "")
        if name.strip() and ocds_path.strip():
            to_path.setdefault(name.strip().casefold(), ocds_path.strip())
    return to_path


def _one_column_per_path(names: list[str], header: list[str], where: str) -> None:
    """Refuse a path the reader uses that two columns of the data sheet map to: which one
    holds it is not guessed (``names``: the sheet's headers, ``header``: their paths)."""
    used = {p for k in PATHS for p in PATHS[k]}
    twice = [p for p in dict.fromkeys(header) if p in used and header.count(p) > 1]
    problems = []
    for p in twice:
        cols = [c.strip() for c, h in zip(names, header, strict=True) if h == p]
        problems.append(Problem(where, PATH_COLUMN, f"{p} is the path of {len(cols)} columns: "
                                f"{', '.join(map(repr, cols))} (allowed: one column per OCDS "
                                "path; or --map naming the column to read)"))
    if problems:
        raise InputError(problems)


def _table(rows: list[list[str]], label: str, cmap: dict[str, Any], rates: dict[str, float],
           src: Source | None = None) -> tuple[pd.DataFrame, list, int, list[Problem]]:
    cols = cmap["columns"]
    if not rows:
        raise InputError([Problem(label, "(file)", "empty (allowed: a header and rows)")])
    header = [h.strip() for h in rows[0]]
    missing = [(k, cols[k]) for k in (*REQUIRED, *OPTIONAL) if cols.get(k)
               and cols[k] not in header
               and (k in REQUIRED or not cmap.get("optional_may_be_missing"))]
    if missing:
        raise InputError([Problem(label, "(header)", f"no column {short(h)} for {k} (allowed: "
                                  f"one of {', '.join(header[:12])}; or another column map)")
                          for k, h in missing])
    width = len(header)
    df = pd.DataFrame([r[:width] + [""] * (width - len(r)) for r in rows[1:]],
                      columns=header).astype(str)
    # amounts as the file writes them (its decimal mark): refused ones are problems
    amounts = [c for c in (cols["value"], cmap.get("awarded_value", "")) if c and c in df]
    read, refused, file_problems = read_cells(
        amounts, range(2, len(df) + 2), [df[c] for c in amounts], src, label, set(amounts))
    if file_problems:
        raise InputError(file_problems)
    for j, c in enumerate(amounts):
        df[c] = read[j]
    wrong = [(i, Problem(label, f"{amounts[j]}[line {i + 2}]", f"{err} (allowed: {AMOUNT}; "
                         "or --skip-bad to leave it out)"))
             for j, errs in refused.items() for i, err in errs.items()]
    have = {k: cols.get(k) if cols.get(k) in header else None for k in cols}
    out = pd.DataFrame({k: df[have[k]].str.strip() if have.get(k) else ""
                        for k in ("tender_id", "lot", "cpv", "buyer", "currency")})
    column = cols["value"]
    value, problems, _ = _amounts(df[column], label, lambda i: f"{column}[line {i + 2}]")
    problems = sorted(wrong + problems, key=lambda ip: ip[0])  # refused cells read empty
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
    out["value"], money, converted, blank = to_eur(
        out["value"], out["currency"], rates, label,
        lambda i: f"{cols.get('currency') or column}[line {i + 2}]")
    out["date"] = local_dates(df[cols["date"]], label, cols["date"])
    award_date = have.get("award_date")
    out["award_date"] = local_dates(df[award_date], label, award_date) if award_date \
        else pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    out["announcements"] = 1
    out.attrs.update(converted=converted, no_currency=blank)
    return out[list(TENDER_FIELDS)], problems, 0, money


_YEAR = re.compile(r"^(\d{4})-|^\d{1,2}-\d{1,2}-(\d{4})")


def _years_within(text: pd.Series, label: str, column: str) -> None:
    """Refuse a date whose year lies outside :data:`YEARS`, in one line with its row."""
    found = text.str.extract(_YEAR)
    year = pd.to_numeric(found[0].fillna(found[1]), errors="coerce")
    bad = (year < YEARS[0]) | (year > YEARS[1])
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise InputError([Problem(label, f"{column}[line {i + 2}]", f"a date outside "
                                  f"{YEARS[0]}-{YEARS[1]}: {short(text.iloc[i])} (allowed: "
                                  f"dates from {YEARS[0]} to {YEARS[1]}; {int(bad.sum())} such "
                                  "rows)")])


def local_dates(text: pd.Series, label: str, column: str) -> pd.Series:
    """Dates as written in tender lists, as local dates in Europe/Amsterdam
    (:func:`read_local_dates`). Empty is no date (NaT); an unreadable date is bad input,
    with its row."""
    text = text.fillna("").astype(str).str.strip()
    _years_within(text, label, column)
    out = read_local_dates(text)
    bad = out.isna() & (text != "")
    if bad.any():
        line = int(bad.to_numpy().nonzero()[0][0]) + 2
        raise InputError([Problem(label, f"{column}[line {line}]", f"not a date: "
                                  f"{short(text.iloc[line - 2])} (allowed: 2019-05-01, "
                                  f"2019-05-01T10:00:00Z or 01-05-2019; {int(bad.sum())} such "
                                  "rows)")])
    return out


def read_local_dates(text: pd.Series) -> pd.Series:
    """Dates as local dates in Europe/Amsterdam: ISO (2019-05-01, with a time or not; with an
    offset or Z it is converted to Amsterdam's time first) or Dutch (01-05-2019); NaT where a
    cell is empty or does not read, or its year lies outside :data:`YEARS`. What a caller
    makes of NaT is its own: :func:`local_dates` refuses it, matching leaves it out."""
    text = text.fillna("").astype(str).str.strip()
    zoned = text.str.contains(_OFFSET)
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if zoned.any():
        z = pd.to_datetime(text[zoned], errors="coerce", format="ISO8601", utc=True)
        out[zoned] = z.dt.tz_convert(ZONE).dt.tz_localize(None).astype("datetime64[ns]")
    plain = ~zoned & (text != "")
    if plain.any():
        iso = pd.to_datetime(text[plain], errors="coerce", format="ISO8601")
        dutch = pd.to_datetime(text[plain], errors="coerce", format="%d-%m-%Y")
        out[plain] = iso.fillna(dutch).astype("datetime64[ns]")
    return out.where((out.dt.year >= YEARS[0]) & (out.dt.year <= YEARS[1]))


def _ocds(path: Path, rates: dict[str, float], progress
          ) -> tuple[pd.DataFrame, list, int, list[Problem]]:
    """The units of an OCDS file (:func:`.ocds.units`, streamed into columns), amounts
    checked and in EUR."""
    label = str(path)
    cols: dict[str, list] = {k: [] for k in ("tender_id", "lot", "cpv", "buyer", "value_kind",
                                             "announcements", "published", "award_date",
                                             "at")}
    unit_of, raw, cur, share, field = [], [], [], [], []
    same: dict[str, str] = {}  # one object per distinct text (CPV codes, buyers, fields)
    for k, u in enumerate(ocds.units(path, progress)):
        parts = u["awarded"] or u["estimated"]
        cols["value_kind"].append("awarded" if u["awarded"] else
                                  ("estimated" if u["estimated"] else "none"))
        for amount, currency, sh, f in parts or [(None, None, 1.0, "")]:
            unit_of.append(k)
            raw.append(amount)
            cur.append(same.setdefault(currency, currency) if isinstance(currency, str)
                       else "")
            share.append(sh)
            field.append(same.setdefault(f, f))
        for c in ("tender_id", "lot", "announcements", "published", "award_date"):
            cols[c].append(u[c])
        cols["at"].append(u["_at"])
        cols["cpv"].append(same.setdefault(u["cpv"], u["cpv"]))
        buyer = str(u["buyer"] or "")
        cols["buyer"].append(same.setdefault(buyer, buyer))
    at, units_at = field, cols.pop("at")

    def where(i: int) -> str:
        head = units_at[unit_of[i]]
        return f"{head}{' ' if head.endswith(':') else '.'}{at[i]}" if at[i] else head

    value, problems, text = _amounts(pd.Series(raw, dtype=object), label, where)
    del raw
    eur, money, converted, blank = to_eur(value * pd.Series(share), pd.Series(cur), rates,
                                          label, where)
    # per unit: the sum of its parts (a unit with a bad part is the problem's row)
    units_of = pd.Series(unit_of)
    total = eur.groupby(units_of).sum(min_count=1)
    problems = [(int(units_of[i]), p) for i, p in problems]
    n = len(cols["tender_id"])
    out = pd.DataFrame({c: cols[c] for c in ("tender_id", "lot", "cpv", "buyer",
                                             "value_kind", "announcements")})
    out["currency"] = ""
    out["value"] = total.reindex(range(n)).to_numpy()
    out["date"] = local_dates(pd.Series(cols["published"], dtype=object), label, "date")
    out["award_date"] = local_dates(pd.Series([d or "" for d in cols["award_date"]],
                                              dtype=object), label, "awards.date")
    out.attrs.update(converted=converted, no_currency=blank, releases=int(
        out.drop_duplicates("tender_id")["announcements"].sum()))
    return out[list(TENDER_FIELDS)], problems, text, money


def read_planned(path: Path) -> pd.DataFrame:
    """Planned tenders (CSV or xlsx: ``cpv``, ``value_eur`` [EUR], optionally ``id``): one
    row each, the value read by the file's own decimal mark; a CPV code without two digits
    or a value that is not above 0 is bad input, a line each."""
    label = str(path)
    rows, amounts, problems = _small_table(Path(path), "planned", ("cpv", "value_eur"),
                                           "value_eur", "cpv, value_eur and optionally id, a "
                                           "row per planned tender")
    out = []
    for i, (r, (value, err)) in enumerate(zip(rows, amounts, strict=True), start=2):
        code = "".join(ch for ch in (r["cpv"] or "").split("-", 1)[0] if ch.isdigit())
        if len(code) < 2:
            problems.append(Problem(label, f"cpv[line {i}]", f"{short(r['cpv'])} (allowed: a "
                                    "CPV code such as 45233120-6, at least its two digits)"))
        elif err or not value or value > MAX_NUMBER:
            problems.append(Problem(label, f"value_eur[line {i}]", f"{err or short(r['value_eur'])}"
                                    " (allowed: an amount in EUR above 0, at most 1e15)"))
        else:
            out.append({"id": (r.get("id") or "").strip() or f"line {i}", "cpv": code,
                        "value_eur": float(value)})
    if problems:
        raise InputError(problems)
    return pd.DataFrame(out, columns=["id", "cpv", "value_eur"])


def read_spend_map(path: Path, groups: set[str]) -> dict[str, str]:
    """A CPV division -> spend group map (CSV or a sheet: ``division``, ``group``); every
    group must have an intensity in the params' data (``groups``), and every division two
    digits, else bad input, a line each."""
    label = str(path)
    rows, _, problems = _small_table(Path(path), "spend_map", ("division", "group"), None,
                                     "division, group")
    for i, r in enumerate(rows, start=2):
        d, g = (r["division"] or "").strip(), (r["group"] or "").strip()
        if g not in groups:
            problems.append(Problem(label, f"group[line {i}]", f"{g!r} has no co2_eq intensity "
                                    f"in the params' spend_intensities (allowed: "
                                    f"{', '.join(sorted(groups))})"))
        if not (len(d) == 2 and d.isdigit()):
            problems.append(Problem(label, f"division[line {i}]", f"{d!r} (allowed: two "
                                    "digits, such as 45)"))
    if problems:
        raise InputError(problems)
    return {r["division"].strip(): r["group"].strip() for r in rows}
