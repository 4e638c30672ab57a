"""The briefing's "From plan to contract": per buyer group and in all, as planned, realised
to date and the range of what remains; the range over the status dates; the outcomes that
moved it most. Words from the summary only; nothing without outcome data."""

from __future__ import annotations

from effectmodel.report import plotting
from effectmodel.report.changes import signed
from effectmodel.report.formatting import display_name, interval_text, median, span
from effectmodel.report.html import Fragment, figure, html_table, para, section
from effectmodel.report.i18n import t
from effectmodel.report.numformat import number, step_of

NOTHING = Fragment("")


def plan_to_contract(summary: dict) -> Fragment:
    """The section (see the module's text)."""
    bg = summary.get("buyer_groups") or {}
    oc = bg.get("outcomes")
    if not oc:
        return NOTHING
    lang = summary["language"]
    level = interval_text(summary, lang)
    st = oc["statuses"]
    known = t("tr_known_on", lang, date=oc["as_of"]) if oc["as_of"] else \
        t("tr_all_known", lang)
    words = t("tr_intro", lang, known=known,
              n=oc["total"]["n_tenders"], contracted=st["contracted"], awarded=st["awarded"],
              cancelled=st["cancelled"], open=oc["total"]["n_open"])
    names = {g["id"]: display_name(g, lang) for g in bg["groups"]}
    rows = []
    for g in [*oc["groups"], {"id": None, **oc["total"]}]:
        r = g["remaining_t"]
        rows.append([names.get(g["id"], g["id"]) if g["id"] else t("tr_all", lang),
                     number(g["as_planned_t"], lang), number(g["realised_t"], lang),
                     f"{g['n_open']}", median(r, lang) if g["n_open"] else "–",
                     span(r, lang) if g["n_open"] else "–"])
    table = html_table([t("tr_group", lang), t("tr_as_planned", lang),
                        t("tr_realised", lang), t("tr_open", lang), t("median", lang),
                        t("range", lang, level=level)], rows,
                       caption=t("tr_caption", lang))
    snaps = oc["snapshots"]
    chart = figure(plotting.tracking(snaps, lang), "tracking", t("tr_chart_caption", lang,
                                                                 level=level),
                   t("tr_chart_alt", lang, n=len(snaps) - 1))
    step = step_of({"median": max(abs(s["median"]) for s in snaps), "mc_error": 0.0})
    moves = [[m["date"], ", ".join(m["outcomes"]), signed(m["median_change_t"], lang, step),
              signed(m["width_change_t"], lang, step)]
             for m in oc["moves"][:5] if m["median_change_t"] or m["width_change_t"]]
    parts = [para(words), table, chart]
    if moves:
        parts.append(html_table([t("tr_date", lang), t("tr_outcomes", lang),
                                 t("tr_median_change", lang), t("tr_width_change", lang)],
                                moves, caption=t("tr_moves_caption", lang), numeric_from=2))
    return section("plan-to-contract", t("tr_title", lang), *parts)
