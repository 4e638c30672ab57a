"""Reading a table column-wise (pandas' C parser, vectorised checks) gives the same table and
the same problems, in the same order, as reading it record by record and cell by cell."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TINY
from effectmodel.inputs import data

SAMPLED = (TINY / "data" / "sampled_tenders.csv").read_text().splitlines()

# cell texts a researcher's file may hold: valid, empty, padded, odd numbers, words
CELLS = st.sampled_from(["", " ", "1", " 2 ", "1e3", "1_000", "0", "-1", "nan", "inf", "x",
                         "yes", "No", " YES", "ja", "fa", "fb", "a", "b", "2019-2020",
                         "assumption: test", "https://x", "0.5", "١٢"])


@st.composite
def messy_table(draw) -> str:
    """The tiny sampled-tender table with some cells replaced, some rows too short or too
    long, some rows blank or of whitespace, and CRLF or LF line ends."""
    rows = [line.split(",") for line in SAMPLED]
    for _ in range(draw(st.integers(0, 12))):
        r = draw(st.integers(1, len(rows) - 1))
        c = draw(st.integers(0, len(rows[0]) - 1))
        rows[r][c] = draw(CELLS)
    for _ in range(draw(st.integers(0, 2))):  # rows of the wrong length
        r = draw(st.integers(1, len(rows) - 1))
        rows[r] = rows[r][:-1] if draw(st.booleans()) else [*rows[r], "extra"]
    lines = [",".join(r) for r in rows]
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(1, len(lines)))
        lines.insert(at, draw(st.sampled_from(["", "   ", ",,,,,,,,", " , ,,,,,,,",
                                               "\u00a0", "\u00a0,,,,,,,,"])))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.sampled_from(["", "\ufeff"]))  # as Excel saves UTF-8
    return bom + end.join(lines) + draw(st.sampled_from([end, ""]))


def read(path, monkeypatch, fast: bool):
    with monkeypatch.context() as m:
        if not fast:
            m.setattr(data, "_fast_table", lambda raw, required: None)
        return data.read_table("sampled_tenders", path, "t.csv")


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@pytest.mark.slow
@given(text=messy_table())
def test_column_wise_equals_cell_by_cell(text, tmp_path, monkeypatch):
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    df_fast, p_fast = read(path, monkeypatch, True)
    df_slow, p_slow = read(path, monkeypatch, False)
    assert p_fast == p_slow
    pd.testing.assert_frame_equal(df_fast, df_slow, check_exact=True)


@pytest.mark.parametrize("text, fast", [
    ("x,period\n1,2\n", True),
    ('x,period\n"1,5",2\n', False),       # quotes: record by record
    ("x,period\n1,2,3\n", False),         # a row with too many fields
    ("x,period\r1,2\r", False),           # old Mac line ends
    ("x,period\n", False),                # no data rows
    ("period,x\n1,2\n", False),           # the last column may be empty
    ("\ufeffx,period\n1,2\n", True),       # a BOM
    ("x,period\n\u00a0\n", False),          # only a blank (no-break space) row
])
def test_when_the_fast_path_is_taken(text, fast):
    assert (data._fast_table(text.encode(), {"period"}) is not None) == fast
