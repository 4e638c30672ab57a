"""The page of ``effectmodel compare``: one standalone HTML page (no scripts, no requests)
with the headline figures of two reports side by side, the inputs, settings, code and
provenance that differ; in the first report's language. Formatting only
(:mod:`effectmodel.pipeline.compare` computes)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from effectmodel.report.changes import figure_label, figure_step, listed, signed
from effectmodel.report.html import html_table
from effectmodel.report.i18n import t, term_label
from effectmodel.report.numformat import shown, signed_tonnes, step_of

_CSS = ("body{font-family:system-ui,sans-serif;max-width:64rem;margin:auto;padding:1rem;"
        "color:#1a1a1a;line-height:1.45}table{border-collapse:collapse;width:100%;"
        "margin:.5rem 0 1rem}caption{text-align:left;color:#444;padding:.3rem 0}"
        "th,td{border-bottom:1px solid #ccc;padding:.3rem;text-align:left;vertical-align:top}"
        "td.num{text-align:right}code{overflow-wrap:anywhere}"
        ".wide{overflow-x:auto}")


def _range(r, step: float, lang: str) -> str:
    return "–" if not r else f"{shown(r[0], step, lang)} – {shown(r[1], step, lang)}"


def _figures(c: dict[str, Any], lang: str) -> Markup:
    rows = []
    for f in c["figures"]:
        se = f.get("se") or 0.0
        step = figure_step(f)
        dstep = step if not se else step_of({"median": abs(f["difference"]), "mc_error": se})
        interval = ("–" if f.get("low") is None
                    else f"{signed(f['low'], lang, dstep)} … {signed(f['high'], lang, dstep)}")
        rows.append([figure_label(f["figure"], lang), shown(f["old"], step, lang),
                     _range(f.get("old_range"), step, lang), shown(f["new"], step, lang),
                     _range(f.get("new_range"), step, lang),
                     signed(f["difference"], lang, dstep), interval,
                     t("wc_" + f["reading"].replace(" ", "_"), lang)])
    return html_table([t("wc_figure", lang), t("cmp_in_a", lang), t("cmp_range_a", lang),
                       t("cmp_in_b", lang), t("cmp_range_b", lang), t("wc_difference", lang),
                       t("wc_interval", lang), t("wc_reading", lang)], rows,
                      caption=t("cmp_caption", lang), numeric_from=1, numeric_to=7)


def _changes(c: dict[str, Any], lang: str) -> Markup:
    """Per period of both reports, its central total's change split per product group."""
    if not c.get("changes"):
        return Markup("<p>{}</p>").format(t("cmp_changes_none", lang))
    out = Markup("<p>{}</p>").format(t("cmp_changes_intro", lang))
    for ch in c["changes"]:
        keys = list(ch["parts"])  # spend_t, use_t, ...: compare.json's order
        rows = [[r["product_group"], *(signed_tonnes(r[k], lang) for k in keys)]
                for r in ch["by_product_group"]]
        rows.append([t("change_col", lang), *(signed_tonnes(ch["parts"][k], lang)
                                              for k in keys)])
        caption = t("cmp_changes_caption", lang, period=ch["period"],
                    change=signed_tonnes(ch["change_t"], lang))
        out += html_table([t("product_group", lang), *(term_label(k, lang) for k in keys)],
                          rows, caption=caption, label=caption)
    return out


def _inputs(c: dict[str, Any], lang: str) -> Markup:
    if not c["inputs"]:
        return Markup("<p>{}</p>").format(t("cmp_inputs_none", lang))
    items = []
    for e in c["inputs"]:
        detail = ""
        if e.get("rows"):
            detail = f": {t('wc_rows', lang)} " + listed(e["rows"], lambda k: t("wc_" + k, lang))
        items.append(Markup("<li><code>{}</code> ({}){}</li>").format(
            e["input"], t("wc_" + e["status"], lang), detail))
    return Markup("<ul>{}</ul>").format(Markup("").join(items))


def _pairs(rows: list[dict[str, Any]], key: str, head: str, none: str, lang: str) -> Markup:
    if not rows:
        return Markup("<p>{}</p>").format(t(none, lang))
    return html_table([t(head, lang), t("cmp_in_a", lang), t("cmp_in_b", lang)],
                      [[Markup("<code>{}</code>").format(r[key]),
                        "–" if r["old"] is None else str(r["old"]),
                        "–" if r["new"] is None else str(r["new"])] for r in rows],
                      numeric_from=99, label=t(head, lang))


def compare_page(c: dict[str, Any]) -> str:
    """compare.html of a comparison (:func:`effectmodel.pipeline.compare.compare`)."""
    lang = c.get("language", "en")
    a, b = c["a"], c["b"]
    body = [Markup("<h1>{}</h1>").format(t("cmp_title", lang)),
            Markup("<p>{}</p>").format(t("cmp_intro", lang, a=f"{a['title']} ({a['folder']})",
                                         b=f"{b['title']} ({b['folder']})"))]
    if not c["same_project"]:
        body.append(Markup("<p><strong>{}</strong></p>").format(
            t("cmp_other_project", lang, a=a["name"], b=b["name"])))
    body.append(Markup("<p>{}</p>").format(t("cmp_paired" if c["paired"] else "cmp_unpaired",
                                             lang)))
    body += [Markup('<section id="figures"><h2>{}</h2>{}</section>').format(
                 t("cmp_figures", lang), _figures(c, lang)),
             Markup('<section id="moved"><h2>{}</h2>{}</section>').format(
                 t("moved", lang), _changes(c, lang)),
             Markup('<section id="inputs"><h2>{}</h2>{}</section>').format(
                 t("cmp_inputs", lang), _inputs(c, lang)),
             Markup('<section id="settings"><h2>{}</h2>{}</section>').format(
                 t("cmp_settings", lang),
                 _pairs(c["settings"], "key", "cmp_setting", "cmp_settings_none", lang)),
             Markup('<section id="provenance"><h2>{}</h2>{}</section>').format(
                 t("cmp_provenance", lang),
                 _pairs(c["provenance"], "what", "cmp_what", "cmp_provenance_none", lang))]
    if c["figures_in_one"]:
        body.append(Markup("<p>{}</p>").format(t("cmp_only_one", lang, names=", ".join(
            figure_label(n, lang) for n in c["figures_in_one"]))))
    return str(Markup('<!DOCTYPE html>\n<html lang="{}"><head><meta charset="utf-8">'
                      '<meta name="viewport" content="width=device-width, initial-scale=1">'
                      "<title>{}</title><style>{}</style></head><body><main>{}</main></body>"
                      "</html>\n").format(lang, t("cmp_title", lang), Markup(_CSS),
                                            Markup("").join(body)))
