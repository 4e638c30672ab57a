"""`effectmodel build`: only what changed rebuilds; --check both ways; a failing report does
not stop the others; a killed build leaves each report wholly old or wholly new; the
what-changed section; reports/index.html."""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project
from effectmodel.pipeline import build, whatchanged
from effectmodel.report.changes import figure_label

pytestmark = pytest.mark.slow


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path) -> Path:
    """A project with two reports: tiny (data/frame_totals.csv) and tiny-b (its own copy of
    the frame totals, data/frame_totals_b.csv)."""
    root = copy_project(tmp_path / "proj")
    shutil.copy(root / "data" / "frame_totals.csv", root / "data" / "frame_totals_b.csv")
    b = (root / "params" / "tiny.yaml").read_text()
    b = b.replace("name: tiny", "name: tiny-b").replace("../data/frame_totals.csv",
                                                        "../data/frame_totals_b.csv")
    (root / "params" / "tiny-b.yaml").write_text(b)
    return root


def statuses(outcomes) -> dict[str, str]:
    return {o.target.name: o.status for o in outcomes}


def test_only_reports_that_read_a_changed_file_rebuild(project):
    first = build.build(project, jobs=2, log=lambda s: None)
    assert statuses(first) == {"tiny": "built", "tiny-b": "built"}
    before_b = snapshot(project / "reports" / "tiny-b")
    # nothing changed: nothing executes
    again = build.build(project, log=lambda s: None)
    assert statuses(again) == {"tiny": "current", "tiny-b": "current"}
    assert snapshot(project / "reports" / "tiny-b") == before_b
    # change one frame total that only tiny reads
    path = project / "data" / "frame_totals.csv"
    path.write_text(path.read_text().replace("2019-2020,b,2000,", "2019-2020,b,3000,"))
    out = build.build(project, log=lambda s: None)
    assert statuses(out) == {"tiny": "built", "tiny-b": "current"}
    assert [o.changed for o in out if o.target.name == "tiny"] == [["data/frame_totals.csv"]]
    assert snapshot(project / "reports" / "tiny-b") == before_b
    ch = json.loads((project / "reports" / "tiny" / "changes.json").read_text())
    assert ch["inputs"] == [{"input": "data/frame_totals.csv",
                             "rows": {"added": [], "removed": [], "changed": ["2019-2020 / b"]}}]
    figs = {f["figure"]: f for f in ch["figures"]}
    moved = figs["period_median:2019-2020"]
    assert moved["new"] > moved["old"] and moved["paired"] and moved["reading"] == "real"
    assert 0 < moved["low"] <= moved["difference"] <= moved["high"]
    assert figs["period_median:2015-2016"]["difference"] == 0
    assert figs["period_median:2015-2016"]["reading"] == "no change"
    assert figure_label("period_median:2019-2020", "nl") == "effectmonitor 2019-2020, " \
        "mediaan [t]"
    page = (project / "reports" / "tiny" / "index.html").read_text()
    assert "What changed since the previous build" in page and "2019-2020 / b" in page
    # at the end of the briefing, after its provenance: a reviewer's last question
    assert page.index('<section id="buyer-groups">') < page.index('<section id="provenance">') \
        < page.index('<section id="what-changed">') < page.index("</main>")
    assert "effect monitor 2019-2020, median [t]" in page
    index = (project / "reports" / "index.html").read_text()
    assert 'href="tiny/index.html"' in index and 'href="tiny-b/index.html"' in index


def test_check_both_ways(project, capsys):
    assert build.main_build([], check=True, jobs=1, root=project) == 1
    out = capsys.readouterr().out
    assert "stale reports/tiny:" in out and "never built" in out
    assert build.main_build([], check=False, jobs=2, root=project) == 0
    capsys.readouterr()
    assert build.main_build([], check=True, jobs=1, root=project) == 0
    assert "0 stale" in capsys.readouterr().out
    nb = project / "notebooks" / "briefing.ipynb"
    nb.write_text(nb.read_text().replace("briefing.header(summary)", "briefing.header(summary)"
                                         "  "))
    assert build.main_build([], check=True, jobs=1, root=project) == 1
    out = capsys.readouterr().out
    assert "stale reports/tiny: changed notebooks/briefing.ipynb" in out


