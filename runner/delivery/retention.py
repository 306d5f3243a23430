"""Pruning the queue: finished deliveries older than `delivery.retention` are removed in the
background, in small batches, so the queue holds the recent past instead of growing forever.

    pruner = Pruner(store, config.delivery.retention, on_pruned=metrics.pruned)
    task = asyncio.create_task(pruner.run())     # once at start, then every interval_s
    pruner.stop(); await task                    # the batch in progress finishes first

Each batch is one short `Store.purge` transaction of at most `batch` deliveries (SQLite: a job
on the writer like any other, so webhooks keep being committed between batches; PostgreSQL: a
transaction of its own, taking turns with other instances'). What is removed and when is the
store's rule (`Store.purge`); pending deliveries are never removed. `runner deliveries purge`
runs the same loop (`purge_all`) once, from the command line.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping

from runner.config.model import DEFAULT_PRUNE_INTERVAL_S, Retention
from runner.delivery.store import Purged, Store
from runner.errors import StoreError

log = logging.getLogger("runner.delivery")

DEFAULT_BATCH = 500  # deliveries per transaction: a few milliseconds of write lock each
BATCH_PAUSE_S = 0.01  # between batches of a long purge: webhooks get the writer to themselves


async def purge_all(store: Store, before: Mapping[str, float], *, batch: int = DEFAULT_BATCH,
                    stopping: Callable[[], bool] = lambda: False,
                    progress: Callable[[Purged], None] | None = None) -> Purged:
    """`store.purge(before, batch)` until a batch removes fewer than `batch` (or `stopping()`
    says so between batches); returns the sum, reporting the running sum to `progress`."""
    done = Purged()
    while not stopping():
        purged = await store.purge(before, batch)
        done += purged
        if progress is not None and purged.total:
            progress(done)
        if purged.total < batch:
            break
        await asyncio.sleep(BATCH_PAUSE_S)
    return done


class Pruner:
    """Runs `purge_all` with `retention`'s cutoffs at start and every `interval_s` until `stop`."""

    def __init__(self, store: Store, retention: Retention, *, interval_s: float = DEFAULT_PRUNE_INTERVAL_S,
                 batch: int = DEFAULT_BATCH, on_pruned: Callable[[Purged], None] | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.retention = retention
        self.interval_s = interval_s
        self.batch = batch
        self.on_pruned = on_pruned
        self.clock = clock
        self._stop = asyncio.Event()

    async def run_once(self) -> Purged:
        """One pass: everything past retention now, batch by batch; logs `queue.pruned`."""
        before = self.retention.cutoffs(self.clock())
        if not before:  # every status kept forever
            return Purged()
        started = time.perf_counter()
        purged = await purge_all(self.store, before, batch=self.batch, stopping=self._stop.is_set)
        if purged.total or purged.events:
            if self.on_pruned is not None:
                self.on_pruned(purged)
            log.info("queue.pruned", extra={"deliveries": purged.deliveries, "events": purged.events,
                                            "duration_ms": round((time.perf_counter() - started) * 1000, 1)})
        return purged

    async def run(self) -> None:
        """`run_once` now and every `interval_s` until `stop`; a failing pass is logged and
        tried again at the next interval (a queue that cannot be pruned still takes webhooks)."""
        while not self._stop.is_set():
            try:
                await self.run_once()
            except StoreError as exc:
                log.warning("queue.prune_failed", extra={"error": str(exc)})
            try:
                await asyncio.wait_for(self._stop.wait(), self.interval_s)
            except TimeoutError:
                pass

    def stop(self) -> None:
        """Make `run` return (after the batch in progress)."""
        self._stop.set()
