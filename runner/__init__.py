"""runner: run dashboard webhook transformations outside the dashboard.

Public surface: load a handler, run it on a webhook body, inspect the outcome.
"""

from runner.engine import Engine, EnginePool, Handler, Limits, Outcome

__all__ = ["Engine", "EnginePool", "Handler", "Limits", "Outcome", "__version__"]
__version__ = "0.1.0"
