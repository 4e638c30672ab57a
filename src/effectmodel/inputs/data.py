"""Input tables: read and validate the CSV files a params file names.

The only module that opens input files. Each table has a fixed set of columns with a type; every
row needs a ``source`` that gives an address (``http...``) or says ``assumption: ...``. All
problems in all files are collected and raised together, each naming file, field and line.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from effectmodel.domain.columns import Column, blank_cells
from effectmodel.domain.crosscheck import cross_checks
from effectmodel.domain.errors import (
    InputError,
    Problem,
    caused_by,
    key_label,
    raise_if,
    short,
)
from effectmodel.domain.inputdata import Inputs
from effectmodel.domain.params import Params
from effectmodel.domain.parts import parts_of, required_tables, tables_of
from effectmodel.domain.paths import data_paths, input_label
from effectmodel.domain.tableschema import (
    DATES,
    KEYS,
    NUMERIC,
    OPTIONAL_COLUMNS,
    REQUIRED,
    TABLES,
    TRIPLE_TABLES,
)
from effectmodel.inputs import formats, survey
from effectmodel.inputs.cells import read_cells


def read_table(key: str, path: Path, label: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """One table and its own problems (columns, cells, duplicate keys), from a CSV file in
    any accepted dialect or a workbook's sheet (:mod:`.formats`)."""
    file = formats.data_file(path)
    try:
        if file.is_dir():
            return None, [Problem(label, "(file)", f"is a folder (allowed: the CSV file of the "
                                                   f"{key} table, named in params data.{key})")]
        src, problems = formats.read_source(Path(path), key, label, NUMERIC[key])
    except FileNotFoundError:
        return None, [Problem(label, "(file)", f"not found (allowed: the CSV file of the {key} "
                                               f"table, named in params data.{key})")]
    except OSError as exc:
        return None, [Problem(label, "(file)", f"cannot be read: {exc.strerror} (allowed: a "
                                               "readable CSV file)")]
    if src is None:
        return None, problems
    # a UTF-8 comma file is read from its bytes, never held as text as well (a table of
    # 10^6 rows is hundreds of MB each way); the text is decoded only to read it again
    # record by record
    data = src.raw if src.raw is not None else src.text.encode("utf-8")
    if b"\x00" in data:  # the message names no content
        return None, [Problem(label, "(file)", "not CSV: line contains NUL (allowed: "
                                               "comma-separated text)")]
    first = first_line(data)
    fast = _fast_table(data, REQUIRED[key])
    del data
    result = _from_rows(key, label, None if fast is not None else src.text, fast, src)
    if fast is not None and result[1]:  # problems: read again, record by record
        fast = None
        result = _from_rows(key, label, src.text, None, src)
    if result[0] is not None:
        result[0].attrs["sha256"] = src.sha256  # of the bytes read
    df, problems = result
    problems = _diagnosed(problems, first, key, label)
    if src.sheet is not None:  # as Excel shows it: row and column letter
        header = [h.strip() for h in next(csv.reader([first]), [])]
        problems = [_in_sheet(p, header) for p in problems]
    return df, problems


def first_line(data: bytes) -> str:
    """The first line of UTF-8 bytes as text (without copying the rest)."""
    end = data.find(b"\n")
    return (data if end < 0 else data[:end]).decode("utf-8-sig")


def _diagnosed(problems: list[Problem], first: str, key: str, label: str) -> list[Problem]:
    """Missing columns explained in one line where the header (the ``first`` line) shows
    why (another separator, a header not in the first row)."""
    if not any("missing column" in p.message for p in problems):
        return problems
    header = next(csv.reader([first]), [])
    why = formats.diagnose(header, list(TABLES[key]))
    if why is None:
        return problems
    return [Problem(label, "(header)", f"{why} (allowed: the columns {', '.join(TABLES[key])}, "
                    "separated by commas or semicolons)")]


_LINE = re.compile(r"^(?P<col>[^\[]+)\[line (?P<n>\d+)\]$")


