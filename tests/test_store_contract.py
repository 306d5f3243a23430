"""The `Store` contract, one suite run against every backend: SQLite (a file), PostgreSQL
(a fresh database on the session's throwaway server) and the in-memory store of unit tests
(a `MemoryDatabase`). Two stores opened on the same target stand for two instances (or
`runner serve` and `runner replay`) sharing one queue.

Backend-specific behaviour lives beside its backend: tests/test_sqlite_store.py (group
commit, WAL, releasing a dead local process's claims) and tests/test_postgres_store.py
(schema versions, URLs and connection errors).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from runner.delivery.backends import QueueStore, open_store, upgrade
from runner.delivery.memory import MemoryDatabase, MemoryStore
from runner.delivery.store import Attempt, Filter, NewDelivery, NewEvent, StoreError

Opener = Callable[[], QueueStore]
Target = str | Path | MemoryDatabase


@pytest.fixture(params=["sqlite", "postgresql", "memory"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Target:
    if request.param == "sqlite":
        return tmp_path / "data"
    if request.param == "memory":
        return MemoryDatabase()
    url: str = request.getfixturevalue("pg_url")
    upgrade(url)
    return url


@pytest.fixture
def opener(target: Target) -> Iterator[Opener]:
    """Opens stores on the test's queue; closes them all afterwards."""
    opened: list[QueueStore] = []

    def open_one() -> QueueStore:
        opened.append(MemoryStore(target) if isinstance(target, MemoryDatabase) else open_store(target))
        return opened[-1]

    yield open_one
    for s in opened:
        s.close_sync()


@pytest.fixture
def store(opener: Opener) -> QueueStore:
    return opener()


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def event(n: int, endpoint: str = "default", event_type: str = "payment.succeeded", body: str | None = None) -> NewEvent:
    return NewEvent(endpoint, f"msg_{n}", event_type, body or f'{{"type": "{event_type}", "n": {n}}}', time.time())


def pending(transform: str = "t", destination: str = "segment", **kw: Any) -> NewDelivery:
    return NewDelivery(transform=transform, status="pending", destination=destination,
                       url="https://api.segment.io/v1/track", method="POST", body='{"userId": "u"}', kind="track",
                       message_id=f"mid-{transform}", **kw)


def attempt(delivery_id: int, n: int = 1, outcome: str = "delivered", error: str | None = None) -> Attempt:
    return Attempt(delivery_id, n, time.time(), 1.5, outcome, 200 if outcome == "delivered" else 500, error)


def test_enqueue_stores_event_and_deliveries_and_dedupes(store: QueueStore) -> None:
    first = run(store.enqueue(event(1), [pending("a"), pending("b"), NewDelivery("c", "cancelled", reason="cancel")]))
    assert not first.duplicate and len(first.delivery_ids) == 3
    assert list(first.delivery_ids) == sorted(first.delivery_ids)
    again = run(store.enqueue(event(1), [pending("a")]))
    assert again.duplicate and again.event_id == first.event_id and again.delivery_ids == ()
    other_endpoint = run(store.enqueue(event(1, "shop"), [pending("a")]))
    assert not other_endpoint.duplicate
    assert run(store.counts()) == {"pending": 3, "cancelled": 1}
    assert [d.transform for d in run(store.list(Filter(endpoint="default")))] == ["a", "b", "c"]


def test_an_event_with_no_deliveries_is_still_recorded_for_dedupe(store: QueueStore) -> None:
    first = run(store.enqueue(event(1), []))
    assert not first.duplicate and first.delivery_ids == ()
    assert run(store.enqueue(event(1), [pending()])).duplicate
    assert run(store.counts()) == {}


def test_stored_fields_round_trip(store: QueueStore) -> None:
    body = '{"type": "payment.succeeded", "name": "Zoë 😀", "x": 1.50}'
    plan = pending("a", headers={"X-Trace": "ü"}, logs='[{"level": "log", "message": "hi"}]', transform_ms=2.5)
    (did,) = run(store.enqueue(event(1, body=body), [plan])).delivery_ids
    got = run(store.get(did))
    assert got is not None
    d, attempts, raw = got
    assert raw == body and attempts == []
    assert (d.endpoint, d.webhook_id, d.event_type, d.transform, d.status) == ("default", "msg_1", "payment.succeeded", "a", "pending")
    assert (d.destination, d.url, d.method, d.kind, d.message_id) == ("segment", "https://api.segment.io/v1/track", "POST", "track", "mid-a")
    assert d.headers == {"X-Trace": "ü"} and d.body == '{"userId": "u"}' and d.logs == plan.logs
    assert d.attempts == 0 and d.claimed_by is None and d.lease_until is None and d.delivered_at is None
    assert abs(d.created_at - time.time()) < 60 and d.next_attempt_at <= time.time() + 1
    assert run(store.get(did + 1000)) is None


