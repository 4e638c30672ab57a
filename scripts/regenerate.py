"""Rebuild the stale reports of a project and, with --commit, commit them with what changed.

What CI runs (.github/workflows/reports.yml): on a push to main that changed an input of a
report, it rebuilds what is stale and commits the rebuilt reports back, the what-changed
summary of each in the commit message; on a pull request it rebuilds without committing and
shows the same summary on the run's page (--summary "$GITHUB_STEP_SUMMARY"). Tested on a
throwaway git repository (tests/test_regenerate.py).

    python scripts/regenerate.py [--root DIR] [--jobs N] [--commit] [--push]
                                 [--summary FILE]

The commit: subject "Rebuild reports for <short commit>: <headline change>" (at most 72
characters), a plain-text body with the figures' human names, and only the rebuilt report
folders (and reports/index.html) added. --push (CI's last step, after the tests) fetches
and rebases onto the remote branch first; on a conflict it stops with exit 1 and says so,
pushing nothing.

Exit codes: 0 done (something or nothing rebuilt), 1 a report failed to build or the push
failed, 2 bad input.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path


def report_summary(name: str, folder: Path, changed: list[str]) -> list[str]:
    """Markdown lines for one rebuilt report: what changed, and each headline figure before
    and after with its paired interval and reading (from the report's changes.json)."""
    lines = [f"### reports/{name}", "", f"Changed: {', '.join(changed) or 'nothing'}"]
    path = folder / "changes.json"
    if not path.exists():
        return [*lines, "", "First build: no previous figures to compare.", ""]
    ch = json.loads(path.read_text(encoding="utf-8"))
    for entry in ch["inputs"]:
        for part in ("rows", "modules"):
            diff = entry.get(part)
            if diff:
                shown = "; ".join(f"{k}: {', '.join(v)}" for k, v in diff.items() if v)
                lines.append(f"- `{entry['input']}` {part}: {shown}")
    lines += ["", "| figure | previous | now | difference | 95% interval (paired) | reading |",
              "|---|---:|---:|---:|---:|---|"]
    for f in ch["figures"]:
        interval = ("–" if f.get("low") is None
                    else f"{f['low']:+,.0f} … {f['high']:+,.0f}")
        lines.append(f"| {f['figure']} | {f['old']:,.0f} | {f['new']:,.0f} | "
                     f"{f['difference']:+,.0f} | {interval} | {f['reading']} |")
    return [*lines, ""]


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                          text=True).stdout


def _figure(f: dict) -> tuple[str, str, str, str]:
    """A figure of changes.json in words: its human name, previous, now and difference, at
    the page's precision (a figure without Monte Carlo error to the unit)."""
    from effectmodel.report.changes import figure_label, figure_step, signed
    from effectmodel.report.numformat import shown

    step = figure_step(f)
    return (figure_label(f["figure"], "en"), shown(f["old"], step, "en"),
            shown(f["new"], step, "en"), signed(f["difference"], "en", step))


def commit_body(built: list) -> str:
    """The commit message's body: per rebuilt report, what changed and each headline figure
    that moved, in words."""
    lines = []
    for o in built:
        lines += [f"reports/{o.target.out.name}: changed {', '.join(o.changed) or 'nothing'}"]
        path = o.target.out / "changes.json"
        if not path.exists():
            lines += ["  first build: no previous figures", ""]
            continue
        for f in json.loads(path.read_text(encoding="utf-8"))["figures"]:
            name, old, new, diff = _figure(f)
            if f["reading"] == "no change" or diff == "0":
                continue
            lines.append(f"  {name}: {old} -> {new} ({diff}; {f['reading']})")
        lines.append("")
    return "\n".join(lines).strip() + "\n"


def commit_subject(root: Path, built: list) -> str:
    """'Rebuild reports for <short commit>: <headline change>', at most 72 characters: the
    real change of largest relative size among the rebuilt reports' headline figures, else
    the reports' names."""
    head = git(root, "rev-parse", "--short=7", "HEAD").strip()
    best = None
    for o in built:
        path = o.target.out / "changes.json"
        if not path.exists():
            continue
        for f in json.loads(path.read_text(encoding="utf-8"))["figures"]:
            if f["reading"] != "real" or not f["old"]:
                continue
            size = abs(f["difference"] / f["old"])
            if best is None or size > best[0]:
                best = (size, f)
    if best is None:
        what = ", ".join(o.target.out.name for o in built)
    else:
        from effectmodel.report.changes import figure_label, figure_step
        from effectmodel.report.numformat import tonnes

        f = best[1]
        name = figure_label(f["figure"], "en").removesuffix(" [t]")
        name = name.replace("effect monitor", "monitor").replace(", ", " ")
        step = figure_step(f)
        old, new = (tonnes(round(f[k] / step) * step, "en") for k in ("old", "new"))
        what = f"{name} {old} → {new}"
    subject = f"Rebuild reports for {head}: {what}"
    return subject if len(subject) <= 72 else subject[:71] + "…"


class PushRefused(RuntimeError):
    """The rebuilt reports could not be rebased onto the remote branch."""


def push(root: Path) -> None:
    """Fetch, rebase the rebuilt reports onto the remote branch, push; a conflict aborts the
    rebase and raises, pushing nothing."""
    branch = git(root, "rev-parse", "--abbrev-ref", "HEAD").strip()
    git(root, "fetch", "-q", "origin", branch)
    try:
        git(root, "rebase", "-q", f"origin/{branch}")
    except subprocess.CalledProcessError as exc:
        subprocess.run(["git", "rebase", "--abort"], cwd=root, capture_output=True)
        raise PushRefused(f"push refused: the rebuilt reports conflict with origin/{branch} "
                          f"(rebuild on the new {branch}): {exc.stderr.strip()[-300:]}"
                          ) from None
    git(root, "push", "-q", "origin", f"HEAD:{branch}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=Path.cwd(), help="the project folder")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--commit", action="store_true",
                    help="commit the rebuilt reports (git add reports/; git commit)")
    ap.add_argument("--push", action="store_true",
                    help="only fetch, rebase onto the remote branch and push (CI's last step, "
                         "after the tests); nothing is built")
    ap.add_argument("--summary", type=Path, help="append the markdown summary to this file")
    args = ap.parse_args(argv)
    root = args.root.resolve()
    if args.push:  # the last step, after the tests: nothing is built
        try:
            push(root)
        except PushRefused as exc:
            print(exc, file=sys.stderr)
            return 1
        print("pushed")
        return 0
    from effectmodel.pipeline.build import build

    outcomes = build(root, jobs=args.jobs, log=print)
    built = [o for o in outcomes if o.status == "built"]
    failed = [o for o in outcomes if o.status == "failed"]
    lines = ["## Reports rebuilt" if built else "## Reports: all current", ""]
    for o in built:
        lines += report_summary(o.target.out.name, o.target.out, o.changed)
    for o in failed:
        lines += [f"### reports/{o.target.out.name}: FAILED", "", o.message, ""]
    text = "\n".join(lines)
    print(text)
    if args.summary:
        with args.summary.open("a", encoding="utf-8") as fh:
            fh.write(text + "\n")
    if args.commit and built:
        folders = [o.target.out.relative_to(root).as_posix() for o in built]
        index = root / "reports" / "index.html"
        git(root, "add", "--", *folders, *(["reports/index.html"] if index.exists() else []))
        if git(root, "diff", "--cached", "--name-only").strip():
            git(root, "commit", "-q", "-m", commit_subject(root, built), "-m",
                commit_body(built))
            print(f"committed the rebuilt reports: {', '.join(folders)}")
    if any(o.bad_input for o in failed):
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
