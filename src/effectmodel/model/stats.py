"""Statistics through statsmodels and NumPy: quantiles with Monte Carlo error, Wilson intervals,
and the trend across monitoring periods with a one-period projection. Pure: no I/O, no plots.
"""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pandas as pd
from scipy.stats import norm
from scipy.stats import t as student_t
from statsmodels.genmod.families import Binomial
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.regression.linear_model import OLS
from statsmodels.stats.proportion import proportion_confint

from effectmodel.domain.paramschema import FEW_BATCHES
from effectmodel.model.distributions import quantile_bounds


def batch_se(x: np.ndarray, statistic, batches: int) -> float:
    """Monte Carlo standard error of ``statistic`` by batch means.

    The draws are cut into ``batches`` contiguous batches; the standard deviation of the
    statistic over batches, divided by sqrt(batches), estimates the standard error of the
    statistic on all draws [unit of x].
    """
    parts = np.array_split(np.asarray(x, dtype=float), batches)
    values = np.array([statistic(p) for p in parts if p.size])
    if values.size < 2:
        return float("nan")
    return float(values.std(ddof=1) / np.sqrt(values.size))


def batch_values(x: np.ndarray, statistic, batches: int) -> np.ndarray:
    """``statistic`` on each of ``batches`` contiguous batches of the draws, as
    :func:`batch_se` cuts them [unit of x]."""
    return np.array([statistic(p) for p in np.array_split(np.asarray(x, dtype=float), batches)
                     if p.size])


def paired_difference(old: float, new: float, old_batches, new_batches,
                      level: float = 0.95) -> dict:
    """The difference ``new - old`` of one figure between two runs with the same seed and
    draws (common random numbers), with its ``level`` interval from the batch-wise
    differences: SE = sd(new_b - old_b) / sqrt(B), Student t with B - 1 degrees of freedom
    [unit of the figure]. Far narrower than two independent standard errors combined, since
    inputs that did not change draw the same numbers in both runs."""
    d = np.asarray(new_batches, dtype=float) - np.asarray(old_batches, dtype=float)
    diff = float(new - old)
    se = float(d.std(ddof=1) / np.sqrt(d.size)) if d.size > 1 else float("nan")
    half = float(student_t.ppf(0.5 + level / 2, d.size - 1)) * se if d.size > 1 else se
    return {"difference": diff, "se": se, "low": diff - half, "high": diff + half}


def describe(x, interval: float, batches: int) -> dict:
    """STATS of draws: mean, median, low, high and Monte Carlo errors.

    ``mc_error`` is the largest of the batch-means standard errors of the four figures;
    ``mc_errors`` gives each [unit of x]. A quantile on a mass of draws at 0
    (:func:`on_zero_mass`) is 0, with no error, and ``at_zero`` gives the share of draws at 0.
    With fewer than :data:`FEW_BATCHES` batches a
    standard error is widened by ``t(0.975; B - 1) / z(0.975)``, so that +-1.96 of it is a
    95% interval on B - 1 degrees of freedom.
    """
    x = np.asarray(x, dtype=float)
    lo_q, hi_q = quantile_bounds(interval)
    figures = {
        "mean": np.mean,
        "median": np.median,
        "low": lambda a: np.quantile(a, lo_q),
        "high": lambda a: np.quantile(a, hi_q),
    }
    out = {k: float(f(x)) for k, f in figures.items()}
    if batches >= 2 and x.size % batches == 0:
        # equal batches: each statistic over all batches at once (row by row, the same
        # arithmetic as one batch at a time, so the same numbers)
        rows = x.reshape(batches, -1)
        per = {"mean": rows.mean(axis=1), "median": np.median(rows, axis=1),
               "low": np.quantile(rows, lo_q, axis=1), "high": np.quantile(rows, hi_q, axis=1)}
        errs = {k: float(v.std(ddof=1) / np.sqrt(batches)) for k, v in per.items()}
    else:
        errs = {k: batch_se(x, f, batches) for k, f in figures.items()}
    if 2 <= batches < FEW_BATCHES:
        widen = float(student_t.ppf(0.975, batches - 1) / norm.ppf(0.975))
        errs = {k: v * widen for k, v in errs.items()}
    n = max(x.size, 1)
    below, at = np.count_nonzero(x < 0) / n, np.count_nonzero(x == 0) / n
    on = [k for k, q in {"median": 0.5, "low": lo_q, "high": hi_q}.items()
          if on_zero_mass(below, at, q, n)]
    for k in on:  # a quantile on a mass at 0 is 0 whatever the seed: no Monte Carlo error
        out[k], errs[k] = 0.0, 0.0
    out["mc_error"] = float(max(errs.values()))
    out["mc_errors"] = errs
    if on:
        out["at_zero"] = float(at)
    return out


