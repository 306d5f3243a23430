"""Handlers written for other Svix-powered senders: bodies without `type`, Svix message
samples, `--event-type`, `svix-*` signature headers and a configurable event-type field.

Real parts throughout: the installed CLI in a subprocess, `runner serve` over loopback HTTP with
the Segment stand-in, the playground app served by uvicorn.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from runner import config as cfg
from runner import segment
from runner.cli import main
from runner.config import ConfigError
from runner.delivery.sqlite import SQLiteStore
from runner.delivery.store import Filter
from runner.engine import Handler, Outcome
from runner.engine.threaded import ThreadedEngine
from runner.envelope import Envelope, event_type_of
from runner.errors import EventTypeMissing
from runner.playground import create_app
from runner.playground.serving import background
from runner.samples import from_json, is_message
from runner.server.service import pipeline_for
from runner.server.verify import SignatureError, Verifier
from tests.support.segment_standin import SegmentStandin
from tests.support.serve import TRANSFORMS, ServeProcess, new_secret, payment_event, signed

ROOT = Path(__file__).resolve().parent.parent
SVIX_SAMPLES = Path(__file__).resolve().parent / "samples" / "svix"
INVOICE = SVIX_SAMPLES / "invoice.paid.json"
USER = SVIX_SAMPLES / "user.created.json"
PAYMENTS = str(TRANSFORMS / "segment-track-payments.js")
WRITE_KEY = "wk_svix_senders_0123456789"

# A handler for an invoicing sender whose bodies carry no `type`: it branches on eventType only.
INVOICE_HANDLER = """function handler(webhook) {
  console.log("eventType:", typeof webhook.eventType, String(webhook.eventType));
  if (webhook.eventType !== "invoice.paid") return webhook;
  const inv = webhook.payload;
  webhook.url = "https://api.segment.io/v1/track";
  webhook.payload = {
    userId: inv.customer.id,
    event: "Invoice Paid",
    properties: {invoice_id: inv.id, amount: (inv.amount_paid / 100).toFixed(2), currency: inv.currency.toUpperCase()},
  };
  return webhook;
}
"""

# For serve: sends every event to Segment, saying which event type (if any) it ran with.
ECHO_TYPE_HANDLER = """function handler(webhook) {
  webhook.url = "https://api.segment.io/v1/track";
  webhook.payload = {
    anonymousId: "anon-1",
    event: webhook.eventType == null ? "No Event Type" : "Got " + webhook.eventType,
    properties: {has_type: webhook.eventType != null},
  };
  return webhook;
}
"""


def cli(*args: str, stdin: str | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The installed console script, in a real process."""
    exe = shutil.which("runner", path=str(Path(sys.executable).parent)) or "runner"
    return subprocess.run([exe, *args], input=stdin, capture_output=True, text=True, cwd=cwd,
                          env=dict(os.environ, NO_COLOR="1"), timeout=120)


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with the invoice handler and a samples/ folder of other senders' webhooks."""
    (tmp_path / "transforms").mkdir()
    (tmp_path / "transforms" / "invoices.js").write_text(INVOICE_HANDLER)
    samples = tmp_path / "samples"
    samples.mkdir()
    shutil.copy(INVOICE, samples / "invoice.paid.json")
    shutil.copy(USER, samples / "user.created.json")
    invoice = json.loads(INVOICE.read_text())["payload"]
    (samples / "invoice-body.json").write_text(json.dumps(invoice, indent=2))  # the bare body: no type
    return tmp_path


# ---- samples: the Svix message rule ----------------------------------------------------------

def test_provider_samples_are_never_read_as_svix_messages() -> None:
    files = sorted((ROOT / "samples").glob("*.json"))
    assert len(files) >= 25
    for path in files:
        text = path.read_text("utf-8")
        sample = from_json(text, json.loads(text))
        assert not sample.message, path.name
        assert sample.body == text and sample.event_type == json.loads(text)["type"], path.name


