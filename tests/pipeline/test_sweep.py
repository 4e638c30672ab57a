"""Sweeps: invariance to chunking, workers and a real dask cluster; resume after a kill;
fail-soft scenarios; the sweep report; bad sweep files."""

from __future__ import annotations

import html
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import effectmodel as em
from conftest import ERROR_LINE, ROOT
from effectmodel.cli import main
from effectmodel.pipeline import atomic
from effectmodel.pipeline import sweep as sw
from effectmodel.pipeline.netcdf import read_netcdf

pytestmark = pytest.mark.slow


def write_spec(folder: Path, base: Path, body: str, name: str = "s") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(f"schema_version: 1\nname: {name}\ntitle: test sweep\nbase: {base}\n"
                    + body)
    return path


GRID = """draws: 300
chunk_size: {chunk}
design: {{method: grid}}
parameters:
  buyer_groups.award_probability: {{values: [0.25, 0.5, 1.0]}}
  monitor.frame_total_scale: {{values: [0.5, 1.0, 2.0]}}
outputs: [bg_total_t, bg_households, period_total_t, period_households]
"""


def _run(spec, out, **kw) -> xr.Dataset:
    _, ds, _ = sw.run_sweep(spec, out=out, progress=False, **kw)
    return ds


@pytest.fixture
def bayes_tiny(tiny):
    text = tiny.read_text().replace("bootstrap: none", "bootstrap: bayesian")
    tiny.write_text(text)
    return tiny


def test_same_bits_whatever_the_chunk_size_and_workers(bayes_tiny, tmp_path):
    results = []
    for chunk, workers in ((1, None), (4, None), (100, None), (2, 2)):
        spec = write_spec(tmp_path, bayes_tiny, GRID.format(chunk=chunk), f"c{chunk}w{workers}")
        results.append(_run(spec, tmp_path / f"out{chunk}", workers=workers))
    first = results[0]
    assert first.sizes["scenario"] == 9 and (first["status"] == "ok").all()
    for other in results[1:]:
        for name in ("bg_total_t", "bg_households", "period_total_t", "period_households"):
            np.testing.assert_array_equal(other[name].values, first[name].values)


def test_same_bits_on_a_dask_cluster(bayes_tiny, tmp_path):
    from distributed import LocalCluster

    spec = write_spec(tmp_path, bayes_tiny, GRID.format(chunk=2))
    local = _run(spec, tmp_path / "local")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        remote = _run(spec, tmp_path / "dask", scheduler=cluster.scheduler_address)
    for name in ("bg_total_t", "period_total_t"):
        np.testing.assert_array_equal(remote[name].values, local[name].values)


def test_scenario_matches_a_plain_run(bayes_tiny, tmp_path):
    """With common random numbers every scenario draws from (seed, 0): with no overrides a
    scenario is the plain run."""
    spec = write_spec(tmp_path, bayes_tiny, """draws: 400
design: {method: list}
scenarios:
  - {}
  - {buyer_groups.award_probability: 0.5}
outputs: [bg_total_t, period_total_t]
""")
    ds = _run(spec, tmp_path / "o")
    p = em.load_params(bayes_tiny, n_draws=400)
    r = em.evaluate(p, em.load_inputs(p))
    assert float(ds["bg_total_t"].sel(scenario=0, stat="median")) == float(
        np.median(r["bg_total_t"].values))
    np.testing.assert_array_equal(
        ds["period_total_t"].sel(scenario=0, stat="mean").values,
        r["period_total_t"].mean("draw").values)


