"""Benchmark the queue backends under `runner serve`: accepted and delivered events/s with the
SQLite queue (one instance) and the PostgreSQL queue with 1 and 2 instances sharing it.

    .venv/bin/python bench/queue_bench.py            # full run (~1 minute): the figures in bench/RESULTS.md
    .venv/bin/python bench/queue_bench.py --smoke    # tiny run: checks it works, not speed
    .venv/bin/python bench/queue_bench.py --healthz 10000,200000   # GET /healthz, /metrics on a queue that big

Same workload in every row: signed payment webhooks, one Segment transform, `connections`
keep-alive connections in all (split evenly across instances, as a round-robin balancer
would), closed loop. Delivered/s counts unique messageIds at a loopback Segment stand-in from
the first request until the last acknowledged event arrived. PostgreSQL runs here too, as a
throwaway server with its durable defaults (fsync on every commit, like SQLite's FULL).
Everything shares this machine's cores: load generator, stand-in, instances, engine workers
and PostgreSQL; the CPU columns say where the time went, and machine_busy_pct how much of all
cores was in use while webhooks were being sent (100: CPU-bound).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx

from bench.loadgen import LoadResult, raw_request, run
from bench.serve_bench import WRITE_KEY, start_standin, stats, table, tree_cpu_s
from harness.postgres import PostgresServer
from harness.serve import ServeProcess, new_secret, payment_event, signed
from runner import segment
from runner.delivery.backends import upgrade

TRANSFORM = "segment-track-payments"
DELIVERY_TIMEOUT_S = 300.0
HEALTHZ_REQUESTS = 50  # timed GETs per row of the --healthz table (after 5 untimed)


def machine_busy_s() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    with open("/proc/stat") as stat:
        ticks = [int(x) for x in stat.readline().split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK"), sum(ticks) / os.sysconf("SC_CLK_TCK")


def case(label: str, n: int, connections: int, instances: int, queue: str | None, tmp: Path,
         pg: PostgresServer | None) -> dict[str, object]:
    """Load `instances` servers on one queue with n events; measure acceptance and delivery."""
    standin, seg_url = start_standin()
    secret = new_secret()
    args = [str(ROOT / "transforms" / f"{TRANSFORM}.js"), "--segment-url", seg_url] + (["--queue", queue] if queue else [])
    servers = [ServeProcess(args, env={"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": WRITE_KEY},
                            data_dir=tmp / f"data-{label}") for _ in range(instances)]
    try:
        with ThreadPoolExecutor(instances) as pool:
            list(pool.map(ServeProcess.start, servers))
        shares: list[list[tuple[str, bytes]]] = [[] for _ in servers]
        for i in range(n):
            body, headers = signed(secret, payment_event(i))
            srv = servers[i % instances]
            shares[i % instances].append((headers["webhook-id"], raw_request("127.0.0.1", srv.port, "/webhooks", body, headers)))
        pids = [s.proc.pid for s in servers if s.proc is not None]
        cpu0 = sum(tree_cpu_s(p) for p in pids)
        pg0 = tree_cpu_s(pg.proc.pid) if pg and pg.proc else 0.0
        busy0 = machine_busy_s()
        t0 = time.perf_counter()

        async def load() -> list[LoadResult]:
            return await asyncio.gather(*(run("127.0.0.1", s.port, share, connections=connections // instances)
                                          for s, share in zip(servers, shares)))

        results = asyncio.run(load())
        busy1 = machine_busy_s()
        acked = [w for r in results for w in r.acked_ids]
        elapsed = max(r.elapsed_s for r in results)
        deadline = time.monotonic() + DELIVERY_TIMEOUT_S
        while (st := stats(seg_url))["unique"] < len(acked) and time.monotonic() < deadline:
            time.sleep(0.02)
        t_done = time.perf_counter()
        runner_cpu = sum(tree_cpu_s(p) for p in pids) - cpu0
        pg_cpu = (tree_cpu_s(pg.proc.pid) - pg0) if pg and pg.proc else 0.0
    finally:
        for s in servers:
            if s.proc is not None and s.proc.poll() is None:
                s.terminate()  # graceful: a SIGKILL would reset the stand-in's connections mid-request
        standin.kill()
    latencies = sorted(x for r in results for x in r.latencies_s)
    expected = {segment.message_id("default", w, TRANSFORM) for w in acked}
    return {
        "queue": label, "instances": instances, "sent": n, "acked": len(acked),
        "accepted_per_s": len(acked) / elapsed,
        "p50_ms": latencies[len(latencies) // 2] * 1000 if latencies else float("nan"),
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000 if latencies else float("nan"),
        "delivered_per_s": st["unique"] / (t_done - t0), "lost": len(expected) - min(st["unique"], len(expected)),
        "duplicates": st["duplicates"],
        "runner_cpu_us_per_event": runner_cpu / max(len(acked), 1) * 1e6,
        "postgres_cpu_us_per_event": pg_cpu / max(len(acked), 1) * 1e6,
        "machine_busy_pct": 100 * (busy1[0] - busy0[0]) / max(busy1[1] - busy0[1], 1e-9),
    }


def fill(target: str | Path, rows: int) -> None:
    """`rows` delivered deliveries (one event each) written straight into the queue at `target`,
    as finished work a long-running server accumulates."""
    now = time.time()
    events = [("default", f"msg_{i}", "payment.succeeded", "{}", now) for i in range(rows)]
    if isinstance(target, Path):
        from runner.delivery.sqlite import DB_FILENAME, SQLiteStore

        SQLiteStore.in_dir(target).close_sync()  # the schema, as `runner serve` creates it
        with sqlite3.connect(target / DB_FILENAME) as conn:
            conn.executemany("INSERT INTO events (endpoint, webhook_id, event_type, body, received_at) VALUES (?, ?, ?, ?, ?)", events)
            conn.execute(
                "INSERT INTO deliveries (event_id, endpoint, webhook_id, event_type, transform, status, next_attempt_at, "
                "created_at, updated_at, delivered_at) SELECT id, endpoint, webhook_id, event_type, 't', 'delivered', "
                "received_at, received_at, received_at, received_at FROM events")
        conn.close()
        return
    import psycopg

    with psycopg.connect(target, autocommit=True) as pconn:
        pconn.execute(
            "INSERT INTO runner_events (endpoint, webhook_id, event_type, body, received_at) "
            "SELECT 'default', 'msg_' || i, 'payment.succeeded', '{}', %s FROM generate_series(1, %s) AS i", (now, rows))
        pconn.execute(
            "INSERT INTO runner_deliveries (event_id, endpoint, webhook_id, event_type, transform, status, next_attempt_at, "
            "created_at, updated_at, delivered_at) SELECT id, endpoint, webhook_id, event_type, 't', 'delivered', "
            "received_at, received_at, received_at, received_at FROM runner_events")
        pconn.execute("VACUUM ANALYZE")


def healthz_case(label: str, rows: int, target: str | Path, tmp: Path) -> dict[str, object]:
    """Median and p95 time of GET /healthz and GET /metrics with `rows` deliveries queued."""
    fill(target, rows)
    args = [str(ROOT / "transforms" / f"{TRANSFORM}.js"), "--segment-url", "http://127.0.0.1:9"]
    data_dir = target if isinstance(target, Path) else tmp / f"data-{label}-{rows}"
    if isinstance(target, str):
        args += ["--queue", target]
    row: dict[str, object] = {"queue": label, "rows": rows}
    with ServeProcess(args, env={"DODO_WEBHOOK_SECRET": new_secret(), "SEGMENT_WRITE_KEY": WRITE_KEY}, data_dir=data_dir) as srv, \
            httpx.Client(base_url=srv.url) as client:
        for path in ("/healthz", "/metrics"):
            times = []
            for i in range(HEALTHZ_REQUESTS + 5):
                t0 = time.perf_counter()
                client.get(path).raise_for_status()
                if i >= 5:
                    times.append((time.perf_counter() - t0) * 1000)
            times.sort()
            row[f"{path[1:]}_p50_ms"] = times[len(times) // 2]
            row[f"{path[1:]}_p95_ms"] = times[int(len(times) * 0.95)]
        row["queue_counts"] = client.get("/healthz").json()["queue"].get("delivered", 0)
    return row


def healthz_bench(sizes: list[int], tmp: Path) -> None:
    rows = [healthz_case("sqlite", n, tmp / f"sqlite-{n}", tmp) for n in sizes]
    with PostgresServer(durable=True) as pg:
        for n in sizes:
            url = pg.create_database(f"healthz{n}")
            upgrade(url)
            rows.append(healthz_case("postgresql", n, url, tmp))
    print(f"## GET /healthz and /metrics, {HEALTHZ_REQUESTS} requests each, queue of N delivered deliveries")
    print(table(rows))
    bad = [r for r in rows if r["queue_counts"] != r["rows"]]
    if bad:
        print(f"\nFAILED: {len(bad)} row(s) counted wrong")
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny run: checks the benchmark works")
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--healthz", metavar="N,N", default=None,
                        help="instead: time GET /healthz and /metrics on queues of N delivered deliveries")
    args = parser.parse_args()
    n = 300 if args.smoke else args.events
    tmp = Path(tempfile.mkdtemp(prefix="queue-bench-"))
    try:
        if args.healthz:
            healthz_bench([int(x) for x in args.healthz.split(",")], tmp)
            return
        rows = [case("sqlite", n, args.connections, 1, None, tmp, None)]
        with PostgresServer(durable=True) as pg:
            for instances in (1, 2):
                url = pg.create_database(f"bench{instances}")
                upgrade(url)
                rows.append(case("postgresql", n, args.connections, instances, url, tmp, pg))
        print(f"## {n} webhooks, {args.connections} connections, transform {TRANSFORM}")
        print(table(rows))
        bad = [r for r in rows if r["lost"] or r["acked"] != n]
        if bad:
            print(f"\nFAILED: {len(bad)} row(s) lost or refused events")
            sys.exit(1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
