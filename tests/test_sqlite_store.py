"""The SQLite store on a real file: dedupe, claims with leases, verbs, group commit, restarts."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from runner.delivery.backends import open_existing
from runner.delivery.sqlite import DB_FILENAME, SQLiteStore
from runner.delivery.store import (
    DELIVERY_COLUMNS,
    Attempt,
    Filter,
    NewDelivery,
    NewEvent,
    StoreError,
)


def event(n: int, endpoint: str = "default") -> NewEvent:
    return NewEvent(endpoint, f"msg_{n}", "payment.succeeded", '{"type": "payment.succeeded"}', time.time())


def pending(transform: str = "t", destination: str = "segment") -> NewDelivery:
    return NewDelivery(transform=transform, status="pending", destination=destination,
                       url="https://api.segment.io/v1/track", method="POST", body='{"userId": "u"}', kind="track",
                       message_id=f"mid-{transform}")


def attempt(delivery_id: int, n: int = 1, outcome: str = "delivered") -> Attempt:
    return Attempt(delivery_id, n, time.time(), 1.5, outcome, 200 if outcome == "delivered" else 500, None)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    s = SQLiteStore.in_dir(tmp_path / "data")
    yield s
    s.close_sync()


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_enqueue_stores_event_and_deliveries_and_dedupes(store: SQLiteStore) -> None:
    first = run(store.enqueue(event(1), [pending("a"), pending("b"), NewDelivery("c", "cancelled", reason="cancel")]))
    assert not first.duplicate and len(first.delivery_ids) == 3
    again = run(store.enqueue(event(1), [pending("a")]))
    assert again.duplicate and again.event_id == first.event_id
    other_endpoint = run(store.enqueue(event(1, "shop"), [pending("a")]))
    assert not other_endpoint.duplicate
    assert run(store.counts()) == {"pending": 3, "cancelled": 1}


def test_claims_are_leased_and_exclusive(store: SQLiteStore) -> None:
    run(store.enqueue(event(1), [pending("a"), pending("b", destination="crm")]))
    mine = run(store.claim("w1", limit=10, lease_s=60))
    assert {d.transform for d in mine} == {"a", "b"}
    assert all(d.claimed_by == "w1" and d.lease_until > time.time() for d in mine)
    assert run(store.claim("w2", limit=10, lease_s=60)) == []


def test_expired_lease_lets_another_worker_take_over(store: SQLiteStore) -> None:
    run(store.enqueue(event(1), [pending()]))
    (d,) = run(store.claim("w1", limit=10, lease_s=0.05))
    time.sleep(0.1)
    (taken,) = run(store.claim("w2", limit=10, lease_s=60))
    assert taken.id == d.id
    # The first worker's late ack must not override the new owner.
    run(store.ack("w1", [attempt(d.id)]))
    assert run(store.counts()) == {"pending": 1}
    run(store.ack("w2", [attempt(d.id)]))
    assert run(store.counts()) == {"delivered": 1}


def test_exclude_destinations(store: SQLiteStore) -> None:
    run(store.enqueue(event(1), [pending("a"), pending("b", destination="crm")]))
    claimed = run(store.claim("w", limit=10, lease_s=60, exclude_destinations=["segment"]))
    assert [d.destination for d in claimed] == ["crm"]


def test_retry_later_dead_letter_and_requeue(store: SQLiteStore) -> None:
    run(store.enqueue(event(1), [pending("a"), pending("b")]))
    a, b = run(store.claim("w", limit=10, lease_s=60))
    run(store.retry_later("w", [attempt(a.id, outcome="retry")], [time.time() + 3600], ["HTTP 500"]))
    run(store.dead_letter("w", [attempt(b.id, outcome="dead")], ["HTTP 400: refused"]))
    assert run(store.claim("w", limit=10, lease_s=60)) == []  # not due yet
    (dead,) = run(store.list(Filter(status="dead")))
    assert dead.id == b.id and dead.reason == "HTTP 400: refused" and dead.stage == "deliver"
    got = run(store.get(a.id))
    assert got is not None and got[0].last_error == "HTTP 500" and got[0].attempts == 1
    assert [x.outcome for x in got[1]] == ["retry"]
    assert run(store.requeue([b.id, a.id])) == 1  # only dead letters are requeued
    (again,) = run(store.claim("w", limit=10, lease_s=60))
    assert again.id == b.id and again.attempts == 0


def test_postpone_gives_a_claim_back_without_an_attempt(store: SQLiteStore) -> None:
    run(store.enqueue(event(1), [pending()]))
    (d,) = run(store.claim("w", limit=10, lease_s=60))
    run(store.postpone("w", [d.id], time.time() - 1))
    (again,) = run(store.claim("w2", limit=10, lease_s=60))
    assert again.id == d.id and again.attempts == 0


def test_concurrent_enqueues_are_group_committed(store: SQLiteStore) -> None:
    async def burst() -> None:
        await asyncio.gather(*(store.enqueue(event(n), [pending()]) for n in range(500)))

    before = store.commits
    run(burst())
    assert run(store.counts()) == {"pending": 500}
    assert store.commits - before < 100  # 500 acceptances, far fewer fsyncs


def test_a_failing_job_does_not_sink_its_group(store: SQLiteStore) -> None:
    def boom(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO events (endpoint, webhook_id, event_type, body, received_at) VALUES ('x','y','z','{}',0)")
        raise ValueError("job failed")

    async def mixed() -> list[object]:
        loop_jobs = [store.enqueue(event(n), [pending()]) for n in range(20)]
        bad = store._call(boom)
        return await asyncio.gather(bad, *loop_jobs, return_exceptions=True)

    results = run(mixed())
    assert isinstance(results[0], ValueError)
    assert all(not isinstance(r, BaseException) for r in results[1:])
    assert run(store.counts()) == {"pending": 20}
    assert run(store.list(Filter(endpoint="x"))) == []  # the failed job's write was rolled back


def test_data_survives_reopening(tmp_path: Path) -> None:
    s = SQLiteStore.in_dir(tmp_path)
    run(s.enqueue(event(1), [pending()]))
    s.close_sync()
    s2 = SQLiteStore.in_dir(tmp_path)
    try:
        assert run(s2.counts()) == {"pending": 1}
        assert run(s2.enqueue(event(1), [pending()])).duplicate
        mode = s2.call(lambda c: c.execute("PRAGMA journal_mode").fetchone()[0])
        assert mode == "wal"
    finally:
        s2.close_sync()


def test_unusable_paths_raise_store_errors(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="--data-dir"):
        SQLiteStore.in_dir(blocker / "sub")
    closed = SQLiteStore.in_dir(tmp_path / "ok")
    closed.close_sync()
    with pytest.raises(StoreError, match="closed"):
        run(closed.counts())


def test_claims_of_dead_local_processes_are_released(store: SQLiteStore) -> None:
    import os
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    dead_pid = int(gone.stdout)
    run(store.enqueue(event(1), [pending("a"), pending("b")]))
    a = run(store.claim(f"host:{dead_pid}", limit=1, lease_s=600))
    run(store.claim(f"host:{os.getpid()}", limit=1, lease_s=600))
    assert run(store.claim("other", limit=10, lease_s=60)) == []
    assert run(store.release_dead_claims("host")) == 1
    (freed,) = run(store.claim("other", limit=10, lease_s=60))
    assert freed.id == a[0].id  # the live process keeps its claim


def test_the_queue_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    store = SQLiteStore.in_dir(tmp_path / "data")
    try:
        mode = (tmp_path / "data" / DB_FILENAME).stat().st_mode & 0o777
        assert mode == 0o600
    finally:
        store.close_sync()


def test_the_deliveries_table_has_the_shared_columns(store: SQLiteStore) -> None:
    names = store.call(lambda c: [r[1] for r in c.execute("PRAGMA table_info(deliveries)")])
    assert tuple(names) == DELIVERY_COLUMNS


def test_open_existing_refuses_a_folder_without_a_queue(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"no queue in .*empty.* \(no queue.sqlite3\); pass the --data-dir \(or --queue\)"):
        open_existing(tmp_path / "empty")
    assert not (tmp_path / "empty").exists()  # nothing was created
    SQLiteStore.in_dir(tmp_path / "data").close_sync()
    found = open_existing(tmp_path / "data")
    try:
        assert run(found.counts()) == {}
    finally:
        found.close_sync()
    with pytest.raises(StoreError, match="unsupported queue URL scheme 'mysql'"):
        open_existing("mysql://db/runner")


def test_a_queue_file_that_cannot_be_created_is_a_store_error_not_a_hang(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / DB_FILENAME).symlink_to(tmp_path / "nowhere" / "queue")  # dangling: the exclusive create fails
    with pytest.raises(StoreError, match="cannot open the queue database .*check the path and permissions"):
        SQLiteStore.in_dir(data)


# --- writers of several processes take turns --------------------------------------------------

_WRITER = """
import asyncio, sys, time
from pathlib import Path
from runner.delivery.sqlite import SQLiteStore
from runner.delivery.store import NewDelivery, NewEvent

