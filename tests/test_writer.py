"""The group-commit writer on a scripted dialect (its transactions are lines in a log), the
batching helper it shares with the engine pool, and the in-memory store's rollback. The
stores themselves are covered by tests/test_store_contract.py."""

from __future__ import annotations

import asyncio
import concurrent.futures
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import pytest

from runner.delivery.memory import MemoryDatabase, MemoryStore
from runner.delivery.store import Filter, NewEvent, StoreError
from runner.delivery.writer import Writer
from runner.queues import take_batch

R = TypeVar("R")
Log = list[str]


class DatabaseDown(Exception):
    """The scripted database's own failure (as sqlite3.Error is SQLite's)."""


class Scripted:
    """A dialect whose "connection" is a log of what the writer did."""

    def __init__(self, fail_open: Exception | None = None) -> None:
        self.log: Log = []
        self.fail_open = fail_open

    def open(self) -> None:
        if self.fail_open is not None:
            raise self.fail_open
        self.log.append("open")

    def close(self) -> None:
        self.log.append("close")

    def run(self, work: Callable[[Log], R]) -> R:
        try:
            return work(self.log)
        except DatabaseDown as exc:
            raise StoreError(f"database down: {exc}") from None

    @contextmanager
    def transaction(self, conn: Log) -> Iterator[None]:
        conn.append("begin")
        try:
            yield
            conn.append("commit")
        except BaseException:
            conn.append("rollback")
            raise

    def fails_transaction(self, conn: Log, exc: Exception) -> bool:
        return isinstance(exc, DatabaseDown)

    def job_error(self, exc: Exception) -> Exception:
        return exc


@pytest.fixture
def dialect() -> Scripted:
    return Scripted()


@pytest.fixture
def writer(dialect: Scripted) -> Iterator[Writer[Log]]:
    w = Writer(dialect, name="test-writer", where="'the log'", max_group=100)
    yield w
    w.close()


def step(name: str, result: Any = None) -> Callable[[Log], Any]:
    def job(log: Log) -> Any:
        log.append(name)
        return result if result is not None else name

    return job


def fail(name: str, exc: Exception) -> Callable[[Log], Any]:
    def job(log: Log) -> Any:
        log.append(name)
        raise exc

    return job


def held(writer: Writer[Log]) -> threading.Event:
    """Keep the writer busy until the event is set, so the jobs submitted meanwhile form one group."""
    release = threading.Event()
    started = threading.Event()

    def block(log: Log) -> None:
        started.set()
        release.wait(10)

    writer.submit(block)
    assert started.wait(10)
    return release


def group(writer: Writer[Log], jobs: list[Callable[[Log], Any]], orders: list[tuple[Any, ...]] | None = None,
          ) -> list[concurrent.futures.Future[Any]]:
    release = held(writer)
    futures = [writer.submit(job, order) for job, order in zip(jobs, orders or [()] * len(jobs))]
    release.set()
    concurrent.futures.wait(futures, timeout=10)
    return futures


def test_waiting_jobs_share_one_transaction_and_learn_their_result_after_its_commit(writer: Writer[Log], dialect: Scripted) -> None:
    seen: list[Log] = []
    release = held(writer)
    futures = [writer.submit(step(f"job{i}")) for i in range(5)]
    futures[0].add_done_callback(lambda _: seen.append(list(dialect.log)))
    release.set()
    assert [f.result(10) for f in futures] == [f"job{i}" for i in range(5)]
    assert dialect.log[-7:] == ["begin", "job0", "job1", "job2", "job3", "job4", "commit"]
    assert seen[0][-1] == "commit"  # resolved only once committed
    assert writer.commits == 2  # the blocker's transaction, then the group


def test_max_group_bounds_a_transaction(dialect: Scripted) -> None:
    w = Writer(dialect, name="test-writer", where="'the log'", max_group=2)
    try:
        futures = group(w, [step(f"j{i}") for i in range(5)])
        assert all(f.result() for f in futures)
        assert dialect.log.count("commit") == 1 + 3  # the blocker, then 2 + 2 + 1
    finally:
        w.close()


def test_a_group_runs_in_order_of_its_jobs_orders_first_come_first_served_among_equals(writer: Writer[Log], dialect: Scripted) -> None:
    group(writer, [step("c"), step("a1"), step("b"), step("a2")], [(1,), (0, "a"), (0, "b"), (0, "a")])
    assert dialect.log[-6:] == ["begin", "a1", "a2", "b", "c", "commit"]


