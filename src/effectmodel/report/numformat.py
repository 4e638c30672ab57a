"""How numbers are shown, on every surface (pages, tables, PDF, the commands' lines): the
page's thousands and decimal marks, the step a Monte Carlo figure is shown at, t, kt and Mt,
and percentages. One module, so that one figure has one value wherever it is shown."""

from __future__ import annotations

import math

import numpy as np


def number(x: float, lang: str, decimals: int = 0) -> str:
    """A number with thousands separators: 80,125 (en) or 80.125 (nl)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    s = f"{x:,.{decimals}f}"
    if lang == "nl":
        s = s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return s.replace("-", "−")


def exact_decimals(values, most: int = 6) -> int:
    """The fewest decimals (at most ``most``) that show every one of ``values`` as it is:
    0.6 -> 1, 0.95 -> 2; ticks at 0.25 steps -> 2, at 0.2 steps -> 1, at 1000 steps -> 0."""
    x = np.asarray(values, dtype=float).ravel()
    scale = max(1.0, float(np.abs(x).max())) if x.size else 1.0
    for d in range(most + 1):
        if np.all(np.abs(np.round(x, d) - x) <= 1e-9 * scale):
            return d
    return most


def step_of(s: dict, floor: float = 1.0) -> float:
    """How finely a STATS block's figures are shown [their unit]: three significant
    figures of its largest value, and a step its Monte Carlo error stays below (the power of
    ten at or above the error: a digit the draws cannot fix is not shown), never finer than
    ``floor`` (0: no floor, for figures shown in a larger unit, such as Mt)."""
    values = [abs(s[k]) for k in ("median", "low", "high") if s.get(k) is not None]
    big = max(values, default=0.0)
    if not big or not math.isfinite(big):
        return 1.0
    step = 10.0 ** (math.floor(math.log10(big)) - 2)
    err = s.get("mc_error") or 0.0
    if err and math.isfinite(err):
        step = max(step, 10.0 ** math.ceil(math.log10(err)))
    return max(step, floor)


def at_step(x: float, step: float) -> float:
    """The value a figure is shown at [its unit]: ``x`` rounded to a multiple of ``step``;
    a figure other than 0 that would round to 0 keeps its two leading digits (a bound of
    1,506 t at a 10,000 t step is 1,500, never 0)."""
    v = round(x / step) * step
    if v == 0 and x != 0:
        v = round(x, 1 - math.floor(math.log10(abs(x))))
    return float(v)


def shown(x: float | None, step: float, lang: str) -> str:
    """``x`` at :func:`at_step`, in the page's number format (the decimals the value has)."""
    if x is None or not math.isfinite(x):
        return "–"
    v = at_step(x, step)
    return number(v, lang, exact_decimals([v]))


def tonnes_at(x: float, step: float, lang: str) -> str:
    """A figure in words: the value of :func:`shown` (the same number the tables show) in
    t, kt or Mt: 7,800,000 at a 100,000 step is '7.8 Mt', 24,000 is '24,000 t'."""
    v = at_step(x, step)
    a = abs(v)
    scale, unit = (1e6, "Mt") if a >= 1e6 else (1e3, "kt") if a >= 1e5 else (1.0, "t")
    return f"{number(v / scale, lang, exact_decimals([v / scale]))} {unit}"


def exact(x: float, lang: str) -> str:
    """A deterministic figure (central, as planned, realised, published) at its own
    precision: whole units, or two significant digits below 100 (0.37, 12)."""
    if x is None or not math.isfinite(x):
        return "–"
    if abs(x) >= 100 or x == 0:
        return number(x, lang)
    v = round(x, 1 - math.floor(math.log10(abs(x))))
    return number(v, lang, exact_decimals([v]))


def tonnes(x: float, lang: str, exact: bool = False) -> str:
    """A mass of CO2-eq in t, kt or Mt, rounded for reading: 6.8 Mt, 410 kt, 41,200 t (three
    significant figures at most); ``exact``: a deterministic figure at its own precision,
    80,125 t, and 6.8 Mt only where that is 6,800,000 t."""
    a = abs(x)
    if exact:
        whole = round(x)
        if a >= 1e6 and exact_decimals([whole / 1e6], 3) < 3:
            return f"{number(whole / 1e6, lang, exact_decimals([whole / 1e6], 3))} Mt"
        return f"{number(whole, lang, 0)} t"
    if a >= 1e6:
        return f"{number(x / 1e6, lang, 1)} Mt"
    if a >= 1e5:
        return f"{number(x / 1e3, lang, 0)} kt"
    if a < 1000:
        return f"{number(x, lang, 0)} t"
    return f"{shown(x, 10.0 ** (math.floor(math.log10(a)) - 2), lang)} t"


def signed_tonnes(x: float, lang: str) -> str:
    """A change of CO2-eq as :func:`tonnes` writes it, with its sign: +1.0 Mt, −5.9 Mt,
    0 t."""
    text = tonnes(x, lang)
    return text if text.startswith(("−", "0 ")) else "+" + text


def percent(x: float, lang: str, decimals: int = 0) -> str:
    """A share as a percentage: 0.9 -> 90%."""
    return f"{number(100 * x, lang, decimals)}%"


def share_of_draws(p: float, n: int, lang: str) -> str:
    """A share of n Monte Carlo draws as a percentage, to the step just above its binomial
    standard error (at least 1/n): 0.0017 of 10,000 draws -> "0.2%", 0.5 -> "50%"; a share
    above 0 that would round to 0 keeps its first significant digit: 0.0004 -> "0.04%"."""
    se = 100 * math.sqrt(max(p * (1 - p), 1 / n) / n)  # [percentage points]
    decimals = min(2, max(0, -math.floor(math.log10(se)) - 1))
    for q in (p, 1 - p):  # a share that happened is not shown as 0%, nor one that failed as
        if 0 < q and round(100 * q, decimals) == 0:  # 100%: its first significant digit
            decimals = max(decimals, -math.floor(math.log10(100 * q)))
    return percent(p, lang, decimals)