def test_fail_soft_reports_invalid_scenarios(bayes_tiny, tmp_path, capsys):
    spec = write_spec(tmp_path, bayes_tiny, """draws: 100
design: {method: list}
scenarios:
  - {buyer_groups.award_probability: 0.5}
  - {buyer_groups.award_probability: 1.5}
  - {run.sampler: lhs}
outputs: [bg_total_t]
""")
    out = tmp_path / "report"
    capsys.readouterr()
    # the report is written with every scenario that ran; the exit code says one failed
    assert main(["sweep", str(spec), "--out", str(out), "--notebooks", "all"]) == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"effectmodel: 1 of 3 scenarios failed (reasons in "
        f"{os.path.relpath(out)}/index.html and summary.json)")
    assert sorted(p.name for p in (out / "scenarios").iterdir()) == ["0", "2"]
    s = json.loads((out / "summary.json").read_text())
    assert s["n_scenarios"] == 3 and s["n_failed"] == 1
    assert s["scenario_briefings"] == [0, 2]
    assert s["failed"][0]["scenario"] == 1
    assert "out of range" in s["failed"][0]["reason"]
    ds = read_netcdf(out / "sweep.nc")  # text labels back as the index (CF keeps them aside)
    assert np.isnan(ds["bg_total_t"].sel(scenario=1)).all()
    assert np.isfinite(ds["bg_total_t"].sel(scenario=[0, 2])).all()
    # summary.json holds every figure the report shows: the same numbers, scenario by scenario
    rows = s["scenarios"]
    assert [r["status"] == "ok" for r in rows] == [True, False, True]
    # (values of a list design with gaps are JSON text, as in sweep.nc)
    assert rows[2]["parameters"] == {"buyer_groups.award_probability": "null",
                                     "run.sampler": "\"lhs\""}
    assert rows[1]["outputs"]["bg_total_t"]["median"] is None
    for k in (0, 2):
        for stat in ("mean", "median", "low", "high"):
            assert rows[k]["outputs"]["bg_total_t"][stat] == float(
                ds["bg_total_t"].sel(scenario=k, stat=stat))
    ds.close()
    html = (out / "index.html").read_text()
    assert "Failed scenarios" in html and "out of range" in html and "<script" not in html


