"""Set-up: the floors agree everywhere and only the lock pins; the core imports no plotting
or notebook tools."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, RTOL_MACHINE, TINY, dutch_excel


def _pins(lines, op: str = "=="):
    out = {}
    for line in lines:
        m = re.fullmatch(rf"\s*([A-Za-z0-9_.\-]+)\s*{re.escape(op)}\s*([^\s;]+)\s*", line)
        if m:
            out[m.group(1).lower().replace("_", "-")] = m.group(2)
    return out


def _declared() -> dict[str, str]:
    """pyproject's floors: the core, the dask extra and the test extra."""
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())
    extras = py["project"]["optional-dependencies"]
    deps = py["project"]["dependencies"] + extras["dask"] + extras["test"]
    floors = _pins(deps, ">=")
    assert len(floors) == len(deps), "every dependency is a floor (>=), no exact pin"
    return floors


def test_floors_agree_and_only_the_lock_pins():
    """pyproject gives ranges (floors, no ==); environment.yml the same floors; each floor
    is the version requirements.lock pins, so the suite runs at the floors. dask and
    distributed, used only by sweep --scheduler, are the extra [dask], not the core."""
    floors = _declared()
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())
    core = _pins(py["project"]["dependencies"], ">=")
    assert "dask" not in core and "distributed" not in core
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    lines = []
    for d in env["dependencies"]:
        if isinstance(d, str):
            lines.append(d)
        else:
            lines += [x for x in d["pip"] if not x.startswith("-")]
    assert _pins(lines, ">=") == floors
    assert not _pins(lines), "environment.yml pins exactly"
    lock = _pins((ROOT / "requirements.lock").read_text().splitlines())
    for name, version in floors.items():
        assert lock.get(name) == version, name


def _lint_imports(src: Path, tmp: Path) -> subprocess.CompletedProcess:
    """import-linter with the project's contracts on the package at ``src``."""
    shutil.copy(ROOT / "pyproject.toml", tmp / "pyproject.toml")
    env = {**os.environ, "PYTHONPATH": str(src)}
    exe = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(exe), "--no-cache"], cwd=tmp, env=env, capture_output=True,
                          text=True)


@pytest.mark.slow
def test_import_contract_holds_and_catches_a_wrong_import(tmp_path):
    assert _lint_imports(ROOT / "src", tmp_path).returncode == 0
    for module, line, broken in (
            ("model/monitor/equations.py", "import matplotlib.pyplot",
             "The model reads no files"),
            ("model/engine.py", "from effectmodel.inputs import data", "The model reads no"),
            ("report/i18n.py", "from effectmodel.pipeline import run", "Layers"),
            ("domain/errors.py", "from effectmodel.model import stats", "Layers"),
            ("domain/params.py", "from effectmodel.inputs import yamlfiles", "The domain")):
        copy = tmp_path / module.replace("/", "-")
        shutil.copytree(ROOT / "src" / "effectmodel", copy / "effectmodel",
                        ignore=shutil.ignore_patterns("__pycache__"))
        path = copy / "effectmodel" / module
        path.write_text(path.read_text() + f"\n{line}  # the wrong way on purpose\n")
        r = _lint_imports(copy, copy)
        assert r.returncode == 1, (module, r.stdout[-2000:])
        assert f"{broken}" in r.stdout and "BROKEN" in r.stdout, r.stdout[-2000:]


def test_functions_stay_short():
    """No function over 60 lines (modules are cut by concept, whatever their length)."""
    import ast

    package = ROOT / "src" / "effectmodel"
    long_functions = []
    for path in sorted(package.rglob("*.py")):
        name = path.relative_to(package).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = node.end_lineno - node.lineno + 1
                if n > 60:
                    long_functions.append(f"{name}:{node.name}: {n} lines")
    assert long_functions == []


