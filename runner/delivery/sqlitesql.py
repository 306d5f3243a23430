"""Every SQL statement of the SQLite store, by name: the schema, the connection's settings and
the queries (the PostgreSQL store's are in `pgsql`).

Timestamps are epoch seconds (REAL) from the caller's clock: a SQLite file is shared only by
processes of one host. Parameters are positional (`?`), in the order each statement lists.
"""

from __future__ import annotations

from typing import Any

from runner.delivery.store import DELIVERY_COLUMNS, Filter

# PRAGMA user_version. Version 1: the three tables. Version 2 adds the counts tally (a table
# its triggers keep in step with every insert, status change and delete of a delivery), the
# index purging walks, and an index to find an event's deliveries. A file of either version is
# brought up to date by running SCHEMA (every statement IF NOT EXISTS) and then BACKFILL, in
# one transaction: the tally starts from a real count, and from then on the triggers keep it.
SCHEMA_VERSION = 2

_TABLES = """
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
# One statement each: they run inside a transaction (executescript would commit first).
SCHEMA: tuple[str, ...] = (*(s for s in _TABLES.split(";") if s.strip()), """
CREATE INDEX IF NOT EXISTS deliveries_event ON deliveries (event_id)
""", """
CREATE INDEX IF NOT EXISTS deliveries_finished ON deliveries (status, updated_at) WHERE status <> 'pending'
""", """
CREATE TABLE IF NOT EXISTS delivery_counts (status TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID
""", """
CREATE TRIGGER IF NOT EXISTS deliveries_counted_insert AFTER INSERT ON deliveries BEGIN
    INSERT INTO delivery_counts (status, n) VALUES (NEW.status, 1) ON CONFLICT (status) DO UPDATE SET n = n + 1;
END
""", """
CREATE TRIGGER IF NOT EXISTS deliveries_counted_update AFTER UPDATE OF status ON deliveries
WHEN OLD.status <> NEW.status BEGIN
    UPDATE delivery_counts SET n = n - 1 WHERE status = OLD.status;
    INSERT INTO delivery_counts (status, n) VALUES (NEW.status, 1) ON CONFLICT (status) DO UPDATE SET n = n + 1;
END
""", """
CREATE TRIGGER IF NOT EXISTS deliveries_counted_delete AFTER DELETE ON deliveries BEGIN
    UPDATE delivery_counts SET n = n - 1 WHERE status = OLD.status;
END
""")
# Run after SCHEMA when a file's version is older: the tally from a real count, once.
BACKFILL = (
    "DELETE FROM delivery_counts",
    "INSERT INTO delivery_counts (status, n) SELECT status, COUNT(*) FROM deliveries WHERE true GROUP BY status",
)

# --- the connection -------------------------------------------------------------------------

READ_VERSION = "PRAGMA user_version"
WRITE_VERSION = f"PRAGMA user_version = {SCHEMA_VERSION}"


def settings(busy_timeout_ms: int, synchronous: str) -> tuple[str, ...]:
    """The PRAGMAs a connection starts with (`synchronous`: FULL, NORMAL or EXTRA, checked
    by the caller: PRAGMAs take no parameters)."""
    return (
        f"PRAGMA busy_timeout = {int(busy_timeout_ms)}",
        "PRAGMA journal_mode = WAL",  # readers (the CLI) never block the server's writer
        f"PRAGMA synchronous = {synchronous}",
        "PRAGMA foreign_keys = ON",
    )


# IMMEDIATE takes the write lock at BEGIN, where busy_timeout applies: a deferred transaction
# that read first would fail with SQLITE_BUSY when another process wrote in the meantime.
BEGIN = "BEGIN IMMEDIATE"
COMMIT = "COMMIT"
ROLLBACK = "ROLLBACK"

# --- store verbs ----------------------------------------------------------------------------

_COLUMNS = ", ".join(DELIVERY_COLUMNS)

INSERT_EVENT = (
    "INSERT INTO events (endpoint, webhook_id, event_type, body, received_at) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (endpoint, webhook_id) DO NOTHING"
)
EXISTING_EVENT = "SELECT id FROM events WHERE endpoint = ? AND webhook_id = ?"
INSERT_DELIVERY = (
    "INSERT INTO deliveries (event_id, endpoint, webhook_id, event_type, transform, status, "
    "destination, url, method, headers, body, kind, message_id, next_attempt_at, stage, reason, "
    "logs, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)

_CLAIM = (
    "UPDATE deliveries SET claimed_by = ?, lease_until = ? WHERE id IN ("
    " SELECT id FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ?"
    " AND (lease_until IS NULL OR lease_until < ?) {exclude} ORDER BY next_attempt_at LIMIT ?)"
    f" RETURNING {_COLUMNS}"
)


def claim_query(excluded: int) -> str:
    """Claim with `excluded` destinations left out; parameters: worker, lease_until, now, now,
    the excluded destinations, limit."""
    if not excluded:
        return _CLAIM.format(exclude="")
    return _CLAIM.format(exclude=f"AND destination NOT IN ({_marks(excluded)})")


# Only rows still claimed by the caller change (a worker whose lease ran out and was taken
# over cannot settle the new owner's claim); the attempt is recorded either way.
_OWNED = "id = ? AND status = 'pending' AND claimed_by = ?"
ACK = (
    "UPDATE deliveries SET status = 'delivered', attempts = ?, delivered_at = ?, updated_at = ?, "
    f"claimed_by = NULL, lease_until = NULL, last_error = NULL WHERE {_OWNED}"
)
RETRY = (
    "UPDATE deliveries SET attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ?, "
    f"claimed_by = NULL, lease_until = NULL WHERE {_OWNED}"
)
DEAD = (
    "UPDATE deliveries SET status = 'dead', attempts = ?, stage = 'deliver', reason = ?, "
    f"last_error = ?, updated_at = ?, claimed_by = NULL, lease_until = NULL WHERE {_OWNED}"
)
POSTPONE = (
    "UPDATE deliveries SET next_attempt_at = ?, claimed_by = NULL, lease_until = NULL "
    f"WHERE {_OWNED}"
)
INSERT_ATTEMPT = (
    "INSERT INTO attempts (delivery_id, attempt, started_at, duration_ms, outcome, status_code, error) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
REPLACE = (
    "UPDATE deliveries SET status = ?, destination = ?, url = ?, method = ?, headers = ?, "
    "body = ?, kind = ?, message_id = ?, stage = ?, reason = ?, logs = ?, updated_at = ?, "
    "attempts = 0, next_attempt_at = ?, claimed_by = NULL, lease_until = NULL "
    "WHERE id = ? AND status = 'dead'"
)
REQUEUE = (
    "UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, "
    "claimed_by = NULL, lease_until = NULL, updated_at = ? WHERE id = ? AND status = 'dead'"
)
GET_DELIVERY = f"SELECT {_COLUMNS} FROM deliveries WHERE id = ?"
GET_ATTEMPTS = (
    "SELECT attempt, started_at, duration_ms, outcome, status_code, error FROM attempts "
    "WHERE delivery_id = ? ORDER BY id"
)
GET_EVENT_BODY = "SELECT body FROM events WHERE id = ?"
COUNTS = "SELECT status, n FROM delivery_counts WHERE n > 0"  # the tally: one row per status
NEXT_DUE = "SELECT MIN(next_attempt_at) FROM deliveries WHERE status = 'pending'"
# The first enqueued of the pending ones, by id: one step down the (status, id) index, where
# MIN(created_at) would read every pending row of a backlog at every scrape.
OLDEST_PENDING = "SELECT created_at FROM deliveries WHERE status = 'pending' ORDER BY id LIMIT 1"
# Workers are named host:pid:random; the parameter is "host:%".
CLAIM_OWNERS = "SELECT DISTINCT claimed_by FROM deliveries WHERE status = 'pending' AND claimed_by LIKE ?"
RELEASE_CLAIMS = "UPDATE deliveries SET claimed_by = NULL, lease_until = NULL WHERE status = 'pending' AND claimed_by = ?"

# Purging, one status at a time, oldest first along deliveries_finished (its predicate is
# repeated so the planner may use it; it also keeps pending rows out whatever is passed).
# Parameters: status, cutoff, limit.
PURGE_SELECT = (
    "SELECT id, event_id FROM deliveries WHERE status = ? AND status <> 'pending' AND updated_at < ? "
    "ORDER BY updated_at LIMIT ?"
)
PURGE_ATTEMPTS = "DELETE FROM attempts WHERE delivery_id = ?"
PURGE_DELIVERY = "DELETE FROM deliveries WHERE id = ?"
# After its deliveries went: an event none of whose deliveries remain (deliveries_event).
PURGE_EVENT = "DELETE FROM events WHERE id = ? AND NOT EXISTS (SELECT 1 FROM deliveries WHERE event_id = ?)"
PURGEABLE = "SELECT COUNT(*) FROM deliveries WHERE status = ? AND status <> 'pending' AND updated_at < ?"


def list_query(where: Filter) -> tuple[str, list[Any]]:
    """SELECT for a `Filter`: equality on the columns it sets, ids, limit; oldest first."""
    clauses: list[str] = []
    params: list[Any] = []
    for column, value in where.equalities().items():
        clauses.append(f"{column} = ?")
        params.append(value)
    if where.ids is not None:
        clauses.append(f"id IN ({_marks(len(where.ids))})" if where.ids else "0")
        params.extend(where.ids)
    query = f"SELECT {_COLUMNS} FROM deliveries"
    if clauses:
        query += " WHERE " + " AND ".join(clauses)
    query += " ORDER BY id"
    if where.limit is not None:
        query += " LIMIT ?"
        params.append(where.limit)
    return query, params


def _marks(n: int) -> str:
    return ",".join("?" * n)
