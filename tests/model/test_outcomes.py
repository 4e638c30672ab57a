"""From plan to contract: the buyer-group model learning from its tenders' outcomes. The tiny
project's tenders (as planned t1 100 t, t2 50 t, t3 30 t; docs in tests/data/README.md)
with outcome rows: the conjugate update against its closed form, settled outcomes, every
tender resolved, and no outcomes bit for bit as before."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.special import betaincinv

import effectmodel as em
from conftest import ERROR_LINE, copy_project
from effectmodel.cli import main
from effectmodel.model import engine, evidence, outcomes, sampling
from effectmodel.model.design import unit_block
from effectmodel.model.rundesign import run_design

HEAD = ("tender_id,status,date,ocid,quantity,in_contract,beyond_market_standard,source\n")
#: a fixed total of 72 applications: the prior is Beta(31.5, 41.5) for additionality and
#: Beta(24.5, 7.5) for the award rate (not counted unclear), evidence.posteriors
COUNTS = {"buyer_groups.risk_evidence": "counts", "buyer_groups.risk_counts.total_low": 72.0,
          "buyer_groups.risk_counts.total_mode": 72.0,
          "buyer_groups.risk_counts.total_high": 72.0}


def project(tmp_path, rows: str | None):
    params = copy_project(tmp_path / "p") / "params" / "tiny.yaml"
    if rows is not None:
        (params.parent.parent / "data" / "buyer_group_outcomes.csv").write_text(HEAD + rows)
        params.write_text(params.read_text().replace(
            "  buyer_group_tenders: ../data/buyer_group_tenders.csv\n",
            "  buyer_group_tenders: ../data/buyer_group_tenders.csv\n"
            "  buyer_group_outcomes: ../data/buyer_group_outcomes.csv\n"))
    return params


def run(params, n_draws=None, **overrides):
    p = em.load_params(params, overrides={**COUNTS, **overrides}, n_draws=n_draws)
    i = em.load_inputs(p)
    return p, i, engine.evaluate_buyer_groups(p, i)


def test_the_update_is_the_closed_form():
    """Beta(w (a - 1/2) + 1/2 + s, w (b - 1/2) + 1/2 + f): the Jeffreys half outside the
    weight; a group counts the others' at the pooling weight."""
    a, b = outcomes.update(31.5, 41.5, 2.0, 1.0, 0.5)
    assert (a, b) == (18.0, 22.0)
    assert outcomes.update(31.5, 41.5, 2.0, 1.0, 0.0) == (2.5, 1.5)  # the outcomes alone
    assert outcomes.update(31.5, 41.5, 2.0, 1.0, 1.0) == (33.5, 42.5)
    assert outcomes.pooled(np.array([1.0, 3.0]), 0.25).tolist() == [1.75, 3.25]


def test_the_rates_learn_from_the_contracted_tenders(tmp_path):
    """t1 contracted beyond market standard and in the contract, t3 contracted not beyond:
    additionality seen 1 success (g1) and 1 failure (g2), the award rate 1 success (g1);
    with complete pooling every tender's additionality rate is Beta(32.5, 42.5) and award
    rate Beta(25.5, 7.5), drawn from the run's own points: equal to scipy's to the last
    bits. The mean of 20,000 draws is within 4 SE of the Beta mean 32.5 / 75."""
    rows = ("t1,contracted,2020-05-01,,,yes,yes,assumption: test\n"
            "t3,contracted,2020-06-01,,,yes,no,assumption: test\n")
    p, i, ds = run(project(tmp_path, rows), n_draws=20_000)
    opts = p.buyer_groups
    u = unit_block(p.run.seed, 0, ("buyer_groups", "risk_rates"),
                            list(sampling.RATE_COLUMNS), p.run.n_draws,
                            run_design(p, i, 0))
    rate = ds["bg_risk_additionality"].values
    np.testing.assert_allclose(rate[:, 1], betaincinv(32.5, 42.5, u[:, 1]), rtol=1e-12)
    np.testing.assert_allclose(ds["bg_risk_award"].values[:, 1], betaincinv(25.5, 7.5, u[:, 2]),
                               rtol=1e-12)
    m = rate[:, 1]
    assert abs(m.mean() - 32.5 / 75) < 4 * m.std(ddof=1) / np.sqrt(m.size)
    prior = evidence.posteriors(20, 7, 21, 72.0, opts.unclear)["additionality"]
    assert (float(prior[0]), float(prior[1])) == (31.5, 41.5)