def _wheel_venv(tmp_path: Path) -> Path:
    """The wheel, installed into a new virtual environment with the dependencies it declares
    (pyproject's, not requirements.lock), each at its floor: the venv's ``effectmodel``
    command."""
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    r = subprocess.run([*pip, "wheel", "--no-deps", "--quiet", "-w", str(tmp_path / "dist"),
                        str(ROOT)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    wheel = next((tmp_path / "dist").glob("effectmodel-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    floors = tmp_path / "floors.txt"  # the wheel at its dependencies' floors
    floors.write_text("".join(f"{n}=={v}\n" for n, v in _declared().items()))
    # without PYTHONPATH: a source tree on it (with its egg-info) reads as installed already
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    # --no-compile: no bytecode for the whole dependency tree, which this one run never
    # imports whole (Python compiles what it imports)
    r = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                        "--no-compile", "--disable-pip-version-check", "-c", str(floors),
                        str(wheel)],
                       capture_output=True, text=True, env=clean)
    assert r.returncode == 0, r.stderr[-3000:]
    return venv / "bin" / "effectmodel"


#: the tiny project's monitor tables in the criteria format (tests/data/tiny/data)
TINY_MONITOR = {"product_groups": "product_groups", "monitor_periods": "monitor_periods",
                "frame_totals": "frame_totals", "household_factors": "household_factors",
                "translation_factors": "criteria_translation_factors",
                "sampled_tenders": "criteria_sampled_tenders", "criteria": "criteria",
                "sub_strata": "sub_strata", "published_indicators": "published_indicators"}
def _sections(page: str) -> list[str]:
    """The sections of a page, each without its heading."""
    return [re.sub(r"<h2>.*?</h2>", "", body).strip()
            for body in re.findall(r"<section[^>]*>(.*?)</section>", page, flags=re.S)]


@pytest.mark.slow
def test_a_wheel_in_a_fresh_venv_starts_and_runs_a_project_anywhere(tmp_path):
    """The README's quickstart from a wheel: install, init a monitor-only project in Dutch
    with CSV templates, fill them as Dutch Excel saves CSV (ja/nee, decimal commas),
    validate and run. The page says nothing about synthetic or reference data (the notes
    are empty), has no empty section and no buyer-group section; its central figures are
    the tiny project's. Then a project made from the reference params runs too, with the
    packaged notebooks (none in either project) and a results.nc that xarray reads back:
    netCDF4 is a dependency of the package, not of its tests."""
    import xarray as xr

    import effectmodel as em

    effectmodel = str(_wheel_venv(tmp_path))
    work = tmp_path / "work"
    work.mkdir()
    r = subprocess.run([effectmodel, "init", "studie", "--parts", "monitor", "--data", "csv",
                        "--lang", "nl"], cwd=work, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    data = work / "studie" / "data"
    for key, name in TINY_MONITOR.items():
        text = (TINY / "data" / f"{name}.csv").read_text(encoding="utf-8")
        (data / f"{key}.csv").write_bytes(dutch_excel(text, key, dutch_words=True))
    params = work / "studie" / "params" / "studie.yaml"
    r = subprocess.run([effectmodel, "validate", str(params)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([effectmodel, "run", "params/studie.yaml", "--draws", "200"],
                       cwd=work / "studie", capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    out = work / "studie" / "reports" / "studie"
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in page
    for words in ("synthetisch", "synthetic", "referentiedata", "reference data"):
        assert words not in page.lower()
    assert all(_sections(page)) and "buyer-groups" not in page and "Buyer groups" not in page
    assert not (out / "annex-buyer-groups.html").exists()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["parts"] == ["monitor"] and "buyer_groups" not in summary
    variant = em.load_params(TINY / "variants" / "tiny-criteria.yaml", n_draws=20)
    inputs = em.load_inputs(variant)
    want = em.summarise(em.evaluate(variant, inputs), variant, inputs)["effect_monitor"]
    got = summary["effect_monitor"]
    assert [p["central_t"] for p in got["periods"]] == pytest.approx(
        [p["central_t"] for p in want["periods"]], rel=RTOL_MACHINE)

    # the frame's CPV map ships in the wheel too
    (work / "tenders.csv").write_text("ocid,tender/lots/id,date,tender/classification/id,"
                                      "tender/value/amount,buyer/name\n"
                                      "T1,,2019-02-01,34110000-1,100,A\n")
    r = subprocess.run([effectmodel, "frame", "tenders.csv", "--period", "2019-2020", "--out",
                        "frame"], cwd=work, capture_output=True, text=True)
    assert r.returncode == 0 and "1 in 1 strata" in r.stdout, r.stderr[-3000:]

    r = subprocess.run([effectmodel, "init", "ref", "--from",
                        str(ROOT / "params" / "reference.yaml")], cwd=work,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([effectmodel, "run", str(work / "ref" / "params" / "ref.yaml"),
                        "--out", str(tmp_path / "out"), "--draws", "40"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert sorted(summary["provenance"]["notebooks"]) == [
        f"effectmodel/notebooks/{n}.ipynb"
        for n in ("annex_buyer_groups", "annex_monitor", "briefing")]
    assert summary["buyer_groups"]["as_planned_t"] == pytest.approx(80125, rel=RTOL_MACHINE)
    with xr.open_dataset(tmp_path / "out" / "results.nc", engine="netcdf4") as ds:
        assert ds.sizes["draw"] == 40
        assert ds.attrs["Conventions"] == "CF-1.11"
        assert ds["bg_total_t"].attrs["units_label"] == "t CO2-eq"
