"""`EnginePool`: engines in worker processes behind a wall-clock watchdog.

This is the entry point for untrusted handler code. QuickJS checks its time limit only from the
bytecode loop, so a built-in that runs long in C (a quadratic `indexOf`, `join` of a 2**32-1
sparse array, a huge BigInt's `toString`) is never stopped from inside. Only killing the process
bounds it, so handlers run in worker processes and the pool watches them:

- Before any handler code runs (loading a handler, an event, its promise jobs), the worker
  publishes in shared memory which call it is on (numbered over every call it was sent; -1
  between batches) and the wall-clock deadline of that call: its time limit plus
  `WATCHDOG_GRACE_S`. A watchdog thread of its own reads every worker's deadline each POLL_S and
  kills (SIGKILL) one that is past it, whatever the feeders are doing meanwhile (sending a batch,
  handing over results, running a future's callbacks); the feeder learns of the kill from the
  broken pipe. A worker runs handler code only on a batch it was sent, and a batch counts as
  in flight from before it is written until its results are taken (or its worker replaced):
  while none is, the watchdog sleeps instead of polling, so an idle pool costs no CPU.
- A spare worker is kept started, so a kill costs the other events a pipe swap, not a process
  start: the call that overran gets `TimeLimitExceeded`, the other calls sent with it run again
  on the replacement, and queued events never wait for it.
- A worker that dies on its own (a crash in native code) is replaced the same way; only the call
  it was on gets `EngineCrashed`.

Each worker runs one `Engine` on its main thread, so QuickJS's own CPU clock is the worker's. Work
is queued; each worker's feeder thread takes what is waiting (up to `batch_max` calls) and sends
it in one message, so a busy moment shares the cost of crossing the process boundary. A second
batch goes on the pipe while the worker runs the first, so the worker is not left idle while
the feeder takes in and hands over results (on 2 cores, ~15% of a worker's time).
"""

from __future__ import annotations

import asyncio
import collections
import ctypes
import multiprocessing
import multiprocessing.connection
import os
import queue
import socket
import threading
import time
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from multiprocessing.reduction import ForkingPickler
from typing import Any, Self

from runner.compat import JsSettings
from runner.engine.handler import Handler
from runner.engine.outcome import Outcome, Request, TransformError
from runner.engine.sandbox import DEFAULT_URL, Engine
from runner.errors import HandlerError, HandlerLoadError
from runner.limits import Limits
from runner.queues import take_batch

WATCHDOG_GRACE_S = 0.2
"""Wall time past an invocation's time limit before its worker is killed."""
POLL_S = 0.02  # how often the watchdog reads the deadlines (and a waiting feeder its backstop)
TRUSTED_TIMEOUT_S = 60.0  # a worker busy this long outside handler code is broken
START_TIMEOUT_S = 60.0
DEFAULT_BATCH_MAX = 64
PIPELINED = 2  # batches on a worker's pipe at once (see EnginePool._run)
PIPELINED_BYTES = 128 * 1024  # the most a batch sent to a busy worker may take (see _unread_bytes)

# On the pipe a call and an outcome are plain tuples: a dataclass pickles as its class and a
# per-field state dict, rebuilt attribute by attribute, several times the cost for the same
# values, paid on both sides of the pipe for every event.
_Call = tuple[
    str,  # handler_id
    str | None,  # source: sent with the first call a worker gets for this handler
    str,  # filename
    str | bytes | None,  # body; None: load the handler only (`prepare`)
    str,  # url
    dict[str, str],  # env
    JsSettings | None,  # settings
    str | None,  # event_type
]
_OUTCOME = "outcome"  # the tag of a packed Outcome among a batch's results


def _pack(result: Any) -> Any:
    """A worker's result as sent: an Outcome as a tagged tuple of its fields (its Request too)."""
    if type(result) is not Outcome:
        return result
    request = result.request
    return (_OUTCOME, result.status, result.event_type, result.webhook_text,
            None if request is None else (request.url, request.method, request.headers, request.body),
            result.error, result.logs, result.logs_truncated, result.duration_ms, result.webhook_lazy)


