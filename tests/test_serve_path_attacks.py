"""Attacks on the serve path's wire shape: what `Destinations.plan` stores and `requests` sends
must be what Segment accepts, for bodies queued by this version and by the one before it; no
result reaches a host it was not routed to; secrets stay out of log lines."""

from __future__ import annotations

import io
import json
import logging
import random
import string

import httpx
import pytest

from runner import config as cfg
from runner import segment
from runner.delivery.destinations import Destinations, Target
from runner.delivery.store import NewDelivery
from runner.engine import Outcome, Request
from runner.envelope import Envelope
from runner.server import logs

STAMP = "2025-08-04T05:30:45.000Z"
ENVELOPE = Envelope('{"type":"payment.succeeded"}', "payment.succeeded", "2025-08-04T05:30:00Z")
TARGET = Target("default", "payments", "")
CRM_HOSTS = frozenset({"api.crm.example", "api.other.example:8443"})


def destinations() -> Destinations:
    return Destinations((
        cfg.DestinationConfig("segment", "segment", segment.SEGMENT_HOSTS, None, "WK"),
        cfg.DestinationConfig("crm", "http", CRM_HOSTS, None, None),
    ))


def plan(url: str, body: str, dests: Destinations | None = None) -> NewDelivery:
    outcome = Outcome("sent", "payment.succeeded", request=Request(url, "POST", {}, body))
    return (dests or destinations()).plan(TARGET, "msg_1", ENVELOPE, outcome)


def top_level_keys(raw: bytes) -> list[str]:
    keys: list[str] = []

    def hook(pairs: list[tuple[str, object]]) -> dict[str, object]:
        keys[:] = [k for k, _ in pairs]  # the outermost object is decoded last
        return dict(pairs)

    json.loads(raw, object_pairs_hook=hook)
    return keys


# --- sentAt ----------------------------------------------------------------------------------


def test_a_body_queued_by_the_previous_version_is_sent_with_one_sent_at() -> None:
    # Before the redesign `prepare` kept a handler's own sentAt in the stored body; after an
    # upgrade such bodies are still in the queue. Appending would send the key twice.
    stored = ('{"userId":"u","event":"E","sentAt":"2020-01-01","type":"track","messageId":"m",'
              '"timestamp":"2025-08-04T05:30:00Z","context":{"library":{"name":"runner","version":"0"}}}')
    item = NewDelivery("payments", "pending", "segment", "https://api.segment.io/v1/track", "POST", {}, stored, "track")
    built = destinations().requests([item], {"WK": "k"}, STAMP)
    (wire,), orphans = built.requests, built.orphans
    assert not orphans
    assert top_level_keys(wire.body).count("sentAt") == 1
    assert json.loads(wire.body) == {**json.loads(stored), "sentAt": STAMP}


@pytest.mark.parametrize("event", [
    {"userId": "u", "event": "E", "s": "}"},
    {"userId": "u", "event": "E", "properties": {"sentAt": "nested, kept", "x": {"y": {}}}},
    {"userId": "u", "event": "E", "s": '"sentAt":"x"}'},
    {"userId": "u", "event": "E", "sentAt": "the handler's, dropped"},
    {"userId": "u\ud83d", "event": "E \u2028 ☃"},
])
def test_the_stamped_body_equals_a_reparse_of_what_plan_stored(event: dict[str, object]) -> None:
    d = plan("https://api.segment.io/v1/track", json.dumps(event))
    assert d.status == "pending"
    (wire,) = destinations().requests([d], {}, STAMP).requests
    expected = json.loads(d.body or "")
    expected.pop("sentAt", None)
    expected["sentAt"] = STAMP
    assert wire.body == segment.dumps(expected)
    assert top_level_keys(wire.body).count("sentAt") == 1


def test_with_sent_at_equals_a_reparse_on_random_prepared_events() -> None:
    rnd = random.Random(20250804)
    alphabet = string.ascii_letters + '{}[]",:\\ \n/é☃😀' + "\x00\x1f"

    def text() -> str:
        return "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 10)))

    def value(depth: int = 0) -> object:
        r = rnd.random()
        if depth > 3 or r < 0.4:
            return rnd.choice([None, True, 0, -1.5, 10**20, text(), "}", "sentAt"])
        if r < 0.7:
            return [value(depth + 1) for _ in range(rnd.randint(0, 3))]
        return {rnd.choice([text(), "sentAt", "}"]): value(depth + 1) for _ in range(rnd.randint(0, 3))}

    for _ in range(2000):
        event = {text(): value() for _ in range(rnd.randint(0, 4))}
        if rnd.random() < 0.3:
            event["sentAt"] = value()
        raw = segment.dumps(segment.prepare(event, kind="track", message_id="m", library={"name": "runner"}))
        again = json.loads(raw)
        again["sentAt"] = STAMP
        assert segment.with_sent_at(raw, STAMP) == segment.dumps(again)


