"""Why the figure moved (model/monitor/decompose.py): Shapley's split of a change between
two periods into spend, use and intensity, checked by hand and held exact."""

from __future__ import annotations

import numpy as np
import pytest

from effectmodel.model.monitor import decompose

RTOL = 1e-9


def test_two_groups_two_periods_by_hand():
    """A: spend doubles, use stays 0.5, intensity halves (100 t both periods). Spend's term
    over the six orders: 100/3 (first) + 100/6 (after use) + 50/6 (after intensity) + 50/3
    (last) = 75 t; intensity's -75 t; use's 0. B is new (30 t), C gone (20 t): the change is
    10 t, of which B +30 and C -20 as entry and exit."""
    before = {"A": (100.0, 100.0, 0.5), "C": (20.0, 40.0, 1.0)}
    after = {"A": (100.0, 200.0, 0.5), "B": (30.0, 10.0, 1.0)}
    got = decompose.change_by_group(before, after)
    assert list(got) == ["A", "C", "B"]
    assert got["A"]["spend"] == pytest.approx(75.0, rel=RTOL)
    assert got["A"]["use"] == pytest.approx(0.0, abs=1e-12)
    assert got["A"]["intensity"] == pytest.approx(-75.0, rel=RTOL)
    assert got["A"]["entry_exit"] == 0
    assert got["B"] == {"spend": 0, "use": 0, "intensity": 0, "entry_exit": 30.0}
    assert got["C"]["entry_exit"] == -20.0 and got["C"]["spend"] == 0
    assert sum(sum(t.values()) for t in got.values()) == pytest.approx(10.0, rel=RTOL)


def test_two_factors_give_the_midpoint_rule():
    """With two factors Shapley's terms are the change of each times the mean of the other:
    (x1 - x0)(y0 + y1)/2 and (y1 - y0)(x0 + x1)/2."""
    rng = np.random.default_rng(1)
    x0, x1, y0, y1 = rng.uniform(0, 10, (4, 50))
    dx, dy = decompose.shapley((x0, y0), (x1, y1))
    np.testing.assert_allclose(dx, (x1 - x0) * (y0 + y1) / 2, rtol=RTOL)
    np.testing.assert_allclose(dy, (y1 - y0) * (x0 + x1) / 2, rtol=RTOL)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_terms_add_up_to_the_change_draw_by_draw(seed):
    """Any totals, spends and uses (zeros among them: nothing counted, a total of 0), in
    draws: the terms of every group add up to its change to 1e-9, with no residual."""
    rng = np.random.default_rng(seed)
    draws = 1000

    def period(groups):
        out = {}
        for g in groups:
            spend = rng.lognormal(20, 1)
            use = np.where(rng.random(draws) < 0.1, 0.0, rng.uniform(0, 1, draws))
            total = use * spend * rng.lognormal(-12, 1, draws)
            out[g] = (total, spend, use)
        return out

    before, after = period("abcd"), period("bcde")
    got = decompose.change_by_group(before, after)
    change = sum(after[g][0] for g in after) - sum(before[g][0] for g in before)
    parts = sum(sum(t.values()) for t in got.values())
    np.testing.assert_allclose(parts, change, rtol=RTOL, atol=RTOL * np.abs(change).max())
    for g in "bcd":
        np.testing.assert_allclose(sum(got[g].values()), after[g][0] - before[g][0],
                                   rtol=RTOL, atol=1e-9 * np.abs(after[g][0]).max())


def test_a_total_without_counted_spend_is_refused():
    with pytest.raises(ValueError, match="no counted spend"):
        decompose.factors(np.array([5.0]), 100.0, np.array([0.0]))


def test_a_total_without_counted_spend_splits_by_spend_and_effect_per_euro():
    """A period whose total has no counted spend to carry it (use 0, total 6 t on 100 EUR)
    against one of 200 EUR with 8 t: spend's term (200 - 100) * (0.06 + 0.04) / 2 = 5 t,
    the effect per euro's -3 t as intensity, use 0."""
    got = decompose.change_by_group({"A": (6.0, 100.0, 0.0)}, {"A": (8.0, 200.0, 0.5)})["A"]
    assert got["spend"] == pytest.approx(5.0, rel=RTOL)
    assert got["intensity"] == pytest.approx(-3.0, rel=RTOL)
    assert got["use"] == 0 and got["entry_exit"] == 0


