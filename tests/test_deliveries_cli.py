"""`runner deliveries` and `runner replay` on a real queue file, replaying to the stand-in."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from runner.cli import main
from runner.delivery.sqlite import SQLiteStore
from runner.delivery.store import Attempt, NewDelivery, NewEvent
from tests.support.segment_standin import SegmentStandin
from tests.support.serve import payment_event

WRITE_KEY = "wk_cli_test_abcdef"


@pytest.fixture
def standin() -> Iterator[SegmentStandin]:
    with SegmentStandin() as s:
        yield s


def make_queue(data_dir: Path, handler_file: Path) -> None:
    """Two dead letters (one failed delivering, one failed transforming) and one delivered."""
    store = SQLiteStore.in_dir(data_dir)

    async def go() -> None:
        track = {"userId": "u1", "event": "Payment Completed", "type": "track", "messageId": "mid-1"}
        await store.enqueue(NewEvent("default", "msg_1", "payment.succeeded", json.dumps(payment_event(1)), time.time()), [
            NewDelivery("pay", "pending", "segment", "https://api.segment.io/v1/track", "POST",
                        {"Authorization": "Basic c2VjcmV0Og=="}, json.dumps(track), "track", "mid-1",
                        logs=json.dumps([{"level": "log", "message": "sending payment"}])),
            NewDelivery(handler_file.stem, "dead", stage="transform", reason="TypeError: x is undefined (line 2, column 1)",
                        logs=json.dumps([{"level": "error", "message": "about to fail"}])),
        ])
        await store.enqueue(NewEvent("default", "msg_2", "payment.succeeded", "{}", time.time()),
                            [NewDelivery("pay", "cancelled", reason="the handler set cancel = true")])
        (d,) = await store.claim("w", limit=1, lease_s=60)
        await store.dead_letter("w", [Attempt(d.id, 1, time.time(), 12.0, "dead", 400, "HTTP 400: bad")], ["HTTP 400: refused"])

    asyncio.run(go())
    store.close_sync()


def test_list_and_show(tmp_path: Path) -> None:
    handler = tmp_path / "fixed.js"
    handler.write_text("function handler(w) { return w; }")
    make_queue(tmp_path / "q", handler)
    cli = CliRunner()
    result = cli.invoke(main, ["deliveries", "list", "--data-dir", str(tmp_path / "q")])
    assert result.exit_code == 0, result.output
    assert "dead: 2" in result.output and "cancelled: 1" in result.output
    assert "HTTP 400: refused" in result.output and "TypeError: x is undefined" in result.output
    only = cli.invoke(main, ["deliveries", "list", "--data-dir", str(tmp_path / "q"), "--status", "cancelled", "--json"])
    assert [json.loads(line)["status"] for line in only.output.splitlines()] == ["cancelled"]
    shown = cli.invoke(main, ["deliveries", "show", "1", "--data-dir", str(tmp_path / "q")])
    assert shown.exit_code == 0, shown.output
    assert "[log] sending payment" in shown.output and "#1" in shown.output and "status=400" in shown.output
    as_json = json.loads(cli.invoke(main, ["deliveries", "show", "1", "--data-dir", str(tmp_path / "q"), "--json"]).output)
    assert as_json["headers"] == {"Authorization": "[REDACTED]"}  # stored for sending, never shown
    assert as_json["event"]["type"] == "payment.succeeded"
    missing = cli.invoke(main, ["deliveries", "show", "99", "--data-dir", str(tmp_path / "q")])
    assert missing.exit_code == 1 and "no delivery 99" in missing.output
    nowhere = cli.invoke(main, ["deliveries", "list", "--data-dir", str(tmp_path / "none")])
    assert nowhere.exit_code == 1 and "--data-dir" in nowhere.output


def test_replay_redelivers_and_reruns_fixed_transforms(tmp_path: Path, standin: SegmentStandin) -> None:
    handler = tmp_path / "fixed.js"
    handler.write_text(
        'function handler(w) { w.url = "https://api.segment.io/v1/identify";'
        ' w.payload = {userId: w.payload.data.customer.customer_id, traits: {}}; return w; }')
    make_queue(tmp_path / "q", handler)
    cli = CliRunner()
    env = {"SEGMENT_WRITE_KEY": WRITE_KEY}
    refused = cli.invoke(main, ["replay", "--data-dir", str(tmp_path / "q"), "--segment-url", standin.url], env=env)
    assert refused.exit_code == 2 and "--all" in refused.output
    # The transform-stage dead letter needs its handler: without it replay says how to fix that.
    no_handler = cli.invoke(main, ["replay", "--all", "--data-dir", str(tmp_path / "q"), "--segment-url", standin.url], env=env)
    assert no_handler.exit_code == 1 and "--transform-file" in no_handler.output
    result = cli.invoke(main, ["replay", "--all", "--data-dir", str(tmp_path / "q"), "--segment-url", standin.url,
                               "--transform-file", str(handler), "--timeout", "20"], env=env)
    assert result.exit_code == 0, result.output
    assert "replayed 2: 2 delivered" in result.output
    kinds = sorted(e["type"] for e in standin.events())
    assert kinds == ["identify", "track"]
    assert {e["messageId"] for e in standin.events() if e["type"] == "track"} == {"mid-1"}  # unchanged on replay
    assert all(r.write_key == WRITE_KEY for r in standin.requests)
    again = cli.invoke(main, ["replay", "--all", "--data-dir", str(tmp_path / "q"), "--segment-url", standin.url], env=env)
    assert again.exit_code == 0 and "no dead letters match" in again.output
