"""The wire shape: routing, planning, request building and retry rules of each destination type,
and the playground showing exactly what `runner serve` plans and sends."""

from __future__ import annotations

import json

import pytest

from runner import config as cfg
from runner import segment
from runner.delivery.destinations import Destinations, HttpDestination, SegmentDestination, Target
from runner.delivery.store import NewDelivery
from runner.engine import Outcome, Request
from runner.envelope import Envelope, fallback_webhook_id
from runner.errors import RouteRejected
from runner.playground.delivery import Target as PreviewTarget
from runner.playground.delivery import preview

STAMP = "2025-08-04T05:30:45.000Z"
ENVELOPE = Envelope('{"type":"payment.succeeded"}', "payment.succeeded", "2025-08-04T05:30:00Z")
TARGET = Target("default", "payments", "")


def configs(base_url: str | None = None) -> tuple[cfg.DestinationConfig, ...]:
    return (
        cfg.DestinationConfig("segment", "segment", segment.SEGMENT_HOSTS, base_url, "WK"),
        cfg.DestinationConfig("crm", "http", frozenset({"api.crm.example"}), None, None,
                              (("Authorization", cfg.Value(env="CRM_TOKEN", prefix="Bearer ")), ("X-Team", cfg.Value("a")))),
    )


def sent(url: str, payload: object, *, method: str = "POST", headers: dict[str, str] | None = None,
         raw: str | None = None) -> Outcome:
    return Outcome("sent", "payment.succeeded",
                   request=Request(url, method, headers or {}, raw if raw is not None else json.dumps(payload)))


def plan(outcome: Outcome, base_url: str | None = None) -> NewDelivery:
    return Destinations(configs(base_url)).plan(TARGET, "msg_1", ENVELOPE, outcome)


def test_routing_names_the_destination_and_the_call_type() -> None:
    dests = Destinations(configs())
    dest, kind = dests.route("https://events.eu1.segmentapis.com/v1/identify")
    assert isinstance(dest, SegmentDestination) and kind == "identify"
    dest, kind = dests.route("https://API.CRM.example/hooks", "PUT")
    assert isinstance(dest, HttpDestination) and kind is None
    for url, method, why in (("https://evil.example/x", "POST", "not a configured destination"),
                             ("https://api.crm.example/x", "DELETE", "method 'DELETE'"),
                             ("https://api.segment.io/v2/track", "POST", "not a Segment tracking API path"),
                             ("https://u:p@api.crm.example/", "POST", "carries credentials")):
        with pytest.raises(RouteRejected, match=why):
            dests.route(url, method)


def test_a_segment_plan_is_validated_filled_in_and_serialised_once() -> None:
    d = plan(sent("https://api.segment.io/v1/track", {"userId": "u", "event": "E", "sentAt": "old"}))
    assert d.status == "pending" and d.destination == "segment" and d.kind == "track"
    body = json.loads(d.body or "")
    assert body["messageId"] == d.message_id == segment.message_id("default", "msg_1", "payments")
    assert body["timestamp"] == ENVELOPE.timestamp and body["context"]["library"]["name"] == "runner"
    assert "sentAt" not in body  # stamped at each attempt
    assert d.body == segment.dumps(body).decode()  # compact: the bytes sent


def test_the_size_limit_applies_to_the_event_as_filled_in() -> None:
    # Under 32 KB as the handler wrote it, over once messageId, context and timestamp are added.
    pad = segment.MAX_EVENT_BYTES - len(json.dumps({"userId": "u", "event": "E", "p": ""}, separators=(",", ":"))) - 10
    d = plan(sent("https://api.segment.io/v1/track", {"userId": "u", "event": "E", "p": "x" * pad}))
    assert d.status == "dead" and d.stage == "validate" and "over Segment's 32768-byte limit" in (d.reason or "")


@pytest.mark.parametrize(("outcome", "status", "stage", "reason"), [
    (Outcome("cancelled", "x"), "cancelled", None, "cancel = true"),
    (sent("https://example.invalid/webhook", {}), "skipped", None, "no destination"),
    (sent("https://evil.example/", {}), "rejected", "route", "not a configured destination"),
    (sent("https://api.segment.io/v1/track", {"event": "E"}), "dead", "validate", "neither userId nor anonymousId"),
    (sent("https://api.segment.io/v1/batch", {"batch": [{"type": "track", "userId": "u"}]}), "dead", "validate",
     "batch item 0: Segment track event has no 'event'"),
    (sent("https://api.segment.io/v1/track", None, raw="not json"), "dead", "validate", "could not be prepared"),
])
def test_every_outcome_is_planned_and_planning_never_raises(outcome: Outcome, status: str, stage: str | None,
                                                             reason: str) -> None:
    d = plan(outcome)
    assert (d.status, d.stage) == (status, stage) and reason in (d.reason or "")


