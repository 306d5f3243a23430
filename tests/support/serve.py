"""Drive `runner serve` for real: the shared helpers of `harness.serve`, under the names the
tests import them by."""

from __future__ import annotations

from harness.serve import (
    ROOT,
    START_TIMEOUT_S,
    TRANSFORMS,
    ServeProcess,
    free_port,
    new_secret,
    payment_event,
    signed,
)

__all__ = ["ROOT", "START_TIMEOUT_S", "TRANSFORMS", "ServeProcess", "free_port", "new_secret", "payment_event",
           "signed"]
