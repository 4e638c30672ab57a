"""How each column of an input table is read: a cell parser that decides and words the
problem for one cell, and a column-wise fast path that gives the same values for a whole
column and flags the cells the cell parser must judge."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from effectmodel.domain.errors import short

DISTRIBUTIONS = ("pert", "triangular", "uniform", "lognormal", "bernoulli", "fixed")

# a cell's parser: text -> (value, error); a column's fast path: the cells -> (values, bad)
Parser = Callable[[str], tuple[Any, str | None]]
Vector = Callable[[pd.Series], "tuple[list, np.ndarray] | None"]


@dataclass(frozen=True)
class Column:
    """How one column is read: ``cell`` decides (and words the problem) for one cell;
    ``vector`` reads a whole column at once, with the same values, and flags the cells it
    cannot accept, which ``cell`` then judges one by one. ``vector`` may return None (for
    example when some cell is not a number at all): then every cell goes through ``cell``.
    """

    cell: Parser
    vector: Vector
    #: the values a column of a few values takes (its drop-down list), else empty
    allowed: tuple[str, ...] = ()

    def __call__(self, s: str) -> tuple[Any, str | None]:
        return self.cell(s)

    def read(self, cells: pd.Series) -> tuple[list, dict[int, str]]:
        """(values, {row: problem}) of a column of text cells."""
        fast = self.vector(cells)
        if fast is None:
            values, bad = [None] * len(cells), np.ones(len(cells), dtype=bool)
        else:
            values, bad = fast
        judge = np.flatnonzero(bad).tolist()
        if judge and not isinstance(values, list):
            values = values.tolist()  # cells of other types (None) go in: a list, as before
        errors = {}
        for i in judge:
            values[i], err = self.cell(cells.iat[i])
            if err:
                errors[i] = err
        return values, errors


def _as_float(cells: pd.Series) -> np.ndarray | None:
    """Every cell as a float by Python's own rules (as ``float(text)``), or None when one
    cell is not a number."""
    try:
        return cells.to_numpy(dtype=object).astype(float)
    except (ValueError, TypeError):
        return None


def _num_vector(lo: float | None, lo_open: bool, hi: float | None) -> Vector:
    def vector(cells: pd.Series):
        x = _as_float(cells)
        if x is None:
            return None
        ok = np.isfinite(x)
        if lo is not None:
            ok &= (x > lo) if lo_open else (x >= lo)
        if hi is not None:
            ok &= x <= hi
        return x, ~ok

    return vector


def number_column(lo: float | None, lo_open: bool, hi: float | None, allowed: str) -> Column:
    def parse(s: str):
        try:
            x = float(s)
        except ValueError:  # decimal marks are read before (:mod:`.numbers`)
            return None, f"not a number: {short(s)} (allowed: {allowed})"
        if not math.isfinite(x):
            return None, f"not a finite number: {short(s)} (allowed: {allowed})"
        if lo is not None and (x < lo or (lo_open and x == lo)):
            return None, f"out of range: {short(s.strip(), 20)} (allowed: {allowed})"
        if hi is not None and x > hi:
            return None, f"out of range: {short(s.strip(), 20)} (allowed: {allowed})"
        return x, None

    return Column(parse, _num_vector(lo, lo_open, hi))


def blank_cells(cells: pd.Series) -> np.ndarray:
    """Where a cell is empty or only whitespace (``not s.strip()``), as booleans; one pass
    with str methods, several times faster than pandas' ``.str.strip() == ""``."""
    a = cells.to_numpy(dtype=object)
    return np.fromiter((not s or s.isspace() for s in a), dtype=bool, count=len(a))


def stripped(cells: pd.Series) -> pd.Series:
    """The cells without leading and trailing whitespace (as ``.str.strip()``, faster)."""
    return pd.Series([s.strip() for s in cells.to_numpy(dtype=object)], index=cells.index,
                     dtype=cells.dtype)


def _text_cell(s: str):
    return (s, None) if s.strip() else (None, "empty (allowed: non-empty text)")


TEXT = Column(_text_cell, lambda c: (c, blank_cells(c)))
OPT_TEXT = Column(lambda s: (s.strip(), None),
                   lambda c: (stripped(c), np.zeros(len(c), dtype=bool)))


def _year_cell(s: str):
    v = s.strip()
    if not v:
        return "", None
    if v.isascii() and v.isdigit() and len(v) == 4:
        return v, None
    return None, f"{v!r} is not a year (allowed: four digits such as 2019, or empty)"


def _year_vector(c: pd.Series):
    v = stripped(c)
    ok = v.str.fullmatch(r"[0-9]{4}|").fillna(False).to_numpy(bool)
    return v, ~ok


