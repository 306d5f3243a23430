"""Soak: signed webhooks at the benchmark rate (2,000/s, bench/serve_bench.py's open-loop rate)
into `runner serve` with two transforms, while the Segment stand-in fails 10% of requests with a
500. Nothing may be lost (every acknowledged event's deliveries arrive), no messageId may arrive
twice, and the server's memory (server process and engine workers) must stay bounded.

    pytest -m soak tests/test_soak.py      # 200,000 events (~2 minutes of load, then the drain)
    pytest tests/test_soak.py              # the short version in the default run: 6,000 events

RUNNER_SOAK_EVENTS and RUNNER_SOAK_RATE override the long run's size and rate.
"""

from __future__ import annotations

import asyncio
import os
import random
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from runner import segment
from tests.support.reliability import MiB, eventually, queue_counts, rss_bytes
from tests.support.segment_standin import Fault, SegmentStandin
from tests.support.serve import TRANSFORMS, ServeProcess, new_secret, payment_event, signed

RATE = 2000.0  # events/s: bench/serve_bench.py's open-loop rate
FAIL_RATIO = 0.10
TRANSFORM_NAMES = ("payments", "identify")


class FlakySegment(SegmentStandin):
    """The stand-in, answering 500 to a random 10% of requests (and ingesting nothing of them)."""

    def __init__(self, ratio: float, seed: int = 7) -> None:
        super().__init__()
        self.ratio = ratio
        self._rng = random.Random(seed)
        self.failed = 0

    def _next_fault(self) -> Fault | None:
        fault = super()._next_fault()
        if fault is not None:
            return fault
        with self._lock:
            if self._rng.random() < self.ratio:
                self.failed += 1
                return Fault(status=500)
        return None


