"""Memory before work: a run's need estimated from its draws and the size of one draw of its
results, and refused, in one line naming the estimate and a number of draws that fits,
where it exceeds what the machine has. A run of many draws is sized by a run of a few
(:data:`PROBE` draws): its results' bytes per draw, times the peak's ratio to them."""

from __future__ import annotations

import os

from effectmodel.domain.errors import InputError, Problem
from effectmodel.domain.inputdata import Inputs
from effectmodel.domain.params import Params

#: runs of at most this many draws are not sized (they need about 2.5 GB at most with the
#: reference's inputs, measured)
SIZED_ABOVE = 100_000
#: the draws of the sizing run
PROBE = 256
#: the peak's ratio to the results' bytes (reference, evaluate and summarise: 22.6 kB of
#: peak RSS per draw against 4.6 kB of results; 6 keeps a margin) and the peak without
#: draws [bytes] (0.6 GB measured, 1 GB kept)
PEAK_RATIO = 6.0
BASE = 1.0e9


def available() -> int:
    """The memory the machine has for a new process [bytes]: MemAvailable of
    /proc/meminfo, else the physical memory."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def need(bytes_per_draw: float, n_draws: int) -> float:
    """The peak memory of a run [bytes] (see the module's text)."""
    return BASE + PEAK_RATIO * bytes_per_draw * n_draws


def check_draws(params: Params, inputs: Inputs, have: int | None = None) -> None:
    """Refuse (exit 2) a run whose estimated peak exceeds ``have`` (default: what the machine
    has now), naming the estimate and the most draws that fit."""
    n = params.run.n_draws
    if n <= SIZED_ABOVE:
        return
    from effectmodel.model.engine import evaluate

    probe = evaluate(params.with_overrides({"run.n_draws": PROBE}), inputs)
    per_draw = probe.nbytes / PROBE
    have = available() if have is None else have
    if need(per_draw, n) <= have:
        return
    fit = max(int((have - BASE) / (PEAK_RATIO * per_draw)), 0)
    raise InputError([Problem(str(params.path), "run.n_draws", f"{n:,} draws need about "
                              f"{need(per_draw, n) / 1e9:,.1f} GB of memory; this machine has "
                              f"{have / 1e9:,.1f} GB (allowed: at most {fit:,} draws here, "
                              f"e.g. --draws {fit})")])