def test_a_failing_job_is_redone_alone_and_only_it_sees_its_error(writer: Writer[Log], dialect: Scripted) -> None:
    futures = group(writer, [step("a"), fail("bad", ValueError("job failed")), step("c")])
    assert futures[0].result() == "a" and futures[2].result() == "c"
    with pytest.raises(ValueError, match="job failed"):
        futures[1].result()
    tail = dialect.log[dialect.log.index("bad") - 2:]
    assert tail == ["begin", "a", "bad", "rollback",
                    "begin", "a", "commit", "begin", "bad", "rollback", "begin", "c", "commit"]


def test_a_lone_failing_job_is_not_run_twice(writer: Writer[Log], dialect: Scripted) -> None:
    with pytest.raises(ValueError):
        writer.submit(fail("bad", ValueError("x"))).result(10)
    assert dialect.log.count("bad") == 1


def test_a_database_failure_fails_the_whole_group_without_redoing_it(writer: Writer[Log], dialect: Scripted) -> None:
    futures = group(writer, [step("a"), fail("down", DatabaseDown("disk full")), step("c")])
    for f in futures:
        with pytest.raises(StoreError, match="database down: disk full"):
            f.result()
    assert dialect.log.count("a") == 1 and "c" not in dialect.log


def test_a_bug_in_the_dialect_fails_its_group_and_the_writer_carries_on(writer: Writer[Log], dialect: Scripted) -> None:
    original = dialect.transaction

    def transaction(conn: Log) -> Any:
        raise RuntimeError("bug")

    dialect.transaction = transaction  # type: ignore[method-assign]
    with pytest.raises(RuntimeError, match="bug"):
        writer.submit(step("a")).result(10)
    dialect.transaction = original  # type: ignore[method-assign]
    assert writer.submit(step("b")).result(10) == "b"


def test_coroutines_await_results_on_their_loop(writer: Writer[Log]) -> None:
    async def many() -> list[Any]:
        return await asyncio.gather(*(writer.call(step(f"j{i}")) for i in range(50)),
                                    writer.call(fail("bad", KeyError("k"))), return_exceptions=True)

    results = asyncio.run(many())
    assert results[:50] == [f"j{i}" for i in range(50)] and isinstance(results[50], KeyError)


def test_close_finishes_queued_jobs_then_refuses_new_ones(writer: Writer[Log], dialect: Scripted) -> None:
    release = held(writer)
    queued = writer.submit(step("queued"))
    closer = threading.Thread(target=writer.close)
    closer.start()
    release.set()
    closer.join(10)
    assert queued.result(10) == "queued" and dialect.log[-1] == "close"
    with pytest.raises(StoreError, match="the store on 'the log' is closed"):
        writer.submit(step("late"))
    writer.close()  # idempotent


def test_a_failure_to_open_is_raised_to_the_creator() -> None:
    with pytest.raises(StoreError, match="cannot open"):
        Writer(Scripted(fail_open=StoreError("cannot open")), name="test-writer", where="x", max_group=10)


def test_take_batch_takes_what_is_queued_up_to_its_limit() -> None:
    jobs: queue.SimpleQueue[int | None] = queue.SimpleQueue()
    for i in range(5):
        jobs.put(i)
    assert take_batch(jobs, 3) == ([0, 1, 2], False)
    assert take_batch(jobs, 3) == ([3, 4], False)
    jobs.put(5)
    jobs.put(None)
    jobs.put(6)  # behind the sentinel: left for the next reader
    assert take_batch(jobs, 10) == ([5], True)
    assert take_batch(jobs, 10) == ([6], False)
    jobs.put(None)
    assert take_batch(jobs, 10) == ([], True)
    # Not waiting: nothing when nothing is queued, else the same as waiting.
    assert take_batch(jobs, 10, wait=False) == ([], False)
    jobs.put(7)
    jobs.put(None)
    assert take_batch(jobs, 10, wait=False) == ([7], True)


def test_the_memory_store_undoes_a_failing_jobs_writes() -> None:
    store = MemoryStore()
    try:
        def boom(db: MemoryDatabase) -> None:
            db.put(db.events, db.new_id("events"), NewEvent("x", "y", "z", "{}", 0))
            raise ValueError("job failed")

        async def mixed() -> list[Any]:
            good = [store.enqueue(NewEvent("default", f"msg_{n}", "t", "{}", 0), []) for n in range(10)]
            return await asyncio.gather(store._call(boom), *good, return_exceptions=True)

        results = asyncio.run(mixed())
        assert isinstance(results[0], ValueError) and not any(isinstance(r, BaseException) for r in results[1:])
        assert sorted(store.db.events) == list(range(1, 11))  # the failed job's id was given again
        assert asyncio.run(store.list(Filter())) == []
    finally:
        store.close_sync()
