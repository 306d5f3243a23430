"""Every SQL statement of the PostgreSQL store, by name: the versioned migrations and the queries
(the SQLite store's are in `sqlitesql`).

Tables carry a `runner_` prefix so the queue can live in a database shared with other things.
Timestamps are epoch seconds (float8), as in the SQLite store; "now" is the *server's* clock
(`NOW`), so leases are judged on one clock however far the instances' clocks drift apart.
Writes that span several tables are single statements (data-modifying CTEs): one round trip
and one commit each, and PostgreSQL flushes the WAL of concurrent commits together.
"""

from __future__ import annotations

from typing import Any

from runner.delivery.store import DELIVERY_COLUMNS, Filter

# The statement's start time on the database server, as epoch seconds.
NOW = "extract(epoch FROM statement_timestamp())::float8"

# Migration N (1-based) takes the schema from version N-1 to N. Append only; never edit one
# that has shipped. Each runs in the same transaction as its version row. The deliveries table
# they leave has exactly `store.DELIVERY_COLUMNS` (tests/test_postgres_store.py checks).
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE runner_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        endpoint text NOT NULL,
        webhook_id text NOT NULL,
        event_type text NOT NULL,
        body text NOT NULL,
        received_at float8 NOT NULL,
        UNIQUE (endpoint, webhook_id)
    );
    -- Claims and settles rewrite rows in place; free space on each page lets PostgreSQL
    -- keep the new version on the same page (HOT) when no indexed column changed.
    CREATE TABLE runner_deliveries (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id bigint NOT NULL REFERENCES runner_events (id),
        endpoint text NOT NULL,
        webhook_id text NOT NULL,
        event_type text NOT NULL,
        transform text NOT NULL,
        status text NOT NULL,
        destination text,
        url text,
        method text,
        headers text NOT NULL DEFAULT '{}',
        body text,
        kind text,
        message_id text,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at float8 NOT NULL,
        claimed_by text,
        lease_until float8,
        stage text,
        reason text,
        last_error text,
        logs text NOT NULL DEFAULT '[]',
        created_at float8 NOT NULL,
        updated_at float8 NOT NULL,
        delivered_at float8
    ) WITH (fillfactor = 80);
    CREATE INDEX runner_deliveries_due ON runner_deliveries (next_attempt_at) WHERE status = 'pending';
    CREATE INDEX runner_deliveries_status ON runner_deliveries (status, id);
    CREATE INDEX runner_deliveries_event ON runner_deliveries (event_id);
    CREATE TABLE runner_attempts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        delivery_id bigint NOT NULL REFERENCES runner_deliveries (id),
        attempt integer NOT NULL,
        started_at float8 NOT NULL,
        duration_ms float8 NOT NULL,
        outcome text NOT NULL,
        status_code integer,
        error text
    );
    CREATE INDEX runner_attempts_delivery ON runner_attempts (delivery_id);
    """,
    # 2: the counts tally and the index purging walks. The tally is a table of deltas (status,
    # n) appended by statement triggers, one row per status a statement changed: appends never
    # wait for each other, so instances sharing the queue do not queue up on a hot counter
    # row. `counts` sums it; `COMPACT` folds it back to a row or so per status. CREATE TRIGGER
    # locks out writers until this migration commits, so the count it starts from is exact.
    """
    CREATE INDEX runner_deliveries_finished ON runner_deliveries (status, updated_at) WHERE status <> 'pending';
    CREATE TABLE runner_delivery_counts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        status text NOT NULL,
        n bigint NOT NULL
    );
    CREATE FUNCTION runner_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO runner_delivery_counts (status, n) SELECT status, count(*) FROM new_rows GROUP BY status;
        RETURN NULL;
    END $$;
    CREATE FUNCTION runner_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- Most updates (claims, retries) change no status: nothing to append.
        INSERT INTO runner_delivery_counts (status, n)
        SELECT status, sum(n) FROM (SELECT status, 1 AS n FROM new_rows UNION ALL SELECT status, -1 FROM old_rows) AS c
        GROUP BY status HAVING sum(n) <> 0;
        RETURN NULL;
    END $$;
    CREATE FUNCTION runner_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO runner_delivery_counts (status, n) SELECT status, -count(*) FROM old_rows GROUP BY status;
        RETURN NULL;
    END $$;
    CREATE TRIGGER runner_deliveries_counted_insert AFTER INSERT ON runner_deliveries
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION runner_count_inserted();
    CREATE TRIGGER runner_deliveries_counted_update AFTER UPDATE ON runner_deliveries
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION runner_count_updated();
    CREATE TRIGGER runner_deliveries_counted_delete AFTER DELETE ON runner_deliveries
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION runner_count_deleted();
    INSERT INTO runner_delivery_counts (status, n) SELECT status, count(*) FROM runner_deliveries GROUP BY status;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

