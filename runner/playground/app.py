"""The playground as an ASGI app: the page, its static files, and its small JSON API.

`create_app()` returns a Starlette app that works at "/" (`runner playground`) and mounted under
a prefix (`runner serve` at `/playground`): the page gets `<base href>` from the ASGI
`root_path`, and every URL in it is relative. The API is documented in `runner.playground`.
"""

from __future__ import annotations

import asyncio
import html
import ipaddress
import json
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from runner import segment
from runner.compat import JsSettings
from runner.config import DEFAULT_DESTINATIONS, DestinationConfig
from runner.engine import Limits
from runner.engine.sandbox import DEFAULT_URL
from runner.envelope import fallback_webhook_id
from runner.errors import ApiError
from runner.playground import results
from runner.playground.catalog import Catalog
from runner.playground.delivery import Target
from runner.playground.worker import EngineWorker, Job, RunsHandlers
from runner.samples import event_type_for, is_message
from runner.server.bodies import BodyTooLarge, read_limited
from runner.server.responses import SafeJSONResponse

STATIC_DIR = Path(__file__).parent / "static"
MAX_REQUEST_BYTES = 1024 * 1024  # a whole API request body
MAX_CODE_BYTES = 256 * 1024  # handler source, UTF-8
MAX_PAYLOAD_BYTES = 512 * 1024  # custom webhook body, UTF-8 (the provider's bodies are a few KB)
MAX_EVENT_TYPE_CHARS = 256  # Svix's own limit on an event type name
MESSAGE_PASTED = ("this body is a Svix message {eventType, payload}: the handler gets all of it as webhook.payload; "
                  "to run it as Svix would, put its payload in the body and its eventType in the Event type field")

# The page needs no third-party origin; Ace injects its CSS as <style> elements, hence 'unsafe-inline' for styles only.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'"
)


LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")  # as they appear in a Host header


def allowed_hosts_for(bind_host: str, configured: Iterable[str] = ()) -> list[str] | None:
    """The Host header values a playground listening on `bind_host` accepts; None: no check.

    Whoever reaches the playground can run code in the sandbox. On a loopback address only this
    machine reaches it, by a loopback name or the address itself: a request naming any other
    host comes from a web page that re-bound its own name to 127.0.0.1 (DNS rebinding), and is
    refused with 400. On another address the names people use to reach it are not known here,
    so there is no check unless `configured` names them (then those, the address and the
    loopback names). Used by `runner playground` and by `runner serve` for its mounted one.
    """
    names = [name.lower() for name in configured]
    bare = bind_host.removeprefix("[").removesuffix("]").lower()
    try:
        address: ipaddress.IPv4Address | ipaddress.IPv6Address | None = ipaddress.ip_address(bare)
    except ValueError:
        address = None
    loopback = bare == "localhost" or (address is not None and address.is_loopback)
    if not names and not loopback:
        return None
    bound: list[str] = []
    if address is None:
        bound = [bare]
    elif not address.is_unspecified:  # 0.0.0.0 and :: are where it listens, not names to ask for
        bound = [f"[{address.compressed}]" if address.version == 6 else address.compressed]
    return list(dict.fromkeys([*LOOPBACK_HOSTS, *bound, *names]))