def test_svix_message_samples_unwrap_to_their_payload_and_event_type() -> None:
    for path, event_type in ((INVOICE, "invoice.paid"), (USER, "user.created")):
        text = path.read_text("utf-8")
        data = json.loads(text)
        sample = from_json(text, data)
        assert sample.message and sample.event_type == event_type
        assert json.loads(sample.body) == data["payload"]
        assert "type" not in data["payload"]  # the event type travels beside the body
    # Only Svix's own fields may sit beside eventType and payload; anything else makes it a body.
    assert not is_message({"eventType": "x", "payload": {}, "type": "x"})
    assert not is_message({"eventType": "x", "payload": [1]})
    assert not is_message({"eventType": 1, "payload": {}})
    assert is_message({"eventType": "x", "payload": {}, "eventId": "e", "tags": ["t"], "channels": None})


def test_payload_text_is_kept_as_written_and_de_indented() -> None:
    text = '{\n  "eventType": "a.b",\n  "payload": {\n    "n": 1.50,\n    "big": 12345678901234567890\n  }\n}\n'
    body = from_json(text, json.loads(text)).body
    assert body == '{\n  "n": 1.50,\n  "big": 12345678901234567890\n}'


# ---- runner preview --------------------------------------------------------------------------

def test_preview_runs_a_body_without_type_with_no_event_type(project: Path) -> None:
    proc = cli("preview", "transforms/invoices.js", "samples/invoice-body.json", "--all", cwd=project)
    assert proc.returncode == 0, proc.stderr  # it used to refuse: 'the webhook body has no string "type"'
    assert "samples/invoice-body.json  (no event type)  UNCHANGED" in proc.stdout
    assert "no string" not in proc.stderr


def test_preview_without_event_type_gives_undefined_as_the_dashboard(project: Path) -> None:
    proc = cli("preview", "transforms/invoices.js", "samples/invoice-body.json", "--format", "json", cwd=project)
    (record,) = json_lines(proc.stdout)
    assert record["logs"][0]["message"] == "eventType: undefined undefined"
    assert "eventType" not in record["result"]


def test_event_type_option_sets_event_type_for_a_body_without_type(project: Path) -> None:
    proc = cli("preview", "transforms/invoices.js", "samples/invoice-body.json", "--format", "json",
               "--event-type", "invoice.paid", cwd=project)
    assert proc.returncode == 0, proc.stderr
    (record,) = json_lines(proc.stdout)
    assert record["result"]["eventType"] == "invoice.paid"
    assert record["result"]["url"] == "https://api.segment.io/v1/track"
    assert record["result"]["payload"]["properties"] == {"invoice_id": "inv_01JQ7Z3K8M4N2P6R9T5V7X1Y3B",
                                                         "amount": "49.00", "currency": "EUR"}
    assert record["logs"] == [{"level": "log", "message": "eventType: string invoice.paid"}]
    bad = cli("preview", "transforms/invoices.js", "samples/invoice-body.json", "--event-type", " ", cwd=project)
    assert bad.returncode == 2 and "--event-type" in bad.stderr


def test_preview_of_a_svix_message_sample(project: Path) -> None:
    proc = cli("preview", "transforms/invoices.js", "samples/invoice.paid.json", "samples/user.created.json",
               "--format", "json", cwd=project)
    assert proc.returncode == 0, proc.stderr
    invoice, user = json_lines(proc.stdout)
    assert invoice["result"]["eventType"] == "invoice.paid"
    assert invoice["result"]["payload"]["event"] == "Invoice Paid"
    # Unchanged: the handler got the message's payload as the body, not the whole message.
    assert user["result"]["eventType"] == "user.created"
    assert user["result"]["payload"] == json.loads(USER.read_text())["payload"]
    text = cli("preview", "transforms/invoices.js", "--all", cwd=project)  # default samples/: all three
    assert text.returncode == 0, text.stderr
    assert "samples/invoice.paid.json  invoice.paid  SENT" in text.stdout
    assert "samples/user.created.json  user.created  UNCHANGED" in text.stdout
    assert "transforms/invoices.js        3     1          0          2      0" in text.stdout  # the summary table


