"""Prometheus metrics for `runner serve` (`GET /metrics`), on a registry of their own.

Counters: webhooks received / accepted / rejected (by reason), transform outcomes and errors,
deliveries delivered / retried / dead-lettered. Gauges: queue depth by status (read from the
store at scrape time). Histograms: acceptance, transform and delivery latencies.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from runner.delivery.store import STATUSES

# Buckets sized for a local server: sub-millisecond to a few seconds.
LATENCY_BUCKETS_S = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    """All of the server's metrics; a `runner.observe.Observer` of the whole serve path."""

    def __init__(self) -> None:
        disable_created_metrics()  # type: ignore[no-untyped-call] # `_created` series double the output and nobody graphs them
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.received = Counter("runner_webhooks_received", "Webhook requests received", ["endpoint"], registry=r)
        self.accepted = Counter("runner_webhooks_accepted", "Webhooks durably queued (or acknowledged duplicates)", ["endpoint", "result"], registry=r)
        self.rejected = Counter("runner_webhooks_rejected", "Webhook requests refused", ["endpoint", "reason"], registry=r)
        self.transforms = Counter("runner_transform_outcomes", "Transform runs by outcome", ["endpoint", "transform", "status"], registry=r)
        self.transform_errors = Counter("runner_transform_errors", "Transform runs that failed", ["endpoint", "transform"], registry=r)
        self.delivered = Counter("runner_deliveries_delivered", "Deliveries accepted by their destination", ["destination"], registry=r)
        self.retried = Counter("runner_deliveries_retried", "Delivery attempts that will be retried", ["destination"], registry=r)
        self.dead = Counter("runner_deliveries_dead_lettered", "Deliveries that became dead letters while sending", ["destination"], registry=r)
        self.queue_depth = Gauge("runner_queue_deliveries", "Deliveries in the queue by status", ["status"], registry=r)
        self.accept_seconds = Histogram("runner_accept_seconds", "Time from request body read to durable commit", ["endpoint"], buckets=LATENCY_BUCKETS_S, registry=r)
        self.transform_seconds = Histogram("runner_transform_seconds", "Time of one transform run (including the engine pool)", ["endpoint", "transform"], buckets=LATENCY_BUCKETS_S, registry=r)
        self.delivery_seconds = Histogram("runner_delivery_request_seconds", "Time of one HTTP request to a destination", ["destination"], buckets=LATENCY_BUCKETS_S, registry=r)

    def transformed(self, endpoint: str, transform: str, status: str, seconds: float) -> None:
        self.transforms.labels(endpoint, transform, status).inc()
        if status == "error":
            self.transform_errors.labels(endpoint, transform).inc()
        self.transform_seconds.labels(endpoint, transform).observe(seconds)

    def sent(self, destination: str, outcome: str, count: int, seconds: float) -> None:
        counter = {"delivered": self.delivered, "retried": self.retried, "dead": self.dead}[outcome]
        counter.labels(destination).inc(count)
        self.delivery_seconds.labels(destination).observe(seconds)

    def set_queue(self, counts: dict[str, int]) -> None:
        for status in STATUSES:
            self.queue_depth.labels(status).set(counts.get(status, 0))

    def render(self) -> bytes:
        return generate_latest(self.registry)
