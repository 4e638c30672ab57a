"""effectmodel: CO2 effects of Dutch public procurement, with honest uncertainty ranges.

The public API: load and validate (:func:`load_params`, :func:`load_inputs`), evaluate the
Monte Carlo model (:func:`evaluate`), and summarise (:func:`summarise`). Names are imported on
first use, so ``import effectmodel.sweepreport`` (say) does not pay for the whole package.
"""

from importlib import import_module

__version__ = "0.1.0"

_API = {
    "InputError": "errors", "Problem": "errors", "Inputs": "data", "load_inputs": "data",
    "evaluate": "engine", "Params": "params", "load_params": "params", "summarise": "summary",
}

__all__ = [*_API, "__version__"]


def __getattr__(name: str):
    if name in _API:
        return getattr(import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(f"module 'effectmodel' has no attribute {name!r}")
