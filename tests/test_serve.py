"""`runner serve` as a real process over loopback HTTP, with a real stand-in for Segment."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from runner import segment
from runner.cli import main
from tests.support.segment_standin import SegmentStandin
from tests.support.serve import TRANSFORMS, ServeProcess, new_secret, payment_event, signed

PAYMENTS = str(TRANSFORMS / "segment-track-payments.js")
IDENTIFY = str(TRANSFORMS / "segment-identify-customers.js")
WRITE_KEY = "wk_serve_test_0123456789"


@pytest.fixture
def standin() -> Iterator[SegmentStandin]:
    with SegmentStandin() as s:
        yield s


def eventually(probe, timeout: float = 10.0):  # type: ignore[no-untyped-def]
    """`probe()`'s first truthy value, polling for up to `timeout` seconds (else its last)."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value or time.monotonic() > deadline:
            return value or ""
        time.sleep(0.05)


def queue_counts(url: str) -> dict[str, int]:
    return httpx.get(url + "/healthz").json()["queue"]


def test_requests_are_verified_and_bad_ones_queue_nothing(tmp_path: Path, standin: SegmentStandin) -> None:
    secret, previous = new_secret(), new_secret()
    env = {"DODO_WEBHOOK_SECRET": secret, "DODO_WEBHOOK_SECRET_PREVIOUS": previous, "SEGMENT_WRITE_KEY": WRITE_KEY}
    with ServeProcess([PAYMENTS, "--segment-url", standin.url, "--max-body-bytes", "4096"], env=env,
                      data_dir=tmp_path / "data") as srv:
        hook = srv.url + "/webhooks"
        body, headers = signed(secret, payment_event(1))

        def post(content: bytes, hdrs: dict[str, str], url: str = hook) -> httpx.Response:
            return httpx.post(url, content=content, headers=hdrs)

        assert post(body, {**headers, "webhook-signature": signed(new_secret(), payment_event(1))[1]["webhook-signature"]}).status_code == 401
        assert post(body, {k: v for k, v in headers.items() if k != "webhook-signature"}).status_code == 401
        stale_body, stale = signed(secret, payment_event(2), timestamp=time.time() - 600)
        r = post(stale_body, stale)
        assert r.status_code == 401 and r.json()["error"] == "stale_timestamp"
        assert post(*signed(secret, "not json")).status_code == 400
        r = post(*signed(secret, {"data": {}}))
        assert r.status_code == 400 and "'type'" in r.json()["message"]
        big = payment_event(3) | {"padding": "x" * 5000}
        assert post(*signed(secret, big)).status_code == 413
        assert httpx.get(hook).status_code == 405
        assert httpx.get(srv.url + "/nowhere").status_code == 404
        assert post(body, headers, url=hook + "/shop").status_code == 404
        assert queue_counts(srv.url) == {}  # nothing above was queued

        ok = post(body, headers)
        assert ok.status_code == 200
        assert ok.json()["status"] == "accepted"
        assert ok.json()["transforms"] == [{"name": "segment-track-payments", "status": "pending"}]
        again = post(body, headers)  # the provider retries the same webhook-id
        assert again.status_code == 200 and again.json()["status"] == "duplicate"
        assert post(*signed(previous, payment_event(4))).status_code == 200  # rotation: previous secret
        assert post(*signed([new_secret(), secret], payment_event(5))).status_code == 200  # several signatures
        assert post(*signed(secret, payment_event(6)), url=hook + "/default").status_code == 200

        assert standin.wait_for_events(4) == 4

        def delivered_metrics() -> str | None:
            text = httpx.get(srv.url + "/metrics").text
            return text if 'delivered_total{destination="segment"} 4.0' in text else None

        metrics = eventually(delivered_metrics)
        for line in ('runner_webhooks_rejected_total{endpoint="default",reason="bad_signature"} 1.0',
                     'runner_webhooks_rejected_total{endpoint="default",reason="stale_timestamp"} 1.0',
                     'runner_webhooks_rejected_total{endpoint="default",reason="too_large"} 1.0',
                     'runner_webhooks_accepted_total{endpoint="default",result="duplicate"} 1.0',
                     'runner_deliveries_delivered_total{destination="segment"} 4.0'):
            assert line in metrics
        assert "runner_queue_deliveries" in metrics and "runner_accept_seconds_bucket" in metrics
        assert srv.terminate() in (0, -15)  # uvicorn re-raises SIGTERM after a clean shutdown
    events = standin.events()
    assert sorted(e["properties"]["payment_id"] for e in events) == ["pay_00000001", "pay_00000004", "pay_00000005", "pay_00000006"]
    assert all(r.write_key == WRITE_KEY for r in standin.requests)
    logs = srv.logs()
    assert "serve.stopped" in logs
    for value in (secret, previous, WRITE_KEY):
        assert value not in logs


