"""Shared fixtures and tolerances."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny"
REFERENCE = ROOT / "params" / "reference.yaml"

RTOL_EXACT = 1e-9   # deterministic cases against hand-computed figures
K_SIGMA = 4.0       # Monte Carlo cases: within 4 standard errors
# the same computation on another CPU: summary.json keeps 12 significant digits (outputs.DIGITS),
# so two machines agree to 2 x 5e-12 plus last-bit noise (7e-15 measured); 1e-10 absorbs both
RTOL_MACHINE = 1e-10

# one line of bad input: FILE: field: what is wrong (what is allowed)
ERROR_LINE = re.compile(r"^error: \S.*: .+: .+\((allowed|required)[^\n]*\)$")


#: yes/no/unclear as a Dutch researcher writes them
DUTCH_WORDS = {"yes": "ja", "no": "nee", "unclear": "onduidelijk"}


def dutch_excel(text: str, key: str, dutch_words: bool = False) -> bytes:
    """A table as Dutch Excel saves 'CSV': semicolons, decimal commas in number columns,
    CRLF, cp1252 (with a BOM, as some exports add); ``dutch_words``: yes/no/unclear as
    ja/nee/onduidelijk."""
    import csv
    import io

    from effectmodel.inputs.data import NUMERIC

    rows = list(csv.reader(io.StringIO(text)))
    num = [j for j, h in enumerate(rows[0]) if h in NUMERIC[key]]
    words = DUTCH_WORDS if dutch_words else {}
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow(rows[0])
    for r in rows[1:]:
        w.writerow([c.replace(".", ",") if j in num else words.get(c, c)
                    for j, c in enumerate(r)])
    return b"\xef\xbb\xbf" + out.getvalue().encode("cp1252")


def copy_project(dest: Path) -> Path:
    """A copy of the tiny project (params, data, and the repository's notebooks) in ``dest``."""
    shutil.copytree(TINY, dest)
    shutil.copytree(ROOT / "notebooks", dest / "notebooks")
    return dest


@pytest.fixture(scope="session")
def reference_summary(tmp_path_factory, worker_id) -> dict:
    """The reference project at its own draws, evaluated and summarised once per test run,
    as summary.json holds it (each test that reads it must not change it). Under xdist the
    first worker to ask computes it and the others read its file (a lock in the run's own
    temporary folder; pytest 9.2 leaves xdist's loadgroup without effect)."""
    import fcntl
    import json

    import effectmodel as em
    from effectmodel.pipeline.outputs import summary_json

    def fresh() -> str:
        p = em.load_params(REFERENCE)
        i = em.load_inputs(p)
        return summary_json(em.summarise(em.evaluate(p, i), p, i))

    if worker_id == "master":  # no xdist: nothing to share
        return json.loads(fresh())
    path = tmp_path_factory.getbasetemp().parent / "reference-summary.json"  # this run's
    with open(f"{path}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.is_file():
            path.write_text(fresh(), encoding="utf-8")
        return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def tiny(tmp_path) -> Path:
    """Path of a fresh copy of the tiny project's params file."""
    return copy_project(tmp_path / "tiny") / "params" / "tiny.yaml"


def tree(folder: Path) -> dict[str, str]:
    """Every file, folder and link below ``folder``: path -> content hash, 'dir' or the
    link's target (links are not followed)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = p.relative_to(folder).as_posix()
            if p.is_symlink():
                out[rel] = "link:" + os.readlink(p)
            elif p.is_dir():
                out[rel] = "dir"
            else:
                out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@contextmanager
def working_folder(path: Path):
    """Run the block with ``path`` as the working folder."""
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def assert_figures_close(a, b, rtol: float = RTOL_EXACT, path: str = "") -> None:
    """Nested dicts and lists equal, floats within ``rtol`` (None matches None or NaN)."""
    import math

    if isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), (path, sorted(set(a) ^ set(b)))
        for k in a:
            assert_figures_close(a[k], b[k], rtol, f"{path}.{k}")
    elif isinstance(a, list | tuple):
        assert isinstance(b, list | tuple) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_figures_close(x, y, rtol, f"{path}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        if a is None or b is None or (isinstance(a, float) and math.isnan(a)):
            assert all(v is None or math.isnan(v) for v in (a, b)), (path, a, b)
        else:
            assert math.isclose(a, b, rel_tol=rtol, abs_tol=0.0), (path, a, b)
    else:
        assert a == b, (path, a, b)


def live_processes() -> dict[int, int]:
    """Every live process (zombies left out): pid -> parent pid, from /proc."""
    parent = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended while listed
        if fields[0] != "Z":
            parent[int(stat.parent.name)] = int(fields[1])
    return parent


def with_period(table: str) -> str:
    """A translation-factor table with an empty ``period`` column added."""
    return "".join(line + ",\n" for line in table.splitlines()).replace("source,\n",
                                                                        "source,period\n", 1)


#: a seven-row tender list in OCDS paths (test_framing, test_footprints): T1 estimated 100
#: then awarded 120 (Gemeente A, CPV 34), T2 200 (Provincie B, 34), T3 two lots of 50 and 70
#: (Rijk, CPV 79 and 63), T4 999 with an unknown CPV code, T5 of 2018
TENDER_HEADER = ("ocid,tender/lots/id,date,tender/classification/id,tender/value/amount,"
                 "buyer/name,awards/value/amount\n")
TENDER_LIST = TENDER_HEADER + """T1,,2019-02-01,34110000-1,100,Gemeente A,
T1,,2019-05-01,34110000-1,,Gemeente A,120
T2,,2019-03-01,34111000-4,200,Provincie B,
T3,L1,2020-01-10,79997000-4,50,Rijk,
T3,L2,2020-01-10,63515000-3,70,Rijk,
T4,,2020-06-01,99999999-9,999,Waterschap C,
T5,,2018-12-31,34110000-1,5000,Gemeente A,
"""
