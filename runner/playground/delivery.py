"""What the server would send for a handler's result, as the page shows it.

The decisions are the server's own, made by the same code: `Destinations.plan` (destinations,
rejections, the Segment body with its validation, `messageId`, `type`, `context.library` and
`timestamp`) and `Destinations.requests` (the URL, headers and body on the wire, `sentAt`
stamped with the time of this preview). Only the showing is the playground's: the Segment write
key and any header value taken from the environment never leave this module, and
credential-looking headers the handler set are masked too (`runner.redact`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from runner import redact
from runner.config import DEFAULT_DESTINATIONS, DEFAULT_ENDPOINT, DestinationConfig
from runner.delivery.destinations import Destinations, SegmentDestination
from runner.delivery.destinations import Target as PlanTarget
from runner.delivery.store import Status
from runner.engine import Outcome
from runner.envelope import Envelope

# The page's mask: a row of dots reads as "hidden" in a form; the write key is never shown.
MASK = "••••••••"


def mask_header(name: str, value: str) -> str:
    """A header value as the page shows it (`runner.redact`'s rule, the page's mask)."""
    return redact.mask_header(name, value, mask=MASK)


@dataclass(frozen=True)
class Header:
    name: str
    value: str
    added: bool  # set by the server at delivery, not by the handler


@dataclass(frozen=True)
class Preview:
    """The request as it would go on the wire (`status` pending), or why it would not."""

    status: Status  # a stored delivery's: pending means it would be sent
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

    @cached_property
    def planner(self) -> Destinations:
        return Destinations(self.destinations)


def preview(
    outcome: Outcome,
    *,
    target: Target,
    webhook_id: str,
    transform: str,
    transform_url: str,
    envelope: Envelope,
    sent_at: str,
) -> Preview:
    """What delivering the request of `outcome` (which has one) would send: method, URL,
    masked headers, final body."""
    request = outcome.request
    assert request is not None
    mine = [Header(name, mask_header(name, value), False) for name, value in request.headers.items()]
    planner = target.planner
    planned = planner.plan(PlanTarget(target.endpoint, transform, transform_url), webhook_id, envelope, outcome)
    if planned.status != "pending":
        reason = planned.reason
        if planned.status == "dead" and planned.stage == "validate" and planned.kind is not None:
            reason = f"Segment would drop this event: {reason}"
        return Preview(planned.status, reason, request.method, request.url, mine, request.payload())
    wire = planner.requests([planned], target.environ, sent_at).requests[0]
    dest = wire.destination
    body = json.loads(wire.body)
    if not isinstance(dest, SegmentDestination):
        own = {name.lower() for name in request.headers}
        secret = {name.lower() for name, value in dest.config.headers if value.env is not None}
        headers = [
            Header(name, MASK if name in secret and name not in own else mask_header(name, value), name not in own)
            for name, value in wire.headers.items()
        ]
        return Preview("pending", None, wire.method, wire.url, headers, body)
    headers = [Header(name, _segment_header(name, value), True) for name, value in wire.headers.items()]
    if "authorization" not in wire.headers:
        headers.append(Header("authorization", f"‹not sent: {dest.config.write_key_env} is not set›", True))
    warnings = []
    if request.headers:
        warnings.append("Segment destinations send only the server's headers; the handler's headers are dropped")
    return Preview("pending", None, wire.method, wire.url, headers, body, planned.message_id, warnings)


def _segment_header(name: str, value: str) -> str:
    # The write key is the credential of the whole Segment source: never shown, not even in part.
    return "Basic " + MASK if name.lower() == "authorization" else mask_header(name, value)
