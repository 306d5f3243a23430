"""The playground's JSON API, served by uvicorn on loopback and called over real HTTP."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from starlette.applications import Starlette
from starlette.routing import Mount

from runner import segment
from runner.cli.playground import playground
from runner.compat import JsSettings
from runner.config import DestinationConfig, Value
from runner.engine import Engine, Handler, Limits
from runner.playground import PlaygroundConfigError, create_app
from runner.playground import worker as worker_module
from runner.playground.app import MAX_CODE_BYTES
from runner.playground.serving import background

ROOT = Path(__file__).resolve().parent.parent
TRANSFORMS = ROOT / "transforms"
SAMPLES = ROOT / "samples"
WRITE_KEY = "wk_live_Zq8s7XwD2pLk"
SECRET_ENV = "hs_pat_5f2e9c0b7a11"
PAYMENTS = (TRANSFORMS / "segment-track-payments.js").read_text()
SUBSCRIPTIONS = (TRANSFORMS / "segment-track-subscriptions.js").read_text()
PAYMENT = (SAMPLES / "payment.succeeded.json").read_text()


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    app = create_app(
        transforms_dir=TRANSFORMS,
        samples_dir=SAMPLES,
        env={"HUBSPOT_TOKEN": SECRET_ENV},
        environ={"SEGMENT_WRITE_KEY": WRITE_KEY},
        limits=Limits(time_ms=200),
    )
    with background(app) as url, httpx.Client(base_url=url) as http:
        yield http


def run(client: httpx.Client, code: str, payload: str = PAYMENT, **extra: object) -> Any:
    response = client.post("api/run", json={"code": code, "payload": payload, **extra})
    assert response.status_code == 200, response.text
    # No secret may reach the page, whatever the handler did with it.
    assert WRITE_KEY not in response.text and SECRET_ENV not in response.text
    return response.json()


def test_catalog_lists_transforms_and_samples_grouped_by_family(client: httpx.Client) -> None:
    data = client.get("api/catalog").json()
    assert [t["name"] for t in data["transforms"]] == sorted(p.stem for p in TRANSFORMS.glob("*.js"))
    assert data["transforms"][0]["source"] == (TRANSFORMS / f"{data['transforms'][0]['name']}.js").read_text()
    names = [s["name"] for s in data["samples"]]
    assert sorted(names) == sorted(p.stem for p in SAMPLES.glob("*.json"))
    families = [s["family"] for s in data["samples"]]
    assert families == sorted(families)  # grouped: each family is contiguous
    assert {"payment", "subscription", "dispute", "refund"} <= set(families)
    assert data["default_sample"] == "payment.succeeded"
    assert data["limits"]["time_ms"] == 200


def test_sample_by_name_and_unknown_names(client: httpx.Client) -> None:
    data = client.get("api/samples/payment.succeeded").json()
    assert data["body"] == PAYMENT and data["family"] == "payment"
    response = client.get("api/samples/nope")
    assert response.status_code == 404 and "api/catalog" in response.json()["error"]["message"]
    for name in ("..%2Fpyproject", "%2E%2E", "..%2F..%2Fpyproject.toml"):
        assert client.get(f"api/samples/{name}").status_code == 404


def test_sent_shows_the_segment_request_with_masked_auth_and_message_id(client: httpx.Client) -> None:
    r = run(client, PAYMENTS, transform="segment-track-payments")
    assert r["status"] == "sent" and r["event_type"] == "payment.succeeded"
    assert r["delivery"] == {"status": "pending", "reason": None}
    request = r["request"]
    assert (request["method"], request["url"]) == ("POST", "https://api.segment.io/v1/track")
    headers = {h["name"]: (h["value"], h["added"]) for h in request["headers"]}
    assert headers["authorization"] == ("Basic ••••••••", True)
    assert headers["content-type"] == ("application/json", True)
    body = json.loads(request["body"])
    expected_id = segment.message_id("default", r["webhook_id"], "segment-track-payments")
    assert body["messageId"] == request["message_id"] == expected_id
    assert body["type"] == "track" and body["event"] == "Payment Completed"
    assert body["properties"]["amount"] == "73.61"
    assert body["context"]["library"]["name"] == "runner"
    assert "sentAt" in body
    inserted = [d["text"] for d in r["diff"] if d["op"] == "insert"]
    deleted = [d["text"] for d in r["diff"] if d["op"] == "delete"]
    assert '  "event": "Payment Completed",' in inserted
    assert '  "type": "payment.succeeded",' in deleted
    assert r["duration_ms"] > 0 and r["error"] is None


def test_message_id_is_stable_per_body_and_transform(client: httpx.Client) -> None:
    first = run(client, PAYMENTS, transform="segment-track-payments")["request"]["message_id"]
    again = run(client, PAYMENTS, transform="segment-track-payments")["request"]["message_id"]
    other = run(client, PAYMENTS, transform="custom")["request"]["message_id"]
    given = run(client, PAYMENTS, transform="segment-track-payments", webhook_id="msg_2x")
    assert first == again != other
    assert given["request"]["message_id"] == segment.message_id("default", "msg_2x", "segment-track-payments")


def test_unchanged_without_destination_is_skipped_and_diff_is_empty(client: httpx.Client) -> None:
    r = run(client, SUBSCRIPTIONS)  # a payment event: the subscriptions handler leaves it alone
    assert r["status"] == "unchanged"
    assert r["delivery"]["status"] == "skipped" and "no destination" in r["delivery"]["reason"]
    assert json.loads(r["request"]["body"]) == json.loads(PAYMENT)
    assert r["diff"] == []


def test_cancelled_sends_nothing(client: httpx.Client) -> None:
    r = run(client, "function handler(webhook) { webhook.cancel = true; return webhook; }")
    assert r["status"] == "cancelled" and r["request"] is None and r["delivery"] is None


def test_console_output_is_captured_and_env_values_are_masked(client: httpx.Client) -> None:
    code = """function handler(webhook) {
  console.log("type", webhook.eventType);
  console.warn("token", webhook.env.HUBSPOT_TOKEN);
  webhook.url = "https://api.segment.io/v1/track";
  webhook.headers = {"X-Debug": "token=" + webhook.env.HUBSPOT_TOKEN};
  webhook.payload = {userId: "u1", event: "E"};
  return webhook;
}"""
    r = run(client, code)
    assert r["logs"] == [
        {"level": "log", "message": "type payment.succeeded"},
        {"level": "warn", "message": "token ••••••••"},
    ]
    assert any("handler's headers are dropped" in w for w in r["warnings"])


def test_http_destination_keeps_handler_headers_and_masks_credentials() -> None:
    crm = DestinationConfig("crm", "http", frozenset({"api.crm.example"}),
                            headers=(("Authorization", Value(env="CRM_TOKEN", prefix="Bearer ")),))
    app = create_app(transforms_dir=TRANSFORMS, samples_dir=SAMPLES, destinations=[crm],
                     environ={"CRM_TOKEN": "crm-secret-value"})
    code = """function handler(webhook) {
  webhook.url = "https://api.crm.example/contacts";
  webhook.method = "PATCH";
  webhook.headers = {"X-Source": "dodo", "X-Api-Key": "typed-in-key-123"};
  return webhook;
}"""
    with background(app) as url, httpx.Client(base_url=url) as http:
        response = http.post("api/run", json={"code": code, "payload": PAYMENT})
    assert "crm-secret-value" not in response.text and "typed-in-key-123" not in response.text
    r = response.json()
    assert r["delivery"]["status"] == "pending"
    assert (r["request"]["method"], r["request"]["url"]) == ("PATCH", "https://api.crm.example/contacts")
    headers = {h["name"]: (h["value"], h["added"]) for h in r["request"]["headers"]}
    assert headers["authorization"] == ("••••••••", True)
    assert headers["x-source"] == ("dodo", False)
    assert headers["x-api-key"] == ("••••••••", False)


def test_unknown_host_is_rejected_with_the_routers_reason(client: httpx.Client) -> None:
    r = run(client, 'function handler(w) { w.url = "https://elsewhere.example/hook"; return w; }')
    assert r["status"] == "sent"
    assert r["delivery"]["status"] == "rejected" and "not a configured destination" in r["delivery"]["reason"]


def test_invalid_segment_event_would_be_dead(client: httpx.Client) -> None:
    r = run(client, 'function handler(w) { w.url = "https://api.segment.io/v1/track"; w.payload = {event: "E"}; return w; }')
    assert r["delivery"]["status"] == "dead"
    assert "neither userId nor anonymousId" in r["delivery"]["reason"]


def test_runtime_error_has_type_message_line_and_column(client: httpx.Client) -> None:
    code = "function handler(webhook) {\n  console.log('before');\n  return webhook.payload.data.nothing.here;\n}"
    r = run(client, code)
    assert r["status"] == "error" and r["request"] is None
    assert r["error"]["phase"] == "run" and r["error"]["type"] == "TypeError"
    assert r["error"]["line"] == 3 and 1 <= r["error"]["column"] <= len(r["error"]["source_line"])
    assert r["error"]["source_line"] == "  return webhook.payload.data.nothing.here;"
    assert r["logs"] == [{"level": "log", "message": "before"}]


def test_syntax_error_is_a_load_error_with_position(client: httpx.Client) -> None:
    r = run(client, "function handler(webhook) {\n  const x = ;\n  return webhook;\n}")
    assert r["status"] == "error"
    assert (r["error"]["phase"], r["error"]["type"]) == ("load", "SyntaxError")
    assert r["error"]["line"] == 2 and r["error"]["column"] is not None


def test_missing_handler_is_a_load_error(client: httpx.Client) -> None:
    r = run(client, "function handle(webhook) { return webhook; }")
    assert (r["error"]["phase"], r["error"]["type"]) == ("load", "NoHandlerError")


def test_time_limit_is_the_engines(client: httpx.Client) -> None:
    r = run(client, "function handler(webhook) { for (;;) {} }")
    assert r["error"]["type"] == "TimeLimitExceeded" and "200 ms" in r["error"]["message"]


def test_settings_and_output_are_the_engines() -> None:
    # One code path: the page shows what Engine.run gives with the same limits and settings.
    settings = JsSettings(locale="en-US", time_zone="UTC", now_ms=1_754_285_445_000.0)
    code = """function handler(webhook) {
  console.log(new Date().toISOString(), new Date(webhook.payload.timestamp).toLocaleDateString());
  return webhook;
}"""
    direct = Engine(settings=settings).run(Handler.from_source(code, filename="playground.js"), PAYMENT)
    app = create_app(transforms_dir=TRANSFORMS, samples_dir=SAMPLES, settings=settings)
    with background(app) as url, httpx.Client(base_url=url) as http:
        shown = http.post("api/run", json={"code": code, "payload": PAYMENT}).json()
    assert shown["logs"] == [entry.to_json() for entry in direct.logs]
    assert shown["logs"][0]["message"].startswith("2025-08-04T05:30:45.000Z ")


def test_invalid_payload_json_is_reported_at_its_position(client: httpx.Client) -> None:
    r = run(client, PAYMENTS, payload='{\n  "type": "payment.succeeded",\n  data: {}\n}')
    assert r["status"] == "error"
    assert r["error"] == {
        "phase": "payload",
        "type": "JSONDecodeError",
        "message": "Expecting property name enclosed in double quotes",
        "line": 3,
        "column": 3,
    }


def test_run_all_covers_every_sample(client: httpx.Client) -> None:
    response = client.post("api/run-all", json={"code": SUBSCRIPTIONS, "transform": "segment-track-subscriptions"})
    data = response.json()
    rows = {row["sample"]: row for row in data["results"]}
    assert set(rows) == {p.stem for p in SAMPLES.glob("*.json")}
    assert rows["subscription.active"]["status"] == "sent"
    assert rows["subscription.active"]["url"] == "https://api.segment.io/v1/track"
    assert rows["subscription.cancelled"]["status"] == "sent"
    assert rows["payment.succeeded"]["status"] == "unchanged"
    assert rows["payment.succeeded"]["delivery"]["status"] == "skipped"
    assert sum(data["counts"].values()) == len(rows)
    assert data["counts"]["sent"] == sum(1 for r in rows.values() if r["status"] == "sent")


def test_run_all_reports_a_load_error_on_every_row(client: httpx.Client) -> None:
    data = client.post("api/run-all", json={"code": "function handler( {"}).json()
    assert {row["status"] for row in data["results"]} == {"error"}
    assert data["results"][0]["error"]["phase"] == "load"


@pytest.mark.parametrize(
    ("content", "headers", "status", "needle"),
    [
        (b"{}", {"content-type": "text/plain"}, 415, "application/json"),
        (b"{not json", {"content-type": "application/json"}, 400, "not valid JSON"),
        (b"[]", {"content-type": "application/json"}, 400, "JSON object"),
        (b'{"code": 1, "payload": "{}"}', {"content-type": "application/json"}, 400, "'code'"),
        (b'{"code": "x"}', {"content-type": "application/json"}, 400, "'payload'"),
    ],
)
def test_malformed_requests_are_refused(
    client: httpx.Client, content: bytes, headers: dict[str, str], status: int, needle: str
) -> None:
    response = client.post("api/run", content=content, headers=headers)
    assert response.status_code == status
    assert needle in response.json()["error"]["message"]


def test_size_limits(client: httpx.Client) -> None:
    big_code = "//" + "x" * MAX_CODE_BYTES
    response = client.post("api/run", json={"code": big_code, "payload": PAYMENT})
    assert response.status_code == 413 and "'code'" in response.json()["error"]["message"]

    huge = json.dumps({"code": "", "payload": "x" * (2 * 1024 * 1024)}).encode()
    response = client.post("api/run", content=huge, headers={"content-type": "application/json"})
    assert response.status_code == 413

    # Without Content-Length (chunked), the limit is enforced while reading.
    chunks = iter([huge[i : i + 65536] for i in range(0, len(huge), 65536)])
    response = client.post("api/run", content=chunks, headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_mounted_under_a_prefix_uses_relative_urls() -> None:
    inner = create_app(transforms_dir=TRANSFORMS, samples_dir=SAMPLES)
    outer = Starlette(routes=[Mount("/playground", inner)])
    with background(outer) as url, httpx.Client(base_url=url) as http:
        page = http.get("playground/")
        assert page.status_code == 200
        assert '<base href="/playground/">' in page.text
        assert "default-src 'self'" in page.headers["content-security-policy"]
        assert 'src="static/app.js"' in page.text
        assert http.get("playground/static/app.js").status_code == 200
        assert http.get("playground/static/vendor/ace/ace.js").status_code == 200
        assert http.get("playground/static/vendor/ace/LICENSE.txt").status_code == 200
        assert http.get("playground/api/catalog").json()["default_sample"] == "payment.succeeded"
        assert http.get("playground", follow_redirects=True).url.path == "/playground/"


def test_host_check_when_enabled() -> None:
    app = create_app(transforms_dir=TRANSFORMS, samples_dir=SAMPLES, allowed_hosts=["127.0.0.1", "localhost"])
    with background(app) as url, httpx.Client(base_url=url) as http:
        assert http.get("api/catalog").status_code == 200
        assert http.get("api/catalog", headers={"host": "attacker.example"}).status_code == 400


def test_missing_directories_are_named(tmp_path: Path) -> None:
    with pytest.raises(PlaygroundConfigError, match="samples directory not found: .*--samples"):
        create_app(transforms_dir=TRANSFORMS, samples_dir=tmp_path / "nope")
    with pytest.raises(PlaygroundConfigError, match="no \\*.json files"):
        create_app(transforms_dir=TRANSFORMS, samples_dir=tmp_path)


def test_cli_reports_missing_directories(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a directory without transforms/ and samples/
    result = CliRunner().invoke(playground, ["--no-open"])
    assert result.exit_code == 1
    assert "transforms directory not found: transforms; run from the project root" in result.output
    result = CliRunner().invoke(playground, ["--no-open", "--env", "NOEQUALS"])
    assert result.exit_code == 2 and "expected KEY=VALUE" in result.output


def test_cli_serves_and_prints_its_url(tmp_path: Path) -> None:
    # A real process on port 0: the printed URL is the one it listens on.
    proc = subprocess.Popen(
        [sys.executable, "-c", "from runner.cli.playground import playground; playground()",
         "--port", "0", "--no-open", "--time-limit-ms", "120", "--now", "2025-08-04T05:30:45Z"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "SEGMENT_WRITE_KEY": WRITE_KEY},
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("runner playground: http://127.0.0.1:"), line
        url = line.split()[2]
        with httpx.Client(base_url=url) as http:
            assert http.get("").status_code == 200
            assert http.get("api/catalog").json()["limits"]["time_ms"] == 120  # `runner preview`'s options
            r = http.post("api/run", json={"code": PAYMENTS, "payload": PAYMENT}).json()
            assert r["request"]["url"] == "https://api.segment.io/v1/track"
            assert WRITE_KEY not in json.dumps(r)
            assert {h["name"]: h["value"] for h in r["request"]["headers"]}["authorization"] == "Basic ••••••••"
            # DNS-rebinding guard of a loopback playground.
            assert http.get("api/catalog", headers={"host": "evil.example"}).status_code == 400
    finally:
        proc.terminate()
        proc.communicate()


def test_edits_run_in_one_engine_process_pool_of_the_playground() -> None:
    # Every edit is a new handler: each gets a context of its own in the playground's one pool
    # (the engine keeps a bounded number, tests/test_engine.py), never in the server's process.
    worker = worker_module.EngineWorker(limits=Limits(), settings=JsSettings(), env={})
    pools = []

    async def edit(n: int) -> None:
        out = await worker.run(PAYMENTS + f"\n// edit {n}", "p.js", [worker_module.Job(PAYMENT, "https://example.invalid/webhook")])
        assert isinstance(out, list) and out[0].status == "sent"
        pools.append(worker._own)

    async def edits() -> None:
        for n in (1, 2, 1, 3):
            await edit(n)

    try:
        asyncio.run(edits())
        own = worker._own
        assert own is not None and own.pids and os.getpid() not in own.pids
    finally:
        worker.close()
    assert pools[0] is pools[1] is pools[2] is pools[3]


def test_a_result_that_changes_between_reads_is_an_error_not_a_500(client: httpx.Client) -> None:
    data = run(client, "function handler(w) { let n = 0; w.url = 'https://api.segment.io/v1/track';\n"
                       "  w.headers = { get 'X-A'() { return ++n === 1 ? 'ok' : 7; } }; return w; }")
    assert data["error"]["type"] == "InvalidResult" and "getter" in data["error"]["message"]
