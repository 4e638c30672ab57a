"""Never destroy what the user has: output folders effectmodel may replace, inputs that stay
inside the project, hostile YAML that stays bounded, and every message in the project's
format. Each refused call exits 2 before any work and leaves every file as it was."""

from __future__ import annotations

import re
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import ERROR_LINE, copy_project, tree, working_folder
from effectmodel.cli import main
from effectmodel.domain.errors import InputError
from effectmodel.pipeline import atomic
from effectmodel.pipeline import run as report

LINE = ERROR_LINE


@pytest.fixture
def proj(tmp_path) -> Path:
    """A tiny project with a src/ folder, an unrelated file and a foreign folder beside it."""
    root = copy_project(tmp_path / "proj")
    (root / "src").mkdir()
    (root / "src" / "keep.py").write_text("x = 1\n")
    (root / "existing.txt").write_text("a user's file\n")
    (tmp_path / "foreign").mkdir()
    (tmp_path / "foreign" / "thesis.docx").write_text("years of work")
    return root


def write_sweep(proj: Path, base: str) -> Path:
    """params/sweeps/s.yaml: a one-scenario grid over ``base``."""
    sweep = proj / "params" / "sweeps" / "s.yaml"
    sweep.parent.mkdir()
    sweep.write_text(f"schema_version: 1\nname: s\nbase: {base}\ndraws: 20\n"
                     "design: {method: grid}\n"
                     "parameters:\n  buyer_groups.award_probability: {values: [0.5]}\n")
    return sweep


def refused(args: list[str], capsys, where: Path, expect: str) -> str:
    """Run the command line; assert exit 2, one well-formed line containing ``expect``, and
    nothing changed below ``where``."""
    before = tree(where)
    capsys.readouterr()  # only this call's output
    assert main(args) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    assert LINE.match(lines[0]), lines[0]
    assert expect in lines[0], lines[0]
    assert "Traceback" not in err
    assert tree(where) == before
    return lines[0]


# --------------------------------------------------------------------------------------------
# Output folders: the cases of the review, one by one
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("out, expect", [
    ("data", "is the project's data/ folder"),
    (".", "is the project folder or a folder above it"),
    ("..", "is the project folder or a folder above it"),
    ("existing.txt", "is a file"),
    ("params", "is the project's params/ folder"),
    ("notebooks", "is the project's notebooks/ folder"),
    ("src", "is the project's src/ folder"),
    ("data/new", "is inside the project's data/ folder"),
    ("reports/../data", "is the project's data/ folder"),
    ("../foreign", "holds files effectmodel did not write ('thesis.docx')"),
    ("existing.txt/sub", "which is a file"),
])
def test_run_refuses_unsafe_output_before_any_work(proj, capsys, out, expect):
    with working_folder(proj):
        refused(["run", "params/tiny.yaml", "--out", out], capsys, proj.parent, expect)


def test_run_refuses_symlinks_and_folders_holding_inputs(proj, capsys):
    (proj / "to-data").symlink_to(proj / "data")
    (proj / "empty").mkdir()
    (proj / "to-empty").symlink_to(proj / "empty")
    # a table kept outside data/: its folder holds an input
    (proj / "tables").mkdir()
    (proj / "data" / "frame_totals.csv").rename(proj / "tables" / "frame_totals.csv")
    p = proj / "params" / "tiny.yaml"
    p.write_text(p.read_text().replace("../data/frame_totals.csv",
                                       "../tables/frame_totals.csv"))
    with working_folder(proj):
        for out in ("to-data", "to-empty"):
            refused(["run", "params/tiny.yaml", "--out", out], capsys, proj.parent,
                    "is a symbolic link")
        refused(["run", "params/tiny.yaml", "--out", "tables"], capsys, proj.parent,
                "holds an input of this run (frame_totals.csv)")
        refused(["run", "params/tiny.yaml", "--out", "to-data/x"], capsys, proj.parent,
                "is inside the project's data/ folder")


