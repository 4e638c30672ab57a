"""Input tables as researchers write them: CSV with a comma or a semicolon, a decimal point or
a decimal comma, UTF-8 (with or without BOM) or cp1252; or a sheet of an ``.xlsx`` workbook.

Each is turned into the one canonical form the table reader checks: comma-separated UTF-8
text with decimal points, a record per line, so that a row keeps the number Excel shows it
under (the header is row 1). Cells are copied as text: a number typed in Excel reads back
as the shortest text of the same float, so a workbook and the CSV it was made from give the
same figures, bit for bit.

A data path ``file.xlsx#sheet`` names a sheet; ``file.xlsx`` alone reads the sheet named as
the table (or the only sheet). What cannot be told apart for certain is not guessed: a
semicolon file is read as Dutch Excel writes it (decimal commas), and a file that does not
look like the table it should be gets a one-line diagnosis.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from effectmodel.domain.errors import Problem, decode_problem

#: the bytes cp1252 leaves undefined: a file with them is not cp1252 text either
_NOT_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
#: a number with a decimal comma and optional thousands points: 4216515,06 or 4.216.515,06
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?([eE][-+]?\d+)?\s*$")
XLSX = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Source:
    """A table's text in canonical form, the hash of what was read, and how it was read."""

    text: str
    sha256: str
    dialect: str          # e.g. "csv ; decimal comma cp1252" or "xlsx sheet 'frame_totals'"
    sheet: str | None = None
    raw: bytes | None = None  # the file's bytes, where they are the canonical text already


def split_sheet(path: Path | str) -> tuple[Path, str | None]:
    """(file, sheet) of a data path: ``book.xlsx#sheet`` names a sheet of a workbook."""
    text = str(path)
    if "#" in Path(text).name:
        base, _, sheet = text.rpartition("#")
        if base.lower().endswith(XLSX):
            return Path(base), sheet or None
    return Path(text), None


def content_sha256(raw: bytes, file: Path, sheet: str | None) -> str:
    """SHA-256 of what a data path names [hex]: a file's bytes; for a workbook, its bytes and
    the sheet's name as the path gives it (``book.xlsx#sheet``, or '' for ``book.xlsx``)."""
    if Path(file).suffix.lower() in XLSX:
        raw += b"#" + (sheet or "").encode()
    return hashlib.sha256(raw).hexdigest()


def data_file(path: Path | str) -> Path:
    """The file behind a data path (without its ``#sheet``)."""
    return split_sheet(path)[0]


def column_letter(index: int) -> str:
    """Excel's name of the column at 0-based ``index``: 0 -> A, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = string.ascii_uppercase[rem] + out
    return out


# --------------------------------------------------------------------------------------------
# CSV dialects
# --------------------------------------------------------------------------------------------


def decode(raw: bytes) -> tuple[str, str] | None:
    """(text, encoding) of a CSV file: UTF-8 (a BOM dropped), else cp1252 where every byte is
    defined there; None when it is neither."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _NOT_CP1252.search(raw):
        return None
    return raw.decode("cp1252"), "cp1252"


def sniff(text: str) -> str:
    """The separator of a CSV text, from its header line: ';' when the header holds
    semicolons and no comma, else ','."""
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    return ";" if ";" in first and "," not in first else ","


def decimal_point(cell: str) -> str:
    """A number written with a decimal comma (and thousands points) as Python reads numbers:
    '4.216.515,06' -> '4216515.06'; any other text as it is."""
    if "," not in cell or not _DECIMAL_COMMA.match(cell):
        return cell
    return cell.strip().replace(".", "").replace(",", ".")


