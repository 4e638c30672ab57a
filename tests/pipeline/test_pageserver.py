"""The page server (pipeline.pageserver): a run's pages executed and rendered in a helper
process, their outcome handed back to the run, and nothing left when the run's process ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from conftest import live_processes
from effectmodel.pipeline import pageserver
from effectmodel.pipeline.pages import Job, Page, RunFailed


def _notebook(path: Path, code: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = None", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, str(path))
    return path


def _job(tmp_path: Path, code: str) -> Job:
    page = Page(_notebook(tmp_path / "page.ipynb", code), tmp_path / "out.ipynb",
                tmp_path / "page.html")
    return Job((page,), {"x": 7}, tmp_path, "en", "A page")


def test_a_job_waits_at_its_gate_and_its_page_is_written(tmp_path):
    """The notebook runs up to its gate, goes on once opened, and comes back executed
    (its parameter injected) and rendered."""
    job = _job(tmp_path, "from pathlib import Path\nfrom IPython.display import HTML\n"
                         "HTML(f\"<p>{x * 6} {Path('flag').read_text()}</p>\")")
    pending = pageserver.server().submit(job)
    time.sleep(0.5)
    (tmp_path / "flag").write_text("after the gate")  # read only once the gate opens
    pending.open()
    pending.result()
    out = nbformat.read(str(tmp_path / "out.ipynb"), as_version=4)
    assert out.cells[-1].outputs[0]["data"]["text/html"] == "<p>42 after the gate</p>"
    html = (tmp_path / "page.html").read_text(encoding="utf-8")
    assert "<p>42 after the gate</p>" in html and "A page" in html


def test_a_failed_cell_comes_back_as_run_failed(tmp_path):
    pending = pageserver.server().submit(_job(tmp_path, "raise ValueError('no such tender')"))
    pending.open()
    with pytest.raises(RunFailed, match="page.ipynb: cell .* ValueError: no such tender"):
        pending.result()
    assert not (tmp_path / "page.html").exists()


def test_an_aborted_job_stops_at_its_gate(tmp_path):
    from effectmodel.pipeline.gated import GateAborted

    pending = pageserver.server().submit(_job(tmp_path, "open('ran', 'w').close()"))
    pending.abort()
    with pytest.raises(GateAborted):
        pending.result()
    assert not (tmp_path / "ran").exists()


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_the_server_its_kernel_server_and_kernels_end_with_the_run(tmp_path):
    """Killed outright (no clean-up runs) while its page waits at the gate, the starting
    process leaves no page server, kernel server or kernel behind."""
    _notebook(tmp_path / "page.ipynb", "print(x)")
    code = (
        "import os, signal, time\n"
        "from pathlib import Path\n"
        "from conftest import live_processes\n"
        "from effectmodel.pipeline import pageserver\n"
        "from effectmodel.pipeline.pages import Job, Page\n"
        f"t = Path({str(tmp_path)!r})\n"
        "s = pageserver.server()\n"
        "s.submit(Job((Page(t / 'page.ipynb', t / 'o.ipynb', t / 'p.html'),), {}, t, 'en', 'x'))\n"
        "def below(pid):\n"
        "    parent = live_processes()\n"
        "    kids = [k for k, p in parent.items() if p == pid]\n"
        "    return kids + [g for k in kids for g in below(k)]\n"
        "deadline = time.monotonic() + 60\n"
        "while len(below(s.process.pid)) < 2 and time.monotonic() < deadline:\n"
        "    time.sleep(0.05)\n"
        "print(s.process.pid, *below(s.process.pid), flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(Path(__file__).parents[1]), os.environ.get("PYTHONPATH", "")])}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=120, env=env)
    assert r.returncode == -signal.SIGKILL, r.stderr
    pids = [int(p) for p in r.stdout.split()]
    assert len(pids) >= 3  # the page server, its kernel server and the page's kernel
    deadline = time.monotonic() + 30
    while set(pids) & set(live_processes()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not set(pids) & set(live_processes())