#: how many binomial standard errors from a mass at 0 a quantile's level may lie and still
#: be read as sitting on it
ATOM_REACH = 3.0


def on_zero_mass(below: float, at: float, q: float, n: int) -> bool:
    """Whether the ``q`` quantile of n draws sits on a mass at 0: some draws are exactly 0
    (share ``at``) and ``q`` lies within the mass's edges (``below`` and ``below + at``, the
    shares of draws below 0 and at or below it), widened by :data:`ATOM_REACH` binomial
    standard errors [-].

    At a mass, the empirical quantile jumps between 0 and the nearest draws above it from one
    seed to the next, and batch means cannot see that (the jump does not shrink with more
    draws): such a quantile is read as 0, and the share at 0 is said beside it.
    """
    reach = ATOM_REACH * float(np.sqrt(q * (1 - q) / n))
    return at > 0 and below - reach <= q <= below + at + reach


def wilson(count: int, nobs: int, interval: float) -> dict:
    """Share with an effect and its Wilson score interval (statsmodels) [-]."""
    low, high = proportion_confint(count, nobs, alpha=1 - interval, method="wilson")
    return {"estimate": count / nobs, "low": float(low), "high": float(high),
            "method": "wilson"}


def next_period(period: str) -> str:
    """The label of the period after ``period``: '2021-2022' -> '2023-2024'."""
    m = re.fullmatch(r"(\d{4})-(\d{4})", period)
    if not m:
        return f"after {period}"
    a, b = int(m.group(1)), int(m.group(2))
    step = b - a + 1
    return f"{a + step}-{b + step}"