async def main() -> None:
    store = SQLiteStore.in_dir(Path(sys.argv[1]), busy_timeout_ms=10_000)
    tag = sys.argv[2]
    for n in range(int(sys.argv[3])):
        event = NewEvent("default", f"{tag}-{n}", "payment.succeeded", "{}", time.time())
        await store.enqueue(event, [NewDelivery(transform="t", status="pending", destination="segment",
                                                url="https://api.segment.io/v1/track", method="POST", body="{}",
                                                kind="track", message_id=f"{tag}-{n}")])
    store.close_sync()

asyncio.run(main())
"""


def test_stores_of_several_processes_commit_in_turn_and_lose_nothing(tmp_path: Path) -> None:
    """Four processes writing to one file at once, one commit each webhook: every write lands, none
    is refused as locked, and the turn's lock file is the owner's alone."""
    import subprocess
    import sys

    data = tmp_path / "data"
    SQLiteStore.in_dir(data).close_sync()  # created once, as `serve --workers` does
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(data), f"p{i}", "300"], stderr=subprocess.PIPE, text=True)
             for i in range(4)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    conn = sqlite3.connect(data / DB_FILENAME)
    assert conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 1200
    assert (data / (DB_FILENAME + "-writer.lock")).stat().st_mode & 0o777 == 0o600


def test_a_write_turn_held_too_long_fails_the_write_after_the_timeout(tmp_path: Path) -> None:
    """A process that holds the turn (stopped mid-commit, say) makes others fail after
    busy_timeout_ms with a StoreError, rather than hang."""
    import fcntl
    import os

    store = SQLiteStore.in_dir(tmp_path / "data", busy_timeout_ms=300)
    try:
        run(store.enqueue(event(1), [pending()]))
        fd = os.open(tmp_path / "data" / (DB_FILENAME + "-writer.lock"), os.O_RDWR)
        fcntl.flock(fd, fcntl.LOCK_EX)  # another description: as another process holds it
        try:
            started = time.monotonic()
            with pytest.raises(StoreError, match="locked"):
                run(store.enqueue(event(2), [pending()]))
            assert 0.25 < time.monotonic() - started < 5
        finally:
            os.close(fd)
        run(store.enqueue(event(3), [pending()]))  # the turn is free again: writes go on
    finally:
        store.close_sync()
