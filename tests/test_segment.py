"""Segment API rules: pure functions, so plain assertions."""

from __future__ import annotations

import json

import pytest

from runner import segment


def test_call_type() -> None:
    assert segment.call_type("https://api.segment.io/v1/track") == "track"
    assert segment.call_type("https://api.segment.io/v1/batch") == "batch"
    assert segment.call_type("https://api.segment.io/v2/track") is None
    assert segment.call_type("https://api.segment.io/v1/track/x") is None


@pytest.mark.parametrize("event", [{}, {"userId": "u"}, {"userId": "u", "name": "é ☃ \ud83d", "n": [1, {"a": None}]}])
def test_sent_at_is_added_without_a_parse_and_equals_a_reparse(event: dict[str, object]) -> None:
    raw = segment.dumps(segment.prepare(event, kind="track", message_id="m", library={"name": "runner"}))
    stamped = segment.with_sent_at(raw, "2025-01-01T00:00:00.000Z")
    again = json.loads(raw)
    again["sentAt"] = "2025-01-01T00:00:00.000Z"
    assert stamped == segment.dumps(again)
    assert segment.with_sent_at(b"{}", "x") == b'{"sentAt":"x"}'


def test_a_handlers_own_sent_at_is_replaced_not_duplicated() -> None:
    raw = segment.dumps(segment.prepare({"userId": "u", "sentAt": "1999"}, kind="identify", message_id="m", library={}))
    assert json.loads(segment.with_sent_at(raw, "2025"))["sentAt"] == "2025"
    assert segment.with_sent_at(raw, "2025").count(b"sentAt") == 1


def test_auth_header_has_the_colon() -> None:
    # base64("wk_123:")
    assert segment.auth_header("wk_123") == "Basic d2tfMTIzOg=="


def test_message_id_is_deterministic_and_short() -> None:
    a = segment.message_id("default", "msg_1", "payments")
    assert a == segment.message_id("default", "msg_1", "payments")
    assert a != segment.message_id("default", "msg_1", "identify")
    assert a != segment.message_id("other", "msg_1", "payments")
    assert len(a) < 100


@pytest.mark.parametrize(
    ("event", "kind", "needle"),
    [
        ({"event": "X"}, "track", "userId nor anonymousId"),
        ({"userId": "  ", "event": "X"}, "track", "userId nor anonymousId"),
        ({"userId": "u"}, "track", "'event'"),
        ({"userId": "u"}, "group", "'groupId'"),
        ({"userId": "u"}, "alias", "'previousId'"),
        ({"userId": "u", "event": "X", "messageId": "m" * 100}, "track", "messageId"),
        ({"userId": "u", "event": "X", "properties": {"blob": "x" * 33_000}}, "track", "over Segment's"),
        ([1, 2], "track", "JSON object"),
        ({"userId": "u"}, "purchase", "unknown Segment call type"),
    ],
)
def test_validate_rejects_what_segment_would_drop(event: object, kind: str, needle: str) -> None:
    with pytest.raises(segment.SegmentEventError, match=needle.replace("(", r"\(")):
        segment.validate(event, kind)


def test_validate_accepts_numbers_and_anonymous_ids() -> None:
    assert segment.validate({"userId": 42, "event": "X"}, "track")
    assert segment.validate({"anonymousId": "a"}, "identify")


def test_prepare_fills_in_but_keeps_the_handlers_choices() -> None:
    lib = {"name": "runner", "version": "1"}
    out = segment.prepare({"userId": "u", "event": "E"}, kind="track", message_id="m1", library=lib, timestamp="2025-01-01T00:00:00Z")
    assert out == {"userId": "u", "event": "E", "type": "track", "messageId": "m1",
                   "timestamp": "2025-01-01T00:00:00Z", "context": {"library": lib}}
    own = segment.prepare({"userId": "u", "messageId": "mine", "timestamp": "t", "context": {"ip": "1.2.3.4"}},
                          kind="identify", message_id="m1", library=lib, timestamp="x")
    assert own["messageId"] == "mine" and own["timestamp"] == "t"
    assert own["context"] == {"ip": "1.2.3.4", "library": lib}


def test_expand_batch_names_the_bad_item() -> None:
    good = {"type": "track", "userId": "u", "event": "E"}
    assert segment.expand_batch({"batch": [good]}) == [good]
    with pytest.raises(segment.SegmentEventError, match="batch item 1"):
        segment.expand_batch({"batch": [good, {"type": "track", "userId": "u"}]})
    with pytest.raises(segment.SegmentEventError, match="non-empty 'batch'"):
        segment.expand_batch({"batch": []})


def test_pack_respects_both_limits_and_keeps_every_event() -> None:
    events = [(i, segment.dumps({"userId": str(i), "event": "E", "pad": "x" * 1000})) for i in range(1200)]
    batches = segment.pack(events, sent_at_value="2025-01-01T00:00:00.000Z", max_bytes=100_000, max_events=50)
    assert [k for b in batches for k in b.ids] == list(range(1200))
    for b in batches:
        assert len(b.body) <= 100_000
        data = json.loads(b.body)
        assert len(data["batch"]) == len(b.ids) <= 50
        assert data["sentAt"] == "2025-01-01T00:00:00.000Z"
    by_bytes = segment.pack(events, sent_at_value="s", max_bytes=10_500)
    assert all(len(b.body) <= 10_500 for b in by_bytes)
    assert len(by_bytes) == 120  # 10 events of ~1 KB each fit


def test_pack_defaults_are_segments_limits() -> None:
    events = [(i, segment.dumps({"userId": "u", "event": "E"})) for i in range(6000)]
    batches = segment.pack(events, sent_at_value="s")
    assert [len(b.ids) for b in batches] == [2500, 2500, 1000]
    assert all(len(b.body) <= segment.MAX_BATCH_BYTES for b in batches)


@pytest.mark.parametrize(("status", "retry"), [(500, True), (502, True), (503, True), (501, False), (505, False),
                                               (408, True), (410, True), (429, True), (400, False), (401, False), (404, False)])
def test_retryable_statuses(status: int, retry: bool) -> None:
    assert segment.is_retryable(status) is retry


def test_retry_after_parsing() -> None:
    assert segment.retry_after_seconds("7") == 7.0
    assert segment.retry_after_seconds(None) is None
    assert segment.retry_after_seconds("soon") is None
    assert segment.retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 - 30) == 30.0
    assert segment.retry_after_seconds("-5") == 0.0
