"""Retention: `delivery.retention` in runner.yaml, the background `Pruner`, `runner deliveries
purge` through the real CLI, pruning inside a real `runner serve`, and queues written by the
previous schema (SQLite version 1 files, PostgreSQL version 1 databases) opened by this one.
The purge verb itself is in the store contract (tests/test_store_contract.py)."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import pty
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from harness.serve import ROOT, ServeProcess, new_secret, payment_event, signed
from runner.config import parse
from runner.config.model import DAY_S, Retention
from runner.delivery import pgsql
from runner.delivery.backends import upgrade
from runner.delivery.memory import MemoryStore
from runner.delivery.retention import Pruner
from runner.delivery.sqlite import DB_FILENAME, SQLiteStore
from runner.delivery.store import Attempt, NewDelivery, NewEvent
from runner.errors import ConfigError
from tests.support.segment_standin import SegmentStandin

PAYMENTS = str(ROOT / "transforms" / "segment-track-payments.js")
WRITE_KEY = "wk_retention_test"


def config_with(delivery: str) -> str:
    return f"""
delivery:
{delivery}
endpoints:
  default:
    transforms:
      t: {{file: {PAYMENTS}}}
"""


# --- runner.yaml ----------------------------------------------------------------------------


def test_retention_defaults_and_forms() -> None:
    assert parse(config_with("  max_attempts: 3")).delivery.retention == Retention(7 * DAY_S, 30 * DAY_S, 7 * DAY_S, 7 * DAY_S, 30 * DAY_S)
    one = parse(config_with("  retention: 12h")).delivery.retention
    assert set(vars(one).values()) == {12 * 3600.0}
    forever = parse(config_with("  retention: off")).delivery.retention
    assert set(vars(forever).values()) == {None} and forever.cutoffs(time.time()) == {}
    mixed = parse(config_with("  retention: {delivered: 90s, dead: forever, rejected: 0, skipped: 15m}")).delivery.retention
    assert mixed == Retention(delivered=90.0, dead=None, cancelled=7 * DAY_S, skipped=900.0, rejected=None)
    assert set(mixed.cutoffs(1000.0)) == {"delivered", "cancelled", "skipped"}


@pytest.mark.parametrize(("delivery", "key", "says"), [
    ("  retention: 7 days", "delivery.retention", "'7 days' is not a duration; use e.g. 90s, 15m, 12h or 7d"),
    ("  retention: {delivered: 3x}", "delivery.retention.delivered", "'3x' is not a duration"),
    ("  retention: {pending: 1d}", "delivery.retention.pending", "pending deliveries are never removed"),
    ("  retention: {done: 1d}", "delivery.retention.done", "unknown key; expected one of cancelled, dead, delivered"),
    ("  retention: -1d", "delivery.retention", "is not a duration"),
])
def test_bad_retention_is_a_config_error_naming_the_key(delivery: str, key: str, says: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse(config_with(delivery), filename="runner.yaml")
    assert err.value.key == key and says in str(err.value)
    assert "runner.yaml:3" in str(err.value)


# --- the background pruner ------------------------------------------------------------------


def test_pruner_removes_what_is_past_retention_and_logs_it(caplog: pytest.LogCaptureFixture) -> None:
    async def go() -> None:
        store = MemoryStore()
        await store.enqueue(NewEvent("default", "m1", "t", "{}", time.time()), [NewDelivery("a", "skipped", reason="no url")])
        await store.enqueue(NewEvent("default", "m2", "t", "{}", time.time()), [NewDelivery("a", "pending", "segment")])
        seen = []
        later = time.time() + 3600  # an hour from now, both are more than 30 minutes old
        pruner = Pruner(store, Retention(skipped=1800.0), interval_s=0.05, on_pruned=seen.append, clock=lambda: later)
        task = asyncio.create_task(pruner.run())
        await asyncio.sleep(0.2)  # several intervals: the second pass finds nothing, logs nothing
        pruner.stop()
        await asyncio.wait_for(task, 5)
        assert [p.deliveries for p in seen] == [{"skipped": 1}]
        assert await store.counts() == {"pending": 1}
        store.close_sync()

    with caplog.at_level(logging.INFO, logger="runner.delivery"):
        asyncio.run(go())
    (line,) = [r for r in caplog.records if r.getMessage() == "queue.pruned"]
    assert line.deliveries == {"skipped": 1} and line.events == 1  # type: ignore[attr-defined]


# --- queues written by the previous schema --------------------------------------------------

SQLITE_V1 = """
CREATE TABLE events (id INTEGER PRIMARY KEY, endpoint TEXT NOT NULL, webhook_id TEXT NOT NULL, event_type TEXT NOT NULL,
    body TEXT NOT NULL, received_at REAL NOT NULL, UNIQUE (endpoint, webhook_id));
