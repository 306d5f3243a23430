"""Results from a store's writer thread to whoever waits: threads or asyncio event loops.

The writer (`runner.delivery.writer`) groups jobs into one transaction; the results of a group
are handed over together, with one wake-up per event loop (a `call_soon_threadsafe` per future
would cost a syscall and a GIL handoff each).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from typing import Any

Waiter = concurrent.futures.Future[Any] | tuple[asyncio.AbstractEventLoop, "asyncio.Future[Any]"]
"""A thread's future, or (loop, future) for a coroutine awaiting on that loop."""

Result = tuple[Waiter, Any, BaseException | None]


def hand_over(results: list[Result]) -> None:
    """Give each result (or exception) to its waiter: thread futures at once, each event
    loop's futures in one callback on that loop."""
    by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Any], Any, BaseException | None]]] = {}
    for waiter, value, exc in results:
        if isinstance(waiter, tuple):
            by_loop.setdefault(waiter[0], []).append((waiter[1], value, exc))
        elif exc is not None:
            waiter.set_exception(exc)
        else:
            waiter.set_result(value)
    for loop, items in by_loop.items():
        try:
            loop.call_soon_threadsafe(_settle, items)
        except RuntimeError:  # that loop is closed: nobody is waiting any more
            pass


def _settle(items: list[tuple[asyncio.Future[Any], Any, BaseException | None]]) -> None:
    for fut, value, exc in items:
        if fut.cancelled():
            continue
        if exc is not None:
            fut.set_exception(exc)
        else:
            fut.set_result(value)