def test_sweep_and_build_refuse_too(proj, capsys):
    write_sweep(proj, "../tiny.yaml")
    with working_folder(proj):
        refused(["sweep", "params/sweeps/s.yaml", "--out", "data"], capsys, proj.parent,
                "is the project's data/ folder")
        refused(["sweep", "params/sweeps/s.yaml", "--out", "../foreign"], capsys, proj.parent,
                "holds files effectmodel did not write")
        # the default folder of a sweep, made by hand: refused, and so is a work folder
        (proj / "reports" / "s").mkdir(parents=True)
        (proj / "reports" / "s" / "mine.csv").write_text("1,2\n")
        refused(["sweep", "params/sweeps/s.yaml"], capsys, proj.parent,
                "holds files effectmodel did not write ('mine.csv')")
        (proj / "reports" / "elsewhere").mkdir()
        (proj / "reports" / ".elsewhere.sweep-work").mkdir()
        (proj / "reports" / ".elsewhere.sweep-work" / "notes.txt").write_text("mine")
        refused(["sweep", "params/sweeps/s.yaml", "--out", "reports/elsewhere"], capsys,
                proj.parent, "was not made by effectmodel")
    # build: a report folder of a params file's name that holds a user's files
    (proj / "reports" / "tiny").mkdir()
    (proj / "reports" / "tiny" / "draft.md").write_text("my notes")
    before = tree(proj.parent)
    with working_folder(proj):
        assert main(["build", "params/tiny.yaml"]) == 2
    out = capsys.readouterr().out
    assert "FAILED reports/tiny" in out and "holds files effectmodel did not write" in out
    assert tree(proj.parent) == before


def test_python_api_refuses_the_same(proj):
    before = tree(proj.parent)
    for out in (proj / "data", proj, proj / "existing.txt", proj.parent / "foreign"):
        with pytest.raises(InputError, match=r"\(output folder\)"):
            report.run(proj / "params" / "tiny.yaml", out=out, n_draws=20)
    assert tree(proj.parent) == before


@pytest.mark.slow
def test_replaces_only_its_own_reports(proj, capsys):
    """Absent: written and marked. Own report: replaced. A file added by hand: refused.
    Empty folder: used."""
    out = proj.parent / "out"
    # the process keeps its working folder (notebooks run in threads)
    with working_folder(proj.parent):
        assert main(["run", "proj/params/tiny.yaml", "--out", "out", "--draws", "20"]) == 0
        assert Path.cwd() == proj.parent
    with working_folder(proj):
        listed = atomic.read_marker(out)
        assert "index.html" in listed and "notebooks/briefing.ipynb" in listed
        assert atomic.foreign_files(out) == []
        first = tree(out)
        assert main(["run", "params/tiny.yaml", "--out", str(out), "--draws", "30"]) == 0
        assert tree(out) != first and atomic.foreign_files(out) == []
        (out / "notebooks" / "my-analysis.ipynb").write_text("{}")
        refused(["run", "params/tiny.yaml", "--out", str(out)], capsys, proj.parent,
                "holds files effectmodel did not write ('notebooks/my-analysis.ipynb')")
        (proj.parent / "empty").mkdir()
        assert main(["run", "params/tiny.yaml", "--out", "../empty", "--draws", "20"]) == 0
    capsys.readouterr()
    assert (proj.parent / "empty" / "index.html").exists()
    # nothing but the two reports appeared beside the project
    assert sorted(p.name for p in proj.parent.iterdir()) == ["empty", "foreign", "out", "proj"]


def test_a_report_of_an_earlier_version_counts_as_effectmodels(tmp_path):
    old = tmp_path / "reference"
    (old / "notebooks").mkdir(parents=True)
    (old / "index.html").write_text("<p>old</p>")
    (old / "manifest.json").write_text('{"schema_version": 1, "target": "params/r.yaml", '
                                       '"kind": "params", "inputs": {}, "headline": {}}')
    assert atomic.foreign_files(old) == []
    (old / "thesis.docx").write_text("mine")
    assert atomic.foreign_files(old) != []


