"""The composition root: every part of the serve path is built here, once, and nowhere else.

    service = Service(config, environ=os.environ)   # validates: handlers load, secrets are set
    app = create_app(service)                       # runner.server.app; its lifespan calls
    await service.start() ... await service.stop()  # engines + delivery worker up / drained

    replay = Service(config, environ=os.environ, purpose="replay")   # `runner replay`: same parts

With `runner serve --workers N` (runner.server.supervisor) the parts are split between
processes on one queue: N with purpose "ingest" take webhooks (verifiers, engines, pipeline;
`notify` wakes the dispatcher in another process) and one with purpose "dispatch" delivers
(dispatcher, pruner, and the recovery of a killed dispatcher's claims). The supervisor holds
the data folder's lock for them all.

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
import dataclasses
import functools
import gc
import logging
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

import httpx

from runner.config import Config, EndpointConfig, engine_worker_count
from runner.config import secrets as config_secrets
from runner.config.model import PROVIDER_RETRY_WINDOW_S
from runner.delivery.backends import QueueStore, is_postgres_url, open_existing, open_store
from runner.delivery.destinations import Destinations
from runner.delivery.dispatcher import Dispatcher
from runner.delivery.lock import ServeLock
from runner.delivery.retention import Pruner
from runner.delivery.store import Store
from runner.engine import EnginePool, Handler, Limits
from runner.engine.threaded import AsyncEngine
from runner.errors import RunnerError, ServeError
from runner.pipeline import HandlerKey, Pipeline, RecentIds
from runner.redact import Redactor
from runner.server.metrics import Metrics
from runner.server.verify import Verifier

log = logging.getLogger("runner.serve")

Purpose = Literal["serve", "replay", "ingest", "dispatch"]
_TAKES_WEBHOOKS = {"serve", "ingest"}  # verifies signatures and runs handlers
_DELIVERS = {"serve", "dispatch"}  # runs the dispatcher and the pruner

RETIRE_POLL_S = 0.1

# What a reload applies, by config section; any other key that changed is reported as needing a
# restart (it is built into what is already running: the socket, the queue, the engine
# workers' count, the HTTP client, the mounted playground).
_LIVE_KEYS = {
    "server": {"max_body_bytes"},
    "delivery": {"max_attempts", "initial_backoff_s", "max_backoff_s", "max_retry_after_s",
                 "claim_limit", "lease_s", "idle_poll_s", "retention"},
}
_LIVE_SECTIONS = {"endpoints", "destinations", "source"}


@dataclass(frozen=True)
class Checked:
    """The parts of a config checked before it is served."""

    verifiers: dict[str, Verifier | None]
    handlers: dict[HandlerKey, Handler]
    destinations: Destinations


@dataclass(frozen=True)
class Live:
    """What one config makes of the serve path: replaced whole by a reload."""

    config: Config
    pipeline: Pipeline  # with the config's handlers and destinations
    verifiers: Mapping[str, Verifier | None]
    redactor: Redactor  # every secret loaded so far, for a request's log fields and answers


@dataclass(frozen=True)
class Reloaded:
    """What a reload changed (`endpoint/transform: added|removed|changed`, `destination NAME: ...`)
    and the changed keys it could not apply (`server.port`, ...)."""

    changed: list[str]
    needs_restart: list[str]


class Engines:
    """One engine per distinct `Limits`, made on first use by `make`; closes those it made."""

    def __init__(self, make: Callable[[Limits], AsyncEngine]) -> None:
        self._make = make
        self._engines: dict[Limits, AsyncEngine] = {}
        self.pinned: set[Limits] = set()

    def __call__(self, limits: Limits) -> AsyncEngine:
        engine = self._engines.get(limits)
        if engine is None:
            engine = self._engines[limits] = self._make(limits)
        return engine

    def pin(self, limits: Limits) -> AsyncEngine:
        """The engine for `limits`, kept whatever configs come (the playground's)."""
        self.pinned.add(limits)
        return self(limits)

    def limits(self) -> set[Limits]:
        """The limits engines are running for."""
        return set(self._engines)

    def take(self, limits: set[Limits]) -> list[AsyncEngine]:
        """Forget the engines for `limits`, for the caller to close (a later call for those
        limits makes new ones)."""
        return [self._engines.pop(lim) for lim in limits if lim in self._engines]

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
        notify: Callable[[], None] | None = None,
    ) -> None:
        self.environ = environ
        self.insecure = insecure_skip_verify
        self.purpose = purpose
        self.takes_webhooks = purpose in _TAKES_WEBHOOKS
        self.delivers = purpose in _DELIVERS
        self._verify = self.takes_webhooks and not insecure_skip_verify
        self._secrets: dict[str, None] = {}  # every secret value any loaded config used, in order
        # Checked, loaded (and syntax-checked) before anything is opened: a broken handler stops here.
        checked = self._check(config)
        workers = engine_worker_count(config.server) if self.takes_webhooks else 1
        self.engines = Engines(engines or (lambda limits: EnginePool(workers=workers, limits=limits)))
        self.metrics = Metrics()
        target = config.queue or config.data_dir
        # One server per SQLite folder (the CLI's short-lived commands may share it; PostgreSQL
        # is shared by design): held until `close`, or until the process ends. The processes of
        # `serve --workers` share their supervisor's.
        self.lock = ServeLock.acquire(config.data_dir) if purpose == "serve" and not is_postgres_url(target) else None
        try:
            self.store: QueueStore = (open_existing(target) if purpose == "replay"
                                      else open_store(target, synchronous=config.delivery.synchronous))
        except BaseException:
            if self.lock is not None:
                self.lock.release()
            raise
        # The destinations' answers are masked with the secrets of the config being served.
        self.dispatcher = Dispatcher.from_config(self.store, checked.destinations, config.delivery, environ=environ,
                                                 client=client, observer=self.metrics,
                                                 redact=self._redact)
        self._notify = notify or self.dispatcher.notify
        self.live = self._assemble(config, checked)
        self._task: asyncio.Task[None] | None = None
        # Removes finished deliveries past delivery.retention; started by `start` (serve only).
        self.pruner = Pruner(self.store, config.delivery.retention, on_pruned=self.metrics.pruned)
        self._pruning: asyncio.Task[None] | None = None
        self._reloading = asyncio.Lock()
        self._previous: list[Pipeline] = []  # replaced by reloads, maybe still running requests
        self._retiring: asyncio.Task[None] | None = None

    # What a request reads, from the current `live` (take `live` once to read several).
    @property
    def config(self) -> Config:
        return self.live.config

    @property
    def pipeline(self) -> Pipeline:
        return self.live.pipeline

    @property
    def verifiers(self) -> Mapping[str, Verifier | None]:
        return self.live.verifiers

    @property
    def destinations(self) -> Destinations:
        return self.live.pipeline.destinations

    def _redact(self, text: str) -> str:
        live: Live = self.live
        return live.redactor.redact(text)

    def secrets(self) -> list[str]:
        """Every secret value in use, for log redaction: those of every config loaded since the
        start, since a request that began before a reload may still log an old one."""
        return list(self._secrets)

    async def reload(self, config: Config) -> Reloaded:
        """Serve `config` from now on, once all of it is checked (secrets set, every handler
        loads, engines for new limits started); on any problem raise RunnerError and keep
        serving the current one.

        The swap is one assignment on the event loop: a request takes `live` once, so it runs
        wholly on the old config or wholly on the new, and none is dropped or run twice (the
        recent-ids memory is handed over; the queue's unique webhook-id is the last word)."""
        if self.purpose == "replay":
            raise ServeError("only a running server reloads")
        async with self._reloading:
            old = self.live
            restart = needs_restart(old.config, config)
            config = keep_restart_keys(old.config, config)  # served as running: reported, not applied
            checked = await asyncio.to_thread(functools.partial(self._check, config, reload=True))
            await self._start_engines(config)
            new = self._assemble(config, checked, recent=old.pipeline.recent)
            self.dispatcher.reconfigure(new.pipeline.destinations, config.delivery)
            self.pruner.retention = config.delivery.retention  # from its next pass on
            self.live = new
            self._previous.append(old.pipeline)
            if self._retiring is None or self._retiring.done():
                self._retiring = asyncio.create_task(self._retire(), name="retire-engines")
            return Reloaded(changed=_changes(old, new), needs_restart=restart)

    def _check(self, config: Config, *, reload: bool = False) -> Checked:
        return check(config, self.environ, signing=self._verify, replay=self.purpose == "replay", reload=reload)

    def _assemble(self, config: Config, checked: Checked, *, recent: RecentIds | None = None) -> Live:
        for value in config_secrets.values(config, self.environ):
            self._secrets[value] = None
        pipeline = Pipeline(
            config.endpoints, checked.handlers, self.engines, checked.destinations, self.store,
            environ=self.environ, on_enqueued=self._notify, observer=self.metrics, recent=recent,
        )
        return Live(config, pipeline, checked.verifiers, Redactor(self.secrets()))

    async def _start_engines(self, config: Config) -> None:
        # Engine worker processes take a moment to spawn: done before the config takes traffic.
        if not self.takes_webhooks:
            return
        limits = _limits(config)
        await asyncio.to_thread(lambda: [self.engines(lim) for lim in limits])

    async def _retire(self) -> None:
        # Engines the current config does not use are closed once every request that began on
        # an earlier config (the only ones that can still submit to them) has returned.
        while True:
            self._previous = [p for p in self._previous if p.in_flight]
            if self._previous:
                await asyncio.sleep(RETIRE_POLL_S)
                continue
            # Not while a reload is under way: the engines it starts for its config look unused
            # until it is served, and the pipeline it replaces must be waited for first.
            async with self._reloading:
                if self._previous:
                    continue
                unused = self.engines.take(self.engines.limits() - _limits(self.config) - self.engines.pinned)
            for engine in unused:
                await asyncio.to_thread(engine.close)
            # A reload while those closed started no retirement of its own (this one was running).
            if not self._previous:
                return

    async def start(self) -> None:
        """Start engine workers and the delivery worker (each where this purpose has them)."""
        await self._start_engines(self.config)
        if self.delivers:
            released = await self.store.release_dead_claims(socket.gethostname())
            if released:
                log.warning("serve.recovered", extra={"deliveries": released, "detail": "claims of a killed process released"})
            self._task = asyncio.create_task(self.dispatcher.run(), name="dispatcher")
            self._pruning = asyncio.create_task(self.pruner.run(), name="pruner")
        # What is loaded by now (modules, config, handlers) lives as long as the server: move it out
        # of the collector's sight, or every full collection re-scans it (a ~30 ms pause of the
        # event loop under load, seen as p99 latency).
        gc.collect()
        gc.freeze()
        short = self.config.delivery.retention.shorter_than(PROVIDER_RETRY_WINDOW_S) if self.delivers else None
        if short:
            log.warning("serve.short_retention", extra={
                "retention": {status: f"{age:g}s" for status, age in short.items()},
                "detail": "shorter than the provider's retry window (about 28 h): should our answer to a webhook "
                          "not reach the provider, its retry after the prune is taken as new and delivered again"})
        if self.insecure and self.takes_webhooks:
            log.warning("serve.insecure", extra={"detail": "signature verification is OFF (--insecure-skip-verify): anyone can post events"})
        if self.takes_webhooks:
            log.info("serve.started", extra={"endpoints": [e.name for e in self.config.endpoints], "data_dir": str(self.config.data_dir)})

    async def stop(self) -> None:
        """Drain the delivery worker, stop engines, close the store after its last commit."""
        if self._pruning is not None:
            self.pruner.stop()
            await self._pruning
            self._pruning = None
        if self._task is not None:
            self.dispatcher.stop()
            await self._task
            self._task = None
        else:
            await self.dispatcher.aclose()  # never run (an ingest process), so never closed
        if self._retiring is not None:
            self._retiring.cancel()
        await asyncio.to_thread(self.close)
        log.info("serve.stopped")

    def close(self) -> None:
        """Stop the engines and close the store (after its last commit)."""
        self.engines.close()
        self.store.close_sync()
        if self.lock is not None:
            self.lock.release()