def _in_sheet(p: Problem, header: list[str]) -> Problem:
    """A problem of a sheet's cell named as Excel shows it: ``col[row N, column D]``."""
    m = _LINE.match(p.field)
    if not m:
        return Problem(p.file, p.field.replace("line ", "row "), p.message)
    col = m["col"]
    letter = f", column {formats.column_letter(header.index(col))}" if col in header else ""
    return Problem(p.file, f"{col}[row {m['n']}{letter}]", p.message)


_DIGITS = re.compile(r"^\s*[-+]?\d+\s*$")
_FRACTION = re.compile(r"^\d+\s*$")


def decimal_comma_splits(row: list[str]) -> int:
    """How many places of ``row`` look like one number cut in two by its decimal comma
    (a whole number followed by a field of digits only, such as ``12`` and ``5``)."""
    n, i = 0, 0
    while i < len(row) - 1:
        if _DIGITS.match(row[i]) and _FRACTION.match(row[i + 1]):
            n, i = n + 1, i + 2
        else:
            i += 1
    return n


def _field_count_problem(wrong: list[tuple[int, list[str]]], width: int, label: str
                         ) -> Problem:
    """One line for every row of the wrong length (one cause): the first row's count, how
    many more rows have the same problem, and the likely cause when the extra fields look
    like numbers written with a decimal comma in a comma-separated file."""
    lineno, row = wrong[0]
    extra = len(row) - width
    split = extra > 0 and decimal_comma_splits(row) >= extra
    what = f"{len(row)} fields"
    allowed = f"{width} fields, as the header"
    mixed = width > 1 and sum(c.count(";") for c in row) >= width - 1
    if split:
        what += (": the extra fields look like numbers written with a decimal comma, "
                 "such as 12,5, in a file whose columns are separated by commas")
        allowed += ("; numbers with a decimal comma in quotes, \"12,5\", or semicolons between "
                    "the columns")
    elif mixed:
        what += (": the row is separated by semicolons, the header by commas")
        allowed += "; one separator in the whole file, semicolons as Dutch Excel saves it"
    what += caused_by([n for n, _ in wrong])
    return Problem(label, f"line {lineno}", f"{what} (allowed: {allowed})")


def _header_problems(key: str, header: list[str], label: str) -> list[Problem]:
    """Missing, unknown (the first ten named) and repeated columns of a table's header."""
    spec = TABLES[key]
    problems = []
    may_lack = OPTIONAL_COLUMNS.get(key, ())
    missing = [c for c in spec if c not in header and c not in may_lack]
    unknown = [c for c in header if c not in spec]
    required = [c for c in spec if c not in may_lack]
    for c in missing:
        problems.append(Problem(label, c, f"missing column (required: {', '.join(required)})"))
    for c in unknown[:10]:
        problems.append(Problem(label, key_label(c),
                                f"unknown column (allowed: {', '.join(spec)})"))
    if len(unknown) > 10:
        problems.append(Problem(label, "(header)", f"{len(unknown) - 10} more unknown columns "
                                                   f"(allowed: {', '.join(spec)})"))
    if len(set(header)) != len(header):
        problems.append(Problem(label, "(header)", "duplicate column names (allowed: each "
                                                   "column once)"))
    return problems