@pytest.mark.slow
def test_the_summarys_changes_add_up(reference_summary):
    """The reference's changes between consecutive periods: per change, the parts of every
    product group add up to the change (central, to 1e-9), the parts summed over the groups
    are those sums, the means add up as the draws do, and the central change is the
    difference of the periods' central totals."""
    mon = reference_summary["effect_monitor"]
    periods = {p["period"]: p for p in mon["periods"]}
    names = list(periods)
    changes = mon["changes"]
    assert [(c["from"], c["to"]) for c in changes] == list(zip(names[:-1], names[1:],
                                                              strict=True))
    keys = ("spend_t", "use_t", "intensity_t", "entry_exit_t")
    for c in changes:
        rows = c["by_product_group"]
        change = c["change_t"]
        assert change["central"] == pytest.approx(
            periods[c["to"]]["central_t"] - periods[c["from"]]["central_t"], rel=RTOL)
        for figure in ("central", "mean"):
            parts = sum(r[k][figure] for r in rows for k in keys)
            assert parts == pytest.approx(change[figure], rel=RTOL, abs=1e-6)
            for k in keys:
                assert c["parts"][k][figure] == pytest.approx(
                    sum(r[k][figure] for r in rows), rel=RTOL, abs=1e-6)
        groups = {r["id"] for p in (c["from"], c["to"]) for r in periods[p]["product_groups"]}
        assert {r["product_group"] for r in rows} == groups


@pytest.mark.slow
def test_the_footprints_change_per_year_splits_into_volume_and_intensity(reference_summary):
    """Each spend year after the first: the footprint's change from the year before splits
    into volume and intensity that add up to it (central and mean, to 1e-9). The reference's
    spend grows alike in every group, so its mix, and with it the intensity, stays: all of
    the change is volume."""
    years = reference_summary["spend_impact"]["years"]
    assert len(years) >= 2 and "change" not in years[0]
    for before, y in zip(years, years[1:], strict=False):
        ch = y["change"]["co2_eq"]
        assert ch["change"]["central"] == pytest.approx(
            y["footprint"]["co2_eq"]["central"] - before["footprint"]["co2_eq"]["central"],
            rel=RTOL)
        for figure in ("central", "mean"):
            assert ch["volume"][figure] + ch["intensity"][figure] == pytest.approx(
                ch["change"][figure], rel=RTOL)
        assert abs(ch["intensity"]["central"]) <= 1e-9 * abs(ch["change"]["central"])


def test_any_two_periods_on_request(tiny):
    """``monitor.changes`` names the pairs: the first and the last period of the tiny
    project, whose parts add up to the difference of their central totals; a period that
    is not estimated, or a pair of one, is refused in one line naming the option."""
    import effectmodel as em
    from effectmodel.domain.errors import InputError

    params = em.load_params(tiny, n_draws=50)
    inputs = em.load_inputs(params)
    names = list(inputs.periods)
    first, last = names[0], names[-1]
    params = em.load_params(tiny, n_draws=50, overrides={"monitor.changes": [[last, first]]})
    summary = em.summarise(em.evaluate(params, inputs), params, inputs)
    (c,) = summary["effect_monitor"]["changes"]
    central = {p["period"]: p["central_t"] for p in summary["effect_monitor"]["periods"]}
    assert (c["from"], c["to"]) == (last, first)
    assert c["change_t"]["central"] == pytest.approx(central[first] - central[last], rel=RTOL)
    assert sum(v["central"] for v in c["parts"].values()) == pytest.approx(
        c["change_t"]["central"], rel=RTOL)
    for bad, said in (([[first, "2031-2032"]], "is not among the periods estimated"),
                      ([[first]], "pairs of two periods")):
        with pytest.raises(InputError, match=said) as caught:
            em.load_inputs(em.load_params(tiny, overrides={"monitor.changes": bad}))
        assert "monitor.changes" in str(caught.value) and "\n" not in str(caught.value)
