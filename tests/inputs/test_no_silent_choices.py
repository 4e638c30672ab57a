"""Choices that were made without a word, each now a one-line refusal or a reading that
keeps its row: line breaks in written text, keys given twice, two columns on one OCDS path,
formula cells without a value, required columns named as the current format has them, and
the Dutch CSV templates as Dutch Excel writes them."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

import effectmodel as em
from conftest import ERROR_LINE, ROOT
from effectmodel.cli import main
from effectmodel.domain.errors import InputError
from effectmodel.inputs.data import read_table
from effectmodel.inputs.yamlfiles import read_yaml
from effectmodel.pipeline.framing import write_csv


def test_a_line_break_inside_a_text_cell_never_splits_its_row(tmp_path):
    """A buyer name with a CR (as an OCDS release may hold) used to end its row in
    frame_units.csv, which every reader takes a line at a time: a phantom row."""
    df = pd.DataFrame({"tender_id": ["T1", "T2", "T3"],
                       "buyer": ["Gemeente\rA", "Provincie\r\nB", "Rijk\nC"],
                       "value": [1.0, 2.0, 3.0]})
    write_csv(df, tmp_path / "u.csv")
    text = (tmp_path / "u.csv").read_text()
    rows = list(csv.reader(text.splitlines()))
    assert len(rows) == 4 and [r[1] for r in rows[1:]] == ["Gemeente A", "Provincie B",
                                                           "Rijk C"]


def test_a_key_given_twice_in_a_params_file_is_refused(tmp_path, capsys):
    text = (ROOT / "params" / "reference.yaml").read_text()
    p = tmp_path / "p.yaml"
    p.write_text(text.replace("run:\n", "run:\n  seed: 7\n", 1))
    with pytest.raises(InputError, match=r"key 'seed' given twice, first at line"):
        read_yaml(p, "a params file")
    assert main(["validate", str(p)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and ERROR_LINE.match(err[0]) and "given twice" in err[0]


def test_a_formula_cell_without_a_value_is_refused_with_its_address(tmp_path):
    """openpyxl writes formulas without a calculated value, as any program that does not
    calculate does: read with data_only, such a cell was empty and then imputed."""
    book = Workbook()
    sheet = book.active
    sheet.title = "frame_totals"
    sheet.append(["period", "product_group", "frame_total_eur", "relative_uncertainty",
                  "source"])
    sheet.append(["2019-2020", "a", 1000, 0.1, "assumption: x"])
    sheet.append(["2019-2020", "b", "=C2*2", 0.1, "assumption: x"])
    book.save(tmp_path / "f.xlsx")
    df, problems = read_table("frame_totals", tmp_path / "f.xlsx", "f.xlsx")
    assert df is None and len(problems) == 1
    assert problems[0].field == "(sheet)" and "C3" in problems[0].message


def test_a_missing_column_names_the_current_formats_columns(tmp_path):
    """sampled_tenders without weight: the one-criterion columns (has_effect, factor_id,
    quantity) are not required, and the message does not say they are."""
    src = ROOT / "tests" / "data" / "tiny" / "data" / "sampled_tenders.csv"
    rows = list(csv.reader(io.StringIO(src.read_text())))
    at = rows[0].index("weight")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r[:at] + r[at + 1:] for r in rows])
    (tmp_path / "s.csv").write_text(out.getvalue())
    _, problems = read_table("sampled_tenders", tmp_path / "s.csv", "s.csv")
    assert [p.field for p in problems] == ["weight"]
    assert "required: period, product_group, tender_id, value_eur, weight, source" in \
        problems[0].message
    assert "has_effect" not in problems[0].message


def test_dutch_csv_templates_are_dutch_excel_csv(tmp_path):
    """init --lang nl --data csv: semicolons, a UTF-8 BOM and CRLF, so that Dutch Excel
    opens them in columns; and read back as such."""
    assert main(["init", str(tmp_path / "p"), "--lang", "nl", "--data", "csv"]) == 0
    raw = (tmp_path / "p" / "data" / "frame_totals.csv").read_bytes()
    assert raw == b"\xef\xbb\xbfperiod;product_group;frame_total_eur;relative_uncertainty;" \
                  b"source\r\n"
    en = tmp_path / "e"
    assert main(["init", str(en), "--lang", "en", "--data", "csv"]) == 0
    assert (en / "data" / "frame_totals.csv").read_bytes() == \
        b"period,product_group,frame_total_eur,relative_uncertainty,source\n"
    notes = (tmp_path / "p" / "data" / "columns.md").read_text()
    assert "award = gunningscriterium" not in notes and "ambitieus" in notes


def test_a_header_with_commas_over_rows_with_semicolons_says_so(tmp_path):
    f = tmp_path / "f.csv"
    f.write_text("period,product_group,frame_total_eur,relative_uncertainty,source\n"
                 "2019-2020;a;1000;0,1;assumption: x\n")
    _, problems = read_table("frame_totals", f, "f.csv")
    assert len(problems) == 1
    assert "semicolons" in problems[0].message and "commas" in problems[0].message


def test_init_from_a_project_as_a_workbook_writes_the_workbook(tmp_path, capsys):
    """init --from P --data xlsx: the intake workbook with P's data (it wrote CSV files);
    the project validates and reads the same tables."""
    out = tmp_path / "p"
    assert main(["init", str(out), "--from", str(ROOT / "params" / "tracking.yaml"),
                 "--data", "xlsx"]) == 0
    assert "data/intake.xlsx" in capsys.readouterr().out
    assert sorted(p.name for p in (out / "data").iterdir()) == ["intake.xlsx"]
    book = load_workbook(out / "data" / "intake.xlsx")
    assert book["buyer_group_tenders"].max_row > 1
    params = out / "params" / "p.yaml"
    assert main(["validate", str(params)]) == 0
    got = em.load_inputs(em.load_params(params))
    want = em.load_inputs(em.load_params(ROOT / "params" / "tracking.yaml"))
    assert sorted(got.tables) == sorted(want.tables)
    for key in want.tables:
        assert got.tables[key].equals(want.tables[key]), key
