"""results.nc and sweep.nc as CF-1.11 netCDF-4 files: readable by the netCDF4 and h5netcdf
engines, with a ``long_name`` on every variable and coordinate, units UDUNITS can parse (the
human label, such as ``t CO2-eq``, kept in ``units_label``), and ``Conventions``, ``history``
and ``source``. Byte-reproducible: no timestamps, no absolute paths (tested)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import xarray as xr

CONVENTIONS = "CF-1.11"
#: the suffix of a dimension's text labels, an auxiliary coordinate beside its numeric index
LABEL = "_label"

#: human units -> UDUNITS units. A count (households, tenders) and a currency (EUR, which
#: UDUNITS does not know) are "1"; every mass of CO2-eq is "t" (tonne); "per household" or
#: "per tender unit" divides by a count, so it stays "t". The human label keeps the meaning.
UDUNITS = {
    "t CO2-eq": "t",
    "t CO2-eq per household": "t",
    "t CO2-eq per tender unit": "t",
    "t CO2-eq per unit": "t",
    "households": "1",
    "tenders": "1",
    "criteria": "1",
    "t CO2-eq per year": "t year-1",
    "kg NOx": "kg", "kg NOx per year": "kg year-1",
    "kg PM": "kg", "kg PM per year": "kg year-1",
    "t raw materials": "t", "t raw materials per year": "t year-1",
    "FTE-years": "1", "FTE": "1",
    "EUR": "1",
    "EUR per year": "year-1",
    "m2a per year": "m2",
    "kg CO2-eq per EUR": "kg",
    "m2a per EUR": "m2 year",
    "kg raw materials per EUR": "kg",
    "tender unit (quantity_unit)": "1",
    "1": "1",
}

#: long names of the coordinates and dimensions effectmodel writes
COORDINATES = {
    "draw": "Monte Carlo draw",
    "tender": "buyer-group tender (tender_id of buyer_group_tenders.csv)",
    "buyer_group": "buyer group (id of buyer_groups.csv)",
    "stratum": "stratum of the effect monitor: period/product group",
    "stratum_period": "monitoring period of the stratum",
    "stratum_product_group": "product group of the stratum",
    "period": "monitoring period (two years)",
    "factor": "translation factor (factor_id of translation_factors.csv, and @period for a row "
              "of one period)",
    "scenario": "sweep scenario",
    "spend_group": "spend group of the spend and impact (group of spend.csv, or product "
                   "group of the frame totals)",
    "spend_year": "calendar year of the spend (year of spend.csv)",
    "intensity_correlation": "correlation of the spend intensities' errors across groups",
    "stat": "statistic over the Monte Carlo draws (mean, median, low and high of the interval)",
    "criterion_class": "class of a criterion by RIVM's tests (counted, not beyond market "
                       "standard, not in the contract, unclear)",
    "criterion_type": "type of a criterion (minimum requirement, stricter requirement, award "
                      "criterion, unknown)",
    "ambition": "ambition level of the MVI criteria tool (basis, significant, ambitious, "
                "unknown)",
    "unclear_option": "how criteria with an unclear test are counted (none, by their "
                      "probability, all)",
}


def cf_units(human: str) -> str:
    """The UDUNITS units of a human unit label; raises KeyError for a label it does not know
    (so that a new variable cannot be written without a parseable unit)."""
    return UDUNITS[human]


def to_cf(ds: xr.Dataset, history: str, source: str,
          long_names: dict[str, str] | None = None) -> xr.Dataset:
    """A copy of ``ds`` following CF-1.11: every variable's ``units`` made parseable (its
    label kept in ``units_label``), a ``long_name`` on every variable and coordinate (from
    the variable's attrs, ``long_names`` or :data:`COORDINATES`), a numeric index coordinate
    for every dimension (text labels, such as periods, become the auxiliary coordinate
    ``<dim>_label``: CF wants coordinate variables numeric), and the global attributes
    ``Conventions``, ``history`` and ``source``. :func:`read_netcdf` turns the labels back
    into the index; with plain xarray, ``ds.set_xindex("period_label")`` selects by them.
    """
    out = ds.copy()
    names = {**COORDINATES, **(long_names or {})}
    for dim in out.dims:
        if dim not in out.coords:
            out = out.assign_coords({dim: (dim, range(out.sizes[dim]))})
        elif out[dim].dtype.kind in "OUS":  # CF: a coordinate variable is numeric
            what = names.get(str(dim), str(dim))
            out = out.assign_coords({
                f"{dim}{LABEL}": (dim, out[dim].values.astype(object),
                                  {"long_name": f"{what}: label"}),
                dim: (dim, range(out.sizes[dim]), {"long_name": f"{what}: index"})})
    for name in [*out.data_vars, *out.coords]:
        attrs = dict(out[name].attrs)
        if "units" in attrs:
            attrs["units_label"] = attrs["units"]
            attrs["units"] = cf_units(attrs["units"])
        attrs.setdefault("long_name", names.get(str(name), str(name).replace("_", " ")))
        out[name].attrs = attrs
    out.attrs = {"Conventions": CONVENTIONS, **out.attrs, "history": history,
                 "source": source}
    return out


#: one netCDF file at a time in this process: builds run reports in threads, and the HDF5
#: library underneath is not thread-safe (two threads writing crashed the interpreter)
LOCK = threading.Lock()
#: netCDF-C through netCDF4-python, for writing and reading (a runtime dependency)
ENGINE = "netcdf4"


def write_netcdf(ds: xr.Dataset, path: Path) -> Path:
    """Write ``ds`` as netCDF-4 to ``path`` (``xarray.Dataset.to_netcdf``); text variables
    as variable-length strings."""
    encoding: dict[str, Any] = {}
    for name in [*ds.data_vars, *ds.coords]:
        if ds[name].dtype == object:  # text: variable-length strings
            encoding[str(name)] = {"dtype": str}
        elif name in ds.dims and ds[name].dtype.kind == "f":
            # a coordinate variable has no missing values: CF 2.5.1 forbids a _FillValue
            encoding[str(name)] = {"_FillValue": None}
    with LOCK:
        ds.to_netcdf(path, mode="w", format="NETCDF4", engine=ENGINE, encoding=encoding)
    return path


def read_netcdf(path: Path) -> xr.Dataset:
    """Read a netCDF file effectmodel wrote, whole into memory (file closed), each
    dimension's text labels back as its index (as the run held them)."""
    with LOCK, xr.open_dataset(path, engine=ENGINE) as ds:
        ds = ds.load()
    for dim in list(ds.dims):
        label = f"{dim}{LABEL}"
        if label in ds.coords and ds[label].dims == (dim,):
            ds = ds.assign_coords({dim: (dim, ds[label].values, ds[label].attrs)}).drop_vars(
                label)
    return ds
