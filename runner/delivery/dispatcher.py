"""The delivery worker: claim due deliveries → send → ack, retry later, or dead-letter.

Segment deliveries for the same destination and base URL are packed into `/v1/batch` requests
(byte- and count-aware, see `segment.pack`); a lone event goes to its own `/v1/{type}`. Each
send attempt sets `sentAt`. Other destinations get one request per delivery. Up to
`concurrency` requests are in flight; while they are, new acceptances pile up and the next
claim picks them up together, so batches grow with load by themselves. After a claim that
emptied the queue while requests are in flight, the next claim waits `linger_s`: under a steady
stream of webhooks the events go in a few large requests instead of many small ones (each
request and each claim costs the server's one event loop far more than an event in a batch).

A 429 with `Retry-After` pauses the whole destination until then: its other pending
deliveries are not tried (and not charged an attempt) before that moment.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import socket
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import httpx

from runner import segment
from runner.delivery.retry import Dead, Delivered, Retry, RetryPolicy
from runner.delivery.routes import Router
from runner.delivery.store import Attempt, Delivery, Store, StoreError

log = logging.getLogger("runner.delivery")

DEFAULT_CONCURRENCY = 8
DEFAULT_CLAIM_LIMIT = 5000
DEFAULT_LEASE_S = 120.0
DEFAULT_IDLE_POLL_S = 1.0
DEFAULT_TIMEOUT_S = 10.0
DEFAULT_LINGER_S = 0.05  # wait after a partial claim while sending; delays a busy stream ≤ 50 ms
MAX_CONNECTIONS = 32  # httpx pool size, across destinations


class Observer(Protocol):
    """What the dispatcher reports (metrics); every method is optional to act on."""

    def sent(self, destination: str, outcome: str, count: int, seconds: float) -> None: ...


class _NullObserver:
    def sent(self, destination: str, outcome: str, count: int, seconds: float) -> None:
        pass


@dataclass(frozen=True)
class _Request:
    """One HTTP request carrying one or more deliveries."""

    destination: str
    deliveries: tuple[Delivery, ...]
    method: str
    url: str
    headers: dict[str, str]
    body: bytes
    segment_api: bool


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
        router: Router,
        *,
        environ: Mapping[str, str],
        client: httpx.AsyncClient | None = None,
        policy: RetryPolicy | None = None,
        observer: Observer | None = None,
        worker: str | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        claim_limit: int = DEFAULT_CLAIM_LIMIT,
        lease_s: float = DEFAULT_LEASE_S,
        idle_poll_s: float = DEFAULT_IDLE_POLL_S,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        linger_s: float = DEFAULT_LINGER_S,
    ) -> None:
        self.store = store
        self.router = router
        self.environ = environ
        self.policy = policy or RetryPolicy()
        self.observer: Observer = observer or _NullObserver()
        self.worker = worker or worker_name()
        self.concurrency = concurrency
        self.claim_limit = claim_limit
        self.lease_s = lease_s
        self.idle_poll_s = idle_poll_s
        self.linger_s = linger_s
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
            if self._own_client:
                await self.client.aclose()

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
        for request in self._requests(claimed):
            await self._slots.acquire()
            task = asyncio.create_task(self._send_and_settle(request))
            self._inflight.add(task)
            task.add_done_callback(self._inflight.discard)
        return len(claimed)

    # --- building requests -------------------------------------------------------------

    def _requests(self, claimed: Sequence[Delivery]) -> list[_Request]:
        groups: dict[tuple[str, str], list[Delivery]] = defaultdict(list)
        out: list[_Request] = []
        for d in claimed:
            dest = self.router.get(d.destination or "")
            if dest is None:
                out.append(self._orphan(d))
            elif dest.type == "segment":
                groups[(dest.name, self.router.segment_base(dest, d.url or ""))].append(d)
            else:
                headers = self.router.headers(dest, self.environ, d.headers)
                out.append(_Request(dest.name, (d,), d.method or "POST", d.url or "", headers, (d.body or "").encode(), False))
        stamp = segment.sent_at()
        for (name, base), items in groups.items():
            dest = self.router.get(name)
            assert dest is not None
            headers = self.router.headers(dest, self.environ)
            singles = [d for d in items if d.kind == segment.BATCH]
            packable = [d for d in items if d.kind != segment.BATCH]
            for d in singles:
                out.append(_Request(name, (d,), "POST", f"{base.rstrip('/')}/v1/batch", headers,
                                    _with_batch_sent_at(d.body or "{}", stamp), True))
            if len(packable) == 1:
                d = packable[0]
                url = f"{base.rstrip('/')}/v1/{d.kind}"
                out.append(_Request(name, (d,), "POST", url, headers, segment.with_sent_at((d.body or "{}").encode(), stamp), True))
            elif packable:
                by_id = {d.id: d for d in packable}
                for batch in segment.pack([(d.id, (d.body or "{}").encode()) for d in packable], sent_at_value=stamp):
                    out.append(_Request(name, tuple(by_id[i] for i in batch.ids), "POST",
                                        f"{base.rstrip('/')}/v1/batch", headers, batch.body, True))
        return out

    def _orphan(self, d: Delivery) -> _Request:
        # Its destination left the config since it was queued: it stays pending and is
        # reported, so fixing the config and restarting delivers it.
        return _Request(d.destination or "", (d,), "", "", {}, b"", False)

    # --- sending and settling ----------------------------------------------------------

    async def _send_and_settle(self, request: _Request) -> None:
        try:
            if not request.url:
                await self._settle_orphan(request)
                return
            started = time.time()
            result = await self._send(request)
            await self._settle(request, result, started)
        except Exception:  # a bug here must not kill the worker; the lease will expire
            log.exception("delivery.settle_failed", extra={"destination": request.destination})
        finally:
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
        error = None if response.is_success else f"HTTP {response.status_code}: {response.text[:200]}"
        return _Result(response.status_code, error, retry_after, time.perf_counter() - t0)

    async def _settle(self, request: _Request, result: _Result, started: float) -> None:
        acks: list[Attempt] = []
        retries: list[Attempt] = []
        retry_at: list[float] = []
        retry_err: list[str] = []
        dead: list[Attempt] = []
        reasons: list[str] = []
        now = time.time()
        if result.status == 429 and result.retry_after_s:
            self._paused[request.destination] = now + min(result.retry_after_s, self.policy.max_retry_after_s)
        for d in request.deliveries:
            number = d.attempts + 1
            decision = self.policy.decide(attempt=number, status=result.status, error=result.error,
                                          retry_after_s=result.retry_after_s, segment_api=request.segment_api)
            outcome = {Delivered: "delivered", Retry: "retry", Dead: "dead"}[type(decision)]
            attempt = Attempt(d.id, number, started, result.seconds * 1000, outcome, result.status, result.error)
            if isinstance(decision, Delivered):
                acks.append(attempt)
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
            self.observer.sent(request.destination, "delivered", len(acks), result.seconds)
        if retries:
            await self.store.retry_later(self.worker, retries, retry_at, retry_err)
            self.observer.sent(request.destination, "retried", len(retries), result.seconds)
        if dead:
            await self.store.dead_letter(self.worker, dead, reasons)
            self.observer.sent(request.destination, "dead", len(dead), result.seconds)
        if retries or dead:
            log.warning("delivery.failed", extra={
                "destination": request.destination, "count": len(request.deliveries),
                "status": result.status, "error": result.error, "dead": len(dead),
            })

    async def _settle_orphan(self, request: _Request) -> None:
        d = request.deliveries[0]
        log.error("delivery.unknown_destination", extra={"delivery": d.id, "destination": d.destination})
        await self.store.postpone(self.worker, [d.id], time.time() + self.lease_s)


def _with_batch_sent_at(body: str, stamp: str) -> bytes:
    data = json.loads(body)
    data["sentAt"] = stamp
    return segment.dumps(data)
