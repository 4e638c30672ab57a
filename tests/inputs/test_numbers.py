"""Numbers and dates read exactly as written: Dutch and English Excel's formats, in CSV with
either separator and in workbook text cells; a value that reads two ways in its file is
refused with both readings, never guessed."""

from __future__ import annotations

import csv
import datetime
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from conftest import DUTCH_WORDS, ROOT
from effectmodel.domain import dates, numbers
from effectmodel.domain.errors import InputError
from effectmodel.inputs.data import NUMERIC, TABLES, read_table
from effectmodel.inputs.tenderlist import read_rates, read_tender_list

# --------------------------------------------------------------------------------------------
# Excel's formats, written as Excel writes them
# --------------------------------------------------------------------------------------------


def excel(x: Decimal, decimals: int, grouped: bool, dutch: bool, euro: bool) -> str:
    """``x`` as Excel shows it in the format ``0``, ``0,00``, ``#.##0``, ``#.##0,00`` (Dutch)
    or ``0``, ``0.00``, ``#,##0``, ``#,##0.00`` (English), with ``€ `` before it where
    ``euro`` (Dutch Excel's euro format puts the minus after the sign: € -1.234,56)."""
    point, sep = (",", ".") if dutch else (".", ",")
    sign = "-" if x < 0 else ""
    whole, _, frac = f"{abs(x):.{decimals}f}".partition(".")
    if grouped:
        whole = f"{int(whole):,}".replace(",", sep)
    text = whole + (point + frac if decimals else "")
    return f"€ {sign}{text}" if euro else sign + text


FORMATS = st.tuples(st.sampled_from([0, 2]), st.booleans(), st.booleans())
CENTS = st.integers(min_value=-10**12, max_value=10**12)


