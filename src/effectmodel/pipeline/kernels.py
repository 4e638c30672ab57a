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

import atexit
import os
import shutil
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
        if os.environ.get("EFFECTMODEL_DEBUG") or kw.get("stderr") is not None:
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        name = os.path.basename(self.ip) if self.transport == "ipc" else uuid.uuid4().hex[:12]
        with open(os.path.join(socket_folder(), f"{name}.log"), "ab") as log:
            return await super()._async_launch_kernel(kernel_cmd, **{**kw, "stderr": log})

    @default("ip")
    def _ip_default(self) -> str:
        if self.transport != "ipc":
            return super()._ip_default()
        return os.path.join(socket_folder(), uuid.uuid4().hex[:12])