# --- schema versioning -------------------------------------------------------------------

# Any constant shared by every runner: two `runner db upgrade` at once take turns on it.
MIGRATION_LOCK = 0x72756E6E6572  # "runner"
LOCK_MIGRATIONS = "SELECT pg_advisory_xact_lock(%s)"
CREATE_VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS runner_schema_version ("
    " version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
)
# False in an empty database (version 0); then CURRENT_VERSION reads the table.
HAS_VERSION_TABLE = "SELECT to_regclass('runner_schema_version') IS NOT NULL"
CURRENT_VERSION = "SELECT coalesce(max(version), 0) FROM runner_schema_version"
RECORD_VERSION = "INSERT INTO runner_schema_version (version) VALUES (%s)"

# --- store verbs ---------------------------------------------------------------------------

_COLUMNS = ", ".join(DELIVERY_COLUMNS)

# The event and all its deliveries in one statement; no row from `event` means the
# (endpoint, webhook_id) was already stored (a concurrent insert of the same key waits for
# the other transaction and then counts as a duplicate: dedupe across instances). The
# deliveries come as one JSON array of objects with these fields: one parameter to adapt
# instead of one array per column halves the client's CPU per call.
ENQUEUED_FIELDS = ("transform", "status", "destination", "url", "method", "headers", "body", "kind",
                   "message_id", "stage", "reason", "logs")
ENQUEUE = f"""
WITH event AS (
    INSERT INTO runner_events (endpoint, webhook_id, event_type, body, received_at)
    VALUES (%(endpoint)s, %(webhook_id)s, %(event_type)s, %(body)s, %(received_at)s)
    ON CONFLICT (endpoint, webhook_id) DO NOTHING
    RETURNING id
), inserted AS (
    INSERT INTO runner_deliveries (event_id, endpoint, webhook_id, event_type, transform, status,
        destination, url, method, headers, body, kind, message_id, next_attempt_at, stage, reason,
        logs, created_at, updated_at)
    SELECT event.id, %(endpoint)s, %(webhook_id)s, %(event_type)s, d.transform, d.status,
        d.destination, d.url, d.method, d.headers, d.body, d.kind, d.message_id, {NOW}, d.stage,
        d.reason, d.logs, {NOW}, {NOW}
    FROM event, ROWS FROM (json_to_recordset(%(deliveries)s::json) AS ({" text, ".join(ENQUEUED_FIELDS)} text))
        WITH ORDINALITY AS d({", ".join(ENQUEUED_FIELDS)}, n)
    ORDER BY d.n
    RETURNING id
)
SELECT (SELECT id FROM event), ARRAY(SELECT id FROM inserted ORDER BY id)
"""
EXISTING_EVENT = "SELECT id FROM runner_events WHERE endpoint = %s AND webhook_id = %s"

