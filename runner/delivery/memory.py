"""An in-memory `Store` for fast unit tests: the verbs and semantics of the SQLite and
PostgreSQL stores (leases, claims owned by their worker, duplicates by (endpoint, webhook_id),
status transitions, attempts) without a file or a server. Nothing outlives the process.

    db = MemoryDatabase()
    store = MemoryStore(db)          # MemoryStore() alone: a database of its own
    other = MemoryStore(db)          # a second instance on the same queue

It runs on the same group-commit `Writer` as the real stores, so a call is answered from the
writer thread after its group "commits", as theirs are (an await always yields to the event
loop; `commits` counts groups). A transaction holds the database's lock, one writer at a time
as in SQLite, and journals what it overwrites: when a job raises, its group's changes are
undone and each job redone alone, as a database rollback would. tests/test_store_contract.py
runs the same contract against it and the real backends.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from typing import Any, TypeVar

from runner import pids
from runner.delivery.sqlite import worker_pid
from runner.delivery.store import (
    Attempt,
    Delivery,
    Enqueued,
    Filter,
    Found,
    NewDelivery,
    NewEvent,
    Purged,
    StoreError,
    check_purge,
)
from runner.delivery.writer import Writer

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")
R = TypeVar("R")

DEFAULT_MAX_GROUP = 1024
_MISSING: Any = object()  # the journal's "no row here before"


class MemoryDatabase:
    """The tables of one in-memory queue; every `MemoryStore` opened on it shares the queue."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # held by one store's transaction at a time
        self.events: dict[int, NewEvent] = {}
        self.event_ids: dict[tuple[str, str], int] = {}  # the unique (endpoint, webhook_id) key
        self.deliveries: dict[int, Delivery] = {}
        self.attempts: dict[int, tuple[Attempt, ...]] = {}  # by delivery id, oldest first
        self.last_ids: dict[str, int] = {"events": 0, "deliveries": 0}
        self._journal: list[tuple[dict[Any, Any], Any, Any]] | None = None

    def put(self, table: dict[K, V], key: K, value: V) -> None:
        """Write one row; inside a transaction, what it replaces is kept for a rollback."""
        if self._journal is not None:
            self._journal.append((table, key, table.get(key, _MISSING)))
        table[key] = value

    def drop(self, table: dict[K, V], key: K) -> None:
        """Delete one row (if there); inside a transaction, it is kept for a rollback."""
        if key in table:
            if self._journal is not None:
                self._journal.append((table, key, table[key]))
            del table[key]

    def new_id(self, table: str) -> int:
        """The next id of `table` (1, 2, ...; a rolled-back one is given again, as in SQLite)."""
        n = self.last_ids[table] + 1
        self.put(self.last_ids, table, n)
        return n

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Changes made in the block are undone if it raises."""
        self._journal = []
        try:
            yield
        except BaseException:
            for table, key, old in reversed(self._journal):
                if old is _MISSING:
                    del table[key]
                else:
                    table[key] = old
            raise
        finally:
            self._journal = None


class _Memory:
    """The writer's `Dialect` for a `MemoryDatabase`: the database is its own connection."""

    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def open(self) -> None:
        pass

    def close(self) -> None:
        pass

    def run(self, work: Callable[[MemoryDatabase], R]) -> R:
        with self.db.lock:
            return work(self.db)

    def transaction(self, conn: MemoryDatabase) -> AbstractContextManager[None]:
        return conn.transaction()

    def fails_transaction(self, conn: MemoryDatabase, exc: Exception) -> bool:
        return False  # nothing can fail but a job

    def job_error(self, exc: Exception) -> Exception:
        return exc