def test_claims_are_leased_and_exclusive(store: QueueStore) -> None:
    run(store.enqueue(event(1), [pending("a"), pending("b", destination="crm")]))
    mine = run(store.claim("w1", limit=10, lease_s=60))
    assert {d.transform for d in mine} == {"a", "b"} and [d.id for d in mine] == sorted(d.id for d in mine)
    assert all(d.claimed_by == "w1" and d.lease_until is not None and d.lease_until > time.time() for d in mine)
    assert run(store.claim("w2", limit=10, lease_s=60)) == []
    assert run(store.counts()) == {"pending": 2}  # claimed is still pending until settled


def test_claim_limit_takes_the_earliest_due(store: QueueStore) -> None:
    ids = [run(store.enqueue(event(n), [pending()])).delivery_ids[0] for n in range(5)]
    first = run(store.claim("w", limit=2, lease_s=60))
    rest = run(store.claim("w", limit=10, lease_s=60))
    assert [d.id for d in first] == ids[:2] and [d.id for d in rest] == ids[2:]


def test_concurrent_claims_never_share_a_delivery(opener: Opener) -> None:
    stores = [opener(), opener()]  # two instances on one queue
    run(stores[0].enqueue(event(0), [pending(f"t{i}") for i in range(60)]))

    async def race() -> list[list[int]]:
        claims = [s.claim(f"w{i}", limit=7, lease_s=60) for i in range(12) for s in stores]
        return [[d.id for d in got] for got in await asyncio.gather(*claims)]

    taken = [i for ids in run(race()) for i in ids]
    assert len(taken) == len(set(taken)) == 60


def test_expired_lease_lets_another_worker_take_over(opener: Opener) -> None:
    first, second = opener(), opener()
    run(first.enqueue(event(1), [pending()]))
    (d,) = run(first.claim("w1", limit=10, lease_s=-1))  # a lease that has already run out
    (taken,) = run(second.claim("w2", limit=10, lease_s=60))
    assert taken.id == d.id and taken.claimed_by == "w2"
    # The first worker's late ack must not override the new owner.
    run(first.ack("w1", [attempt(d.id)]))
    assert run(second.counts()) == {"pending": 1}
    run(second.ack("w2", [attempt(d.id)]))
    assert run(first.counts()) == {"delivered": 1}
    got = run(first.get(d.id))
    assert got is not None and got[0].delivered_at is not None and got[0].claimed_by is None
    assert len(got[1]) == 2  # both attempts happened and are on record


def test_exclude_destinations(store: QueueStore) -> None:
    run(store.enqueue(event(1), [pending("a"), pending("b", destination="crm")]))
    claimed = run(store.claim("w", limit=10, lease_s=60, exclude_destinations=["segment"]))
    assert [d.destination for d in claimed] == ["crm"]
    assert [d.destination for d in run(store.claim("w", limit=10, lease_s=60, exclude_destinations=[]))] == ["segment"]


def test_ack_settles_and_records_attempts(store: QueueStore) -> None:
    run(store.enqueue(event(1), [pending("a"), pending("b")]))
    a, b = run(store.claim("w", limit=10, lease_s=60))
    run(store.ack("w", [attempt(a.id, 3), attempt(b.id, 1)]))
    assert run(store.counts()) == {"delivered": 2}
    got = run(store.get(a.id))
    assert got is not None
    assert got[0].attempts == 3 and got[0].last_error is None
    assert [(x.attempt, x.outcome, x.status_code, x.duration_ms) for x in got[1]] == [(3, "delivered", 200, 1.5)]
    run(store.ack("w", []))  # nothing to settle is fine


def test_retry_later_dead_letter_and_requeue(store: QueueStore) -> None:
    run(store.enqueue(event(1), [pending("a"), pending("b")]))
    a, b = run(store.claim("w", limit=10, lease_s=60))
    later = time.time() + 3600
    run(store.retry_later("w", [attempt(a.id, outcome="retry", error="HTTP 500: x")], [later], ["HTTP 500"]))
    run(store.dead_letter("w", [attempt(b.id, outcome="dead", error="HTTP 400: bad")], ["HTTP 400: refused"]))
    assert run(store.claim("w", limit=10, lease_s=60)) == []  # not due yet
    assert run(store.next_due()) == pytest.approx(later)
    (dead,) = run(store.list(Filter(status="dead")))
    assert dead.id == b.id and dead.reason == "HTTP 400: refused" and dead.stage == "deliver"
    assert dead.last_error == "HTTP 400: bad" and dead.claimed_by is None
    got = run(store.get(a.id))
    assert got is not None and got[0].last_error == "HTTP 500" and got[0].attempts == 1 and got[0].claimed_by is None
    assert [x.outcome for x in got[1]] == ["retry"]
    assert run(store.requeue([b.id, a.id])) == 1  # only dead letters are requeued
    (again,) = run(store.claim("w", limit=10, lease_s=60))
    assert again.id == b.id and again.attempts == 0 and again.status == "pending"


