"""Reading runtime.js's record of one invocation into an `Outcome`.

The record (what runtime.js's `invoke`, `settle` and `flush` return) is one line of JSON about
the invocation, `{"r": ..., "logs": [...], "truncated": bool, "eventType"?: ...}`, then, for a
result (each after a newline, which JSON text never holds unescaped), the serialised webhook's
head, payload and tail verbatim. `r` is `{"error": {type, message, line?, column?, stack?}}` or
a result: `{status, url, method, headers (JSON text or null), lazy?, same?}`. The payload line
is empty for a lazy result (the handler never read the body: its payload is rendered from the
body on demand) and for a `same` one (the handler read the body, and its payload serialises to
exactly the body's text, which the host has already).
"""

from __future__ import annotations

import functools
import json
import time
from typing import Any

from runner.engine.handler import Handler
from runner.engine.jserrors import first_handler_frame, limit_kind, limit_message
from runner.engine.outcome import LogEntry, Outcome, Request, TransformError
from runner.engine.validate import check_request, clip, json_depth_exceeds
from runner.limits import Limits

_EMPTY = '{"r": {"error": {"type": "InternalError", "message": "the runtime returned nothing"}}, "logs": []}'
_STATUSES = frozenset({"sent", "cancelled", "unchanged"})
_ERROR_FIELDS = (("type", str), ("message", str))


def read_record(handler: Handler, body: str, raw: str | None, started: float, limits: Limits) -> Outcome:
    """The outcome runtime.js's record `raw` says `handler` had on `body` (the webhook text it
    was given); `started` is the `time.perf_counter()` of the event's start."""
    if not raw:
        raw = _EMPTY
    meta, _, rest = raw.partition("\n")
    data = _parsed(meta) if len(meta) <= _CACHED_META else json.loads(meta)
    if "\\ud" in meta:  # JSON.stringify escapes only lone surrogates this way
        data = _well_formed(data)
    # In the open mode a handler's patches are live until the runtime puts them back; there the
    # host does not take the record's shape on trust. (Frozen, nothing of the handler's can reach
    # the record's making.)
    shape = _record_problem(data, limits) if handler.patches_builtins else None
    if shape is not None:
        return Outcome(status="error", event_type=None, duration_ms=(time.perf_counter() - started) * 1000,
                       error=TransformError("InternalError", f"the engine's record of the invocation is malformed ({shape})"))
    head, _, rest = rest.partition("\n")
    payload_text, _, tail = rest.partition("\n")
    r = data["r"]
    if r.get("same") is True:
        payload_text = body
    webhook_json = head + payload_text + tail
    event_type = data.get("eventType")
    logs = tuple(LogEntry(e["level"], e["message"]) for e in data["logs"])
    truncated = bool(data.get("truncated"))

    def elapsed() -> float:
        return (time.perf_counter() - started) * 1000

    if "error" in r:
        e = r["error"]
        # Cut in JavaScript already; this bound (with room for its "… (N more characters)") holds
        # whatever the record says.
        kind, message = clip(e["type"], 256), clip(e["message"], limits.message_bytes + 64)
        limit = limit_kind(kind, message, e.get("stack"))
        if limit is not None:
            kind, message = limit, limit_message(limit, limits)
        line, column = e.get("line"), e.get("column")
        if line is None and e.get("stack"):
            line, column = first_handler_frame(e["stack"], handler)
        error = TransformError(kind, message, line, column, handler.line(line), e.get("stack"))
        return Outcome(status="error", event_type=event_type, error=error, logs=logs, logs_truncated=truncated,
                       duration_ms=elapsed())
    status = r["status"]
    lazy = bool(r.get("lazy"))
    payload = None if lazy else payload_text
    request = None
    sent: str | None
    if status != "cancelled":
        headers = json.loads(r["headers"]) if r.get("headers") else {}
        if not isinstance(headers, dict) or len(headers) > limits.header_count:
            problem: str | None = f"webhook.headers must be an object of at most {limits.header_count} string values"
        else:
            problem = check_request(r["url"], r["method"], headers)
        if problem is not None:
            return Outcome(status="error", event_type=event_type,
                           error=TransformError("InvalidResult", clip(problem, limits.message_bytes)), webhook_text=webhook_json,
                           logs=logs, logs_truncated=truncated, duration_ms=elapsed())
        # Checked on exactly what would be sent: the original body when unchanged.
        sent = body if status == "unchanged" or payload is None else payload
        request = _request(r["url"], r["method"], headers, sent)
    else:
        sent = payload
    problem = None if sent is None else _body_problem(sent, limits)
    if problem is not None:
        return Outcome(status="error", event_type=event_type, error=TransformError("InvalidResult", problem),
                       logs=logs, logs_truncated=truncated, duration_ms=elapsed())
    if lazy:
        return _outcome(status, event_type, None, request, logs, truncated, elapsed(), (head, body, tail))
    return _outcome(status, event_type, webhook_json, request, logs, truncated, elapsed(), None)