# SKIP LOCKED: concurrent claimers (other instances) pass over rows another one is claiming
# instead of waiting for it, so each due delivery goes to exactly one of them. The CTE is
# evaluated once, which the lock-then-update pattern needs.
CLAIM = f"""
WITH due AS (
    SELECT id FROM runner_deliveries
    WHERE status = 'pending' AND next_attempt_at <= {NOW}
      AND (lease_until IS NULL OR lease_until < {NOW})
      AND destination <> ALL(%(exclude)s::text[])
    ORDER BY next_attempt_at
    LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
)
UPDATE runner_deliveries AS d SET claimed_by = %(worker)s, lease_until = {NOW} + %(lease_s)s
FROM due WHERE d.id = due.id
RETURNING {", ".join("d." + c for c in DELIVERY_COLUMNS)}
"""

# The attempts of one settle, as rows: (delivery_id, attempt, started_at, duration_ms, outcome,
# status_code, error[, extra]) arrays unnested side by side.
_ATTEMPTS = (
    "unnest(%(delivery_id)s::bigint[], %(attempt)s::int[], %(started_at)s::float8[], "
    "%(duration_ms)s::float8[], %(outcome)s::text[], %(status_code)s::int[], %(error)s::text[]{extra})"
    " AS a(delivery_id, attempt, started_at, duration_ms, outcome, status_code, error{extra_names})"
)
# Only rows still claimed by the caller change (a worker whose lease ran out and was taken
# over cannot settle the new owner's claim); the attempt is recorded either way.
_OWNED = "d.id = a.delivery_id AND d.status = 'pending' AND d.claimed_by = %(worker)s"
_RECORD = (
    "INSERT INTO runner_attempts (delivery_id, attempt, started_at, duration_ms, outcome, status_code, error)"
    " SELECT delivery_id, attempt, started_at, duration_ms, outcome, status_code, error FROM a"
)


def _settle(update: str, extra: str = "", extra_names: str = "") -> str:
    rows = _ATTEMPTS.format(extra=extra, extra_names=extra_names)
    return f"WITH a AS (SELECT * FROM {rows}), settled AS ({update} FROM a WHERE {_OWNED}) {_RECORD}"


ACK = _settle(
    f"UPDATE runner_deliveries AS d SET status = 'delivered', attempts = a.attempt, delivered_at = {NOW},"
    f" updated_at = {NOW}, claimed_by = NULL, lease_until = NULL, last_error = NULL"
)
RETRY = _settle(
    f"UPDATE runner_deliveries AS d SET attempts = a.attempt, next_attempt_at = a.next_at,"
    f" last_error = a.message, updated_at = {NOW}, claimed_by = NULL, lease_until = NULL",
    ", %(next_at)s::float8[], %(message)s::text[]", ", next_at, message",
)
DEAD = _settle(
    f"UPDATE runner_deliveries AS d SET status = 'dead', attempts = a.attempt, stage = 'deliver',"
    f" reason = a.reason, last_error = a.error, updated_at = {NOW}, claimed_by = NULL, lease_until = NULL",
    ", %(reason)s::text[]", ", reason",
)
POSTPONE = (
    "UPDATE runner_deliveries SET next_attempt_at = %(until)s, claimed_by = NULL, lease_until = NULL"
    " WHERE id = ANY(%(ids)s::bigint[]) AND status = 'pending' AND claimed_by = %(worker)s"
)
REPLACE = f"""
UPDATE runner_deliveries SET status = %(status)s, destination = %(destination)s, url = %(url)s,
    method = %(method)s, headers = %(headers)s, body = %(body)s, kind = %(kind)s,
    message_id = %(message_id)s, stage = %(stage)s, reason = %(reason)s, logs = %(logs)s,
    updated_at = {NOW}, attempts = 0, next_attempt_at = {NOW}, claimed_by = NULL, lease_until = NULL
WHERE id = %(id)s AND status = 'dead'
"""
REQUEUE = f"""
UPDATE runner_deliveries SET status = 'pending', attempts = 0, next_attempt_at = {NOW},
    claimed_by = NULL, lease_until = NULL, updated_at = {NOW}
WHERE id = ANY(%s::bigint[]) AND status = 'dead'
"""
GET_DELIVERY = f"SELECT {_COLUMNS} FROM runner_deliveries WHERE id = %s"
GET_ATTEMPTS = (
    "SELECT attempt, started_at, duration_ms, outcome, status_code, error FROM runner_attempts"
    " WHERE delivery_id = %s ORDER BY id"
)
GET_EVENT_BODY = "SELECT body FROM runner_events WHERE id = %s"
# The tally's sum by status, and how many delta rows it read (compacted past COMPACT_AT).
COUNTS = "SELECT status, sum(n)::bigint, count(*) FROM runner_delivery_counts GROUP BY status"
# Fold the deltas into one row per status, in one statement (a reader sees the deltas or their
# sum, never both or neither). SKIP LOCKED: two instances compacting at once take disjoint
# rows and each leaves its sums; rows of uncommitted transactions are not seen.
COMPACT = """
WITH folded AS (
    DELETE FROM runner_delivery_counts WHERE id IN (
        SELECT id FROM runner_delivery_counts ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED)
    RETURNING status, n
)
INSERT INTO runner_delivery_counts (status, n) SELECT status, sum(n) FROM folded GROUP BY status HAVING sum(n) <> 0
"""

