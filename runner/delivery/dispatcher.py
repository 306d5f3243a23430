"""The delivery worker: claim due deliveries → send → ack, retry later, or dead-letter.

What goes on the wire is the destinations' business (`destinations.Destinations.requests`:
Segment deliveries to one base URL share `/v1/batch` requests, each attempt sets `sentAt`,
other destinations get one request per delivery); this module claims, sends and settles. Up to
`concurrency` requests are in flight; while they are, new acceptances pile up and the next
claim picks them up together, so batches grow with load by themselves. After a claim that
emptied the queue while requests are in flight, the next claim waits `linger_s`: under a steady
stream of webhooks the events go in a few large requests instead of many small ones (each
request and each claim costs the server's one event loop far more than an event in a batch).

A 429 with `Retry-After` pauses the whole destination until then: its other pending
deliveries are not tried (and not charged an attempt) before that moment.

Each settled request is logged once, whatever its size: `delivery.delivered` (info) for what
its destination accepted, `delivery.failed` (warning for retries, error when some became dead
letters) for the rest, with up to `LOGGED_IDS` delivery ids for `runner deliveries show`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from runner import segment
from runner.config import DeliveryConfig
from runner.delivery.destinations import Destinations, WireRequest
from runner.delivery.retry import Dead, Delivered, Retry, RetryPolicy
from runner.delivery.store import Attempt, Delivery, Store, StoreError
from runner.observe import NO_OBSERVER, Observer

log = logging.getLogger("runner.delivery")

_DEFAULTS = DeliveryConfig()  # the tunables' one home: runner.yaml's `delivery` section
DEFAULT_LINGER_S = 0.05  # wait after a partial claim while sending; delays a busy stream ≤ 50 ms
MAX_CONNECTIONS = 32  # httpx pool size, across destinations
ERROR_BODY_CHARS = 200  # of a failed response's body, kept as the attempt's error
REDACT_MARGIN_CHARS = 1024  # a secret that starts within the kept part and ends in this margin is still masked
LOGGED_IDS = 20  # delivery ids per log line; `count` says how many the request carried


_Request = WireRequest[Delivery]


@dataclass(frozen=True)
class _Result:
    status: int | None
    error: str | None
    retry_after_s: float | None
    seconds: float


def worker_name() -> str:
    """A name unique to this process, stored as `claimed_by`: `host:pid:random`. The random
    part keeps two containers that share a host name and pid apart on a shared queue."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