def test_partial_pooling_gives_each_group_its_own_rate(tmp_path):
    """pooling 0: g1 saw 1 success (Beta(32.5, 41.5)), g2 1 failure (Beta(31.5, 42.5))."""
    rows = ("t1,contracted,2020-05-01,,,yes,yes,assumption: test\n"
            "t3,contracted,2020-06-01,,,yes,no,assumption: test\n")
    p, i, ds = run(project(tmp_path, rows), **{"buyer_groups.outcomes.pooling": 0.0})
    u = unit_block(p.run.seed, 0, ("buyer_groups", "risk_rates"),
                            list(sampling.RATE_COLUMNS), p.run.n_draws,
                            run_design(p, i, 0))
    rate = ds["bg_risk_additionality"].values  # tenders t1, t2 (g1), t3 (g2)
    np.testing.assert_allclose(rate[:, 0], betaincinv(32.5, 41.5, u[:, 1]), rtol=1e-12)
    np.testing.assert_allclose(rate[:, 2], betaincinv(31.5, 42.5, u[:, 1]), rtol=1e-12)


def test_settled_outcomes_are_settled(tmp_path):
    """t1 contracted with both tests yes: award and additionality 1 in every draw; t2
    cancelled: award 0, so 0 t; t3 contracted, in the contract, unclear beyond market
    standard: not counted (RIVM), additionality 0."""
    rows = ("t1,published,2020-01-10,,,,,assumption: test\n"
            "t1,contracted,2020-05-01,,,yes,yes,assumption: test\n"
            "t2,cancelled,2020-03-01,,,,,assumption: test\n"
            "t3,contracted,2020-06-01,,,yes,unclear,assumption: test\n")
    _, _, ds = run(project(tmp_path, rows))
    assert (ds["bg_in_award"].sel(tender="t1") == 1).all()
    assert (ds["bg_in_additionality"].sel(tender="t1") == 1).all()
    assert (ds["bg_in_award"].sel(tender="t2") == 0).all()
    assert (ds["bg_tender_reduction_t"].sel(tender="t2") == 0).all()
    assert (ds["bg_in_additionality"].sel(tender="t3") == 0).all()
    assert float(ds["bg_as_planned_t"]) == 180.0  # as planned stays RIVM's method


def test_every_tender_resolved_leaves_only_the_inputs_own_uncertainty(tmp_path):
    """All three contracted with both tests yes, t3 realised at 800 m2 (planned 1,000): award
    and additionality settled at 1, so every draw is the sum of quantity x factor x
    fraction: 100 + 50 x 4 x 0.25 + 800 x 0.1 x 0.3 = 174 t."""
    rows = ("t1,contracted,2020-05-01,,,yes,yes,assumption: test\n"
            "t2,contracted,2020-05-02,,,yes,yes,assumption: test\n"
            "t3,contracted,2020-06-01,,800,yes,yes,assumption: test\n")
    _, _, ds = run(project(tmp_path, rows))
    np.testing.assert_allclose(ds["bg_total_t"].values, 174.0, rtol=1e-12)