# Purges take turns across instances and the CLI (a transaction-scoped advisory lock): two at
# once could each delete one of an event's two deliveries, each still see the other's, and
# leave the event behind.
PURGE_LOCK = 0x72756E6E6570  # "runnep"
LOCK_PURGE = "SELECT pg_advisory_xact_lock(%s)"
# One status's oldest finished deliveries (along runner_deliveries_finished), their attempts,
# and their events once no other delivery refers to them, in one statement. All of it sees one
# snapshot, hence the `NOT IN doomed` when looking for an event's other deliveries.
PURGE = """
WITH doomed AS (
    SELECT id, event_id FROM runner_deliveries
    WHERE status = %(status)s AND status <> 'pending' AND updated_at < %(cutoff)s
    ORDER BY updated_at LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
), attempts AS (
    DELETE FROM runner_attempts WHERE delivery_id IN (SELECT id FROM doomed)
), deliveries AS (
    DELETE FROM runner_deliveries WHERE id IN (SELECT id FROM doomed) RETURNING id
), events AS (
    DELETE FROM runner_events AS e WHERE e.id IN (SELECT event_id FROM doomed)
      AND NOT EXISTS (SELECT 1 FROM runner_deliveries AS d
                      WHERE d.event_id = e.id AND d.id NOT IN (SELECT id FROM doomed))
    RETURNING e.id
)
SELECT (SELECT count(*) FROM deliveries), (SELECT count(*) FROM events)
"""
PURGEABLE = (
    "SELECT count(*) FROM runner_deliveries WHERE status = %s AND status <> 'pending' AND updated_at < %s"
)
NEXT_DUE = "SELECT min(next_attempt_at) FROM runner_deliveries WHERE status = 'pending'"
# The first enqueued of the pending ones, by id (the (status, id) index), not min(created_at):
# that would read every pending row of a backlog at every scrape.
OLDEST_PENDING = "SELECT created_at FROM runner_deliveries WHERE status = 'pending' ORDER BY id LIMIT 1"


def list_query(where: Filter) -> tuple[str, dict[str, Any]]:
    """SELECT for a `Filter`: equality on the columns it sets, ids, limit; oldest first."""
    params: dict[str, Any] = where.equalities()
    clauses = [f"{c} = %({c})s" for c in params]
    if where.ids is not None:
        clauses.append("id = ANY(%(ids)s::bigint[])")
        params["ids"] = list(where.ids)
    query = f"SELECT {_COLUMNS} FROM runner_deliveries"
    if clauses:
        query += " WHERE " + " AND ".join(clauses)
    query += " ORDER BY id"
    if where.limit is not None:
        query += " LIMIT %(limit)s"
        params["limit"] = where.limit
    return query, params
