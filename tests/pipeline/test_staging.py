"""Staging that cannot touch a user's file: whatever files, folders and symbolic links sit
beside a destination under a staging-like name, they survive byte for byte (and a link's
target with them) when effectmodel writes a file, a report or a project there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import tree
from effectmodel.cli import main
from effectmodel.pipeline import atomic
from effectmodel.pipeline.staging import prefix, staged_file, staged_folder

PID = os.getpid()


def staging_like(out: str) -> list[str]:
    """The names earlier versions staged under, and the start of today's."""
    return [f".{out}.tmp", f"{out}.tmp", f".{out}.init-tmp", f".{out}.tmp-{PID}",
            f".{out}.tmp-{PID}.lock", f".{out}.old-{PID}", f".{out}.old-{PID}.lock",
            f"{prefix(Path(out))}tmp"]


KINDS = st.sampled_from(["file", "folder", "link", "link-to-folder"])
SUFFIX = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_", min_size=0, max_size=8)


def plant(folder: Path, name: str, kind: str, victim: Path) -> None:
    """A user's entry ``name`` in ``folder``: a file, a folder with a file in it, or a link
    to ``victim`` (a file or a folder of the user's elsewhere)."""
    p = folder / name
    if p.exists() or p.is_symlink():
        return
    if kind == "file":
        p.write_bytes(b"the user's " + name.encode())
    elif kind == "folder":
        p.mkdir()
        (p / "keep.txt").write_text("mine")
    elif kind == "link":
        p.symlink_to(victim / "thesis.docx")
    else:
        p.symlink_to(victim)


def sandbox(tmp_path: Path, out: str, entries) -> tuple[Path, Path, dict, dict]:
    n = len(list(tmp_path.iterdir()))
    work, victim = tmp_path / f"w{n}", tmp_path / f"v{n}"
    work.mkdir()
    victim.mkdir()
    (victim / "thesis.docx").write_bytes(b"sixteen bytes!!!")
    names = staging_like(out)
    for i, suffix, kind in entries:
        plant(work, names[i % len(names)] + suffix, kind, victim)
    return work, victim, tree(work), tree(victim)


def survived(before: dict, after: dict) -> None:
    for name, digest in before.items():
        assert after.get(name) == digest, name


ENTRIES = st.lists(st.tuples(st.integers(0, 7), SUFFIX, KINDS), max_size=10)


@given(ENTRIES)
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_staged_file_touches_no_entry_of_the_users(tmp_path, entries):
    """pdf --out and template write through staged_file: a success and a failure both leave
    every planted entry and every link's target as they were."""
    work, victim, before, victim_before = sandbox(tmp_path, "brief.pdf", entries)
    with staged_file(work / "brief.pdf") as tmp:
        tmp.write_bytes(b"%PDF new")
    assert (work / "brief.pdf").read_bytes() == b"%PDF new"
    with pytest.raises(RuntimeError), staged_file(work / "brief.pdf") as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("killed")
    after = tree(work)
    survived(before, after)
    assert tree(victim) == victim_before
    assert set(after) - set(before) == {"brief.pdf"}  # nothing left behind


@given(ENTRIES)
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_report_swap_and_its_recovery_touch_no_entry_of_the_users(tmp_path, entries):
    """A report written twice (the second time over the first) through replacing, and a
    failed third: the user's entries and link targets survive byte for byte; what is new
    is the report alone."""
    work, victim, before, victim_before = sandbox(tmp_path, "r", entries)
    for text in ("first", "second"):
        with atomic.replacing(work / "r", tmp_path) as tmp:
            (tmp / "index.html").write_text(text)
    with pytest.raises(RuntimeError), atomic.replacing(work / "r", tmp_path) as tmp:
        (tmp / "index.html").write_text("half")
        raise RuntimeError("killed")
    after = tree(work)
    survived(before, after)
    assert tree(victim) == victim_before
    assert (work / "r" / "index.html").read_text() == "second"
    assert {n.split("/")[0] for n in set(after) - set(before)} == {"r"}


@given(ENTRIES)
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_staged_folder_touches_no_entry_of_the_users(tmp_path, entries):
    work, victim, before, victim_before = sandbox(tmp_path, "victim", entries)
    with pytest.raises(RuntimeError), staged_folder(work / "victim") as tmp:
        (tmp / "params").mkdir()
        raise RuntimeError("killed")
    survived(before, tree(work))
    assert tree(work) == before and tree(victim) == victim_before


def test_init_keeps_a_user_folder_of_its_old_staging_name(tmp_path, capsys):
    """init victim used to empty .victim.init-tmp, a user folder, with rmtree."""
    user = tmp_path / ".victim.init-tmp"
    user.mkdir()
    (user / "notes.txt").write_text("mine")
    assert main(["init", str(tmp_path / "victim"), "--data", "csv"]) == 0
    assert (user / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".victim.init-tmp", "victim"]


def test_template_keeps_a_file_and_a_link_of_its_old_staging_name(tmp_path, capsys):
    """template used to write <out>.tmp with a plain open: a link there had its target
    overwritten (a 16-byte thesis.docx became a workbook), then removed."""
    thesis = tmp_path / "thesis.docx"
    thesis.write_bytes(b"sixteen bytes!!!")
    (tmp_path / "intake.xlsx.tmp").symlink_to(thesis)
    (tmp_path / ".intake.xlsx.tmp").write_text("mine")
    assert main(["template", str(tmp_path / "intake.xlsx")]) == 0
    assert thesis.read_bytes() == b"sixteen bytes!!!"
    assert (tmp_path / "intake.xlsx.tmp").is_symlink()
    assert (tmp_path / ".intake.xlsx.tmp").read_text() == "mine"
