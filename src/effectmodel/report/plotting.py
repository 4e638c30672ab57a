"""Figures from summaries. Every function takes ``ax=None`` and returns the Axes; none computes
statistics (they come from ``summary`` and ``sensitivity``)."""

from __future__ import annotations

import contextlib
import functools

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.figure import Figure

from effectmodel.report.formatting import display_name
from effectmodel.report.i18n import t, term_label
from effectmodel.report.layout import FitLayoutEngine
from effectmodel.report.numformat import exact_decimals, number

# Every figure is made and saved under matplotlib's defaults plus these, whatever the
# backend or rc settings of the process (an IPython kernel's inline backend changes some):
# the same inputs give the same SVG bytes.
RC = {k: v for k, v in matplotlib.rcParamsDefault.items()
      if k not in ("backend", "backend_fallback", "interactive")}
RC.update({"svg.fonttype": "none", "svg.hashsalt": "effectmodel", "savefig.bbox": None,
           "savefig.dpi": "figure", "figure.dpi": 100.0})


@contextlib.contextmanager
def style(**extra):
    """The fixed matplotlib settings of the briefing's figures."""
    with matplotlib.rc_context({**RC, **extra}):
        yield


def styled(fn):
    """Run a chart function under :func:`style`."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with style():
            return fn(*args, **kwargs)

    return wrapper


def new_axes(size: tuple[float, float], fitted: bool = False):
    """Axes on a new Figure that no pyplot backend tracks: laid out by matplotlib's
    constrained layout, or (``fitted``) by :class:`~effectmodel.report.layout.FitLayoutEngine`
    from its texts' metrics each time it is drawn."""
    fig = Figure(figsize=size, layout=FitLayoutEngine() if fitted else "constrained")
    return fig.add_subplot()


#: the fewest decimals that show every tick exactly (0.25 steps: 2)
tick_decimals = exact_decimals


class LocalFormatter(ticker.Formatter):
    """Tick labels in the briefing's number format (80.125 and 0,5 in Dutch)."""

    def __init__(self, lang: str):
        self.lang = lang
        self.decimals = 0

    def set_locs(self, locs):
        super().set_locs(locs)
        self.decimals = tick_decimals(locs)

    def __call__(self, x, pos=None):
        return number(x, self.lang, self.decimals)


class LocalLogFormatter(ticker.LogFormatter):
    """Tick labels of a log or symlog axis in the briefing's number format (100, 1,000 and
    0.1; 1.000 and 0,1 in Dutch) instead of matplotlib's powers of ten, which it sets as
    mathtext. matplotlib still decides which ticks get a label (LogFormatter's rules)."""

    def __init__(self, lang: str, **kwargs):
        super().__init__(**kwargs)
        self.lang = lang

    def __call__(self, x, pos=None):
        label = super().__call__(x, pos)  # of |x|: the sign is added here
        return "−" + label if label and x < 0 else label

    def _num_to_string(self, x, vmin, vmax):
        return number(x, self.lang, tick_decimals([x]))


def localise(ax, lang: str, which: str):
    """Use the language's number format on the numeric axis ``which`` ('x' or 'y') of
    ``ax``: linear, log (its labelled minor ticks too) or symlog; returns ``ax``."""
    axis = ax.xaxis if which == "x" else ax.yaxis
    scale = ax.get_xscale() if which == "x" else ax.get_yscale()
    if scale == "linear":
        axis.set_major_formatter(LocalFormatter(lang))
    elif scale in ("log", "symlog"):
        # the formatters matplotlib's scales set, in the catalogue's numbers
        base = axis.get_transform().base
        linthresh = getattr(axis.get_transform(), "linthresh", None)
        axis.set_major_formatter(LocalLogFormatter(lang, base=base, linthresh=linthresh))
        if scale == "log":
            axis.set_minor_formatter(LocalLogFormatter(lang, base=base, labelOnlyBase=False))
    return ax

BLUE = "#1f4e79"    # contrast 9.3:1 on white
ORANGE = "#b35900"  # contrast 4.9:1 on white
GREY = "#595959"    # contrast 7:1 on white


def _level(monitor: dict) -> str:
    """The interval of the adoption trend's projection, as a percentage."""
    level = monitor.get("trend", {}).get("adoption", {}).get("interval", 0.9)
    return f"{round(100 * level)}%"


