"""`Observer`: what the serve path reports as it works (the server's metrics implement it).

One protocol for the whole path, so one object observes it all; `NO_OBSERVER` ignores
everything (scripts, `runner replay`, tests).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Observer(Protocol):
    def transformed(self, endpoint: str, transform: str, status: str, seconds: float) -> None:
        """A transform ran on an accepted webhook (`status`: the outcome's)."""

    def sent(self, destination: str, outcome: str, count: int, seconds: float) -> None:
        """A request carrying `count` deliveries ended: delivered | retried | dead."""

    def acknowledged(self, destination: str, ages_s: Sequence[float]) -> None:
        """Deliveries were acknowledged by their destination; `ages_s`: each one's seconds from
        acceptance (its `created_at`) to that ack."""


class _Unobserved:
    def transformed(self, endpoint: str, transform: str, status: str, seconds: float) -> None:
        pass

    def sent(self, destination: str, outcome: str, count: int, seconds: float) -> None:
        pass

    def acknowledged(self, destination: str, ages_s: Sequence[float]) -> None:
        pass


NO_OBSERVER: Observer = _Unobserved()
