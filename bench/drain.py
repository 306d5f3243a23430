"""Delivery of a backlog to the Segment stand-in, in a process of its own (one per contender, so
each starts with a clean heap and `--source-root` can point at another source tree).

    python bench/drain.py runner --events 100000 --standin URL --data-dir DIR [--source-root TREE]
    python bench/drain.py analytics-python --events 100000 --standin URL

Both send the same events: what the payments transform makes of `--events` payment webhooks.
- runner: the events are queued first (not timed), then runner's dispatcher drains the queue;
  timed from its start until the stand-in has every event.
- analytics-python: `segment-analytics-python`'s client (its defaults, async consumer thread),
  timed from the first `track()` until the stand-in has every event.
Prints one JSON line: {"events", "seconds", "events_per_s", "db_bytes"}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
WRITE_KEY = "wk_bench"
ENQUEUE_CHUNK = 5000  # enqueue calls in flight while preparing the backlog
TIMEOUT_S = 600.0


def prepared_events(n: int) -> list[dict[str, object]]:
    """What the payments transform makes of n payment webhooks (as the pipeline stores them)."""
    from harness.serve import payment_event
    from runner import segment

    out = []
    for i in range(n):
        p = payment_event(i)["data"]
        out.append(segment.prepare(
            {"userId": p["customer"]["customer_id"], "event": "Payment Completed",
             "properties": {"amount": f"{p['total_amount'] / 100:.2f}", "currency": p["currency"],
                            "payment_method": p["payment_method"], "payment_id": p["payment_id"],
                            "customer_email": p["customer"]["email"], "customer_name": p["customer"]["name"]}},
            kind="track", message_id=segment.message_id("default", f"msg_{i}", "bench"),
            library={"name": "runner", "version": "bench"}, timestamp="2025-08-04T05:30:31.152232Z"))
    return out


def unique(url: str) -> int:
    import httpx

    return int(httpx.get(url + "/_stats", timeout=30).json()["unique"])


def drain_runner(events: list[dict[str, object]], standin: str, data_dir: Path) -> dict[str, float]:
    from runner import config as cfg
    from runner import segment
    from runner.delivery.destinations import Destinations
    from runner.delivery.dispatcher import Dispatcher
    from runner.delivery.sqlite import DB_FILENAME, SQLiteStore
    from runner.delivery.store import NewDelivery, NewEvent

    store = SQLiteStore.in_dir(data_dir)
    before = unique(standin)

    async def go() -> float:
        for start in range(0, len(events), ENQUEUE_CHUNK):
            await asyncio.gather(*(
                store.enqueue(NewEvent("default", f"msg_{i}", "payment.succeeded", "{}", time.time()),
                              [NewDelivery("bench", "pending", "segment", "https://api.segment.io/v1/track", "POST", {},
                                           json.dumps(e), "track", str(e["messageId"]))])
                for i, e in enumerate(events[start:start + ENQUEUE_CHUNK], start)))
        destinations = Destinations([cfg.DestinationConfig("segment", "segment", segment.SEGMENT_HOSTS, standin, "WK")])
        dispatcher = Dispatcher(store, destinations, environ={"WK": WRITE_KEY}, idle_poll_s=0.01)
        t0 = time.perf_counter()
        task = asyncio.create_task(dispatcher.run())
        deadline = time.monotonic() + TIMEOUT_S
        while (await store.counts()).get("delivered", 0) < len(events) and time.monotonic() < deadline:  # noqa: ASYNC110 - polls the queue the dispatcher drains
            await asyncio.sleep(0.01)
        elapsed = time.perf_counter() - t0
        dispatcher.stop()
        await task
        return elapsed

    elapsed = asyncio.run(go())
    store.close_sync()
    got = unique(standin) - before
    db = data_dir / DB_FILENAME
    return {"events": got, "seconds": elapsed, "events_per_s": got / elapsed,
            "db_bytes": db.stat().st_size + sum(p.stat().st_size for p in data_dir.glob(DB_FILENAME + "-*"))}


def drain_analytics_python(events: list[dict[str, object]], standin: str) -> dict[str, float]:
    from segment.analytics import Client

    before = unique(standin)
    client = Client(WRITE_KEY, host=standin, max_queue_size=len(events) + 1, sync_mode=False)
    t0 = time.perf_counter()
    for e in events:
        client.track(user_id=e["userId"], event=e["event"], properties=e["properties"],
                     message_id=str(e["messageId"]) + "-py")
    client.flush()
    deadline = time.monotonic() + TIMEOUT_S
    while (got := unique(standin) - before) < len(events) and time.monotonic() < deadline:
        time.sleep(0.02)
    elapsed = time.perf_counter() - t0
    client.shutdown()
    return {"events": got, "seconds": elapsed, "events_per_s": got / elapsed, "db_bytes": 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("contender", choices=("runner", "analytics-python"))
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--standin", required=True, help="the stand-in's base URL")
    parser.add_argument("--data-dir", type=Path, help="where runner's queue goes (runner only)")
    parser.add_argument("--source-root", type=Path, default=BENCH.parent,
                        help="the source tree whose `runner` package to measure")
    args = parser.parse_args()
    sys.path[:0] = [str(args.source_root.resolve()), str(BENCH.parent)]
    events = prepared_events(args.events)
    if args.contender == "runner":
        if args.data_dir is None:
            parser.error("runner needs --data-dir")
        result = drain_runner(events, args.standin, args.data_dir)
    else:
        result = drain_analytics_python(events, args.standin)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
