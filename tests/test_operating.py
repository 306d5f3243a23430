"""What an operator of `runner serve` sees: one log line per webhook and per delivery request
(JSON or text, secrets redacted), and the latency / backlog / destination series of /metrics.

Through the real server and a Segment stand-in; the formatters' redaction and escaping also
directly, on values the server would not produce on its own.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from runner.server.logs import JsonFormatter, TextFormatter
from tests.support.segment_standin import SegmentStandin
from tests.support.serve import TRANSFORMS, ServeProcess, new_secret, payment_event, signed

PAYMENTS = str(TRANSFORMS / "segment-track-payments.js")
WRITE_KEY = "wk_operating_test_0123456789"
THROWS = "function handler(webhook) {\n  throw new TypeError('no plan for ' + webhook.payload.data.payment_id);\n}\n"

TEXT_LINE = re.compile(r"(\d\d:\d\d:\d\d\.\d{3}) (DEBUG|INFO|WARNING|ERROR|CRITICAL) +(.*)")


@pytest.fixture
def standin() -> Iterator[SegmentStandin]:
    with SegmentStandin() as s:
        yield s


def eventually(probe: Callable[[], Any], timeout: float = 15.0) -> Any:
    """`probe()`'s first truthy value, polling for up to `timeout` seconds (else its last)."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def parse_text_line(line: str) -> tuple[str, str, str, dict[str, Any]]:
    """(clock, level, event, fields) of one text log line: a value is JSON where it parses as
    JSON (a string, list or object), else a bare word up to the next space ([REDACTED] too)."""
    match = TEXT_LINE.fullmatch(line)
    assert match, line
    clock, level, rest = match.groups()
    decoder = json.JSONDecoder()

    def value_at(i: int) -> tuple[Any, int]:
        if rest[i] in '"[{':
            try:
                return decoder.raw_decode(rest, i)
            except json.JSONDecodeError:
                pass
        end = rest.find(" ", i)
        end = len(rest) if end < 0 else end
        word = rest[i:end]
        return (json.loads(word) if re.fullmatch(r"-?\d+(\.\d+)?|null|true|false", word) else word), end

    event, i = value_at(0)
    fields: dict[str, Any] = {}
    while i < len(rest):
        assert rest[i] == " ", line
        key_end = rest.index("=", i)
        key = rest[i + 1:key_end]
        assert re.fullmatch(r"\w+", key), line
        fields[key], i = value_at(key_end + 1)
    return clock, level, str(event), fields


def metric(text: str, series: str) -> float | None:
    """The value of one series (name and labels exactly as exported) in a /metrics page."""
    found = re.search(rf"^{re.escape(series)} (\S+)$", text, re.MULTILINE)
    return None if found is None else float(found.group(1))


def scrape_until(url: str, series: str, value: float) -> str:
    """The first /metrics page in which `series` has `value` (fails after a while)."""
    def probe() -> str | None:
        page = httpx.get(url + "/metrics").text
        return page if metric(page, series) == value else None

    page = eventually(probe)
    assert page, f"{series} never became {value}"
    return str(page)


