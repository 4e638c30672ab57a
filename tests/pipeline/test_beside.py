"""Calls shared with a helper process from both ends of their list (pipeline.beside): the same
values as in this process, in order, whoever computes them; a helper's error raised here; a
helper that dies leaves its items to this process; nothing left running."""

from __future__ import annotations

import os
import pickle
import textwrap
import time

import numpy as np
import pytest

import effectmodel as em
from conftest import REFERENCE
from effectmodel.model import budget
from effectmodel.pipeline import beside

WORK = textwrap.dedent('''
    import os, time

    def mark_or_wait(parent, folder, name):
        """In the helper, leave the mark ``name`` in ``folder``; here, wait until the helper
        has left one."""
        if os.getpid() != parent:
            open(os.path.join(folder, str(name)), "w").close()
            return
        for _ in range(600):
            if os.listdir(folder):
                return
            time.sleep(0.1)

    def who(parent, folder, item):
        """(process id, item), after 0.2 s; here, only once the helper has done an item."""
        time.sleep(0.2)
        mark_or_wait(parent, folder, item)
        return os.getpid(), item

    def fail_in_helper(parent, item):
        if os.getpid() != parent:
            raise ValueError(f"item {item} failed in the helper")
        time.sleep(0.3)
        return item

    def lambda_in_helper(parent, folder, item):
        """In the helper, a value that does not pickle; here the item, once the helper has
        made one."""
        mark_or_wait(parent, folder, "made")
        return (lambda: item) if os.getpid() != parent else item

    def large(parent, folder, item):
        """(process id, niceness, 4 MB) after leaving a mark in ``folder`` (in the helper
        only)."""
        if os.getpid() != parent:
            open(os.path.join(folder, str(item)), "w").close()
        return os.getpid(), os.nice(0), bytes(4 * 2**20)

    def descriptors(parent, folder, item):
        """Whether this is the helper, and its open file descriptors; here, only once the
        helper has done an item."""
        fds = sorted(int(fd) for fd in os.listdir("/proc/self/fd"))
        mark_or_wait(parent, folder, item)
        return os.getpid() != parent, fds

    def die_in_helper(parent, marker, item):
        """Ends the helper (after leaving ``marker``); here waits for it, then squares."""
        if os.getpid() != parent:
            open(marker, "w").close()
            os._exit(9)
        for _ in range(600):
            if os.path.exists(marker):
                break
            time.sleep(0.1)
        return item * item
''')


@pytest.fixture(params=["forked", "spawned"])
def work(request, tmp_path, monkeypatch):
    """A module ``beside_work`` that both this process and a helper can import; the helper
    forked from this process, or a new interpreter."""
    if request.param == "spawned":
        monkeypatch.setattr(beside, "forkable", lambda: False)
    else:
        assert beside.forkable()
    (tmp_path / "beside_work.py").write_text(WORK)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(tmp_path), *filter(None, [os.environ.get("PYTHONPATH")])]))
    monkeypatch.delenv("EFFECTMODEL_BESIDE", raising=False)
    return "beside_work"


def test_both_ends_work_and_values_come_in_order(work, tmp_path):
    """Eight items: the helper takes them from the first, this process from the last; each is
    computed once, the helper's are a prefix, and the values are in order."""
    (tmp_path / "marks").mkdir()  # empty until the helper has done an item
    shared = beside.share(work, "who", (os.getpid(), str(tmp_path / "marks")), list(range(8)))
    assert isinstance(shared, beside.Shared)
    values = shared.result()
    assert [item for _, item in values] == list(range(8))
    here = [item for pid, item in values if pid == os.getpid()]
    there = [item for pid, item in values if pid != os.getpid()]
    assert here and there, values
    assert max(there) < min(here)
    assert shared._process.poll() is not None  # the helper has ended


def test_the_helper_goes_on_before_its_values_are_asked_for(work, tmp_path):
    """Values larger than a pipe's buffer do not hold the helper up until ``result()`` is
    called: it makes every item while this process does other work, at its own niceness."""
    (tmp_path / "marks").mkdir()
    shared = beside.share(work, "large", (os.getpid(), str(tmp_path / "marks")), list(range(4)))
    deadline = time.monotonic() + 60
    while len(os.listdir(tmp_path / "marks")) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(os.listdir(tmp_path / "marks")) == ["0", "1", "2", "3"]
    values = shared.result()
    assert {pid for pid, _, _ in values} == {shared._process.pid}
    assert {nice for _, nice, _ in values} == {min(19, os.nice(0) + beside.NICE)}
    assert all(len(v) == 4 * 2**20 for _, _, v in values)


