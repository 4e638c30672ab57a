"""The whole path: `effectmodel run` through papermill and nbconvert, and plain papermill."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import (
    ERROR_LINE,
    ROOT,
    RTOL_EXACT,
    RTOL_MACHINE,
    TINY,
    assert_figures_close,
    copy_project,
    live_processes,
)
from effectmodel.cli import main
from effectmodel.pipeline import run as report
from effectmodel.pipeline.atomic import read_marker
from effectmodel.pipeline.outputs import read_results
from effectmodel.pipeline.pages import PACKAGED, execute

pytestmark = pytest.mark.slow


def test_run_writes_everything_and_is_byte_reproducible(tiny, tmp_path):
    """The same bytes from two runs into two folders."""
    a, b = tmp_path / "a", tmp_path / "elsewhere" / "b"
    assert main(["run", str(tiny), "--out", str(a), "--draws", "300"]) == 0
    assert main(["run", str(tiny), "--out", str(b), "--draws", "300"]) == 0
    for name in ("index.html", "annex-buyer-groups.html", "annex-monitor.html", "summary.json",
                 "results.nc"):
        x, y = (a / name).read_bytes(), (b / name).read_bytes()
        if x != y:  # keep both for a look, and say where they differ
            keep = ROOT / "test-artifacts" / "not-reproducible"
            keep.mkdir(parents=True, exist_ok=True)
            (keep / f"a-{name}").write_bytes(x)
            (keep / f"b-{name}").write_bytes(y)
            i = next(k for k in range(min(len(x), len(y))) if x[k] != y[k])
            pytest.fail(f"{name} differs at byte {i}: {x[i - 80:i + 40]!r} / {y[i - 80:i + 40]!r}")
    s = json.loads((a / "summary.json").read_text())
    assert s["schema_version"] == 1 and s["units"] == "t CO2-eq" and s["n_draws"] == 300
    assert set(s) >= {"name", "title", "interval", "seed", "buyer_groups", "effect_monitor",
                      "provenance"}
    assert s["buyer_groups"]["as_planned_t"] == pytest.approx(180, rel=RTOL_EXACT)
    assert set(s["provenance"]) >= {"params_sha256", "inputs", "notebooks", "code_version",
                                    "python", "packages"}
    assert "data/sampled_tenders.csv" in s["provenance"]["inputs"]
    assert "notebooks/briefing.ipynb" in s["provenance"]["notebooks"]
    for stats_ in (s["buyer_groups"]["total_t"], s["effect_monitor"]["periods"][0]["total_t"]):
        assert set(stats_) >= {"mean", "median", "low", "high", "mc_error"}
        assert stats_["low"] <= stats_["median"] <= stats_["high"]
    ds = read_results(a / "results.nc")
    assert (ds["bg_total_t"].attrs["units"], ds["bg_total_t"].attrs["units_label"]) == (
        "t", "t CO2-eq")
    assert ds.sizes["draw"] == 300
    np.testing.assert_allclose(float(ds["bg_total_t"].median()),
                               s["buyer_groups"]["total_t"]["median"], rtol=1e-12)
    ds.close()
    # the run hands each page its summary.json and nothing else, under its final name
    for name in ("briefing", "annex_buyer_groups", "annex_monitor"):
        nb = json.loads((a / "notebooks" / f"{name}.ipynb").read_text())
        assert nb["metadata"]["papermill"]["parameters"] == {
            "summary_path": str(a / "summary.json")}
    html = (a / "index.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and 'lang="en"' in html
    assert "<script" not in html.lower()
    assert "effectmodel as em" not in html  # code hidden
    assert str(tmp_path) not in html and str(tmp_path) not in (a / "summary.json").read_text()


def test_failed_run_leaves_previous_report_intact(tiny, tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(tiny), "--out", str(out), "--draws", "50"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    broken = tmp_path / "broken"
    shutil.copytree(tiny.parent.parent / "notebooks", broken)
    nb = json.loads((broken / "briefing.ipynb").read_text())
    nb["cells"][3]["source"] = "raise RuntimeError('boom')"
    (broken / "briefing.ipynb").write_text(json.dumps(nb))
    with pytest.raises(report.RunFailed, match="boom"):
        report.run(tiny, out=out, n_draws=60, notebooks_dir=broken)
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "out", "tiny"]


def _children() -> set[int]:
    """This process's live descendants (from /proc): the kernels papermill started."""
    parent = live_processes()
    found, todo = set(), [os.getpid()]
    while todo:
        pid = todo.pop()
        kids = [k for k, p in parent.items() if p == pid]
        found.update(kids)
        todo.extend(kids)
    return found


