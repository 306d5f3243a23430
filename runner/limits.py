"""Per-invocation resource limits for handler code."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_TIME_MS = 500
DEFAULT_MEMORY_BYTES = 64 * 1024 * 1024
DEFAULT_STACK_BYTES = 512 * 1024
DEFAULT_LOG_BYTES = 16 * 1024
DEFAULT_BODY_BYTES = 1024 * 1024
DEFAULT_HEADER_COUNT = 64
DEFAULT_HEADER_BYTES = 16 * 1024
DEFAULT_DEPTH = 256
DEFAULT_MESSAGE_BYTES = 4096


@dataclass(frozen=True)
class Limits:
    """What one invocation of a handler may use.

    `time_ms` is CPU time of the invocation (each engine runs alone in its thread of its own
    process, so no other work eats into it); `memory_bytes` is the heap the invocation may grow
    beyond the engine's own baseline; `stack_bytes` bounds recursion; `log_bytes` caps captured
    console output (the rest is dropped and marked truncated).

    What a result may carry, checked on its serialised form: `body_bytes` of JSON payload
    (UTF-8; Segment itself takes 32 KB per event, its own check applies on top), `header_count`
    headers in `header_bytes` of JSON, payloads nested at most `depth` levels, and error
    messages of `message_bytes` characters (longer ones are cut, stacks at four times that).
    A result over a bound is that invocation's `InvalidResult` error.
    """

    time_ms: int = DEFAULT_TIME_MS
    memory_bytes: int = DEFAULT_MEMORY_BYTES
    stack_bytes: int = DEFAULT_STACK_BYTES
    log_bytes: int = DEFAULT_LOG_BYTES
    body_bytes: int = DEFAULT_BODY_BYTES
    header_count: int = DEFAULT_HEADER_COUNT
    header_bytes: int = DEFAULT_HEADER_BYTES
    depth: int = DEFAULT_DEPTH
    message_bytes: int = DEFAULT_MESSAGE_BYTES

    def __post_init__(self) -> None:
        for name in ("time_ms", "memory_bytes", "stack_bytes", "log_bytes", "body_bytes", "header_count",
                     "header_bytes", "depth", "message_bytes"):
            value = getattr(self, name)
            if not isinstance(value, int) or value <= 0:
                raise ValueError(f"limit {name} must be a positive integer, got {value!r}")
        if self.stack_bytes < 64 * 1024:
            raise ValueError(f"limit stack_bytes must be at least 65536, got {self.stack_bytes}")
