"""The two-page printed summary of a briefing: the headline (words and table), the two main
charts, and sources and provenance in small print, as one self-contained HTML page for A4
print (``effectmodel pdf``). Presentation only: summary.json in, HTML out."""

from __future__ import annotations

from importlib import resources

from markupsafe import Markup

from effectmodel.report import briefing, plotting
from effectmodel.report.formatting import git_text, interval_text
from effectmodel.report.html import figure, html_table
from effectmodel.report.i18n import number, t

#: A4 with narrow margins; text a little smaller than on screen, figures side by side
PRINT_CSS = """
@page { size: A4; margin: 12mm 12mm 12mm 12mm; }
html { font-size: 9.2pt; line-height: 1.32; }
main { max-width: none; padding: 0; }
h1 { font-size: 1.45rem; } h2 { font-size: 1.1rem; margin: .9rem 0 .35rem; }
table { font-size: .86rem; margin: .4rem 0 .6rem; }
th, td { padding: .16rem .35rem; }
p { margin: .3rem 0; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: .6rem; break-inside: avoid; }
figure.chart { margin: .3rem 0; } figcaption { font-size: .74rem; }
.small, .small table { font-size: .72rem; color: #333; }
.small h2 { font-size: .9rem; }
.break { break-before: page; }
"""


def summary_html(summary: dict) -> str:
    """The printed summary of a briefing (summary.json) as one HTML page [A4, two pages]."""
    lang = summary["language"]
    css = resources.files("effectmodel.report").joinpath(
        "templates/briefing/briefing.css").read_text(encoding="utf-8")
    charts = []
    level = interval_text(summary, lang)
    if "buyer_groups" in summary:
        charts.append(figure(plotting.buyer_groups(summary["buyer_groups"], lang), "pdf-bg",
                             t("cap_bg", lang, level=level,
                               n=number(summary["n_draws"], lang)), t("bg_chart_alt", lang)))
    if "effect_monitor" in summary:
        mon = summary["effect_monitor"]
        charts.append(figure(plotting.periods(mon, lang), "pdf-periods",
                             briefing.periods_caption(mon, lang, level),
                             t("periods_chart_alt", lang)))
    body = [briefing.header(summary), briefing.headline(summary),
            Markup('<div class="charts">{}</div>').format(Markup("").join(charts)),
            small_print(summary)]
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
