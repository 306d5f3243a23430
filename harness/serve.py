"""Helpers to drive `runner serve` for real: signed requests, sample events, and the server
as a subprocess on a free port (startable, SIGTERM-able, SIGKILL-able, restartable).

    secret = new_secret()
    with ServeProcess(["transforms/segment-track-payments.js", "--segment-url", standin.url],
                      env={"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": "wk"}, data_dir=tmp) as srv:
        body, headers = signed(secret, payment_event(1))
        httpx.post(srv.url + "/webhooks", content=body, headers=headers)
"""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

import httpx
from standardwebhooks.webhooks import Webhook

ROOT = Path(__file__).resolve().parents[1]
TRANSFORMS = ROOT / "transforms"
START_TIMEOUT_S = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def new_secret() -> str:
    return "whsec_" + base64.b64encode(os.urandom(24)).decode()


def signed(secret: str | list[str], body: Any, *, msg_id: str | None = None,
           timestamp: float | None = None) -> tuple[bytes, dict[str, str]]:
    """(body bytes, headers) signed per Standard Webhooks with one or more secrets."""
    text = body if isinstance(body, str) else json.dumps(body)
    msg_id = msg_id or f"msg_{uuid.uuid4().hex}"
    when = datetime.fromtimestamp(time.time() if timestamp is None else timestamp, tz=UTC)
    secrets = [secret] if isinstance(secret, str) else secret
    signature = " ".join(Webhook(s).sign(msg_id, when, text) for s in secrets)
    return text.encode(), {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(when.timestamp())),
        "webhook-signature": signature,
    }


def payment_event(n: int, *, event_type: str = "payment.succeeded") -> dict[str, Any]:
    """A provider `payment.*` envelope, unique per `n`."""
    return {
        "business_id": "bus_test",
        "type": event_type,
        "timestamp": "2025-08-04T05:30:31.152232Z",
        "data": {
            "payload_type": "Payment",
            "payment_id": f"pay_{n:08d}",
            "total_amount": 1000 + n,
            "currency": "USD",
            "payment_method": "card",
            "status": "succeeded",
            "customer": {"customer_id": f"cus_{n:06d}", "email": f"user{n}@example.com", "name": f"User {n}"},
            "metadata": {},
            "created_at": "2025-08-04T05:30:31.152232Z",
        },
    }


class ServeProcess:
    """`python -m runner serve ARGS --port P --data-dir D` in a subprocess: one process
    (`--workers 1`) unless ARGS or `workers` say otherwise (None: the default, one per two cores)."""

    def __init__(self, args: list[str], *, env: dict[str, str], data_dir: Path, port: int | None = None,
                 log_path: Path | None = None, workers: int | None = 1) -> None:
        self.args = args if workers is None or "--workers" in args else [*args, "--workers", str(workers)]
        self.env = {**{k: v for k, v in os.environ.items() if not k.startswith(("DODO_", "SEGMENT_"))}, **env}
        self.data_dir = data_dir
        self.port = port or free_port()
        self.log_path = log_path or data_dir.parent / f"serve-{self.port}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Self:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "runner", "serve", *self.args, "--host", "127.0.0.1",
                 "--port", str(self.port), "--data-dir", str(self.data_dir)],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"runner serve exited with {self.proc.returncode}:\n{self.logs()}")
            try:
                # With several workers, one answers before the others start: wait for them all.
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200 and not self.workers_starting():
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"runner serve did not become healthy:\n{self.logs()}")

    def workers_starting(self) -> bool:
        """Whether some workers of `--workers N` serve and the others are still starting."""
        logs = self.logs()
        return "worker-1" in logs and "serve.workers_started" not in logs

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def terminate(self, timeout: float = 30) -> int:
        """SIGTERM (graceful shutdown) and wait; returns the exit code."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.terminate(30)
            except subprocess.TimeoutExpired:
                self.kill()
