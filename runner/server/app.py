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
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route

from runner.config import DEFAULT_ENDPOINT, ConfigError
from runner.delivery.store import StoreError
from runner.pipeline import EnvelopeError, EventTypeMissing, parse_envelope
from runner.server.responses import SafeJSONResponse
from runner.server.metrics import CONTENT_TYPE
from runner.server.service import Service
from runner.server.verify import SignatureError, message_id

log = logging.getLogger("runner.serve")


class _TooLarge(Exception):
    pass


def create_app(service: Service) -> Starlette:
    """The ASGI app; its lifespan starts and gracefully stops `service`."""
    config = service.config
    metrics = service.metrics
    limit = config.server.max_body_bytes

    def reject(endpoint: str, reason: str, status: int, message: str) -> SafeJSONResponse:
        metrics.rejected.labels(endpoint, reason).inc()
        return SafeJSONResponse({"error": reason, "message": message}, status_code=status)

    async def webhook(request: Request) -> Response:
        name = request.path_params.get("endpoint", DEFAULT_ENDPOINT)
        endpoint = config.endpoint(name)
        if endpoint is None:
            return reject("", "unknown_endpoint", 404, f"no endpoint named {name!r}")
        metrics.received.labels(name).inc()
        try:
            body = await _read(request, limit)
        except _TooLarge:
            return reject(name, "too_large", 413, f"the body is over the {limit}-byte limit (server.max_body_bytes)")
        started = time.perf_counter()
        verifier = service.verifiers.get(name)
        if verifier is not None:
            try:
                verifier.verify(body, request.headers)
            except SignatureError as exc:
                return reject(name, exc.reason, 401, str(exc))
        try:
            text, envelope = parse_envelope(body, event_type_field=endpoint.event_type_field,
                                            require_event_type=endpoint.require_event_type)
        except EventTypeMissing as exc:
            return reject(name, "no_event_type", 400, f"endpoint {name!r}: {exc}")
        except EnvelopeError as exc:
            return reject(name, "malformed", 400, str(exc))
        # webhook-id or svix-id (verified above: equal when both are sent). Without
        # verification there may be neither: the body's hash still dedupes.
        webhook_id = message_id(request.headers) or "sha256:" + hashlib.sha256(body).hexdigest()
        try:
            accepted = await service.pipeline.accept(name, webhook_id, text, envelope)
        except StoreError as exc:
            log.error("webhook.store_failed", extra={"endpoint": name, "error": str(exc)})
            # 503 makes the provider retry later; nothing was acknowledged.
            return reject(name, "store_unavailable", 503, "the queue is unavailable; retry later")
        metrics.accepted.labels(name, "duplicate" if accepted.duplicate else "accepted").inc()
        metrics.accept_seconds.labels(name).observe(time.perf_counter() - started)
        return SafeJSONResponse(accepted.to_json())

    async def healthz(request: Request) -> Response:
        counts = await service.store.counts()
        return SafeJSONResponse({"status": "ok", "queue": counts})

    async def prometheus(request: Request) -> Response:
        metrics.set_queue(await service.store.counts())
        return Response(metrics.render(), media_type=CONTENT_TYPE)

    routes: list[BaseRoute] = [
        Route("/webhooks", webhook, methods=["POST"]),
        Route("/webhooks/{endpoint}", webhook, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", prometheus, methods=["GET"]),
    ]
    playground = _playground(service) if config.server.playground else None
    if playground is not None:
        routes.append(Mount("/playground", app=playground))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await service.start()
        try:
            yield
        finally:
            if playground is not None:
                playground.state.close()  # mounted apps get no lifespan of their own
            await service.stop()

    return Starlette(routes=routes, lifespan=lifespan)


def _playground(service: Service) -> Starlette:
    """The playground, running handlers on the server's own engine pool and settings.

    It gets the standalone playground's Host check for the address the server listens on; the
    check is middleware of the mounted app, so it covers /playground/... and nothing else."""
    from runner.playground import PlaygroundConfigError
    from runner.playground import create_app as create_playground
    from runner.playground.app import allowed_hosts_for

    config = service.config
    first = config.endpoints[0].transforms[0]
    try:
        return create_playground(
            transforms_dir=Path(first.path).parent,
            samples_dir=Path(config.server.playground_samples),
            limits=first.limits,
            settings=first.settings,
            destinations=config.destinations,
            environ=service.environ,
            engine=service.pipeline.engine(first.limits),
            allowed_hosts=allowed_hosts_for(config.server.host),
        )
    except PlaygroundConfigError as exc:
        raise ConfigError(str(exc), filename=config.source, key="server.playground_samples") from None


async def _read(request: Request, limit: int) -> bytes:
    """The body, refusing as soon as it is known to exceed `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _TooLarge
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)
