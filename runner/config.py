"""`runner serve` configuration: the `runner.yaml` model, its validation, and the simple form.

    server:     {host, port, max_body_bytes, engine_workers, playground: false, playground_samples: samples}
    data_dir:   .runner                           # SQLite queue lives here
    queue:      postgresql://runner@db:5432/runner   # or a shared PostgreSQL queue (no password here)
    delivery:   {max_attempts, initial_backoff_s, max_backoff_s, timeout_s, concurrency, ...}
    destinations:
      segment:  {type: segment, write_key_env: SEGMENT_WRITE_KEY, base_url: https://api.segment.io}
      crm:      {type: http, hosts: [api.crm.example], headers: {Authorization: {env: CRM_TOKEN, prefix: "Bearer "}}}
    endpoints:
      default:
        secret_env: DODO_WEBHOOK_SECRET
        previous_secret_env: DODO_WEBHOOK_SECRET_PREVIOUS   # accepted during rotation
        event_type_field: type        # where the body holds webhook.eventType (dotted path)
        require_event_type: true      # false: a body without it runs with no event type
        transforms:
          payments: {file: transforms/segment-track-payments.js, url: "", env: {K: V}, limits: {time_ms: 500},
                     locale: en-US, time_zone: UTC}

Errors are `ConfigError`s naming the file, line and dotted key. Secrets are never in the file:
only the names of the environment variables that hold them.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from runner import segment
from runner.compat import JsSettings
from runner.errors import RunnerError
from runner.limits import Limits

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_MAX_BODY_BYTES = 1024 * 1024  # 1 MiB: provider payloads are a few KB
DEFAULT_ENGINE_WORKERS = 2
DEFAULT_DATA_DIR = ".runner"
DEFAULT_SECRET_ENV = "DODO_WEBHOOK_SECRET"
DEFAULT_PREVIOUS_SECRET_ENV = "DODO_WEBHOOK_SECRET_PREVIOUS"
DEFAULT_WRITE_KEY_ENV = "SEGMENT_WRITE_KEY"
DEFAULT_ENDPOINT = "default"
DEFAULT_DESTINATION = "segment"
DEFAULT_EVENT_TYPE_FIELD = "type"

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Dotted object keys, e.g. `type`, `event_type`, `data.event`: no empty part, nothing unprintable.
_FIELD_PATH = re.compile(r"[^.\x00-\x1f\x7f]+(\.[^.\x00-\x1f\x7f]+)*")


class ConfigError(RunnerError):
    """The configuration is invalid; the message names the file, line and key to fix."""

    def __init__(self, message: str, *, filename: str, line: int | None = None, key: str = "") -> None:
        self.message = message
        self.filename = filename
        self.line = line
        self.key = key
        where = filename if line is None else f"{filename}:{line}"
        super().__init__(f"{where}: {key + ': ' if key else ''}{message}")


@dataclass(frozen=True)
class ServerConfig:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    engine_workers: int = DEFAULT_ENGINE_WORKERS
    # The web playground at /playground: off by default, since whoever reaches it can run code
    # in the sandbox. Its samples are read from this directory (relative to the working dir).
    playground: bool = False
    playground_samples: str = "samples"


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


@dataclass(frozen=True)
class Value:
    """A header or handler-env value: literal text, or `prefix` + environment variable `env`."""

    literal: str | None = None
    env: str | None = None
    prefix: str = ""

    def resolve(self, environ: Mapping[str, str]) -> str:
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


@dataclass(frozen=True)
class TransformConfig:
    name: str
    path: Path
    url: str = ""  # the webhook.url the handler starts with (the dashboard endpoint's URL)
    env: Mapping[str, Value] = field(default_factory=dict)  # the handler's webhook.env
    limits: Limits = field(default_factory=Limits)
    settings: JsSettings = field(default_factory=JsSettings)  # locale and time zone of its JavaScript


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


@dataclass(frozen=True)
class Config:
    endpoints: tuple[EndpointConfig, ...]
    destinations: tuple[DestinationConfig, ...]
    server: ServerConfig = ServerConfig()
    delivery: DeliveryConfig = DeliveryConfig()
    data_dir: Path = Path(DEFAULT_DATA_DIR)
    source: str = "<command line>"
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
        problems = []
        for ep in self.endpoints:
            if ep.secret_env and not environ.get(ep.secret_env):
                problems.append(
                    f"endpoint {ep.name!r}: environment variable {ep.secret_env} (its webhook "
                    "signing secret, whsec_...) is not set; set it, or pass "
                    "--insecure-skip-verify for local testing"
                )
        for dest in self.destinations:
            if dest.type == "segment" and dest.write_key_env and not environ.get(dest.write_key_env):
                problems.append(
                    f"destination {dest.name!r}: environment variable {dest.write_key_env} "
                    "(the Segment write key) is not set; set it"
                )
        return problems


def simple(
    transforms: list[Path],
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    segment_url: str | None = None,
    data_dir: Path = Path(DEFAULT_DATA_DIR),
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> Config:
    """The config `runner serve TRANSFORM...` means: one endpoint `default`, one Segment
    destination whose base URL is `segment_url`, secrets from the default variables."""
    if segment_url is not None:
        _check_base_url(segment_url, filename="--segment-url", line=None, key="--segment-url")
    names: list[str] = []
    items = []
    for path in transforms:
        name = _unique(re.sub(r"[^A-Za-z0-9_.-]", "-", path.stem) or "transform", names)
        names.append(name)
        items.append(TransformConfig(name=name, path=path))
    return Config(
        endpoints=(
            EndpointConfig(
                DEFAULT_ENDPOINT, tuple(items), DEFAULT_SECRET_ENV, DEFAULT_PREVIOUS_SECRET_ENV
            ),
        ),
        destinations=(
            DestinationConfig(
                DEFAULT_DESTINATION, "segment", segment.SEGMENT_HOSTS, segment_url, DEFAULT_WRITE_KEY_ENV
            ),
        ),
        server=ServerConfig(host=host, port=port, max_body_bytes=max_body_bytes),
        data_dir=data_dir,
    )


def load(path: Path) -> Config:
    """Read and validate a `runner.yaml`; relative paths in it are relative to its folder."""
    filename = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the config file: {exc.strerror}", filename=filename) from None
    return parse(text, filename=filename, base_dir=path.parent)


def parse(text: str, *, filename: str = "runner.yaml", base_dir: Path = Path(".")) -> Config:
    """Validate YAML text as a config (see the module docstring for the shape)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(
            f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
            filename=filename,
            line=None if mark is None else mark.line + 1,
        ) from None
    if root is None:
        raise ConfigError("the file is empty; it needs at least an 'endpoints' section", filename=filename)
    top = _Map(root, filename, "")
    top.only({"server", "data_dir", "queue", "delivery", "destinations", "endpoints"})
    server = _dataclass(ServerConfig, top.get("server"), filename, "server")
    delivery = _dataclass(DeliveryConfig, top.get("delivery"), filename, "delivery")
    if delivery.synchronous not in {"FULL", "NORMAL", "EXTRA"}:
        top.sub("delivery").fail("synchronous", "must be FULL, NORMAL or EXTRA")
    data_dir = base_dir / top.str("data_dir", DEFAULT_DATA_DIR)

    destinations = _destinations(top, filename)
    endpoints_node = top.sub("endpoints", required=True)
    endpoints = []
    for name, node in endpoints_node.items():
        endpoints.append(_endpoint(name, node, filename, base_dir))
    if not endpoints:
        endpoints_node.fail("", "define at least one endpoint")
    queue = top.opt_str("queue")
    if queue is not None:
        _check_queue_url(queue, filename=filename, line=top.line_of("queue"))
    return Config(tuple(endpoints), destinations, server, delivery, data_dir, filename, queue)


