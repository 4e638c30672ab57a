"""What the briefing, its annexes and the sweep report share: figures at their precision,
names in the page's language, the headline period and the git line."""

from __future__ import annotations

import math

import pandas as pd

from effectmodel.domain.assurance import ASSURED_COVERAGE, SELF_CHECK_REPS, check_low, spend_off
from effectmodel.report.i18n import t
from effectmodel.report.numformat import number, percent, shown, step_of, tonnes_at


def sig2_step(x: float) -> float:
    """The step that shows ``x`` to two significant figures (at least 1)."""
    if not x or not math.isfinite(x):
        return 1.0
    return max(1.0, 10.0 ** (math.floor(math.log10(abs(x))) - 1))


def median(s: dict, lang: str) -> str:
    """A STATS block's median at its precision (:func:`step_of`)."""
    return shown(s["median"], step_of(s), lang)


def in_words(s: dict, lang: str) -> dict[str, str]:
    """A STATS block's median, low and high in words (t, kt or Mt): the same values the
    tables show (:func:`median`, :func:`span`), at the block's one step."""
    step = step_of(s)
    return {k: tonnes_at(s[k], step, lang) for k in ("median", "low", "high")}


def on_zero(s: dict) -> bool:
    """Whether a STATS block shows a figure that sits on a mass of draws at 0 (its low or
    median is 0 and ``at_zero`` gives the share of draws at 0)."""
    return bool(s.get("at_zero")) and (s["low"] == 0 or s["median"] == 0)


def zero_share(share: float, lang: str) -> str:
    """The share of draws at 0 beside a bound on it, to a tenth of a percent: 4.5%, not 4%
    beside a 5% bound (the bound sits on the mass within its sampling error)."""
    return percent(share, lang, 1)


def zero_clause(s: dict, lang: str) -> str:
    """'; 0 in 4.9% of the draws' beside a range that starts on a mass at 0; '' else."""
    if not on_zero(s):
        return ""
    return t("zero_in_draws", lang, share=zero_share(s["at_zero"], lang))


def zero_mark(s: dict) -> str:
    """' ‡' after a range that starts on a mass at 0 (its note says the share), '' else."""
    return " ‡" if on_zero(s) else ""


def basis_text(hf: dict, lang: str) -> str:
    """A household factor's basis in the page's language (``basis_nl`` where the data give
    one in Dutch, else the basis as written)."""
    return (hf.get("basis_nl") if lang == "nl" else None) or hf.get("basis") or ""


def subtitle(summary: dict) -> str:
    """The briefing's subtitle, naming the plan of the params (``plan``) where it has one."""
    lang = summary["language"]
    plan = (summary.get("params", {}).get("plan") or {})
    name = plan.get(lang) or plan.get("en")
    return t("subtitle_plan", lang, plan=name) if name else t("subtitle", lang)


def bg_heading(summary: dict) -> str:
    """The buyer groups' heading, with when they started where the params say."""
    lang = summary["language"]
    started = (summary.get("params", {}).get("buyer_groups") or {}).get("started")
    return t("bg_started", lang, started=started) if started else t("bg", lang)


def span(s: dict, lang: str) -> str:
    """A STATS range in words at its precision: 'low – high'; '–' for a figure that does
    not vary (no range to show, not '0 – 0')."""
    if s["low"] == s["high"]:
        return "–"
    step = step_of(s)
    return f"{shown(s['low'], step, lang)} – {shown(s['high'], step, lang)}"


def bounded_only(row: dict) -> bool:
    """A product group whose sample counts no effect: its draws only bound it (one-sided
    95%), or nothing bounds it (``unbounded``)."""
    return row.get("upper_95_t") is not None or bool(row.get("unbounded"))


def pg_median(row: dict, lang: str) -> str:
    """A product group's median; '–' where its sample counts no effect (its central figure
    is 0, its draws only bound it)."""
    return "–" if bounded_only(row) else median(row["reduction_t"], lang)


