"""``effectmodel compare REPORT_A REPORT_B``: what differs between any two report folders,
last year's and this year's as well as two builds: the headline figures side by side with
their differences, judged paired where both runs drew the same random numbers (as the
build's "what changed" does) and shown with both ranges where they did not; the inputs by
file and row; the settings; the code and the provenance.

Reads each folder's ``summary.json`` (and ``results.nc`` for the batches a paired judgement
needs, ``manifest.json`` for row-level changes where ``build`` wrote one); writes
``compare.html`` and ``compare.json`` into a new or empty folder, nothing else.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from effectmodel.domain.errors import InputError, Problem, short
from effectmodel.model.monitor import decompose
from effectmodel.pipeline import reportfiles
from effectmodel.pipeline.whatchanged import (
    diff_rows,
    headline,
    headline_batches,
    judge,
    pairing,
)

#: what a report folder must hold
SUMMARY = "summary.json"


def read_report(folder: Path) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """A report folder's summary and its manifest (None where ``build`` wrote none), each
    checked (:mod:`.reportfiles`); bad input names the folder or the file and what is
    wrong."""
    folder = Path(folder)
    path = folder / SUMMARY
    if not path.is_file():
        raise InputError([Problem(str(folder), "(folder)", f"no {SUMMARY} (allowed: a report "
                                  "folder that 'effectmodel run' or 'build' wrote)")])
    summary = reportfiles.read_summary(path)
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        return summary, None
    manifest = reportfiles.read_manifest(manifest_path)
    if manifest is None:
        raise InputError([Problem(str(manifest_path), "(file)", "damaged: not the manifest "
                                  f"build writes (allowed: {reportfiles.ALLOWED})")])
    return summary, manifest


def ranges(summary: dict[str, Any]) -> dict[str, tuple[float, float] | None]:
    """Each headline figure's range (low, high) [t CO2-eq]; None where it has none (as
    planned)."""
    out: dict[str, tuple[float, float] | None] = {}
    if "buyer_groups" in summary:
        s = summary["buyer_groups"]["total_t"]
        out |= {"bg_as_planned": None, "bg_median": (s["low"], s["high"])}
    for p in summary.get("effect_monitor", {}).get("periods", []):
        out[f"period_median:{p['period']}"] = (p["total_t"]["low"], p["total_t"]["high"])
    return out


def _batches(folder: Path, summary: dict[str, Any]) -> dict[str, list[float]]:
    """The headline's batch values from a report's results.nc, opened guarded; a file that
    does not hold what the summary says is named as damaged."""
    try:
        return headline_batches(folder, summary)
    except Exception as exc:  # the netCDF libraries raise many kinds on a damaged file
        raise InputError([Problem(str(folder / "results.nc"), "(file)", f"damaged: "
                                  f"{type(exc).__name__} {short(str(exc))} (allowed: "
                                  f"{reportfiles.ALLOWED})")]) from None


def _side(folder: Path, summary: dict[str, Any]) -> dict[str, Any]:
    prov = summary.get("provenance", {})
    return {"folder": str(folder), "name": summary.get("name"), "title": summary.get("title"),
            "seed": summary.get("seed"), "n_draws": summary.get("n_draws"),
            "code_version": prov.get("code_version"),
            "commit": (prov.get("git") or {}).get("commit")}


def compare(a: Path, b: Path) -> dict[str, Any]:
    """What differs from report ``a`` to report ``b`` (compare.json's content)."""
    sa, ma = read_report(a)
    sb, mb = read_report(b)
    paired = pairing(sa) == pairing(sb)
    ba, bb = _batches(Path(a), sa), _batches(Path(b), sb)
    ra, rb = ranges(sa), ranges(sb)
    figures = []
    old_h, new_h = headline(sa), headline(sb)
    for name in [k for k in old_h if k in new_h]:
        row = judge({**old_h[name], "batches": ba.get(name)},
                    {**new_h[name], "batches": bb.get(name)}, paired)
        if not row["paired"] and row["reading"] == "not judged":
            row["reading"] = "not paired"
        figures.append({"figure": name, **row, "old_range": ra.get(name),
                        "new_range": rb.get(name)})
    only = sorted(set(old_h) ^ set(new_h))
    return {"a": _side(Path(a), sa), "b": _side(Path(b), sb),
            "same_project": sa.get("name") == sb.get("name"), "paired": paired,
            "language": sa.get("language", "en"), "figures": figures,
            "figures_in_one": only, "changes": changes(sa, sb),
            "inputs": _inputs(sa, sb, ma, mb),
            "settings": _settings(sa, sb), "provenance": _provenance(sa, sb)}


def changes(sa: dict[str, Any], sb: dict[str, Any]) -> list[dict[str, Any]]:
    """For each monitoring period of both reports, the change of its central total from
    ``sa`` to ``sb`` split per product group into spend, use, intensity and entry or exit
    (:mod:`effectmodel.model.monitor.decompose`) [t CO2-eq]. Central estimates only: two
    runs' draws are not pairs of one another. A period is left out where a report gives no
    use shares (made before effectmodel wrote them)."""
    def groups(summary: dict[str, Any]) -> dict[str, dict[str, tuple]]:
        return {p["period"]: {r["id"]: (r["central_t"], r["frame_total_eur"], r["use_share"])
                              for r in p["product_groups"]}
                for p in summary.get("effect_monitor", {}).get("periods", [])
                if all("use_share" in r for r in p["product_groups"])}

    ga, gb = groups(sa), groups(sb)
    out = []
    for period in [p for p in ga if p in gb]:
        split = decompose.change_by_group(ga[period], gb[period])
        rows = [{"product_group": g, **{f"{k}_t": float(v) for k, v in terms.items()}}
                for g, terms in split.items()]
        keys = [f"{k}_t" for k in decompose.TERMS]
        out.append({"period": period,
                    "change_t": float(sum(x[0] for x in gb[period].values())
                                      - sum(x[0] for x in ga[period].values())),
                    "parts": {k: float(sum(r[k] for r in rows)) for k in keys},
                    "by_product_group": rows})
    return out


def _inputs(sa, sb, ma, mb) -> list[dict[str, Any]]:
    """Each input file that differs: added, removed or changed, with its rows where both
    reports have a manifest."""
    old = sa.get("provenance", {}).get("inputs", {})
    new = sb.get("provenance", {}).get("inputs", {})
    out = []
    for label in sorted(set(old) | set(new)):
        if old.get(label) == new.get(label):
            continue
        entry: dict[str, Any] = {"input": label, "status": "added" if label not in old else
                                 "removed" if label not in new else "changed"}
        if ma and mb and label in ma.get("rows", {}) and label in mb.get("rows", {}):
            entry["rows"] = diff_rows(ma["rows"][label], mb["rows"][label])
        out.append(entry)
    return out


def _settings(sa, sb) -> list[dict[str, Any]]:
    """Each model option whose value differs (or that only one run has)."""
    old = {s["key"]: s["value"] for s in sa.get("settings", [])}
    new = {s["key"]: s["value"] for s in sb.get("settings", [])}
    return [{"key": k, "old": old.get(k), "new": new.get(k)}
            for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]


def _provenance(sa, sb) -> list[dict[str, Any]]:
    """Code version, commit, Python, packages, params and notebooks that differ."""
    pa, pb = sa.get("provenance", {}), sb.get("provenance", {})
    rows = []
    for key in ("code_version", "python", "params", "params_sha256"):
        if pa.get(key) != pb.get(key):
            rows.append({"what": key, "old": pa.get(key), "new": pb.get(key)})
    ga, gb = pa.get("git") or {}, pb.get("git") or {}
    if ga.get("commit") != gb.get("commit"):
        rows.append({"what": "commit", "old": ga.get("commit"), "new": gb.get("commit")})
    for group in ("packages", "notebooks"):
        xa, xb = pa.get(group, {}), pb.get(group, {})
        rows += [{"what": f"{group}: {k}", "old": xa.get(k), "new": xb.get(k)}
                 for k in sorted(set(xa) | set(xb)) if xa.get(k) != xb.get(k)]
    return rows


def write_compare(a: Path, b: Path, out: Path) -> dict[str, Any]:
    """Compare ``a`` with ``b`` and write compare.json and compare.html into ``out`` (a new
    or empty folder, refused otherwise before any work)."""
    from effectmodel.pipeline.framing import new_folder, refuse_unless_empty
    from effectmodel.report.comparepage import compare_page

    refuse_unless_empty(out)
    result = compare(a, b)
    out = new_folder(out)
    (out / "compare.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    (out / "compare.html").write_text(compare_page(result), encoding="utf-8")
    return result
