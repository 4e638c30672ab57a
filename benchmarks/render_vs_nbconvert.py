"""Benchmark: rendering the briefing with effectmodel's template against plain
``jupyter nbconvert --to html`` (the lab template) on the same executed notebook, both
in-process through nbconvert's exporter API. Prints the time ratio and the sizes and external
resources of both outputs. Run ``make report`` first.

    .venv/bin/python benchmarks/render_vs_nbconvert.py [--repeats R]
"""

from __future__ import annotations

import argparse
import re

import nbformat
from nbconvert import HTMLExporter
from timing import ROOT, median_time

from effectmodel.report.render import render_html

NOTEBOOK = ROOT / "reports" / "reference" / "notebooks" / "briefing.ipynb"
# resources a browser fetches (links a reader may click are not resources)
EXTERNAL = re.compile(r"""src=["'](?:https?:)?//|<link[^>]+href=["'](?:https?:)?//"""
                      r"""|url\(["']?(?:https?:)?//""")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    nb = nbformat.read(NOTEBOOK, as_version=4)

    def ours():
        return render_html(nb, "en", "benchmark")

    def plain():
        return HTMLExporter().from_notebook_node(nb)[0]

    ours(), plain()
    t_ours, a = median_time(ours, args.repeats)
    t_plain, b = median_time(plain, args.repeats)
    print(f"effectmodel template: {t_ours * 1e3:.0f} ms, {len(a) / 1e3:.0f} kB, "
          f"{len(EXTERNAL.findall(a))} external resource references, "
          f"{a.lower().count('<script')} scripts")
    print(f"plain nbconvert (lab): {t_plain * 1e3:.0f} ms, {len(b) / 1e3:.0f} kB, "
          f"{len(EXTERNAL.findall(b))} external resource references, "
          f"{b.lower().count('<script')} scripts")
    print(f"render time ratio effectmodel / plain nbconvert = {t_ours / t_plain:.2f}")


if __name__ == "__main__":
    main()
