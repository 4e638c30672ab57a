"""Presentation of what changed between two builds, and of the reports index: formatting
only (``pipeline.build`` computes the changes)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from effectmodel.report.html import html_table
from effectmodel.report.i18n import TEXT, number, t


def figure_label(key: str, lang: str) -> str:
    """The words for a headline key (``period_median:2019-2020`` -> 'effect monitor
    2019-2020, median [t]')."""
    kind, *args = key.split(":")
    if f"fig_{kind}" not in TEXT[lang]:
        return key
    return TEXT[lang][f"fig_{kind}"].format(*args, "").strip()


def what_changed_html(ch: dict[str, Any], lang: str = "en") -> Markup:
    """The 'What changed' section of a rebuilt briefing, in the briefing's language."""
    def w(key: str) -> str:
        return t("wc_" + key.replace(" ", "_"), lang)

    items = []
    for entry in ch["inputs"]:
        rows = entry.get("rows")
        detail = Markup("")
        if rows:
            parts = [f"{len(rows[k])} {w(k)}" + (f" ({', '.join(rows[k][:5])}"
                                                 + (", …" if len(rows[k]) > 5 else "") + ")"
                                                 if rows[k] else "")
                     for k in ("added", "removed", "changed")]
            detail = Markup(": {} {}").format(w("rows"), "; ".join(parts))
        items.append(Markup("<li><code>{}</code>{}</li>").format(entry["input"], detail))
    body = [Markup("<ul>{}</ul>").format(Markup("").join(items)) if items
            else Markup("<p>{}</p>").format(w("none"))]
    rows = []
    for f in ch["figures"]:
        z = f["in_mc_errors"]
        verdict = (w("no change") if f["difference"] == 0 else
                   w("noise") if z is not None and abs(z) < 2 else w("real"))
        diff = number(f["difference"], lang)
        rows.append([figure_label(f["figure"], lang), number(f["old"], lang),
                     number(f["new"], lang), ("+" + diff) if f["difference"] > 0 else diff,
                     "–" if z is None else number(z, lang, 1), verdict])
    if rows:
        body.append(html_table([w(k) for k in ("figure", "previous", "now", "difference",
                                               "in_se", "reading")],
                               rows, caption=w("caption"), numeric_from=1, numeric_to=5))
    return Markup('<section id="what-changed"><h2>{}</h2><p>{}</p>{}</section>').format(
        w("title"), w("intro"), Markup("").join(body))


INDEX_MARK = "<h1>effectmodel reports</h1>"  # marks reports/index.html as effectmodel's
_INDEX_CSS = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;"
              "padding:1rem;color:#1a1a1a}table{border-collapse:collapse;width:100%}"
              "th,td{border-bottom:1px solid #ccc;padding:.3rem;text-align:left;"
              "vertical-align:top}a{color:#1f4e79}")


def index_page(entries: list[dict[str, Any]], lang: str = "en") -> str:
    """``reports/index.html``: one row per report (name, href, kind, status, figures by
    headline key [t CO2-eq])."""
    rows = [[Markup('<a href="{}">{}</a>').format(r["href"], r["name"]),
             t("kind_" + r["kind"], lang), t("status_" + r["status"], lang),
             Markup("<ul>{}</ul>").format(Markup("").join(
                 Markup("<li>{}: {}</li>").format(k, number(v, lang))
                 for k, v in r["figures"].items()))] for r in entries]
    table = html_table([t(k, lang) for k in ("index_report", "index_kind", "index_status",
                                             "index_figures")], rows, numeric_from=99)
    return str(Markup('<!DOCTYPE html>\n<html lang="{}"><head><meta charset="utf-8">'
                      "<title>{}</title><style>{}</style></head><body><main>{}{}</main></body>"
                      "</html>\n").format(lang, t("index_title", lang), Markup(_INDEX_CSS),
                                            Markup(INDEX_MARK), table))
