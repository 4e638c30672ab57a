"""The briefing's sections as HTML fragments, for the notebooks to display.

HTML is built with the helpers of :mod:`effectmodel.report.html` (MarkupSafe: text escaped
by default); texts come from :mod:`effectmodel.report.i18n`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from markupsafe import Markup

from effectmodel.domain.columns import AMBITION_LEVELS, CRITERION_CLASSES, CRITERION_TYPES
from effectmodel.domain.paramschema import FEW_BATCHES, MONITOR_UNCLEAR
from effectmodel.report import plotting
from effectmodel.report.formatting import (
    basis_text,
    bg_heading,
    calibrated,
    coverage_note,
    display_name,
    driver_frame,
    driver_labels,
    git_text,
    in_words,
    interval_text,
    latest_period,
    median,
    model_over_rivm,
    on_zero,
    pg_median,
    pg_span,
    share,
    sig2_step,
    span,
    subtitle,
    summary_batches,
    unbounded_note,
    unclear_bg,
    unclear_monitor,
    zero_clause,
    zero_effect_note,
    zero_mark,
    zero_rows_note,
    zero_share,
)
from effectmodel.report.html import (
    Fragment,
    code,
    figure,
    html_table,
    linkify,
    para,
    section,
    sentence,
    tagged,
)
from effectmodel.report.i18n import TEXT, t, unit_text
from effectmodel.report.numformat import (
    exact,
    exact_decimals,
    number,
    percent,
    share_of_draws,
    shown,
    step_of,
    tonnes,
)
from effectmodel.report.settings import overrides_note

#: what a section of a part the project does not hold shows
NOTHING = Fragment(Markup(""))


def header(summary: dict) -> Fragment:
    """Title, subtitle and the reading notes: the units, then what the params' ``notes``
    say about the data in the page's language (nothing when they say nothing)."""
    lang = summary["language"]
    notes = (summary.get("notes") or {}).get(lang)
    note = t("units_note", lang) + (f" {notes}" if notes else "")
    return Fragment(Markup('<header><h1>{}</h1><p class="subtitle">{}</p><p class="note">{}'
                           "</p></header>").format(summary["title"], subtitle(summary), note))


def headline(summary: dict) -> Fragment:
    """The first screen: per part one sentence (its one figure and range), then the table of
    the headline figures, and a note beside rows whose range starts on a mass at 0."""
    lang = summary["language"]
    level = interval_text(summary, lang)
    words: list[Markup] = []
    rows: list[list] = []
    zeros: list[str] = []
    how = [t(k, lang) for k, part in (("central_bg", "buyer_groups"),
                                      ("central_mon", "effect_monitor")) if part in summary]
    caption = t("headline_caption", lang, how="; ".join(how))
    if any(p["published_bound"] == "at least"
           for p in summary.get("effect_monitor", {}).get("periods", [])):
        caption += t("headline_bound", lang)
    if "buyer_groups" in summary:
        bg, s = summary["buyer_groups"], summary["buyer_groups"]["total_t"]
        words.append(_bg_headline(summary, level))
        hh = bg["household_factor"]
        published = hh.get("households_published")
        rows += [[t("bg_total", lang), exact(bg["as_planned_t"], lang), "–", median(s, lang),
                  span(s, lang) + zero_mark(s)],
                 [t("bg_households", lang), exact(bg["households_as_planned"], lang),
                  exact(published, lang) if published else "–",
                  median(bg["households"], lang),
                  span(bg["households"], lang) + zero_mark(bg["households"])]]
        caption += t("headline_households", lang, factor=number(hh["t_per_household"], lang, 2),
                     basis=basis_text(hh, lang), publication=hh["publication"])
        if on_zero(s):
            zeros.append(t("headline_zero", lang, share=zero_share(s["at_zero"], lang),
                           why=t("zero_why_bg", lang)))
    if "effect_monitor" in summary:
        words.append(_monitor_headline(summary, level))
        for p in summary["effect_monitor"]["periods"]:
            pub = exact(p["published_t"], lang) if p["published_t"] is not None else "–"
            if p["published_bound"] == "at least":
                pub = "≥ " + pub
            rows.append([t("period_total", lang, period=p["period"]),
                         exact(p["central_t"], lang), pub, median(p["total_t"], lang),
                         span(p["total_t"], lang) + zero_mark(p["total_t"])])
            if on_zero(p["total_t"]):
                zeros.append(t("headline_zero", lang, why="",
                               share=zero_share(p["total_t"]["at_zero"], lang)))
    table = html_table([t("quantity", lang), t("central_rivm", lang), t("rivm_published", lang),
                        t("median", lang), t("range", lang, level=level)], rows,
                       caption=caption)
    return section("headline", t("headline", lang), *(para(w) for w in words),
                   overrides_note(summary), table,
                   *(para(z) for z in dict.fromkeys(zeros)))


