"""Rows matched by a key of several columns, as integer codes rather than tuples of strings:
a million rows take a fraction of a second. Pure; used by the checks across tables and by
the model to find each criterion's tender."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def match_rows(left: Sequence[np.ndarray], right: Sequence[np.ndarray]) -> np.ndarray:
    """For each row of ``right``, the position of the first row of ``left`` with the same key
    (one array per key column, the same number of columns on both sides); -1 where there is
    none. A missing value (None, NaN) in a key matches nothing."""
    n = len(left[0])
    key = np.zeros(n + len(right[0]), dtype=np.int64)
    missing = np.zeros(len(key), dtype=bool)
    for a, b in zip(left, right, strict=True):
        codes, uniques = pd.factorize(np.concatenate([np.asarray(a, dtype=object),
                                                      np.asarray(b, dtype=object)]))
        missing |= codes < 0
        # the codes of the key so far, renumbered: below the row count, so never overflowing
        key = pd.factorize(key * (len(uniques) + 1) + codes)[0]
    key[missing] = -1
    first = ~pd.Index(key[:n]).duplicated(keep="first") & ~missing[:n]
    at = pd.Index(key[:n][first]).get_indexer(key[n:])  # -1 (missing) is not in the index
    out = np.full(len(at), -1, dtype=np.int64)
    out[at >= 0] = np.flatnonzero(first)[at[at >= 0]]
    return out


def factor_key(factor_id: str, period: str) -> str:
    """The name of a translation factor's row: its ``factor_id``, or ``factor_id@period`` for a
    row that holds for one period only (``period`` empty: every period)."""
    return f"{factor_id}@{period}" if period else factor_id


def factor_keys(factors: pd.DataFrame) -> list[str]:
    """:func:`factor_key` of each row of a translation-factor table (no ``period`` column:
    every row holds for every period)."""
    periods = factors["period"] if "period" in factors else [""] * len(factors)
    return [factor_key(f, p if isinstance(p, str) else "")
            for f, p in zip(factors["factor_id"], periods, strict=True)]
