"""Every bundled transform on every sample: our output equals V8's (Node, node:vm, TZ=UTC)."""

from __future__ import annotations

import json

import pytest

from runner.engine import Handler
from tests.conftest import SAMPLES, TRANSFORMS
from tests.support.v8 import NODE, run_in_v8

URL = "https://example.invalid/webhook"
ENV = {"SEGMENT_WRITE_KEY": "wk_test", "REGION": "eu"}

# Beyond the seeds: typical dashboard handler shapes, including locale formatting.
EXTRA = {
    "hubspot-style.js": """function handler(webhook) {
  const d = webhook.payload.data;
  if (!webhook.eventType.startsWith("payment.")) { webhook.cancel = true; return webhook; }
  webhook.url = `https://api.hubapi.com/crm/v3/objects/contacts/${encodeURIComponent(d.customer.email)}?idProperty=email`;
  webhook.method = "PATCH";
  webhook.headers = { "Authorization": "Bearer " + webhook.env.SEGMENT_WRITE_KEY, "Content-Type": "application/json" };
  webhook.payload = { properties: {
    last_payment_amount: (d.total_amount / 100).toFixed(2),
    last_payment_date: new Date(webhook.payload.timestamp).toLocaleDateString(),
    last_payment_at: new Date(d.created_at).toLocaleString("en-US"),
    pretty: new Date(d.created_at).toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric" }),
    status: d.status?.toUpperCase(), items: d.product_cart?.map(i => `${i.product_id}x${i.quantity}`).join(",") ?? null,
    meta: { ...d.metadata, region: webhook.env.REGION },
  } };
  return webhook;
}""",
    "money.js": """function handler(webhook) {
  const d = webhook.payload.data;
  const raw = d.total_amount ?? d.recurring_pre_tax_amount ?? d.amount;
  const amount = Number(raw) / 100;
  webhook.url = "https://api.segment.io/v1/track";
  webhook.payload = {
    anonymousId: d.customer?.customer_id ?? d.customer_id, event: webhook.eventType.replace(/[._]/g, " "),
    properties: { amount, cents: raw, formatted: amount.toLocaleString("en-US", { style: "currency", currency: d.currency || "USD" }),
      plain: amount.toLocaleString(), ratio: raw / 3, big: raw * 1e19, neg: -amount, keys: Object.keys(d).sort().slice(0, 5) },
  };
  return webhook;
}""",
}


def cases() -> list[tuple[str, str, str]]:
    out = []
    for transform in TRANSFORMS:
        out += [(transform.name, transform.read_text("utf-8"), s.name) for s in SAMPLES]
    for name, source in EXTRA.items():
        out += [(name, source, s.name) for s in SAMPLES]
    return out


@pytest.fixture(scope="module")
def v8_results() -> dict[tuple[str, str], dict]:
    if NODE is None:
        pytest.skip("node is not installed: the V8 comparison cannot run")
    all_cases = cases()
    inputs = [{"source": src, "body": (SAMPLES[0].parent / sample).read_text("utf-8"), "url": URL, "env": ENV}
              for _, src, sample in all_cases]
    results = run_in_v8(inputs)
    return {(name, sample): r for (name, _, sample), r in zip(all_cases, results)}


@pytest.mark.parametrize("lazy", [False, True], ids=["parsed-by-engine", "event-type-given"])
@pytest.mark.parametrize("name, source, sample", cases(), ids=[f"{c[0]}-{c[2]}" for c in cases()])
def test_same_output_as_v8(engine, v8_results, name, source, sample, lazy):
    expected = v8_results[(name, sample)]
    body = (SAMPLES[0].parent / sample).read_text("utf-8")
    # With the event type given, the engine parses the body only if the handler reads it.
    event_type = json.loads(body)["type"] if lazy else None
    outcome = engine.run(Handler.from_source(source, filename=name), body, url=URL, env=ENV, event_type=event_type)
    if "error" in expected:
        assert outcome.status == "error"
        assert outcome.error.type == expected["error"]["type"]
    else:
        assert outcome.error is None, outcome.error
        assert outcome.webhook_json == expected["webhook"]
        json.loads(outcome.webhook_json)


def test_the_comparison_covers_every_transform_and_sample():
    assert len(TRANSFORMS) >= 3 and len(SAMPLES) >= 25
    assert len(cases()) == (len(TRANSFORMS) + len(EXTRA)) * len(SAMPLES)
