"""Set-up: the pins agree everywhere; the core imports no plotting or notebook tools."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import yaml

from conftest import ROOT


def _pins(lines):
    out = {}
    for line in lines:
        m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;]+)\s*", line)
        if m:
            out[m.group(1).lower().replace("_", "-")] = m.group(2)
    return out


def test_pyproject_environment_and_lock_agree():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())
    deps = py["project"]["dependencies"] + py["project"]["optional-dependencies"]["test"]
    pyproject = _pins(deps)
    assert len(pyproject) == len(deps), "every dependency is pinned with =="
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    lines = []
    for d in env["dependencies"]:
        if isinstance(d, str):
            lines.append(d)
        else:
            lines += [x for x in d["pip"] if not x.startswith("-")]
    conda = _pins(lines)
    assert conda == pyproject
    lock = _pins((ROOT / "requirements.lock").read_text().splitlines())
    for name, version in pyproject.items():
        assert lock.get(name) == version, name


def test_core_does_not_import_plotting_or_papermill():
    code = ("import sys; import effectmodel.engine, effectmodel.summary, effectmodel.sampling; "
            "bad = [m for m in ('matplotlib', 'papermill', 'nbconvert') if m in sys.modules]; "
            "print(','.join(bad)); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make report" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()
