"""Jupyter kernels that talk over Unix sockets, so kernels started side by side cannot collide.

With the default TCP transport, jupyter_client picks a kernel's five ports by binding to port 0
and letting go; the kernel binds them a moment later. When several kernels start at once, a
client's outgoing connection to the first kernel can take one of those ports in between, and the
next kernel dies with "Address already in use" (seen in CI). Over IPC the "ports" are socket
files under a folder of this process's own, each kernel under a name no other kernel has, so
there is nothing to race for. On Windows, which has no IPC transport in ZeroMQ, TCP stays.

A kernel's own stderr (ipykernel's log, such as "Uncaught exception in ZMQStream callback" when
its sockets close at shutdown, seen once in CI) goes to ``<name>.log`` in that folder, not to
the run's stderr, whose lines tools read; ``EFFECTMODEL_DEBUG=1`` lets it through. What a
notebook's cells print or raise reaches the run through the kernel's messages either way.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import sys
import tempfile
import threading
import uuid

from jupyter_client.manager import AsyncKernelManager
from traitlets import default

_LOCK = threading.Lock()
_FOLDER: list[str] = []
#: a Unix socket path has at most 107 bytes; leave room for "<name>-<n>"
_MAX_FOLDER = 80


def socket_folder() -> str:
    """This process's folder for kernel sockets, made on first use and removed at exit."""
    with _LOCK:
        if not _FOLDER:
            base = tempfile.gettempdir()
            if len(base) > _MAX_FOLDER - 30:
                base = "/tmp"
            folder = tempfile.mkdtemp(prefix="effectmodel-kernels-", dir=base)
            atexit.register(shutil.rmtree, folder, True)
            _FOLDER.append(folder)
        return _FOLDER[0]


class IpcKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` on the IPC transport, its sockets named uniquely per kernel."""

    @default("transport")
    def _transport_default(self) -> str:
        return "tcp" if os.name == "nt" else "ipc"

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        log = None
        if not os.environ.get("EFFECTMODEL_DEBUG") and kw.get("stderr") is None:
            name = os.path.basename(self.ip) if self.transport == "ipc" \
                else uuid.uuid4().hex[:12]
            log = os.path.join(socket_folder(), f"{name}.log")
        if _forkable(kernel_cmd) and self._launch_forked(kernel_cmd, kw, log):
            return None
        if log is None:
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        with open(log, "ab") as stderr:
            return await super()._async_launch_kernel(kernel_cmd, **{**kw, "stderr": stderr})

    def _launch_forked(self, kernel_cmd: list[str], kw: dict, log: str | None) -> bool:
        """Fork the kernel from this process's kernel server (:mod:`.kernelserver`) and hand
        it to the provisioner as its process; False when the server cannot (then the kernel
        starts the usual way)."""
        from effectmodel.pipeline import kernelserver

        prov = self.provisioner
        cwd = str(kw.get("cwd") or os.getcwd())
        try:
            process = kernelserver.server().start(kernel_cmd[3:], cwd, kw["env"], log)
        except OSError:
            return False
        # signals go to the kernel itself (pgid None), as a Popen's would without a group
        prov.process, prov.pid, prov.pgid, prov.cwd = process, process.pid, None, cwd
        self._reconcile_connection_info(prov.connection_info)
        return True

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        """Wait until the kernel has ended: a forked kernel on the kernel server's report of
        its exit, not by polling (jupyter_client polls every 0.1 s, and a run waits for its
        last page's kernel to end)."""
        from effectmodel.pipeline.kernelserver import ForkedKernel

        process = getattr(self.provisioner, "process", None)
        if isinstance(process, ForkedKernel):
            await asyncio.wrap_future(process.ended)
        else:
            await super()._async_wait(pollinterval)

    @default("ip")
    def _ip_default(self) -> str:
        if self.transport != "ipc":
            return super()._ip_default()
        return os.path.join(socket_folder(), uuid.uuid4().hex[:12])


def _forkable(kernel_cmd: list[str]) -> bool:
    """Whether a kernel command is this interpreter's ``-m ipykernel_launcher`` (which the
    kernel server can fork) and forking is on."""
    from effectmodel.pipeline import kernelserver

    if not kernelserver.enabled() or len(kernel_cmd) < 3:
        return False
    if kernel_cmd[1:3] != ["-m", "ipykernel_launcher"]:
        return False
    try:
        return os.path.samefile(kernel_cmd[0], sys.executable)
    except OSError:
        return False
