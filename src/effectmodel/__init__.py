"""effectmodel: CO2 effects of Dutch public procurement, with honest uncertainty ranges.

The public API (``import effectmodel as em``):

- :func:`load_params` and :func:`load_inputs`: read and validate a params file and the data
  it names (bad input raises :class:`InputError`, listing every :class:`Problem`);
- :func:`evaluate`: all Monte Carlo draws of one run, as an xarray Dataset;
- :func:`summarise`: the figures of ``summary.json`` from those draws;
- :func:`product_groups`: the summary's per period and product group figures as a DataFrame;
- :func:`run`: the whole briefing (notebooks, pages, ``summary.json``, ``results.nc``) into a
  report folder; :func:`run_sweep`: a parameter sweep and its report.

The package is layered (``domain`` < ``model`` | ``inputs`` < ``report`` < ``pipeline`` <
``cli``; an import contract keeps the arrows pointing one way). Names here are imported on
first use, so ``import effectmodel`` stays light.
"""

from importlib import import_module

__version__ = "0.1.0"

_API = {
    "InputError": "domain.errors", "Problem": "domain.errors",
    "Params": "domain.params", "load_params": "inputs.paramsfile",
    "Inputs": "domain.inputdata", "load_inputs": "inputs.data",
    "evaluate": "model.engine", "summarise": "model.summary",
    "product_groups": "model.summary",
    "run": "pipeline.run", "run_sweep": "pipeline.sweep",
}
_RENAMED = {"run_sweep": "run_sweep_report"}

__all__ = [*_API, "__version__"]


def __getattr__(name: str):
    if name in _API:
        return getattr(import_module(f".{_API[name]}", __name__), _RENAMED.get(name, name))
    raise AttributeError(f"module 'effectmodel' has no attribute {name!r}")
