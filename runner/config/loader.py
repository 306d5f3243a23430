"""Reading a `runner.yaml`: YAML in, a validated `Config` out, or a `ConfigError` naming the file,
line and dotted key to fix.

    server:     {host, port, max_body_bytes, workers, engine_workers, playground: false, playground_samples: samples}
    data_dir:   .runner                           # SQLite queue lives here
    queue:      postgresql://runner@db:5432/runner   # or a shared PostgreSQL queue (no password here)
    delivery:   {max_attempts, initial_backoff_s, max_backoff_s, timeout_s, concurrency, ...,
                 retention: {delivered: 7d, dead: 30d, cancelled: 7d, skipped: 7d, rejected: 30d}}   # or one duration for all
    destinations:
      segment:  {type: segment, write_key_env: SEGMENT_WRITE_KEY, base_url: https://api.segment.io}
      crm:      {type: http, hosts: [api.crm.example], headers: {Authorization: {env: CRM_TOKEN, prefix: "Bearer "}}}
                # {env: X} is required at `runner serve`; {env: X, optional: true} is "" when unset
    endpoints:
      default:
        secret_env: DODO_WEBHOOK_SECRET
        previous_secret_env: DODO_WEBHOOK_SECRET_PREVIOUS   # accepted during rotation
        event_type_field: type        # where the body holds webhook.eventType (dotted path)
        require_event_type: true      # false: a body without it runs with no event type
        transforms:
          payments: {file: transforms/segment-track-payments.js, url: "", env: {K: V}, limits: {time_ms: 500},
                     locale: en-US, time_zone: UTC}

The YAML is composed, not loaded, so every node keeps its line (`_Map`); the sections of plain
tunables (`server`, `delivery`, a transform's `limits`) are checked against their dataclass's
defaults by `_dataclass`; the others have a parser each.
"""

from __future__ import annotations

import dataclasses
import math
import re
import reprlib
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar
from urllib.parse import urlsplit

import yaml

from runner import segment
from runner.addresses import is_private_host
from runner.compat import JsSettings
from runner.config.model import (
    DEFAULT_DATA_DIR,
    DEFAULT_DESTINATIONS,
    DEFAULT_EVENT_TYPE_FIELD,
    DEFAULT_SECRET_ENV,
    DEFAULT_WRITE_KEY_ENV,
    MAX_WORKERS,
    SYNCHRONOUS_MODES,
    Config,
    DeliveryConfig,
    DestinationConfig,
    EndpointConfig,
    Retention,
    ServerConfig,
    TransformConfig,
    Value,
)
from runner.errors import ConfigError
from runner.limits import Limits

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def is_name(text: str) -> bool:
    """Whether `text` may name an endpoint, transform or destination (it is one URL path segment)."""
    return _NAME.fullmatch(text) is not None

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Dotted object keys, e.g. `type`, `event_type`, `data.event`: no empty part, nothing unprintable.
_FIELD_PATH = re.compile(r"[^.\x00-\x1f\x7f]+(\.[^.\x00-\x1f\x7f]+)*")

D = TypeVar("D", bound="DataclassInstance")


def load(path: Path) -> Config:
    """Read and validate a `runner.yaml`; relative paths in it are relative to its folder."""
    filename = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the config file: {exc.strerror}", filename=filename) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not a text file: byte {exc.start} is not UTF-8; save it as UTF-8 text",
                          filename=filename) from None
    return parse(text, filename=filename, base_dir=path.parent)