def check(config: Config, environ: Mapping[str, str], *, signing: bool = True, replay: bool = False,
          reload: bool = False) -> Checked:
    """Everything `config` needs that can be checked without the store (secrets set, `signing`
    ones among them, every handler loads): raises RunnerError naming all that is missing."""
    # A replay takes no webhooks (no signing secrets), but sends: its write keys must be set.
    problems = config_secrets.missing(config, environ, signing=signing)
    if problems:
        doing = "replay" if replay else "reload" if reload else "start"
        raise ServeError(f"cannot {doing}:\n  " + "\n  ".join(problems))
    verifiers = {e.name: _verifier(e, environ) if signing else None for e in config.endpoints}
    return Checked(verifiers, load_handlers(config), Destinations(config.destinations))


def needs_restart(old: Config, new: Config) -> list[str]:
    """The keys that differ between `old` and `new` that only a restart applies."""
    return [f"{section}.{key}" if key else section for section, key in _restart_only(old, new)]


def keep_restart_keys(old: Config, new: Config) -> Config:
    """`new` with the keys only a restart applies (`needs_restart`) put back as `old` has them:
    the config a running server serves after a reload, and starts a process of it on again."""
    kept: dict[str, object] = {}
    for section, key in _restart_only(old, new):
        if key is None:
            kept[section] = getattr(old, section)
        else:
            kept[section] = dataclasses.replace(kept.get(section, getattr(new, section)),  # type: ignore[type-var]
                                                **{key: getattr(getattr(old, section), key)})
    return dataclasses.replace(new, **kept)  # type: ignore[arg-type]


