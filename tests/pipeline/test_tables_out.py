"""Every table of a briefing beside it, as CSV files and as one workbook: the figures of
summary.json, numbers as numbers, units in the headers, the same bytes every time."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from conftest import ROOT, RTOL_MACHINE
from effectmodel.pipeline.outputs import write_tables

REPORT = ROOT / "reports" / "reference"


def test_the_reference_tables_hold_the_summary_figures():
    summary = json.loads((REPORT / "summary.json").read_text(encoding="utf-8"))
    book = load_workbook(REPORT / "tables.xlsx", read_only=True)
    assert book.sheetnames == ["headline", "buyer_groups", "buyer_group_tenders",
                               "product_groups", "periods", "indicators", "spend_impact",
                               "spend_years", "variance_budget"]
    years = list(book["spend_years"].iter_rows(values_only=True))
    head = list(years[0])
    last = dict(zip(head, years[-1], strict=True))
    assert last["year"] == "2023" and last["spend [EUR per year]"] == 116_200_000_000
    assert last["co2_eq median [t CO2-eq per year]"] == pytest.approx(
        summary["spend_impact"]["years"][-1]["footprint"]["co2_eq"]["median"], rel=1e-11)
    rows = list(book["headline"].iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:4] == ["figure", "unit", "as planned or published", "published bound"]
    bg = dict(zip(header, rows[1], strict=True))
    assert bg["figure"] == "buyer groups, all quantified" and bg["unit"] == "t CO2-eq"
    assert isinstance(bg["median"], float)  # a number Excel computes with, not text
    assert bg["median"] == pytest.approx(summary["buyer_groups"]["total_t"]["median"],
                                         rel=RTOL_MACHINE)
    periods = list(book["periods"].iter_rows(values_only=True))
    p = dict(zip(periods[0], periods[3], strict=True))  # 2019-2020
    want = summary["effect_monitor"]["periods"][2]
    assert p["period"] == "2019-2020"
    assert p["median [t CO2-eq]"] == pytest.approx(want["total_t"]["median"], rel=RTOL_MACHINE)
    assert p["criteria counted"] == want["criteria"]["counted"]
    assert p["per year median [t CO2-eq per year]"] == pytest.approx(
        want["total_t_per_year"]["median"], rel=RTOL_MACHINE)
    # the CSV files hold the same as the sheets, to the 12 significant digits of the figures
    csv_ = pd.read_csv(REPORT / "tables" / "periods.csv")
    assert csv_["median [t CO2-eq]"].tolist() == pytest.approx(
        [r[list(periods[0]).index("median [t CO2-eq]")] for r in periods[1:]],
        rel=RTOL_MACHINE)
    ind = pd.read_csv(REPORT / "tables" / "indicators.csv")
    nox = ind[(ind["indicator"] == "nox") & (ind["period"] == "2019-2020")].iloc[0]
    assert nox["RIVM published [kg NOx]"] == 1433.0
    assert nox["central [kg NOx]"] == pytest.approx(1433.0, rel=1e-9)
    # the footprint of the spend: each group's CO2-eq at the modes is spend x intensity
    si = pd.read_csv(REPORT / "tables" / "spend_impact.csv")
    bouw = si[si["group"] == "bouw"].iloc[0]
    assert bouw["co2_eq central [t CO2-eq per year]"] == pytest.approx(
        bouw["spend [EUR per year]"] * bouw["co2_eq [kg CO2-eq per EUR]"] / 1000, rel=1e-9)
    # calibrated at the median (RIVM's 22 Mt): the modes' sum lies below it, by the factor
    co2 = next(i for i in summary["spend_impact"]["indicators"] if i["id"] == "co2_eq")
    assert co2["total"]["median"] == pytest.approx(22e6, rel=1e-9)
    assert si["co2_eq central [t CO2-eq per year]"].sum() == pytest.approx(co2["central"],
                                                                           rel=1e-9)
    assert co2["central"] < co2["total"]["median"]


def test_the_same_summary_gives_the_same_bytes(tmp_path):
    """Written twice (and as committed): the same bytes, CSV and workbook alike."""
    summary = json.loads((REPORT / "summary.json").read_text(encoding="utf-8"))
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        written = write_tables(summary, tmp_path / name)
    assert "tables.xlsx" in written and "tables/headline.csv" in written
    for rel in written:
        one = (tmp_path / "a" / rel).read_bytes()
        assert one == (tmp_path / "b" / rel).read_bytes(), rel
        assert one == (REPORT / rel).read_bytes(), rel


def test_workbooks_written_side_by_side_keep_their_bytes(tmp_path):
    """Builds write reports in threads: workbooks saved at once have the same bytes."""
    from concurrent.futures import ThreadPoolExecutor

    summary = json.loads((REPORT / "summary.json").read_text(encoding="utf-8"))
    folders = [tmp_path / str(i) for i in range(6)]
    for f in folders:
        f.mkdir()
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(lambda f: write_tables(summary, f), folders))
    want = (REPORT / "tables.xlsx").read_bytes()
    assert all((f / "tables.xlsx").read_bytes() == want for f in folders)


def test_a_dutch_briefings_tables_speak_dutch_with_the_same_figures():
    """tables.xlsx and tables/*.csv of a Dutch briefing: Dutch column names, figure labels
    and names; the figures those of the English tables of the same summary."""
    from effectmodel.report.tables import briefing_tables

    nl = ROOT / "reports" / "reference-nl"
    book = load_workbook(nl / "tables.xlsx", read_only=True)
    rows = list(book["periods"].iter_rows(values_only=True))
    assert rows[0][:3] == ("periode", "centraal [t CO2-eq]", "mediaan [t CO2-eq]")
    headline = list(book["headline"].iter_rows(values_only=True))
    assert headline[0][:4] == ("cijfer", "eenheid", "zoals gepland of gepubliceerd",
                               "gepubliceerde grens")
    assert headline[1][0] == "buyer groups, alle gekwantificeerd"
    groups = pd.read_csv(nl / "tables" / "product_groups.csv")
    assert groups["naam"].iloc[0] == "dienstauto's"  # name_nl of the product group
    summary = json.loads((nl / "summary.json").read_text(encoding="utf-8"))
    dutch = briefing_tables(summary)["periods"]
    english = briefing_tables({**summary, "language": "en"})["periods"]
    pd.testing.assert_frame_equal(dutch.set_axis(english.columns, axis=1), english)