def test_event_type_option_wins_over_the_message_and_the_body(project: Path) -> None:
    proc = cli("preview", "transforms/invoices.js", "samples/user.created.json", "--format", "json",
               "--event-type", "user.deleted", cwd=project)
    (record,) = json_lines(proc.stdout)
    assert record["result"]["eventType"] == "user.deleted"  # the message said user.created
    dodo = cli("preview", PAYMENTS, "samples/payment.succeeded.json", "--format", "json",
               "--event-type", "refund.succeeded")
    assert dodo.returncode == 0, dodo.stderr
    (record,) = json_lines(dodo.stdout)
    assert record["result"]["eventType"] == "refund.succeeded"  # the body said payment.succeeded
    assert record["result"]["url"] == "https://example.invalid/webhook"  # so the handler left it alone


def test_a_message_with_a_typo_runs_as_a_body_and_says_so(project: Path) -> None:
    (project / "typo.json").write_text('{"eventType": "invoice.paid", "evntId": "e1", "payload": {"id": "x"}}')
    proc = cli("preview", "transforms/invoices.js", "typo.json", "--all", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert "typo.json: note:" in proc.stderr and "'evntId'" in proc.stderr
    assert "typo.json  (no event type)  UNCHANGED" in proc.stdout


def test_snapshot_stores_the_event_type_option(project: Path) -> None:
    created = cli("test", "transforms/invoices.js", "--update", "--event-type", "invoice.paid", cwd=project)
    assert created.returncode == 0, created.stderr
    snapshot = json.loads((project / "transforms" / "invoices.snapshot.json").read_text())
    assert snapshot["settings"]["eventType"] == "invoice.paid"
    # Every sample ran as invoice.paid: the user's payload has no customer, so that one threw.
    assert {k: v["status"] for k, v in snapshot["samples"].items()} == {
        "invoice-body.json": "sent", "invoice.paid.json": "sent", "user.created.json": "error"}
    again = cli("test", "transforms/invoices.js", cwd=project)  # the stored setting is used
    assert again.returncode == 0, again.stdout + again.stderr
    # Without the option, snapshots carry no eventType setting and each sample runs with its own.
    other = project / "transforms" / "plain.js"
    other.write_text(INVOICE_HANDLER)
    assert cli("test", "transforms/plain.js", "--update", cwd=project).returncode == 0
    data = json.loads((project / "transforms" / "plain.snapshot.json").read_text())
    assert "eventType" not in data["settings"]
    assert {k: v["status"] for k, v in data["samples"].items()} == {
        "invoice-body.json": "unchanged", "invoice.paid.json": "sent", "user.created.json": "unchanged"}


# ---- serve: svix-* headers -------------------------------------------------------------------

def svix_signed(secret: str, body: Any, **kwargs: Any) -> tuple[bytes, dict[str, str]]:
    """Signed as Svix sends it: the Standard Webhooks scheme under svix-* header names."""
    content, headers = signed(secret, body, **kwargs)
    return content, {k.replace("webhook-", "svix-"): v for k, v in headers.items()}


def test_verifier_reads_svix_headers() -> None:
    secret = new_secret()
    body, headers = svix_signed(secret, {"type": "x"})
    Verifier([secret]).verify(body, headers)
    with pytest.raises(SignatureError) as info:
        Verifier([new_secret()]).verify(body, headers)
    assert info.value.reason == "bad_signature"
    with pytest.raises(SignatureError) as info:
        Verifier([secret]).verify(body, {k: v for k, v in headers.items() if k != "svix-signature"})
    assert info.value.reason == "missing_headers" and "svix-signature" in str(info.value)
    with pytest.raises(SignatureError) as info:
        Verifier([secret]).verify(body, {**headers, "svix-timestamp": "soon"})
    assert info.value.reason == "malformed_headers" and "svix-timestamp" in str(info.value)


def test_serve_accepts_and_verifies_svix_headers(tmp_path: Path) -> None:
    secret = new_secret()
    env = {"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": WRITE_KEY}
    with SegmentStandin() as standin, ServeProcess([PAYMENTS, "--segment-url", standin.url], env=env,
                                                   data_dir=tmp_path / "data") as srv:
        hook = srv.url + "/webhooks"
        body, headers = svix_signed(secret, payment_event(1), msg_id="msg_svix_0001")
        ok = httpx.post(hook, content=body, headers=headers)
        assert ok.status_code == 200, ok.text
        assert ok.json()["status"] == "accepted"
        assert ok.json()["transforms"] == [{"name": "segment-track-payments", "status": "pending"}]

        # The sender retries: the same svix-id, whichever header names carry it, is the same webhook.
        assert httpx.post(hook, content=body, headers=headers).json()["status"] == "duplicate"
        standard = signed(secret, payment_event(1), msg_id="msg_svix_0001")
        assert httpx.post(hook, content=standard[0], headers=standard[1]).json()["status"] == "duplicate"

        wrong = svix_signed(new_secret(), payment_event(2))
        r = httpx.post(hook, content=wrong[0], headers=wrong[1])
        assert r.status_code == 401 and r.json()["error"] == "bad_signature"
        tampered = httpx.post(hook, content=body.replace(b"pay_00000001", b"pay_99999999"), headers=headers)
        assert tampered.status_code == 401
        unsigned = {k: v for k, v in svix_signed(secret, payment_event(3))[1].items() if k != "svix-signature"}
        r = httpx.post(hook, content=json.dumps(payment_event(3)).encode(), headers=unsigned)
        assert r.status_code == 401 and "svix-signature" in r.json()["message"]
        stale = svix_signed(secret, payment_event(4), timestamp=time.time() - 600)
        r = httpx.post(hook, content=stale[0], headers=stale[1])
        assert r.status_code == 401 and r.json()["error"] == "stale_timestamp" and "svix-timestamp" in r.json()["message"]

        # Both header sets: they must agree.
        body5, std5 = signed(secret, payment_event(5), msg_id="msg_both_0005")
        both = {**std5, **{k.replace("webhook-", "svix-"): v for k, v in std5.items() if k.startswith("webhook-")}}
        assert httpx.post(hook, content=body5, headers=both).status_code == 200
        body6, std6 = signed(secret, payment_event(6), msg_id="msg_both_0006")
        r = httpx.post(hook, content=body6, headers={**std6, "svix-id": "msg_other"})
        assert r.status_code == 401 and r.json()["error"] == "conflicting_headers"
        assert "svix-id" in r.json()["message"] and "webhook-id" in r.json()["message"]

        assert standin.wait_for_events(2) == 2
        # messageIds derive from svix-id exactly as from webhook-id.
        assert set(standin.message_ids()) == {segment.message_id("default", w, "segment-track-payments")
                                              for w in ("msg_svix_0001", "msg_both_0005")}
    assert secret not in srv.logs()
    listed = CliRunner().invoke(main, ["deliveries", "list", "--data-dir", str(tmp_path / "data"), "--json"])
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert sorted(r["webhook_id"] for r in rows) == ["msg_both_0005", "msg_svix_0001"]
    assert {r["event_type"] for r in rows} == {"payment.succeeded"}


# ---- serve: the event type's field -----------------------------------------------------------

def test_serve_reads_the_event_type_from_the_configured_field(tmp_path: Path) -> None:
    handler = tmp_path / "echo.js"
    handler.write_text(ECHO_TYPE_HANDLER)
    config = tmp_path / "runner.yaml"
    with SegmentStandin() as standin:
        config.write_text(f"""\
destinations:
  segment: {{type: segment, write_key_env: SEG_KEY, base_url: "{standin.url}"}}
endpoints:
  billing:                     # a sender that names the type elsewhere, and sometimes not at all
    secret_env: BILLING_SECRET
    event_type_field: meta.event
    require_event_type: false
    transforms:
      echo: {{file: echo.js}}
  strict:
    secret_env: STRICT_SECRET
    event_type_field: event
    transforms:
      echo: {{file: echo.js}}
""")
        billing, strict = new_secret(), new_secret()
        env = {"BILLING_SECRET": billing, "STRICT_SECRET": strict, "SEG_KEY": WRITE_KEY}
        with ServeProcess(["--config", str(config)], env=env, data_dir=tmp_path / "data") as srv:
            def post(endpoint: str, secret: str, body: Any, msg_id: str) -> httpx.Response:
                content, headers = svix_signed(secret, body, msg_id=msg_id)
                return httpx.post(f"{srv.url}/webhooks/{endpoint}", content=content, headers=headers)

            # The field wins over a `type` the body also has.
            r = post("billing", billing, {"type": "ignored", "meta": {"event": "invoice.paid"}, "id": "in_1"}, "msg_b1")
            assert r.status_code == 200 and r.json()["transforms"] == [{"name": "echo", "status": "pending"}]
            # Not there: accepted (require_event_type: false); the handler runs with no event type.
            r = post("billing", billing, {"meta": {}, "id": "in_2"}, "msg_b2")
            assert r.status_code == 200, r.text

            r = post("strict", strict, {"id": "in_3"}, "msg_s1")
            assert r.status_code == 400 and r.json()["error"] == "no_event_type"
            message = r.json()["message"]
            assert "'strict'" in message and "no 'event'" in message
            assert "event_type_field" in message and "require_event_type: false" in message
            r = post("strict", strict, {"event": 5}, "msg_s2")
            assert r.status_code == 400 and "'event' is a number" in r.json()["message"]
            r = post("strict", strict, {"event": "user.created"}, "msg_s3")
            assert r.status_code == 200, r.text

            assert standin.wait_for_events(3) == 3
        events = {e["messageId"]: e for e in standin.events()}
    assert events[segment.message_id("billing", "msg_b1", "echo")]["event"] == "Got invoice.paid"
    untyped = events[segment.message_id("billing", "msg_b2", "echo")]
    assert untyped["event"] == "No Event Type" and untyped["properties"] == {"has_type": False}
    assert events[segment.message_id("strict", "msg_s3", "echo")]["event"] == "Got user.created"
    listed = CliRunner().invoke(main, ["deliveries", "list", "--data-dir", str(tmp_path / "data"), "--json"])
    stored = {r["webhook_id"]: r["event_type"] for r in map(json.loads, listed.output.splitlines())}
    assert stored == {"msg_b1": "invoice.paid", "msg_b2": "", "msg_s3": "user.created"}


def test_event_type_field_in_runner_yaml_is_validated() -> None:
    base = "endpoints:\n  e:\n{extra}    transforms:\n      t: {{file: transforms/segment-track-payments.js}}\n"
    parsed = cfg.parse(base.format(extra=""), base_dir=ROOT).endpoint("e")
    assert parsed is not None and (parsed.event_type_field, parsed.require_event_type) == ("type", True)
    parsed = cfg.parse(base.format(extra="    event_type_field: data.kind\n    require_event_type: false\n"),
                       base_dir=ROOT).endpoint("e")
    assert parsed is not None and (parsed.event_type_field, parsed.require_event_type) == ("data.kind", False)
    for extra, needle in (("    event_type_field: data..kind\n", "dotted path"),
                          ("    event_type_field: ''\n", "not a field"),
                          ("    require_event_type: maybe\n", "true or false")):
        with pytest.raises(ConfigError) as info:
            cfg.parse(base.format(extra=extra), filename="runner.yaml", base_dir=ROOT)
        assert str(info.value).startswith("runner.yaml:3: endpoints.e.")
        assert needle in str(info.value)


def test_envelope_rules() -> None:
    assert event_type_of({"data": {"kind": "a.b"}}, "data.kind") == "a.b"
    assert event_type_of({"data": {"kind": ""}}, "data.kind") is None
    assert event_type_of({"data": "x"}, "data.kind") is None
    with pytest.raises(EventTypeMissing, match="no 'data.kind'"):
        Envelope.parse(b'{"data": {}}', event_type_field="data.kind")
    with pytest.raises(EventTypeMissing, match="'type' is an object"):
        Envelope.parse(b'{"type": {}}')
    assert Envelope.parse(b'{"id": 1}', require_event_type=False) == Envelope('{"id": 1}', None)


class TypeRecorder:
    """An engine that records the event type of each run (and sends nothing)."""

    def __init__(self) -> None:
        self.types: list[str | None] = []

    def run(self, handler: Handler, body: str | bytes, *, url: str = "", env: Mapping[str, str] | None = None,
            settings: object = None, event_type: str | None = None) -> Outcome:
        self.types.append(event_type)
        return Outcome("cancelled", event_type)


def test_pipeline_accept_and_replay_use_the_endpoints_field(tmp_path: Path) -> None:
    config = cfg.parse("endpoints:\n  default:\n    event_type_field: meta.event\n    require_event_type: false\n"
                       "    transforms:\n      a: {file: transforms/segment-track-payments.js}\n", base_dir=ROOT)
    engine = TypeRecorder()
    store = SQLiteStore.in_dir(tmp_path)
    pipeline = pipeline_for(config, store, lambda limits: ThreadedEngine(lambda: engine), environ={})
    try:
        for webhook_id, envelope in (("m1", {"type": "x", "meta": {"event": "invoice.paid"}}), ("m2", {"type": "x"})):
            parsed = Envelope.parse(json.dumps(envelope), event_type_field="meta.event", require_event_type=False)
            asyncio.run(pipeline.accept("default", webhook_id, parsed))
        assert engine.types == ["invoice.paid", ""]  # none: not the body's `type`
        rows = asyncio.run(store.list(Filter()))
        assert sorted((d.webhook_id, d.event_type) for d in rows) == [("m1", "invoice.paid"), ("m2", "")]
        transform = config.transform("default", "a")
        assert transform is not None
        asyncio.run(pipeline.rerun("default", "a", Handler.from_file(transform.path), "m1",
                                   json.dumps({"type": "x", "meta": {"event": "invoice.paid"}})))
        assert engine.types[-1] == "invoice.paid"
    finally:
        store.close_sync()


# ---- playground ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def playground(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    samples = tmp_path_factory.mktemp("samples")
    shutil.copy(INVOICE, samples / "invoice.paid.json")
    shutil.copy(ROOT / "samples" / "payment.succeeded.json", samples / "payment.succeeded.json")
    (samples / "untyped.json").write_text('{"id": "evt_1", "amount": 3}')
    transforms = tmp_path_factory.mktemp("transforms")
    (transforms / "invoices.js").write_text(INVOICE_HANDLER)
    app = create_app(transforms_dir=transforms, samples_dir=samples, environ={"SEGMENT_WRITE_KEY": WRITE_KEY})
    with background(app) as url, httpx.Client(base_url=url) as http:
        yield http


def test_playground_offers_a_svix_message_as_its_payload_and_event_type(playground: httpx.Client) -> None:
    catalog = {s["name"]: s for s in playground.get("api/catalog").json()["samples"]}
    assert catalog["invoice.paid"]["message"] is True and catalog["payment.succeeded"]["message"] is False
    sample = playground.get("api/samples/invoice.paid").json()
    assert sample["message"] is True and sample["own_event_type"] == "invoice.paid"
    assert json.loads(sample["body"]) == json.loads(INVOICE.read_text())["payload"]
    dodo = playground.get("api/samples/payment.succeeded").json()
    assert dodo["message"] is False and dodo["own_event_type"] == "payment.succeeded"
    untyped = playground.get("api/samples/untyped").json()
    assert untyped["own_event_type"] is None and untyped["event_type"] == "untyped"  # the name, for display


def test_playground_run_with_and_without_an_event_type(playground: httpx.Client) -> None:
    body = json.dumps(json.loads(INVOICE.read_text())["payload"])

    def run(**fields: Any) -> dict[str, Any]:
        r = playground.post("api/run", json={"code": INVOICE_HANDLER, "payload": body, **fields})
        assert r.status_code == 200, r.text
        return r.json()

    typed = run(event_type="invoice.paid")
    assert typed["status"] == "sent" and typed["event_type"] == "invoice.paid"
    assert json.loads(typed["request"]["body"])["event"] == "Invoice Paid"
    assert typed["logs"] == [{"level": "log", "message": "eventType: string invoice.paid"}]
    untyped = run()  # no field, and the body has no type: no event type
    assert untyped["status"] == "unchanged" and untyped["event_type"] is None
    assert untyped["logs"][0]["message"] != "eventType: string invoice.paid"
    assert run(event_type="")["event_type"] is None  # the page's empty field
    dodo = playground.post("api/run", json={"code": INVOICE_HANDLER, "payload": (ROOT / "samples" / "payment.succeeded.json").read_text(),
                                            "event_type": "invoice.refunded"}).json()
    assert dodo["event_type"] == "invoice.refunded"  # the field wins over the body's type
    pasted = run(payload=INVOICE.read_text())  # the whole message pasted as the body
    assert any("Svix message" in w for w in pasted["warnings"])
    for bad in (5, "x" * 257):
        r = playground.post("api/run", json={"code": INVOICE_HANDLER, "payload": body, "event_type": bad})
        assert r.status_code == 400 and "event_type" in r.json()["error"]["message"]


def test_playground_run_all_uses_each_samples_own_event_type(playground: httpx.Client) -> None:
    rows = {r["sample"]: r for r in playground.post("api/run-all", json={"code": INVOICE_HANDLER}).json()["results"]}
    assert rows["invoice.paid"]["status"] == "sent" and rows["invoice.paid"]["event_type"] == "invoice.paid"
    assert rows["payment.succeeded"]["event_type"] == "payment.succeeded"
    assert rows["untyped"]["event_type"] is None and rows["untyped"]["status"] == "unchanged"
    forced = playground.post("api/run-all", json={"code": INVOICE_HANDLER, "event_type": "invoice.voided"}).json()
    assert {r["event_type"] for r in forced["results"]} == {"invoice.voided"}
    assert {r["status"] for r in forced["results"]} == {"unchanged"}


CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_playground_page_event_type_field(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    samples = tmp_path / "samples"
    samples.mkdir()
    shutil.copy(INVOICE, samples / "invoice.paid.json")
    shutil.copy(ROOT / "samples" / "payment.succeeded.json", samples / "payment.succeeded.json")
    transforms = tmp_path / "transforms"
    transforms.mkdir()
    (transforms / "invoices.js").write_text(INVOICE_HANDLER)
    app = create_app(transforms_dir=transforms, samples_dir=samples)
    with background(app) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_page()
            page.goto(url)
            expect(page.locator("body")).to_have_attribute("data-ready", "true")
            field = page.locator("#event-type-input")
            expect(field).to_have_value("")  # the provider's sample: its body's type applies
            expect(page.locator("#event-type")).to_have_text("payment.succeeded")

            page.select_option("#sample-picker", "invoice.paid")  # a Svix message fills the field in
            expect(field).to_have_value("invoice.paid")
            expect(page.locator("#status")).to_have_attribute("data-status", "sent")
            expect(page.locator("#request-body")).to_contain_text('"event": "Invoice Paid"')
            expect(page.locator("#request-body")).not_to_contain_text("eventType")  # the payload only

            field.fill("")  # the payload has no type: no event type
            expect(page.locator("#status")).to_have_attribute("data-status", "unchanged")
            expect(page.locator("#event-type")).to_have_text("no event type")
            field.fill("invoice.paid")
            expect(page.locator("#status")).to_have_attribute("data-status", "sent")
        finally:
            browser.close()
