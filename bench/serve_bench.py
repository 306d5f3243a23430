"""Benchmark `runner serve`: signed webhooks accepted per second (verified, transformed, durably
queued) with p50/p99 latency, events delivered per second to a loopback Segment stand-in, loss
and duplicates; then delivery alone against the official `segment-analytics-python` library
sending the same events to the same stand-in.

    .venv/bin/python bench/serve_bench.py            # full run (~1 minute)
    .venv/bin/python bench/serve_bench.py --smoke    # tiny run for CI: checks it works, not speed

Everything runs on this machine: the stand-in and the server are subprocesses, the load
generator (bench/loadgen.py) runs here. Needs `pip install segment-analytics-python` for the
comparison (the `bench` extra); without it that row is skipped and says so.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bench.loadgen import raw_request, run  # noqa: E402
from runner import segment  # noqa: E402
from tests.support.serve import ServeProcess, new_secret, payment_event, signed  # noqa: E402

SEED = ["segment-track-payments.js", "segment-identify-customers.js", "segment-track-subscriptions.js"]
WRITE_KEY = "wk_bench"


def start_standin() -> tuple[subprocess.Popen[bytes], str]:
    proc = subprocess.Popen([sys.executable, "-m", "tests.support.segment_standin"], cwd=ROOT, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    return proc, proc.stdout.readline().decode().strip()


def stats(url: str) -> dict[str, int]:
    return httpx.get(url + "/_stats").json()


def cpu_s(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_s(pid: int) -> float:
    kids = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return cpu_s(pid) + sum(cpu_s(int(k)) for k in kids)


def wait_events(url: str, want: int, timeout_s: float) -> tuple[dict[str, int], float]:
    deadline = time.monotonic() + timeout_s
    while True:
        st = stats(url)
        if st["unique"] >= want or time.monotonic() > deadline:
            return st, time.perf_counter()
        time.sleep(0.02)


def ingest(n: int, connections: int, transforms: list[str], rate: float | None, tmp: Path) -> dict[str, object]:
    """Load `runner serve` with n signed events; measure acceptance and end-to-end delivery."""
    standin, seg_url = start_standin()
    secret = new_secret()
    data = tmp / f"data-{len(transforms)}-{rate}"
    try:
        with ServeProcess([str(ROOT / "transforms" / t) for t in transforms] + ["--segment-url", seg_url],
                          env={"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": WRITE_KEY}, data_dir=data) as srv:
            requests = []
            for i in range(n):
                body, headers = signed(secret, payment_event(i))
                requests.append((headers["webhook-id"], raw_request("127.0.0.1", srv.port, "/webhooks", body, headers)))
            assert srv.proc is not None
            sending = sum(1 for t in transforms if "subscriptions" not in t)  # payment events: those send
            cpu0 = tree_cpu_s(srv.proc.pid)
            t0 = time.perf_counter()
            result = asyncio.run(run("127.0.0.1", srv.port, requests, connections=connections, rate=rate))
            want = len(result.acked_ids) * sending
            st, t_done = wait_events(seg_url, want, timeout_s=120)
            server_cpu = tree_cpu_s(srv.proc.pid) - cpu0
            expected = {segment.message_id("default", w, t.removesuffix(".js")) for w in result.acked_ids
                        for t in transforms if "subscriptions" not in t}
    finally:
        standin.kill()
    return {
        "transforms": len(transforms), "connections": connections, "rate": rate or "max",
        "sent": n, "acked": result.ok, "errors": result.errors + (n - result.sent),
        "accepted_per_s": result.rate(), "p50_ms": result.percentile_ms(50), "p99_ms": result.percentile_ms(99),
        "delivered_per_s": st["unique"] / (t_done - t0), "drain_lag_s": t_done - t0 - result.elapsed_s,
        "lost": len(expected) - min(st["unique"], len(expected)), "duplicates": st["duplicates"],
        "server_cpu_us_per_event": server_cpu / max(result.ok, 1) * 1e6,
    }


def prepared_events(n: int) -> list[dict[str, object]]:
    """What the payments transform makes of n events (as the pipeline stores them)."""
    out = []
    for i in range(n):
        p = payment_event(i)["data"]
        out.append(segment.prepare(
            {"userId": p["customer"]["customer_id"], "event": "Payment Completed",  # type: ignore[index]
             "properties": {"amount": f"{p['total_amount'] / 100:.2f}", "currency": p["currency"],  # type: ignore[operator]
                            "payment_method": p["payment_method"], "payment_id": p["payment_id"],
                            "customer_email": p["customer"]["email"], "customer_name": p["customer"]["name"]}},  # type: ignore[index]
            kind="track", message_id=segment.message_id("default", f"msg_{i}", "bench"),
            library={"name": "runner", "version": "bench"}, timestamp="2025-08-04T05:30:31.152232Z"))
    return out


def deliver_runner(events: list[dict[str, object]], seg_url: str, tmp: Path) -> float:
    """Drain a queue of `events` with runner's dispatcher; returns events/s."""
    from runner import config as cfg
    from runner.delivery.dispatcher import Dispatcher
    from runner.delivery.routes import Router
    from runner.delivery.sqlite import SQLiteStore
    from runner.delivery.store import NewDelivery, NewEvent

    store = SQLiteStore.in_dir(tmp / "drain")
    before = stats(seg_url)["unique"]

    async def go() -> float:
        await asyncio.gather(*(
            store.enqueue(NewEvent("default", f"msg_{i}", "payment.succeeded", "{}", time.time()),
                          [NewDelivery("bench", "pending", "segment", "https://api.segment.io/v1/track", "POST", {},
                                       json.dumps(e), "track", str(e["messageId"]))])
            for i, e in enumerate(events)))
        router = Router([cfg.DestinationConfig("segment", "segment", segment.SEGMENT_HOSTS, seg_url, "WK")])
        dispatcher = Dispatcher(store, router, environ={"WK": WRITE_KEY}, idle_poll_s=0.01)
        t0 = time.perf_counter()
        task = asyncio.create_task(dispatcher.run())
        while (await store.counts()).get("delivered", 0) < len(events):
            await asyncio.sleep(0.01)
        elapsed = time.perf_counter() - t0
        dispatcher.stop()
        await task
        return elapsed

    elapsed = asyncio.run(go())
    store.close_sync()
    assert stats(seg_url)["unique"] - before == len(events)
    return len(events) / elapsed