def test_failing_report_does_not_stop_the_others(project, capsys):
    path = project / "data" / "frame_totals_b.csv"
    path.write_text(path.read_text().replace("2015-2016,a,1000", "2015-2016,a,lots"))
    assert build.main_build([], check=False, jobs=1, root=project) == 2  # bad input
    out = capsys.readouterr().out
    assert "FAILED reports/tiny-b" in out and "frame_total_eur[line 2]" in out
    assert "built reports/tiny" in out and "1 failed" in out
    assert (project / "reports" / "tiny" / "manifest.json").exists()
    assert not (project / "reports" / "tiny-b").exists()


@pytest.mark.parametrize("kill_at", [1, 2])
def test_killed_build_leaves_reports_wholly_old_or_new(project, kill_at):
    """Killed as a report's pages are rendered, i.e. as it is finished and swapped in (the
    first report's, or the second's once the first is in place): each report is wholly old
    or wholly new, and the next build finishes the work. The build is followed by its stage
    lines (flushed on stderr as each stage ends), not by the clock."""
    build.build(project, jobs=2, log=lambda s: None)
    old = {n: snapshot(project / "reports" / n) for n in ("tiny", "tiny-b")}
    for name in ("frame_totals.csv", "frame_totals_b.csv"):
        path = project / "data" / name
        path.write_text(path.read_text().replace("2019-2020,b,2000,", "2019-2020,b,2500,"))
    proc = subprocess.Popen([sys.executable, "-m", "effectmodel.cli", "build"], cwd=project,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    rendered = 0
    for line in proc.stderr:
        rendered += b"rendered the briefing" in line
        if rendered == kill_at:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    assert rendered == kill_at
    for name in ("tiny", "tiny-b"):
        folder = project / "reports" / name
        now = snapshot(folder)  # the folder is there: a swap leaves no gap
        if now != old[name]:  # wholly new: complete, with a manifest of the new inputs
            target = next(t for t in build.discover(project) if t.name == name)
            assert build.stale_inputs(target) == [], name
            assert {"index.html", "summary.json", "manifest.json"} <= set(now)
    out = build.build(project, log=lambda s: None)
    assert all(o.status in ("current", "built") for o in out)
    assert not list((project / "reports").glob(".*"))


def test_a_swap_exchanges_the_folders_in_one_step(tmp_path):
    """On Linux a report is replaced by one renameat2(RENAME_EXCHANGE): at no moment is the
    folder missing or half old, half new (a reader polls the folder's marker while 200
    swaps run; the marker names one version or the other, never none)."""
    import threading

    from effectmodel.pipeline import atomic

    if not sys.platform.startswith("linux"):
        pytest.skip("an exchange in one step is Linux's renameat2")
    root = tmp_path / "project"
    root.mkdir()
    out = root / "reports" / "r"
    out.mkdir(parents=True)
    (out / "version").write_text("0")
    atomic.mark(out, ["version"])
    done = threading.Event()
    seen: set[str] = set()

    def reader() -> None:
        while not done.is_set():
            try:
                seen.add((out / "version").read_text())
            except FileNotFoundError:
                seen.add("missing")

    t = threading.Thread(target=reader)
    t.start()
    try:
        for i in range(1, 201):
            with atomic.replacing(out, root) as new:
                (new / "version").write_text(str(i))
                atomic.mark(new, ["version"])
    finally:
        done.set()
        t.join()
    assert (out / "version").read_text() == "200"
    assert "missing" not in seen
    assert sorted(p.name for p in out.parent.iterdir()) == ["r"]  # no staging, no lock left


def test_committed_reports_are_current():
    """Every committed report was built from the files in this commit (as `make test` runs
    `effectmodel build --check`)."""
    stale = {t.name: build.stale_inputs(t) for t in build.discover(ROOT)}
    assert {k: v for k, v in stale.items() if v} == {}


def test_check_notices_outputs_changed_by_hand(project, capsys):
    """The manifest keeps the hash of every file build wrote: an edited page, a replaced
    results.nc, a removed annex and an added file each make the report stale; a build makes
    it current again."""
    assert build.main_build([], check=False, jobs=2, root=project) == 0
    out = project / "reports" / "tiny"
    (out / "index.html").write_text((out / "index.html").read_text().replace("Tiny", "Tny"))
    (out / "results.nc").write_bytes(b"CDF\1 replaced by another file")
    (out / "annex-monitor.html").unlink()
    (out / "notes.txt").write_text("mine\n")
    capsys.readouterr()
    assert build.main_build([], check=True, jobs=1, root=project) == 1
    line = next(ln for ln in capsys.readouterr().out.splitlines() if "reports/tiny:" in ln)
    assert line == ("stale reports/tiny: changed annex-monitor.html (removed by hand), "
                    "index.html (edited or replaced by hand), notes.txt (added by hand), "
                    "results.nc (edited or replaced by hand)")
    (out / "notes.txt").unlink()  # a file effectmodel did not write would stop the rebuild
    assert build.main_build([], check=False, jobs=1, root=project) == 0
    capsys.readouterr()
    assert build.main_build([], check=True, jobs=1, root=project) == 0
    # results.nc is not committed (.gitignore): a fresh clone lacks it, and is current
    (out / "results.nc").unlink()
    assert build.main_build([], check=True, jobs=1, root=project) == 0


def test_a_difference_is_judged_paired():
    """Hand-computed: batch differences 1.0, 1.1, 0.9, 1.0 have sd sqrt(0.02/3), SE
    0.0408248, t(0.975, 3) = 3.182446, so the 95% interval is 1 +- 0.129923: a real change,
    which two independent standard errors combined (0.91) would have called noise."""
    old_b, new_b = [10.0, 12.0, 11.0, 13.0], [11.0, 13.1, 11.9, 14.0]
    row = whatchanged.judge({"value": 11.5, "batches": old_b}, {"value": 12.5, "batches": new_b},
                      paired=True)
    assert row["reading"] == "real" and row["paired"]
    assert row["se"] == pytest.approx((0.02 / 3) ** 0.5 / 2, rel=1e-12)
    assert (row["low"], row["high"]) == (pytest.approx(1 - 0.129923, abs=1e-6),
                                         pytest.approx(1 + 0.129923, abs=1e-6))
    wide = whatchanged.judge({"value": 11.5, "batches": old_b},
                       {"value": 11.6, "batches": [10.5, 11.7, 11.4, 12.8]}, paired=True)
    assert wide["reading"] == "noise" and wide["low"] < 0 < wide["high"]
    other_draws = whatchanged.judge({"value": 11.5, "batches": old_b}, {"value": 12.5,
                              "batches": new_b}, paired=False)
    assert other_draws["reading"] == "not judged" and other_draws["low"] is None
    assert whatchanged.judge({"value": 3.0}, {"value": 3.0}, paired=False)["reading"] == "no change"


def test_code_changes_are_named_by_module():
    before = {"model/engine.py": "a", "report/html.py": "b"}
    after = {"model/engine.py": "a", "report/html.py": "c", "report/settings.py": "d"}
    ch = whatchanged.changes({"inputs": {"code": "1"}, "code_files": before, "headline": {}},
                       {"inputs": {"code": "2"}, "code_files": after, "headline": {}})
    assert ch["inputs"] == [{"input": "code", "modules": {
        "added": ["report/settings.py"], "removed": [], "changed": ["report/html.py"]}}]


def test_a_dirty_work_tree_is_refused_before_any_work(project):
    """Committed pages name the commit that made them: in a git work tree whose tracked data
    differ from the last commit, build refuses in one line (exit 2) and writes nothing;
    --allow-dirty builds; once committed, the report is current."""
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=project, check=True, capture_output=True)
    git("init", "-q", "-b", "main")
    git("config", "user.email", "t@example.org")
    git("config", "user.name", "T")
    git("add", "-A")
    git("commit", "-q", "-m", "project")
    frames = project / "data" / "frame_totals.csv"
    frames.write_text(frames.read_text().replace("2019-2020,b,2000,", "2019-2020,b,3000,"))
    cmd = [sys.executable, "-m", "effectmodel.cli", "build", "params/tiny.yaml"]
    got = subprocess.run(cmd, cwd=project, capture_output=True, text=True)
    assert got.returncode == 2, got.stderr
    lines = got.stderr.strip().splitlines()
    assert len(lines) == 1 and "uncommitted changes to data/frame_totals.csv" in lines[0]
    assert "--allow-dirty" in lines[0] and "Traceback" not in got.stderr
    assert not (project / "reports").exists()
    dirty = subprocess.run([*cmd, "--allow-dirty"], cwd=project, capture_output=True, text=True)
    assert dirty.returncode == 0, dirty.stderr
    assert (project / "reports" / "tiny" / "index.html").is_file()
    git("commit", "-q", "-am", "frame total of b")
    done = subprocess.run(cmd, cwd=project, capture_output=True, text=True)
    assert done.returncode == 0 and "1 current" in done.stdout, done.stderr


