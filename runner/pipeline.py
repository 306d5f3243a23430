"""Webhook → engine → store: the one place the sandbox, the destinations and the queue meet.

`Pipeline.accept` runs every transform of an endpoint on a verified event (in the engines, off
the event loop), has the destinations plan each outcome (a request to send, or recorded as
cancelled / skipped / rejected / dead), and stores the event and all its deliveries in one
transaction. It returns only after that commit: the caller may then acknowledge the webhook.

Transforming at acceptance (not in the delivery worker) means the response to the provider,
the queue and `runner deliveries` all say what each transform did, and the queue holds
requests ready to send. A transform error is *not* reported to the provider as a failure:
the provider's retries (5 s … 10 h) cannot fix a deterministic bug, and with several
transforms a 5xx would make the others deliver twice. It becomes a dead letter with the
handler's logs instead; `runner replay` re-runs the fixed handler on the stored event.

The pipeline builds nothing: handlers, engines, destinations and the store are given to it
(see `runner.server.service`, the composition root).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from runner.config import EndpointConfig, TransformConfig
from runner.delivery.destinations import Destinations, Target
from runner.delivery.store import Enqueued, NewDelivery, NewEvent, Store
from runner.engine import Handler, Limits, Outcome
from runner.engine.sandbox import DEFAULT_URL
from runner.engine.threaded import AsyncEngine
from runner.envelope import Envelope
from runner.errors import UnknownEndpoint
from runner.observe import NO_OBSERVER, Observer

RECENT_IDS = 10_000  # webhook-ids remembered in memory to skip transforming provider retries

HandlerKey = tuple[str, str]  # (endpoint, transform)
RecentIds = OrderedDict[tuple[str, str], None]  # (endpoint, webhook-id), oldest first


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


class Pipeline:
    """Accepts verified events for the configured endpoints."""

    def __init__(
        self,
        endpoints: Sequence[EndpointConfig],
        handlers: Mapping[HandlerKey, Handler],
        engines: Callable[[Limits], AsyncEngine],
        destinations: Destinations,
        store: Store,
        *,
        environ: Mapping[str, str],
        on_enqueued: Callable[[], None] = lambda: None,
        observer: Observer = NO_OBSERVER,
        recent: RecentIds | None = None,
    ) -> None:
        self.endpoints = {e.name: e for e in endpoints}
        self.handlers = dict(handlers)
        self.engines = engines
        self.destinations = destinations
        self.store = store
        self.on_enqueued = on_enqueued
        self.observer = observer
        # A transform's webhook.env, read from the environment once: it does not change while serving.
        self._env = {(e.name, t.name): {k: v.text(environ) for k, v in t.env.items()}
                     for e in endpoints for t in e.transforms}
        # (endpoint, webhook-id) of recent events; shared with the pipeline a reload replaces, so a
        # provider's retry that arrives across the swap is still known.
        self.recent: RecentIds = OrderedDict() if recent is None else recent
        self.in_flight = 0  # requests `serving` on this pipeline: a reload retires engines once it is 0

    @contextlib.contextmanager
    def serving(self) -> Iterator[None]:
        """Count a request that took this pipeline, from its first line to its answer: a reload
        closes the engines only older pipelines used once none of their requests is left."""
        self.in_flight += 1
        try:
            yield
        finally:
            self.in_flight -= 1

    def endpoint(self, name: str) -> EndpointConfig:
        """The endpoint of that name, or UnknownEndpoint."""
        endpoint = self.endpoints.get(name)
        if endpoint is None:
            raise UnknownEndpoint(f"no endpoint named {name!r}; configured: {', '.join(self.endpoints)}")
        return endpoint

    async def accept(self, endpoint_name: str, webhook_id: str, envelope: Envelope) -> Accepted:
        """Transform and durably store one verified event; returns after COMMIT."""
        endpoint = self.endpoint(endpoint_name)
        key = (endpoint_name, webhook_id)
        if key in self.recent:
            return Accepted(0, duplicate=True)
        transforms = endpoint.transforms
        if len(transforms) == 1:  # the usual endpoint: no task and gathering future for one
            outcomes = [await self._transform(endpoint, transforms[0], envelope)]
        else:
            outcomes = await asyncio.gather(*(self._transform(endpoint, t, envelope) for t in transforms))
        deliveries = [self._plan(endpoint, t, webhook_id, envelope, o) for t, o in zip(endpoint.transforms, outcomes)]
        # Stored as "" when there is none: the queue's column holds text.
        event = NewEvent(endpoint_name, webhook_id, envelope.event_type or "", envelope.text, time.time())
        stored: Enqueued = await self.store.enqueue(event, deliveries)
        self._remember(key)
        if stored.duplicate:
            return Accepted(stored.event_id, duplicate=True)
        if any(d.status == "pending" for d in deliveries):
            self.on_enqueued()
        return Accepted(stored.event_id, False, tuple((d.transform, d.status, d.reason) for d in deliveries))

    async def rerun(self, endpoint_name: str, transform: str, handler: Handler, webhook_id: str, text: str) -> NewDelivery:
        """Re-run a transform with `handler` (its file as it is now) on a stored event: the
        delivery a replay after a fix stores in place of the dead letter."""
        endpoint = self.endpoint(endpoint_name)
        t = next((x for x in endpoint.transforms if x.name == transform), None)
        if t is None:
            raise UnknownEndpoint(f"endpoint {endpoint_name!r} has no transform {transform!r}")
        self.handlers[(endpoint_name, transform)] = handler
        envelope = Envelope.stored(text, event_type_field=endpoint.event_type_field)
        outcome = await self._transform(endpoint, t, envelope)
        return self._plan(endpoint, t, webhook_id, envelope, outcome)

    async def _transform(self, endpoint: EndpointConfig, t: TransformConfig, envelope: Envelope) -> Outcome:
        started = time.perf_counter()
        # The endpoint's field was read at the door: "" tells the engine there is none (the
        # handler sees undefined) rather than to look for a `type` the field may not be.
        known = "" if envelope.event_type is None else envelope.event_type
        outcome = await self.engines(t.limits).submit_async(
            self.handlers[(endpoint.name, t.name)], envelope.text, url=t.url or DEFAULT_URL,
            env=self._env[(endpoint.name, t.name)], settings=t.settings, event_type=known)
        self.observer.transformed(endpoint.name, t.name, outcome.status, time.perf_counter() - started)
        return outcome

    def _plan(self, endpoint: EndpointConfig, t: TransformConfig, webhook_id: str, envelope: Envelope,
              outcome: Outcome) -> NewDelivery:
        return self.destinations.plan(Target(endpoint.name, t.name, t.url), webhook_id, envelope, outcome)

    def _remember(self, key: tuple[str, str]) -> None:
        self.recent[key] = None
        if len(self.recent) > RECENT_IDS:
            self.recent.popitem(last=False)