def value_of(cents: int, decimals: int) -> Decimal:
    return Decimal(cents).scaleb(-2) if decimals else Decimal(cents // 100)


@given(st.lists(CENTS, min_size=1, max_size=12), FORMATS, st.booleans())
@settings(max_examples=300, deadline=None)
def test_a_column_in_any_excel_format_reads_back_exactly_or_is_refused(cents, fmt, dutch):
    """A column written in one Excel format: in a semicolon file (Dutch) every value reads
    back exactly; in a comma file it reads back exactly where the file shows its mark, and
    where nothing does, the values that read two ways are refused with both readings and
    the rest read exactly. Never a wrong value."""
    decimals, grouped, euro = fmt
    want = [value_of(c, decimals) for c in cents]
    cells = [excel(x, decimals, grouped, dutch, euro) for x in want]
    hint = numbers.SEMICOLON if dutch else None
    mark, both = numbers.file_mark(((c, "x") for c in cells), hint)
    assert both is None
    got, errors = numbers.read_column(cells, mark)
    for i, x in enumerate(want):
        if i in errors:
            assert not dutch and mark.mark is None and numbers.ambiguous(cells[i])
            assert "reads as" in errors[i] and "nothing in this file tells which" in errors[i]
        else:
            assert Decimal(got[i]) == x, (cells[i], got[i])
    if dutch or (decimals and any(c % 100 for c in cents)):
        assert not errors


@pytest.mark.parametrize(("text", "dutch", "want"), [
    ("850.000", True, "850000"), ("5.200", True, "5200"), ("2.400.000", True, "2400000"),
    ("850.000,00", True, "850000.00"), ("1.234,5", True, "1234.5"),
    ("€ -1.234,56", True, "-1234.56"), ("-€ 1.234,56", True, "-1234.56"),
    ("1,234.5", False, "1234.5"), ("1,234,567", False, "1234567"), ("0.35", False, "0.35"),
    ("12,5", False, "12.5"), ("2.400.000", False, "2400000"), ("1e-05", True, "1e-05"),
])
def test_values_read_one_way_in_their_file(text, dutch, want):
    mark, _ = numbers.file_mark([(text, "x")], numbers.SEMICOLON if dutch else None)
    assert numbers.read(text, mark) == (want, None)


@pytest.mark.parametrize(("text", "readings"), [
    ("850.000", ("850000", "850")), ("1,234", ("1234", "1.234")), ("€ 25.000", ("25000", "25")),
])
def test_a_value_that_reads_two_ways_is_refused_with_both(text, readings):
    _, err = numbers.read(text, numbers.Mark(None))
    assert all(r in err for r in readings) and "(allowed:" in err


def test_a_decimal_point_in_a_semicolon_file_is_refused_not_read_as_thousands():
    text, err = numbers.read("5.2", numbers.SEMICOLON)
    assert text == "" and "semicolon-separated" in err and "(allowed: 5,2)" in err


# --------------------------------------------------------------------------------------------
# Through the table reader: CSV either way, workbook text cells
# --------------------------------------------------------------------------------------------

FRAME = ["period", "product_group", "frame_total_eur", "relative_uncertainty", "source"]


def frame_rows(totals: list[str], unc: list[str]) -> list[list[str]]:
    return [FRAME] + [["2019-2020", f"g{i}", t, u, "assumption: test"]
                      for i, (t, u) in enumerate(zip(totals, unc, strict=True))]


def write_csv(path: Path, rows: list[list[str]], sep: str) -> Path:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\r\n").writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    return path


def write_xlsx(path: Path, rows: list[list[str]], typed: set[int] = frozenset()) -> Path:
    """A one-sheet workbook of ``rows``: cells as text, the columns ``typed`` as numbers."""
    book = Workbook()
    sheet = book.active
    sheet.title = "frame_totals"
    for i, r in enumerate(rows, start=1):
        for j, c in enumerate(r, start=1):
            v = float(c) if i > 1 and j - 1 in typed else c
            sheet.cell(i, j, v)
    book.save(path)
    return path


POSITIVE_CENTS = st.integers(min_value=1, max_value=10**13)


@given(st.lists(POSITIVE_CENTS, min_size=1, max_size=6), FORMATS, st.booleans(),
       st.sampled_from(["csv;", "csv,", "xlsx"]))
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_frame_totals_in_excel_formats_read_back_exactly(tmp_path, cents, fmt, dutch, kind):
    """Frame totals written in an Excel format (Dutch or English), with relative
    uncertainties in the same style, in a semicolon CSV, a comma CSV or a workbook's text
    cells: each reads back exactly, or (no decimal mark in the file, a value reading two
    ways) the table is refused, naming both readings. Never a wrong value."""
    if kind == "csv;" and not dutch:
        dutch = True  # semicolon files are Dutch Excel's
    decimals, grouped, euro = fmt
    want = [value_of(c, decimals) or Decimal(1) for c in cents]
    totals = [excel(x, decimals, grouped, dutch, euro) for x in want]
    unc = ["0,1" if dutch else "0.1"] * len(want)
    rows = frame_rows(totals, unc)
    folder = tmp_path / f"{kind}-{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    if kind == "xlsx":
        path = write_xlsx(folder / "t.xlsx", rows)
    else:
        path = write_csv(folder / "t.csv", rows, kind[-1])
    df, problems = read_table("frame_totals", path, "t")
    if problems:
        assert all("reads as" in p.message or "decimal" in p.message for p in problems), problems
        assert kind != "csv;"
        return
    assert [Decimal(repr(v)) == x or v == float(x) for v, x in
            zip(df["frame_total_eur"], want, strict=True)] == [True] * len(want)


def test_semicolon_file_reads_thousands_points(tmp_path):
    """The cases of the issue: 850.000 was read as 850 and 2.400.000 refused."""
    rows = frame_rows(["850.000", "5.200", "2.400.000", "850.000,00"], ["0,1"] * 4)
    df, problems = read_table("frame_totals", write_csv(tmp_path / "t.csv", rows, ";"), "t")
    assert problems == []
    assert df["frame_total_eur"].tolist() == [850000.0, 5200.0, 2400000.0, 850000.0]


def test_a_comma_file_of_only_ambiguous_values_is_refused_in_one_line_per_cell(tmp_path):
    rows = frame_rows(["850.000", "2"], ["1", "0"])
    df, problems = read_table("frame_totals", write_csv(tmp_path / "t.csv", rows, ","), "t")
    assert [p.field for p in problems] == ["frame_total_eur[line 2]"]
    assert "850000" in problems[0].message and "850 (a decimal point)" in problems[0].message


def test_workbook_typed_numbers_do_not_decide_the_text_cells_mark(tmp_path):
    """A typed 0.1 is no decimal point of the sheet's text: '850.000' typed as text in a
    sheet whose other numbers are typed reads two ways, and is refused naming its cell."""
    rows = frame_rows(["850.000", "1.234,5"], ["0.1", "0.2"])
    df, problems = read_table("frame_totals", write_xlsx(tmp_path / "t.xlsx", rows, {3}), "t")
    assert problems == [] and df["frame_total_eur"].tolist() == [850000.0, 1234.5]
    rows = frame_rows(["850.000", "2"], ["0.1", "0.2"])
    df, problems = read_table("frame_totals", write_xlsx(tmp_path / "u.xlsx", rows, {3}), "t")
    assert [p.field for p in problems] == ["frame_total_eur[row 2, column C]"]


def dutch_excel_grouped(text: str, key: str) -> bytes:
    """A table as Dutch Excel saves 'CSV' from cells formatted ``#.##0`` (whole numbers)
    and ``#.##0,00…`` (the rest, with as many decimals as the value has): semicolons,
    thousands points, decimal commas, CRLF, a UTF-8 BOM."""
    rows = list(csv.reader(io.StringIO(text)))
    num = {j for j, h in enumerate(rows[0]) if h in NUMERIC[key]}
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow(rows[0])
    for r in rows[1:]:
        cells = []
        for j, c in enumerate(r):
            if j in num and c.strip():
                d = Decimal(c)
                places = max(0, -d.normalize().as_tuple().exponent)
                cells.append(excel(d, places, True, True, False))
            else:
                cells.append(c)
        w.writerow(cells)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def test_the_reference_data_as_dutch_excel_csv_with_thousands_read_back_exactly(tmp_path):
    """Every reference table saved as Dutch Excel saves CSV (semicolons, BOM, CRLF, #.##0
    and #.##0,00): the same values, exactly, as the file as it is."""
    grouped = 0
    for key in TABLES:
        src = ROOT / "data" / f"{key}.csv"
        want, problems = read_table(key, src, key)
        assert problems == []
        text = src.read_text(encoding="utf-8")
        dutch = tmp_path / f"{key}.csv"
        dutch.write_bytes(dutch_excel_grouped(text, key))
        grouped += dutch.read_bytes().count(b".000")
        got, problems = read_table(key, dutch, key)
        assert problems == [], problems[:3]
        assert got.drop(columns="_line").equals(want.drop(columns="_line")), key
    assert grouped > 20  # thousands points were written, and read


# --------------------------------------------------------------------------------------------
# Tender lists and rates
# --------------------------------------------------------------------------------------------


def test_a_tender_list_workbook_text_amount_is_read_by_the_sheets_mark(tmp_path):
    """'25.000' typed as text is no longer 25 EUR: in a sheet whose text amounts show
    decimal commas it is 25000; alone, it is refused with both readings."""
    head = ["ocid", "date", "tender/classification/id", "tender/value/amount"]

    def book(amounts):
        wb = Workbook()
        ws = wb.active
        ws.append(head)
        for i, a in enumerate(amounts):
            ws.append([f"T{i}", "2020-01-01", "45000000", a])
        path = tmp_path / f"list{len(amounts)}.xlsx"
        wb.save(path)
        return path

    df = read_tender_list(book(["25.000", "1.234,56"]), None)
    assert df["value"].tolist() == [25000.0, 1234.56]
    with pytest.raises(InputError) as exc:
        read_tender_list(book(["25.000"]), None)
    assert "25000" in str(exc.value) and "25 (a decimal point)" in str(exc.value)


def test_rates_read_decimal_commas_and_refuse_a_currency_twice(tmp_path):
    path = write_csv(tmp_path / "r.csv", [["currency", "eur_per_unit", "source"],
                                          ["DKK", "0,134", "https://x"]], ";")
    assert read_rates(path)["DKK"] == 0.134
    path = write_csv(tmp_path / "s.csv", [["currency", "eur_per_unit", "source"],
                                          ["DKK", "0.134", "https://x"],
                                          ["DKK", "0.2", "https://y"]], ",")
    with pytest.raises(InputError, match=r"currency\[line 3\]: DKK again"):
        read_rates(path)


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("cells", "dutch", "want"), [
    (["2024-03-01"], False, ["2024-03-01"]),
    (["2024-03-01 00:00:00", "2024-03-01T10:00:00"], False, ["2024-03-01", "2024-03-01"]),
    (["1-3-2024"], True, ["2024-03-01"]),
    (["01-03-2024", "13-03-2024"], False, ["2024-03-01", "2024-03-13"]),
    (["3-3-2024"], False, ["2024-03-03"]),
])
def test_dates_read_one_way(cells, dutch, want):
    assert dates.read_column(cells, dutch) == (want, {})


