"""One dedicated thread that drives the playground's engine.

Handler code from the page is untrusted: it runs in an `EnginePool` (engine worker processes
behind the wall-clock watchdog), never in the server's process. Every compile and run goes
through the one thread of a single-worker executor; the async endpoints await it, so requests
queue up instead of running side by side and the playground takes one engine slot at a time.

A host that already runs handlers (`runner serve` with its `EnginePool`) passes that pool as
`engine`; otherwise the playground starts a one-worker pool of its own on first use.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

from runner.compat import JsSettings
from runner.engine import EnginePool, Handler, Limits, Outcome
from runner.errors import HandlerError


@dataclass(frozen=True)
class Job:
    """One body to run the handler on, with its webhook.eventType (None: there is none)."""

    body: str
    url: str
    event_type: str | None = None


class RunsHandlers(Protocol):
    """What the playground needs from an engine: an `EnginePool` fits."""

    def prepare(self, handler: Handler) -> None: ...

    def run(
        self, handler: Handler, body: str, *, url: str, env: Mapping[str, str], settings: JsSettings,
        event_type: str | None = None,
    ) -> Outcome: ...


class EngineWorker:
    """Compiles and runs handler code from its own thread; safe to await from any event loop."""

    def __init__(
        self,
        *,
        limits: Limits,
        settings: JsSettings,
        env: Mapping[str, str],
        engine: RunsHandlers | None = None,
    ) -> None:
        self.limits = limits
        self.settings = settings
        self._env = dict(env)
        self._engine = engine
        self._own: EnginePool | None = None  # started on first use when no engine is given
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playground-engine")

    async def run(self, code: str, filename: str, jobs: Sequence[Job]) -> HandlerError | list[Outcome]:
        """Compile `code` once and run it on each job, in order; a HandlerError if it won't load."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._run_on_thread, code, filename, jobs)

    def close(self) -> None:
        """Stop the worker thread (waits for the job in progress) and the own engine processes."""
        self._executor.shutdown(wait=True, cancel_futures=True)
        if self._own is not None:
            self._own.close()
            self._own = None

    def _run_on_thread(self, code: str, filename: str, jobs: Sequence[Job]) -> HandlerError | list[Outcome]:
        try:
            handler = Handler.from_source(code, filename=filename)  # parses only: runs nothing
        except HandlerError as exc:
            return exc
        engine = self._engine
        if engine is None:
            if self._own is None:
                self._own = EnginePool(workers=1, limits=self.limits, settings=self.settings)
            engine = self._own
        try:
            # Load errors (no `handler`, a throwing top level) are the code's, not each event's.
            engine.prepare(handler)
        except HandlerError as exc:
            return exc
        return [engine.run(handler, job.body, url=job.url, env=self._env, settings=self.settings,
                           event_type=job.event_type) for job in jobs]
