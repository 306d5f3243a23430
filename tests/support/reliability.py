"""Shared by the reliability suites (tests/test_hostile_*.py, test_faults.py, test_soak.py):
process-tree memory, queue counts, polling, and the acknowledged-vs-delivered ledger.

    ledger = Ledger(secret, transforms=("segment-track-payments", "segment-identify-customers"))
    ledger.post(client, srv.url, n)          # signs event n; remembers its webhook-id if answered 200
    ledger.expected_message_ids()            # what Segment must end up with, after messageId dedupe
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import httpx

from runner import segment
from tests.support.serve import payment_event, signed

T = TypeVar("T")
MiB = 1024 * 1024


def _children(pid: int) -> list[int]:
    out: list[int] = []
    task_dir = Path(f"/proc/{pid}/task")
    try:
        tasks = list(task_dir.iterdir())
    except OSError:
        return out
    for task in tasks:
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants (the server, its engine workers, their helpers)."""
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        if p not in seen:
            seen.append(p)
            todo += _children(p)
    return seen


def _status_kib(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_bytes(pid: int) -> int:
    """Resident memory of `pid` and its descendants, in bytes."""
    return sum(_status_kib(p, "VmRSS") for p in process_tree(pid)) * 1024


def queue_counts(url: str) -> dict[str, int]:
    return dict(httpx.get(url + "/healthz", timeout=30).json()["queue"])


def eventually(probe: Callable[[], T], timeout: float, interval: float = 0.05) -> T:
    """`probe()`'s first truthy value, polling for up to `timeout` seconds (else its last)."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


class Ledger:
    """Signed payment events by number, and which of them the server acknowledged (200)."""

    def __init__(self, secret: str, *, transforms: Iterable[str], endpoint: str = "default",
                 prefix: str = "msg") -> None:
        self.secret = secret
        self.transforms = tuple(transforms)
        self.endpoint = endpoint
        self.prefix = prefix
        self.acked: set[str] = set()
        self.answers: dict[int, int] = {}  # HTTP status -> count (0: no answer)

    def webhook_id(self, n: int) -> str:
        return f"{self.prefix}_{n:07d}"

    def request(self, n: int) -> tuple[bytes, dict[str, str]]:
        return signed(self.secret, payment_event(n), msg_id=self.webhook_id(n))

    def post(self, client: httpx.Client, base: str, n: int, *, path: str = "/webhooks") -> int:
        """Send event `n`; returns the HTTP status (0 when no answer came: the provider retries)."""
        body, headers = self.request(n)
        try:
            status = client.post(base + path, content=body, headers=headers).status_code
        except httpx.HTTPError:
            status = 0
        self.answers[status] = self.answers.get(status, 0) + 1
        if status == 200:
            self.acked.add(headers["webhook-id"])
        return status

    def expected_message_ids(self) -> set[str]:
        """The Segment messageIds the acknowledged events must produce, each exactly once."""
        return {segment.message_id(self.endpoint, w, t) for w in self.acked for t in self.transforms}


def wait_pid_gone(pid: int, timeout: float = 10.0) -> bool:
    """True once process `pid` has exited (a SIGKILLed server's engine workers exit on EOF)."""
    def gone() -> bool:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return True
        return state in ("Z", "X")  # a zombie runs nothing: it only waits to be reaped

    return eventually(gone, timeout)
