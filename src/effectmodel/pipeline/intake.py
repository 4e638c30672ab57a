"""The intake workbook: every input table as a sheet of one ``.xlsx`` file, for researchers
who keep their data in Excel (``effectmodel template``).

Each sheet has the table's columns in row 1 (a comment on each header says what the column
holds and in which unit), drop-down lists where a column takes one of a few values, and
either an example row or, with ``--from``, the data a params file names. An instructions
sheet says how to point a params file at the workbook. A workbook filled in this way
validates and runs unchanged: ``data: {frame_totals: ../data/intake.xlsx#frame_totals, ...}``.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from effectmodel.domain import dates
from effectmodel.domain.catalogue import from_english, words
from effectmodel.domain.columnnotes import note
from effectmodel.domain.errors import InputError, Problem
from effectmodel.domain.parts import PARTS, tables_of
from effectmodel.domain.tableschema import DATES, NUMERIC, OPTIONAL_TABLES, TABLES
from effectmodel.inputs.cells import read_rows
from effectmodel.inputs.formats import read_source
from effectmodel.inputs.paramsfile import load_params
from effectmodel.inputs.survey import LEGACY_COLUMNS
from effectmodel.pipeline.spreadsheet import keep_text
from effectmodel.pipeline.staging import check_destination, staged_file

MAX_ROWS = 10_000  # rows the drop-down lists cover below the header
DATE_FORMAT = "yyyy-mm-dd"  # the date columns' format: a date typed in any style shows so

#: one example row per table, shown on the instructions sheet (the data sheets stay empty,
#: so a filled-in template holds only the user's rows); values are illustrations only
EXAMPLES = {
    "buyer_groups": ["inbouwkeukens", "Inbouwkeukens", "Built-in kitchens", "Bouw", "yes", "",
                     "", "https://www.rivm.nl/..."],
    "buyer_group_tenders": ["T-1", "inbouwkeukens", "Kitchens, lot 1", "kitchen", "pert",
                            "3600", "4500", "5800", "pert", "1.28", "1.6", "2", "pert", "0.2",
                            "0.45", "0.6", "0.766", "bernoulli", "0", "0.606", "1", "",
                            "assumption: ...", "Gemeente Utrecht", "39141000-2",
                            "2021-03-01", "1200000"],
    "buyer_group_outcomes": ["T-1", "contracted", "2021-11-01", "ocds-1l04xe-123", "3500",
                             "yes", "yes", "https://www.tenderned.nl/..."],
    "household_factors": ["buyer_groups_2020", "RIVM Buyer groups", "pert", "3.8", "4.22",
                          "5.6", "19000", "direct emissions", "directe uitstoot", "https://..."],
    "product_groups": ["dienstautos", "dienstauto's", "company cars", "Transport", "yes",
                       "https://www.rivm.nl/..."],
    "monitor_periods": ["2019-2020", "6800000", "at least", "CO2-eq", "16",
                        "monitor_2019_2020", "https://www.rivm.nl/..."],
    "frame_totals": ["2019-2020", "dienstautos", "600000000", "0.1", "assumption: ..."],
    "translation_factors": ["tf-ev", "co2_eq", "dienstautos", "electric car", "1000 km", "pert",
                            "0.13", "0.157", "0.19", "pert", "0.04", "0.06", "0.09",
                            "https://...", ""],
    "sampled_tenders": ["2019-2020", "dienstautos", "", "TN-1", "4216515.06", "1", "", "", "",
                        "assumption: ..."],
    "criteria": ["2019-2020", "TN-1", "1", "minimum", "basis", "yes", "yes", "tf-ev", "55375",
                 "4", "assumption: ..."],
    "sub_strata": ["2015-2016", "buitenlandse-dienstreizen", "reisbureaudiensten", "16", "no",
                   "https://..."],
    "published_indicators": ["2019-2020", "nox", "1433", "NOx -1,433 kg", "not stated", "",
                             "https://www.rivm.nl/..."],
    "spend": ["2019", "bouw", "construction", "bouw", "28000000000", "0.1", "assumption: ..."],
    "spend_intensities": ["bouw", "co2_eq", "pert", "0.2", "0.33", "0.52", "assumption: ..."],
}

#: columns that name a row of another sheet: column -> (sheet, its id column letter)
REFERENCES = {"product_group": ("product_groups", "A"), "period": ("monitor_periods", "A"),
              "buyer_group": ("buyer_groups", "A"), "factor_id": ("translation_factors", "A"),
              "household_factor": ("household_factors", "A")}


def _rows_of(params_path: Path) -> tuple[dict[str, list[list[str]]], tuple[str, ...]]:
    """Every table a params file names, as rows of text (header first; numbers with a
    decimal point, dates ISO), and its parts."""
    params = load_params(params_path)
    out = {}
    for key, path in params.data.items():
        src, problems = read_source(Path(path), key, str(path), NUMERIC[key])
        if src is None:
            raise InputError(problems)
        rows, problems = read_rows(list(csv.reader(src.text.splitlines())), src, str(path),
                                   NUMERIC[key], DATES[key])
        if problems:
            raise InputError(problems)
        out[key] = rows
    return out, params.parts


def _cell(key: str, column: str, text: str):
    """A cell's value: numbers as numbers (so Excel computes with them), dates as dates,
    the rest as text."""
    if text != "" and column in DATES[key]:
        iso, err = dates.read(text, dmy=False)
        return datetime.date.fromisoformat(iso) if err is None else text
    if text == "" or column not in NUMERIC[key]:
        return text
    try:
        value = float(text)
    except ValueError:
        return text
    if value.is_integer() and "." not in text and "e" not in text.lower():
        return int(value)
    # openpyxl writes 16 significant digits: a float that needs 17 stays text, which reads
    # back to the same float (Excel keeps no more than 17 either)
    return value if float(f"{value:.16g}") == value else text


def write_template(out: Path, lang: str = "en", source: Path | None = None,
                   parts: tuple[str, ...] = PARTS) -> Path:
    """Write the intake workbook to ``out`` (which must not exist): a sheet per table of
    ``parts``. ``source``: a params file whose tables fill the sheets (and whose parts
    choose them); else each sheet has its header only."""
    out = Path(out)
    check_destination(out, "(file)")
    if out.exists():
        raise InputError([Problem(str(out), "(file)", "exists (allowed: a new file name; the "
                                  "template never overwrites)")])
    if out.suffix.lower() != ".xlsx":
        raise InputError([Problem(str(out), "(file)", "not an .xlsx name (allowed: a name "
                                  "ending in .xlsx)")])
    rows: dict[str, list[list[str]]] = {}
    if source is not None:
        rows, have = _rows_of(source)
        parts = tuple(p for p in have if p in parts)
    book = Workbook()
    book.properties.creator = "effectmodel"
    tables = {key: TABLES[key] for key in tables_of(parts)}
    _instructions(book.active, lang, tables, "monitor" in parts)
    for key, spec in tables.items():
        sheet = book.create_sheet(key)
        header = _template_columns(key)
        data = rows.get(key)
        if data:  # the file's own column order; columns it lacks added empty
            header = [h.strip() for h in data[0]] + [c for c in spec if c not in data[0]]
        for j, name in enumerate(header, start=1):
            cell = sheet.cell(1, j, name)
            cell.font = Font(bold=True)
            what = note(key, name, lang)
            if what is not None:
                cell.comment = Comment(what, "effectmodel")
            sheet.column_dimensions[cell.column_letter].width = max(12, len(name) + 2)
            if name in DATES[key]:  # typed dates show as dates
                sheet.column_dimensions[cell.column_letter].number_format = DATE_FORMAT
        for i, row in enumerate((data or [])[1:], start=2):
            for j, (name, text) in enumerate(zip(header, row, strict=False), start=1):
                if text != "":
                    c = sheet.cell(i, j, _cell(key, name, text))
                    if isinstance(c.value, datetime.date):
                        c.number_format = DATE_FORMAT
                    keep_text([c])
        _validations(sheet, header, lang)
        sheet.freeze_panes = "A2"
    del rows
    out.parent.mkdir(parents=True, exist_ok=True)
    with staged_file(out) as tmp:
        book.save(tmp)
        deterministic_zip(tmp)
    return out


def _instructions(info, lang: str, tables: dict, monitor: bool) -> None:
    """The instructions sheet: how to fill the workbook, then each table's columns with an
    example row (the line on the monitor's optional sheets only with the monitor)."""
    info.title = "instructions"
    said = words("intake", lang)
    lines = said["instructions"] if monitor else said["instructions"][:-1]
    for r, line in enumerate(lines, start=1):
        info.cell(r, 1, line).font = Font(bold=r == 1)
    r = len(lines) + 2
    info.cell(r, 1, said["example_rows"]).font = Font(bold=True)
    for key, spec in tables.items():  # per table: its columns, then an example row
        r += 2
        info.cell(r, 1, key).font = Font(bold=True)
        example = [(name, value) for name, value in zip(spec, EXAMPLES[key], strict=True)
                   if name in _template_columns(key)]
        for j, (name, value) in enumerate(example, start=2):
            info.cell(r, j, name).font = Font(italic=True)
            info.cell(r + 1, j, _cell(key, name, in_language(value, lang)
                                      if choices(key, name) else value))
        r += 1
    info.column_dimensions["A"].width = 110


def in_language(value: str, lang: str) -> str:
    """A drop-down's value as the workbook's language writes it: yes, no and unclear as
    ja, nee and onduidelijk in Dutch (the readers take both: domain.columns)."""
    return from_english("words").get(value, value) if lang == "nl" else value


def template_confirmation(path: str, lang: str, source: str | None) -> str:
    """The template command's line: what it wrote, in ``lang``."""
    said = words("intake", lang)
    what = said["what_from"].format(source=source) if source else said["what_empty"]
    return said["wrote"].format(path=path, what=what)


def deterministic_zip(path: Path) -> None:
    """Rewrite a workbook (a zip) with fixed entry times and fixed created and modified
    times in its properties (openpyxl stamps the time of saving), so that the same workbook
    gives the same bytes at any time of day."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    stamp = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)")
    entries = [(n, stamp.sub(rb"\g<1>2020-01-01T00:00:00Z\g<3>", d)
                if n == "docProps/core.xml" else d) for n, d in entries]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def csv_bytes(rows: list[list[str]], key: str, lang: str) -> bytes:
    """A table (header first, numbers with decimal points) as CSV in the project's
    language: English with commas, UTF-8, LF; Dutch as Dutch Excel saves it, so that it
    opens in columns there: semicolons, decimal commas in the number columns, CRLF and a
    UTF-8 byte-order mark."""
    out = io.StringIO()
    if lang != "nl":
        csv.writer(out, lineterminator="\n").writerows(rows)
        return out.getvalue().encode("utf-8")
    num = {j for j, h in enumerate(rows[0] if rows else []) if h.strip() in NUMERIC[key]}
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(rows[0])
    for r in rows[1:]:
        writer.writerow([c.replace(".", ",") if j in num else c for j, c in enumerate(r)])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def write_csv_templates(folder: Path, lang: str, parts: tuple[str, ...] = PARTS,
                        source: Path | None = None) -> list[str]:
    """A CSV file per table of ``parts`` in ``folder`` (its header row; with ``source``, a
    params file, that file's rows of the tables it has), in the language's CSV
    (:func:`csv_bytes`), and ``columns.md``: what each column holds and its unit, in
    ``lang``. Returns the names written."""
    rows: dict[str, list[list[str]]] = {}
    if source is not None:
        rows, have = _rows_of(source)
        parts = tuple(p for p in have if p in parts)
    written = []
    for key in tables_of(parts):
        if source is not None and key not in rows:
            continue
        path = folder / f"{key}.csv"
        path.write_bytes(csv_bytes(rows.get(key) or [_template_columns(key)], key, lang))
        written.append(path.name)
    said = words("intake", lang)
    lines = [said["columns_title"], "", said["columns_intro"], ""]
    for key in tables_of(parts):
        lines += [f"## {key}.csv", "", f"| {said['columns_column']} | {said['columns_holds']} |",
                  "|---|---|"]
        lines += [f"| `{c}` | {note(key, c, lang) or ''} |" for c in _template_columns(key)]
        lines.append("")
    (folder / "columns.md").write_text("\n".join(lines), encoding="utf-8")
    return [*written, "columns.md"]


def _template_columns(key: str) -> list[str]:
    """The columns of ``key``'s sheet in an empty template: the table's, less the
    one-criterion format's in sampled_tenders (the criteria sheet holds them now; a --from
    project in that format keeps them)."""
    return [c for c in TABLES[key]
            if not (key == "sampled_tenders" and c in LEGACY_COLUMNS)]


def choices(key: str, column: str) -> tuple[str, ...]:
    """The values a column of table ``key`` takes, from the schema the tables are validated
    by (empty for a column of any value)."""
    spec = TABLES[key].get(column)
    return spec.allowed if spec is not None else ()


def _validations(sheet, header: list[str], lang: str = "en") -> None:
    """Drop-down lists on the columns that take one of a few values, as the schema says
    (yes, no and unclear in the workbook's language), and on the columns naming a row of
    another sheet."""
    for j, name in enumerate(header, start=1):
        letter = sheet.cell(1, j).column_letter
        where = f"{letter}2:{letter}{MAX_ROWS + 1}"
        values = choices(sheet.title, name)
        if values:
            values = tuple(in_language(v, lang) for v in values)
        elif name in REFERENCES and sheet.title != REFERENCES[name][0]:
            ref, col = REFERENCES[name]
            dv = DataValidation(type="list", formula1=f"={ref}!${col}$2:${col}${MAX_ROWS + 1}",
                                allow_blank=True)
            dv.add(where)
            sheet.add_data_validation(dv)
            continue
        else:
            continue
        dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"',
                            allow_blank=True)
        dv.add(where)
        sheet.add_data_validation(dv)


def params_for(workbook: Path, params_path: Path, like: Path) -> Path:
    """A params file that reads every table of ``workbook`` (a sheet each), otherwise the
    same as ``like``; written to ``params_path`` (which must not exist)."""
    import yaml

    if params_path.exists():
        raise InputError([Problem(str(params_path), "(file)", "exists (allowed: a new file)")])
    raw = yaml.safe_load(Path(like).read_text(encoding="utf-8"))
    rel = Path(_path_from(workbook, params_path.parent))
    raw["data"] = {key: f"{rel.as_posix()}#{key}" for key in raw["data"]
                   if raw["data"][key] is not None and key in TABLES}
    for key in OPTIONAL_TABLES:
        raw["data"].setdefault(key, None)
    params_path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True),
                           encoding="utf-8")
    return params_path


def _path_from(path: Path, start: Path) -> str:
    """``path`` as reached from the folder ``start`` (with ``..`` where needed): how a params
    file names a workbook it points at."""
    return os.path.relpath(Path(path).resolve(), Path(start).resolve())
