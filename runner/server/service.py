"""The parts `runner serve` runs, wired together, with their start and graceful stop.

    service = Service(config, environ=os.environ)   # validates: handlers load, secrets are set
    app = create_app(service)                       # runner.server.app; its lifespan calls
    await service.start() ... await service.stop()  # engines + delivery worker up / drained

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

import httpx

from runner.config import Config, EndpointConfig
from runner.delivery.dispatcher import Dispatcher
from runner.delivery.retry import RetryPolicy
from runner.delivery.backends import open_store
from runner.engine import EnginePool, Limits
from runner.errors import RunnerError
from runner.pipeline import Engine, Pipeline
from runner.server.metrics import Metrics
from runner.server.verify import Verifier

log = logging.getLogger("runner.serve")


class ServeError(RunnerError):
    """`runner serve` cannot start; the message says what to set or fix."""


class Service:
    """Store, engines, pipeline, verifiers, delivery worker and metrics of one server."""

    def __init__(
        self,
        config: Config,
        *,
        environ: Mapping[str, str],
        insecure_skip_verify: bool = False,
        engine_for: Callable[[Limits], Engine] | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.config = config
        self.environ = environ
        self.insecure = insecure_skip_verify
        problems = config.missing_secrets(environ)
        if insecure_skip_verify:
            problems = [p for p in problems if "signing secret" not in p]
        if problems:
            raise ServeError("cannot start:\n  " + "\n  ".join(problems))
        self.verifiers: dict[str, Verifier | None] = {
            e.name: None if insecure_skip_verify else _verifier(e, environ) for e in config.endpoints
        }
        self.metrics = Metrics()
        self._pools: list[EnginePool] = []
        self.store = open_store(config.queue or config.data_dir, synchronous=config.delivery.synchronous)
        d = config.delivery
        self.pipeline = Pipeline(
            config, self.store, engine_for or self._pool, environ=environ,
            on_enqueued=self._notify, observer=self.metrics,
            # One thread per engine worker: more would only queue for a free worker, and every
            # waiting thread adds GIL handoffs to the event loop's path.
            threads=config.server.engine_workers * len({t.limits for e in config.endpoints for t in e.transforms}),
        )
        self.dispatcher = Dispatcher(
            self.store, self.pipeline.router, environ=environ, client=client, observer=self.metrics,
            policy=RetryPolicy(d.max_attempts, d.initial_backoff_s, d.max_backoff_s, d.max_retry_after_s),
            concurrency=d.concurrency, claim_limit=d.claim_limit, lease_s=d.lease_s,
            idle_poll_s=d.idle_poll_s, timeout_s=d.timeout_s,
        )
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def secrets(self) -> list[str]:
        """Every secret value in use, for log redaction."""
        names = [e.secret_env for e in self.config.endpoints] + [e.previous_secret_env for e in self.config.endpoints]
        names += [d.write_key_env for d in self.config.destinations]
        names += [v.env for d in self.config.destinations for _, v in d.headers]
        names += [v.env for e in self.config.endpoints for t in e.transforms for v in t.env.values()]
        return [self.environ[n] for n in names if n and self.environ.get(n)]

    def _pool(self, limits: Limits) -> EnginePool:
        pool = EnginePool(workers=self.config.server.engine_workers, limits=limits)
        self._pools.append(pool)
        return pool

    def _notify(self) -> None:
        self.dispatcher.notify()

    async def start(self) -> None:
        """Start engine workers and the delivery worker."""
        self._loop = asyncio.get_running_loop()
        limits = {t.limits for e in self.config.endpoints for t in e.transforms}
        # Engine worker processes take a moment to spawn: do it before taking traffic.
        await asyncio.to_thread(lambda: [self.pipeline.engine(lim) for lim in limits])
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
        await asyncio.to_thread(self._close_sync)
        log.info("serve.stopped")

    def _close_sync(self) -> None:
        self.pipeline.close()
        for pool in self._pools:
            pool.close()
        self._pools.clear()
        self.store.close_sync()


def _verifier(endpoint: EndpointConfig, environ: Mapping[str, str]) -> Verifier:
    names = [n for n in (endpoint.secret_env, endpoint.previous_secret_env) if n and environ.get(n)]
    try:
        return Verifier([environ[n] for n in names], names=names)
    except RunnerError as exc:
        raise ServeError(f"endpoint {endpoint.name!r}: {exc}") from None
