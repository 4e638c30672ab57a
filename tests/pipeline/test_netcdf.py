"""results.nc and sweep.nc as other tools read them: the IOOS compliance checker (CF-1.11),
the netCDF4 and h5netcdf engines, and xarray's selection by a sweep parameter's value."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from conftest import ROOT
from effectmodel.pipeline.netcdf import cf_units, to_cf

SWEEP_NC = ROOT / "reports" / "award-grid" / "sweep.nc"  # committed
NAMES = ["results.nc", "sweep.nc"]


@pytest.fixture(scope="module")
def results_nc(tmp_path_factory) -> Path:
    """A reference run's results.nc (not committed: a fresh clone has none), 500 draws,
    written as a run writes it, without the pages (no notebook runs here)."""
    import effectmodel as em
    from effectmodel.pipeline.outputs import save
    from effectmodel.pipeline.provenance import provenance

    out = tmp_path_factory.mktemp("ref") / "reference"
    p = em.load_params(ROOT / "params" / "reference.yaml", n_draws=500)
    i = em.load_inputs(p)
    results = em.evaluate(p, i)
    save(results, em.summarise(results, p, i, provenance(p, i)), p, out)
    return out / "results.nc"


@pytest.fixture(params=NAMES)
def nc_file(request, results_nc) -> Path:
    return results_nc if request.param == "results.nc" else SWEEP_NC


def cf_findings(path: Path, tmp_path: Path) -> dict[str, list]:
    """The compliance checker's failed checks by priority (high, medium, low). A checker
    that could not run a check (it crashed on text coordinates before) fails the test: its
    "no findings" would rest on checks that did not run."""
    exe = Path(sys.executable).with_name("compliance-checker")
    report = tmp_path / f"{path.stem}.json"
    r = subprocess.run([str(exe), "--test=cf:1.11", "--format=json", "-o", str(report),
                        str(path)], capture_output=True, text=True, timeout=300)
    said = r.stdout + r.stderr
    assert r.returncode in (0, 1) and "exceptions occurred" not in said, said[-2000:]
    result = next(iter(json.loads(report.read_text()).values()))
    return {p: [(c["name"], c["msgs"]) for c in result[f"{p}_priorities"] if c["msgs"]]
            for p in ("high", "medium", "low")}


@pytest.mark.slow
def test_cf_checker_finds_nothing(nc_file, tmp_path):
    assert cf_findings(nc_file, tmp_path) == {"high": [], "medium": [], "low": []}


def test_the_checker_finds_what_the_review_found(tmp_path):
    """A file as effectmodel wrote it before (units UDUNITS cannot parse, no long_name, no
    Conventions) is caught: the test above can fail."""
    bad = tmp_path / "old.nc"
    xr.Dataset({"bg_total_t": ("draw", np.arange(3.0), {"units": "t CO2-eq"})}).to_netcdf(
        bad, engine="netcdf4")
    found = cf_findings(bad, tmp_path)
    assert any("UDUNITS" in m for _, msgs in found["high"] for m in msgs), found
    assert any("Conventions" in m for _, msgs in found["medium"] for m in msgs), found


@pytest.mark.slow
def test_netcdf4_and_h5netcdf_read_the_same_numbers(nc_file):
    with xr.open_dataset(nc_file, engine="netcdf4") as a, \
            xr.open_dataset(nc_file, engine="h5netcdf") as b:
        assert a.attrs["Conventions"] == "CF-1.11" and a.attrs["history"].startswith(
            "effectmodel ")
        for name in a.data_vars:
            assert "long_name" in a[name].attrs, name
            if a[name].dtype.kind == "f":
                np.testing.assert_array_equal(a[name].values, b[name].values)
        for name in a.coords:
            assert "long_name" in a[name].attrs, name


@pytest.mark.slow
def test_results_keep_the_human_unit_beside_the_parseable_one(results_nc):
    with xr.open_dataset(results_nc) as ds:
        assert (ds["bg_total_t"].attrs["units"], ds["bg_total_t"].attrs["units_label"]) == (
            "t", "t CO2-eq")
        assert ds["pg_frame_total_eur"].attrs["units_label"] == "EUR"
    with pytest.raises(KeyError):
        cf_units("furlongs")
    with pytest.raises(KeyError):
        to_cf(xr.Dataset({"x": ("d", [1.0], {"units": "furlongs"})}), "h", "s")


def test_a_sweep_selects_by_parameter_name():
    """Parameters are coordinates named as in the sweep file: `.sel(award_probability=0.6)`
    after `set_xindex` gives the three scenarios of that award probability on the grid."""
    with xr.open_dataset(SWEEP_NC) as ds:
        assert ds["award_probability"].attrs["path"] == "buyer_groups.award_probability"
        picked = ds.set_xindex("award_probability").sel(award_probability=0.6)
        assert picked["additionality"].values.tolist() == [0.4, 0.7, 1.0]
        # text labels are an auxiliary coordinate beside the numeric index (CF)
        median = picked.set_xindex("stat_label")["bg_total_t"].sel(stat_label="median").values
        assert np.all(np.diff(median) > 0)  # more additionality, more reduction


@pytest.mark.slow
def test_text_labels_are_auxiliary_coordinates_read_back_as_the_index(results_nc):
    """CF wants coordinate variables numeric: a period, stratum or tender is an index
    beside its text label (``period_label``); effectmodel's reader gives the labels back as
    the index, as the run held them."""
    from effectmodel.pipeline.outputs import read_results

    with xr.open_dataset(results_nc) as ds:
        for dim in ("period", "stratum", "tender", "buyer_group", "factor"):
            assert ds[dim].dtype.kind in "iu", dim
            assert ds[f"{dim}_label"].dims == (dim,)
            assert ds[dim].values.tolist() == list(range(ds.sizes[dim]))
        labels = ds["period_label"].values.tolist()
        by_label = ds.set_xindex("period_label")["period_total_t"].sel(
            period_label=labels[-1]).values
    back = read_results(results_nc)
    assert back["period"].values.tolist() == labels and "period_label" not in back.coords
    np.testing.assert_array_equal(back["period_total_t"].sel(period=labels[-1]).values,
                                  by_label)
