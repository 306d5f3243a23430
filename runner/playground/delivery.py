"""What the server adds to a handler's request when it delivers it, as the page shows it.

Built only from `runner.segment` (auth header, deterministic messageId, `prepare`, validation),
so the preview and the dispatcher share Segment's rules. Secrets are masked here: the write key
never leaves this module, and credential-looking headers the handler set are masked too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from runner import __version__, segment
from runner.engine import Request

MASK = "••••••••"
# Header names whose values are credentials: masked whoever set them.
_SECRET_HEADER = re.compile(r"authorization|cookie|token|secret|api[-_]?key|signature|password", re.I)
LIBRARY = {"name": "runner", "version": __version__}


@dataclass(frozen=True)
class Header:
    name: str
    value: str
    added: bool  # set by the server at delivery, not by the handler


@dataclass(frozen=True)
class Delivery:
    """The request as it would go on the wire; `body` is the parsed JSON body."""

    method: str
    url: str
    headers: list[Header]
    body: object
    message_id: str | None = None
    warnings: list[str] = field(default_factory=list)


def preview(
    request: Request,
    *,
    webhook_id: str,
    transform: str,
    timestamp: str | None,
    write_key_configured: bool,
    segment_base_url: str | None = None,
) -> Delivery:
    """The delivery of `request`: Segment auth, `messageId`, `type`, `context.library` and
    `timestamp` are added for Segment tracking URLs, the write key masked."""
    body = request.payload()
    url = request.url
    warnings: list[str] = []
    added: list[Header] = []
    message_id: str | None = None
    host = urlsplit(url).hostname
    kind = segment.call_type(url)

    if segment.is_segment_host(host) and kind is None:
        warnings.append(
            f"{url} is a Segment host but names no call; use /v1/track, /v1/identify, ... or /v1/batch"
        )
    elif segment.is_segment_host(host) and kind is not None:
        url = segment.rebase(url, segment_base_url)
        message_id = segment.message_id(webhook_id, transform)
        body = _prepare(body, kind, message_id, timestamp, warnings)
        auth = "Basic " + MASK if write_key_configured else "Basic ‹write key not configured›"
        if not _has(request.headers, "authorization"):
            added.append(Header("Authorization", auth, True))

    if not _has(request.headers, "content-type"):
        added.append(Header("Content-Type", "application/json", True))
    own = [Header(name, _masked(name, value), False) for name, value in request.headers.items()]
    return Delivery(request.method, url, own + added, body, message_id, warnings)


def _prepare(body: object, kind: str, message_id: str, timestamp: str | None, warnings: list[str]) -> object:
    try:
        if kind == segment.BATCH:
            items = segment.expand_batch(body)
        else:
            segment.validate(body, kind)
    except segment.SegmentEventError as exc:
        warnings.append(f"Segment would drop this event: {exc}")
        if kind != segment.BATCH and isinstance(body, dict):
            return segment.prepare(body, kind=kind, message_id=message_id, library=LIBRARY, timestamp=timestamp)
        return body
    if kind == segment.BATCH:
        assert isinstance(body, dict)  # expand_batch accepted it
        prepared = [
            segment.prepare(
                item,
                kind=str(item["type"]),
                message_id=segment.message_id(message_id, str(index)),
                library=LIBRARY,
                timestamp=timestamp,
            )
            for index, item in enumerate(items)
        ]
        return {**body, "batch": prepared}
    assert isinstance(body, dict)  # validate accepted it
    return segment.prepare(body, kind=kind, message_id=message_id, library=LIBRARY, timestamp=timestamp)


def _has(headers: dict[str, str], name: str) -> bool:
    return any(key.lower() == name for key in headers)


def _masked(name: str, value: str) -> str:
    if not _SECRET_HEADER.search(name):
        return value
    scheme, _, rest = value.partition(" ")
    # Keep the scheme ("Basic", "Bearer") visible: it is what people check; the credential isn't.
    return f"{scheme} {MASK}" if rest else MASK
