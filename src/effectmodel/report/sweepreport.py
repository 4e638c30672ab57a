"""The sweep report's sections, in the briefing's style (for ``notebooks/sweep.ipynb``).

Reads the artefacts the sweep wrote (``sweep.nc``, ``summary.json``) and returns HTML
fragments; figures come from :mod:`~effectmodel.report.plotting`-style functions here
(``ax=None`` -> Axes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from markupsafe import Markup

from effectmodel.report.formatting import git_text
from effectmodel.report.html import (
    Fragment,
    code,
    figure,
    html_table,
    para,
    section,
    sentence,
    tagged,
)
from effectmodel.report.i18n import TEXT, t
from effectmodel.report.layout import GridFitLayoutEngine
from effectmodel.report.numformat import exact_decimals, number, percent, shown, step_of
from effectmodel.report.plotting import BLUE, GREY, ORANGE, localise, new_axes, styled


def scenario_title(title: str, index: int, values: dict, lang: str) -> str:
    """The title of a sweep scenario's briefing: the base's title, the scenario and its
    parameter values ('Buyer groups – scenario 3: award_probability = 0.6, ...')."""
    shown = ", ".join(f"{k.rsplit('.', 1)[-1]} = {_value(v, lang)}" for k, v in values.items())
    return t("sw_scenario_title", lang, title=title, i=index, values=shown)


def _value(v, lang: str) -> str:
    """A parameter value in the page's number format (text as it is)."""
    if isinstance(v, bool) or not isinstance(v, int | float):
        return str(v)
    return number(v, lang, exact_decimals([v]))


@dataclass(frozen=True)
class Sweep:
    """What the report shows: the sweep's summary (every figure of every scenario)."""

    summary: dict[str, Any]


def _floats(values: list) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def param_label(path: str, lang: str) -> str:
    """A parameter's human name from the params schema's labels ('Award probability, all
    tenders'), with its dotted path where it has none."""
    key = f"opt_{path}"
    return t(key, lang) if key in TEXT[lang] else path


def output_label(key: str, lang: str) -> str:
    """An output of the Sobol analysis in words: 'period_total_t[2015-2016]' -> its label
    and the period ('effect monitor [t CO2-eq], 2015-2016')."""
    name, _, rest = key.partition("[")
    label = t(f"sw_{name}", lang) if f"sw_{name}" in TEXT[lang] else name
    return f"{label}, {rest.rstrip(']')}" if rest else label


def parameter_values(sw: Sweep) -> dict[str, np.ndarray]:
    """Dotted path -> the value per scenario, for the parameters varied as numbers."""
    rows = sw.summary["scenarios"]
    out = {}
    for path in (rows[0]["parameters"] if rows else {}):
        vals = [r["parameters"][path] for r in rows]
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in vals):
            out[path] = _floats(vals)
    return out


def varied_text(spec: Any, lang: str) -> str:
    """How a parameter is varied, in words: its values ('0.5, 0.766, 1') or its range ('from
    0.3 to 1'); anything else as written."""
    if isinstance(spec, dict) and isinstance(spec.get("values"), list):
        return ", ".join(_value(v, lang) for v in spec["values"])
    if isinstance(spec, dict) and {"low", "high"} <= set(spec):
        return t("sw_from_to", lang, low=_value(spec["low"], lang),
                 high=_value(spec["high"], lang))
    return str(spec)


def lang_of(sw: Sweep) -> str:
    """The report's language: the base params' (English for sweeps of earlier versions)."""
    return sw.summary.get("language", "en")


def header(sw: Sweep) -> Fragment:
    s, lang = sw.summary, lang_of(sw)
    rows = [[t(k, lang), v] for k, v in (
        ("sw_method", TEXT[lang].get(f"sw_design_{s['design']['method']}",
                                     s["design"]["method"])),
        ("sw_scenarios", number(s["n_scenarios"], lang)),
        ("sw_failed_n", number(s["n_failed"], lang)),
        ("sw_draws", number(s["n_draws"], lang)), ("sw_seed", s["seed"]),
        ("sw_interval", percent(s["interval"], lang)))]
    params = [[Markup("{} ({})").format(param_label(k, lang), code(k)), varied_text(v, lang)]
              for k, v in s["parameters"].items()]
    varied = (html_table([t("sw_parameter", lang), t("sw_varied_as", lang)], params,
                         numeric_from=99) if params else "")
    return Fragment(Markup('<header><h1>{}</h1><p class="subtitle">{}</p></header>'
                           '<section id="design"><h2>{}</h2>{}{}</section>').format(
        s["title"], t("sw_subtitle", lang), t("sw_design", lang),
        html_table([t("item", lang), t("sw_value", lang)], rows, numeric_from=99,
                   label=t("sw_design", lang)), varied))


