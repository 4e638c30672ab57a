"""The criteria's tenders matched as integer codes (crosscheck.tender_groups) give what the
plain pandas lookup by (period, tender_id) gives, including missing values and tenders that
appear twice."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st_

from effectmodel.domain.crosscheck import tender_groups

PERIODS = ["2015-2016", "2017-2018", None]
IDS = ["a", "b", "c", "a b", "", None]
GROUPS = ["cars", "roads", "ict"]

rows = st_.lists(st_.tuples(st_.sampled_from(PERIODS), st_.sampled_from(IDS),
                            st_.sampled_from(GROUPS)), max_size=30)
keys = st_.lists(st_.tuples(st_.sampled_from(PERIODS), st_.sampled_from(IDS)), max_size=30)


def plain(st: pd.DataFrame, cr: pd.DataFrame) -> list:
    """The lookup as a reader would write it: the first row of each (period, tender_id)."""
    first = {}
    for p, t, g in zip(st["period"], st["tender_id"], st["product_group"], strict=True):
        if p is not None and t is not None:
            first.setdefault((p, t), g)
    return [first.get((p, t), np.nan) if p is not None and t is not None else np.nan
            for p, t in zip(cr["period"], cr["tender_id"], strict=True)]


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(rows, keys)
def test_tender_groups_match_the_plain_lookup(st_rows, cr_rows):
    st = pd.DataFrame(st_rows, columns=["period", "tender_id", "product_group"], dtype=object)
    cr = pd.DataFrame(cr_rows, columns=["period", "tender_id"], dtype=object)
    got = pd.Series(tender_groups(st, cr), dtype=object).fillna("<none>").tolist()
    assert got == pd.Series(plain(st, cr), dtype=object).fillna("<none>").tolist()


def test_a_period_code_never_collides_with_a_tender_code():
    # (period 0, tender 1) and (period 1, tender 0) are different tenders
    st = pd.DataFrame({"period": ["p", "q"], "tender_id": ["y", "x"],
                       "product_group": ["g1", "g2"]})
    cr = pd.DataFrame({"period": ["p", "q", "p", "q"], "tender_id": ["y", "x", "x", "y"]})
    out = tender_groups(st, cr)
    assert out[:2].tolist() == ["g1", "g2"]
    assert pd.isna(out[2]) and pd.isna(out[3])


@settings(max_examples=200, deadline=None)
@given(st_.lists(st_.tuples(*[st_.sampled_from(["x", "y", None])] * 3), max_size=20),
       st_.lists(st_.tuples(*[st_.sampled_from(["x", "y", None])] * 3), max_size=20))
def test_match_rows_finds_the_first_row_of_each_key(left, right):
    """Three key columns: each right row's position in ``left`` (its first row), else -1."""
    from effectmodel.domain.keys import match_rows

    def columns(rows):
        return [np.array([r[j] for r in rows], dtype=object) for j in range(3)]

    first = {}
    for i, r in enumerate(left):
        if None not in r:
            first.setdefault(r, i)
    expected = [first.get(r, -1) if None not in r else -1 for r in right]
    assert match_rows(columns(left), columns(right)).tolist() == expected
