"""Notebooks that start while the model runs, and wait for its summary at a gate.

A run's pages spend most of their time before their first figure: a kernel starts, then
imports pandas, matplotlib and the package. ``effectmodel run`` starts the three kernels right
after validation, so that this happens while the run's own process evaluates the model on the
other core. Each notebook executes through papermill, on the papermill engine registered here
(``effectmodel-gated``), up to its first cell tagged ``reads-run`` (the cell that reads
``summary.json``), and waits there until the run opens the :class:`Gate`. A notebook with no
such tag waits before its first code cell after the parameters. Plain papermill ignores the
tag: the notebook then runs straight through on its own.

If the run fails before the gate opens, it aborts the gate: each notebook stops where it
waits, raising :class:`GateAborted`, and its kernel shuts down.
"""

from __future__ import annotations

import threading

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger
from papermill.utils import merge_kwargs, remove_args

#: the papermill engine's name
ENGINE = "effectmodel-gated"
#: a notebook waits before the first cell with this tag
TAG = "reads-run"


class GateAborted(RuntimeError):
    """The run failed before its summary was written; the notebook stopped at the gate."""


class Gate:
    """Opened once the run's ``summary.json`` is written; aborted if the run fails first."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._aborted = False

    def open(self) -> None:
        """Let every waiting notebook go on."""
        self._event.set()

    def abort(self) -> None:
        """Stop every waiting notebook (it raises :class:`GateAborted`)."""
        self._aborted = True
        self._event.set()

    def wait(self) -> None:
        """Block until opened; raises :class:`GateAborted` if aborted instead."""
        self._event.wait()
        if self._aborted:
            raise GateAborted("the run stopped before its summary was written")


def gate_index(cells: list) -> int:
    """Index of the cell a notebook waits before: the first tagged :data:`TAG`, else the
    first code cell after the (injected) parameters, else past the end."""
    for i, cell in enumerate(cells):
        if TAG in cell.metadata.get("tags", []):
            return i
    params = [i for i, c in enumerate(cells)
              if {"parameters", "injected-parameters"} & set(c.metadata.get("tags", []))]
    start = params[-1] + 1 if params else 0
    return next((i for i in range(start, len(cells)) if cells[i].cell_type == "code"),
                len(cells))


class GatedClient(PapermillNotebookClient):
    """papermill's notebook client, waiting at the gate before one cell."""

    def __init__(self, nb_man, gate: Gate | None = None, **kw) -> None:
        super().__init__(nb_man, **kw)
        self._gate = gate
        self._gate_at = gate_index(nb_man.nb.cells) if gate is not None else -1

    def execute_cell(self, cell, cell_index, *args, **kwargs):
        if cell_index == self._gate_at:
            self._gate.wait()
        return super().execute_cell(cell, cell_index, *args, **kwargs)


class GatedEngine(NBClientEngine):
    """papermill's nbclient engine with :class:`GatedClient` (``gate=``: a :class:`Gate`)."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                 stderr_file=None, start_timeout=60, execution_timeout=None,
                                 gate: Gate | None = None, **kwargs):
        # as papermill's NBClientEngine, with the gate handed to the client
        kwargs = remove_args(["input_path"], **kwargs)
        safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
        final_kwargs = merge_kwargs(
            safe_kwargs, timeout=execution_timeout or kwargs.get("timeout"),
            startup_timeout=start_timeout, kernel_name=kernel_name, log=logger,
            log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file)
        return GatedClient(nb_man, gate=gate, **final_kwargs).execute()


papermill_engines.register(ENGINE, GatedEngine)
