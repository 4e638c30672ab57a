"""Property tests (hypothesis): invariants that hold for any valid input."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from effectmodel.model import buyergroups, distributions, monitor, stats

# no subnormal numbers: their few bits of precision make any relative tolerance meaningless
finite = st.floats(min_value=0.0, max_value=1e6, allow_nan=False, allow_infinity=False,
                   allow_subnormal=False)
positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def spec(draw):
    lo = draw(st.floats(min_value=0.0, max_value=100.0))
    width = draw(st.floats(min_value=1e-3, max_value=100.0))
    mode = lo + width * draw(st.floats(min_value=0.0, max_value=1.0))
    kind = draw(st.sampled_from(["pert", "triangular", "uniform", "fixed"]))
    return kind, lo, mode, lo + width


@given(spec(), st.lists(st.floats(min_value=0.0, max_value=1.0, exclude_max=True),
                        min_size=2, max_size=50))
def test_ppf_is_monotone_and_within_bounds(s, us):
    kind, lo, mode, hi = s
    u = np.sort(np.array(us))[:, None]
    x = distributions.ppf([kind], [lo], [mode], [hi], u)[:, 0]
    assert (np.diff(x) >= -1e-9 * (hi - lo)).all()
    assert (x >= lo - 1e-9).all() and (x <= hi + 1e-9).all()


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6), min_size=2, max_size=300),
       st.floats(min_value=0.01, max_value=0.99))
def test_stats_are_ordered(xs, interval):
    d = stats.describe(np.array(xs), interval, batches=2)
    assert d["low"] <= d["median"] <= d["high"]
    assert min(xs) <= d["mean"] <= max(xs) or np.isclose(d["mean"], min(xs))


fraction = st.floats(min_value=0.0, max_value=1.0)


@given(positive, positive, fraction, fraction, fraction)
def test_a_tender_never_avoids_more_than_its_baseline(q, ef, rf, award, add):
    """0 <= reduction <= quantity x emission factor; no award or no additionality: 0."""
    r = buyergroups.tender_reduction(q, ef, rf, award, add)
    assert 0 <= r <= q * ef * (1 + 1e-12)
    assert buyergroups.tender_reduction(q, ef, rf, 0.0, add) == 0
    assert buyergroups.tender_reduction(q, ef, rf, award, 0.0) == 0


stratum = st.lists(st.tuples(positive, finite, st.floats(min_value=0.1, max_value=5.0)),
                   min_size=1, max_size=30)


@settings(max_examples=50)
@given(stratum, stratum, st.randoms(use_true_random=False))
def test_ratio_estimator_properties(a, b, rnd):
    """Per stratum: scale-free in the weights, linear in the effects, inverse in the values,
    blind to the order of the tenders and to the other strata."""
    rows = a + b
    value, effect, weight = (np.array([r[k] for r in rows]) for k in range(3))
    starts = np.array([0, len(a)])
    r = monitor.ratio_estimate(effect, value, weight, starts)
    assert r.shape == (2,) and (r >= 0).all()
    np.testing.assert_allclose(monitor.ratio_estimate(2 * effect, value, 3 * weight, starts),
                               2 * r, rtol=1e-9)
    np.testing.assert_allclose(monitor.ratio_estimate(effect, 4 * value, weight, starts),
                               r / 4, rtol=1e-9)
    order = list(range(len(a)))
    rnd.shuffle(order)
    order += list(range(len(a), len(rows)))
    np.testing.assert_allclose(monitor.ratio_estimate(effect[order], value[order],
                                                      weight[order], starts), r, rtol=1e-9)
    other = effect.copy()
    other[len(a):] *= 7.0  # change the second stratum only
    changed = monitor.ratio_estimate(other, value, weight, starts)
    assert changed[0] == r[0]
    np.testing.assert_allclose(changed[1], 7 * r[1], rtol=1e-9)


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=2**32), st.integers(min_value=1, max_value=40))
def test_streams_depend_only_on_identity(seed, n):
    from effectmodel.model.design import unit_block

    a = unit_block(seed, 0, ("t", "v"), ["x", "y", "z"], n)
    b = unit_block(seed, 0, ("t", "v"), ["z", "x"], n)
    np.testing.assert_array_equal(a[:, 0], b[:, 1])  # column x, wherever it stands
    np.testing.assert_array_equal(a[:, 2], b[:, 0])  # column z
    assert ((a >= 0) & (a < 1)).all()
