"""Input tables as researchers write them: Dutch Excel CSV (semicolons, decimal commas, BOM,
cp1252), Excel's 'CSV UTF-8', workbooks, ja/nee; the intake template; and the one-line
diagnoses of what cannot be read."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

import effectmodel as em
from conftest import (
    ERROR_LINE,
    ROOT,
    RTOL_MACHINE,
    TINY,
    copy_project,
    dutch_excel,
)
from effectmodel.cli import main
from effectmodel.inputs.data import NUMERIC, TABLES
from effectmodel.pipeline.intake import params_for, write_template


def reference_copy(tmp_path: Path) -> Path:
    """A copy of the reference project (params and data): its params file."""
    for name in ("params", "data"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path / "params" / "reference.yaml"


def tables(params: Path) -> dict:
    """Every table a run of ``params`` hands the model (the data's, and those derived from
    them): the figures are a function of these and the params alone, so equal tables give
    equal figures without evaluating the model."""
    i = em.load_inputs(em.load_params(params))
    return {**dict(i.derived), **dict(i.tables)}


def assert_same_tables(a: dict, b: dict, rtol: float = 0.0, dtypes: bool = True) -> None:
    """The same tables and columns (and dtypes); values bit for bit (``rtol`` 0) or within
    ``rtol``."""
    assert a.keys() == b.keys()
    for key in a:
        pd.testing.assert_frame_equal(a[key], b[key], check_exact=rtol == 0,
                                      rtol=rtol or 1e-5, atol=0.0, check_dtype=dtypes,
                                      obj=key)


@pytest.mark.slow
def test_the_reference_in_dutch_excel_csv_and_in_csv_utf8_gives_the_same_figures(tmp_path):
    """Every reference table rewritten as Dutch Excel writes it (semicolons, decimal commas,
    BOM, cp1252), then as Excel's 'CSV UTF-8' (commas, BOM): the same tables, bit for bit,
    so the same figures."""
    params = reference_copy(tmp_path)
    want = tables(ROOT / "params" / "reference.yaml")
    data = tmp_path / "data"
    for key in TABLES:
        f = data / f"{key}.csv"
        f.write_bytes(dutch_excel(f.read_text(encoding="utf-8"), key))
    assert_same_tables(tables(params), want)
    for key in TABLES:
        f = data / f"{key}.csv"
        f.write_bytes(b"\xef\xbb\xbf" + (ROOT / "data" / f"{key}.csv").read_bytes())
    assert_same_tables(tables(params), want)


@pytest.mark.slow
def test_the_reference_as_one_workbook_gives_the_same_figures(tmp_path, capsys):
    """template --from the reference, a params file pointing at its sheets: the same
    tables to the 12 significant digits summary.json keeps (openpyxl writes floats with
    16 significant digits, which can move a data value's last bit), so the same figures."""
    params = reference_copy(tmp_path)
    book = tmp_path / "data" / "reference.xlsx"
    assert main(["template", str(book), "--from", str(params)]) == 0
    assert "wrote" in capsys.readouterr().out
    xlsx = params_for(book, tmp_path / "params" / "xlsx.yaml", params)
    assert "reference.xlsx#sampled_tenders" in xlsx.read_text()
    # an all-empty text column reads as pandas' string dtype from a sheet, as object from
    # CSV: the same empty values, which the model reads alike
    assert_same_tables(tables(xlsx), tables(ROOT / "params" / "reference.yaml"), RTOL_MACHINE,
                       dtypes=False)


def test_the_template_has_a_sheet_per_table_lists_and_notes(tmp_path):
    """An empty template: instructions first, then a sheet per table with its header (no
    columns of the old one-criterion format), a note on number columns, drop-down lists on
    enumerations (yes/no/unclear in Dutch) and on references to other sheets, example
    numbers as numbers; in Dutch with --lang nl."""
    out = tmp_path / "intake.xlsx"
    write_template(out, "nl")
    book = load_workbook(out)
    assert book.sheetnames == ["instructions", *TABLES]
    assert "invulwerkmap" in book["instructions"]["A1"].value
    info = [[c for c in r if c is not None] for r in book["instructions"].iter_rows(
        values_only=True)]
    assert ["voorbeeldrijen"] in info  # an example row per table, beside its columns
    at = info.index(["frame_totals", "period", "product_group", "frame_total_eur",
                     "relative_uncertainty", "source"])
    assert info[at + 1] == ["2019-2020", "dienstautos", 600000000, 0.1, "assumption: ..."]
    assert book["frame_totals"].max_row == 1  # the data sheets hold headers only
    sheet = book["sampled_tenders"]
    assert [c.value for c in sheet[1]] == [c for c in TABLES["sampled_tenders"]
                                           if c not in ("has_effect", "factor_id", "quantity")]
    assert "EUR" in sheet["E1"].comment.text  # value_eur
    lists = {str(dv.sqref).split(":")[0]: dv.formula1
             for dv in sheet.data_validations.dataValidation}
    assert lists["B2"] == "=product_groups!$A$2:$A$10001"  # product_group
    crit = book["criteria"]
    formulas = [dv.formula1 for dv in crit.data_validations.dataValidation]
    assert '"ja,nee,onduidelijk"' in formulas
    assert '"basis,significant,ambitious,unknown"' in formulas
    english = tmp_path / "intake-en.xlsx"
    write_template(english, "en")
    formulas = [dv.formula1 for dv in load_workbook(english)["criteria"].data_validations
                .dataValidation]
    assert '"yes,no,unclear"' in formulas


@pytest.mark.parametrize(("lang", "want"), [
    ("en", "wrote intake.xlsx: one empty sheet per table, with drop-down lists and "
           "instructions"),
    ("nl", "intake.xlsx geschreven: een leeg blad per tabel, met keuzelijsten en instructies")])
def test_the_templates_confirmation_in_its_language(tmp_path, monkeypatch, capsys, lang, want):
    monkeypatch.chdir(tmp_path)
    assert main(["template", "intake.xlsx", "--lang", lang]) == 0
    assert capsys.readouterr().out.strip() == want


def test_yes_and_no_as_researchers_write_them(tiny):
    """ja/nee, TRUE/FALSE and 1/0 read as yes/no."""
    f = tiny.parent.parent / "data" / "sampled_tenders.csv"
    text = f.read_text()
    before = em.load_inputs(em.load_params(tiny))["sampled_tenders"]["has_effect"].tolist()
    f.write_text(text.replace(",yes,", ",ja,", 2).replace(",no,", ",nee,", 1)
                 .replace(",yes,", ",TRUE,", 1).replace(",no,", ",0,", 1))
    after = em.load_inputs(em.load_params(tiny))["sampled_tenders"]["has_effect"].tolist()
    assert after == before


def _book(path: Path, sheets: dict[str, list[list]]) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)


