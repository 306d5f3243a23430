"""Choosing the queue's backend: a `postgresql://` URL opens the shared PostgreSQL store,
anything else is the folder of the SQLite store (the zero-setup default).

    store = open_store(config.queue or config.data_dir)
    upgrade("postgresql://runner@db:5432/runner")   # → (schema version before, after)
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Protocol

from runner.delivery.sqlite import DB_FILENAME, SCHEMA_VERSION as SQLITE_SCHEMA_VERSION, SQLiteStore
from runner.delivery.store import Store, StoreError

URL_PREFIXES = ("postgresql://", "postgres://")


class QueueStore(Store, Protocol):
    """What `runner serve` and the CLI need beyond the verbs: both backends provide it."""

    async def release_dead_claims(self, host: str) -> int: ...

    def close_sync(self) -> None: ...


def is_postgres_url(target: str | Path) -> bool:
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
            before = int(conn.execute("PRAGMA user_version").fetchone()[0])
        conn.close()
    SQLiteStore.in_dir(Path(target)).close_sync()
    return before, max(before, SQLITE_SCHEMA_VERSION)
