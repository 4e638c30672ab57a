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
    head = git(repo, "rev-parse", "--short=7", "HEAD").strip()
    (repo / "reports").mkdir()
    (repo / "reports" / "stray").mkdir()
    (repo / "reports" / "stray" / "notes.txt").write_text("not effectmodel's")
    first = regenerate(repo, "--commit")
    assert first.returncode == 0, first.stderr[-2000:]
    # a first build has no figures to compare: the subject names the report
    assert git(repo, "log", "-1", "--format=%s").strip() == f"Rebuild reports for {head}: tiny"
    # only the rebuilt folder and the index are added: a stray folder stays untracked
    assert "?? reports/stray/" in git(repo, "status", "--porcelain")
    (repo / "reports" / "stray" / "notes.txt").unlink()
    (repo / "reports" / "stray").rmdir()
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
    subject, _, body = message.partition("\n")
    edit = git(repo, "rev-parse", "--short=7", "HEAD~1").strip()
    # the subject names the commit it rebuilt for and the headline change, in words, at the
    # values the briefing shows (its step: 100 t for the tiny project's few draws)
    page = (repo / "reports" / "tiny" / "index.html").read_text(encoding="utf-8")
    assert subject == f"Rebuild reports for {edit}: monitor 2019-2020 median 100 t → 200 t", \
        subject
    assert "<td class=\"num\">200</td>" in page
    # a plain-text body: human names, only the figures that moved, no markdown, no "+0"
    assert "reports/tiny: changed data/frame_totals.csv" in body
    line = next(x for x in body.splitlines() if "effect monitor 2019-2020, median" in x)
    assert line.strip().endswith("; real)"), line
    assert "2015-2016" not in body and "|" not in body and "+0" not in body
    assert "period_median" not in body
    # the run's page keeps its markdown summary
    assert "| period_median:2019-2020 |" in summary.read_text()
    changed = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert "reports/tiny/index.html" in changed and "reports/tiny/manifest.json" in changed
    assert all(p.startswith("reports/") for p in changed), changed
    assert git(repo, "status", "--porcelain").strip() == ""


def test_the_push_rebases_and_a_conflict_fails_loudly(tmp_path):
    """--push fetches and rebases the local commit onto the remote branch before pushing; a
    conflicting remote commit stops it with exit 1 and a message, pushing nothing."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    a = tmp_path / "a"
    a.mkdir()
    for cmd in (("init", "-q", "-b", "main"), ("config", "user.email", "a@example.org"),
                ("config", "user.name", "A")):
        git(a, *cmd)
    (a / "x.txt").write_text("one\n")
    git(a, "add", "-A")
    git(a, "commit", "-q", "-m", "one")
    git(a, "remote", "add", "origin", str(remote))
    git(a, "push", "-q", "origin", "main")
    b = tmp_path / "b"
    git(tmp_path, "clone", "-q", str(remote), str(b))
    for cmd in (("config", "user.email", "b@example.org"), ("config", "user.name", "B")):
        git(b, *cmd)
    (b / "y.txt").write_text("other\n")
    git(b, "add", "-A")
    git(b, "commit", "-q", "-m", "meanwhile")
    git(b, "push", "-q", "origin", "main")
    (a / "z.txt").write_text("rebuilt\n")
    git(a, "add", "-A")
    git(a, "commit", "-q", "-m", "rebuilt")
    ok = regenerate(a, "--push")
    assert ok.returncode == 0, ok.stderr
    log = git(remote, "log", "--format=%s", "main").split("\n")
    assert log[:3] == ["rebuilt", "meanwhile", "one"]
    # a conflict: both change x.txt
    (b / "x.txt").write_text("theirs\n")
    git(b, "commit", "-q", "-am", "theirs")
    git(b, "pull", "-q", "--rebase", "origin", "main")
    git(b, "push", "-q", "origin", "main")
    (a / "x.txt").write_text("ours\n")
    git(a, "commit", "-q", "-am", "ours")
    bad = regenerate(a, "--push")
    assert bad.returncode == 1 and "push refused" in bad.stderr and "conflict" in bad.stderr
    assert git(remote, "log", "-1", "--format=%s", "main").strip() == "theirs"
    assert git(a, "status", "--porcelain").strip() == ""  # the rebase was aborted


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
