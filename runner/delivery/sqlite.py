"""The SQLite `Store`: one file in WAL mode, one writer thread, group commit.

Durability: `synchronous=FULL` by default, so a committed transaction survives a power cut as
well as `kill -9` (NORMAL in WAL mode survives a process crash but may lose the last commits
on power loss; it is offered as a config choice, never the default, because we acknowledge
webhooks only after commit). fsync costs ~0.1–1 ms, so the store runs on a group-commit
`Writer` (runner/delivery/writer.py): every write request waiting at a commit shares its
fsync, and callers learn "stored" only after the data is on disk.

All statements run on the writer thread, including reads: SQLite allows one writer anyway,
and one connection means no lock contention inside the process. Other processes (the workers
and the dispatcher of `serve --workers N`, `runner deliveries`, `runner replay`) open their own
store on the same file; WAL lets them read while another writes. Writers take turns through
`_WriteTurn`, an flock beside the file, before SQLite's own lock: a writer waiting for SQLite's
lock sleeps 1, 2, 5, 10... ms between tries (its busy handler), and two processes that commit
hundreds of times a second lost most of their time to those sleeps; one waiting for the flock
tries again within a millisecond. Both give up after `busy_timeout_ms`. The statements are in
`sqlitesql`.
"""

from __future__ import annotations

import concurrent.futures
import fcntl
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from runner import pids
from runner.delivery import sqlitesql as sql
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
    delivery_from_row,
)
from runner.delivery.writer import Writer

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_MAX_GROUP = 1024  # jobs per transaction; bounds the latency one commit adds
DEFAULT_BUSY_TIMEOUT_MS = 10_000  # wait this long for another process's write lock
SCHEMA_VERSION = sql.SCHEMA_VERSION
DB_FILENAME = "queue.sqlite3"
WRITE_TURN_SUFFIX = "-writer.lock"  # beside the database: see _WriteTurn
SYNCHRONOUS = ("FULL", "NORMAL", "EXTRA")


class _WriteTurn:
    """An exclusive flock on the file `path` (created 0600), taken around each write
    transaction by every store on the same database, in any process; none without `path` (an
    in-memory database) or before `open`."""

    FIRST_PAUSE_S = 0.00005
    MAX_PAUSE_S = 0.001

    def __init__(self, path: Path | None, timeout_s: float) -> None:
        self.path = path
        self.timeout_s = timeout_s
        self._fd: int | None = None

    def open(self) -> None:
        if self.path is not None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    @contextmanager
    def held(self) -> Iterator[None]:
        fd = self._fd
        if fd is None:
            yield
            return
        pause, deadline = self.FIRST_PAUSE_S, None
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                # Polled, not a blocking flock: that could not give up, and a stopped process
                # holding the turn would hang every writer instead of failing them after the timeout.
                now = time.monotonic()
                deadline = deadline or now + self.timeout_s
                if now >= deadline:
                    raise sqlite3.OperationalError(f"database is locked (no write turn after {self.timeout_s:g} s)") from None
                time.sleep(pause)
                pause = min(pause * 2, self.MAX_PAUSE_S)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)


