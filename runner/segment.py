"""Segment HTTP Tracking API rules: hosts, auth, message ids, validation, batch packing, retries.

Pure functions only (no I/O), so the dispatcher and the pipeline share one definition of what
Segment accepts. Facts are from Segment's HTTP API docs and its official libraries:

- `POST {base}/v1/{track,identify,page,screen,group,alias,batch}`, JSON body;
- `Authorization: Basic base64("<writeKey>:")`;
- `userId` or `anonymousId` required; `track` needs `event`, `group` needs `groupId`,
  `alias` needs `previousId`; 32 KB per event, 500 KB and 2,500 events per batch;
- Segment answers 200 to nearly everything, so events are validated here before sending.
"""

from __future__ import annotations

import base64
import email.utils
import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from runner.errors import SegmentEventError

US_HOST = "api.segment.io"
EU_HOST = "events.eu1.segmentapis.com"
SEGMENT_HOSTS = frozenset({US_HOST, EU_HOST})
DEFAULT_BASE_URL = f"https://{US_HOST}"

CALL_TYPES = frozenset({"track", "identify", "page", "screen", "group", "alias"})
BATCH = "batch"

MAX_EVENT_BYTES = 32 * 1024  # Segment: 32 KB per event and per non-batch request
MAX_BATCH_BYTES = 500 * 1000  # Segment: 500 KB per batch request (counted in decimal KB to stay under)
MAX_BATCH_EVENTS = 2_500  # Segment: above this the batch gets a 200 and the events are dropped
MAX_MESSAGE_ID_CHARS = 99  # Segment: messageId must be shorter than 100 characters
# What stamping an attempt adds to a body (`with_sent_at`, `pack`): `,"sentAt":"2025-08-04T05:30:45.000Z"`.
SENT_AT_BYTES = len(b',"sentAt":"0000-00-00T00:00:00.000Z"')

# Statuses Segment's own libraries retry; every other 4xx is final.
RETRYABLE_STATUSES = frozenset({408, 410, 429})
NON_RETRYABLE_5XX = frozenset({501, 505})

_REQUIRED_BY_TYPE = {"track": "event", "group": "groupId", "alias": "previousId"}




@dataclass(frozen=True)
class Batch:
    """One request's worth of events: `ids` are the caller's keys, `body` the exact bytes."""

    ids: tuple[int, ...]
    body: bytes


def call_type(url: str) -> str | None:
    """The Segment call a URL names (`.../v1/track` → `track`), or None if it names none."""
    parts = [p for p in urlsplit(url).path.split("/") if p]
    if len(parts) == 2 and parts[0] == "v1" and (parts[1] in CALL_TYPES or parts[1] == BATCH):
        return parts[1]
    return None


def auth_header(write_key: str) -> str:
    """The `Authorization` value for a write key (Basic, key as user, empty password)."""
    return "Basic " + base64.b64encode(f"{write_key}:".encode()).decode("ascii")


def message_id(*parts: str) -> str:
    """A deterministic messageId from the parts naming one logical event.

    The same (endpoint, webhook-id, transform) always gives the same id, so Segment dedupes a
    second delivery of the same result (a retry, a crash between send and ack).
    """
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"runner-{digest[:40]}"


def validate(event: object, kind: str) -> dict[str, object]:
    """Return `event` if Segment would accept it as a `kind` call, else raise SegmentEventError."""
    checked = check_fields(event, kind)
    check_size(dumps(checked), kind)
    return checked


def check_fields(event: object, kind: str) -> dict[str, object]:
    """`validate` without the size check (made on the bytes sent: see `check_size`)."""
    if not isinstance(event, dict):
        raise SegmentEventError(
            f"a Segment {kind} event must be a JSON object, got {type(event).__name__}; "
            "return webhook.payload as an object"
        )
    if kind not in CALL_TYPES:
        raise SegmentEventError(
            f"unknown Segment call type {kind!r}; use one of {', '.join(sorted(CALL_TYPES))}"
        )
    if not _present(event.get("userId")) and not _present(event.get("anonymousId")):
        raise SegmentEventError(
            f"Segment {kind} event has neither userId nor anonymousId; set one of them"
        )
    field = _REQUIRED_BY_TYPE.get(kind)
    if field and not _present(event.get(field)):
        raise SegmentEventError(f"Segment {kind} event has no {field!r}; set it")
    mid = event.get("messageId")
    if mid is not None and (not isinstance(mid, str) or len(mid) > MAX_MESSAGE_ID_CHARS):
        raise SegmentEventError(
            f"messageId must be a string of at most {MAX_MESSAGE_ID_CHARS} characters; "
            "shorten it or leave it unset"
        )
    return event


def check_size(raw: bytes, kind: str, *, reserve: int = 0) -> bytes:
    """`raw` (one event's JSON bytes) if within Segment's per-event limit, else SegmentEventError.
    `reserve`: bytes added before it is sent (`SENT_AT_BYTES` for a call sent on its own)."""
    size = len(raw) + reserve
    if size > MAX_EVENT_BYTES:
        raise SegmentEventError(
            f"Segment {kind} event is {size} bytes as sent, over Segment's {MAX_EVENT_BYTES}-byte limit; "
            "send fewer properties"
        )
    return raw