@dataclass
class Load:
    secret: str
    port: int
    total: int
    rate: float
    acked: set[str] = field(default_factory=set)
    statuses: dict[int, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    elapsed_s: float = 0.0

    def webhook_id(self, n: int) -> str:
        return f"soak_{n:08d}"

    def raw(self, n: int) -> bytes:
        body, headers = signed(self.secret, payment_event(n), msg_id=self.webhook_id(n))
        head = ["POST /webhooks HTTP/1.1", f"host: 127.0.0.1:{self.port}", f"content-length: {len(body)}"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        return ("\r\n".join(head) + "\r\n\r\n").encode() + body


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, data: bytes) -> int:
    writer.write(data)
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return int(head.split(b" ", 2)[1])


async def send_open_loop(load: Load, numbers: list[int], *, connections: int = 64, paced: bool = True) -> None:
    """Send each event once over keep-alive connections; event i is due at i / rate (open loop:
    the schedule does not wait for the server). Unanswered events are left for the retry pass."""
    queue: asyncio.Queue[tuple[int, int]] = asyncio.Queue()
    for index, n in enumerate(numbers):
        queue.put_nowait((index, n))
    started = time.perf_counter()

    async def connection() -> None:
        reader = writer = None
        while True:
            try:
                index, n = queue.get_nowait()
            except asyncio.QueueEmpty:
                break
            if paced:
                delay = started + index / load.rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
            data = load.raw(n)
            t0 = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", load.port)
                assert reader is not None
                status = await asyncio.wait_for(_exchange(reader, writer, data), 60)
            except (TimeoutError, OSError, asyncio.IncompleteReadError):
                status = 0
                if writer is not None:
                    writer.close()
                reader = writer = None
            load.statuses[status] = load.statuses.get(status, 0) + 1
            if status == 200:
                load.acked.add(load.webhook_id(n))
                load.latencies.append(time.perf_counter() - t0)
        if writer is not None:
            writer.close()

    await asyncio.gather(*(connection() for _ in range(connections)))
    load.elapsed_s = time.perf_counter() - started


class MemorySampler(threading.Thread):
    """Samples the server's resident memory (with its engine workers) every `interval` seconds."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.samples: list[tuple[float, int]] = []
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            self.samples.append((time.monotonic(), rss_bytes(self.pid)))
            self._halt.wait(self.interval)

    def stop(self) -> list[tuple[float, int]]:
        self._halt.set()
        self.join()
        return self.samples


def run_soak(tmp_path: Path, total: int, rate: float) -> dict[str, object]:
    secret = new_secret()
    with FlakySegment(FAIL_RATIO) as standin:
        config = tmp_path / "runner.yaml"
        config.write_text(
            # The default backoff, but a 1/10 of it: a 500 is retried after ~0.1 s, not ~1 s.
            "delivery: {initial_backoff_s: 0.1, max_backoff_s: 5, max_attempts: 1000}\n"
            f"destinations:\n  segment: {{type: segment, write_key_env: SEGMENT_WRITE_KEY, base_url: '{standin.url}'}}\n"
            "endpoints:\n  default:\n    transforms:\n"
            f"      payments: {{file: {TRANSFORMS / 'segment-track-payments.js'}}}\n"
            f"      identify: {{file: {TRANSFORMS / 'segment-identify-customers.js'}}}\n")
        with ServeProcess(["--config", str(config)], env={"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": "wk_soak"},
                          data_dir=tmp_path / "data") as srv:
            assert srv.proc is not None
            load = Load(secret, srv.port, total, rate)
            # Warm-up (not counted in the memory baseline): code paths, allocators, SQLite cache.
            asyncio.run(send_open_loop(load, list(range(total, total + 500)), paced=False))
            baseline = rss_bytes(srv.proc.pid)
            load.statuses.clear()
            load.latencies.clear()
            sampler = MemorySampler(srv.proc.pid)
            sampler.start()
            asyncio.run(send_open_loop(load, list(range(total))))
            main_pass = dict(load.statuses)
            achieved = sum(1 for w in load.acked if int(w[5:]) < total) / load.elapsed_s
            # The provider retries what was not acknowledged (a timeout, a 503), until it is.
            for _ in range(20):
                missing = [n for n in range(total) if load.webhook_id(n) not in load.acked]
                if not missing:
                    break
                asyncio.run(send_open_loop(load, missing, paced=False))
            want = {segment.message_id("default", w, t) for w in load.acked for t in TRANSFORM_NAMES}
            drain_started = time.monotonic()
            standin.wait_for_events(len(want), timeout=600)

            def settled() -> dict[str, int] | None:
                counts = queue_counts(srv.url)
                return counts if set(counts) == {"delivered"} else None

            counts = eventually(settled, timeout=120, interval=0.5) or queue_counts(srv.url)
            drain_s = time.monotonic() - drain_started
            samples = sampler.stop()
        got = standin.message_ids()
        wire = standin.stats()
        failed = standin.failed
    latencies = sorted(load.latencies)
    peak = max(rss for _, rss in samples)
    half = samples[len(samples) // 2:]
    return {
        "events": total, "acked": len([w for w in load.acked if int(w[5:]) < total]), "deliveries": len(want),
        "want": want, "got": got, "counts": counts, "wire": wire, "failed_requests": failed,
        "main_pass": main_pass, "rate": achieved, "p50_ms": latencies[len(latencies) // 2] * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000, "baseline": baseline, "peak": peak,
        "second_half_growth": max(r for _, r in half) - half[0][1], "drain_s": drain_s,
    }


def check(result: dict[str, object], total: int) -> None:
    want, got, counts, wire = result["want"], result["got"], result["counts"], result["wire"]
    assert isinstance(want, set) and isinstance(got, dict) and isinstance(wire, dict)
    assert result["acked"] == total, result["main_pass"]
    assert not want - set(got), f"{len(want - set(got))} acknowledged deliveries lost"
    assert not set(got) - want, "deliveries arrived that were never acknowledged"
    assert wire["duplicates"] == 0, f"{wire['duplicates']} messageIds arrived twice"
    assert counts == {"delivered": len(want)}, counts
    assert result["failed_requests"] > 0  # the 10% failures happened
    baseline, peak = int(result["baseline"]), int(result["peak"])  # type: ignore[call-overload]
    assert peak - baseline < 256 * MiB, f"memory grew from {baseline / MiB:.0f} to {peak / MiB:.0f} MiB"
    print(f"\nsoak: {total} events at {result['rate']:.0f}/s (target {RATE:.0f}/s), p50 {result['p50_ms']:.1f} ms, "
          f"p99 {result['p99_ms']:.1f} ms; first pass {result['main_pass']}; {result['acked']} acked -> "
          f"{len(want)} deliveries, {wire['unique']} delivered, {wire['duplicates']} duplicate messageIds; "
          f"{result['failed_requests']} of {wire['requests']} stand-in requests failed; drain {result['drain_s']:.1f} s; "
          f"RSS {baseline / MiB:.0f} MiB -> peak {peak / MiB:.0f} MiB, "
          f"second-half growth {int(result['second_half_growth']) / MiB:.0f} MiB")  # type: ignore[call-overload]


def test_soak_short(tmp_path: Path) -> None:
    check(run_soak(tmp_path, 6_000, RATE), 6_000)


@pytest.mark.soak
def test_soak_200k(tmp_path: Path) -> None:
    total = int(os.environ.get("RUNNER_SOAK_EVENTS", "200000"))
    rate = float(os.environ.get("RUNNER_SOAK_RATE", str(RATE)))
    result = run_soak(tmp_path, total, rate)
    check(result, total)
    # Bounded, not merely below a ceiling: over the second half of the run it stops growing.
    assert int(result["second_half_growth"]) < 64 * MiB, result["second_half_growth"]  # type: ignore[call-overload]
