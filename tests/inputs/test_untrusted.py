"""Files effectmodel cannot trust: workbooks whose dimension tag lies or that unzip to GBs,
text that starts like a formula, amounts that are not amounts, JSON nested too deep, and
values typed on the command line. Each ends in the correct figures or in exit 2 with one
line per problem: never an internal error, never a silent change."""

from __future__ import annotations

import html
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from conftest import ERROR_LINE, TINY, tree
from effectmodel.inputs import formats
from effectmodel.inputs.data import read_table
from effectmodel.inputs.tenderlist import read_amount
from effectmodel.pipeline.spreadsheet import FORMULA_PREFIXES, csv_safe, csv_text

FRAME_TOTALS = (TINY / "data" / "frame_totals.csv").read_text().splitlines()


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "effectmodel.cli", *args], cwd=cwd,
                          capture_output=True, text=True)


def one_problem_line(r: subprocess.CompletedProcess) -> str:
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and ERROR_LINE.match(lines[0]), r.stderr
    return lines[0]


def workbook_bytes(rows: list[list[str]], dimension: str | None = "keep") -> bytes:
    """A workbook of one sheet ``frame_totals`` written by openpyxl, its dimension tag
    replaced by ``dimension`` (None: removed)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "frame_totals"
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    if dimension == "keep":
        return buf.getvalue()
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                tag = b"" if dimension is None else f'<dimension ref="{dimension}"/>'.encode()
                data = re.sub(rb"<dimension [^>]*/>", tag, data)
            z.writestr(info, data)
    return out.getvalue()


def sheet_rows(rows: list[list[str]], text_cell) -> str:
    """A sheet's rows as XML: numbers as number cells, other text as ``text_cell(ref, v)``
    writes it."""
    def cell(i: int, j: int, v: str) -> str:
        ref = f"{chr(65 + j)}{i}"
        try:
            float(v)
            return f'<c r="{ref}" t="n"><v>{v}</v></c>'
        except ValueError:
            return text_cell(ref, v)
    return "".join(f'<row r="{i}">' + "".join(cell(i, j, v) for j, v in enumerate(r))
                   + "</row>" for i, r in enumerate(rows, start=1))


def hand_written_xlsx(rows: list[list[str]]) -> bytes:
    """A minimal workbook as other tools write it: inline strings, no dimension tag, no
    styles (the parts Excel needs and nothing more)."""
    body = sheet_rows(rows, lambda ref, v: f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is>'
                                           "</c>")
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxml'
             'formats.org/spreadsheetml/2006/main"><sheetData>' + body +
             "</sheetData></worksheet>")
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://'
        'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default '
        'Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+'
        'xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
        'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
        '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://'
        'schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name='
        '"frame_totals" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
        'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return out.getvalue()


def frame_rows(n: int) -> list[list[str]]:
    """A frame_totals table of ``n`` rows (as text), header first."""
    head = FRAME_TOTALS[0].split(",")
    return [head] + [[f"{2000 + i}-{2001 + i}", "a", str(100 + i), "0.1", "assumption: t"]
                     for i in range(n)]


def read_sheet(raw: bytes, tmp_path: Path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(raw)
    formats._book.cache_clear()
    return read_table("frame_totals", path, "book.xlsx")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(1, 60), claim=st.one_of(st.none(), st.integers(1, 80)))
def test_a_sheet_is_read_to_its_real_end_whatever_its_dimension_tag_says(tmp_path, n, claim):
    """openpyxl's read-only mode trusts a sheet's dimension tag; a tag that claims fewer
    rows (or none at all, or more) must not drop or invent a row."""
    rows = frame_rows(n)
    tag = None if claim is None else f"A1:E{claim}"
    df, problems = read_sheet(workbook_bytes(rows, tag), tmp_path)
    assert problems == [] and len(df) == n
    assert df["frame_total_eur"].tolist() == [float(r[2]) for r in rows[1:]]


def test_a_workbook_written_by_another_tool_reads_the_same(tmp_path):
    rows = frame_rows(30)
    a, _ = read_sheet(hand_written_xlsx(rows), tmp_path)
    b, _ = read_sheet(workbook_bytes(rows), tmp_path)
    pd.testing.assert_frame_equal(a.drop(columns="_line"), b.drop(columns="_line"))
    assert len(a) == 30


def test_a_bomb_is_refused_from_its_zip_directory(tmp_path, monkeypatch):
    """A workbook whose directory says it unzips beyond the bound is one line naming its
    largest sheet and the sizes, before any parsing (the bound lowered to 1 MB here; the
    real one is 2 GB)."""
    monkeypatch.setattr(formats, "MAX_XLSX_BYTES", 1_000_000)
    rows = frame_rows(2) + [["x" * 1000] * 5 for _ in range(400)]
    df, problems = read_sheet(workbook_bytes(rows), tmp_path)
    assert df is None and len(problems) == 1
    assert problems[0].field == "(sheet)"
    assert re.match(r"'frame_totals' unzips to [\d.]+ GB, the workbook to [\d.]+ GB "
                    r"\(allowed: at most 0 GB in all; save the table as CSV\)",
                    problems[0].message), problems[0].message


def test_too_many_rows_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(formats, "MAX_SHEET_ROWS", 20)
    df, problems = read_sheet(workbook_bytes(frame_rows(25), "A1:E5"), tmp_path)
    assert df is None and [p.message for p in problems] == [
        "'frame_totals' has more than 20 rows (allowed: at most 20, Excel's own limit)"]


@given(st.sampled_from(FORMULA_PREFIXES), st.text(max_size=20).filter(
    lambda t: "\r" not in t and "\n" not in t))
def test_text_that_starts_like_a_formula_is_neutralised_for_csv(prefix, rest):
    """(A carriage return is a line break, made a space: then no formula begins.)"""
    want = " " + rest if prefix == "\r" else "'" + prefix + rest
    assert csv_text(prefix + rest) == want
    inner = prefix.replace("\r", " ")
    assert csv_text("a" + prefix + rest) == "a" + inner + rest
    assert csv_text(-5.0) == -5.0  # a number is a number


@pytest.mark.slow
def test_formulas_in_names_stay_text_in_every_file(tmp_path, tiny):
    """Product-group names beginning with =, +, - and @: text in tables.xlsx and in the
    template workbook (never a formula), apostrophed in the CSV tables, unchanged (and
    escaped) in the HTML; the figures do not move."""
    data = tiny.parents[1] / "data"
    df = pd.read_csv(data / "product_groups.csv", dtype=str, keep_default_na=False)
    names = ['=HYPERLINK("http://x","y")', "@SUM(A1:A9)", "+1+2", "-3"]
    df["name_en"] = names[: len(df)]
    df.to_csv(data / "product_groups.csv", index=False)
    out = tmp_path / "out"
    r = cli("run", str(tiny), "--out", str(out), "--draws", "20")
    assert r.returncode == 0, r.stderr
    book = load_workbook(out / "tables.xlsx")
    cells = [c for row in book["product_groups"].iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert {c.value for c in cells} >= set(names[: len(df)])
    csv_text_ = (out / "tables" / "product_groups.csv").read_text()
    for name in names[: len(df)]:
        assert f"'{name}" in csv_text_.replace('""', '"')
    page = html.unescape((out / "annex-monitor.html").read_text())
    assert '=HYPERLINK("http://x","y")' in page  # shown as written (escaped in the HTML)
    template = tmp_path / "t.xlsx"
    assert cli("template", str(template), "--from", str(tiny)).returncode == 0
    sheet = load_workbook(template)["product_groups"]
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]


@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**6, 10**6),
                 st.text(max_size=12), st.none(), st.booleans()))
def test_an_amount_is_a_finite_number_zero_or_more_or_a_problem(x):
    value, problem, from_text = read_amount(x)
    if problem is None:
        assert value is None or (value >= 0 and value == value and value != float("inf"))
    else:
        assert value is None
    if isinstance(x, str) and x.strip() and problem is None:
        assert from_text and value == float(x.strip())  # str.strip: \x1f too


def releases(amounts: list) -> dict:
    return {"releases": [
        {"ocid": f"ocds-x-{i}", "date": "2019-04-01T00:00:00Z", "buyer": {"name": "B"},
         "tender": {"id": f"T{i}", "classification": {"id": "34110000-1"},
                    "value": {"amount": a, "currency": "EUR"}}}
        for i, a in enumerate(amounts)]}


@pytest.mark.parametrize(("amount", "said"), [
    (-5e8, "negative: -500000000.0"), ("abc", "not a number: 'abc'"),
    ("Infinity", "not a finite number"), ("NaN", "not a finite number")])
@pytest.mark.slow
def test_a_bad_amount_is_a_problem_unless_skipped(tmp_path, amount, said):
    package = releases([100, amount, "250.5"])
    f = tmp_path / "r.json"
    f.write_text(json.dumps(package))
    before = tree(tmp_path)
    line = one_problem_line(cli("frame", str(f), "--period", "2019-2020", "--out",
                                str(tmp_path / "frame")))
    assert "releases[1].tender.value.amount" in line and said in line
    assert "--skip-bad" in line and tree(tmp_path) == before
    r = cli("frame", str(f), "--period", "2019-2020", "--out", str(tmp_path / "frame"),
            "--skip-bad")
    assert r.returncode == 0, r.stderr
    assert "amounts: 1 read from text, 1 tenders or lots left out for a bad amount" in r.stdout
    totals = pd.read_csv(tmp_path / "frame" / "frame_totals.csv")
    assert totals["frame_total_eur"].tolist() == [350.5]


@pytest.mark.slow
@pytest.mark.parametrize("word", ["NaN", "Infinity", "-Infinity"])
def test_json_without_its_standard_is_refused_at_its_line_and_column(tmp_path, word):
    """NaN and Infinity are not JSON (RFC 8259), though Python writes them: the file is
    refused at the line and column of the word, nothing written."""
    text = json.dumps(releases([100, 5, 7]), indent=1).replace(": 5,", f": {word},")
    f = tmp_path / "r.json"
    f.write_text(text)
    at = text.index(word)
    line_no = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    line = one_problem_line(cli("frame", str(f), "--period", "2019-2020", "--out",
                                str(tmp_path / "frame")))
    assert f"line {line_no}, column {column}: not JSON" in line
    assert not (tmp_path / "frame").exists()


def test_json_nested_too_deep_is_one_line(tmp_path):
    f = tmp_path / "deep.json"
    f.write_text('{"releases": ' + "[" * 100_000 + "]" * 100_000 + "}")
    line = one_problem_line(cli("frame", str(f), "--period", "2019-2020", "--out",
                                str(tmp_path / "out")))
    assert "nested deeper than 1,000 levels" in line


@pytest.mark.slow
def test_command_line_values_are_checked_like_params(tmp_path):
    units = tmp_path / "frame_units.csv"
    pd.DataFrame({"period": "2019-2020", "product_group": "a", "sub_stratum": "all",
                  "tender_id": [f"T{i}" for i in range(60)], "lot": "", "value": 10.0}
                 ).to_csv(units, index=False)
    for args, said in ((["--n", "1000", "--seed", "1"], "(allowed: 1 to 60, the tenders in "
                                                         "frame_units.csv)"),
                       (["--n", "5", "--seed", "-1"], "(allowed: 0 to 2**63 - 1)"),
                       (["--n", "0", "--seed", "1"], "(allowed: 1 to 60")):
        line = one_problem_line(cli("sample", str(units), *args, "--out",
                                    str(tmp_path / "s")))
        assert said in line and not (tmp_path / "s").exists()


@pytest.mark.slow
@pytest.mark.parametrize("length", [65, 255, 300])
def test_a_long_name_is_refused_before_any_work(tiny, length):
    assert cli("validate", str(tiny)).returncode == 0  # valid before the name is changed
    text = tiny.read_text().replace("name: tiny", "name: " + "a" * length)
    tiny.write_text(text)
    line = one_problem_line(cli("run", str(tiny)))
    assert "at most 64 characters" in line and "Traceback" not in line


def test_csv_safe_leaves_numbers_and_plain_text():
    df = pd.DataFrame({"name": ["=x", "ok", "-y"], "value": [-1.5, 2.0, 3.0]})
    out = csv_safe(df)
    assert out["name"].tolist() == ["'=x", "ok", "'-y"]
    assert out["value"].tolist() == [-1.5, 2.0, 3.0]



AMOUNTS = st.one_of(
    st.floats(0, 1e9, allow_nan=False), st.integers(0, 10**9),
    st.floats(-1e9, -1e-3), st.sampled_from(["nan", "inf", "-Infinity"]),
    st.integers(0, 10**6).map(str), st.sampled_from(["abc", "12,5", "", " 7 "]), st.none())


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(st.lists(AMOUNTS, min_size=1, max_size=8), st.booleans())
def test_a_frame_of_any_amounts_is_right_or_one_line_per_bad_amount(amounts, skip):
    """OCDS releases with any amounts: exit 2 with a line per bad amount naming its
    release (and nothing written), or with --skip-bad the frame total of the good ones
    (those without an amount at their mean), bad ones counted; never an internal error."""
    import contextlib
    import tempfile

    from effectmodel.cli import main

    good = [read_amount(a) for a in amounts]
    bad = [i for i, (_, err, _) in enumerate(good) if err]
    valued = [v for v, err, _ in good if err is None and v is not None]
    kept = len(amounts) if skip or not bad else 0
    # a tender without an amount counts at the mean of the valued ones (one stratum)
    n_none = kept - len(bad) - len(valued)
    want = sum(valued) + n_none * (sum(valued) / len(valued)) if valued else 0.0
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "r.json"
        f.write_text(json.dumps(releases(amounts)))
        err, out = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            code = main(["frame", str(f), "--period", "2019-2020", "--out",
                         str(Path(tmp) / "frame"), *(["--skip-bad"] if skip else [])])
        lines = err.getvalue().strip().splitlines()
        if bad and not skip:
            assert code == 2 and len(lines) == len(bad), err.getvalue()
            assert all(ERROR_LINE.match(ln) and f"releases[{i}]" in ln
                       for ln, i in zip(lines, bad, strict=True))
            assert not (Path(tmp) / "frame").exists()
        else:
            assert code == 0, err.getvalue()
            assert f"{len(bad)} tenders or lots left out" in out.getvalue()
            totals = pd.read_csv(Path(tmp) / "frame" / "frame_totals.csv")
            got = float(totals["frame_total_eur"].sum()) if len(totals) else 0.0
            assert got == pytest.approx(want, rel=1e-12)


def test_an_output_folder_name_too_long_for_its_staging_folder_is_one_line(tiny, tmp_path):
    before = tree(tmp_path)
    line = one_problem_line(cli("run", str(tiny), "--out", str(tmp_path / ("x" * 250))))
    assert "a name of 250 bytes (allowed: at most 200" in line
    assert tree(tmp_path) == before


@pytest.mark.parametrize("args", [["sweep", "x.yaml", "--workers", "-1"],
                                  ["build", "--jobs", "0"], ["build", "--jobs", "many"]])
def test_counts_on_the_command_line_are_positive(tmp_path, args):
    r = cli(*args, cwd=tmp_path)
    assert r.returncode == 2 and "(allowed: an integer from 1 to 1024)" in r.stderr
    assert "Traceback" not in r.stderr and not any(tmp_path.iterdir())


@given(st.lists(st.one_of(st.text(max_size=6), st.floats(allow_nan=True), st.none(),
                          st.integers()), max_size=12))
def test_csv_safe_is_csv_text_on_every_cell(cells):
    """The vectorised guard changes exactly the cells csv_text changes."""
    df = pd.DataFrame({"c": pd.Series(cells, dtype=object)})
    got = csv_safe(df)["c"].tolist()
    want = [csv_text(c) for c in cells]
    assert [repr(x) for x in got] == [repr(x) for x in want]


def test_only_the_sheet_the_params_name_is_read(tmp_path):
    """An unused sheet of 160 MB cost 61 s: every sheet was read. Now a table reads its own
    sheet; the others are never parsed."""
    from openpyxl import Workbook

    book = Workbook()
    data = book.active
    data.title = "frame_totals"
    for r in frame_rows(3):
        data.append(r)
    other = book.create_sheet("notes")
    for i in range(2000):
        other.append([f"note {i}", i])
    path = tmp_path / "b.xlsx"
    book.save(path)
    formats._book.cache_clear()
    df, problems = read_table("frame_totals", Path(f"{path}#frame_totals"), "b.xlsx")
    assert problems == [] and len(df) == 3
    assert list(formats._book(path.read_bytes())._read) == ["frame_totals"]


def shared_strings_xlsx(rows: list[list[str]]) -> bytes:
    """A workbook as Excel writes text: each distinct text once in xl/sharedStrings.xml,
    cells pointing at it (openpyxl writes inline strings instead)."""
    texts: list[str] = []
    index: dict[str, int] = {}

    def shared(ref: str, v: str) -> str:
        if v not in index:
            index[v] = len(texts)
            texts.append(v)
        return f'<c r="{ref}" t="s"><v>{index[v]}</v></c>'
    body = sheet_rows(rows, shared)
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://'
        'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default '
        f'Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        f'ContentType="{ct}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
        f'ContentType="{ct}.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" '
        f'ContentType="{ct}.sharedStrings+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
        'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" '
        f'xmlns:r="{rel}"><sheets><sheet name="frame_totals" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
        f'Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship '
        f'Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet '
        f'xmlns="{main}"><sheetData>{body}</sheetData></worksheet>',
        "xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}" '
        f'count="{len(texts)}" uniqueCount="{len(texts)}">'
        + "".join(f"<si><t>{t}</t></si>" for t in texts) + "</sst>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return out.getvalue()


def test_a_shared_strings_workbook_reads_as_its_rows(tmp_path):
    rows = frame_rows(25)
    df, problems = read_sheet(shared_strings_xlsx(rows), tmp_path)
    assert problems == [] and df["period"].tolist() == [r[0] for r in rows[1:]]


@pytest.mark.parametrize(("bound", "value", "said"), [
    ("MAX_SHARED_STRINGS", 10, "more than 10 shared strings"),
    ("MAX_SHARED_STRING_BYTES", 2000, "a shared string of more than 2,000 bytes"),
    ("MAX_SHEET_CELLS", 50, "'frame_totals' has more than 50 cells"),
])
def test_workbook_bounds_are_checked_before_openpyxl_reads(tmp_path, monkeypatch, bound,
                                                           value, said):
    """105 M shared strings in a 4.5 MB file ran past 300 s at 3.9 GB; one 1.88 GB shared
    string took 3.7 GB; a sheet of 1,048,577 rows was refused only after 334 s. A pass over
    the XML (decompressed, not parsed) counts them first (bounds lowered here; the real
    ones are 5,000,000 strings, 1 MB a string, 20,000,000 cells a sheet)."""
    monkeypatch.setattr(formats, bound, value)
    rows = frame_rows(25) + [["x" * 3000, "a", "1", "0.1", "assumption: long"]]
    df, problems = read_sheet(shared_strings_xlsx(rows), tmp_path)
    assert df is None and len(problems) == 1 and said in problems[0].message, problems
