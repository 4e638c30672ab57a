"""Where a run's notebook waits for the run's summary (pipeline.gated), and the gate itself."""

from __future__ import annotations

import threading

import nbformat
import pytest

from conftest import ROOT
from effectmodel.pipeline.gated import TAG, Gate, GateAborted, gate_index


def _cells(*specs):
    out = []
    for kind, tags in specs:
        make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
        out.append(make("x", metadata={"tags": list(tags)} if tags else {}))
    return out


@pytest.mark.parametrize(("specs", "expected"), [
    # the tagged cell, wherever it is
    ((("markdown", ()), ("code", ("parameters",)), ("code", ()), ("code", (TAG,))), 3),
    # no tag: the first code cell after the last parameters cell
    ((("code", ("parameters",)), ("code", ("injected-parameters",)), ("markdown", ()),
      ("code", ())), 3),
    # no tag, no parameters: the first code cell
    ((("markdown", ()), ("code", ()), ("code", ())), 1),
    # nothing to wait for: past the end
    ((("code", ("parameters",)), ("markdown", ())), 2),
])
def test_gate_index(specs, expected):
    assert gate_index(_cells(*specs)) == expected


def test_each_run_notebook_waits_at_the_cell_that_reads_the_summary():
    for name in ("briefing", "annex_buyer_groups", "annex_monitor"):
        nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
        cell = nb.cells[gate_index(nb.cells)]
        assert "outputs.run_summary(" in cell.source, name
        # everything before it only imports and loads the params
        assert not any("run_summary" in c.source for c in nb.cells[:gate_index(nb.cells)])


@pytest.mark.parametrize("abort", [False, True])
def test_the_gate_holds_until_opened_or_aborted(abort):
    gate, seen = Gate(), []

    def waiter():
        try:
            gate.wait()
            seen.append("open")
        except GateAborted:
            seen.append("aborted")

    threads = [threading.Thread(target=waiter) for _ in range(3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(0.2)
    assert seen == []  # still waiting
    gate.abort() if abort else gate.open()
    for th in threads:
        th.join(10)
    assert seen == ["aborted" if abort else "open"] * 3