class Dispatcher:
    """Delivers pending deliveries until `stop()`; run it as a task with `await run()`."""

    def __init__(
        self,
        store: Store,
        destinations: Destinations,
        *,
        environ: Mapping[str, str],
        client: httpx.AsyncClient | None = None,
        policy: RetryPolicy | None = None,
        observer: Observer | None = None,
        worker: str | None = None,
        concurrency: int = _DEFAULTS.concurrency,
        claim_limit: int = _DEFAULTS.claim_limit,
        lease_s: float = _DEFAULTS.lease_s,
        idle_poll_s: float = _DEFAULTS.idle_poll_s,
        timeout_s: float = _DEFAULTS.timeout_s,
        linger_s: float = DEFAULT_LINGER_S,
        redact: Callable[[str], str] = lambda text: text,
    ) -> None:
        self.store = store
        self.destinations = destinations
        self.environ = environ
        self.policy = policy or RetryPolicy()
        self.observer: Observer = observer or NO_OBSERVER
        self.worker = worker or worker_name()
        self.concurrency = concurrency
        self.claim_limit = claim_limit
        self.lease_s = lease_s
        self.idle_poll_s = idle_poll_s
        self.linger_s = linger_s
        self.redact = redact  # masks the secrets in use (the server's redactor)
        self._own_client = client is None
        self.client = client or httpx.AsyncClient(
            timeout=httpx.Timeout(timeout_s),
            limits=httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_CONNECTIONS),
            follow_redirects=False,  # a redirect could lead anywhere: no open relay through 3xx
        )
        self._wake = asyncio.Event()
        self._stopping = False
        self._slots = asyncio.Semaphore(concurrency)
        self._inflight: set[asyncio.Task[None]] = set()
        self._paused: dict[str, float] = {}  # destination → time it may be tried again
        self._in_flight: dict[str, int] = {}  # destination → requests being sent

    @classmethod
    def from_config(cls, store: Store, destinations: Destinations, delivery: DeliveryConfig, *,
                    environ: Mapping[str, str], **kwargs: Any) -> Dispatcher:
        """A dispatcher with the tunables of runner.yaml's `delivery` section (`kwargs` override)."""
        settings: dict[str, Any] = {
            "policy": RetryPolicy.from_config(delivery), "concurrency": delivery.concurrency,
            "claim_limit": delivery.claim_limit, "lease_s": delivery.lease_s,
            "idle_poll_s": delivery.idle_poll_s, "timeout_s": delivery.timeout_s,
        }
        return cls(store, destinations, environ=environ, **(settings | kwargs))

    def reconfigure(self, destinations: Destinations, delivery: DeliveryConfig) -> None:
        """Deliver to `destinations` with `delivery`'s retry policy and claim settings from the
        next round on (a reload). Requests in flight finish as they began; the HTTP client's
        timeout and the concurrency are fixed at start."""
        self.destinations = destinations
        self.policy = RetryPolicy.from_config(delivery)
        self.claim_limit = delivery.claim_limit
        self.lease_s = delivery.lease_s
        self.idle_poll_s = delivery.idle_poll_s

    def notify(self) -> None:
        """New deliveries were enqueued: claim now instead of at the next poll."""
        self._wake.set()

    def stop(self) -> None:
        """Stop claiming; `run` returns once in-flight requests are settled."""
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        try:
            while not self._stopping:
                try:
                    claimed = await self.run_once()
                except StoreError as exc:
                    # The queue is unreachable for now (a database restart): keep trying, so
                    # delivery resumes by itself when it is back.
                    log.error("delivery.store_unavailable", extra={"error": str(exc)})
                    await asyncio.sleep(self.idle_poll_s)
                    continue
                except Exception:
                    # A bug must not stop delivery for good: what was claimed keeps its lease
                    # and is tried again when it runs out.
                    log.exception("delivery.round_failed")
                    await asyncio.sleep(self.idle_poll_s)
                    continue
                if not claimed and not self._stopping:
                    self._wake.clear()
                    try:
                        await asyncio.wait_for(self._wake.wait(), self.idle_poll_s)
                    except TimeoutError:
                        pass
                elif claimed < self.claim_limit and self._inflight and self.linger_s > 0:
                    # The queue is drained and requests are on their way: let the next
                    # events gather instead of claiming them one small batch at a time.
                    await asyncio.sleep(self.linger_s)
            await self.drain()
        finally:
            await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP client if this dispatcher made it (`run` does so when it returns)."""
        if self._own_client:
            await self.client.aclose()

    def destination_states(self) -> dict[str, tuple[int, bool]]:
        """Every configured destination's (requests in flight, paused by a Retry-After now)."""
        now = time.time()
        return {d.name: (self._in_flight.get(d.name, 0), self._paused.get(d.name, 0.0) > now)
                for d in self.destinations.all}

    async def drain(self) -> None:
        """Wait for every in-flight request to be sent and settled."""
        while self._inflight:
            await asyncio.gather(*list(self._inflight), return_exceptions=True)

    async def run_once(self) -> int:
        """Claim one round of due deliveries and start sending them; returns how many."""
        now = time.time()
        self._paused = {d: t for d, t in self._paused.items() if t > now}
        await self._slots.acquire()  # claim only when a request could start
        self._slots.release()
        claimed = await self.store.claim(
            self.worker, limit=self.claim_limit, lease_s=self.lease_s, exclude_destinations=list(self._paused)
        )
        if not claimed:
            return 0
        built = self.destinations.requests(claimed, self.environ)
        if built.orphans:
            await self._settle_orphans(built.orphans)
        if built.unsendable:
            await self._settle_unsendable(built.unsendable)
        for request in built.requests:
            await self._slots.acquire()
            name = request.destination.name
            self._in_flight[name] = self._in_flight.get(name, 0) + 1
            task = asyncio.create_task(self._send_and_settle(request))
            self._inflight.add(task)
            task.add_done_callback(self._inflight.discard)
        return len(claimed)

    # --- sending and settling ----------------------------------------------------------

    async def _send_and_settle(self, request: _Request) -> None:
        try:
            started = time.time()
            result = await self._send(request)
            await self._settle(request, result, started)
        except Exception:  # a bug here must not kill the worker; the lease will expire
            log.exception("delivery.settle_failed", extra={"destination": request.destination.name})
        finally:
            self._in_flight[request.destination.name] -= 1
            self._slots.release()

    async def _send(self, request: _Request) -> _Result:
        t0 = time.perf_counter()
        try:
            response = await self.client.request(request.method, request.url, headers=request.headers, content=request.body)
            await response.aread()
        except httpx.HTTPError as exc:
            return _Result(None, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__, None, time.perf_counter() - t0)
        except Exception as exc:  # noqa: BLE001
            # A request the client refuses to build or frame (h11 and encoding errors are not
            # httpx.HTTPError): a failed attempt, so it ends as a dead letter after max_attempts
            # instead of being re-claimed every lease_s forever.
            return _Result(None, f"{type(exc).__name__}: {exc}", None, time.perf_counter() - t0)
        retry_after = segment.retry_after_seconds(response.headers.get("retry-after"))
        # What a destination answers may quote the request's own credentials back: masked before
        # it is cut, or a cut secret's first characters would no longer be recognised.
        error = None if response.is_success else (
            f"HTTP {response.status_code}: {self.redact(response.text[:ERROR_BODY_CHARS + REDACT_MARGIN_CHARS])[:ERROR_BODY_CHARS]}")
        return _Result(response.status_code, error, retry_after, time.perf_counter() - t0)

    async def _settle(self, request: _Request, result: _Result, started: float) -> None:
        acks: list[Attempt] = []
        acked_created: list[float] = []  # the acked deliveries' created_at, for the latency
        retries: list[Attempt] = []
        retry_at: list[float] = []
        retry_err: list[str] = []
        dead: list[Attempt] = []
        reasons: list[str] = []
        now = time.time()
        name = request.destination.name
        if result.status == 429 and result.retry_after_s:
            self._paused[name] = now + min(result.retry_after_s, self.policy.max_retry_after_s)
        for d in request.items:
            number = d.attempts + 1
            decision = self.policy.decide(attempt=number, status=result.status, error=result.error,
                                          retry_after_s=result.retry_after_s, retryable=request.destination.retryable)
            outcome = {Delivered: "delivered", Retry: "retry", Dead: "dead"}[type(decision)]
            attempt = Attempt(d.id, number, started, result.seconds * 1000, outcome, result.status, result.error)
            if isinstance(decision, Delivered):
                acks.append(attempt)
                acked_created.append(d.created_at)
            elif isinstance(decision, Retry):
                retries.append(attempt)
                # One delay for the whole request: jittering each delivery apart would split
                # a batch into many small requests on the next try.
                retry_at.append(retry_at[0] if retry_at else now + decision.delay_s)
                retry_err.append(decision.error)
            else:
                dead.append(attempt)
                reasons.append(decision.reason)
        if acks:
            await self.store.ack(self.worker, acks)
            acked = time.time()
            self.observer.sent(name, "delivered", len(acks), result.seconds)
            self.observer.acknowledged(name, [acked - created for created in acked_created])
            if log.isEnabledFor(logging.INFO):
                log.info("delivery.delivered", extra={
                    "destination": name, "count": len(acks), "status": result.status,
                    "duration_ms": round(result.seconds * 1000, 1), "ids": _ids(acks),
                })
        if retries:
            await self.store.retry_later(self.worker, retries, retry_at, retry_err)
            self.observer.sent(name, "retried", len(retries), result.seconds)
        if dead:
            await self.store.dead_letter(self.worker, dead, reasons)
            self.observer.sent(name, "dead", len(dead), result.seconds)
        if retries or dead:
            level = logging.ERROR if dead else logging.WARNING
            if log.isEnabledFor(level):
                log.log(level, "delivery.failed", extra={
                    "destination": name, "count": len(retries) + len(dead), "status": result.status,
                    "duration_ms": round(result.seconds * 1000, 1), "error": result.error,
                    "retried": len(retries), "dead": len(dead), "ids": _ids(retries + dead),
                    **({"retry_in_s": round(retry_at[0] - now, 1)} if retry_at else {}),
                    # Why it is a dead letter, without the error it repeats.
                    **({"reason": reasons[0].removeprefix(f"{result.error}: ")} if reasons else {}),
                })

    async def _settle_unsendable(self, items: list[tuple[Delivery, str]]) -> None:
        # One bad row must not hold up (or, packed in a batch, sink) the others: it becomes a
        # dead letter saying why, for `runner deliveries show`.
        now = time.time()
        attempts = [Attempt(d.id, d.attempts + 1, now, 0.0, "dead", None, why) for d, why in items]
        for d, why in items:
            log.error("delivery.unsendable", extra={"delivery": d.id, "destination": d.destination, "error": why})
        await self.store.dead_letter(self.worker, attempts, [why for _, why in items])

    async def _settle_orphans(self, orphans: list[Delivery]) -> None:
        # Their destination left the config since they were queued: they stay pending and are
        # reported, so fixing the config and restarting delivers them.
        for d in orphans:
            log.error("delivery.unknown_destination", extra={"delivery": d.id, "destination": d.destination})
        await self.store.postpone(self.worker, [d.id for d in orphans], time.time() + self.lease_s)


def _ids(attempts: list[Attempt]) -> list[int]:
    """The delivery ids of a log line: the first `LOGGED_IDS` (the line's `count` has them all)."""
    return [a.delivery_id for a in attempts[:LOGGED_IDS]]
