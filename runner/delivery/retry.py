"""The retry policy: a pure object deciding what happens after each send attempt.

    policy.decide(attempt=3, status=503, retry_after_s=None) → Retry(delay_s=...) | Dead(reason) | Delivered()

Retried: network errors (status None), 408, 429, 5xx (and, for Segment, 410; never 501/505).
Never retried: every other 4xx. Delays grow exponentially with full jitter (AWS's "full jitter":
spreads a crowd of retries evenly instead of in synchronized waves); a `Retry-After` from the
server wins over the computed delay (capped at `max_retry_after_s`). After `max_attempts`
attempts the delivery becomes a dead letter.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from runner import segment

DEFAULT_MAX_ATTEMPTS = 22  # full jitter, 1 s doubling to 900 s: ~1.5 h of retrying on average, ~3 h at most
DEFAULT_INITIAL_BACKOFF_S = 1.0
DEFAULT_MAX_BACKOFF_S = 900.0
DEFAULT_MAX_RETRY_AFTER_S = 3600.0
GENERIC_RETRYABLE = frozenset({408, 429})


@dataclass(frozen=True)
class Delivered:
    pass


@dataclass(frozen=True)
class Retry:
    delay_s: float
    error: str


@dataclass(frozen=True)
class Dead:
    reason: str


Decision = Delivered | Retry | Dead


@dataclass(frozen=True)
class RetryPolicy:
    """Tunables with units in their names; `rand` is a seam for deterministic tests."""

    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    initial_backoff_s: float = DEFAULT_INITIAL_BACKOFF_S
    max_backoff_s: float = DEFAULT_MAX_BACKOFF_S
    max_retry_after_s: float = DEFAULT_MAX_RETRY_AFTER_S
    rand: Callable[[], float] = field(default=random.random, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {self.max_attempts}")

    def backoff_s(self, attempt: int) -> float:
        """Full-jitter delay after the `attempt`-th failure (1-based)."""
        ceiling = min(self.max_backoff_s, self.initial_backoff_s * 2 ** (attempt - 1))
        # Never zero: a zero delay would hammer a struggling server in a tight loop.
        return max(self.initial_backoff_s / 10, ceiling * self.rand())

    def decide(
        self,
        *,
        attempt: int,
        status: int | None,
        error: str | None = None,
        retry_after_s: float | None = None,
        segment_api: bool = False,
    ) -> Decision:
        """What to do after attempt number `attempt` ended with `status` (None: no response)."""
        if status is not None and 200 <= status < 300:
            return Delivered()
        what = error or f"HTTP {status}"
        retryable = status is None or (
            segment.is_retryable(status) if segment_api else (status >= 500 or status in GENERIC_RETRYABLE)
        )
        if not retryable:
            return Dead(f"{what}: the destination refused it and retrying would not help")
        if attempt >= self.max_attempts:
            return Dead(f"{what}: gave up after {attempt} attempts")
        delay = self.backoff_s(attempt)
        if retry_after_s is not None:
            delay = min(max(retry_after_s, 0.0), self.max_retry_after_s)
        return Retry(delay, what)
