"""One language catalogue: every language has every key and the same placeholders, and no
page module formats a number outside the catalogue's number functions."""

from __future__ import annotations

import re
import string

import pytest

from conftest import ROOT
from effectmodel.report import i18n


def test_every_language_has_every_key_with_the_same_placeholders():
    en, nl = i18n.TEXT["en"], i18n.TEXT["nl"]
    assert set(en) == set(nl), sorted(set(en) ^ set(nl))
    for key in en:
        fields = [{f for _, f, _, _ in string.Formatter().parse(s) if f}
                  for s in (en[key], nl[key])]
        assert fields[0] == fields[1], key


# a format spec with a precision or thousands separator inside an f-string: {x:,.0f}, {x:.2f}
NUMBER_FORMAT = re.compile(r"\{[^{}]*:[,_]?\.\d+[fegd%]\}|\{[^{}]*:,\}|\{[^{}]*:,d\}")


PAGE_MODULES = sorted(p for p in (ROOT / "src" / "effectmodel" / "report").glob("*.py")
                      if p.name != "i18n.py") + [ROOT / "src/effectmodel/pipeline/build.py"]


@pytest.mark.parametrize("path", PAGE_MODULES, ids=lambda p: p.name)
def test_numbers_on_pages_go_through_the_catalogue(path):
    """Pages and reports format numbers with i18n.number / tonnes / percent only (Dutch pages
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
