"""A real HTTP server standing in for Segment's tracking API, for tests and benchmarks.

    with SegmentStandin() as segment:                 # listens on 127.0.0.1, a free port
        segment.url                                   # http://127.0.0.1:PORT, use as --segment-url
        segment.fail(3, status=500)                   # the next 3 requests get 500
        segment.fail(1, status=429, retry_after=1)    # then one 429 with Retry-After: 1
        segment.fail(1, delay_s=5)                    # one slow response (a client timeout)
        segment.fail(1, drop=True)                    # one dropped connection, no response
        segment.wait_for_events(10, timeout=10)
        segment.events()                              # every event received (batch items flattened)
        segment.message_ids()                         # Counter of messageIds: dedupe checks

Like Segment it answers 200 `{"success": true}` to any JSON body under the size limits and
400 to invalid JSON or oversize bodies; it records every request it answered, including the
ones it failed on command (`Recorded.answered` says what it answered).
"""

from __future__ import annotations

import base64
import collections
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

MAX_BATCH_BYTES = 500 * 1024
MAX_SINGLE_BYTES = 32 * 1024


@dataclass(frozen=True)
class Fault:
    status: int = 500
    retry_after: float | None = None
    delay_s: float = 0.0
    drop: bool = False


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int | None  # HTTP status sent, None for a dropped connection
    at: float = field(default_factory=time.time)

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def write_key(self) -> str | None:
        auth = self.headers.get("authorization", "")
        if not auth.startswith("Basic "):
            return None
        return base64.b64decode(auth[6:]).decode().rstrip(":")

    def events(self) -> list[dict[str, Any]]:
        data = self.json()
        if self.path.endswith("/batch"):
            return list(data.get("batch", []))
        return [dict(data, type=data.get("type") or self.path.rsplit("/", 1)[-1])]


class SegmentStandin:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._faults: collections.deque[Fault] = collections.deque()
        self.requests: list[Recorded] = []
        self._ids: collections.Counter[str] = collections.Counter()  # messageIds of accepted events
        self._n_events = 0
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as Segment's own servers

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                # Counters for a stand-in running in another process (benchmarks).
                if self.path != "/_stats":
                    self.send_error(404)
                    return
                data = json.dumps(standin.stats()).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                fault = standin._next_fault()
                if fault is not None and fault.delay_s:
                    time.sleep(fault.delay_s)
                if fault is not None and fault.drop:
                    standin._record(Recorded(self.path, headers, body, None))
                    self.close_connection = True
                    try:
                        self.connection.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    return
                if fault is not None:
                    status, reply = fault.status, {"error": "injected"}
                else:
                    status, reply = standin._judge(self.path, body)
                # Recorded before answering: like Segment, it has ingested the events even if
                # the client gave up waiting (a timeout) and never reads the answer.
                standin._record(Recorded(self.path, headers, body, status))
                data = json.dumps(reply).encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    if fault is not None and fault.retry_after is not None:
                        self.send_header("retry-after", str(int(fault.retry_after)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            do_PUT = do_PATCH = do_POST  # other destinations may be sent PUT or PATCH

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 256

        self._server = Server((host, port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="segment-standin", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        assert isinstance(host, str)
        return f"http://{host}:{port}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- fault injection ---------------------------------------------------------------

    def fail(self, count: int = 1, *, status: int = 500, retry_after: float | None = None,
             delay_s: float = 0.0, drop: bool = False) -> None:
        """Make the next `count` requests fail this way (queued after earlier faults)."""
        with self._lock:
            self._faults.extend([Fault(status, retry_after, delay_s, drop)] * count)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _next_fault(self) -> Fault | None:
        with self._lock:
            return self._faults.popleft() if self._faults else None

    @staticmethod
    def _judge(path: str, body: bytes) -> tuple[int, dict[str, Any]]:
        limit = MAX_BATCH_BYTES if path.endswith("/batch") else MAX_SINGLE_BYTES
        if len(body) > limit:
            return 400, {"error": "body too large"}
        try:
            json.loads(body)
        except ValueError:
            return 400, {"error": "invalid JSON"}
        return 200, {"success": True}

    # --- what was received -------------------------------------------------------------

    def _record(self, rec: Recorded) -> None:
        events = rec.events() if rec.answered == 200 else []
        with self._cond:
            self.requests.append(rec)
            self._n_events += len(events)
            self._ids.update(str(e.get("messageId")) for e in events)
            self._cond.notify_all()

    def accepted(self) -> list[Recorded]:
        """Requests answered 200 (what Segment would have ingested)."""
        with self._lock:
            return [r for r in self.requests if r.answered == 200]

    def events(self) -> list[dict[str, Any]]:
        """Every event of every request answered 200, batch items flattened."""
        return [e for r in self.accepted() for e in r.events()]

    def stats(self) -> dict[str, int]:
        """Requests received, events accepted, unique messageIds, duplicates among them."""
        with self._lock:
            return {"requests": len(self.requests), "events": self._n_events, "unique": len(self._ids),
                    "duplicates": self._n_events - len(self._ids)}

    def message_ids(self) -> collections.Counter[str]:
        with self._lock:
            return collections.Counter(self._ids)

    def wait_for_events(self, count: int, *, timeout: float = 10.0, unique: bool = True) -> int:
        """Wait until `count` (unique messageIds, if `unique`) events were accepted; returns the count."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                have = len(self._ids) if unique else self._n_events
                left = deadline - time.monotonic()
                if have >= count or left <= 0:
                    return have
                self._cond.wait(min(left, 0.5))

    def wait_for_requests(self, count: int, *, timeout: float = 10.0) -> int:
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.requests) < count and time.monotonic() < deadline:
                self._cond.wait(min(deadline - time.monotonic(), 0.5))
            return len(self.requests)


def main() -> None:
    """`python -m harness.segment_standin --port P`: serve until killed."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    standin = SegmentStandin(port=args.port).start()
    print(standin.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        standin.stop()


if __name__ == "__main__":
    main()
