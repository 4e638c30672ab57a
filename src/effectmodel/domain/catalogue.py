"""effectmodel's words: the catalogues ``effectmodel/locale/<lang>.yaml``, one per language.

Every word a reader or a user sees comes from here: the briefing's texts (``text``), the
commands' lines (``commands``), the column notes (``columns``), the intake workbook
(``intake``) and a new project's README (``project``); ``from_english`` translates the
English words the data, the params and the tables' column names hold. The files are part of
the package (read once, through :mod:`importlib.resources`); the user's files are never read
here. Numbers are formatted in :mod:`effectmodel.report.numformat`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

#: the languages effectmodel speaks, English first (the source language)
LANGUAGES = ("en", "nl")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser where built


@cache
def catalogue(lang: str) -> dict[str, Any]:
    """The catalogue of ``lang`` (one of :data:`LANGUAGES`), parsed once per process."""
    if lang not in LANGUAGES:
        raise ValueError(f"no catalogue for language {lang!r} (allowed: "
                         f"{', '.join(LANGUAGES)})")
    text = resources.files("effectmodel").joinpath("locale", f"{lang}.yaml").read_text(
        encoding="utf-8")
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader: C or Python)


def words(section: str, lang: str) -> dict[str, Any]:
    """One section of ``lang``'s catalogue: ``words("commands", "nl")["wrote"]``."""
    return catalogue(lang)[section]


def from_english(kind: str) -> dict[str, str]:
    """Dutch for the English words of ``kind`` (units, values, phrases, glosses, words)."""
    return catalogue("nl")["from_english"][kind]