def deliver_analytics_python(events: list[dict[str, object]], seg_url: str) -> float | None:
    """The official library sending the same events to the same stand-in; returns events/s."""
    try:
        from segment.analytics import Client
    except ImportError:
        return None
    before = stats(seg_url)["unique"]
    client = Client(WRITE_KEY, host=seg_url, max_queue_size=len(events) + 1, sync_mode=False)
    t0 = time.perf_counter()
    for e in events:
        client.track(user_id=e["userId"], event=e["event"], properties=e["properties"], message_id=str(e["messageId"]) + "-py")
    client.flush()
    st, t_done = wait_events(seg_url, before + len(events), timeout_s=300)
    client.shutdown()
    return (st["unique"] - before) / (t_done - t0)


def table(rows: list[dict[str, object]]) -> str:
    keys = list(rows[0])
    fmt = [f"{k}" for k in keys]
    lines = [" | ".join(fmt)]
    for r in rows:
        lines.append(" | ".join(f"{v:.1f}" if isinstance(v, float) else str(v) for v in r.values()))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny run: checks the benchmark works")
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rate", type=float, default=2000.0, help="open-loop rate for the latency run")
    parser.add_argument("--delivery-events", type=int, default=20_000)
    args = parser.parse_args()
    n, dn = (300, 500) if args.smoke else (args.events, args.delivery_events)
    tmp = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    try:
        rows = [
            ingest(n, args.connections, SEED[:1], None, tmp),
            ingest(n, args.connections, SEED, None, tmp),
            ingest(n, args.connections * 4, SEED[:1], args.rate, tmp),
        ]
        print("## ingest (closed loop: max rate; open loop: fixed rate)")
        print(table(rows))
        standin, seg_url = start_standin()
        try:
            events = prepared_events(dn)
            ours = deliver_runner(events, seg_url, tmp)
            theirs = deliver_analytics_python(events, seg_url)
        finally:
            standin.kill()
        print("\n## delivery of a queued backlog to the stand-in")
        print(f"runner dispatcher:          {ours:,.0f} events/s")
        if theirs is None:
            print("segment-analytics-python:   not installed (pip install segment-analytics-python)")
        else:
            print(f"segment-analytics-python:   {theirs:,.0f} events/s   (runner is {ours / theirs:.1f}x)")
        lost = sum(int(r["lost"]) for r in rows)  # type: ignore[call-overload]
        if lost:
            print(f"\nLOSS: {lost} acknowledged events never reached the stand-in")
            sys.exit(1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
