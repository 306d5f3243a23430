"""The stand-in for Segment's tracking API (`harness.segment_standin`), under the names the
tests import it by."""

from __future__ import annotations

from harness.segment_standin import (
    MAX_BATCH_BYTES,
    MAX_SINGLE_BYTES,
    Fault,
    Recorded,
    SegmentStandin,
)

__all__ = ["MAX_BATCH_BYTES", "MAX_SINGLE_BYTES", "Fault", "Recorded", "SegmentStandin"]
