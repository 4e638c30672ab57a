"""Incremental builds: rebuild only the reports whose inputs changed.

Every report folder holds a ``manifest.json``: the SHA-256 of everything the report read (its
params or sweep file, the base params of a sweep, each data file, the notebooks, the package's
code and templates, and the locked dependency versions), a hash per row of each CSV input, and
the headline figures. ``effectmodel build`` compares the manifests with the files on disk,
rebuilds the stale reports (independent ones in parallel with ``--jobs``), adds a 'What
changed' section to each rebuilt briefing, and writes ``reports/index.html``. ``--check`` only
reports what is stale (exit 1) or that everything is current (exit 0).

The no-op path imports only YAML and hashlib: a build that has nothing to do is fast.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from effectmodel.domain.errors import InputError, Problem, raise_if, short
from effectmodel.domain.paramschema import LANGUAGES, MAX_NAME
from effectmodel.domain.parts import PARTS, parts_of
from effectmodel.domain.paths import data_paths, relative_label
from effectmodel.domain.sweepspec import sweep_base_problems
from effectmodel.domain.tableschema import KEYS
from effectmodel.inputs.formats import data_file
from effectmodel.inputs.hashing import code_file_hashes, code_hash, file_sha256
from effectmodel.inputs.yamlfiles import read_yaml
from effectmodel.pipeline import reportfiles
from effectmodel.pipeline.atomic import files_below, recover
from effectmodel.pipeline.outputs import json_figures
from effectmodel.pipeline.pages import notebook_label, notebook_path, notebooks_of
from effectmodel.pipeline.whatchanged import (
    changes,
    headline,
    headline_batches,
    pairing,
    row_hashes,
)
from effectmodel.report.changes import (
    INDEX_MARK,
    code_change_html,
    index_page,
    what_changed_html,
)

MANIFEST = "manifest.json"
SWEEP_NOTEBOOKS = ("sweep.ipynb",)


@dataclass
class Target:
    """One report: what it is built from and where it goes."""

    source: Path            # params or sweep file
    kind: str               # "params" | "sweep"
    name: str
    out: Path
    inputs: dict[str, Path] = field(default_factory=dict)   # label -> file
    tables: dict[str, str] = field(default_factory=dict)    # label -> table key (CSV inputs)


def _params_data(path: Path) -> tuple[str, dict[str, Path]]:
    """(name, data paths) of a params file, read with YAML only (validation comes later);
    data paths outside the project are bad input here already (no file outside is read)."""
    raw, _ = read_yaml(path, "a params YAML file")
    data = (raw.get("data") or {}) if isinstance(raw, dict) else None
    if not isinstance(raw, dict) or not isinstance(data, dict):
        raise InputError([Problem(str(path), "data", "must be a mapping (allowed: each table "
                                  "and the path of its CSV file)")])
    paths, outside = data_paths(data, path, raw.get("data_root"))
    raise_if(outside)
    return _name(raw.get("name", path.stem), path), paths


def _name(name: Any, path: Path) -> str:
    """A report name, which becomes the folder reports/<name>/."""
    if not isinstance(name, str) or len(name) > MAX_NAME or not re.fullmatch(
            r"[A-Za-z0-9][A-Za-z0-9_-]*", name):
        raise InputError([Problem(str(path), "name", f"{short(name)} (allowed: letters, "
                                  f"digits, '-' and '_', at most {MAX_NAME} characters)")])
    return name


def _target(f: Path, root: Path) -> Target:
    """The target of one params or sweep file (raises :class:`InputError`)."""
    raw, _ = read_yaml(f, "a params or sweep file")
    if isinstance(raw, dict) and "base" in raw:
        raise_if(sweep_base_problems(str(raw["base"]), f))
        base = f.parent / str(raw["base"])
        _, data = _params_data(base)
        name = _name(raw.get("name", f.stem), f)
        t = Target(f, "sweep", name, root / "reports" / name)
        t.inputs[relative_label(f, root)] = f
        t.inputs[relative_label(base, root)] = base
        notebooks = SWEEP_NOTEBOOKS
    else:
        name, data = _params_data(f)
        t = Target(f, "params", name, root / "reports" / name)
        t.inputs[relative_label(f, root)] = f
        notebooks = notebooks_of(parts_of(raw) or PARTS)
    for key, p in sorted(data.items()):
        t.inputs[relative_label(p, root)] = p
        t.tables[relative_label(p, root)] = key
    for nb in notebooks:
        path = notebook_path(root, nb)
        t.inputs[notebook_label(root, path)] = path
    lock = root / "requirements.lock"
    if lock.exists():
        t.inputs["requirements.lock"] = lock
    return t


def discover(root: Path, targets: list[str] | None = None) -> list[Target]:
    """The reports of a project: every ``params/*.yaml`` and ``params/sweeps/*.yaml``, or the
    named files."""
    if targets:
        files = [Path(t) for t in targets]
    else:
        files = sorted((root / "params").glob("*.yaml")) + sorted(
            (root / "params" / "sweeps").glob("*.yaml"))
        if not files:  # not a project folder: say so, not "0 reports"
            raise InputError([Problem(str(root / "params"), "(folder)", "holds no params file "
                                      "(allowed: run build in a project folder, whose params/ "
                                      "holds *.yaml; effectmodel init DIR makes one)")])
    out = []
    problems = []
    for f in files:
        try:
            out.append(_target(f, root))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    names = [t.name for t in out]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise InputError([Problem(str(t.source), "name", f"{short(t.name)} is used by more than "
                                  "one params or sweep file (allowed: one report per name)")
                          for t in out if t.name in dup])
    return out


def current_hashes(t: Target, code: str | None = None) -> dict[str, str]:
    """SHA-256 of every input of a target now (``missing`` for files that are gone);
    ``code``: the package's :func:`~effectmodel.inputs.hashing.code_hash`, if already computed."""
    out = {label: file_sha256(p) if data_file(p).exists() else "missing"
           for label, p in t.inputs.items()}
    out["code"] = code if code is not None else code_hash()
    return out


def read_manifest(t: Target) -> dict[str, Any] | None:
    """The report's manifest, its shape checked; None where missing or damaged (the report
    is then stale and rebuilt, never judged from a damaged file)."""
    path = t.out / MANIFEST
    if not path.exists():
        return None
    return reportfiles.read_manifest(path)


def stale_inputs(t: Target, hashes: dict[str, str] | None = None) -> list[str]:
    """What changed since the report was built: labels of changed inputs, or a reason."""
    manifest = read_manifest(t)
    if manifest is None:
        return ["(no manifest: never built)"]
    page = t.out / "index.html"
    if not page.exists() or not (t.out / "summary.json").exists():
        return ["(report files missing)"]
    hashes = hashes or current_hashes(t)
    old = manifest.get("inputs", {})
    changed = [k for k in sorted(set(hashes) | set(old)) if hashes.get(k) != old.get(k)]
    return changed + edited_outputs(t.out, manifest.get("outputs"))


def output_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file of a report folder but its manifest and marker."""
    return {rel: file_sha256(folder / rel) for rel in files_below(folder) if rel != MANIFEST}


#: outputs a project does not commit (``results.nc``: all draws, tens of MB; .gitignore):
#: absent in a fresh clone, which is no edit; present, it must still be as build wrote it
UNCOMMITTED_OUTPUTS = ("results.nc",)


def edited_outputs(folder: Path, recorded: dict[str, str] | None) -> list[str]:
    """Files of a report changed since build wrote them (edited, replaced, removed or added
    by hand), each with what happened; [] for a manifest of before output hashes."""
    if not isinstance(recorded, dict):
        return []
    now = output_hashes(folder)
    out = []
    for rel in sorted(set(now) | set(recorded)):
        if rel not in now and Path(rel).name in UNCOMMITTED_OUTPUTS:
            continue
        if rel not in now:
            out.append(f"{rel} (removed by hand)")
        elif rel not in recorded:
            out.append(f"{rel} (added by hand)")
        elif now[rel] != recorded[rel]:
            out.append(f"{rel} (edited or replaced by hand)")
    return out


def inject(page: str, section: str, code: str = "") -> str:
    """Insert the 'What changed' section (HTML) at the end of the page's main, and the code's
    change (``code``) at the end of its provenance section where it has one."""
    section, code = str(section), str(code)  # plain text: a Markup would escape the page
    start = page.find('<section id="provenance">')
    if code and start >= 0:
        end = page.index("</section>", start)
        page = page[:end] + code + page[end:]
    head, sep, tail = page.rpartition("</main>")
    return head + section + sep + tail if sep else page + section


# --------------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    target: Target
    status: str            # "current" | "built" | "failed" | "stale"
    changed: list[str]
    message: str = ""
    bad_input: bool = False  # failed on bad input (params, data, output folder)


def make_manifest(t: Target, hashes: dict[str, str], summary: dict[str, Any],
                  outputs: dict[str, str]) -> dict[str, Any]:
    """What ``build`` keeps of a report: the hashes of its inputs (whole files and CSV rows),
    its headline figures, and the hashes of the files it wrote (``outputs``)."""
    rows = {label: row_hashes(t.inputs[label], KEYS.get(key, ()), key)
            for label, key in t.tables.items() if data_file(t.inputs[label]).exists()}
    return {"schema_version": 1, "target": relative_label(t.source, t.out.parent.parent),
            "kind": t.kind, "inputs": hashes, "rows": rows, "code_files": code_file_hashes(),
            "headline": headline(summary), "pairing": pairing(summary), "outputs": outputs}


def stage_log(name: str) -> Callable[[str], None]:
    """Stage lines of one report on stderr, named (reports build side by side)."""
    from effectmodel.pipeline.run import to_stderr

    return to_stderr(f"  {name}: ")


def build_one(t: Target, code: str) -> Outcome:
    """Rebuild one report (already known to be stale) with its manifest and changes."""
    from effectmodel.pipeline import run as report
    from effectmodel.pipeline.sweep import run_sweep_report

    hashes = current_hashes(t, code)
    previous = read_manifest(t)
    changed = stale_inputs(t, hashes)

    def finalize(folder: Path) -> None:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        manifest = make_manifest(t, hashes, summary, {})
        for key, values in headline_batches(folder, summary).items():
            manifest["headline"][key]["batches"] = values
        ch = changes(previous, manifest)
        if ch is not None:
            page = folder / "index.html"
            lang = summary.get("language", "en")
            page.write_text(inject(page.read_text(encoding="utf-8"),
                                   what_changed_html(ch, lang), code_change_html(ch, lang)),
                            encoding="utf-8")
            (folder / "changes.json").write_text(json.dumps(json_figures(ch), indent=2) + "\n",
                                                 encoding="utf-8")
        manifest["outputs"] = output_hashes(folder)  # every file as written, last
        (folder / MANIFEST).write_text(json.dumps(json_figures(manifest), indent=2,
                                                  sort_keys=True) + "\n",
                                       encoding="utf-8")

    try:
        if t.kind == "sweep":
            run_sweep_report(t.source, out=t.out, progress=False, finalize=finalize,
                             log=stage_log(t.name))
        else:
            report.run(t.source, out=t.out, progress=False, finalize=finalize,
                       log=stage_log(t.name))
    except InputError as exc:
        return Outcome(t, "failed", changed, "; ".join(str(p) for p in exc.problems), True)
    except Exception as exc:  # a failing report does not stop the others
        return Outcome(t, "failed", changed, f"{type(exc).__name__}: {exc}")
    return Outcome(t, "built", changed)


def build(root: Path, targets: list[str] | None = None, check: bool = False, jobs: int = 1,
          log: Callable[[str], None] = print, allow_dirty: bool = False) -> list[Outcome]:
    """Check or rebuild the reports of a project; returns one outcome per report. A project
    in a git work tree with uncommitted changes to its tracked params, data, notebooks or
    code is refused before any work (:func:`refuse_dirty`) unless ``allow_dirty``."""
    found = discover(root, targets)
    if not check and not allow_dirty:
        refuse_dirty(root)
    code = code_hash()  # once for all reports
    outcomes: list[Outcome] = []
    stale = []
    for t in found:
        recover(t.out)  # finish a swap that a killed build left half done
        changed = stale_inputs(t, current_hashes(t, code))
        if changed:
            stale.append((t, changed))
        else:
            outcomes.append(Outcome(t, "current", []))
    if check:
        outcomes += [Outcome(t, "stale", c) for t, c in stale]
    elif stale:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            for outcome in pool.map(lambda tc: build_one(tc[0], code), stale):
                outcomes.append(outcome)
                log(_line(outcome))
    order = {t.name: i for i, t in enumerate(found)}
    outcomes.sort(key=lambda o: order[o.target.name])
    if any(o.status == "built" for o in outcomes):  # a build that refused all writes nothing
        write_index(root, outcomes)
    return outcomes


def refuse_dirty(root: Path) -> None:
    """Committed reports name the commit that made them: a project whose tracked files
    differ from its last commit is refused (exit 2), naming the first of them."""
    from effectmodel.pipeline.provenance import uncommitted

    changed = uncommitted(root)
    if changed:
        more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
        raise InputError([Problem(str(root), "build", f"uncommitted changes to "
                                  f"{', '.join(changed[:3])}{more}: the pages would not name "
                                  "the commit that made them (allowed: commit them first, or "
                                  "build --allow-dirty)")])


def _line(o: Outcome) -> str:
    rel = o.target.out.name
    if o.status == "built":
        return f"built reports/{rel}: changed {', '.join(o.changed)}"
    if o.status == "failed":
        return f"FAILED reports/{rel}: {o.message}"
    if o.status == "stale":
        return f"stale reports/{rel}: changed {', '.join(o.changed)}"
    return f"current reports/{rel}"


def _language(folder: Path) -> str:
    """The language of the report in ``folder`` (its summary's), English where it has none
    to read."""
    try:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "en"
    lang = summary.get("language") if isinstance(summary, dict) else None
    return lang if lang in LANGUAGES else "en"


def write_index(root: Path, outcomes: list[Outcome]) -> Path:
    """``reports/index.html``: every report with its headline figures and status (left as it
    is when the file there is not effectmodel's)."""
    entries = []
    for o in outcomes:
        m = read_manifest(o.target) or {}
        entries.append({"name": o.target.name, "href": f"{o.target.out.name}/index.html",
                        "kind": o.target.kind, "lang": _language(o.target.out),
                        "status": "current" if o.status in ("current", "built") else o.status,
                        "figures": {k: v for k, v in m.get("headline", {}).items()
                                    if v.get("value") is not None}})
    path = root / "reports" / "index.html"
    if path.is_symlink() or (path.exists() and INDEX_MARK not in path.read_text(
            encoding="utf-8", errors="replace")):
        return path  # not effectmodel's page: left as it is
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(index_page(entries), encoding="utf-8")
    return path


def main_build(targets: list[str], check: bool, jobs: int, root: Path | None = None,
               allow_dirty: bool = False) -> int:
    """The ``effectmodel build`` command: exit 0 all current/built, 2 a report failed on bad
    input (its folder refused, say), else 1 stale (check) or failed."""
    root = root or Path.cwd()
    outcomes = build(root, targets, check=check, jobs=jobs, allow_dirty=allow_dirty)
    bad = [o for o in outcomes if o.status in ("stale", "failed")]
    for o in outcomes:
        if o.status in ("stale", "current") or check:
            print(_line(o))
    built = sum(o.status == "built" for o in outcomes)
    print(f"{len(outcomes)} reports: {built} built, "
          f"{sum(o.status == 'current' for o in outcomes)} current, "
          f"{sum(o.status == 'stale' for o in outcomes)} stale, "
          f"{sum(o.status == 'failed' for o in outcomes)} failed")
    if any(o.bad_input for o in bad):
        return 2
    return 1 if bad else 0