def stored(d: NewDelivery, key: int) -> NewDelivery:
    """A planned delivery as a stored one would carry it (the requests keep each item's identity)."""
    return NewDelivery(**{**d.__dict__, "transform": f"t{key}"})


def test_segment_requests_batch_per_base_url_and_stamp_sent_at() -> None:
    dests = Destinations(configs())
    track = [stored(plan(sent("https://api.segment.io/v1/track", {"userId": f"u{i}", "event": "E"})), i) for i in range(3)]
    eu = stored(plan(sent("https://events.eu1.segmentapis.com/v1/identify", {"userId": "u"})), 9)
    built = dests.requests([*track, eu], {"WK": "wk_1"}, STAMP)
    assert built.orphans == built.unsendable == []
    requests = built.requests
    by_url = {r.url: r for r in requests}
    assert set(by_url) == {"https://api.segment.io/v1/batch", "https://events.eu1.segmentapis.com/v1/identify"}
    batch = json.loads(by_url["https://api.segment.io/v1/batch"].body)
    assert [e["userId"] for e in batch["batch"]] == ["u0", "u1", "u2"] and batch["sentAt"] == STAMP
    single = by_url["https://events.eu1.segmentapis.com/v1/identify"]
    assert json.loads(single.body)["sentAt"] == STAMP and single.items == (eu,)
    assert single.headers["authorization"] == segment.auth_header("wk_1")


def test_base_url_replaces_scheme_and_host_and_keeps_its_path() -> None:
    dests = Destinations(configs("https://collector.example/seg/"))
    d = stored(plan(sent("https://events.eu1.segmentapis.com/v1/track", {"userId": "u", "event": "E"}),
                    "https://collector.example/seg/"), 1)
    (request,) = dests.requests([d], {}, STAMP).requests
    assert request.url == "https://collector.example/seg/v1/track"
    assert "authorization" not in request.headers  # no write key set: nothing made up


def test_http_requests_merge_the_destinations_headers_under_the_handlers() -> None:
    dests = Destinations(configs())
    d = plan(sent("https://api.crm.example/hook", {"a": 1}, method="PUT", headers={"X-Team": "b"}))
    (request,) = dests.requests([d], {"CRM_TOKEN": "tok"}, STAMP).requests
    assert (request.method, request.url) == ("PUT", "https://api.crm.example/hook")
    assert request.headers["authorization"] == "Bearer tok" and request.headers["x-team"] == "b"
    assert json.loads(request.body) == {"a": 1}  # the handler's body, as it wrote it


def test_a_delivery_whose_destination_left_the_config_is_an_orphan() -> None:
    d = NewDelivery("t", "pending", destination="gone", url="https://x.example/", body="{}")
    built = Destinations(configs()).requests([d], {}, STAMP)
    assert (built.requests, built.orphans, built.unsendable) == ([], [d], [])


def test_what_is_retried_is_each_destinations_rule() -> None:
    seg, crm = Destinations(configs()).all
    assert seg.retryable(410) and not seg.retryable(501) and seg.retryable(503)
    assert not crm.retryable(410) and crm.retryable(501) and crm.retryable(429)


@pytest.mark.parametrize("url", ["https://api.segment.io/v1/track", "https://api.segment.io/v1/batch"])
def test_the_playground_shows_what_serve_plans_and_sends(url: str) -> None:
    payload = {"userId": "u", "event": "E"} if url.endswith("track") else {"batch": [{"type": "track", "userId": "u", "event": "E"}]}
    outcome = sent(url, payload)
    webhook_id = fallback_webhook_id(ENVELOPE.text)
    planned = Destinations(configs("http://127.0.0.1:9")).plan(TARGET, webhook_id, ENVELOPE, outcome)
    (wire,) = Destinations(configs("http://127.0.0.1:9")).requests([planned], {"WK": "wk_1"}, STAMP).requests
    shown = preview(outcome, target=PreviewTarget(configs("http://127.0.0.1:9"), {"WK": "wk_1"}), webhook_id=webhook_id,
                    transform="payments", transform_url="", envelope=ENVELOPE, sent_at=STAMP)
    assert shown.status == "pending" and shown.url == wire.url and shown.body == json.loads(wire.body)
    assert shown.message_id == planned.message_id
    assert {h.name for h in shown.headers} == set(wire.headers)
    assert "wk_1" not in json.dumps([h.value for h in shown.headers])  # the write key is never shown


def test_a_rejected_url_is_stored_without_its_credentials() -> None:
    d = plan(sent("https://user:pw@api.crm.example:8443/hook?x=1", {}))
    assert d.status == "rejected" and d.url == "https://api.crm.example:8443/hook?x=1"
    assert "pw" not in (d.reason or "") and "api.crm.example" in (d.reason or "")