def pg_span(row: dict, lang: str) -> str:
    """A product group's range; '0 – bound' (one-sided 95%) where its sample counts no
    effect, and 'no upper bound' where nothing bounds it."""
    if row.get("unbounded"):
        return t("no_upper_bound", lang)
    if row.get("upper_95_t") is None:
        return span(row["reduction_t"], lang) + zero_mark(row["reduction_t"])
    step = step_of(row["reduction_t"])
    return f"0 – {shown(row['upper_95_t'], step, lang)}"


def zero_effect_note(rows: list[dict], lang: str) -> str | None:
    """The note under a table with strata whose sample counts no effect: what their range
    is, and the uniform prior's bound beside the Jeffreys one, by name."""
    zero = [r for r in rows if r.get("upper_95_t") is not None]
    if not zero:
        return None
    listed = "; ".join(
        f"{display_name(r, lang)} "
        f"{shown(r['upper_95_uniform_t'], step_of(r['reduction_t']), lang)} t" for r in zero)
    return "† " + t("zero_effect_note", lang, uniform=listed)


def zero_rows_note(rows: list[dict], key: str, lang: str) -> str | None:
    """The note of a table whose rows' ranges start on a mass at 0 (:func:`zero_mark`): the
    share of draws at 0 of each, by name; None where no row's does."""
    on = [r for r in rows if r.get(key) and on_zero(r[key]) and r.get("upper_95_t") is None]
    if not on:
        return None
    listed = "; ".join(f"{display_name(r, lang)} {zero_share(r[key]['at_zero'], lang)}"
                       for r in on)
    return t("zero_rows_note", lang, rows=listed)


def signed_percent(x: float, lang: str) -> str:
    """A relative change as a signed percentage: +45%, −12%, 0%."""
    text = percent(abs(x), lang)
    return text if text.startswith("0") else ("+" if x > 0 else "−") + text


def unclear_bg(summary: dict, lang: str) -> str | None:
    """How the buyer groups' other readings of unclear outcomes move the risk-adjusted
    median, in words (which reading is the low one); None without those readings."""
    bg = summary["buyer_groups"]
    others = [r for r in (bg.get("risk_readings") or {}).get("rows", [])
              if r["id"].startswith("unclear_")]
    mine = bg["total_t"]["median"]
    if not others or not mine:
        return None
    words = [t("unclear_reading_bg", lang, rule=t("rule_name_" + r["id"].split("_", 1)[1], lang),
               median=shown(r["median"], step_of(r), lang),
               pct=signed_percent(r["median"] / mine - 1, lang)) for r in others]
    low = (bg.get("risk") or {}).get("unclear") == "not_counted" and \
        all(r["median"] >= mine for r in others)
    return t("unclear_low_bg" if low else "unclear_other_bg", lang,
             readings=t("and", lang).join(words) if len(words) < 3 else ", ".join(words))


def unclear_monitor(summary: dict, lang: str) -> str | None:
    """How the monitor's other readings of unclear criteria move the headline period's
    central figure, in words (which reading is the low one); None where it is 0."""
    p = latest_period(summary)
    by, mine = p.get("central_by_unclear_t") or {}, p.get("central_t")
    if not mine or set(by) != {"none", "expected", "all"}:
        return None
    rel = {k: by[k] / mine - 1 for k in by}
    option = summary["params"]["unclear"]
    if option == "not_counted" and min(by.values()) == by["none"]:
        return t("unclear_low_mon", lang, period=p["period"],
                 pe=percent(rel["expected"], lang), pa=percent(rel["all"], lang))
    return t("unclear_other_mon", lang, period=p["period"],
             **{f"p{k[0]}": signed_percent(rel[k], lang) for k in ("none", "expected", "all")})


def share(sh: dict, lang: str) -> str:
    """A share with its interval: '44% (27% – 63%)'."""
    return (f"{percent(sh['estimate'], lang)} ({percent(sh['low'], lang)} – "
            f"{percent(sh['high'], lang)})")


def interval_text(summary: dict, lang: str) -> str:
    """The interval of the summary's ranges as a percentage, e.g. '90%'."""
    return percent(summary["interval"], lang)


