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
