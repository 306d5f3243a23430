"""The HTTP surface of `runner serve` (Starlette on uvicorn).

    POST /webhooks/{endpoint}   (and POST /webhooks for the endpoint named `default`)
         404 unknown endpoint · 405 wrong method · 413 body over the limit · 401 signature
         missing, wrong or stale (webhook-* or svix-* headers) · 400 not a JSON object, or no
         event type at the endpoint's event_type_field when it is required · 503 queue unavailable
         200 {"status": "accepted"|"duplicate", "event_id", "transforms": [...]} after COMMIT
    GET  /healthz               liveness and queue counts
    GET  /metrics               Prometheus text format
    GET  /playground/           the web playground, when `server.playground: true`; it checks the
                                Host header as `runner playground` does (400 for other names on a
                                loopback address, against DNS rebinding); the routes above do not,
                                since providers call them by whatever public name they were given

Every webhook request is logged once (`log_webhook`): `webhook.accepted` / `webhook.duplicate`
at info (warning when a transform's outcome is dead, a handler that threw among them), and
`webhook.rejected` at info with the status and the reason label the metrics count.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from pathlib import Path

from starlette._utils import get_route_path
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import Receive, Scope, Send

from runner.config import DEFAULT_ENDPOINT
from runner.engine import EnginePool
from runner.envelope import Envelope, fallback_webhook_id
from runner.errors import (
    ConfigError,
    EnvelopeError,
    EventTypeMissing,
    PlaygroundConfigError,
    ServeError,
    SignatureError,
    StoreError,
    UnknownEndpoint,
)
from runner.pipeline import Accepted
from runner.redact import Redactor
from runner.server.bodies import BodyTooLarge, receive_limited
from runner.server.metrics import CONTENT_TYPE
from runner.server.reload import Reloader
from runner.server.responses import SafeJSONResponse, render_json
from runner.server.service import Live, Service
from runner.server.verify import message_id

log = logging.getLogger("runner.serve")

# The paths of the two webhook routes as Starlette matches them (its regex for `{endpoint}`).
_WEBHOOK_PATH = re.compile("^/webhooks(?:/(?P<endpoint>[^/]+))?$")
Answer = tuple[int, object]  # a webhook's status and the JSON it answers

LOGGED_REASON_CHARS = 300  # a transform's reason (a handler's error message) in a log line
LOGGED_NAME_CHARS = 200  # an unknown endpoint's name or an unverified webhook-id, as requested


def log_webhook(endpoint: str, webhook_id: str | None, status: int, started: float, *,
                accepted: Accepted | None = None, reason: str | None = None, detail: str | None = None,
                redactor: Redactor | None = None) -> None:
    """The one log line of a webhook request: accepted / duplicate (`accepted`), or rejected
    (`reason`, the metrics' label, and `detail`, what the response said). Nothing is built
    when the level would drop it."""
    dead = accepted is not None and any(s == "dead" for _, s, _ in accepted.results)
    level = logging.WARNING if dead else logging.INFO
    if not log.isEnabledFor(level):
        return

    def clip(text: str, limit: int) -> str:
        # Redacted before it is cut: a cut secret's first characters would not be recognised later.
        return (redactor.redact(text) if redactor is not None else text)[:limit]

    fields: dict[str, object] = {"webhook_id": webhook_id and clip(webhook_id, LOGGED_NAME_CHARS),
                                 "endpoint": clip(endpoint, LOGGED_NAME_CHARS), "status": status}
    if accepted is None:
        event = "webhook.rejected"
        fields |= {"reason": reason, "detail": detail and clip(detail, LOGGED_REASON_CHARS)}
    else:
        event = "webhook.duplicate" if accepted.duplicate else "webhook.accepted"
        if accepted.event_id:  # 0: a duplicate recognised before reaching the queue
            fields["event_id"] = accepted.event_id
        if not accepted.duplicate:
            fields["transforms"] = {n: s for n, s, _ in accepted.results}
            reasons = {n: clip(r, LOGGED_REASON_CHARS) for n, _, r in accepted.results if r}
            if reasons:
                fields["reasons"] = reasons
    fields["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
    log.log(level, event, extra=fields)


class Endpoints:
    """The routes of `runner serve`, one method each, over one `Service`."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.metrics = service.metrics

    def reject(self, live: Live, endpoint: str, reason: str, status: int, message: str, *,
               headers: Mapping[str, str], started: float, label: str | None = None) -> Answer:
        """Count, log and answer a refused webhook (`label`: the metrics' endpoint, if not `endpoint`)."""
        self.metrics.rejected.labels(endpoint if label is None else label, reason).inc()
        # The id as sent: unverified, but what the provider's dashboard shows for the attempt.
        log_webhook(endpoint, message_id(headers), status, started, reason=reason, detail=message,
                    redactor=live.redactor)
        return status, {"error": reason, "message": message}

    async def asgi_webhook(self, name: str, scope: Scope, receive: Receive, send: Send) -> None:
        """POST /webhooks[/{endpoint}] (`name`) on raw ASGI: verify, transform, store, then answer."""
        arrived = time.perf_counter()
        # One config from the first line to the answer, whatever a reload swaps in meanwhile.
        live = self.service.live
        # Header names come lower-cased from the server; the first of repeated ones is read, as
        # Starlette's `Headers.get` does.
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in reversed(scope["headers"])}
        started = False
        try:
            # Counted from now, not only while the pipeline transforms: a body still arriving when a
            # reload swaps is run on this config's engines, which must not be retired before then
            # (else they are started again for it, and never stopped).
            with live.pipeline.serving():
                status, content = await self._webhook(
                    live, name, headers, lambda limit: receive_limited(receive, headers.get("content-length"), limit),
                    arrived)
            body = render_json(content)
            started = True
            await send({"type": "http.response.start", "status": status, "headers": [
                (b"content-length", str(len(body)).encode("latin-1")), (b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": body})
        except Exception:
            # As Starlette's ServerErrorMiddleware: a plain 500 if nothing was sent yet, and the
            # error raised on for the server to log.
            if not started:
                await PlainTextResponse("Internal Server Error", status_code=500)(scope, receive, send)
            raise

    async def _webhook(self, live: Live, name: str, headers: Mapping[str, str],
                       read: Callable[[int], Awaitable[bytes]], arrived: float) -> Answer:
        try:
            endpoint = live.pipeline.endpoint(name)
        except UnknownEndpoint:
            return self.reject(live, name, "unknown_endpoint", 404, f"no endpoint named {name!r}",
                               headers=headers, started=arrived, label="")
        self.metrics.received.labels(name).inc()
        limit = live.config.server.max_body_bytes
        try:
            body = await read(limit)
        except BodyTooLarge:
            return self.reject(live, name, "too_large", 413, f"the body is over the {limit}-byte limit (server.max_body_bytes)",
                               headers=headers, started=arrived)
        started = time.perf_counter()
        verifier = live.verifiers.get(name)
        if verifier is not None:
            try:
                verifier.verify(body, headers)
            except SignatureError as exc:
                return self.reject(live, name, exc.reason, 401, str(exc), headers=headers, started=arrived)
        try:
            envelope = Envelope.parse(body, event_type_field=endpoint.event_type_field,
                                      require_event_type=endpoint.require_event_type)
        except EventTypeMissing as exc:
            return self.reject(live, name, "no_event_type", 400, f"endpoint {name!r}: {exc}", headers=headers, started=arrived)
        except EnvelopeError as exc:
            return self.reject(live, name, "malformed", 400, str(exc), headers=headers, started=arrived)
        # webhook-id or svix-id (verified above: equal when both are sent). Without
        # verification there may be neither: the body's hash still dedupes.
        webhook_id = message_id(headers) or fallback_webhook_id(body)
        try:
            accepted = await live.pipeline.accept(name, webhook_id, envelope)
        except StoreError as exc:
            log.error("webhook.store_failed", extra={"endpoint": name, "error": str(exc)})
            # 503 makes the provider retry later; nothing was acknowledged.
            return self.reject(live, name, "store_unavailable", 503, "the queue is unavailable; retry later",
                               headers=headers, started=arrived)
        self.metrics.accepted.labels(name, "duplicate" if accepted.duplicate else "accepted").inc()
        self.metrics.accept_seconds.labels(name).observe(time.perf_counter() - started)
        log_webhook(name, webhook_id, 200, arrived, accepted=accepted, redactor=live.redactor)
        # A reason may quote a handler's error message, which may hold its env values: the
        # answer goes back to whoever sent the webhook.
        return 200, live.redactor.redact_data(accepted.to_json())

    async def healthz(self, request: Request) -> Response:
        """GET /healthz: liveness and the queue's counts."""
        counts = await self.service.store.counts()
        return SafeJSONResponse({"status": "ok", "queue": counts})

    async def prometheus(self, request: Request) -> Response:
        """GET /metrics in Prometheus' text format."""
        store = self.service.store
        oldest = await store.oldest_pending()
        self.metrics.set_queue(await store.counts(), None if oldest is None else time.time() - oldest)
        if self.service.delivers:  # else the delivering process publishes them (serve --workers)
            self.metrics.set_destinations(self.service.dispatcher.destination_states())
        return Response(self.metrics.render(), media_type=CONTENT_TYPE)


class _WebhookRoute:
    """The webhook paths' endpoint in the Starlette app, there so that their other methods get
    405 from Starlette; a POST that reaches it (`App` takes them first) is `asgi_webhook`'s."""

    def __init__(self, endpoints: Endpoints) -> None:
        self.endpoints = endpoints

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        name = scope.get("path_params", {}).get("endpoint", DEFAULT_ENDPOINT)
        await self.endpoints.asgi_webhook(name, scope, receive, send)


class App:
    """The ASGI app of `runner serve`: POST /webhooks[/{endpoint}] goes straight to
    `Endpoints.asgi_webhook` (the hot path, without Starlette's routing, middleware, Request and
    Response objects); everything else, the lifespan too, to the Starlette app `app`, which also
    answers the webhook paths' other methods (405)."""

    def __init__(self, endpoints: Endpoints, app: Starlette) -> None:
        self.endpoints = endpoints
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            match = _WEBHOOK_PATH.match(get_route_path(scope))
            if match is not None:
                await self.endpoints.asgi_webhook(match["endpoint"] or DEFAULT_ENDPOINT, scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(service: Service, reloader: Reloader | None = None, *,
               on_started: Callable[[], None] = lambda: None) -> App:
    """The ASGI app; its lifespan starts and gracefully stops `service` (and `reloader`, which
    reloads it on SIGHUP and file changes), calling `on_started` once both run."""
    endpoints = Endpoints(service)
    webhook = _WebhookRoute(endpoints)  # an ASGI callable: Starlette calls it as it is
    routes: list[BaseRoute] = [
        Route("/webhooks", webhook, methods=["POST"]),
        Route("/webhooks/{endpoint}", webhook, methods=["POST"]),
        Route("/healthz", endpoints.healthz, methods=["GET"]),
        Route("/metrics", endpoints.prometheus, methods=["GET"]),
    ]
    playground = _playground(service) if service.config.server.playground else None
    if playground is not None:
        routes.append(Mount("/playground", app=playground))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await service.start()
        if reloader is not None:
            await reloader.start()
        on_started()
        try:
            yield
        finally:
            if reloader is not None:
                await reloader.stop()
            if playground is not None:
                playground.state.close()  # mounted apps get no lifespan of their own
            await service.stop()

    return App(endpoints, Starlette(routes=routes, lifespan=lifespan))


def _playground(service: Service) -> Starlette:
    """The playground, running handlers on the server's own engine pool and settings.

    It gets the standalone playground's Host check for the address the server listens on; the
    check is middleware of the mounted app, so it covers /playground/... and nothing else."""
    from runner.playground import create_app as create_playground
    from runner.playground.app import allowed_hosts_for

    config = service.config
    first = config.endpoints[0].transforms[0]
    engine = service.engines.pin(first.limits)  # kept across reloads: the playground holds it
    if not isinstance(engine, EnginePool):  # the playground loads code ahead (prepare): a pool's verb
        raise ServeError("the playground needs the server's engine pool")
    try:
        return create_playground(
            transforms_dir=Path(first.path).parent,
            samples_dir=Path(config.server.playground_samples),
            limits=first.limits,
            settings=first.settings,
            destinations=config.destinations,
            environ=service.environ,
            engine=engine,
            allowed_hosts=allowed_hosts_for(config.server.host),
        )
    except PlaygroundConfigError as exc:
        raise ConfigError(str(exc), filename=config.source, key="server.playground_samples") from None
