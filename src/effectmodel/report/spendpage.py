"""The spend and impact on the page: a briefing section (the footprint of the spend, per year,
with its range; the effect monitor's reduction as a share of it; the groups with their
footprint per euro) and the annex's tables (every group and indicator). Words from the
summary and the data only."""

from __future__ import annotations

import math

from effectmodel.report import plotting
from effectmodel.report.formatting import display_name, interval_text
from effectmodel.report.html import Fragment, figure, html_table, para, section
from effectmodel.report.i18n import t
from effectmodel.report.numformat import exact_decimals, number, percent, step_of

#: how a footprint may be shown: (unit on the page, factor from the summary's unit), the
#: largest first; a total takes the largest unit it reaches one of
SHOWN = {"co2_eq": (("Mt CO2-eq", 1e-6), ("kt CO2-eq", 1e-3), ("t CO2-eq", 1.0)),
         "land_use": (("km2a", 1e-6), ("m2a", 1.0)),
         "raw_materials": (("Mt", 1e-6), ("kt", 1e-3), ("t", 1.0))}


#: how spend may be shown: (words, factor from EUR), the largest first
SPEND_UNITS = (("si_bn_eur", 1e-9), ("si_mn_eur", 1e-6), ("si_eur", 1.0))


def unit_for(ind: str, total: float) -> tuple[str, float]:
    """The unit an indicator's figures are shown in: the largest of :data:`SHOWN` that its
    total (central) reaches one of."""
    return next(((u, k) for u, k in SHOWN[ind] if abs(total) * k >= 1), SHOWN[ind][-1])


def spend_unit(smallest: float) -> tuple[str, float]:
    """The words and factor spend is shown in: the largest of :data:`SPEND_UNITS` that the
    smallest amount shown [EUR] reaches one of."""
    return next(((w, k) for w, k in SPEND_UNITS if smallest * k >= 1), SPEND_UNITS[-1])


NOTHING = Fragment("")


def scaled(s: dict, k: float) -> dict:
    """A STATS block (or a group's footprint) times ``k``, Monte Carlo errors included."""
    out = {key: (v * k if isinstance(v, float | int) else v) for key, v in s.items()}
    if "mc_errors" in s:
        out["mc_errors"] = {key: v * k for key, v in s["mc_errors"].items()}
    return out


def _per_eur(x: float | None, lang: str) -> str:
    """An intensity per euro to three significant digits."""
    if x is None:
        return "–"
    if x == 0:
        return "0"
    digits = max(0, 2 - int(f"{abs(x):e}".split("e")[1]))
    return number(x, lang, min(digits, 6))


def at_step(x: float, by: float, lang: str) -> str:
    """``x`` rounded to a multiple of ``by``, with the decimals that step has."""
    if x is None or not math.isfinite(x):
        return "–"
    decimals = max(0, -math.floor(math.log10(by) + 1e-9))
    return number(round(x / by) * by, lang, decimals)


def _figure(s: dict, k: float, lang: str) -> tuple[str, str, str]:
    """(central, median, range) of a footprint times ``k`` (its shown unit), at one step;
    without a ``central``, its place is '–'."""
    st = scaled(s, k)
    by = step_of(st, floor=0.0)
    rng = "–" if st["low"] == st["high"] else \
        f"{at_step(st['low'], by, lang)} – {at_step(st['high'], by, lang)}"
    return at_step(st.get("central"), by, lang), at_step(st["median"], by, lang), rng


def spend_impact(summary: dict) -> Fragment:
    """The briefing's section: the footprint of the spend per year and the monitor's share
    of it, and a table of the groups (spend, CO2-eq per euro and footprint)."""
    si = summary.get("spend_impact")
    if not si:
        return NOTHING
    lang = summary["language"]
    level = interval_text(summary, lang)
    inds = {i["id"]: i for i in si["indicators"]}
    words = []
    word, k = spend_unit(si["spend_eur"]["central"])
    spend = scaled(si["spend_eur"], k)
    words.append(t("si_spend_in" if si.get("year") else "si_spend", lang, year=si.get("year"),
                   spend=at_step(spend["central"], step_of(spend, floor=0.0), lang),
                   unit=t(word, lang), n=len(si["groups"]),
                   source=t(f"si_from_{si['spend_from']}", lang, period=si["period"])))
    units = {ind: unit_for(ind, i["central"]) for ind, i in inds.items()}
    for ind, i in inds.items():
        c, m, r = _figure(i["total"] | {"central": i["central"]}, units[ind][1], lang)
        words.append(t(f"si_total_{ind}", lang, central=c, median=m, range=r, level=level,
                       unit=units[ind][0]))
    words += [w for ind, i in inds.items() for w in _calibration(i, units[ind], lang)]
    if "co2_eq" in inds:
        words += _correlation(si, inds["co2_eq"], units["co2_eq"], level, lang)
    body = [para(" ".join(words))]
    share = si.get("monitor_share")
    if share is not None:
        body.append(para(_share(share, si["period"], level, lang)))
    elif "co2_eq" in inds:
        body.append(para(t("si_no_share", lang)))
    if "co2_eq" not in inds:
        return section("spend-impact", t("si_title", lang), *body)
    unit, k = units["co2_eq"]
    word, k_spend = spend_unit(min(g["spend_eur"] for g in si["groups"]))
    rows = []
    for g in si["groups"]:
        fp = g["footprint"].get("co2_eq")
        c, m, r = _figure(fp, k, lang) if fp else ("–", "–", "–")
        rows.append([display_name(g, lang),
                     number(g["spend_eur"] * k_spend, lang, 1),
                     _per_eur(g["intensity"].get("co2_eq"), lang), c, m, r])
    body.append(html_table(
        [t("si_group", lang), t("si_spend_col", lang, unit=t(word, lang)),
         t("si_per_eur_co2_eq", lang),
         t("central_plain", lang), t("median", lang), t("range", lang, level=level)], rows,
        caption=t("si_caption", lang, unit=unit)))
    body += _years(si, units["co2_eq"], level, lang)
    return section("spend-impact", t("si_title", lang), *body)