# --------------------------------------------------------------------------------------------
# Remove only what effectmodel wrote; recovery after a kill
# --------------------------------------------------------------------------------------------

def _report(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(text)
    atomic.seal(folder)
    return folder


def test_recover_puts_a_moved_aside_report_back_and_leaves_foreign_folders(tmp_path):
    out = tmp_path / "r"
    dead = 2**22 + 12345  # above the kernel's pid_max: no such process
    _report(tmp_path / f".r.old-{dead}", "previous")      # a swap killed half way
    _report(tmp_path / f".r.tmp-{dead}", "half new")       # a run killed while writing
    user = tmp_path / f".r.tmp-{dead + 1}"                 # not effectmodel's
    user.mkdir()
    (user / "keep.txt").write_text("mine")
    atomic.recover(out)
    assert (out / "index.html").read_text() == "previous"
    assert not (tmp_path / f".r.tmp-{dead}").exists()
    assert (user / "keep.txt").read_text() == "mine"


def test_swap_puts_the_new_folder_in_place_before_removing_the_old(tmp_path, monkeypatch):
    out = _report(tmp_path / "r", "old")
    new = atomic.stage(out)
    (new / "index.html").write_text("new")
    seen = []
    real = atomic.remove_owned

    def spy(folder):  # the old copy goes only once the new one is at `out`
        seen.append((out / "index.html").read_text())
        real(folder)

    monkeypatch.setattr(atomic, "remove_owned", spy)
    atomic.swap(new, out, tmp_path)
    assert seen == ["new"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]
    assert atomic.read_marker(out) == ["index.html"]


def test_swap_checks_again_and_keeps_a_folder_that_became_foreign(tmp_path):
    out = _report(tmp_path / "r", "old")
    new = atomic.stage(out)
    (out / "added-by-hand.txt").write_text("mine")
    with pytest.raises(InputError, match="added-by-hand.txt"):
        atomic.swap(new, out, tmp_path)
    assert (out / "added-by-hand.txt").read_text() == "mine"
    assert (out / "index.html").read_text() == "old"


# --------------------------------------------------------------------------------------------
# Inputs stay inside the project; messages quote no file contents
# --------------------------------------------------------------------------------------------

def _point(proj: Path, table: str, path: str, extra: str = "") -> None:
    p = proj / "params" / "tiny.yaml"
    text = re.sub(rf"{table}: .*", f"{table}: {path}", p.read_text())
    p.write_text(text + extra)


@pytest.mark.parametrize("path, expect", [
    ("../../../../../../../../etc/passwd", "lies outside the project folder"),
    ("/etc/passwd", "lies outside the project folder"),
    ("../data/link.csv", "is a link to a file outside the project folder"),
])
@pytest.mark.parametrize("command", ["validate", "run", "build"])
def test_data_paths_stay_inside_the_project(proj, capsys, path, expect, command):
    (proj / "data" / "link.csv").symlink_to("/etc/passwd")
    _point(proj, "frame_totals", path)
    before = tree(proj.parent)
    code = main([command, str(proj / "params" / "tiny.yaml")])
    assert code == 2
    captured = capsys.readouterr()
    text = captured.err + captured.out
    assert "data.frame_totals" in text and expect in text
    assert "root:" not in text and "/bin/" not in text  # nothing of the file is quoted
    assert tree(proj.parent) == before


def test_a_data_root_the_params_name_is_allowed(proj, capsys):
    shared = proj.parent / "shared-data"
    shared.mkdir()
    (proj / "data" / "frame_totals.csv").rename(shared / "frame_totals.csv")
    _point(proj, "frame_totals", "../../shared-data/frame_totals.csv")
    assert main(["validate", str(proj / "params" / "tiny.yaml")]) == 2
    assert "lies outside the project folder" in capsys.readouterr().err
    _point(proj, "frame_totals", "../../shared-data/frame_totals.csv",
           "data_root: ../../shared-data\n")
    assert main(["validate", str(proj / "params" / "tiny.yaml")]) == 0
    # a data root may not widen the rule to the project's parents
    params = proj / "params" / "tiny.yaml"  # one data_root (a key given twice is refused)
    params.write_text(params.read_text().replace("data_root: ../../shared-data\n", ""))
    _point(proj, "frame_totals", "../../shared-data/frame_totals.csv", "data_root: ../..\n")
    assert main(["validate", str(proj / "params" / "tiny.yaml")]) == 2
    assert "data_root: '../..' holds the project folder" in capsys.readouterr().err


def test_sweep_base_must_be_a_params_file(proj, capsys):
    sweep = write_sweep(proj, "/etc/passwd")
    refused(["sweep", str(sweep)], capsys, proj.parent,
            "is not a .yaml file (allowed: a params file")


def test_long_column_names_and_values_are_cut_and_escaped(proj, capsys):
    p = proj / "data" / "product_groups.csv"
    lines = p.read_text().splitlines()
    lines[0] += ",secret" + "x" * 5000 + "\x1b[31m"
    lines[1] = lines[1].replace("groep A", "groep A" + "y" * 5000)
    lines[1] += ","
    p.write_text("\n".join(lines) + "\n")
    assert main(["validate", str(proj / "params" / "tiny.yaml")]) == 2
    err = capsys.readouterr().err
    for line in err.splitlines():
        assert len(line) < 400 and "\x1b" not in line and "x" * 60 not in line, line
        assert LINE.match(line), line


# --------------------------------------------------------------------------------------------
# Hostile YAML stays bounded
# --------------------------------------------------------------------------------------------

BOMB = ("[&a [lol,lol,lol,lol,lol,lol,lol,lol,lol], &b [*a,*a,*a,*a,*a,*a,*a,*a,*a], "
        "&c [*b,*b,*b,*b,*b,*b,*b,*b,*b], &d [*c,*c,*c,*c,*c,*c,*c,*c,*c], "
        "&e [*d,*d,*d,*d,*d,*d,*d,*d,*d], &f [*e,*e,*e,*e,*e,*e,*e,*e,*e], "
        "&g [*f,*f,*f,*f,*f,*f,*f,*f,*f], &h [*g,*g,*g,*g,*g,*g,*g,*g,*g], "
        "&i [*h,*h,*h,*h,*h,*h,*h,*h,*h]]")  # a billion 'lol's once expanded


@contextmanager
def deadline(seconds: int):
    """Fail (not hang) if the block runs away: without the bound a bomb takes a minute."""
    def boom(*_):
        raise AssertionError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("where", ["file", "set", "sweep"])
def test_billion_laughs_exits_2(proj, capsys, where):
    tiny = proj / "params" / "tiny.yaml"
    if where == "file":
        tiny.write_text(tiny.read_text().replace("title:", f"title: {BOMB}\nx_title:", 1))
        args = ["run", str(tiny)]
    elif where == "set":
        args = ["run", str(tiny), "--set", f"title={BOMB}"]
    else:
        s = proj / "params" / "s.yaml"
        s.write_text(f"schema_version: 1\nname: s\nbase: tiny.yaml\nscenarios: {BOMB}\n")
        args = ["sweep", str(s)]
    with deadline(20):
        line = refused(args, capsys, proj.parent, "values once its aliases are expanded")
    assert len(line) < 300


@pytest.mark.slow
def test_deep_nesting_and_huge_files_exit_2(proj, capsys):
    tiny = proj / "params" / "tiny.yaml"
    text = tiny.read_text()
    tiny.write_text(text.replace("title:", "title: " + "[" * 5000 + "]" * 5000
                                 + "\nx_title:", 1))
    refused(["validate", str(tiny)], capsys, proj.parent, "nested")
    tiny.write_text(text + "#" * 2_000_000 + "\n")
    refused(["validate", str(tiny)], capsys, proj.parent, "larger than 1,000,000 bytes")


def test_values_quoted_in_messages_are_cut(proj, capsys):
    refused(["validate", str(proj / "params" / "tiny.yaml"), "--set",
             "run.n_draws=" + "9" * 5000], capsys, proj.parent, "run.n_draws: must be an integer")
    refused(["validate", str(proj / "params" / "tiny.yaml"), "--set",
             "title=[" + ", ".join(["word"] * 1500) + "]"], capsys, proj.parent,
            "title: must be a non-empty string")


# --------------------------------------------------------------------------------------------
# Every message in the project's format
# --------------------------------------------------------------------------------------------

def test_non_utf8_names_the_line_and_the_encoding(proj, capsys):
    """cp1252 (Excel's 'CSV') reads, 'é' and all; a byte neither UTF-8 nor cp1252 defines
    (0x81) is refused with its line and column."""
    import effectmodel as em

    p = proj / "data" / "product_groups.csv"
    lines = p.read_text().splitlines()
    lines[2] = lines[2].replace("groep", "gr\xe9ep")
    p.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    names = em.load_inputs(em.load_params(proj / "params" / "tiny.yaml"))["product_groups"]
    assert "gr\xe9ep B" in names["name_nl"].tolist()
    p.write_bytes(p.read_bytes().replace(b"gr\xe9ep", b"gr\x81ep", 1))
    line = refused(["validate", str(proj / "params" / "tiny.yaml")], capsys, proj.parent,
                   "data/product_groups.csv: line 3: byte 0x81 at column")
    assert "(allowed: UTF-8" in line
    tiny = proj / "params" / "tiny.yaml"
    tiny.write_bytes(tiny.read_bytes().replace(b"title: ", b"title: caf\xe9 ", 1))
    refused(["validate", str(tiny)], capsys, proj.parent, "tiny.yaml: line ")


def test_a_byte_order_mark_is_read(proj, capsys):
    p = proj / "data" / "product_groups.csv"
    p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())
    assert main(["validate", str(proj / "params" / "tiny.yaml")]) == 0
    capsys.readouterr()