def _frame_rows(tiny: Path) -> list[list]:
    rows = list(csv.reader((tiny.parent.parent / "data" / "frame_totals.csv").open()))
    return [rows[0]] + [[r[0], r[1], float(r[2]), float(r[3]), r[4]] for r in rows[1:]]


def _point_at(tiny: Path, value: str) -> None:
    text = tiny.read_text()
    tiny.write_text(text.replace("  frame_totals: ../data/frame_totals.csv",
                                 f"  frame_totals: {value}"))


def _data(tiny: Path, name: str) -> Path:
    return tiny.parent.parent / "data" / name


# (id, make the bad input, file part, field-and-message part)
CASES = [
    ("xlsx-no-such-sheet",
     lambda t: (_book(_data(t, "b.xlsx"), {"frames": _frame_rows(t)}),
                _point_at(t, "../data/b.xlsx#frame_totals")),
     "b.xlsx#frame_totals", "(sheet): no sheet 'frame_totals' (allowed: frames"),
    ("xlsx-not-a-workbook",
     lambda t: (_data(t, "b.xlsx").write_text("period,product_group\n"),
                _point_at(t, "../data/b.xlsx")),
     "b.xlsx", "(file): not an .xlsx workbook"),
    ("xlsx-text-in-number-cell",
     lambda t: (_book(_data(t, "b.xlsx"), {"frame_totals": [
         *_frame_rows(t)[:2], ["2015-2016", "b", "veel", 0.1, "assumption: x"],
         *_frame_rows(t)[3:]]}), _point_at(t, "../data/b.xlsx")),
     "b.xlsx", "frame_total_eur[row 3, column C]: not a number: 'veel'"),
    ("xlsx-empty-required-cell",
     lambda t: (_book(_data(t, "b.xlsx"), {"frame_totals": [
         *_frame_rows(t)[:3], ["2017-2018", "a", 1000, 0.1, None], *_frame_rows(t)[4:]]}),
         _point_at(t, "../data/b.xlsx")),
     "b.xlsx", "source[row 4, column E]"),
    ("xlsx-unknown-column",
     lambda t: (_book(_data(t, "b.xlsx"), {"frame_totals": [
         [*_frame_rows(t)[0], "extra"], *[[*r, ""] for r in _frame_rows(t)[1:]]]}),
         _point_at(t, "../data/b.xlsx")),
     "b.xlsx", "extra: unknown column"),
    ("xlsx-header-not-in-row-1",
     lambda t: (_book(_data(t, "b.xlsx"), {"frame_totals": [["Frame totals 2015-2020"],
                                                             *_frame_rows(t)]}),
                _point_at(t, "../data/b.xlsx")),
     "b.xlsx", "(header): no known column in the first row"),
    ("csv-tab-separated",
     lambda t: _data(t, "frame_totals.csv").write_text(
         _data(t, "frame_totals.csv").read_text().replace(",", "\t")),
     "frame_totals.csv", "(header): looks tab-separated"),
    ("csv-decimal-comma-in-comma-file",
     lambda t: _data(t, "frame_totals.csv").write_text(
         _data(t, "frame_totals.csv").read_text().replace("2015-2016,a,1000,0.1",
                                                          '2015-2016,a,"1000,5",0.1')),
     "frame_totals.csv", "(file): numbers with a decimal point, '0.1' (line 2, column "
                         "relative_uncertainty), and with a decimal comma, '1000,5'"),
    ("csv-neither-utf8-nor-cp1252",
     lambda t: _data(t, "frame_totals.csv").write_bytes(
         _data(t, "frame_totals.csv").read_bytes().replace(b"test fixture", b"test \x81x", 1)),
     "frame_totals.csv", "line 2: byte 0x81 at column"),
    ("csv-yes-no-unknown-word",
     lambda t: _data(t, "sampled_tenders.csv").write_text(
         _data(t, "sampled_tenders.csv").read_text().replace(",yes,", ",misschien,", 1)),
     "sampled_tenders.csv", "has_effect[line 2]: 'misschien' (allowed: yes, no; also ja"),
    ("sheet-on-a-csv-path",
     lambda t: _point_at(t, "../data/frame_totals.csv#frames"),
     "frame_totals.csv#frames", "(file): not found"),
    ("semicolon-file-with-a-bad-number",
     lambda t: _data(t, "frame_totals.csv").write_bytes(dutch_excel(
         _data(t, "frame_totals.csv").read_text().replace("2015-2016,a,1000,",
                                                          "2015-2016,a,duizend,"),
         "frame_totals")),
     "frame_totals.csv", "frame_total_eur[line 2]: not a number: 'duizend'"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_files_get_one_line_each_and_lose_nothing(case, tiny, tmp_path, capsys):
    """Exit 2, a line per problem naming file (and sheet), row and column, and an existing
    report left as it was."""
    _, change, file_part, field_part = case
    report = tmp_path / "report"
    report.mkdir()
    (report / "index.html").write_text("<p>previous</p>")
    change(tiny)
    assert main(["validate", str(tiny)]) == 2
    err = capsys.readouterr().err
    lines = [x for x in err.splitlines() if x.strip()]
    assert "Traceback" not in err and lines
    for line in lines:
        assert ERROR_LINE.match(line), line
    assert any(file_part in x and field_part in x for x in lines), lines
    assert main(["run", str(tiny), "--out", str(report)]) == 2
    capsys.readouterr()
    assert (report / "index.html").read_text() == "<p>previous</p>"


def test_template_refuses_to_overwrite_or_a_name_not_xlsx(tmp_path, capsys):
    out = tmp_path / "intake.xlsx"
    out.write_text("mine")
    assert main(["template", str(out)]) == 2
    assert "exists" in capsys.readouterr().err and out.read_text() == "mine"
    assert main(["template", str(tmp_path / "intake.csv")]) == 2
    assert "not an .xlsx name" in capsys.readouterr().err
    assert not (tmp_path / "intake.csv").exists()


def test_tiny_as_workbook_validates(tmp_path):
    """The tiny project's frame totals from a workbook sheet: the same table."""
    params = copy_project(tmp_path / "t") / "params" / "tiny.yaml"
    _book(params.parent.parent / "data" / "b.xlsx", {"frame_totals": _frame_rows(params)})
    want = em.load_inputs(em.load_params(TINY / "params" / "tiny.yaml"))["frame_totals"]
    _point_at(params, "../data/b.xlsx")
    got = em.load_inputs(em.load_params(params))["frame_totals"]
    assert got.values.tolist() == want.values.tolist()


def test_test_outcomes_as_researchers_write_them(tmp_path):
    """A criterion's tests (in_contract, beyond_market_standard) take yes/no/unclear in
    English or Dutch (ja/nee/onduidelijk), TRUE/FALSE and 1/0, in any case: the same table
    as the canonical words."""
    variant = copy_project(tmp_path / "p") / "variants" / "tiny-criteria.yaml"
    f = tmp_path / "p" / "data" / "criteria.csv"
    before = em.load_inputs(em.load_params(variant))["criteria"]
    lines = f.read_text().splitlines()
    spellings = {"yes": ["ja", "JA", "True", "1", "yes"], "no": ["nee", "Nee", "FALSE", "0"],
                 "unclear": ["onduidelijk", "Onduidelijk", "UNCLEAR"]}
    counter = {k: 0 for k in spellings}
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        for j in (5, 6):  # in_contract, beyond_market_standard
            word = cells[j]
            cells[j] = spellings[word][counter[word] % len(spellings[word])]
            counter[word] += 1
        out.append(",".join(cells))
    f.write_text("\n".join(out) + "\n")
    after = em.load_inputs(em.load_params(variant))["criteria"]
    assert after["in_contract"].tolist() == before["in_contract"].tolist()
    assert after["beyond_market_standard"].tolist() == before["beyond_market_standard"].tolist()
    assert set(before["in_contract"]) | set(before["beyond_market_standard"]) == {
        "yes", "no", "unclear"}


def test_an_unknown_test_outcome_names_every_spelling(tmp_path):
    variant = copy_project(tmp_path / "p") / "variants" / "tiny-criteria.yaml"
    f = tmp_path / "p" / "data" / "criteria.csv"
    lines = f.read_text().splitlines()
    cells = lines[1].split(",")
    cells[5] = "misschien"
    f.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n")
    r = subprocess.run([sys.executable, "-m", "effectmodel.cli", "validate", str(variant)],
                       capture_output=True, text=True)
    assert r.returncode == 2
    line = next(ln for ln in r.stderr.splitlines() if "in_contract" in ln)
    assert line.endswith("in_contract[line 2]: 'misschien' (allowed: yes, no, unclear; also "
                         "ja, nee, onduidelijk, true, false, 1, 0)"), line
    assert "Traceback" not in r.stderr


@pytest.mark.slow
def test_decimal_commas_in_a_comma_file_are_one_line_naming_the_cause(tiny):
    """Numbers written with a decimal comma, unquoted, in a comma-separated file: every row
    has a field too many. One line says so, names the likely cause and counts the other
    rows, instead of a line per row with no hint."""
    f = tiny.parent.parent / "data" / "frame_totals.csv"
    f.write_text(f.read_text().replace(",0.1,", ",0,1,"))
    r = subprocess.run([sys.executable, "-m", "effectmodel.cli", "validate", str(tiny)],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    lines = [ln for ln in r.stderr.splitlines() if "frame_totals.csv" in ln]
    assert lines == [
        "error: data/frame_totals.csv: line 2: 6 fields: the extra fields look like numbers "
        "written with a decimal comma, such as 12,5, in a file whose columns are separated "
        "by commas (and 5 more lines caused by this: 3, 4, 5, 6, 7) (allowed: 5 fields, as "
        "the header; numbers with a decimal comma in quotes, \"12,5\", or semicolons between "
        "the columns)"], r.stderr
    assert ERROR_LINE.match(lines[0])


def test_rows_of_the_wrong_length_without_a_decimal_comma_give_no_such_hint(tiny):
    f = tiny.parent.parent / "data" / "frame_totals.csv"
    text = f.read_text().splitlines()
    text[1] += ",extra"
    f.write_text("\n".join(text) + "\n")
    r = subprocess.run([sys.executable, "-m", "effectmodel.cli", "validate", str(tiny)],
                       capture_output=True, text=True)
    lines = [ln for ln in r.stderr.splitlines() if "frame_totals.csv" in ln]
    assert lines == ["error: data/frame_totals.csv: line 2: 6 fields (allowed: 5 fields, as "
                     "the header)"], r.stderr


def _validate_lines(params: Path) -> list[str]:
    r = subprocess.run([sys.executable, "-m", "effectmodel.cli", "validate", str(params)],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert all(ERROR_LINE.match(ln) for ln in lines), lines
    return lines


def test_a_typo_in_a_sampled_tenders_group_is_one_line_in_that_file(tiny):
    """A misspelt product group in one sampled tender: one line, in the file with the typo;
    not also 'no frame total for ...' in frame_totals.csv (which would invite fixing the
    wrong file) nor a factor of the wrong group."""
    f = tiny.parent.parent / "data" / "sampled_tenders.csv"
    lines = f.read_text().splitlines()
    assert lines[1].startswith("2015-2016,a,")
    lines[1] = lines[1].replace("2015-2016,a,", "2015-2016,aa,", 1)
    f.write_text("\n".join(lines) + "\n")
    assert _validate_lines(tiny) == [
        "error: data/sampled_tenders.csv: product_group[line 2]: unknown product group 'aa' "
        "(allowed: a, b)"]


@pytest.mark.slow
def test_an_unknown_group_is_one_line_per_file_with_its_other_rows_counted(tiny):
    f = tiny.parent.parent / "data" / "product_groups.csv"
    f.write_text(f.read_text().replace("\na,", "\naa,", 1))
    lines = _validate_lines(tiny)
    assert lines == [
        "error: data/frame_totals.csv: product_group[line 2]: unknown product group 'a' "
        "(and 2 more lines caused by this: 4, 6) (allowed: aa, b)",
        "error: data/sampled_tenders.csv: product_group[line 2]: unknown product group 'a' "
        "(and 5 more lines caused by this: 3, 7, 8, 11, 12) (allowed: aa, b)",
        "error: data/translation_factors.csv: product_group[line 2]: unknown product group "
        "'a' (allowed: aa, b)"]


def test_every_template_column_says_what_it_holds_in_both_languages():
    """A note for every column of every table, in English and in Dutch, each its own words
    (not the other language's, not just 'source'); a number column's note names its unit
    in brackets."""
    from effectmodel.domain.columnnotes import note
    from effectmodel.pipeline.intake import _template_columns

    for key in TABLES:
        for column in _template_columns(key):
            en, nl = note(key, column, "en"), note(key, column, "nl")
            assert en and nl and en != nl, (key, column)
            assert len(en) > 15 and len(nl) > 15, (key, column)
            if column in NUMERIC[key]:
                assert "[" in en and "[" in nl, (key, column, en)
