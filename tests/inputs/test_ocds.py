"""OCDS JSON streamed: release packages, record packages and JSON Lines give the same units;
the releases of one ocid are compiled by ocdsmerge wherever they stand in the file; money,
dates and classifications as the frame needs them. Answers by hand in the docstrings, and a
frame of 2,000 releases checked against sums made apart from the code."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ERROR_LINE
from effectmodel.cli import main
from effectmodel.inputs import ocds

CAR = {"scheme": "CPV", "id": "34110000-1"}


def release(ocid, date, tag="tender", **parts):
    return {"ocid": ocid, "id": f"{ocid}-{date}", "date": date, "tag": [tag],
            "buyer": {"name": "Gemeente A"}, **parts}


#: T1: two lots announced, lot 2 awarded later (in a release that repeats no lot); T2 a
#: tender without lots awarded in USD; T3 published on 31 December 23:30 UTC, which is
#: 1 January in Amsterdam; T4 an award release with an empty award list and no value at
#: all; T5 no classification.
RELEASES = [
    release("T1", "2019-04-01T10:00:00Z", tender={
        "id": "T1", "classification": CAR,
        "lots": [{"id": "1", "value": {"amount": 100, "currency": "EUR"}},
                 {"id": "2", "value": {"amount": 200, "currency": "EUR"}}]}),
    release("T2", "2019-05-01T10:00:00Z", tender={
        "id": "T2", "classification": CAR, "value": {"amount": 1000, "currency": "EUR"}}),
    release("T3", "2020-12-31T23:30:00Z", tender={
        "id": "T3", "classification": CAR, "value": {"amount": 50, "currency": "EUR"}}),
    release("T1", "2019-09-01T10:00:00Z", tag="award", tender={"id": "T1"}, awards=[
        {"id": "A1", "date": "2019-09-01T10:00:00Z", "status": "active",
         "value": {"amount": 150, "currency": "EUR"}, "relatedLots": ["2"]}]),
    release("T2", "2019-10-01T10:00:00Z", tag="award", awards=[
        {"id": "A1", "date": "2019-10-01T10:00:00Z", "status": "active",
         "value": {"amount": 1200, "currency": "USD"}}]),
    release("T4", "2019-06-01T10:00:00Z", tag="award", tender={
        "id": "T4", "classification": CAR}, awards=[]),
    release("T5", "2019-07-01T10:00:00Z", tender={
        "id": "T5", "value": {"amount": 70, "currency": "EUR"}}),
]


def write(path, kind):
    if kind == "releases":
        path.write_text(json.dumps({"uri": "x", "releases": RELEASES}))
    elif kind == "records":
        by: dict[str, list] = {}
        for r in RELEASES:
            by.setdefault(r["ocid"], []).append(r)
        path.write_text(json.dumps({"records": [{"ocid": o, "releases": rs}
                                                for o, rs in by.items()]}))
    else:
        path.write_text("".join(json.dumps(r) + "\n" for r in RELEASES))
    return path


def frame(tmp_path, source, *more, period="2019-2020"):
    out = tmp_path / f"frame-{source.stem}-{period}"
    code = main(["frame", str(source), "--period", period, "--out", str(out), *more])
    return code, out


@pytest.mark.parametrize("kind", ["releases", "records", "lines"])
def test_three_layouts_one_frame(tmp_path, kind, capsys):
    """Each layout, with USD converted at 0.9 EUR: T1's lots 100 (estimated) and 150
    (awarded, of lot 2), T2 1,200 USD x 0.9 = 1,080 EUR awarded; T3 falls in 2021 in
    Amsterdam; T4 has no value (counted apart, imputed at the stratum mean of the valued
    units: (100 + 150 + 1,080) / 3 = 443.33...); T5 has no CPV code. Company cars in
    2019-2020: N = 4 (3 with a value), T = 1,330 + 443.33... EUR."""
    src = write(tmp_path / f"p.{'jsonl' if kind == 'lines' else 'json'}", kind)
    rates = tmp_path / "rates.csv"
    rates.write_text("currency,eur_per_unit,source\nUSD,0.9,assumption: test\n")
    code, out = frame(tmp_path, src, "--rates", str(rates))
    said = capsys.readouterr()
    assert code == 0, said.err
    assert "converted to EUR: 1 in USD" in said.out
    strata = pd.read_csv(out / "frame_strata.csv")
    row = strata.set_index("product_group").loc["dienstautos"]
    assert (row["frame_count"], row["n_valued"], row["n_without_value"]) == (4, 3, 1)
    assert row["valued_eur"] == pytest.approx(1330.0, rel=1e-12)
    assert row["frame_total_eur"] == pytest.approx(1330 + 1330 / 3, rel=1e-12)
    units = pd.read_csv(out / "frame_units.csv", dtype=str, keep_default_na=False)
    got = {(u["tender_id"], u["lot"]): (u["value_kind"], u["date"], u["date_basis"])
           for u in units.to_dict("records")}
    assert got == {("T1", "1"): ("estimated", "2019-04-01", "publication"),
                   ("T1", "2"): ("awarded", "2019-09-01", "award"),
                   ("T2", ""): ("awarded", "2019-10-01", "award"),
                   ("T4", ""): ("imputed", "2019-06-01", "publication")}
    assert units.set_index("tender_id").loc["T2", "announcements"] == "2"
    unknown = pd.read_csv(out / "unknown_cpv.csv", dtype=str)
    assert unknown.to_dict("records") == [{"cpv": "(no CPV)", "units": "1",
                                           "value_eur": "70.0"}]
    # spend per CPV division and year: (100 + 150 + 1,080) / 2 (T4 has none); T5 70 / 2
    spend = pd.read_csv(out / "spend.csv").set_index("group")["spend_eur"].to_dict()
    assert spend == {"cpv-34": pytest.approx(665.0, rel=1e-12),
                     "cpv-none": pytest.approx(35.0, rel=1e-12)}
    # T3: 1 January 2021 in Amsterdam
    code, later = frame(tmp_path, src, "--rates", str(rates), period="2021-2022")
    assert code == 0
    assert pd.read_csv(later / "frame_units.csv")["tender_id"].tolist() == ["T3"]


def test_a_currency_without_a_rate_is_refused(tmp_path, capsys):
    """USD without --rates: one line with the count and the first place, nothing written."""
    src = write(tmp_path / "p.json", "releases")
    code, out = frame(tmp_path, src)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and ERROR_LINE.match(err[0]), err
    assert "the 2 releases of T2 compiled (first at releases[1]): awards[0].value.amount" \
        in err[0]
    assert "1 amounts in 'USD'" in err[0] and "--rates" in err[0]
    assert not out.exists()


IDS = st.sampled_from(["1", "2", "3"])
MONEY = st.one_of(st.none(), st.fixed_dictionaries({}, optional={
    "amount": st.one_of(st.none(), st.integers(0, 10**6), st.floats(0, 1e6)),
    "currency": st.sampled_from(["EUR", "USD", None])}))
CLASSES = st.one_of(st.none(), st.fixed_dictionaries({}, optional={
    "scheme": st.just("CPV"), "id": st.sampled_from(["34110000-1", "09310000-5", None])}))
AWARD = st.fixed_dictionaries({}, optional={
    "id": IDS, "date": st.sampled_from(["2019-01-01T00:00:00Z", "2019-02-01T00:00:00Z"]),
    "status": st.sampled_from(["active", "cancelled", None]), "value": MONEY,
    "relatedLots": st.lists(IDS, max_size=2), "title": st.text(max_size=3)})
TENDER = st.fixed_dictionaries({}, optional={
    "id": st.sampled_from(["T", None]), "value": MONEY, "classification": CLASSES,
    "datePublished": st.sampled_from(["2019-01-01T00:00:00Z", None]),
    "lots": st.lists(st.fixed_dictionaries({}, optional={"id": IDS, "value": MONEY,
                                                         "title": st.text(max_size=3)}),
                     max_size=3),
    "items": st.lists(st.fixed_dictionaries({}, optional={"id": IDS,
                                                          "classification": CLASSES}),
                      max_size=2),
    "description": st.text(max_size=5)})
RELEASE = st.fixed_dictionaries(
    {"ocid": st.just("ocds-x-1"), "date": st.sampled_from(
        ["2019-01-01T00:00:00Z", "2019-03-01T00:00:00Z", "2019-06-01T00:00:00Z"])},
    optional={"buyer": st.one_of(st.none(), st.fixed_dictionaries(
        {}, optional={"name": st.one_of(st.none(), st.text(max_size=4))})),
        "tender": TENDER, "awards": st.lists(AWARD, max_size=3),
        "parties": st.lists(st.fixed_dictionaries({"id": IDS}), max_size=1)})


def prune(x):
    """Empty objects and arrays left out, at any depth (the frame reads them as absent)."""
    if isinstance(x, dict):
        x = {k: prune(v) for k, v in x.items()}
        return {k: v for k, v in x.items() if v not in ({}, [])}
    if isinstance(x, list):
        return [v for v in (prune(v) for v in x) if v not in ({}, [])]
    return x


def fields_read(release: dict) -> dict:
    """A compiled release cut to the fields the frame reads, nulls and empty objects and
    arrays left out."""
    return prune(ocds.unflatten(ocds.flatten(release)))


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@pytest.mark.slow
@given(st.lists(RELEASE, min_size=1, max_size=4))
def test_the_merge_equals_ocdsmerge(rels):
    """Any releases of one ocid (nulls, empty arrays and objects, ids repeated and missing,
    dates tied): the fields the frame reads, compiled by :func:`ocds.merge`, equal those of
    ocdsmerge's compiled release, the reference implementation, with the merge rules of the
    shipped OCDS 1.1.5 schema."""
    import warnings

    from ocdsmerge import Merger

    merger = Merger(schema=json.loads(ocds.SCHEMA.read_text()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ocdsmerge warns of ids repeated in one release
        reference = merger.create_compiled_release(rels)
    ours = ocds.unflatten(ocds.merge([(r["date"], ocds.flatten(r, str(i)))
                                      for i, r in enumerate(rels)]))
    assert prune(ours) == fields_read(reference)


def test_none_of_the_fields_read_is_merged_whole():
    """The shortcut holds only while the schema marks none of the fields the frame reads
    wholeListMerge or omitWhenMerged (then ocdsmerge would not merge them by id)."""
    from ocdsmerge.rules import get_merge_rules

    rules = get_merge_rules(json.loads(ocds.SCHEMA.read_text()))
    read = {("buyer", "name"), ("tender", "lots"), ("tender", "items"), ("awards",),
            ("tender", "value"), ("tender", "classification"), ("tender", "lots", "value"),
            ("tender", "items", "classification"), ("awards", "value"),
            ("awards", "relatedLots"), ("awards", "date"), ("awards", "status"),
            ("tender", "datePublished"), ("tender", "id")}
    assert not read & set(rules)


def test_two_thousand_releases_add_up(tmp_path, capsys):
    """2,000 releases of 800 tenders (one to four releases each, shuffled; some in DKK at
    0.134 EUR, some without a value, some lots): the frame's N_h with and without value and
    T_h equal sums made here from the generating table, to the cent."""
    rng = np.random.default_rng(11)
    rows, truth = [], []
    sizes = np.ones(800, dtype=int)
    while sizes.sum() < 2000:  # one to four releases per tender, 2,000 in all
        i = int(rng.integers(800))
        sizes[i] += sizes[i] < 4
    for t, k in enumerate(sizes.tolist()):
        ocid = f"ocds-x-{t:04d}"
        est = float(np.round(rng.uniform(1e3, 1e6), 2))
        valued = rng.random() > 0.1
        dkk = rng.random() < 0.1
        cur = "DKK" if dkk else "EUR"
        tender = {"id": ocid, "classification": CAR}
        if valued:
            tender["value"] = {"amount": est, "currency": cur}
        rels = [release(ocid, f"2019-03-{1 + j:02d}T12:00:00Z", tender=dict(tender))
                for j in range(k)]
        awarded = None
        if k > 1 and valued:
            awarded = float(np.round(est * rng.uniform(0.8, 1.2), 2))
            rels[-1]["tag"] = ["award"]
            rels[-1]["awards"] = [{"id": "1", "date": rels[-1]["date"], "status": "active",
                                   "value": {"amount": awarded, "currency": cur}}]
        rows += rels
        rate = 0.134 if dkk else 1.0
        used = (awarded if awarded is not None else est) * rate if valued else None
        truth.append(used)
    assert len(rows) == 2000
    order = rng.permutation(len(rows))
    src = tmp_path / "big.json"
    src.write_text(json.dumps({"releases": [rows[i] for i in order]}))
    rates = tmp_path / "rates.csv"
    rates.write_text("currency,eur_per_unit,source\nDKK,0.134,assumption: test\n")
    code, out = frame(tmp_path, src, "--rates", str(rates))
    assert code == 0, capsys.readouterr().err
    valued = [v for v in truth if v is not None]
    s = pd.read_csv(out / "frame_strata.csv").iloc[0]
    assert (s["frame_count"], s["n_valued"], s["n_without_value"]) == \
        (800, len(valued), 800 - len(valued))
    assert s["valued_eur"] == pytest.approx(sum(valued), abs=0.005)
    assert s["frame_total_eur"] == pytest.approx(sum(valued) * 800 / len(valued), abs=0.005)


def test_malformed_json_at_its_line_and_column(tmp_path, capsys):
    src = tmp_path / "bad.json"
    src.write_text('{"releases": [\n  {"ocid": "a", "date": "2019-01-01"},\n  {"ocid": }\n]}')
    code, out = frame(tmp_path, src)
    err = capsys.readouterr().err
    assert code == 2 and "bad.json: line 3, column 12: not JSON" in err, err
    assert not out.exists()


@pytest.mark.parametrize(("rates", "said"), [
    ("currency,eur_per_unit,source\nGBP,1.17,assumption: test\n",
     "1 amounts in 'USD' (first: the 2 releases of T2 compiled (first at releases[1]): "
     "awards[0].value.amount)"),
    ("currency,eur_per_unit,source\nUSD,veel,assumption: test\n",
     "eur_per_unit[line 2]: not a number: 'veel'"),
    ("currency,eur_per_unit,source\nUS dollar,0.9,assumption: test\n",
     "currency[line 2]: 'US dollar' (allowed: an ISO 4217 code"),
    ("currency,rate\nUSD,0.9\n", "eur_per_unit: missing column"),
])
def test_a_rates_table_without_the_currency_or_malformed_is_one_line(tmp_path, capsys, rates,
                                                                     said):
    src = write(tmp_path / "p.json", "releases")
    f = tmp_path / "rates.csv"
    f.write_text(rates)
    code, out = frame(tmp_path, src, "--rates", str(f))
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and ERROR_LINE.match(err[0]) and any(said in e for e in err), err
    assert not out.exists()