class _SQLite:
    """The writer's `Dialect` for one SQLite file: its one connection lives on the writer thread."""

    def __init__(self, path: Path, synchronous: str, busy_timeout_ms: int) -> None:
        self.path = path
        self.synchronous = synchronous
        self.busy_timeout_ms = busy_timeout_ms
        self.conn: sqlite3.Connection | None = None
        memory = str(path) == ":memory:"
        self.turn = _WriteTurn(None if memory else Path(f"{path}{WRITE_TURN_SUFFIX}"), busy_timeout_ms / 1000)

    def open(self) -> None:
        try:
            self.turn.open()
            self.conn = self._connect()
        except (sqlite3.Error, OSError) as exc:
            self.turn.close()
            detail = exc.strerror if isinstance(exc, OSError) else exc
            raise StoreError(f"cannot open the queue database {str(self.path)!r}: {detail}; "
                             "check the path and permissions") from None

    def _connect(self) -> sqlite3.Connection:
        if str(self.path) != ":memory:" and not self.path.exists():
            # The queue holds customers' personal data: readable by its owner only. SQLite gives
            # its -wal and -shm files the database file's permissions.
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            for pragma in sql.settings(self.busy_timeout_ms, self.synchronous):
                conn.execute(pragma)
            version = conn.execute(sql.READ_VERSION).fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{str(self.path)!r} was written by a newer runner (schema {version}); upgrade runner"
                )
            if version < SCHEMA_VERSION:
                with self.turn.held():
                    _migrate(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.turn.close()

    def run(self, work: Callable[[sqlite3.Connection], R]) -> R:
        assert self.conn is not None, "used before open()"
        try:
            return work(self.conn)
        except sqlite3.Error as exc:
            raise self.error(exc) from None

    @contextmanager
    def transaction(self, conn: sqlite3.Connection) -> Iterator[None]:
        with self.turn.held():
            conn.execute(sql.BEGIN)
            try:
                yield
                conn.execute(sql.COMMIT)
            except BaseException:
                if conn.in_transaction:
                    conn.execute(sql.ROLLBACK)
                raise

    def fails_transaction(self, conn: sqlite3.Connection, exc: Exception) -> bool:
        # SQLite's errors are the file's (busy past the timeout, disk full, I/O), not one job's:
        # redoing the group's jobs one by one would only wait and fail once per job.
        return isinstance(exc, sqlite3.Error)

    def job_error(self, exc: Exception) -> Exception:
        return exc  # never a sqlite3.Error: those fail the transaction (`fails_transaction`)

    def error(self, exc: sqlite3.Error) -> StoreError:
        return StoreError(f"writing to {str(self.path)!r} failed: {exc}; check disk space and permissions")


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
        if synchronous not in SYNCHRONOUS:
            raise ValueError(f"synchronous must be FULL, NORMAL or EXTRA, got {synchronous!r}")
        self.path = Path(path)
        self._writer = Writer(_SQLite(self.path, synchronous, busy_timeout_ms), name="sqlite-writer",
                              where=repr(str(self.path)), max_group=max_group)

    @classmethod
    def in_dir(cls, data_dir: Path, **kwargs: Any) -> SQLiteStore:
        """The store in `data_dir` (created if missing)."""
        data_dir = Path(data_dir)
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create data directory {str(data_dir)!r}: {exc.strerror}; pass a writable --data-dir") from None
        return cls(data_dir / DB_FILENAME, **kwargs)

    @property
    def commits(self) -> int:
        """Transactions committed (for tests and benchmarks of group commit)."""
        return self._writer.commits

    def submit(self, fn: Callable[[sqlite3.Connection], T]) -> concurrent.futures.Future[T]:
        """Run `fn(conn)` in the next group transaction; the future resolves after COMMIT."""
        return self._writer.submit(fn)

    def call(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Blocking form of a store call, for scripts and the CLI."""
        return self.submit(fn).result()

    async def _call(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        return await self._writer.call(fn)

    # --- Store verbs -------------------------------------------------------------------

    async def enqueue(self, event: NewEvent, deliveries: Sequence[NewDelivery]) -> Enqueued:
        return await self._call(lambda conn: _enqueue(conn, event, deliveries))

    async def claim(self, worker: str, *, limit: int, lease_s: float, exclude_destinations: Sequence[str] = ()) -> list[Delivery]:
        def run(conn: sqlite3.Connection) -> list[Delivery]:
            now = time.time()
            params = [worker, now + lease_s, now, now, *exclude_destinations, limit]
            found = _deliveries(conn.execute(sql.claim_query(len(exclude_destinations)), params))
            return sorted(found, key=lambda d: d.id)

        return await self._call(run)

    async def ack(self, worker: str, attempts: Sequence[Attempt]) -> None:
        def run(conn: sqlite3.Connection) -> None:
            now = time.time()
            conn.executemany(sql.ACK, [(a.attempt, now, now, a.delivery_id, worker) for a in attempts])
            _record(conn, attempts)

        await self._call(run)

    async def retry_later(self, worker: str, attempts: Sequence[Attempt], next_at: Sequence[float], errors: Sequence[str]) -> None:
        def run(conn: sqlite3.Connection) -> None:
            now = time.time()
            conn.executemany(sql.RETRY, [(a.attempt, at, err, now, a.delivery_id, worker)
                                         for a, at, err in zip(attempts, next_at, errors)])
            _record(conn, attempts)

        await self._call(run)

    async def dead_letter(self, worker: str, attempts: Sequence[Attempt], reasons: Sequence[str]) -> None:
        def run(conn: sqlite3.Connection) -> None:
            now = time.time()
            conn.executemany(sql.DEAD, [(a.attempt, r, a.error, now, a.delivery_id, worker) for a, r in zip(attempts, reasons)])
            _record(conn, attempts)

        await self._call(run)

    async def postpone(self, worker: str, ids: Sequence[int], until: float) -> None:
        def run(conn: sqlite3.Connection) -> None:
            conn.executemany(sql.POSTPONE, [(until, i, worker) for i in ids])

        await self._call(run)

    async def replace(self, delivery_id: int, delivery: NewDelivery) -> None:
        d = delivery

        def run(conn: sqlite3.Connection) -> None:
            now = time.time()
            conn.execute(sql.REPLACE, (
                d.status, d.destination, d.url, d.method, json.dumps(d.headers), d.body, d.kind, d.message_id,
                d.stage, d.reason, d.logs, now, now, delivery_id,
            ))

        await self._call(run)

    async def requeue(self, ids: Sequence[int]) -> int:
        def run(conn: sqlite3.Connection) -> int:
            now = time.time()
            return conn.executemany(sql.REQUEUE, [(now, now, i) for i in ids]).rowcount

        return await self._call(run)

    async def list(self, where: Filter) -> list[Delivery]:
        query, params = sql.list_query(where)
        return await self._call(lambda conn: _deliveries(conn.execute(query, params)))

    async def get(self, delivery_id: int) -> Found | None:
        def run(conn: sqlite3.Connection) -> Found | None:
            found = _deliveries(conn.execute(sql.GET_DELIVERY, (delivery_id,)))
            if not found:
                return None
            delivery = found[0]
            attempts = [Attempt(delivery_id, *r) for r in conn.execute(sql.GET_ATTEMPTS, (delivery_id,))]
            body = conn.execute(sql.GET_EVENT_BODY, (delivery.event_id,)).fetchone()[0]
            return delivery, attempts, body

        return await self._call(run)

    async def counts(self) -> dict[str, int]:
        return await self._call(lambda conn: dict(conn.execute(sql.COUNTS).fetchall()))

    async def purge(self, before: Mapping[str, float], limit: int) -> Purged:
        check_purge(before, limit)
        return await self._call(lambda conn: _purge(conn, before, limit))

    async def purgeable(self, before: Mapping[str, float]) -> dict[str, int]:
        check_purge(before, 1)

        def run(conn: sqlite3.Connection) -> dict[str, int]:
            found = {s: conn.execute(sql.PURGEABLE, (s, cutoff)).fetchone()[0] for s, cutoff in before.items()}
            return {s: n for s, n in found.items() if n}

        return await self._call(run)

    async def next_due(self) -> float | None:
        return await self._call(lambda conn: conn.execute(sql.NEXT_DUE).fetchone()[0])

    async def oldest_pending(self) -> float | None:
        def run(conn: sqlite3.Connection) -> float | None:
            row = conn.execute(sql.OLDEST_PENDING).fetchone()
            return None if row is None else float(row[0])

        return await self._call(run)

    async def release_dead_claims(self, host: str) -> int:
        """Release claims held by processes of `host` that no longer exist (a `kill -9`).

        Workers are named `host:pid:random`. Without this, what a killed server had claimed would
        wait for its lease to run out; a local file is only shared by processes of this
        host, whose liveness we can check. (A shared networked store relies on the lease.)
        """
        def run(conn: sqlite3.Connection) -> int:
            owners = [r[0] for r in conn.execute(sql.CLAIM_OWNERS, (f"{host}:%",))]
            dead = [(o,) for o in owners if not pids.alive(worker_pid(o, host))]
            return conn.executemany(sql.RELEASE_CLAIMS, dead).rowcount

        return await self._call(run)

    async def close(self) -> None:
        self.close_sync()

    def close_sync(self) -> None:
        """Finish queued jobs, then stop the writer thread."""
        self._writer.close()


def _migrate(conn: sqlite3.Connection) -> None:
    """Create the schema, or bring an older file's up to date, in one transaction (under the
    write lock: another process opening the same file at once finds it done, and the tally's
    count cannot miss a write)."""
    conn.execute(sql.BEGIN)
    try:
        if conn.execute(sql.READ_VERSION).fetchone()[0] < SCHEMA_VERSION:
            for statement in (*sql.SCHEMA, *sql.BACKFILL):
                conn.execute(statement)
            conn.execute(sql.WRITE_VERSION)
        conn.execute(sql.COMMIT)
    except BaseException:
        if conn.in_transaction:
            conn.execute(sql.ROLLBACK)
        raise


def _purge(conn: sqlite3.Connection, before: Mapping[str, float], limit: int) -> Purged:
    removed: dict[str, int] = {}
    events: set[int] = set()
    left = limit
    for status, cutoff in before.items():
        if left <= 0:
            break
        rows = conn.execute(sql.PURGE_SELECT, (status, cutoff, left)).fetchall()
        if not rows:
            continue
        ids = [(r[0],) for r in rows]
        conn.executemany(sql.PURGE_ATTEMPTS, ids)  # first: they refer to the delivery
        conn.executemany(sql.PURGE_DELIVERY, ids)
        events.update(r[1] for r in rows)
        removed[status] = len(rows)
        left -= len(rows)
    gone = conn.executemany(sql.PURGE_EVENT, [(e, e) for e in sorted(events)]).rowcount if events else 0
    return Purged(removed, gone)


def worker_pid(worker: str, host: str) -> str:
    """The pid part of a worker named `host:pid:random`."""
    return worker[len(host) + 1:].split(":", 1)[0]


def _enqueue(conn: sqlite3.Connection, event: NewEvent, deliveries: Sequence[NewDelivery]) -> Enqueued:
    cur = conn.execute(sql.INSERT_EVENT, (event.endpoint, event.webhook_id, event.event_type, event.body, event.received_at))
    if cur.rowcount == 0:
        row = conn.execute(sql.EXISTING_EVENT, (event.endpoint, event.webhook_id)).fetchone()
        return Enqueued(row[0], duplicate=True)
    event_id = cur.lastrowid
    assert event_id is not None
    now = time.time()
    ids = []
    for d in deliveries:
        cur = conn.execute(sql.INSERT_DELIVERY, (
            event_id, event.endpoint, event.webhook_id, event.event_type, d.transform, d.status,
            d.destination, d.url, d.method, json.dumps(d.headers), d.body, d.kind, d.message_id,
            now, d.stage, d.reason, d.logs, now, now,
        ))
        ids.append(cur.lastrowid or 0)
    return Enqueued(event_id, duplicate=False, delivery_ids=tuple(ids))


def _record(conn: sqlite3.Connection, attempts: Sequence[Attempt]) -> None:
    conn.executemany(sql.INSERT_ATTEMPT, [
        (a.delivery_id, a.attempt, a.started_at, a.duration_ms, a.outcome, a.status_code, a.error) for a in attempts
    ])


def _deliveries(cur: sqlite3.Cursor) -> list[Delivery]:
    """The deliveries a query of `store.DELIVERY_COLUMNS` returned (all its rows: a RETURNING
    statement completes only when stepped to its end)."""
    names = [column[0] for column in cur.description]
    return [delivery_from_row(dict(zip(names, row))) for row in cur.fetchall()]
