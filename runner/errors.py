"""Every exception runner raises on purpose, in one tree.

    RunnerError
     ├── HandlerError          a handler could not be loaded (file, line, column, source line)
     │    ├── HandlerSyntaxError   the code does not parse
     │    ├── HandlerLoadError     the top-level code threw while loading
     │    └── NoHandlerError       no top-level `handler` function
     ├── SampleError           a sample file is not valid JSON or not a webhook body
     ├── ConfigError           runner.yaml (or the command line's equivalent) is invalid: file, line, key
     ├── PlaygroundConfigError the playground's folders are missing or empty
     ├── SecretError           a configured webhook secret is not a usable whsec_... value
     ├── ServeError            `runner serve` cannot start (missing variables, a bad secret)
     ├── StoreError            the queue's database failed or is not there; names it and what to check
     ├── RequestError          a request is refused; `status` is the HTTP answer
     │    ├── SignatureError       401: signature missing, wrong or stale (`reason` labels it)
     │    ├── EnvelopeError        400: the body is not a webhook envelope
     │    │    └── EventTypeMissing    400: no event type where the endpoint requires one
     │    ├── UnknownEndpoint      404: no endpoint of that name
     │    └── ApiError             a playground API request refused (its own status)
     └── ResultError           a handler's result cannot be delivered as it is
          ├── RouteRejected        its URL or method is not allowed (no destination, private host)
          └── SegmentEventError    Segment would drop the event (which field to fix)

A failing *invocation* (a throw, a limit, a wrong result) is not an exception: it is an
`Outcome` whose `error` says what went wrong, so one bad event never stops the others. Lower
layers' errors (sqlite3, psycopg, PyYAML, httpx) are translated into these at the boundary,
so a caller catches `RunnerError` and shows its message: every message says what to fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class RunnerError(Exception):
    """Base class of every error runner raises on purpose."""


class HandlerError(RunnerError):
    """A handler's source could not be turned into a runnable handler."""

    kind = "HandlerError"

    def __init__(
        self,
        message: str,
        *,
        filename: str,
        line: int | None = None,
        column: int | None = None,
        source_line: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.filename = filename
        self.line = line
        self.column = column
        self.source_line = source_line
        self.hint = hint
        super().__init__(self.render())

    def to_data(self) -> tuple[str, dict[str, Any]]:
        """(kind, fields) as plain data, to cross a process boundary; `from_data` undoes it."""
        return self.kind, {"message": self.message, "filename": self.filename, "line": self.line, "column": self.column,
                           "source_line": self.source_line, "hint": self.hint}

    @staticmethod
    def from_data(kind: str, fields: dict[str, Any]) -> HandlerError:
        """The HandlerError of that kind (HandlerError itself for an unknown kind)."""
        kinds: list[type[HandlerError]] = [HandlerError, *HandlerError.__subclasses__()]
        classes = {c.kind: c for c in kinds}
        fields = dict(fields)
        return classes.get(kind, HandlerError)(fields.pop("message"), **fields)

    def location(self) -> str:
        """`file:line:column`, as far as it is known."""
        parts = [self.filename]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def render(self) -> str:
        """A multi-line, human-readable report with a caret under the offending column."""
        text = f"{self.location()}: {self.kind}: {self.message}"
        if self.source_line is not None:
            text += f"\n    {self.source_line}"
            if self.column is not None:
                text += "\n    " + " " * max(self.column - 1, 0) + "^"
        if self.hint:
            text += f"\n{self.hint}"
        return text


class HandlerSyntaxError(HandlerError):
    kind = "SyntaxError"


class HandlerLoadError(HandlerError):
    kind = "LoadError"


class NoHandlerError(HandlerError):
    kind = "NoHandlerError"


class SampleError(RunnerError):
    """A webhook body (a sample file, a request) is not usable as input."""

    def __init__(
        self, message: str, *, filename: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.message = message
        self.filename = filename
        self.line = line
        self.column = column
        where = filename if line is None else f"{filename}:{line}:{column}"
        super().__init__(f"{where}: {message}")


class ConfigError(RunnerError):
    """The configuration is invalid; the message names the file, line and key to fix."""

    def __init__(self, message: str, *, filename: str, line: int | None = None, key: str = "",
                 column: int | None = None, missing: Path | None = None) -> None:
        self.message = message
        self.filename = filename
        self.missing = missing  # a file it names that is not there (a reload watches for it)
        self.line = line
        self.column = column
        self.key = key
        where = filename if line is None else f"{filename}:{line}" if column is None else f"{filename}:{line}:{column}"
        super().__init__(f"{where}: {key + ': ' if key else ''}{message}")


class PlaygroundConfigError(RunnerError):
    """The playground cannot start: a directory is missing or empty; the message says which."""


class SecretError(RunnerError):
    """A configured secret is not a usable Standard Webhooks secret."""


class ServeError(RunnerError):
    """`runner serve` cannot start (or reload); the message says what to set or fix."""


class StoreError(RunnerError):
    """The queue's storage failed; the message names the database and what to check."""


class RequestError(RunnerError):
    """A request runner refuses; `status` is the HTTP status it is answered with."""

    status = 400

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class SignatureError(RequestError):
    """A request failed verification; `reason` is a short label for metrics and logs."""

    status = 401

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class EnvelopeError(RequestError):
    """A body that is not a provider webhook envelope (answered with 400)."""


class EventTypeMissing(EnvelopeError):
    """A JSON body without the event type its endpoint requires (answered with 400)."""


class UnknownEndpoint(RequestError):
    """No endpoint of that name is configured (answered with 404)."""

    status = 404


class ApiError(RequestError):
    """A playground API request the server refuses: `status` is the HTTP status, the message says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message, status=status)


class ResultError(RunnerError):
    """A handler's result cannot be delivered as it is; the message says what to change."""


class RouteRejected(ResultError):
    """The result's URL or method is not allowed; `reason` is recorded on the delivery."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class SegmentEventError(ResultError):
    """An event Segment would silently drop; the message says which field to fix."""
