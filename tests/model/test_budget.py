"""The variance budget: first-order and total Sobol indices of groups of inputs by
pick-freeze on the run's own draws (model/budget.py), against closed forms (a product of
independent inputs, Ishigami) and on the reference."""

from __future__ import annotations

import numpy as np
import pytest

import effectmodel as em
from conftest import REFERENCE
from effectmodel.model import budget


def pick_freeze(model, draws: dict[str, np.ndarray], seed: int = 7) -> dict:
    """The budget of ``model`` over independent groups of inputs ``draws`` {group: (n, ...)},
    built as model/budget.py builds it: sample B and each A_B^g by permuting a group's rows
    across the draws."""
    n = len(next(iter(draws.values())))
    perm = {g: budget.permutation(seed, 0, g, n) for g in draws}
    y_a = model(draws)
    y_b = model({g: x[perm[g]] for g, x in draws.items()})
    y_ab = {g: model({**draws, g: draws[g][perm[g]]}) for g in draws}
    return budget.budget_of(y_a, y_b, y_ab, seed)


def inside(got: dict, group: str, first: float, total: float) -> None:
    """The closed-form indices lie in the estimate's 95% Monte Carlo intervals, widened by
    half their width (the bootstrap's own error over 200 resamples)."""
    g = got["groups"][group]
    for key, want in (("first_order", first), ("total", total)):
        lo, hi = g[f"{key}_ci"]
        pad = (hi - lo) / 2
        assert lo - pad <= want <= hi + pad, (group, key, want, g)


@pytest.mark.slow
def test_a_product_of_independent_inputs_by_hand():
    """Y = X1 X2, X1 ~ U(1, 3) (mean 2, var 1/3), X2 ~ U(0, 2) (mean 1, var 1/3):
    V = E[X1^2] E[X2^2] - (E X1 E X2)^2 = (13/3)(4/3) - 4 = 16/9;
    V1 = E[X2]^2 var X1 = 1/3, V2 = E[X1]^2 var X2 = 4/3, V12 = var X1 var X2 = 1/9.
    S1 = 3/16, S2 = 12/16, ST1 = 4/16, ST2 = 13/16, interactions 1/16."""
    rng = np.random.default_rng(3)
    n = 40_000
    draws = {"x1": rng.uniform(1, 3, n), "x2": rng.uniform(0, 2, n)}
    got = pick_freeze(lambda d: d["x1"] * d["x2"], draws)
    inside(got, "x1", 3 / 16, 4 / 16)
    inside(got, "x2", 12 / 16, 13 / 16)
    lo, hi = got["interactions"]["ci"]
    assert lo - (hi - lo) / 2 <= 1 / 16 <= hi + (hi - lo) / 2
    # the intervals are real: narrow enough to tell the groups apart
    assert got["groups"]["x2"]["first_order_ci"][0] > got["groups"]["x1"]["total_ci"][1]


