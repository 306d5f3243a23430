"""Webhook → engine → store: the one place the sandbox, Segment's rules and the queue meet.

`Pipeline.accept` runs every transform of an endpoint on a verified event (in the engine
pool, off the event loop), turns each outcome into a delivery (to send, or recorded as
cancelled / skipped / rejected / dead), and stores the event and all its deliveries in one
transaction. It returns only after that commit: the caller may then acknowledge the webhook.

Transforming at acceptance (not in the delivery worker) means the response to the provider,
the queue and `runner deliveries` all say what each transform did, and the queue holds
requests ready to send. A transform error is *not* reported to the provider as a failure:
the provider's retries (5 s … 10 h) cannot fix a deterministic bug, and with several
transforms a 5xx would make the others deliver twice. It becomes a dead letter with the
handler's logs instead; `runner replay` re-runs the fixed handler on the stored event.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from runner import __version__, segment
from runner.compat import JsSettings
from runner.config import DEFAULT_EVENT_TYPE_FIELD, Config, EndpointConfig, TransformConfig
from runner.delivery.routes import Route, RouteRejected, Router
from runner.delivery.store import Enqueued, NewDelivery, NewEvent, Store
from runner.engine import Handler, Limits, Outcome
from runner.engine.sandbox import DEFAULT_URL
from runner.errors import RunnerError

LIBRARY = {"name": "runner", "version": __version__}
DEFAULT_TRANSFORM_THREADS = 16  # threads blocked on engine workers; a pool call is mostly waiting
RECENT_IDS = 10_000  # webhook-ids remembered in memory to skip transforming provider retries
ROUTE_CACHE = 1_000  # resolved (url, method) pairs kept: handlers send to a handful of URLs


class EnvelopeError(RunnerError):
    """A body that is not a provider webhook envelope (answered with 400)."""


class EventTypeMissing(EnvelopeError):
    """A JSON body without the event type its endpoint requires (answered with 400)."""


class UnknownEndpoint(RunnerError):
    """No endpoint of that name is configured (answered with 404)."""


class Engine(Protocol):
    def run(self, handler: Handler, body: str | bytes, *, url: str = ..., env: Mapping[str, str] | None = None,
            settings: JsSettings | None = None, event_type: str | None = None) -> Outcome: ...


@dataclass(frozen=True)
class Accepted:
    """What happened to an event: per transform (name, status, reason)."""

    event_id: int
    duplicate: bool
    results: tuple[tuple[str, str, str | None], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "status": "duplicate" if self.duplicate else "accepted",
            "event_id": self.event_id,
            "transforms": [{"name": n, "status": s, **({"reason": r} if r else {})} for n, s, r in self.results],
        }


class Observer(Protocol):
    def transformed(self, endpoint: str, transform: str, status: str, seconds: float) -> None: ...


class _NullObserver:
    def transformed(self, endpoint: str, transform: str, status: str, seconds: float) -> None:
        pass


def parse_envelope(body: bytes, *, event_type_field: str = DEFAULT_EVENT_TYPE_FIELD,
                   require_event_type: bool = True) -> tuple[str, dict[str, Any]]:
    """The body as text and parsed, if it is a JSON object; with `require_event_type`, one that
    holds a non-empty string at `event_type_field` (a dotted path, e.g. `type` or `data.event`)."""
    try:
        text = body.decode("utf-8")
        # NaN and Infinity are not JSON (JavaScript's JSON.parse refuses them); nesting deeper
        # than Python's recursion limit raises RecursionError: both are malformed bodies, not 500s.
        envelope = json.loads(text, parse_constant=_not_json)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise EnvelopeError(f"the body is not valid UTF-8 JSON ({exc}); send the webhook envelope as JSON") from None
    if not isinstance(envelope, dict):
        raise EnvelopeError("the body is not a JSON object; expected {business_id, type, timestamp, data}")
    event_type = event_type_of(envelope, event_type_field)
    if event_type is None and require_event_type:
        raise EventTypeMissing(_missing_type_message(envelope, event_type_field))
    return text, envelope


def event_type_of(envelope: Mapping[str, Any], field: str = DEFAULT_EVENT_TYPE_FIELD) -> str | None:
    """The event type at dotted path `field` of the body: a non-empty string, else None.
    Raises EnvelopeError for a string that is not real Unicode (it is stored as the event's type)."""
    value: Any = envelope
    for part in field.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    if not isinstance(value, str) or not value:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise EnvelopeError(f"the body's {field!r} holds a lone UTF-16 surrogate escape (\\ud800 ...): "
                            "not valid Unicode") from None
    return value


def _missing_type_message(envelope: Mapping[str, Any], field: str) -> str:
    value: Any = envelope
    for part in field.split("."):
        value = value.get(part, _ABSENT) if isinstance(value, dict) else _ABSENT
    if value is _ABSENT:
        what = f"the body has no {field!r} (the event type, e.g. payment.succeeded)"
    else:
        what = f"the body's {field!r} is {_json_kind(value)}, not the event type (a non-empty string, e.g. payment.succeeded)"
    return (what + "; if this sender puts the event type elsewhere, set event_type_field for this endpoint in "
            "runner.yaml, or require_event_type: false to run the handlers with no event type")


_ABSENT = object()


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "an empty string"
    return "an array" if isinstance(value, list) else "an object"


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON value")


class Pipeline:
    """Accepts verified events for the configured endpoints."""

    def __init__(
        self,
        config: Config,
        store: Store,
        engine_for: Callable[[Limits], Engine],
        *,
        environ: Mapping[str, str],
        on_enqueued: Callable[[], None] | None = None,
        observer: Observer | None = None,
        threads: int = DEFAULT_TRANSFORM_THREADS,
    ) -> None:
        self.config = config
        self.store = store
        self.router = Router(config.destinations)
        self.environ = environ
        self.on_enqueued = on_enqueued or (lambda: None)
        self.observer: Observer = observer or _NullObserver()
        self._engine_for = engine_for
        self._engines: dict[Limits, Engine] = {}
        self._handlers: dict[tuple[str, str], Handler] = {}
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="transform")
        self._recent: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._routes: dict[tuple[str, str], Route] = {}
        for endpoint in config.endpoints:
            for t in endpoint.transforms:
                # Loads (and syntax-checks) every handler now: a broken one stops `serve` at start.
                self._handlers[(endpoint.name, t.name)] = Handler.from_file(t.path)

    def engine(self, limits: Limits) -> Engine:
        if limits not in self._engines:
            self._engines[limits] = self._engine_for(limits)
        return self._engines[limits]

    def close(self) -> None:
        self._executor.shutdown(wait=True)

    async def accept(self, endpoint_name: str, webhook_id: str, text: str, envelope: Mapping[str, Any]) -> Accepted:
        """Transform and durably store one verified event; returns after COMMIT."""
        endpoint = self.config.endpoint(endpoint_name)
        if endpoint is None:
            raise UnknownEndpoint(f"no endpoint named {endpoint_name!r}; configured: {', '.join(e.name for e in self.config.endpoints)}")
        key = (endpoint_name, webhook_id)
        if key in self._recent:
            return Accepted(0, duplicate=True)
        # None when the body has none (accepted only with require_event_type: false).
        event_type = event_type_of(envelope, endpoint.event_type_field)
        outcomes = await asyncio.gather(*(self._transform(endpoint, t, text, event_type) for t in endpoint.transforms))
        deliveries = [self.plan_safely(endpoint, t, webhook_id, envelope, o) for t, o in zip(endpoint.transforms, outcomes)]
        # Stored as "" when there is none: the queue's column holds text.
        event = NewEvent(endpoint_name, webhook_id, event_type or "", text, time.time())
        stored: Enqueued = await self.store.enqueue(event, deliveries)
        self._remember(key)
        if stored.duplicate:
            return Accepted(stored.event_id, duplicate=True)
        if any(d.status == "pending" for d in deliveries):
            self.on_enqueued()
        return Accepted(stored.event_id, False, tuple((d.transform, d.status, d.reason) for d in deliveries))

    async def _transform(self, endpoint: EndpointConfig, t: TransformConfig, text: str,
                         event_type: str | None) -> Outcome:
        started = time.perf_counter()
        env = {k: v.resolve(self.environ) for k, v in t.env.items()}
        engine = self.engine(t.limits)
        handler = self._handlers[(endpoint.name, t.name)]
        url = t.url or DEFAULT_URL
        # The endpoint's field was read here: "" tells the engine there is none (the handler sees
        # undefined) rather than to look for a `type` the field may not be.
        known = "" if event_type is None else event_type
        submit = getattr(engine, "submit_async", None)
        if submit is not None:
            # An EnginePool queues the call and batches busy moments: no thread waits on it, and
            # a batch's results come back in one wake-up of the loop.
            outcome: Outcome = await submit(handler, text, url=url, env=env, settings=t.settings, event_type=known)
        else:
            loop = asyncio.get_running_loop()
            outcome = await loop.run_in_executor(
                self._executor, lambda: engine.run(handler, text, url=url, env=env, settings=t.settings,
                                                   event_type=known))
        self.observer.transformed(endpoint.name, t.name, outcome.status, time.perf_counter() - started)
        return outcome

    async def rerun(self, endpoint: EndpointConfig, t: TransformConfig, webhook_id: str, text: str) -> NewDelivery:
        """Re-run a transform, as its file is now, on a stored event (replay after a fix)."""
        self._handlers[(endpoint.name, t.name)] = Handler.from_file(t.path)
        envelope = json.loads(text)
        outcome = await self._transform(endpoint, t, text, event_type_of(envelope, endpoint.event_type_field))
        return self.plan_safely(endpoint, t, webhook_id, envelope, outcome)

    def plan_safely(self, endpoint: EndpointConfig, t: TransformConfig, webhook_id: str, envelope: Mapping[str, Any],
                    outcome: Outcome) -> NewDelivery:
        """`plan`, where anything a result makes go wrong is that transform's dead letter: one
        handler's result never fails the webhook, nor the endpoint's other transforms."""
        try:
            return self.plan(endpoint, t, webhook_id, envelope, outcome)
        except Exception as exc:  # noqa: BLE001 - the result is untrusted; the webhook must still be stored
            logs = json.dumps([entry.to_json() for entry in outcome.logs], ensure_ascii=False) if outcome.logs else "[]"
            return NewDelivery(status="dead", stage="validate", transform=t.name, logs=logs,
                               transform_ms=outcome.duration_ms,
                               reason=f"the handler's result could not be prepared for delivery ({type(exc).__name__})")

    def plan(self, endpoint: EndpointConfig, t: TransformConfig, webhook_id: str, envelope: Mapping[str, Any], outcome: Outcome) -> NewDelivery:
        """The delivery one outcome calls for (pure apart from reading the config)."""
        logs = json.dumps([entry.to_json() for entry in outcome.logs], ensure_ascii=False) if outcome.logs else "[]"
        base: dict[str, Any] = {"transform": t.name, "logs": logs, "transform_ms": outcome.duration_ms}
        if outcome.status == "error" or outcome.request is None and outcome.status != "cancelled":
            err = outcome.error
            where = f" (line {err.line}, column {err.column})" if err and err.line else ""
            reason = f"{err.type}: {err.message}{where}" if err else "the handler produced no request"
            return NewDelivery(status="dead", stage="transform", reason=reason, **base)
        if outcome.status == "cancelled":
            return NewDelivery(status="cancelled", reason="the handler set cancel = true", **base)
        request = outcome.request
        assert request is not None
        if request.url == DEFAULT_URL and not t.url:
            return NewDelivery(status="skipped", reason="no destination: the handler did not set webhook.url and the transform has no url", **base)
        try:
            route = self._route(request.url, request.method)
        except RouteRejected as exc:
            return NewDelivery(status="rejected", stage="route", url=request.url, reason=exc.reason, **base)
        common = {"destination": route.destination.name, "url": request.url, "method": request.method, **base}
        if not route.is_segment:
            return NewDelivery(status="pending", headers=dict(request.headers), body=request.body, **common)
        try:
            body = segment_body(request.body, route.kind or "", (endpoint.name, webhook_id, t.name), envelope)
        except segment.SegmentEventError as exc:
            return NewDelivery(status="dead", stage="validate", body=request.body, kind=route.kind, reason=str(exc), **common)
        mid = body.get("messageId") if route.kind != segment.BATCH else None
        return NewDelivery(status="pending", body=segment.dumps(body).decode(), kind=route.kind,
                           message_id=str(mid) if mid else None, **common)

    def _route(self, url: str, method: str) -> Route:
        """`Router.resolve`, remembered: it parses the URL and checks the host on every event."""
        route = self._routes.get((url, method))
        if route is None:
            route = self.router.resolve(url, method)  # RouteRejected is not remembered: rare
            if len(self._routes) < ROUTE_CACHE:
                self._routes[(url, method)] = route
        return route

    def _remember(self, key: tuple[str, str]) -> None:
        self._recent[key] = None
        if len(self._recent) > RECENT_IDS:
            self._recent.popitem(last=False)


def segment_body(raw: str, kind: str, identity: Sequence[str], envelope: Mapping[str, Any]) -> dict[str, Any]:
    """The Segment call a handler's JSON body becomes: validated, with a deterministic
    `messageId` from `identity` (endpoint, webhook-id, transform), `context.library` and the
    event's `timestamp`; raises `segment`'s validation error when Segment would drop it."""
    payload = json.loads(raw)
    timestamp = envelope.get("timestamp") if isinstance(envelope.get("timestamp"), str) else None
    if kind == segment.BATCH:
        items = segment.expand_batch(payload)
        return {"batch": [
            segment.prepare(item, kind=str(item["type"]), message_id=segment.message_id(*identity, str(i)),
                            library=LIBRARY, timestamp=timestamp)
            for i, item in enumerate(items)
        ]}
    event = segment.validate(payload, kind)
    # Validated again once filled in: the size limit applies to what is sent.
    prepared = segment.prepare(event, kind=kind, message_id=segment.message_id(*identity), library=LIBRARY, timestamp=timestamp)
    return segment.validate(prepared, kind)
