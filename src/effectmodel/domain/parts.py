"""The parts of a project: the buyer groups, the MVI effect monitor, or both.

A params file holds a part when it has the part's section (``buyer_groups:``, ``monitor:``)
or names one of the part's own data tables. Validation then asks for that part's tables and
options only, and a run computes, writes and shows only the parts it holds. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from effectmodel.domain.errors import InputError, Problem, short

#: the parts, in the order of a page
PARTS = ("buyer_groups", "monitor")

#: how the command line and the docs spell a part
CLI_NAMES = {"buyer_groups": "buyer-groups", "monitor": "monitor"}

#: the tables a part reads: required ones, then those its params may leave out (null)
REQUIRED_TABLES = {
    "buyer_groups": ("buyer_groups", "buyer_group_tenders", "household_factors"),
    "monitor": ("product_groups", "monitor_periods", "frame_totals", "translation_factors",
                "sampled_tenders", "household_factors"),
}
OPTIONAL_TABLES = {
    "buyer_groups": ("buyer_group_outcomes",),
    "monitor": ("criteria", "sub_strata", "published_indicators", "spend", "spend_intensities"),
}

#: what each part computes, for a message
MEANING = {"buyer_groups": "the buyer-group tenders (RIVM's method, risk-adjusted)",
           "monitor": "the MVI effect monitor (sampled tenders extrapolated to all spend)"}


def tables_of(parts: Sequence[str]) -> tuple[str, ...]:
    """The tables the ``parts`` read (required and optional), each once, in part order."""
    out: dict[str, None] = {}
    for part in parts:
        out.update(dict.fromkeys(REQUIRED_TABLES[part] + OPTIONAL_TABLES[part]))
    return tuple(out)


def required_tables(parts: Sequence[str]) -> tuple[str, ...]:
    """The tables the ``parts`` cannot do without."""
    return tuple(dict.fromkeys(t for p in parts for t in REQUIRED_TABLES[p]))


def own_tables(part: str) -> tuple[str, ...]:
    """The tables only ``part`` reads: naming one in ``data`` chooses the part."""
    others = {t for p in PARTS if p != part for t in REQUIRED_TABLES[p] + OPTIONAL_TABLES[p]}
    return tuple(t for t in REQUIRED_TABLES[part] + OPTIONAL_TABLES[part] if t not in others)


def parts_of(raw: Any) -> tuple[str, ...]:
    """The parts a params mapping (as read, overrides applied) holds: those whose section
    it has, or one of whose own tables its ``data`` names (not null)."""
    if not isinstance(raw, Mapping):
        return ()
    data = raw.get("data")
    data = data if isinstance(data, Mapping) else {}
    return tuple(p for p in PARTS
                 if p in raw or any(data.get(t) is not None for t in own_tables(p)))


def parse_parts(text: str | None, where: str = "--parts") -> tuple[str, ...]:
    """Parts from the command line's ``monitor,buyer-groups`` (None: both), in page order.

    Raises
    ------
    InputError
        naming an unknown or empty part, with the names allowed.
    """
    if text is None:
        return PARTS
    allowed = ", ".join(CLI_NAMES.values())
    by_name = {name: part for part, name in CLI_NAMES.items()}
    by_name.update({part: part for part in PARTS})  # buyer_groups, as params spell it
    asked = [w.strip() for w in text.split(",")]
    problems = [Problem(where, short(w) if w else "(empty)",
                        f"unknown part (allowed: {allowed}, separated by commas)")
                for w in asked if w not in by_name]
    if problems:
        raise InputError(problems)
    chosen = {by_name[w] for w in asked}
    return tuple(p for p in PARTS if p in chosen)


def holds(summary_or_parts: Mapping[str, Any] | Sequence[str], part: str) -> bool:
    """Whether a run's summary (its ``parts``; a summary from before parts: both) or a list
    of parts holds ``part``."""
    if isinstance(summary_or_parts, Mapping):
        return part in summary_or_parts.get("parts", PARTS)
    return part in summary_or_parts