def display_name(item: dict, lang: str) -> str:
    return item["name_nl"] if lang == "nl" else item["name_en"]


def latest_period(summary: dict) -> dict:
    """The headline's period (``monitor.headline_period``, else the latest)."""
    mon = summary["effect_monitor"]
    want = mon.get("headline_period")
    return next((p for p in mon["periods"] if p["period"] == want), mon["periods"][-1])


def calibrated(period: dict) -> bool:
    """Whether the data reproduce the published figure of the period: the central estimate
    equals it to 1e-6 (the reference data are made so)."""
    pub, central = period.get("published_t"), period.get("central_t")
    return bool(pub and central and abs(central - pub) <= 1e-6 * abs(pub))


def driver_labels(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The drivers table with ``input`` labels in the briefing's language."""
    out = df.copy()
    names = df[f"name_{lang}"].fillna(df["item"]) if f"name_{lang}" in df else df["item"]
    out["input"] = [f"{name}: {t('var_' + var, lang)}" if var else name
                    for name, var in zip(names, df["variable"], strict=True)]
    return out


def driver_frame(rows: list[dict]) -> pd.DataFrame:
    """The summary's driver rows as a table (item, variable, rho)."""
    return pd.DataFrame(rows, columns=["item", "variable", "rho", "name_en", "name_nl"])


def summary_batches(summary: dict) -> int:
    return int(summary.get("mc_batches", 20))


def git_text(git: dict | None, lang: str) -> str:
    """Which commit computed the page: 'commit abc…', 'uncommitted changes on top of commit
    abc…', or that the code was not in a git work tree."""
    if not git:
        return t("git_none", lang)
    return t("git_dirty" if git["uncommitted_changes"] else "git_clean", lang,
             commit=git["commit"])


def model_over_rivm(period: dict) -> float | None:
    """An indicator period's central figure over RIVM's, on RIVM's basis (per year where it
    published per year) [-]; None without a figure of RIVM's."""
    pub = period["published"]
    if not pub or not pub["value"]:
        return None
    mine = period["central_per_year"] if pub["basis"] == "per year" else period["central"]
    return None if mine is None else mine / pub["value"]


def coverage_reasons(row: dict, lang: str) -> list[str]:
    """Why a product group's coverage is not assured, in words: its self-check below
    :data:`ASSURED_COVERAGE`, its sampled spend outside
    :data:`~effectmodel.domain.assurance.SPEND_RATIO_RANGE` of the frame total; empty where
    neither."""
    out = []
    check, ratio = row.get("self_check_coverage"), row.get("spend_ratio")
    if check_low(check):
        out.append(t("reason_self_check", lang, share=percent(check, lang)))
    if spend_off(ratio):
        out.append(t("reason_spend", lang, share=percent(ratio, lang)))
    return out


def coverage_note(rows: list[dict], interval: float, lang: str) -> str | None:
    """The product groups whose range's coverage is not assured (:func:`coverage_reasons`),
    by name with the reasons; None where none."""
    low = [(r, coverage_reasons(r, lang)) for r in rows]
    low = [(r, why) for r, why in low if why]
    if not low:
        return None
    listed = "; ".join(f"{display_name(r, lang)} ({', '.join(why)})" for r, why in low)
    note = t("coverage_note", lang, groups=listed)
    if any(check_low(r.get("self_check_coverage")) for r, _ in low):
        note += t("coverage_self_check", lang, level=percent(interval, lang),
                  assured=percent(ASSURED_COVERAGE, lang), reps=number(SELF_CHECK_REPS, lang))
    if any(spend_off(r.get("spend_ratio")) for r, _ in low):
        note += t("coverage_spend", lang)
    return note


def unbounded_note(rows: list[dict], lang: str) -> str | None:
    """Where product groups have no upper bound (no counted tender in any period), the
    period total's range leaves them out: that said, by name; None where none."""
    free = [display_name(r, lang) for r in rows if r.get("unbounded")]
    if not free:
        return None
    return t("unbounded_note", lang, groups=", ".join(free))