def _from_rows(key: str, label: str, text_: str | None,
               fast: tuple[list[str], np.ndarray, list[pd.Series]] | None,
               src: formats.Source | None = None
               ) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The table and its problems, from the fast read or (None) record by record (of
    ``text_``, needed only then)."""
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
    problems = _header_problems(key, header, label)
    if problems:
        return None, problems
    may_lack = OPTIONAL_COLUMNS.get(key, ())
    wrong: list[tuple[int, list[str]]] = []  # rows of the wrong length
    if fast is not None:
        _, lines, cells = fast
    else:
        if len(rows) == 1:
            return None, [Problem(label, "(file)", NO_ROWS)]
        lines, kept = [], []
        for lineno, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                wrong.append((lineno, row))
                continue
            lines.append(lineno)
            kept.append(row)
        if wrong:  # the table lost rows: checks across tables would only echo this
            problems.append(_field_count_problem(wrong, len(header), label))
        cells = [pd.Series(list(c)) for c in zip(*kept, strict=True)] if kept else [
            pd.Series([], dtype=object) for _ in header]
    for c in may_lack:
        if c not in header:  # left out: every value empty
            header = [*header, c]
            # as the read columns' text (a str column where pandas reads text so)
            cells = [*cells, pd.Series([""] * len(lines),
                                       dtype=cells[0].dtype if cells else object,
                                       index=cells[0].index if cells else None)]
    cells, read_errors, file_problems = read_cells(header, lines, cells, src, label,
                                                   NUMERIC[key], DATES[key])
    if file_problems:
        return None, problems + file_problems
    df, cell_problems = _columns(spec, header, lines, cells, label, read_errors)
    df.attrs["incomplete"] = bool(wrong)
    problems += cell_problems
    return df, problems + _duplicates(df, KEYS[key], label)


def _duplicates(df: pd.DataFrame, keys: tuple[str, ...], label: str) -> list[Problem]:
    """A problem per row whose key columns repeat an earlier row's."""
    out = []
    for _, r in df[df.duplicated(list(keys), keep="first")].iterrows():
        ident = ", ".join(str(r[k]) for k in keys)
        out.append(Problem(label, f"{'+'.join(keys)}[line {r['_line']}]",
                           f"duplicate {short(ident)} (allowed: each once)"))
    return out


_CONTENT = re.compile(rb"\S")


def _fast_table(raw: bytes, required: set[str]
                ) -> tuple[list[str], np.ndarray, list[pd.Series]] | None:
    """(header, line numbers, the text of each column) of a table read by pandas' C parser
    from its UTF-8 bytes, or None where the record-by-record reader must judge: quotes, more
    than one kind of line end, no data rows, a row with too many fields, or a last column
    that may be empty (the C parser pads a short row with empty fields: a required last
    column makes such a row a problem, and a table with problems is read again record by
    record)."""
    if b'"' in raw or (b"\r" in raw and raw.count(b"\r") != raw.count(b"\r\n")):
        return None
    end = raw.find(b"\n")
    if end < 0 or not _CONTENT.search(raw, end + 1):
        return None
    first = raw[:end].decode("utf-8-sig")
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
    for i in np.flatnonzero(blank_cells(df[0])).tolist():
        blank[i] = not any(str(v).strip() for v in df.iloc[i])
    keep = ~blank
    # every non-blank row has n fields: pandas pads short rows and may take a first extra
    # field as an index, so count the commas of the file against the rows
    blank_commas = 0
    if blank.any():
        physical = raw[end + 1:].split(b"\n")
        blank_commas = sum(physical[i].count(b",") for i in np.flatnonzero(blank).tolist())
    if raw.count(b",") - first.count(",") != (n - 1) * int(keep.sum()) + blank_commas:
        return None
    if not keep.any():  # no data rows (blank in any script): the record-by-record reader
        return None     # names the problem
    lines = np.flatnonzero(keep) + 2
    if blank.any():
        df = df[keep].reset_index(drop=True)
    return header, lines, [df[j] for j in range(n)]


