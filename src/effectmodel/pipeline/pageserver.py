"""The page server: a helper process that executes and renders a run's pages while the run's own
process evaluates the model.

Executing a page is mostly Python work in the process that drives the notebook: papermill and
nbclient (starting the kernel, passing its messages), then nbconvert. Done in threads of the
run's process, that work took turns with the model for the interpreter's lock: the model's
evaluation took 2.5 s alone and 3.4-3.6 s beside three pages' threads. Here it runs in a
process of its own, on the machine's other core.

- The server is started on first use (one per process and environment), reads
  :class:`~effectmodel.pipeline.pages.Job` objects from a pipe, and runs each in a thread
  (:func:`~effectmodel.pipeline.pages.run_job`); its notebooks wait at their gate until the
  run sends ``open`` (or ``abort``). A job's outcome, ``None`` or the exception it raised,
  comes back on a second pipe. Several runs (``build --jobs``, a sweep's briefings) share it.
- It starts its kernels through its own kernel server (:mod:`.kernelserver`), and runs at
  niceness :data:`NICE` with them: its imports and the kernels' start take the machine's idle
  time, not the model's.
- It ends when the process that started it ends (its request pipe closes): the notebooks
  still waiting at a gate stop there, the others finish, and it exits.
- Off on Windows (no pipes to pass to a child) and with ``EFFECTMODEL_PAGE_SERVER=0``: jobs
  then run in a thread of the run's process.
"""

from __future__ import annotations

import os
import signal
import threading
from concurrent.futures import Future
from multiprocessing.connection import Connection

from effectmodel.pipeline.helpers import Slot, picklable, spawn
from effectmodel.pipeline.pages import Job


def enabled() -> bool:
    """Whether a run's pages go to the page server (POSIX: it talks over inherited pipe
    descriptors; not switched off)."""
    return os.name == "posix" and os.environ.get("EFFECTMODEL_PAGE_SERVER", "1") != "0"


#: the server's niceness
NICE = 10

# --------------------------------------------------------------------------------------------
# The server process
# --------------------------------------------------------------------------------------------


def serve(requests: int, replies: int) -> None:
    """The server's loop: ``("job", id, Job)``, ``("open", id)`` or ``("abort", id)`` per
    message on fd ``requests``; ``(id, outcome)`` per finished job on fd ``replies``. Ends
    when ``requests`` closes, once its jobs are done."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the run, which stops this
    os.nice(NICE)
    inbox, outbox = Connection(requests, writable=False), Connection(replies, readable=False)
    from effectmodel.pipeline import kernelserver

    if kernelserver.enabled():
        kernelserver.server()  # its imports, on the other core, while this process imports
    from effectmodel.pipeline.gated import Gate
    from effectmodel.pipeline.pages import run_job

    gates: dict[int, Gate] = {}
    send = threading.Lock()
    jobs = []

    def one(job_id: int, job: Job, gate: Gate) -> None:
        outcome: BaseException | None = None
        try:
            run_job(job, gate)
        except BaseException as exc:  # noqa: BLE001 - handed to the run, which raises it
            outcome = picklable(exc)
        with send:
            outbox.send((job_id, outcome))

    while True:
        try:
            kind, job_id, *rest = inbox.recv()
        except EOFError:
            break
        if kind == "job":
            gates[job_id] = Gate()
            jobs = [t for t in jobs if t.is_alive()]  # a long build sends many
            jobs.append(threading.Thread(target=one, args=(job_id, rest[0], gates[job_id])))
            jobs[-1].start()
        elif kind == "open" and job_id in gates:  # once; an abort after the open: nothing
            gates.pop(job_id).open()
        elif job_id in gates:
            gates.pop(job_id).abort()
    for gate in gates.values():  # the run has gone: no notebook goes past its gate
        gate.abort()
    for thread in jobs:
        thread.join()


# --------------------------------------------------------------------------------------------
# The client side, in the run's process
# --------------------------------------------------------------------------------------------


class Pending:
    """A submitted job: :meth:`open` its gate, :meth:`abort` it, wait for its :meth:`result`."""

    def __init__(self, server: PageServer, job_id: int, done: Future) -> None:
        self._server, self._id, self._done = server, job_id, done

    def open(self) -> None:
        self._server.send(("open", self._id))

    def abort(self) -> None:
        self._server.send(("abort", self._id))

    def result(self) -> None:
        """Wait until the job is done; raises what it raised."""
        self._done.result()


class PageServer:
    """The client end of one page server process, started in the environment ``key``."""

    def __init__(self, key: tuple) -> None:
        self.process, req_w, rep_r = spawn(__name__)
        self._requests = Connection(req_w, readable=False)
        self.key = key
        self.owner = os.getpid()  # a forked copy of this process has no reader: not its server
        self._lock = threading.Lock()
        self._ids = 0
        self._done: dict[int, Future] = {}
        self.alive = True
        threading.Thread(target=self._read, args=(Connection(rep_r, writable=False),),
                         name="effectmodel-page-server", daemon=True).start()

    def submit(self, job: Job) -> Pending:
        """Start ``job``: its notebooks run up to their gate."""
        with self._lock:
            self._ids += 1
            done = self._done[self._ids] = Future()
            self._send(("job", self._ids, job))
        return Pending(self, self._ids, done)

    def send(self, message: tuple) -> None:
        with self._lock:
            self._send(message)

    def _send(self, message: tuple) -> None:
        if not self.alive:
            raise OSError("the page server has ended")
        self._requests.send(message)

    def stop(self) -> None:
        """End the server once its jobs are done."""
        with self._lock:
            if self.alive:
                self._requests.close()
            self.alive = False
        self.process.wait()

    def _read(self, replies: Connection) -> None:
        while True:
            try:
                job_id, outcome = replies.recv()
            except EOFError:
                break
            with self._lock:
                done = self._done.pop(job_id)
            if outcome is None:
                done.set_result(None)
            else:
                done.set_exception(outcome)
        with self._lock:  # the server is gone, and with it its jobs
            self.alive = False
            for done in self._done.values():
                done.set_exception(OSError("the page server ended"))
            self._done.clear()


class _Local:
    """A job run in a thread of this process (``EFFECTMODEL_PAGE_SERVER=0``)."""

    def __init__(self, job: Job) -> None:
        from effectmodel.pipeline.gated import Gate
        from effectmodel.pipeline.pages import run_job

        self._gate = Gate()
        self._done: Future = Future()

        def work() -> None:
            try:
                run_job(job, self._gate)
                self._done.set_result(None)
            except BaseException as exc:  # noqa: BLE001 - raised by result()
                self._done.set_exception(exc)

        threading.Thread(target=work, name="effectmodel-pages", daemon=True).start()

    def open(self) -> None:
        self._gate.open()

    def abort(self) -> None:
        self._gate.abort()

    def result(self) -> None:
        self._done.result()


_SLOT: Slot[PageServer] = Slot(PageServer)


def server() -> PageServer:
    """This process's page server for its current environment (started on first use; a
    changed environment, which its kernels would see, gets a server of its own)."""
    return _SLOT.get()


def running() -> PageServer | None:
    """This process's page server, if one runs."""
    return _SLOT.running()


def submit(job: Job) -> Pending | _Local:
    """Start ``job`` on the page server, or in this process when the server is off."""
    return server().submit(job) if enabled() else _Local(job)
