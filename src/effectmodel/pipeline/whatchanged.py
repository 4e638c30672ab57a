"""What changed between two builds of a report: a hash per data row, the headline figures
with their batch values, and each difference judged against its Monte Carlo noise (paired
when both builds drew the same random numbers). Used by :mod:`.build`."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path
from typing import Any

from effectmodel.inputs.data import NUMERIC
from effectmodel.inputs.formats import read_source
from effectmodel.pipeline.reportfiles import finite
from effectmodel.report.numformat import step_of


def row_hashes(path: Path, key_columns: tuple[str, ...], key: str = "") -> dict[str, str]:
    """Key -> SHA-256 (16 hex) of each data row of a table, in the canonical form the table
    reader checks (any CSV dialect, or a workbook's sheet). The key is the row's values in
    ``key_columns`` (those the table has, in any order of the file's columns; none: the
    first column), joined by " / ", without empty trailing ones."""
    out = {}
    src, _ = read_source(Path(path), key, str(path), NUMERIC.get(key, set()))
    rows = list(csv.reader(src.text.splitlines())) if src is not None else []
    if not rows:
        return out
    header = [c.strip() for c in rows[0]]
    at = [header.index(c) for c in key_columns if c in header] or [0]
    for row in rows[1:]:
        if not any(c.strip() for c in row):
            continue
        values = [row[i] if i < len(row) else "" for i in at]
        while len(values) > 1 and not values[-1]:  # an optional key column left empty
            values.pop()
        key = " / ".join(values)
        out[key] = hashlib.sha256("\x1f".join(row).encode()).hexdigest()[:16]
    return out


def headline(summary: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    """The figures a reviewer compares between builds, by a language-neutral key: value,
    Monte Carlo error and the step the briefing shows it at (:func:`step_of`; None: a
    deterministic figure, shown at its own precision) [t CO2-eq, or the output's unit for
    sweeps]."""
    out: dict[str, dict[str, float | None]] = {}
    if summary.get("kind") == "sweep":
        for name, v in summary.get("outputs", {}).items():
            if "min_median" in v:
                out[f"sweep_max:{name}"] = {"value": v["max_median"], "mc_error": None}
            else:
                for p, w in v.items():
                    out[f"sweep_max:{name}:{p}"] = {"value": w["max_median"], "mc_error": None}
        return out
    if "buyer_groups" in summary:
        bg = summary["buyer_groups"]
        out["bg_as_planned"] = {"value": bg["as_planned_t"], "mc_error": 0.0, "step": None}
        out["bg_median"] = {"value": bg["total_t"]["median"],
                            "mc_error": bg["total_t"]["mc_errors"]["median"],
                            "step": step_of(bg["total_t"])}
    for p in summary.get("effect_monitor", {}).get("periods", []):
        out[f"period_median:{p['period']}"] = {
            "value": p["total_t"]["median"], "mc_error": p["total_t"]["mc_errors"]["median"],
            "step": step_of(p["total_t"])}
    return out


def headline_batches(folder: Path, summary: dict[str, Any]) -> dict[str, list[float]]:
    """Each headline figure (the keys of :func:`headline`) on each batch of draws, from the
    run's results.nc: what a later build needs to judge a difference paired [t CO2-eq]."""
    import numpy as np

    from effectmodel.model.stats import batch_values
    from effectmodel.pipeline.netcdf import read_netcdf

    path = folder / "results.nc"
    if summary.get("kind") == "sweep" or not path.exists():
        return {}
    b = int(summary.get("mc_batches", 20))
    ds = read_netcdf(path)
    out = {}
    if "bg_total_t" in ds:
        out = {"bg_as_planned": [float(ds["bg_as_planned_t"])] * b,
               "bg_median": batch_values(ds["bg_total_t"].values, np.median, b).tolist()}
    for p in (ds["period"].values.tolist() if "period_total_t" in ds else []):
        out[f"period_median:{p}"] = batch_values(
            ds["period_total_t"].sel(period=p).values, np.median, b).tolist()
    return out


def pairing(summary: dict[str, Any]) -> dict[str, Any]:
    """What two builds must share for their draws to pair: seed, draws, batches, sampler."""
    return {k: summary.get(k) for k in ("seed", "n_draws", "mc_batches", "sampler")}


def judge(old: dict[str, Any], new: dict[str, Any], paired: bool) -> dict[str, Any]:
    """One headline figure before and after: the difference and, when the two builds pair
    (same seed, draws and batches), its 95% interval from the batch-wise differences, and
    the reading: 'no change', 'real' (the interval excludes 0), 'noise' (it does not) or
    'not judged' (the builds do not pair, e.g. other draws or an earlier manifest)."""
    diff = new["value"] - old["value"]
    row: dict[str, Any] = {"old": old["value"], "new": new["value"], "difference": diff,
                           "low": None, "high": None, "paired": False}
    ob, nb = old.get("batches"), new.get("batches")
    if paired and ob and nb and len(ob) == len(nb):
        from effectmodel.model.stats import paired_difference

        pd_ = paired_difference(old["value"], new["value"], ob, nb)
        row.update(low=pd_["low"], high=pd_["high"], se=pd_["se"], paired=True)
    if not finite(old["value"], new["value"], row["low"] if row["paired"] else 0.0,
                   row["high"] if row["paired"] else 0.0):
        row["reading"] = "not judged"  # a NaN is no change, real or not
    elif diff == 0:
        row["reading"] = "no change"
    elif not row["paired"]:
        row["reading"] = "not judged"
    else:
        row["reading"] = "noise" if row["low"] <= 0 <= row["high"] else "real"
    return row


def diff_rows(old: dict[str, str], new: dict[str, str]) -> dict[str, list[str]]:
    return {"added": sorted(set(new) - set(old)), "removed": sorted(set(old) - set(new)),
            "changed": sorted(k for k in set(old) & set(new) if old[k] != new[k])}


def changes(previous: dict[str, Any] | None, manifest: dict[str, Any]) -> dict[str, Any] | None:
    """What changed between two manifests: inputs (with CSV row diffs, and the code's
    changed modules) and headline figures, each difference judged paired (:func:`judge`)."""
    if previous is None:
        return None
    inputs = []
    old_in, new_in = previous.get("inputs", {}), manifest["inputs"]
    for label in sorted(set(old_in) | set(new_in)):
        if old_in.get(label) == new_in.get(label):
            continue
        entry: dict[str, Any] = {"input": label}
        if label in manifest.get("rows", {}) and label in previous.get("rows", {}):
            entry["rows"] = diff_rows(previous["rows"][label], manifest["rows"][label])
        if label == "code" and "code_files" in previous:
            entry["modules"] = diff_rows(previous["code_files"], manifest.get("code_files", {}))
        inputs.append(entry)
    paired = previous.get("pairing") is not None and previous.get("pairing") == manifest.get(
        "pairing")
    figures = []
    for name, new in manifest.get("headline", {}).items():
        old = previous.get("headline", {}).get(name)
        if old is None or old.get("value") is None or new.get("value") is None:
            continue
        figures.append({"figure": name, "step": new.get("step"), **judge(old, new, paired)})
    return {"inputs": inputs, "figures": figures}
