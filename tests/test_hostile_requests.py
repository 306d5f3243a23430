"""Hostile requests, fuzzed with Hypothesis against a running `runner serve`.

An attacker without the endpoint's secret sends anything: random bytes, JSON nested a hundred
thousand deep, numbers with a hundred thousand digits, invalid UTF-8, duplicate keys, every
content type, captured requests replayed outside the ±5 minute tolerance, signatures made for
another body, and injected or malformed headers on raw sockets. Every answer must be a clean
4xx (no 5xx, no dropped connection), nothing may be queued, and the server's memory (the server
process and its engine workers) must stay bounded. Authentic (correctly signed) but malformed
bodies must get a 400/401/413 and queue nothing either.
"""

from __future__ import annotations

import base64
import collections
import dataclasses
import hashlib
import hmac
import json
import socket
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.reliability import MiB, queue_counts, rss_bytes
from tests.support.segment_standin import SegmentStandin
from tests.support.serve import TRANSFORMS, ServeProcess, new_secret, payment_event, signed

PAYMENTS = str(TRANSFORMS / "segment-track-payments.js")
MAX_BODY = 64 * 1024
FUZZ = settings(deadline=None, database=None, suppress_health_check=list(HealthCheck), print_blob=True)


@dataclass
class Target:
    url: str
    port: int
    secret: str
    server: ServeProcess
    client: httpx.Client
    rss_start: int = 0
    requests: int = 0
    statuses: collections.Counter[int] = dataclasses.field(default_factory=collections.Counter)


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    data = tmp_path_factory.mktemp("hostile-requests") / "data"
    secret = new_secret()
    with SegmentStandin() as standin, ServeProcess(
        [PAYMENTS, "--segment-url", standin.url, "--max-body-bytes", str(MAX_BODY)],
        env={"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": "wk_fuzz"}, data_dir=data,
    ) as server, httpx.Client(timeout=30) as client:
        t = Target(server.url, server.port, secret, server, client)
        for _ in range(50):  # warm up allocators and code paths before the baseline
            client.post(server.url + "/webhooks", content=b"{}", headers={"content-type": "application/json"})
        assert server.proc is not None
        t.rss_start = rss_bytes(server.proc.pid)
        yield t


def sign_bytes(secret: str, body: bytes, msg_id: str, timestamp: int) -> str:
    """A Standard Webhooks signature over raw bytes (the library only signs text)."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def clean_4xx(response: httpx.Response) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])


def post(t: Target, body: bytes, headers: dict[str, str], path: str = "/webhooks") -> httpx.Response:
    t.requests += 1
    response = t.client.post(t.url + path, content=body, headers=headers)
    t.statuses[response.status_code] += 1
    return response


def raw_exchange(port: int, data: bytes, timeout: float = 30.0) -> int:
    """Send raw bytes on a new connection; the final status code of the answer (interim 1xx
    skipped; 0: the connection closed without one)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before reading everything: read its answer
        buf = b""
        while True:
            while buf.count(b"\r\n\r\n") == 0:
                try:
                    chunk = s.recv(65536)
                except ConnectionResetError:
                    chunk = b""
                if not chunk:
                    return 0
                buf += chunk
            head, _, buf = buf.partition(b"\r\n\r\n")
            parts = head.split(b" ", 2)
            status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
            if not 100 <= status < 200:
                return status


# --- strategies ---------------------------------------------------------------------------