def _unpack(result: Any) -> Any:
    """`_pack` undone, in the parent."""
    if type(result) is not tuple or len(result) != 10 or result[0] != _OUTCOME:
        return result  # a load's problem (a 2-tuple), None, or an Outcome pickled whole
    _, status, event_type, text, request, error, logs, truncated, duration_ms, lazy = result
    outcome = _new(Outcome)
    outcome.__dict__.update({"status": status, "event_type": event_type, "webhook_text": text,
                             "request": None if request is None else _request(*request), "error": error,
                             "logs": logs, "logs_truncated": truncated, "duration_ms": duration_ms,
                             "webhook_lazy": lazy})
    return outcome


def _request(url: str, method: str, headers: dict[str, str], body: str) -> Request:
    request = _new(Request)
    request.__dict__.update({"url": url, "method": method, "headers": headers, "body": body})
    return request


_new = object.__new__


@dataclass
class _Job:
    handler: Handler
    body: str | bytes | None
    url: str
    env: dict[str, str]
    settings: JsSettings | None
    event_type: str | None
    future: Future[Any] | tuple[asyncio.AbstractEventLoop, asyncio.Future[Outcome]]


@dataclass
class _Sent:
    """A batch on a worker's pipe: its jobs, the number of its first call among all the calls
    sent to that worker, and when it was sent."""

    jobs: list[_Job]
    first: int
    started: float


def _worker_main(conn: multiprocessing.connection.Connection, limits: Limits, settings: JsSettings,
                 progress: Any) -> None:
    engine = Engine(limits=limits, settings=settings)

    def guard(budget_s: float | None) -> None:
        # Read by the parent: 0 means no handler code is running.
        progress[1] = 0.0 if budget_s is None else time.monotonic() + budget_s + WATCHDOG_GRACE_S

    engine.guard = guard
    engine.warm()  # a context ready for the first handler (~10-100 ms), not while events wait
    handlers: dict[str, Handler] = {}
    calls_before = 0  # calls of the earlier batches: progress[0] numbers every call this process was sent
    conn.send("ready")
    while True:
        try:
            calls: list[_Call] | None = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if calls is None:
            return
        results: list[Any] = []
        for index, (handler_id, source, filename, body, url, env, js_settings, event_type) in enumerate(calls):
            progress[0] = calls_before + index
            try:
                if source is not None:
                    handlers[handler_id] = Handler(source=source, filename=filename, digest=handler_id)
                handler = handlers[handler_id]
                if body is None:
                    results.append(_load(engine, handler))
                    continue
                result: Any = _pack(engine.run(handler, body, url=url, env=env, settings=js_settings,
                                               event_type=event_type))
            except Exception as exc:  # noqa: BLE001 - a worker reports, never dies, on a bug of ours
                result = Outcome(status="error", event_type=None,
                                 error=TransformError("InternalError", f"engine failure: {type(exc).__name__}: {exc}"))
            finally:
                progress[1] = 0.0
            results.append(result)
        calls_before += len(calls)
        progress[0] = -1.0  # no call of it runs: a death now is no call's
        conn.send(results)


def _load(engine: Engine, handler: Handler) -> tuple[str, dict[str, Any]] | None:
    """Load `handler`; a HandlerError as plain data (its class may not survive pickling)."""
    try:
        engine.prepare(handler)
    except HandlerError as exc:
        return exc.to_data()
    return None


def _settle(items: list[tuple[asyncio.Future[Outcome], Outcome]]) -> None:
    for future, outcome in items:
        if not future.done():
            future.set_result(outcome)


class _Overran(Exception):
    """The worker passed the deadline of the call at `index`."""

    def __init__(self, index: int, limit_ms: int) -> None:
        self.index = index
        self.limit_ms = limit_ms


class _Died(Exception):
    """The worker died (or stopped answering) on the call at `index`."""

    def __init__(self, index: int, reason: str) -> None:
        self.index = index
        self.reason = reason