def finish(ax, title: str, lang: str, numeric: str):
    """The house style's last touches: the title, no top or right spine and the language's
    number format on the ``numeric`` axis ('x' or 'y'); returns ``ax``. (A figure made here
    gets the margins its texts need when it is drawn.)"""
    ax.set_title(title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    return localise(ax, lang, numeric)


def _ax(ax, size=(7.5, 4.0)):
    return new_axes(size, fitted=True) if ax is None else ax


@styled
def buyer_groups(bg: dict, lang: str, ax=None):
    """Per buyer group: as planned (diamond) and risk-adjusted median with range (bar), kt.

    Groups that are not quantified are listed with the words 'not quantified', never as 0.
    """
    groups = bg["groups"]
    ax = _ax(ax, (7.5, 0.42 * len(groups) + 1.2))
    y = np.arange(len(groups))[::-1]
    for yi, g in zip(y, groups, strict=True):
        if g["quantified"]:
            s = g["total_t"]
            ax.barh(yi, s["median"] / 1e3, color=BLUE, height=0.6,
                    label=t("risk_adjusted", lang) if yi == y[0] else None)
            ax.errorbar(s["median"] / 1e3, yi, xerr=[[(s["median"] - s["low"]) / 1e3],
                                                     [(s["high"] - s["median"]) / 1e3]],
                        color="black", capsize=3, lw=1)
            ax.plot(g["as_planned_t"] / 1e3, yi, "D", color=ORANGE, ms=6,
                    label=t("as_planned", lang) if g is groups[0] else None)
        else:
            ax.text(0.0, yi, " " + t("not_quantified", lang), va="center", ha="left",
                    color=GREY, fontsize=8, style="italic")
    ax.set_yticks(y, [display_name(g, lang) for g in groups], fontsize=8)
    ax.set_xlabel(t("reduction_kt", lang))
    ax.set_xlim(left=0)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    return finish(ax, t("bg_chart_title", lang), lang, "x")


@styled
def product_groups(period: dict, lang: str, ax=None):
    """Per product group of one period: median effect with range [kt CO2-eq]."""
    rows = period["product_groups"]
    ax = _ax(ax, (7.5, 0.34 * len(rows) + 1.2))
    y = np.arange(len(rows))[::-1]
    zero = np.array([r.get("upper_95_t") is not None for r in rows])
    free = np.array([bool(r.get("unbounded")) for r in rows])  # nothing bounds it: no bar

    def figure(key: str) -> np.ndarray:
        return np.array([np.nan if r["reduction_t"][key] is None else r["reduction_t"][key]
                         for r in rows], dtype=float) / 1e3

    med, lo, hi = figure("median"), figure("low"), figure("high")
    keep = ~zero & ~free
    ax.errorbar(med[keep], y[keep], xerr=[med[keep] - lo[keep], hi[keep] - med[keep]], fmt="o",
                color=BLUE, ms=4, capsize=3, lw=1)
    if zero.any():  # no counted effect: 0 to the one-sided 95% bound, no median
        upper = np.array([r["upper_95_t"] for r in rows if r.get("upper_95_t") is not None])
        ax.hlines(y[zero], 0, upper / 1e3, color=GREY, linestyles="dashed", lw=1)
        ax.plot(upper / 1e3, y[zero], "|", color=GREY, ms=8)
        lo = np.where(zero, 0.0, lo)
    lo = lo[~free]
    for row_y in y[free]:  # no counted tender in any period: no bar, the words instead
        ax.text(0, row_y, " " + t("no_upper_bound_short", lang), va="center", fontsize=7,
                color=GREY)
    ax.set_yticks(y, [display_name(r, lang) for r in rows], fontsize=8)
    ax.set_xlabel(t("reduction_kt", lang))
    typical = np.abs(med[keep]) if keep.any() else hi[np.isfinite(hi)]
    if not typical.size:  # nothing drawn to scale: a plain axis from 0
        ax.set_xlim(0, 1)
    elif (lo > 0).all():
        ax.set_xscale("log")
    else:
        ax.set_xscale("symlog", linthresh=max(float(np.median(typical)) / 10, 1e-3))
        if (lo >= 0).all():  # no negative side to show
            ax.set_xlim(left=0)
    return finish(ax, t("pg_chart_title", lang, period=period["period"]), lang, "x")


@styled
def periods(monitor: dict, lang: str, ax=None):
    """Per period: model median with range beside RIVM's published figure [Mt CO2-eq]."""
    ps = monitor["periods"]
    ax = _ax(ax, (7.5, 3.6))
    x = np.arange(len(ps))
    med = np.array([p["total_t"]["median"] for p in ps]) / 1e6
    lo = np.array([p["total_t"]["low"] for p in ps]) / 1e6
    hi = np.array([p["total_t"]["high"] for p in ps]) / 1e6
    ax.errorbar(x - 0.1, med, yerr=[med - lo, hi - med], fmt="o", color=BLUE, capsize=4,
                label=t("model", lang))
    pub = [(xi + 0.1, p["published_t"] / 1e6) for xi, p in zip(x, ps, strict=True)
           if p["published_t"] is not None]
    if pub:
        px, py = zip(*pub, strict=True)
        ax.plot(px, py, "s", color=ORANGE, label=t("rivm_published", lang))
    labels = [p["period"] for p in ps]
    proj = monitor.get("trend", {}).get("totals", {}).get("projection")
    if proj:
        xp = len(ps)
        est, lo_p, hi_p = (proj[k] / 1e6 for k in ("estimate_t", "low_t", "high_t"))
        top = max(float(hi.max()), max((v for _, v in pub), default=0.0)) * 1.15
        ax.errorbar([xp], [est], yerr=[[est - lo_p], [min(hi_p, top) - est]], fmt="D",
                    color=GREY, capsize=4, label=t("projection", lang) + " (log-linear)")
        ax.axvspan(xp - 0.5, xp + 0.5, color="#eeeeee", zorder=0)
        ax.set_ylim(0, top)
        labels.append(proj["period"] + "*")
    ax.set_xticks(np.arange(len(labels)), labels)
    ax.set_ylabel(t("reduction_mt", lang))
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8, frameon=False)
    return finish(ax, t("periods_chart_title", lang), lang, "y")


