"""A run's pages: its notebooks executed side by side by papermill, each in a fresh kernel,
and rendered with nbconvert.

A :class:`Job` says what to execute and where to write; :func:`run_job` does it in the
calling process, one thread per page, once the run's ``summary.json`` and ``results.nc`` are
written. Light to import: papermill, nbformat and nbconvert are imported where they are used.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from effectmodel.domain.errors import InputError, Problem
from effectmodel.domain.paths import relative_label

if TYPE_CHECKING:
    import nbformat

NOTEBOOKS = ("briefing.ipynb", "annex_buyer_groups.ipynb", "annex_monitor.ipynb")
PAGES = {"briefing.ipynb": "index.html", "annex_buyer_groups.ipynb": "annex-buyer-groups.html",
         "annex_monitor.ipynb": "annex-monitor.html"}
#: the annex of each part
ANNEXES = {"buyer_groups": "annex_buyer_groups.ipynb", "monitor": "annex_monitor.ipynb"}
SWEEP_NOTEBOOK = "sweep.ipynb"
#: the notebooks that ship inside the package: a project needs none of its own
PACKAGED = Path(__file__).resolve().parents[1] / "notebooks"


def notebooks_of(parts: tuple[str, ...]) -> tuple[str, ...]:
    """The notebooks of a run holding ``parts``: the briefing, then each part's annex."""
    return (NOTEBOOKS[0], *(ANNEXES[p] for p in parts))


def notebook_path(root: Path, name: str) -> Path:
    """The notebook ``name`` a project at ``root`` runs: its own ``notebooks/<name>`` when it
    has one (a team's customised page), else the packaged one."""
    own = root / "notebooks" / name
    return own if own.is_file() else PACKAGED / name


#: the one parameter ``effectmodel`` hands each notebook: the run's summary.json, or the
#: sweep's folder
HANDED = {**dict.fromkeys(NOTEBOOKS, "summary_path"), SWEEP_NOTEBOOK: "output_dir"}


def check_notebook(path: Path, label: str) -> None:
    """Refuse, before any work, a project's own notebook whose parameters cell does not take
    the parameter the run hands it (an older copy would compute a run of its own instead)."""
    if path.parent == PACKAGED:
        return
    name = HANDED[path.name]
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        source = "\n".join("".join(c["source"]) for c in cells
                            if "parameters" in c.get("metadata", {}).get("tags", []))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError([Problem(label, "(file)", f"unreadable notebook: {exc} (allowed: a "
                                  "Jupyter notebook)")]) from None
    if not re.search(rf"^{name}\s*=", source, re.MULTILINE):
        raise InputError([Problem(label, "parameters", f"no {name} in the cell tagged "
                                  f"'parameters' (allowed: a parameters cell with {name} = "
                                  f"None, as in effectmodel/notebooks/{path.name})")])


def notebook_label(root: Path, path: Path) -> str:
    """How provenance and manifests name a notebook: project-relative for a project's own,
    ``effectmodel/notebooks/<name>`` for a packaged one."""
    return relative_label(path, root, outside=f"effectmodel/notebooks/{path.name}",
                          follow_links=False)


class RunFailed(RuntimeError):
    """A notebook failed while executing (an internal failure: exit code 1)."""


@dataclass(frozen=True)
class Page:
    """One notebook of a job: executed into ``executed``, rendered into ``html``."""

    notebook: Path
    executed: Path
    html: Path


@dataclass(frozen=True)
class Job:
    """A run's pages, executed side by side in fresh kernels started in ``cwd``, with the
    same papermill ``parameters``; ``replace`` (temporary -> final paths) is applied to the
    executed notebooks (:func:`normalise`). ``progress``: the notebook that shows a bar."""

    pages: tuple[Page, ...]
    parameters: Mapping[str, Any]
    cwd: Path
    language: str
    title: str
    replace: Mapping[str, str] = field(default_factory=dict)
    progress: str | None = None


def normalise(nb: nbformat.NotebookNode, replace: Mapping[str, str] | None = None
              ) -> nbformat.NotebookNode:
    """Drop the timing metadata papermill and the kernel add, and write the injected paths as
    they are after the run (``replace``: temporary -> final), so executed notebooks do not
    change from one run to the next."""
    pm = nb.metadata.get("papermill", {})
    for old, new in (replace or {}).items():
        for k, v in pm.get("parameters", {}).items():
            if isinstance(v, str):
                pm["parameters"][k] = v.replace(old, new)
        for cell in nb.cells:
            if "injected-parameters" in cell.metadata.get("tags", []):
                cell.source = cell.source.replace(repr(old)[1:-1], repr(new)[1:-1])
    for cell in nb.cells:  # papermill gives its cell a random id
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
    for k in ("start_time", "end_time", "duration", "input_path", "output_path"):
        pm.pop(k, None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.get("papermill", {}).clear()
    return nb


def execute(notebook: Path, output: Path, parameters: Mapping[str, Any], cwd: Path,
            progress: bool, replace: Mapping[str, str] | None = None
            ) -> nbformat.NotebookNode:
    """Execute one notebook with papermill in a fresh kernel; returns the executed notebook."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from effectmodel.pipeline.kernels import IpcKernelManager, resolve_classes

    resolve_classes()  # before this thread makes a kernel: see its docstring
    try:
        # Notebooks run side by side in threads, so papermill touches no file and no working
        # folder here (both are process-wide state in papermill): the notebook goes in as a
        # node, comes back as one, and the kernel starts in `cwd` through nbclient's resources
        nb = papermill.execute_notebook(
            nbformat.read(str(notebook), as_version=4), None, parameters=dict(parameters),
            resources={"metadata": {"path": str(cwd)}},
            kernel_name="python3", progress_bar=progress, log_output=False,
            request_save_on_cell_execute=False,
            # no IPython history: a run's kernels write nothing under ~/.ipython, and three
            # kernels that end at once do not wait on one history database's lock
            extra_arguments=["--IPKernelApp.log_level=CRITICAL",
                             "--HistoryManager.enabled=False"],
            # every output is in once the last cell is done: the kernel is stopped, not
            # asked to stop (a kernel that takes its time to exit holds no run up)
            shutdown_kernel="immediate",
            kernel_manager_class=IpcKernelManager,
        )
    except PapermillExecutionError as exc:
        raise RunFailed(f"{notebook.name}: cell {exc.exec_count} failed: {exc.ename}: "
                        f"{exc.evalue}") from None
    nb = normalise(nb, replace)
    nbformat.write(nb, str(output))
    return nb


def run_page(job: Job, page: Page) -> None:
    """Execute one page of ``job`` and write its notebook and HTML."""
    from effectmodel.report.render import render_html

    nb = execute(page.notebook, page.executed, job.parameters, job.cwd,
                 job.progress == page.notebook.name, replace=job.replace)
    page.html.write_text(render_html(nb, job.language, job.title), encoding="utf-8")


def run_job(job: Job) -> None:
    """Every page of ``job`` side by side, a thread each; returns when all are done (no
    kernel outlives it), raising the first failure."""
    with ThreadPoolExecutor(max_workers=max(1, len(job.pages))) as pool:
        futures = [pool.submit(run_page, job, page) for page in job.pages]
        for f in futures:
            f.result()
