"""Report folders are not taken on trust: compare, pdf and build --check read a damaged
summary.json, results.nc or manifest.json as bad input (one line naming the file, exit 2)
or as a stale report, never an internal error; a NaN figure is no real change."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ERROR_LINE, ROOT
from effectmodel.cli import main
from effectmodel.pipeline.whatchanged import judge

REFERENCE = ROOT / "reports" / "reference"


def _summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text())


def _set(folder: Path, change) -> None:
    s = _summary(folder)
    change(s)
    (folder / "summary.json").write_text(json.dumps(s))


DAMAGES = {
    "summary-not-json": lambda f: (f / "summary.json").write_text("{not json"),
    "summary-a-list": lambda f: (f / "summary.json").write_text("[1, 2]"),
    "summary-no-schema-version": lambda f: _set(f, lambda s: s.pop("schema_version")),
    "summary-title-a-number": lambda f: _set(f, lambda s: s.update(title=7)),
    "summary-median-text": lambda f: _set(
        f, lambda s: s["buyer_groups"]["total_t"].update(median="many")),
    "summary-periods-an-object": lambda f: _set(
        f, lambda s: s["effect_monitor"].update(periods={"a": 1})),
    "summary-no-total": lambda f: _set(
        f, lambda s: s["effect_monitor"]["periods"][0].pop("total_t")),
    "summary-100000-deep": lambda f: (f / "summary.json").write_text(
        "[" * 100_000 + "]" * 100_000),
    "results-random": lambda f: (f / "results.nc").write_bytes(bytes(range(256)) * 40),
    "results-truncated": lambda f: (f / "results.nc").write_bytes(b"\x89HDF\r\n\x1a\n" +
                                                                  b"\x00" * 100),
    "manifest-not-json": lambda f: (f / "manifest.json").write_text("{"),
    "manifest-wrong-types": lambda f: (f / "manifest.json").write_text(json.dumps(
        {"schema_version": "1", "kind": 3, "inputs": [], "headline": None})),
}


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("reports")
    a = base / "a"
    shutil.copytree(REFERENCE, a)
    return a, base


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_compare_refuses_a_damaged_folder_in_one_line(pair, damage, capsys, tmp_path):
    a, base = pair
    b = tmp_path / "b"
    shutil.copytree(a, b)
    DAMAGES[damage](b)
    code = main(["compare", str(a), str(b), "--out", str(tmp_path / "c")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2, err
    assert len(err) == 1 and ERROR_LINE.match(err[0]), err
    assert "damaged" in err[0], err
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize("damage", [d for d in DAMAGES if d.startswith("summary")])
def test_pdf_refuses_a_damaged_summary_in_one_line(pair, damage, capsys, tmp_path):
    a, _ = pair
    b = tmp_path / "b"
    shutil.copytree(a, b)
    DAMAGES[damage](b)
    code = main(["pdf", str(b), "--out", str(tmp_path / "b.pdf")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and ERROR_LINE.match(err[0]), err
    assert not (tmp_path / "b.pdf").exists()


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["manifest-not-json", "manifest-wrong-types"])
def test_build_check_reads_a_damaged_manifest_as_stale(tmp_path, damage):
    """A manifest that is not what build wrote makes the report stale (it is rebuilt),
    never an internal error."""
    for name in ("params", "data", "notebooks"):
        src = ROOT / name
        shutil.copytree(src, tmp_path / name, symlinks=True)
    shutil.copytree(REFERENCE, tmp_path / "reports" / "reference")
    DAMAGES[damage](tmp_path / "reports" / "reference")
    r = subprocess.run([sys.executable, "-m", "effectmodel.cli", "build", "--check",
                        "params/reference.yaml"], cwd=tmp_path, capture_output=True,
                       text=True, timeout=300)
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr[-600:]
    assert "stale reports/reference" in (r.stdout + r.stderr), (r.stdout, r.stderr)


def test_a_nan_figure_is_never_a_real_change():
    nan = float("nan")
    row = judge({"value": 1.0, "batches": [1.0, 1.1]}, {"value": nan, "batches": [nan, 1.0]},
                paired=True)
    assert row["reading"] == "not judged"
    row = judge({"value": 1.0, "batches": [1.0, 1.1]}, {"value": 5.0, "batches": [5.0, 5.1]},
                paired=True)
    assert row["reading"] == "real"