def test_retry_later_of_a_lost_claim_changes_nothing(store: QueueStore) -> None:
    run(store.enqueue(event(1), [pending()]))
    (d,) = run(store.claim("w1", limit=1, lease_s=-1))
    run(store.claim("w2", limit=1, lease_s=60))
    run(store.retry_later("w1", [attempt(d.id, outcome="retry")], [time.time() + 3600], ["late"]))
    run(store.dead_letter("w1", [attempt(d.id, outcome="dead")], ["late"]))
    got = run(store.get(d.id))
    assert got is not None and got[0].claimed_by == "w2" and got[0].status == "pending" and got[0].last_error is None


def test_postpone_gives_a_claim_back_without_an_attempt(store: QueueStore) -> None:
    run(store.enqueue(event(1), [pending("a"), pending("b")]))
    a, b = run(store.claim("w", limit=10, lease_s=60))
    run(store.postpone("w", [a.id], time.time() - 1))
    run(store.postpone("w", [b.id], time.time() + 3600))
    run(store.postpone("other", [a.id, b.id], time.time() + 7200))  # not its claims: ignored
    (again,) = run(store.claim("w2", limit=10, lease_s=60))
    assert again.id == a.id and again.attempts == 0
    got = run(store.get(b.id))
    assert got is not None and got[0].claimed_by is None and got[0].attempts == 0 and got[1] == []


def test_replace_rewrites_only_dead_letters(store: QueueStore) -> None:
    ids = run(store.enqueue(event(1), [NewDelivery("a", "dead", stage="transform", reason="TypeError"), pending("b")])).delivery_ids
    fixed = pending("a", headers={"h": "v"}, logs='[{"level": "log", "message": "fixed"}]')
    run(store.replace(ids[0], fixed))
    run(store.replace(ids[1], NewDelivery("b", "dead", reason="must not apply")))
    a = run(store.get(ids[0]))[0]
    assert (a.status, a.stage, a.reason, a.attempts, a.headers, a.logs) == ("pending", None, None, 0, {"h": "v"}, fixed.logs)
    assert a.next_attempt_at <= time.time() + 1
    assert run(store.get(ids[1]))[0].status == "pending"
    assert {d.id for d in run(store.claim("w", limit=10, lease_s=60))} == set(ids)


def test_list_filters_and_limits(store: QueueStore) -> None:
    run(store.enqueue(event(1), [pending("a"), NewDelivery("b", "dead", stage="transform", reason="x")]))
    run(store.enqueue(event(2, "shop", "refund.succeeded"), [pending("a"), NewDelivery("c", "skipped", reason="y")]))
    def ids(**kw: Any) -> list[int]:
        return [d.id for d in run(store.list(Filter(**kw)))]

    everything = ids(limit=None)
    assert len(everything) == 4 and everything == sorted(everything)
    assert ids(limit=2) == everything[:2]
    assert ids(status="pending") == [everything[0], everything[2]]
    assert ids(endpoint="shop") == everything[2:]
    assert ids(transform="a", endpoint="default") == [everything[0]]
    assert ids(event_type="refund.succeeded", status="skipped") == [everything[3]]
    assert ids(stage="transform") == [everything[1]]
    assert ids(ids=[everything[3], everything[0], 10_000]) == [everything[0], everything[3]]
    assert ids(ids=[]) == []


def test_next_due_and_counts_on_an_empty_queue(store: QueueStore) -> None:
    assert run(store.next_due()) is None and run(store.counts()) == {}
    assert run(store.list(Filter())) == []


