"""The provider's three Segment handlers, run unchanged, produce exactly these Segment calls."""

from __future__ import annotations

import json

import pytest

from runner.engine import Engine, Handler
from tests.conftest import SAMPLES, sample_text


def js_to_fixed_2(minor: int) -> str:
    # (n / 100).toFixed(2) for integer minor units is exact decimal shifting.
    sign = "-" if minor < 0 else ""
    minor = abs(minor)
    return f"{sign}{minor // 100}.{minor % 100:02d}"


def run(engine: Engine, handlers: dict[str, Handler], transform: str, sample: str):
    return engine.run(handlers[transform], sample_text(sample))


def test_track_payment_completed(engine, seed_handlers):
    body = json.loads(sample_text("payment.succeeded.json"))
    p = body["data"]
    outcome = run(engine, seed_handlers, "segment-track-payments.js", "payment.succeeded.json")
    assert outcome.status == "sent"
    assert outcome.request.url == "https://api.segment.io/v1/track"
    assert outcome.request.method == "POST"
    assert outcome.request.headers == {}
    assert json.loads(outcome.request.body) == {
        "userId": p["customer"]["customer_id"],
        "event": "Payment Completed",
        "properties": {
            "amount": js_to_fixed_2(p["total_amount"]),
            "currency": p["currency"],
            "payment_method": p["payment_method"],
            "payment_id": p["payment_id"],
            "customer_email": p["customer"]["email"],
            "customer_name": p["customer"]["name"],
        },
        "timestamp": body["timestamp"],
    }
    # Key order is the handler's, as JSON.stringify writes it.
    assert list(json.loads(outcome.request.body)) == ["userId", "event", "properties", "timestamp"]


def test_identify_customer(engine, seed_handlers):
    body = json.loads(sample_text("payment.succeeded.json"))
    p = body["data"]
    outcome = run(engine, seed_handlers, "segment-identify-customers.js", "payment.succeeded.json")
    assert outcome.status == "sent"
    assert outcome.request.url == "https://api.segment.io/v1/identify"
    assert json.loads(outcome.request.body) == {
        "userId": p["customer"]["customer_id"],
        "traits": {
            "email": p["customer"]["email"],
            "name": p["customer"]["name"],
            "total_spent": js_to_fixed_2(p["total_amount"]),
            "payment_method": p["payment_method"],
            "last_payment_date": body["timestamp"],
            "customer_since": body["timestamp"],
        },
    }


def test_subscription_started(engine, seed_handlers):
    body = json.loads(sample_text("subscription.active.json"))
    s = body["data"]
    outcome = run(engine, seed_handlers, "segment-track-subscriptions.js", "subscription.active.json")
    assert outcome.status == "sent"
    assert outcome.request.url == "https://api.segment.io/v1/track"
    assert json.loads(outcome.request.body) == {
        "userId": s["customer"]["customer_id"],
        "event": "Subscription Started",
        "properties": {
            "subscription_id": s["subscription_id"],
            "product_id": s["product_id"],
            "amount": js_to_fixed_2(s["recurring_pre_tax_amount"]),
            "frequency": s["payment_frequency_interval"],
            "next_billing": s["next_billing_date"],
            "customer_email": s["customer"]["email"],
        },
        "timestamp": body["timestamp"],
    }


def test_subscription_cancelled(engine, seed_handlers):
    body = json.loads(sample_text("subscription.cancelled.json"))
    s = body["data"]
    outcome = run(engine, seed_handlers, "segment-track-subscriptions.js", "subscription.cancelled.json")
    assert outcome.status == "sent"
    assert json.loads(outcome.request.body) == {
        "userId": s["customer"]["customer_id"],
        "event": "Subscription Cancelled",
        "properties": {
            "subscription_id": s["subscription_id"],
            "product_id": s["product_id"],
            "cancelled_at": s["cancelled_at"],
            "cancel_at_next_billing": s["cancel_at_next_billing_date"],
            "customer_email": s["customer"]["email"],
        },
        "timestamp": body["timestamp"],
    }


MATCHES = {
    "segment-track-payments.js": {"payment.succeeded"},
    "segment-identify-customers.js": {"payment.succeeded"},
    "segment-track-subscriptions.js": {"subscription.active", "subscription.cancelled"},
}


@pytest.mark.parametrize("transform", sorted(MATCHES))
def test_other_events_pass_through_unchanged(engine, seed_handlers, transform):
    seen = set()
    for path in SAMPLES:
        outcome = engine.run(seed_handlers[transform], path.read_text("utf-8"))
        event_type = json.loads(path.read_text("utf-8"))["type"]
        assert outcome.event_type == event_type
        if event_type in MATCHES[transform]:
            assert outcome.status == "sent", path.name
            seen.add(event_type)
        else:
            assert outcome.status == "unchanged", (path.name, outcome.error)
            # Unchanged: the original body, byte for byte, to the original URL.
            assert outcome.request.body == path.read_text("utf-8")
            assert outcome.request.url == "https://example.invalid/webhook"
    assert seen == MATCHES[transform]