def ishigami(d, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    x1, x2, x3 = d["x1"], d["x2"], d["x3"]
    return np.sin(x1) + a * np.sin(x2) ** 2 + b * x3**4 * np.sin(x1)


@pytest.mark.slow
def test_ishigami_by_its_closed_form():
    """Ishigami (a = 7, b = 0.1) on U(-pi, pi)^3: S1 0.3139, S2 0.4424, S3 0; ST1 0.5576,
    ST2 0.4424, ST3 0.2437 (Ishigami and Homma 1990; Saltelli et al. 2008)."""
    a, b, pi = 7.0, 0.1, np.pi
    v = a**2 / 8 + b * pi**4 / 5 + b**2 * pi**8 / 18 + 0.5
    v1 = b * pi**4 / 5 + b**2 * pi**8 / 50 + 0.5
    v2 = a**2 / 8
    v13 = b**2 * pi**8 * (1 / 18 - 1 / 50)
    rng = np.random.default_rng(11)
    n = 40_000
    draws = {k: rng.uniform(-pi, pi, n) for k in ("x1", "x2", "x3")}
    got = pick_freeze(ishigami, draws)
    inside(got, "x1", v1 / v, (v1 + v13) / v)
    inside(got, "x2", v2 / v, v2 / v)
    inside(got, "x3", 0.0, v13 / v)
    assert v1 / v == pytest.approx(0.3139, abs=1e-4) and v13 / v == pytest.approx(0.2437,
                                                                                    abs=1e-4)
    # a group of two inputs: {x1, x3} together holds everything that is not x2's
    rows = budget.permutation(5, 0, "x13", n)
    y_a = ishigami(draws)
    b_draws = {"x1": draws["x1"][rows], "x3": draws["x3"][rows],
               "x2": draws["x2"][budget.permutation(5, 0, "x2", n)]}
    y_b = ishigami(b_draws)
    y_ab = {"x13": ishigami({**draws, "x1": b_draws["x1"], "x3": b_draws["x3"]}),
            "x2": ishigami({**draws, "x2": b_draws["x2"]})}
    grouped = budget.budget_of(y_a, y_b, y_ab, 5)
    inside(grouped, "x13", (v1 + v13) / v, (v1 + v13) / v)


def test_a_figure_that_does_not_vary_has_no_budget():
    y = np.full(100, 5.0)
    assert budget.budget_of(y, y, {"x": y}) is None


def test_a_sole_source_has_all_the_variance():
    """With only award uncertainty on (each tender's own chance), the award group is
    everything: S = ST = 1 and no interactions, within their Monte Carlo intervals."""
    only = {f"buyer_groups.uncertainty.{k}": k == "award"
            for k in ("award", "additionality", "quantity", "emission_factor",
                      "reduction_fraction")}
    p = em.load_params(REFERENCE, n_draws=4000, overrides={
        **only, "monitor.bootstrap": "none", "buyer_groups.risk_evidence": "table"})
    i = em.load_inputs(p)
    vb = budget.variance_budget(p, i, em.evaluate(p, i), None)
    bg = vb["buyer_groups"]
    assert list(bg["groups"]) == ["award"]
    g = bg["groups"]["award"]
    for key in ("first_order", "total"):
        lo, hi = g[f"{key}_ci"]
        assert lo <= 1.0 <= hi and hi - lo < 0.2, (key, lo, hi)
    lo, hi = bg["interactions"]["ci"]
    assert lo <= 0.0 <= hi


@pytest.mark.slow
def test_the_reference_budget(reference_summary):
    """The reference, 2019-2020: the bootstrap over sampled tenders leads the monitor's
    variance (measured S 0.80, ST 0.84 at 10,000 draws); additionality leads the buyer groups;
    no interaction share is negative beyond its interval; every total index is at least its
    first-order index within their intervals; the method is named."""
    vb = reference_summary["variance_budget"]
    assert "pick-freeze" in vb["method"] and "Sobol" in vb["method"]
    mon = vb["monitor"]
    assert mon["period"] == "2019-2020"
    assert list(mon["indices"]["groups"]) == ["sampling", "translation_factors", "frame_totals"]
    assert sorted(mon["indicators"]) == ["jobs", "nox", "pm", "raw_materials"]
    for b, lead in ((mon["indices"], "sampling"), *((x, "sampling")
                                                  for x in mon["indicators"].values()),
                    (vb["buyer_groups"], "additionality")):
        groups = b["groups"]
        assert max(groups, key=lambda k: groups[k]["total"]) == lead
        assert b["interactions"]["ci"][1] >= 0
        for g in groups.values():
            assert g["total_ci"][1] >= g["first_order_ci"][0]
            assert 0 <= g["total"] <= 1.05
    assert list(vb["buyer_groups"]["groups"]) == ["award", "additionality", "risk_total",
                                                  "cancellation", "quantity",
                                                  "emission_factor", "reduction_fraction"]


def test_the_budget_samples_are_the_runs_own_points_reordered():
    """Within a budget evaluation a group's points are the run's rows in the permuted order,
    every other group's as drawn."""
    from effectmodel.model import sampling
    from effectmodel.model.design import reordered

    p = em.load_params(REFERENCE, n_draws=256)
    i = em.load_inputs(p)
    run = sampling.sample_buyer_groups(i["buyer_group_tenders"], p.buyer_groups, p.run.seed,
                                       256, "random")
    perm = budget.permutation(p.run.seed, 0, "quantity", 256)
    with reordered(lambda key, col: perm if budget.group_of(key, col) == "quantity"
                   else None):
        moved = sampling.sample_buyer_groups(i["buyer_group_tenders"], p.buyer_groups,
                                             p.run.seed, 256, "random")
    np.testing.assert_array_equal(moved["quantity"].values, run["quantity"].values[perm])
    np.testing.assert_array_equal(moved["award"].values, run["award"].values)
    np.testing.assert_array_equal(moved["risk_total"].values, run["risk_total"].values)
