"""The configuration of `runner serve` as frozen dataclasses, with every default in one place.

`loader` builds a `Config` from a `runner.yaml`, `simple` from the command line's TRANSFORM
files; both validate, so code holding a `Config` may trust it. Secrets are never in it: only
the names of the environment variables that hold them (see `runner.config.secrets`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from runner import segment
from runner.compat import JsSettings
from runner.config import secrets
from runner.limits import Limits

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_MAX_BODY_BYTES = 1024 * 1024  # 1 MiB: provider payloads are a few KB
DEFAULT_ENGINE_WORKERS = 2
# `server.workers` unset: one ingest process per two cores, up to this many. Each ingest process
# keeps about a core busy with its own engine workers, SQLite writer and the dispatcher's share:
# measured on 2 cores, `--workers 2` took 0.64x the webhooks of `--workers 1` (twice the
# commits, each fsync'd, and the processes competing for the same cores).
MAX_AUTO_WORKERS = 8
MAX_WORKERS = 64  # what `server.workers` / `--workers` may ask for
DEFAULT_DATA_DIR = ".runner"
DEFAULT_SECRET_ENV = "DODO_WEBHOOK_SECRET"
DEFAULT_PREVIOUS_SECRET_ENV = "DODO_WEBHOOK_SECRET_PREVIOUS"
DEFAULT_WRITE_KEY_ENV = "SEGMENT_WRITE_KEY"
DEFAULT_ENDPOINT = "default"
DEFAULT_DESTINATION = "segment"
DEFAULT_EVENT_TYPE_FIELD = "type"
SYNCHRONOUS_MODES = ("FULL", "NORMAL", "EXTRA")  # SQLite's PRAGMA synchronous values runner accepts


@dataclass(frozen=True)
class ServerConfig:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    engine_workers: int | None = None  # per ingest process; None: see `engine_worker_count`
    workers: int | None = None  # ingest processes (`serve --workers`); None: see `worker_count`
    # The web playground at /playground: off by default, since whoever reaches it can run code
    # in the sandbox. Its samples are read from this directory (relative to the working dir).
    playground: bool = False
    playground_samples: str = "samples"


def worker_count(server: ServerConfig) -> int:
    """The ingest processes `runner serve` runs: `server.workers`, else one per two cores this
    process may use, at least 1 and at most MAX_AUTO_WORKERS."""
    if server.workers is not None:
        return server.workers
    return max(1, min(usable_cores() // 2, MAX_AUTO_WORKERS))


def engine_worker_count(server: ServerConfig) -> int:
    """The QuickJS worker processes of each ingest process: `server.engine_workers`, else
    DEFAULT_ENGINE_WORKERS, as many as the cores left per ingest process allow, at least 1.

    Ingest processes that already have a core each (`--workers 2` on 2 cores) gain nothing from
    a second engine process but more processes taking turns on the cores and smaller batches
    on each pipe: measured on 2 cores under wrk (3 alternated rounds), one engine process each
    took 3,018 webhooks/s at 474 µs of CPU per webhook, two took 2,882/s at 492 µs."""
    if server.engine_workers is not None:
        return server.engine_workers
    return max(1, min(DEFAULT_ENGINE_WORKERS, usable_cores() // worker_count(server)))


def usable_cores() -> int:
    """The cores this process may run on: a container's CPU set, not the host's count."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # no affinity on this platform
        return os.cpu_count() or 1


DAY_S = 86400.0
# The provider retries an unacknowledged webhook for about 27.6 h (immediately, then 5 s, 5 min,
# 30 min, 2 h, 5 h, 10 h, 10 h): a retention shorter than this may forget a webhook-id it retries.
PROVIDER_RETRY_WINDOW_S = 28 * 3600.0
DEFAULT_PRUNE_INTERVAL_S = 300.0  # how often `runner serve` prunes finished deliveries past retention


@dataclass(frozen=True)
class Retention:
    """How long finished deliveries stay in the queue, by status, in seconds since they reached
    that status (None: forever). Pending ones are never removed. Delivered, cancelled and
    skipped ones are history; dead letters and rejected ones wait for someone to look at (and
    replay) them, so they stay longer. Keep each above the sender's retry window: an event
    whose deliveries are all gone is forgotten, and a retry of it would be taken as new."""

    delivered: float | None = 7 * DAY_S
    dead: float | None = 30 * DAY_S
    cancelled: float | None = 7 * DAY_S
    skipped: float | None = 7 * DAY_S
    rejected: float | None = 30 * DAY_S

    def shorter_than(self, seconds: float) -> dict[str, float]:
        """The statuses kept for less than `seconds`, with their ages."""
        return {s: age for s, age in vars(self).items() if age is not None and age < seconds}

    def cutoffs(self, now: float) -> dict[str, float]:
        """`Store.purge`'s `before`: for each status not kept forever, the updated_at before
        which its deliveries go."""
        return {s: now - age for s, age in vars(self).items() if age is not None}


