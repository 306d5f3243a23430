"""`AsyncEngine`, what the serve path awaits, and `ThreadedEngine`, which makes any engine one.

`EnginePool` is an AsyncEngine itself (its workers hand results to the event loop in one
wake-up per batch). `ThreadedEngine` runs an engine with a blocking `run` (the in-process
`Engine`, a test's fake) on threads of its own, one engine per thread: a QuickJS runtime
belongs to the thread that made it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from runner.compat import JsSettings
from runner.engine.handler import Handler
from runner.engine.outcome import Outcome
from runner.engine.sandbox import DEFAULT_URL


class AsyncEngine(Protocol):
    def submit_async(self, handler: Handler, body: str | bytes, *, url: str = ...,
                     env: Mapping[str, str] | None = None, settings: JsSettings | None = None,
                     event_type: str | None = None) -> asyncio.Future[Outcome]:
        """Run `handler` on `body`; the future (of the running loop) gets the Outcome."""
        ...

    def close(self) -> None:
        """Stop running handlers (its workers or threads); called once, by whoever made it."""
        ...


class BlockingEngine(Protocol):
    def run(self, handler: Handler, body: str | bytes, *, url: str = ..., env: Mapping[str, str] | None = None,
            settings: JsSettings | None = None, event_type: str | None = None) -> Outcome: ...


class ThreadedEngine:
    """An AsyncEngine running `make()`'s engines on up to `threads` threads."""

    def __init__(self, make: Callable[[], BlockingEngine], *, threads: int = 1) -> None:
        self._make = make
        self._local = threading.local()
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="engine")

    def submit_async(self, handler: Handler, body: str | bytes, *, url: str = DEFAULT_URL,
                     env: Mapping[str, str] | None = None, settings: JsSettings | None = None,
                     event_type: str | None = None) -> asyncio.Future[Outcome]:
        def run() -> Outcome:
            engine = getattr(self._local, "engine", None)
            if engine is None:
                engine = self._local.engine = self._make()
            return engine.run(handler, body, url=url, env=env, settings=settings, event_type=event_type)

        return asyncio.wrap_future(self._executor.submit(run))

    def close(self) -> None:
        self._executor.shutdown(wait=True)