# The result of every event that runs, made without the frozen dataclasses' `__init__`, which
# sets each field through object.__setattr__ (~1 µs an event, of ~20). The same objects:
# tests/test_engine.py compares them with the dataclasses' own.
_new = object.__new__


def _outcome(status: str, event_type: str | None, webhook_text: str | None, request: Request | None,
             logs: tuple[LogEntry, ...], truncated: bool, duration_ms: float,
             webhook_lazy: tuple[str, str, str] | None) -> Outcome:
    outcome = _new(Outcome)
    outcome.__dict__.update({"status": status, "event_type": event_type, "webhook_text": webhook_text,
                             "request": request, "error": None, "logs": logs, "logs_truncated": truncated,
                             "duration_ms": duration_ms, "webhook_lazy": webhook_lazy})
    return outcome


def _request(url: str, method: str, headers: dict[str, str], body: str) -> Request:
    request = _new(Request)
    request.__dict__.update({"url": url, "method": method, "headers": headers, "body": body})
    return request


_CACHED_META = 512


@functools.lru_cache(maxsize=256)
def _parsed(meta: str) -> Any:
    """A short record line, parsed: most events of a handler write the same one (same status,
    url, event type, no logs), and a cache hit costs a fraction of json.loads. Nothing here
    changes what it returns."""
    return json.loads(meta)


def _well_formed(value: Any) -> Any:
    """`value` with lone UTF-16 surrogates (a JavaScript string cut inside an emoji) replaced by
    U+FFFD in every string: such text cannot be encoded as UTF-8, so it could be neither stored
    (the handler's logs, error message, url, headers) nor sent."""
    if isinstance(value, str):
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if isinstance(value, list):
        return [_well_formed(v) for v in value]
    if isinstance(value, dict):
        return {_well_formed(k): _well_formed(v) for k, v in value.items()}
    return value


def _body_problem(payload: str, limits: Limits) -> str | None:
    """Why the serialised payload may not be sent (size, nesting), or None."""
    size = len(payload)
    if size * 3 > limits.body_bytes:  # the cheap bound first: UTF-8 takes at most 3 bytes per UTF-16 unit
        size = len(payload.encode("utf-8", "surrogatepass"))
        if size > limits.body_bytes:
            return f"webhook.payload serialises to {size} bytes, more than the limit of {limits.body_bytes} bytes"
    if json_depth_exceeds(payload, limits.depth):
        return f"webhook.payload is nested more than {limits.depth} levels deep"
    return None


def _record_problem(data: Any, limits: Limits) -> str | None:
    """What is wrong with the shape of runtime.js's record, or None. In the open mode the
    handler's patches are undone before the record is made, and the runtime never hands a
    handler its own objects; this check makes the host's reading of it not depend on that."""
    if not isinstance(data, dict) or not isinstance(data.get("r"), dict) or not isinstance(data.get("logs"), list):
        return "not an object with r and logs"
    if data.get("eventType") is not None and not isinstance(data["eventType"], str):
        return "eventType"
    size = 0
    for entry in data["logs"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("level"), str) or not isinstance(entry.get("message"), str):
            return "a log entry"
        size += len(entry["message"])
    if size > limits.log_bytes + 4096:
        return "logs over their limit"
    r = data["r"]
    if "error" in r:
        e = r["error"]
        if not isinstance(e, dict) or any(not isinstance(e.get(k), t) for k, t in _ERROR_FIELDS):
            return "error"
        if any(e.get(k) is not None and (not isinstance(e[k], int) or isinstance(e[k], bool)) for k in ("line", "column")):
            return "error position"
        if e.get("stack") is not None and not isinstance(e["stack"], str):
            return "error stack"
        return None
    if r.get("status") not in _STATUSES:
        return "status"
    if r["status"] != "cancelled" and (not isinstance(r.get("url"), str) or not isinstance(r.get("method"), str)):
        return "url or method"
    if r.get("headers") is not None and (not isinstance(r["headers"], str) or len(r["headers"]) > limits.header_bytes):
        return "headers"
    if any(r.get(k) is not None and not isinstance(r[k], bool) for k in ("lazy", "same")):
        return "lazy or same"
    return None
