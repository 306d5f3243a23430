"""Choosing the queue's backend: a `postgresql://` URL opens the shared PostgreSQL store,
anything else is the folder of the SQLite store (the zero-setup default).

    store = open_store(config.queue or config.data_dir)     # `runner serve`: created if missing
    store = open_existing(target)                           # the CLI: only a queue that exists
    upgrade("postgresql://runner@db:5432/runner")           # → (schema version before, after)
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Protocol

from runner.delivery import sqlitesql
from runner.delivery.sqlite import DB_FILENAME, SQLiteStore
from runner.delivery.store import Store, StoreError

URL_PREFIXES = ("postgresql://", "postgres://")


class QueueStore(Store, Protocol):
    """What `runner serve` and the CLI need beyond the verbs: every backend provides it."""

    async def release_dead_claims(self, host: str) -> int: ...

    def close_sync(self) -> None: ...


def is_postgres_url(target: str | Path) -> bool:
    """Whether `target` names the PostgreSQL backend (rather than a SQLite folder)."""
    return isinstance(target, str) and target.startswith(URL_PREFIXES)


def _check(target: str | Path) -> None:
    if isinstance(target, str) and "://" in target and not is_postgres_url(target):
        scheme = target.split("://", 1)[0]
        raise StoreError(f"unsupported queue URL scheme {scheme!r}; use postgresql://USER@HOST:PORT/DATABASE, "
                         "or a folder (--data-dir) for the SQLite queue")


def describe(target: str | Path) -> str:
    """Where the queue is, fit for messages and logs (no password)."""
    if is_postgres_url(target):
        from runner.delivery.postgres import describe as describe_url

        return describe_url(str(target))
    return str(Path(target) / DB_FILENAME)


def open_store(target: str | Path, *, synchronous: str = "FULL") -> QueueStore:
    """The store at `target`: a PostgreSQL URL or a SQLite data folder (created if missing).
    `synchronous` applies to SQLite only."""
    _check(target)
    if is_postgres_url(target):
        # Imported here: psycopg is only loaded by those who use PostgreSQL.
        from runner.delivery.postgres import PostgresStore

        return PostgresStore(str(target))
    return SQLiteStore.in_dir(Path(target), synchronous=synchronous)


def open_existing(target: str | Path) -> QueueStore:
    """`open_store` for a queue that must already be there (inspecting, replaying): a SQLite
    folder without its queue file raises StoreError instead of starting an empty queue.
    (A PostgreSQL store refuses a database without its schema anyway.)"""
    _check(target)
    if not is_postgres_url(target) and not (Path(target) / DB_FILENAME).exists():
        raise StoreError(f"no queue in {str(target)!r} (no {DB_FILENAME}); "
                         "pass the --data-dir (or --queue) that `runner serve` used")
    return open_store(target)


def upgrade(target: str | Path) -> tuple[int, int]:
    """Create or migrate the queue's schema; returns (version before, version after)."""
    _check(target)
    if is_postgres_url(target):
        from runner.delivery.postgres import upgrade as upgrade_postgres

        return upgrade_postgres(str(target))
    path = Path(target) / DB_FILENAME
    before = 0
    if path.exists():
        with sqlite3.connect(path) as conn:  # read-only peek; opening the store migrates
            before = int(conn.execute(sqlitesql.READ_VERSION).fetchone()[0])
        conn.close()
    SQLiteStore.in_dir(Path(target)).close_sync()
    return before, max(before, sqlitesql.SCHEMA_VERSION)