def test_row_keys_are_the_tables_key_columns_by_name(tmp_path):
    """A row is named by its table's key columns wherever they stand in the file, so rows
    that share a first column (one factor_id, two indicators or periods) stay apart, and an
    empty optional key column is left out of the name."""
    path = tmp_path / "tf.csv"
    head = ("source,period,indicator,factor_id,product_group,criterion,unit,baseline_ef_dist,"
            "baseline_ef_low,baseline_ef_mode,baseline_ef_high,mvi_ef_dist,mvi_ef_low,"
            "mvi_ef_mode,mvi_ef_high\n")
    row = "x,{},{},fa,a,green,MWh,fixed,{},{},{},fixed,1,1,1\n"
    path.write_text(head + row.format("", "co2_eq", 2, 2, 2) + row.format("", "nox", 3, 3, 3)
                    + row.format("2019-2020", "nox", 6, 6, 6))
    keys = build.KEYS["translation_factors"]
    first = whatchanged.row_hashes(path, keys, "translation_factors")
    assert sorted(first) == ["fa / co2_eq", "fa / nox", "fa / nox / 2019-2020"]
    path.write_text(head + row.format("", "co2_eq", 2, 2, 2) + row.format("", "nox", 3, 3, 3)
                    + row.format("2019-2020", "nox", 7, 7, 7))
    assert whatchanged.diff_rows(first, whatchanged.row_hashes(path, keys,
                                                               "translation_factors")) == \
        {"added": [], "removed": [], "changed": ["fa / nox / 2019-2020"]}


def test_code_changes_go_to_provenance_data_changes_to_the_end():
    """The code's change is a developer's matter: it goes into the provenance section; the
    'What changed' section, at the end of main, names the data only."""
    from effectmodel.pipeline.build import inject
    from effectmodel.report.changes import code_change_html, what_changed_html

    ch = {"inputs": [{"input": "code", "modules": {"added": [], "removed": [],
                                                   "changed": ["model/spendimpact.py"]}},
                     {"input": "data/frame_totals.csv", "rows": {
                         "added": [], "removed": [], "changed": ["2019-2020 / b"]}}],
          "figures": []}
    page = ('<main><section id="headline">h</section><section id="provenance"><p>p</p>'
            '</section></main>')
    out = inject(page, what_changed_html(ch), code_change_html(ch))
    prov = out[out.index('<section id="provenance">'):out.index("</section>", out.index(
        '<section id="provenance">'))]
    assert "model/spendimpact.py" in prov
    changed = out[out.index('<section id="what-changed">'):]
    assert "model/spendimpact.py" not in changed and "2019-2020 / b" in changed
    assert out.index('<section id="what-changed">') > out.index('<section id="provenance">')
    assert code_change_html({"inputs": [], "figures": []}) == ""
