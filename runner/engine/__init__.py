"""The sandbox that runs dashboard handlers: QuickJS with per-event isolation and limits.

    handler = Handler.from_file("transforms/segment-track-payments.js")   # or from_source()
    engine = Engine()                       # one thread; compat layer loaded once
    outcome = engine.run(handler, body, url="https://example.invalid/webhook", env={})

`EnginePool` runs the same in worker processes (each with its own CPU clock, so one
invocation's time budget is never eaten by another) and is safe to call from many threads.
"""

from runner.engine.handler import Handler
from runner.engine.outcome import LogEntry, Outcome, Request, TransformError
from runner.engine.pool import EnginePool
from runner.engine.sandbox import Engine
from runner.limits import Limits

__all__ = ["Engine", "EnginePool", "Handler", "Limits", "LogEntry", "Outcome", "Request", "TransformError"]
