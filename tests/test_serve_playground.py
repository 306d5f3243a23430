"""`runner serve` mounts the playground at /playground only when the config enables it."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.support.segment_standin import SegmentStandin
from tests.support.serve import ROOT, ServeProcess, new_secret

PAYMENTS = ROOT / "transforms" / "segment-track-payments.js"


def config(tmp_path: Path, enabled: bool, base_url: str = "https://api.segment.io") -> Path:
    path = tmp_path / "runner.yaml"
    path.write_text(f"""\
server: {{playground: {str(enabled).lower()}, playground_samples: {ROOT / 'samples'}}}
destinations:
  segment: {{type: segment, write_key_env: SEG_KEY, base_url: "{base_url}"}}
endpoints:
  default:
    secret_env: SHOP_SECRET
    transforms:
      payments: {{file: {PAYMENTS}}}
""")
    return path


def test_playground_is_off_by_default(tmp_path: Path) -> None:
    env = {"SHOP_SECRET": new_secret(), "SEG_KEY": "wk_live_secret_value"}
    with ServeProcess(["--config", str(config(tmp_path, False))], env=env, data_dir=tmp_path / "data") as srv:
        assert httpx.get(srv.url + "/playground/").status_code == 404


def test_enabled_playground_runs_handlers_and_never_shows_the_write_key(tmp_path: Path) -> None:
    env = {"SHOP_SECRET": new_secret(), "SEG_KEY": "wk_live_secret_value"}
    with ServeProcess(["--config", str(config(tmp_path, True))], env=env, data_dir=tmp_path / "data") as srv:
        page = httpx.get(srv.url + "/playground/")
        assert page.status_code == 200 and "<html" in page.text.lower()
        catalog = httpx.get(srv.url + "/playground/api/catalog").json()
        assert any(t["name"].startswith("segment-track-payments") for t in catalog["transforms"])
        code = PAYMENTS.read_text()
        payload = (ROOT / "samples" / "payment.succeeded.json").read_text()
        result = httpx.post(srv.url + "/playground/api/run", json={"code": code, "payload": payload})
        assert result.status_code == 200, result.text
        data = result.json()
        assert data["status"] == "sent"
        assert "wk_live_secret_value" not in result.text and "wk_live_secret_value" not in page.text


def test_the_playground_shows_the_request_serve_sends_for_the_same_unsigned_webhook(tmp_path: Path) -> None:
    # One plan for both: the same messageId (from the same fallback webhook-id when the request
    # carries none), URL and body, apart from the moment in sentAt.
    env = {"SHOP_SECRET": new_secret(), "SEG_KEY": "wk_live_secret_value"}
    payload = (ROOT / "samples" / "payment.succeeded.json").read_text()
    with SegmentStandin() as standin, ServeProcess(
            ["--config", str(config(tmp_path, True, standin.url)), "--insecure-skip-verify"], env=env,
            data_dir=tmp_path / "data") as srv:
        accepted = httpx.post(srv.url + "/webhooks", content=payload, headers={"content-type": "application/json"})
        assert accepted.status_code == 200, accepted.text
        assert standin.wait_for_events(1) == 1
        (sent,) = standin.events()
        shown = httpx.post(srv.url + "/playground/api/run",
                           json={"code": PAYMENTS.read_text(), "payload": payload, "transform": "payments"}).json()
    request = shown["request"]
    assert request["message_id"] == sent["messageId"]
    assert request["url"] == standin.url + "/v1/track"
    body = json.loads(request["body"])
    assert {k: v for k, v in body.items() if k != "sentAt"} == {k: v for k, v in sent.items() if k != "sentAt"}