@styled
def waterfall(change: dict, before: dict, after: dict, lang: str, ax=None):
    """A change between two periods as a waterfall [Mt CO2-eq]: the central total of the
    first (grey bar), each part's central change summed over the product groups (blue bar,
    from the running total), the central total of the second; in orange the medians and
    ranges over the draws: of each part (from where its bar starts) and of the second
    period's total. ``change``: an ``effect_monitor.changes`` entry; ``before``, ``after``:
    its periods' entries."""
    terms, parts = list(change["parts"]), list(change["parts"].values())  # summary's order
    central = np.array([p["central"] for p in parts]) / 1e6
    start, end = before["central_t"] / 1e6, after["central_t"] / 1e6
    ax = _ax(ax, (7.5, 3.6))
    x = np.arange(len(terms) + 2)
    ax.bar([x[0], x[-1]], [start, end], color=GREY, width=0.6, label=t("central_plain", lang))
    base = start + np.concatenate([[0.0], np.cumsum(central)[:-1]])
    ax.bar(x[1:-1], central, bottom=base, color=BLUE, width=0.6, label=t("change_col", lang))
    ranges, at = [*parts, after["total_t"]], np.append(base, 0.0)
    med = np.array([p["median"] for p in ranges]) / 1e6
    lo = np.array([p["low"] for p in ranges]) / 1e6
    hi = np.array([p["high"] for p in ranges]) / 1e6
    ax.errorbar(x[1:], at + med, yerr=[med - lo, hi - med], fmt="o", color=ORANGE, capsize=4,
                markersize=4, label=t("median", lang))
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xticks(x, [change["from"], *(term_label(k, lang) for k in terms),
                      change["to"]], fontsize=8)
    ax.set_ylabel(t("reduction_mt", lang))
    ax.legend(fontsize=8, frameon=False)
    return finish(ax, f"{change['from']} → {change['to']}", lang, "y")


@styled
def footprint_years(years: list[dict], unit: tuple[str, float], lang: str, ax=None):
    """Per year of the spend: the CO2-eq footprint's median with its range (bar), and the
    figure at the modes (diamond) [``unit``, factor from the summary's t]."""
    ax = _ax(ax, (7.5, 3.4))
    word, k = unit
    x = np.arange(len(years))
    fp = [y["footprint"]["co2_eq"] for y in years]
    med = np.array([f["median"] for f in fp]) * k
    lo = np.array([f["low"] for f in fp]) * k
    hi = np.array([f["high"] for f in fp]) * k
    ax.errorbar(x, med, yerr=[med - lo, hi - med], fmt="o", color=BLUE, capsize=4,
                label=t("median", lang))
    ax.plot(x, [f["central"] * k for f in fp], "D", color=ORANGE, markersize=5,
            label=t("central_plain", lang))
    ax.set_xticks(x, [y["year"] for y in years])
    ax.set_ylabel(word)
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8, frameon=False)
    return finish(ax, t("si_years_chart_title", lang, unit=word), lang, "y")


