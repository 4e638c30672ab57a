"""The cells of a table that hold numbers and dates, read as the file writes them: the one
place where a file's decimal mark and date order are applied
(:mod:`~effectmodel.domain.numbers`, :mod:`~effectmodel.domain.dates`), for input tables and
tender lists alike."""

from __future__ import annotations

import pandas as pd

from effectmodel.domain import dates, numbers
from effectmodel.domain.errors import Problem
from effectmodel.inputs.formats import Source


def read_cells(header: list[str], lines, cells: list[pd.Series], src: Source | None,
               label: str, numeric_columns: set[str], date_columns: set[str] = frozenset()
               ) -> tuple[list[pd.Series], dict[int, dict[int, str]], list[Problem]]:
    """The number and date columns of a table as Python reads them: numbers by the file's
    decimal mark (:mod:`~effectmodel.domain.numbers`), dates as ISO dates
    (:mod:`~effectmodel.domain.dates`). ``lines``: each row's line in the file; ``src``:
    how the file was read (its decimal mark, cells refused already). Returns (the columns,
    {column: {row: problem}}, the file's own problems: numbers that show both decimal
    marks)."""
    numeric = [j for j, h in enumerate(header) if h in numeric_columns]
    errors: dict[int, dict[int, str]] = {}
    refused = src.refused if src is not None else {}
    if refused:  # a workbook's cells refused while its text was read
        row_of = {int(n): i for i, n in enumerate(lines)}
        for (line, col), err in refused.items():
            if col in header and line in row_of:
                errors.setdefault(header.index(col), {})[row_of[line]] = err
    cells = list(cells)
    hint = src.mark if src is not None else None
    if numeric and hint is not numbers.CANONICAL:
        texts = {j: cells[j].tolist() for j in numeric}
        by_column = {j: numbers.column_marks(texts[j]) for j in numeric} \
            if hint is None else {}
        mark = hint if hint is not None else numbers.Mark(None)
        first = {}  # each mark shown: the first cell that shows it, in a column that does
        for j, marks in by_column.items():
            for m in marks - set(first):
                i = numbers.first_showing(texts[j], m)
                if i is not None:
                    first[m] = (j, i)
        shown = set(first)
        if shown:
            at = {m: (f"{texts[j][i].strip()!r} (line {int(lines[i])}, column {header[j]})")
                  for m, (j, i) in first.items()}
            if len(shown) == 2:
                return cells, errors, [Problem(label, "(file)", numbers.both_marks(
                    at[numbers.POINT], at[numbers.COMMA], "file"))]
            m = next(iter(shown))
            mark = numbers.Mark(m, f"{at[m]} has {numbers.MARK_NAME[m]}")
        for j in numeric:
            out, errs = numbers.read_column(texts[j], mark)
            if out is not texts[j]:
                cells[j] = pd.Series(out, index=cells[j].index, dtype=object)
            for i, err in errs.items():
                errors.setdefault(j, {})[i] = err
    dutch = hint is numbers.SEMICOLON
    for j, h in enumerate(header):
        if h in date_columns:
            out, errs = dates.read_column(cells[j].tolist(), dutch)
            cells[j] = pd.Series(out, index=cells[j].index, dtype=object)
            for i, err in errs.items():
                errors.setdefault(j, {}).setdefault(i, err)
    return cells, errors, []


def read_rows(rows: list[list[str]], src: Source, label: str, numeric_columns: set[str],
              date_columns: set[str] = frozenset()) -> tuple[list[list[str]], list[Problem]]:
    """:func:`read_cells` for a table as rows of text (header first): the rows with their
    numbers and dates as Python reads them, and a problem per cell refused (field
    ``column[line N]``) or for the file."""
    if not rows:
        return rows, []
    header = [h.strip() for h in rows[0]]
    width = len(header)
    body = [r[:width] + [""] * (width - len(r)) for r in rows[1:]]
    cols = [pd.Series([r[j] for r in body], dtype=object) for j in range(width)]
    lines = list(range(2, len(body) + 2))
    cols, errors, problems = read_cells(header, lines, cols, src, label, numeric_columns,
                                        date_columns)
    problems += [Problem(label, f"{header[j]}[line {lines[i]}]", err)
                 for j, errs in sorted(errors.items()) for i, err in sorted(errs.items())]
    out = [list(r) for r in zip(*(c.tolist() for c in cols), strict=True)] if width else []
    return [rows[0], *out], problems
