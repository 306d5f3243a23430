"""What one invocation of a handler produced: the result types of the engine."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Literal

from runner.engine.js_stringify import normalize

Status = Literal["sent", "cancelled", "unchanged", "error"]


@dataclass(frozen=True)
class LogEntry:
    """One console call: `level` is log/info/warn/error/debug."""

    level: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"level": self.level, "message": self.message}


@dataclass(frozen=True)
class TransformError:
    """Why an invocation produced no usable webhook.

    `type` is the JavaScript error name for a throw (`TypeError`, `Error`, ...), or one of
    `TimeLimitExceeded`, `MemoryLimitExceeded`, `StackLimitExceeded`, `InvalidResult`,
    `InvalidInput`. `line`/`column` are 1-based positions in the handler source, when known.
    """

    type: str
    message: str
    line: int | None = None
    column: int | None = None
    source_line: str | None = None
    stack: str | None = None

    def to_json(self) -> dict[str, object]:
        return {"type": self.type, "message": self.message, "line": self.line, "column": self.column}


@dataclass(frozen=True)
class Request:
    """The HTTP request the handler's result asks for. `body` is JSON text exactly as
    JavaScript's `JSON.stringify` wrote it (numbers, key order and escapes preserved)."""

    url: str
    method: str
    headers: dict[str, str]
    body: str

    def payload(self) -> object:
        return json.loads(self.body)


@dataclass(frozen=True)
class Outcome:
    """The result of running a handler on one webhook.

    - `sent`: `request` is what would be delivered;
    - `cancelled`: the handler set `cancel = true`: nothing is delivered;
    - `unchanged`: the handler left url, method, headers and payload as they came in: the
      original body would go to the original URL (`request` says so);
    - `error`: `error` says why; nothing is delivered.
    `webhook_json` is the returned webhook object after JSON serialisation, with keys
    `eventType`, `url`, `method`, `payload`, `cancel` and `headers` when set.
    """

    status: Status
    event_type: str | None
    webhook_text: str | None = None
    request: Request | None = None
    error: TransformError | None = None
    logs: tuple[LogEntry, ...] = field(default=())
    logs_truncated: bool = False
    duration_ms: float = 0.0
    # (head, body, tail) when the handler never read the body: the payload part is rendered on
    # demand, as JSON.stringify(JSON.parse(body)) would write it.
    webhook_lazy: tuple[str, str, str] | None = None

    @property
    def webhook_json(self) -> str | None:
        """The serialised webhook the handler returned (None for an error)."""
        if self.webhook_text is not None:
            return self.webhook_text
        if self.webhook_lazy is not None:
            head, body, tail = self.webhook_lazy
            return head + normalize(body) + tail
        return None

    @property
    def ok(self) -> bool:
        return self.status != "error"
