"""Jupyter kernels that talk over Unix sockets, so kernels started side by side cannot collide.

Why this exists: with jupyter_client's default TCP transport a kernel's five ports are picked
by binding to port 0 and letting go, and the kernel binds them a moment later. A run starts
its three pages' kernels at once, and in that moment a client's connection to one kernel can
take a port another kernel was given: that kernel dies with "Address already in use" (seen in
CI). Over IPC a kernel's "ports" are socket files, named here by a random token in a folder
of this process's own, so there is nothing to race for. This is the one thing
:class:`IpcKernelManager` changes, through two traitlets defaults (``transport`` and ``ip``);
papermill starts, watches and stops the kernel the usual way. On Windows, whose ZeroMQ has no
IPC transport, TCP stays.

A kernel's own stderr (ipykernel's log, such as "Uncaught exception in ZMQStream callback" when
its sockets close at shutdown, seen once in CI) goes to ``<token>.log`` in that folder, through
``start_kernel``'s documented Popen keyword ``stderr``, not to the run's stderr, whose lines
tools read; ``EFFECTMODEL_DEBUG=1`` lets it through. What a notebook's cells print or raise
reaches the run through the kernel's messages either way.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
import uuid

from jupyter_client.localinterfaces import localhost
from jupyter_client.manager import AsyncKernelManager
from traitlets import default

_LOCK = threading.Lock()
_FOLDER: list[str] = []
#: a Unix socket path has at most 107 bytes; leave room for "<token>-<n>"
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

    @default("ip")
    def _ip_default(self) -> str:
        if self.transport != "ipc":
            return localhost()
        return os.path.join(socket_folder(), uuid.uuid4().hex[:12])

    async def start_kernel(self, **kw):
        """Start the kernel, its stderr into a log file (unless ``EFFECTMODEL_DEBUG``)."""
        if os.environ.get("EFFECTMODEL_DEBUG") or kw.get("stderr") is not None:
            return await super().start_kernel(**kw)
        log = os.path.join(socket_folder(), f"{uuid.uuid4().hex[:12]}.log")
        with open(log, "ab") as stderr:  # the kernel holds its own copy
            return await super().start_kernel(**kw, stderr=stderr)


_RESOLVED: list[bool] = []
_RESOLVING = threading.Lock()


def resolve_classes() -> None:
    """Make, once per process and before any page's thread does, each traitlets object a
    kernel's start makes: a notebook client, this kernel manager, its client and its
    provisioner.

    Why: traitlets names some classes by string (``client_factory``, ``session``,
    ``kernel_spec``) and imports them when the first object is made. That first import is
    not thread-safe: two threads can both see the string, and the second then imports the
    class the first already put in its place ("import_item accepts strings, not
    MetaHasTraits", seen once in a run's three kernels started at once). After this call
    every such name the start reads is a class, and the threads only read it. Safe to call
    from any thread: the first caller does it under a lock while the others wait."""
    with _RESOLVING:
        if _RESOLVED:
            return
        import nbformat
        from jupyter_client.provisioning import KernelProvisionerFactory
        from nbclient import NotebookClient

        NotebookClient(nbformat.v4.new_notebook(), kernel_manager_class=IpcKernelManager)
        manager = IpcKernelManager(kernel_name="python3")
        manager.client()
        KernelProvisionerFactory.instance(parent=manager.parent).create_provisioner_instance(
            "resolve", manager.kernel_spec, parent=manager)
        _RESOLVED.append(True)