class MemoryStore:
    """`Store` (and `backends.QueueStore`) on a `MemoryDatabase`; safe to call from any thread
    or event loop."""

    def __init__(self, db: MemoryDatabase | None = None, *, max_group: int = DEFAULT_MAX_GROUP) -> None:
        self.db = db if db is not None else MemoryDatabase()
        self._writer = Writer(_Memory(self.db), name="memory-writer", where="an in-memory queue", max_group=max_group)

    @property
    def commits(self) -> int:
        """Groups committed (as the real stores count their transactions)."""
        return self._writer.commits

    async def _call(self, fn: Callable[[MemoryDatabase], T]) -> T:
        return await self._writer.call(fn)

    # --- Store verbs -------------------------------------------------------------------

    async def enqueue(self, event: NewEvent, deliveries: Sequence[NewDelivery]) -> Enqueued:
        return await self._call(lambda db: _enqueue(db, event, deliveries))

    async def claim(self, worker: str, *, limit: int, lease_s: float, exclude_destinations: Sequence[str] = ()) -> list[Delivery]:
        excluded = set(exclude_destinations)

        def run(db: MemoryDatabase) -> list[Delivery]:
            now = time.time()
            due = sorted((d for d in db.deliveries.values()
                          if d.status == "pending" and d.next_attempt_at <= now
                          and (d.lease_until is None or d.lease_until < now)
                          # As SQL's NOT IN: once any destination is excluded, so are deliveries without one.
                          and not (excluded and (d.destination is None or d.destination in excluded))),
                         key=lambda d: (d.next_attempt_at, d.id))
            claimed = [replace(d, claimed_by=worker, lease_until=now + lease_s) for d in due[:max(limit, 0)]]
            for d in claimed:
                db.put(db.deliveries, d.id, d)
            return sorted((_copy(d) for d in claimed), key=lambda d: d.id)

        return await self._call(run)

    async def ack(self, worker: str, attempts: Sequence[Attempt]) -> None:
        def run(db: MemoryDatabase) -> None:
            now = time.time()
            for a in attempts:
                _settle(db, worker, a.delivery_id, status="delivered", attempts=a.attempt, delivered_at=now,
                        updated_at=now, last_error=None)
            _record(db, attempts)

        await self._call(run)

    async def retry_later(self, worker: str, attempts: Sequence[Attempt], next_at: Sequence[float], errors: Sequence[str]) -> None:
        def run(db: MemoryDatabase) -> None:
            now = time.time()
            for a, at, err in zip(attempts, next_at, errors):
                _settle(db, worker, a.delivery_id, attempts=a.attempt, next_attempt_at=at, last_error=err, updated_at=now)
            _record(db, attempts)

        await self._call(run)

    async def dead_letter(self, worker: str, attempts: Sequence[Attempt], reasons: Sequence[str]) -> None:
        def run(db: MemoryDatabase) -> None:
            now = time.time()
            for a, reason in zip(attempts, reasons):
                _settle(db, worker, a.delivery_id, status="dead", attempts=a.attempt, stage="deliver", reason=reason,
                        last_error=a.error, updated_at=now)
            _record(db, attempts)

        await self._call(run)

    async def postpone(self, worker: str, ids: Sequence[int], until: float) -> None:
        def run(db: MemoryDatabase) -> None:
            for i in ids:
                _settle(db, worker, i, next_attempt_at=until)

        await self._call(run)

    async def replace(self, delivery_id: int, delivery: NewDelivery) -> None:
        p = delivery

        def run(db: MemoryDatabase) -> None:
            d = db.deliveries.get(delivery_id)
            if d is None or d.status != "dead":
                return
            now = time.time()
            db.put(db.deliveries, d.id, replace(
                d, status=p.status, destination=p.destination, url=p.url, method=p.method, headers=_headers(p.headers),
                body=p.body, kind=p.kind, message_id=p.message_id, stage=p.stage, reason=p.reason, logs=p.logs,
                updated_at=now, attempts=0, next_attempt_at=now, claimed_by=None, lease_until=None))

        await self._call(run)

    async def requeue(self, ids: Sequence[int]) -> int:
        def run(db: MemoryDatabase) -> int:
            now = time.time()
            count = 0
            for i in ids:
                d = db.deliveries.get(i)
                if d is not None and d.status == "dead":
                    db.put(db.deliveries, i, replace(d, status="pending", attempts=0, next_attempt_at=now,
                                                     claimed_by=None, lease_until=None, updated_at=now))
                    count += 1
            return count

        return await self._call(run)

    async def list(self, where: Filter) -> list[Delivery]:
        wanted = where.equalities()
        ids = None if where.ids is None else set(where.ids)

        def run(db: MemoryDatabase) -> list[Delivery]:
            found = [d for _, d in sorted(db.deliveries.items())
                     if (ids is None or d.id in ids) and all(getattr(d, c) == v for c, v in wanted.items())]
            if where.limit is not None:
                found = found[:max(where.limit, 0)]
            return [_copy(d) for d in found]

        return await self._call(run)

    async def get(self, delivery_id: int) -> Found | None:
        def run(db: MemoryDatabase) -> Found | None:
            d = db.deliveries.get(delivery_id)
            if d is None:
                return None
            return _copy(d), list(db.attempts.get(delivery_id, ())), db.events[d.event_id].body

        return await self._call(run)

    async def counts(self) -> dict[str, int]:
        def run(db: MemoryDatabase) -> dict[str, int]:
            return dict(Counter[str](d.status for d in db.deliveries.values()))

        return await self._call(run)

    async def purge(self, before: Mapping[str, float], limit: int) -> Purged:
        check_purge(before, limit)

        def run(db: MemoryDatabase) -> Purged:
            removed: dict[str, int] = {}
            events: set[int] = set()
            left = limit
            for status, cutoff in before.items():
                # As the databases: oldest first by updated_at, at most what is left of `limit`.
                doomed = sorted((d for d in db.deliveries.values() if d.status == status and d.updated_at < cutoff),
                                key=lambda d: d.updated_at)[:max(left, 0)]
                for d in doomed:
                    db.drop(db.attempts, d.id)
                    db.drop(db.deliveries, d.id)
                    events.add(d.event_id)
                if doomed:
                    removed[status] = len(doomed)
                    left -= len(doomed)
            remaining = {d.event_id for d in db.deliveries.values()}
            gone = 0
            for event_id in sorted(events - remaining):
                e = db.events[event_id]
                db.drop(db.event_ids, (e.endpoint, e.webhook_id))
                db.drop(db.events, event_id)
                gone += 1
            return Purged(removed, gone)

        return await self._call(run)

    async def purgeable(self, before: Mapping[str, float]) -> dict[str, int]:
        check_purge(before, 1)

        def run(db: MemoryDatabase) -> dict[str, int]:
            found = Counter[str](d.status for d in db.deliveries.values()
                                 if d.status in before and d.updated_at < before[d.status])
            return dict(found)

        return await self._call(run)

    async def next_due(self) -> float | None:
        def run(db: MemoryDatabase) -> float | None:
            return min((d.next_attempt_at for d in db.deliveries.values() if d.status == "pending"), default=None)

        return await self._call(run)

    async def oldest_pending(self) -> float | None:
        def run(db: MemoryDatabase) -> float | None:
            # As the databases: the first enqueued (lowest id) of the pending ones.
            oldest = min((d for d in db.deliveries.values() if d.status == "pending"), key=lambda d: d.id, default=None)
            return None if oldest is None else oldest.created_at

        return await self._call(run)

    async def release_dead_claims(self, host: str) -> int:
        """As the SQLite store: release claims of `host:pid:...` workers whose process is gone."""
        def run(db: MemoryDatabase) -> int:
            released = 0
            for d in list(db.deliveries.values()):
                owner = d.claimed_by
                if d.status == "pending" and owner is not None and owner.startswith(f"{host}:") \
                        and not pids.alive(worker_pid(owner, host)):
                    db.put(db.deliveries, d.id, replace(d, claimed_by=None, lease_until=None))
                    released += 1
            return released

        return await self._call(run)

    async def close(self) -> None:
        self.close_sync()

    def close_sync(self) -> None:
        """Finish queued calls, then stop the writer thread (the database stays)."""
        self._writer.close()


