"""Taking work off a thread's queue in batches, for threads that pay a fixed cost per batch
(a commit and its fsync, a message to a worker process) rather than per item.

    batch, stop = take_batch(jobs, 64)   # blocks for the first job only

`None` on the queue is the stop sentinel of the thread that reads it.
"""

from __future__ import annotations

import queue
from typing import TypeVar

T = TypeVar("T")


def take_batch(source: queue.SimpleQueue[T | None], limit: int, *, wait: bool = True) -> tuple[list[T], bool]:
    """Wait for one item (with `wait=False`, take none when none is queued), then take
    whatever else is already queued, up to `limit` in all.

    Returns (batch, stop): `stop` means the sentinel was taken; the items taken before it are
    still in `batch` (possibly none) and should be processed before the thread ends. Items
    queued after the sentinel stay queued, for the next reader (several threads may share a
    queue, one sentinel each)."""
    if wait:
        first = source.get()
    else:
        try:
            first = source.get_nowait()
        except queue.Empty:
            return [], False
    if first is None:
        return [], True
    batch = [first]
    while len(batch) < limit:
        try:
            item = source.get_nowait()
        except queue.Empty:
            break
        if item is None:
            return batch, True
        batch.append(item)
    return batch, False
