"""Structured log lines for `runner serve`, with secrets redacted: JSON or text.

In JSON (`--log-format json`) every record becomes one JSON object per line: `ts`, `level`,
`logger`, `event` (the message) and any `extra={...}` fields. In text (`--log-format text`, for
a terminal) it is `HH:MM:SS.mmm LEVEL event key=value ...` (UTC, as the JSON's `ts`): a value
is bare when it is a plain word or a number, JSON otherwise (a string that could be read as a
number or a JSON literal is quoted; lists and dicts are compact JSON; a masked secret reads
`[REDACTED]` either way), and a traceback follows on indented lines. In both, any configured
secret value (webhook secrets, write keys, header tokens) is replaced by `[REDACTED]` wherever
it appears, as is the value of any field whose name says it is a credential (runner.redact's
rules), so a secret that leaks into an exception message still never reaches the log. Control
and bidi characters are written as `\\uXXXX` escapes (runner.textsafe), so a line is safe on a
terminal.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal, TextIO

from runner.redact import MASK, MIN_SECRET_CHARS, Redactor, is_sensitive_header
from runner.textsafe import printable, printable_json

LogFormat = Literal["json", "text"]

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "color_message"}
_BARE = re.compile(r"[A-Za-z0-9_.:/@+-]+")  # a text value written without quotes ...
_JSONISH = re.compile(r"-?[0-9][0-9.e+-]*|null|true|false|nan|inf|-inf")  # ... unless it would read as another type


def _extra(record: logging.LogRecord) -> Iterator[tuple[str, Any]]:
    """A record's `extra={...}` fields, a credential-named one's value masked."""
    for key, value in vars(record).items():
        if key not in _STANDARD and not key.startswith("_"):
            yield key, MASK if _sensitive_field(key) else value


@functools.lru_cache(maxsize=8)
def _utc(fmt: str, second: int) -> str:
    # Formatted once per second of log records, not once per record.
    return time.strftime(fmt, time.gmtime(second))


@functools.lru_cache(maxsize=1024)
def _sensitive_field(key: str) -> bool:
    # The same few field names come with every record: the pattern runs once for each.
    return is_sensitive_header(key)


class JsonFormatter(logging.Formatter):
    """One redacted, terminal-safe JSON object per record."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.set_secrets(secrets)

    def set_secrets(self, secrets: Iterable[str]) -> None:
        """Redact these values from now on."""
        kept = [s for s in secrets if s and len(s) >= MIN_SECRET_CHARS]  # shorter values are left
        # Redacted in the JSON line: a secret holding `"`, `\` or a control character is there
        # in its escaped form.
        self.redactor = Redactor(kept + [json.dumps(s, ensure_ascii=False)[1:-1] for s in kept])

    def redact(self, text: str) -> str:
        return self.redactor.redact(text)

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": _utc("%Y-%m-%dT%H:%M:%S", int(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        data.update(_extra(record))
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        # Messages may quote handlers and webhooks: control and bidi characters go out as \uXXXX.
        return printable_json(self.redact(json.dumps(data, default=str, ensure_ascii=False)))


class TextFormatter(JsonFormatter):
    """`HH:MM:SS.mmm LEVEL event key=value ...`: the same fields, redaction and escaping as
    `JsonFormatter`, for reading on a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        clock = _utc("%H:%M:%S", int(record.created)) + f".{int(record.msecs):03d}"
        parts = [clock, f"{record.levelname:<7}", _text_value(record.getMessage())]
        parts += [f"{key}={_text_value(value)}" for key, value in _extra(record)]
        line = printable_json(self.redact(" ".join(parts)))  # quoted values are JSON strings
        if record.exc_info:
            trace = self.redact(self.formatException(record.exc_info))
            line += "".join(f"\n    {printable(row)}" for row in trace.splitlines())
        return line


def _text_value(value: Any) -> str:
    """A field's value in a text line: bare when plain, else JSON (a string quoted)."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value if _BARE.fullmatch(value) and not _JSONISH.fullmatch(value) else json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return _text_value(str(value))


def default_format(stream: TextIO | None = None) -> LogFormat:
    """`text` when `stream` (stderr) is a terminal, someone reading; `json` otherwise (a file, a
    pipe, journald, a container's log collector: something parsing)."""
    stream = stream or sys.stderr
    try:
        return "text" if stream.isatty() else "json"
    except (AttributeError, ValueError):  # closed or not a real stream
        return "json"


def update_secrets(handler: logging.Handler, secrets: Iterable[str]) -> None:
    """Have `handler` (made by `configure`) redact `secrets` from now on, in place of those it had."""
    formatter = handler.formatter
    if isinstance(formatter, JsonFormatter):
        formatter.set_secrets(secrets)


class _Fields(logging.Filter):
    """Adds the same fields to every record (which process of the server wrote it)."""

    def __init__(self, fields: Mapping[str, object]) -> None:
        super().__init__()
        self.fields = dict(fields)

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in self.fields.items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


def configure(secrets: Iterable[str], *, level: int = logging.INFO, stream: TextIO | None = None,
              fmt: LogFormat = "json", fields: Mapping[str, object] | None = None) -> logging.Handler:
    """Send `runner.*` and uvicorn's logs to `stream` (stderr) as redacted lines in `fmt`, each
    with `fields` (after the record's own)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(TextFormatter(secrets) if fmt == "text" else JsonFormatter(secrets))
    if fields:
        handler.addFilter(_Fields(fields))
    for name in ("runner", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(level)
        logger.propagate = False
    return handler
