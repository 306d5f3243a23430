"""The retry policy: a pure object deciding what happens after each send attempt.

    policy.decide(attempt=3, status=503, retry_after_s=None) → Retry(delay_s=...) | Dead(reason) | Delivered()

Retried: network errors (status None) and the statuses the destination calls retryable (by
default 408, 429 and 5xx; Segment's rules add 410 and exclude 501/505, see `destinations`).
Never retried: every other 4xx. Delays grow exponentially with full jitter (AWS's "full jitter":
spreads a crowd of retries evenly instead of in synchronized waves); a `Retry-After` from the
server wins over the computed delay (capped at `max_retry_after_s`). After `max_attempts`
attempts the delivery becomes a dead letter.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from runner.config import DeliveryConfig

_DEFAULTS = DeliveryConfig()  # the tunables' one home: runner.yaml's `delivery` section
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

    max_attempts: int = _DEFAULTS.max_attempts
    initial_backoff_s: float = _DEFAULTS.initial_backoff_s
    max_backoff_s: float = _DEFAULTS.max_backoff_s
    max_retry_after_s: float = _DEFAULTS.max_retry_after_s
    rand: Callable[[], float] = field(default=random.random, compare=False, repr=False)

    @classmethod
    def from_config(cls, delivery: DeliveryConfig) -> RetryPolicy:
        """The policy runner.yaml's `delivery` section sets."""
        return cls(delivery.max_attempts, delivery.initial_backoff_s, delivery.max_backoff_s, delivery.max_retry_after_s)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {self.max_attempts}")

    def backoff_s(self, attempt: int) -> float:
        """Full-jitter delay after the `attempt`-th failure (1-based)."""
        ceiling = min(self.max_backoff_s, self.initial_backoff_s * 2.0 ** (attempt - 1))
        # Never zero: a zero delay would hammer a struggling server in a tight loop.
        return max(self.initial_backoff_s / 10, ceiling * self.rand())

    def decide(
        self,
        *,
        attempt: int,
        status: int | None,
        error: str | None = None,
        retry_after_s: float | None = None,
        retryable: Callable[[int], bool] | None = None,
    ) -> Decision:
        """What to do after attempt number `attempt` ended with `status` (None: no response)."""
        if status is not None and 200 <= status < 300:
            return Delivered()
        what = error or f"HTTP {status}"
        if status is not None and not (retryable or retryable_status)(status):
            return Dead(f"{what}: the destination refused it and retrying would not help")
        if attempt >= self.max_attempts:
            return Dead(f"{what}: gave up after {attempt} attempts")
        delay = self.backoff_s(attempt)
        if retry_after_s is not None:
            delay = min(max(retry_after_s, 0.0), self.max_retry_after_s)
        return Retry(delay, what)


def retryable_status(status: int) -> bool:
    """The generic rule: a timeout (408), a rate limit (429) or a server error (5xx)."""
    return status >= 500 or status in GENERIC_RETRYABLE