def _series(sw: Sweep) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]:
    """(label, median, low, high) per output (per period for period outputs)."""
    out = []
    rows = sw.summary["scenarios"]
    for name, summary in sw.summary["outputs"].items():
        label = t(f"sw_{name}", lang_of(sw))
        per_period = "min_median" not in summary  # {period: range} for period outputs
        for p in (summary if per_period else [None]):
            stats = [r["outputs"][name][p] if per_period else r["outputs"][name] for r in rows]
            out.append((f"{label}, {p}" if per_period else label,
                        *(_floats([x[k] for x in stats]) for k in ("median", "low", "high"))))
    return out


COLORS = [BLUE, ORANGE, GREY, "#2e7d32", "#6a1b9a", "#00838f", "#ad1457"]


@styled
def small_multiples(values: np.ndarray, name: str, series, lang: str = "en", ax=None):
    """One small panel per output against one parameter, each on its own axis in the page's
    number format (a buyer-group total in thousands of tonnes no longer sits flat at 0 beside
    monitor totals in millions): the median as points (a sample) or a line with its band
    (a one-parameter grid). Returns the first panel (its figure holds them all)."""
    from matplotlib.figure import Figure

    cols = 2 if len(series) > 1 else 1
    rows = -(-len(series) // cols)
    fig = Figure(figsize=(7.5, 1.9 * rows + 0.4), layout=GridFitLayoutEngine())
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False).ravel())
    order = np.argsort(values, kind="stable")
    line = np.unique(values).size == values.size
    for k, panel in enumerate(axes):
        if k >= len(series):
            panel.set_visible(False)
            continue
        label, med, lo, hi = series[k]
        if line:
            panel.plot(values[order], med[order], "o-", color=BLUE, ms=3, lw=1)
            panel.fill_between(values[order], lo[order], hi[order], color=BLUE, alpha=0.15,
                               lw=0)
        else:
            panel.plot(values, med, ".", color=BLUE, ms=4, alpha=0.8)
        panel.set_title(label, fontsize=8)
        panel.tick_params(labelsize=7)
        panel.spines[["top", "right"]].set_visible(False)
        localise(panel, lang, "x")
        localise(panel, lang, "y")
        if k >= len(series) - cols:
            panel.set_xlabel(name, fontsize=8)
    fig.supylabel(t("sw_median_band" if line else "sw_median_axis", lang), fontsize=8)
    return axes[0]