@styled
def adoption_trend(monitor: dict, lang: str, ax=None):
    """Observed share of sampled tenders with an effect, the GLM fit, and the projection."""
    ps = monitor["periods"]
    trend = monitor["trend"]["adoption"]
    ax = _ax(ax, (7.5, 3.4))
    labels = [p["period"] for p in ps]
    obs = [p["observed_share"] for p in ps]
    x = np.arange(len(ps))
    ax.plot(x, obs, "o", color=BLUE, label=t("observed", lang))
    if trend.get("fitted"):
        ax.plot(x, [f["share"] for f in trend["fitted"]], "-", color=GREY,
                label=t("fitted", lang))
    proj = trend.get("projection")
    if proj:
        xp = len(ps)
        ax.errorbar([xp], [proj["share"]], yerr=[[proj["share"] - proj["low"]],
                                                 [proj["high"] - proj["share"]]],
                    fmt="D", color=ORANGE, capsize=4,
                    label=t("adoption_ci", lang, level=_level(monitor)))
        ax.axvspan(xp - 0.5, xp + 0.5, color="#eeeeee", zorder=0)
        labels = labels + [proj["period"] + "*"]
    ax.set_xticks(np.arange(len(labels)), labels)
    ax.set_ylabel(t("share", lang))
    ax.set_ylim(0, 1)
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    return finish(ax, t("trend_chart_title", lang), lang, "y")


@styled
def tornado(drivers: pd.DataFrame, title: str, lang: str, n: int = 10, ax=None):
    """Horizontal bars of the ``n`` largest rank correlations (``input``, ``rho`` columns)."""
    top = drivers.head(n).iloc[::-1]
    ax = _ax(ax, (7.5, 0.32 * len(top) + 1.2))
    colors = [BLUE if r >= 0 else ORANGE for r in top["rho"]]
    ax.barh(np.arange(len(top)), top["rho"], color=colors, height=0.6)
    ax.set_yticks(np.arange(len(top)), list(top["input"]), fontsize=8)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlim(-1, 1)
    ax.set_xlabel(t("rho", lang))
    return finish(ax, title, lang, "x")


@styled
def budget(block: dict, labels: dict[str, str], title: str, lang: str, ax=None):
    """A variance budget as bars: per group of inputs its first-order and total Sobol index
    with their Monte Carlo intervals (whiskers), within [0, 1] [-]."""
    groups = list(block["groups"])[::-1]
    ax = _ax(ax, (7.5, 0.45 * len(groups) + 1.3))
    y = np.arange(len(groups))
    for off, key, color in ((0.18, "first_order", BLUE), (-0.18, "total", ORANGE)):
        vals = np.clip([block["groups"][g][key] for g in groups], 0.0, 1.0)
        ci = np.clip([block["groups"][g][f"{key}_ci"] for g in groups], 0.0, 1.0)
        ax.barh(y + off, vals, height=0.34, color=color, label=t(f"vb_{key}_short", lang),
                xerr=[np.maximum(vals - ci[:, 0], 0), np.maximum(ci[:, 1] - vals, 0)],
                error_kw={"lw": 1, "capsize": 2})
    ax.set_yticks(y, [labels.get(g, g) for g in groups], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel(t("vb_axis", lang))
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    return finish(ax, title, lang, "x")


@styled
def tracking(snapshots: list[dict], lang: str, ax=None):
    """The buyer groups' risk-adjusted total as it stood before any outcome and on each
    status date: the median as steps, the range as a band [t CO2-eq]."""
    # constrained layout: it makes room for the rotated date labels
    ax = new_axes((7.5, 4.2)) if ax is None else ax
    x = np.arange(len(snapshots))
    med = np.array([s["median"] for s in snapshots])
    lo = np.array([s["low"] for s in snapshots])
    hi = np.array([s["high"] for s in snapshots])
    ax.fill_between(x, lo, hi, step="post", color=BLUE, alpha=0.18, lw=0,
                    label=t("tr_band", lang))
    ax.step(x, med, where="post", color=BLUE, lw=1.6, label=t("median", lang))
    labels = [t("tr_ex_ante", lang) if s["date"] is None else s["date"] for s in snapshots]
    ax.set_xticks(x, labels, rotation=60, ha="right", fontsize=7)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("t CO2-eq")
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    return finish(ax, t("tr_chart_title", lang), lang, "y")