def _enqueue(db: MemoryDatabase, event: NewEvent, deliveries: Sequence[NewDelivery]) -> Enqueued:
    key = (event.endpoint, event.webhook_id)
    existing = db.event_ids.get(key)
    if existing is not None:
        return Enqueued(existing, duplicate=True)
    event_id = db.new_id("events")
    db.put(db.events, event_id, event)
    db.put(db.event_ids, key, event_id)
    now = time.time()
    ids = []
    for p in deliveries:
        delivery_id = db.new_id("deliveries")
        db.put(db.deliveries, delivery_id, Delivery(
            id=delivery_id, event_id=event_id, endpoint=event.endpoint, webhook_id=event.webhook_id,
            event_type=event.event_type, transform=p.transform, status=p.status, destination=p.destination,
            url=p.url, method=p.method, headers=_headers(p.headers), body=p.body, kind=p.kind,
            message_id=p.message_id, attempts=0, next_attempt_at=now, claimed_by=None, lease_until=None,
            stage=p.stage, reason=p.reason, last_error=None, logs=p.logs, created_at=now, updated_at=now,
            delivered_at=None))
        ids.append(delivery_id)
    return Enqueued(event_id, duplicate=False, delivery_ids=tuple(ids))


def _settle(db: MemoryDatabase, worker: str, delivery_id: int, **changes: Any) -> None:
    """Apply `changes` and give up the claim, if the delivery is still pending and `worker`'s
    (a worker whose lease ran out and was taken over cannot settle the new owner's claim)."""
    d = db.deliveries.get(delivery_id)
    if d is not None and d.status == "pending" and d.claimed_by == worker:
        db.put(db.deliveries, delivery_id, replace(d, claimed_by=None, lease_until=None, **changes))


def _record(db: MemoryDatabase, attempts: Sequence[Attempt]) -> None:
    for a in attempts:
        if a.delivery_id not in db.deliveries:  # the real stores' foreign key
            raise StoreError(f"an attempt names delivery {a.delivery_id}, which is not in the queue")
        db.put(db.attempts, a.delivery_id, (*db.attempts.get(a.delivery_id, ()), a))


def _headers(headers: dict[str, str]) -> dict[str, str]:
    # Stored as JSON by the real stores: the same values fail, and the caller's dict is not shared.
    copied: dict[str, str] = json.loads(json.dumps(headers))
    return copied


def _copy(d: Delivery) -> Delivery:
    """What a caller gets: its own headers dict, as from a database row."""
    return replace(d, headers=dict(d.headers))