@pytest.mark.parametrize("design", [
    "design: {method: grid}\nparameters:\n  buyer_groups.award_probability: {values: []}\n",
    "design: {method: list}\nscenarios: []\n",
    "design: {method: lhs, n: 0}\nparameters:\n  monitor.frame_total_scale: {low: 1, high: 1}\n",
])
def test_a_sweep_with_no_scenarios_says_what_is_allowed(proj, capsys, design):
    s = proj / "params" / "s.yaml"
    s.write_text(f"schema_version: 1\nname: s\nbase: tiny.yaml\ndraws: 20\n{design}")
    before = tree(proj.parent)
    assert main(["sweep", str(s)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err and all(LINE.match(x) for x in err), err
    assert tree(proj.parent) == before


@pytest.mark.slow
def test_a_copied_params_file_keeping_the_name_does_not_replace_the_report(proj, capsys):
    """A copy of params/tiny.yaml that kept `name: tiny` would write reports/tiny/ too: the
    marker says which file made that report, and run refuses the other one (exit 2); the
    file that made it may replace it, and a sweep may not."""
    params = proj / "params" / "tiny.yaml"
    copy = proj / "params" / "copy.yaml"
    copy.write_text(params.read_text())
    assert main(["run", str(params), "--draws", "20"]) == 0
    report_dir = proj / "reports" / "tiny"
    assert atomic.read_source(report_dir) == "params/tiny.yaml"
    line = refused(["run", str(copy), "--draws", "20"], capsys, proj,
                   "is the report of params/tiny.yaml, not of params/copy.yaml")
    assert "another --out, or another name: in params/copy.yaml" in line
    refused(["sweep", str(write_sweep(proj, "../tiny.yaml")), "--out", str(report_dir)],
            capsys, proj, "is the report of params/tiny.yaml, not of params/sweeps/s.yaml")
    assert main(["run", str(params), "--draws", "30"]) == 0  # its own file: replaced
    assert '"n_draws": 30' in (report_dir / "summary.json").read_text()
