"""Pipeline: outcomes become deliveries (fake engine at the seam, and the real engine)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from runner import config as cfg
from runner.delivery.sqlite import SQLiteStore
from runner.delivery.store import Filter
from runner.engine import Engine, Outcome
from runner.engine.threaded import ThreadedEngine
from runner.envelope import Envelope
from runner.errors import EnvelopeError, UnknownEndpoint
from runner.pipeline import Pipeline
from runner.server.service import pipeline_for
from tests.support.fake_engine import FakeEngine, fails, sends
from tests.support.serve import TRANSFORMS, payment_event

CONFIG = """\
destinations:
  segment: {type: segment, write_key_env: WK}
  crm:
    type: http
    hosts: [api.crm.example]
endpoints:
  default:
    transforms:
      a: {file: transforms/segment-track-payments.js}
"""


@pytest.fixture
def store(tmp_path: Path):
    s = SQLiteStore.in_dir(tmp_path)
    yield s
    s.close_sync()


def accept(pipeline: Pipeline, envelope: dict, webhook_id: str = "msg_1"):  # type: ignore[no-untyped-def]
    return asyncio.run(pipeline.accept("default", webhook_id, Envelope.parse(json.dumps(envelope))))


def pipeline_with(store: SQLiteStore, outcome: Outcome) -> Pipeline:
    config = cfg.parse(CONFIG, base_dir=TRANSFORMS.parent)
    fake = FakeEngine(lambda env, url, e: outcome)
    return pipeline_for(config, store, lambda limits: ThreadedEngine(lambda: fake), environ={})


@pytest.mark.parametrize(
    ("outcome", "status", "reason"),
    [
        (sends("https://api.segment.io/v1/track", {"userId": "u", "event": "E"}), "pending", None),
        (sends("https://api.crm.example/hook", {"any": "thing"}), "pending", None),
        (sends("https://evil.example/steal", {"userId": "u"}), "rejected", "not a configured destination"),
        (sends("http://127.0.0.1:22/", {"userId": "u"}), "rejected", "not a configured destination"),
        (sends("https://user:pw@api.crm.example/", {}), "rejected", "carries credentials"),
        (sends("https://api.segment.io/v1/nope", {"userId": "u"}), "rejected", "not a Segment tracking API path"),
        (sends("https://api.crm.example/hook", {}, method="DELETE"), "rejected", "method 'DELETE'"),
        (sends("https://api.segment.io/v1/track", {"event": "E"}), "dead", "neither userId nor anonymousId"),
        (sends("https://api.segment.io/v1/track", {"userId": "u"}), "dead", "no 'event'"),
        (Outcome("cancelled", "payment.succeeded"), "cancelled", "cancel = true"),
        (fails("p is undefined"), "dead", "TypeError: p is undefined (line 3, column 7)"),
    ],
)
def test_outcomes_become_deliveries(store: SQLiteStore, outcome: Outcome, status: str, reason: str | None) -> None:
    p = pipeline_with(store, outcome)
    result = accept(p, payment_event(1))
    assert result.results[0][1] == status
    (d,) = asyncio.run(store.list(Filter()))
    assert d.status == status
    if reason:
        assert reason in (d.reason or "")
    else:
        assert d.reason is None


def test_segment_events_get_message_id_context_and_timestamp(store: SQLiteStore) -> None:
    p = pipeline_with(store, sends("https://api.segment.io/v1/track", {"userId": "u", "event": "E"}))
    accept(p, payment_event(1), webhook_id="msg_a")
    (d,) = asyncio.run(store.list(Filter()))
    body = json.loads(d.body or "")
    assert body["messageId"] == d.message_id and d.message_id.startswith("runner-")
    assert body["type"] == "track" and body["context"]["library"]["name"] == "runner"
    assert body["timestamp"] == payment_event(1)["timestamp"]


def test_transform_errors_keep_the_handler_logs(store: SQLiteStore) -> None:
    p = pipeline_with(store, fails())
    accept(p, payment_event(1))
    (d,) = asyncio.run(store.list(Filter()))
    assert d.stage == "transform" and json.loads(d.logs) == [{"level": "error", "message": "about to fail"}]


def test_duplicates_are_not_transformed_again(store: SQLiteStore) -> None:
    engine = FakeEngine(lambda env, url, e: sends("https://api.segment.io/v1/track", {"userId": "u", "event": "E"}))
    config = cfg.parse(CONFIG, base_dir=TRANSFORMS.parent)
    p = pipeline_for(config, store, lambda limits: ThreadedEngine(lambda: engine), environ={})
    assert not accept(p, payment_event(1), "msg_1").duplicate
    assert accept(p, payment_event(1), "msg_1").duplicate
    assert len(engine.calls) == 1
    # A fresh pipeline (a restart) has forgotten, but the store has not.
    p2 = pipeline_for(config, store, lambda limits: ThreadedEngine(lambda: engine), environ={})
    assert accept(p2, payment_event(1), "msg_1").duplicate
    assert asyncio.run(store.counts()) == {"pending": 1}


def test_unknown_endpoint_and_envelopes() -> None:
    with pytest.raises(EnvelopeError, match="not valid UTF-8 JSON"):
        Envelope.parse(b"{nope")
    with pytest.raises(EnvelopeError, match="not a JSON object"):
        Envelope.parse(b"[1]")
    with pytest.raises(EnvelopeError, match="no 'type'"):
        Envelope.parse(b'{"data": {}}')
    assert Envelope.parse(b'{"type": "x", "timestamp": "2025-01-01T00:00:00Z"}') == Envelope(
        '{"type": "x", "timestamp": "2025-01-01T00:00:00Z"}', "x", "2025-01-01T00:00:00Z")
    assert Envelope.parse(b'{"timestamp": 5}', require_event_type=False) == Envelope('{"timestamp": 5}', None, None)


def test_unknown_endpoint(store: SQLiteStore) -> None:
    p = pipeline_with(store, Outcome("cancelled", "x"))
    with pytest.raises(UnknownEndpoint, match="no endpoint named 'nope'"):
        asyncio.run(p.accept("nope", "m", Envelope('{"type": "x"}', "x")))


def test_real_engine_with_the_seed_transforms(store: SQLiteStore, tmp_path: Path) -> None:
    config = cfg.simple(sorted(TRANSFORMS.glob("segment-*.js")), data_dir=tmp_path)
    engines: list[Engine] = []

    def engine_for(limits):  # type: ignore[no-untyped-def]
        def make() -> Engine:  # an Engine belongs to one thread
            engines.append(Engine(limits=limits))
            return engines[-1]
        return ThreadedEngine(make)

    p = pipeline_for(config, store, engine_for, environ={})
    result = accept(p, payment_event(7))
    statuses = dict((name, status) for name, status, _ in result.results)
    assert statuses == {"segment-identify-customers": "pending", "segment-track-payments": "pending",
                        "segment-track-subscriptions": "skipped"}
    bodies = {d.transform: json.loads(d.body or "{}") for d in asyncio.run(store.list(Filter(status="pending")))}
    assert bodies["segment-track-payments"]["event"] == "Payment Completed"
    assert bodies["segment-track-payments"]["userId"] == "cus_000007"
    assert bodies["segment-identify-customers"]["type"] == "identify"
    for e in engines:
        e.close()


def test_each_transform_runs_with_its_own_locale_and_time_zone(store: SQLiteStore, tmp_path: Path) -> None:
    handler = tmp_path / "dates.js"
    handler.write_text("function handler(w) {\n  w.url = 'https://api.segment.io/v1/track';\n"
                       "  w.payload = {userId: 'u', event: new Date(w.payload.timestamp).toLocaleString()};\n"
                       "  return w;\n}\n")
    config = cfg.parse(f"""\
endpoints:
  default:
    transforms:
      us: {{file: {handler}}}
      de: {{file: {handler}, locale: de-DE, time_zone: Europe/Berlin}}
      in: {{file: {handler}, locale: en-IN, time_zone: Asia/Kolkata}}
""", base_dir=tmp_path)
    engines: list[Engine] = []

    def engine_for(limits):  # type: ignore[no-untyped-def]
        def make() -> Engine:
            engines.append(Engine(limits=limits))
            return engines[-1]
        return ThreadedEngine(make)

    p = pipeline_for(config, store, engine_for, environ={})
    envelope = payment_event(3)
    envelope["timestamp"] = "2025-07-23T12:01:51.123456Z"
    accept(p, envelope)
    events = {d.transform: json.loads(d.body or "{}")["event"] for d in asyncio.run(store.list(Filter(status="pending")))}
    assert events == {"us": "7/23/2025, 12:01:51 PM", "de": "23.7.2025, 14:01:51", "in": "23/7/2025, 5:31:51 pm"}
    for e in engines:
        e.close()
