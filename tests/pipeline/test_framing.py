"""A sampling frame from a tender list and a stratified sample from it: one row per tender
or lot with the value used said, CPV codes the map does not know counted, inclusion
probabilities that reproduce the frame (Horvitz-Thompson), the same sample for the same
seed. Hand-computed answers in the docstrings."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ERROR_LINE, TENDER_LIST
from effectmodel.cli import main
from effectmodel.inputs.data import read_table
from effectmodel.model import frame as fr


@pytest.fixture
def tender_list(tmp_path):
    f = tmp_path / "tenders.csv"
    f.write_text(TENDER_LIST)
    return f


def test_frame_by_hand(tender_list, tmp_path, capsys):
    """2019-2020: T1 is one tender (two announcements; the award's 120 EUR is used), T2 a
    passenger car by its longer code (34111000 starts with 3411), T3 two lots in two travel
    sub-strata, T4 an unknown code (counted, not dropped), T5 outside the period.
    Company cars: 2 tenders, 320 EUR; business travel: 50 + 70 EUR."""
    out = tmp_path / "frame"
    assert main(["frame", str(tender_list), "--period", "2019-2020", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "7 announcements -> 5 tenders or lots in 2019-2020" in said
    assert "1 with 1 CPV codes the map does not know" in said
    totals = pd.read_csv(out / "frame_totals.csv")
    got = dict(zip(totals["product_group"], totals["frame_total_eur"], strict=True))
    assert got == {"buitenlandse-dienstreizen": 120.0, "dienstautos": 320.0}
    units = pd.read_csv(out / "frame_units.csv", dtype=str, keep_default_na=False)
    t1 = units[units["tender_id"] == "T1"].iloc[0]
    assert (t1["value"], t1["value_kind"], t1["announcements"], t1["date"]) == \
        ("120.0", "awarded", "2", "2019-02-01")
    subs = pd.read_csv(out / "sub_strata.csv")
    assert sorted(zip(subs["sub_stratum"], subs["frame_count"], strict=True)) == \
        [("all", 2), ("overige reisdiensten", 1), ("reisbureaudiensten", 1)]
    unknown = pd.read_csv(out / "unknown_cpv.csv", dtype=str)
    assert unknown.to_dict("records") == [{"cpv": "99999999", "units": "1",
                                           "value_eur": "999.0"}]
    # the frame files are intake tables: they read without a problem
    for key, name in (("frame_totals", "frame_totals.csv"), ("sub_strata", "sub_strata.csv")):
        assert read_table(key, out / name, name)[1] == []


@pytest.mark.slow
def test_sample_reproduces_the_frame(tmp_path):
    """Proportional allocation of 20 over strata of 40 / 30 / 10 tenders: 10 / 8 / 2
    (largest remainders: 10, 7.5, 2.5 -> 10, 8, 2). Sum of 1/pi over each stratum's sample
    = N_h exactly; the Horvitz-Thompson total sum(v/pi) averages to the frame total over
    300 seeds (within 4 standard errors); the same seed gives the same sample."""
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({
        "period": "2019-2020",
        "product_group": ["a"] * 40 + ["b"] * 30 + ["c"] * 10,
        "sub_stratum": "all",
        "tender_id": [f"t{i}" for i in range(80)], "lot": "",
        "value": rng.lognormal(10, 1, 80)})
    n_h = fr.allocate(frame, 20)
    assert n_h.to_dict() == {"a/all": 10, "b/all": 8, "c/all": 2}
    one = fr.draw(frame, n_h, seed=1)
    for s, grp in one.groupby("product_group"):
        assert (1 / grp["pi"]).sum() == pytest.approx((frame["product_group"] == s).sum(),
                                                      rel=1e-12)
    assert one.equals(fr.draw(frame, n_h, seed=1))
    assert not one["tender_id"].equals(fr.draw(frame, n_h, seed=2)["tender_id"])
    ht = np.array([(lambda d: (d["value"] / d["pi"]).sum())(fr.draw(frame, n_h, s))
                   for s in range(300)])
    assert ht.mean() == pytest.approx(frame["value"].sum(), abs=4 * ht.std() / np.sqrt(300))


def test_neyman_allocation_follows_the_spread():
    """Equal sizes, one stratum ten times the spread: Neyman gives it about ten times the
    sample (n_h proportional to N_h S_h)."""
    frame = pd.DataFrame({"product_group": ["a"] * 50 + ["b"] * 50, "sub_stratum": "",
                          "value": np.r_[np.linspace(0, 10, 50), np.linspace(0, 100, 50)]})
    n_h = fr.allocate(frame, 22, "neyman")
    assert n_h.to_dict() == {"a": 2, "b": 20}


def test_sample_command_writes_the_intake_format(tender_list, tmp_path, capsys):
    frame = tmp_path / "frame"
    main(["frame", str(tender_list), "--period", "2019-2020", "--out", str(frame)])
    out = tmp_path / "sample"
    assert main(["sample", str(frame / "frame_units.csv"), "--n", "3", "--seed", "7",
                 "--out", str(out)]) == 0
    assert "sample: 3 of 4 tenders in 3 strata" in capsys.readouterr().out
    df, problems = read_table("sampled_tenders", out / "sampled_tenders.csv", "s.csv")
    assert problems == [] and len(df) == 3
    # strata of 2, 1 and 1 tenders, 3 to draw: one company car, both travel lots
    ids = sorted(df["tender_id"])
    assert ids[1:] == ["T3/L1", "T3/L2"] and ids[0] in ("T1", "T2")
    design = pd.read_csv(out / "sample_design.csv").set_index("tender_id")
    assert design.loc[ids, "pi"].tolist() == [0.5, 1.0, 1.0]


def test_ocds_release_package(tmp_path, capsys):
    """An OCDS release package: a tender with two lots (estimated values) and an award for
    one lot: two units, one with the awarded value."""
    package = {"releases": [
        {"ocid": "ocds-x-1", "date": "2019-04-01T00:00:00Z", "buyer": {"name": "Gemeente A"},
         "tender": {"id": "T1", "classification": {"scheme": "CPV", "id": "09310000"},
                    "lots": [{"id": "1", "value": {"amount": 100}},
                             {"id": "2", "value": {"amount": 200}}]}},
        {"ocid": "ocds-x-1", "date": "2019-09-01T00:00:00Z", "buyer": {"name": "Gemeente A"},
         "tender": {"id": "T1", "classification": {"scheme": "CPV", "id": "09310000"}},
         "awards": [{"value": {"amount": 150}, "relatedLots": ["2"]}]}]}
    f = tmp_path / "releases.json"
    f.write_text(json.dumps(package))
    out = tmp_path / "frame"
    assert main(["frame", str(f), "--period", "2019-2020", "--out", str(out)]) == 0
    units = pd.read_csv(out / "frame_units.csv", dtype={"lot": str})
    got = dict(zip(units["lot"], zip(units["value"], units["value_kind"], strict=True),
                   strict=True))
    assert got == {"1": (100.0, "estimated"), "2": (150.0, "awarded")}
    assert pd.read_csv(out / "frame_totals.csv")["frame_total_eur"].tolist() == [250.0]


@pytest.mark.parametrize("args, what", [
    (["frame", "{list}", "--period", "2019-2020", "--out", "{out}", "--map", "{map}"],
     "(header): no column 'Datum' for date"),
    (["frame", "{bad_value}", "--period", "2019-2020", "--out", "{out}"],
     "tender/value/amount[line 4]: not a number: 'veel'"),
    (["frame", "{bad_date}", "--period", "2019-2020", "--out", "{out}"],
     "date[line 2]: not a date: '31-31-2019'"),
    (["frame", "{list}", "--period", "twintig", "--out", "{out}"], "--period: twintig"),
    (["frame", "{list}", "--period", "2019-2020", "--out", "{full}"],
     "exists and is not empty"),
    (["sample", "{list}", "--n", "3", "--seed", "1", "--out", "{out}"],
     "period: missing column"),
])
def test_bad_tender_lists(args, what, tender_list, tmp_path, capsys):
    """Exit 2, one line naming file, row and column; nothing written over."""
    (tmp_path / "map.yaml").write_text("columns: {tender_id: ocid, date: Datum, "
                                       "cpv: tender/classification/id, "
                                       "value: tender/value/amount}\n")
    (tmp_path / "bad_value.csv").write_text(TENDER_LIST.replace(",200,", ",veel,"))
    (tmp_path / "bad_date.csv").write_text(TENDER_LIST.replace("2019-02-01", "31-31-2019"))
    full = tmp_path / "full"
    full.mkdir()
    (full / "mine.txt").write_text("keep")
    names = {"list": tender_list, "out": tmp_path / "o", "map": tmp_path / "map.yaml",
             "bad_value": tmp_path / "bad_value.csv", "bad_date": tmp_path / "bad_date.csv",
             "full": full}
    assert main([a.format(**{k: str(v) for k, v in names.items()}) for a in args]) == 2
    err = capsys.readouterr().err
    lines = [x for x in err.splitlines() if x.strip()]
    assert "Traceback" not in err and all(ERROR_LINE.match(x) for x in lines), lines
    assert any(what in x for x in lines), lines
    assert (full / "mine.txt").read_text() == "keep" and sorted(p.name for p in full.iterdir()) \
        == ["mine.txt"]
    assert not (tmp_path / "o").exists()


MAPPING = [("Aanbesteding ID", "ocid"), ("Perceel ID", "tender/lots/id"),
           ("Publicatiedatum", "date"), ("CPV code hoofdopdracht", "tender/classification/id"),
           ("Geraamde waarde", "tender/value/amount"),
           ("Definitieve waarde", "awards/value/amount"), ("Datum gunning", "awards/date"),
           ("Aanbestedende dienst", "buyer/name"), ("Procedure", "tender/procurementMethod")]
DATA = [["Aanbesteding ID", "Publicatiedatum", "Aanbestedende dienst", "Procedure",
         "Perceel ID", "CPV code hoofdopdracht", "Geraamde waarde", "Definitieve waarde",
         "Datum gunning"],
        ["101", "15-03-2019", "Gemeente A", "Openbaar", "", "34110000-1", "1.234,56", "", ""],
        ["101", "20-06-2019", "Gemeente A", "Openbaar", "", "34110000-1", "",
         "1.300,00", "20-06-2019"],
        ["102", "01-12-2018", "Provincie B", "Openbaar", "", "34111000-4", "10.000,5", "",
         "05-01-2019"],
        ["103", "10-10-2020", "Rijk", "Openbaar", "", "34110000-1", "99,99", "", ""]]


def tenderned_workbook(path, mapping=MAPPING, data_name="OpenData sheet"):
    """A workbook as TenderNed publishes it: an explanation sheet, the data sheet (Dutch
    dates, amounts typed as text with decimal commas) and the tab "Mapping OCDS"."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Toelichting"
    book.active.append(["Dataset aanbestedingen, zie tabblad Mapping OCDS"])
    sheet = book.create_sheet(data_name)
    for row in DATA:
        sheet.append(row)
    tab = book.create_sheet("Mapping OCDS")
    tab.append(["Veldnaam TenderNed", "OCDS path", "Toelichting"])
    for name, ocds_path in mapping:
        tab.append([name, ocds_path, ""])
    book.save(path)
    return path


def test_a_tenderned_workbook_needs_no_map(tmp_path, capsys):
    """The data sheet found by its mapped headers (not its name) and read through the tab:
    101 awarded 1,300.00 EUR on 20-06-2019; 102 published in 2018 but awarded on
    05-01-2019, so in 2019-2020, at its estimate 10,000.50 EUR; 103 in 2020 at 99.99 EUR.
    Company cars: 3 tenders, 11,400.49 EUR."""
    book = tenderned_workbook(tmp_path / "Dataset_TenderNed.xlsx", data_name="Blad 7")
    out = tmp_path / "frame"
    assert main(["frame", str(book), "--period", "2019-2020", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "read by TenderNed's tab 'Mapping OCDS'" in said
    assert "1 by their award date" not in said and "2 by their award date" in said
    totals = pd.read_csv(out / "frame_totals.csv")
    assert totals["frame_total_eur"].tolist() == [pytest.approx(11400.49, abs=1e-9)]
    units = pd.read_csv(out / "frame_units.csv", dtype=str, keep_default_na=False)
    got = {u["tender_id"]: (u["value"], u["date"], u["published"]) for u in
           units.to_dict("records")}
    assert got == {"101": ("1300.0", "2019-06-20", "2019-03-15"),
                   "102": ("10000.5", "2019-01-05", "2018-12-01"),
                   "103": ("99.99", "2020-10-10", "2020-10-10")}


def test_a_mapping_without_a_needed_path_says_which(tmp_path, capsys):
    book = tenderned_workbook(tmp_path / "t.xlsx", mapping=[
        m for m in MAPPING if m[1] != "tender/classification/id"])
    out = tmp_path / "frame"
    assert main(["frame", str(book), "--period", "2019-2020", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and ERROR_LINE.match(err[0]), err
    assert "t.xlsx#Mapping OCDS: OCDS path: no column maps to tender/classification/id or " \
           "tender/items/classification/id for the cpv (allowed: give the columns with " \
           "--map)" in err[0]
    assert not out.exists()
    # a map given overrides the tab
    (tmp_path / "map.yaml").write_text(
        "columns: {tender_id: Aanbesteding ID, date: Publicatiedatum, "
        "cpv: CPV code hoofdopdracht, value: Geraamde waarde}\n")
    assert main(["frame", f"{book}#OpenData sheet", "--period", "2019-2020", "--out",
                 str(out), "--map", str(tmp_path / "map.yaml")]) == 0


def test_a_tenderned_path_given_by_two_columns_is_refused(tmp_path, capsys):
    """Two columns mapped to awards/value/amount: the award values were dropped; now the
    mapping is refused, naming both columns."""
    book = tenderned_workbook(tmp_path / "t.xlsx", mapping=[
        *(m for m in MAPPING if m[0] != "Procedure"), ("Procedure", "awards/value/amount")])
    out = tmp_path / "frame"
    assert main(["frame", str(book), "--period", "2019-2020", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and ERROR_LINE.match(err[0]), err
    assert "awards/value/amount is the path of 2 columns: 'Procedure', 'Definitieve " \
           "waarde'" in err[0]
    assert not out.exists()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=14), st.from_regex(r"\d{8}-\d", fullmatch=True)),
                max_size=20))
@pytest.mark.slow
def test_cpv_digits_vectorised_equals_one_by_one(codes):
    assert fr.cpv_digits_of(pd.Series(codes, dtype=object)).tolist() == \
        [fr.cpv_digits(c) for c in codes]


def test_sample_takes_dominant_tenders_with_certainty(tmp_path, capsys):
    """One tender worth 60% of its stratum among twenty small ones, n 5: it is taken with
    certainty (a sub-stratum of its own, take_all yes, frame count 1, pi 1) and four are
    drawn from the other twenty; --take-all 0 takes none."""
    frame = pd.DataFrame({"period": "2019-2020", "product_group": "gas", "sub_stratum": "all",
                          "tender_id": [f"T{i}" for i in range(21)], "lot": "",
                          "value": [300.0] + [10.0] * 20})
    units = tmp_path / "frame_units.csv"
    frame.to_csv(units, index=False)
    out = tmp_path / "sample"
    assert main(["sample", str(units), "--n", "5", "--seed", "3", "--out", str(out)]) == 0
    assert "1 taken with certainty" in capsys.readouterr().out
    ss = pd.read_csv(out / "sub_strata.csv").set_index("sub_stratum")
    assert ss.loc["all/take-all", ["frame_count", "take_all"]].tolist() == [1, "yes"]
    assert ss.loc["all", ["frame_count", "take_all"]].tolist() == [20, "no"]
    design = pd.read_csv(out / "sample_design.csv").set_index("tender_id")
    assert design.loc["T0", "pi"] == 1.0 and len(design) == 5
    assert (design.drop(index="T0")["pi"] == 4 / 20).all()
    df, problems = read_table("sub_strata", out / "sub_strata.csv", "s.csv")
    assert problems == []
    none = tmp_path / "none"
    assert main(["sample", str(units), "--n", "5", "--seed", "3", "--take-all", "0",
                 "--out", str(none)]) == 0
    assert "take_all" in pd.read_csv(none / "sub_strata.csv").columns
    assert (pd.read_csv(none / "sub_strata.csv")["take_all"] == "no").all()