@pytest.mark.slow
def test_no_outcomes_known_yet_is_bit_for_bit_the_ex_ante_run(tmp_path):
    """Outcome rows all after outcomes.as_of: the learning path runs, sees nothing, and gives
    the figures of a run without the table, bit for bit (both risk evidences)."""
    rows = ("t1,contracted,2020-11-01,,90,yes,no,assumption: test\n"
            "t2,cancelled,2020-10-01,,,,,assumption: test\n")
    for k, extra in enumerate(({}, {"buyer_groups.risk_evidence": "table"})):
        _, _, before = run(project(tmp_path / f"a{k}", None), **extra)
        _, _, after = run(project(tmp_path / f"b{k}", rows),
                          **{"buyer_groups.outcomes.as_of": "2020-06-30", **extra})
        for name in ("bg_total_t", "bg_tender_reduction_t", "bg_in_award",
                     "bg_in_additionality", "bg_in_quantity"):
            np.testing.assert_array_equal(after[name].values, before[name].values)


def test_an_outcome_after_today_is_refused_unless_planned(tmp_path):
    """A status that has happened cannot carry a date to come (it would count as realised
    in a run without as_of); a planned row may. (A project without monitor periods, where
    no period bounds the dates.)"""
    import datetime

    from effectmodel.domain.crosscheck import _outcome_checks
    from effectmodel.inputs.data import read_table

    soon = (datetime.date.today() + datetime.timedelta(days=40)).isoformat()
    f = tmp_path / "o.csv"
    f.write_text(HEAD + f"t1,awarded,{soon},,,,,assumption: test\n"
                 f"t2,planned,{soon},,,,,assumption: test\n")
    df, problems = read_table("buyer_group_outcomes", f, "o.csv")
    assert problems == []
    said = _outcome_checks(df, {"t1", "t2"}, {"buyer_group_outcomes": "o.csv"}, [])
    assert [(p.field, p.message[:40]) for p in said] == [
        ("date[line 2]", f"t1 awarded on {soon}, after today (a"[:40])]


