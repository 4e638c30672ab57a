"""`effectmodel init`: a project in any folder, from an existing project's data or with an
empty intake workbook; an existing folder with anything in it is refused untouched."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
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
