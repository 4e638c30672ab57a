"""Rebuild the stale reports of a project and, with --commit, commit them with what changed.

What CI runs (.github/workflows/reports.yml): on a push to main that changed an input of a
report, it rebuilds what is stale and commits the rebuilt reports back, the what-changed
summary of each in the commit message; on a pull request it rebuilds without committing and
shows the same summary on the run's page (--summary "$GITHUB_STEP_SUMMARY"). Tested on a
throwaway git repository (tests/test_regenerate.py).

    python scripts/regenerate.py [--root DIR] [--jobs N] [--commit] [--summary FILE]

Exit codes: 0 done (something or nothing rebuilt), 1 a report failed to build, 2 bad input.
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=Path.cwd(), help="the project folder")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--commit", action="store_true",
                    help="commit the rebuilt reports (git add reports/; git commit)")
    ap.add_argument("--summary", type=Path, help="append the markdown summary to this file")
    args = ap.parse_args(argv)
    from effectmodel.pipeline.build import build

    root = args.root.resolve()
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
        git(root, "add", "--", "reports")
        if git(root, "diff", "--cached", "--name-only").strip():
            names = ", ".join(o.target.out.name for o in built)
            git(root, "commit", "-q", "-m", f"Rebuild reports: {names}", "-m", text)
            print(f"committed the rebuilt reports: {names}")
    if any(o.bad_input for o in failed):
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