# --- Segment's size limits, on the bytes as sent -----------------------------------------------


def _track_of_size(size: int) -> NewDelivery:
    """A planned track event whose stored body is `size` bytes."""
    def padded(n: int) -> NewDelivery:
        return plan("https://api.segment.io/v1/track", json.dumps({"userId": "u", "event": "E", "p": "x" * n}))
    empty = len((padded(0).body or "").encode())
    return padded(size - empty)


def test_a_single_event_is_checked_with_the_sent_at_it_is_sent_with() -> None:
    fits = _track_of_size(segment.MAX_EVENT_BYTES - segment.SENT_AT_BYTES)
    assert fits.status == "pending"
    (wire,) = destinations().requests([fits], {}, STAMP).requests
    assert len(wire.body) == segment.MAX_EVENT_BYTES  # exactly at the limit on the wire
    over = _track_of_size(segment.MAX_EVENT_BYTES - segment.SENT_AT_BYTES + 1)
    assert over.status == "dead" and over.stage == "validate"
    assert "over Segment's 32768-byte limit" in (over.reason or "")


def test_a_handler_batch_over_segments_batch_limits_is_a_dead_letter() -> None:
    many = {"batch": [{"type": "identify", "userId": f"u{i}"} for i in range(segment.MAX_BATCH_EVENTS + 1)]}
    d = plan("https://api.segment.io/v1/batch", json.dumps(many))
    assert d.status == "dead" and d.stage == "validate" and "at most 2500 events" in (d.reason or "")
    big = {"batch": [{"type": "identify", "userId": "u", "p": "x" * 30_000} for _ in range(20)]}
    d = plan("https://api.segment.io/v1/batch", json.dumps(big))
    assert d.status == "dead" and f"over Segment's {segment.MAX_BATCH_BYTES}-byte limit" in (d.reason or "")
    ok = {"batch": [{"type": "identify", "userId": f"u{i}"} for i in range(segment.MAX_BATCH_EVENTS)]}
    d = plan("https://api.segment.io/v1/batch", json.dumps(ok))
    assert d.status == "pending"
    (wire,) = destinations().requests([d], {}, STAMP).requests
    assert len(wire.body) <= segment.MAX_BATCH_BYTES and len(json.loads(wire.body)["batch"]) == segment.MAX_BATCH_EVENTS


# --- no open relay -----------------------------------------------------------------------------

_HEADS = ["https://api.crm.example", "https://API.crm.example", "https://evil.example@api.crm.example",
          "https://evil.example\\@api.crm.example", "https://api.other.example", "https://api.segment.io",
          "https://evil.example%40api.crm.example", "https:/api.crm.example", "https:\\\\api.crm.example",
          "https://[api.crm.example]", "https://api.crm.example.", "https://api.segment.io.", "https://ＡＰＩ.crm.example",
          "https://api.crm.exampl\u0435", "http://[::1]", "http://2130706433", "http://0x7f000001", "https://localhost"]
_TAILS = ["", "@evil.example", "\\@evil.example", "%40evil.example", "\\evil.example", ".evil.example", "#@evil.example",
          "?@evil.example", ":443@evil.example", ":@evil.example", "%00.evil.example", "\u3002evil.example", ":8443",
          ":8443\\@evil.example", "\t@evil.example", "/..\\@evil.example", " @evil.example", "\r\n@evil.example", ":80:80"]


@pytest.mark.parametrize("head", _HEADS)
def test_a_result_goes_only_to_the_host_it_was_routed_to(head: str) -> None:
    dests = destinations()
    for tail in _TAILS:
        for path in ("/v1/track", "/x"):
            url = head + tail + path
            d = plan(url, json.dumps({"userId": "u", "event": "E"}), dests)  # never raises
            if d.status != "pending":
                continue
            (wire,) = dests.requests([d], {}, STAMP).requests
            host = httpx.URL(wire.url).host
            allowed = segment.SEGMENT_HOSTS if d.destination == "segment" else {h.split(":")[0] for h in CRM_HOSTS}
            assert host in allowed, (url, wire.url)


# --- secrets in log lines ------------------------------------------------------------------------


@pytest.mark.parametrize("secret", ['pa"ss\\word-1', "tab\tsecret-2", "ünïcode-secret-3", "plain-secret-4"])
def test_a_secret_is_redacted_from_log_lines_however_json_escapes_it(secret: str) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter([secret]))
    logger = logging.getLogger("runner.test_serve_path_attacks")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.error("failed with %s", secret, extra={"error": f"upstream said {secret}"})
    finally:
        logger.removeHandler(handler)
    line = stream.getvalue()
    assert json.loads(line)["event"] == "failed with [REDACTED]"
    assert json.loads(line)["error"] == "upstream said [REDACTED]"
    assert json.dumps(secret, ensure_ascii=False)[1:-1] not in line and secret not in line
