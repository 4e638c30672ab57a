"""The footprint of each buying organisation in a tender list, and of planned tenders: by
hand on a seven-row list with fixed intensities (a 0.5 and b 0.2 kg CO2-eq per euro); the
organisations' draws sum to the list's draw by draw; bad input in one line and nothing
written; the column names in the params' language."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import ERROR_LINE, RTOL_EXACT, TENDER_LIST, copy_project
from effectmodel.cli import main
from effectmodel.model import organisations as org

INTENSITIES = """group,indicator,intensity_dist,intensity_low,intensity_mode,intensity_high,source
a,co2_eq,fixed,0.5,0.5,0.5,assumption: test
b,co2_eq,fixed,0.2,0.2,0.2,assumption: test
"""
MAP = "division,group\n34,a\n79,b\n63,b\n"
PLANNED = "id,cpv,value_eur\np1,34110000-1,2500\np2,99000000-0,10\n"


@pytest.fixture
def setup(tmp_path):
    params = copy_project(tmp_path / "p") / "variants" / "tiny-criteria.yaml"
    data = params.parent.parent / "data"
    (data / "spend_intensities.csv").write_text(INTENSITIES)
    params.write_text(params.read_text().replace(
        "  published_indicators: ../data/published_indicators.csv\n",
        "  published_indicators: ../data/published_indicators.csv\n"
        "  spend_intensities: ../data/spend_intensities.csv\n"))
    (tmp_path / "tenders.csv").write_text(TENDER_LIST)
    (tmp_path / "map.csv").write_text(MAP)
    (tmp_path / "planned.csv").write_text(PLANNED)
    return tmp_path, params


def run(tmp, params, *extra, out="fp"):
    return main(["footprint", str(tmp / "tenders.csv"), "--params", str(params),
                 "--period", "2019-2020", "--out", str(tmp / out),
                 "--spend-map", str(tmp / "map.csv"), *extra])


def test_organisations_by_hand(setup, capsys):
    """2019-2020, two years, so per year half of each amount: Gemeente A 120 EUR awarded in
    a (60 EUR a year, 30 kg = 0.03 t), Provincie B 200 EUR in a (0.05 t), Rijk 50 + 70 EUR
    in b (60 EUR a year, 12 kg = 0.012 t, 0.2 kg per euro); T4's division 99 is not in
    the map (999 EUR, listed); T5 is of 2018. In all 0.092 t a year on 220 EUR a year; four
    of the five tenders or lots of the period counted."""
    tmp, params = setup
    assert run(tmp, params, "--planned", str(tmp / "planned.csv")) == 0
    said = capsys.readouterr().out
    assert "4 of 5 tenders or lots counted for 3 organisations, EUR 440 in all" in said, said
    assert "co2_eq: 0.092 t CO2-eq per year" in said, said
    o = pd.read_csv(tmp / "fp" / "organisations.csv").set_index("organisation")
    assert list(o.index) == ["Provincie B", "Gemeente A", "Rijk"]  # by spend, stable
    want = {"Gemeente A": (60, 0.03, 0.5), "Provincie B": (100, 0.05, 0.5),
            "Rijk": (60, 0.012, 0.2)}
    for name, (eur, t, per) in want.items():
        assert o.at[name, "spend [EUR per year]"] == pytest.approx(eur, rel=RTOL_EXACT)
        for k in ("central", "median", "low", "high"):
            assert o.at[name, f"co2_eq {k} [t CO2-eq per year]"] == pytest.approx(
                t, rel=RTOL_EXACT)
            assert o.at[name, f"co2_eq {k} [kg CO2-eq per EUR]"] == pytest.approx(
                per, rel=RTOL_EXACT)
    assert o.at["Rijk", "largest groups (share of co2_eq)"] == "b 100%"
    totals = pd.read_csv(tmp / "fp" / "footprint_totals.csv").set_index("scope")
    total = totals.loc["tender list"]
    # the national figure beside it: the tiny frame totals of 2019-2020 per year, a 500 EUR
    # at 0.5 and b 1,000 EUR at 0.2: (250 + 200) / 1,500 = 0.3 kg per euro
    national = totals.loc["national spend 2019-2020"]
    assert national["central [kg CO2-eq per EUR]"] == pytest.approx(0.3, rel=RTOL_EXACT)
    assert o.at["Gemeente A", "co2_eq central per euro / national [-]"] == pytest.approx(
        0.5 / 0.3, rel=RTOL_EXACT)
    assert "national, 2019-2020: 0.3" in said
    assert total["central [t CO2-eq per year]"] == pytest.approx(0.092, rel=RTOL_EXACT)
    assert total["central [kg CO2-eq per EUR]"] == pytest.approx(0.092e3 / 220,
                                                                 rel=RTOL_EXACT)
    assert o["co2_eq central [t CO2-eq per year]"].sum() == pytest.approx(0.092,
                                                                          rel=RTOL_EXACT)
    un = pd.read_csv(tmp / "fp" / "unmapped_cpv.csv", dtype={"division": str})
    assert un.to_dict("records") == [{"division": "99", "units": 1, "spend [EUR]": 999.0}]
    pl = pd.read_csv(tmp / "fp" / "planned.csv").set_index("id")
    assert pl.at["p1", "co2_eq median [t CO2-eq]"] == pytest.approx(1.25, rel=RTOL_EXACT)
    assert pl.at["p1", "co2_eq median [kg CO2-eq per EUR]"] == pytest.approx(0.5)
    assert np.isnan(pl.at["p2", "co2_eq median [t CO2-eq]"])
    assert "planned tenders without a spend group: p2" in said
    book = pd.ExcelFile(tmp / "fp" / "footprint.xlsx")
    assert book.sheet_names == ["organisations", "organisation_groups", "footprint_totals",
                                "unmapped_cpv", "planned"]


def test_organisations_sum_to_the_whole_draw_by_draw():
    """Uncertain intensities: each draw's organisation footprints sum to the footprint of
    the whole spend in that draw (to rounding), and the central figures too."""
    rng = np.random.default_rng(3)
    spend = rng.gamma(0.5, 1e6, size=(40, 5))
    spend[rng.random(spend.shape) < 0.5] = 0.0
    intensity = rng.lognormal(-1.0, 0.4, size=(2_000, 5))
    each = org.organisation_draws(spend, intensity, 1e-3)
    whole = org.organisation_draws(spend.sum(axis=0, keepdims=True), intensity, 1e-3)[:, 0]
    np.testing.assert_allclose(each.sum(axis=1), whole, rtol=1e-12)
    modes = np.exp(-1.0) * np.ones(5)
    f = org.organisation_footprints(spend, intensity, modes, 1e-3, 0.9)
    w = org.organisation_footprints(spend.sum(axis=0, keepdims=True), intensity, modes, 1e-3,
                                    0.9)
    assert f["central"].sum() == pytest.approx(w["central"][0], rel=1e-12)
    assert np.all(f["low"] <= f["median"]) and np.all(f["median"] <= f["high"])


def test_the_column_names_follow_the_params_language(setup, capsys):
    tmp, params = setup
    params.write_text(params.read_text().replace("language: en", "language: nl"))
    assert run(tmp, params) == 0
    said = capsys.readouterr().out
    assert "0,092 t CO2-eq per jaar (mediaan" in said and "per year" not in said, said
    o = pd.read_csv(tmp / "fp" / "organisations.csv")
    assert {"organisatie", "co2_eq mediaan [t CO2-eq per jaar]",
            "grootste groepen (aandeel in co2_eq)"} <= set(o.columns), list(o.columns)


@pytest.mark.parametrize(("change", "said"), [
    (lambda t: (t / "map.csv").write_text("division,group\n34,c\n"),
     "group[line 2]: 'c' has no co2_eq intensity"),
    (lambda t: (t / "planned.csv").write_text("id,cpv,value_eur\np1,x,5\n"),
     "cpv[line 2]"),
    (lambda t: (t / "planned.csv").write_text("id,cpv,value_eur\np1,34110000-1,-5\n"),
     "value_eur[line 2]"),
])
def test_bad_input_is_one_line_and_writes_nothing(setup, capsys, change, said):
    tmp, params = setup
    change(tmp)
    assert run(tmp, params, "--planned", str(tmp / "planned.csv")) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and ERROR_LINE.match(err[0]) and said in err[0], err
    assert not (tmp / "fp").exists()


def test_a_full_folder_is_refused_before_any_work(setup, capsys):
    tmp, params = setup
    (tmp / "fp").mkdir()
    (tmp / "fp" / "mine.txt").write_text("the user's")
    assert run(tmp, params) == 2
    assert (tmp / "fp" / "mine.txt").read_text() == "the user's"
    assert "exists and is not empty" in capsys.readouterr().err


def test_a_dutch_planned_file_is_read_by_its_own_dialect(setup):
    """Excel's Dutch CSV: semicolons and decimal commas, so 2.500,00 is 2,500 EUR, never
    2.5 (the dot a thousands separator in this file's dialect)."""
    tmp, params = setup
    (tmp / "planned.csv").write_text("id;cpv;value_eur\np1;34110000-1;2.500,00\n")
    assert run(tmp, params, "--planned", str(tmp / "planned.csv")) == 0
    pl = pd.read_csv(tmp / "fp" / "planned.csv").set_index("id")
    assert pl.at["p1", "value_eur"] == pytest.approx(2500.0, rel=RTOL_EXACT)
    assert pl.at["p1", "co2_eq median [t CO2-eq]"] == pytest.approx(1.25, rel=RTOL_EXACT)


def test_a_spend_map_saved_by_dutch_excel_is_read_by_its_dialect(setup):
    """The map read as every input table is: semicolons and all, the same figures."""
    tmp, params = setup
    (tmp / "map.csv").write_text(MAP.replace(",", ";"))
    assert run(tmp, params) == 0
    o = pd.read_csv(tmp / "fp" / "organisations.csv").set_index("organisation")
    assert o.at["Rijk", "co2_eq central [t CO2-eq per year]"] == pytest.approx(
        0.012, rel=RTOL_EXACT)
