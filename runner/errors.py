"""Exceptions raised by runner's Python API.

    RunnerError
     ├── HandlerError          a handler could not be loaded (file, line, column, source line)
     │    ├── HandlerSyntaxError   the code does not parse
     │    ├── HandlerLoadError     the top-level code threw while loading
     │    └── NoHandlerError       no top-level `handler` function
     └── SampleError           a sample/webhook body is not valid JSON or not an envelope

A failing *invocation* (a throw, a limit, a wrong result) is not an exception: it is an
`Outcome` whose `error` says what went wrong, so one bad event never stops the others.
"""

from __future__ import annotations

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
    def from_data(kind: str, fields: dict[str, Any]) -> "HandlerError":
        """The HandlerError of that kind (HandlerError itself for an unknown kind)."""
        classes = {cls.kind: cls for cls in (HandlerError, *HandlerError.__subclasses__())}
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
