"""The two-page printed summary of a briefing: page 1 the headline (words and table) with the
sources and provenance, page 2 the two main charts drawn at print size (every text at 7 pt or
more), as one self-contained HTML page for A4 print (``effectmodel pdf``). Presentation only:
summary.json in, HTML out."""

from __future__ import annotations

from importlib import resources

from markupsafe import Markup

from effectmodel.report import briefing, plotting
from effectmodel.report.formatting import (
    driver_frame,
    driver_labels,
    git_text,
    interval_text,
    latest_period,
)
from effectmodel.report.html import figure, html_table
from effectmodel.report.i18n import t
from effectmodel.report.numformat import number

#: A4 with narrow margins. Page 1: the headline (words, table) and, in print no smaller than
#: 7 pt, the sources and provenance; page 2: the two main charts, drawn at print size (their
#: SVG at its own size: a text of 8 pt in matplotlib is 8 pt on paper)
PRINT_CSS = """
@page { size: A4; margin: 12mm 12mm 12mm 12mm; }
html { font-size: 9pt; line-height: 1.33; }
main { max-width: none; padding: 0; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin: 1rem 0 .4rem; }
table { font-size: .92rem; margin: .5rem 0 .8rem; }
th, td { padding: .2rem .4rem; }
p { margin: .35rem 0; }
.page2 { break-before: page; }
figure.print-chart { margin: 0 0 .5rem; break-inside: avoid; }
figure.print-chart svg { width: auto; height: auto; max-width: none; }
figcaption { font-size: .85rem; }
.small, .small table { font-size: .8rem; color: #333; }
.small h2 { font-size: 1rem; }
"""

#: the print charts' width [in]: A4's 210 mm less two 12 mm margins, with room to spare
PRINT_WIDTH = 7.1
#: the height page 2 gives its two charts together [in], captions aside
PRINT_CHARTS_HEIGHT = 9.0


def print_charts(summary: dict) -> list[tuple]:
    """The two main charts of the parts run, drawn for print: (axes, salt, caption, alt).
    Both parts: the buyer groups and the periods; the monitor only: the periods and the
    headline period's product groups; the buyer groups only: theirs and their drivers."""
    lang = summary["language"]
    level = interval_text(summary, lang)
    out = []
    if "buyer_groups" in summary:
        bg = summary["buyer_groups"]
        out.append((lambda ax, bg=bg: plotting.buyer_groups(bg, lang, ax=ax),
                    len(bg["groups"]) + 3, "pdf-bg",
                    t("cap_bg", lang, level=level, n=number(summary["n_draws"], lang)),
                    t("bg_chart_alt", lang)))
    if "effect_monitor" in summary:
        mon = summary["effect_monitor"]
        out.append((lambda ax: plotting.periods(mon, lang, ax=ax), 9, "pdf-periods",
                    briefing.periods_caption(mon, lang, level), t("periods_chart_alt", lang)))
        if "buyer_groups" not in summary:
            p = latest_period(summary)
            out.append((lambda ax: plotting.product_groups(p, lang, ax=ax),
                        len(p["product_groups"]) + 3, "pdf-pg",
                        t("cap_pg", lang, level=level, period=p["period"]),
                        t("pg_chart_alt", lang, period=p["period"])))
    elif (summary.get("drivers") or {}).get("buyer_groups"):
        rows = driver_labels(driver_frame(summary["drivers"]["buyer_groups"]), lang)
        out.append((lambda ax: plotting.tornado(rows, t("tornado_title", lang), lang, ax=ax),
                    min(len(rows), 10) + 3, "pdf-tornado",
                    t("cap_tornado", lang, n=number(summary["n_draws"], lang),
                      figure=t("tornado_fig_bg", lang)), t("tornado_alt", lang)))
    weight = sum(w for _, w, *_ in out) or 1
    charts = []
    for draw, w, salt, caption, alt in out:
        with plotting.style():
            ax = draw(plotting.new_axes((PRINT_WIDTH, PRINT_CHARTS_HEIGHT * w / weight),
                                        fitted=True))
        charts.append((ax, salt, caption, alt))
    return charts


def summary_html(summary: dict) -> str:
    """The printed summary of a briefing (summary.json) as one HTML page [A4, two pages]:
    page 1 the headline and its table, and the sources and provenance; page 2 the two main
    charts at print size."""
    lang = summary["language"]
    css = resources.files("effectmodel.report").joinpath(
        "templates/briefing/briefing.css").read_text(encoding="utf-8")
    charts = [Markup(str(figure(ax, salt, caption, alt)).replace(
        '<figure class="chart">', '<figure class="print-chart">', 1))
        for ax, salt, caption, alt in print_charts(summary)]
    body = [briefing.header(summary), briefing.headline(summary), small_print(summary),
            Markup('<div class="page2">{}</div>').format(Markup("").join(charts))]
    return str(Markup('<!DOCTYPE html>\n<html lang="{}"><head><meta charset="utf-8"><title>{}'
                      "</title><style>{}{}</style></head><body><main>{}</main></body></html>\n"
                      ).format(lang, summary["title"] + " (effectmodel)", Markup(css),
                               Markup(PRINT_CSS), Markup("").join(body)))


def small_print(summary: dict) -> Markup:
    """Sources (each input file, its rows and how many cite an assumption) and provenance
    (params, seed, draws, code, git), in small print."""
    lang = summary["language"]
    files: dict[str, list[int]] = {}
    for s in summary.get("sources", []):
        n = files.setdefault(s["file"], [0, 0])
        n[0] += s["rows"]
        n[1] += s["rows"] if "assumption" in s["source"] else 0
    rows = [[f, number(n, lang), number(a, lang)] for f, (n, a) in files.items()]
    pv = summary.get("provenance", {})
    prov = (f"{t('params_file', lang)}: {pv.get('params', '')} (SHA-256 "
            f"{str(pv.get('params_sha256', ''))[:12]}); {t('seed', lang)} {summary['seed']}; "
            f"{t('draws', lang)} {number(summary['n_draws'], lang)}; "
            f"{t('code_version', lang)} {pv.get('code_version', '')}; "
            f"{t('git', lang)}: {git_text(pv.get('git'), lang)}")
    return Markup('<section class="small"><h2>{}</h2>{}<p>{}</p><p>{}</p></section>').format(
        t("pdf_sources", lang),
        html_table([t("file", lang), t("rows", lang), t("pdf_assumed", lang)], rows),
        t("pdf_sources_note", lang), prov)
