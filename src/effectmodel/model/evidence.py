"""Risk rates from published counts: how often criteria go beyond market standard and are
carried into the contract (docs/model.md, section 1 and "Risk defaults").

Zijp et al. 2022 (Sustainability 14(16):10271, https://doi.org/10.3390/su141610271) examined
applications of circular criteria in Dutch tenders of 2017-2018, with interviews. Of these
applications, 20 did not go beyond market standard, 7 were not carried into the contract and
for 21 the ambition and the operationalisation stayed unclear. The paper also says that two
thirds of the tenders gave no reduced impact. Reading the 48 applications without a shown
effect as those two thirds gives 72 applications, so 24 with an effect: an inference, since the
two thirds count tenders and the 20 / 7 / 21 count applications.

The outcomes are nested: first beyond market standard or not, then carried into the contract or
not. Unclear applications follow one rule in both parts of the model (docs/model.md, section 4):

- ``not_counted`` (the default, as RIVM counts an unclear criterion and as the source's "two
  thirds without effect" reads): an application whose ambition stayed unclear is not shown to
  go beyond market standard, so it is a failure of the first rate;
- ``missing_at_random``: unclear applications are left out, each rate is the share among the
  applications whose outcome is known;
- ``counted``: unclear applications count as having an effect: they pass both tests (the
  high reading).

The rule is the project's one ``unclear`` key, which reads the monitor's unclear tests too.

Each rate has a Jeffreys Beta(1/2, 1/2) prior. A tender's chance is the posterior mean, the
posterior predictive probability of one Bernoulli outcome; :func:`posteriors` gives the
rates' Beta parameters for any total of applications, to draw the rates once per Monte Carlo
draw (one parameter shared by all tenders).

Pure functions; the reference data script writes their results into the data's ``award_probability``
and ``additionality_*`` columns, with :func:`derivation` in the ``source`` column.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy import special

from effectmodel.domain.paramschema import UNCLEAR_RULES

ZIJP_2022_URL = "https://doi.org/10.3390/su141610271"
JEFFREYS = (0.5, 0.5)
"""Beta prior of a rate [-]: Jeffreys, half a success and half a failure."""


@dataclass(frozen=True)
class CircularCounts:
    """Outcomes of applications of circular criteria [applications]."""

    not_beyond_market_standard: int
    not_in_contract: int
    unclear: int
    share_without_effect: Fraction
    """share of the (tenders) without reduced impact [-], used to infer the total"""

    @property
    def without_effect(self) -> int:
        """Applications without a shown effect [applications]."""
        return self.not_beyond_market_standard + self.not_in_contract + self.unclear

    @property
    def total(self) -> int:
        """All applications, inferred: without_effect / share_without_effect [applications]."""
        total = Fraction(self.without_effect) / self.share_without_effect
        if total.denominator != 1:
            raise ValueError(f"{self.without_effect} / {self.share_without_effect} is not a whole "
                             "number of applications")
        return int(total)

    @property
    def with_effect(self) -> int:
        """Applications beyond market standard and carried into the contract, inferred
        [applications]."""
        return self.total - self.without_effect


ZIJP_2022 = CircularCounts(not_beyond_market_standard=20, not_in_contract=7, unclear=21,
                           share_without_effect=Fraction(2, 3))


@dataclass(frozen=True)
class Rate:
    """A rate's Beta posterior from successes and failures [-]."""

    successes: int
    failures: int
    prior: tuple[float, float] = JEFFREYS

    @property
    def a(self) -> float:
        return self.successes + self.prior[0]

    @property
    def b(self) -> float:
        return self.failures + self.prior[1]

    @property
    def mean(self) -> float:
        """Posterior mean [-]: the chance of one more outcome being a success."""
        return self.a / (self.a + self.b)

    def interval(self, level: float = 0.9) -> tuple[float, float]:
        """Equal-tailed credible interval of the rate [-]."""
        tail = (1 - level) / 2
        return (float(special.betaincinv(self.a, self.b, tail)),
                float(special.betaincinv(self.a, self.b, 1 - tail)))


