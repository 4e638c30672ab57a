"""Presentation of what changed between two builds, and of the reports index: formatting
only (``pipeline.build`` computes the changes)."""

from __future__ import annotations

import html
from typing import Any

from effectmodel.report.i18n import TEXT, number, t


def figure_label(key: str, lang: str) -> str:
    """The words for a headline key (``period_median:2019-2020`` -> 'effect monitor
    2019-2020, median [t]')."""
    kind, *args = key.split(":")
    if f"fig_{kind}" not in TEXT[lang]:
        return key
    return TEXT[lang][f"fig_{kind}"].format(*args, "").strip()


def what_changed_html(ch: dict[str, Any], lang: str = "en") -> str:
    """The 'What changed' section of a rebuilt briefing, in the briefing's language."""
    def w(key: str) -> str:
        return t("wc_" + key.replace(" ", "_"), lang)

    e = html.escape
    items = []
    for entry in ch["inputs"]:
        rows = entry.get("rows")
        detail = ""
        if rows:
            parts = [f"{len(rows[k])} {w(k)}" + (f" ({e(', '.join(rows[k][:5]))}"
                                                 + (", …" if len(rows[k]) > 5 else "") + ")"
                                                 if rows[k] else "")
                     for k in ("added", "removed", "changed")]
            detail = f": {w('rows')} " + "; ".join(parts)
        items.append(f"<li><code>{e(entry['input'])}</code>{detail}</li>")
    body = [f"<ul>{''.join(items)}</ul>" if items else f"<p>{w('none')}</p>"]
    rows = []
    for f in ch["figures"]:
        z = f["in_mc_errors"]
        verdict = (w("no change") if f["difference"] == 0 else
                   w("noise") if z is not None and abs(z) < 2 else w("real"))
        zt = "–" if z is None else number(z, lang, 1)
        diff = number(f["difference"], lang)
        if f["difference"] > 0:
            diff = "+" + diff
        rows.append(f'<tr><th scope="row">{e(figure_label(f["figure"], lang))}</th>'
                    f'<td class="num">{number(f["old"], lang)}</td>'
                    f'<td class="num">{number(f["new"], lang)}</td>'
                    f'<td class="num">{diff}</td><td class="num">{zt}</td>'
                    f"<td>{verdict}</td></tr>")
    if rows:
        head = "".join(f'<th scope="col">{w(k)}</th>' for k in
                       ("figure", "previous", "now", "difference", "in_se", "reading"))
        body.append(f'<div class="wide"><table><caption>{w("caption")}</caption><thead><tr>'
                    f"{head}</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>")
    return (f'<section id="what-changed"><h2>{w("title")}</h2><p>{w("intro")}</p>'
            + "".join(body) + "</section>")


INDEX_MARK = "<h1>effectmodel reports</h1>"  # marks reports/index.html as effectmodel's
_INDEX_CSS = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;"
              "padding:1rem;color:#1a1a1a}table{border-collapse:collapse;width:100%}"
              "th,td{border-bottom:1px solid #ccc;padding:.3rem;text-align:left;"
              "vertical-align:top}a{color:#1f4e79}")


def index_page(entries: list[dict[str, Any]], lang: str = "en") -> str:
    """``reports/index.html``: one row per report (name, href, kind, status, figures by
    headline key [t CO2-eq])."""
    e = html.escape
    rows = []
    for r in entries:
        figs = "".join(f"<li>{e(k)}: {number(v, lang)}</li>" for k, v in r["figures"].items())
        rows.append(f'<tr><th scope="row"><a href="{e(r["href"])}">{e(r["name"])}</a></th>'
                    f"<td>{e(t('kind_' + r['kind'], lang))}</td>"
                    f"<td>{e(t('status_' + r['status'], lang))}</td>"
                    f"<td><ul>{figs}</ul></td></tr>")
    head = "".join(f'<th scope="col">{e(t(k, lang))}</th>' for k in
                   ("index_report", "index_kind", "index_status", "index_figures"))
    return ("<!DOCTYPE html>\n<html lang=\"" + lang + "\"><head><meta charset=\"utf-8\">"
            f"<title>{e(t('index_title', lang))}</title><style>{_INDEX_CSS}</style></head>"
            f"<body><main>{INDEX_MARK}<table><thead><tr>{head}</tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></main></body></html>\n")
