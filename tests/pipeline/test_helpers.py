"""The helper processes' quick exit (pipeline.helpers.exit_now): what a normal exit does for
the user (atexit handlers, flushed output, the exit code), without the interpreter's teardown."""

from __future__ import annotations

import pickle
import subprocess
import sys

from effectmodel.pipeline import helpers


def _run(code: str, tmp_path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, timeout=60)


def test_atexit_handlers_run_and_buffered_output_is_flushed(tmp_path):
    code = ("import atexit, sys\n"
            "from pathlib import Path\n"
            "from effectmodel.pipeline.helpers import exit_now\n"
            "atexit.register(lambda: Path('cleaned').write_text('yes'))\n"
            "sys.stdout.write('no newline, still buffered')\n"
            "sys.stderr.write('to stderr')\n"
            "exit_now(3)\n"
            "print('never')\n")
    r = _run(code, tmp_path)
    assert r.returncode == 3
    assert r.stdout == "no newline, still buffered"
    assert r.stderr == "to stderr"
    assert (tmp_path / "cleaned").read_text() == "yes"


def test_a_running_thread_is_joined_by_a_normal_exit(tmp_path):
    code = ("import threading, time\n"
            "from effectmodel.pipeline.helpers import exit_now\n"
            "def late():\n"
            "    time.sleep(0.5)\n"
            "    print('the thread finished', flush=True)\n"
            "threading.Thread(target=late).start()\n"
            "exit_now(4)\n")
    r = _run(code, tmp_path)
    assert r.returncode == 4
    assert r.stdout == "the thread finished\n"


def test_an_exception_that_cannot_be_pickled_keeps_its_text():
    class Odd(Exception):
        def __reduce__(self):
            raise TypeError("not picklable")

    sent = helpers.picklable(Odd("kernel died"))
    assert type(sent) is RuntimeError and str(sent) == "Odd: kernel died"
    assert type(pickle.loads(pickle.dumps(sent))) is RuntimeError
    plain = ValueError("x")
    assert helpers.picklable(plain) is plain
