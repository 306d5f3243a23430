"""The delivery worker against a real HTTP stand-in for Segment that fails on command."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from runner import config as cfg
from runner import segment
from runner.delivery.destinations import Destinations
from runner.delivery.dispatcher import Dispatcher
from runner.delivery.retry import RetryPolicy
from runner.delivery.sqlite import SQLiteStore
from runner.delivery.store import Filter, NewDelivery, NewEvent, StoreError
from runner.redact import Redactor
from tests.support.segment_standin import SegmentStandin

FAST = RetryPolicy(max_attempts=4, initial_backoff_s=0.05, max_backoff_s=0.2)


@pytest.fixture
def standin() -> Iterator[SegmentStandin]:
    with SegmentStandin() as s:
        yield s


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    s = SQLiteStore.in_dir(tmp_path)
    yield s
    s.close_sync()


def destinations(base_url: str) -> list[cfg.DestinationConfig]:
    return [
        cfg.DestinationConfig("segment", "segment", segment.SEGMENT_HOSTS, base_url, "WK"),
        cfg.DestinationConfig("crm", "http", frozenset({"127.0.0.1"}), None, None,
                              (("Authorization", cfg.Value(env="CRM_TOKEN", prefix="Bearer ")),), allow_private=True),
    ]


def add(store: SQLiteStore, n: int, *, kind: str = "track", start: int = 0) -> None:
    async def go() -> None:
        for i in range(start, start + n):
            body = {"userId": f"u{i}", "event": "E", "type": kind, "messageId": f"mid-{i}"}
            await store.enqueue(
                NewEvent("default", f"msg_{i}", "payment.succeeded", "{}", time.time()),
                [NewDelivery("t", "pending", "segment", f"https://api.segment.io/v1/{kind}", "POST", {},
                             json.dumps(body), kind, f"mid-{i}")])
    asyncio.run(go())


def deliver(store: SQLiteStore, router_base: str, *, until: int, timeout_s: float = 10.0,
            policy: RetryPolicy = FAST, client_timeout_s: float = 5.0, **kw: object) -> None:
    """Run a dispatcher until `until` deliveries are settled (delivered or dead)."""
    async def go() -> None:
        d = Dispatcher(store, Destinations(destinations(router_base)), environ={"WK": "wk_test", "CRM_TOKEN": "tok"},
                       policy=policy, idle_poll_s=0.02, timeout_s=client_timeout_s, **kw)  # type: ignore[arg-type]
        task = asyncio.create_task(d.run())
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            counts = await store.counts()
            if counts.get("delivered", 0) + counts.get("dead", 0) >= until:
                break
            await asyncio.sleep(0.02)
        d.stop()
        await task
    asyncio.run(go())


def test_pending_events_go_in_one_batch_with_auth_and_sent_at(store: SQLiteStore, standin: SegmentStandin) -> None:
    add(store, 30)
    deliver(store, standin.url, until=30)
    (request,) = standin.requests
    assert request.path == "/v1/batch" and request.write_key == "wk_test"
    body = request.json()
    assert len(body["batch"]) == 30 and body["sentAt"].endswith("Z")
    assert standin.message_ids() == {f"mid-{i}": 1 for i in range(30)}
    assert asyncio.run(store.counts()) == {"delivered": 30}


def test_a_lone_event_goes_to_its_own_endpoint(store: SQLiteStore, standin: SegmentStandin) -> None:
    add(store, 1, kind="identify")
    deliver(store, standin.url, until=1)
    (request,) = standin.requests
    assert request.path == "/v1/identify" and "sentAt" in request.json()


def test_5xx_and_dropped_connections_are_retried_with_the_same_message_id(store: SQLiteStore, standin: SegmentStandin) -> None:
    standin.fail(2, status=503)
    standin.fail(1, drop=True)
    add(store, 3)
    deliver(store, standin.url, until=3)
    assert [r.answered for r in standin.requests] == [503, 503, None, 200]
    ids = [sorted(e["messageId"] for e in r.json()["batch"]) for r in standin.requests]
    assert all(i == ids[0] for i in ids)  # every attempt carries the same messageIds
    (d, attempts, _) = asyncio.run(store.get(1))  # type: ignore[misc]
    assert d.status == "delivered" and [a.outcome for a in attempts] == ["retry", "retry", "retry", "delivered"]
    assert attempts[2].status_code is None and "RemoteProtocolError" in (attempts[2].error or "")


def test_429_retry_after_is_honoured(store: SQLiteStore, standin: SegmentStandin) -> None:
    standin.fail(1, status=429, retry_after=1)
    add(store, 2)
    deliver(store, standin.url, until=2)
    first, second = standin.requests
    assert first.answered == 429 and second.answered == 200
    assert second.at - first.at >= 0.95


def test_a_slow_response_times_out_and_segment_dedupes_the_second_copy(store: SQLiteStore, standin: SegmentStandin) -> None:
    standin.fail(1, status=200, delay_s=1.5)  # answers 200, but after the client gave up
    add(store, 2)
    deliver(store, standin.url, until=2, client_timeout_s=0.5)
    standin.wait_for_requests(2, timeout=5)  # the slow copy is recorded once its delay is over
    counts = standin.message_ids()
    assert set(counts) == {"mid-0", "mid-1"}
    assert all(n == 2 for n in counts.values())  # delivered twice, same messageId: Segment keeps one
    (_d, attempts, _) = asyncio.run(store.get(1))  # type: ignore[misc]
    assert "Timeout" in (attempts[0].error or "")


def test_4xx_is_a_dead_letter_without_retry(store: SQLiteStore, standin: SegmentStandin) -> None:
    standin.fail(1, status=400)
    add(store, 2)
    deliver(store, standin.url, until=2)
    assert len(standin.requests) == 1
    dead = asyncio.run(store.list(Filter(status="dead")))
    assert len(dead) == 2 and all("HTTP 400" in (d.reason or "") for d in dead)


def test_a_failure_body_quoting_a_secret_is_masked_before_it_is_cut(store: SQLiteStore) -> None:
    secret = "sk_live_" + "s" * 40
    echo = "x" * 180 + secret + " (your token)"  # the secret straddles the 200 characters kept
    client = httpx.AsyncClient(transport=httpx.MockTransport(lambda request: httpx.Response(400, text=echo)))
    add(store, 1)
    deliver(store, "http://127.0.0.1:9", until=1, client=client, redact=Redactor([secret]).redact)
    (d,) = asyncio.run(store.list(Filter(status="dead")))
    (_d, attempts, _) = asyncio.run(store.get(d.id))  # type: ignore[misc]
    for text in (d.reason or "", attempts[0].error or ""):
        assert text.startswith("HTTP 400: " + "x" * 180) and "sk_live_" not in text and "ssss" not in text


def test_budget_spent_becomes_a_dead_letter(store: SQLiteStore, standin: SegmentStandin) -> None:
    standin.fail(10, status=500)
    add(store, 1)
    deliver(store, standin.url, until=1, policy=RetryPolicy(max_attempts=3, initial_backoff_s=0.02))
    assert len(standin.requests) == 3
    (d,) = asyncio.run(store.list(Filter(status="dead")))
    assert "gave up after 3 attempts" in (d.reason or "")


def test_large_backlogs_are_split_under_segment_limits(store: SQLiteStore, standin: SegmentStandin) -> None:
    add(store, 3000)
    deliver(store, standin.url, until=3000, timeout_s=30)
    assert all(r.path == "/v1/batch" and len(r.body) <= segment.MAX_BATCH_BYTES for r in standin.requests)
    assert all(len(r.json()["batch"]) <= segment.MAX_BATCH_EVENTS for r in standin.requests)
    assert len(standin.message_ids()) == 3000 and max(standin.message_ids().values()) == 1


def test_http_destination_gets_configured_and_handler_headers(store: SQLiteStore, standin: SegmentStandin) -> None:
    async def go() -> None:
        await store.enqueue(NewEvent("default", "m", "x", "{}", time.time()), [
            NewDelivery("t", "pending", "crm", standin.url + "/hook", "PUT", {"X-Handler": "yes"}, '{"a": 1}')])
    asyncio.run(go())
    deliver(store, standin.url, until=1)
    (r,) = standin.requests
    assert r.path == "/hook" and r.headers["authorization"] == "Bearer tok" and r.headers["x-handler"] == "yes"
    assert r.json() == {"a": 1}


def test_mock_transport_seam(store: SQLiteStore) -> None:
    """Fast unit check of the request the dispatcher builds, at the httpx transport seam."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"success": True})

    add(store, 2)
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    deliver(store, "https://events.eu1.segmentapis.com", until=2, client=client)
    (request,) = seen
    assert str(request.url) == "https://events.eu1.segmentapis.com/v1/batch"
    assert request.headers["authorization"] == segment.auth_header("wk_test")


