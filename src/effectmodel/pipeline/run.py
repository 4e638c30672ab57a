"""Run the notebooks through papermill and render them with nbconvert; write atomically.

``run`` validates params and data first (bad input stops before anything is written), executes
each notebook in a real Jupyter kernel into a temporary folder beside the output folder, renders
the briefing with the project's own nbconvert template, and swaps the folder in at the end: a
failed run leaves the previous report as it was.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from effectmodel.domain.params import Params
from effectmodel.domain.paths import relative_label
from effectmodel.inputs.data import load_inputs
from effectmodel.inputs.paramsfile import load_params
from effectmodel.pipeline.atomic import check_output, replacing, target
from effectmodel.pipeline.memory import check_draws
from effectmodel.pipeline.pages import (
    NOTEBOOKS,
    PAGES,
    Job,
    Page,
    RunFailed,
    check_notebook,
    notebook_label,
    notebook_path,
    notebooks_of,
    run_job,
)
from effectmodel.pipeline.provenance import project_root

# The model (scipy, statsmodels) and the writers (xarray) are imported inside the functions
# that use them; papermill and nbconvert where the pages run (pipeline.pages).

__all__ = ["NOTEBOOKS", "PAGES", "RunFailed", "run"]


def default_out(params: Params) -> Path:
    """``reports/<name>/`` in the project folder."""
    return project_root(params) / "reports" / params.name


def run(params_path: str | Path, out: str | Path | None = None,
        overrides: Mapping[str, Any] | None = None, n_draws: int | None = None,
        seed: int | None = None, progress: bool | None = None,
        notebooks_dir: Path | None = None,
        finalize: Callable[[Path], None] | None = None,
        log: Callable[[str], None] | None = None, scenario: int = 0) -> Path:
    """Run the briefing for a params file and write the report folder.

    One process plus the notebooks' kernels: validate, evaluate, summarise (the variance
    budget included), write summary.json, results.nc and the tables, then execute and render
    the three pages side by side in threads, each in a kernel papermill starts.

    Returns the output folder. Raises :class:`~effectmodel.domain.errors.InputError` on bad input
    (nothing written) and :class:`RunFailed` when a notebook fails (previous report intact).
    ``finalize(folder)`` runs on the complete new folder just before it is swapped in.
    ``log``: called with one line per finished stage (:func:`to_stderr`; None: quiet).
    ``scenario``: the random numbers of this sweep scenario (0: a plain run), so that a
    scenario's briefing shows the figures of its sweep row.
    """
    lang = ["en"]  # the stage lines' language: the params', once they are read
    say = stages(log, lang)
    with say("validated"):
        params = load_params(params_path, overrides=overrides, n_draws=n_draws, seed=seed)
        lang[0] = params.language
        inputs = load_inputs(params)  # every data file, before anything runs
        check_draws(params, inputs)  # memory, before the draws are made
        root = project_root(params)
        names = notebooks_of(params.parts)
        notebooks = {n: (notebooks_dir / n if notebooks_dir is not None
                         else notebook_path(root, n)) for n in names}
        for path in notebooks.values():
            check_notebook(path, notebook_label(root, path))
        read = run_inputs(params, notebooks.values())
        given = Path(out) if out is not None else default_out(params)
        out = target(given)
        # checked before any work (and so before this stage's line); `replacing` checks
        # again as it starts, and `swap` once more at the end
        check_output(given, root, read, source=params.path)
    if progress is None:
        progress = sys.stderr.isatty()
    with replacing(given, root, read, source=params.path) as tmp:
        _evaluate_and_save(params, inputs, scenario, tmp, say)
        (tmp / "notebooks").mkdir()
        # the pages render the summary just written: no params, no data, no model
        parameters = {"summary_path": str(tmp / "summary.json")}
        job = Job(tuple(Page(notebooks[n], tmp / "notebooks" / n, tmp / PAGES[n])
                        for n in names),
                  parameters, root, params.language, params.title,
                  replace={str(tmp): relative_label(out, root)},
                  progress=names[0] if progress else None)
        with say(f"rendered_{len(names) - 1}"):
            run_job(job)
        if finalize is not None:
            finalize(tmp)
    return out


def _evaluate_and_save(params: Params, inputs, scenario: int, folder: Path, say) -> None:
    """Evaluate once, summarise, and write summary.json, results.nc and the tables into
    ``folder``."""
    from effectmodel.model.engine import evaluate
    from effectmodel.model.summary import summarise
    from effectmodel.pipeline.outputs import save
    from effectmodel.pipeline.provenance import provenance

    with say("evaluated", n=params.run.n_draws):
        results = evaluate(params, inputs, scenario)
    with say("summarised"):
        summary = summarise(results, params, inputs, provenance(params, inputs))
    with say("wrote"):
        save(results, summary, params, folder)


def stages(log: Callable[[str], None] | None, lang: list[str] | None = None):
    """A context manager per stage that logs ``what (seconds)`` when the stage is done:
    ``what`` a stage's key in the catalogue (``stage_<key>``, in ``lang[0]``, the run's
    language once its params are read), or the words themselves."""
    from effectmodel.report.i18n import TEXT
    from effectmodel.report.numformat import number

    @contextmanager
    def stage(what: str, n: int | None = None):
        t0 = time.perf_counter()
        yield
        if log is not None:
            code = lang[0] if lang else "en"
            words = TEXT[code].get(f"stage_{what}", what)
            if n is not None:
                words = words.format(n=number(n, code))
            seconds = number(time.perf_counter() - t0, code, 1)
            log(f"{words} ({seconds} s)")
    return stage


def to_stderr(prefix: str = "") -> Callable[[str], None]:
    """A stage logger: one flushed line on stderr (seen in CI logs and through pipes)."""
    def log(line: str) -> None:
        print(f"{prefix}{line}", file=sys.stderr, flush=True)
    return log


def run_inputs(params: Params, notebooks: Iterable[Path]) -> list[Path]:
    """Every file a run reads: the params file, its data files and ``notebooks``."""
    return [params.path, *params.data.values(), *notebooks]
