"""What one process of `runner serve` runs: the whole server, or one part under the supervisor.

    http_server(app, config).run()                       # runner serve (--workers 1)
    http_server(app, config).run(sockets=[inherited])    # an ingest worker of --workers N
    asyncio.run(run_dispatch(service, reloader, wake_fd, ready))   # the dispatcher of --workers N

Ingest workers wake the dispatcher through a pipe (`waker`): one byte per enqueue, never
blocking (a full pipe already means "wake up"); the dispatcher also polls the queue, so a
wake-up lost with a killed process only delays delivery by `delivery.idle_poll_s`.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import os
import signal
import threading
import time
from collections.abc import Callable

import uvicorn
from starlette.types import ASGIApp

from runner.config import Config
from runner.server.reload import Reloader
from runner.server.service import Service

GRACEFUL_SHUTDOWN_S = 30  # in-flight requests get this long to finish on SIGTERM/SIGINT
BACKLOG = 2048  # pending TCP connections; bursts from the provider queue here, not in errors
PUBLISH_S = 1.0  # how often the dispatcher publishes its destinations' gauges for /metrics
PARENT_POLL_S = 0.5


def http_server(app: ASGIApp, config: Config) -> uvicorn.Server:
    """uvicorn serving `app` on the config's host and port, as `runner serve` runs it."""
    return uvicorn.Server(uvicorn.Config(
        app,
        host=config.server.host,
        port=config.server.port,
        loop="uvloop" if importlib.util.find_spec("uvloop") else "asyncio",
        http="httptools" if importlib.util.find_spec("httptools") else "h11",
        lifespan="on",
        access_log=False,  # one line per webhook at thousands per second; /metrics counts them
        log_config=None,
        backlog=BACKLOG,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    ))


def waker(fd: int) -> Callable[[], None]:
    """A `notify` for an ingest worker's Service: wakes the dispatcher reading the pipe's other end."""
    def wake() -> None:
        with contextlib.suppress(BlockingIOError):  # full: the dispatcher has wake-ups waiting
            os.write(fd, b"\0")
    return wake


def watch_parent(parent: int) -> None:
    """Stop this process (SIGTERM: a graceful stop) once its parent, the supervisor, is gone,
    so that a killed supervisor leaves no server behind holding the data folder."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_S)
        os.kill(os.getpid(), signal.SIGTERM)
    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


async def run_dispatch(service: Service, reloader: Reloader, wake_fd: int, ready: Callable[[], None]) -> None:
    """The dispatcher process: deliver (and prune) until SIGTERM or SIGINT, woken by the
    ingest workers through `wake_fd`, reloading with `reloader`; `ready` once it runs."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    def woken() -> None:
        with contextlib.suppress(BlockingIOError):
            while os.read(wake_fd, 65536):
                pass
        service.dispatcher.notify()

    os.set_blocking(wake_fd, False)
    await service.start()
    loop.add_reader(wake_fd, woken)
    await reloader.start()
    ready()
    try:
        while not stop.is_set():
            # The ingest workers answer /metrics: these gauges are only known here.
            service.metrics.set_destinations(service.dispatcher.destination_states())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), PUBLISH_S)
    finally:
        loop.remove_reader(wake_fd)
        await reloader.stop()
        await service.stop()