def adoption_trend(table: pd.DataFrame, periods: list[str], interval: float):
    """Binomial GLM (logit link) of the share of sampled tenders with an effect.

    ``logit(share) ~ period index + product group`` (product group as a factor).

    Parameters
    ----------
    table : rows with columns period, product_group, n_with_effect, n_sampled.
    periods : period labels in time order.

    Returns
    -------
    (dict for summary.json, statsmodels results or None)
    """
    if len(periods) < 2:
        return {"model": None, "note": "needs at least two periods"}, None
    t = table["period"].map(periods.index).to_numpy(float)
    groups = sorted(set(table["product_group"]))
    dummies = np.column_stack([(table["product_group"] == g).to_numpy(float)
                               for g in groups[1:]]) if len(groups) > 1 else np.empty((len(t), 0))
    X = pd.DataFrame(np.column_stack([np.ones_like(t), t, dummies]),
                     columns=["const", "period_index", *[f"group[{g}]" for g in groups[1:]]])
    y = np.column_stack([table["n_with_effect"], table["n_sampled"] - table["n_with_effect"]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = GLM(y.astype(float), X, family=Binomial()).fit()
    alpha = 1 - interval
    ci = np.asarray(res.conf_int(alpha=alpha))
    beta = np.asarray(res.params)
    cov = np.asarray(res.cov_params())
    # projection for the average product group one period ahead
    x_new = np.concatenate([[1.0, float(len(periods))], dummies.mean(axis=0)])
    eta = float(x_new @ beta)
    se = float(np.sqrt(x_new @ cov @ x_new))
    z = _z(alpha)
    fitted = []
    for i, p in enumerate(periods):
        xp = np.concatenate([[1.0, float(i)], dummies.mean(axis=0)])
        fitted.append({"period": p, "share": expit(float(xp @ beta))})
    out = {
        "model": "binomial GLM, logit link: share with effect ~ period + product group",
        "odds_ratio_per_period": float(np.exp(beta[1])),
        "odds_ratio_low": float(np.exp(ci[1, 0])),
        "odds_ratio_high": float(np.exp(ci[1, 1])),
        "p_value": float(np.asarray(res.pvalues)[1]),
        "fitted": fitted,
        "projection": {"period": next_period(periods[-1]), "label": "projection",
                       "share": expit(eta), "low": expit(eta - z * se),
                       "high": expit(eta + z * se)},
    }
    return out, res


def _z(alpha: float) -> float:
    return float(norm.ppf(1 - alpha / 2))


def expit(v: float) -> float:
    """Inverse logit [-], without overflow: exp of minus the magnitude only (1 at +inf, 0
    at -inf, as the limits are)."""
    e = math.exp(-abs(v)) if math.isfinite(v) else 0.0
    return float(1 / (1 + e) if v >= 0 else e / (1 + e))


def totals_trend(central_t: np.ndarray, periods: list[str], interval: float):
    """Log-linear OLS of the central total per period on the period index, with a projection.

    Totals are positive and change by factors, so the model is
    ``log(total) = a + b x period index``; ``exp(b)`` is the factor per period, and the
    projection's prediction interval is positive.

    Parameters
    ----------
    central_t : central total per period [t CO2-eq], all > 0

    Returns
    -------
    (dict for summary.json, statsmodels results or None)
    """
    central_t = np.asarray(central_t, dtype=float)
    if len(periods) < 3:
        return {"model": None, "note": "needs at least three periods"}, None
    if not (central_t > 0).all():
        return {"model": None, "note": "needs positive totals"}, None
    t = np.arange(len(periods), dtype=float)
    X = pd.DataFrame({"const": np.ones_like(t), "period_index": t})
    res = OLS(pd.Series(np.log(central_t), name="log_central_total_t"), X).fit()
    alpha = 1 - interval
    ci = np.asarray(res.conf_int(alpha=alpha))
    pred = res.get_prediction(pd.DataFrame({"const": [1.0],
                                            "period_index": [float(len(periods))]}))
    frame = pred.summary_frame(alpha=alpha)
    out = {
        "model": "OLS: log(central total) ~ period index",
        "factor_per_period": float(np.exp(np.asarray(res.params)[1])),
        "factor_low": float(np.exp(ci[1, 0])),
        "factor_high": float(np.exp(ci[1, 1])),
        "p_value": float(np.asarray(res.pvalues)[1]),
        "projection": {"period": next_period(periods[-1]), "label": "projection",
                       "estimate_t": float(np.exp(frame["mean"].iloc[0])),
                       "low_t": float(np.exp(frame["obs_ci_lower"].iloc[0])),
                       "high_t": float(np.exp(frame["obs_ci_upper"].iloc[0]))},
    }
    return out, res


_DATE = re.compile(r"(<th>(?:Date|Time):</th>\s*<td>)[^<]*(</td>)")


def summary_html(fit, interval: float) -> str | None:
    """statsmodels' summary tables of a fit as HTML, with the date and time rows emptied (the
    same bytes on every run); None without a fit."""
    if fit is None:
        return None
    with warnings.catch_warnings():  # e.g. too few periods for a normality test: shown there
        warnings.simplefilter("ignore")
        html = fit.summary(alpha=1 - interval).as_html()
    return _DATE.sub(r"\1–\2", html)