def _restart_only(old: Config, new: Config) -> list[tuple[str, str | None]]:
    # (section, key) of a key in a section (server, delivery), (name, None) of a top-level one.
    out: list[tuple[str, str | None]] = []
    for f in dataclasses.fields(old):
        a, b = getattr(old, f.name), getattr(new, f.name)
        if f.name in _LIVE_SECTIONS or a == b:
            continue
        if dataclasses.is_dataclass(a) and dataclasses.is_dataclass(b):
            live = _LIVE_KEYS.get(f.name, set())
            out += [(f.name, g.name) for g in dataclasses.fields(a)
                    if g.name not in live and getattr(a, g.name) != getattr(b, g.name)]
        else:
            out.append((f.name, None))
    return out


def _changes(old: Live, new: Live) -> list[str]:
    """What a reload changed and applied: endpoints, transforms (their code, file or settings),
    destinations, and the server and delivery keys that apply at once."""
    def parts(live: Live) -> list[dict[str, object]]:
        config = live.config
        return [
            {f"endpoint {e.name}": dataclasses.replace(e, transforms=()) for e in config.endpoints},
            {f"{e.name}/{t.name}": (t, live.pipeline.handlers[(e.name, t.name)].digest)
             for e in config.endpoints for t in e.transforms},
            {f"destination {d.name}": d for d in config.destinations},
        ]

    out = []
    for before, after in zip(parts(old), parts(new)):
        out += [f"{k}: added" for k in after if k not in before]
        out += [f"{k}: removed" for k in before if k not in after]
        out += [f"{k}: changed" for k in after if k in before and before[k] != after[k]]
    for section, keys in _LIVE_KEYS.items():
        a, b = getattr(old.config, section), getattr(new.config, section)
        out += [f"{section}.{key}: changed" for key in sorted(keys) if getattr(a, key) != getattr(b, key)]
    return out


def _limits(config: Config) -> set[Limits]:
    return {t.limits for e in config.endpoints for t in e.transforms}


def load_handlers(config: Config) -> dict[HandlerKey, Handler]:
    """Every transform's handler, by (endpoint, transform); HandlerError names a broken one."""
    return {(e.name, t.name): Handler.from_file(t.path) if t.code is None else Handler.from_source(t.code, filename=str(t.path))
            for e in config.endpoints for t in e.transforms}


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
