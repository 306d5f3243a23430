"""What only the PostgreSQL backend has: versioned schema and `runner db upgrade`, URL and
connection errors that name the server but never the password, text PostgreSQL cannot hold,
dropped connections; and `runner deliveries` / `runner replay` / `runner serve` selecting it
(--queue, $RUNNER_QUEUE, `queue:` in runner.yaml). The verbs themselves are covered by the
shared contract in tests/test_store_contract.py."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from runner import config as cfg
from runner.cli import main
from runner.delivery import pgsql
from runner.delivery.backends import open_store, upgrade
from runner.delivery.postgres import PostgresStore, schema_version
from runner.delivery.store import (
    DELIVERY_COLUMNS,
    Attempt,
    Filter,
    NewDelivery,
    NewEvent,
    StoreError,
)
from tests.support.postgres import PostgresServer, _free_port
from tests.support.segment_standin import SegmentStandin
from tests.support.serve import TRANSFORMS, payment_event

PASSWORD = "pw-Never-Print-Me"


@pytest.fixture
def store(pg_url: str) -> Iterator[PostgresStore]:
    upgrade(pg_url)
    s = PostgresStore(pg_url)
    yield s
    s.close_sync()


def test_upgrade_creates_the_schema_once_and_is_idempotent(pg_url: str) -> None:
    assert schema_version(pg_url) == 0
    with pytest.raises(StoreError, match=r"has no runner tables.*runner db upgrade"):
        PostgresStore(pg_url)
    assert upgrade(pg_url) == (0, pgsql.SCHEMA_VERSION)
    assert upgrade(pg_url) == (pgsql.SCHEMA_VERSION, pgsql.SCHEMA_VERSION)
    PostgresStore(pg_url).close_sync()


def test_the_deliveries_table_has_the_shared_columns(pg_url: str) -> None:
    upgrade(pg_url)
    with psycopg.connect(pg_url) as conn:
        rows = conn.execute("SELECT column_name FROM information_schema.columns "
                            "WHERE table_name = 'runner_deliveries' ORDER BY ordinal_position").fetchall()
    assert tuple(r[0] for r in rows) == DELIVERY_COLUMNS


def test_concurrent_upgrades_take_turns(pg_url: str) -> None:
    results: list[tuple[int, int]] = []
    threads = [threading.Thread(target=lambda: results.append(upgrade(pg_url))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    v = pgsql.SCHEMA_VERSION
    assert sorted(results) == [(0, v)] + [(v, v)] * 3
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM runner_schema_version").fetchone() == (v,)


def test_a_newer_schema_is_refused(pg_url: str) -> None:
    upgrade(pg_url)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(pgsql.RECORD_VERSION, (pgsql.SCHEMA_VERSION + 1,))
    for action in (lambda: PostgresStore(pg_url), lambda: upgrade(pg_url)):
        with pytest.raises(StoreError, match="newer than this runner's.*upgrade runner"):
            action()


def test_unreachable_server_names_host_and_hides_password() -> None:
    url = f"postgresql://runner:{PASSWORD}@127.0.0.1:{_free_port()}/runner"
    with pytest.raises(StoreError) as caught:
        open_store(url)
    message = str(caught.value)
    assert "127.0.0.1" in message and "is running and reachable" in message and "runner@" in message
    assert PASSWORD not in message


@pytest.mark.parametrize(("url", "expected"), [
    (f"postgresql://runner:{PASSWORD}@db:notaport/runner", "invalid PostgreSQL URL.*port"),
    (f"postgresql://runner:{PASSWORD}@[::1/runner", "invalid PostgreSQL URL"),
    (f"postgresql://runner:{PASSWORD}@db/runner?bogus=1", "invalid URI query parameter"),
    (f"mysql://runner:{PASSWORD}@db/runner", "unsupported queue URL scheme 'mysql'"),
])
def test_bad_urls_say_what_to_use(url: str, expected: str) -> None:
    with pytest.raises(StoreError, match=expected) as caught:
        open_store(url)
    assert PASSWORD not in str(caught.value)


def test_a_missing_database_is_named_without_the_password(postgres: PostgresServer) -> None:
    url = f"postgresql://runner:{PASSWORD}@127.0.0.1:{postgres.port}/no_such_db"
    with pytest.raises(StoreError, match="no_such_db") as caught:
        open_store(url)
    assert PASSWORD not in str(caught.value)


def test_text_postgresql_cannot_hold_is_replaced_not_refused(store: PostgresStore) -> None:
    bad = "bad\x00type\ud800"
    plan = NewDelivery("t", "dead", stage="transform", reason="Error: \x00 in message")
    (did,) = asyncio.run(store.enqueue(NewEvent("default", "msg_1", bad, "{}", time.time()), [plan])).delivery_ids
    got = asyncio.run(store.get(did))
    assert got is not None
    assert got[0].event_type == "bad\ufffdtype?" and got[0].reason == "Error: \ufffd in message"


def test_connections_the_server_dropped_are_replaced(store: PostgresStore, pg_url: str) -> None:
    asyncio.run(store.enqueue(NewEvent("default", "msg_1", "t", "{}", time.time()), []))
    assert asyncio.run(store.counts()) == {}
    with psycopg.connect(pg_url, autocommit=True) as conn:  # as a server restart would
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE application_name = 'runner' AND pid <> pg_backend_pid()")
    assert asyncio.run(store.counts()) == {}


def test_queue_in_runner_yaml_is_checked(tmp_path: Path) -> None:
    base = "endpoints:\n  default:\n    transforms:\n      t: {file: t.js}\n"
    (tmp_path / "t.js").write_text("function handler(w) { return w; }")
    path = tmp_path / "runner.yaml"
    path.write_text(f"queue: postgresql://runner:{PASSWORD}@db/runner\n" + base)
    with pytest.raises(cfg.ConfigError, match="runner.yaml:1: queue: holds a password") as caught:
        cfg.load(path)
    assert PASSWORD not in str(caught.value)
    path.write_text("queue: ./data\n" + base)
    with pytest.raises(cfg.ConfigError, match="must be a PostgreSQL URL"):
        cfg.load(path)
    path.write_text("queue: postgresql://runner@db.internal:5432/runner\n" + base)
    assert cfg.load(path).queue == "postgresql://runner@db.internal:5432/runner"


def test_db_upgrade_command(pg_url: str, tmp_path: Path) -> None:
    cli = CliRunner()
    first = cli.invoke(main, ["db", "upgrade", "--queue", pg_url])
    assert first.exit_code == 0, first.output
    assert f"schema upgraded from version 0 to {pgsql.SCHEMA_VERSION}" in first.output and "postgresql://runner@127.0.0.1" in first.output
    again = cli.invoke(main, ["db", "upgrade"], env={"RUNNER_QUEUE": pg_url})
    assert again.exit_code == 0 and "up to date" in again.output
    sqlite = cli.invoke(main, ["db", "upgrade", "--data-dir", str(tmp_path / "q")])
    assert sqlite.exit_code == 0 and "queue.sqlite3: schema upgraded from version 0 to 2" in sqlite.output
    down = cli.invoke(main, ["db", "upgrade", "--queue", f"postgresql://runner:{PASSWORD}@127.0.0.1:{_free_port()}/x"])
    assert down.exit_code == 1 and "cannot connect" in down.output and PASSWORD not in down.output


def test_serve_refuses_a_queue_without_schema(pg_url: str) -> None:
    result = CliRunner().invoke(main, ["serve", str(TRANSFORMS / "segment-track-payments.js"), "--queue", pg_url],
                                env={"DODO_WEBHOOK_SECRET": "whsec_" + "A" * 32, "SEGMENT_WRITE_KEY": "k"})
    assert result.exit_code == 1 and "runner db upgrade" in result.output, result.output


def test_deliveries_and_replay_on_postgresql(pg_url: str) -> None:
    upgrade(pg_url)
    store = open_store(pg_url)

    async def make() -> int:
        track = {"userId": "u1", "event": "Payment Completed", "type": "track", "messageId": "mid-1"}
        (did,) = (await store.enqueue(NewEvent("default", "msg_1", "payment.succeeded", json.dumps(payment_event(1)), time.time()), [
            NewDelivery("pay", "pending", "segment", "https://api.segment.io/v1/track", "POST", {}, json.dumps(track),
                        "track", "mid-1")])).delivery_ids
        (d,) = await store.claim("w", limit=1, lease_s=60)
        await store.dead_letter("w", [Attempt(d.id, 1, time.time(), 12.0, "dead", 400, "HTTP 400: bad")], ["HTTP 400: refused"])
        return did

    did = asyncio.run(make())
    cli = CliRunner()
    env = {"RUNNER_QUEUE": pg_url, "SEGMENT_WRITE_KEY": "wk_pg"}
    listed = cli.invoke(main, ["deliveries", "list"], env=env)
    assert listed.exit_code == 0, listed.output
    assert "dead: 1" in listed.output and "HTTP 400: refused" in listed.output
    shown = cli.invoke(main, ["deliveries", "show", str(did), "--queue", pg_url, "--json"])
    assert json.loads(shown.output)["attempts_log"][0]["status_code"] == 400
    with SegmentStandin() as standin:
        replayed = cli.invoke(main, ["replay", "--all", "--segment-url", standin.url, "--timeout", "20"], env=env)
        assert replayed.exit_code == 0, replayed.output
        assert "replayed 1: 1 delivered" in replayed.output
        assert [e["messageId"] for e in standin.events()] == ["mid-1"]
    assert asyncio.run(store.list(Filter(status="delivered")))[0].id == did
    store.close_sync()


def test_a_failing_write_does_not_sink_its_batch(store: PostgresStore) -> None:
    def boom(conn: psycopg.Connection[Any]) -> None:
        conn.execute("INSERT INTO runner_events (endpoint, webhook_id, event_type, body, received_at) VALUES ('x', 'y', 'z', '{}', 0)")
        conn.execute("SELECT no_such_column FROM runner_events")

    async def mixed() -> list[object]:
        jobs = [store.enqueue(NewEvent("default", f"msg_{n}", "t", "{}", time.time()), [NewDelivery("t", "cancelled")])
                for n in range(20)]
        return await asyncio.gather(store._write(boom), *jobs, return_exceptions=True)

    results = asyncio.run(mixed())
    assert isinstance(results[0], StoreError) and "no_such_column" in str(results[0])
    assert all(not isinstance(r, BaseException) for r in results[1:])
    assert asyncio.run(store.counts()) == {"cancelled": 20}
    assert asyncio.run(store.list(Filter(endpoint="x"))) == []  # the failed job's write was rolled back