class Playground:
    """The playground's state (samples, engine, delivery target, limits) and its endpoints, one
    method each; `create_app` routes requests to them. Raises `PlaygroundConfigError` when a
    directory is missing. The arguments are `create_app`'s."""

    def __init__(
        self,
        *,
        transforms_dir: Path,
        samples_dir: Path,
        limits: Limits | None = None,
        settings: JsSettings | None = None,
        endpoint_url: str = DEFAULT_URL,
        env: Mapping[str, str] | None = None,
        destinations: Sequence[DestinationConfig] = DEFAULT_DESTINATIONS,
        environ: Mapping[str, str] | None = None,
        engine: RunsHandlers | None = None,
        max_request_bytes: int = MAX_REQUEST_BYTES,
    ) -> None:
        self.catalog = Catalog(Path(transforms_dir), Path(samples_dir))
        env = dict(env or {})
        self.worker = EngineWorker(limits=limits or Limits(), settings=settings or JsSettings(), env=env, engine=engine)
        self.redact = results.redactor(env.values())
        self.target = Target(tuple(destinations), dict(environ or {}))
        self.endpoint_url = endpoint_url
        self.max_request_bytes = max_request_bytes
        self.page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")

    def close(self) -> None:
        """Stop the engine thread."""
        self.worker.close()

    async def index(self, request: Request) -> Response:
        """GET /: the page, its `<base href>` the mount point."""
        base = request.scope.get("root_path", "").rstrip("/") + "/"
        body = self.page.replace("{{BASE_HREF}}", html.escape(base, quote=True))
        return HTMLResponse(body, headers={"Content-Security-Policy": CSP, "Cache-Control": "no-store"})

    async def api_doc(self, request: Request) -> Response:
        """GET api: the endpoints and the size limits."""
        return SafeJSONResponse(
            {
                "endpoints": {
                    "GET api/catalog": "transforms (name, source), samples (name, event_type, family, message), defaults",
                    "GET api/samples/{name}": "one sample's body as text, and the event type it runs with",
                    "POST api/run": "{code, payload, event_type?, transform?, webhook_id?} -> one result",
                    "POST api/run-all": "{code, event_type?, transform?} -> one row per bundled sample",
                },
                "limits": {
                    "max_request_bytes": self.max_request_bytes,
                    "max_code_bytes": MAX_CODE_BYTES,
                    "max_payload_bytes": MAX_PAYLOAD_BYTES,
                },
            }
        )

    async def api_catalog(self, request: Request) -> Response:
        """GET api/catalog: the transforms and samples, the defaults, the engine's limits and settings."""
        transforms = self.catalog.transforms()
        samples = self.catalog.samples()
        engine_limits = self.worker.limits
        return SafeJSONResponse(
            {
                "transforms": [{"name": t.name, "source": t.source} for t in transforms],
                "samples": [{"name": s.name, "event_type": s.event_type, "family": s.family, "message": s.message}
                            for s in samples],
                "default_transform": transforms[0].name if transforms else None,
                "default_sample": self.catalog.default_sample(),
                "endpoint_url": self.endpoint_url,
                "limits": {
                    "time_ms": engine_limits.time_ms,
                    "memory_bytes": engine_limits.memory_bytes,
                    "log_bytes": engine_limits.log_bytes,
                },
                "settings": {"locale": self.worker.settings.locale, "time_zone": self.worker.settings.time_zone},
            }
        )

    async def api_sample(self, request: Request) -> Response:
        """GET api/samples/{name}: one sample's body and the event type it runs with."""
        name = request.path_params["name"]
        sample = self.catalog.sample(name)
        if sample is None:
            raise ApiError(404, f"no sample named {name!r}; GET api/catalog lists them")
        return SafeJSONResponse(
            {"name": sample.name, "event_type": sample.event_type, "family": sample.family, "body": sample.body,
             # What it runs with: the page puts a message's eventType in its event-type field.
             "own_event_type": sample.own_event_type, "message": sample.message}
        )

    async def api_run(self, request: Request) -> Response:
        """POST api/run: the code on one payload; one result."""
        data = await _read_json(request, self.max_request_bytes)
        code = _text_field(data, "code", MAX_CODE_BYTES)
        payload_text = _text_field(data, "payload", MAX_PAYLOAD_BYTES)
        given_type = _optional_name(data, "event_type", MAX_EVENT_TYPE_CHARS)
        transform = _optional_name(data, "transform")
        try:
            payload = json.loads(payload_text)
        except json.JSONDecodeError as exc:
            return SafeJSONResponse(results.payload_error(exc))
        # As `runner preview`: the given event type, else the body's string `type`, else none.
        event_type = event_type_for(given_type, _event_type(payload))
        webhook_id = _optional_name(data, "webhook_id") or fallback_webhook_id(payload_text)
        out = await self.worker.run(code, _filename(transform), [Job(payload_text, self.endpoint_url, event_type)])
        if not isinstance(out, list):
            return SafeJSONResponse(self.redact(results.load_error(out, event_type)))
        # Laying out and diffing a large result takes a while: not on the event loop.
        result = await asyncio.to_thread(results.run_result, out[0], payload, self._context(webhook_id, transform),
                                         event_type)
        warnings = result["warnings"]
        if is_message(payload) and isinstance(warnings, list):
            # Pasted from Svix: the handler gets it whole, which is seldom what was meant.
            result["warnings"] = [MESSAGE_PASTED, *warnings]
        return SafeJSONResponse(self.redact(result))

    async def api_run_all(self, request: Request) -> Response:
        """POST api/run-all: the code on every bundled sample; one summary row each, and counts."""
        data = await _read_json(request, self.max_request_bytes)
        code = _text_field(data, "code", MAX_CODE_BYTES)
        given_type = _optional_name(data, "event_type", MAX_EVENT_TYPE_CHARS)
        transform = _optional_name(data, "transform")
        samples = self.catalog.samples()
        parsed: list[object] = []
        for sample in samples:
            try:
                parsed.append(json.loads(sample.body))
            except json.JSONDecodeError as exc:
                parsed.append(exc)  # reported in its row; the other samples still run
        jobs = [Job(s.body, self.endpoint_url, event_type_for(given_type, s.own_event_type))
                for s, p in zip(samples, parsed) if not isinstance(p, json.JSONDecodeError)]
        out = await self.worker.run(code, _filename(transform), jobs)
        outcomes = iter(out) if isinstance(out, list) else iter(())
        rows = []
        for sample, payload in zip(samples, parsed):
            if isinstance(payload, json.JSONDecodeError):
                result = results.payload_error(payload)
            elif not isinstance(out, list):
                result = results.load_error(out, event_type_for(given_type, sample.own_event_type))
            else:
                ctx = self._context(fallback_webhook_id(sample.body), transform)
                result = results.run_result(next(outcomes), payload, ctx, event_type_for(given_type, sample.own_event_type))
            rows.append(results.summary_row(sample.name, sample.family, result))
        counts = {k: sum(1 for r in rows if r["status"] == k) for k in ("sent", "cancelled", "unchanged", "error")}
        total_ms = sum(o.duration_ms for o in out) if isinstance(out, list) else 0.0
        return SafeJSONResponse(self.redact({"results": rows, "counts": counts, "duration_ms": total_ms}))

    def _context(self, webhook_id: str, transform: str | None) -> results.Context:
        return results.Context(
            webhook_id=webhook_id,
            transform=transform or "playground",
            transform_url=self.endpoint_url,
            target=self.target,
            sent_at=segment.sent_at(),
        )


