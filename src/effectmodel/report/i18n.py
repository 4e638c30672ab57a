"""Words of the briefing, in English and Dutch, from the catalogues
(:mod:`effectmodel.domain.catalogue`: ``effectmodel/locale/<lang>.yaml``); numbers are
formatted in :mod:`effectmodel.report.numformat`."""

from __future__ import annotations

import re
from functools import cache

from effectmodel.domain.catalogue import LANGUAGES, catalogue, from_english

#: the briefing's texts: language -> key -> text (``{name}`` fields filled by :func:`t`)
TEXT: dict[str, dict[str, str]] = {lang: catalogue(lang)["text"] for lang in LANGUAGES}


def t(key: str, lang: str, **kw) -> str:
    """The text ``key`` in ``lang``, formatted with ``kw``."""
    s = TEXT[lang][key]
    return s.format(**kw) if kw else s


@cache
def _pattern(kind: str, whole_words: bool) -> re.Pattern[str]:
    """One pass over a text for the English words of ``kind``, longest first (so that no
    word is translated twice)."""
    alt = "|".join(re.escape(k) for k in sorted(from_english(kind), key=len, reverse=True))
    return re.compile(rf"(?<!\w)({alt})(?!\w)" if whole_words else f"({alt})")


def in_dutch(text: str, kind: str, lang: str, whole_words: bool = True) -> str:
    """``text`` with the English words of ``kind`` (a section of the catalogue's
    ``from_english``: units, values, phrases, glosses, words) in ``lang``; English as it
    is."""
    if lang != "nl":
        return text
    table = from_english(kind)
    return _pattern(kind, whole_words).sub(lambda m: table[m.group(1)], text)


def unit_text(unit: str, lang: str) -> str:
    """A unit in the page's language: 'kg NOx per year' -> 'kg NOx per jaar', 'kg raw
    materials per EUR' -> 'kg grondstoffen per EUR' (nl); English as it is."""
    return in_dutch(unit, "units", lang, whole_words=False)


def choice_text(value: str, lang: str) -> str:
    """A value of the params' choices in ``lang`` ('lhs' -> 'Latijnse hyperkubus (lhs)');
    English (and a value without a translation) as it is."""
    return from_english("values").get(value, value) if lang == "nl" else value


def term_label(key: str, lang: str) -> str:
    """The words for a part of a change as summary.json and compare.json name it:
    'intensity_t' -> 'intensity', 'entry_exit_t' -> 'in one period only' (catalogue
    ``term_*``)."""
    return t(f"term_{key.removesuffix('_t')}", lang)