def canonical(rows: list[list[str]]) -> str:
    """Rows as comma-separated text, a record per line (quotes only where a cell needs them;
    a line break inside a cell becomes a space, so a row keeps its line number)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([c.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
                         for c in row])
    return out.getvalue()


def from_csv(raw: bytes, numeric: set[str], label: str
             ) -> tuple[Source | None, list[Problem]]:
    """A CSV file in any of the accepted dialects, in canonical form. Comma files in UTF-8
    pass through unchanged (the fast reader's path); a semicolon file is Dutch Excel's
    (decimal commas in the ``numeric`` columns)."""
    sha = hashlib.sha256(raw).hexdigest()
    decoded = decode(raw)
    if decoded is None:  # name the line and column of the first byte UTF-8 refuses
        try:
            raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return None, [decode_problem(label, raw, exc)]
    text, encoding = decoded
    sep = sniff(text)
    if sep == "," and encoding == "utf-8":
        return Source(text, sha, "csv , utf-8", raw=raw), []
    try:
        rows = list(csv.reader(text.splitlines(), delimiter=sep))
    except csv.Error as exc:
        return None, [Problem(label, "(file)", f"not CSV: {exc} (allowed: comma- or "
                              "semicolon-separated text)")]
    if sep == ";" and rows:
        header = [h.strip() for h in rows[0]]
        cols = [j for j, h in enumerate(header) if h in numeric]
        rows = [rows[0]] + [[decimal_point(c) if j in cols else c for j, c in enumerate(r)]
                            for r in rows[1:]]
    dialect = f"csv {sep} {'decimal comma ' if sep == ';' else ''}{encoding}"
    return Source(canonical(rows), sha, dialect), []


def diagnose(header: list[str], expected: list[str]) -> str | None:
    """Why a header may not match the table it should be: another separator, or a header
    that is not in the first row. None when nothing explains it."""
    if len(header) == 1 and ";" in header[0]:
        return "looks semicolon-separated, yet was read with commas"
    if len(header) == 1 and "\t" in header[0]:
        return "looks tab-separated (allowed: commas or semicolons)"
    if not any(h.strip() in expected for h in header):
        return "no known column in the first row (allowed: the header in row 1)"
    return None


# --------------------------------------------------------------------------------------------
# Workbooks
# --------------------------------------------------------------------------------------------


def cell_text(value) -> str:
    """A cell as the text a CSV file would hold: numbers as the shortest text of the same
    float (an integral float without '.0'), booleans as yes/no, empty as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


#: bounds a workbook is held to before it is parsed: its uncompressed size in all, from the
#: zip directory (a bomb of a few MB that unzips to GBs is refused at once), and rows per
#: sheet, Excel's own limit (counted while reading: a sheet's dimension tag may lie)
MAX_XLSX_BYTES = 2_000_000_000
MAX_SHEET_ROWS = 1_048_576


class TooLarge(ValueError):
    """A workbook or a sheet beyond the bounds: the problem's field and message."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def _sheet_files(z) -> dict[str, str]:
    """A workbook's sheet names by the zip entry of each sheet (from ``xl/workbook.xml`` and
    its relations, both small: read only when they are)."""
    def small(name: str) -> str:
        try:
            info = z.getinfo(name)
        except KeyError:
            return ""
        return z.read(name).decode("utf-8", "replace") if info.file_size < 10_000_000 else ""

    def attr(element: str, key: str) -> str:
        m = re.search(rf'\b{key}="([^"]*)"', element)
        return m.group(1) if m else ""

    rels = re.findall(r"<Relationship\b[^>]*>", small("xl/_rels/workbook.xml.rels"))
    targets = {attr(e, "Id"): attr(e, "Target") for e in rels}
    out = {}
    for e in re.findall(r"<sheet\b[^>]*>", small("xl/workbook.xml")):
        name, target = attr(e, "name"), targets.get(attr(e, "r:id"), "").lstrip("/")
        out[target if target.startswith("xl/") else f"xl/{target}"] = name
    return out


def check_bounds(raw: bytes) -> None:
    """Refuse a workbook whose zip directory says it unzips beyond :data:`MAX_XLSX_BYTES`,
    naming its largest sheet and that sheet's size (raises :class:`TooLarge`). A file that
    is no zip passes: the reader then says what it is."""
    import zipfile

    try:
        z = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        return
    with z:
        infos = z.infolist()
        total = sum(i.file_size for i in infos)
        if total <= MAX_XLSX_BYTES:
            return
        biggest = max(infos, key=lambda i: i.file_size)
        sheet = _sheet_files(z).get(biggest.filename, biggest.filename)
    raise TooLarge("(sheet)", f"{sheet!r} unzips to {biggest.file_size / 1e9:,.1f} GB, the "
                   f"workbook to {total / 1e9:,.1f} GB (allowed: at most "
                   f"{MAX_XLSX_BYTES / 1e9:,.0f} GB in all; save the table as CSV)")


@lru_cache(maxsize=2)
def _sheets(raw: bytes) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Every sheet of a workbook as rows of cell text, read once per content: the tables of
    one workbook are read in one pass, not once per table. Each sheet is read to its real
    end, whatever its dimension tag claims (openpyxl's read-only mode would trust it), and
    to at most :data:`MAX_SHEET_ROWS` rows (raises :class:`TooLarge`)."""
    from openpyxl import load_workbook  # only for workbooks: keeps CSV runs light

    check_bounds(raw)
    book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    try:
        return {name: _rows(book[name], name) for name in book.sheetnames}
    finally:
        book.close()


