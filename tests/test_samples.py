"""Shape checks for the webhook bodies in samples/.

The rules follow the provider's webhook reference (envelope, event types, and the field lists
of the `data` objects): integer minor units on payments/refunds/subscriptions, the dispute
`amount` as a string, capitalised intervals, microsecond UTC timestamps, str->str metadata.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"

EVENT_TYPES = {
    "payment": [
        "payment.succeeded",
        "payment.failed",
        "payment.processing",
        "payment.cancelled",
    ],
    "refund": ["refund.succeeded", "refund.failed"],
    "dispute": [
        "dispute.opened",
        "dispute.expired",
        "dispute.accepted",
        "dispute.cancelled",
        "dispute.challenged",
        "dispute.won",
        "dispute.lost",
    ],
    "subscription": [
        "subscription.active",
        "subscription.renewed",
        "subscription.on_hold",
        "subscription.paused",
        "subscription.cancelled",
        "subscription.failed",
        "subscription.expired",
        "subscription.plan_changed",
        "subscription.updated",
        "subscription.update_payment_method",
        "subscription.unpaused",  # TypeScript SDK only
    ],
    "license_key": ["license_key.created"],
}
ALL_EVENT_TYPES = [t for types in EVENT_TYPES.values() for t in types]

ENVELOPE_KEYS = {"business_id", "type", "timestamp", "data"}
TIMESTAMP_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
INTERVALS = {"Day", "Week", "Month", "Year"}

CUSTOMER_FIELDS = {"customer_id", "email", "name", "phone_number", "metadata"}
BILLING_FIELDS = {"country", "city", "state", "street", "zipcode"}
PAYMENT_FIELDS = {
    "payment_id", "business_id", "brand_id", "total_amount", "currency", "status",
    "payment_method", "payment_method_type", "card_last_four", "card_network", "card_type",
    "card_issuing_country", "checkout_session_id", "discount_id", "error_code", "error_message",
    "payment_link", "product_cart", "settlement_amount", "settlement_currency", "settlement_tax",
    "subscription_id", "tax", "metadata", "disputes", "refunds", "digital_products_delivered",
    "created_at", "updated_at", "customer", "billing",
}
SUBSCRIPTION_FIELDS = {
    "subscription_id", "product_id", "quantity", "recurring_pre_tax_amount", "tax_inclusive",
    "currency", "status", "payment_frequency_interval", "subscription_period_interval",
    "payment_frequency_count", "subscription_period_count", "next_billing_date",
    "previous_billing_date", "trial_period_days", "cancel_at_next_billing_date", "cancelled_at",
    "expires_at", "on_demand", "addons", "meters", "discount_id", "discount_cycles_remaining",
    "metadata", "created_at", "customer", "billing",
}
REFUND_FIELDS = {
    "refund_id", "payment_id", "business_id", "status", "amount", "currency", "reason",
    "is_partial", "created_at", "customer",
}
DISPUTE_FIELDS = {
    "dispute_id", "payment_id", "business_id", "amount", "currency", "dispute_status",
    "dispute_stage", "reason", "remarks", "created_at", "customer",
}
LICENSE_KEY_FIELDS = {
    "id", "key", "status", "customer_id", "product_id", "payment_id", "subscription_id",
    "instances_count", "activations_limit", "expires_at", "created_at", "business_id",
}
PAYLOAD_TYPES = {
    "payment": "Payment",
    "refund": "Refund",
    "dispute": "Dispute",
    "subscription": "Subscription",
    "license_key": "LicenseKey",
}

SAMPLE_FILES = sorted(SAMPLES_DIR.glob("*.json"))


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _family(event_type: str) -> str:
    return event_type.split(".", 1)[0]


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _assert_timestamp(value, where: str) -> None:
    assert isinstance(value, str) and TIMESTAMP_RE.fullmatch(value), f"{where}: bad timestamp {value!r}"


def _assert_metadata(value, where: str) -> None:
    assert isinstance(value, dict), f"{where}: metadata must be an object"
    for k, v in value.items():
        assert isinstance(k, str) and isinstance(v, str), f"{where}: metadata {k!r}={v!r} not str->str"


def _assert_customer(customer, where: str) -> None:
    assert isinstance(customer, dict), f"{where}: customer must be an object"
    assert customer.keys() >= CUSTOMER_FIELDS, f"{where}: customer missing {CUSTOMER_FIELDS - customer.keys()}"
    assert isinstance(customer["customer_id"], str) and customer["customer_id"]
    assert isinstance(customer["email"], str) and "@" in customer["email"]
    assert isinstance(customer["name"], str)
    assert customer["phone_number"] is None or isinstance(customer["phone_number"], str)
    _assert_metadata(customer["metadata"], f"{where}.customer")


def _assert_billing(billing, where: str) -> None:
    assert isinstance(billing, dict), f"{where}: billing must be an object"
    assert billing.keys() >= BILLING_FIELDS, f"{where}: billing missing {BILLING_FIELDS - billing.keys()}"
    assert re.fullmatch(r"[A-Z]{2}", billing["country"]), f"{where}: country must be ISO alpha-2"


def test_samples_directory_is_populated():
    assert SAMPLE_FILES, f"no samples in {SAMPLES_DIR}"


@pytest.mark.parametrize("event_type", ALL_EVENT_TYPES)
def test_every_event_type_has_a_sample(event_type):
    assert (SAMPLES_DIR / f"{event_type}.json").is_file(), f"missing sample for {event_type}"


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_file_format(path):
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n"), "one trailing newline"
    assert "\\u" not in text, "non-ASCII must be written as real characters"
    body = json.loads(text)
    assert text == json.dumps(body, indent=2, ensure_ascii=False) + "\n", "2-space indented JSON"


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_envelope(path):
    body = _load(path)
    assert isinstance(body, dict)
    assert body.keys() >= ENVELOPE_KEYS, f"missing {ENVELOPE_KEYS - body.keys()}"
    assert isinstance(body["business_id"], str) and body["business_id"]
    assert isinstance(body["type"], str)
    assert path.name == f"{body['type']}.json"
    assert body["type"] in ALL_EVENT_TYPES
    _assert_timestamp(body["timestamp"], "timestamp")
    assert isinstance(body["data"], dict)


def test_one_merchant_across_samples():
    merchants = {_load(p)["business_id"] for p in SAMPLE_FILES}
    assert len(merchants) == 1, merchants


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_data_fields(path):
    body = _load(path)
    event_type = body["type"]
    family = _family(event_type)
    data = body["data"]
    assert data.get("payload_type") == PAYLOAD_TYPES[family]
    if "business_id" in data:
        assert data["business_id"] == body["business_id"]
    _assert_timestamp(data["created_at"], "data.created_at")
    assert data["created_at"] <= body["timestamp"]
    checks = {
        "payment": _check_payment,
        "refund": _check_refund,
        "dispute": _check_dispute,
        "subscription": _check_subscription,
        "license_key": _check_license_key,
    }
    checks[family](event_type, data)


def _check_payment(event_type: str, data: dict) -> None:
    assert data.keys() >= PAYMENT_FIELDS, f"missing {PAYMENT_FIELDS - data.keys()}"
    assert "amount" not in data, "a payment has total_amount, not amount"
    for key in ("total_amount", "tax", "settlement_amount", "settlement_tax"):
        assert _is_int(data[key]), f"{key} must be an integer (minor units)"
    assert data["tax"] <= data["total_amount"]
    assert re.fullmatch(r"[A-Z]{3}", data["currency"])
    assert data["status"] == event_type.split(".", 1)[1]
    if data["status"] == "failed":
        assert isinstance(data["error_code"], str) and data["error_code"]
        assert isinstance(data["error_message"], str) and data["error_message"]
    else:
        assert data["error_code"] is None and data["error_message"] is None
    assert isinstance(data["product_cart"], list) and data["product_cart"]
    for item in data["product_cart"]:
        assert set(item) == {"product_id", "quantity"}
        assert isinstance(item["product_id"], str) and _is_int(item["quantity"]) and item["quantity"] > 0
    assert data["subscription_id"] is None or isinstance(data["subscription_id"], str)
    assert isinstance(data["disputes"], list) and isinstance(data["refunds"], list)
    assert isinstance(data["digital_products_delivered"], bool)
    _assert_timestamp(data["updated_at"], "data.updated_at")
    assert data["updated_at"] >= data["created_at"]
    _assert_metadata(data["metadata"], "data")
    _assert_customer(data["customer"], "data")
    _assert_billing(data["billing"], "data")


def _check_refund(event_type: str, data: dict) -> None:
    assert data.keys() >= REFUND_FIELDS, f"missing {REFUND_FIELDS - data.keys()}"
    assert _is_int(data["amount"]), "refund amount must be an integer (minor units)"
    assert data["status"] == event_type.split(".", 1)[1]
    assert isinstance(data["is_partial"], bool)
    _assert_customer(data["customer"], "data")


def _check_dispute(event_type: str, data: dict) -> None:
    assert data.keys() >= DISPUTE_FIELDS, f"missing {DISPUTE_FIELDS - data.keys()}"
    assert isinstance(data["amount"], str) and re.fullmatch(r"\d+", data["amount"]), (
        "dispute amount must be a string of digits"
    )
    assert data["dispute_status"] == "dispute_" + event_type.split(".", 1)[1]
    assert data["dispute_stage"] in {"pre_dispute", "dispute", "pre_arbitration"}
    _assert_customer(data["customer"], "data")


SUBSCRIPTION_STATUS = {
    "subscription.active": "active",
    "subscription.renewed": "active",
    "subscription.on_hold": "on_hold",
    "subscription.cancelled": "cancelled",
    "subscription.failed": "failed",
    "subscription.expired": "expired",
    "subscription.unpaused": "active",
}


def _check_subscription(event_type: str, data: dict) -> None:
    assert data.keys() >= SUBSCRIPTION_FIELDS, f"missing {SUBSCRIPTION_FIELDS - data.keys()}"
    assert data["payment_frequency_interval"] in INTERVALS
    assert data["subscription_period_interval"] in INTERVALS
    for key in ("recurring_pre_tax_amount", "quantity", "payment_frequency_count",
                "subscription_period_count", "trial_period_days"):
        assert _is_int(data[key]), f"{key} must be an integer"
    assert data["status"] in {"pending", "active", "on_hold", "cancelled", "failed", "expired"}
    if event_type in SUBSCRIPTION_STATUS:
        assert data["status"] == SUBSCRIPTION_STATUS[event_type]
    for key in ("next_billing_date", "previous_billing_date"):
        _assert_timestamp(data[key], f"data.{key}")
    assert data["next_billing_date"] > data["previous_billing_date"]
    assert isinstance(data["cancel_at_next_billing_date"], bool)
    if data["status"] == "cancelled":
        _assert_timestamp(data["cancelled_at"], "data.cancelled_at")
    else:
        assert data["cancelled_at"] is None
    if data["expires_at"] is not None:
        _assert_timestamp(data["expires_at"], "data.expires_at")
    assert isinstance(data["addons"], list) and isinstance(data["meters"], list)
    _assert_metadata(data["metadata"], "data")
    _assert_customer(data["customer"], "data")
    _assert_billing(data["billing"], "data")


def _check_license_key(event_type: str, data: dict) -> None:
    assert data.keys() >= LICENSE_KEY_FIELDS, f"missing {LICENSE_KEY_FIELDS - data.keys()}"
    assert "customer" not in data, "license key payloads carry customer_id only"
    assert isinstance(data["customer_id"], str) and data["customer_id"]
    assert data["status"] in {"active", "expired", "disabled"}
    assert _is_int(data["instances_count"]) and _is_int(data["activations_limit"])