def check_batch(raw: bytes, count: int) -> bytes:
    """`raw` (a handler-built `/v1/batch` body of `count` events, without its `sentAt`) if
    within Segment's batch limits, else SegmentEventError: over them Segment refuses the whole
    batch, or answers 200 and drops its events."""
    if count > MAX_BATCH_EVENTS:
        raise SegmentEventError(
            f"a Segment batch holds at most {MAX_BATCH_EVENTS} events, this one {count}; send fewer per batch"
        )
    size = len(raw) + SENT_AT_BYTES
    if size > MAX_BATCH_BYTES:
        raise SegmentEventError(
            f"the Segment batch is {size} bytes as sent, over Segment's {MAX_BATCH_BYTES}-byte limit; "
            "send fewer events per batch"
        )
    return raw


def prepare(
    event: dict[str, object],
    *,
    kind: str,
    message_id: str,
    library: dict[str, str],
    timestamp: str | None = None,
) -> dict[str, object]:
    """A copy of `event` with `type`, `messageId`, `context.library` and `timestamp` filled in.

    Values the handler set itself win: its own messageId is its own dedupe decision; its
    timestamp is when it says the event happened. Without one, `timestamp` is when the webhook
    event happened, so retried deliveries do not land at retry time.
    """
    out = dict(event)
    # Set by the dispatcher at each attempt; without it here, adding it needs no parse.
    out.pop("sentAt", None)
    out["type"] = kind
    out.setdefault("messageId", message_id)
    if timestamp and "timestamp" not in out:
        out["timestamp"] = timestamp
    context = out.get("context")
    context = dict(context) if isinstance(context, dict) else {}
    context.setdefault("library", library)
    out["context"] = context
    return out


def expand_batch(body: object) -> list[dict[str, object]]:
    """The events of a handler-built `/v1/batch` body, each checked against its own `type` (their
    sizes are checked once serialised)."""
    items = body.get("batch") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        raise SegmentEventError(
            "a Segment batch body must be an object with a non-empty 'batch' list of events"
        )
    out = []
    for index, item in enumerate(items):
        kind = item.get("type") if isinstance(item, dict) else None
        if not isinstance(kind, str):
            raise SegmentEventError(f"batch item {index} has no 'type'; set it to e.g. 'track'")
        try:
            out.append(check_fields(item, kind))
        except SegmentEventError as exc:
            raise SegmentEventError(f"batch item {index}: {exc}") from None
    return out


def sent_at(now: float | None = None) -> str:
    """An ISO-8601 UTC timestamp with milliseconds, as Segment libraries send `sentAt`."""
    moment = datetime.fromtimestamp(time.time() if now is None else now, tz=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def dumps(value: object) -> bytes:
    """Compact JSON bytes: the wire form, also used for size checks."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    try:
        return text.encode()
    except UnicodeEncodeError:
        # A lone UTF-16 surrogate (a JavaScript string cut inside an emoji) has no UTF-8 form:
        # U+FFFD, which is what Segment's JSON decoder makes of its `\ud83d` escape.
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace").encode()


def pack(
    events: Sequence[tuple[int, bytes]],
    *,
    sent_at_value: str,
    max_bytes: int = MAX_BATCH_BYTES,
    max_events: int = MAX_BATCH_EVENTS,
) -> list[Batch]:
    """Pack pre-serialised events into `/v1/batch` bodies under both Segment limits.

    `events` are (key, JSON bytes of one event). Bodies are assembled from the bytes as they
    are, so the size counted is the size sent.
    """
    tail = b'],"sentAt":' + json.dumps(sent_at_value).encode() + b"}"
    head = b'{"batch":['
    overhead = len(head) + len(tail)
    batches: list[Batch] = []
    ids: list[int] = []
    parts: list[bytes] = []
    size = overhead
    for key, raw in events:
        extra = len(raw) + (1 if parts else 0)
        if parts and (size + extra > max_bytes or len(parts) >= max_events):
            batches.append(Batch(tuple(ids), head + b",".join(parts) + tail))
            ids, parts, size = [], [], overhead
            extra = len(raw)
        ids.append(key)
        parts.append(raw)
        size += extra
    if parts:
        batches.append(Batch(tuple(ids), head + b",".join(parts) + tail))
    return batches


def with_sent_at(raw: bytes, sent_at_value: str) -> bytes:
    """A compact JSON object's bytes (as `prepare` + `dumps` make them: no `sentAt` of its own)
    with `sentAt` appended, without parsing it again.

    A body that may hold a `sentAt` already (queued by an earlier runner, whose `prepare` kept
    the handler's) is parsed and its `sentAt` replaced: appending would send the key twice."""
    if b'"sentAt"' in raw:
        event = json.loads(raw)
        if isinstance(event, dict):
            event.pop("sentAt", None)
            event["sentAt"] = sent_at_value
            return dumps(event)
    tail = b'"sentAt":' + json.dumps(sent_at_value).encode() + b"}"
    body = raw.rstrip()
    if not body.endswith(b"}"):
        raise ValueError("not a JSON object")
    return body[:-1] + (b"," if body[:-1].rstrip() != b"{" else b"") + tail


def is_retryable(status: int) -> bool:
    """Whether Segment's libraries would retry this HTTP status."""
    if status in RETRYABLE_STATUSES:
        return True
    return 500 <= status < 600 and status not in NON_RETRYABLE_5XX


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _present(value: object) -> bool:
    if isinstance(value, str):
        return value.strip() != ""
    return isinstance(value, (int, float)) and not isinstance(value, bool)
