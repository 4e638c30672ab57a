"""Why the figure moved, on the page: the monitor's change between periods split into
spend, use, intensity and product groups in one period only (``effect_monitor.changes``,
:mod:`effectmodel.model.monitor.decompose`): a sentence per change and a waterfall of the
latest in the briefing, a table per change in the annex.
Words from the catalogue, figures from the summary."""

from __future__ import annotations

from markupsafe import Markup

from effectmodel.report import plotting
from effectmodel.report.formatting import display_name, in_words, interval_text
from effectmodel.report.html import Fragment, figure, html_table, para, section
from effectmodel.report.i18n import t, term_label
from effectmodel.report.numformat import signed_tonnes

NOTHING = Fragment(Markup(""))


def sentence(change: dict, lang: str, level: str) -> str:
    """One change in words: its central value and parts, then its median and range."""
    parts = change["parts"]
    words = in_words(change["change_t"], lang)
    return t("moved_sentence", lang, a=change["from"], b=change["to"],
             change=signed_tonnes(change["change_t"]["central"], lang),
             **{k.removesuffix("_t"): signed_tonnes(v["central"], lang)
                for k, v in parts.items()}) \
        + t("moved_range", lang, median=words["median"], level=level, low=words["low"],
            high=words["high"])


def changes(summary: dict) -> Fragment:
    """The briefing's section: a sentence per change, the waterfall of the latest, and how
    the parts are made. Nothing where the run has one period."""
    mon = summary.get("effect_monitor")
    if not mon or not mon.get("changes"):
        return NOTHING
    lang = summary["language"]
    level = interval_text(summary, lang)
    shown = mon["changes"][-1]  # the latest move: the first question a reader asks
    period = {p["period"]: p for p in mon["periods"]}
    chart = figure(plotting.waterfall(shown, period[shown["from"]], period[shown["to"]], lang),
                   f"moved-{shown['from']}-{shown['to']}",
                   t("cap_waterfall", lang, a=shown["from"], b=shown["to"], level=level),
                   t("waterfall_alt", lang, a=shown["from"], b=shown["to"]))
    return section("moved", t("moved", lang),
                   *(para(sentence(c, lang, level)) for c in mon["changes"]), chart,
                   para(t("moved_method", lang)))


def changes_tables(summary: dict) -> Fragment:
    """The annex's tables: per change, each product group's parts (central, and the range
    over the draws below it), and the parts summed."""
    mon = summary.get("effect_monitor")
    if not mon or not mon.get("changes"):
        return NOTHING
    lang = summary["language"]
    level = interval_text(summary, lang)
    names = {r["id"]: r for p in mon["periods"] for r in p["product_groups"]}
    tables = []
    for c in mon["changes"]:
        keys = list(c["parts"])  # spend_t, use_t, ...: the summary's order
        rows = [[display_name(names[r["product_group"]], lang),
                 *(_cell(r[k], lang) for k in keys)] for r in c["by_product_group"]]
        rows.append([t("change_col", lang), *(_cell(c["parts"][k], lang) for k in keys)])
        caption = t("moved_table_caption", lang, a=c["from"], b=c["to"], level=level)
        tables.append(html_table([t("product_group", lang),
                                  *(term_label(k, lang) for k in keys)], rows,
                                 caption=caption, label=caption))
    return section("moved-tables", t("moved", lang), *tables)


def _cell(s: dict, lang: str) -> Markup:
    """A part's central change, and its range over the draws below it ('–' where the draws
    do not vary)."""
    words = in_words(s, lang)
    spread = "–" if s["low"] == s["high"] else f"{words['low']} – {words['high']}"
    return Markup("{}<br>{}").format(signed_tonnes(s["central"], lang), spread)
