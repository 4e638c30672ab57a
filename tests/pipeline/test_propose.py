"""`effectmodel track --propose`: releases scored against the tenders no ocid or tender id
matched, written as proposals that nothing uses until a researcher copies one into the
outcome table; and the matching columns of the tender table, read and refused as any."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

from conftest import ERROR_LINE, copy_project
from effectmodel.cli import main
from effectmodel.model.matching import THRESHOLD

HEAD = "tender_id,status,date,ocid,quantity,in_contract,beyond_market_standard,source\n"


def project(tmp_path, cells: dict[str, str], t1: str = "Levering strooizout Breda 2024"):
    """The tiny project, its tenders given the matching columns (``cells``: tender_id ->
    'buyer,cpv,expected_date,value_eur'), t1 described as ``t1``, t3 published with an
    outcome row."""
    params = copy_project(tmp_path / "p") / "params" / "tiny.yaml"
    data = params.parent.parent / "data"
    path = data / "buyer_group_tenders.csv"
    lines = path.read_text().splitlines()
    lines[0] += ",buyer,cpv,expected_date,value_eur"
    for i, line in enumerate(lines[1:], start=1):
        tid = line.split(",", 1)[0]
        if tid == "t1":
            line = line.replace(",first,", f",{t1},")
        lines[i] = line + "," + cells.get(tid, ",,,")
    path.write_text("\n".join(lines) + "\n")
    (data / "buyer_group_outcomes.csv").write_text(
        HEAD + "t3,published,2020-01-10,,,,,assumption: test\n")
    params.write_text(params.read_text().replace(
        "  buyer_group_tenders: ../data/buyer_group_tenders.csv\n",
        "  buyer_group_tenders: ../data/buyer_group_tenders.csv\n"
        "  buyer_group_outcomes: ../data/buyer_group_outcomes.csv\n"))
    return params


def release(ocid, date, tag, **tender):
    return {"ocid": ocid, "id": f"{ocid}-{date}", "date": f"{date}T09:00:00Z", "tag": [tag],
            "buyer": {"name": tender.pop("buyer", "Gemeente Breda")}, "tender": tender}


def releases(tmp_path):
    """t3 by its tender id; for t1 its release (and its award) and a decoy of the same buyer
    two years before; a release of another buyer and theme; nothing for t2."""
    salt = {"scheme": "CPV", "id": "14410000-8"}
    package = {"releases": [
        release("ocds-x-3", "2020-01-10", "tender", id="t3"),
        release("ocds-x-1", "2020-04-15", "tender", id="TN-1",
                title="Levering strooizout Breda 2024-2027", classification=salt,
                value={"amount": 520000, "currency": "EUR"}),
        release("ocds-x-1", "2020-06-01", "award", id="TN-1"),
        release("ocds-x-0", "2018-03-02", "tender", id="TN-0",
                title="Levering strooizout Breda 2022", classification=salt,
                value={"amount": 480000, "currency": "EUR"}),
        release("ocds-x-9", "2020-05-01", "tender", id="TN-9", buyer="Gemeente Tilburg",
                title="Catering", classification={"scheme": "CPV", "id": "55520000-1"}),
    ]}
    path = tmp_path / "releases.json"
    path.write_text(json.dumps(package))
    return path


def rows(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_a_proposal_is_written_and_used_only_once_copied(tmp_path, capsys):
    params = project(tmp_path, {"t1": "Gemeente Breda,14410000-8,2020-03-01,500000"})
    src = releases(tmp_path)
    out = tmp_path / "tracked"
    assert main(["track", str(src), "--params", str(params), "--out", str(out),
                 "--propose"]) == 0
    said = capsys.readouterr().out
    assert "1 of 2 unmatched tenders have a proposed release" in said
    got = rows(out / "proposals.csv")
    t1 = [r for r in got if r["tender_id"] == "t1"]
    assert (t1[0]["ocid"], t1[0]["proposed"], t1[0]["rank"]) == ("ocds-x-1", "yes", "1")
    # the decoy, two years before, is listed below the threshold or not at all
    assert all(float(r["score"]) < THRESHOLD for r in t1[1:])
    best = t1[0]
    assert (best["status"], best["date"], best["days_apart"], best["cpv_similarity"],
            best["number_conflict"], best["buyer_words_shared"]) == (
        "published", "2020-04-15", "45", "1.000", "no", "1.000")
    assert float(best["score"]) >= THRESHOLD
    assert not any(r["proposed"] == "yes" for r in got if r["tender_id"] != "t1")
    # the outcome table has only what the releases' ids gave: the proposal is not used
    assert [r["tender_id"] for r in rows(out / "buyer_group_outcomes.csv")] == ["t3"]

    # copied into the outcome table, the proposal's ocid matches the next time
    table = params.parent.parent / "data" / "buyer_group_outcomes.csv"
    table.write_text(table.read_text() + f"t1,{best['status']},{best['date']},{best['ocid']}"
                     f",,,,\"{best['source']}\"\n")
    assert main(["validate", str(params)]) == 0
    again = tmp_path / "again"
    assert main(["track", str(src), "--params", str(params), "--out", str(again)]) == 0
    assert "2 of 3 buyer-group tenders matched" in capsys.readouterr().out
    assert [(r["tender_id"], r["status"], r["ocid"]) for r in
            rows(again / "buyer_group_outcomes.csv")] == [
        ("t1", "published", "ocds-x-1"), ("t1", "awarded", "ocds-x-1"),
        ("t3", "published", "ocds-x-3")]
    assert not (again / "proposals.csv").exists()


def test_a_tender_with_its_description_only_is_proposed_nothing_weak(tmp_path, capsys):
    """No buyer, CPV, date or value, and words every such title has: weak evidence, so t1's
    releases are listed with their scores but not proposed at the default threshold."""
    params = project(tmp_path, {}, t1="Levering strooizout")
    out = tmp_path / "tracked"
    assert main(["track", str(releases(tmp_path)), "--params", str(params), "--out",
                 str(out), "--propose"]) == 0
    got = pd.read_csv(out / "proposals.csv", dtype=str, keep_default_na=False)
    assert (got["proposed"] == "no").all()
    assert got.loc[got["tender_id"] == "t1", "ocid"].iloc[0] in ("ocds-x-1", "ocds-x-0")
    assert (got["buyer_similarity"] == "").all()
    assert main(["track", str(releases(tmp_path)), "--params", str(params), "--out",
                 str(tmp_path / "low"), "--threshold", "0.01"]) == 0
    assert "have a proposed release (score >= 0.01)" in capsys.readouterr().out


@pytest.mark.parametrize("threshold", ["1.5", "-0.1", "nan"])
def test_a_threshold_outside_0_to_1_is_refused_before_any_work(tmp_path, capsys, threshold):
    params = project(tmp_path, {})
    out = tmp_path / "tracked"
    assert main(["track", str(releases(tmp_path)), "--params", str(params), "--out",
                 str(out), "--threshold", threshold]) == 2
    err = capsys.readouterr().err
    assert ERROR_LINE.match(err.strip()) and "--threshold" in err and "0 to 1" in err
    assert not out.exists()


@pytest.mark.parametrize(("cells", "field", "allowed"), [
    ("Gemeente Breda,1441-8,,", "cpv[line 2]", "2 to 8 digits of a CPV code"),
    ("Gemeente Breda,,2020-13-01,", "expected_date[line 2]", "2024-03-01"),
    ("Gemeente Breda,,,-5", "value_eur[line 2]", "a number > 0"),
])
def test_a_bad_matching_cell_is_refused_naming_its_column(tmp_path, capsys, cells, field,
                                                          allowed):
    params = project(tmp_path, {"t1": cells})
    assert main(["validate", str(params)]) == 2
    err = capsys.readouterr().err
    assert "buyer_group_tenders.csv" in err and field in err and allowed in err


def test_candidates_read_what_the_latest_release_says_of_each_field():
    """An ocid's fields as the latest release giving them says (as the compiled release
    would), the buyer from parties where no buyer is named, a value in another currency
    left out, a row per lot (its title after the tender's), the first status its releases
    show, and a date that does not read left empty, not guessed."""
    from effectmodel.inputs.tracking import Candidates, statuses_of

    rels = [
        {"ocid": "o1", "date": "2021-01-05T09:00:00Z", "tag": ["planning"],
         "parties": [{"name": "Gemeente Ede", "roles": ["buyer"]}],
         "tender": {"title": "Oud", "value": {"amount": 100, "currency": "EUR"}}},
        {"ocid": "o1", "date": "2021-02-01T23:30:00Z", "tag": ["tender"],
         "tender": {"title": "Levering zout", "value": {"amount": 5, "currency": "USD"},
                    "datePublished": "2021-02-01T23:30:00Z",
                    "items": [{"classification": {"scheme": "CPV", "id": "14410000-8"}}],
                    "lots": [{"id": 1, "title": "Perceel 1: Zout",
                              "value": {"amount": 60, "currency": "EUR"}}]}},
        {"ocid": "o2", "date": "2021-03-01T09:00:00Z", "tag": ["tender"],
         "buyer": {"name": "Gemeente Ede"},
         "tender": {"title": "Catering", "datePublished": "1 maart"}},
    ]
    c = Candidates()
    for r in rels:
        c.add(r["ocid"], r["date"], r, statuses_of(r))
    got = c.table()
    assert got[["ocid", "lot", "buyer", "title", "cpv", "published", "status",
                "status_date"]].values.tolist() == [
        ["o1", "", "Gemeente Ede", "Levering zout", "14410000-8", "2021-02-02", "planned",
         "2021-01-05"],
        ["o1", "1", "Gemeente Ede", "Levering zout Perceel 1: Zout", "14410000-8",
         "2021-02-02", "planned", "2021-01-05"],
        ["o2", "", "Gemeente Ede", "Catering", "", "", "published", "2021-03-01"]]
    # the tender's value: the planning release's EUR 100 (the later one is in USD)
    assert got["value_eur"].tolist()[:2] == [100.0, 60.0] and pd.isna(got["value_eur"][2])
