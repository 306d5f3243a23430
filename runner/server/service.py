"""The composition root: every part of the serve path is built here, once, and nowhere else.

    service = Service(config, environ=os.environ)   # validates: handlers load, secrets are set
    app = create_app(service)                       # runner.server.app; its lifespan calls
    await service.start() ... await service.stop()  # engines + delivery worker up / drained

    replay = Service(config, environ=os.environ, purpose="replay")   # `runner replay`: same parts

Built in dependency order, each handed what it needs: the store; the engines (one pool of
worker processes per distinct limits, started on first use or by `start`); the handlers (every
file loaded, so a broken one stops `serve` at start); the destinations; the dispatcher; the
pipeline, which wakes the dispatcher when it enqueues; the verifiers and the metrics.

Stopping finishes in-flight work and loses nothing: uvicorn first stops accepting and lets
in-flight requests finish (each is acknowledged only after its commit), then the delivery
worker stops claiming and settles the requests it has in flight, then the store closes after
its last commit. Anything claimed but unsent keeps its lease and is retried after restart.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import socket
from collections.abc import Callable, Mapping
from typing import Literal

import httpx

from runner.config import Config, EndpointConfig
from runner.config import secrets as config_secrets
from runner.delivery.backends import QueueStore, is_postgres_url, open_existing, open_store
from runner.delivery.destinations import Destinations
from runner.delivery.dispatcher import Dispatcher
from runner.delivery.lock import ServeLock
from runner.delivery.store import Store
from runner.engine import EnginePool, Handler, Limits
from runner.engine.threaded import AsyncEngine
from runner.errors import RunnerError, ServeError
from runner.pipeline import HandlerKey, Pipeline
from runner.server.metrics import Metrics
from runner.server.verify import Verifier

log = logging.getLogger("runner.serve")

Purpose = Literal["serve", "replay"]


class Engines:
    """One engine per distinct `Limits`, made on first use by `make`; closes those it made."""

    def __init__(self, make: Callable[[Limits], AsyncEngine]) -> None:
        self._make = make
        self._engines: dict[Limits, AsyncEngine] = {}

    def __call__(self, limits: Limits) -> AsyncEngine:
        engine = self._engines.get(limits)
        if engine is None:
            engine = self._engines[limits] = self._make(limits)
        return engine

    def close(self) -> None:
        for engine in self._engines.values():
            engine.close()
        self._engines.clear()


class Service:
    """Store, engines, handlers, destinations, dispatcher, pipeline, verifiers and metrics of one
    server (or of one `runner replay`, which takes no webhooks and needs no signing secrets)."""

    def __init__(
        self,
        config: Config,
        *,
        environ: Mapping[str, str],
        insecure_skip_verify: bool = False,
        purpose: Purpose = "serve",
        engines: Callable[[Limits], AsyncEngine] | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.config = config
        self.environ = environ
        self.insecure = insecure_skip_verify
        verify = purpose == "serve" and not insecure_skip_verify
        # A replay takes no webhooks (no signing secrets), but sends: its write keys must be set.
        problems = config_secrets.missing(config, environ, signing=verify)
        if problems:
            raise ServeError(("cannot start:" if purpose == "serve" else "cannot replay:") + "\n  " + "\n  ".join(problems))
        self.verifiers: dict[str, Verifier | None] = {
            e.name: _verifier(e, environ) if verify else None for e in config.endpoints
        }
        # Loaded (and syntax-checked) before anything is opened: a broken handler stops here.
        handlers = load_handlers(config)
        workers = config.server.engine_workers if purpose == "serve" else 1
        self.engines = Engines(engines or (lambda limits: EnginePool(workers=workers, limits=limits)))
        self.metrics = Metrics()
        target = config.queue or config.data_dir
        # One server per SQLite folder (the CLI's short-lived commands may share it; PostgreSQL
        # is shared by design): held until `close`, or until the process ends.
        self.lock = ServeLock.acquire(config.data_dir) if purpose == "serve" and not is_postgres_url(target) else None
        try:
            self.store: QueueStore = (open_store(target, synchronous=config.delivery.synchronous)
                                      if purpose == "serve" else open_existing(target))
        except BaseException:
            if self.lock is not None:
                self.lock.release()
            raise
        self.destinations = Destinations(config.destinations)
        self.dispatcher = Dispatcher.from_config(self.store, self.destinations, config.delivery, environ=environ,
                                                 client=client, observer=self.metrics)
        self.pipeline = Pipeline(
            config.endpoints, handlers, self.engines, self.destinations, self.store,
            environ=environ, on_enqueued=self.dispatcher.notify, observer=self.metrics,
        )
        self._task: asyncio.Task[None] | None = None

    def secrets(self) -> list[str]:
        """Every secret value in use, for log redaction."""
        return config_secrets.values(self.config, self.environ)

    async def start(self) -> None:
        """Start engine workers and the delivery worker."""
        limits = {t.limits for e in self.config.endpoints for t in e.transforms}
        # Engine worker processes take a moment to spawn: do it before taking traffic.
        await asyncio.to_thread(lambda: [self.engines(lim) for lim in limits])
        released = await self.store.release_dead_claims(socket.gethostname())
        if released:
            log.warning("serve.recovered", extra={"deliveries": released, "detail": "claims of a killed process released"})
        self._task = asyncio.create_task(self.dispatcher.run(), name="dispatcher")
        # What is loaded by now (modules, config, handlers) lives as long as the server: move it out
        # of the collector's sight, or every full collection re-scans it (a ~30 ms pause of the
        # event loop under load, seen as p99 latency).
        gc.collect()
        gc.freeze()
        if self.insecure:
            log.warning("serve.insecure", extra={"detail": "signature verification is OFF (--insecure-skip-verify): anyone can post events"})
        log.info("serve.started", extra={"endpoints": [e.name for e in self.config.endpoints], "data_dir": str(self.config.data_dir)})

    async def stop(self) -> None:
        """Drain the delivery worker, stop engines, close the store after its last commit."""
        if self._task is not None:
            self.dispatcher.stop()
            await self._task
            self._task = None
        await asyncio.to_thread(self.close)
        log.info("serve.stopped")

    def close(self) -> None:
        """Stop the engines and close the store (after its last commit)."""
        self.engines.close()
        self.store.close_sync()
        if self.lock is not None:
            self.lock.release()


def load_handlers(config: Config) -> dict[HandlerKey, Handler]:
    """Every transform's handler, by (endpoint, transform); HandlerError names a broken one."""
    return {(e.name, t.name): Handler.from_file(t.path) for e in config.endpoints for t in e.transforms}


def pipeline_for(config: Config, store: Store, engines: Callable[[Limits], AsyncEngine], *,
                 environ: Mapping[str, str]) -> Pipeline:
    """The pipeline of `config` on `store` and `engines` (one per Limits), delivering to its
    destinations: what `Service` builds, without the server around it (scripts, tests)."""
    return Pipeline(config.endpoints, load_handlers(config), Engines(engines), Destinations(config.destinations),
                    store, environ=environ)


def _verifier(endpoint: EndpointConfig, environ: Mapping[str, str]) -> Verifier:
    names = [n for n in (endpoint.secret_env, endpoint.previous_secret_env) if n and environ.get(n)]
    try:
        return Verifier([environ[n] for n in names], names=names)
    except RunnerError as exc:
        raise ServeError(f"endpoint {endpoint.name!r}: {exc}") from None