def _bg_headline(summary: dict, level: str) -> Markup:
    """The buyer groups' headline sentence: the risk-adjusted total and its range."""
    lang = summary["language"]
    bg = summary["buyer_groups"]
    s = bg["total_t"]
    w = in_words(s, lang)
    started = (summary.get("params", {}).get("buyer_groups") or {}).get("started")
    return sentence("bg_sentence", lang, nq=bg["n_quantified"], n=bg["n_groups"],
                    started=t("bg_sentence_started", lang, started=started) if started else "",
                    median=w["median"], level=level, low=w["low"], high=w["high"],
                    zero=zero_clause(s, lang))


def _bg_details(summary: dict) -> list[Markup]:
    """Under the buyer groups' table: the figure as planned in households, the chance of
    reaching the plan, and what a group's range or median at 0 means where one is."""
    lang = summary["language"]
    bg = summary["buyer_groups"]
    hf = bg["household_factor"]
    words = [sentence("bg_planned", lang, planned=tonnes(bg["as_planned_t"], lang, exact=True),
                      hh=number(round(bg["households_as_planned"], -2), lang),
                      factor=number(hf["t_per_household"], lang, 2),
                      basis=basis_text(hf, lang), publication=hf["publication"]),
             sentence("bg_reach", lang,
                      p=share_of_draws(1 - bg.get("probability_below_as_planned", 0.0),
                                       summary["n_draws"], lang))]
    if any(g["total_t"] and g["total_t"]["low"] == 0 for g in bg["groups"]):
        words.append(sentence("bg_zero_low", lang, tail=percent((1 - summary["interval"]) / 2,
                                                                lang)))
    if any(g["total_t"] and g["total_t"]["median"] == 0 for g in bg["groups"]):
        words.append(sentence("bg_zero_median", lang))
    return words


def _monitor_headline(summary: dict, level: str) -> Markup:
    """The monitor's headline sentence: the headline period's total and its range."""
    lang = summary["language"]
    p = latest_period(summary)
    w = in_words(p["total_t"], lang)
    return sentence("mon_sentence", lang, median=w["median"], period=p["period"], level=level,
                    low=w["low"], high=w["high"],
                    zero=zero_clause(p["total_t"], lang))


def _monitor_details(summary: dict, level: str) -> list[Markup]:
    """Under the monitor's heading: RIVM's figure of the headline period, the calibration
    where there is one, and the figure per year of the contracts with its households."""
    lang = summary["language"]
    p = latest_period(summary)
    words = []
    if p["published_t"] is not None:
        bound = t(p["published_bound"], lang) if p["published_bound"] in ("at least", "point") \
            else ""
        unit = (" " + p["published_unit_label"]) if p.get("published_unit_label") else ""
        words.append(sentence("mon_published", lang, bound=bound, unit=unit,
                              period=p["period"],
                              published=tonnes(p["published_t"], lang, exact=True)))
    if calibrated(p):
        words.append(sentence("mon_calibrated", lang))
    y = p.get("total_t_per_year")
    if y:
        hf = p.get("household_factor_detail") or {}
        w = in_words(y, lang)
        words.append(sentence("mon_per_year", lang, median=w["median"], level=level,
                              low=w["low"], high=w["high"],
                              hh=median(p["households_per_year"], lang),
                              factor=number(hf.get("t_per_household"), lang, 1),
                              basis=basis_text(hf, lang),
                              publication=hf.get("publication", "")))
    else:
        words.append(sentence("mon_no_years", lang))
    return words