#: a calendar year, four digits, or empty (a table of one year)
OPT_YEAR = Column(_year_cell, _year_vector)

#: a CPV code as written: its digits (2 to 8: a division such as 39, or the whole code), and
#: after all 8 a check digit (39141000-2), which is dropped
_CPV = r"\s*(?:([0-9]{8})-[0-9]|([0-9]{2,8}))\s*"
_CPV_ALLOWED = "2 to 8 digits of a CPV code, such as 39141000-2, 39141000 or 39; or empty"


def _cpv_cell(s: str):
    if not s.strip():
        return "", None
    m = re.fullmatch(_CPV, s)
    if m:
        return m[1] or m[2], None
    return None, f"not a CPV code: {short(s)} (allowed: {_CPV_ALLOWED})"


def _cpv_vector(cells: pd.Series):
    parts = cells.str.extract(f"^{_CPV}$")
    v = parts[0].fillna(parts[1])
    ok = v.notna().to_numpy(bool) | blank_cells(cells)
    return v.fillna("").tolist(), ~ok


#: a CPV code's digits, its check digit dropped, or empty (:data:`_CPV`)
OPT_CPV = Column(_cpv_cell, _cpv_vector)


#: how yes and no may be written: English, Dutch, Excel's TRUE/FALSE, 1/0
YES, NO = ("yes", "ja", "true", "1"), ("no", "nee", "false", "0")


def _yesno_cell(s: str):
    v = s.strip().lower()
    if v in YES or v in NO:
        return v in YES, None
    return None, f"{short(s)} (allowed: yes, no; also ja, nee, true, false, 1, 0)"


def _canonical(cells: pd.Series, allowed: tuple[str, ...]) -> pd.Series:
    """The cells stripped and lower-case (only those not already one of ``allowed``)."""
    plain = cells.isin(allowed)
    if plain.all():
        return cells
    v = cells.copy()
    v[~plain] = cells[~plain].str.strip().str.lower()
    return v


def _yesno_vector(cells: pd.Series):
    v = _canonical(cells, YES + NO)
    return v.isin(YES).to_numpy(dtype=bool), (~v.isin(YES + NO)).to_numpy()


YESNO = Column(_yesno_cell, _yesno_vector, ("yes", "no"))


def _dist_cell(s: str):
    v = s.strip().lower()
    if v in DISTRIBUTIONS:
        return v, None
    return None, f"unknown distribution {short(s)} (allowed: {', '.join(DISTRIBUTIONS)})"


def _dist_vector(cells: pd.Series):
    v = _canonical(cells, DISTRIBUTIONS)
    return v, (~v.isin(DISTRIBUTIONS)).to_numpy(dtype=bool)


DIST = Column(_dist_cell, _dist_vector, DISTRIBUTIONS)


def choice_column(*allowed: str, default: str | None = None) -> Column:
    """One of ``allowed`` (read stripped and lower-case); an empty cell is ``default`` where
    one is given (``default=""``: empty is allowed, and read as '')."""
    ok = (*allowed, "") if default == "" else allowed

    def parse(s: str):
        v = s.strip().lower() or (default or "")
        if v in ok:
            return v, None
        return None, (f"{short(s) if s.strip() else 'empty'} (allowed: {', '.join(allowed)}"
                      f"{'; or empty' if default == '' else ''})")

    def vector(cells: pd.Series):
        v = _canonical(cells, ok)
        if default is not None:
            v = v.where(v != "", default)
        return v, (~v.isin(ok)).to_numpy(dtype=bool)

    return Column(parse, vector, allowed)


#: how a criterion of a sampled tender is scored (RIVM: minimum requirement, stricter
#: requirement, award criterion; the MVI criteria tool's ambition levels; the two tests)
CRITERION_TYPES = ("minimum", "stricter", "award", "unknown")
AMBITION_LEVELS = ("basis", "significant", "ambitious", "unknown")
TEST_OUTCOMES = ("yes", "no", "unclear")
#: how "unclear" may be written (yes and no as in :data:`YES` and :data:`NO`)
UNCLEAR = ("unclear", "onduidelijk")


def _outcome_cell(s: str):
    v = s.strip().lower()
    for outcome, spellings in (("yes", YES), ("no", NO), ("unclear", UNCLEAR)):
        if v in spellings:
            return outcome, None
    return None, (f"{short(s) if s.strip() else 'empty'} (allowed: yes, no, unclear; also "
                  "ja, nee, onduidelijk, true, false, 1, 0)")