def test_oldest_pending_is_the_first_enqueued_still_pending(store: QueueStore) -> None:
    assert run(store.oldest_pending()) is None
    before = time.time()
    first = run(store.enqueue(event(1), [pending("a")])).delivery_ids
    time.sleep(0.01)
    run(store.enqueue(event(2), [pending("b"), NewDelivery("c", "skipped", reason="no url")]))
    oldest = run(store.oldest_pending())
    assert before <= oldest <= time.time()
    (a,) = run(store.claim("w", limit=1, lease_s=60))
    assert a.id == first[0] and run(store.oldest_pending()) == pytest.approx(a.created_at)  # claimed: still pending
    run(store.ack("w", [attempt(a.id)]))
    (b,) = run(store.list(Filter(status="pending")))
    assert run(store.oldest_pending()) == pytest.approx(b.created_at) and b.created_at > a.created_at
    (b,) = run(store.claim("w", limit=1, lease_s=60))
    run(store.dead_letter("w", [attempt(b.id, outcome="dead")], ["HTTP 400"]))
    assert run(store.oldest_pending()) is None  # delivered, dead and skipped ones do not count


def test_concurrent_enqueues_of_one_webhook_store_it_once(opener: Opener) -> None:
    """A provider retry racing the original on another instance: one wins, the rest are duplicates."""
    stores = [opener(), opener()]

    async def race() -> list[Any]:
        return await asyncio.gather(*(s.enqueue(event(7), [pending()]) for s in stores for _ in range(5)))

    results = run(race())
    assert sum(not r.duplicate for r in results) == 1
    assert len({r.event_id for r in results}) == 1
    assert run(stores[1].counts()) == {"pending": 1}


def test_a_second_store_sees_the_first_ones_writes(opener: Opener) -> None:
    writer = opener()
    (did,) = run(writer.enqueue(event(1), [pending()])).delivery_ids
    reader = opener()
    assert [d.id for d in run(reader.list(Filter()))] == [did]
    (d,) = run(reader.claim("r", limit=1, lease_s=60))
    run(reader.ack("r", [attempt(d.id)]))
    assert run(writer.counts()) == {"delivered": 1}


def test_data_survives_reopening(opener: Opener) -> None:
    first = opener()
    run(first.enqueue(event(1), [pending()]))
    first.close_sync()
    again = opener()
    assert run(again.counts()) == {"pending": 1}
    assert run(again.enqueue(event(1), [pending()])).duplicate


def test_calls_after_close_raise_store_errors(store: QueueStore) -> None:
    store.close_sync()
    store.close_sync()  # idempotent
    with pytest.raises(StoreError, match="closed"):
        run(store.counts())


def test_concurrent_writes_are_group_committed(store: QueueStore) -> None:
    async def burst() -> None:
        await asyncio.gather(*(store.enqueue(event(n), [pending()]) for n in range(300)))

    backend: Any = store  # every backend counts its commits; the protocol does not need to
    before = backend.commits
    run(burst())
    assert run(store.counts()) == {"pending": 300}
    assert backend.commits - before < 100  # 300 acceptances, far fewer commits


# --- retention: purge, and the counts tally -------------------------------------------------


def real_counts(store: QueueStore) -> dict[str, int]:
    """Deliveries by status from the rows themselves, to hold the tally (`counts`) against."""
    found: dict[str, int] = {}
    for d in run(store.list(Filter(limit=None))):
        found[d.status] = found.get(d.status, 0) + 1
    return found


def leftovers(target: Target) -> tuple[int, int]:
    """(events without any delivery, attempts of a delivery that is gone), read from the tables."""
    if isinstance(target, MemoryDatabase):
        used = {d.event_id for d in target.deliveries.values()}
        return len(set(target.events) - used), len(set(target.attempts) - set(target.deliveries))
    queries = ("SELECT count(*) FROM {p}events e WHERE NOT EXISTS (SELECT 1 FROM {p}deliveries d WHERE d.event_id = e.id)",
               "SELECT count(*) FROM {p}attempts a WHERE NOT EXISTS (SELECT 1 FROM {p}deliveries d WHERE d.id = a.delivery_id)")
    if isinstance(target, Path):
        import sqlite3

        with sqlite3.connect(target / "queue.sqlite3") as conn:
            out = tuple(conn.execute(q.format(p="")).fetchone()[0] for q in queries)
        conn.close()
    else:
        import psycopg

        with psycopg.connect(target) as pconn:
            out = tuple(pconn.execute(q.format(p="runner_")).fetchone()[0] for q in queries)  # type: ignore[index]
    return out[0], out[1]


def settle(store: QueueStore, outcome: str) -> int:
    """Claim one due delivery and settle it as delivered or dead, with an attempt; its id."""
    (d,) = run(store.claim("w", limit=1, lease_s=60))
    if outcome == "delivered":
        run(store.ack("w", [attempt(d.id)]))
    else:
        run(store.dead_letter("w", [attempt(d.id, outcome="dead", error="HTTP 400")], ["refused"]))
    return int(d.id)


