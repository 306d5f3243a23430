"""The sandbox that runs dashboard handlers: QuickJS with per-event isolation and limits.

    handler = Handler.from_file("transforms/segment-track-payments.js")   # parses only
    with EnginePool(workers=1) as pool:     # engine processes behind a wall-clock watchdog
        outcome = pool.run(handler, body, url="https://example.invalid/webhook", env={})

`EnginePool` is the entry point for untrusted code: its worker processes each run an `Engine`
(every handler in a QuickJS context of its own), and a watchdog kills a worker whose handler
overruns its time limit, even inside a built-in QuickJS cannot interrupt. `Engine` alone is the
in-process engine, for trusted code (tests, benchmarks): same results, no watchdog.
"""

from runner.engine.handler import Handler
from runner.engine.outcome import LogEntry, Outcome, Request, TransformError
from runner.engine.pool import EnginePool
from runner.engine.sandbox import Engine
from runner.limits import Limits

__all__ = ["Engine", "EnginePool", "Handler", "Limits", "LogEntry", "Outcome", "Request", "TransformError"]