def buyer_groups(summary: dict) -> Fragment:
    """Chart and table per buyer group; groups not quantified shown as such."""
    if "buyer_groups" not in summary:  # a part this project does not hold
        return NOTHING
    lang = summary["language"]
    bg = summary["buyer_groups"]
    level = interval_text(summary, lang)
    fig = figure(plotting.buyer_groups(bg, lang), "bg",
                 t("cap_bg", lang, level=level, n=number(summary["n_draws"], lang)),
                 t("bg_chart_alt", lang))
    rows = []
    for g in bg["groups"]:
        if g["quantified"]:
            s = g["total_t"]
            rows.append([display_name(g, lang), number(g["as_planned_t"], lang),
                         median(s, lang), span(s, lang)])
        else:
            reason = (t("not_quantified", lang) + ": "
                         + (g[f"reason_not_quantified_{lang}"] or ""))
            rows.append([display_name(g, lang), tagged("nq", reason), "", ""])
    table = html_table([t("group", lang), t("as_planned", lang), t("median", lang),
                    t("range", lang, level=level)], rows, caption="t CO2-eq")
    return section("buyer-groups", bg_heading(summary), fig, table,
                   *(para(w) for w in _bg_details(summary)), *risk_readings(summary))


def risk_readings(summary: dict) -> list:
    """How the run read the buyer groups' risks (``buyer_groups.risk``), and the panel of the
    headline under each other reading (``buyer_groups.risk_readings``)."""
    lang, bg = summary["language"], summary["buyer_groups"]
    risk, level = bg.get("risk"), interval_text(summary, lang)
    if not risk:
        return []
    if risk["evidence"] == "counts":
        c, r = risk["counts"], risk["rates"]
        words = para(t("risk_read_counts", lang, nb=number(c["not_beyond_market_standard"], lang),
                       nc=number(c["not_in_contract"], lang), u=number(c["unclear"], lang),
                       total=number(c["total_mode"], lang),
                       total_low=number(c["total_low"], lang),
                       total_high=number(c["total_high"], lang),
                       rule=t(f"rule_{risk['unclear']}", lang), level=level,
                       add=number(r["additionality"]["mean"], lang, 2),
                       add_lo=number(r["additionality"]["low"], lang, 2),
                       add_hi=number(r["additionality"]["high"], lang, 2),
                       award=number(r["award"]["mean"], lang, 2),
                       award_lo=number(r["award"]["low"], lang, 2),
                       award_hi=number(r["award"]["high"], lang, 2)))
    else:
        words = para(t("risk_read_table", lang))
    rows = [[t("reading_as_run", lang), median(bg["total_t"], lang), span(bg["total_t"], lang)]]
    for row in bg.get("risk_readings", {}).get("rows", []):
        rid = row["id"]
        kind, _, value = rid.partition("_")
        label = (t(f"reading_{kind}", lang, n=number(float(value), lang,
                                                    exact_decimals([float(value)])))
                 if kind in ("total", "weight") else t(f"reading_{rid}", lang))
        rows.append([label, median(row, lang), span(row, lang)])
    table = html_table([t("reading", lang), t("median", lang), t("range", lang, level=level)],
                       rows, caption=t("readings_caption", lang))
    low = unclear_bg(summary, lang)
    return [words, table, *([para(low)] if low else [])]


def product_group_figure(period: dict, lang: str, level: str, salt: str) -> Fragment:
    """One period's product groups as a figure (median and range of each), with its caption
    and alt text; ``salt``: unique per figure on the page."""
    return figure(plotting.product_groups(period, lang), salt,
                  t("cap_pg", lang, level=level, period=period["period"]),
                  t("pg_chart_alt", lang, period=period["period"]))


def monitor(summary: dict) -> Fragment:
    """Totals per period beside RIVM's figures, and the latest period's product groups."""
    if "effect_monitor" not in summary:  # a part this project does not hold
        return NOTHING
    lang = summary["language"]
    mon = summary["effect_monitor"]
    level = interval_text(summary, lang)
    p = latest_period(summary)
    f1 = figure(plotting.periods(mon, lang), "periods", periods_caption(mon, lang, level),
                t("periods_chart_alt", lang))
    f2 = product_group_figure(p, lang, level, "pg")
    rows = []
    for r in p["product_groups"]:
        mark = " †" if r.get("upper_95_t") is not None else ""
        rows.append([display_name(r, lang) + mark, str(r["n_sampled"]),
                     str(r["n_with_effect"]), share(r["share_with_effect"], lang),
                     pg_median(r, lang), pg_span(r, lang)])
    table = html_table([t("product_group", lang), t("sampled", lang), t("with_effect", lang),
                    t("share_wilson", lang, level=level), t("median", lang),
                    t("range", lang, level=level)], rows,
                   caption=f"{p['period']}, t CO2-eq")
    notes = [para(n) for n in (zero_effect_note(p["product_groups"], lang),
                               zero_rows_note(p["product_groups"], "reduction_t", lang),
                               coverage_note(p["product_groups"], summary["interval"], lang),
                               unbounded_note(p["product_groups"], lang))
             if n]
    return section("monitor", t("monitor", lang), *(para(w) for w in _monitor_details(
        summary, level)), f1, f2, table, *notes,
                   para(resampling_note(summary)))


