"""runner: run dashboard webhook transformations outside the dashboard.

Public surface: load a handler, run it on a webhook body, inspect the outcome; and the
exceptions runner raises (`runner.errors` draws their tree).

    from runner import EnginePool, Handler
    with EnginePool(workers=1) as pool:
        outcome = pool.run(Handler.from_file("transforms/segment-track-payments.js"), body)

Names are loaded on first use: `import runner.segment` (or the CLI's `--help`) does not start
QuickJS or load the locale data.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Engine": "runner.engine",
    "EnginePool": "runner.engine",
    "Handler": "runner.engine",
    "Limits": "runner.limits",
    "Outcome": "runner.engine",
    "Envelope": "runner.envelope",
    **{name: "runner.errors" for name in (
        "RunnerError", "HandlerError", "HandlerSyntaxError", "HandlerLoadError", "NoHandlerError", "SampleError",
        "ConfigError", "PlaygroundConfigError", "SecretError", "ServeError", "StoreError", "RequestError",
        "SignatureError", "EnvelopeError", "EventTypeMissing", "UnknownEndpoint", "ApiError", "ResultError",
        "RouteRejected", "SegmentEventError",
    )},
}

__all__ = [
    "ApiError", "ConfigError", "Engine", "EnginePool", "Envelope", "EnvelopeError", "EventTypeMissing", "Handler",
    "HandlerError", "HandlerLoadError", "HandlerSyntaxError", "Limits", "NoHandlerError", "Outcome",
    "PlaygroundConfigError", "RequestError", "ResultError", "RouteRejected", "RunnerError", "SampleError",
    "SecretError", "SegmentEventError", "ServeError", "SignatureError", "StoreError", "UnknownEndpoint",
    "__version__",
]

if TYPE_CHECKING:
    from runner.engine import Engine, EnginePool, Handler, Outcome
    from runner.envelope import Envelope
    from runner.errors import (
        ApiError,
        ConfigError,
        EnvelopeError,
        EventTypeMissing,
        HandlerError,
        HandlerLoadError,
        HandlerSyntaxError,
        NoHandlerError,
        PlaygroundConfigError,
        RequestError,
        ResultError,
        RouteRejected,
        RunnerError,
        SampleError,
        SecretError,
        SegmentEventError,
        ServeError,
        SignatureError,
        StoreError,
        UnknownEndpoint,
    )
    from runner.limits import Limits


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'runner' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # once loaded, a plain attribute
    return value


def __dir__() -> list[str]:
    return __all__