def test_a_helper_error_is_raised_here(work):
    shared = beside.share(work, "fail_in_helper", (os.getpid(),), [0] * 20)
    with pytest.raises(ValueError, match="failed in the helper"):
        shared.result()
    assert shared._process.poll() is not None


def test_a_value_that_does_not_pickle_is_an_error_here(work, tmp_path):
    (tmp_path / "marks").mkdir()
    shared = beside.share(work, "lambda_in_helper", (os.getpid(), str(tmp_path / "marks")),
                          [0, 1])
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError),
                       match="pickle.*lambda"):
        shared.result()
    assert shared._process.poll() is not None


def test_a_helper_that_dies_leaves_its_items_here(work, tmp_path):
    shared = beside.share(work, "die_in_helper", (os.getpid(), str(tmp_path / "died")),
                          list(range(6)))
    assert shared.result() == [0, 1, 4, 9, 16, 25]
    assert shared._process.returncode == 9


def test_cancel_stops_the_helper(work, tmp_path):
    (tmp_path / "marks").mkdir()
    shared = beside.share(work, "who", (os.getpid(), str(tmp_path / "marks")), list(range(3)))
    shared.cancel()
    assert shared._process.poll() is not None


def test_off_or_not_wanted_computes_here(work, monkeypatch, tmp_path):
    assert isinstance(beside.share(work, "die_in_helper", (0, ""), [1], helper=False),
                      beside._Here)
    monkeypatch.setenv("EFFECTMODEL_BESIDE", "0")
    here = beside.share(work, "die_in_helper", (os.getpid(), str(tmp_path)), [1, 2])
    assert isinstance(here, beside._Here)
    assert here.result() == [1, 4]


def test_the_budget_shared_equals_the_budget_here(monkeypatch):
    """The variance budget's evaluations (frozen params and data sent to the helper, arrays
    sent back) are the same numbers, bit for bit, as those made in this process: the same
    code on the same machine, with the same random numbers."""
    monkeypatch.delenv("EFFECTMODEL_BESIDE", raising=False)
    p = em.load_params(REFERENCE, n_draws=500)
    i = em.load_inputs(p)
    tasks = budget.alone_tasks(p)
    assert len(tasks) >= 4  # monitor and buyer-group sources
    shared = budget.gather(tasks, beside.share("effectmodel.model.budget", "alone_run",
                                               (p, i, 0), tasks).result())
    here = budget.alone_runs(p, i)
    assert shared.keys() == here.keys()
    for source, total in here["buyer_groups"].items():
        np.testing.assert_array_equal(shared["buyer_groups"][source], total)
    for source, by_indicator in here["monitor"].items():
        for indicator, total in by_indicator.items():
            np.testing.assert_array_equal(shared["monitor"][source][indicator].values,
                                          total.values)


def test_arguments_that_do_not_pickle_leave_no_helper(monkeypatch):
    """A spawned helper gets its arguments pickled (a forked one has them in memory)."""
    monkeypatch.delenv("EFFECTMODEL_BESIDE", raising=False)
    monkeypatch.setattr(beside, "forkable", lambda: False)
    started = []
    real = beside.spawn
    monkeypatch.setattr(beside, "spawn", lambda m: started.append(real(m)) or started[-1])
    with pytest.raises((pickle.PicklingError, TypeError, AttributeError)):
        beside.share("math", "pow", (lambda: None,), [1])
    assert started and started[0][0].poll() is not None


def test_a_helper_holds_no_descriptor_of_this_process(work, tmp_path):
    """Besides its two pipes it has only stdin, stdout and stderr (forked: stdin and stdout
    on /dev/null): it keeps
    no file, socket or pipe of the run open (a reader of the run's output would wait for
    it)."""
    files = [open(tmp_path / f"f{k}", "w") for k in range(5)]  # noqa: SIM115
    (tmp_path / "marks").mkdir()
    try:
        values = beside.share(work, "descriptors", (os.getpid(), str(tmp_path / "marks")),
                              [0, 1, 2, 3]).result()
    finally:
        for f in files:
            f.close()
    theirs = [fds for helper, fds in values if helper]
    assert theirs and all(len(fds) <= 6 for fds in theirs), theirs  # + listdir's own
    assert all(fds[:3] == [0, 1, 2] for fds in theirs)


def test_no_fork_beside_another_thread():
    """A fork copies only the calling thread: with another thread running, the helper is a
    new interpreter."""
    import threading

    assert beside.forkable()
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert not beside.forkable()
    finally:
        stop.set()
        t.join()
    assert beside.forkable()
