"""`effectmodel init`: a project in any folder, from an existing project's data or with an
empty intake workbook; an existing folder with anything in it is refused untouched."""

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
from openpyxl import load_workbook

from conftest import ERROR_LINE, RTOL_EXACT, copy_project, tree
from effectmodel.cli import main
from effectmodel.pipeline.project import project_name


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "effectmodel.cli", *args], cwd=cwd,
                          capture_output=True, text=True)


@pytest.mark.slow
def test_a_project_from_another_runs_anywhere_with_the_same_figures(tmp_path):
    """init --from the tiny project: its data copied beside a params file of the new
    folder's name; validate and run work from another folder; the as-planned figure is the
    tiny project's hand-computed 180 t."""
    tiny = copy_project(tmp_path / "tiny") / "params" / "tiny.yaml"
    r = cli("init", str(tmp_path / "My Project"), "--from", str(tiny), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == (f"made the project {tmp_path / 'My Project'}: "
                                "params/my-project.yaml, data/ and README.md")
    params = tmp_path / "My Project" / "params" / "my-project.yaml"
    assert not (tmp_path / "My Project" / "notebooks").exists()  # the package's are used
    assert cli("validate", str(params), cwd="/").returncode == 0
    out = tmp_path / "out"
    r = cli("run", str(params), "--out", str(out), "--draws", "50", cwd="/")
    assert r.returncode == 0, r.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["name"] == "my-project"
    assert summary["buyer_groups"]["as_planned_t"] == pytest.approx(180, rel=RTOL_EXACT)


@pytest.mark.slow
def test_an_empty_project_in_dutch_asks_to_be_filled_in(tmp_path, capsys):
    folder = tmp_path / "nieuw"
    folder.mkdir()  # an empty folder is fine
    assert main(["init", str(folder), "--lang", "nl"]) == 0
    assert capsys.readouterr().out.strip() == (
        f"project {folder} gemaakt: params/nieuw.yaml, data/intake.xlsx en README.md")
    assert sorted(tree(folder)) == ["README.md", "data", "data/intake.xlsx", "params",
                                    "params/nieuw.yaml"]
    assert "Vul de gegevens in" in (folder / "README.md").read_text()
    book = load_workbook(folder / "data" / "intake.xlsx")
    assert "invulwerkmap" in book["instructions"]["A1"].value
    r = cli("validate", str(folder / "params" / "nieuw.yaml"))
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and lines and all(ERROR_LINE.match(ln) for ln in lines), r.stderr
    assert "data/intake.xlsx#buyer_groups: (file): no data rows" in r.stderr


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["not empty", "a file", "bad source"])
def test_refused_before_any_work_and_nothing_touched(tmp_path, kind):
    folder = tmp_path / "project"
    source = []
    if kind == "not empty":
        folder.mkdir()
        (folder / "mine.txt").write_text("my notes\n")
    elif kind == "a file":
        folder.write_text("a file\n")
    else:
        source = ["--from", str(tmp_path / "missing.yaml")]
    before = tree(tmp_path)
    r = cli("init", str(folder), *source)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    line = r.stderr.strip().splitlines()
    assert len(line) == 1 and ERROR_LINE.match(line[0]), r.stderr
    assert tree(tmp_path) == before


@given(st.text(min_size=1, max_size=40).filter(lambda s: "/" not in s and "\0" not in s
                                                and s not in (".", "..")))
def test_every_folder_name_gives_a_valid_params_name(name):
    assert re.fullmatch(r"[a-z0-9][a-z0-9_-]*", project_name(Path(name)))


@pytest.mark.slow
def test_a_monitor_project_from_csv_templates_asks_for_the_monitor_only(tmp_path):
    """init --parts monitor --data csv --lang nl: a CSV file per monitor table (its header)
    and columns.md in Dutch; no buyer-group file or section; validate asks for the rows of
    the monitor's required tables only (sub_strata and published_indicators may stay
    empty)."""
    from effectmodel.domain.parts import OPTIONAL_TABLES, tables_of
    from effectmodel.domain.tableschema import TABLES

    folder = tmp_path / "monitor"
    r = cli("init", str(folder), "--parts", "monitor", "--data", "csv", "--lang", "nl")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == (f"project {folder} gemaakt: params/monitor.yaml, data/*.csv en "
                                "README.md")
    monitor = tables_of(("monitor",))
    assert sorted(p.name for p in (folder / "data").iterdir()) == sorted(
        [f"{t}.csv" for t in monitor] + ["columns.md"])
    raw = (folder / "data" / "frame_totals.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\r\n")  # Dutch Excel's CSV
    header = raw.decode("utf-8-sig").strip().split(";")
    assert header == list(TABLES["frame_totals"])
    notes = (folder / "data" / "columns.md").read_text()
    assert "| `frame_total_eur` | waarde van alle aanbestedingen" in notes
    params = yaml.safe_load((folder / "params" / "monitor.yaml").read_text())
    assert "buyer_groups" not in params and "monitor" in params
    assert set(params["data"]) == set(monitor)
    r = cli("validate", str(folder / "params" / "monitor.yaml"))
    empty = {m.group(1) for m in re.finditer(r"data/(\w+)\.csv: \(file\): no data rows",
                                             r.stderr)}
    assert r.returncode == 2 and empty == set(monitor) - set(OPTIONAL_TABLES["monitor"][1:])


