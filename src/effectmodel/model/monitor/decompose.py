"""Why the monitor's figure moved: the change of its total between two periods split exactly
by product group, and within each into spend, use and intensity (docs/model.md, section 9).

A product group's total in a period is ``T = S * u * i``: its spend ``S`` (the frame total
[EUR]), the share of that spend that counts ``u`` (the sampled spend of tenders with a
counted effect over all sampled spend, weighted [-]) and the effect per counted euro ``i``
[t CO2-eq per EUR]. Between two periods the change ``T1 - T0`` is split by Shapley's rule:
each factor's term is its effect averaged over the six orders in which the three can change,
so the terms add up to the change exactly, with no residual and with zeros allowed (LMDI,
the log-mean Divisia index, needs every factor above zero). A group in one period only
changes by its whole total: its own term (``entry_exit``). Pure functions, no I/O.
"""

from __future__ import annotations

from itertools import combinations
from math import factorial

import numpy as np

#: the factors of a group's total, in the order of :func:`shapley`'s terms
FACTORS = ("spend", "use", "intensity")
#: the terms of a group's change (:func:`change_by_group`): the factors', and one for a
#: group in one period only
TERMS = (*FACTORS, "entry_exit")


def shapley(before: tuple[np.ndarray, ...], after: tuple[np.ndarray, ...]
            ) -> list[np.ndarray]:
    """Each factor's term of the change of a product, ``prod(after) - prod(before)``: its
    change times the other factors, each taken before or after, averaged over every order in
    which the factors change (Shapley). The terms add up to the change exactly (up to
    rounding). Arrays broadcast [the product's unit]."""
    k = len(before)
    out = []
    for j in range(k):
        others = [m for m in range(k) if m != j]
        term = 0.0
        for size in range(k):
            for moved in combinations(others, size):
                weight = factorial(size) * factorial(k - size - 1) / factorial(k)
                rest = np.prod([after[m] if m in moved else before[m] for m in others],
                               axis=0) if others else 1.0
                term = term + weight * rest * (after[j] - before[j])
        out.append(term)
    return out


def factors(total: np.ndarray, spend: np.ndarray, use: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(spend [EUR], use [-], intensity [t per EUR]) of totals ``total`` [t]: the intensity
    is the total over the counted spend, 0 where nothing is counted (the total is then 0
    too: a total with no counted spend has no intensity to carry it, and is an error)."""
    spend, use = np.broadcast_arrays(np.asarray(spend, float), np.asarray(use, float))
    counted = spend * use
    total = np.asarray(total, float)
    if np.any((counted <= 0) & (np.abs(total) > 0)):
        raise ValueError("a total with no counted spend: it cannot be split")
    with np.errstate(divide="ignore", invalid="ignore"):
        intensity = np.where(counted > 0, total / counted, 0.0)
    return spend, use, intensity


def per_euro(total, spend) -> tuple[np.ndarray, np.ndarray]:
    """(spend [EUR], total per euro of spend [its unit per EUR], 0 where nothing is spent) of
    totals: two factors, for :func:`shapley`."""
    spend, total = np.broadcast_arrays(np.asarray(spend, float), np.asarray(total, float))
    with np.errstate(divide="ignore", invalid="ignore"):
        return spend, np.where(spend > 0, total / spend, 0.0)


def change_by_group(before: dict[str, tuple], after: dict[str, tuple]
                    ) -> dict[str, dict[str, np.ndarray]]:
    """Per product group of either period (in the order of ``before``, then the groups new
    in ``after``), its change split into ``spend``, ``use``, ``intensity`` and
    ``entry_exit`` [t]: Shapley's terms of ``(spend, use, intensity)`` (:func:`factors`)
    where the group is in both periods (of ``(spend, effect per euro)`` where a total has no
    counted spend to carry it, use's term 0); else the whole change in ``entry_exit`` (the
    other terms 0). ``before``/``after``: group -> (total [t], spend [EUR], use [-]), arrays that
    broadcast (draws)."""
    out = {}
    for g in [*before, *(g for g in after if g not in before)]:
        if g in before and g in after:
            try:
                terms = shapley(factors(*before[g]), factors(*after[g]))
            except ValueError:  # a total without counted spend: per euro of spend only
                terms = shapley(*(per_euro(*x[g][:2]) for x in (before, after)))
                terms = [terms[0], np.zeros_like(terms[0]), terms[1]]
            zero = np.zeros_like(terms[0])
            out[g] = dict(zip(TERMS, [*terms, zero], strict=True))
        else:
            total = np.asarray(after[g][0] if g in after else before[g][0], float)
            signed = total if g in after else -total
            zero = np.zeros_like(signed)
            out[g] = dict(zip(TERMS, [zero, zero, zero, signed], strict=True))
    return out
