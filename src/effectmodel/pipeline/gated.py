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

from papermill.engines import NBClientEngine, papermill_engines

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


class GatedEngine(NBClientEngine):
    """papermill's nbclient engine, holding the notebook at the gate (``gate=``: a
    :class:`Gate`) through nbclient's own ``on_cell_start`` hook."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, gate: Gate | None = None,
                                 **kwargs):
        if gate is not None:
            at = gate_index(nb_man.nb.cells)  # of the notebook as papermill executes it

            def wait(cell, cell_index: int) -> None:
                if cell_index == at:
                    gate.wait()

            kwargs["on_cell_start"] = wait
        return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)


papermill_engines.register(ENGINE, GatedEngine)
