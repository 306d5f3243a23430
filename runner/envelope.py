"""The webhook body as received: `Envelope`, read once at the door and never again.

    envelope = Envelope.parse(body, event_type_field="type", require_event_type=True)
    envelope.text, envelope.event_type, envelope.timestamp

A body is accepted if it is UTF-8 JSON holding an object; with `require_event_type`, one
holding a non-empty string at the endpoint's `event_type_field` (a dotted path such as `type`
or `data.event`). The one JSON parse happens here, in C; the parsed object is not kept: the
handler's engine reads `text` itself, the queue stores `text`, and the only other facts runner
needs of the body (its event type and `timestamp`) are kept beside it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from runner.errors import EnvelopeError, EventTypeMissing

DEFAULT_EVENT_TYPE_FIELD = "type"
_ABSENT = object()


@dataclass(frozen=True)
class Envelope:
    """A webhook body: its text, its event type (None: it has none) and its `timestamp`."""

    text: str
    event_type: str | None
    timestamp: str | None = None

    @classmethod
    def parse(cls, body: bytes | str, *, event_type_field: str = DEFAULT_EVENT_TYPE_FIELD,
              require_event_type: bool = True) -> Envelope:
        """The envelope of `body`; EnvelopeError (EventTypeMissing) says what is wrong with it."""
        data, text = _load(body)
        event_type = event_type_of(data, event_type_field)
        if event_type is None and require_event_type:
            raise EventTypeMissing(_missing_type_message(data, event_type_field))
        stamp = data.get("timestamp")
        return cls(text, event_type, stamp if isinstance(stamp, str) else None)

    @classmethod
    def stored(cls, text: str, *, event_type_field: str = DEFAULT_EVENT_TYPE_FIELD) -> Envelope:
        """The envelope of a body the queue accepted earlier (a replay): no event type is required."""
        return cls.parse(text, event_type_field=event_type_field, require_event_type=False)


def fallback_webhook_id(body: bytes | str) -> str:
    """The idempotency key of a body that came without a `webhook-id` (unverified requests, the
    playground): stable per body, so a repeat is a duplicate and its messageIds are the same."""
    raw = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def event_type_of(data: Mapping[str, Any], field: str = DEFAULT_EVENT_TYPE_FIELD) -> str | None:
    """The event type at dotted path `field` of a parsed body: a non-empty string, else None.
    Raises EnvelopeError for a string that is not real Unicode (it is stored as the event's type)."""
    value: Any = data
    for part in field.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    if not isinstance(value, str) or not value:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise EnvelopeError(f"the body's {field!r} holds a lone UTF-16 surrogate escape (\\ud800 ...): "
                            "not valid Unicode") from None
    return value


def _load(body: bytes | str) -> tuple[dict[str, Any], str]:
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        # NaN and Infinity are not JSON (JavaScript's JSON.parse refuses them); nesting deeper
        # than Python's recursion limit raises RecursionError: both are malformed bodies, not 500s.
        data = json.loads(text, parse_constant=_not_json)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise EnvelopeError(f"the body is not valid UTF-8 JSON ({exc}); send the webhook envelope as JSON") from None
    if not isinstance(data, dict):
        raise EnvelopeError("the body is not a JSON object; expected {business_id, type, timestamp, data}")
    return data, text


def _missing_type_message(data: Mapping[str, Any], field: str) -> str:
    value: Any = data
    for part in field.split("."):
        value = value.get(part, _ABSENT) if isinstance(value, dict) else _ABSENT
    if value is _ABSENT:
        what = f"the body has no {field!r} (the event type, e.g. payment.succeeded)"
    else:
        what = f"the body's {field!r} is {_json_kind(value)}, not the event type (a non-empty string, e.g. payment.succeeded)"
    return (what + "; if this sender puts the event type elsewhere, set event_type_field for this endpoint in "
            "runner.yaml, or require_event_type: false to run the handlers with no event type")


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "an empty string"
    return "an array" if isinstance(value, list) else "an object"


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON value")
