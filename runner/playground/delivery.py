"""What the server would do with a handler's request, as the page shows it.

The decisions are the server's own: `Router` (destinations, rejections, headers incl. Segment
auth) and the pipeline's Segment body builder (validation, `messageId`, `type`,
`context.library`, `timestamp`), followed by the dispatcher's `sentAt`. What is shown is masked
here: the Segment write key and any header value taken from the environment never leave this
module, and credential-looking headers the handler set are masked too.

`Pipeline.plan` makes the same decision for a stored delivery; this module mirrors its order
(skip without destination → route → Segment body) because `plan` needs a whole pipeline.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from runner import segment
from runner.config import DEFAULT_DESTINATION, DEFAULT_ENDPOINT, DEFAULT_WRITE_KEY_ENV, DestinationConfig
from runner.delivery.routes import RouteRejected, Router
from runner.engine import Request
from runner.engine.sandbox import DEFAULT_URL
from runner.pipeline import segment_body

MASK = "••••••••"
# Header names whose values are credentials: masked whoever set them.
_SECRET_HEADER = re.compile(r"authorization|cookie|token|secret|api[-_]?key|signature|password", re.I)

# `runner serve` without a config file: Segment is the one destination, keyed from the usual variable.
DEFAULT_DESTINATIONS = (
    DestinationConfig(DEFAULT_DESTINATION, "segment", segment.SEGMENT_HOSTS, None, DEFAULT_WRITE_KEY_ENV),
)

DeliveryStatus = Literal["pending", "skipped", "rejected", "dead"]


@dataclass(frozen=True)
class Header:
    name: str
    value: str
    added: bool  # set by the server at delivery, not by the handler


@dataclass(frozen=True)
class Delivery:
    """The request as it would go on the wire (`status` pending), or why it would not."""

    status: DeliveryStatus
    reason: str | None
    method: str
    url: str
    headers: list[Header]
    body: object
    message_id: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Target:
    """The server side of a preview: destinations and the environment their secrets come from."""

    destinations: tuple[DestinationConfig, ...] = DEFAULT_DESTINATIONS
    environ: Mapping[str, str] = field(default_factory=dict)
    endpoint: str = DEFAULT_ENDPOINT

    def router(self) -> Router:
        return Router(self.destinations)


def preview(
    request: Request,
    *,
    target: Target,
    webhook_id: str,
    transform: str,
    transform_url: str,
    envelope: Mapping[str, object],
    sent_at: str,
) -> Delivery:
    """What delivering `request` would send: method, URL, masked headers, final body."""
    body = request.payload()
    mine = [Header(name, _masked(name, value), False) for name, value in request.headers.items()]

    def not_sent(status: DeliveryStatus, reason: str) -> Delivery:
        return Delivery(status, reason, request.method, request.url, mine, body)

    if request.url == DEFAULT_URL and transform_url == DEFAULT_URL:
        return not_sent("skipped", "no destination: the handler did not set webhook.url and the transform has no url")
    router = target.router()
    try:
        route = router.resolve(request.url, request.method)
    except RouteRejected as exc:
        return not_sent("rejected", exc.reason)
    dest = route.destination
    server = router.headers(dest, target.environ)
    if not route.is_segment:
        merged = router.headers(dest, target.environ, request.headers)
        own = {name.lower() for name in request.headers}
        secret = {name.lower() for name, value in dest.headers if value.env is not None}
        headers = [
            Header(name, MASK if name in secret and name not in own else _masked(name, value), name not in own)
            for name, value in merged.items()
        ]
        return Delivery("pending", None, request.method, request.url, headers, body)

    kind = route.kind or ""
    try:
        event = segment_body(request.body, kind, (target.endpoint, webhook_id, transform), envelope)
    except segment.SegmentEventError as exc:
        return not_sent("dead", f"Segment would drop this event: {exc}")
    if kind != segment.BATCH:
        # The dispatcher stamps each attempt; shown with the time of this preview.
        event["sentAt"] = sent_at
    else:
        event = {**event, "sentAt": sent_at}
    base = router.segment_base(dest, request.url).rstrip("/")
    headers = [Header(name, _segment_header(name, value), True) for name, value in server.items()]
    if not any(name == "authorization" for name in server):
        headers.append(Header("authorization", f"‹not sent: {dest.write_key_env} is not set›", True))
    warnings = []
    if request.headers:
        warnings.append("Segment destinations send only the server's headers; the handler's headers are dropped")
    message_id = event.get("messageId") if kind != segment.BATCH else None
    return Delivery(
        "pending", None, "POST", f"{base}/v1/{kind}", headers, event,
        str(message_id) if message_id else None, warnings,
    )


def _segment_header(name: str, value: str) -> str:
    # The write key is the credential of the whole Segment source: never shown, not even in part.
    return "Basic " + MASK if name.lower() == "authorization" else _masked(name, value)


def _masked(name: str, value: str) -> str:
    if not _SECRET_HEADER.search(name):
        return value
    scheme, _, rest = value.partition(" ")
    # Keep the scheme ("Basic", "Bearer") visible: it is what people check; the credential isn't.
    return f"{scheme} {MASK}" if rest else MASK