def test_purge_removes_finished_deliveries_past_their_cutoff_with_attempts_and_events(store: QueueStore, target: Target) -> None:
    old = run(store.enqueue(event(1), [pending("a")]))  # one delivery: its event goes with it
    settle(store, "delivered")
    shared = run(store.enqueue(event(2), [pending("a"), NewDelivery("c", "cancelled", reason="cancel")]))
    settle(store, "delivered")
    run(store.enqueue(event(3), [pending("keep")]))  # pending: never purged, however old
    time.sleep(0.05)
    cutoff = time.time()
    time.sleep(0.05)
    run(store.enqueue(event(4), [NewDelivery("late", "cancelled", reason="cancel")]))  # newer than the cutoff

    assert run(store.purgeable({"delivered": cutoff, "cancelled": cutoff})) == {"delivered": 2, "cancelled": 1}
    purged = run(store.purge({"delivered": cutoff}, 100))
    assert purged.deliveries == {"delivered": 2} and purged.total == 2
    assert purged.events == 1  # event 1; event 2 keeps its cancelled delivery
    assert run(store.get(old.delivery_ids[0])) is None
    assert run(store.enqueue(event(1), [])).duplicate is False  # forgotten: a retry now would be new
    assert run(store.enqueue(event(2), [])).duplicate is True  # still has a delivery
    again = run(store.purge({"cancelled": cutoff, "delivered": cutoff}, 100))
    assert again.deliveries == {"cancelled": 1} and again.events == 1
    assert run(store.get(shared.delivery_ids[1])) is None
    assert {d.transform for d in run(store.list(Filter(limit=None)))} == {"keep", "late"}
    assert run(store.counts()) == real_counts(store) == {"pending": 1, "cancelled": 1}
    assert leftovers(target) == (1, 0)  # only the event enqueued again above with no deliveries
    with pytest.raises(ValueError, match="pending"):
        run(store.purge({"pending": time.time() + 60}, 100))


def test_purge_works_in_batches_oldest_first(store: QueueStore) -> None:
    for n in range(7):
        run(store.enqueue(event(n), [NewDelivery("t", "skipped", reason="no url")]))
        time.sleep(0.002)
    future = time.time() + 60
    first = run(store.purge({"skipped": future, "rejected": future}, 3))
    assert first.deliveries == {"skipped": 3} and first.events == 3
    assert [d.webhook_id for d in run(store.list(Filter(limit=None)))] == [f"msg_{n}" for n in range(3, 7)]
    assert run(store.purge({"skipped": future}, 3)).total == 3
    assert run(store.purge({"skipped": future}, 3)).total == 1
    assert run(store.purge({"skipped": future}, 3)).total == 0
    assert run(store.counts()) == {}


def test_counts_stay_equal_to_a_real_count_through_a_mixed_workload(opener: Opener, target: Target) -> None:
    a, b = opener(), opener()  # two instances on one queue
    for n in range(12):
        s = a if n % 2 else b
        run(s.enqueue(event(n), [pending("x"), pending("y"), NewDelivery("r", "rejected", reason="not a destination")]))
    for _ in range(6):
        settle(a, "delivered")
        settle(b, "dead")
    (retry,) = run(a.claim("w", limit=1, lease_s=60))
    run(a.retry_later("w", [attempt(retry.id, outcome="retry", error="HTTP 500")], [time.time()], ["HTTP 500"]))
    dead = [d.id for d in run(a.list(Filter(status="dead", limit=None)))]
    assert run(b.requeue(dead[:3])) == 3
    run(a.replace(dead[3], NewDelivery("y", "skipped", reason="no url")))
    run(a.replace(dead[4], pending("y")))
    assert run(a.counts()) == run(b.counts()) == real_counts(a)
    future = time.time() + 60

    async def racing() -> None:  # purges from both instances while a third keeps writing
        async def ingest() -> None:
            for n in range(100, 130):
                await a.enqueue(event(n), [pending("z"), NewDelivery("c", "cancelled", reason="cancel")])

        await asyncio.gather(ingest(), a.purge({"delivered": future, "cancelled": future, "rejected": future}, 5),
                             b.purge({"delivered": future, "cancelled": future, "rejected": future}, 7),
                             b.purge({"dead": future, "skipped": future}, 100))

    run(racing())
    assert run(a.counts()) == run(b.counts()) == real_counts(a)
    assert run(a.purge({s: future for s in ("delivered", "dead", "cancelled", "skipped", "rejected")}, 10_000)).total > 0
    counts = run(b.counts())
    assert counts == real_counts(a) and set(counts) == {"pending"}
    assert leftovers(target) == (0, 0)