@pytest.mark.slow
def test_a_buyer_group_workbook_has_their_sheets_each_column_noted(tmp_path):
    from effectmodel.domain.parts import tables_of

    folder = tmp_path / "bg"
    assert cli("init", str(folder), "--parts", "buyer-groups").returncode == 0
    book = load_workbook(folder / "data" / "intake.xlsx")
    assert book.sheetnames == ["instructions", *tables_of(("buyer_groups",))]
    for name in book.sheetnames[1:]:
        for cell in book[name][1]:
            assert cell.comment is not None and len(cell.comment.text) > 15, (name, cell.value)
    params = yaml.safe_load((folder / "params" / "bg.yaml").read_text())
    assert "monitor" not in params and params["buyer_groups"]["household_factor"]


@pytest.mark.slow
def test_one_part_of_another_project(tmp_path):
    """init --from the tiny project --parts monitor: the monitor's data only, params without
    the buyer groups; it validates and runs with the tiny monitor's figures."""
    tiny = copy_project(tmp_path / "tiny") / "params" / "tiny.yaml"
    folder = tmp_path / "mon"
    r = cli("init", str(folder), "--from", str(tiny), "--parts", "monitor")
    assert r.returncode == 0, r.stderr
    assert not (folder / "data" / "buyer_groups.csv").exists()
    params = yaml.safe_load((folder / "params" / "mon.yaml").read_text())
    assert "buyer_groups" not in params
    r = cli("run", str(folder / "params" / "mon.yaml"), "--out", str(tmp_path / "out"),
            "--draws", "50")
    assert r.returncode == 0, r.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["parts"] == ["monitor"] and "buyer_groups" not in summary


@pytest.mark.slow
@pytest.mark.parametrize("data", ["csv", "xlsx"])
def test_one_part_in_data_files_of_its_own_validates(tmp_path, data):
    """init --from --parts monitor --data csv|xlsx rewrites the data: its params name no
    table of the buyer groups, not even as null (validate refused 'data.buyer_groups:
    unknown key' before; found trying a researcher's own monitor-only project)."""
    tiny = copy_project(tmp_path / "tiny") / "params" / "tiny.yaml"
    folder = tmp_path / "mon"
    r = cli("init", str(folder), "--from", str(tiny), "--parts", "monitor", "--data", data)
    assert r.returncode == 0, r.stderr
    params = yaml.safe_load((folder / "params" / "mon.yaml").read_text())
    assert not {"buyer_groups", "buyer_group_tenders"} & set(params["data"])
    r = cli("validate", str(folder / "params" / "mon.yaml"))
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("args", [["--parts", "monitor,bogus"], ["--parts", ""],
                                  ["--from", "TINY", "--parts", "buyer-groups"]])
@pytest.mark.slow
def test_a_wrong_parts_list_is_one_line_and_writes_nothing(tmp_path, args):
    tiny = copy_project(tmp_path / "tiny") / "params" / "tiny.yaml"
    if "--from" in args:  # a monitor-only source has no buyer groups to copy
        raw = yaml.safe_load(tiny.read_text())
        raw.pop("buyer_groups")
        raw["data"] = {k: v for k, v in raw["data"].items()
                       if k not in ("buyer_groups", "buyer_group_tenders")}
        tiny.write_text(yaml.safe_dump(raw))
        args = [str(tiny) if a == "TINY" else a for a in args]
    before = tree(tmp_path)
    r = cli("init", str(tmp_path / "new"), *args)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and ERROR_LINE.match(lines[0]), r.stderr
    assert "--parts" in lines[0] and "Traceback" not in r.stderr
    assert tree(tmp_path) == before