@pytest.mark.parametrize(("row", "said"), [
    ("t9,awarded,2020-05-01,,,,,assumption: test\n", "tender_id[line 2]: unknown tender 't9'"),
    ("t1,contracted,2020-05-01,,,yes,yes,assumption: test\n"
     "t1,published,2020-06-01,,,,,assumption: test\n",
     "status[line 3]: t1: published on 2020-06-01 after contracted on 2020-05-01"),
    ("t1,awarded,2031-05-01,,,,,assumption: test\n",
     "date[line 2]: 2031-05-01 lies outside the monitor's periods"),
    ("t1,awarded,01-05-2021,,,,,assumption: test\n",
     "date[line 2]: '01-05-2021' reads as 2021-05-01 (day-month-year) or 2021-01-05"),
    ("t1,awarded,2021-5-40,,,,,assumption: test\n", "date[line 2]: not a date: '2021-5-40'"),
    ("t1,published,2020-05-01,ocds-1,,,,assumption: test\n"
     "t2,published,2020-05-01,ocds-1,,,,assumption: test\n",
     "ocid[line 3]: 'ocds-1' names t1, t2 (allowed: one tender per ocid"),
    ("t1,contracted,2020-05-01,,,,,assumption: test\n",
     "in_contract+beyond_market_standard[line 2]: t1 is contracted without in_contract and "
     "beyond_market_standard"),
    ("t1,contracted,2020-05-01,,,yes,,assumption: test\n",
     "beyond_market_standard[line 2]: t1 is contracted without beyond_market_standard"),
])
def test_bad_outcomes_are_one_line(tmp_path, capsys, row, said):
    params = project(tmp_path, row)
    assert main(["validate", str(params)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and ERROR_LINE.match(err[0]) and said in err[0], err


@pytest.mark.slow
def test_from_plan_to_contract_by_hand(tmp_path):
    """t1 contracted at 90 kitchens with both tests yes: realised 90 x 2 x 0.5 = 90 t; t2
    cancelled; t3 open. Snapshots: before any outcome and on each of the 3 dates; the
    cancellation of t2 moves the median most of... every move listed, largest first. The
    page's section holds the table and the chart."""
    import re

    from effectmodel.report import trackingpage

    rows = ("t1,published,2020-01-10,,,,,assumption: test\n"
            "t1,contracted,2020-05-01,,90,yes,yes,assumption: test\n"
            "t2,cancelled,2020-03-01,,,,,assumption: test\n")
    p = em.load_params(project(tmp_path, rows), overrides=COUNTS)
    i = em.load_inputs(p)
    s = em.summarise(em.evaluate(p, i), p, i)
    oc = s["buyer_groups"]["outcomes"]
    assert oc["total"]["realised_t"] == pytest.approx(90.0, rel=1e-12)
    assert oc["total"]["as_planned_t"] == 180.0 and oc["total"]["n_open"] == 1
    assert oc["statuses"] == {"planned": 1, "published": 0, "awarded": 0, "contracted": 1,
                              "cancelled": 1}
    assert [x["date"] for x in oc["snapshots"]] == [None, "2020-01-10", "2020-03-01",
                                                    "2020-05-01"]
    changes = [abs(m["median_change_t"]) for m in oc["moves"]]
    assert changes == sorted(changes, reverse=True) and len(changes) == 3
    g1 = next(g for g in oc["groups"] if g["id"] == "g1")
    assert (g1["realised_t"], g1["n_open"]) == (pytest.approx(90.0), 0)
    s["language"] = "en"
    text = re.sub(r"<[^>]+>", " ", str(trackingpage.plan_to_contract(s)))
    assert "All outcomes known: of 3 tenders, 1 contracted" in text
    assert "Risk-adjusted total as the outcomes came in" in text


@pytest.mark.slow
@pytest.mark.parametrize("unclear", ["not_counted", "missing_at_random"])
def test_from_plan_to_contract_holds_every_tender_the_total_counts(tmp_path, unclear):
    """Realised and remaining together hold every tender the headline counts: in every
    draw the total is the realised tenders' draws plus the remaining ones', and every other
    tender (cancelled, contracted with a criterion scored no) is 0 in every draw. t2,
    contracted with an unclear score, is read by the unclear rule: remaining, not lost."""
    rows = ("t1,contracted,2020-05-01,,,yes,yes,assumption: test\n"
            "t2,contracted,2020-05-01,,,unclear,yes,assumption: test\n"
            "t3,contracted,2020-06-01,,,yes,no,assumption: test\n")
    from effectmodel.model import tracking

    p, i, ds = run(project(tmp_path, rows), n_draws=2000,
                   **{"unclear": unclear})
    st = outcomes.state_of(p.buyer_groups, i)
    red = ds["bg_tender_reduction_t"].values
    done = (st.status == "contracted") & (st.in_contract == 1.0) & (st.beyond == 1.0)
    left = tracking.unsettled(st, red)
    read = unclear != "not_counted"  # not counted: t2 is 0 in every draw, settled
    assert done.tolist() == [True, False, False] and left.tolist() == [False, read, False]
    np.testing.assert_allclose(red[:, done].sum(axis=1) + red[:, left].sum(axis=1),
                               ds["bg_total_t"].values, rtol=1e-12)
    assert (red[:, ~done & ~left] == 0).all()
    s = em.summarise(em.evaluate(p, i), p, i)["buyer_groups"]["outcomes"]["total"]
    assert s["n_open"] == int(read) and (s["remaining_t"]["median"] > 0) == read


def test_track_reads_the_statuses_from_ocds_releases(tmp_path, capsys):
    """A release package: t1 published, awarded, then contracted (a signed contract), its
    award release at 23:30 UTC on 29 February, 1 March in Amsterdam; t2 cancelled; t3 found by
    the ocid its outcome row names (its releases carry another tender id); a release of a
    tender no buyer group has is passed over. The statuses written validate as outcomes."""
    import json

    import pandas as pd

    params = project(tmp_path, "t3,planned,2020-01-01,ocds-x-3,,,,assumption: test\n")

    def rel(ocid, date, tag, **more):
        return {"ocid": ocid, "id": f"{ocid}-{date}", "date": date, "tag": [tag], **more}
    package = {"releases": [
        rel("ocds-x-1", "2020-01-10T09:00:00Z", "tender", tender={"id": "t1"}),
        rel("ocds-x-2", "2020-01-12T09:00:00Z", "tender", tender={"id": "t2"}),
        rel("ocds-x-1", "2020-02-29T23:30:00Z", "award", tender={"id": "t1"},
            awards=[{"id": "a", "status": "active"}]),
        rel("ocds-x-3", "2020-03-05T09:00:00Z", "tender", tender={"id": "TN-999"}),
        rel("ocds-x-2", "2020-04-01T09:00:00Z", "tenderCancellation",
            tender={"id": "t2", "status": "cancelled"}),
        rel("ocds-x-1", "2020-05-01T09:00:00Z", "contract", tender={"id": "t1"},
            contracts=[{"id": "c", "dateSigned": "2020-05-01T09:00:00Z"}]),
        rel("ocds-x-9", "2020-05-02T09:00:00Z", "tender", tender={"id": "zz"}),
    ]}
    src = tmp_path / "releases.json"
    src.write_text(json.dumps(package))
    out = tmp_path / "tracked"
    assert main(["track", str(src), "--params", str(params), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "3 of 3 buyer-group tenders matched" in said
    assert "1 contracted: fill in in_contract and beyond_market_standard for t1" in said
    got = pd.read_csv(out / "buyer_group_outcomes.csv", dtype=str, keep_default_na=False)
    assert list(zip(got["tender_id"], got["status"], got["date"], strict=True)) == [
        ("t1", "published", "2020-01-10"), ("t1", "awarded", "2020-03-01"),
        ("t1", "contracted", "2020-05-01"), ("t2", "published", "2020-01-12"),
        ("t2", "cancelled", "2020-04-01"), ("t3", "published", "2020-03-05")]
    data = params.parent.parent / "data" / "buyer_group_outcomes.csv"
    data.write_bytes((out / "buyer_group_outcomes.csv").read_bytes())
    assert main(["validate", str(params)]) == 2  # the contracted row is left to score
    assert "t1 is contracted without in_contract and beyond_market_standard" in \
        capsys.readouterr().err
    text = data.read_text()
    data.write_text(text.replace("t1,contracted,2020-05-01,ocds-x-1,,,,",
                                 "t1,contracted,2020-05-01,ocds-x-1,,yes,unclear,"))
    assert main(["validate", str(params)]) == 0


def test_the_total_of_applications_learns_as_quadrature_says():
    """The tracking example (2 additionality successes and 2 failures, 2 award successes):
    the total of applications' posterior mean, and the award rate's, from 20,000 draws,
    within 4 SE of quadrature over the total's triangular prior (the review: E[T] 74.95,
    where the total was never updated and stayed at its prior mean 72)."""
    from scipy import integrate

    from conftest import ROOT

    p = em.load_params(ROOT / "params" / "tracking.yaml", n_draws=20_000)
    i = em.load_inputs(p)
    o, c = p.buyer_groups, p.buyer_groups.risk_counts
    tenders = i["buyer_group_tenders"]
    groups = tenders["buyer_group"].to_numpy(object)
    st = outcomes.state(i["buyer_group_outcomes"], list(tenders["tender_id"]),
                        o.outcomes["as_of"])
    seen = outcomes.observed(st, groups, o.unclear)
    w = o.outcomes["prior_weight"]
    assert o.outcomes["pooling"] == 1.0

    def post(t):
        return evidence.posteriors(c["not_beyond_market_standard"], c["not_in_contract"],
                                   c["unclear"], np.array([t]), o.unclear)

    def like(t):
        return float(np.exp(sum(outcomes.log_evidence(a, b, seen[k]["s"].sum(),
                                                       seen[k]["f"].sum(), w)
                                for k, (a, b) in post(t).items())[0]))

    lo, mo, hi = c["total_low"], c["total_mode"], c["total_high"]

    def prior(t):
        return (t - lo) / (mo - lo) if t < mo else (hi - t) / (hi - mo)

    def award_mean(t):
        a, b = post(t)["award"]
        a2, b2 = outcomes.update(a, b, seen["award"]["s"].sum(), seen["award"]["f"].sum(), w)
        return float((a2 / (a2 + b2))[0])

    def mean_of(g):
        return integrate.quad(lambda t: g(t) * prior(t) * like(t), lo, hi, points=[mo])[0]

    z = mean_of(lambda t: 1.0)
    want_total, want_award = mean_of(lambda t: t) / z, mean_of(award_mean) / z
    assert abs(want_total - 74.95) < 0.01
    got = sampling.risk_rates(o, p.run.seed, 0, p.run.n_draws, run_design(p, i, 0),
                              learn=(st, groups))
    for x, want in ((got["total"], want_total), (got["award"][:, 0], want_award)):
        assert abs(x.mean() - want) < 4 * x.std(ddof=1) / np.sqrt(x.size), (x.mean(), want)


@pytest.mark.parametrize("weight", [0.0, 1e-9, 0.25, 1.0, 4.0, 1000.0])
def test_no_prior_weight_gives_nan_or_a_silent_zero(weight):
    """prior_weight 0 (the outcomes alone) gave NaN rates, and every open tender then
    counted 0 t without a word: at every weight the schema allows the rates are finite and
    inside (0, 1), and the buyer-group total is not 0 throughout."""
    from conftest import ROOT

    p = em.load_params(ROOT / "params" / "tracking.yaml", n_draws=2_000,
                       overrides={"buyer_groups.outcomes.prior_weight": weight})
    i = em.load_inputs(p)
    ds = engine.evaluate_buyer_groups(p, i)
    for k in ("bg_risk_additionality", "bg_risk_award", "bg_risk_total"):
        assert np.isfinite(ds[k].values).all(), k
    for k in ("bg_risk_additionality", "bg_risk_award"):
        assert ((ds[k].values > 0) & (ds[k].values < 1)).mean() > 0.99, k
    assert np.isfinite(ds["bg_total_t"].values).all()
    assert np.median(ds["bg_total_t"].values) > 0



@pytest.fixture(scope="module")
def tracking():
    """The tracking example's params and inputs at 256 draws."""
    from conftest import ROOT

    p = em.load_params(ROOT / "params" / "tracking.yaml", n_draws=256)
    return p, em.load_inputs(p)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(weight=st.one_of(st.sampled_from([0.0, 1000.0]), st.floats(0.0, 1000.0)),
       pooling=st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.0, 1.0)),
       unclear=st.sampled_from(evidence.UNCLEAR_RULES))
@pytest.mark.slow
def test_every_weight_and_pooling_the_schema_allows_gives_finite_rates(tracking, weight,
                                                                       pooling, unclear):
    """Any prior_weight in [0, 1000] and pooling in [0, 1] (hypothesis, ends included):
    the learned rates are finite and inside [0, 1] in every draw and tender, and the total
    of applications stays inside its prior's support. Fails on the old update, where w = 0
    scaled the Jeffreys 1/2 away and Beta(0, 0) gave NaN."""
    p, i = tracking
    p = p.with_overrides({"buyer_groups.outcomes.prior_weight": weight,
                          "buyer_groups.outcomes.pooling": pooling,
                          "unclear": unclear})
    o = p.buyer_groups
    tenders = i["buyer_group_tenders"]
    groups = tenders["buyer_group"].to_numpy(object)
    state = outcomes.state(i["buyer_group_outcomes"], list(tenders["tender_id"]),
                           o.outcomes["as_of"])
    got = sampling.risk_rates(o, p.run.seed, 0, p.run.n_draws,
                              run_design(p, i, 0), learn=(state, groups))
    c = o.risk_counts
    assert np.isfinite(got["total"]).all()
    assert ((got["total"] >= c["total_low"]) & (got["total"] <= c["total_high"])).all()
    for k in ("additionality", "award"):
        assert np.isfinite(got[k]).all(), k
        assert ((got[k] >= 0) & (got[k] <= 1)).all(), k


@pytest.mark.slow
def test_the_cancellation_rate_learns_from_the_tenders_seen(tracking):
    """The tracking example: c tenders seen cancelled and g seen going ahead (awarded or
    contracted) turn the prior Beta(1, 9) into Beta(1 + c, 9 + g); its mean within 4 SE of
    the draws'. Tenders past the award go ahead in every draw, a cancelled one counts 0,
    and an open one goes ahead in a share of the draws near 1 - E[rate]."""
    p, i = tracking
    p = p.with_overrides({"run.n_draws": 20_000})
    o = p.buyer_groups
    tenders = i["buyer_group_tenders"]
    st = outcomes.state(i["buyer_group_outcomes"], list(tenders["tender_id"]),
                        o.outcomes["as_of"])
    c, g = outcomes.went_ahead(st)
    assert c >= 1 and g >= 1
    ds = engine.evaluate_buyer_groups(p, i)
    rate = ds["bg_risk_cancellation"].values
    want = (1 + c) / (10 + c + g)
    assert abs(rate.mean() - want) < 4 * rate.std(ddof=1) / np.sqrt(rate.size)
    award = ds["bg_in_award"].values
    ahead = np.isin(st.status, ("awarded", "contracted"))
    u = unit_block(p.run.seed, 0, ("buyer_groups", "cancellation"),
                            ["rate", *tenders["tender_id"]], p.run.n_draws,
                            run_design(p, i, 0))
    goes = u[:, 1:] >= rate[:, None]
    assert not (award[:, st.status == "cancelled"]).any()
    open_ = np.flatnonzero(~ahead & (st.status != "cancelled"))
    assert open_.size
    # an open tender's award is 0 wherever it was drawn cancelled; a tender past the award
    # is never drawn cancelled (its award is what the criteria give, as without the risk)
    assert not award[:, open_][~goes[:, open_]].any()
    off = engine.evaluate_buyer_groups(
        p.with_overrides({"buyer_groups.uncertainty.cancellation": False}), i)
    np.testing.assert_array_equal(award[:, ahead], off["bg_in_award"].values[:, ahead])
    share = goes[:, open_].mean()
    assert abs(share - (1 - want)) < 4 * np.sqrt(want * (1 - want) / goes[:, open_].size) \
        + 4 * rate.std() / np.sqrt(rate.size)


def test_the_shared_rates_read_only_the_options_a_sweep_keys_them_by():
    """A sweep draws the shared rates once per value of ``sampling.RATE_OPTIONS``: the rates
    must read no other option, learning from outcomes or not."""
    from conftest import ROOT

    p = em.load_params(ROOT / "params" / "tracking.yaml", n_draws=64)
    inputs = em.load_inputs(p)
    state = outcomes.state_of(p.buyer_groups, inputs)
    groups = inputs["buyer_group_tenders"]["buyer_group"].to_numpy(object)

    class Recording:
        def __init__(self, options):
            self._options, self.read = options, set()

        def __getattr__(self, name):
            self.read.add(name)
            return getattr(self._options, name)

    for learn in (None, (state, groups)):
        opts = Recording(p.buyer_groups)
        rates = sampling.shared_rates(opts, p.run.seed, 0, 64, "random", learn)
        assert set(rates) == {"total", "additionality", "award"}
        assert opts.read and opts.read <= set(sampling.RATE_OPTIONS), opts.read