def _calibration(ind: dict, unit: tuple[str, float], lang: str) -> list[str]:
    """The sentence on an indicator's calibration (none without one): its figure as the
    params write it, in the indicator's shown unit."""
    cal = ind.get("calibration")
    if not cal:
        return []
    target = cal["target"] * unit[1]
    source = f" ({cal['source']})" if cal.get("source") else ""
    return [t("si_calibrated", lang, target=number(target, lang, exact_decimals([target], 3)),
              unit=unit[0], factor=number(cal["factor"], lang, 3), source=source)]


def _correlation(si: dict, ind: dict, unit: tuple[str, float], level: str,
                 lang: str) -> list[str]:
    """The sentence on the intensities' correlation and the ranges at its other readings."""
    rho = si.get("intensity_correlation")
    by = {r["correlation"]: r for r in ind.get("by_correlation", [])}
    if rho is None or 0.0 not in by or 1.0 not in by:
        return []

    def rng(r: dict) -> str:
        return f"{_figure(r, unit[1], lang)[2]} {unit[0]}"

    return [t("si_correlation", lang, rho=number(rho, lang, 2), level=level,
              independent=rng(by[0.0]), shared=rng(by[1.0]))]


def _share(share: dict, period: str, level: str, lang: str) -> str:
    """The monitor's share of the footprint on its basis, with the other basis beside it."""
    basis = share.get("basis", "per_calendar_year")
    other = next((b for b in share.get("bases", {}) if b != basis), None)
    text = t(f"si_share_{basis}", lang, period=period,
             central=percent(share["central"], lang, 1), low=percent(share["low"], lang, 1),
             high=percent(share["high"], lang, 1), level=level)
    if other:
        text += " " + t(f"si_share_other_{other}", lang,
                        central=percent(share["bases"][other]["central"], lang, 1))
    return text


def _years(si: dict, unit: tuple[str, float], level: str, lang: str) -> list:
    """The footprint per year of the spend table: a chart and a table (none for one
    year)."""
    years = si.get("years") or []
    if len(years) < 2:
        return []
    word, k_spend = spend_unit(min(y["spend_eur"]["central"] for y in years))
    rows = []
    for y in years:
        c, m, r = _figure(y["footprint"]["co2_eq"], unit[1], lang)
        rows.append([y["year"], number(y["spend_eur"]["central"] * k_spend, lang, 1), c, m, r])
    caption = t("si_years_caption", lang, unit=unit[0], year=si.get("year") or "")
    return [figure(plotting.footprint_years(years, unit, lang), "si-years",
                   t("si_years_figure", lang, level=level),
                   t("si_years_alt", lang, first=years[0]["year"], last=years[-1]["year"])),
            html_table([t("si_year", lang), t("si_spend_col", lang, unit=t(word, lang)),
                        t("central_plain", lang), t("median", lang),
                        t("range", lang, level=level)], rows, caption=caption),
            *_year_changes(years, unit, si.get("year") or "", lang)]


def _year_changes(years: list[dict], unit: tuple[str, float], year: str, lang: str) -> list:
    """A sentence per year on: the footprint's central change from the year before, and
    its parts from the spend's volume and its intensity, in the table's unit and at the
    change's step (the parts add up to it)."""
    out = []
    for before, y in zip(years, years[1:], strict=False):
        ch = (y.get("change") or {}).get("co2_eq")
        if not ch:
            continue
        by = step_of(scaled(ch["change"], unit[1]), floor=0.0)
        words = {k: at_step(ch[k]["central"] * unit[1], by, lang) for k in ch}
        out.append(para(t("si_year_change", lang, a=before["year"], b=y["year"],
                          unit=unit[0], year=year, **words)))
    return out


def spend_impact_tables(summary: dict) -> Fragment:
    """The annex's tables: per indicator every group's footprint per euro, central figure,
    median and range."""
    si = summary.get("spend_impact")
    if not si:
        return NOTHING
    lang = summary["language"]
    level = interval_text(summary, lang)
    tables = []
    for i in si["indicators"]:
        ind = i["id"]
        unit, k = unit_for(ind, i["central"])
        rows = []
        for g in si["groups"]:
            fp = g["footprint"].get(ind)
            c, m, r = _figure(fp, k, lang) if fp else ("–", "–", "–")
            rows.append([display_name(g, lang),
                         _per_eur(g["intensity"].get(ind), lang), c, m, r])
        tables.append(html_table(
            [t("si_group", lang), t(f"si_per_eur_{ind}", lang), t("central_plain", lang),
             t("median", lang), t("range", lang, level=level)], rows,
            caption=t(f"si_annex_{ind}", lang, unit=unit)))
    return section("spend-impact-annex", t("si_annex", lang), *tables)