CREATE TABLE deliveries (id INTEGER PRIMARY KEY, event_id INTEGER NOT NULL REFERENCES events(id), endpoint TEXT NOT NULL,
    webhook_id TEXT NOT NULL, event_type TEXT NOT NULL, transform TEXT NOT NULL, status TEXT NOT NULL, destination TEXT,
    url TEXT, method TEXT, headers TEXT NOT NULL DEFAULT '{}', body TEXT, kind TEXT, message_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at REAL NOT NULL, claimed_by TEXT, lease_until REAL, stage TEXT,
    reason TEXT, last_error TEXT, logs TEXT NOT NULL DEFAULT '[]', created_at REAL NOT NULL, updated_at REAL NOT NULL,
    delivered_at REAL);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_status ON deliveries (status, id);
CREATE TABLE attempts (id INTEGER PRIMARY KEY, delivery_id INTEGER NOT NULL REFERENCES deliveries(id), attempt INTEGER NOT NULL,
    started_at REAL NOT NULL, duration_ms REAL NOT NULL, outcome TEXT NOT NULL, status_code INTEGER, error TEXT);
CREATE INDEX attempts_delivery ON attempts (delivery_id);
PRAGMA user_version = 1;
"""


def old_rows(n: int, status: str, age_s: float) -> list[tuple[object, ...]]:
    ts = time.time() - age_s
    return [(i, "default", f"msg_{status}_{i}", "payment.succeeded", "t", status, ts, ts, ts) for i in range(n)]


def test_a_version_1_sqlite_queue_is_migrated_with_exact_counts(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with sqlite3.connect(data / DB_FILENAME) as conn:  # as the previous runner left it
        conn.executescript(SQLITE_V1)
        for status, n in (("delivered", 5), ("dead", 2), ("pending", 3)):
            for row in old_rows(n, status, 10 * DAY_S):
                cur = conn.execute("INSERT INTO events (endpoint, webhook_id, event_type, body, received_at) VALUES (?, ?, ?, '{}', ?)",
                                   (row[1], row[2], row[3], row[6]))
                conn.execute("INSERT INTO deliveries (event_id, endpoint, webhook_id, event_type, transform, status, "
                             "next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             (cur.lastrowid, *row[1:]))
    conn.close()
    store = SQLiteStore.in_dir(data)
    try:
        assert asyncio.run(store.counts()) == {"delivered": 5, "dead": 2, "pending": 3}
        purged = asyncio.run(store.purge(Retention().cutoffs(time.time()), 100))
        assert purged.deliveries == {"delivered": 5} and purged.events == 5  # dead: 10 days < 30
        asyncio.run(store.enqueue(NewEvent("default", "new", "t", "{}", time.time()), [NewDelivery("t", "pending", "segment")]))
        assert asyncio.run(store.counts()) == {"dead": 2, "pending": 4}
    finally:
        store.close_sync()
    with sqlite3.connect(data / DB_FILENAME) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert {"delivery_counts", "deliveries_finished", "deliveries_event", "deliveries_counted_update"} <= names
    assert upgrade(data) == (2, 2)


def test_a_version_1_postgres_queue_is_upgraded_with_exact_counts(pg_url: str) -> None:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:  # what `runner db upgrade` of the previous runner made
        conn.execute(pgsql.CREATE_VERSION_TABLE)
        conn.execute(pgsql.MIGRATIONS[0])
        conn.execute(pgsql.RECORD_VERSION, (1,))
        conn.execute("INSERT INTO runner_events (endpoint, webhook_id, event_type, body, received_at) "
                     "SELECT 'default', 'msg_' || i, 't', '{}', 0 FROM generate_series(1, 10) AS i")
        conn.execute("INSERT INTO runner_deliveries (event_id, endpoint, webhook_id, event_type, transform, status, "
                     "next_attempt_at, created_at, updated_at) SELECT id, endpoint, webhook_id, event_type, 't', "
                     "CASE WHEN id % 2 = 0 THEN 'delivered' ELSE 'dead' END, 0, 0, 0 FROM runner_events")
    assert upgrade(pg_url) == (1, 2)
    from runner.delivery.postgres import PostgresStore

    store = PostgresStore(pg_url)
    try:
        assert asyncio.run(store.counts()) == {"delivered": 5, "dead": 5}
        assert asyncio.run(store.purge({"dead": time.time()}, 100)).deliveries == {"dead": 5}
        assert asyncio.run(store.counts()) == {"delivered": 5}
    finally:
        store.close_sync()


# --- runner deliveries purge, through the real command line ---------------------------------


def runner_cli(*args: str, cwd: Path, stdin: int | None = subprocess.DEVNULL) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"RUNNER_CONFIG", "RUNNER_QUEUE"}}
    return subprocess.run([sys.executable, "-m", "runner", *args], cwd=cwd, capture_output=True, text=True, timeout=60,
                          check=False, stdin=stdin, env=env)


def aged_queue(data: Path) -> None:
    """Deliveries of every finished status, 10 days old (and 40 for one dead letter), beside
    pending ones and fresh delivered ones; attempts for the delivered and dead ones."""
    store = SQLiteStore.in_dir(data)

    async def go() -> None:
        for n in range(6):
            await store.enqueue(NewEvent("default", f"msg_{n}", "payment.succeeded", "{}", time.time()), [
                NewDelivery("pay", "pending", "segment", "https://api.segment.io/v1/track", "POST", body="{}", kind="track"),
                NewDelivery("skip", "skipped", reason="no url"),
            ])
        await store.enqueue(NewEvent("default", "msg_c", "t", "{}", time.time()), [NewDelivery("c", "cancelled", reason="cancel")])
        await store.enqueue(NewEvent("default", "msg_r", "t", "{}", time.time()), [NewDelivery("r", "rejected", reason="host")])
        claimed = await store.claim("w", limit=5, lease_s=60)
        now = time.time()
        await store.ack("w", [Attempt(d.id, 1, now, 1.0, "delivered", 200) for d in claimed[:3]])
        await store.dead_letter("w", [Attempt(d.id, 1, now, 1.0, "dead", 400, "HTTP 400") for d in claimed[3:]], ["no", "no"])

    asyncio.run(go())
    store.close_sync()
    with sqlite3.connect(data / DB_FILENAME) as conn:
        conn.execute("UPDATE deliveries SET updated_at = updated_at - 10 * 86400 WHERE status <> 'pending'")
        conn.execute("UPDATE deliveries SET updated_at = updated_at - 30 * 86400 WHERE id = "
                     "(SELECT min(id) FROM deliveries WHERE status = 'dead')")
    conn.close()


def table_counts(data: Path) -> tuple[dict[str, int], int, int]:
    """(deliveries by status, events, attempts) as COUNTs over the file's tables."""
    with sqlite3.connect(data / DB_FILENAME) as conn:
        by_status = dict(conn.execute("SELECT status, COUNT(*) FROM deliveries GROUP BY status").fetchall())
        events = conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        attempts = conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0]
    conn.close()
    return by_status, events, attempts


