"""Property tests of output paths: whatever folder a user names, in and around a project copy
(the project root and its parents, its own folders, inputs, files, links, foreign and empty
folders, a report's own folder and below, with '..' and '.' mixed in), every input file stays
byte-identical; a refused call exits 2 (InputError) having touched nothing; an accepted one
changes nothing outside the folder it names, which then holds a marked report."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import ROOT, TINY, tree, working_folder
from effectmodel.cli import main
from effectmodel.domain.errors import InputError
from effectmodel.pipeline import atomic

BASES = ["", "proj", "proj/data", "proj/data/frame_totals.csv", "proj/params",
         "proj/params/tiny.yaml", "proj/notebooks", "proj/src", "proj/reports",
         "proj/reports/tiny", "proj/reports/tiny/notebooks", "proj/reports/tiny/index.html",
         "proj/existing.txt", "proj/.git", "foreign", "foreign/thesis.docx", "empty",
         "link-to-data", "link-to-empty", "link-to-file", "link-to-report", "new",
         "proj/tables"]
SEGMENTS = ["..", ".", "new", "x y", "ü", "data", "reports", "tiny"]

paths = st.tuples(st.sampled_from(BASES), st.lists(st.sampled_from(SEGMENTS), max_size=3),
                  st.booleans())


def world(tmp: Path) -> tuple[Path, list[Path]]:
    """A sandbox three folders deep (so '..' stays inside the temporary folder) holding the
    tiny project and its neighbours; returns (world, input files)."""
    w = tmp / "a" / "b" / "c" / "world"
    proj = w / "proj"
    shutil.copytree(TINY, proj)
    shutil.copytree(ROOT / "notebooks", proj / "notebooks")
    (proj / "tables").mkdir()  # a table kept outside data/
    (proj / "data" / "frame_totals.csv").rename(proj / "tables" / "frame_totals.csv")
    p = proj / "params" / "tiny.yaml"
    p.write_text(p.read_text().replace("../data/frame_totals.csv", "../tables/frame_totals.csv"))
    (proj / "src").mkdir()
    (proj / "src" / "keep.py").write_text("x = 1\n")
    (proj / ".git").mkdir()
    (proj / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (proj / "existing.txt").write_text("a user's file\n")
    report = proj / "reports" / "tiny"
    (report / "notebooks").mkdir(parents=True)
    (report / "index.html").write_text("<p>an earlier report</p>")
    (report / "notebooks" / "briefing.ipynb").write_text("{}")
    atomic.seal(report)
    (w / "foreign").mkdir()
    (w / "foreign" / "thesis.docx").write_text("years of work")
    (w / "empty").mkdir()
    (w / "link-to-data").symlink_to(proj / "data")
    (w / "link-to-empty").symlink_to(w / "empty")
    (w / "link-to-file").symlink_to(proj / "existing.txt")
    (w / "link-to-report").symlink_to(report)
    inputs = [f for f in proj.rglob("*") if f.is_file() and "reports" not in f.parts]
    inputs += [w / "foreign" / "thesis.docx"]
    return w, inputs


def spell(w: Path, base: str, segments: list[str], absolute: bool) -> str:
    rel = "/".join([s for s in [base, *segments] if s]) or "."
    return str(w / rel) if absolute else rel


def check(tmp: Path, w: Path, inputs: list[Path], before: dict[str, str], hashes: dict,
          out: str, refused: bool) -> None:
    """The invariants, after any call."""
    event("refused" if refused else "accepted")
    for f in inputs:
        assert hashlib.sha256(f.read_bytes()).hexdigest() == hashes[f], f
    after = tree(tmp)
    if refused:
        assert after == before, out
        return
    dest = atomic.target(w / out)
    assert atomic.read_marker(dest) is not None and atomic.foreign_files(dest) == []
    rel = dest.relative_to(tmp).as_posix()
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    for k in changed:  # only the report folder, and the folders made to hold it
        assert k == rel or k.startswith(rel + "/") or (rel + "/").startswith(k + "/"), (out, k)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@pytest.mark.slow
@given(path=paths, fail=st.booleans())
def test_replacing_any_path_keeps_every_input(path, fail):
    """The mechanism every command writes through (:func:`atomic.replacing`), with a writer
    that writes a report, or fails half way."""
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        w, inputs = world(tmp)
        hashes = {f: hashlib.sha256(f.read_bytes()).hexdigest() for f in inputs}
        proj = w / "proj"
        read = [proj / "params" / "tiny.yaml", proj / "tables" / "frame_totals.csv",
                *(proj / "data").glob("*.csv")]
        before = tree(tmp)
        out = spell(w, *path)
        with working_folder(w):
            try:
                with atomic.replacing(Path(out), proj, read) as stage:
                    (stage / "notebooks").mkdir()
                    (stage / "index.html").write_text("<p>new</p>")
                    (stage / "notebooks" / "briefing.ipynb").write_text("{}")
                    if fail:
                        raise RuntimeError("a notebook failed")
            except InputError as exc:
                assert len(exc.problems) == 1 and "(output folder)" in str(exc)
                check(tmp, w, inputs, before, hashes, out, refused=True)
                return
            except RuntimeError:
                event("accepted, then the writer failed")
                # a failed run: the previous state is back, nothing else appeared but the
                # (empty) folders made to hold the report
                after = tree(tmp)
                assert {k: v for k, v in after.items() if v != "dir"} == {
                    k: v for k, v in before.items() if v != "dir"}
                for f in inputs:
                    assert hashlib.sha256(f.read_bytes()).hexdigest() == hashes[f]
                return
        assert not fail
        check(tmp, w, inputs, before, hashes, out, refused=False)
        assert (atomic.target(w / out) / "index.html").read_text() == "<p>new</p>"


@pytest.mark.slow
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=paths, command=st.sampled_from(["run", "sweep"]))
def test_command_line_on_any_path_keeps_every_input(path, command, capsys):
    """The real commands (notebooks executed in real kernels when the folder is accepted)."""
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        w, inputs = world(tmp)
        sweep = w / "proj" / "params" / "sweeps" / "s.yaml"
        sweep.parent.mkdir()
        sweep.write_text("schema_version: 1\nname: s\nbase: ../tiny.yaml\ndraws: 20\n"
                         "design: {method: grid}\n"
                         "parameters:\n  buyer_groups.award_probability: {values: [0.5, 1]}\n")
        inputs.append(sweep)
        hashes = {f: hashlib.sha256(f.read_bytes()).hexdigest() for f in inputs}
        before = tree(tmp)
        out = spell(w, *path)
        args = (["run", "proj/params/tiny.yaml", "--draws", "20"] if command == "run"
                else ["sweep", "proj/params/sweeps/s.yaml"])
        with working_folder(w):
            code = main([*args, "--out", out])
        err = capsys.readouterr().err
        assert code in (0, 2), err
        if code == 2:
            assert err.count("\n") == 1 and "(output folder)" in err, err
        check(tmp, w, inputs, before, hashes, out, refused=code == 2)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(SEGMENTS), max_size=5), st.booleans())
def test_one_label_rule_for_every_path(parts, through_link):
    """relative_label, the one rule of messages, provenance, markers and manifests: a path
    that resolves inside the root is its POSIX path from the root (joined back, the same
    place); one outside is absolute, or the fallback asked for. Links are followed."""
    from effectmodel.domain.paths import inside, relative_label

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "a" / "b"
        root = base / "proj"
        (root / "data").mkdir(parents=True)
        (base / "outside").mkdir()
        (root / "link").symlink_to(base / "outside" if through_link else root / "data")
        path = root.joinpath("link", *parts)
        label = relative_label(path, root)
        where = path.resolve()
        if inside(where, root.resolve()):
            assert not label.startswith("/") and "\\" not in label
            assert (root.resolve() / label).resolve() == where
        else:
            assert label == where.as_posix()
            assert relative_label(path, root, outside="x") == "x"
        # not following links: named where it is reached, the link's own name kept
        plain = relative_label(path, root, follow_links=False)
        if ".." not in parts:
            assert plain == "link" or plain.startswith("link/"), plain