def _destinations(top: _Map, filename: str) -> tuple[DestinationConfig, ...]:
    node = top.sub("destinations")
    if node is None:
        # Without a section, Segment is the one destination, keyed from the usual variable.
        return (DestinationConfig(DEFAULT_DESTINATION, "segment", segment.SEGMENT_HOSTS, None, DEFAULT_WRITE_KEY_ENV),)
    out = []
    for name, sub in node.items():
        sub.only({"type", "hosts", "base_url", "write_key_env", "headers", "allow_private"})
        kind = sub.str("type", "segment")
        if kind not in {"segment", "http"}:
            sub.fail("type", f"must be 'segment' or 'http', got {kind!r}")
        allow_private = sub.bool("allow_private", False)
        hosts = sub.str_list("hosts")
        if kind == "http" and not hosts:
            sub.fail("hosts", "an http destination must list the hosts results may be sent to")
        for host in hosts:
            if not allow_private and is_private_host(host):
                sub.fail("hosts", f"{host!r} is a private or loopback address; set allow_private: true to allow it")
        base_url = sub.opt_str("base_url")
        if base_url is not None:
            _check_base_url(base_url, filename=filename, line=sub.line_of("base_url"), key=sub.key("base_url"))
        write_key_env = sub.opt_str("write_key_env")
        if kind == "segment" and write_key_env is None:
            write_key_env = DEFAULT_WRITE_KEY_ENV
        if write_key_env is not None and not _ENV_NAME.match(write_key_env):
            sub.fail("write_key_env", f"{write_key_env!r} is not an environment variable name")
        headers = _values(sub, "headers")
        default_hosts = segment.SEGMENT_HOSTS if kind == "segment" else frozenset()
        out.append(
            DestinationConfig(
                name, kind, frozenset(h.lower() for h in hosts) or default_hosts,
                base_url, write_key_env, headers, allow_private,
            )
        )
    return tuple(out)


