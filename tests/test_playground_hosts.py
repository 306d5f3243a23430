"""The playground's Host check (against DNS rebinding) is the same standalone and mounted by
`runner serve`; the webhook endpoints never get it, since providers call them by a public name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from runner.playground.app import allowed_hosts_for
from tests.support.segment_standin import SegmentStandin
from tests.support.serve import ROOT, ServeProcess, new_secret, payment_event, signed

PAYMENTS = ROOT / "transforms" / "segment-track-payments.js"


@pytest.mark.parametrize(("bind", "extra"), [
    ("127.0.0.1", []), ("localhost", []), ("::1", []), ("[::1]", []), ("127.0.0.2", ["127.0.0.2"]),
])
def test_a_loopback_address_accepts_only_loopback_names(bind: str, extra: list[str]) -> None:
    assert allowed_hosts_for(bind) == ["localhost", "127.0.0.1", "[::1]", *extra]


@pytest.mark.parametrize("bind", ["0.0.0.0", "::", "192.0.2.7", "runner.internal.example"])
def test_another_address_has_no_check_unless_names_are_configured(bind: str) -> None:
    assert allowed_hosts_for(bind) is None
    names = allowed_hosts_for(bind, ["Runner.Example"])
    assert names is not None and "runner.example" in names and "localhost" in names
    assert "0.0.0.0" not in names and "[::]" not in names  # where it listens, not a name to ask for


@pytest.fixture
def standin() -> Iterator[SegmentStandin]:
    with SegmentStandin() as s:
        yield s


def test_serve_refuses_other_hosts_on_the_playground_only(tmp_path: Path, standin: SegmentStandin) -> None:
    config = tmp_path / "runner.yaml"
    config.write_text(f"""\
server: {{playground: true, playground_samples: {ROOT / 'samples'}}}
destinations:
  segment: {{type: segment, write_key_env: SEG_KEY, base_url: "{standin.url}"}}
endpoints:
  default:
    secret_env: SHOP_SECRET
    transforms:
      payments: {{file: {PAYMENTS}}}
""")
    secret = new_secret()
    with ServeProcess(["--config", str(config)], env={"SHOP_SECRET": secret, "SEG_KEY": "wk"},
                      data_dir=tmp_path / "data") as srv:
        own = {"host": f"127.0.0.1:{srv.port}"}
        evil = {"host": "evil.example"}
        with httpx.Client(base_url=srv.url) as http:
            assert http.get("/playground/", headers=own).status_code == 200
            assert http.get("/playground/", headers={"host": f"localhost:{srv.port}"}).status_code == 200
            # A page that re-bound evil.example to 127.0.0.1 reaches the port, but not the playground.
            assert http.get("/playground/", headers=evil).status_code == 400
            assert http.get("/playground/api/catalog", headers=evil).status_code == 400
            code = PAYMENTS.read_text("utf-8")
            payload = (ROOT / "samples" / "payment.succeeded.json").read_text("utf-8")
            run = http.post("/playground/api/run", json={"code": code, "payload": payload}, headers=evil)
            assert run.status_code == 400
            assert http.post("/playground/api/run", json={"code": code, "payload": payload},
                             headers=own).json()["status"] == "sent"
            # The webhook endpoint (and health checks) answer whatever name the provider used.
            body, headers = signed(secret, payment_event(1))
            hook = http.post("/webhooks", content=body, headers={**headers, "host": "hooks.shop.example"})
            assert hook.status_code == 200, hook.text
            assert hook.json()["status"] == "accepted"
            assert http.get("/healthz", headers=evil).status_code == 200
        assert standin.wait_for_events(1, timeout=20) == 1  # and it was delivered
