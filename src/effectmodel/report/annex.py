"""The annex pages' sections: detail tables per model and the statsmodels summaries.

Same rules as :mod:`effectmodel.report.briefing`: escaped labels, inline SVG, no dates.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from markupsafe import Markup

from effectmodel.domain.columns import CRITERION_CLASSES
from effectmodel.domain.parts import holds
from effectmodel.report.briefing import product_group_figure
from effectmodel.report.formatting import (
    coverage_note,
    display_name,
    driver_frame,
    driver_labels,
    median,
    pg_median,
    pg_span,
    share,
    span,
    unbounded_note,
    zero_effect_note,
    zero_rows_note,
)
from effectmodel.report.html import Fragment, html_table, para, scroll_region, section
from effectmodel.report.i18n import in_dutch, t, unit_text
from effectmodel.report.numformat import exact, exact_decimals, number, percent, shown, step_of

if TYPE_CHECKING:  # a type only: the model never reads files
    pass

PAGES = {"buyer_groups": "annex-buyer-groups.html", "monitor": "annex-monitor.html"}


def header(summary: dict, which: str) -> Fragment:
    """Title of an annex page and the way back to the briefing."""
    lang = summary["language"]
    title = t("annex_bg" if which == "buyer_groups" else "annex_mon", lang)
    return Fragment(Markup('<header><h1>{}</h1><p class="subtitle">{}</p><nav>'
                           '<a href="index.html">{}</a></nav></header>').format(
        title, summary["title"], t("back", lang)))


def nav(summary: dict) -> Fragment:
    """Links from the briefing to the annex pages of the parts run, and to the tables."""
    lang = summary["language"]
    pages = [(PAGES[p], label) for p, label in (("buyer_groups", "annex_bg"),
                                                 ("monitor", "annex_mon")) if holds(summary, p)]
    pages.append(("tables.xlsx", "tables_link"))  # tables.xlsx: written beside the page
    links = Markup(" · ").join(Markup('<a href="{}">{}</a>').format(href, t(label, lang))
                               for href, label in pages)
    return Fragment(Markup('<nav aria-label="{}"><p>{}</p></nav>').format(t("annexes", lang),
                                                                          links))


def buyer_group_tenders(summary: dict) -> Fragment:
    """Every buyer-group tender: inputs (mode and range), as planned and risk-adjusted."""
    lang = summary["language"]
    level = percent(summary["interval"], lang)
    groups = {g["id"]: g for g in summary["buyer_groups"]["groups"]}
    rows = []
    for r in summary["buyer_groups"]["tenders"]:
        s = r["total_t"]
        g = groups[r["buyer_group"]]

        def rng(prefix, dec=2, r=r):
            return used_and_data(r, prefix, lang, dec)

        rows.append([
            f"{r['description']} ({r['id']})",
            display_name(g, lang),
            f"{rng('quantity', 0)} {r['quantity_unit']}",
            rng("emission_factor", 3), rng("reduction_fraction"),
            used_and_data(r, "award_probability", lang, 2), rng("additionality"),
            number(r["as_planned_t"], lang),
            f"{median(s, lang)} ({span(s, lang)})",
        ])
    # the tender's id beside its description and the unit beside its quantity: a table that
    # fits its column at 1280 px and on A4
    header_ = [t("tender", lang), t("group", lang), t("var_quantity", lang),
               t("var_emission_factor", lang) + " " + t("t_per_unit", lang),
               t("var_reduction_fraction", lang), t("award_p", lang),
               t("var_additionality", lang), t("as_planned", lang),
               t("median", lang) + f" ({t('range', lang, level=level)})"]
    table = html_table(header_, rows, caption=t("mode_caption", lang), numeric_from=2,
                       css_class="dense")
    return section("tenders", t("tenders", lang), table)


def used_and_data(row: dict, name: str, lang: str, decimals: int) -> str:
    """A tender input as the run used it: 'mode (low–high)', '0 or 1 (P(1) = p)' for a
    Bernoulli input, or the award probability; with
    what the data said when a setting replaced it: '0.60 (data: 0.80)'."""
    def fmt(values: dict) -> str:
        if name == "award_probability":
            return number(values[name], lang, decimals)
        if values.get(f"{name}_dist") == "bernoulli":
            return t("bernoulli_p", lang, p=number(values[f"{name}_mode"], lang, decimals))
        triple = [values[f"{name}_{k}"] for k in ("mode", "low", "high")]
        d = min(decimals, exact_decimals(triple))  # 1.6, not 1.600: no reader mistakes a
        mode, low, high = (number(x, lang, d) for x in triple)  # Dutch decimal for 1,600
        return f"{mode} ({low} – {high})"

    used = fmt(row)
    data = {**row, **row.get("data_values", {})}
    said = fmt(data)
    return used if said == used else f"{used}; {t('data_said', lang, x=said)}"


def drivers_table(summary: dict, n: int = 20) -> Fragment:
    """The ``n`` largest rank correlations with the buyer-group total."""
    lang = summary["language"]
    df = driver_labels(driver_frame(summary["drivers"]["buyer_groups"]), lang).head(n)
    rows = [[r.input, number(r.rho, lang, 3)] for r in df.itertuples()]
    table = html_table([t("input_col", lang), t("rho", lang)], rows)
    return section("drivers-table", t("drivers_table", lang), table)


def monitor_periods(summary: dict) -> Fragment:
    """Per period: the product-group chart and a table with counts, Wilson intervals, frame
    totals, central and Monte Carlo figures."""
    lang = summary["language"]
    level = percent(summary["interval"], lang)
    parts = []
    for i, p in enumerate(summary["effect_monitor"]["periods"]):
        fig = product_group_figure(p, lang, level, f"annex-pg-{i}")
        sample, effect = [], []
        for r in p["product_groups"]:
            s = r["reduction_t"]
            c = r["criteria"]
            plain = display_name(r, lang)
            name = plain + (" †" if r.get("upper_95_t") is not None else "")  # its range
            sample.append([plain, str(r["n_sampled"]), str(r["n_with_effect"]),
                           share(r["share_with_effect"], lang),
                           *(str(c[k]) for k in CRITERION_CLASSES)])
            effect.append([name, number(r["frame_total_eur"], lang),
                           exact(r["central_t"], lang), pg_median(r, lang),
                           pg_span(r, lang), shown(r.get("design_se_t"), step_of(s), lang),
                           number(r["self_check_coverage"], lang, 2)
                           if r.get("self_check_coverage") is not None else "–",
                           number(s["mc_error"], lang, 0)])
        # two tables, each fitting a page's column: the sample and its criteria, then the
        # effect extrapolated to all spend with its errors
        period = t("period_section", lang, period=p["period"])
        table = html_table([t("product_group", lang), t("sampled", lang), t("with_effect", lang),
                            t("share_wilson", lang, level=level),
                            *(t(f"cls_{k}", lang) for k in CRITERION_CLASSES)], sample,
                           caption=t("annex_sample_caption", lang),
                           label=f"{period}: {t('annex_sample_caption', lang)}")
        table += html_table([t("product_group", lang), t("frame_total", lang),
                             t("central_col", lang), t("median", lang),
                             t("range", lang, level=level), t("design_se", lang),
                             t("self_check", lang), t("se", lang)], effect,
                            caption="t CO2-eq", label=f"{period}: t CO2-eq")
        notes = [para(n) for n in (zero_effect_note(p["product_groups"], lang),
                                   zero_rows_note(p["product_groups"], "reduction_t", lang),
                                   coverage_note(p["product_groups"], summary["interval"],
                                                 lang),
                                   unbounded_note(p["product_groups"], lang)) if n]
        parts.append(section(f"period-{p['period']}",
                             t("period_section", lang, period=p["period"]), fig, table, *notes))
    return Fragment(Markup("").join(parts))


def indicator_tables(summary: dict) -> Fragment:
    """Per other indicator: each product group's median and range per period."""
    lang = summary["language"]
    level = percent(summary["interval"], lang)
    inds = summary["effect_monitor"].get("indicators") or []
    if not inds:
        return Fragment(Markup(""))
    tables = []
    for ind in inds:
        periods = ind["periods"]
        # the product groups the indicator reaches (a factor for it) in some period
        groups = list(dict.fromkeys(r["id"] for p in periods for r in p["product_groups"]
                                    if r["reduction"]["high"] or r["central"]))
        rows = []
        for g in groups:
            cells, name = [], g
            for p in periods:
                r = next((r for r in p["product_groups"] if r["id"] == g), None)
                if r is None:
                    cells.append("–")
                    continue
                name = display_name(r, lang)
                s = r["reduction"]
                cells.append(f"{median(s, lang)} ({span(s, lang)})")
            rows.append([name, *cells])
        tables.append(html_table([t("product_group", lang), *(p["period"] for p in periods)],
                                 rows, caption=t("ind_annex_caption", lang,
                                                 indicator=t(f"ind_{ind['id']}", lang),
                                                 unit=unit_text(ind["unit"], lang), level=level)))
    return section("indicators-annex", t("ind_annex", lang), *tables)


def model_summaries(summary: dict) -> Fragment:
    """The statsmodels summaries of the two trend models, as the summary holds them."""
    lang = summary["language"]
    trend = summary["effect_monitor"]["trend"]
    parts = []
    for key, part in (("adoption_model", "adoption"), ("totals_model", "totals")):
        body = trend[part].get("summary_html")
        if body is None:
            continue
        # statsmodels' own table, made in the model layer (dates emptied); its empty header
        # cells, padding only, become plain cells
        body = re.sub(r"<th>\s*</th>", "<td></td>", body)
        # statsmodels' notes are sentences to the reader: in the page's language (its
        # tables' labels stay statsmodels')
        body = in_dutch(body, "statsmodels", lang, whole_words=False)
        parts.append(Markup('<h3>{}</h3>{}{}</div>').format(
            t(key, lang), scroll_region(t(key, lang), "wide statsmodels"), Markup(body)))
    if not parts:  # no model fitted (one period): no empty heading
        return Fragment(Markup(""))
    return section("models", t("model_summaries", lang), *parts)
