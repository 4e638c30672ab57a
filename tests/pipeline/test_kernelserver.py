"""The kernel server (pipeline.kernelserver): a run's kernels forked from one warm process run
as kernels launched the usual way do, and none outlives the process that asked for it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from conftest import live_processes
from effectmodel.pipeline import kernelserver
from effectmodel.pipeline.pages import execute

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")

PROBE = """\
import json, os, sys
print(json.dumps({
    "cwd": os.getcwd(),
    "probe": os.environ.get("EFFECTMODEL_PROBE"),
    "argv": [a for a in sys.argv[1:] if not a.endswith(".json")],
    "path0": sys.path[0],
    "session_leader": os.getsid(0) == os.getpid(),
    "stdin_is_a_terminal": os.isatty(0),
    "ppid": os.getppid(),
}))"""


def _probe(tmp_path: Path, name: str) -> dict:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = None", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(PROBE)]
    source = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, str(source))
    out = execute(source, tmp_path / f"{name}-out.ipynb", {}, tmp_path, False)
    return json.loads(out.cells[-1].outputs[0]["text"])


def _alive(pid: int) -> bool:
    return pid in live_processes()


def test_a_forked_kernel_runs_as_a_launched_one(tmp_path, monkeypatch):
    """Same working folder, environment, arguments, path, session and stdin as a kernel
    started the usual way; and it really was forked (its parent is the server)."""
    monkeypatch.setenv("EFFECTMODEL_PROBE", "forked or not")
    forked = _probe(tmp_path, "forked")
    assert forked.pop("ppid") == kernelserver.server().process.pid
    monkeypatch.setenv("EFFECTMODEL_KERNEL_SERVER", "0")
    launched = _probe(tmp_path, "launched")
    assert launched.pop("ppid") == os.getpid()
    assert forked == launched
    assert forked["cwd"] == str(tmp_path)
    assert forked["probe"] == "forked or not"
    assert "--HistoryManager.enabled=False" in forked["argv"]


def _connection_file(tmp_path: Path) -> str:
    from jupyter_client.connect import write_connection_file

    return write_connection_file(str(tmp_path / "kernel.json"), transport="ipc",
                                 ip=str(tmp_path / "ipc"))[0]


def test_a_forked_kernel_is_polled_signalled_and_waited_for_as_a_child(tmp_path):
    server = kernelserver.server()
    kernel = server.start(["-f", _connection_file(tmp_path)], str(tmp_path),
                          dict(os.environ), str(tmp_path / "kernel.log"))
    assert kernel.poll() is None and _alive(kernel.pid)
    with pytest.raises(subprocess.TimeoutExpired):
        kernel.wait(0.2)
    kernel.kill()
    assert kernel.wait(30) == -signal.SIGKILL
    assert kernel.poll() == -signal.SIGKILL and not _alive(kernel.pid)
    kernel.terminate()  # once it has ended, no signal goes to whatever has its pid now


def test_a_changed_environment_gets_a_server_of_its_own(monkeypatch):
    """Imports may read the environment (OPENBLAS_CORETYPE, NPY_DISABLE_CPU_FEATURES): a
    server imported under another one is not reused; pytest's own test name does not count."""
    first = kernelserver.server()
    monkeypatch.setenv("PYTEST_CURRENT_TEST", "another name")
    assert kernelserver.server() is first
    monkeypatch.setenv("EFFECTMODEL_PROBE", "another environment")
    second = kernelserver.server()
    assert second is not first and second.alive
    assert not first.alive and first.process.poll() is not None


def test_the_server_and_its_kernels_end_with_the_process_that_started_them(tmp_path):
    """Killed outright (no clean-up runs), the starting process leaves no server and no
    kernel behind: the server sees its request pipe close and kills its kernels."""
    code = (
        "import os, sys, signal\n"
        "from effectmodel.pipeline import kernelserver\n"
        "s = kernelserver.server()\n"
        f"k = s.start(['-f', {_connection_file(tmp_path)!r}], {str(tmp_path)!r}, "
        "dict(os.environ), None)\n"
        "print(s.process.pid, k.pid, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == -signal.SIGKILL, r.stderr
    pids = [int(p) for p in r.stdout.split()]
    assert len(pids) == 2
    deadline = time.monotonic() + 30
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in pids)


def test_a_kernel_manager_waits_for_a_forked_kernel_to_end(tmp_path):
    """jupyter_client's shutdown waits on the server's report of the kernel's exit
    (pipeline.kernels.IpcKernelManager._async_wait): once it returns, the kernel is gone."""
    import asyncio

    from effectmodel.pipeline.kernels import IpcKernelManager

    async def start_and_kill() -> tuple[int, bool, bool]:
        km = IpcKernelManager(kernel_name="python3")
        await km.start_kernel(cwd=str(tmp_path))
        process = km.provisioner.process
        assert isinstance(process, kernelserver.ForkedKernel) and process.poll() is None
        await km.shutdown_kernel(now=True)
        return process.pid, process.ended.done(), await km.is_alive()

    pid, ended, alive = asyncio.run(start_and_kill())
    assert ended and not alive and not _alive(pid)