def resampling_note(summary: dict) -> str:
    """Which estimator draws the sample's uncertainty, and the strata of one sampled tender
    (no sampling variance), in the page's language."""
    lang = summary["language"]
    r = summary["effect_monitor"].get("resampling") or {"method": "bayesian"}
    note = t(f"resampling_{r['method']}", lang)
    if r.get("interval") and r["method"] != "none":
        note += t(f"interval_{r['interval']}", lang)
    if r.get("single_tender_strata") and r["method"] != "none":
        note += t("resampling_single", lang, strata=", ".join(r["single_tender_strata"]))
    return note


def criteria(summary: dict) -> Fragment:
    """How the sampled tenders' criteria were scored per period, what the counted ones add up
    to (central estimates) with the unclear ones counted as none, by their probability or
    all, and the central effect by ambition level and by criterion type."""
    if "effect_monitor" not in summary:  # a part this project does not hold
        return NOTHING
    lang = summary["language"]
    periods = summary["effect_monitor"]["periods"]
    option = MONITOR_UNCLEAR[summary["params"]["unclear"]]
    classes = CRITERION_CLASSES
    rows = []
    for p in periods:
        by = p["central_by_unclear_t"]
        rows.append([p["period"], *(number(p["criteria"][c], lang) for c in classes),
                     *(exact(by[k], lang) for k in ("none", "expected", "all"))])
    scored = html_table([t("period", lang), *(t(f"cls_{c}", lang) for c in classes),
                         t("unclear_none", lang), t("unclear_expected", lang),
                         t("unclear_all", lang)], rows,
                        caption=t("criteria_caption", lang))
    tables = [scored]
    for key, values, title in (("central_by_ambition_t", AMBITION_LEVELS, "by_ambition"),
                               ("central_by_type_t", CRITERION_TYPES, "by_type")):
        used = [v for v in values if any(p[key][v] for p in periods)]
        rows = [[p["period"], *(exact(p[key][v], lang) for v in used)] for p in periods]
        tables.append(html_table([t("period", lang), *(t(f"lvl_{v}", lang) for v in used)],
                                 rows, caption=t(title, lang)))
    intro = t("criteria_intro", lang, option=t(f"unclear_as_{option}", lang))
    low = unclear_monitor(summary, lang)
    return section("criteria", t("criteria", lang), para(intro),
                   *([para(low)] if low else []), *tables)


def indicators(summary: dict) -> Fragment:
    """The other indicators (NOx, PM, raw materials, jobs): per indicator a table of the
    periods, RIVM's published figure as published beside the model's central figure and
    range, over the contracts' lifetime and per year."""
    if "effect_monitor" not in summary:  # a part this project does not hold
        return NOTHING
    lang = summary["language"]
    level = interval_text(summary, lang)
    inds = summary["effect_monitor"].get("indicators") or []
    if not inds:
        return NOTHING
    parts = [para(t("ind_intro", lang)), para(t("ind_ratio_note", lang))]
    for ind in inds:
        rows = [_indicator_row(p, lang) for p in ind["periods"]]
        parts.append(html_table(
            [t("period", lang), t("rivm_published", lang), t("central_plain", lang),
             t("ratio_rivm", lang), t("median", lang), t("range", lang, level=level),
             t("median_per_year", lang, unit=unit_text(ind["unit_per_year"], lang)),
             t("range_per_year", lang, level=level)], rows,
            caption=f"{t('ind_' + ind['id'], lang)} [{unit_text(ind['unit'], lang)}]"))
        if any(p.get("n_criteria") == 0 for p in ind["periods"]):
            parts.append(para(t("ind_not_computed", lang)))
    return section("indicators", t("indicators", lang), *parts)


#: model / RIVM outside this range: the page marks the figure not reproduced
REPRODUCED = (0.5, 2.0)


