"""Where a handler's result goes and what goes on the wire: one `Destination` per type.

    destinations = Destinations(config.destinations)
    planned = destinations.plan(Target("default", "payments", ""), webhook_id, envelope, outcome)
    requests = destinations.requests(claimed_deliveries, environ)      # what the dispatcher sends

This module owns the wire shape: which URLs a destination accepts, the request built for a
stored delivery (URL, headers, body, batching, `sentAt`), and which HTTP statuses are worth
retrying. `plan` turns one handler outcome into the delivery `runner serve` stores; the
playground shows the same plan, built into the same request, so what it shows is what is sent.

- `segment`: Segment's US and EU tracking hosts and `/v1/{track,identify,...,batch}` paths.
  The body is validated as Segment would (it answers 200 to nearly everything, then drops the
  event) and filled in: `type`, a deterministic `messageId` from (endpoint, webhook-id,
  transform), `context.library`, the webhook's `timestamp`. Basic auth from the write key; the
  handler's headers are not sent. Deliveries to one base URL are packed into `/v1/batch`
  requests; `base_url` replaces scheme and host (an EU workspace, a stand-in).
- `http`: only the listed `hosts`; POST, PUT or PATCH; the destination's headers overridden by
  the handler's (the dashboard's contract); one request per delivery.

No open relay: a URL is deliverable only if its host belongs to a configured destination,
and never to a private or loopback address unless that destination says `allow_private: true`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar
from urllib.parse import urlsplit

from runner import __version__, segment
from runner.addresses import is_private_host
from runner.config import DestinationConfig
from runner.delivery import retry
from runner.delivery.store import NewDelivery
from runner.engine.outcome import Outcome, Request
from runner.engine.sandbox import DEFAULT_URL
from runner.engine.validate import ALLOWED_METHODS
from runner.envelope import Envelope
from runner.errors import RouteRejected, SegmentEventError

USER_AGENT = f"runner/{__version__}"
LIBRARY = {"name": "runner", "version": __version__}
ROUTE_CACHE = 1_000  # (url, method) pairs remembered: handlers send to a handful of URLs

NO_DESTINATION = "no destination: the handler did not set webhook.url and the transform has no url"


class Sendable(Protocol):
    """What building a request needs of a delivery (a stored one, or a plan being previewed)."""

    @property
    def destination(self) -> str | None: ...
    @property
    def url(self) -> str | None: ...
    @property
    def method(self) -> str | None: ...
    @property
    def headers(self) -> dict[str, str]: ...
    @property
    def body(self) -> str | None: ...
    @property
    def kind(self) -> str | None: ...


T = TypeVar("T", bound=Sendable)
Prepared = tuple[str, dict[str, str], str | None]  # the body stored, the handler's headers kept, the messageId


@dataclass(frozen=True)
class WireRequest(Generic[T]):
    """One HTTP request carrying one or more deliveries (`items`), exactly as it is sent."""

    destination: Destination
    items: tuple[T, ...]
    method: str
    url: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Built(Generic[T]):
    """What `Destinations.requests` makes of claimed deliveries."""

    requests: list[WireRequest[T]]
    orphans: list[T]  # their destination left the config: kept pending until it is back
    unsendable: list[tuple[T, str]]  # no request can carry them: dead letters, with why


@dataclass(frozen=True)
class Target:
    """Whose result is planned: the names behind its messageId, and the transform's own URL
    (`""` or the engine's default: none, so a result that keeps it goes nowhere)."""

    endpoint: str
    transform: str
    transform_url: str = ""


class Destination:
    """A configured destination: the URLs it takes, the requests it sends, what it retries."""

    def __init__(self, config: DestinationConfig) -> None:
        self.config = config
        self.name = config.name

    def accepts(self, host: str, netloc: str) -> bool:
        """Whether a URL with this host (lower case) and host:port belongs here."""
        return host in self.config.hosts or netloc in self.config.hosts

    def kind_of(self, url: str, method: str) -> str | None:
        """The call type a URL of this destination names (Segment's), None for plain HTTP;
        RouteRejected when this destination does not take that URL or method."""
        raise NotImplementedError

    def prepare(self, request: Request, kind: str | None, identity: Sequence[str], envelope: Envelope) -> Prepared:
        """What a result routed here stores: (body, headers, messageId); SegmentEventError makes
        it a dead letter."""
        raise NotImplementedError

    def headers(self, environ: Mapping[str, str], handler_headers: Mapping[str, str] | None = None) -> dict[str, str]:
        """The request headers, credentials from `environ` included."""
        raise NotImplementedError

    def requests(self, items: Sequence[T], environ: Mapping[str, str], sent_at: str) -> list[WireRequest[T]]:
        """The HTTP requests that deliver `items` (all of this destination)."""
        raise NotImplementedError

    def unsendable(self, item: Sendable) -> str | None:
        """Why a stored delivery cannot be sent here at all (None: it can). Only rows this
        runner did not plan (edited by hand, queued for another destination type) fail."""
        return None

    def retryable(self, status: int) -> bool:
        """Whether an answer with this HTTP status is worth another attempt."""
        return retry.retryable_status(status)


class SegmentDestination(Destination):
    """Segment's tracking API (see the module docstring)."""

    def kind_of(self, url: str, method: str) -> str | None:
        kind = segment.call_type(url)
        if kind is None:
            raise RouteRejected(f"URL {url!r} is not a Segment tracking API path; use /v1/track, /v1/identify, ... or /v1/batch")
        return kind

    def prepare(self, request: Request, kind: str | None, identity: Sequence[str], envelope: Envelope) -> Prepared:
        payload = json.loads(request.body)
        filled = {"library": LIBRARY, "timestamp": envelope.timestamp}
        if kind == segment.BATCH:
            events = []
            for index, item in enumerate(segment.expand_batch(payload)):
                prepared = segment.prepare(item, kind=str(item["type"]), message_id=segment.message_id(*identity, str(index)),
                                           **filled)  # type: ignore[arg-type]
                try:
                    events.append(segment.check_size(segment.dumps(prepared), str(item["type"])))
                except SegmentEventError as exc:
                    raise SegmentEventError(f"batch item {index}: {exc}") from None
            body = segment.check_batch(b'{"batch":[' + b",".join(events) + b"]}", len(events))
            return body.decode(), {}, None
        assert kind is not None
        event = segment.check_fields(payload, kind)
        prepared = segment.check_fields(
            segment.prepare(event, kind=kind, message_id=segment.message_id(*identity), **filled),  # type: ignore[arg-type]
            kind)
        # Checked once filled in, on the bytes stored and sent: the size limit applies to what is
        # sent, the `sentAt` each attempt appends included.
        raw = segment.check_size(segment.dumps(prepared), kind, reserve=segment.SENT_AT_BYTES)
        mid = prepared.get("messageId")
        return raw.decode(), {}, str(mid) if mid else None

    def base(self, url: str) -> str:
        """Scheme and host a delivery goes to: the destination's base URL, else the URL's own
        Segment host (so EU stays EU)."""
        if self.config.base_url:
            return self.config.base_url.rstrip("/")
        return f"https://{urlsplit(url).hostname}"

    def wire_url(self, url: str, kind: str) -> str:
        """Where a call of `kind` to `url` is sent."""
        return f"{self.base(url)}/v1/{kind}"

    def headers(self, environ: Mapping[str, str], handler_headers: Mapping[str, str] | None = None) -> dict[str, str]:
        out = {"content-type": "application/json", "user-agent": USER_AGENT}
        write_key = environ.get(self.config.write_key_env or "", "")
        if write_key:
            out["authorization"] = segment.auth_header(write_key)
        return out

    def requests(self, items: Sequence[T], environ: Mapping[str, str], sent_at: str) -> list[WireRequest[T]]:
        headers = self.headers(environ)
        by_base: dict[str, list[T]] = defaultdict(list)
        for item in items:
            by_base[self.base(item.url or "")].append(item)
        out: list[WireRequest[T]] = []
        for base, group in by_base.items():
            packable = [d for d in group if d.kind != segment.BATCH]
            for d in group:
                if d.kind == segment.BATCH:  # the handler's own batch: sent as it is
                    out.append(WireRequest(self, (d,), "POST", f"{base}/v1/batch", headers,
                                           segment.with_sent_at(_raw(d), sent_at)))
            if len(packable) == 1:
                d = packable[0]
                out.append(WireRequest(self, (d,), "POST", f"{base}/v1/{d.kind}", headers,
                                       segment.with_sent_at(_raw(d), sent_at)))
            elif packable:
                for batch in segment.pack([(i, _raw(d)) for i, d in enumerate(packable)], sent_at_value=sent_at):
                    out.append(WireRequest(self, tuple(packable[i] for i in batch.ids), "POST", f"{base}/v1/batch",
                                           headers, batch.body))
        return out

    def retryable(self, status: int) -> bool:
        return segment.is_retryable(status)

    def unsendable(self, item: Sendable) -> str | None:
        # Packed into a batch as they are, a body that is not an object would have Segment
        # refuse every event of that batch.
        raw = (item.body or "").strip()
        if not (raw.startswith("{") and raw.endswith("}")) or item.kind is None:
            return "the stored body is not a Segment event (a JSON object with its call type); Segment would refuse it"
        return None


class HttpDestination(Destination):
    """Any HTTP API on the listed hosts (see the module docstring)."""

    def kind_of(self, url: str, method: str) -> str | None:
        if method.upper() not in ALLOWED_METHODS:
            raise RouteRejected(f"method {method!r} is not allowed; use one of {', '.join(sorted(ALLOWED_METHODS))}")
        return None

    def prepare(self, request: Request, kind: str | None, identity: Sequence[str], envelope: Envelope) -> Prepared:
        return request.body, dict(request.headers), None

    def headers(self, environ: Mapping[str, str], handler_headers: Mapping[str, str] | None = None) -> dict[str, str]:
        out = {"content-type": "application/json", "user-agent": USER_AGENT}
        for name, value in self.config.headers:
            out[name.lower()] = value.text(environ)
        for name, text in (handler_headers or {}).items():
            out[name.lower()] = text
        return out

    def requests(self, items: Sequence[T], environ: Mapping[str, str], sent_at: str) -> list[WireRequest[T]]:
        return [WireRequest(self, (d,), d.method or "POST", d.url or "", self.headers(environ, d.headers),
                            (d.body or "").encode()) for d in items]


_TYPES: dict[str, type[Destination]] = {"segment": SegmentDestination, "http": HttpDestination}


def destination(config: DestinationConfig) -> Destination:
    """The destination a config entry describes."""
    return _TYPES[config.type](config)


class Destinations:
    """The configured destinations: routes results to them and plans their deliveries."""

    def __init__(self, configs: Iterable[DestinationConfig]) -> None:
        self.all = tuple(destination(c) for c in configs)
        self._by_name = {d.name: d for d in self.all}
        self._routes: dict[tuple[str, str], tuple[Destination, str | None]] = {}

    def get(self, name: str | None) -> Destination | None:
        return self._by_name.get(name or "")

    def route(self, url: str, method: str = "POST") -> tuple[Destination, str | None]:
        """The destination of a result's URL and its call type, or RouteRejected saying why
        it is not sent (remembered per URL: this parses the URL and checks the host)."""
        found = self._routes.get((url, method))
        if found is None:
            found = self._route(url, method)  # RouteRejected is not remembered: rare
            if len(self._routes) < ROUTE_CACHE:
                self._routes[(url, method)] = found
        return found

    def _route(self, url: str, method: str) -> tuple[Destination, str | None]:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise RouteRejected(f"URL {url!r} is not an absolute http(s) URL; set webhook.url to one")
        if parts.username or parts.password:
            raise RouteRejected(f"URL {_without_credentials(url)!r} carries credentials; put them in the destination's headers")
        host = parts.hostname.lower()
        netloc = f"{host}:{parts.port}" if parts.port else host
        for dest in self.all:
            if not dest.accepts(host, netloc):
                continue
            if is_private_host(host) and not dest.config.allow_private:
                raise RouteRejected(f"host {host!r} is a private address; set allow_private on destination {dest.name!r}")
            return dest, dest.kind_of(url, method)
        raise RouteRejected(f"host {host!r} is not a configured destination; add it to a destination's hosts in runner.yaml")

    def plan(self, target: Target, webhook_id: str, envelope: Envelope, outcome: Outcome) -> NewDelivery:
        """The delivery one outcome calls for: pending (a request ready to send), or recorded as
        cancelled / skipped / rejected / dead with the reason. Never raises: anything a result
        makes go wrong is that transform's dead letter, so one handler's result never fails the
        webhook, nor the endpoint's other transforms."""
        try:
            return self._plan(target, webhook_id, envelope, outcome)
        except Exception as exc:  # noqa: BLE001 - the result is untrusted; the webhook must still be stored
            return NewDelivery(status="dead", stage="validate", transform=target.transform, logs=_logs(outcome),
                               transform_ms=outcome.duration_ms,
                               reason=f"the handler's result could not be prepared for delivery ({type(exc).__name__})")

    def _plan(self, target: Target, webhook_id: str, envelope: Envelope, outcome: Outcome) -> NewDelivery:
        logs, ms = _logs(outcome), outcome.duration_ms
        if outcome.status == "cancelled":
            return NewDelivery(target.transform, "cancelled", reason="the handler set cancel = true", logs=logs, transform_ms=ms)
        request = outcome.request
        if outcome.status == "error" or request is None:
            err = outcome.error
            where = f" (line {err.line}, column {err.column})" if err and err.line else ""
            reason = f"{err.type}: {err.message}{where}" if err else "the handler produced no request"
            return NewDelivery(target.transform, "dead", stage="transform", reason=reason, logs=logs, transform_ms=ms)
        if request.url == DEFAULT_URL and target.transform_url in ("", DEFAULT_URL):
            return NewDelivery(target.transform, "skipped", reason=NO_DESTINATION, logs=logs, transform_ms=ms)
        try:
            dest, kind = self.route(request.url, request.method)
        except RouteRejected as exc:
            return NewDelivery(target.transform, "rejected", stage="route", url=_without_credentials(request.url), reason=exc.reason,
                               logs=logs, transform_ms=ms)
        try:
            body, headers, message_id = dest.prepare(request, kind, (target.endpoint, webhook_id, target.transform), envelope)
        except SegmentEventError as exc:
            return NewDelivery(target.transform, "dead", dest.name, request.url, request.method, body=request.body, kind=kind,
                               stage="validate", reason=str(exc), logs=logs, transform_ms=ms)
        return NewDelivery(target.transform, "pending", dest.name, request.url, request.method, headers, body, kind,
                           message_id, logs=logs, transform_ms=ms)

    def requests(self, items: Sequence[T], environ: Mapping[str, str], sent_at: str | None = None) -> Built[T]:
        """The requests that deliver `items`, grouped per destination (so Segment events share
        batches); the items whose destination is no longer configured; and those that cannot
        be sent at all, with the reason."""
        stamp = sent_at or segment.sent_at()
        groups: dict[str, list[T]] = defaultdict(list)
        built: Built[T] = Built([], [], [])
        for item in items:
            dest = self._by_name.get(item.destination or "")
            if dest is None:
                built.orphans.append(item)
            elif (why := dest.unsendable(item)) is not None:
                built.unsendable.append((item, why))
            else:
                groups[dest.name].append(item)
        for name, group in groups.items():
            built.requests.extend(self._by_name[name].requests(group, environ, stamp))
        return built


def _raw(item: Sendable) -> bytes:
    return (item.body or "{}").encode()


def _logs(outcome: Outcome) -> str:
    return json.dumps([entry.to_json() for entry in outcome.logs], ensure_ascii=False) if outcome.logs else "[]"


def _without_credentials(url: str) -> str:
    """`url` without its user:password@ part (host and port kept); unparseable ones whole."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl() if "@" in parts.netloc else url

