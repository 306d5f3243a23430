"""One dedicated thread that owns the playground's `Engine`.

An `Engine` is a single-thread object (a QuickJS runtime), so every compile and run happens on
the one thread of a single-worker executor; the async endpoints await it. Requests queue up
there instead of running side by side, which also keeps the playground to one core.

A host that already runs handlers elsewhere (`runner serve` with its `EnginePool`, whose worker
processes keep each time limit exact) passes that as `engine`; calls still go through the one
thread, so the playground never takes more than one of its slots.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

from runner.compat import JsSettings
from runner.engine import Engine, Handler, Limits, Outcome
from runner.errors import HandlerError

# An Engine keeps every handler it compiled; the playground compiles one per edit, so its own
# engine is replaced after this many distinct handlers, before that heap could reach the limit.
MAX_HANDLERS_PER_ENGINE = 200


@dataclass(frozen=True)
class Job:
    """One body to run the handler on."""

    body: str
    url: str


class RunsHandlers(Protocol):
    """What the playground needs from an engine: `Engine` and `EnginePool` both fit."""

    def run(
        self, handler: Handler, body: str, *, url: str, env: Mapping[str, str], settings: JsSettings
    ) -> Outcome: ...


class EngineWorker:
    """Compiles and runs handler code on its own thread; safe to await from any event loop."""

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
        self._engine = engine  # when None, an Engine is created on the worker thread, used only there
        self._own_engine = engine is None
        self._compiled: set[str] = set()  # digests of the handlers the own engine has loaded
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playground-engine")

    async def run(self, code: str, filename: str, jobs: Sequence[Job]) -> HandlerError | list[Outcome]:
        """Compile `code` once and run it on each job, in order; a HandlerError if it won't load."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._run_on_thread, code, filename, jobs)

    def close(self) -> None:
        """Stop the worker thread (waits for the job in progress)."""
        self._executor.shutdown(wait=True, cancel_futures=True)

    def _run_on_thread(self, code: str, filename: str, jobs: Sequence[Job]) -> HandlerError | list[Outcome]:
        try:
            handler = Handler.from_source(code, filename=filename)
        except HandlerError as exc:
            return exc
        if self._own_engine:
            engine = self._fresh_engine(handler)
            try:
                # Load errors (no `handler`, a throwing top level) are the code's, not each event's.
                engine.prepare(handler)
            except HandlerError as exc:
                return exc
        assert self._engine is not None
        return [
            self._engine.run(handler, job.body, url=job.url, env=self._env, settings=self.settings)
            for job in jobs
        ]

    def _fresh_engine(self, handler: Handler) -> Engine:
        if handler.digest not in self._compiled and len(self._compiled) >= MAX_HANDLERS_PER_ENGINE:
            assert isinstance(self._engine, Engine)
            self._engine.close()
            self._engine = None
        if self._engine is None:
            self._engine = Engine(limits=self.limits, settings=self.settings)
            self._compiled.clear()
        self._compiled.add(handler.digest)
        assert isinstance(self._engine, Engine)
        return self._engine
