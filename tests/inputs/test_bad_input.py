"""Bad input: exit 2, one 'error: FILE: field: ...' line per problem, no traceback, and an
existing report left untouched."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ERROR_LINE, with_period
from effectmodel.cli import main


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


def add_factor_rows(tiny: Path, *rows: str) -> None:
    """NOx rows of factor fa added to the criteria fixture's table, each given as
    "baseline,period" (the MVI factor 1 kg)."""
    path = data(tiny, "criteria_translation_factors.csv")
    path.write_text(with_period(path.read_text()) + "".join(
        "fa,nox,a,green,MWh,fixed,{0},{0},{0},fixed,1,1,1,assumption: x,{1}\n".format(
            *r.split(",")) for r in rows))


def data(tiny: Path, name: str) -> Path:
    return tiny.parent.parent / "data" / name


# (id, change to make, expected file in the message, expected field text)
def _cases():
    return [
        ("malformed-yaml", lambda t: edit(t, "language: en", "language: [en"), "tiny.yaml",
         "malformed YAML"),
        ("unknown-key", lambda t: edit(t, "language: en", "language: en\ncolour: red"),
         "tiny.yaml", "colour: unknown key"),
        ("wrong-type", lambda t: edit(t, "n_draws: 200", "n_draws: many"), "tiny.yaml",
         "run.n_draws: must be an integer"),
        ("interval-out-of-range", lambda t: edit(t, "interval: 0.9", "interval: 1.5"),
         "tiny.yaml", "run.interval: out of range"),
        ("unknown-sampler", lambda t: edit(t, "sampler: random", "sampler: halton"),
         "tiny.yaml", "run.sampler: unknown value"),
        ("unknown-language", lambda t: edit(t, "language: en", "language: de"), "tiny.yaml",
         "language: unknown value"),
        ("schema-version", lambda t: edit(t, "schema_version: 1", "schema_version: 2"),
         "tiny.yaml", "schema_version"),
        ("missing-required", lambda t: edit(t, "  seed: 7\n", ""), "tiny.yaml",
         "run.seed: missing"),
        ("award-probability-1.5",
         lambda t: edit(data(t, "buyer_group_tenders.csv"), ",0.5,1,fixed", ",0.5,1.5,fixed"),
         "buyer_group_tenders.csv", "award_probability[line 2]"),
        ("params-probability-1.5",
         lambda t: edit(t, "  household_factor: hf-bg",
                        "  household_factor: hf-bg\n  award_probability: 1.5"),
         "tiny.yaml", "buyer_groups.award_probability: out of range"),
        ("bernoulli-not-0-1",
         lambda t: edit(data(t, "buyer_group_tenders.csv"), ",1,pert,0.5,0.5,0.5,",
                        ",1,bernoulli,0.5,0.5,0.5,"),
         "buyer_group_tenders.csv", "additionality_low/high[line 3]: bernoulli is 0 or 1"),
        ("low-greater-than-high",
         lambda t: edit(data(t, "translation_factors.csv"), "pert,0.8,1.0,1.2", "pert,1.3,1.0,1.2"),
         "translation_factors.csv", "baseline_ef_low/mode/high[line 2]"),
        ("negative-quantity",
         lambda t: edit(data(t, "sampled_tenders.csv"), "fa,10,", "fa,-10,"),
         "sampled_tenders.csv", "quantity[line 2]"),
        ("missing-data-file", lambda t: data(t, "frame_totals.csv").unlink(),
         "frame_totals.csv", "not found"),
        ("missing-column",
         lambda t: edit(data(t, "product_groups.csv"), "cluster,", "klaster,"),
         "product_groups.csv", "cluster: missing column"),
        ("unknown-product-group",
         lambda t: edit(data(t, "sampled_tenders.csv"), "2019-2020,b,b1", "2019-2020,c,b1"),
         "sampled_tenders.csv", "unknown product group 'c'"),
        ("duplicate-ids",
         lambda t: edit(data(t, "buyer_groups.csv"), "g2,Groep twee", "g1,Groep twee"),
         "buyer_groups.csv", "duplicate"),
        ("empty-sample",
         lambda t: data(t, "sampled_tenders.csv").write_text("\n".join(
             line for line in data(t, "sampled_tenders.csv").read_text().splitlines()
             if not line.startswith("2017-2018,a,")) + "\n"),
         "sampled_tenders.csv", "empty sample"),
        ("nan-in-number",
         lambda t: edit(data(t, "frame_totals.csv"), "2015-2016,a,1000", "2015-2016,a,nan"),
         "frame_totals.csv", "frame_total_eur[line 2]: not a finite number"),
        ("text-in-number",
         lambda t: edit(data(t, "frame_totals.csv"), "2015-2016,a,1000", "2015-2016,a,lots"),
         "frame_totals.csv", "frame_total_eur[line 2]: not a number"),
        ("unknown-distribution",
         lambda t: edit(data(t, "translation_factors.csv"), "fb,b,electric,1000 km,triangular",
                        "fb,b,electric,1000 km,gamma"),
         "translation_factors.csv", "unknown distribution"),
        ("missing-source",
         lambda t: edit(data(t, "household_factors.csv"), "total,assumption: test fixture",
                        "total,my guess"),
         "household_factors.csv", "source[line 3]"),
        ("unknown-period",
         lambda t: edit(t, "  bootstrap: none", "  bootstrap: none\n  periods: [2030-2031]"),
         "tiny.yaml", "monitor.periods: unknown period"),
        ("unknown-household-factor",
         lambda t: edit(t, "household_factor: hf-bg", "household_factor: hf-xx"),
         "tiny.yaml", "buyer_groups.household_factor: unknown id"),
        ("factor-of-other-group",
         lambda t: edit(data(t, "sampled_tenders.csv"), "a1,100,1,yes,fa,10",
                        "a1,100,1,yes,fb,10"),
         "sampled_tenders.csv", "belongs to product group"),
        ("effect-without-quantity",
         lambda t: edit(data(t, "sampled_tenders.csv"), "yes,fa,10,", "yes,fa,,"),
         "sampled_tenders.csv", "quantity[line 2]: empty"),
        ("quantified-without-tenders",
         lambda t: edit(data(t, "buyer_groups.csv"),
                        "GWW,no,hoeveelheden ontbreken,quantities missing", "GWW,yes,,"),
         "buyer_groups.csv", "quantified[line 4]"),
        ("wrong-field-count",
         lambda t: edit(data(t, "product_groups.csv"), "a,groep A,", "a,groep A,extra,"),
         "product_groups.csv", "line 2"),
        ("empty-file", lambda t: data(t, "monitor_periods.csv").write_text(""),
         "monitor_periods.csv", "empty"),
        ("unknown-buyer-group",
         lambda t: edit(data(t, "buyer_group_tenders.csv"), "t3,g2,", "t3,g9,"),
         "buyer_group_tenders.csv", "unknown buyer group 'g9'"),
        ("unknown-bound",
         lambda t: edit(data(t, "monitor_periods.csv"), "170,point", "170,maybe"),
         "monitor_periods.csv", "published_bound[line 3]"),
    ]


CASES = _cases()


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _check_lines(err: str, file_part: str, field_part: str) -> None:
    lines = [x for x in err.splitlines() if x.strip()]
    assert lines, "no error printed"
    assert "Traceback" not in err
    for line in lines:  # FILE: field: what is wrong (what is allowed)
        assert ERROR_LINE.match(line), line
    assert any(file_part in x and field_part in x for x in lines), lines


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_exits_2_and_keeps_report(case, tiny, tmp_path, capsys):
    refused_and_kept(tiny, tiny, case, tmp_path, capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["report", "tiny"])


def refused_and_kept(params: Path, tiny: Path, case, tmp_path: Path, capsys) -> None:
    """After the case's change (made on the ``tiny`` project), validate and run of
    ``params`` exit 2 with the expected line, and a previous report stays as it was."""
    _, change, file_part, field_part = case
    report = tmp_path / "report"
    report.mkdir()
    (report / "index.html").write_text("<p>previous</p>")
    (report / "summary.json").write_text("{}")
    before = _snapshot(report)
    change(tiny)
    for argv in (["validate", str(params)], ["run", str(params), "--out", str(report)]):
        assert main(argv) == 2
        _check_lines(capsys.readouterr().err, file_part, field_part)
    assert _snapshot(report) == before


def test_validate_reports_all_problems_at_once(tiny, capsys):
    edit(tiny, "interval: 0.9", "interval: 2")
    edit(tiny, "sampler: random", "sampler: nope")
    edit(data(tiny, "frame_totals.csv"), "2015-2016,a,1000", "2015-2016,a,x")
    edit(data(tiny, "sampled_tenders.csv"), "fa,10,", "fa,-1,")
    assert main(["validate", str(tiny)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 4, err
    for part in ("run.interval", "run.sampler", "frame_total_eur[line 2]", "quantity[line 2]"):
        assert sum(part in x for x in err) == 1, part


@pytest.mark.parametrize("setting, field", [
    ("colour.red=1", "--set colour"),
    ("run.seed=abc", "run.seed: must be an integer"),
    ("run=5", "is a section"),
    ("run.n_draws.x=1", "unknown key"),
])
def test_bad_set_overrides(tiny, capsys, setting, field):
    assert main(["validate", str(tiny), "--set", setting]) == 2
    _check_lines(capsys.readouterr().err, "tiny.yaml", field)


def test_subprocess_exit_code_and_no_traceback(tiny):
    edit(tiny, "n_draws: 200", "n_draws: -3")
    r = subprocess.run([sys.executable, "-m", "effectmodel.cli", "run", str(tiny)],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert "run.n_draws: out of range" in r.stderr


def test_valid_tiny_project_validates(tiny, capsys):
    assert main(["validate", str(tiny)]) == 0
    assert "ok:" in capsys.readouterr().out


def crit(tiny: Path) -> Path:
    """The criteria-format params of the copied project."""
    return tiny.parent.parent / "variants" / "tiny-criteria.yaml"


# the criteria format (tests/data/tiny/variants/tiny-criteria.yaml: outside
# params/, so a build of the tiny project leaves it alone): (id, change, file, field)
CRITERIA_CASES = [
    ("criterion-of-unknown-tender",
     lambda t: edit(data(t, "criteria.csv"), "2019-2020,b2,c1,", "2019-2020,b9,c1,"),
     "criteria.csv", "tender_id[line 12]: unknown tender 'b9' in '2019-2020'"),
    ("criterion-unknown-type",
     lambda t: edit(data(t, "criteria.csv"), "a1,c2,award,", "a1,c2,bonus,"),
     "criteria.csv", "type[line 9]: 'bonus' (allowed: minimum, stricter, award, unknown)"),
    ("criterion-unknown-ambition",
     lambda t: edit(data(t, "criteria.csv"), "award,ambitious,", "award,heroic,"),
     "criteria.csv", "ambition[line 9]"),
    ("criterion-bad-test-outcome",
     lambda t: edit(data(t, "criteria.csv"), "stricter,significant,unclear,",
                    "stricter,significant,maybe,"),
     "criteria.csv", "in_contract[line 10]: 'maybe' (allowed: yes, no, unclear; also ja, nee, "
     "onduidelijk, true, false, 1, 0)"),
    ("criterion-unknown-factor",
     lambda t: edit(data(t, "criteria.csv"), "yes,yes,fb,40,", "yes,yes,fz,40,"),
     "criteria.csv", "factor_id[line 12]: unknown factor 'fz'"),
    ("criterion-factor-of-other-group",
     lambda t: edit(data(t, "criteria.csv"), "yes,yes,fb,40,", "yes,yes,fa,40,"),
     "criteria.csv", "factor_id[line 12]: factor 'fa' belongs to product group 'a'"),
    ("criterion-counting-without-quantity",
     lambda t: edit(data(t, "criteria.csv"), "yes,yes,fb,40,4,", "yes,yes,fb,,4,"),
     "criteria.csv", "quantity[line 12]: empty for a criterion that may count"),
    ("criterion-negative-years",
     lambda t: edit(data(t, "criteria.csv"), "yes,yes,fb,40,4,", "yes,yes,fb,40,-4,"),
     "criteria.csv", "years[line 12]"),
    ("criterion-duplicate-id",
     lambda t: edit(data(t, "criteria.csv"), "2019-2020,a1,c2,", "2019-2020,a1,c1,"),
     "criteria.csv", "duplicate"),
    ("criteria-with-legacy-columns",
     lambda t: data(t, "criteria_sampled_tenders.csv").write_text(
         data(t, "sampled_tenders.csv").read_text()),
     "criteria_sampled_tenders.csv", "has_effect[line 2]: given while the params name a "
                                     "criteria table"),
    ("sub-stratum-sample-above-frame",
     lambda t: edit(data(t, "sub_strata.csv"), "2019-2020,a,s1,4,", "2019-2020,a,s1,1,"),
     "sub_strata.csv", "frame_count[line 2]: 1 tenders in the frame of 's1' but 2 sampled"),
    ("sub-stratum-frame-count-not-whole",
     lambda t: edit(data(t, "sub_strata.csv"), "2019-2020,a,s1,4,", "2019-2020,a,s1,4.5,"),
     "sub_strata.csv", "frame_count[line 2]: 4.5 is no whole number"),
    ("sub-stratum-undeclared",
     lambda t: edit(data(t, "criteria_sampled_tenders.csv"), "2019-2020,a,s2,a3,",
                    "2019-2020,a,s3,a3,"),
     "criteria_sampled_tenders.csv", "sub_stratum[line 13]: sub-stratum 's3' not in"),
    ("sub-stratum-without-sample",
     lambda t: edit(data(t, "sub_strata.csv"), "2019-2020,a,s2,1,",
                    "2019-2020,a,s2,1,assumption: x\n2019-2020,a,s4,3,"),
     "sub_strata.csv", "sub_stratum[line 4]: 's4' has no sampled tenders"),
    ("sub-stratum-of-unsplit-group",
     lambda t: edit(data(t, "criteria_sampled_tenders.csv"), "2019-2020,b,,b1,",
                    "2019-2020,b,x,b1,"),
     "criteria_sampled_tenders.csv", "sub_stratum[line 14]: 'x' given but 'b' in 2019-2020 "
                                     "has no sub-strata"),
    ("sub-stratum-unknown-product-group",
     lambda t: edit(data(t, "sub_strata.csv"), "2019-2020,a,s2,", "2019-2020,q,s2,"),
     "sub_strata.csv", "product_group[line 3]: unknown product group 'q'"),
    ("criteria-format-without-criteria-table",
     lambda t: edit(crit(t), "  criteria: ../data/criteria.csv\n", ""),
     "criteria_sampled_tenders.csv", "has_effect: empty in every row"),
    ("indicator-unknown-in-factors",
     lambda t: edit(data(t, "criteria_translation_factors.csv"), "fa,nox,", "fa,so2,"),
     "criteria_translation_factors.csv", "indicator[line 4]: 'so2' (allowed: co2_eq, nox"),
    ("indicator-factor-in-two-groups",
     lambda t: edit(data(t, "criteria_translation_factors.csv"), "fa,nox,a,", "fa,nox,b,"),
     "criteria_translation_factors.csv", "product_group[line 4]: factor 'fa' belongs to 'a'"),
    ("indicator-asked-without-factors",
     lambda t: edit(crit(t), "indicators: [co2_eq, nox]", "indicators: [co2_eq, nox, pm]"),
     "tiny-criteria.yaml", "monitor.indicators: pm has no translation factors"),
    ("indicator-list-without-co2",
     lambda t: edit(crit(t), "indicators: [co2_eq, nox]", "indicators: [nox]"),
     "tiny-criteria.yaml", "monitor.indicators"),
    ("factor-period-unknown",
     lambda t: add_factor_rows(t, "6,2091-2092"),
     "criteria_translation_factors.csv", "period[line 5]: unknown period '2091-2092'"),
    ("factor-period-twice",
     lambda t: add_factor_rows(t, "6,2019-2020", "5,2019-2020"),
     "criteria_translation_factors.csv", "factor_id+indicator+period[line 6]: duplicate"),
    ("published-indicator-unknown-period",
     lambda t: edit(data(t, "published_indicators.csv"), "2019-2020,nox", "2029-2030,nox"),
     "published_indicators.csv", "period[line 2]: unknown period '2029-2030'"),
    ("published-indicator-bad-basis",
     lambda t: edit(data(t, "published_indicators.csv"), "not stated", "monthly"),
     "published_indicators.csv", "basis[line 2]"),
    ("unclear-option-moved",
     lambda t: edit(crit(t), "  bootstrap: none", "  bootstrap: none\n  unclear: all"),
     "tiny-criteria.yaml", "monitor.unclear: moved to the project-wide key 'unclear'"),
    ("unclear-option-unknown",
     lambda t: edit(crit(t), "  bootstrap: none", "  bootstrap: none\nunclear: some"),
     "tiny-criteria.yaml", "unclear: "),
]


@pytest.mark.parametrize("case", CRITERIA_CASES, ids=[c[0] for c in CRITERIA_CASES])
def test_bad_criteria_input_exits_2_and_keeps_report(case, tiny, tmp_path, capsys):
    """The criteria format's tables (criteria, sub-strata): exit 2, one line per problem
    naming file, line and column, and a previous report untouched."""
    assert main(["validate", str(crit(tiny))]) == 0
    capsys.readouterr()
    refused_and_kept(crit(tiny), tiny, case, tmp_path, capsys)
