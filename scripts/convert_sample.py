"""Convert a one-criterion-per-tender ``sampled_tenders.csv`` to the criteria format.

    python scripts/convert_sample.py OLD_SAMPLED_TENDERS.csv OUT_FOLDER

writes ``OUT_FOLDER/sampled_tenders.csv`` (without ``has_effect``, ``factor_id`` and
``quantity``) and ``OUT_FOLDER/criteria.csv`` (one criterion per tender with an effect, in the
contract and beyond market standard; type and ambition ``unknown``, ``years`` empty: fill in
the contract durations to get per-year figures). Point the params' ``data.sampled_tenders``
and ``data.criteria`` at them. Cells are copied as written. The input is checked first
(exit 2 with file, line and column on bad input), and the script never overwrites a file:
an existing output file is an error, and nothing is written.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from effectmodel.domain.errors import InputError, Problem, raise_if
from effectmodel.inputs.data import read_table
from effectmodel.inputs.survey import CONVERTED, CRITERIA_COLUMNS, LEGACY_COLUMNS


def convert(old: Path, out: Path) -> tuple[Path, Path]:
    """Write the two files; returns their paths."""
    df, problems = read_table("sampled_tenders", old, str(old))
    if df is not None and df["has_effect"].isna().any():
        line = int(df.loc[df["has_effect"].isna(), "_line"].iloc[0])
        problems.append(Problem(str(old), f"has_effect[line {line}]",
                                "empty (allowed: yes, no: the one-criterion format)"))
    raise_if(problems)
    targets = (out / "sampled_tenders.csv", out / "criteria.csv")
    raise_if([Problem(str(t), "(file)", "exists (allowed: a folder without it; this script "
                      "never overwrites)") for t in targets if t.exists()])
    with old.open(newline="", encoding="utf-8-sig") as fh:
        rows = [r for r in csv.reader(fh) if any(c.strip() for c in r)]
    header = [h.strip() for h in rows[0]]
    keep = [j for j, h in enumerate(header) if h not in LEGACY_COLUMNS]
    col = {h: j for j, h in enumerate(header)}
    criteria = []
    for r in rows[1:]:
        if r[col["has_effect"]].strip().lower() == "yes":
            criteria.append([r[col["period"]], r[col["tender_id"]], "1", "unknown", "unknown",
                             "yes", "yes", r[col["factor_id"]], r[col["quantity"]], "",
                             f"{r[col['source']]}; {CONVERTED}"])
    out.mkdir(parents=True, exist_ok=True)
    with targets[0].open("x", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerows([[r[j] for j in keep] for r in rows])
    with targets[1].open("x", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(CRITERIA_COLUMNS)
        w.writerows(criteria)
    return targets


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    try:
        a, b = convert(Path(argv[0]), Path(argv[1]))
    except InputError as exc:
        for p in exc.problems:
            print(f"error: {p}", file=sys.stderr)
        return 2
    print(f"wrote {a} and {b}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
