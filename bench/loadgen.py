"""A light load generator for `runner serve`: pre-signed requests over keep-alive sockets.

Requests are built and signed before the clock starts (signing is the sender's cost, not the
server's), then written raw on `connections` persistent HTTP/1.1 connections, one request in
flight per connection (closed loop), optionally paced to a target rate (open loop). Raw
asyncio streams keep the generator's own CPU cost far below an HTTP client library's, which
matters when it shares 2 cores with the server it measures.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    sent: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    latencies_s: list[float] = field(default_factory=list)
    elapsed_s: float = 0.0
    acked_ids: list[str] = field(default_factory=list)

    @property
    def ok(self) -> int:
        return self.statuses.get(200, 0)

    def rate(self) -> float:
        return self.ok / self.elapsed_s if self.elapsed_s else 0.0

    def percentile_ms(self, p: float) -> float:
        if not self.latencies_s:
            return float("nan")
        ordered = sorted(self.latencies_s)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index] * 1000


def raw_request(host: str, port: int, path: str, body: bytes, headers: dict[str, str]) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"host: {host}:{port}", f"content-length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    if length:
        await reader.readexactly(length)
    return status


async def run(host: str, port: int, requests: list[tuple[str, bytes]], *, connections: int = 32,
              rate: float | None = None) -> LoadResult:
    """Send every (webhook-id, raw request) once; returns statuses, latencies, acked ids."""
    result = LoadResult()
    queue: asyncio.Queue[tuple[int, str, bytes]] = asyncio.Queue()
    for index, (msg_id, raw) in enumerate(requests):
        queue.put_nowait((index, msg_id, raw))
    started = time.perf_counter()

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while True:
                try:
                    index, msg_id, raw = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                if rate:
                    # Open loop: request i is due at i / rate, whatever the server's speed.
                    delay = started + index / rate - time.perf_counter()
                    if delay > 0:
                        await asyncio.sleep(delay)
                t0 = time.perf_counter()
                try:
                    writer.write(raw)
                    status = await _read_response(reader)
                except (OSError, asyncio.IncompleteReadError):
                    result.errors += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
                    continue
                result.latencies_s.append(time.perf_counter() - t0)
                result.sent += 1
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status == 200:
                    result.acked_ids.append(msg_id)
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    result.elapsed_s = time.perf_counter() - started
    return result