def test_logs_and_metrics_of_accepted_rejected_failed_delivered_and_dead(tmp_path: Path, standin: SegmentStandin) -> None:
    secret = new_secret()
    throws = tmp_path / "plan-refunds.js"
    throws.write_text(THROWS)
    env = {"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": WRITE_KEY}
    with ServeProcess([PAYMENTS, str(throws), "--segment-url", standin.url], env=env, data_dir=tmp_path / "data") as srv:
        hook = srv.url + "/webhooks"
        body, headers = signed(secret, payment_event(1))
        assert httpx.post(hook, content=body, headers=headers).status_code == 200
        assert standin.wait_for_events(1) == 1
        # A forged request whose id is the write key: logged (the id as sent), but masked.
        forged = {**headers, "webhook-id": WRITE_KEY, "webhook-signature": "v1,AAAA"}
        assert httpx.post(hook, content=body, headers=forged).status_code == 401
        standin.fail(1, status=400)
        body2, headers2 = signed(secret, payment_event(2))
        assert httpx.post(hook, content=body2, headers=headers2).status_code == 200
        assert eventually(lambda: httpx.get(srv.url + "/healthz").json()["queue"].get("dead") == 3)

        page = scrape_until(srv.url, 'runner_delivery_latency_seconds_count{destination="segment"}', 1.0)
        latency = metric(page, 'runner_delivery_latency_seconds_sum{destination="segment"}')
        assert latency is not None and 0 < latency < 10
        assert metric(page, 'runner_delivery_latency_seconds_bucket{destination="segment",le="10.0"}') == 1.0
        assert metric(page, "runner_queue_oldest_pending_age_seconds") == 0.0  # nothing pending
        assert metric(page, 'runner_destination_in_flight{destination="segment"}') == 0.0
        assert metric(page, 'runner_destination_paused{destination="segment"}') == 0.0

        # A slow answer: its request shows in flight while it lasts.
        standin.fail(1, status=200, delay_s=2.0)
        body4, headers4 = signed(secret, payment_event(4))
        assert httpx.post(hook, content=body4, headers=headers4).status_code == 200
        scrape_until(srv.url, 'runner_destination_in_flight{destination="segment"}', 1.0)
        scrape_until(srv.url, 'runner_delivery_latency_seconds_count{destination="segment"}', 2.0)
        page = scrape_until(srv.url, 'runner_destination_in_flight{destination="segment"}', 0.0)
        slow = metric(page, 'runner_delivery_latency_seconds_sum{destination="segment"}')
        assert slow is not None and latency + 2.0 <= slow < latency + 12

        # A 429 with Retry-After: the destination is paused and the delivery waits, ageing.
        standin.fail(1, status=429, retry_after=120)
        body3, headers3 = signed(secret, payment_event(3))
        assert httpx.post(hook, content=body3, headers=headers3).status_code == 200
        scrape_until(srv.url, 'runner_destination_paused{destination="segment"}', 1.0)
        time.sleep(0.3)
        age = metric(httpx.get(srv.url + "/metrics").text, "runner_queue_oldest_pending_age_seconds")
        assert age is not None and 0.3 <= age < 30
        srv.terminate()

    logs = srv.logs()
    for value in (secret, WRITE_KEY):
        assert value not in logs
    lines = json_lines(logs)
    hooks = [x for x in lines if x["event"].startswith("webhook.")]
    assert [x["event"] for x in hooks] == ["webhook.accepted", "webhook.rejected"] + ["webhook.accepted"] * 3
    first, forged_line, second, *_ = hooks
    assert first["level"] == "warning"  # a transform is dead: its handler threw
    assert first["webhook_id"] == headers["webhook-id"] and first["endpoint"] == "default" and first["status"] == 200
    assert first["transforms"] == {"segment-track-payments": "pending", "plan-refunds": "dead"}
    assert "TypeError" in first["reasons"]["plan-refunds"] and "pay_00000001" in first["reasons"]["plan-refunds"]
    assert set(first["reasons"]) == {"plan-refunds"} and 0 < first["latency_ms"] < 10_000
    assert forged_line["level"] == "info" and forged_line["status"] == 401
    assert forged_line["reason"] == "bad_signature" and forged_line["webhook_id"] == "[REDACTED]"
    assert forged_line["endpoint"] == "default" and forged_line["latency_ms"] >= 0
    assert second["webhook_id"] == headers2["webhook-id"]

    sends = [x for x in lines if x["event"] in ("delivery.delivered", "delivery.failed")]
    assert [(x["event"], x["level"]) for x in sends[:2]] == [("delivery.delivered", "info"), ("delivery.failed", "error")]
    delivered, dead = sends[:2]
    assert delivered["destination"] == "segment" and delivered["count"] == 1 and delivered["status"] == 200
    assert delivered["duration_ms"] > 0 and len(delivered["ids"]) == 1
    assert dead["status"] == 400 and dead["count"] == 1 and dead["dead"] == 1 and dead["retried"] == 0
    assert "HTTP 400" in dead["error"] and len(dead["ids"]) == 1 and dead["ids"] != delivered["ids"]
    assert any(x["event"] == "delivery.delivered" and x["duration_ms"] >= 2000 for x in sends[2:])  # the slow one
    assert any(x["event"] == "delivery.failed" and x["level"] == "warning" and x["status"] == 429
               and x["retried"] == 1 for x in sends[2:])


