"""Benchmark `runner serve` beside the alternatives: signed webhooks accepted per second
(verified, transformed, durably queued) with p50/p99/p99.9 latency, events delivered per second
to a loopback Segment stand-in, loss and duplicates; then delivery of a queued backlog beside
the official `segment-analytics-python` library sending the same events to the same stand-in.

    .venv/bin/python bench/serve_bench.py            # a quick look (~1 minute)
    .venv/bin/python bench/serve_bench.py --smoke    # tiny run: checks it works, not speed
    .venv/bin/python bench/run.py                    # everything, written to bench/RESULTS.md

Everything runs on this machine: the stand-in and the servers are subprocesses, the load
generator (bench/loadgen.py) runs here. The "build it yourself" baseline is bench/node_relay.js
(Node's `http` + `vm`, same handlers, no durability). Needs `segment-analytics-python` for the
delivery comparison (the `bench` extra); without it that row is skipped and says so.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx

from bench.loadgen import raw_request, run
from bench.procs import (
    WRITE_KEY,
    Server,
    Standin,
    start_node_relay,
    start_runner,
    tree_cpu_s,
)
from harness.serve import new_secret, payment_event, signed

try:  # the load generator on uvloop costs ~30% less CPU per request, which it shares with the server
    from uvloop import run as run_loop
except ImportError:  # pragma: no cover
    from asyncio import run as run_loop  # type: ignore[assignment]

SEED = ["segment-track-payments.js", "segment-identify-customers.js", "segment-track-subscriptions.js"]
DELIVERY_TIMEOUT_S = 300.0
WARMUP_EVENTS = 200  # sent before the clock starts: first-request costs are not the steady state

__all__ = ["SEED", "WRITE_KEY", "delivery", "ingest", "start_standin", "stats", "table", "tree_cpu_s"]


# Kept for bench/queue_bench.py: the stand-in as (process, url), and its counters.
def start_standin() -> tuple[subprocess.Popen[bytes], str]:
    proc = subprocess.Popen([sys.executable, "-m", "harness.segment_standin"], cwd=ROOT, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    return proc, proc.stdout.readline().decode().strip()


def stats(url: str) -> dict[str, int]:
    counters: dict[str, int] = httpx.get(url + "/_stats").json()
    return counters


StartServer = Callable[[list[Path], str, str, Path], Server]


def runner_server(source_root: Path = ROOT, label: str = "runner serve") -> StartServer:
    def start(transforms: list[Path], standin_url: str, secret: str, tmp: Path) -> Server:
        data = Path(tempfile.mkdtemp(prefix="data-", dir=tmp))
        return start_runner(transforms, standin_url=standin_url, secret=secret, data_dir=data,
                            source_root=source_root, label=label)
    return start


def node_server(mode: str = "reuse") -> StartServer:
    label = "node relay (one reused context)" if mode == "reuse" else "node relay (new context per event)"

    def start(transforms: list[Path], standin_url: str, secret: str, tmp: Path) -> Server:
        return start_node_relay(transforms, standin_url=standin_url, secret=secret, mode=mode, label=label)
    return start


def ingest(start: StartServer, n: int, connections: int, transforms: list[str], tmp: Path, *,
           rate: float | None = None) -> dict[str, object]:
    """n signed payment webhooks on `connections` keep-alive connections (closed loop, or paced
    at `rate`/s: open loop); then wait until the stand-in has every event the handlers send."""
    secret = new_secret()
    paths = [ROOT / "transforms" / t for t in transforms]
    sending = sum(1 for t in transforms if "subscriptions" not in t)  # payment events: these send
    with Standin() as standin:
        server = start(paths, standin.url, secret, tmp)
        try:
            def prepared(first: int, count: int) -> list[tuple[str, bytes]]:
                out = []
                for i in range(first, first + count):
                    body, headers = signed(secret, payment_event(i))
                    out.append((headers["webhook-id"], raw_request("127.0.0.1", server.port, "/webhooks", body, headers)))
                return out

            warm = run_loop(run("127.0.0.1", server.port, prepared(10**8, WARMUP_EVENTS), connections=min(connections, 16)))
            requests = prepared(0, n)
            base, _ = standin.wait_unique(warm.ok * sending, timeout_s=DELIVERY_TIMEOUT_S)
            cpu0 = tree_cpu_s(server.pid)
            t0 = time.perf_counter()
            result = run_loop(run("127.0.0.1", server.port, requests, connections=connections, rate=rate))
            want = base["unique"] + result.ok * sending
            st, t_done = standin.wait_unique(want, timeout_s=DELIVERY_TIMEOUT_S)
            cpu = tree_cpu_s(server.pid) - cpu0
            db_bytes = _db_bytes(server)
        finally:
            server.stop()
    delivered = st["unique"] - base["unique"]
    return {
        "contender": server.label, "transforms": len(transforms), "connections": connections,
        "load": f"open {rate:,.0f}/s" if rate else "closed", "sent": n, "acked": result.ok,
        "errors": result.errors + (n - result.sent) + (result.sent - result.ok),
        "accepted_per_s": result.rate(), "p50_ms": result.percentile_ms(50), "p99_ms": result.percentile_ms(99),
        "p999_ms": result.percentile_ms(99.9), "delivered_per_s": delivered / (t_done - t0),
        "drain_lag_s": max(0.0, t_done - t0 - result.elapsed_s),
        "lost": max(0, result.ok * sending - delivered), "duplicates": st["duplicates"] - base["duplicates"],
        "cpu_us_per_event": cpu / max(result.ok, 1) * 1e6, "db_bytes": db_bytes,
    }


def _db_bytes(server: Server) -> int:
    args = server.proc.args if isinstance(server.proc.args, list) else []
    if "--data-dir" not in args:
        return 0
    data = Path(str(args[args.index("--data-dir") + 1]))
    return sum(p.stat().st_size for p in data.glob("queue.sqlite3*"))


def delivery(contender: str, n: int, tmp: Path, *, source_root: Path = ROOT) -> dict[str, float] | None:
    """A backlog of n events delivered to a fresh stand-in by `contender` (bench/drain.py);
    None if segment-analytics-python is not installed."""
    if contender == "analytics-python":
        try:
            import segment.analytics  # noqa: F401
        except ImportError:
            return None
    with Standin() as standin:
        cmd = [sys.executable, str(ROOT / "bench" / "drain.py"), contender, "--events", str(n),
               "--standin", standin.url, "--source-root", str(source_root)]
        if contender == "runner":
            cmd += ["--data-dir", tempfile.mkdtemp(prefix="drain-", dir=tmp)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=source_root).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def table(rows: list[dict[str, object]]) -> str:
    keys = list(rows[0])
    lines = [" | ".join(keys)]
    for r in rows:
        lines.append(" | ".join(f"{v:.1f}" if isinstance(v, float) else str(v) for v in r.values()))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny run: checks the benchmark works")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rate", type=float, default=2000.0, help="open-loop rate for the latency run")
    parser.add_argument("--delivery-events", type=int, default=20_000)
    args = parser.parse_args()
    n, dn = (300, 500) if args.smoke else (args.events, args.delivery_events)
    tmp = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    try:
        rows = [
            ingest(runner_server(), n, args.connections, SEED[:1], tmp),
            ingest(runner_server(), n, args.connections, SEED, tmp),
            ingest(runner_server(), n, max(args.connections, 128), SEED[:1], tmp, rate=args.rate),
        ]
        if shutil.which("node"):
            rows.append(ingest(node_server(), n, args.connections, SEED[:1], tmp))
        print("## ingest (closed loop: max rate; open loop: fixed rate)")
        print(table(rows))
        ours = delivery("runner", dn, tmp)
        theirs = delivery("analytics-python", dn, tmp)
        assert ours is not None
        print("\n## delivery of a queued backlog to the stand-in")
        print(f"runner dispatcher:          {ours['events_per_s']:,.0f} events/s")
        if theirs is None:
            print("segment-analytics-python:   not installed (pip install segment-analytics-python)")
        else:
            print(f"segment-analytics-python:   {theirs['events_per_s']:,.0f} events/s   "
                  f"(runner is {ours['events_per_s'] / theirs['events_per_s']:.1f}x)")
        lost = sum(int(r["lost"]) for r in rows if str(r["contender"]).startswith("runner"))  # type: ignore[call-overload]
        if lost:
            print(f"\nLOSS: {lost} acknowledged events never reached the stand-in")
            sys.exit(1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
