"""A warm start for a run's Jupyter kernels: one helper process, the kernel server, imports
ipykernel, pandas, matplotlib and the report modules once, then forks a kernel per request.

A kernel started the usual way is a fresh interpreter that imports all of that again: about
1.7 s of CPU per page, three pages per run, on a machine whose other core computes the model at
that moment. A forked kernel starts with those modules already imported and then runs exactly
as ``python -m ipykernel_launcher -f <connection file> ...`` would: the same IPKernelApp, the
same arguments, environment and working folder, in a session of its own, over the sockets its
connection file names. Nothing is in the server that a notebook could see as state: modules
only (no figure, no kernel, no event loop).

- The server is started on first use (one per process and environment), talks over two
  pipes (JSON lines), and reaps its kernels: their exits come back as messages, so that
  jupyter_client can poll, signal and wait for a forked kernel as for its own child.
- It ends when the process that started it ends (its request pipe closes); it then kills the
  kernels still running. :meth:`KernelServer.stop` ends it earlier.
- Off where fork is missing (Windows) or with ``EFFECTMODEL_KERNEL_SERVER=0``: kernels then
  start the usual way (:class:`~effectmodel.pipeline.kernels.IpcKernelManager`).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import threading
import traceback
from collections.abc import Mapping
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from effectmodel.pipeline.helpers import Slot, spawn

#: what a briefing, annex or sweep kernel imports (the notebooks' first cells), imported once
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell",
           "matplotlib.figure", "matplotlib.backends.backend_svg", "pandas",
           "effectmodel", "effectmodel.pipeline.outputs", "effectmodel.report.briefing",
           "effectmodel.report.annex", "effectmodel.report.settings",
           "effectmodel.report.sweepreport")


def enabled() -> bool:
    """Whether kernels are forked from the kernel server (POSIX, not switched off)."""
    return hasattr(os, "fork") and os.environ.get("EFFECTMODEL_KERNEL_SERVER", "1") != "0"


# --------------------------------------------------------------------------------------------
# The server process
# --------------------------------------------------------------------------------------------


def serve(requests: int, replies: int) -> None:
    """The server's loop: read a request per line on fd ``requests``, fork a kernel for it,
    write its pid (and later its exit code) as a line on fd ``replies``. Ends, killing the
    kernels still running, when ``requests`` closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the run, which stops this
    for name in PRELOAD:
        __import__(name)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.set_wakeup_fd(wake_w)
    kernels: set[int] = set()
    pending = b""
    while True:
        ready, _, _ = select.select([requests, wake_r], [], [])
        if wake_r in ready:
            os.read(wake_r, 4096)
        _reap(kernels, replies)
        if requests not in ready:
            continue
        chunk = os.read(requests, 65536)
        if not chunk:
            break
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            request = json.loads(line)
            pid = os.fork()
            if pid == 0:
                _kernel(request, closing=(requests, replies, wake_r, wake_w))
            kernels.add(pid)
            _reply(replies, {"id": request["id"], "pid": pid})
    for pid in kernels:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _reap(kernels: set[int], replies: int) -> None:
    """Report every kernel that has ended since the last call."""
    for pid in list(kernels):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            kernels.discard(pid)
            _reply(replies, {"exit": pid, "code": os.waitstatus_to_exitcode(status)})


def _reply(fd: int, message: dict) -> None:
    os.write(fd, json.dumps(message).encode() + b"\n")


def _kernel(request: Mapping, closing: tuple[int, ...]) -> None:
    """In the forked child: become ``python -m ipykernel_launcher <args>`` and never return."""
    code = 1
    try:
        os.setsid()  # a session of its own, as jupyter_client starts a kernel
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for fd in closing:
            os.close(fd)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        if request.get("log"):
            log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            os.dup2(log, 2)
            os.close(log)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        if sys.path and sys.path[0] == "":
            del sys.path[0]  # as ipykernel_launcher takes the working folder off the path
        sys.argv = [sys.executable, *request["argv"]]
        from ipykernel.kernelapp import IPKernelApp

        IPKernelApp.launch_instance(argv=list(request["argv"]))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - reported on the kernel's stderr, like a crash
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


# --------------------------------------------------------------------------------------------
# The client side, in the process that runs notebooks
# --------------------------------------------------------------------------------------------


class ForkedKernel:
    """A forked kernel as jupyter_client's provisioner handles a ``Popen``: ``pid``,
    ``poll``, ``wait``, ``send_signal``, ``kill``, ``terminate``. :attr:`ended`: a Future of
    its exit code, set once the server has reaped it."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, ended: Future) -> None:
        self.pid = pid
        self.ended = ended

    def poll(self) -> int | None:
        return self.ended.result() if self.ended.done() else None

    def wait(self, timeout: float | None = None) -> int:
        try:
            return self.ended.result(timeout)
        except FutureTimeout:
            raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0) from None

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:  # never a pid the system may have given to another process
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class KernelServer:
    """The client end of one kernel server process, started in the environment ``key``."""

    def __init__(self, key: tuple) -> None:
        self.process, self._requests, self._replies = spawn(__name__)
        self.key = key
        self.owner = os.getpid()  # a forked copy of this process has no reader: not its server
        self._lock = threading.Lock()
        self._ids = 0
        self._started: dict[int, Future] = {}  # request id -> (pid, its `_ended`)
        self._ended: dict[int, Future] = {}  # pid of a kernel -> its exit code
        self.alive = True
        threading.Thread(target=self._read, name="effectmodel-kernel-server",
                         daemon=True).start()

    def start(self, argv: list[str], cwd: str, env: Mapping[str, str],
              log: str | None) -> ForkedKernel:
        """Fork a kernel ``python -m ipykernel_launcher *argv`` in ``cwd`` with ``env``;
        its stderr appended to ``log`` (None: the server's stderr)."""
        with self._lock:
            if not self.alive:
                raise OSError("the kernel server has ended")
            self._ids += 1
            started = self._started[self._ids] = Future()
            os.write(self._requests, json.dumps(
                {"id": self._ids, "argv": list(argv), "cwd": str(cwd), "env": dict(env),
                 "log": log}).encode() + b"\n")
        return ForkedKernel(*started.result())  # OSError when the server ends first

    def stop(self) -> None:
        """End the server (and any kernel it still runs)."""
        with self._lock:
            if self.alive:
                os.close(self._requests)
            self.alive = False
        self.process.wait()

    def _read(self) -> None:
        with os.fdopen(self._replies, "rb") as replies:
            for line in replies:
                message = json.loads(line)
                with self._lock:
                    if "pid" in message:  # a new kernel (its pid may be an old one's)
                        ended = self._ended[message["pid"]] = Future()
                        self._started.pop(message["id"]).set_result((message["pid"], ended))
                    else:
                        self._ended[message["exit"]].set_result(message["code"])
        with self._lock:  # the server is gone: so are its kernels (it killed them)
            self.alive = False
            for started in self._started.values():
                started.set_exception(OSError("the kernel server ended"))
            for ended in self._ended.values():
                if not ended.done():
                    ended.set_result(-signal.SIGKILL)


_SLOT: Slot[KernelServer] = Slot(KernelServer)


def server() -> KernelServer:
    """This process's kernel server for its current environment (started on first use; a
    changed environment, which imports may read, gets a server of its own)."""
    return _SLOT.get()


def running() -> KernelServer | None:
    """This process's kernel server, if one runs (None: none started, or it has ended)."""
    return _SLOT.running()