def test_a_date_that_reads_as_two_days_is_refused_with_both():
    _, errors = dates.read_column(["01-03-2024"], False)
    assert "2024-03-01" in errors[0] and "2024-01-03" in errors[0]
    _, errors = dates.read_column(["2024-02-30", "30-02-2024", "1/3/2024"], True)
    assert sorted(errors) == [0, 1, 2] and all("not a date" in e for e in errors.values())


def test_outcome_dates_typed_in_excel_are_read(tmp_path):
    """A date cell of the intake workbook (openpyxl reads it as a datetime) is a date."""
    src = ROOT / "data" / "buyer_group_outcomes.csv"
    rows = list(csv.reader(io.StringIO(src.read_text(encoding="utf-8"))))
    book = Workbook()
    sheet = book.active
    sheet.title = "buyer_group_outcomes"
    at = rows[0].index("date")
    for i, r in enumerate(rows, start=1):
        for j, c in enumerate(r, start=1):
            v = datetime.datetime.fromisoformat(c) if i > 1 and j - 1 == at else c
            sheet.cell(i, j, v)
    book.save(tmp_path / "o.xlsx")
    got, problems = read_table("buyer_group_outcomes", tmp_path / "o.xlsx", "o")
    want, _ = read_table("buyer_group_outcomes", src, "o")
    assert problems == []
    assert got["date"].tolist() == want["date"].tolist()


