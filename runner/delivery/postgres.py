"""The PostgreSQL `Store`: one queue shared by several `runner serve` instances.

    store = PostgresStore("postgresql://runner@db.internal:5432/runner")   # password: PGPASSWORD / ~/.pgpass
    upgrade(url)                                                         # `runner db upgrade`

Work sharing: a claim locks due rows with `FOR UPDATE SKIP LOCKED` and leases them
(`claimed_by`, `lease_until`) in the same statement, so two instances never claim the same
delivery; rows another instance is claiming at that moment are skipped, not waited for. An
instance that dies keeps its claims only until their lease runs out; then any instance's next
claim takes them (the deterministic Segment `messageId` covers a send that had in fact
arrived). Leases are judged on the database server's clock. Claims of dead processes are
never released early by pid, as the SQLite store does: on a shared server a pid says nothing
about a process on another machine.

Duplicate `webhook-id`s are caught by the unique (endpoint, webhook_id) key, whichever
instance the provider's retry lands on.

Writes run on the group-commit `Writer` (runner/delivery/writer.py), as in the SQLite store:
under load, hundreds of acceptances cost one commit, one WAL flush and one wake-up of each
waiting event loop, instead of a thread hand-off each. Enqueues run first in a group and in a
fixed order (by webhook-id) so two instances' groups holding the same retried webhook do not
deadlock; if a group fails anyway, each job is redone alone so only the failing one sees its
error. Reads run on a small thread pool. All share a psycopg connection pool; a connection
the server dropped (restart, idle timeout) is replaced and the call tried again. Errors become
`StoreError`s naming the server (never the password). The statements are in `pgsql`.

The schema is versioned (`pgsql.MIGRATIONS`); the store refuses a database whose version is
not its own and says to run `runner db upgrade`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from typing import Any, TypeVar

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from runner import redact
from runner.delivery import pgsql
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

DEFAULT_READERS = 4  # threads (and connections) for reads: /healthz, /metrics, the CLI
DEFAULT_MAX_GROUP = 512  # write jobs per transaction; bounds the latency one commit adds
CONNECT_TIMEOUT_S = 10  # per connection attempt (libpq's connect_timeout)
POOL_TIMEOUT_S = 10.0  # a call waits this long for a connection (server down: reconnecting), then fails
SCHEMES = ("postgresql", "postgres")
APPLICATION_NAME = "runner"  # shows in pg_stat_activity
# The counts tally's delta rows: a read that sums more than COMPACT_AT starts folding them
# (up to COMPACT_ROWS per statement), so /healthz costs what was written since the last read.
COMPACT_AT = 1000
COMPACT_ROWS = 100_000

log = logging.getLogger("runner.delivery")


def describe(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        return redact.url_without_password(url)
    host = str(info.get("host") or "localhost")
    user = f"{info['user']}@" if info.get("user") else ""
    port = f":{info['port']}" if info.get("port") else ""
    if host.startswith("/"):  # a unix socket folder
        return f"postgresql://{user}{port}/{info.get('dbname') or ''}?host={host}"
    return f"postgresql://{user}{host}{port}/{info.get('dbname') or ''}"


def check_url(url: str) -> None:
    """Raise StoreError unless `url` is a parseable postgresql:// URL."""
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in SCHEMES:
        raise StoreError(f"{describe(url)!r} is not a PostgreSQL URL; use postgresql://USER@HOST:PORT/DATABASE")
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error as exc:
        raise StoreError(f"invalid PostgreSQL URL {describe(url)!r}: {_scrub(str(exc), url)}; "
                         "use postgresql://USER@HOST:PORT/DATABASE") from None
    if not all(p.isdigit() for p in str(info.get("port") or "0").split(",")):
        raise StoreError(f"invalid PostgreSQL URL {describe(url)!r}: the port must be a number")


def _scrub(message: str, url: str) -> str:
    """`message` with any copy of the URL's password masked (libpq may quote conninfo back)."""
    return redact.scrub(message, redact.url_secrets(url), mask="***")