def test_a_model_failure_starts_no_kernel_and_keeps_the_report(tiny, tmp_path, monkeypatch):
    """The pages run after the model: when the model fails, no kernel was started, no process
    is left, and the previous report stays as it was."""
    from effectmodel.model import engine

    out = tmp_path / "out"
    assert main(["run", str(tiny), "--out", str(out), "--draws", "50"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    kids = _children()
    seen = []

    def broken(*args, **kwargs):
        seen.append(_children() - kids)
        raise ZeroDivisionError("model broke")

    monkeypatch.setattr(engine, "evaluate", broken)
    with pytest.raises(ZeroDivisionError, match="model broke"):
        report.run(tiny, out=out, n_draws=60)
    assert seen == [set()]  # nothing of ours running beside the model
    assert _children() - kids == set()
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "tiny"]


def test_notebook_runs_with_plain_papermill(tiny, tmp_path):
    project = tiny.parent.parent
    out = tmp_path / "plain"
    r = subprocess.run(
        [sys.executable, "-m", "papermill", "notebooks/briefing.ipynb", str(tmp_path / "o.ipynb"),
         "-p", "params_path", "params/tiny.yaml", "-p", "n_draws", "100",
         "-p", "output_dir", str(out), "--no-progress-bar"],
        cwd=project, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    s = json.loads((out / "summary.json").read_text())
    assert s["n_draws"] == 100
    assert s["buyer_groups"]["households_as_planned"] == pytest.approx(90, rel=RTOL_EXACT)
    # the folder is marked as holding effectmodel's files (the tables beside the briefing too)
    assert read_marker(out) == ["results.nc", "summary.json", *TINY_TABLES]
    # without output_dir a notebook writes nothing; into data/ it refuses
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    for extra in ([], ["-p", "output_dir", "data"]):
        r = subprocess.run(
            [sys.executable, "-m", "papermill", "notebooks/briefing.ipynb",
             str(tmp_path / "o2.ipynb"), "-p", "params_path", "params/tiny.yaml",
             "-p", "n_draws", "50", "--no-progress-bar", *extra],
            cwd=project, capture_output=True, text=True)
        assert (r.returncode == 0) == (not extra), r.stderr[-2000:]
        assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before
    assert "is the project's data/ folder" in r.stderr


def test_notebooks_are_thin_and_without_outputs():
    import nbformat

    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
        assert len(params) == 1
        names = {line.split("=")[0].strip() for line in params[0].source.splitlines()
                 if "=" in line}
        assert names == ({"output_dir"} if path.name == "sweep.ipynb" else {
            "params_path", "n_draws", "seed", "output_dir", "overrides", "summary_path"})
        for c in code:
            assert c.outputs == [] and c.execution_count is None, path
            for word in ("def ", "class ", "for ", "if ", "while "):
                assert not any(line.lstrip().startswith(word)
                               for line in c.source.splitlines()), (path, c.source)


def test_python_api(tiny, tmp_path):
    """The README's API: em.run writes the report; two lines give the product groups."""
    import effectmodel as em

    out = em.run(tiny, out=tmp_path / "api", n_draws=40, overrides={"run.seed": 3})
    assert out == (tmp_path / "api").resolve()
    s = json.loads((out / "summary.json").read_text())
    assert s["n_draws"] == 40 and s["seed"] == 3
    df = em.product_groups(s)
    periods = s["effect_monitor"]["periods"]
    assert len(df) == sum(len(p["product_groups"]) for p in periods)
    first = periods[0]["product_groups"][0]
    row = df.iloc[0]
    assert (row["period"], row["product_group"]) == (periods[0]["period"], first["id"])
    assert row["reduction_median_t"] == first["reduction_t"]["median"]
    assert row["share_low"] <= row["share"] <= row["share_high"]
    # the in-process figures are the run's own (same seed, same draws; 1e-12: float paths)
    params = em.load_params(tiny, n_draws=40, overrides={"run.seed": 3})
    inputs = em.load_inputs(params)
    mine = em.summarise(em.evaluate(params, inputs), params, inputs)
    for k in ("mean", "median", "low", "high"):
        assert mine["buyer_groups"]["total_t"][k] == pytest.approx(
            s["buyer_groups"]["total_t"][k], rel=1e-12)


#: the tables a run of the tiny project writes beside its briefing (it has no indicators)
TINY_TABLES = ["tables.xlsx", *(f"tables/{n}.csv" for n in (
    "buyer_group_tenders", "buyer_groups", "headline", "periods", "product_groups",
    "variance_budget"))]


def test_one_evaluation_per_run_notebooks_read_the_runs_summary(tiny, tmp_path):
    """run_summary reads a summary.json of the same params and inputs (no evaluation), and
    evaluates when the params differ."""
    import effectmodel as em
    from effectmodel.pipeline import outputs

    params = em.load_params(tiny, n_draws=30)
    folder = tmp_path / "o"
    first = outputs.run_summary(params, folder)  # evaluates and saves
    assert (folder / "results.nc").exists()
    assert read_marker(folder) == ["results.nc", "summary.json", *TINY_TABLES]
    marked = json.loads((folder / "summary.json").read_text())
    marked["buyer_groups"]["as_planned_t"] = -1.0  # only a read can return this
    (folder / "summary.json").write_text(json.dumps(marked))
    assert outputs.run_summary(params, folder)["buyer_groups"]["as_planned_t"] == -1
    other = em.load_params(tiny, n_draws=31)
    again = outputs.run_summary(other, None)  # other params: evaluated, not read
    assert again["buyer_groups"]["as_planned_t"] == first["buyer_groups"]["as_planned_t"]
    assert again["n_draws"] == 31
    # a data file edited since: its hash differs, so the summary is made again
    frames = tiny.parent.parent / "data" / "frame_totals.csv"
    frames.write_text(frames.read_text().replace("2015-2016,a,1000", "2015-2016,a,1001"))
    assert outputs.run_summary(params, folder)["buyer_groups"]["as_planned_t"] == first[
        "buyer_groups"]["as_planned_t"]


def test_a_page_handed_its_summary_renders_it_as_it_is(tmp_path):
    """What `effectmodel run` hands a kernel: the summary.json, read as it is, with no params
    file, no data and no model (a params path that does not exist is never opened)."""
    from effectmodel.pipeline import outputs

    path = tmp_path / "summary.json"
    path.write_text(json.dumps({"buyer_groups": {"as_planned_t": -1.0}}))
    assert outputs.page_summary(path, "no/such/params.yaml") == {
        "buyer_groups": {"as_planned_t": -1.0}}
    with pytest.raises(ValueError, match="summary_path or params_path"):
        outputs.page_summary(None)


def test_an_older_own_notebook_is_refused_before_any_work(tiny, tmp_path, capsys):
    """A project's own notebook without the parameter the run hands (a copy from before
    pages only rendered) would compute a run of its own: refused in one line, nothing
    written."""
    import nbformat

    project = tiny.parent.parent
    path = project / "notebooks" / "annex_monitor.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = cell.source.replace("summary_path = None", "")
    nbformat.write(nb, path)
    out = tmp_path / "out"
    assert main(["run", str(tiny), "--out", str(out), "--draws", "20"]) == 2
    err = capsys.readouterr().err.strip()
    assert ERROR_LINE.match(err), err
    assert err.startswith("error: notebooks/annex_monitor.ipynb: parameters: no summary_path")
    assert not out.exists()


def test_stages_are_logged_even_when_piped(tiny, tmp_path):
    r = subprocess.run([sys.executable, "-m", "effectmodel.cli", "run", str(tiny), "--draws",
                        "20", "--out", str(tmp_path / "o")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    lines = r.stderr.strip().splitlines()
    assert [line.split(" (")[0] for line in lines] == [
        "effectmodel: validated params and data, and the output folder",
        "effectmodel: evaluated 20 draws", "effectmodel: summarised",
        "effectmodel: wrote summary.json, results.nc and the tables",
        "effectmodel: rendered the briefing and its two annexes"]
    assert all(line.endswith(" s)") for line in lines)
    assert "\r" not in r.stderr  # no progress bar when not on a terminal


def test_kernels_started_side_by_side_talk_over_their_own_sockets(tmp_path):
    """Six kernels at once: each runs over IPC (no TCP port to race for, the CI failure of
    kernels dying with "Address already in use"), under a socket name of its own."""
    from concurrent.futures import ThreadPoolExecutor

    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("parameters = None", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(
                    "import json, ipykernel\n"
                    "info = json.loads(ipykernel.get_connection_info())\n"
                    "print(info['transport'], info['ip'])")]
    source = tmp_path / "probe.ipynb"
    nbformat.write(nb, str(source))

    def one(i):
        out = execute(source, tmp_path / f"out{i}.ipynb", {}, tmp_path, False)
        return out.cells[-1].outputs[0]["text"].split()

    with ThreadPoolExecutor(max_workers=6) as pool:
        seen = list(pool.map(one, range(6)))
    assert {transport for transport, _ in seen} == {"ipc"}
    assert len({ip for _, ip in seen}) == 6


#: in a fresh process: every traitlets class trait (Type, Instance) still named by a string
#: after ``resolve_classes``, then those a kernel's whole start, run and stop resolved
UNRESOLVED = """
import json, sys
import nbformat, papermill
from traitlets import ClassBasedTraitType, HasTraits
from effectmodel.pipeline.kernels import IpcKernelManager, resolve_classes

def named_by_string():
    classes, stack = set(), [HasTraits]
    while stack:
        c = stack.pop()
        if c not in classes:
            classes.add(c)
            stack.extend(c.__subclasses__())
    return {f"{c.__module__}.{c.__qualname__}.{n}" for c in classes
            for n, t in c.class_traits().items() if isinstance(t, ClassBasedTraitType)
            and any(isinstance(getattr(t, a, None), str) for a in ("klass", "default_value"))}

if sys.argv[1] == "resolve":
    resolve_classes()
before = named_by_string()
nb = nbformat.v4.new_notebook()
nb.cells.append(nbformat.v4.new_code_cell("1 + 1"))
papermill.execute_notebook(nb, None, kernel_name="python3", progress_bar=False,
                           kernel_manager_class=IpcKernelManager, shutdown_kernel="immediate")
print(json.dumps(sorted(before - named_by_string())))
"""


def test_a_kernels_classes_are_resolved_before_its_thread_starts_it():
    """A run starts its pages' kernels in threads, and traitlets' first import of a class
    named by string is not thread-safe ("import_item accepts strings, not MetaHasTraits",
    seen once in a full suite). After ``resolve_classes`` a kernel's start resolves nothing
    more, so the threads only read; without it the same start resolves the names this test
    exists for (the control, so it cannot pass by finding nothing to look at)."""
    def resolved_by_a_run(how: str) -> list[str]:
        r = subprocess.run([sys.executable, "-c", UNRESOLVED, how], capture_output=True,
                           text=True, check=True)
        return json.loads(r.stdout.splitlines()[-1])

    assert resolved_by_a_run("resolve") == []
    control = resolved_by_a_run("none")
    assert any(name.endswith(".client_factory") for name in control), control


def test_a_kernels_own_stderr_stays_out_of_the_runs(tmp_path):
    """What a kernel process writes to its own stderr (ipykernel's shutdown noise, once seen
    in CI as "Uncaught exception in ZMQStream callback") goes to its log, not to the stderr
    of the process that runs the notebook; a cell's printed output still arrives."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("parameters = None", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("import os\nos.write(2, b'KERNEL NOISE\\n')\n"
                                          "print('cell output')")]
    source = tmp_path / "noisy.ipynb"
    nbformat.write(nb, str(source))
    code = ("import sys; from pathlib import Path; from effectmodel.pipeline.pages import execute; "
            f"nb = execute(Path({str(source)!r}), Path({str(tmp_path / 'o.ipynb')!r}), "
            f"{{}}, Path({str(tmp_path)!r}), False); print(nb.cells[-1].outputs[-1]['text'])")
    env = {k: v for k, v in __import__("os").environ.items() if k != "EFFECTMODEL_DEBUG"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert "cell output" in r.stdout
    assert "KERNEL NOISE" not in r.stderr


# a numeric code path other than this machine's: OpenBLAS's oldest x86-64 kernel, and NumPy
# without its AVX2 / AVX-512 loops (what CI's other CPU may take)
OTHER_CPU = {"OPENBLAS_CORETYPE": "Prescott",
             "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_SKX AVX512_ICL AVX512_SPR"}
#: what a build adds to a page: its What changed section and the code's change in provenance
WHAT_CHANGED = re.compile(r'<section id="what-changed">.*?</section>'
                          r'|<p class="note code-change">.*?</p>', re.S)
# which git commit computed a page differs between a working tree and a clean clone
GIT_ROW = re.compile(r'<th scope="row">Git</th><td>[^<]*</td>')


def test_another_numeric_code_path_reproduces_the_committed_reference(tmp_path):
    """Committed pages byte-identical, figures within RTOL_MACHINE, build --check clean, when
    everything (this process's children and their kernels) runs on another code path."""
    import os

    env = {**os.environ, **OTHER_CPU}
    exe = str(Path(sys.executable).with_name("effectmodel"))
    out = tmp_path / "reference"
    subprocess.run([exe, "run", str(ROOT / "params" / "reference.yaml"), "--out", str(out)],
                   check=True, capture_output=True, env=env, cwd=ROOT)
    committed = ROOT / "reports" / "reference"
    for page in ("index.html", "annex-buyer-groups.html", "annex-monitor.html"):
        want = WHAT_CHANGED.sub("", (committed / page).read_text(encoding="utf-8"))
        got = (out / page).read_text(encoding="utf-8")
        assert GIT_ROW.sub("", got) == GIT_ROW.sub("", want), page
    old, new = (json.loads((f / "summary.json").read_text()) for f in (committed, out))
    old["provenance"].pop("git"), new["provenance"].pop("git")
    assert_figures_close(old, new, RTOL_MACHINE)
    check = subprocess.run([exe, "build", "--check"], capture_output=True, text=True, env=env,
                           cwd=ROOT)
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_settings_used_are_shown_everywhere(tiny, tmp_path):
    """--set buyer_groups.award_probability=0.6: the value is in the headline's note, in the
    settings table (bold, 'override'), in the annex next to what the data said, in
    summary.json (overrides, settings, params, every tender's inputs) and in results.nc."""
    import xarray as xr

    out = tmp_path / "r"
    assert main(["run", str(tiny), "--out", str(out), "--draws", "50",
                 "--set", "buyer_groups.award_probability=0.6"]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert ('<p class="note">This run sets <strong>Monte Carlo draws = 50</strong>, <strong>'
            'Award probability, all tenders = 0.6</strong> (see <a href="#settings">') in page
    settings = page[page.index('<section id="settings">'):]
    assert ('<th scope="row"><strong>Award probability, all tenders</strong></th><td><strong>'
            '0.6</strong></td><td><strong>override (command line, sweep scenario or API)'
            '</strong></td><td><strong>replaces the award probability of every tender in the '
            'data</strong></td>') in settings
    assert ('<th scope="row">Additionality, all tenders</th><td>from the data</td><td>default'
            '</td><td></td>') in settings
    annex = (out / "annex-buyer-groups.html").read_text(encoding="utf-8")
    assert annex.count("0.60; data: 1.00") == 3  # the tiny project's three tenders
    s = json.loads((out / "summary.json").read_text())
    assert s["overrides"] == {"buyer_groups.award_probability": 0.6, "run.n_draws": 50}
    assert page.index('id="headline"') < page.index("This run sets") < page.index(
        '<section id="buyer-groups"')
    assert s["params"]["buyer_groups"]["award_probability"] == 0.6
    row = next(r for r in s["settings"] if r["key"] == "buyer_groups.award_probability")
    assert row == {"key": "buyer_groups.award_probability", "value": 0.6,
                   "origin": "override", "default": None}
    assert {r["key"]: r["origin"] for r in s["settings"]}["monitor.frame_total_scale"] == \
        "default"
    for tender in s["buyer_groups"]["tenders"]:
        assert tender["award_probability"] == 0.6
        assert tender["data_values"] == {"award_probability": 1.0}
    with xr.open_dataset(out / "results.nc") as ds:
        assert json.loads(ds.attrs["overrides_json"]) == s["overrides"]
        assert json.loads(ds.attrs["params_json"]) == s["params"]


def test_provenance_names_the_git_commit(tmp_path):
    """A clean work tree gives its commit, an edited tracked file 'uncommitted changes', a
    folder outside git nothing; the page says which in its language."""
    from effectmodel.pipeline.provenance import git_commit
    from effectmodel.report.briefing import git_text

    repo = tmp_path / "repo"
    (repo / "src").mkdir(parents=True)
    (repo / "src" / "m.py").write_text("x = 1\n")
    for args in (["init", "-q"], ["config", "user.email", "t@example.org"],
                 ["config", "user.name", "T"], ["add", "-A"], ["commit", "-q", "-m", "m"]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True,
                          text=True, check=True).stdout.strip()[:12]
    assert git_commit([repo / "src"]) == {"commit": head, "uncommitted_changes": False}
    (repo / "src" / "m.py").write_text("x = 2\n")
    assert git_commit([repo / "src"]) == {"commit": head, "uncommitted_changes": True}
    assert git_text(git_commit([repo / "src"]), "en") == (
        f"uncommitted changes to the code, on top of commit {head}")
    (tmp_path / "plain").mkdir()
    assert git_commit([tmp_path / "plain"]) is None
    assert git_text(None, "nl") == "de code staat niet in een git-werkmap"


def test_a_projects_own_notebook_overrides_the_packaged_one(tmp_path):
    """A project runs the package's notebooks unless its notebooks/ folder holds one of the
    same name: here its own briefing (with a line of its own), the packaged annexes; the
    provenance names each where it came from."""
    import nbformat

    project = shutil.copytree(TINY, tmp_path / "project")
    (project / "notebooks").mkdir()
    nb = nbformat.read(str(PACKAGED / "briefing.ipynb"), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        "from IPython.display import HTML\nHTML(\"<p>Our team's own closing line.</p>\")"))
    nbformat.write(nb, str(project / "notebooks" / "briefing.ipynb"))
    out = tmp_path / "out"
    assert main(["run", str(project / "params" / "tiny.yaml"), "--out", str(out),
                 "--draws", "40"]) == 0
    assert "Our team's own closing line." in html.unescape((out / "index.html").read_text())
    assert "closing line" not in (out / "annex-monitor.html").read_text()
    notebooks = json.loads((out / "summary.json").read_text())["provenance"]["notebooks"]
    assert sorted(notebooks) == ["effectmodel/notebooks/annex_buyer_groups.ipynb",
                                 "effectmodel/notebooks/annex_monitor.ipynb",
                                 "notebooks/briefing.ipynb"]  # those the run executed


def test_a_table_left_out_for_being_empty_still_matches_the_notebooks(tmp_path):
    """A project made by init names optional tables whose files hold only a header (spend,
    outcomes): summary.json's provenance lists them, hashed as the notebooks hash them, so
    the notebooks read the run's summary back instead of evaluating again (each kernel
    evaluating and writing results.nc into the staging folder failed on one core)."""
    import effectmodel as em
    from effectmodel.pipeline.provenance import input_hashes, provenance

    params = copy_project(tmp_path / "p") / "params" / "tiny.yaml"
    data = params.parent.parent / "data"
    (data / "spend_intensities.csv").write_text(
        "group,indicator,intensity_dist,intensity_low,intensity_mode,intensity_high,source\n")
    params.write_text(params.read_text().replace(
        "  frame_totals: ../data/frame_totals.csv\n",
        "  frame_totals: ../data/frame_totals.csv\n"
        "  spend_intensities: ../data/spend_intensities.csv\n"))
    p = em.load_params(params)
    inputs = em.load_inputs(p)
    assert "spend_intensities" not in inputs.tables  # left out: only a header
    named = provenance(p, inputs)["inputs"]
    assert "data/spend_intensities.csv" in named and named == input_hashes(p)
