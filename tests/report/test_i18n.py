"""One catalogue per language (effectmodel/locale/<lang>.yaml): every language has every key
and the same placeholders, no module keeps words of its own per language, and no page module
formats a number outside report.numformat."""

from __future__ import annotations

import re
import string

import pytest

from conftest import ROOT
from effectmodel.domain.catalogue import LANGUAGES, catalogue
from effectmodel.report import numformat as i18n


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def _same_shape(a, b, path: str) -> None:
    """Two catalogue entries alike: the same keys, as many items, the same placeholders."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), (path, sorted(set(a) ^ set(b)))
        for k in a:
            _same_shape(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same_shape(x, y, f"{path}[{i}]")
    else:
        assert isinstance(a, str) and isinstance(b, str), path
        assert _fields(a) == _fields(b), (path, _fields(a) ^ _fields(b))


def test_every_language_has_every_key_with_the_same_placeholders():
    """Every section but from_english (Dutch for English words: empty in English) alike."""
    cats = {lang: catalogue(lang) for lang in LANGUAGES}
    assert all(set(c) == set(cats["en"]) for c in cats.values())
    for lang in LANGUAGES[1:]:
        for section in cats["en"]:
            if section != "from_english":
                _same_shape(cats["en"][section], cats[lang][section], f"{lang}:{section}")
    assert set(cats["en"]["from_english"]) == set(cats["nl"]["from_english"])
    assert all(v == {} for v in cats["en"]["from_english"].values())


def _strings(x):
    if isinstance(x, dict):
        for v in x.values():
            yield from _strings(v)
    elif isinstance(x, list):
        for v in x:
            yield from _strings(v)
    else:
        yield x


NUMBER_SPEC = re.compile(r"\{[\w.\[\]]*:[^}\s]*[,.%dfeg][^}\s]*\}")


def test_the_catalogue_formats_no_number_itself():
    """A '{n:,}' in a catalogue would print 1,234 on a Dutch line: numbers come in
    formatted by numformat, so no placeholder carries a format spec."""
    for lang in LANGUAGES:
        specs = [s for s in _strings(catalogue(lang)) if NUMBER_SPEC.search(s)]
        assert specs == [], (lang, specs[:3])


#: a literal under a language key ({"en": "wrote ..."}, "nl": ("...") or a Dutch table
#: (an f-string of the data's own names, f"{name_nl} ...", is data, not words)
WORDS_PER_LANGUAGE = re.compile(r"[\"'](en|nl)[\"']\s*:\s*[(\[{]?\s*f?[\"'](?!\{)|_NL\b|DUTCH_")


def test_no_module_keeps_words_per_language():
    """The words live in the catalogues: no module of the package holds a dict keyed by a
    language ('nl': ...) or a Dutch table of its own."""
    hits = []
    for path in sorted((ROOT / "src" / "effectmodel").rglob("*.py")):
        for i, line in enumerate(path.read_text().splitlines(), 1):
            if WORDS_PER_LANGUAGE.search(line):
                hits.append(f"{path.name}:{i}: {line.strip()}")
    assert hits == [], hits


# a format spec with a precision or thousands separator inside an f-string: {x:,.0f}, {x:.2f}
NUMBER_FORMAT = re.compile(r"\{[^{}]*:[,_]?\.\d+[fegd%]\}|\{[^{}]*:,\}|\{[^{}]*:,d\}")


PAGE_MODULES = sorted(p for p in (ROOT / "src" / "effectmodel" / "report").glob("*.py")
                      if p.name != "numformat.py") + [ROOT / "src/effectmodel/pipeline/build.py"]


@pytest.mark.parametrize("path", PAGE_MODULES, ids=lambda p: p.name)
def test_numbers_on_pages_go_through_the_catalogue(path):
    """Pages and reports format numbers with numformat.number / tonnes / percent only (Dutch pages
    need 80.125 and 6,8); log lines and messages of the command line may use f-strings."""
    hits = [line.strip() for line in path.read_text().splitlines()
            if NUMBER_FORMAT.search(line)]
    assert hits == [], hits


def test_dutch_numbers():
    assert i18n.number(80125, "nl") == "80.125"
    assert i18n.tonnes(6.8e6, "nl") == "6,8 Mt"
    assert i18n.percent(0.9, "nl") == "90%"
    assert i18n.number(-1234.5, "en", 1) == "−1,234.5"


def test_share_of_draws_is_shown_to_its_monte_carlo_error():
    """The step is the power of ten just below the binomial standard error: 17 of 10,000 draws
    (se 0.04 points) -> 0.2%, not 0%; half of them (se 0.5 points) -> 50%; 30% of 500 draws
    (se 2 points) -> 30%."""
    assert i18n.share_of_draws(0.0017, 10_000, "en") == "0.2%"
    assert i18n.share_of_draws(0.0017, 10_000, "nl") == "0,2%"
    assert i18n.share_of_draws(0.5, 10_000, "en") == "50%"
    assert i18n.share_of_draws(0.3, 500, "en") == "30%"