def parse(text: str, *, filename: str = "runner.yaml", base_dir: Path = Path(".")) -> Config:
    """Validate YAML text as a config (see the module docstring for the shape)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise yaml_error(exc, filename=filename) from None
    except RecursionError:
        raise ConfigError("not valid YAML for a config: it nests too deeply", filename=filename) from None
    if root is None:
        raise ConfigError("the file is empty; it needs at least an 'endpoints' section", filename=filename)
    top = _Map(root, filename, "")
    top.only({"server", "data_dir", "queue", "delivery", "destinations", "endpoints"})
    server = _dataclass(ServerConfig, top.sub("server"), filename, "server")
    if not 0 <= server.port <= 65535:
        server_node = top.sub("server")
        assert server_node is not None  # the default is valid, so the section set it
        server_node.fail("port", f"must be 0 to 65535, got {server.port}")
    if server.workers is not None and server.workers > MAX_WORKERS:
        server_node = top.sub("server")
        assert server_node is not None
        server_node.fail("workers", f"must be 1 to {MAX_WORKERS}, got {server.workers} (leave it out for one per two cores)")
    delivery = _delivery(top, filename)
    data_dir = base_dir / top.string("data_dir", DEFAULT_DATA_DIR)

    destinations = _destinations(top, filename)
    endpoints_node = top.sub("endpoints", required=True)
    assert endpoints_node is not None
    endpoints = []
    for name, node in endpoints_node.items():
        endpoints.append(_endpoint(name, node, filename, base_dir))
    if not endpoints:
        endpoints_node.fail("", "define at least one endpoint")
    queue = top.opt_string("queue")
    if queue is not None:
        check_queue_url(queue, filename=filename, line=top.line_of("queue"))
    return Config(tuple(endpoints), destinations, server, delivery, data_dir, filename, queue)


# PyYAML's problems, in plain words: (pattern of its `problem`, the sentence; {0} is the
# pattern's first group). The first match wins; anything else is reported as PyYAML words it.
_YAML_PROBLEMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"mapping values are not allowed here"),
     "a value here needs its own line or quotes (a ':' inside a value must be quoted, "
     "and a key with a value under it ends in ':')"),
    (re.compile(r"found character '\\t' that cannot start any token"),
     "a tab is used to indent here; YAML indents with spaces only"),
    (re.compile(r"found character '(.*)' that cannot start any token"),
     "a value cannot start with '{0}'; put the value in quotes"),
    (re.compile(r"could not find expected ':'"),
     "this line has no ':' after its key (or a value runs on over several lines); "
     "write 'key: value', or put a long value in quotes"),
    (re.compile(r"found undefined alias '(.*)'"),
     "'*{0}' refers to an anchor '&{0}' that is not defined above; put the value in quotes "
     "if it is meant to start with '*'"),
    (re.compile(r"expected <block end>, but found '-'"),
     "a list item ('- ...') appears among keys; indent it under its key, or make it 'key: value'"),
    (re.compile(r"expected <block end>"),
     "the indentation here does not match the lines above (or a quoted value has text after "
     "its closing quote); indent the keys of one section by the same number of spaces"),
    (re.compile(r"expected ',' or '\}'"),
     "an inline mapping '{...}' is not closed, or a value in it holds an unquoted ':'; "
     "close it with '}' and quote such values"),
    (re.compile(r"expected ',' or '\]'"),
     "an inline list '[...]' is not closed; close it with ']'"),
    (re.compile(r"found unexpected end of stream"),
     "a quoted value is never closed; add its closing quote"),
)


def yaml_error(exc: yaml.YAMLError, *, filename: str) -> ConfigError:
    """A YAML syntax error as a ConfigError in plain words, at `file:line:column`, with
    PyYAML's own words as a short `(YAML: ...)` suffix."""
    problem = str(getattr(exc, "problem", None) or exc)
    mark = getattr(exc, "problem_mark", None)
    message = f"not valid YAML: {problem}"
    for pattern, sentence in _YAML_PROBLEMS:
        match = pattern.search(problem)
        if match:
            sentence = sentence.replace("{0}", match.group(1)) if match.groups() else sentence
            message = f"{sentence} (YAML: {problem})"
            if "could not find expected ':'" in problem or "unexpected end of stream" in problem:
                # PyYAML marks where it gave up (a later line); the key or quote started here.
                mark = getattr(exc, "context_mark", None) or mark
            break
    return ConfigError(
        message, filename=filename,
        line=None if mark is None else mark.line + 1,
        column=None if mark is None else mark.column + 1,
    )


def check_base_url(url: str, *, filename: str, line: int | None = None, key: str = "") -> None:
    """Raise ConfigError unless `url` is an http(s) URL with a host (a destination's `base_url`)."""
    parts = _urlsplit(url)
    if parts is None or parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ConfigError(
            f"{url!r} is not a base URL; use e.g. https://events.eu1.segmentapis.com or http://127.0.0.1:9000",
            filename=filename, line=line, key=key,
        )


