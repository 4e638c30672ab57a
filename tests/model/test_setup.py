"""The monitor's setup (model/monitor/setup.py) is built once per inputs object and shared."""

from __future__ import annotations

import gc
import weakref
from dataclasses import fields, replace
from types import MappingProxyType

import numpy as np
import pytest
import xarray as xr

import effectmodel as em
from effectmodel.model.monitor import setup as monitor_setup_module
from effectmodel.model.monitor.setup import monitor_setup


@pytest.fixture
def loaded(tiny):
    params = em.load_params(tiny, overrides={"run.n_draws": 50})
    return params, em.load_inputs(params)


def test_one_setup_per_inputs_read_only(loaded):
    """The same inputs get the same setup, whose arrays no caller can change."""
    _, inputs = loaded
    m = monitor_setup(inputs)
    assert monitor_setup(inputs) is m
    arrays = [getattr(m, f.name) for f in fields(m)]
    arrays = [a for a in arrays if isinstance(a, np.ndarray)]
    assert len(arrays) >= 15
    for a in arrays:
        with pytest.raises(ValueError, match="read-only"):
            a[...] = a


def test_other_inputs_get_their_own_setup(loaded):
    """Inputs with another criteria table (a new object) are set up anew, not given the
    kept setup; the kept one goes with its inputs."""
    _, inputs = loaded
    m = monitor_setup(inputs)
    crit = inputs["criteria"].assign(quantity=inputs["criteria"]["quantity"] * 2)
    other = replace(inputs, tables=MappingProxyType({**inputs.tables, "criteria": crit}))
    m2 = monitor_setup(other)
    assert m2 is not m
    np.testing.assert_allclose(m2.crit_quantity, 2 * m.crit_quantity)
    kept = weakref.ref(m2)
    del m2, other
    gc.collect()
    assert kept() is None, "the setup outlived its inputs"


class _KeepNothing(dict):
    """A setup store that forgets: every call builds the setup anew (as before it was kept)."""

    def __setitem__(self, key, value):
        pass


@pytest.mark.slow
def test_a_kept_setup_gives_the_numbers_of_a_new_one(loaded, monkeypatch):
    """A run on the kept setup (evaluation, then the summary's variance budget and
    indicators) equals one that builds every setup anew."""
    params, inputs = loaded
    kept = em.evaluate(params, inputs)
    kept_summary = em.summarise(kept, params, inputs)
    monkeypatch.setattr(monitor_setup_module, "_LAST", _KeepNothing())
    assert monitor_setup(inputs) is not monitor_setup(inputs)
    fresh = em.evaluate(params, inputs)
    xr.testing.assert_identical(kept, fresh)
    assert em.summarise(fresh, params, inputs) == kept_summary