def _outcome_vector(cells: pd.Series):
    v = _canonical(cells, TEST_OUTCOMES)
    for outcome, spellings in (("yes", YES), ("no", NO), ("unclear", UNCLEAR)):
        v = v.mask(v.isin(spellings[1:]), outcome)
    return v, (~v.isin(TEST_OUTCOMES)).to_numpy(dtype=bool)


#: a test of RIVM's (carried into the contract, beyond market standard): yes, no or unclear,
#: in English or Dutch, or as TRUE/FALSE or 1/0 for yes and no
TEST_OUTCOME = Column(_outcome_cell, _outcome_vector, TEST_OUTCOMES)
#: the statuses of a buyer-group tender, in the order a tender passes them (cancelled may
#: follow any of the others and ends it)
OUTCOME_STATUSES = ("planned", "published", "awarded", "contracted", "cancelled")
#: each status's place in that order
OUTCOME_RANK = {s: i for i, s in enumerate(OUTCOME_STATUSES)}
#: the monitor's indicators: id -> (unit over the contracts' lifetime, unit per year). CO2-eq
#: is the model's own; the others are what RIVM also reports (NOx, fine particulate matter,
#: raw materials, jobs), each with translation factors of its own
INDICATORS = {
    "co2_eq": ("t CO2-eq", "t CO2-eq per year"),
    "nox": ("kg NOx", "kg NOx per year"),
    "pm": ("kg PM", "kg PM per year"),
    "raw_materials": ("t raw materials", "t raw materials per year"),
    "jobs": ("FTE-years", "FTE"),
}
#: the spend-and-impact indicators: id -> (unit of an intensity, unit of a footprint, the
#: factor from spend [EUR per year] x intensity to the footprint's unit)
SPEND_INDICATORS = {
    "co2_eq": ("kg CO2-eq per EUR", "t CO2-eq per year", 1e-3),
    "land_use": ("m2a per EUR", "m2a per year", 1.0),
    "raw_materials": ("kg raw materials per EUR", "t raw materials per year", 1e-3),
}
PUBLISHED_BASES = ("lifetime", "per year", "not stated")
#: how RIVM states a figure: a lower bound, or a point
PUBLISHED_BOUNDS = ("at least", "point")
#: the columns of a tender list after its column map: one row per announcement
TENDER_FIELDS = ("tender_id", "lot", "date", "award_date", "cpv", "value", "value_kind", "buyer",
                 "announcements")
#: a criterion's class, in the order of the tests (Zijp et al. 2022): not beyond market
#: standard first, then not in the contract, then unclear; counted when both pass
CRITERION_CLASSES = ("counted", "not_beyond_market_standard", "not_in_contract", "unclear")


def _source_cell(s: str):
    v = s.strip()
    if "http" in v or "assumption:" in v.lower():
        return v, None
    return None, "no source (allowed: an address http... or 'assumption: ...' and why)"


def _source_vector(cells: pd.Series):
    v = stripped(cells)
    a = v.to_numpy(dtype=object)
    ok = np.fromiter(("http" in s for s in a), dtype=bool, count=len(a))
    rest = np.flatnonzero(~ok)
    if rest.size:  # only the cells without an address: is there an assumption?
        ok[rest] = [("assumption:" in s.lower()) for s in a[rest]]
    return v, ~ok


SOURCE = Column(_source_cell, _source_vector)


def optional(column: Column) -> Column:
    """The column, or empty (None)."""
    def parse(s: str):
        if not s.strip():
            return None, None
        return column.cell(s)

    def vector(cells: pd.Series):
        empty = blank_cells(cells)
        if not empty.any():
            return column.vector(cells)
        if empty.all():
            return [None] * len(cells), np.zeros(len(cells), dtype=bool)
        fast = column.vector(cells.where(~empty, "1"))  # any valid stand-in
        if fast is None:
            return None
        values, bad = fast
        values = np.where(empty, np.nan, values)  # empty: missing, as None read before
        return values, bad & ~empty

    return Column(parse, vector, column.allowed)


#: the largest number an input table holds: amounts, quantities and factors stay far below
#: it (all Dutch public procurement is about 1e11 EUR a year), and sums and products of
#: such numbers stay finite
MAX_NUMBER = 1e15
POSITIVE = number_column(0.0, True, MAX_NUMBER, "a number > 0, at most 1e15")
NONNEG = number_column(0.0, False, MAX_NUMBER, "a number >= 0, at most 1e15")
PROB = number_column(0.0, False, 1.0, "a number in [0, 1]")
FRACTION = PROB


def triple(prefix: str, kind: Column) -> dict[str, Column]:
    return {f"{prefix}_dist": DIST, f"{prefix}_low": kind, f"{prefix}_mode": kind,
            f"{prefix}_high": kind}