def check_queue_url(url: str, *, filename: str, line: int | None = None) -> None:
    """Raise ConfigError unless `url` is a postgresql:// URL naming a database and holding no password."""
    parts = _urlsplit(url)
    if parts is None or parts.scheme not in {"postgresql", "postgres"} or not parts.path.strip("/"):
        raise ConfigError("must be a PostgreSQL URL such as postgresql://runner@db.internal:5432/runner "
                          "(leave it out for the SQLite queue in data_dir)", filename=filename, line=line, key="queue")
    if parts.password:
        raise ConfigError("holds a password; secrets never go in this file: set PGPASSWORD or use ~/.pgpass, "
                          "or give the whole URL in $RUNNER_QUEUE", filename=filename, line=line, key="queue")


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict, _REPR.maxset, _REPR.maxstring, _REPR.maxother = 2, 6, 6, 6, 80, 80


def _shown(value: Any) -> str:
    """`value` quoted for an error message, briefly: a '*alias' list bomb is never spelled out."""
    return _REPR.repr(value)


def _urlsplit(url: str) -> Any:
    """urlsplit(url), or None when it cannot be read as a URL (e.g. an unclosed `[` IPv6 host)."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def _delivery(top: _Map, filename: str) -> DeliveryConfig:
    node = top.sub("delivery")
    delivery = _dataclass(DeliveryConfig, node, filename, "delivery", apart={"retention"})
    synchronous = delivery.synchronous.upper()  # SQLite reads `full` as FULL; so do we
    if synchronous not in SYNCHRONOUS_MODES:
        assert node is not None  # the default is valid, so the section set it
        node.fail("synchronous", "must be FULL, NORMAL or EXTRA")
    retention = delivery.retention if node is None else _retention(node)
    return dataclasses.replace(delivery, synchronous=synchronous, retention=retention)


DURATION_HELP = "use e.g. 90s, 15m, 12h or 7d, or 0, off or forever to keep them forever"
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")
_DURATION_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_FOREVER = {"0", "off", "forever", "never"}


def parse_duration(value: object) -> float | None:
    """A retention duration in seconds: `90s`, `15m`, `12h`, `7d` (or a number of seconds);
    None for `0`, `off` (YAML's false) or `forever`. ValueError for anything else."""
    if value is False or (isinstance(value, str) and value.strip().lower() in _FOREVER):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value >= 0:
        return None if value == 0 else float(value)
    match = _DURATION.fullmatch(value.strip().lower()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"{_shown(value)} is not a duration; {DURATION_HELP}")
    seconds = float(match.group(1)) * _DURATION_UNITS[match.group(2)]
    return None if seconds == 0 else seconds


def _retention(delivery: _Map) -> Retention:
    """`delivery.retention`: one duration for every finished status, or a mapping by status
    (statuses it leaves out keep their defaults)."""
    if not delivery.has("retention"):
        return Retention()
    statuses = [f.name for f in fields(Retention)]
    node = delivery.sub("retention") if delivery.is_mapping("retention") else None
    if node is None:
        try:
            age = parse_duration(delivery.value("retention"))
        except ValueError as exc:
            delivery.fail("retention", f"{exc} (or a mapping by status: {', '.join(statuses)})")
        return Retention(**dict.fromkeys(statuses, age))
    if node.has("pending"):
        node.fail("pending", "pending deliveries are never removed (they are not finished); "
                             f"retention applies to {', '.join(statuses)}")
    node.only(set(statuses))
    ages: dict[str, float | None] = {}
    for name, _ in node.raw_items():
        try:
            ages[name] = parse_duration(node.value(name))
        except ValueError as exc:
            node.fail(name, str(exc))
    return Retention(**ages)


def _destinations(top: _Map, filename: str) -> tuple[DestinationConfig, ...]:
    node = top.sub("destinations")
    if node is None:
        return DEFAULT_DESTINATIONS  # Segment alone, keyed from the usual variable
    out = []
    for name, sub in node.items():
        sub.only({"type", "hosts", "base_url", "write_key_env", "headers", "allow_private"})
        kind = sub.string("type", "segment")
        if kind not in {"segment", "http"}:
            sub.fail("type", f"must be 'segment' or 'http', got {kind!r}")
        allow_private = sub.flag("allow_private", False)
        hosts = sub.strings("hosts")
        if kind == "http" and not hosts:
            sub.fail("hosts", "an http destination must list the hosts results may be sent to")
        for host in hosts:
            if not allow_private and is_private_host(host):
                sub.fail("hosts", f"{host!r} is a private or loopback address; set allow_private: true to allow it")
        base_url = sub.opt_string("base_url")
        if base_url is not None:
            check_base_url(base_url, filename=filename, line=sub.line_of("base_url"), key=sub.key("base_url"))
        write_key_env = sub.opt_string("write_key_env")
        if kind == "segment" and write_key_env is None:
            write_key_env = DEFAULT_WRITE_KEY_ENV
        if write_key_env is not None and not _ENV_NAME.fullmatch(write_key_env):
            # not quoted: a write key pasted here in place of its variable's name stays out of the error
            sub.fail("write_key_env", "is not an environment variable name (the write key itself never goes here)")
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
    """A mapping of names to literal strings or `{env: VAR, prefix: "...", optional: true}`
    references (a referenced variable is required unless `optional`)."""
    node = sub.sub(key)
    if node is None:
        return ()
    out = []
    for name, value in node.raw_items():
        if isinstance(value, yaml.MappingNode):
            spec = _Map(value, node.filename, node.key(name))
            spec.only({"env", "prefix", "optional"})
            env = spec.string("env", "")
            if not _ENV_NAME.fullmatch(env):
                spec.fail("env", "must name the environment variable holding the value")
            out.append((name, Value(env=env, prefix=spec.string("prefix", ""), optional=spec.flag("optional", False))))
        elif isinstance(value, yaml.ScalarNode):
            out.append((name, Value(literal=str(value.value))))
        else:
            node.fail(name, "must be a string or {env: VAR, prefix: ..., optional: true}")
    return tuple(out)


def _endpoint(name: str, node: _Map, filename: str, base_dir: Path) -> EndpointConfig:
    node.only({"secret_env", "previous_secret_env", "event_type_field", "require_event_type", "transforms"})
    secret_env = node.string("secret_env", DEFAULT_SECRET_ENV)
    previous = node.opt_string("previous_secret_env")
    for key, value in (("secret_env", secret_env), ("previous_secret_env", previous)):
        if value is not None and not _ENV_NAME.fullmatch(value):
            node.fail(key, "is not an environment variable name (the secret itself never goes here)")  # not quoted: it may be one
    event_type_field = node.string("event_type_field", DEFAULT_EVENT_TYPE_FIELD)
    if not _FIELD_PATH.fullmatch(event_type_field):
        node.fail("event_type_field", f"{event_type_field!r} is not a field of the body; give a key such as type, "
                                      "or a dotted path such as data.event")
    require_event_type = node.flag("require_event_type", True)
    transforms_node = node.sub("transforms", required=True)
    assert transforms_node is not None
    transforms = []
    for tname, tnode in transforms_node.items():
        tnode.only({"file", "url", "env", "limits", "locale", "time_zone"})
        file = tnode.string("file", "")
        if not file:
            tnode.fail("file", "required: the path of the handler's .js file")
        path = base_dir / file
        try:
            found = path.is_file()
        except (OSError, ValueError):  # e.g. a name too long for the file system
            found = False
        if not found:
            tnode.fail("file", f"{str(path)!r} does not exist", missing=path)
        url = tnode.string("url", "")
        if url and getattr(_urlsplit(url), "scheme", None) not in {"http", "https"}:
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
    locale = node.string("locale", defaults.locale)
    time_zone = node.string("time_zone", defaults.time_zone)
    for key, settings in (("locale", {"locale": locale}), ("time_zone", {"time_zone": time_zone})):
        try:
            JsSettings(**settings)  # type: ignore[arg-type]
        except ValueError as exc:
            node.fail(key, str(exc))
    return JsSettings(locale=locale, time_zone=time_zone)


def _dataclass(cls: type[D], node: _Map | None, filename: str, key: str, apart: set[str] | None = None) -> D:
    """A dataclass of plain tunables from a section: each key one of its fields, of its default's
    type (an int where a float is wanted is fine), numbers positive; unset fields keep defaults.
    Keys in `apart` are fields the caller parses itself."""
    if node is None:
        return cls()
    names = {f.name for f in fields(cls)}
    node.only(names)
    defaults = cls()
    kwargs: dict[str, Any] = {}
    for name, _ in node.raw_items():
        if apart and name in apart:
            continue
        py = node.value(name)
        default = getattr(defaults, name)
        want = int if default is None else type(default)  # None: unset, counted when used
        if want is float and isinstance(py, int) and not isinstance(py, bool):
            py = float(py)
        if not isinstance(py, want) or isinstance(py, bool) != isinstance(default, bool):
            node.fail(name, f"must be {want.__name__}, got {_shown(py)}")
        if isinstance(py, float) and not math.isfinite(py):
            node.fail(name, f"must be a finite number, got {py!r}")
        if isinstance(py, (int, float)) and not isinstance(py, bool) and py <= 0:
            node.fail(name, f"must be positive, got {py!r}")
        kwargs[name] = py
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:
        raise ConfigError(str(exc), filename=filename, line=node.line, key=key) from None


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

    def has(self, name: str) -> bool:
        return name in self._pairs

    def is_mapping(self, name: str) -> bool:
        return name in self._pairs and isinstance(self._pairs[name][1], yaml.MappingNode)

    def line_of(self, name: str) -> int:
        pair = self._pairs.get(name)
        return self.line if pair is None else pair[0].start_mark.line + 1

    def fail(self, name: str, message: str, *, missing: Path | None = None) -> NoReturn:
        raise ConfigError(message, filename=self.filename, line=self.line_of(name), key=self.key(name), missing=missing)

    def only(self, allowed: set[str]) -> None:
        for name in self._pairs:
            if name not in allowed:
                self.fail(name, f"unknown key; expected one of {', '.join(sorted(allowed))}")

    def raw_items(self) -> list[tuple[str, yaml.Node]]:
        return [(k, v) for k, (_, v) in self._pairs.items()]

    def items(self) -> list[tuple[str, _Map]]:
        out = []
        for name, value in self.raw_items():
            if not _NAME.fullmatch(name):
                self.fail(name, "names may use letters, digits, '_', '.', '-' (up to 64 characters)")
            out.append((name, _Map(value, self.filename, self.key(name))))
        return out

    def sub(self, name: str, *, required: bool = False) -> _Map | None:
        pair = self._pairs.get(name)
        if pair is None or (isinstance(pair[1], yaml.ScalarNode) and pair[1].value in ("", "~", "null")):
            if required:
                self.fail(name, "required section is missing")
            return None
        return _Map(pair[1], self.filename, self.key(name))

    def value(self, name: str) -> Any:
        node = self._pairs[name][1]
        try:
            return yaml.SafeLoader("").construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
            # a tag PyYAML cannot build (`!!int abc`, `!!python/...`, a bad `!!timestamp`), or a recursive alias
            problem = getattr(exc, "problem", None) or f"{type(exc).__name__}: {exc}"
            self.fail(name, f"cannot read this value ({problem}); write a plain value without a '!!' tag or '*' alias")

    def opt_string(self, name: str) -> str | None:
        if name not in self._pairs:
            return None
        value = self.value(name)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(name, f"must be a string, got {_shown(value)}")
        return str(value)

    def string(self, name: str, default: str) -> str:
        value = self.opt_string(name)
        return default if value is None else value

    def flag(self, name: str, default: bool) -> bool:
        if name not in self._pairs:
            return default
        value = self.value(name)
        if not isinstance(value, bool):
            self.fail(name, f"must be true or false, got {_shown(value)}")
        return bool(value)

    def strings(self, name: str) -> list[str]:
        if name not in self._pairs:
            return []
        value = self.value(name)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(name, "must be a list of strings")
        return list(value)