def _indicator_row(p: dict, lang: str) -> list:
    """A period of an indicator: RIVM's figure in the table's unit and the page's number
    format (its basis where RIVM stated one), the central figure, model over RIVM on the same
    basis with a mark outside :data:`REPRODUCED`, median and ranges; 'not computed' where no
    sampled criterion of the period has a factor for the indicator."""
    pub = p["published"]
    shown_pub = "–"
    if pub is not None:
        shown_pub = ("≥ " if pub.get("bound") == "at least" else "") + number(pub["value"], lang)
        if pub["basis"] != "not stated":
            shown_pub += f" ({t('basis_' + pub['basis'].replace(' ', '_'), lang)})"
    if p.get("n_criteria") == 0:
        nc = t("not_computed", lang)
        return [p["period"], shown_pub, nc, "–", nc, "–", "–", "–"]
    ratio, r = "–", model_over_rivm(p)
    if r is not None:
        ratio = number(r, lang, 2 if r >= 0.1 or r <= 0 else
                       min(6, 1 - math.floor(math.log10(r))))  # two significant digits
        if not REPRODUCED[0] <= r <= REPRODUCED[1]:
            ratio += f" ({t('not_reproduced', lang)})"
    y = p["total_per_year"]
    return [p["period"], shown_pub, exact(p["central"], lang), ratio,
            median(p["total"], lang), span(p["total"], lang),
            median(y, lang) if y else "–", span(y, lang) if y else "–"]


def trend(summary: dict) -> Fragment:
    """The adoption trend (binomial GLM) and the totals trend, projections labelled."""
    if "effect_monitor" not in summary:  # a part this project does not hold
        return NOTHING
    lang = summary["language"]
    mon = summary["effect_monitor"]
    level = interval_text(summary, lang)
    a, tot = mon["trend"]["adoption"], mon["trend"]["totals"]
    parts = []
    if a.get("model"):
        parts.append(figure(plotting.adoption_trend(mon, lang), "trend",
                            t("cap_trend", lang, level=level), t("trend_chart_alt", lang)))
        if a.get("projection"):
            pr = a["projection"]
            parts.append(para(t(
                "trend_sentence", lang, or_=number(a["odds_ratio_per_period"], lang, 2),
                level=level, lo=number(a["odds_ratio_low"], lang, 2),
                hi=number(a["odds_ratio_high"], lang, 2), p=number(a["p_value"], lang, 3),
                next=pr["period"], share=percent(pr["share"], lang),
                lo2=percent(pr["low"], lang), hi2=percent(pr["high"], lang))))
    why = tot.get("no_projection")
    if why and why["reason"] == "few_periods":
        parts.append(para(t("no_proj_few_periods", lang, n=len(mon["periods"]),
                            df=why["residual_df"], needed=why["needed"])))
    elif why:
        parts.append(para(t("no_proj_scope_change", lang, a=why["from"], b=why["to"])))
    if tot.get("model") and tot.get("projection"):
        pr = tot["projection"]
        parts.append(para(t(
            "totals_sentence", lang, factor=number(tot["factor_per_period"], lang, 2),
            level=level, lo=number(tot["factor_low"], lang, 2),
            hi=number(tot["factor_high"], lang, 2),
            next=pr["period"], est=tonnes(pr["estimate_t"], lang),
            lo2=tonnes(pr["low_t"], lang), hi2=tonnes(pr["high_t"], lang))))
    if not parts:  # nothing to show: one line saying why, not an empty heading
        parts.append(para(t("trend_none", lang, n=len(mon["periods"]))))
    return section("trend", t("trend", lang), *parts)


def periods_caption(mon: dict, lang: str, level: str) -> str:
    """The periods chart's caption, from what it draws: the model's ranges, RIVM's figures
    where RIVM published any (and which of them are lower bounds), the projection where one
    is drawn."""
    ps = mon["periods"]
    out = t("cap_periods", lang, level=level)
    if any(p["published_t"] is not None for p in ps):
        out += t("cap_periods_published", lang)
        bounds = [p["period"] for p in ps
                  if p["published_t"] is not None and p["published_bound"] == "at least"]
        if bounds:
            out += t("cap_periods_bounds", lang, periods=", ".join(bounds))
    if mon.get("trend", {}).get("totals", {}).get("projection"):
        out += t("cap_periods_projection", lang)
    return out


