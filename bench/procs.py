"""The processes a benchmark runs against: the loopback Segment stand-in, `runner serve` (from
this checkout or another source tree, for before/after runs) and the Node relay; and the CPU
accounting that says where a run's time went and how busy the machine was with other work.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Self

import httpx

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0
WRITE_KEY = "wk_bench"
_CLK_TCK = os.sysconf("SC_CLK_TCK")


# --- CPU accounting -----------------------------------------------------------------------

def cpu_s(pid: int) -> float:
    """User + system CPU seconds of one process (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _CLK_TCK


def descendants(pid: int) -> list[int]:
    """Every live descendant. A process's children are listed per thread that started them, so
    every thread's list is read: runner's engine workers are started from a thread other than
    the server's main one."""
    out, todo = [], [pid]
    while todo:
        parent = todo.pop()
        kids: list[int] = []
        try:
            for task in Path(f"/proc/{parent}/task").iterdir():
                try:
                    kids += [int(k) for k in (task / "children").read_text().split()]
                except OSError:
                    pass
        except OSError:
            pass
        out += kids
        todo += kids
    return out


def tree_cpu_s(pid: int) -> float:
    """CPU seconds of a process and all its live descendants (server + engine workers)."""
    return cpu_s(pid) + sum(cpu_s(k) for k in descendants(pid))


class MachineLoad:
    """CPU the whole machine spent between `start()` and `stop()`, and how much of it was ours
    (this process and everything it started): the rest is other people's work on the box."""

    def start(self) -> MachineLoad:
        self._t0 = time.monotonic()
        self._busy0 = _machine_busy_s()
        self._ours0 = _own_cpu_s()
        return self

    def stop(self) -> dict[str, float]:
        wall = time.monotonic() - self._t0
        busy = _machine_busy_s() - self._busy0
        ours = _own_cpu_s() - self._ours0
        cores = os.cpu_count() or 1
        return {"wall_s": wall, "machine_busy_pct": 100 * busy / (wall * cores),
                "others_pct": max(0.0, 100 * (busy - ours) / (wall * cores)), "loadavg_1m": os.getloadavg()[0]}


def _machine_busy_s() -> float:
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / _CLK_TCK


def _own_cpu_s() -> float:
    t = os.times()  # children_*: processes already waited for; live ones are read from /proc
    return t.user + t.system + t.children_user + t.children_system + sum(cpu_s(k) for k in descendants(os.getpid()))


# --- the stand-in ---------------------------------------------------------------------------

class Standin:
    """harness/segment_standin.py in a process of its own; `stats()` reads its counters."""

    def __enter__(self) -> Self:
        # stderr: connections reset by a client that stops are reported there, and are noise.
        self.proc = subprocess.Popen([sys.executable, "-m", "harness.segment_standin"], cwd=ROOT,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().decode().strip()
        return self

    def stats(self) -> dict[str, int]:
        counters: dict[str, int] = httpx.get(self.url + "/_stats", timeout=30).json()
        return counters

    def wait_unique(self, want: int, timeout_s: float) -> tuple[dict[str, int], float]:
        """Poll until `want` unique messageIds arrived (or the timeout); returns stats and when."""
        deadline = time.monotonic() + timeout_s
        while True:
            st = self.stats()
            if st["unique"] >= want or time.monotonic() > deadline:
                return st, time.perf_counter()
            time.sleep(0.02)

    def __exit__(self, *exc: object) -> None:
        self.proc.kill()
        self.proc.wait()


# --- servers under test ---------------------------------------------------------------------

@dataclass
class Server:
    """A webhook server under test: `port`, `pid`; `stop()` is graceful (SIGTERM)."""

    label: str
    proc: subprocess.Popen[bytes]
    port: int

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_runner(transforms: list[Path], *, standin_url: str, secret: str, data_dir: Path,
                 source_root: Path = ROOT, label: str = "runner serve", extra_args: Sequence[str] = ()) -> Server:
    """`python -m runner serve` with the runner package of `source_root` (cwd wins on sys.path);
    `extra_args` go after the others (e.g. `--workers 2`)."""
    from harness.serve import free_port

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DODO_", "SEGMENT_"))}
    env.update({"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": WRITE_KEY})
    with open(data_dir.parent / f"serve-{port}.log", "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "runner", "serve", *map(str, transforms), "--segment-url", standin_url,
             "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(data_dir), "--log-level", "warning",
             *extra_args],
            cwd=source_root, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"runner serve exited with {proc.returncode}; see {log.name}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return Server(label, proc, port)
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("runner serve did not become healthy")


def start_node_relay(transforms: list[Path], *, standin_url: str, secret: str, mode: str = "reuse",
                     label: str = "node relay") -> Server:
    """bench/node_relay.js with the same handlers (see that file for what it does and skips)."""
    proc = subprocess.Popen(["node", str(ROOT / "bench" / "node_relay.js")], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, env=dict(os.environ, TZ="UTC"))
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(json.dumps({
        "secret": secret, "segmentUrl": standin_url, "writeKey": WRITE_KEY, "mode": mode,
        "handlers": [{"name": t.stem, "source": t.read_text("utf-8")} for t in transforms],
    }).encode())
    proc.stdin.close()
    port = int(proc.stdout.readline())
    return Server(label, proc, port)