def test_reference_outcomes_copied_still_read(tmp_path):
    shutil.copy(ROOT / "data" / "buyer_group_outcomes.csv", tmp_path / "o.csv")
    _, problems = read_table("buyer_group_outcomes", tmp_path / "o.csv", "o")
    assert problems == []


# --------------------------------------------------------------------------------------------
# The intake workbook: one source for lists and notes, dates as dates
# --------------------------------------------------------------------------------------------


def test_every_drop_down_is_the_set_validation_allows_and_every_column_has_two_notes(
        tmp_path):
    """Each list of the template equals the values its column's validator takes (yes, no
    and unclear in Dutch where the workbook is Dutch); a column of any value has no list;
    every column has a note in English and in Dutch."""
    from openpyxl import load_workbook

    from effectmodel.domain.columnnotes import note
    from effectmodel.pipeline.intake import write_template

    for lang in ("en", "nl"):
        out = tmp_path / f"{lang}.xlsx"
        write_template(out, lang)
        book = load_workbook(out)
        for key, spec in TABLES.items():
            sheet = book[key]
            header = [c.value for c in sheet[1]]
            lists = {}
            for dv in sheet.data_validations.dataValidation:
                if dv.formula1.startswith('"'):
                    col = header[sheet[str(dv.sqref).split(":")[0]].column - 1]
                    lists[col] = tuple(dv.formula1.strip('"').split(","))
            want = {c: tuple(DUTCH_WORDS.get(v, v) for v in spec[c].allowed)
                    if lang == "nl" else spec[c].allowed
                    for c in header if spec[c].allowed}
            assert lists == want, key
            for c in header:  # each listed value is read by the validator as itself
                for v in lists.get(c, ()):
                    assert spec[c].cell(v)[1] is None, (key, c, v)
            for c in spec:
                assert note(key, c, lang), (key, c, lang)


def test_notes_name_only_the_words_validation_takes():
    """A note of a column of a few values lists them from the schema; every word it offers
    (the Dutch ones too) is read by the column's validator; Dutch meanings are shown in
    parentheses beside the words to write, never as words to write."""
    import re

    from effectmodel.domain.columnnotes import allowed_text, note

    for key, spec in TABLES.items():
        for c, col in spec.items():
            if not col.allowed:
                continue
            for lang in ("en", "nl"):
                text = note(key, c, lang)
                listing = re.search(r"\((?:allowed|toegestaan)[^:]*: (.*)\)$", text)
                assert listing, (key, c, text)
                if not c.endswith("_dist"):
                    assert text.endswith(allowed_text(col.allowed, lang))
                words = re.sub(r" \([^)]*\)", "", listing[1])
                for w in re.split(r", |; (?:also|ook) |; ", words):
                    assert col.cell(w)[1] is None, (key, c, lang, w)


def test_the_tracking_projects_workbook_with_date_cells_reads_back_exactly(tmp_path):
    """template --from the tracking project: dates typed as date cells (formatted as
    dates), numbers as numbers; the inputs read from the workbook equal those read from the
    CSV files, exactly."""
    from openpyxl import load_workbook

    import effectmodel as em
    from effectmodel.pipeline.intake import params_for, write_template

    for name in ("params", "data"):
        shutil.copytree(ROOT / name, tmp_path / name)
    params = tmp_path / "params" / "tracking.yaml"
    book = tmp_path / "data" / "tracking.xlsx"
    write_template(book, "nl", params)
    sheet = load_workbook(book)["buyer_group_outcomes"]
    col = [c.value for c in sheet[1]].index("date") + 1
    cells = [sheet.cell(i, col) for i in range(2, sheet.max_row + 1)]
    assert cells and all(isinstance(c.value, datetime.datetime) for c in cells)
    assert {c.number_format for c in cells} == {"yyyy-mm-dd"}
    xlsx = params_for(book, tmp_path / "params" / "xlsx.yaml", params)
    want = em.load_inputs(em.load_params(params))
    got = em.load_inputs(em.load_params(xlsx))
    assert sorted(got.tables) == sorted(want.tables)
    for key in want.tables:
        a, b = want.tables[key], got.tables[key]
        assert a.equals(b), (key, a.compare(b) if a.shape == b.shape else a.shape)