def drivers(summary: dict) -> Fragment:
    """Tornado charts: rank correlations of the inputs with the buyer-group total and with the
    headline period's monitor total (as the summary holds them)."""
    lang = summary["language"]
    d = summary["drivers"]
    n = number(summary["n_draws"], lang)
    charts = []
    tornadoes = []
    if "buyer_groups" in d:
        tornadoes.append((d["buyer_groups"], t("tornado_title", lang), "tornado-bg",
                          t("tornado_alt", lang),
                          t("cap_tornado", lang, n=n, figure=t("tornado_fig_bg", lang))))
    if "monitor" in d:
        p = d["monitor"]["period"]
        caption = t("cap_tornado", lang, n=n, figure=t("tornado_fig_mon", lang, period=p))
        vb = ((summary.get("variance_budget") or {}).get("monitor") or {}).get("indices")
        sampling = (vb or {}).get("groups", {}).get("sampling")
        if sampling:
            caption += t("cap_tornado_sampling", lang,
                         share=percent(min(max(sampling["first_order"], 0.0), 1.0), lang))
        tornadoes.append((d["monitor"]["inputs"], t("tornado_mon_title", lang, period=p),
                          "tornado-mon", t("tornado_mon_alt", lang, period=p), caption))
    for rows, title, sid, alt, caption in tornadoes:
        if rows:
            charts.append(figure(plotting.tornado(driver_labels(driver_frame(rows), lang),
                                                  title, lang), sid, caption, alt))
        else:  # no empty chart: one line saying why
            charts.append(para(t("tornado_none", lang, title=title)))
    return section("drivers", t("sensitivity", lang), *budget_table(summary), *charts)


def budget_table(summary: dict) -> list:
    """The variance budget (summary.json ``variance_budget``): a paragraph, and per headline
    figure a table of its groups of inputs with their first-order and total Sobol indices
    and 95% Monte Carlo intervals [% of its variance]; the other indicators' in one table of
    first-order and total indices."""
    vb = summary.get("variance_budget")
    if not vb:
        return []
    lang = summary["language"]
    out = [Markup("<h3>{}</h3>").format(t("vb_title", lang)), para(t("vb_intro", lang))]
    figures = []
    if vb.get("buyer_groups"):
        figures.append((t("vb_bg", lang), vb["buyer_groups"]))
    mon = vb.get("monitor") or {}
    if mon.get("indices"):
        figures.append((t("vb_mon", lang, period=mon["period"]), mon["indices"]))
    for k, (name, b) in enumerate(figures):
        labels = {g: _group_label(g, lang) for g in b["groups"]}
        out.append(figure(plotting.budget(b, labels, t("vb_chart_title", lang, figure=name),
                                          lang), f"budget-{k}",
                          t("cap_vb", lang) + (t("cap_vb_sampling", lang)
                                               if "sampling" in b["groups"] else ""),
                          t("vb_chart_alt", lang, figure=name)))
        rows = [[_group_label(g, lang), _index_cell(x["first_order"], x["first_order_ci"], lang),
                 _index_cell(x["total"], x["total_ci"], lang)] for g, x in b["groups"].items()]
        rows.append([t("vb_interactions", lang),
                     _index_cell(b["interactions"]["share"], b["interactions"]["ci"], lang,
                                 clip=False), ""])
        out.append(html_table([t("vb_source", lang), t("vb_first", lang), t("vb_total", lang)],
                              rows, caption=name))
    others = {i: b for i, b in (mon.get("indicators") or {}).items() if b}
    if others:
        groups = list(dict.fromkeys(g for b in others.values() for g in b["groups"]))

        def cell(x: dict) -> str:  # 'first order (total)': one column per indicator
            first, total = (percent(min(max(x[k], 0.0), 1.0), lang)
                            for k in ("first_order", "total"))
            return f"{first} ({total})"
        rows = [[_group_label(g, lang),
                 *(cell(b["groups"][g]) if g in b["groups"] else "–" for b in others.values())]
                for g in groups]
        out.append(html_table([t("vb_source", lang), *(t(f"ind_{i}", lang) for i in others)],
                              rows, caption=t("vb_others", lang, period=mon["period"])))
    return out


def _group_label(group: str, lang: str) -> str:
    return t(f"var_{group}", lang) if f"var_{group}" in TEXT[lang] else t(f"vb_{group}", lang)