async def api_error(request: Request, exc: Exception) -> Response:
    """An `ApiError` as its JSON answer: {"error": {status, message}} with that status."""
    assert isinstance(exc, ApiError)
    return SafeJSONResponse({"error": {"status": exc.status, "message": exc.message}}, status_code=exc.status)


def create_app(
    *,
    transforms_dir: Path,
    samples_dir: Path,
    limits: Limits | None = None,
    settings: JsSettings | None = None,
    endpoint_url: str = DEFAULT_URL,
    env: Mapping[str, str] | None = None,
    destinations: Sequence[DestinationConfig] = DEFAULT_DESTINATIONS,
    environ: Mapping[str, str] | None = None,
    allowed_hosts: Sequence[str] | None = None,
    engine: RunsHandlers | None = None,
    max_request_bytes: int = MAX_REQUEST_BYTES,
) -> Starlette:
    """Build the playground app.

    `limits` and `settings` are the engine's (pass the server's own so both run handlers the
    same way); `engine` is an existing `Engine`/`EnginePool` to run on instead of a new one.
    `endpoint_url` is the `webhook.url` handlers start with. `env` is given to handlers as
    `webhook.env`; its values are masked in all output. `destinations` and `environ` (where
    their secrets are read, e.g. the Segment write key) decide delivery as `runner serve` does;
    secrets from there are masked before anything is shown.
    `allowed_hosts` enables a Host check (against DNS rebinding of a local playground): pass
    `allowed_hosts_for(the address it listens on)`, as `runner playground` and `runner serve` do.
    Raises `PlaygroundConfigError` when a directory is missing.

    Anyone who can reach the app can run code in the sandbox (within the limits): mount it only
    where that is acceptable. A host app that mounts it (mounted apps get no lifespan events)
    should call `app.state.close()` at shutdown to stop the engine thread.
    """
    playground = Playground(transforms_dir=transforms_dir, samples_dir=samples_dir, limits=limits, settings=settings,
                            endpoint_url=endpoint_url, env=env, destinations=destinations, environ=environ,
                            engine=engine, max_request_bytes=max_request_bytes)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Runs when served on its own; when mounted, the host app owns the process lifetime.
        yield
        playground.close()

    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))] if allowed_hosts else []
    app = Starlette(
        routes=[
            Route("/", playground.index),
            Route("/api", playground.api_doc),
            Route("/api/catalog", playground.api_catalog),
            Route("/api/samples/{name}", playground.api_sample),
            Route("/api/run", playground.api_run, methods=["POST"]),
            Route("/api/run-all", playground.api_run_all, methods=["POST"]),
            Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
        ],
        middleware=middleware,
        exception_handlers={ApiError: api_error},
        lifespan=lifespan,
    )
    app.state.close = playground.close
    return app


async def _read_json(request: Request, max_bytes: int) -> dict[str, object]:
    """The request's JSON object, refusing other content types and bodies over `max_bytes`."""
    # Requiring application/json also makes a cross-site form post impossible without CORS preflight.
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise ApiError(415, f"send Content-Type: application/json, not {content_type or 'nothing'}")
    try:
        body = await read_limited(request, max_bytes)
    except BodyTooLarge as exc:
        if exc.declared is None:
            raise ApiError(413, f"request body is over the limit of {max_bytes} bytes") from None
        raise ApiError(413, f"request body is {exc.declared} bytes, over the limit of {max_bytes}") from None
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"request body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ApiError(400, "request body must be a JSON object")
    return data


def _text_field(data: Mapping[str, object], name: str, max_bytes: int) -> str:
    value = data.get(name)
    if not isinstance(value, str):
        raise ApiError(400, f"field {name!r} must be a string")
    size = len(_encoded(value, name))
    if size > max_bytes:
        raise ApiError(413, f"field {name!r} is {size} bytes, over the limit of {max_bytes}")
    return value


def _optional_name(data: Mapping[str, object], name: str, max_chars: int = 200) -> str | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > max_chars:
        raise ApiError(400, f"field {name!r} must be a string of at most {max_chars} characters")
    _encoded(value, name)
    return value


def _encoded(value: str, name: str) -> bytes:
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ApiError(400, f"field {name!r} is not valid Unicode text: it holds a lone UTF-16 surrogate "
                            f"(\\u{ord(value[exc.start]):04x}) at character {exc.start}") from None


def _filename(transform: str | None) -> str:
    return f"{transform}.js" if transform else "playground.js"


def _event_type(payload: object) -> str | None:
    value = payload.get("type") if isinstance(payload, dict) else None
    return value if isinstance(value, str) else None
