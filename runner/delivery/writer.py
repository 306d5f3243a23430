"""The group-commit writer: one thread per store that runs its writes in shared transactions.

Durability costs a flush per commit (an fsync, ~0.1–1 ms, for SQLite; a WAL flush for
PostgreSQL), so every write request waiting at that moment is committed together: the writer
takes one job, drains whatever else is queued (up to `max_group`), runs them in one
transaction, commits once, and only then hands every job its result (`handoff.hand_over`).
Callers therefore learn "stored" only after the commit, and 1,000 concurrent acceptances
cost a few commits.

Jobs run without savepoints. If one raises, the group is rolled back and each job redone in a
transaction of its own, so the others still commit and only the failing one sees its error.
A failure of the database itself (SQLite's disk full or lock wait timed out, a PostgreSQL
server that stays unreachable) fails the whole group with one `StoreError` instead: redoing
each job alone would only fail the same way, one wait at a time.

A group's jobs run sorted by their `order` (a stable sort: equal orders keep their arrival
order). A store whose transactions lock rows gives conflicting jobs orders that make every
writer lock them in the same sequence, so two writers' groups cannot deadlock.

What differs between databases is a small `Dialect`: how to get a connection (and what its
driver's errors become), begin/commit/rollback, and which of a job's exceptions are the
database's failure rather than the job's.

    writer = Writer(dialect, name="sqlite-writer", where="'queue.sqlite3'", max_group=1024)
    n = await writer.call(lambda conn: conn.execute("...").rowcount)
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import queue
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from runner.delivery.handoff import Result, Waiter, hand_over
from runner.errors import StoreError
from runner.queues import take_batch

C = TypeVar("C")  # a dialect's connection
R = TypeVar("R")
T = TypeVar("T")

Order = tuple[Any, ...]


class Dialect(Protocol[C]):
    """How the writer talks to one kind of database."""

    def open(self) -> None:
        """Prepare on the writer thread, before the first job (SQLite opens its connection).
        An exception here stops the writer and is raised to whoever created it."""

    def close(self) -> None:
        """Release what `open` took, on the writer thread after the last job."""

    def run(self, work: Callable[[C], R]) -> R:
        """`work(conn)` on a connection; a failure of the database comes out as `StoreError`,
        any other exception as it is."""
        ...

    def transaction(self, conn: C) -> AbstractContextManager[object]:
        """Begin on entry; commit when the block ends, roll back when it raises."""
        ...

    def fails_transaction(self, conn: C, exc: Exception) -> bool:
        """Whether `exc`, raised by a job, is the database's failure (the group fails as a
        whole) rather than the job's own (the job is redone alone)."""
        ...

    def job_error(self, exc: Exception) -> Exception:
        """What a job's own failure tells its waiter (a driver's error becomes a StoreError)."""
        ...


@dataclass(slots=True)
class Job(Generic[C]):
    fn: Callable[[C], Any]
    waiter: Waiter
    order: Order = ()


class _JobFailed(Exception):
    """A job raised: the group is redone job by job."""

    def __init__(self, error: Exception) -> None:
        self.error = error


def _order(job: Job[Any]) -> Order:
    return job.order


class Writer(Generic[C]):
    """A thread running `fn(conn)` jobs in group transactions; safe to call from any thread or
    event loop. `where` names the store in errors ("the store on ... is closed")."""

    def __init__(self, dialect: Dialect[C], *, name: str, where: str, max_group: int) -> None:
        self.dialect = dialect
        self.where = where
        self.max_group = max_group
        self.commits = 0  # transactions committed (for tests and benchmarks of group commit)
        self.closed = False
        self._jobs: queue.SimpleQueue[Job[C] | None] = queue.SimpleQueue()
        ready: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._thread = threading.Thread(target=self._run, args=(ready,), name=name, daemon=True)
        self._thread.start()
        ready.result()  # re-raises a failure to open, in the caller's thread

    def submit(self, fn: Callable[[C], T], order: Order = ()) -> concurrent.futures.Future[T]:
        """Run `fn(conn)` in the next group transaction; the future resolves after its commit."""
        fut: concurrent.futures.Future[T] = concurrent.futures.Future()
        self._put(Job(fn, fut, order))
        return fut

    async def call(self, fn: Callable[[C], T], order: Order = ()) -> T:
        """`submit` for a coroutine: returns `fn(conn)`'s result after the commit."""
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[T] = loop.create_future()
        self._put(Job(fn, (loop, fut), order))
        return await fut

    def close(self) -> None:
        """Finish the queued jobs, then stop the thread; later calls raise StoreError."""
        if not self.closed:
            self.closed = True
            self._jobs.put(None)
            self._thread.join()

    def _put(self, job: Job[C]) -> None:
        if self.closed:
            raise StoreError(f"the store on {self.where} is closed")
        self._jobs.put(job)

    # --- the writer thread -------------------------------------------------------------

    def _run(self, ready: concurrent.futures.Future[None]) -> None:
        try:
            self.dialect.open()
        except Exception as exc:  # noqa: BLE001  (raised to the creator by `ready.result()`)
            ready.set_exception(exc)
            return
        ready.set_result(None)
        try:
            stop = False
            while not stop:
                jobs, stop = take_batch(self._jobs, self.max_group)
                if jobs:
                    self._commit_group(jobs)
        finally:
            self.dialect.close()

    def _commit_group(self, jobs: list[Job[C]]) -> None:
        if len(jobs) > 1:
            jobs.sort(key=_order)
        try:
            results = self._commit(jobs)
        except Exception as exc:  # noqa: BLE001  (a bug must not stop the writer: every later write would hang)
            results = [(job.waiter, None, exc) for job in jobs]
        hand_over(results)

    def _commit(self, jobs: list[Job[C]]) -> list[Result]:
        try:
            return self.dialect.run(lambda conn: self._transaction(conn, jobs))
        except _JobFailed as failed:
            if len(jobs) == 1:
                return [(jobs[0].waiter, None, self.dialect.job_error(failed.error))]
            # Rare: one job failed (or two writers' groups deadlocked). Redo each alone so the
            # others still commit and only the failing one sees its error.
            return [result for job in jobs for result in self._commit([job])]
        except StoreError as exc:
            return [(job.waiter, None, exc) for job in jobs]

    def _transaction(self, conn: C, jobs: list[Job[C]]) -> list[Result]:
        results: list[Result] = []
        with self.dialect.transaction(conn):
            for job in jobs:
                try:
                    results.append((job.waiter, job.fn(conn), None))
                except Exception as exc:
                    if self.dialect.fails_transaction(conn, exc):
                        raise
                    raise _JobFailed(exc) from exc
        self.commits += 1
        return results