CONTENT_TYPES = ["application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                 "application/json; charset=utf-16", "application/xml", "", "*/*", "application/json\x7f", "image/png"]


def deep(n: int, kind: str) -> str:
    if kind == "array":
        return '{"type":"payment.succeeded","data":' + "[" * n + "]" * n + "}"
    if kind == "object":
        return '{"type":"payment.succeeded","data":' + '{"a":' * n + "1" + "}" * n + "}"
    return "[" * n  # unbalanced


json_like = st.one_of(
    st.builds(deep, st.integers(1, 200_000), st.sampled_from(["array", "object", "open"])),
    st.integers(1, 60_000).map(lambda n: '{"type":"payment.succeeded","data":{"total_amount":' + "9" * n + "}}"),
    st.sampled_from(["1e999999", "-1e999999", "NaN", "Infinity", "-0", "1" + "0" * 5000 + ".5e-99999"]).map(
        lambda num: '{"type":"payment.succeeded","data":{"total_amount":' + num + "}}"),
    st.lists(st.sampled_from(['"type":"payment.succeeded"', '"type":"x"', '"type":null', '"data":{}', '"data":[]']),
             min_size=1, max_size=8).map(lambda kv: "{" + ",".join(kv) + "}"),  # duplicate keys
    st.sampled_from(['{"type":"\\ud800"}', '{"type":"\\udfff\\ud800"}', '{"type":"ok","s":"\\ud83d"}', '"\\u0000"']),
    st.recursive(st.none() | st.booleans() | st.floats(allow_nan=False) | st.text(max_size=20),
                 lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                 max_leaves=30).map(lambda v: json.dumps({"type": "payment.succeeded", "data": v})),
).map(lambda text: text.encode("utf-8", "surrogatepass"))

invalid_utf8 = st.tuples(json_like, st.binary(min_size=1, max_size=8).filter(lambda b: not _is_utf8(b)),
                         st.integers(0, 10_000)).map(lambda t: t[0][: t[2] % (len(t[0]) + 1)] + t[1] + t[0][t[2] % (len(t[0]) + 1):])


def _is_utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


bodies = st.one_of(st.binary(max_size=4096), json_like, invalid_utf8)
# What an HTTP client library will send as a header value (raw sockets send the rest, below).
header_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=200).map(str.strip)
signature_headers = st.one_of(
    st.just({}),  # unsigned
    st.fixed_dictionaries({"webhook-id": header_text, "webhook-timestamp": header_text, "webhook-signature": header_text}),
    st.fixed_dictionaries({
        "webhook-id": header_text,
        "webhook-timestamp": st.integers(-10**12, 10**12).map(str),
        "webhook-signature": st.lists(st.one_of(
            st.binary(min_size=32, max_size=32).map(lambda b: "v1," + base64.b64encode(b).decode()),
            st.sampled_from(["v1,", "v1,!!!", "v2,abc", ",", "v1,a,b", "v1a", " "]),
        ), min_size=1, max_size=20).map(" ".join),
    }),
)


# --- the fuzzing ----------------------------------------------------------------------------

@settings(FUZZ, max_examples=600)
@given(body=bodies, headers=signature_headers, content_type=st.sampled_from(CONTENT_TYPES))
def test_unauthenticated_requests_get_a_clean_4xx(target: Target, body: bytes, headers: dict[str, str],
                                                  content_type: str) -> None:
    headers = {k: v.strip() for k, v in {**headers, "content-type": content_type}.items()}  # as a client sends them
    clean_4xx(post(target, body, headers))


@settings(FUZZ, max_examples=300)
@given(body=bodies, other=json_like, age_s=st.one_of(st.integers(301, 10**9), st.integers(-(10**9), -301)))
def test_replays_outside_the_tolerance_and_signatures_for_another_body(target: Target, body: bytes, other: bytes,
                                                                       age_s: int) -> None:
    msg_id = f"msg_{uuid.uuid4().hex}"
    now = int(time.time())
    # A captured request replayed long after (or before) it was signed: its own valid signature.
    stale = {"webhook-id": msg_id, "webhook-timestamp": str(now - age_s),
             "webhook-signature": sign_bytes(target.secret, body, msg_id, now - age_s), "content-type": "application/json"}
    r = post(target, body, stale)
    clean_4xx(r)
    assert r.status_code in (401, 413), r.text
    if r.status_code == 401 and _is_utf8(body):
        assert r.json()["error"] in ("stale_timestamp", "bad_signature"), r.text
    # A fresh, genuine signature, but made for another body.
    if other != body:
        fresh = {"webhook-id": msg_id, "webhook-timestamp": str(now),
                 "webhook-signature": sign_bytes(target.secret, other, msg_id, now), "content-type": "application/json"}
        clean_4xx(post(target, body, fresh))


def _refuse(constant: str) -> None:
    raise ValueError(f"{constant} is not JSON")


def is_envelope(body: bytes) -> bool:
    """RFC 8259 JSON (no NaN/Infinity), UTF-8 (no lone surrogate in `type`), an object with a
    non-empty string `type`: the provider's envelope, which the server must accept."""
    try:
        envelope = json.loads(body.decode("utf-8"), parse_constant=_refuse)
        kind = envelope.get("type") if isinstance(envelope, dict) else None
        return isinstance(kind, str) and bool(kind) and bool(kind.encode("utf-8"))
    except (UnicodeError, ValueError, RecursionError):
        return False


@settings(FUZZ, max_examples=400)
@given(body=st.one_of(json_like, invalid_utf8, st.binary(max_size=2048),
                      st.integers(MAX_BODY + 1, MAX_BODY * 4).map(lambda n: b'{"type":"x","p":"' + b"x" * n + b'"}')))
def test_authentic_but_malformed_bodies_are_refused(target: Target, body: bytes) -> None:
    """Signed with the right secret, so only the body is wrong: 400 (or 401 for bytes that are
    not UTF-8, which no signature can cover, or 413 over the size limit); a valid envelope is
    the one exception, and is skipped here (it would rightly be accepted)."""
    if is_envelope(body) and len(body) <= MAX_BODY:
        return
    msg_id, now = f"msg_{uuid.uuid4().hex}", int(time.time())
    r = post(target, body, {"webhook-id": msg_id, "webhook-timestamp": str(now),
                            "webhook-signature": sign_bytes(target.secret, body, msg_id, now),
                            "content-type": "application/json"})
    assert r.status_code in (400, 401, 413), (r.status_code, r.text[:300], body[:200])


header_names = st.one_of(
    st.sampled_from(["webhook-id", "webhook-timestamp", "webhook-signature", "content-length", "transfer-encoding",
                     "host", "content-type", "expect", "connection", "x-forwarded-for", "Webhook-Signature"]),
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7e, exclude_characters=":"), min_size=1, max_size=30),
)
header_values = st.one_of(
    header_text,
    st.binary(max_size=200).map(lambda b: b.replace(b"\r\n", b"").decode("latin-1")),
    st.sampled_from(["chunked", "-1", "99999999999999999999", "v1,AAAA", "\x00", "a\rb", "a\nb", " folded", "100-continue",
                     "close", "gzip, chunked", "0", "1"]),
    st.integers(1, 65_536).map(lambda n: "a" * n),
)


@settings(FUZZ, max_examples=300)
@given(injected=st.lists(st.tuples(header_names, header_values), min_size=1, max_size=6), before=st.booleans(),
       body=st.one_of(json_like, st.binary(max_size=512)), path=st.sampled_from(["/webhooks", "/webhooks/default", "/webhooks/%00",
                                                                                  "/webhooks/../webhooks", "/webhooks?x=1"]))
def test_injected_headers_on_raw_sockets(target: Target, injected: list[tuple[str, str]], before: bool, body: bytes,
                                         path: str) -> None:
    """Headers an attacker adds around a request signed with a secret they do not have (valid
    UTF-8 or not, CR/LF, NUL, obs-fold, framing headers, duplicates): a 4xx every time."""
    _, genuine = signed(new_secret(), payment_event(1))
    lines = [f"{k}: {v}" for k, v in genuine.items() if k != "content-type"]
    extra = [f"{k}: {v}" for k, v in injected]
    head = [f"POST {path} HTTP/1.1", f"host: 127.0.0.1:{target.port}", f"content-length: {len(body)}"]
    head += (extra + lines) if before else (lines + extra)
    data = "\r\n".join(head).encode("latin-1") + b"\r\n\r\n" + body
    target.requests += 1
    status = raw_exchange(target.port, data)
    target.statuses[status] += 1
    assert 400 <= status < 500, (status, data[:400])


# --- explicit cases and the invariants over everything above ---------------------------------

def test_duplicate_signature_headers_cannot_smuggle_another_event(target: Target) -> None:
    body, headers = signed(target.secret, payment_event(7))
    for name, value in [("webhook-id", "msg_forged"), ("webhook-timestamp", "1"), ("webhook-signature", "v1,AAAA")]:
        head = ["POST /webhooks HTTP/1.1", f"host: 127.0.0.1:{target.port}", f"content-length: {len(body)}",
                f"{name}: {value}"] + [f"{k}: {v}" for k, v in headers.items()]
        assert raw_exchange(target.port, "\r\n".join(head).encode() + b"\r\n\r\n" + body) == 401, name


def test_a_replay_inside_the_tolerance_is_a_duplicate_and_queues_nothing_new(target: Target) -> None:
    body, headers = signed(target.secret, payment_event(8))
    first = post(target, body, headers)
    assert first.status_code == 200 and first.json()["status"] == "accepted"
    before = sum(queue_counts(target.url).values())
    for _ in range(5):
        again = post(target, body, headers)
        assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert sum(queue_counts(target.url).values()) == before


def test_oversized_headers_are_answered_and_do_not_stay_in_memory(target: Target) -> None:
    """httptools (uvicorn's parser) has no header size limit: a 16 MiB header is read whole.
    It is refused (401, unsigned) and its memory is returned; see SECURITY.md."""
    assert target.server.proc is not None
    before = rss_bytes(target.server.proc.pid)
    for _ in range(4):
        data = (f"POST /webhooks HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\nx-pad: {'a' * (16 * MiB)}\r\n\r\n").encode() + b"{}"
        assert raw_exchange(target.port, data, timeout=60) == 401
    assert rss_bytes(target.server.proc.pid) - before < 128 * MiB


def test_after_the_fuzzing_nothing_was_queued_memory_is_bounded_and_real_events_flow(target: Target) -> None:
    """Runs last in this module: the invariants over every hostile request sent above."""
    # The fuzzing reached every layer: the HTTP parser (400), the size limit (413), routing (404),
    # verification (401) and envelope parsing (400 after a valid signature).
    assert {400, 401, 404, 413} <= set(target.statuses), target.statuses
    assert target.requests >= 1000, target.requests
    counts = queue_counts(target.url)
    # Only the one genuine event of the replay test (if it ran) is in the queue: no hostile one.
    assert sum(counts.values()) <= 1, counts
    assert target.server.proc is not None
    grown = rss_bytes(target.server.proc.pid) - target.rss_start
    assert grown < 128 * MiB, f"the server grew by {grown / MiB:.0f} MiB over {target.requests} hostile requests"
    print(f"\nhostile requests: {target.requests}, answers {dict(sorted(target.statuses.items()))}, "
          f"server RSS {target.rss_start / MiB:.0f} MiB -> {(target.rss_start + grown) / MiB:.0f} MiB")
    body, headers = signed(target.secret, payment_event(9))
    r = post(target, body, headers)
    assert r.status_code == 200 and r.json()["transforms"][0]["status"] == "pending"
    logs = target.server.logs()
    assert "Traceback" not in logs and '"level": "error"' not in logs, logs[-3000:]
    assert target.secret not in logs
