"""Prometheus metrics for `runner serve` (`GET /metrics`), on a registry of their own.

Counters: webhooks received / accepted / rejected (by reason), transform outcomes and errors,
deliveries delivered / retried / dead-lettered, finished deliveries pruned past retention (by
status), reloads (by result). Gauges: queue depth by status and the age of the oldest pending
delivery (read from the store at scrape time), requests in flight and Retry-After pauses per
destination (read from the dispatcher at scrape time), whether the last reload took.
Histograms: acceptance, transform and delivery-request latencies, and accepted → delivered.

Under `runner serve --workers N` every process writes its values to files in the folder named
by $PROMETHEUS_MULTIPROC_DIR (prometheus-client's multiprocess mode, set by the supervisor
before the processes start) and `/metrics`, whichever process answers it, sums them: counters
and histograms add up; the queue gauges are the latest reading; the destination gauges are
the dispatcher's; the reload gauge is 0 if any live process failed its last reload.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector

from runner import pids
from runner.delivery.store import STATUSES, Purged

# Buckets sized for a local server: sub-millisecond to a few seconds.
LATENCY_BUCKETS_S = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# Accepted → delivered: tens of milliseconds when all is well (the dispatcher lingers up to
# 50 ms to batch), minutes to hours when retries back off or a destination is down.
END_TO_END_BUCKETS_S = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0, 21600.0)

CONTENT_TYPE = CONTENT_TYPE_LATEST
MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"  # prometheus-client reads it when first imported
_FOLDER_PREFIX = "runner-metrics-"


def multiprocess_folder() -> Path:
    """A new folder for the metric files of one `serve --workers` (named after this process),
    after removing those a killed server left (their process is gone)."""
    root = Path(tempfile.gettempdir())
    for stale in root.glob(f"{_FOLDER_PREFIX}*-*"):
        pid = stale.name[len(_FOLDER_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not pids.alive(pid):  # another user's counts as alive: not ours
            shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{_FOLDER_PREFIX}{os.getpid()}-"))


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
        self.pruned_total = Counter("runner_queue_pruned", "Finished deliveries removed past their retention (delivery.retention)", ["status"], registry=r)
        # Gauges read at scrape time by whichever process answers: its reading is the latest.
        self.queue_depth = Gauge("runner_queue_deliveries", "Deliveries in the queue by status", ["status"], registry=r,
                                 multiprocess_mode="mostrecent")
        self.accept_seconds = Histogram("runner_accept_seconds", "Time from request body read to durable commit", ["endpoint"], buckets=LATENCY_BUCKETS_S, registry=r)
        self.transform_seconds = Histogram("runner_transform_seconds", "Time of one transform run (including the engine pool)", ["endpoint", "transform"], buckets=LATENCY_BUCKETS_S, registry=r)
        self.delivery_seconds = Histogram("runner_delivery_request_seconds", "Time of one HTTP request to a destination", ["destination"], buckets=LATENCY_BUCKETS_S, registry=r)
        self.delivery_latency = Histogram("runner_delivery_latency_seconds", "Time from a webhook's acceptance (its delivery's created_at) to its destination's ack", ["destination"], buckets=END_TO_END_BUCKETS_S, registry=r)
        self.oldest_pending = Gauge("runner_queue_oldest_pending_age_seconds", "Age of the oldest pending delivery (0 when none is pending)", registry=r,
                                    multiprocess_mode="mostrecent")
        # Set by the one process that delivers.
        self.in_flight = Gauge("runner_destination_in_flight", "HTTP requests in flight to a destination", ["destination"], registry=r,
                               multiprocess_mode="livemostrecent")
        self.paused = Gauge("runner_destination_paused", "1 while a 429 Retry-After pauses a destination", ["destination"], registry=r,
                            multiprocess_mode="livemostrecent")
        self.reloads = Counter("runner_config_reloads", "Reloads of config and transforms (SIGHUP, --watch) by result", ["result"], registry=r)
        self.reload_ok = Gauge("runner_config_last_reload_successful", "0 after a reload that failed (the previous config is still served), else 1", registry=r,
                               multiprocess_mode="livemin")
        self.reload_ok.set(1)

    def transformed(self, endpoint: str, transform: str, status: str, seconds: float) -> None:
        self.transforms.labels(endpoint, transform, status).inc()
        if status == "error":
            self.transform_errors.labels(endpoint, transform).inc()
        self.transform_seconds.labels(endpoint, transform).observe(seconds)

    def sent(self, destination: str, outcome: str, count: int, seconds: float) -> None:
        counter = {"delivered": self.delivered, "retried": self.retried, "dead": self.dead}[outcome]
        counter.labels(destination).inc(count)
        self.delivery_seconds.labels(destination).observe(seconds)

    def acknowledged(self, destination: str, ages_s: Sequence[float]) -> None:
        histogram = self.delivery_latency.labels(destination)
        for age in ages_s:
            histogram.observe(max(age, 0.0))  # clocks of two instances may disagree a little

    def pruned(self, purged: Purged) -> None:
        """A `retention.Pruner` pass removed these."""
        for status, n in purged.deliveries.items():
            self.pruned_total.labels(status).inc(n)

    def set_queue(self, counts: dict[str, int], oldest_pending_age_s: float | None = None) -> None:
        """The queue's depth by status and the age of its oldest pending delivery (None: none)."""
        for status in STATUSES:
            self.queue_depth.labels(status).set(counts.get(status, 0))
        self.oldest_pending.set(max(oldest_pending_age_s or 0.0, 0.0))

    def set_destinations(self, states: Mapping[str, tuple[int, bool]]) -> None:
        """Per destination: (requests in flight, paused by a Retry-After)."""
        for name, (in_flight, paused) in states.items():
            self.in_flight.labels(name).set(in_flight)
            self.paused.labels(name).set(1 if paused else 0)

    def render(self) -> bytes:
        """The exposition text: this process's metrics, or every process's in multiprocess mode."""
        folder = os.environ.get(MULTIPROCESS_ENV)
        if not folder:
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=folder)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
