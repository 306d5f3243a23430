"""`EnginePool`: engines in worker processes, callable from any thread or event loop.

QuickJS's time limit reads the process CPU clock, so two engines in one process would eat each
other's budget. Each worker process runs one `Engine` on its main thread: its clock is its own.

Work is queued; each worker's feeder thread takes what is waiting (up to `batch_max` events)
and sends it in one message, so the cost of crossing the process boundary is shared by all the
events of a busy moment; the results of a batch reach an event loop in one wake-up
(`submit_async`). A worker that dies or stops answering (a crash in native code, a hang
the time limit could not stop) is killed and replaced; the events of its batch are run again
one at a time, so only the one that brought it down gets an error.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import multiprocessing.connection
import os
import queue
import threading
import time
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from runner.compat import JsSettings
from runner.engine.handler import Handler
from runner.engine.outcome import Outcome, TransformError
from runner.engine.sandbox import DEFAULT_URL, Engine
from runner.limits import Limits

# A worker gets this long per event past its CPU budget before it is presumed hung: wall time
# also covers the machine being busy with other work.
WALL_FACTOR = 4
WALL_GRACE_S = 5.0
START_TIMEOUT_S = 60.0
DEFAULT_BATCH_MAX = 64


@dataclass(frozen=True)
class _Call:
    handler_id: str
    source: str | None  # sent with the first call a worker gets for this handler
    filename: str
    body: str | bytes
    url: str
    env: dict[str, str]
    settings: JsSettings | None
    event_type: str | None


@dataclass
class _Job:
    handler: Handler
    body: str | bytes
    url: str
    env: dict[str, str]
    settings: JsSettings | None
    event_type: str | None
    future: "Future[Outcome] | tuple[asyncio.AbstractEventLoop, asyncio.Future[Outcome]]"


def _worker_main(conn: multiprocessing.connection.Connection, limits: Limits, settings: JsSettings) -> None:
    engine = Engine(limits=limits, settings=settings)
    engine.warm()  # build the context (~0.1-1 s) now, not while the first events wait
    handlers: dict[str, Handler] = {}
    conn.send("ready")
    while True:
        try:
            calls: list[_Call] | None = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if calls is None:
            return
        outcomes = []
        for call in calls:
            try:
                if call.source is not None:
                    handlers[call.handler_id] = Handler(source=call.source, filename=call.filename,
                                                        digest=call.handler_id)
                outcome = engine.run(handlers[call.handler_id], call.body, url=call.url, env=call.env,
                                     settings=call.settings, event_type=call.event_type)
            except Exception as exc:  # noqa: BLE001 - a worker reports, never dies, on a bug of ours
                outcome = Outcome(status="error", event_type=None,
                                  error=TransformError("InternalError", f"engine failure: {type(exc).__name__}: {exc}"))
            outcomes.append(outcome)
        conn.send(outcomes)


def _settle(items: list[tuple["asyncio.Future[Outcome]", Outcome]]) -> None:
    for future, outcome in items:
        if not future.done():
            future.set_result(outcome)


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

    def stop(self) -> None:
        try:
            self.conn.send(None)
            self.process.join(2)
        except (OSError, BrokenPipeError):
            pass
        if self.process.is_alive():
            self.kill()
        else:
            self.conn.close()


class EnginePool:
    """Runs handlers in `workers` processes; `submit` and `run` are safe from any thread."""

    def __init__(self, workers: int | None = None, limits: Limits | None = None,
                 settings: JsSettings | None = None, *, batch_max: int = DEFAULT_BATCH_MAX) -> None:
        self.limits = limits or Limits()
        self.settings = settings or JsSettings()
        self.size = workers or max(1, (os.cpu_count() or 1))
        self.batch_max = batch_max
        self._mp = multiprocessing.get_context("spawn")
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._closed = False
        self._lock = threading.Lock()
        self._workers: list[_Worker] = [_Worker(self._mp, self.limits, self.settings) for _ in range(self.size)]
        self._feeders = [threading.Thread(target=self._feed, args=(i,), daemon=True, name=f"engine-feeder-{i}")
                         for i in range(self.size)]
        for feeder in self._feeders:
            feeder.start()

    def prepare(self, handler: Handler) -> None:
        """Compile and load `handler` in this process to surface load errors (HandlerError)."""
        engine = Engine(limits=self.limits, settings=self.settings)
        try:
            engine.prepare(handler)
        finally:
            engine.close()

    def submit(self, handler: Handler, body: str | bytes, *, url: str = DEFAULT_URL,
               env: Mapping[str, str] | None = None, settings: JsSettings | None = None,
               event_type: str | None = None) -> "Future[Outcome]":
        """Queue `handler` on `body`; the future gets the Outcome (see `Engine.run`).

        From asyncio: `await asyncio.wrap_future(pool.submit(...))`.
        """
        if self._closed:
            raise RuntimeError("the engine pool is closed")
        future: Future[Outcome] = Future()
        self._jobs.put(_Job(handler, body, url, dict(env or {}), settings, event_type, future))
        return future

    def submit_async(self, handler: Handler, body: str | bytes, *, url: str = DEFAULT_URL,
                     env: Mapping[str, str] | None = None, settings: JsSettings | None = None,
                     event_type: str | None = None) -> "asyncio.Future[Outcome]":
        """`submit` for the running event loop: `outcome = await pool.submit_async(...)`.

        The results of one batch are handed to the loop in a single wake-up, instead of one
        thread-safe callback (a syscall and a GIL handoff) per event as `wrap_future` does.
        """
        if self._closed:
            raise RuntimeError("the engine pool is closed")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Outcome] = loop.create_future()
        self._jobs.put(_Job(handler, body, url, dict(env or {}), settings, event_type, (loop, future)))
        return future

    def run(self, handler: Handler, body: str | bytes, *, url: str = DEFAULT_URL,
            env: Mapping[str, str] | None = None, settings: JsSettings | None = None,
            event_type: str | None = None) -> Outcome:
        """Run `handler` on `body` in a worker and wait for the Outcome."""
        return self.submit(handler, body, url=url, env=env, settings=settings, event_type=event_type).result()

    @property
    def pids(self) -> list[int]:
        """Process ids of the current workers."""
        with self._lock:
            return [w.process.pid for w in self._workers if w.process.pid is not None]

    def _feed(self, index: int) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            batch = [job]
            stop = False
            while len(batch) < self.batch_max:
                try:
                    more = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                batch.append(more)
            self._run_batch(index, batch)
            if stop:
                return

    def _run_batch(self, index: int, batch: list[_Job]) -> None:
        worker = self._workers[index]
        started = time.perf_counter()
        try:
            outcomes = self._exchange(worker, batch)
        except (TimeoutError, EOFError, OSError) as exc:
            self._replace(index)
            if len(batch) > 1:
                # Which event brought the worker down is unknown: run each again on its own.
                for job in batch:
                    self._run_batch(index, [job])
                return
            reason = "stopped answering" if isinstance(exc, TimeoutError) else "died"
            outcomes = [Outcome(status="error", event_type=None, duration_ms=(time.perf_counter() - started) * 1000,
                                error=TransformError("EngineCrashed",
                                                     f"the engine process running the handler {reason}; it was replaced"))]
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Outcome], Outcome]]] = {}
        for job, outcome in zip(batch, outcomes):
            if isinstance(job.future, tuple):
                by_loop.setdefault(job.future[0], []).append((job.future[1], outcome))
            elif not job.future.done():
                job.future.set_result(outcome)
        for loop, items in by_loop.items():
            try:
                loop.call_soon_threadsafe(_settle, items)
            except RuntimeError:  # that loop is closed: nobody is waiting any more
                pass

    def _exchange(self, worker: _Worker, batch: list[_Job]) -> list[Outcome]:
        calls = []
        sent: set[str] = set()
        for job in batch:
            digest = job.handler.digest
            first = digest not in worker.known and digest not in sent
            sent.add(digest)
            calls.append(_Call(digest, job.handler.source if first else None, job.handler.filename, job.body, job.url,
                               job.env, job.settings, job.event_type))
        worker.conn.send(calls)
        wall = len(batch) * self.limits.time_ms / 1000 * WALL_FACTOR + WALL_GRACE_S
        if not worker.conn.poll(wall):
            raise TimeoutError
        outcomes: list[Outcome] = worker.conn.recv()
        worker.known |= sent
        return outcomes

    def _replace(self, index: int) -> None:
        with self._lock:
            self._workers[index].kill()
            self._workers[index] = _Worker(self._mp, self.limits, self.settings)

    def close(self) -> None:
        """Finish queued work, then stop every worker process."""
        if self._closed:
            return
        self._closed = True
        for _ in self._feeders:
            self._jobs.put(None)
        for feeder in self._feeders:
            feeder.join()
        with self._lock:
            for worker in self._workers:
                worker.stop()

    def __enter__(self) -> "EnginePool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