def test_text_log_format_is_one_parseable_line_per_record(tmp_path: Path, standin: SegmentStandin) -> None:
    secret = new_secret()
    env = {"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": WRITE_KEY}
    with ServeProcess([PAYMENTS, "--segment-url", standin.url, "--log-format", "text"], env=env,
                      data_dir=tmp_path / "data") as srv:
        body, headers = signed(secret, payment_event(1))
        assert httpx.post(srv.url + "/webhooks", content=body, headers=headers).status_code == 200
        assert httpx.post(srv.url + "/webhooks/elsewhere", content=body, headers=headers).status_code == 404
        assert standin.wait_for_events(1) == 1
        assert eventually(lambda: "delivery.delivered" in srv.logs())
        srv.terminate()
    logs = srv.logs()
    assert secret not in logs and WRITE_KEY not in logs
    records = [parse_text_line(line) for line in logs.splitlines() if TEXT_LINE.match(line)]
    by_event = {event: (level, fields) for _, level, event, fields in records}
    level, accepted = by_event["webhook.accepted"]
    assert level == "INFO" and accepted["status"] == 200 and accepted["endpoint"] == "default"
    assert accepted["webhook_id"] == headers["webhook-id"] and accepted["transforms"] == {"segment-track-payments": "pending"}
    assert isinstance(accepted["latency_ms"], float | int)
    level, rejected = by_event["webhook.rejected"]
    assert (level, rejected["status"], rejected["reason"], rejected["endpoint"]) == ("INFO", 404, "unknown_endpoint", "elsewhere")
    level, delivered = by_event["webhook.accepted"][0], by_event["delivery.delivered"][1]
    assert delivered["destination"] == "segment" and delivered["count"] == 1 and delivered["status"] == 200
    assert "serve.started" in by_event and "serve.stopped" in by_event


@pytest.mark.parametrize("formatter", [JsonFormatter, TextFormatter])
def test_formatters_mask_secrets_in_every_form_and_escape_terminal_controls(formatter: type[JsonFormatter]) -> None:
    secret = 'se"cr\\et-\x7fvalue'  # appears raw in a bare text value, JSON-escaped in a quoted one
    fmt = formatter([secret, "wk_plain_secret_value"])
    record = logging.makeLogRecord({
        "name": "runner.serve", "levelno": logging.WARNING, "levelname": "WARNING", "msg": "webhook.accepted",
        "webhook_id": "wk_plain_secret_value", "detail": f"says {secret} \x1b]52;c;AAAA\x07 \u202e",
        "reasons": {"t": f"Error: {secret}"}, "authorization": "Bearer abc", "count": 3,
    })
    line = fmt.format(record)
    assert "\n" not in line and "\x1b" not in line and "\x07" not in line and "\u202e" not in line and "\x7f" not in line
    for shown in (secret, json.dumps(secret)[1:-1], "wk_plain_secret_value", "abc", "cr\\\\et", "cr\\et"):
        assert shown not in line
    assert line.count("[REDACTED]") >= 4
    if formatter is TextFormatter:
        _, level, event, fields = parse_text_line(line)
        assert (level, event, fields["count"], fields["webhook_id"]) == ("WARNING", "webhook.accepted", 3, "[REDACTED]")
        assert fields["authorization"] == "[REDACTED]" and fields["reasons"] == {"t": "Error: [REDACTED]"}
    else:
        data = json.loads(line)
        assert data["webhook_id"] == "[REDACTED]" and data["reasons"] == {"t": "Error: [REDACTED]"}