def _fitting(jobs: list[_Job], limit: int, known: set[str]) -> int:
    """How many of `jobs`, from the first, make a message of about `limit` bytes at most (by
    their bodies, and the sources of handlers not in `known`; `_send` checks the real size)."""
    total = 0
    for n, job in enumerate(jobs):
        for text in (job.body, None if job.handler.digest in known else job.handler.source):
            if isinstance(text, str):
                total += len(text) if text.isascii() else 3 * len(text)
            elif text is not None:
                total += len(text)
        total += 256  # the rest of the call, pickled
        if total > limit:
            return n
    return len(jobs)


def _unread_bytes(conn: multiprocessing.connection.Connection) -> int:
    """How much a batch may hold to be written to a busy worker: half of what the pipe's socket
    buffers unread (~200 KB on Linux, 8 KB on macOS), so the write never waits for a reader."""
    with socket.socket(fileno=os.dup(conn.fileno())) as sock:
        return min(sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF) // 2, PIPELINED_BYTES)


class _Worker:
    def __init__(self, ctx: Any, limits: Limits, settings: JsSettings, *, wait: bool = True) -> None:
        parent, child = ctx.Pipe()
        # [number of the call running (counting every call sent to this process), monotonic
        # deadline of its handler code or 0]
        self.progress = ctx.RawArray(ctypes.c_double, 2)
        self.progress[0] = -1.0  # none yet (0 is the first call's number)
        self.process = ctx.Process(target=_worker_main, args=(child, limits, settings, self.progress), daemon=True,
                                   name="runner-engine")
        self.process.start()
        child.close()
        self.conn = parent
        self.known: set[str] = set()  # handlers whose source it was sent
        self.sent = 0  # calls sent to it
        self.pipe_bytes = _unread_bytes(parent)
        self.overran: int | None = None  # the call the watchdog killed it on
        if wait:
            self.wait_ready()

    def wait_ready(self) -> None:
        """Until the process has its engine ready; RuntimeError when it never will."""
        try:
            ready = self.conn.poll(START_TIMEOUT_S) and self.conn.recv() == "ready"
        except (EOFError, OSError):  # it died (or was killed while starting)
            ready = False
        if not ready:
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
    """Runs handlers in `workers` processes under a watchdog; `submit` and `run` are safe from
    any thread. `spare` keeps one more process started so that a killed worker is replaced at
    once."""

    def __init__(self, workers: int | None = None, limits: Limits | None = None,
                 settings: JsSettings | None = None, *, batch_max: int = DEFAULT_BATCH_MAX,
                 spare: bool = True) -> None:
        self.limits = limits or Limits()
        self.settings = settings or JsSettings()
        self.size = workers or max(1, (os.cpu_count() or 1))
        self.batch_max = batch_max
        self.kills = 0  # workers killed by the watchdog
        self.crashes = 0  # workers that died on their own
        self._mp = multiprocessing.get_context("spawn")
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._closed = False
        self._lock = threading.Lock()
        self._want_spare = spare
        self._spare: _Worker | None = None
        self._starting: _Worker | None = None  # the spare while it starts (killed by close)
        self._spare_thread: threading.Thread | None = None
        # Every process, the spare's too, boots at once: started after the workers were ready, the
        # spare's boot (imports, a QuickJS context: ~0.5 s of CPU) would compete with the first
        # events for the CPU, halving a short command's rate on two cores.
        self._workers: list[_Worker] = []
        spare_worker: _Worker | None = None
        try:
            for _ in range(self.size):
                self._workers.append(_Worker(self._mp, self.limits, self.settings, wait=False))
            if spare:
                spare_worker = _Worker(self._mp, self.limits, self.settings, wait=False)
            for worker in self._workers:
                worker.wait_ready()
        except BaseException:
            for worker in self._workers + ([spare_worker] if spare_worker is not None else []):
                worker.kill()
            raise
        self._watching = True  # until close
        self._in_flight = 0  # batches on the workers' pipes; the watchdog polls while there are any
        self._work = threading.Condition(self._lock)
        self._feeders = [threading.Thread(target=self._feed, args=(i,), daemon=True, name=f"engine-feeder-{i}")
                         for i in range(self.size)]
        for feeder in self._feeders:
            feeder.start()
        self._watchdog = threading.Thread(target=self._watch, daemon=True, name="engine-watchdog")
        self._watchdog.start()
        self._start_spare(spare_worker)

    def prepare(self, handler: Handler) -> None:
        """Load `handler` in a worker (its top-level code runs there, under the watchdog);
        raises the `HandlerError` that loading it raised."""
        problem = self._put(handler, None, DEFAULT_URL, None, None, None).result()
        if isinstance(problem, Outcome):  # the worker failed on something else than the code
            error = problem.error or TransformError("InternalError", "no result")
            problem = _failed_load(handler, error)
        if problem is not None:
            raise HandlerError.from_data(*problem)

    def submit(self, handler: Handler, body: str | bytes, *, url: str = DEFAULT_URL,
               env: Mapping[str, str] | None = None, settings: JsSettings | None = None,
               event_type: str | None = None) -> Future[Outcome]:
        """Queue `handler` on `body`; the future gets the Outcome (see `Engine.run`).

        From asyncio: `await asyncio.wrap_future(pool.submit(...))`.
        """
        return self._put(handler, body, url, env, settings, event_type)

    def submit_async(self, handler: Handler, body: str | bytes, *, url: str = DEFAULT_URL,
                     env: Mapping[str, str] | None = None, settings: JsSettings | None = None,
                     event_type: str | None = None) -> asyncio.Future[Outcome]:
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
        """Process ids of the current workers (not the spare)."""
        with self._lock:
            return [w.process.pid for w in self._workers if w.process.pid is not None]

    def _put(self, handler: Handler, body: str | bytes | None, url: str, env: Mapping[str, str] | None,
             settings: JsSettings | None, event_type: str | None) -> Future[Any]:
        if self._closed:
            raise RuntimeError("the engine pool is closed")
        future: Future[Any] = Future()
        self._jobs.put(_Job(handler, body, url, dict(env or {}), settings, event_type, future))
        return future

    def _feed(self, index: int) -> None:
        stop = False
        while not stop:
            batch, stop = take_batch(self._jobs, self.batch_max)
            if batch:
                stop = self._run(index, batch) or stop

    def _run(self, index: int, batch: list[_Job]) -> bool:
        """Run `batch` on worker `index`, and what is queued meanwhile; whether the stop
        sentinel was taken on the way.

        Up to PIPELINED batches are on the worker's pipe at once: it starts the next one while
        this thread takes in and hands over the results of the last, instead of waiting for
        that. A worker runs its batches in order, so the call it is on (`progress[0]`, counted
        over every call it was sent) names one job of the window, which is the watchdog's
        culprit; the others run again on the replacement."""
        window: collections.deque[_Sent] = collections.deque()
        todo, stop = batch, False
        while todo or window:
            worker = self._workers[index]
            try:
                while len(window) < PIPELINED:
                    if not todo and not stop:
                        todo, stop = take_batch(self._jobs, self.batch_max, wait=False)
                    # To an idle worker, all of it; to a busy one, what its pipe holds unread.
                    fits = _fitting(todo, worker.pipe_bytes, worker.known) if window else len(todo)
                    if not fits or not self._send(worker, todo[:fits], window):
                        break
                    todo = todo[fits:]
                results = self._receive(worker, window[0])
            except (_Overran, _Died) as exc:
                todo = self._fail(index, window, exc) + todo  # what was on the pipe first, then the rest
                continue
            self._count_in_flight(-1)
            self._deliver(window.popleft().jobs, results)
        return stop

    def _send(self, worker: _Worker, batch: list[_Job], window: collections.deque[_Sent]) -> bool:
        """Put `batch` on the worker's pipe, behind the batches of `window`; False (nothing sent)
        when the worker is busy and the batch is more than its pipe holds unread.

        The worker may be writing its results while a batch goes to it: if neither write fitted
        in the socket's buffer, each end would wait for the other to read, for ever."""
        calls = []
        known = set(worker.known)
        for job in batch:
            digest = job.handler.digest
            first = digest not in known
            known.add(digest)  # the worker reads its pipe in order: later batches need no source
            calls.append((digest, job.handler.source if first else None, job.handler.filename, job.body, job.url,
                          job.env, job.settings, job.event_type))
        data = ForkingPickler.dumps(calls)
        if window and len(data) > worker.pipe_bytes:
            return False
        self._count_in_flight(1)  # before the worker can start on it: the watchdog must be awake
        try:
            worker.conn.send_bytes(data)
        except (OSError, BrokenPipeError):
            self._count_in_flight(-1)
            raise self._ended(worker, "died") from None  # the batch is still the caller's
        worker.known = known
        window.append(_Sent(batch, worker.sent, time.perf_counter()))
        worker.sent += len(batch)
        return True

    def _receive(self, worker: _Worker, sent: _Sent) -> list[Any]:
        """The results of `sent`, the oldest batch on the pipe (the deadline is `_watch`'s)."""
        backstop = time.monotonic() + TRUSTED_TIMEOUT_S + len(sent.jobs) * (self.limits.time_ms / 1000 + WATCHDOG_GRACE_S)
        while not worker.conn.poll(POLL_S):
            if time.monotonic() > backstop:
                raise _Died(int(worker.progress[0]), "stopped answering")
        try:
            results: list[Any] = worker.conn.recv()
        except (EOFError, OSError):
            raise self._ended(worker, "died") from None
        return [_unpack(result) for result in results]

    def _ended(self, worker: _Worker, reason: str) -> _Overran | _Died:
        """Why `worker`'s pipe broke: the watchdog's kill, else a death of its own."""
        if worker.overran is not None:
            return _Overran(worker.overran, self.limits.time_ms)
        return _Died(int(worker.progress[0]), reason)

    def _count_in_flight(self, change: int) -> None:
        with self._lock:
            self._in_flight += change
            if self._in_flight == change > 0:
                self._work.notify()

    def _watch(self) -> None:
        """Kill any worker past the deadline of the call it is on, every POLL_S while a batch is
        in flight, whatever its feeder is doing meanwhile (sending, handing over results,
        descheduled); asleep while none is."""
        while True:
            with self._lock:
                self._work.wait_for(lambda: self._in_flight > 0 or not self._watching)
                if self._watching:
                    self._work.wait(POLL_S)  # cut short by close (or by the pool going idle and busy again)
                if not self._watching:
                    return
                workers = list(self._workers)
            for worker in workers:
                progress = worker.progress
                # The clock first, then the call, its deadline, and the call again: a deadline
                # read is that call's, and it was still running past it (the worker zeroes it
                # when a call ends, and no call's number comes back: -1 between batches, then
                # higher ones).
                now = time.monotonic()
                call = progress[0]
                deadline = progress[1]
                if worker.overran is None and 0 < deadline < now and progress[0] == call:
                    worker.overran = int(call)
                    worker.process.kill()

    def _fail(self, index: int, window: collections.deque[_Sent], exc: _Overran | _Died) -> list[_Job]:
        """Worker `index` overran or died on call `exc.index`: that job gets the error, the
        worker is replaced, and the other jobs of the window are returned to run again."""
        worker = self._workers[index]
        # Batches it finished are answered on the pipe (it may have died, or been seen to overrun,
        # only after): they are delivered, not run again.
        while window:
            try:
                if not worker.conn.poll(0):
                    break
                results = [_unpack(result) for result in worker.conn.recv()]
            except (EOFError, OSError):
                break
            self._count_in_flight(-1)
            self._deliver(window.popleft().jobs, results)
        jobs = [job for sent in window for job in sent.jobs]
        culprit, started = None, time.perf_counter()
        for sent in window:
            if sent.first <= exc.index < sent.first + len(sent.jobs):
                culprit, started = sent.jobs[exc.index - sent.first], sent.started
        if culprit is not None:  # answered first: a replacement may take a moment to start
            self._deliver([culprit], [self._failure(culprit, exc, started)])
        self._count_in_flight(-len(window))  # the worker is killed: nothing of them runs now
        window.clear()
        self._replace(index)
        # The others did nothing wrong.
        return [job for job in jobs if job is not culprit]

    def _failure(self, job: _Job, exc: _Overran | _Died, started: float) -> Any:
        if isinstance(exc, _Overran):
            self.kills += 1
            error = TransformError("TimeLimitExceeded", (
                f"the handler ran longer than its time limit of {exc.limit_ms} ms "
                "(stopped by the watchdog: a long-running built-in, an endless loop or a "
                "catastrophic regular expression?)"))
        else:
            self.crashes += 1
            error = TransformError("EngineCrashed", f"the engine process running the handler {exc.reason}; it was replaced")
        if job.body is None:
            return _failed_load(job.handler, error)
        return Outcome(status="error", event_type=None, duration_ms=(time.perf_counter() - started) * 1000, error=error)

    @staticmethod
    def _deliver(batch: list[_Job], results: list[Any]) -> None:
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Outcome], Outcome]]] = {}
        for job, result in zip(batch, results):
            if isinstance(job.future, tuple):
                by_loop.setdefault(job.future[0], []).append((job.future[1], result))
            elif not job.future.done():
                job.future.set_result(result)
        for loop, items in by_loop.items():
            try:
                loop.call_soon_threadsafe(_settle, items)
            except RuntimeError:  # that loop is closed: nobody is waiting any more
                pass

    def _replace(self, index: int) -> None:
        old = self._workers[index]
        old.process.kill()  # at once: the feeder waits for nothing else
        with self._lock:
            spare, self._spare = self._spare, None
        if spare is None or not spare.process.is_alive():
            if spare is not None:
                spare.kill()
            spare = _Worker(self._mp, self.limits, self.settings)
        with self._lock:
            self._workers[index] = spare
        threading.Thread(target=old.kill, daemon=True, name="engine-reaper").start()
        self._start_spare()

    def _start_spare(self, started: _Worker | None = None) -> None:
        """Have a spare made ready (`started`: its process, already booting)."""
        if not self._want_spare or self._closed:
            if started is not None:
                started.kill()
            return
        with self._lock:
            if self._spare is not None or (self._spare_thread is not None and self._spare_thread.is_alive()):
                if started is not None:
                    started.kill()
                return
            self._spare_thread = threading.Thread(target=self._make_spare, args=(started,), daemon=True,
                                                  name="engine-spare")
            self._spare_thread.start()

    def _make_spare(self, worker: _Worker | None) -> None:
        if worker is None:
            try:
                worker = _Worker(self._mp, self.limits, self.settings, wait=False)
            except (RuntimeError, OSError):
                return  # the next replacement starts one itself
        with self._lock:
            closed = self._closed
            self._starting = None if closed else worker
        try:
            if closed:
                raise RuntimeError("the pool closed")
            worker.wait_ready()
        except RuntimeError:
            worker.kill()
            return
        finally:
            with self._lock:
                self._starting = None
        with self._lock:
            if self._closed or self._spare is not None:
                keep = False
            else:
                self._spare, keep = worker, True
        if not keep:
            worker.stop()

    def close(self) -> None:
        """Finish queued work, then end every worker process."""
        if self._closed:
            return
        self._closed = True
        for _ in self._feeders:
            self._jobs.put(None)
        for feeder in self._feeders:
            feeder.join()
        with self._lock:
            self._watching = False
            self._work.notify_all()
        self._watchdog.join()
        with self._lock:
            starting = self._starting
        if starting is not None:
            # A spare still starting is of no use now: stopped at once rather than waited for
            # (its start-up, ~0.5 s, would otherwise hold up the end of every short command).
            starting.process.kill()
        if self._spare_thread is not None:
            self._spare_thread.join()
        with self._lock:
            workers = list(self._workers) + ([self._spare] if self._spare is not None else [])
            self._spare = None
        # Idle now (every feeder has finished), with nothing to save: killed rather than asked to
        # exit, which would wait ~0.1 s for each interpreter and QuickJS runtime to tear down.
        for worker in workers:
            worker.process.kill()
        for worker in workers:
            worker.kill()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _failed_load(handler: Handler, error: TransformError) -> tuple[str, dict[str, Any]]:
    return HandlerLoadError(f"loading the handler failed: {error.type}: {error.message}",
                            filename=handler.filename).to_data()