def test_serve_refuses_to_start_without_secrets(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["serve", PAYMENTS, "--data-dir", str(tmp_path)], env={"DODO_WEBHOOK_SECRET": "", "SEGMENT_WRITE_KEY": "k"})
    assert result.exit_code == 1
    assert "DODO_WEBHOOK_SECRET" in result.output and "--insecure-skip-verify" in result.output
    result = runner.invoke(main, ["serve", PAYMENTS, "--data-dir", str(tmp_path)], env={"DODO_WEBHOOK_SECRET": "whsec_" + "A" * 32, "SEGMENT_WRITE_KEY": ""})
    assert result.exit_code == 1 and "SEGMENT_WRITE_KEY" in result.output
    result = runner.invoke(main, ["serve", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2 and "TRANSFORM" in result.output
    bad = tmp_path / "runner.yaml"
    bad.write_text("endpoints:\n  default:\n    transforms:\n      t: {file: missing.js}\n")
    result = runner.invoke(main, ["serve", "--config", str(bad)])
    assert result.exit_code == 1 and "runner.yaml:4: endpoints.default.transforms.t.file" in result.output


def test_insecure_mode_warns_and_accepts_unsigned(tmp_path: Path, standin: SegmentStandin) -> None:
    with ServeProcess([PAYMENTS, "--segment-url", standin.url, "--insecure-skip-verify"],
                      env={"SEGMENT_WRITE_KEY": WRITE_KEY}, data_dir=tmp_path / "data") as srv:
        r = httpx.post(srv.url + "/webhooks", json=payment_event(1))
        assert r.status_code == 200
        assert standin.wait_for_events(1) == 1
    assert "WARNING: --insecure-skip-verify" in srv.logs()


def test_full_config_with_several_endpoints_and_transforms(tmp_path: Path, standin: SegmentStandin) -> None:
    config = tmp_path / "runner.yaml"
    config.write_text(f"""\
destinations:
  segment: {{type: segment, write_key_env: SEG_KEY, base_url: "{standin.url}"}}
  hooks:
    type: http
    hosts: ["127.0.0.1:{standin.url.rsplit(':', 1)[1]}"]
    allow_private: true
    headers: {{Authorization: {{env: HOOK_TOKEN, prefix: "Bearer "}}}}
endpoints:
  shop:
    secret_env: SHOP_SECRET
    transforms:
      payments: {{file: {PAYMENTS}}}
      identify: {{file: {IDENTIFY}}}
  relay:
    secret_env: RELAY_SECRET
    transforms:
      forward: {{file: {PAYMENTS}, url: "{standin.url}/hook"}}
""")
    shop, relay = new_secret(), new_secret()
    env = {"SHOP_SECRET": shop, "RELAY_SECRET": relay, "SEG_KEY": WRITE_KEY, "HOOK_TOKEN": "hook-token-123"}
    with ServeProcess(["--config", str(config)], env=env, data_dir=tmp_path / "data") as srv:
        r = httpx.post(srv.url + "/webhooks/shop", content=(s := signed(shop, payment_event(1)))[0], headers=s[1])
        assert [t["status"] for t in r.json()["transforms"]] == ["pending", "pending"]
        # relay's handler keeps the payload for a non-payment event: forwarded unchanged to its url
        r = httpx.post(srv.url + "/webhooks/relay", content=(s := signed(relay, payment_event(2, event_type="payment.failed")))[0], headers=s[1])
        assert r.json()["transforms"] == [{"name": "forward", "status": "pending"}]
        s = signed(shop, payment_event(3))
        assert httpx.post(srv.url + "/webhooks/relay", content=s[0], headers=s[1]).status_code == 401
        assert httpx.post(srv.url + "/webhooks", content=s[0], headers=s[1]).status_code == 404  # no endpoint named default
        standin.wait_for_requests(2)
    paths = sorted(r.path for r in standin.accepted())
    assert paths.count("/hook") == 1 and len(paths) >= 2
    (hook,) = [r for r in standin.accepted() if r.path == "/hook"]
    assert hook.headers["authorization"] == "Bearer hook-token-123" and hook.json()["type"] == "payment.failed"
    kinds = sorted(e["type"] for r in standin.accepted() if r.path != "/hook" for e in r.events())
    assert kinds == ["identify", "track"]


def expected_ids(webhook_ids: list[str]) -> set[str]:
    return {segment.message_id("default", w, t) for w in webhook_ids
            for t in ("segment-track-payments", "segment-identify-customers")}


@pytest.mark.slow
def test_sigkill_mid_load_loses_and_duplicates_nothing(tmp_path: Path, standin: SegmentStandin) -> None:
    """Kill -9 while events arrive and deliveries fail; restart; the provider retries the
    unacknowledged ones. Every acknowledged event reaches the stand-in, each messageId once
    after dedupe, and nothing else arrives."""
    secret = new_secret()
    env = {"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": WRITE_KEY}
    args = [PAYMENTS, IDENTIFY, "--segment-url", standin.url]
    total = 400
    requests = [signed(secret, payment_event(n), msg_id=f"msg_{n:05d}") for n in range(total)]
    acked: set[str] = set()
    standin.fail(3, status=500)
    standin.fail(1, status=429, retry_after=1)
    standin.fail(1, drop=True)

    def send(index: int, base: str) -> None:
        body, headers = requests[index]
        try:
            if httpx.post(base + "/webhooks", content=body, headers=headers, timeout=10).status_code == 200:
                acked.add(headers["webhook-id"])
        except httpx.HTTPError:
            pass  # not acknowledged: the provider will retry it

    srv = ServeProcess(args, env=env, data_dir=tmp_path / "data").start()
    try:
        with ThreadPoolExecutor(8) as pool:
            futures = [pool.submit(send, i, srv.url) for i in range(total)]
            while len(acked) < total // 3:
                time.sleep(0.01)
            srv.kill()  # SIGKILL, mid-load
            for f in futures:
                f.result()
        assert 0 < len(acked) < total
        before_restart = set(acked)
        srv = ServeProcess(args, env=env, data_dir=tmp_path / "data", port=srv.port).start()
        # The provider retries everything not acknowledged, and (at least once) some that were.
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda i: send(i, srv.url), range(total)))
        assert len(acked) == total
        want = expected_ids(sorted(acked))
        standin.wait_for_events(len(want), timeout=30)

        def settled() -> dict[str, int] | None:
            counts = queue_counts(srv.url)
            return counts if counts == {"delivered": len(want)} else None

        counts = eventually(settled)
    finally:
        srv.kill()
    got = standin.message_ids()
    assert set(got) == want  # everything acknowledged arrived, nothing else did
    assert before_restart <= acked
    assert counts == {"delivered": len(want)}


def test_graceful_shutdown_finishes_in_flight_work(tmp_path: Path, standin: SegmentStandin) -> None:
    secret = new_secret()
    env = {"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": WRITE_KEY}
    standin.fail(1, status=200, delay_s=1.0)  # a delivery is in flight when SIGTERM arrives
    with ServeProcess([PAYMENTS, "--segment-url", standin.url], env=env, data_dir=tmp_path / "data") as srv:
        for n in range(5):
            assert httpx.post(srv.url + "/webhooks", content=(s := signed(secret, payment_event(n)))[0], headers=s[1]).status_code == 200
        standin.wait_for_requests(0)
        time.sleep(0.2)
        assert srv.terminate() in (0, -15)  # uvicorn re-raises SIGTERM after a clean shutdown
    assert "serve.stopped" in srv.logs()
    runner = CliRunner()
    result = runner.invoke(main, ["deliveries", "list", "--data-dir", str(tmp_path / "data"), "--json"])
    rows = [json.loads(line) for line in result.output.splitlines()]
    # Delivered before exit, or still pending (claimed, never lost) to go after a restart.
    assert len(rows) == 5 and {r["status"] for r in rows} <= {"delivered", "pending"}
    assert any(r["status"] == "delivered" for r in rows)