def additionality_rate(counts: CircularCounts = ZIJP_2022,
                       unclear: str = "not_counted") -> Rate:
    """Criteria go beyond market standard: (with effect + not in contract) against not beyond
    market standard, and the unclear ones with them (``not_counted``) or left out
    (``missing_at_random``) [-]."""
    a, b = posteriors(counts.not_beyond_market_standard, counts.not_in_contract,
                      counts.unclear, counts.total, unclear, jeffreys=False)["additionality"]
    return Rate(int(a), int(b))


def contract_rate(counts: CircularCounts = ZIJP_2022, unclear: str = "not_counted") -> Rate:
    """Criteria beyond market standard are carried into the contract: with effect against not
    in contract [-]; the unclear ones never reach this test under either rule. The model's
    award probability."""
    a, b = posteriors(counts.not_beyond_market_standard, counts.not_in_contract,
                      counts.unclear, counts.total, unclear, jeffreys=False)["award"]
    return Rate(int(a), int(b))


def _rule(unclear: str) -> str:
    if unclear not in UNCLEAR_RULES:
        raise ValueError(f"unclear: {unclear!r} is not one of {', '.join(UNCLEAR_RULES)}")
    return unclear


def posteriors(not_beyond_market_standard: float, not_in_contract: float, unclear: float,
               total, rule: str = "not_counted", jeffreys: bool = True
               ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The rates' Beta posteriors for a total of applications that may be uncertain.

    Parameters
    ----------
    not_beyond_market_standard, not_in_contract, unclear : counts [applications]
    total : all applications, a number or an array of draws [applications]; those beyond the
        three counts had an effect (none where the total is smaller)
    rule : ``not_counted``, ``missing_at_random`` or ``counted`` (see the module's text)
    jeffreys : add the Jeffreys prior's half success and half failure (else the counts)

    Returns
    -------
    ``{"additionality": (a, b), "award": (a, b)}``, each parameter shaped like ``total`` [-]
    """
    without = not_beyond_market_standard + not_in_contract + unclear
    with_effect = np.maximum(np.asarray(total, dtype=float) - without, 0.0)
    rule = _rule(rule)
    fail_first = not_beyond_market_standard + (unclear if rule == "not_counted" else 0)
    passed = unclear if rule == "counted" else 0  # counted: they pass both tests
    a0, b0 = JEFFREYS if jeffreys else (0.0, 0.0)
    return {"additionality": (with_effect + not_in_contract + passed + a0,
                              np.full_like(with_effect, fail_first + b0)),
            "award": (with_effect + passed + a0,
                      np.full_like(with_effect, not_in_contract + b0))}


def derivation(counts: CircularCounts = ZIJP_2022, decimals: int = 3,
               unclear: str = "not_counted") -> str:
    """The derivation in words, for the data's ``source`` column."""
    add, con = additionality_rate(counts, unclear), contract_rate(counts, unclear)
    rule = {"not_counted": "unclear counted as not beyond market standard (their ambition "
                           "stayed unclear; RIVM's rule)",
            "missing_at_random": "unclear left out (missing at random)",
            "counted": "unclear counted as having an effect (in full)"}[_rule(unclear)]
    lo_a, hi_a = add.interval()
    lo_c, hi_c = con.interval()
    n = counts
    return (
        f"derived from counts (Zijp et al. 2022, {ZIJP_2022_URL}): of the applications of "
        f"circular criteria examined, {n.not_beyond_market_standard} did not go beyond market "
        f"standard, {n.not_in_contract} were not carried into the contract, {n.unclear} "
        f"unclear; inference: these {n.without_effect} are the two thirds without effect, so "
        f"{n.total} applications and {n.with_effect} with effect; {rule}, Jeffreys Beta(1/2, "
        f"1/2) prior; additionality: bernoulli, beyond market "
        f"standard with probability {add.mean:.{decimals}f} = ({add.successes} + 1/2) / "
        f"({add.successes} + {add.failures} + 1) (90% interval of the rate "
        f"{lo_a:.2f}-{hi_a:.2f}); award_probability: carried into the contract "
        f"{con.mean:.{decimals}f} = ({con.successes} + 1/2) / ({con.successes} + "
        f"{con.failures} + 1) (90% interval {lo_c:.2f}-{hi_c:.2f}); with buyer_groups."
        "risk_evidence: counts the rates are drawn from their posteriors once per draw; "
        "assumption: circular criteria of 2017-2018 stand for buyer groups' criteria"
    )