def _rows(sheet, name: str) -> tuple[tuple[str, ...], ...]:
    """A sheet's rows as cell text, read to the sheet's real end (its dimensions reset)."""
    if hasattr(sheet, "reset_dimensions"):  # a chart sheet has none
        sheet.reset_dimensions()
    rows = []
    for i, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if i > MAX_SHEET_ROWS:
            raise TooLarge("(sheet)", f"{name!r} has more than {MAX_SHEET_ROWS:,} rows "
                           f"(allowed: at most {MAX_SHEET_ROWS:,}, Excel's own limit)")
        rows.append(tuple(cell_text(v) for v in row))
    return tuple(rows)


def workbook(path: Path) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Every sheet of a workbook as rows of cell text (raises ValueError, with a message
    for the reader, on a workbook beyond the bounds or not a workbook)."""
    try:
        return _sheets(Path(path).read_bytes())
    except TooLarge as exc:
        raise ValueError(exc.message) from None
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        raise ValueError(f"not an .xlsx workbook ({type(exc).__name__}) (allowed: an Excel "
                         ".xlsx file, or CSV)") from None


def from_xlsx(path: Path, sheet: str | None, key: str, label: str
              ) -> tuple[Source | None, list[Problem]]:
    """One sheet of a workbook in canonical form: the sheet ``sheet``, else the one named as
    the table ``key``, else the only one. Trailing empty rows and columns are dropped."""
    raw = path.read_bytes()
    try:
        sheets = _sheets(raw)
    except TooLarge as exc:
        return None, [Problem(label, exc.field, exc.message)]
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        return None, [Problem(label, "(file)", f"not an .xlsx workbook ({type(exc).__name__}) "
                              "(allowed: an Excel .xlsx file, or CSV)")]
    names = list(sheets)
    name = sheet or (key if key in names else (names[0] if len(names) == 1 else None))
    if name not in names:
        wanted = f"sheet {sheet!r}" if sheet else f"a sheet named {key!r}"
        return None, [Problem(label, "(sheet)", f"no {wanted} (allowed: "
                              f"{', '.join(names)}; name it as file.xlsx#sheet)")]
    rows = [list(r) for r in sheets[name]]
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    width = max((max((j + 1 for j, c in enumerate(r) if c.strip()), default=0) for r in rows),
                default=0)
    rows = [r[:width] + [""] * (width - len(r)) for r in rows]
    return Source(canonical(rows), content_sha256(raw, path, sheet), f"xlsx sheet {name!r}",
                  sheet=name), []


def read_source(path: Path, key: str, label: str, numeric: set[str]
                ) -> tuple[Source | None, list[Problem]]:
    """A data path (``file.csv``, ``book.xlsx`` or ``book.xlsx#sheet``) in canonical form."""
    file, sheet = split_sheet(path)
    if file.suffix.lower() in XLSX:
        return from_xlsx(file, sheet, key, label)
    return from_csv(file.read_bytes(), numeric, label)