@styled
def grid_lines_chart(values: np.ndarray, name: str, others: dict[str, np.ndarray],
                     label: str, med, lo, hi, lang: str = "en", ax=None):
    """On a grid: one output against one parameter, a line (with band) per combination of
    the other parameters' values."""
    if ax is None:
        ax = new_axes((7.5, 3.6))
    keys = list(zip(*others.values(), strict=True)) if others else [()] * values.size
    for k, combo in enumerate(dict.fromkeys(keys)):
        idx = np.array([i for i, c in enumerate(keys) if c == combo])
        idx = idx[np.argsort(values[idx], kind="stable")]
        c = COLORS[k % len(COLORS)]
        text = ", ".join(f"{param_label(n, lang)} = {_value(float(v), lang)}"
                         for n, v in zip(others, combo, strict=True))
        ax.plot(values[idx], med[idx], "o-", color=c, ms=3, lw=1, label=text or label)
        ax.fill_between(values[idx], lo[idx], hi[idx], color=c, alpha=0.12, lw=0)
    ax.set_xlabel(name)
    ax.set_ylabel(t("sw_median_band", lang))
    ax.set_title(label, fontsize=9)
    ax.legend(fontsize=7, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    localise(ax, lang, "x")
    return localise(ax, lang, "y")


@styled
def heatmap(x: np.ndarray, y: np.ndarray, z: np.ndarray, xname: str, yname: str, label: str,
            lang: str = "en", ax=None, steps: np.ndarray | None = None):
    """Median of one output on a two-parameter grid, each cell labelled at its scenario's
    step (``steps``, as the table shows it: :func:`figure_step`)."""
    if ax is None:
        ax = new_axes((7.5, 4.2))
    xs, ys = np.unique(x), np.unique(y)
    grid = np.full((ys.size, xs.size), np.nan)
    for xi, yi, zi in zip(x, y, z, strict=True):
        grid[np.searchsorted(ys, yi), np.searchsorted(xs, xi)] = zi
    im = ax.imshow(grid, origin="lower", aspect="auto", cmap="viridis")
    top = np.nanmax(grid) if np.isfinite(grid).any() else 0
    step = np.full(grid.shape, 1.0)
    if steps is not None:
        for xi, yi, si in zip(x, y, steps, strict=True):
            step[np.searchsorted(ys, yi), np.searchsorted(xs, xi)] = si
    for (i, j), v in np.ndenumerate(grid):
        if np.isfinite(v):
            ax.text(j, i, shown(v, step[i, j], lang), ha="center", va="center", fontsize=7,
                    color="black" if v > 0.6 * top else "white")
    ax.set_xticks(range(xs.size), [_value(float(v), lang) for v in xs])
    ax.set_yticks(range(ys.size), [_value(float(v), lang) for v in ys])
    ax.set_xlabel(xname)
    ax.set_ylabel(yname)
    bar = ax.figure.colorbar(im, ax=ax, label=t("sw_median_axis", lang))
    localise(bar.ax, lang, "y")
    ax.set_title(label, fontsize=9)
    return ax


def outputs(sw: Sweep) -> Fragment:
    """Every output (each period of a period output) across the sweep, with its interval:
    on a grid of several parameters, a chart per output against the first parameter (a line
    per combination of the others) and a labelled heatmap of the first output for two
    parameters; otherwise one chart per parameter with every output. Then a table of every
    scenario: parameter values and each output's median and interval, the scenario linked to
    its briefing where one was rendered."""
    lang = lang_of(sw)
    coords = parameter_values(sw)
    series = _series(sw)
    grid = sw.summary["design"]["method"] == "grid"
    level = percent(sw.summary["interval"], lang)
    parts = []
    if grid and len(coords) > 1:
        (name, values), others = next(iter(coords.items())), dict(list(coords.items())[1:])
        for k, (label, med, lo, hi) in enumerate(series):
            ax = grid_lines_chart(values, param_label(name, lang), others, label, med, lo,
                                  hi, lang)
            parts.append(figure(ax, f"sweep-{k}", t("cap_sw_against", lang, level=level,
                                                    name=param_label(name, lang)),
                                t("sw_against_alt", lang, name=param_label(name, lang))))
    else:
        for i, (name, values) in enumerate(coords.items()):
            ax = small_multiples(values, param_label(name, lang), series, lang)
            parts.append(figure(ax, f"sweep-{i}", t("cap_sw_small", lang, level=level,
                                                    name=param_label(name, lang)),
                                t("sw_against_alt", lang, name=param_label(name, lang))))
    if grid and len(coords) == 2:
        (xn, xv), (yn, yv) = coords.items()
        label, med, lo, hi = series[0]
        steps = np.array([figure_step(m, a, b) for m, a, b in zip(med, lo, hi, strict=True)])
        ax = heatmap(xv, yv, med, param_label(xn, lang), param_label(yn, lang), label, lang,
                     steps=steps)
        parts.append(figure(ax, "sweep-heat", t("cap_sw_heat", lang, label=label),
                            t("sw_heat_alt", lang, label=label, x=param_label(xn, lang),
                              y=param_label(yn, lang))))
    briefings = set(sw.summary.get("scenario_briefings", []))
    rows = []
    for i, sid in enumerate(r["scenario"] for r in sw.summary["scenarios"]):
        first = (Markup('<a href="scenarios/{0}/index.html">{0}</a>').format(int(sid))
                 if int(sid) in briefings else int(sid))
        cells = [first] + [_value(float(v[i]), lang) for v in coords.values()]
        cells += [_figure(med[i], lo[i], hi[i], lang) for _, med, lo, hi in series]
        rows.append(cells)
    head = [t("sw_scenario", lang), *(param_label(c, lang) for c in coords),
            *[t("sw_median_range_of", lang, label=s[0], level=level) for s in series]]
    caption = t("sw_n_scenarios", lang, n=number(len(rows), lang)) + (
        t("sw_first", lang, n=200) if len(rows) > 200 else "")
    if briefings:
        caption += t("sw_linked", lang)
    table = html_table(head, rows[:200], caption=caption, label=t("sw_outputs", lang))
    return section("outputs", t("sw_outputs", lang), *parts, table)


@styled
def sobol_chart(records: list[dict], label: str, lang: str = "en", ax=None):
    """S1 and ST with their confidence intervals per parameter."""
    if ax is None:
        ax = new_axes((7.5, 0.5 * len(records) + 1.5))
    y = np.arange(len(records))
    for off, key, c in ((-0.18, "S1", BLUE), (0.18, "ST", ORANGE)):
        ax.barh(y + off, [r[key] for r in records], height=0.34, color=c, label=key,
                xerr=[min(r[f"{key}_conf"], 1.0) for r in records],  # clipped, as the table
                error_kw={"lw": 1, "capsize": 3})
    ax.set_yticks(y, [param_label(r["parameter"], lang) for r in records], fontsize=8)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel(t("sw_sobol_axis", lang))
    ax.set_title(label, fontsize=9)
    ax.legend(fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def sobol(sw: Sweep) -> Fragment:
    """Sobol S1/ST with confidence intervals and warnings (Sobol designs only)."""
    res, lang = sw.summary.get("sobol"), lang_of(sw)
    title = t("sw_sobol", lang)
    if not res:
        return section("sobol", title, para(sentence("sw_not_sobol", lang)))
    parts = [para(t("sw_sobol_intro", lang, level=percent(res["conf_level"], lang)))]
    level = percent(res["conf_level"], lang)
    for i, (key, r) in enumerate(res["outputs"].items()):
        label = output_label(key, lang)
        if "error" in r:
            parts.append(para(f"{label}: {r['error']}", "warning", alert=True))
            continue
        recs = r["indices"]
        parts.append(figure(sobol_chart(recs, label, lang), f"sobol-{i}",
                            t("cap_sobol", lang, label=label, level=level),
                            t("sw_sobol_alt", lang, label=label)))
        # a half-width beyond 1 says only that the index is unknown: shown clipped to 1
        rows = [[param_label(x["parameter"], lang),
                 f"{number(x['S1'], lang, 3)} ± {number(min(x['S1_conf'], 1.0), lang, 3)}",
                 f"{number(x['ST'], lang, 3)} ± {number(min(x['ST_conf'], 1.0), lang, 3)}",
                 _flags(x, lang)]
                for x in recs]
        parts.append(html_table([t("sw_parameter", lang), "S1", "ST", t("sw_warning", lang)],
                                rows, caption=label))
        if r.get("noise_floor"):
            parts.append(para(t("sw_noise_floor", lang,
                                st=number(r["noise_floor"]["ST"], lang, 3),
                                s1=number(r["noise_floor"]["S1"], lang, 3))))
        if r.get("advise_n"):
            parts.append(para(t("sw_advice", lang, wide=number(r["widest_interval"], lang, 2),
                                n=number(sw.summary["design"]["n"], lang),
                                n4=number(r["advise_n"], lang)), "warning"))
    return section("sobol", title, *parts)


def figure_step(med: float, lo: float, hi: float) -> float:
    """The step a scenario's figure is shown at: three significant figures of its largest
    (the table's and the heat-map's one value)."""
    return step_of({"median": _finite(med), "low": _finite(lo), "high": _finite(hi)})


def _figure(med: float, lo: float, hi: float, lang: str) -> str:
    """'median (low – high)' at :func:`figure_step`."""
    step = figure_step(med, lo, hi)
    return f"{shown(_finite(med), step, lang)} ({shown(_finite(lo), step, lang)} – " \
           f"{shown(_finite(hi), step, lang)})"


def _finite(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def _flags(index: dict, lang: str):
    """An index's flags in the page's language (SALib's own warning when it has none)."""
    text = "; ".join(t("sw_flag_" + f, lang) for f in index.get("flags", []))
    text = text or index.get("warning", "")
    return tagged("warning", text) if text else ""


def failed(sw: Sweep) -> Fragment:
    """The scenarios that failed, with their reasons."""
    lang = lang_of(sw)
    rows = [[f["scenario"], f["reason"]] for f in sw.summary["failed"]]
    body = (html_table([t("sw_scenario", lang), t("sw_reason", lang)], rows, numeric_from=99)
            if rows else para(t("sw_none_failed", lang)))
    return section("failed", t("sw_failed", lang), body)


def prov_label(key: str, lang: str) -> str:
    """A provenance key in words, from the catalogue (the briefing's where it has one)."""
    for k in (f"sw_prov_{key}", key):
        if k in TEXT[lang]:
            return t(k, lang)
    return key


def provenance(sw: Sweep) -> Fragment:
    pv = sw.summary["provenance"]
    lang = lang_of(sw)
    rows = [[prov_label(k, lang), code(v)] for k, v in pv.items()
            if not isinstance(v, dict) and k != "git"]
    if "git" in pv:
        rows.append([t("git", lang), git_text(pv["git"], lang)])
    rows += [[k, code(v)] for k, v in pv.get("inputs", {}).items()]
    return Fragment(Markup('<section id="provenance"><h2>{}</h2>{}</section>').format(
        t("provenance", lang),
        html_table([t("item", lang), t("sw_value", lang)], rows, numeric_from=99,
                   label=t("provenance", lang))))
