"""Structured JSON log lines for `runner serve`, with secrets redacted.

Every record becomes one JSON object per line: `ts`, `level`, `logger`, `event` (the message)
and any `extra={...}` fields. Any configured secret value (webhook secrets, write keys, header
tokens) is replaced by `[REDACTED]` wherever it appears, as is the value of any field whose name
says it is a credential (runner.redact's rules), so a secret that leaks into an exception message
still never reaches the log. Control and bidi characters are written as `\\uXXXX` escapes
(runner.textsafe), so a line is safe on a terminal.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterable
from typing import Any, TextIO

from runner.redact import MASK, MIN_SECRET_CHARS, Redactor, is_sensitive_header
from runner.textsafe import printable_json

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "color_message"}


class JsonFormatter(logging.Formatter):
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        kept = [s for s in secrets if s and len(s) >= MIN_SECRET_CHARS]  # shorter values are left
        # Redacted in the JSON line: a secret holding `"`, `\` or a control character is there
        # in its escaped form.
        self.redactor = Redactor(kept + [json.dumps(s, ensure_ascii=False)[1:-1] for s in kept])

    def redact(self, text: str) -> str:
        return self.redactor.redact(text)

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                data[key] = MASK if is_sensitive_header(key) else value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        # Messages may quote handlers and webhooks: control and bidi characters go out as \uXXXX.
        return printable_json(self.redact(json.dumps(data, default=str, ensure_ascii=False)))


def configure(secrets: Iterable[str], *, level: int = logging.INFO, stream: TextIO | None = None) -> logging.Handler:
    """Send `runner.*` and uvicorn's logs to `stream` (stderr) as redacted JSON lines."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(secrets))
    for name in ("runner", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(level)
        logger.propagate = False
    return handler
