"""A stand-in for the engine with the same `run` interface, for fast pipeline unit tests."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

from runner.engine import Handler, Outcome
from runner.engine.outcome import LogEntry, Request, TransformError


class FakeEngine:
    """Returns whatever `decide(envelope, url, env)` says; records its calls."""

    def __init__(self, decide: Callable[[dict, str, Mapping[str, str]], Outcome]) -> None:
        self.decide = decide
        self.calls: list[tuple[str, str]] = []

    def run(self, handler: Handler, body: str | bytes, *, url: str = "", env: Mapping[str, str] | None = None,
            settings: object = None, event_type: str | None = None) -> Outcome:
        self.calls.append((handler.filename, url))
        return self.decide(json.loads(body), url, env or {})


def sends(url: str, payload: object, *, method: str = "POST", headers: dict[str, str] | None = None) -> Outcome:
    return Outcome("sent", "payment.succeeded", request=Request(url, method, headers or {}, json.dumps(payload)),
                   logs=(LogEntry("log", "sent it"),))


def fails(message: str = "boom") -> Outcome:
    return Outcome("error", "payment.succeeded", error=TransformError("TypeError", message, line=3, column=7),
                   logs=(LogEntry("error", "about to fail"),))
