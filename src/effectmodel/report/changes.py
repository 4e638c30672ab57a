"""Presentation of what changed between two builds, and of the reports index: formatting
only (``pipeline.build`` computes the changes)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from effectmodel.report.html import html_table
from effectmodel.report.i18n import TEXT, t
from effectmodel.report.numformat import exact, shown, step_of


def figure_label(key: str, lang: str) -> str:
    """The words for a headline key (``period_median:2019-2020`` -> 'effect monitor
    2019-2020, median [t]')."""
    kind, *args = key.split(":")
    if f"fig_{kind}" not in TEXT[lang]:
        return key
    if kind == "sweep_max" and args:  # sweep_max:OUTPUT[:PERIOD]
        output = TEXT[lang].get(f"sw_{args[0]}", args[0])
        return TEXT[lang]["fig_sweep_max"].format(output, "".join(f", {a}" for a in args[1:]))
    return TEXT[lang][f"fig_{kind}"].format(*args, "").strip()


def figure_step(f: dict) -> float:
    """How finely a figure of changes.json is shown [its unit]: at the step of its Monte
    Carlo error (``se``); a figure without one (as planned) to the unit, as the headline has
    it (80,125 t, not 80,100)."""
    if "step" in f:  # the step the briefing shows the figure at (None: deterministic)
        return f["step"] or 1.0
    se = f.get("se") or 0.0
    if not se:
        return 1.0
    return step_of({"median": max(abs(f["old"]), abs(f["new"])), "mc_error": se})


def signed(x: float, lang: str, step: float = 1.0) -> str:
    """A difference with its sign, rounded to ``step``: +1,234 or −1,234 (0 without one)."""
    s = shown(x, step, lang)
    if s.lstrip("−") == "0":
        return "0"
    return "+" + s if x > 0 else s


def listed(diff: dict[str, list[str]], w) -> str:
    """Added, removed and changed items of a diff: '1 added (x); 0 removed; 2 changed (a, b)'."""
    return "; ".join(f"{len(diff[k])} {w(k)}" + (f" ({', '.join(diff[k][:5])}"
                                                 + (", …" if len(diff[k]) > 5 else "") + ")"
                                                 if diff[k] else "")
                     for k in ("added", "removed", "changed"))


def code_change_html(ch: dict[str, Any], lang: str = "en") -> Markup:
    """The code's change since the previous build, for the page's provenance (a developer's
    matter, not a reviewer's): one paragraph; empty where the code did not change."""
    def w(key: str) -> str:
        return t("wc_" + key.replace(" ", "_"), lang)

    code = [e for e in ch["inputs"] if e.get("modules")]
    if not code:
        return Markup("")
    return Markup('<p class="note code-change">{}</p>').format(
        t("wc_code_note", lang, modules="; ".join(listed(e["modules"], w) for e in code)))


def what_changed_html(ch: dict[str, Any], lang: str = "en") -> Markup:
    """The 'What changed' section of a rebuilt briefing, in the briefing's language: the data
    that changed and each headline figure before and after (the code's change goes to the
    provenance, :func:`code_change_html`)."""
    def w(key: str) -> str:
        return t("wc_" + key.replace(" ", "_"), lang)

    items = []
    for entry in ch["inputs"]:
        if entry.get("modules"):
            continue
        detail = Markup("")
        if entry.get("rows"):
            detail += Markup(": {} {}").format(w("rows"), listed(entry["rows"], w))
        items.append(Markup("<li><code>{}</code>{}</li>").format(entry["input"], detail))
    body = [Markup("<ul>{}</ul>").format(Markup("").join(items)) if items
            else Markup("<p>{}</p>").format(w("data_none"))]
    rows = []
    for f in ch["figures"]:
        # each figure at its precision; the difference at that of its paired error
        se = f.get("se") or 0.0
        step = figure_step(f)
        dstep = step if not se else step_of({"median": abs(f["difference"]), "mc_error": se})
        diff = signed(f["difference"], lang, dstep)
        interval = ("–" if f.get("low") is None
                    else f"{signed(f['low'], lang, dstep)} … {signed(f['high'], lang, dstep)}")
        rows.append([figure_label(f["figure"], lang), shown(f["old"], step, lang),
                     shown(f["new"], step, lang), diff, interval, w(f["reading"])])
    if rows:
        body.append(html_table([w(k) for k in ("figure", "previous", "now", "difference",
                                               "interval", "reading")],
                               rows, caption=w("caption"), numeric_from=1, numeric_to=5))
    return Markup('<section id="what-changed"><h2>{}</h2><p>{}</p>{}</section>').format(
        w("title"), w("intro"), Markup("").join(body))


INDEX_MARK = "<h1>effectmodel reports</h1>"  # marks reports/index.html as effectmodel's
_INDEX_CSS = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;"
              "padding:1rem;color:#1a1a1a}table{border-collapse:collapse;width:100%}"
              "th,td{border-bottom:1px solid #ccc;padding:.3rem;text-align:left;"
              "vertical-align:top}a{color:#1f4e79}")


def _index_value(v: dict[str, Any] | float, lang: str) -> str:
    """A headline figure of a manifest as the briefing shows it: at its step where the
    manifest records one, else at its own precision."""
    if isinstance(v, dict):
        return shown(v["value"], v["step"], lang) if v.get("step") else exact(v["value"], lang)
    return exact(v, lang)


def index_page(entries: list[dict[str, Any]], lang: str | None = None) -> str:
    """``reports/index.html``: one row per report (name, href, kind, status, figures by
    headline key: a manifest's headline entry, or a bare value [t CO2-eq]; ``lang``: the
    report's language, English where absent). Each report's figures are written as its own
    page writes them (17.000 t on a Dutch page), marked with its language where the index
    has another; the index is in its reports' language when they share one (``lang``: its
    language, whatever theirs)."""
    langs = {r.get("lang", "en") for r in entries}
    lang = lang or (langs.pop() if len(langs) == 1 else "en")

    def figures(r: dict[str, Any]) -> Markup:
        own = r.get("lang", "en")
        items = Markup("").join(Markup("<li>{}: {}</li>").format(
            figure_label(k, own), _index_value(v, own)) for k, v in r["figures"].items())
        return Markup("<ul>{}</ul>").format(items) if own == lang else \
            Markup('<ul lang="{}">{}</ul>').format(own, items)

    rows = [[Markup('<a href="{}">{}</a>').format(r["href"], r["name"]),
             t("kind_" + r["kind"], lang), t("status_" + r["status"], lang), figures(r)]
            for r in entries]
    table = html_table([t(k, lang) for k in ("index_report", "index_kind", "index_status",
                                             "index_figures")], rows, numeric_from=99)
    return str(Markup('<!DOCTYPE html>\n<html lang="{}"><head><meta charset="utf-8">'
                      "<title>{}</title><style>{}</style></head><body><main>{}{}</main></body>"
                      "</html>\n").format(lang, t("index_title", lang), Markup(_INDEX_CSS),
                                            Markup(INDEX_MARK), table))