def _columns(spec: dict[str, Column], header: list[str], lines: list[int] | np.ndarray,
             cells: list[pd.Series], label: str,
             read_errors: dict[int, dict[int, str]] | None = None
             ) -> tuple[pd.DataFrame, list[Problem]]:
    """The table of well-formed rows, read column by column, and the problems of its cells
    in the order of the file (line, then column); ``read_errors`` (column -> row ->
    problem): the cells :func:`.cells.read_cells` refused, whose problem is theirs."""
    data: dict[str, Any] = {"_line": lines}
    bad = np.zeros(len(lines), dtype=bool)
    found: list[tuple[int, int, Problem]] = []
    for j, col in enumerate(header):
        values, errors = spec[col].read(cells[j])
        errors = {**errors, **(read_errors or {}).get(j, {})}
        data[col] = values
        for i, err in errors.items():
            found.append((i, j, Problem(label, f"{col}[line {int(lines[i])}]", err)))
            bad[i] = True
    data["_bad"] = bad
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
        bernoulli = (complete & ~unordered & (ok[f"{prefix}_dist"] == "bernoulli")
                     & ((lo != 0) | (hi != 1)))
        for i in np.flatnonzero(unordered | lognormal | bernoulli).tolist():
            line = int(ok["_line"].iat[i])
            a, b, c = (float(v.iat[i]) for v in (lo, mo, hi))
            if unordered.iat[i]:
                problem = Problem(label, f"{prefix}_low/mode/high[line {line}]",
                                  f"{a} / {b} / {c} not ordered (allowed: low <= mode <= high)")
            elif lognormal.iat[i]:
                problem = Problem(label, f"{prefix}_low[line {line}]",
                                  "lognormal needs low > 0 (allowed: > 0)")
            else:
                problem = Problem(label, f"{prefix}_low/high[line {line}]",
                                  f"bernoulli is 0 or 1 with probability mode, got low {a}, "
                                  f"high {c} (allowed: low 0, high 1)")
            found.append((k, i, problem))
    return problems + [p for _, _, p in sorted(found, key=lambda f: (f[0], f[1]))]


#: optional tables whose file may hold only its header: read as left out (no sub-strata, no
#: published figures, no spend and impact), so that a new project's templates validate
#: before they are filled
MAY_BE_EMPTY = ("sub_strata", "published_indicators", "spend", "spend_intensities",
                "buyer_group_outcomes")
NO_ROWS = "no data rows (allowed: at least one row)"


def _only_empty(problems: list[Problem]) -> bool:
    """Whether a table's only problem is that it has no data rows."""
    return len(problems) == 1 and problems[0].message == NO_ROWS


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
        if key not in paths:  # a part the params do not hold, or a table left out
            continue
        path = paths[key]
        label = input_label(path, params_path)
        labels[key] = label
        df, more = read_table(key, path, label)
        if key in MAY_BE_EMPTY and _only_empty(more):
            del labels[key]  # a header and no rows: the table left out (null in the params)
            continue
        problems += more
        # a table that lost whole rows is left out of the checks across tables, whose
        # findings would only be this problem again ("no frame total for ...")
        if df is not None and not df.attrs.pop("incomplete", False):
            problems += _check_triples(df, key, label) if key in TRIPLE_TABLES else []
            hashes[key] = df.attrs.pop("sha256")
            tables[key] = df
    return tables, labels, hashes, problems


def check_files(raw_params: Any, params_path: Path) -> list[Problem]:
    """Problems in the data files of a params file that did not validate, where its ``data``
    section names every table its parts need: so ``validate`` reports params and data
    problems at once."""
    data = raw_params.get("data") if isinstance(raw_params, dict) else None
    parts = parts_of(raw_params)
    if not parts or not isinstance(data, dict) or not all(
            isinstance(data.get(k), str) for k in required_tables(parts)):
        return []
    data = {k: v for k, v in data.items() if k in tables_of(parts)}
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
    if problems and len(tables) < len(params.data):  # a table unread: the checks across
        raise_if(problems)                            # would only echo it
    more, periods = cross_checks(tables, labels, params, str(params.path))
    problems += more
    raise_if(problems)
    read = {k: v.drop(columns=["_line", "_bad"]) for k, v in tables.items()}
    derived = {}
    if "criteria" not in read and "sampled_tenders" in read:
        derived["criteria"] = survey.criteria_from_tenders(read["sampled_tenders"])
    if "sub_strata" not in read and "sampled_tenders" in read:
        derived["sub_strata"] = survey.no_sub_strata()
    return Inputs(
        tables=MappingProxyType(read),
        files=MappingProxyType({k: params.data[k] for k in read}),
        sha256=MappingProxyType(hashes),
        periods=periods,
        labels=MappingProxyType(labels),
        derived=MappingProxyType(derived),
    )



__all__ = ["Inputs", "InputError", "load_inputs", "TABLES"]