def _values(sub: _Map, key: str) -> tuple[tuple[str, Value], ...]:
    """A mapping of names to literal strings or `{env: VAR, prefix: "..."}` references."""
    node = sub.sub(key)
    if node is None:
        return ()
    out = []
    for name, value in node.raw_items():
        if isinstance(value, yaml.MappingNode):
            spec = _Map(value, node.filename, node.key(name))
            spec.only({"env", "prefix"})
            env = spec.str("env", "")
            if not _ENV_NAME.match(env):
                spec.fail("env", "must name the environment variable holding the value")
            out.append((name, Value(env=env, prefix=spec.str("prefix", ""))))
        elif isinstance(value, yaml.ScalarNode):
            out.append((name, Value(literal=str(value.value))))
        else:
            node.fail(name, "must be a string or {env: VAR, prefix: ...}")
    return tuple(out)


def _endpoint(name: str, node: _Map, filename: str, base_dir: Path) -> EndpointConfig:
    node.only({"secret_env", "previous_secret_env", "event_type_field", "require_event_type", "transforms"})
    secret_env = node.str("secret_env", DEFAULT_SECRET_ENV)
    previous = node.opt_str("previous_secret_env")
    for key, value in (("secret_env", secret_env), ("previous_secret_env", previous)):
        if value is not None and not _ENV_NAME.match(value):
            node.fail(key, f"{value!r} is not an environment variable name (the secret itself never goes here)")
    event_type_field = node.str("event_type_field", DEFAULT_EVENT_TYPE_FIELD)
    if not _FIELD_PATH.fullmatch(event_type_field):
        node.fail("event_type_field", f"{event_type_field!r} is not a field of the body; give a key such as type, "
                                      "or a dotted path such as data.event")
    require_event_type = node.bool("require_event_type", True)
    transforms_node = node.sub("transforms", required=True)
    transforms = []
    for tname, tnode in transforms_node.items():
        tnode.only({"file", "url", "env", "limits", "locale", "time_zone"})
        file = tnode.str("file", "")
        if not file:
            tnode.fail("file", "required: the path of the handler's .js file")
        path = base_dir / file
        if not path.is_file():
            tnode.fail("file", f"{str(path)!r} does not exist")
        url = tnode.str("url", "")
        if url and urlsplit(url).scheme not in {"http", "https"}:
            tnode.fail("url", f"{url!r} is not an http(s) URL")
        env = dict(_values(tnode, "env"))
        limits = _dataclass(Limits, tnode.sub("limits"), filename, tnode.key("limits"))
        transforms.append(TransformConfig(tname, path, url, env, limits, _settings(tnode)))
    if not transforms:
        transforms_node.fail("", "define at least one transform")
    return EndpointConfig(name, tuple(transforms), secret_env, previous, event_type_field, require_event_type)


def _settings(node: _Map) -> JsSettings:
    """A transform's `locale` and `time_zone` (defaults: en-US, UTC), each checked on its own."""
    defaults = JsSettings()
    locale = node.str("locale", defaults.locale)
    time_zone = node.str("time_zone", defaults.time_zone)
    for key, settings in (("locale", {"locale": locale}), ("time_zone", {"time_zone": time_zone})):
        try:
            JsSettings(**settings)  # type: ignore[arg-type]
        except ValueError as exc:
            node.fail(key, str(exc))
    return JsSettings(locale=locale, time_zone=time_zone)


