"""effectmodel: CO2 effects of Dutch public procurement, with honest uncertainty ranges.

The public API: load and validate (:func:`load_params`, :func:`load_inputs`), evaluate the
Monte Carlo model (:func:`evaluate`), and summarise (:func:`summarise`).
"""

from .data import Inputs, load_inputs
from .engine import evaluate
from .errors import InputError, Problem
from .params import Params, load_params
from .summary import summarise

__version__ = "0.1.0"

__all__ = ["InputError", "Inputs", "Params", "Problem", "evaluate", "load_inputs",
           "load_params", "summarise", "__version__"]