def test_resume_after_kill_computes_each_chunk_once(tmp_path):
    spec = write_spec(tmp_path, ROOT / "params" / "reference.yaml", """draws: 3000
chunk_size: 1
design: {method: lhs, n: 16, seed: 2}
parameters:
  buyer_groups.award_probability: {low: 0.3, high: 1.0}
outputs: [bg_total_t, period_total_t]
""")
    out = tmp_path / "out"
    work = sw.work_folder(out.resolve())
    # the sweep in a subprocess that says on stdout when each chunk's file is written: the
    # test kills it after the third, following its output, not the clock
    driver = ("import sys\n"
              "from effectmodel.cli import main\n"
              "from effectmodel.pipeline import sweep as sw\n"
              "real = sw._write_atomic_nc\n"
              "def noted(ds, path):\n"
              "    real(ds, path)\n"
              "    print('chunk written', flush=True)\n"
              "sw._write_atomic_nc = noted\n"
              "sys.exit(main(sys.argv[1:]))\n")
    proc = subprocess.Popen([sys.executable, "-c", driver, "sweep", str(spec), "--out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    written = 0
    for line in proc.stdout:
        written += line.strip() == "chunk written"
        if written == 3:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    finished = sorted((work / "chunks").glob("chunk-*.nc"))
    assert 3 <= len(finished) < 16, "the kill should land mid-way"
    assert not out.exists()
    assert main(["sweep", str(spec), "--out", str(out), "--resume"]) == 0
    # the resumed run is equal to an uninterrupted one
    full = tmp_path / "full"
    assert main(["sweep", str(spec), "--out", str(full)]) == 0
    a = xr.open_dataset(out / "sweep.nc")
    b = xr.open_dataset(full / "sweep.nc")
    for name in ("bg_total_t", "period_total_t"):
        np.testing.assert_array_equal(a[name].values, b[name].values)
    a.close()
    b.close()
    assert not work.exists()


def test_resume_log_has_no_chunk_twice(tmp_path, bayes_tiny):
    """The work folder's log of computed chunks, across an interrupted and a resumed run."""
    spec = write_spec(tmp_path, bayes_tiny, GRID.format(chunk=1))
    out = (tmp_path / "o").resolve()
    work = sw.work_folder(out)
    calls = []
    real = sw.compute_chunk

    def flaky(**kw):
        if len(calls) == 4:
            raise KeyboardInterrupt  # interrupted after four chunks
        calls.append(kw["indices"][0])
        return real(**kw)

    sw_compute = sw.compute_chunk
    try:
        sw.compute_chunk = flaky
        with pytest.raises(KeyboardInterrupt):
            sw.run_sweep(spec, out=out, progress=False)
        first = (work / "computed.log").read_text().split()
        assert len(first) == 4
        sw.compute_chunk = real
        sw.run_sweep(spec, out=out, resume=True, progress=False)
    finally:
        sw.compute_chunk = sw_compute
    log = (work / "computed.log").read_text().split()
    assert sorted(log) == sorted(set(log)) and len(log) == 9


@pytest.mark.parametrize("body, field", [
    ("design: {method: grid}\nparameters: {run.n_draws: {values: [1, 2]}}\n",
     "cannot vary"),
    ("design: {method: grid}\nparameters: {colour: {values: [1]}}\n", "not a parameter"),
    ("design: {method: sobol, n: 10}\nparameters: {monitor.frame_total_scale: "
     "{low: 1, high: 2}}\n", "power of 2"),
    ("design: {method: lhs, n: 5}\nparameters: {monitor.frame_total_scale: "
     "{low: 2, high: 1}}\n", "x < y"),
    ("design: {method: magic}\n", "design.method"),
    ("draws: 1\ndesign: {method: grid}\nparameters: {buyer_groups.award_probability: "
     "{values: [1]}}\n", "draws"),
])
def test_bad_sweep_files_exit_2(tmp_path, tiny, capsys, body, field):
    spec = write_spec(tmp_path, tiny, body)
    assert main(["sweep", str(spec), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and field in err and "s.yaml" in err
    assert all(ERROR_LINE.match(x) for x in err.strip().splitlines()), err


def test_sobol_sweep_report(tmp_path, bayes_tiny):
    spec = write_spec(tmp_path, bayes_tiny, """draws: 500
chunk_size: 64
design: {method: sobol, n: 128, seed: 1}
parameters:
  buyer_groups.award_probability: {low: 0.3, high: 1.0}
  monitor.frame_total_scale: {low: 0.5, high: 1.5}
outputs: [bg_total_t, period_total_t]
""")
    out = tmp_path / "report"
    assert main(["sweep", str(spec), "--out", str(out), "--notebooks", "0,3"]) == 0
    s = json.loads((out / "summary.json").read_text())
    assert s["n_scenarios"] == 128 * (2 + 1 + 2)  # two parameters, the dummy, A and B
    bg = s["sobol"]["outputs"]["bg_total_t"]
    by = {r["parameter"]: r for r in bg["indices"]}
    assert set(by) == {"buyer_groups.award_probability", "monitor.frame_total_scale"}
    # the buyer-group total: award probability all of it, the frame totals nothing at all
    # (common random numbers: scenarios that differ only there give the same figure)
    assert by["buyer_groups.award_probability"]["ST"] > 0.9
    assert by["monitor.frame_total_scale"]["flags"] == ["cannot_reach"]
    # the dummy reaches nothing either (exactly 0): the intervals set the floor
    award = by["buyer_groups.award_probability"]
    assert bg["noise_floor"] == {"S1": award["S1_conf"], "ST": award["ST_conf"],
                                 "basis": "intervals"}
    mon = s["sobol"]["outputs"]["period_total_t[2019-2020]"]
    assert {r["parameter"]: r["flags"] for r in mon["indices"]}[
        "buyer_groups.award_probability"] == ["cannot_reach"]
    for out_ in s["sobol"]["outputs"].values():
        assert all(r["ST"] <= 1 + r["ST_conf"] for r in out_["indices"])
    html = (out / "index.html").read_text()
    assert "Sobol indices" in html and "<svg" in html and "cannot reach this output" in html
    assert "Noise floor (the larger of a dummy parameter" in html
    # a researcher's page: parameters by name, values as values, one interval level, and
    # outputs in words (no code names, no 95% beside the sweep's 90%)
    text = re.sub(r"<[^>]+>", "", html)
    assert "Award probability, all tenders" in text and "from 0.3 to 1" in text
    assert "{'low'" not in text and "period_total_t[" not in text
    assert s["sobol"]["conf_level"] == s["interval"] == 0.9
    assert "90% bootstrap intervals" in text and "95%" not in text
    # one small panel per output (the buyer-group total and three periods), each its own axis
    first = html.split('<figure class="chart">')[1].split("</figure>")[0]
    assert first.count('id="sweep-0-axes_') == 4, first.count('id="sweep-0-axes_')
    for i in (0, 3):
        one = json.loads((out / "scenarios" / str(i) / "summary.json").read_text())
        assert one["n_draws"] == 500
    # the sweep folder and each scenario folder are marked as effectmodel's, whole
    listed = atomic.read_marker(out)
    assert "scenarios/3/index.html" in listed and atomic.foreign_files(out) == []
    assert atomic.foreign_files(out / "scenarios" / "0") == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report", "s.yaml", "tiny"]


def test_sweep_report_speaks_the_base_params_language(tiny, tmp_path):
    tiny.write_text(tiny.read_text().replace("language: en", "language: nl"))
    spec = write_spec(tmp_path, tiny, GRID.format(chunk=4))
    out = tmp_path / "nl"
    assert main(["sweep", str(spec), "--out", str(out)]) == 0
    page = (out / "index.html").read_text()
    assert '<html lang="nl"' in page
    text = html.unescape(page)  # the words a reader sees, however the markup escapes them
    for words in ("Uitkomsten over de sweep", "Mislukte scenario's", "Geen Sobol-opzet"):
        assert words in text, words
    assert "Outputs across the sweep" not in text


def test_base_cache_is_keyed_by_params_data_and_code(bayes_tiny, tmp_path):
    """A second sweep in one session after a data edit computes with the new data (the
    review saw the old numbers come back from the per-process cache), also in forked local
    workers; a worker whose data or code differ from the sweep's refuses (exit-2 error)."""
    spec = write_spec(tmp_path, bayes_tiny, GRID.format(chunk=3))
    before = _run(spec, tmp_path / "before")
    frame = bayes_tiny.parent.parent / "data" / "frame_totals.csv"
    frame.write_text(frame.read_text().replace("2015-2016,a,1000,", "2015-2016,a,3000,", 1))
    after = _run(spec, tmp_path / "after")
    forked = _run(spec, tmp_path / "forked", workers=2)
    sw._base.cache_clear()
    fresh = _run(spec, tmp_path / "fresh")
    np.testing.assert_array_equal(after["period_total_t"].values, fresh["period_total_t"].values)
    np.testing.assert_array_equal(forked["period_total_t"].values,
                                  fresh["period_total_t"].values)
    p = list(after["period"].values).index("2015-2016")
    assert (after["period_total_t"].values[:, p] > before["period_total_t"].values[:, p]).all()
    np.testing.assert_array_equal(after["bg_total_t"].values, before["bg_total_t"].values)

    base = em.load_params(bayes_tiny, n_draws=300)
    inputs = em.load_inputs(base)
    key = json.loads(sw.base_fingerprint(base, inputs, "another code"))
    with pytest.raises(em.InputError, match="runs other effectmodel code"):
        sw._base(str(bayes_tiny), 300, None, json.dumps(key, sort_keys=True))
    key["inputs"]["data/frame_totals.csv"] = "0" * 64
    key["code"] = sw.running_code()
    with pytest.raises(em.InputError, match=r"data/frame_totals.csv changed since the sweep"):
        sw._base(str(bayes_tiny), 300, None, json.dumps(key, sort_keys=True))


def test_scenario_briefings_show_their_sweep_rows(bayes_tiny, tmp_path):
    """A --notebooks briefing is titled with its parameter values, draws the random numbers
    its sweep row drew (its median is the row's), takes the base's interval, and is linked
    from the sweep page."""
    from conftest import RTOL_MACHINE

    text = bayes_tiny.read_text().replace("interval: 0.9", "interval: 0.8")
    assert text != bayes_tiny.read_text()
    bayes_tiny.write_text(text)
    spec = write_spec(tmp_path, bayes_tiny, """draws: 300
design: {method: grid}
parameters:
  buyer_groups.award_probability: {values: [0.5, 0.9]}
outputs: [bg_total_t, period_total_t]
""")
    out = tmp_path / "report"
    assert main(["sweep", str(spec), "--out", str(out), "--notebooks", "1"]) == 0
    sweep = json.loads((out / "summary.json").read_text())
    assert sweep["interval"] == 0.8 and sweep["scenario_briefings"] == [1]
    row = sweep["scenarios"][1]
    assert row["parameters"] == {"buyer_groups.award_probability": 0.9}
    brief = json.loads((out / "scenarios" / "1" / "summary.json").read_text())
    # common random numbers: every scenario draws the plain run's numbers (scenario 0's)
    assert brief["scenario"] == 0 and brief["interval"] == 0.8
    assert brief["title"] == "Tiny test project – scenario 1: award_probability = 0.9"
    for k in ("median", "low", "high"):
        assert brief["buyer_groups"]["total_t"][k] == pytest.approx(
            row["outputs"]["bg_total_t"][k], rel=RTOL_MACHINE)
    page = (out / "scenarios" / "1" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Tiny test project – scenario 1: award_probability = 0.9</h1>" in page
    assert '<a href="scenarios/1/index.html">1</a>' in (out / "index.html").read_text()
    with xr.open_dataset(out / "scenarios" / "1" / "results.nc") as ds:
        assert ds.attrs["scenario"] == 0


def test_identical_scenarios_give_identical_figures(bayes_tiny, tmp_path):
    """Common random numbers (the default): two scenarios with the same settings give the
    same figures, bit for bit, and a third differs only through what it varies; without
    them the two differ by Monte Carlo noise."""
    body = """draws: 300
design: {method: list}
scenarios:
  - {monitor.frame_total_scale: 1.5}
  - {monitor.frame_total_scale: 1.5}
  - {monitor.frame_total_scale: 3.0}
outputs: [bg_total_t, period_total_t]
"""
    same = _run(write_spec(tmp_path, bayes_tiny, body, "crn"), tmp_path / "crn")
    for name in ("bg_total_t", "period_total_t"):
        np.testing.assert_array_equal(same[name].sel(scenario=0).values,
                                      same[name].sel(scenario=1).values)
    # frame totals scale the monitor exactly: doubling them doubles every statistic
    np.testing.assert_allclose(same["period_total_t"].sel(scenario=2).values,
                               2 * same["period_total_t"].sel(scenario=0).values, rtol=1e-12)
    np.testing.assert_array_equal(same["bg_total_t"].sel(scenario=2).values,
                                  same["bg_total_t"].sel(scenario=0).values)
    own = _run(write_spec(tmp_path, bayes_tiny, "common_random_numbers: false\n" + body,
                          "own"), tmp_path / "own")
    assert not np.array_equal(own["period_total_t"].sel(scenario=0).values,
                              own["period_total_t"].sel(scenario=1).values)


def test_a_scheduler_without_the_dask_extra_is_one_line(monkeypatch):
    """dask and distributed are the extra [dask]: without them, --scheduler is bad input
    that names the extra, not an ImportError's traceback."""
    from effectmodel.domain.errors import InputError
    from effectmodel.pipeline.sweep import run_chunks

    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    with pytest.raises(InputError, match=r"effectmodel\[dask\]"):
        run_chunks([], None, "tcp://127.0.0.1:1", lambda cid, ds: None)


#: scenarios that share some of their draws and differ in others: each cache of a sweep
#: (the design, the tenders' inputs, the shared rates, the monitor) is hit, missed and hit
#: again, across chunks
SHARED = [{}, {"buyer_groups.award_probability": 0.5},
          {"buyer_groups.outcomes.as_of": "2022-01-01"},
          {"buyer_groups.risk_counts.total_mode": 60},
          {"buyer_groups.uncertainty.quantity": False},
          {"buyer_groups.outcomes.pooling": 0},
          {"run.sampler": "lhs"},
          {"buyer_groups.additionality": 0.4}, {}]


@pytest.mark.parametrize("common", [True, False])
def test_every_scenario_is_its_own_plain_run(tmp_path, common):
    """A sweep keeps what its scenarios share (per process, across chunks): every scenario
    still gets exactly the numbers a plain run of its overrides gives, on outcomes that
    settle tenders and teach the rates (params/tracking.yaml)."""
    from effectmodel.model import engine, scenarios

    base = em.load_params(ROOT / "params" / "tracking.yaml", n_draws=256)
    inputs = em.load_inputs(base)
    memo = scenarios.Memo()
    got = xr.concat([scenarios.evaluate_scenarios(
        base, inputs, SHARED[i:i + 2], list(range(i, i + 2))[:len(SHARED[i:i + 2])],
        ["bg_total_t"], 0.9, common, memo) for i in range(0, len(SHARED), 2)], "scenario")
    assert (got["status"] == "ok").all()
    for sid, ov in enumerate(SHARED):
        plain = engine.evaluate_buyer_groups(base.with_overrides(ov), inputs,
                                             0 if common else sid)["bg_total_t"].values
        want = [plain.mean(), *np.quantile(plain, [0.5, 0.05, 0.95])]
        np.testing.assert_allclose(got["bg_total_t"].sel(scenario=sid).values, want,
                                   rtol=1e-12, err_msg=f"scenario {sid}: {ov}")
    assert not np.array_equal(got["bg_total_t"].sel(scenario=0), got["bg_total_t"].sel(
        scenario=2)), "the outcomes' date moves the figure"