def test_purge_command(tmp_path: Path) -> None:
    data = tmp_path / "data"
    aged_queue(data)
    before = table_counts(data)
    assert before[0] == {"pending": 1, "delivered": 3, "dead": 2, "skipped": 6, "cancelled": 1, "rejected": 1}

    dry = runner_cli("deliveries", "purge", "--data-dir", str(data), "--dry-run", cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout == ("would purge 11 deliveries: delivered 3 (older than 7d), dead 1 (older than 30d), "
                          "cancelled 1 (older than 7d), skipped 6 (older than 7d)\n")
    assert table_counts(data) == before

    refused = runner_cli("deliveries", "purge", "--data-dir", str(data), "--status", "delivered,pending", cwd=tmp_path)
    assert refused.returncode == 2 and "pending deliveries are never purged" in refused.stderr
    bad_age = runner_cli("deliveries", "purge", "--data-dir", str(data), "--older-than", "a week", cwd=tmp_path)
    assert bad_age.returncode == 2 and "'a week' is not a duration" in bad_age.stderr

    only = runner_cli("deliveries", "purge", "--data-dir", str(data), "--status", "skipped", cwd=tmp_path)  # no tty: no question
    assert only.returncode == 0, only.stderr
    assert only.stdout == "purged 6 deliveries (skipped 6) and 0 events\n"  # each event still has its pending delivery

    done = runner_cli("deliveries", "purge", "--data-dir", str(data), "--yes", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "purged 5 deliveries (delivered 3, dead 1, cancelled 1) and 5 events\n"
    by_status, events, attempts = table_counts(data)
    assert by_status == {"pending": 1, "dead": 1, "rejected": 1} and events == 3 and attempts == 1
    again = runner_cli("deliveries", "purge", "--data-dir", str(data), cwd=tmp_path)
    assert again.returncode == 0 and again.stdout.startswith("nothing to purge")

    listed = runner_cli("deliveries", "list", "--data-dir", str(data), cwd=tmp_path)
    assert listed.stdout.splitlines()[0] == "pending: 1  delivered: 0  dead: 1  cancelled: 0  skipped: 0  rejected: 1"
    everything = runner_cli("deliveries", "purge", "--data-dir", str(data), "--older-than", "1s", "-y", cwd=tmp_path)
    assert everything.stdout == "purged 2 deliveries (dead 1, rejected 1) and 2 events\n"


def test_purge_uses_the_configs_retention(tmp_path: Path) -> None:
    data = tmp_path / "data"
    aged_queue(data)
    (tmp_path / "runner.yaml").write_text(config_with("  retention: {delivered: 30d, dead: 1d, skipped: off}")
                                          + "data_dir: data\n")
    dry = runner_cli("deliveries", "purge", "--dry-run", cwd=tmp_path)  # ./runner.yaml, as serve finds it
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout == "would purge 3 deliveries: dead 2 (older than 1d), cancelled 1 (older than 7d)\n"
    assert "kept forever (delivery.retention): skipped" in dry.stderr


def test_purge_asks_at_a_terminal(tmp_path: Path) -> None:
    data = tmp_path / "data"
    aged_queue(data)
    main, child = pty.openpty()
    try:
        os.write(main, b"n\n")
        answered = runner_cli("deliveries", "purge", "--data-dir", str(data), cwd=tmp_path, stdin=child)
    finally:
        os.close(main)
        os.close(child)
    assert answered.returncode == 1 and "purge 11 deliveries (" in answered.stderr and "Aborted" in answered.stderr
    assert table_counts(data)[0]["delivered"] == 3


# --- inside a real `runner serve` -----------------------------------------------------------


@pytest.fixture
def standin() -> Iterator[SegmentStandin]:
    with SegmentStandin() as s:
        yield s


def test_serve_prunes_in_the_background_and_counts_stay_exact(tmp_path: Path, standin: SegmentStandin) -> None:
    data = tmp_path / "data"
    aged_queue(data)
    secret = new_secret()
    env = {"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": WRITE_KEY}
    with ServeProcess([PAYMENTS, "--segment-url", standin.url, "--log-format", "json"], env=env, data_dir=data) as srv:
        deadline = time.monotonic() + 20
        while "queue.pruned" not in srv.logs() and time.monotonic() < deadline:
            time.sleep(0.1)
        (line,) = [json.loads(x) for x in srv.logs().splitlines() if '"queue.pruned"' in x]
        # The default retention: 7 days for delivered, cancelled, skipped; 30 for dead, rejected.
        assert line["deliveries"] == {"delivered": 3, "dead": 1, "cancelled": 1, "skipped": 6} and line["level"] == "info"
        for n in range(20):
            body, headers = signed(secret, payment_event(n))
            assert httpx.post(srv.url + "/webhooks", content=body, headers=headers).status_code == 200
        settled(data)
        health = httpx.get(srv.url + "/healthz").json()
        assert health["queue"] == table_counts(data)[0] and health["queue"]["delivered"] >= 20
        metrics = httpx.get(srv.url + "/metrics").text
        assert 'runner_queue_pruned_total{status="skipped"} 6.0' in metrics
        assert f'runner_queue_deliveries{{status="delivered"}} {health["queue"]["delivered"]}.0' in metrics
        # The command beside the running server: all finished more than 3 s ago, not the newest.
        time.sleep(3.5)
        body, headers = signed(secret, payment_event(99))
        assert httpx.post(srv.url + "/webhooks", content=body, headers=headers).status_code == 200
        settled(data)
        old = sum(table_counts(data)[0].values()) - 1
        purged = runner_cli("deliveries", "purge", "--data-dir", str(data), "--older-than", "3s", cwd=tmp_path)
        assert purged.returncode == 0, purged.stderr
        assert purged.stdout.startswith(f"purged {old} deliveries (delivered ")
        assert httpx.get(srv.url + "/healthz").json()["queue"] == table_counts(data)[0] == {"delivered": 1}
        assert table_counts(data)[1:] == (1, 1)  # its event and its attempt
        assert srv.terminate() in (0, -15)  # uvicorn re-raises SIGTERM after a clean shutdown
    assert "serve.stopped" in srv.logs()  # the pruner stopped with the rest


def settled(data: Path, timeout: float = 30) -> None:
    """Wait until the queue has no pending delivery."""
    deadline = time.monotonic() + timeout
    while table_counts(data)[0].get("pending") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not table_counts(data)[0].get("pending"), table_counts(data)


def test_serve_warns_when_a_retention_is_shorter_than_the_providers_retries(tmp_path: Path) -> None:
    (tmp_path / "pay.js").write_text(Path(PAYMENTS).read_text())
    (tmp_path / "runner.yaml").write_text(
        "delivery:\n  retention: {delivered: 1h, dead: 2d}\n"
        "endpoints:\n  default:\n    transforms:\n      pay:\n        file: pay.js\n")
    env = {"DODO_WEBHOOK_SECRET": new_secret(), "SEGMENT_WRITE_KEY": WRITE_KEY}
    with ServeProcess(["--config", str(tmp_path / "runner.yaml")], env=env, data_dir=tmp_path / "data") as srv:
        pass
    (line,) = [json.loads(x) for x in srv.logs().splitlines() if '"serve.short_retention"' in x]
    assert line["level"] == "warning" and line["retention"] == {"delivered": "3600s"}  # dead's 2 days is enough
