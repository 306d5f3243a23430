"""`EnginePool`: engines in worker processes, callable from any thread.

QuickJS's time limit reads the process CPU clock, so two engines in one process would eat each
other's budget. Each worker process runs one `Engine` on its main thread: its clock is its own.
A worker that dies or stops answering (a crash in native code, a hang the time limit could not
stop) is killed and replaced; the call that was running gets an error outcome, the others carry
on.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import queue
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from runner.compat import JsSettings
from runner.engine.handler import Handler
from runner.engine.outcome import Outcome, TransformError
from runner.engine.sandbox import DEFAULT_URL, Engine
from runner.limits import Limits

# A worker gets this long past its CPU budget before it is presumed hung: wall time also covers
# the machine being busy with other work.
WALL_GRACE_S = 5.0
WALL_FACTOR = 4
START_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class _Call:
    handler_id: str
    source: str | None  # sent the first time a worker sees this handler
    filename: str
    body: str | bytes
    url: str
    env: dict[str, str]
    settings: JsSettings | None


def _worker_main(conn: multiprocessing.connection.Connection, limits: Limits, settings: JsSettings) -> None:
    engine = Engine(limits=limits, settings=settings)
    handlers: dict[str, Handler] = {}
    conn.send("ready")
    while True:
        try:
            call: _Call | None = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if call is None:
            return
        try:
            if call.source is not None:
                handlers[call.handler_id] = Handler(source=call.source, filename=call.filename, digest=call.handler_id)
            outcome = engine.run(handlers[call.handler_id], call.body, url=call.url, env=call.env,
                                 settings=call.settings)
        except Exception as exc:  # noqa: BLE001 - a worker reports, never dies, on a bug of ours
            outcome = Outcome(status="error", event_type=None,
                              error=TransformError("InternalError", f"engine failure: {type(exc).__name__}: {exc}"))
        conn.send(outcome)


class _Worker:
    def __init__(self, ctx: Any, limits: Limits, settings: JsSettings) -> None:
        parent, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, limits, settings), daemon=True,
                                   name="runner-engine")
        self.process.start()
        child.close()
        self.conn = parent
        self.known: set[str] = set()
        if not self.conn.poll(START_TIMEOUT_S) or self.conn.recv() != "ready":
            self.kill()
            raise RuntimeError("an engine worker process did not start")

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.join(5)
        finally:
            self.conn.close()


class EnginePool:
    """Runs handlers in `workers` processes; `run` is thread-safe and blocks until done."""

    def __init__(self, workers: int | None = None, limits: Limits | None = None,
                 settings: JsSettings | None = None) -> None:
        self.limits = limits or Limits()
        self.settings = settings or JsSettings()
        self.size = workers or max(1, (os.cpu_count() or 1))
        self._mp = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._closed = False
        self._all: list[_Worker] = []
        for _ in range(self.size):
            worker = _Worker(self._mp, self.limits, self.settings)
            self._all.append(worker)
            self._idle.put(worker)

    def prepare(self, handler: Handler) -> None:
        """Compile and load `handler` in this process to surface load errors (HandlerError)."""
        Engine(limits=self.limits, settings=self.settings).prepare(handler)

    def run(self, handler: Handler, body: str | bytes, *, url: str = DEFAULT_URL,
            env: Mapping[str, str] | None = None, settings: JsSettings | None = None) -> Outcome:
        """Run `handler` on `body` in a free worker; see `Engine.run`."""
        if self._closed:
            raise RuntimeError("the engine pool is closed")
        worker = self._idle.get()
        started = time.perf_counter()
        try:
            first = handler.digest not in worker.known
            call = _Call(handler.digest, handler.source if first else None, handler.filename, body, url,
                         dict(env or {}), settings)
            worker.conn.send(call)
            wall = self.limits.time_ms / 1000 * WALL_FACTOR + WALL_GRACE_S
            if not worker.conn.poll(wall):
                raise TimeoutError
            outcome: Outcome = worker.conn.recv()
            worker.known.add(handler.digest)
        except (TimeoutError, EOFError, OSError, BrokenPipeError) as exc:
            worker = self._replace(worker)
            reason = "stopped answering" if isinstance(exc, TimeoutError) else "died"
            outcome = Outcome(status="error", event_type=None, duration_ms=(time.perf_counter() - started) * 1000,
                              error=TransformError("EngineCrashed",
                                                   f"the engine process running the handler {reason}; it was replaced"))
        finally:
            self._idle.put(worker)
        return outcome

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        fresh = _Worker(self._mp, self.limits, self.settings)
        with self._lock:
            self._all = [fresh if w is worker else w for w in self._all]
        return fresh

    def close(self) -> None:
        """Stop every worker process."""
        self._closed = True
        with self._lock:
            workers, self._all = self._all, []
        for worker in workers:
            try:
                worker.conn.send(None)
                worker.process.join(2)
            except (OSError, BrokenPipeError):
                pass
            if worker.process.is_alive():
                worker.kill()
            else:
                worker.conn.close()

    def __enter__(self) -> "EnginePool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()



