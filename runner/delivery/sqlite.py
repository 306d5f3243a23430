"""The SQLite `Store`: one file in WAL mode, one writer thread, group commit.

Durability: `synchronous=FULL` by default, so a committed transaction survives a power cut as
well as `kill -9` (NORMAL in WAL mode survives a process crash but may lose the last commits
on power loss; it is offered as a config choice, never the default, because we acknowledge
webhooks only after commit). fsync costs ~0.1–1 ms, so every write request waiting at that
moment is committed together: the writer thread takes one job, drains whatever else is queued
(up to `max_group`), runs them in one transaction, commits once, and only then resolves every job's future. Callers therefore learn
"stored" only after the data is on disk, and 1,000 concurrent acceptances cost a few fsyncs.

All statements run on the writer thread, including reads: SQLite allows one writer anyway,
and one connection means no lock contention inside the process. Jobs run without savepoints; if
one raises, the group is rolled back and each job redone alone, so failures stay isolated. Other processes (`runner
deliveries`, `runner replay`) open their own store on the same file; WAL lets them read while
the server writes, and writers wait up to `busy_timeout_ms` for each other.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from runner.delivery.handoff import Result, Waiter, resolve
from runner.delivery.store import (
    Attempt,
    Delivery,
    Enqueued,
    Filter,
    NewDelivery,
    NewEvent,
    StoreError,
)

T = TypeVar("T")

DEFAULT_MAX_GROUP = 1024  # jobs per transaction; bounds the latency one commit adds
DEFAULT_BUSY_TIMEOUT_MS = 10_000  # wait this long for another process's write lock
SCHEMA_VERSION = 1
DB_FILENAME = "queue.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    endpoint TEXT NOT NULL,
    webhook_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    body TEXT NOT NULL,
    received_at REAL NOT NULL,
    UNIQUE (endpoint, webhook_id)
);
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events(id),
    endpoint TEXT NOT NULL,
    webhook_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    transform TEXT NOT NULL,
    status TEXT NOT NULL,
    destination TEXT,
    url TEXT,
    method TEXT,
    headers TEXT NOT NULL DEFAULT '{}',
    body TEXT,
    kind TEXT,
    message_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    claimed_by TEXT,
    lease_until REAL,
    stage TEXT,
    reason TEXT,
    last_error TEXT,
    logs TEXT NOT NULL DEFAULT '[]',
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    delivered_at REAL
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS deliveries_status ON deliveries (status, id);
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY,
    delivery_id INTEGER NOT NULL REFERENCES deliveries(id),
    attempt INTEGER NOT NULL,
    started_at REAL NOT NULL,
    duration_ms REAL NOT NULL,
    outcome TEXT NOT NULL,
    status_code INTEGER,
    error TEXT
);
CREATE INDEX IF NOT EXISTS attempts_delivery ON attempts (delivery_id);
"""

_DELIVERY_COLUMNS = (
    "id, event_id, endpoint, webhook_id, event_type, transform, status, destination, url, "
    "method, headers, body, kind, message_id, attempts, next_attempt_at, claimed_by, "
    "lease_until, stage, reason, last_error, logs, created_at, updated_at, delivered_at"
)

