"""Shared fixtures and tolerances."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny"
REFERENCE = ROOT / "params" / "reference.yaml"

RTOL_EXACT = 1e-9   # deterministic cases against hand-computed figures
K_SIGMA = 4.0       # Monte Carlo cases: within 4 standard errors
RTOL_WILSON = 1e-12

# one line of bad input: FILE: field: what is wrong (what is allowed)
ERROR_LINE = re.compile(r"^error: \S.*: .+: .+\((allowed|required)[^\n]*\)$")


def copy_project(dest: Path) -> Path:
    """A copy of the tiny project (params, data, and the repository's notebooks) in ``dest``."""
    shutil.copytree(TINY, dest)
    shutil.copytree(ROOT / "notebooks", dest / "notebooks")
    return dest


@pytest.fixture
def tiny(tmp_path) -> Path:
    """Path of a fresh copy of the tiny project's params file."""
    return copy_project(tmp_path / "tiny") / "params" / "tiny.yaml"