def _connect_error(url: str, exc: psycopg.Error) -> StoreError:
    return StoreError(
        f"cannot connect to the queue database {describe(url)}: {_scrub(str(exc), url)}; check that PostgreSQL "
        "is running and reachable at that host and port, the database exists, and the user's password "
        "(PGPASSWORD or ~/.pgpass)")


def _connect(url: str) -> psycopg.Connection[Any]:
    check_url(url)
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S, application_name=APPLICATION_NAME)
    except psycopg.Error as exc:
        raise _connect_error(url, exc) from None


def _version(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute(pgsql.HAS_VERSION_TABLE).fetchone()
    if not row or not row[0]:
        return 0
    row = conn.execute(pgsql.CURRENT_VERSION).fetchone()
    return int(row[0]) if row else 0


def schema_version(url: str) -> int:
    """The database's schema version (0: no runner tables yet)."""
    with _connect(url) as conn:
        try:
            return _version(conn)
        except psycopg.Error as exc:
            raise StoreError(f"reading the schema version of {describe(url)} failed: {_scrub(str(exc), url)}") from None


def upgrade(url: str) -> tuple[int, int]:
    """Apply the migrations the database lacks, in one transaction; returns (before, after).

    Safe to run from several instances at once: an advisory lock makes them take turns, and
    the later ones find nothing left to do."""
    with _connect(url) as conn:
        try:
            with conn.transaction():
                conn.execute(pgsql.LOCK_MIGRATIONS, (pgsql.MIGRATION_LOCK,))
                conn.execute(pgsql.CREATE_VERSION_TABLE)
                before = _version(conn)
                if before > pgsql.SCHEMA_VERSION:
                    raise StoreError(_newer(url, before))
                for version in range(before + 1, pgsql.SCHEMA_VERSION + 1):
                    conn.execute(pgsql.MIGRATIONS[version - 1])
                    conn.execute(pgsql.RECORD_VERSION, (version,))
        except psycopg.errors.InsufficientPrivilege as exc:
            raise StoreError(f"upgrading {describe(url)} needs the right to create tables: {_scrub(str(exc), url)}; "
                             "run it as the database's owner (e.g. CREATE DATABASE runner OWNER runner)") from None
        except psycopg.Error as exc:
            raise StoreError(f"upgrading {describe(url)} failed: {_scrub(str(exc), url)}") from None
    return before, max(before, pgsql.SCHEMA_VERSION)


def _newer(url: str, version: int) -> str:
    return (f"the queue database {describe(url)} has schema version {version}, newer than this runner's "
            f"{pgsql.SCHEMA_VERSION}; upgrade runner")


def _text(value: str | None) -> str | None:
    """PostgreSQL text holds neither NUL nor lone surrogates (a handler's error message may
    carry either): replace them rather than fail to store the event."""
    if value is None:
        return None
    if "\x00" in value:
        value = value.replace("\x00", "\ufffd")
    if not value.isascii():
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value


class _Postgres:
    """The writer's `Dialect` for a PostgreSQL server (the readers use its `run` too)."""

    def __init__(self, url: str, pool: ConnectionPool[psycopg.Connection[Any]]) -> None:
        self.url = url
        self.where = describe(url)
        self.pool = pool

    def open(self) -> None:
        pass  # connections come from the pool, one per transaction

    def close(self) -> None:
        pass  # the store closes the pool, which the readers share

    def run(self, work: Callable[[psycopg.Connection[Any]], R]) -> R:
        # After a server restart every pooled connection is dead: each failure discards one,
        # so pool size + 1 tries reach a fresh connection.
        for tries_left in range(self.pool.max_size, -1, -1):
            conn = None
            try:
                with self.pool.connection() as conn:
                    return work(conn)
            except PoolTimeout:
                raise StoreError(f"no connection to the queue database {self.where} within {POOL_TIMEOUT_S:.0f} s; "
                                 "check that PostgreSQL is up and accepts more connections (max_connections)") from None
            except psycopg.OperationalError as exc:
                if tries_left and conn is not None and conn.broken:
                    continue  # the pool drops the dead connection; the next one is fresh
                raise self.error(exc) from None
            except psycopg.Error as exc:
                raise self.error(exc) from None
        raise AssertionError("unreachable")

    def transaction(self, conn: psycopg.Connection[Any]) -> AbstractContextManager[psycopg.Transaction]:
        return conn.transaction()

    def fails_transaction(self, conn: psycopg.Connection[Any], exc: Exception) -> bool:
        # A lost connection, not the job: `run` retries the group on a fresh one. Any other
        # error (a deadlock with another instance's group included) is redone job by job.
        return isinstance(exc, psycopg.OperationalError) and conn.broken

    def job_error(self, exc: Exception) -> Exception:
        return self.error(exc) if isinstance(exc, psycopg.Error) else exc

    def error(self, exc: psycopg.Error) -> StoreError:
        if isinstance(exc, psycopg.errors.TransactionRollback):  # deadlock, serialization failure
            return StoreError(f"a concurrent transaction on {self.where} got in the way: {_scrub(str(exc), self.url)}; "
                              "nothing was changed, try again")
        if isinstance(exc, psycopg.OperationalError):
            return _connect_error(self.url, exc)
        return StoreError(f"the queue database {self.where} refused a query: {_scrub(str(exc), self.url)}; "
                          "is its schema up to date (runner db upgrade)?")


class PostgresStore:
    """`Store` on a PostgreSQL database at `url`; safe to call from any thread or event loop."""

    def __init__(self, url: str, *, readers: int = DEFAULT_READERS, max_group: int = DEFAULT_MAX_GROUP) -> None:
        if readers < 1 or max_group < 1:
            raise ValueError(f"readers and max_group must be at least 1, got {readers} and {max_group}")
        self.url = url
        self.where = describe(url)
        with _connect(url) as conn:  # fail now, with a clear message, if unreachable or not upgraded
            version = _version(conn)
        if version > pgsql.SCHEMA_VERSION:
            raise StoreError(_newer(url, version))
        if version < pgsql.SCHEMA_VERSION:
            what = "has no runner tables" if version == 0 else f"has schema version {version}"
            raise StoreError(f"the queue database {self.where} {what}; this runner needs version "
                             f"{pgsql.SCHEMA_VERSION}: run `runner db upgrade` with the same --queue (or RUNNER_QUEUE)")
        self._pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
            url, min_size=1, max_size=readers + 1, timeout=POOL_TIMEOUT_S, open=False, name="runner-queue",
            kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT_S, "application_name": APPLICATION_NAME},
        )
        self._pool.open(wait=False)
        self._db = _Postgres(url, self._pool)
        self._readers = ThreadPoolExecutor(max_workers=readers, thread_name_prefix="postgres-read")
        self._writer = Writer(self._db, name="postgres-writer", where=self.where, max_group=max_group)
        self._compacting = False

    @property
    def commits(self) -> int:
        """Write transactions committed (for tests and benchmarks of group commit)."""
        return self._writer.commits

    async def _read(self, fn: Callable[[psycopg.Connection[Any]], T]) -> T:
        if self._writer.closed:
            raise StoreError(f"the store on {self.where} is closed")
        return await asyncio.get_running_loop().run_in_executor(self._readers, self._db.run, fn)

    async def _write(self, fn: Callable[[psycopg.Connection[Any]], T], order: tuple[Any, ...] = (1,)) -> T:
        """Run `fn(conn)` in the writer's next transaction; returns after its COMMIT. Enqueues
        (order 0, then by webhook-id) go first in a group: one lock order for all instances."""
        return await self._writer.call(fn, order)

    # --- Store verbs -------------------------------------------------------------------

    async def enqueue(self, event: NewEvent, deliveries: Sequence[NewDelivery]) -> Enqueued:
        params: dict[str, Any] = {
            "endpoint": _text(event.endpoint), "webhook_id": _text(event.webhook_id),
            "event_type": _text(event.event_type), "body": _text(event.body), "received_at": event.received_at,
            "deliveries": json.dumps([{
                "transform": _text(d.transform), "status": d.status, "destination": _text(d.destination),
                "url": _text(d.url), "method": _text(d.method), "headers": _text(json.dumps(d.headers)),
                "body": _text(d.body), "kind": _text(d.kind), "message_id": _text(d.message_id), "stage": d.stage,
                "reason": _text(d.reason), "logs": _text(d.logs),
            } for d in deliveries], ensure_ascii=False),
        }

        def run(conn: psycopg.Connection[Any]) -> Enqueued:
            row = conn.execute(pgsql.ENQUEUE, params).fetchone()
            assert row is not None
            if row[0] is not None:
                return Enqueued(row[0], duplicate=False, delivery_ids=tuple(row[1]))
            existing = conn.execute(pgsql.EXISTING_EVENT, (params["endpoint"], params["webhook_id"])).fetchone()
            assert existing is not None  # ON CONFLICT saw it committed
            return Enqueued(existing[0], duplicate=True)

        return await self._write(run, (0, params["endpoint"], params["webhook_id"]))

    async def claim(self, worker: str, *, limit: int, lease_s: float, exclude_destinations: Sequence[str] = ()) -> list[Delivery]:
        params = {"worker": worker, "limit": limit, "lease_s": lease_s, "exclude": list(exclude_destinations)}

        def run(conn: psycopg.Connection[Any]) -> list[Delivery]:
            return sorted(_deliveries(conn, pgsql.CLAIM, params), key=lambda d: d.id)

        return await self._write(run)

    async def ack(self, worker: str, attempts: Sequence[Attempt]) -> None:
        await self._settle(pgsql.ACK, worker, attempts, {})

    async def retry_later(self, worker: str, attempts: Sequence[Attempt], next_at: Sequence[float], errors: Sequence[str]) -> None:
        await self._settle(pgsql.RETRY, worker, attempts, {"next_at": list(next_at), "message": [_text(e) for e in errors]})

    async def dead_letter(self, worker: str, attempts: Sequence[Attempt], reasons: Sequence[str]) -> None:
        await self._settle(pgsql.DEAD, worker, attempts, {"reason": [_text(r) for r in reasons]})

    async def _settle(self, query: str, worker: str, attempts: Sequence[Attempt], extra: dict[str, Any]) -> None:
        if not attempts:
            return
        params = {
            "worker": worker, "delivery_id": [a.delivery_id for a in attempts], "attempt": [a.attempt for a in attempts],
            "started_at": [a.started_at for a in attempts], "duration_ms": [a.duration_ms for a in attempts],
            "outcome": [a.outcome for a in attempts], "status_code": [a.status_code for a in attempts],
            "error": [_text(a.error) for a in attempts], **extra,
        }
        await self._write(_execute(query, params))

    async def postpone(self, worker: str, ids: Sequence[int], until: float) -> None:
        params = {"worker": worker, "ids": list(ids), "until": until}
        await self._write(_execute(pgsql.POSTPONE, params))

    async def replace(self, delivery_id: int, delivery: NewDelivery) -> None:
        d = delivery
        params = {
            "id": delivery_id, "status": d.status, "destination": _text(d.destination), "url": _text(d.url),
            "method": _text(d.method), "headers": _text(json.dumps(d.headers)), "body": _text(d.body),
            "kind": _text(d.kind), "message_id": _text(d.message_id), "stage": d.stage,
            "reason": _text(d.reason), "logs": _text(d.logs),
        }
        await self._write(_execute(pgsql.REPLACE, params))

    async def requeue(self, ids: Sequence[int]) -> int:
        return await self._write(lambda conn: conn.execute(pgsql.REQUEUE, (list(ids),)).rowcount)

    async def list(self, where: Filter) -> list[Delivery]:
        query, params = pgsql.list_query(where)
        return await self._read(lambda conn: _deliveries(conn, query, params))

    async def get(self, delivery_id: int) -> Found | None:
        def run(conn: psycopg.Connection[Any]) -> Found | None:
            with conn.transaction():  # one snapshot for the three reads
                found = _deliveries(conn, pgsql.GET_DELIVERY, (delivery_id,))
                if not found:
                    return None
                delivery = found[0]
                attempts = [Attempt(delivery_id, *r) for r in conn.execute(pgsql.GET_ATTEMPTS, (delivery_id,))]
                body = conn.execute(pgsql.GET_EVENT_BODY, (delivery.event_id,)).fetchone()
            assert body is not None
            return delivery, attempts, body[0]

        return await self._read(run)

    async def counts(self) -> dict[str, int]:
        rows = await self._read(lambda conn: conn.execute(pgsql.COUNTS).fetchall())
        if sum(r[2] for r in rows) > COMPACT_AT and not self._compacting:
            self._compacting = True  # one at a time per instance; not awaited: the answer is ready
            asyncio.get_running_loop().run_in_executor(self._readers, self._compact_sync)
        return {s: int(n) for s, n, _ in rows if n > 0}

    def _compact_sync(self) -> None:
        try:
            self._db.run(lambda conn: conn.execute(pgsql.COMPACT, (COMPACT_ROWS,)))
        except StoreError as exc:  # the next read tries again; the counts stay right meanwhile
            log.warning("queue.compact_failed", extra={"error": str(exc)})
        finally:
            self._compacting = False

    async def purge(self, before: Mapping[str, float], limit: int) -> Purged:
        check_purge(before, limit)

        # Not on the writer: a purge waiting for another instance's (the advisory lock) must
        # not hold up this instance's webhooks. It touches only finished rows, which no write
        # of the serve path does but a replay's.
        def run(conn: psycopg.Connection[Any]) -> Purged:
            removed: dict[str, int] = {}
            events = 0
            left = limit
            with conn.transaction():
                conn.execute(pgsql.LOCK_PURGE, (pgsql.PURGE_LOCK,))
                for status, cutoff in before.items():
                    if left <= 0:
                        break
                    row = conn.execute(pgsql.PURGE, {"status": status, "cutoff": cutoff, "limit": left}).fetchone()
                    assert row is not None
                    if row[0]:
                        removed[status] = int(row[0])
                        left -= int(row[0])
                    events += int(row[1])
                conn.execute(pgsql.COMPACT, (COMPACT_ROWS,))  # the deltas this purge appended, and others'
            return Purged(removed, events)

        return await self._read(run)

    async def purgeable(self, before: Mapping[str, float]) -> dict[str, int]:
        check_purge(before, 1)

        def run(conn: psycopg.Connection[Any]) -> dict[str, int]:
            found = {}
            for status, cutoff in before.items():
                row = conn.execute(pgsql.PURGEABLE, (status, cutoff)).fetchone()
                if row and row[0]:
                    found[status] = int(row[0])
            return found

        return await self._read(run)

    async def next_due(self) -> float | None:
        def run(conn: psycopg.Connection[Any]) -> float | None:
            row = conn.execute(pgsql.NEXT_DUE).fetchone()
            return None if row is None else row[0]

        return await self._read(run)

    async def oldest_pending(self) -> float | None:
        def run(conn: psycopg.Connection[Any]) -> float | None:
            row = conn.execute(pgsql.OLDEST_PENDING).fetchone()
            return None if row is None else float(row[0])

        return await self._read(run)

    async def release_dead_claims(self, host: str) -> int:
        """Nothing to do: on a shared server, claims of a dead instance end with their lease."""
        return 0

    async def close(self) -> None:
        await asyncio.to_thread(self.close_sync)

    def close_sync(self) -> None:
        """Finish queued and running calls, then close every connection."""
        if not self._writer.closed:
            self._writer.close()
            self._readers.shutdown(wait=True)
            self._pool.close()


def _execute(query: str, params: Any) -> Callable[[psycopg.Connection[Any]], None]:
    def run(conn: psycopg.Connection[Any]) -> None:
        conn.execute(query, params)

    return run


def _deliveries(conn: psycopg.Connection[Any], query: str, params: Any) -> list[Delivery]:
    """The deliveries a query of `store.DELIVERY_COLUMNS` returns, mapped by column name."""
    with conn.cursor(row_factory=dict_row) as cur:
        return [delivery_from_row(row) for row in cur.execute(query, params).fetchall()]
