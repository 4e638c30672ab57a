"""The settings a run used, for a reviewer: a note under the headline when something was
overridden, and the "Settings of this run" section with every model option."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from effectmodel.report import i18n
from effectmodel.report.html import Fragment, html_table, para, section
from effectmodel.report.i18n import t
from effectmodel.report.numformat import exact_decimals, number, percent


def value_text(key: str, value: Any, lang: str) -> str:
    """A setting's value in words: yes/no, 'from the data' for an option left to the data,
    numbers in the page's format [the option's unit]."""
    if isinstance(value, bool):
        return t("yes" if value else "no", lang)
    if key == "monitor.changes":  # pairs of periods, or each period and the next
        return ", ".join(f"{a} → {b}" for a, b in value) if value else t("each_next", lang)
    if value is None:
        return t("latest" if key == "monitor.headline_period" else "from_data", lang)
    if key == "run.seed" or isinstance(value, str):
        if value == "all":
            return t("all", lang)
        return str(value) if key == "run.seed" else i18n.choice_text(str(value), lang)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if key == "run.interval":
        return percent(value, lang)
    if isinstance(value, int):
        return number(value, lang)
    return number(value, lang, exact_decimals([value]))


def replaces_data(key: str, value: Any) -> str | None:
    """The i18n key of a note when the setting replaces or changes values of the data."""
    if key in ("buyer_groups.award_probability", "buyer_groups.additionality") \
            and value is not None:
        return "opt_note_" + key.rsplit(".", 1)[1]
    if key == "buyer_groups.uncertainty.award" and value is False:
        return "opt_note_award_off"
    if key == "buyer_groups.risk_evidence" and value == "counts":
        return "opt_note_risk_evidence"
    if (key.startswith("buyer_groups.uncertainty.") or key.endswith("_uncertainty")) \
            and value is False:
        return "opt_note_uncertainty"
    if key == "monitor.frame_total_scale" and value != 1.0:
        return "opt_note_frame_total_scale"
    return None


def stands_out(row: dict[str, Any]) -> bool:
    """Whether a reviewer should see the setting first: overridden for this run, different
    from the schema's default, or replacing values of the data."""
    return (row["origin"] == "override"
            or ("default" in row and row["value"] != row["default"])
            or replaces_data(row["key"], row["value"]) is not None)


def overrides_note(summary: dict) -> Markup:
    """One sentence under the headline naming each overridden setting and its value ('' when
    the run used its params file as written)."""
    lang = summary["language"]
    rows = [r for r in summary.get("settings", []) if r["origin"] == "override"]
    if not rows:
        return Markup("")
    items = Markup(", ").join(
        Markup("<strong>{} = {}</strong>").format(t("opt_" + r["key"], lang),
                                                  value_text(r["key"], r["value"], lang))
        for r in rows)
    link = Markup('<a href="#settings">{}</a>').format(t("settings_link", lang))
    return para(Markup(t("settings_changed", lang)).format(items=items, link=link), "note")


def settings(summary: dict) -> Fragment:
    """Every model option of the run: value, where it came from, and what it does to the
    data; the rows a reviewer should see first in bold."""
    lang = summary["language"]
    rows = []
    for r in summary.get("settings", []):
        note = replaces_data(r["key"], r["value"])
        cells = [t("opt_" + r["key"], lang), value_text(r["key"], r["value"], lang),
                 t("origin_" + r["origin"], lang), t(note, lang) if note else ""]
        if stands_out(r):
            cells = [Markup("<strong>{}</strong>").format(c) if c else c for c in cells]
        rows.append(cells)
    table = html_table([t("setting", lang), t("value", lang), t("set_by", lang),
                        t("effect_on_data", lang)], rows,
                       numeric_from=1, numeric_to=1, css_class="settings")
    return section("settings", t("settings", lang), para(t("settings_intro", lang)), table)
