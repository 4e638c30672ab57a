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
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from effectmodel.domain.params import Params
from effectmodel.inputs.data import load_inputs
from effectmodel.inputs.paramsfile import load_params
from effectmodel.pipeline.atomic import check_output, remove_owned, replacing, target
from effectmodel.pipeline.memory import check_draws
from effectmodel.pipeline.pages import (
    NOTEBOOKS,
    PAGES,
    SWEEP_NOTEBOOK,
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

__all__ = ["NOTEBOOKS", "PAGES", "RunFailed", "run", "run_sweep_report"]


def default_out(params: Params) -> Path:
    """``reports/<name>/`` in the project folder."""
    return project_root(params) / "reports" / params.name


def _relative(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` when inside it (the kernel runs in ``root``)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


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

    Returns the output folder. Raises :class:`~effectmodel.errors.InputError` on bad input
    (nothing written) and :class:`RunFailed` when a notebook fails (previous report intact).
    ``finalize(folder)`` runs on the complete new folder just before it is swapped in.
    ``log``: called with one line per finished stage (:func:`to_stderr`; None: quiet).
    ``scenario``: the random numbers of this sweep scenario (0: a plain run), so that a
    scenario's briefing shows the figures of its sweep row.
    """
    lang = ["en"]  # the stage lines' language: the params', once they are read
    say = _stages(log, lang)
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
                  replace={str(tmp): _relative(out, root)},
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


def _sweep_page(staging: Path, ds, summary: dict[str, Any], spec, base: Params, root: Path,
                out_dir: Path) -> None:
    """A sweep's sweep.nc, summary.json, and its page (index.html, from notebooks/sweep.ipynb
    executed into notebooks/) in ``staging``."""
    from effectmodel.model.engine import VARIABLES
    from effectmodel.pipeline.netcdf import to_cf, write_netcdf
    from effectmodel.pipeline.outputs import write_summary

    nc = ds.copy()
    nc["status"] = nc["status"].astype(str)
    (staging / "notebooks").mkdir()
    version = summary["provenance"].get("code_version", "")
    write_netcdf(to_cf(nc, f"effectmodel sweep {summary['provenance']['sweep']}",
                       f"effectmodel {version}".strip(), VARIABLES), staging / "sweep.nc")
    write_summary(summary, staging)
    parameters = {"output_dir": str(staging)}
    page = Page(notebook_path(root, SWEEP_NOTEBOOK), staging / "notebooks" / SWEEP_NOTEBOOK,
                staging / "index.html")
    run_job(Job((page,), parameters, root, base.language, spec.title,
                replace={str(staging): _relative(out_dir, root)}))


def _scenario_briefings(staging: Path, spec, base: Params, scenarios: list[dict],
                        selected: list[int], workers: int | None) -> None:
    """The briefing of each selected scenario under ``staging/scenarios/<i>/``, ``workers``
    side by side."""
    from effectmodel.report.sweepreport import scenario_title

    def one(i: int) -> Path:
        title = scenario_title(base.title, i, scenarios[i], base.language)
        return run(spec.base, out=staging / "scenarios" / str(i),
                   overrides={**scenarios[i], "title": title, "run.interval": spec.interval},
                   n_draws=spec.draws, seed=spec.seed, progress=False,
                   scenario=0 if spec.common_random_numbers else i)

    with ThreadPoolExecutor(max_workers=max(1, workers or 1)) as pool:
        list(pool.map(one, selected))


def _stages(log: Callable[[str], None] | None, lang: list[str] | None = None):
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


# --------------------------------------------------------------------------------------------
# Sweeps
# --------------------------------------------------------------------------------------------


def parse_selection(text: str | None, n: int) -> list[int]:
    """Scenario indices from ``all``, ``3``, ``0,5,9`` or ``2-6`` (inclusive ranges)."""
    from effectmodel.domain.errors import InputError, Problem

    if not text:
        return []
    if text == "all":
        return list(range(n))
    out: list[int] = []
    try:
        for part in text.split(","):
            a, _, b = part.strip().partition("-")
            lo, hi = int(a), int(b) if b else int(a)
            out += list(range(lo, hi + 1))
    except ValueError:
        raise InputError([Problem("--notebooks", text, "invalid selection (allowed: all, "
                                  "3, 0,5,9 or 2-6)")]) from None
    bad = [i for i in out if not 0 <= i < n]
    if bad:
        raise InputError([Problem("--notebooks", text, f"scenarios {bad} out of range "
                                  f"(allowed: 0 to {n - 1})")])
    return sorted(set(out))


def run_sweep_report(spec_path: str | Path, out: str | Path | None = None,
                     workers: int | None = None, scheduler: str | None = None,
                     resume: bool = False, notebooks: str | None = None,
                     progress: bool | None = None,
                     finalize: Callable[[Path], None] | None = None,
                     log: Callable[[str], None] | None = None) -> Path:
    """Run a sweep and write its folder: sweep.nc, summary.json, index.html, notebooks/ and,
    for ``notebooks``, a briefing per selected scenario under scenarios/<i>/. Written into a
    staging folder and swapped in at the end. ``log``: one line per finished stage."""
    from effectmodel.model import scenarios as msw
    from effectmodel.pipeline import sweep as sw
    from effectmodel.pipeline.provenance import provenance

    say = _stages(log)
    with say("validated the sweep, its base params and data, and the output folder"):
        loaded = sw.load(spec_path)
        spec, base, inputs = loaded
        scenarios = msw.design(spec)
        selected = parse_selection(notebooks, len(scenarios))  # bad input: before any work
        sw.check_sweep_output(spec, base, out)
        page = notebook_path(project_root(base), SWEEP_NOTEBOOK)
        check_notebook(page, notebook_label(project_root(base), page))
    with say(f"computed {len(scenarios):,} scenarios x {spec.draws:,} draws"):
        out_dir, ds, spec = sw.run_sweep(spec_path, out=out, workers=workers,
                                         scheduler=scheduler, resume=resume,
                                         progress=progress, loaded=loaded)
    failed = {int(i) for i, st in zip(ds["scenario"].values, ds["status"].values, strict=True)
              if str(st) != "ok"}
    selected = [i for i in selected if i not in failed]  # a failed scenario has no briefing
    root = project_root(base)
    read = [spec.path, *run_inputs(base, (notebook_path(root, n) for n in
                                          (*notebooks_of(base.parts), SWEEP_NOTEBOOK)))]
    work = sw.work_folder(out_dir)
    with say("summarised the sweep"):
        prov = {"sweep": _relative(spec.path.resolve(), root), "sweep_sha256": spec.sha256,
                **provenance(base, inputs, notebooks=(SWEEP_NOTEBOOK,))}
        summary = msw.sweep_summary(ds, spec, msw.sobol_analysis(ds, spec), prov,
                                    base.language)
        # the scenarios rendered as briefings (scenarios/<i>/index.html), linked from the page
        summary["scenario_briefings"] = [int(i) for i in selected]
    with replacing(out_dir, root, read, beside=work / "staging", source=spec.path) as staging:
        with say("rendered the sweep report"):
            _sweep_page(staging, ds, summary, spec, base, root, out_dir)
        if selected:
            with say(f"rendered {len(selected)} scenario briefings"):
                _scenario_briefings(staging, spec, base, scenarios, selected, workers)
        if finalize is not None:
            finalize(staging)
    remove_owned(work)
    return out_dir
