"""Write a run's artefacts: results.nc and summary.json. Byte-reproducible: sorted, no
timestamps, no absolute paths."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from effectmodel.domain.params import Params
from effectmodel.domain.paths import project_folder
from effectmodel.inputs.paramsfile import load_params
from effectmodel.pipeline.atomic import check_output, mark, owned, source_label
from effectmodel.pipeline.provenance import input_hashes, provenance, resolved_sha256
from effectmodel.report.tables import briefing_tables

if TYPE_CHECKING:
    import xarray as xr

    from effectmodel.report.sweepreport import Sweep

#: significant digits of every float in summary.json and the manifest. The last bits of a
#: float differ between CPUs (BLAS kernels, SIMD paths: up to 7e-15 relative measured); 12
#: digits keep every figure far beyond its Monte Carlo error and leave that noise out, and two
#: machines' files then agree to 1e-11 relative (two roundings of 5e-12 each, plus the noise).
DIGITS = 12


def json_figures(x: Any, digits: int = DIGITS) -> Any:
    """A copy of nested dicts and lists with floats rounded to ``digits`` significant digits,
    and NaN and infinities as None (JSON has no NaN)."""
    if isinstance(x, dict):
        return {k: json_figures(v, digits) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [json_figures(v, digits) for v in x]
    if isinstance(x, float):
        return float(f"{x:.{digits}g}") if math.isfinite(x) else None
    return x


def summary_json(summary: dict[str, Any]) -> str:
    """The text of summary.json: UTF-8 JSON, 2-space indent, keys in schema order; a figure
    that could not be computed (NaN) is null."""
    return json.dumps(json_figures(summary), indent=2, ensure_ascii=False,
                      allow_nan=False) + "\n"


def write_summary(summary: dict[str, Any], folder: str | Path) -> Path:
    """Write ``summary.json`` into ``folder``."""
    path = Path(folder) / "summary.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(summary_json(summary), encoding="utf-8")
    return path


def write_results(ds: xr.Dataset, folder: str | Path, history: str = "effectmodel run",
                  source: str = "effectmodel") -> Path:
    """Write the draws as ``results.nc``: CF-1.11 netCDF-4 (:mod:`~effectmodel.pipeline.netcdf`;
    no timestamps inside). ``history``: the command that made it; ``source``: the code."""
    from effectmodel.pipeline.netcdf import to_cf, write_netcdf  # xarray: only when writing

    path = Path(folder) / "results.nc"
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_netcdf(to_cf(ds, history, source), path)


def save(results: xr.Dataset, summary: dict[str, Any], params: Params,
         output_dir: str | Path | None) -> None:
    """Write ``summary.json``, ``results.nc`` and the tables into ``output_dir``; ``None``:
    write nothing (a notebook run without ``output_dir`` only shows the briefing).

    The folder must be absent, empty or effectmodel's own (its marker); it is marked as
    holding these files. Raises :class:`~effectmodel.domain.errors.InputError` otherwise.
    """
    if output_dir is None:
        return
    folder = Path(output_dir)
    root = project_folder(params.path)
    if not owned(folder):
        check_output(folder, root, [params.path, *params.data.values()], source=params.path)
    label = source_label(params.path, root)
    history = f"effectmodel run {label}" + (
        f" with overrides {json.dumps(dict(params.overrides), sort_keys=True)}"
        if params.overrides else "")
    version = summary.get("provenance", {}).get("code_version", "")
    written = [write_summary(summary, folder).name,
               write_results(results, folder, history, f"effectmodel {version}".strip()).name,
                *write_tables(json_figures(summary), folder)]
    mark(folder, written, label)


def write_tables(summary: dict[str, Any], folder: Path) -> list[str]:
    """The briefing's tables beside it: ``tables/<name>.csv`` each and ``tables.xlsx`` (a
    sheet each; numbers as numbers, units in the headers), from the figures as summary.json
    holds them (:func:`json_figures`: 12 significant digits), so that the same inputs give the
    same bytes. Returns the paths written, relative to ``folder``."""
    from effectmodel.pipeline.spreadsheet import csv_safe

    frames = briefing_tables(summary)
    (folder / "tables").mkdir(exist_ok=True)
    written = []
    for name, df in frames.items():
        csv_safe(df).to_csv(folder / "tables" / f"{name}.csv", index=False,
                            lineterminator="\n")
        written.append(f"tables/{name}.csv")
    write_book(frames, folder / "tables.xlsx")
    return [*written, "tables.xlsx"]


def write_book(frames: dict[str, Any], path: Path) -> None:
    """Tables as a workbook, a sheet each: bold headers, numbers as numbers, text kept as
    text, empty for NaN; the same tables give the same bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from effectmodel.pipeline.intake import deterministic_zip
    from effectmodel.pipeline.spreadsheet import keep_text

    book = Workbook()
    book.remove(book.active)
    for name, df in frames.items():
        sheet = book.create_sheet(name)
        sheet.append(list(df.columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in df.itertuples(index=False):
            sheet.append([None if (isinstance(v, float) and v != v) else v for v in row])
            keep_text(sheet[sheet.max_row])
    book.save(path)
    deterministic_zip(path)


def page_summary(summary_path: str | Path | None, params_path: str | Path | None = None, *,
                 overrides: Mapping[str, Any] | None = None, n_draws: int | None = None,
                 seed: int | None = None, output_dir: str | Path | None = None
                 ) -> dict[str, Any]:
    """The summary a page shows.

    ``summary_path`` (what ``effectmodel run`` hands each notebook): that ``summary.json``
    as it is; the kernel reads no params and no data and computes nothing. Without it (plain
    papermill): the run of ``params_path`` with ``overrides``, ``n_draws`` and ``seed``
    (:func:`run_summary`).
    """
    if summary_path is not None:
        return read_summary(summary_path)
    if params_path is None:
        raise ValueError("page_summary: give summary_path or params_path")
    params = load_params(params_path, overrides=overrides, n_draws=n_draws, seed=seed)
    return run_summary(params, output_dir)


def run_summary(params: Params, output_dir: str | Path | None) -> dict[str, Any]:
    """The summary of a run, its model evaluated once per run.

    When ``output_dir`` holds the ``summary.json`` of these very params and data files (as
    ``effectmodel run`` writes before it executes the notebooks), it is read back and the
    data are not even read (only hashed); otherwise they are validated, the model is
    evaluated and summarised here and, with ``output_dir``, ``results.nc`` and
    ``summary.json`` are saved there (:func:`save`). Either way the summary is the one
    ``summary.json`` holds (NaN as None), so every page shows the same numbers whichever way
    it was made.
    """
    path = Path(output_dir) / "summary.json" if output_dir is not None else None
    if path is not None and path.is_file():
        summary = read_summary(path)
        old = summary.get("provenance", {})
        if old.get("resolved_params_sha256") == resolved_sha256(params) \
                and old.get("inputs") == input_hashes(params):
            return summary
    from effectmodel.inputs.data import load_inputs  # only here: a run's notebooks read
    from effectmodel.model.engine import evaluate
    from effectmodel.model.summary import summarise

    inputs = load_inputs(params)
    results = evaluate(params, inputs)
    summary = summarise(results, params, inputs, provenance(params, inputs))
    save(results, summary, params, output_dir)
    return json.loads(summary_json(summary))


def read_results(path: str | Path) -> xr.Dataset:
    """Read a ``results.nc`` back (loaded into memory, file closed)."""
    from effectmodel.pipeline.netcdf import read_netcdf

    return read_netcdf(Path(path))


def read_summary(path: str | Path) -> dict[str, Any]:
    """Read a ``summary.json``."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def read_sweep(output_dir: str | Path) -> Sweep:
    """Read a sweep's ``summary.json`` back, for its report (it holds every figure the
    report shows; ``sweep.nc`` the same per scenario, for other tools)."""
    from effectmodel.report.sweepreport import Sweep

    return Sweep(read_summary(Path(output_dir) / "summary.json"))
