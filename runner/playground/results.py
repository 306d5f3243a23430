"""Turn engine outcomes into the JSON the page renders (pure functions, no I/O)."""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from runner import redact
from runner.engine import Outcome
from runner.envelope import Envelope
from runner.errors import HandlerError
from runner.playground import delivery
from runner.playground.delivery import MASK

# Env values shorter than this are not redacted: masking "1" or "us" would garble every body.
MIN_REDACTED_CHARS = 4


@dataclass(frozen=True)
class Context:
    """What a result needs besides the outcome: the names behind the messageId, the server side."""

    webhook_id: str
    transform: str
    transform_url: str
    target: delivery.Target
    sent_at: str


def redactor(secrets: Iterable[str]) -> Callable[[object], object]:
    """Replaces configured secret values (env values) wherever they appear in the output."""
    return redact.Redactor(secrets, mask=MASK, min_chars=MIN_REDACTED_CHARS).redact_data


LAYOUT_MAX_CHARS = 256 * 1024
"""Bodies larger than this (compact) are shown compact and not diffed line by line: indenting
and diffing a megabyte nested hundreds deep would make a response of hundreds of megabytes."""


def pretty(value: object) -> str:
    """The indented JSON the page shows (key order kept, non-ASCII kept readable)."""
    compact = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return compact if len(compact) > LAYOUT_MAX_CHARS else json.dumps(value, indent=2, ensure_ascii=False)


def body_diff(before: str, after: str) -> list[dict[str, str]]:
    """A unified line diff (3 lines of context) as `{op, text}` rows; empty when identical."""
    rows: list[dict[str, str]] = []
    if len(before) > LAYOUT_MAX_CHARS or len(after) > LAYOUT_MAX_CHARS:
        return [] if before == after else [{"op": "hunk", "text": "(too large to compare line by line)"}]
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=3)
    for line in lines:
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            rows.append({"op": "hunk", "text": line})
        else:
            op = {"+": "insert", "-": "delete"}.get(line[:1], "equal")
            rows.append({"op": op, "text": line[1:]})
    return rows


def payload_error(exc: json.JSONDecodeError) -> dict[str, object]:
    """The result for a webhook body that is not JSON: where, so the page can mark it."""
    return _error_result(
        None,
        {"phase": "payload", "type": "JSONDecodeError", "message": exc.msg, "line": exc.lineno, "column": exc.colno},
    )


def load_error(exc: HandlerError, event_type: str | None) -> dict[str, object]:
    """The result for handler code that does not load (syntax error, no `handler`, throw)."""
    return _error_result(
        event_type,
        {
            "phase": "load",
            "type": exc.kind,
            "message": exc.message,
            "line": exc.line,
            "column": exc.column,
            "source_line": exc.source_line,
            "hint": exc.hint,
        },
    )


def run_result(outcome: Outcome, payload: object, ctx: Context, event_type: str | None) -> dict[str, object]:
    """The full result of one run with `event_type`: status, request as delivered, body diff, logs, error."""
    result: dict[str, object] = {
        "status": outcome.status,
        # The one it ran with: an outcome stopped at a limit no longer knows it.
        "event_type": event_type,
        "duration_ms": outcome.duration_ms,
        "webhook_id": ctx.webhook_id,
        "delivery": None,
        "request": None,
        "diff": None,
        "warnings": [],
        "logs": [entry.to_json() for entry in outcome.logs],
        "logs_truncated": outcome.logs_truncated,
        "error": None,
    }
    if outcome.error is not None:
        e = outcome.error
        result["error"] = {
            # InvalidInput is about the body, not the code: the page must not mark the editor.
            "phase": "payload" if e.type == "InvalidInput" else "run",
            "type": e.type,
            "message": e.message,
            "line": e.line,
            "column": e.column,
            "source_line": e.source_line,
            "stack": e.stack,
        }
    if outcome.request is not None and outcome.status in ("sent", "unchanged"):
        stamp = payload.get("timestamp") if isinstance(payload, Mapping) else None
        sent = delivery.preview(
            outcome,
            target=ctx.target,
            webhook_id=ctx.webhook_id,
            transform=ctx.transform,
            transform_url=ctx.transform_url,
            # What planning reads of the body: its timestamp (the engine had the text).
            envelope=Envelope("", event_type, stamp if isinstance(stamp, str) else None),
            sent_at=ctx.sent_at,
        )
        body = pretty(sent.body)
        result["delivery"] = {"status": sent.status, "reason": sent.reason}
        result["request"] = {
            "method": sent.method,
            "url": sent.url,
            "headers": [{"name": h.name, "value": h.value, "added": h.added} for h in sent.headers],
            "body": body,
            "message_id": sent.message_id,
        }
        result["diff"] = body_diff(pretty(payload), body)
        result["warnings"] = sent.warnings
    return result


def summary_row(sample: str, family: str, result: Mapping[str, object]) -> dict[str, object]:
    """One row of the run-all table."""
    request = result.get("request")
    error = result.get("error")
    sent = result.get("delivery")
    return {
        "sample": sample,
        "family": family,
        "event_type": result.get("event_type"),
        "status": result["status"],
        "method": request["method"] if isinstance(request, Mapping) else None,
        "url": request["url"] if isinstance(request, Mapping) else None,
        "delivery": sent if isinstance(sent, Mapping) else None,
        "error": (
            {k: error.get(k) for k in ("phase", "type", "message", "line", "column")}
            if isinstance(error, Mapping)
            else None
        ),
    }


def _error_result(event_type: str | None, error: dict[str, object]) -> dict[str, object]:
    return {
        "status": "error",
        "event_type": event_type,
        "duration_ms": None,
        "webhook_id": None,
        "delivery": None,
        "request": None,
        "diff": None,
        "warnings": [],
        "logs": [],
        "logs_truncated": False,
        "error": error,
    }
