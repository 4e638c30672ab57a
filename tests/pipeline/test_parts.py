"""Optional parts: a project holds the monitor, the buyer groups, or both. Validation asks for
the chosen parts' tables only; a run computes, writes and shows only them, and its figures
are the both-parts run's (plain random draws are keyed by input, not by position)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from conftest import ERROR_LINE, RTOL_EXACT, assert_figures_close, tree
from effectmodel.domain.errors import InputError
from effectmodel.domain.parts import CLI_NAMES, PARTS, parse_parts, parts_of, tables_of
from effectmodel.inputs.data import load_inputs
from effectmodel.inputs.paramsfile import load_params

BG_TABLES = ("buyer_groups", "buyer_group_tenders")


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "effectmodel.cli", *args], cwd=cwd,
                          capture_output=True, text=True)


def one_part(tiny: Path, part: str) -> Path:
    """The tiny project's params with only ``part``: the other part's section and its own
    tables left out; written beside it as ``<part>.yaml``."""
    raw = yaml.safe_load(tiny.read_text())
    other = next(p for p in PARTS if p != part)
    raw.pop(other, None)
    keep = set(tables_of((part,)))
    raw["data"] = {k: v for k, v in raw["data"].items() if k in keep}
    raw["name"] = f"tiny-{part.replace('_', '-')}"
    path = tiny.with_name(f"{part}.yaml")
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    return path


@given(st.lists(st.sampled_from([*CLI_NAMES.values(), *PARTS]), min_size=1, max_size=5))
def test_parts_on_the_command_line_come_back_in_page_order(words):
    chosen = parse_parts(",".join(words))
    assert list(chosen) == [p for p in PARTS if p in chosen]
    assert set(chosen) == {p if p in PARTS else p.replace("-", "_") for p in words}


@given(st.text(min_size=1, max_size=12).filter(
    lambda w: w.strip() not in (*CLI_NAMES.values(), *PARTS) and "," not in w))
def test_an_unknown_part_is_one_line_naming_what_is_allowed(word):
    with pytest.raises(InputError) as exc:
        parse_parts(f"monitor,{word}")
    assert len(exc.value.problems) == 1
    assert "allowed: buyer-groups, monitor" in exc.value.problems[0].message


def test_a_part_is_chosen_by_its_section_or_by_its_own_tables():
    assert parts_of({"monitor": None}) == ("monitor",)
    assert parts_of({"data": {"sampled_tenders": "x.csv"}}) == ("monitor",)
    assert parts_of({"data": {"buyer_group_tenders": "x.csv", "criteria": None}}) == (
        "buyer_groups",)
    # household factors serve both parts: naming them chooses neither
    assert parts_of({"data": {"household_factors": "x.csv"}}) == ()
    assert parts_of({"buyer_groups": {}, "monitor": {}}) == PARTS


def test_a_monitor_only_project_asks_for_no_buyer_group_data(tiny):
    params = load_params(one_part(tiny, "monitor"))
    assert params.parts == ("monitor",) and params.buyer_groups is None
    inputs = load_inputs(params)
    assert not set(BG_TABLES) & set(inputs.tables)
    assert "buyer_groups" not in params.as_dict()


@pytest.mark.slow
def test_a_missing_table_of_a_chosen_part_names_that_part(tiny):
    path = one_part(tiny, "monitor")
    raw = yaml.safe_load(path.read_text())
    del raw["data"]["frame_totals"]
    path.write_text(yaml.safe_dump(raw))
    r = cli("validate", str(path))
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and ERROR_LINE.match(lines[0]), r.stderr
    assert "data.frame_totals: missing" in lines[0] and "read by the monitor" in lines[0]


def test_params_with_no_part_are_one_line(tiny):
    raw = yaml.safe_load(tiny.read_text())
    raw.pop("buyer_groups"), raw.pop("monitor")
    raw["data"] = {"household_factors": raw["data"]["household_factors"]}
    tiny.write_text(yaml.safe_dump(raw))
    r = cli("validate", str(tiny))
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and ERROR_LINE.match(lines[0]), r.stderr
    assert "holds no part" in lines[0] and "Traceback" not in r.stderr


def test_an_empty_optional_table_is_read_as_left_out(tiny):
    """A sub-strata or published-figures file with its header only (a new project's
    template) is no table, as null in the params; the figures do not move."""
    from effectmodel.domain.tableschema import TABLES
    from effectmodel.model.engine import evaluate

    plain = load_params(tiny, n_draws=20)
    raw = yaml.safe_load(tiny.read_text())
    for name in ("sub_strata", "published_indicators"):
        (tiny.parents[1] / "data" / f"{name}-empty.csv").write_text(",".join(TABLES[name]) + "\n")
        raw["data"][name] = f"../data/{name}-empty.csv"
    tiny.write_text(yaml.safe_dump(raw))
    params = load_params(tiny, n_draws=20)
    inputs = load_inputs(params)
    assert not {"sub_strata", "published_indicators"} & set(inputs.tables)
    assert not [label for label in inputs.labels.values() if "empty" in label]
    a, b = evaluate(params, inputs), evaluate(plain, load_inputs(plain))
    assert float(abs(a["period_total_t"] - b["period_total_t"]).max()) == 0.0
    # the criteria are not optional in this way: a header only is still no data
    (tiny.parents[1] / "data" / "criteria-empty.csv").write_text(
        ",".join(TABLES["criteria"]) + "\n")
    raw["data"]["criteria"] = "../data/criteria-empty.csv"
    tiny.write_text(yaml.safe_dump(raw))
    with pytest.raises(InputError, match="no data rows"):
        load_inputs(load_params(tiny))


@pytest.mark.slow
@pytest.mark.parametrize("part", PARTS)
def test_a_one_part_run_shows_writes_and_computes_only_that_part(tiny, tmp_path, part):
    """The run of one part: its figures equal the both-parts run's; no other part in
    summary.json, results.nc, the tables or the pages; no empty section."""
    import xarray as xr

    both, only = tmp_path / "both", tmp_path / "only"
    assert cli("run", str(tiny), "--out", str(both)).returncode == 0
    r = cli("run", str(one_part(tiny, part)), "--out", str(only))
    assert r.returncode == 0, r.stderr
    a = json.loads((both / "summary.json").read_text())
    b = json.loads((only / "summary.json").read_text())
    key = {"buyer_groups": "buyer_groups", "monitor": "effect_monitor"}
    other = next(p for p in PARTS if p != part)
    assert b["parts"] == [part] and key[other] not in b
    assert_figures_close(a[key[part]], b[key[part]], rtol=RTOL_EXACT)
    assert set(b["drivers"]) == {"method", part}
    assert set(b["variance_budget"]) == {"method", part}
    with xr.open_dataset(only / "results.nc") as ds:
        prefix = ("bg_",) if other == "buyer_groups" else ("pg_", "period_", "mon_")
        assert not [v for v in ds.data_vars if str(v).startswith(prefix)]
    files = tree(only)
    annex = {"buyer_groups": "annex-buyer-groups.html", "monitor": "annex-monitor.html"}
    assert annex[part] in files and annex[other] not in files
    tables = {"buyer_groups": "tables/buyer_groups.csv", "monitor": "tables/periods.csv"}
    assert tables[part] in files and tables[other] not in files
    page = (only / "index.html").read_text()
    ids = {"buyer_groups": ('id="buyer-groups"', annex["buyer_groups"]),
           "monitor": ('id="monitor"', 'id="criteria"', 'id="trend"', annex["monitor"])}
    assert all(s in page for s in ids[part])
    assert not [s for s in ids[other] if s in page]
    # no empty section: every section has a heading and more than it
    for body in re.findall(r"<section[^>]*>(.*?)</section>", page, flags=re.S):
        assert re.sub(r"<h2>.*?</h2>", "", body).strip(), body[:200]


@pytest.mark.slow
def test_a_sweep_of_a_buyer_group_project(tiny, tmp_path):
    """A sweep on a one-part base: its default outputs are that part's; an output or a
    parameter of the other part is refused before any work, one line each."""
    one_part(tiny, "buyer_groups")
    sweeps = tiny.parent / "sweeps"
    sweeps.mkdir()
    spec = {"schema_version": 1, "name": "s", "title": "award", "base": "../buyer_groups.yaml",
            "draws": 50, "design": {"method": "grid"},
            "parameters": {"buyer_groups.award_probability": {"values": [0.5, 1.0]}}}
    (sweeps / "s.yaml").write_text(yaml.safe_dump(spec))
    r = cli("sweep", str(sweeps / "s.yaml"), "--out", str(tmp_path / "s"))
    assert r.returncode == 0, r.stderr
    summary = json.loads((tmp_path / "s" / "summary.json").read_text())
    assert set(summary["outputs"]) == {"bg_total_t"}
    # award 1: the tiny project's hand-computed risk-adjusted 155 t (tests/data/README.md)
    assert summary["outputs"]["bg_total_t"]["max_median"] == pytest.approx(155, rel=RTOL_EXACT)
    assert summary["outputs"]["bg_total_t"]["min_median"] < 155
    spec.update(name="bad", outputs=["period_total_t"],
                parameters={"monitor.frame_total_scale": {"values": [1.0, 2.0]}})
    (sweeps / "bad.yaml").write_text(yaml.safe_dump(spec))
    before = tree(tmp_path)
    r = cli("sweep", str(sweeps / "bad.yaml"), "--out", str(tmp_path / "bad"))
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 2, r.stderr
    assert all(ERROR_LINE.match(ln) for ln in lines), r.stderr
    assert "needs the monitor part" in lines[0] and "sets the monitor part" in lines[1]
    assert tree(tmp_path) == before


@pytest.mark.slow
def test_build_in_a_folder_with_no_params_is_bad_input(tmp_path):
    before = tree(tmp_path)
    r = cli("build", cwd=tmp_path)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and ERROR_LINE.match(lines[0]), r.stderr
    assert "holds no params file" in lines[0]
    assert tree(tmp_path) == before



@pytest.mark.parametrize(("lang", "want"), [
    ("en", "params and 6 data files valid (28 rows; parts effect monitor; periods 2015-2016, "),
    ("nl", "params en 6 gegevensbestanden geldig (28 rijen; onderdelen effectmonitor; "
           "perioden 2015-2016, ")])
@pytest.mark.slow
def test_validate_confirms_in_the_params_language(tiny, lang, want):
    path = one_part(tiny, "monitor")
    raw = yaml.safe_load(path.read_text())
    raw["language"] = lang
    path.write_text(yaml.safe_dump(raw))
    r = cli("validate", str(path))
    assert r.returncode == 0 and want in r.stdout, r.stdout