def _index_cell(value: float, ci: list[float], lang: str, clip: bool = True) -> str:
    """An index and its Monte Carlo interval: '82% (81–83%)'; an index of a group shown
    within [0, 1], where it lies by definition (summary.json keeps the estimates)."""
    def c(x: float) -> float:
        return min(max(x, 0.0), 1.0) if clip else x
    return f"{percent(c(value), lang)} ({percent(c(ci[0]), lang)}–{percent(c(ci[1]), lang)})"


def assumptions(summary: dict) -> Fragment:
    """Every input table's sources and assumptions, with the number of rows citing each."""
    lang = summary["language"]
    rows = [[s["file"], str(s["rows"]), linkify(s["source"])] for s in summary["sources"]]
    table = html_table([t("file", lang), t("rows", lang), t("source", lang)], rows,
                   numeric_from=1, numeric_to=2, css_class="sources")
    return section("assumptions", t("assumptions", lang), para(t("assumptions_intro", lang)),
                   table)


def headline_errors(summary: dict) -> pd.DataFrame:
    """The Monte Carlo standard errors of the headline figures (value, the step the headline
    shows it at, se, and se relative to the figure's scale: the largest of its median, low
    and high, so that a bound near 0 is judged by the size of the range it bounds)."""
    rows = []
    lang = summary.get("language", "en")

    def add(label, stats_):
        scale = max(abs(stats_[k]) for k in ("median", "low", "high"))
        for k in ("median", "low", "high"):
            v, se = stats_[k], stats_["mc_errors"][k]
            rows.append((f"{label}: {t(k, lang).lower()}", v, step_of(stats_), se,
                         se / scale if scale else np.nan))

    if "buyer_groups" in summary:
        add(t("buyer_groups_lc", lang), summary["buyer_groups"]["total_t"])
    for p in summary.get("effect_monitor", {}).get("periods", []):
        add(p["period"], p["total_t"])
    return pd.DataFrame(rows, columns=["figure", "value", "step", "se", "relative"])


def mc_errors(summary: dict) -> Fragment:
    """Table of Monte Carlo errors, with a warning where one exceeds 1% of its value."""
    lang = summary["language"]
    df = headline_errors(summary)
    rows = [[r.figure, shown(r.value, r.step, lang),
             shown(r.se, sig2_step(r.se), lang), percent(r.relative, lang, 2)]
            for r in df.itertuples()]
    bad = int((df["relative"] > 0.01).sum())
    note = (para(t("mc_warn", lang, k=bad), "warning", alert=True) if bad
            else para(t("mc_ok", lang)))
    b = summary_batches(summary)
    intro = t("mc_intro", lang, b=b, n=number(summary["n_draws"], lang))
    if 2 <= b < FEW_BATCHES:  # widened to Student's t (model/stats.py describe)
        note = Markup("{}{}").format(note, para(t("mc_few", lang, b=b, df=b - 1), "warning",
                                                alert=True))
    table = html_table([t("figure_col", lang), t("value", lang), t("se", lang),
                    t("relative", lang)], rows, caption="t CO2-eq")
    return section("mc-error", t("mc_error", lang), para(intro), note, table)


def provenance(summary: dict) -> Fragment:
    """Params and input hashes, seed, draws, code and package versions."""
    lang = summary["language"]
    pv = summary["provenance"]
    rows = [
        [t("params_file", lang), code(pv.get('params', '')),
         code(pv.get('params_sha256', ''))],
        [t("seed", lang), summary["seed"], ""],
        [t("draws", lang), summary["n_draws"], ""],
        [t("sampler", lang), TEXT[lang].get(f"sampler_{summary.get('sampler')}",
                                             summary.get("sampler", "")), ""],
        [t("code_version", lang), code(pv.get('code_version', '')), ""],
        [t("git", lang), git_text(pv.get("git"), lang), ""],
        [t("python", lang), pv.get("python", ""), ""],
    ]
    for path, sha in pv.get("inputs", {}).items():
        rows.append([t("file", lang), code(path),
                     code(sha)])
    for path, sha in pv.get("notebooks", {}).items():
        rows.append([t("notebook", lang), code(path),
                     code(sha)])
    for name, version in pv.get("packages", {}).items():
        rows.append([t("package", lang), name, version])
    table = html_table([t("item", lang), t("value", lang), "SHA-256"], rows, numeric_from=99)
    return section("provenance", t("provenance", lang), para(t("prov_intro", lang)), table)
