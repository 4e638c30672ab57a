"""What a cell effectmodel writes may hold: text from the user's data (names, ids, sources)
goes into workbooks and CSV files that people open in Excel, where a cell that starts like
a formula runs as one (OWASP's "CSV injection"). Text stays text:

- in a workbook (openpyxl), a text cell is stored as text, never as a formula;
- in a CSV file, a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return gets a leading apostrophe, as OWASP recommends (Excel shows it as text).

Numbers are numbers and stay as they are. The HTML pages escape text already.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

#: the first characters that make a spreadsheet read a cell as a formula
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: Any) -> Any:
    """A value for a CSV cell: text with its line breaks (CR, LF) made spaces, then with an
    apostrophe before it where it begins like a formula; anything else unchanged."""
    if isinstance(value, str):
        value = re.sub("\r\n|[\r\n]", " ", value)
        if value.startswith(FORMULA_PREFIXES):
            return "'" + value
    return value


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every text cell made safe for a CSV file (:func:`csv_text`), and a line
    break inside a cell (CR, LF) made a space, so that a cell never splits its row (the
    readers take a line as a record); number columns untouched."""
    out = df.copy()
    for column in out.columns:
        col = out[column]
        if col.dtype == object or pd.api.types.is_string_dtype(col):
            text = col.map(type).eq(str).to_numpy() if col.dtype == object else \
                col.notna().to_numpy()
            joined = "".join(col[text].astype(str).tolist())
            if "\r" in joined or "\n" in joined:  # the cells with a line break: found apart
                broken = text & col.astype(str).str.contains("[\r\n]", regex=True).to_numpy()
                out.loc[broken, column] = col[broken].astype(str).str.replace(
                    "\r\n|[\r\n]", " ", regex=True)
                col = out[column]
            # only the cells that begin like a formula change (found vectorised)
            hit = text & col.astype(str).str.startswith(FORMULA_PREFIXES).to_numpy()
            if hit.any():
                out.loc[hit, column] = "'" + col[hit].astype(str)
    return out


def keep_text(cells) -> None:
    """Cells of a workbook that openpyxl took for formulas (text beginning with ``=``)
    stored as the text they are."""
    for cell in cells:
        if cell.data_type == "f":
            cell.data_type = "s"
