"""Sample webhook files, and the event type a handler runs with.

Every Svix-powered sender runs dashboard handlers with `webhook.eventType` set to the message's
event type, which travels beside the body: the provider repeats it in the body's `type`, other
senders often do not. A sample file is one of:

- a **webhook body** (a JSON object, as the sender posts it): its event type is its string
  `type`, if it has one, else there is none;
- a **Svix message** `{"eventType": "user.created", "payload": {...}}` (the shape of Svix's
  API): the handler gets `payload` as the body and `eventType` as the event type. A file is a
  message when its top-level object has a string `eventType`, an object `payload`, and no keys
  but those and Svix's own message fields (`MESSAGE_FIELDS`: `id`, `eventId`, `timestamp`,
  `channels`, `tags`, ...). The provider's bodies (`business_id`, `type`, `timestamp`, `data`)
  can never match; a body that really is `{"eventType", "payload"}` is written wrapped in a
  message (`{"eventType": "x", "payload": <that body>}`).

Precedence (`event_type_for`): an event type given for the run (`--event-type`, the
playground's field) wins over the sample's own.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

MESSAGE_FIELDS = frozenset({
    "id", "eventId", "timestamp", "channels", "tags", "deliverAt", "application",
    "payloadRetentionPeriod", "payloadRetentionHours", "transformationsParams",
})
"""Keys of a Svix message (MessageIn / MessageOut) besides `eventType` and `payload`."""

_WS = re.compile(r"[ \t\n\r]*")
_INDENT = re.compile(r"[ \t]*")
_DECODER = json.JSONDecoder()


@dataclass(frozen=True)
class SampleBody:
    """What a sample file runs as: the body's JSON text and the sample's own event type."""

    body: str
    event_type: str | None
    message: bool  # read from a Svix message (the body is its payload)


def from_json(text: str, data: Any) -> SampleBody:
    """The sample that JSON `text` (already parsed as `data`) holds; ValueError for a non-object."""
    if not isinstance(data, dict):
        raise ValueError('a sample must be a JSON object: a webhook body, or a Svix message '
                         '{"eventType": "...", "payload": {...}}')
    if is_message(data):
        return SampleBody(_member_text(text, "payload"), data["eventType"], True)
    declared = data.get("type")
    return SampleBody(text, declared if isinstance(declared, str) else None, False)


def is_message(data: Any) -> bool:
    """Whether parsed JSON is a Svix message rather than a webhook body (the rule above)."""
    return (isinstance(data, dict) and isinstance(data.get("eventType"), str) and isinstance(data.get("payload"), dict)
            and all(key in MESSAGE_FIELDS for key in data if key not in ("eventType", "payload")))


def near_miss(data: Any) -> str | None:
    """Why an object with both `eventType` and `payload` is read as a body, not a message; else None.

    Such a file is most likely a message with a typo, which would otherwise run silently with
    the wrong body and event type."""
    if not isinstance(data, dict) or "eventType" not in data or "payload" not in data or is_message(data):
        return None
    if not isinstance(data["eventType"], str):
        why = "its eventType is not a string"
    elif not isinstance(data["payload"], dict):
        why = "its payload is not a JSON object"
    else:
        extra = sorted(k for k in data if k not in MESSAGE_FIELDS and k not in ("eventType", "payload"))
        why = "it also has " + ", ".join(repr(k) for k in extra) + ", which a Svix message does not"
    return (f"it has eventType and payload but runs as a webhook body, not as a Svix message: {why} "
            f"(a message has only eventType, payload and {', '.join(sorted(MESSAGE_FIELDS))})")


def event_type_for(given: str | None, sample: str | None) -> str | None:
    """The event type a run gets: the one given for the run, else the sample's own, else none."""
    return given if given is not None else sample


def _skip(text: str, i: int) -> int:
    """The index of the first non-whitespace character at or after `i`."""
    found = _WS.match(text, i)
    return found.end() if found else i


def _member_text(text: str, key: str) -> str:
    """The JSON text of top-level member `key` of the object `text`, exactly as written (numbers
    keep their digits), de-indented to its own level. The last one wins, as in JSON.parse.

    `text` is known to be valid JSON. Raw line breaks in JSON text are only ever whitespace
    between tokens, so taking indentation off a line never changes the value."""
    i = _skip(text, 0) + 1  # past "{"
    span: tuple[int, int] | None = None
    while True:
        i = _skip(text, i)
        if text[i] == "}":
            break
        name, i = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]
        i = _skip(text, _skip(text, i) + 1)  # past ":"
        _, end = _DECODER.raw_decode(text, i)
        if name == key:
            span = (i, end)
        i = _skip(text, end)
        if text[i] == ",":
            i += 1
    assert span is not None
    start, end = span
    line_start = text.rfind("\n", 0, start) + 1
    found = _INDENT.match(text, line_start)
    indent = found.group() if found else ""
    lines = text[start:end].split("\n")
    if indent:
        lines[1:] = [line.removeprefix(indent) for line in lines[1:]]
    return "\n".join(lines)
