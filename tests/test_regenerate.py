"""The CI workflow's logic (scripts/regenerate.py, which .github/workflows/reports.yml runs)
on a throwaway git repository: a data edit leads to a commit of the rebuilt report with its
what-changed summary; nothing changed, nothing committed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, copy_project

pytestmark = pytest.mark.slow
SCRIPT = ROOT / "scripts" / "regenerate.py"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                          text=True).stdout


def regenerate(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), "--root", str(repo), "--jobs", "1",
                           *args], capture_output=True, text=True, timeout=600)


def test_a_data_edit_is_rebuilt_and_committed_with_what_changed(tmp_path):
    repo = copy_project(tmp_path / "repo")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "ci@example.org")
    git(repo, "config", "user.name", "CI")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "project")
    first = regenerate(repo, "--commit")
    assert first.returncode == 0, first.stderr[-2000:]
    assert git(repo, "log", "-1", "--format=%s").strip() == "Rebuild reports: tiny"
    assert git(repo, "status", "--porcelain").strip() == ""
    # nothing changed: nothing rebuilt, no commit
    again = regenerate(repo, "--commit")
    assert again.returncode == 0 and "## Reports: all current" in again.stdout
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "2"
    # a one-row data edit, committed as a researcher would
    frames = repo / "data" / "frame_totals.csv"
    frames.write_text(frames.read_text().replace("2019-2020,b,2000,", "2019-2020,b,3000,"))
    git(repo, "commit", "-q", "-am", "frame total of b in 2019-2020")
    summary = tmp_path / "summary.md"
    third = regenerate(repo, "--commit", "--summary", str(summary))
    assert third.returncode == 0, third.stderr[-2000:]
    message = git(repo, "log", "-1", "--format=%B")
    assert message.startswith("Rebuild reports: tiny\n")
    assert "Changed: data/frame_totals.csv" in message
    assert "- `data/frame_totals.csv` rows: changed: 2019-2020 / b" in message
    row = next(line for line in message.splitlines()
               if line.startswith("| period_median:2019-2020 |"))
    assert row.endswith("| real |"), row
    assert "| period_median:2015-2016 |" in message and "no change" in message
    assert summary.read_text() in message + "\n"  # the same summary on the run's page
    changed = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert "reports/tiny/index.html" in changed and "reports/tiny/manifest.json" in changed
    assert all(p.startswith("reports/") for p in changed), changed
    assert git(repo, "status", "--porcelain").strip() == ""


def test_the_workflow_triggers_on_every_input_of_every_report():
    """Every file a committed report read (its manifest's inputs: params, data, notebooks,
    the lock) and every source file of the package match a trigger path of both events, so
    no input can change without the reports following."""
    from fnmatch import fnmatch

    from effectmodel.pipeline.build import discover

    wf = yaml.safe_load((ROOT / ".github" / "workflows" / "reports.yml").read_text())
    on = wf[True] if True in wf else wf["on"]  # YAML 1.1 reads the key `on` as true
    inputs = {label for t in discover(ROOT) for label in t.inputs}
    inputs |= {p.relative_to(ROOT).as_posix() for p in (ROOT / "src").rglob("*.py")}
    assert {"params/reference.yaml", "data/sampled_tenders.csv", "requirements.lock",
            "notebooks/briefing.ipynb", "src/effectmodel/model/engine.py"} <= inputs
    for event in ("push", "pull_request"):
        paths = on[event]["paths"]
        missed = sorted(f for f in inputs if not any(fnmatch(f, p) for p in paths))
        assert missed == [], (event, missed)