@dataclass(frozen=True)
class DeliveryConfig:
    """Delivery worker tunables (units in the names)."""

    max_attempts: int = 22  # then dead letter; with the backoff below ~1.5 h of trying on average (~3 h at most)
    initial_backoff_s: float = 1.0
    max_backoff_s: float = 900.0
    max_retry_after_s: float = 3600.0  # a longer Retry-After is capped to this
    timeout_s: float = 10.0  # per HTTP attempt (connect, read, write, pool)
    concurrency: int = 8  # HTTP requests in flight
    claim_limit: int = 5000  # deliveries claimed per round
    lease_s: float = 120.0  # a claim not finished by then may be taken by another worker
    idle_poll_s: float = 1.0  # how often an idle worker looks for due retries
    synchronous: str = "FULL"  # SQLite: FULL survives power loss; NORMAL only process crashes
    retention: Retention = field(default_factory=Retention)  # how long finished deliveries are kept


@dataclass(frozen=True)
class Value:
    """A header or handler-env value: literal text, or `prefix` + environment variable `env`.

    A referenced variable is required (`runner serve` refuses to start while it is unset or
    empty) unless `optional`, which makes an unset one the empty string."""

    literal: str | None = None
    env: str | None = None
    prefix: str = ""
    optional: bool = False

    def text(self, environ: Mapping[str, str]) -> str:
        """The value itself: the literal, or the prefix and the variable's value in `environ`."""
        if self.env is None:
            return self.literal or ""
        return self.prefix + environ.get(self.env, "")


@dataclass(frozen=True)
class DestinationConfig:
    """Where results may go. `segment`: Segment hosts, Basic auth from `write_key_env`,
    `base_url` replaces scheme and host. `http`: only `hosts` listed, with `headers`."""

    name: str
    type: str
    hosts: frozenset[str]
    base_url: str | None = None
    write_key_env: str | None = None
    headers: tuple[tuple[str, Value], ...] = ()
    allow_private: bool = False


def segment_destination(base_url: str | None = None) -> DestinationConfig:
    """The default destination: Segment's hosts, keyed from $SEGMENT_WRITE_KEY, `base_url` if given."""
    return DestinationConfig(DEFAULT_DESTINATION, "segment", segment.SEGMENT_HOSTS, base_url, DEFAULT_WRITE_KEY_ENV)


def default_destinations(base_url: str | None = None) -> tuple[DestinationConfig, ...]:
    """The destinations without a `destinations` section (and of the simple form): Segment alone."""
    return (segment_destination(base_url),)


DEFAULT_DESTINATIONS = default_destinations()


@dataclass(frozen=True)
class TransformConfig:
    name: str
    path: Path
    url: str = ""  # the webhook.url the handler starts with (the dashboard endpoint's URL)
    env: Mapping[str, Value] = field(default_factory=dict)  # the handler's webhook.env
    limits: Limits = field(default_factory=Limits)
    settings: JsSettings = field(default_factory=JsSettings)  # locale and time zone of its JavaScript
    # The handler's code as it was read and checked, when the config is a running server's
    # (`runner.server.snapshot`); None: the file at `path` is read when it is loaded.
    code: str | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class EndpointConfig:
    name: str
    transforms: tuple[TransformConfig, ...]
    secret_env: str | None = DEFAULT_SECRET_ENV
    previous_secret_env: str | None = None
    # Svix carries the event type beside the body; at the receiving end only the body has it,
    # in a field each sender names (the provider: `type`).
    event_type_field: str = DEFAULT_EVENT_TYPE_FIELD
    # True: a body without it is answered 400. False: accepted, its handlers run with no event
    # type (as the dashboard runs a handler on any message).
    require_event_type: bool = True


COMMAND_LINE = "<command line>"  # the source of a config made from TRANSFORM files (the simple form)


@dataclass(frozen=True)
class Config:
    endpoints: tuple[EndpointConfig, ...]
    destinations: tuple[DestinationConfig, ...]
    server: ServerConfig = ServerConfig()
    delivery: DeliveryConfig = DeliveryConfig()
    data_dir: Path = Path(DEFAULT_DATA_DIR)
    source: str = COMMAND_LINE  # the runner.yaml it was read from
    queue: str | None = None  # a postgresql:// URL: the shared queue instead of SQLite in data_dir

    def endpoint(self, name: str) -> EndpointConfig | None:
        return next((e for e in self.endpoints if e.name == name), None)

    def destination(self, name: str) -> DestinationConfig | None:
        return next((d for d in self.destinations if d.name == name), None)

    def transform(self, endpoint: str, name: str) -> TransformConfig | None:
        ep = self.endpoint(endpoint)
        return None if ep is None else next((t for t in ep.transforms if t.name == name), None)

    def missing_secrets(self, environ: Mapping[str, str]) -> list[str]:
        """Problems with required environment variables, each naming the variable."""
        return secrets.missing(self, environ)