def _dataclass(cls: Any, node: _Map | None, filename: str, key: str) -> Any:
    if node is None:
        return cls()
    names = {f.name: f for f in fields(cls)}
    node.only(set(names))
    kwargs: dict[str, Any] = {}
    for name, value in node.raw_items():
        py = node.value(name)
        default = getattr(cls(), name)
        want = type(default)
        if want is float and isinstance(py, int) and not isinstance(py, bool):
            py = float(py)
        if not isinstance(py, want) or isinstance(py, bool) != isinstance(default, bool):
            node.fail(name, f"must be {want.__name__}, got {py!r}")
        if isinstance(py, (int, float)) and not isinstance(py, bool) and py <= 0:
            node.fail(name, f"must be positive, got {py!r}")
        kwargs[name] = py
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:
        raise ConfigError(str(exc), filename=filename, line=node.line, key=key) from None


def _check_base_url(url: str, *, filename: str, line: int | None, key: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ConfigError(
            f"{url!r} is not a base URL; use e.g. https://events.eu1.segmentapis.com or http://127.0.0.1:9000",
            filename=filename, line=line, key=key,
        )


def _check_queue_url(url: str, *, filename: str, line: int) -> None:
    parts = urlsplit(url)
    if parts.scheme not in {"postgresql", "postgres"} or not parts.path.strip("/"):
        raise ConfigError("must be a PostgreSQL URL such as postgresql://runner@db.internal:5432/runner "
                          "(leave it out for the SQLite queue in data_dir)", filename=filename, line=line, key="queue")
    if parts.password:
        raise ConfigError("holds a password; secrets never go in this file: set PGPASSWORD or use ~/.pgpass, "
                          "or give the whole URL in $RUNNER_QUEUE", filename=filename, line=line, key="queue")


def is_private_host(host: str) -> bool:
    """True for loopback, private, link-local and other non-global addresses and localhost."""
    bare = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    bare = bare.strip("[]").lower()
    if bare in {"localhost", "localhost.localdomain"} or bare.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(bare)
    except ValueError:
        return False
    return not ip.is_global


def _unique(name: str, taken: list[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}-{n}", n + 1
    return candidate


class _Map:
    """A YAML mapping node with its marks, so every error can name the line and key."""

    def __init__(self, node: yaml.Node, filename: str, path: str) -> None:
        self.filename = filename
        self.path = path
        self.line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            raise ConfigError("must be a mapping (key: value lines)", filename=filename, line=self.line, key=path or "(top level)")
        self._pairs: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in self._pairs:
                raise ConfigError("duplicate key", filename=filename, line=key_node.start_mark.line + 1, key=self.key(key))
            self._pairs[key] = (key_node, value_node)

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path and name else (name or self.path)

    def line_of(self, name: str) -> int:
        pair = self._pairs.get(name)
        return self.line if pair is None else pair[0].start_mark.line + 1

    def fail(self, name: str, message: str) -> None:
        raise ConfigError(message, filename=self.filename, line=self.line_of(name), key=self.key(name))

    def only(self, allowed: set[str]) -> None:
        for name in self._pairs:
            if name not in allowed:
                self.fail(name, f"unknown key; expected one of {', '.join(sorted(allowed))}")

    def raw_items(self) -> list[tuple[str, yaml.Node]]:
        return [(k, v) for k, (_, v) in self._pairs.items()]

    def items(self) -> list[tuple[str, _Map]]:
        out = []
        for name, value in self.raw_items():
            if not _NAME.match(name):
                self.fail(name, "names may use letters, digits, '_', '.', '-' (up to 64 characters)")
            out.append((name, _Map(value, self.filename, self.key(name))))
        return out

    def get(self, name: str) -> _Map | None:
        return self.sub(name)

    def sub(self, name: str, *, required: bool = False) -> _Map | None:
        pair = self._pairs.get(name)
        if pair is None or (isinstance(pair[1], yaml.ScalarNode) and pair[1].value in ("", "~", "null")):
            if required:
                self.fail(name, "required section is missing")
            return None
        return _Map(pair[1], self.filename, self.key(name))

    def value(self, name: str) -> Any:
        node = self._pairs[name][1]
        return yaml.SafeLoader("").construct_object(node, deep=True)  # type: ignore[no-untyped-call]

    def opt_str(self, name: str) -> str | None:
        if name not in self._pairs:
            return None
        value = self.value(name)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(name, f"must be a string, got {value!r}")
        return str(value)

    def str(self, name: str, default: str) -> str:
        value = self.opt_str(name)
        return default if value is None else value

    def bool(self, name: str, default: bool) -> bool:
        if name not in self._pairs:
            return default
        value = self.value(name)
        if not isinstance(value, bool):
            self.fail(name, f"must be true or false, got {value!r}")
        return bool(value)

    def str_list(self, name: str) -> list[str]:
        if name not in self._pairs:
            return []
        value = self.value(name)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(name, "must be a list of strings")
        return list(value)
