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

import codecs
import csv
import datetime
import hashlib
import io
import os
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from effectmodel.domain import numbers
from effectmodel.domain.errors import Problem, decode_problem

#: the bytes cp1252 leaves undefined: a file with them is not cp1252 text either
_NOT_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
XLSX = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Source:
    """A table's text in canonical form, the hash of what was read, and how it was read."""

    #: the canonical text, or the file's bytes where they are that text already (a UTF-8
    #: comma file: a table of 10^6 rows is then held once, not as bytes and text)
    content: str | bytes
    sha256: str
    dialect: str          # e.g. "csv ; decimal comma cp1252" or "xlsx sheet 'frame_totals'"
    sheet: str | None = None
    #: the decimal mark the text's numbers are written with: the dialect's (a semicolon
    #: file's comma), :data:`~effectmodel.domain.numbers.CANONICAL` where they are read
    #: already (a workbook), None where the file's values must tell
    mark: numbers.Mark | None = None
    #: cells refused while reading (a workbook's text cells): (line, column) -> problem
    refused: Mapping[tuple[int, str], str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def text(self) -> str:
        """The canonical text (decoded anew from the file's bytes at each call)."""
        c = self.content
        return c if isinstance(c, str) else c.decode("utf-8-sig")

    @property
    def raw(self) -> bytes | None:
        """The file's bytes where they are the canonical text, else None."""
        return self.content if isinstance(self.content, bytes) else None


def not_regular(file: Path, label: str) -> Problem | None:
    """Why ``file`` is no regular file to read (a FIFO, a device, a socket), or None; a
    missing file is left to the reader (raises FileNotFoundError as before)."""
    import stat

    try:
        mode = os.stat(file).st_mode
    except FileNotFoundError:
        raise
    except OSError as exc:
        return Problem(label, "(file)", f"cannot be read: {exc.strerror} (allowed: a "
                       "readable file)")
    if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
        return None  # a folder: the reader says what it wants instead
    return Problem(label, "(file)", "not a regular file (a pipe, a device or a socket) "
                   "(allowed: a file on disk)")


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


def is_utf8(raw: bytes, chunk: int = 1 << 24) -> bool:
    """Whether ``raw`` is UTF-8 (a BOM allowed), checked piece by piece: never the whole
    file as text at once [-]."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    view = memoryview(raw)
    try:
        for a in range(0, len(raw), chunk):
            decoder.decode(view[a:a + chunk])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def sniff(text: str) -> str:
    """The separator of a CSV text, from its header line: ';' when the header holds
    semicolons and no comma, else ','."""
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    return ";" if ";" in first and "," not in first else ","


def canonical(rows: list[list[str]]) -> str:
    """Rows as comma-separated text, a record per line (quotes only where a cell needs them;
    a line break inside a cell becomes a space, so a row keeps its line number)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([c.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
                         for c in row])
    return out.getvalue()


def from_csv(raw: bytes, label: str) -> tuple[Source | None, list[Problem]]:
    """A CSV file in any of the accepted dialects, in canonical form. Comma files in UTF-8
    pass through unchanged (the fast reader's path); a semicolon file is Dutch Excel's
    (its numbers have decimal commas: :data:`~effectmodel.domain.numbers.SEMICOLON`). The
    numbers are read later, with the file's mark (:mod:`effectmodel.inputs.cells`)."""
    sha = hashlib.sha256(raw).hexdigest()
    if is_utf8(raw):
        end = raw.find(b"\n")
        if sniff((raw if end < 0 else raw[:end]).decode("utf-8-sig")) == ",":
            return Source(raw, sha, "csv , utf-8"), []  # never decoded whole: held once
    decoded = decode(raw)
    if decoded is None:  # name the line and column of the first byte UTF-8 refuses
        try:
            raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return None, [decode_problem(label, raw, exc)]
    text, encoding = decoded
    sep = sniff(text)
    if sep == "," and encoding == "utf-8":
        return Source(raw, sha, "csv , utf-8"), []
    try:
        rows = list(csv.reader(text.splitlines(), delimiter=sep))
    except csv.Error as exc:
        return None, [Problem(label, "(file)", f"not CSV: {exc} (allowed: comma- or "
                              "semicolon-separated text)")]
    dialect = f"csv {sep} {'decimal comma ' if sep == ';' else ''}{encoding}"
    return Source(canonical(rows), sha, dialect,
                  mark=numbers.SEMICOLON if sep == ";" else None), []


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
    float (an integral float without '.0'), booleans as yes/no, dates as ISO dates (a time
    of midnight left out: a date typed in Excel is a datetime), empty as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else \
            value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class Sheet:
    """A sheet's rows as cell text; where its cells typed as text read as numbers (0-based
    row and column), whose decimal mark the sheet's own text tells; and the addresses of
    its formula cells that hold no value (a workbook saved by a program that does not
    calculate)."""

    rows: tuple[tuple[str, ...], ...]
    texts: frozenset[tuple[int, int]] = frozenset()
    uncached: tuple[str, ...] = ()


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


#: bounds a sheet and the shared strings are held to, checked by a cheap pass over their
#: XML (decompressed, not parsed) before openpyxl reads them: cells per sheet read, shared
#: strings in all, and the bytes of one shared string (Excel's own cell holds at most 32,767
#: characters, so 1 MB is far beyond any real one)
MAX_SHEET_CELLS = 20_000_000
MAX_SHARED_STRINGS = 5_000_000
MAX_SHARED_STRING_BYTES = 1_000_000


@lru_cache(maxsize=2)
def _book(raw: bytes) -> Book:
    """A workbook of these bytes, read once per content (:class:`Book`)."""
    return Book(raw)


class Book:
    """A workbook read lazily and within bounds: its size from the zip directory, its shared
    strings and each sheet's rows and cells counted in their XML (decompressed, not parsed)
    at once, before openpyxl opens it; each sheet read when first asked for, to its real
    end (a sheet the params do not name is never read; openpyxl's load still scans a sheet
    that has no dimension tag, which Excel always writes)."""

    def __init__(self, raw: bytes):
        import zipfile

        from openpyxl import load_workbook  # only for workbooks: keeps CSV runs light

        check_bounds(raw)
        self._zip = zipfile.ZipFile(io.BytesIO(raw))
        self._entry = {name: entry for entry, name in _sheet_files(self._zip).items()}
        _check_shared_strings(self._zip)
        # before openpyxl, which scans a sheet without a dimension tag whole at load; the
        # same pass notes which sheets hold a formula
        self._formulas = {name: xml_counts(self._zip, entry, name)
                          for name, entry in self._entry.items()}
        self._book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        self.names = list(self._book.sheetnames)
        self._read: dict[str, Sheet] = {}

    def __iter__(self):
        return iter(self.names)

    def __contains__(self, name) -> bool:
        return name in self.names

    def __getitem__(self, name: str) -> Sheet:
        if name not in self._read:
            uncached = _uncached(self._zip, self._entry.get(name)) \
                if self._formulas.get(name, True) else ()
            self._read[name] = _read_sheet(self._book[name], name, uncached)
        return self._read[name]

    def first_row(self, name: str) -> tuple[str, ...]:
        """A sheet's first row as cell text, without reading the rest."""
        sheet = self._book[name]
        for row in sheet.iter_rows(values_only=True, max_row=1):
            return tuple(cell_text(v) for v in row)
        return ()


def _stream(z, entry: str, chunk: int = 1 << 20):
    """The bytes of a zip entry, decompressed a block at a time."""
    with z.open(entry) as f:
        while True:
            data = f.read(chunk)
            if not data:
                return
            yield data


def xml_counts(z, entry: str | None, name: str) -> bool:
    """Count a sheet's rows and cells in its XML (raises :class:`TooLarge` beyond
    :data:`MAX_SHEET_ROWS` or :data:`MAX_SHEET_CELLS`); whether it holds a formula."""
    if entry is None or entry not in z.namelist():
        return True  # not found here: openpyxl's reading decides
    rows = cells = 0
    formula = False
    tail = b""
    for data in _stream(z, entry):
        block = tail + data  # a tag cut between two blocks is counted once, in the block
        rows += _tags(block, (b"<row ", b"<row>")) - _tags(tail, (b"<row ", b"<row>"))
        cells += _tags(block, (b"<c ", b"<c>")) - _tags(tail, (b"<c ", b"<c>"))
        formula = formula or b"<f" in block
        tail = block[-4:]
        if rows > MAX_SHEET_ROWS:
            raise TooLarge("(sheet)", f"{name!r} has more than {MAX_SHEET_ROWS:,} rows "
                           f"(allowed: at most {MAX_SHEET_ROWS:,}, Excel's own limit)")
        if cells > MAX_SHEET_CELLS:
            raise TooLarge("(sheet)", f"{name!r} has more than {MAX_SHEET_CELLS:,} cells "
                           f"(allowed: at most {MAX_SHEET_CELLS:,}; save the table as CSV)")
    return formula


def _tags(data: bytes, tags: tuple[bytes, ...]) -> int:
    return sum(data.count(t) for t in tags)


_SI = re.compile(rb"<si[ >]")


def _check_shared_strings(z) -> None:
    """Count the shared strings and measure the longest (raises :class:`TooLarge` beyond
    :data:`MAX_SHARED_STRINGS` or :data:`MAX_SHARED_STRING_BYTES`), before openpyxl loads
    them all into memory."""
    entry = "xl/sharedStrings.xml"
    if entry not in z.namelist():
        return
    n, last, offset, tail = 0, None, 0, b""
    for data in _stream(z, entry):
        block = tail + data
        base = offset - len(tail)
        for m in _SI.finditer(block):
            at = base + m.start()
            if last is not None and at == last:
                continue  # seen in the last block's tail
            if last is not None and at - last > MAX_SHARED_STRING_BYTES:
                raise TooLarge("(sheet)", "a shared string of more than "
                               f"{MAX_SHARED_STRING_BYTES:,} bytes (allowed: cells of at "
                               "most 32,767 characters, Excel's own limit)")
            n, last = n + 1, at
            if n > MAX_SHARED_STRINGS:
                raise TooLarge("(sheet)", f"more than {MAX_SHARED_STRINGS:,} shared strings "
                               f"(allowed: at most {MAX_SHARED_STRINGS:,}; save the table as "
                               "CSV)")
        offset += len(data)
        tail = block[-3:]
        if offset - (last if last is not None else 0) > MAX_SHARED_STRING_BYTES + 1000:
            raise TooLarge("(sheet)", "a shared string of more than "
                           f"{MAX_SHARED_STRING_BYTES:,} bytes (allowed: cells of at most "
                           "32,767 characters, Excel's own limit)")


#: a cell of a sheet's XML, its address and its content
_CELL = re.compile(rb'<c\b([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_ADDRESS = re.compile(rb'\br="([A-Z]+[0-9]+)"')


def _uncached(z, entry: str | None) -> tuple[str, ...]:
    """The addresses of a sheet's formula cells without a value: a ``<c>`` with an ``<f>``
    and no ``<v>`` (asked only of a sheet :func:`xml_counts` found a formula in)."""
    if entry is None or entry not in z.namelist():
        return ()
    xml = z.read(entry)
    found = []
    for m in _CELL.finditer(xml):
        body = m[2] or b""
        if b"<f" in body and not re.search(rb"<v>[^<]", body):
            a = _ADDRESS.search(m[1])
            found.append(a[1].decode() if a else "?")
    return tuple(found)


def _read_sheet(sheet, name: str, uncached: tuple[str, ...]) -> Sheet:
    """A sheet's rows as cell text, read to the sheet's real end (its dimensions reset)."""
    if hasattr(sheet, "reset_dimensions"):  # a chart sheet has none
        sheet.reset_dimensions()
    rows, texts = [], set()
    for i, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if i > MAX_SHEET_ROWS:
            raise TooLarge("(sheet)", f"{name!r} has more than {MAX_SHEET_ROWS:,} rows "
                           f"(allowed: at most {MAX_SHEET_ROWS:,}, Excel's own limit)")
        rows.append(tuple(cell_text(v) for v in row))
        for j, v in enumerate(row):
            if isinstance(v, str) and v[:1] in _NUMBER_START and numbers.readings(v):
                texts.add((i - 1, j))
    return Sheet(tuple(rows), frozenset(texts), uncached)


_NUMBER_START = frozenset("0123456789-+€.,E \u00a0")


def sheets(path: Path) -> Book:
    """A workbook, its sheets read when asked for (raises ValueError, with a message for the
    reader, on a workbook beyond the bounds or not a workbook; a sheet beyond them raises
    :class:`TooLarge` when read)."""
    try:
        return _book(Path(path).read_bytes())
    except TooLarge as exc:
        raise ValueError(exc.message) from None
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        raise ValueError(f"not an .xlsx workbook ({type(exc).__name__}) (allowed: an Excel "
                         ".xlsx file, or CSV)") from None


def uncached_problem(sheet: Sheet, label: str) -> Problem | None:
    """The sheet's formula cells without a value, in one line (or None)."""
    if not sheet.uncached:
        return None
    cells = ", ".join(sheet.uncached[:5]) + (f" and {len(sheet.uncached) - 5} more"
                                              if len(sheet.uncached) > 5 else "")
    return Problem(label, "(sheet)", f"formula cells without a calculated value: {cells} "
                   "(allowed: values, or formulas saved by Excel or LibreOffice, which store "
                   "the value; open the workbook there and save it)")


def text_numbers(sheet: Sheet, rows: list[list[str]], numeric: set[str], label: str
                 ) -> tuple[dict[tuple[int, str], str], list[Problem]]:
    """The numbers typed as text in the ``numeric`` columns of a sheet's ``rows`` (header
    first), read in place by the sheet's own decimal mark
    (:mod:`~effectmodel.domain.numbers`): returns the cells refused, (line, column) ->
    problem, and a problem for the sheet where its text numbers show both marks."""
    header = [h.strip() for h in rows[0]] if rows else []
    where = [(i, j) for i, j in sorted(sheet.texts)
             if 0 < i < len(rows) and j < len(header) and header[j] in numeric]
    if not where:
        return {}, []
    mark, both = numbers.file_mark(
        (rows[i][j], f"row {i + 1}, column {column_letter(j)}") for i, j in where)
    if both:
        return {}, [Problem(label, "(sheet)", numbers.both_marks(*both, "sheet"))]
    refused = {}
    for i, j in where:
        text, err = numbers.read(rows[i][j], mark)
        if err:
            refused[(i + 1, header[j])] = err.replace("this file", "this sheet")
        else:
            rows[i][j] = text
    return refused, []


def from_xlsx(path: Path, sheet: str | None, key: str, label: str, numeric: set[str]
              ) -> tuple[Source | None, list[Problem]]:
    """One sheet of a workbook in canonical form: the sheet ``sheet``, else the one named as
    the table ``key``, else the only one. Trailing empty rows and columns are dropped.
    Numbers typed as text in the ``numeric`` columns are read by the sheet's own decimal
    mark (:func:`text_numbers`); formula cells without a value are refused."""
    raw = path.read_bytes()
    try:
        book = _book(raw)
        names = book.names
        name = sheet or (key if key in names else (names[0] if len(names) == 1 else None))
        if name not in names:
            wanted = f"sheet {sheet!r}" if sheet else f"a sheet named {key!r}"
            return None, [Problem(label, "(sheet)", f"no {wanted} (allowed: "
                                  f"{', '.join(names)}; name it as file.xlsx#sheet)")]
        read = book[name]
    except TooLarge as exc:
        return None, [Problem(label, exc.field, exc.message)]
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        return None, [Problem(label, "(file)", f"not an .xlsx workbook ({type(exc).__name__}) "
                              "(allowed: an Excel .xlsx file, or CSV)")]
    uncached = uncached_problem(read, label)
    if uncached is not None:
        return None, [uncached]
    rows = [list(r) for r in read.rows]
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    width = max((max((j + 1 for j, c in enumerate(r) if c.strip()), default=0) for r in rows),
                default=0)
    rows = [r[:width] + [""] * (width - len(r)) for r in rows]
    refused, problems = text_numbers(read, rows, numeric, label)
    if problems:
        return None, problems
    return Source(canonical(rows), content_sha256(raw, path, sheet), f"xlsx sheet {name!r}",
                  sheet=name, mark=numbers.CANONICAL,
                  refused=MappingProxyType(refused)), []


def read_source(path: Path, key: str, label: str, numeric: set[str]
                ) -> tuple[Source | None, list[Problem]]:
    """A data path (``file.csv``, ``book.xlsx`` or ``book.xlsx#sheet``) in canonical form.
    Only a regular file is opened: a FIFO would hang the read, a device never end."""
    file, sheet = split_sheet(path)
    problem = not_regular(file, label)
    if problem is not None:
        return None, [problem]
    if file.suffix.lower() in XLSX:
        return from_xlsx(file, sheet, key, label, numeric)
    return from_csv(file.read_bytes(), label)