_INSERT_EVENT = (
    "INSERT INTO events (endpoint, webhook_id, event_type, body, received_at) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (endpoint, webhook_id) DO NOTHING"
)
_INSERT_DELIVERY = (
    "INSERT INTO deliveries (event_id, endpoint, webhook_id, event_type, transform, status, "
    "destination, url, method, headers, body, kind, message_id, next_attempt_at, stage, reason, "
    "logs, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_CLAIM = (
    "UPDATE deliveries SET claimed_by = ?, lease_until = ? WHERE id IN ("
    " SELECT id FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ?"
    " AND (lease_until IS NULL OR lease_until < ?) {exclude} ORDER BY next_attempt_at LIMIT ?)"
    f" RETURNING {_DELIVERY_COLUMNS}"
)
_OWNED = "id = ? AND status = 'pending' AND claimed_by = ?"
_ACK = (
    "UPDATE deliveries SET status = 'delivered', attempts = ?, delivered_at = ?, updated_at = ?, "
    f"claimed_by = NULL, lease_until = NULL, last_error = NULL WHERE {_OWNED}"
)
_RETRY = (
    "UPDATE deliveries SET attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ?, "
    f"claimed_by = NULL, lease_until = NULL WHERE {_OWNED}"
)
_DEAD = (
    "UPDATE deliveries SET status = 'dead', attempts = ?, stage = 'deliver', reason = ?, "
    f"last_error = ?, updated_at = ?, claimed_by = NULL, lease_until = NULL WHERE {_OWNED}"
)
_POSTPONE = (
    "UPDATE deliveries SET next_attempt_at = ?, claimed_by = NULL, lease_until = NULL "
    f"WHERE {_OWNED}"
)
_INSERT_ATTEMPT = (
    "INSERT INTO attempts (delivery_id, attempt, started_at, duration_ms, outcome, status_code, error) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)


_Job = tuple[Callable[[sqlite3.Connection], Any], Waiter]


class _JobFailed(Exception):
    def __init__(self, error: Exception) -> None:
        self.error = error


class SQLiteStore:
    """`Store` on one SQLite file; safe to call from any thread or event loop."""

    def __init__(
        self,
        path: Path,
        *,
        synchronous: str = "FULL",
        max_group: int = DEFAULT_MAX_GROUP,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    ) -> None:
        if synchronous not in {"FULL", "NORMAL", "EXTRA"}:
            raise ValueError(f"synchronous must be FULL, NORMAL or EXTRA, got {synchronous!r}")
        self.path = Path(path)
        self.max_group = max_group
        self._synchronous = synchronous
        self._busy_timeout_ms = busy_timeout_ms
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._closed = False
        self.commits = 0  # transactions committed (for tests and benchmarks of group commit)
        ready: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._thread = threading.Thread(target=self._run, args=(ready,), name="sqlite-writer", daemon=True)
        self._thread.start()
        ready.result()  # re-raises a failure to open, in the caller's thread

    @classmethod
    def in_dir(cls, data_dir: Path, **kwargs: Any) -> SQLiteStore:
        """The store in `data_dir` (created if missing)."""
        data_dir = Path(data_dir)
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create data directory {str(data_dir)!r}: {exc.strerror}; pass a writable --data-dir") from None
        return cls(data_dir / DB_FILENAME, **kwargs)

    # --- the writer thread -------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if str(self.path) != ":memory:" and not Path(self.path).exists():
            # The queue holds customers' personal data: readable by its owner only. SQLite gives
            # its -wal and -shm files the database file's permissions.
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_ms)}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {self._synchronous}")
        conn.execute("PRAGMA foreign_keys = ON")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{str(self.path)!r} was written by a newer runner (schema {version}); upgrade runner"
            )
        conn.executescript(_SCHEMA)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return conn

    def _run(self, ready: concurrent.futures.Future[None]) -> None:
        try:
            conn = self._connect()
        except (sqlite3.Error, StoreError) as exc:
            ready.set_exception(exc if isinstance(exc, StoreError) else StoreError(
                f"cannot open the queue database {str(self.path)!r}: {exc}; check the path and permissions"))
            return
        ready.set_result(None)
        stop = False
        while not stop:
            first = self._jobs.get()
            if first is None:
                break
            jobs = [first]
            while len(jobs) < self.max_group:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    stop = True
                    break
                jobs.append(job)
            self._commit_group(conn, jobs)
        conn.close()

    def _commit_group(self, conn: sqlite3.Connection, jobs: list[_Job]) -> None:
        try:
            results = self._transaction(conn, jobs)
        except _JobFailed:
            # Rare: one job raised. Redo each job in its own transaction so the others still
            # commit and only the failing one sees its error.
            results = []
            for job in jobs:
                try:
                    results.extend(self._transaction(conn, [job]))
                except _JobFailed as failed:
                    results.append((job[1], None, failed.error))
                except sqlite3.Error as exc:
                    results.append((job[1], None, self._error(exc)))
        except sqlite3.Error as exc:
            error = self._error(exc)
            results = [(waiter, None, error) for _, waiter in jobs]
        resolve(results)

    def _transaction(self, conn: sqlite3.Connection, jobs: list[_Job]) -> list[Result]:
        results: list[Result] = []
        conn.execute("BEGIN IMMEDIATE")
        try:
            for fn, waiter in jobs:
                try:
                    results.append((waiter, fn(conn), None))
                except sqlite3.Error:
                    raise
                except Exception as exc:
                    raise _JobFailed(exc) from exc
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        self.commits += 1
        return results

    def _error(self, exc: sqlite3.Error) -> StoreError:
        return StoreError(f"writing to {str(self.path)!r} failed: {exc}; check disk space and permissions")

    def submit(self, fn: Callable[[sqlite3.Connection], T]) -> concurrent.futures.Future[T]:
        """Run `fn(conn)` in the next group transaction; the future resolves after COMMIT."""
        fut: concurrent.futures.Future[T] = concurrent.futures.Future()
        self._put((fn, fut))
        return fut

    def _put(self, job: _Job) -> None:
        if self._closed:
            raise StoreError(f"the store on {str(self.path)!r} is closed")
        self._jobs.put(job)

    async def _call(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[T] = loop.create_future()
        self._put((fn, (loop, fut)))
        return await fut

    def call(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Blocking form of a store call, for scripts and the CLI."""
        return self.submit(fn).result()

    # --- Store verbs -------------------------------------------------------------------

    async def enqueue(self, event: NewEvent, deliveries: Sequence[NewDelivery]) -> Enqueued:
        return await self._call(lambda conn: _enqueue(conn, event, deliveries))

    async def claim(self, worker: str, *, limit: int, lease_s: float, exclude_destinations: Sequence[str] = ()) -> list[Delivery]:
        def run(conn: sqlite3.Connection) -> list[Delivery]:
            now = time.time()
            exclude = ""
            params: list[Any] = [worker, now + lease_s, now, now]
            if exclude_destinations:
                exclude = "AND destination NOT IN (%s)" % ",".join("?" * len(exclude_destinations))
                params.extend(exclude_destinations)
            params.append(limit)
            rows = conn.execute(_CLAIM.format(exclude=exclude), params).fetchall()
            return sorted((_delivery(r) for r in rows), key=lambda d: d.id)

        return await self._call(run)

    async def ack(self, worker: str, attempts: Sequence[Attempt]) -> None:
        def run(conn: sqlite3.Connection) -> None:
            now = time.time()
            conn.executemany(_ACK, [(a.attempt, now, now, a.delivery_id, worker) for a in attempts])
            _record(conn, attempts)

        await self._call(run)

    async def retry_later(self, worker: str, attempts: Sequence[Attempt], next_at: Sequence[float], errors: Sequence[str]) -> None:
        def run(conn: sqlite3.Connection) -> None:
            now = time.time()
            conn.executemany(_RETRY, [(a.attempt, at, err, now, a.delivery_id, worker) for a, at, err in zip(attempts, next_at, errors)])
            _record(conn, attempts)

        await self._call(run)

    async def dead_letter(self, worker: str, attempts: Sequence[Attempt], reasons: Sequence[str]) -> None:
        def run(conn: sqlite3.Connection) -> None:
            now = time.time()
            conn.executemany(_DEAD, [(a.attempt, r, a.error, now, a.delivery_id, worker) for a, r in zip(attempts, reasons)])
            _record(conn, attempts)

        await self._call(run)

    async def postpone(self, worker: str, ids: Sequence[int], until: float) -> None:
        def run(conn: sqlite3.Connection) -> None:
            conn.executemany(_POSTPONE, [(until, i, worker) for i in ids])

        await self._call(run)

    async def replace(self, delivery_id: int, delivery: NewDelivery) -> None:
        def run(conn: sqlite3.Connection) -> None:
            conn.execute(
                "UPDATE deliveries SET status = ?, destination = ?, url = ?, method = ?, headers = ?, "
                "body = ?, kind = ?, message_id = ?, stage = ?, reason = ?, logs = ?, updated_at = ?, "
                "attempts = 0, next_attempt_at = ?, claimed_by = NULL, lease_until = NULL "
                "WHERE id = ? AND status = 'dead'",
                (delivery.status, delivery.destination, delivery.url, delivery.method,
                 json.dumps(delivery.headers), delivery.body, delivery.kind, delivery.message_id,
                 delivery.stage, delivery.reason, delivery.logs, time.time(), time.time(), delivery_id),
            )

        await self._call(run)

    async def requeue(self, ids: Sequence[int]) -> int:
        def run(conn: sqlite3.Connection) -> int:
            now = time.time()
            cur = conn.executemany(
                "UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, "
                "claimed_by = NULL, lease_until = NULL, updated_at = ? WHERE id = ? AND status = 'dead'",
                [(now, now, i) for i in ids],
            )
            return cur.rowcount

        return await self._call(run)

    async def list(self, where: Filter) -> list[Delivery]:
        def run(conn: sqlite3.Connection) -> list[Delivery]:
            clauses, params = _where(where)
            sql = f"SELECT {_DELIVERY_COLUMNS} FROM deliveries {clauses} ORDER BY id"
            if where.limit is not None:
                sql += " LIMIT ?"
                params.append(where.limit)
            return [_delivery(r) for r in conn.execute(sql, params)]

        return await self._call(run)

    async def get(self, delivery_id: int) -> tuple[Delivery, list[Attempt], str] | None:
        def run(conn: sqlite3.Connection) -> tuple[Delivery, list[Attempt], str] | None:
            row = conn.execute(f"SELECT {_DELIVERY_COLUMNS} FROM deliveries WHERE id = ?", (delivery_id,)).fetchone()
            if row is None:
                return None
            delivery = _delivery(row)
            attempts = [
                Attempt(delivery_id, *r)
                for r in conn.execute(
                    "SELECT attempt, started_at, duration_ms, outcome, status_code, error FROM attempts "
                    "WHERE delivery_id = ? ORDER BY id", (delivery_id,))
            ]
            body = conn.execute("SELECT body FROM events WHERE id = ?", (delivery.event_id,)).fetchone()[0]
            return delivery, attempts, body

        return await self._call(run)

    async def counts(self) -> dict[str, int]:
        def run(conn: sqlite3.Connection) -> dict[str, int]:
            return dict(conn.execute("SELECT status, COUNT(*) FROM deliveries GROUP BY status").fetchall())

        return await self._call(run)

    async def next_due(self) -> float | None:
        def run(conn: sqlite3.Connection) -> float | None:
            row = conn.execute("SELECT MIN(next_attempt_at) FROM deliveries WHERE status = 'pending'").fetchone()
            return row[0]

        return await self._call(run)

    async def release_dead_claims(self, host: str) -> int:
        """Release claims held by processes of `host` that no longer exist (a `kill -9`).

        Workers are named `host:pid:random`. Without this, what a killed server had claimed would
        wait for its lease to run out; a local file is only shared by processes of this
        host, whose liveness we can check. (A shared networked store relies on the lease.)
        """
        def run(conn: sqlite3.Connection) -> int:
            owners = [r[0] for r in conn.execute(
                "SELECT DISTINCT claimed_by FROM deliveries WHERE status = 'pending' AND claimed_by LIKE ?", (f"{host}:%",))]
            dead = [o for o in owners if not _alive(o[len(host) + 1:].split(":", 1)[0])]
            cur = conn.executemany(
                "UPDATE deliveries SET claimed_by = NULL, lease_until = NULL WHERE status = 'pending' AND claimed_by = ?",
                [(o,) for o in dead])
            return cur.rowcount

        return await self._call(run)

    async def close(self) -> None:
        self.close_sync()

    def close_sync(self) -> None:
        """Finish queued jobs, then stop the writer thread."""
        if not self._closed:
            self._closed = True
            self._jobs.put(None)
            self._thread.join()


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _enqueue(conn: sqlite3.Connection, event: NewEvent, deliveries: Sequence[NewDelivery]) -> Enqueued:
    cur = conn.execute(_INSERT_EVENT, (event.endpoint, event.webhook_id, event.event_type, event.body, event.received_at))
    if cur.rowcount == 0:
        row = conn.execute("SELECT id FROM events WHERE endpoint = ? AND webhook_id = ?", (event.endpoint, event.webhook_id)).fetchone()
        return Enqueued(row[0], duplicate=True)
    event_id = cur.lastrowid
    assert event_id is not None
    now = time.time()
    ids = []
    for d in deliveries:
        cur = conn.execute(_INSERT_DELIVERY, (
            event_id, event.endpoint, event.webhook_id, event.event_type, d.transform, d.status,
            d.destination, d.url, d.method, json.dumps(d.headers), d.body, d.kind, d.message_id,
            now, d.stage, d.reason, d.logs, now, now,
        ))
        ids.append(cur.lastrowid or 0)
    return Enqueued(event_id, duplicate=False, delivery_ids=tuple(ids))


def _record(conn: sqlite3.Connection, attempts: Sequence[Attempt]) -> None:
    conn.executemany(_INSERT_ATTEMPT, [
        (a.delivery_id, a.attempt, a.started_at, a.duration_ms, a.outcome, a.status_code, a.error) for a in attempts
    ])


def _where(where: Filter) -> tuple[str, list[Any]]:
    clauses, params = [], []
    for column in ("status", "endpoint", "transform", "event_type", "stage"):
        value = getattr(where, column)
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if where.ids is not None:
        clauses.append("id IN (%s)" % ",".join("?" * len(where.ids)) if where.ids else "0")
        params.extend(where.ids)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def _delivery(row: Sequence[Any]) -> Delivery:
    values = list(row)
    values[10] = json.loads(values[10] or "{}")  # headers
    return Delivery(*values)
