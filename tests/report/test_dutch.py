"""The Dutch briefing speaks Dutch: no English word and no English-formatted number in what
the pages themselves say. Exempt: what the data say (their text cells, shown as the data
have them), code and file names, the provenance's package names, the statsmodels output, and
proper names."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

import effectmodel as em
from conftest import ROOT

PAGES = ["index.html", "annex-monitor.html", "annex-buyer-groups.html"]
#: words that are English and not Dutch (Dutch homographs such as 'per', 'in', 'over',
#: 'effect', 'interval', 'contract', 'of' are left out)
ENGLISH = set("""the and with from year years each raw materials errors standard central total
that design award unit units draws range median sampled tender tenders lifetime share
households figure figures which where when this these those were been has have had than then
more less counted unclear market beyond awarded quantity value values source sources file
files rows assumption random bayesian expected drawn yes true false none reduction reductions
households""".split())
#: proper names and terms of art that are the same in Dutch
ALLOWED = {"buyer", "group", "groups", "rivm", "mvi", "tenderned", "monte", "carlo", "sobol",
           "jansen", "janon", "spearman", "wilson", "jeffreys", "kish", "bernoulli", "git"}
#: sections and elements whose text is not the page's own words
SKIP_IDS = {"provenance", "assumptions"}
SKIP_TAGS = {"code", "style", "script", "svg"}
SKIP_CLASSES = {"statsmodels", "sources"}


class Visible(HTMLParser):
    """The page's visible text outside the exempt elements."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.depth = 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        skip = (tag in SKIP_TAGS or a.get("id") in SKIP_IDS
                or bool(set((a.get("class") or "").split()) & SKIP_CLASSES))
        if tag not in ("br", "img", "meta", "link", "input", "wbr", "hr"):
            self.stack.append(skip)
            self.depth += skip

    def handle_endtag(self, tag):
        if tag not in ("br", "img", "meta", "link", "input", "wbr", "hr") and self.stack:
            self.depth -= self.stack.pop()

    def handle_data(self, data):
        if not self.depth:
            self.text.append(data)


def data_strings() -> list[str]:
    """Every text cell of the reference's input tables, longest first."""
    inputs = em.load_inputs(em.load_params(ROOT / "params" / "reference-nl.yaml"))
    cells = {str(v) for df in inputs.tables.values() for col in df.columns
             if not pd.api.types.is_numeric_dtype(df[col]) for v in df[col].dropna()
             if len(str(v)) > 2}
    return sorted(cells, key=len, reverse=True)


@pytest.fixture(scope="module")
def exempt() -> list[str]:
    return data_strings()


@pytest.mark.parametrize("page", PAGES)
def test_the_dutch_pages_have_no_english(page, exempt):
    parser = Visible()
    parser.feed((ROOT / "reports" / "reference-nl" / page).read_text(encoding="utf-8"))
    text = re.sub(r"\s+", " ", " ".join(parser.text))
    for s in exempt:
        text = text.replace(s, " ")
    english = sorted({w for w in re.findall(r"[A-Za-z]+", text)
                      if w.lower() in ENGLISH and w.lower() not in ALLOWED})
    where = [m.group(0) for w in english[:8]
             for m in [re.search(rf".{{0,50}}\b{w}\b.{{0,30}}", text)] if m]
    assert english == [], where
    # English separators: 1,234,567 or 1,234.5 (a Dutch page writes 1.234.567 and 1.234,5;
    # '1,234' alone is also a Dutch decimal with three places, so it cannot tell)
    numbers = re.findall(r"\d{1,3}(?:,\d{3}){2,}(?![\d])|\d,\d{3}\.\d", text)
    assert numbers == [], numbers[:8]


def test_the_dutch_tables_have_no_english_headers():
    """The nl tables' column names and labels (CSV, and so tables.xlsx) are Dutch: the review
    found 'centraal, onduidelijk als none' and 'interactions (1 - sum of first orders)'.
    Identifiers (a group's id, an indicator's) are data, not words."""
    words = ENGLISH | {"interactions", "sum", "first", "orders", "self", "check", "coverage",
                       "upper", "bound", "prior", "shown"}
    found = []
    for path in sorted((ROOT / "reports" / "reference-nl" / "tables").glob("*.csv")):
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        labels = list(df.columns) + [v for c in ("cijfer", "groep") if c in df
                                     for v in df[c] if " " in v]
        for label in labels:
            english = [w for w in re.findall(r"[A-Za-z]+", label.split(" [")[0])
                       if w.lower() in words and w.lower() not in ALLOWED]
            if english:
                found.append(f"{path.name}: {label}")
    assert found == [], found[:8]


def test_the_commands_stage_lines_follow_the_runs_language():
    """A Dutch run's stage lines are Dutch, as its last line is; an English run's English."""
    from effectmodel.pipeline.run import stages

    for lang, want in (("nl", "1.000 trekkingen doorgerekend ("),
                       ("en", "evaluated 1,000 draws (")):
        lines: list[str] = []
        say = stages(lines.append, [lang])
        with say("evaluated", n=1000):
            pass
        assert lines[0].startswith(want), lines
        assert lines[0].endswith(" s)")


def test_the_commands_count_in_dutch(capsys):
    """validate on a Dutch project counts its rows as Dutch writes numbers: the reference's
    two thousand and more rows as 2.258, not 2258 (the researcher trial found 2258)."""
    from effectmodel.cli import main

    params = ROOT / "params" / "reference-nl.yaml"
    p = em.load_params(params)
    n = sum(len(df) for df in em.load_inputs(p).tables.values())
    assert n >= 1000  # a count with a thousands mark
    assert main(["validate", str(params)]) == 0
    out = capsys.readouterr().out
    assert f"({n:,} rijen;".replace(",", ".") in out, out