class _FlakyClaims:
    """The real store, whose first claims fail as a database restart would make them."""

    def __init__(self, store: SQLiteStore, failures: int) -> None:
        self._store = store
        self.failures = failures

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)

    async def claim(self, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self.failures:
            self.failures -= 1
            raise StoreError("the queue database is unavailable (simulated restart)")
        return await self._store.claim(*args, **kwargs)  # type: ignore[arg-type]


def test_delivery_resumes_after_the_queue_was_unavailable(store: SQLiteStore, standin: SegmentStandin) -> None:
    add(store, 3)
    flaky = _FlakyClaims(store, failures=3)
    deliver(flaky, standin.url, until=3)  # type: ignore[arg-type]
    assert flaky.failures == 0
    assert asyncio.run(store.counts()).get("delivered") == 3


def test_a_row_no_request_can_carry_is_a_dead_letter_and_the_rest_still_go(store: SQLiteStore,
                                                                          standin: SegmentStandin) -> None:
    # A row this runner did not plan (edited by hand, or queued for an http destination that
    # became a segment one): packed into the batch it would have Segment refuse every event.
    add(store, 3)
    asyncio.run(store.enqueue(NewEvent("default", "msg_bad", "payment.succeeded", "{}", time.time()),
                              [NewDelivery("t", "pending", "segment", "https://api.segment.io/v1/track", "POST", {},
                                           "[1, 2]", "track", "mid-bad")]))
    deliver(store, standin.url, until=4)
    assert standin.message_ids() == {"mid-0": 1, "mid-1": 1, "mid-2": 1}
    (bad,) = asyncio.run(store.list(Filter(status="dead")))
    assert bad.webhook_id == "msg_bad" and "not a Segment event" in (bad.reason or "")


class Recorder:
    """An `Observer` that keeps what it is told."""

    def __init__(self) -> None:
        self.outcomes: list[tuple[str, str, int]] = []
        self.acked: list[tuple[str, list[float]]] = []

    def transformed(self, endpoint: str, transform: str, status: str, seconds: float) -> None:
        pass

    def sent(self, destination: str, outcome: str, count: int, seconds: float) -> None:
        self.outcomes.append((destination, outcome, count))

    def acknowledged(self, destination: str, ages_s: list[float]) -> None:
        self.acked.append((destination, list(ages_s)))


def test_a_batch_is_one_log_line_and_each_ack_reports_its_age(store: SQLiteStore, standin: SegmentStandin,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    add(store, 30)
    observer = Recorder()
    with caplog.at_level("INFO", logger="runner.delivery"):
        deliver(store, standin.url, until=30, observer=observer)
    assert len(standin.requests) == 1 and observer.outcomes == [("segment", "delivered", 30)]
    ((name, ages),) = observer.acked
    assert name == "segment" and len(ages) == 30 and all(0 <= a < 10 for a in ages)
    (line,) = [r for r in caplog.records if r.getMessage() == "delivery.delivered"]
    assert (line.destination, line.count, line.status) == ("segment", 30, 200)  # type: ignore[attr-defined]
    assert len(line.ids) == 20 and line.duration_ms > 0  # type: ignore[attr-defined]
