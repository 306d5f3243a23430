"""Every benchmark in one run, side by side with the alternatives, written to bench/RESULTS.md.

    .venv/bin/python bench/run.py                      # ~10 minutes on 2 cores; writes bench/RESULTS.md
    .venv/bin/python bench/run.py --smoke              # seconds: checks it all works (CI); writes nothing
    .venv/bin/python bench/run.py --baseline TREE      # adds "before" rows: runner from another source tree
    .venv/bin/python bench/run.py --only engine,ingest --output /tmp/r.md

Sections: 1. engine (runner's isolated QuickJS beside Node `vm`), 2. ingest (`runner serve` beside
a minimal Node relay, bench/node_relay.js), 3. delivery (a 100k backlog, beside
segment-analytics-python), 4. scaling (1k, 10k, 100k events), 5. wrk (ingest under wrk, per
`--workers` count, with a queue check: bench/wrk_bench.py; needs wrk, smoke falls back to
loadgen), 6. memory (every process's RSS, idle to 100k events: bench/memory_bench.py),
7. preview (the CLI path over 3,000 samples: bench/preview_bench.py), 8. before/after on the
hot path (with --baseline). Everything shares this machine's cores: each section records how busy
the machine was with other work while it ran.
"""

from __future__ import annotations

import argparse
import datetime
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import memory_bench, preview_bench, report, wrk_bench
from bench.engine_section import NODE_NEW, RUNNER, EngineResults, measure
from bench.procs import MachineLoad
from bench.report import md_table, num
from bench.serve_bench import SEED, delivery, ingest, node_server, runner_server

SECTIONS = ("engine", "ingest", "delivery", "scaling", "wrk", "memory", "preview")
TARGETS = {
    "engine_per_s": 15_000,      # isolated events/s on one core
    "engine_vs_node_new": 10.0,  # × Node vm with a new context per event, overall and for every seed transform
    "ingest_per_s": 2_000,       # accepted/s, open loop, with
    "ingest_p99_ms": 20.0,       # p99 at that rate
    "delivery_vs_python": 3.0,   # × segment-analytics-python
    "w2_vs_relay_new": 2.0,      # `serve --workers 2` under wrk × the Node relay, new context per request
    "w2_vs_relay_reuse": 0.75,   # × the same relay with one reused context
    "w2_vs_w1": 1.3,             # × `serve --workers 1`
    "cpu_vs_before": 0.5,        # server CPU per accepted webhook × the tree before (--baseline)
    "preview_per_s": 15_000,     # `runner preview`, per sample, every seed transform
    "preview_vs_node_new": 10.0,
}

# What changed on the hot path since the tree a --baseline run measures (the one before the
# work on using every core), with the evidence that pointed at each.
FIXES = [
    ("Webhooks served on raw ASGI (runner/server/app.py, `_WebhookRoute`)",
     ("`POST /webhooks[/NAME]` no longer passes through Starlette's middleware stack, router, `Request` "
     "and `Response`: the route reads the body and writes its answer itself (the other paths, and the "
     "webhook paths' 405s, stay Starlette's). py-spy of the server: the Starlette layers were the largest "
     "framework share of the event loop's samples.")),
    ("Engine calls and outcomes cross the worker pipe as tuples (runner/engine/pool.py)",
     ("Each event was pickled as dataclasses (a class lookup and a field dict per object) both ways; as "
     "plain tuples the pickling costs a fraction. With the raw-ASGI route: 791 → 698 µs of CPU per webhook "
     "in alternated runs on a slower machine.")),
]


@dataclass(frozen=True)
class Plan:
    """How much of each section to run."""

    engine_rounds: int = 3
    engine_seconds: float = 1.0
    engine_events: int = 100_000
    ingest_events: dict[int, int] = field(default_factory=lambda: {1: 2_000, 16: 10_000, 64: 10_000})
    seed_events: int = 10_000
    open_rate: float = 2_000.0
    open_events: int = 20_000
    open_connections: int = 128
    node_new_events: int = 5_000
    sizes: tuple[int, ...] = (1_000, 10_000, 100_000)
    scale_connections: int = 16
    smoke: bool = False  # sections 5 and 6 take their own smoke sizes


SMOKE = Plan(smoke=True, engine_rounds=1, engine_seconds=0.2, engine_events=2_000, ingest_events={1: 50, 16: 200, 64: 200},
             seed_events=100, open_rate=500.0, open_events=200, open_connections=32, node_new_events=100,
             sizes=(200, 500))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny run of every section (CI); prints, writes nothing")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections of {', '.join(SECTIONS)}")
    parser.add_argument("--baseline", type=Path, help="a source tree (with runner/) to measure beside this one ('baseline tree' rows)")
    parser.add_argument("--output", type=Path, help="where to write the Markdown [default: bench/RESULTS.md; "
                                                      "with --smoke: nowhere]")
    args = parser.parse_args()
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}")
    if args.baseline and not (args.baseline / "runner" / "__init__.py").exists():
        parser.error(f"--baseline {args.baseline}: no runner/ package there")
    plan = SMOKE if args.smoke else Plan()
    output = args.output or (None if args.smoke else ROOT / "bench" / "RESULTS.md")
    tmp = Path(tempfile.mkdtemp(prefix="bench-run-"))
    started = datetime.datetime.now(datetime.UTC)
    try:
        parts, summary = run_sections(plan, only, args.baseline, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    minutes = (datetime.datetime.now(datetime.UTC) - started).total_seconds() / 60
    text = "\n\n".join([header(started, minutes, args.smoke), targets_table(summary), *parts])
    print(text)
    if output is not None:
        report.write(output, text)
        print(f"\nwritten to {output}", file=sys.stderr)
    if summary.get("lost"):
        print(f"\nLOSS: {summary['lost']} acknowledged events never reached the stand-in", file=sys.stderr)
        sys.exit(1)


def run_sections(plan: Plan, only: list[str], baseline: Path | None, tmp: Path) -> tuple[list[str], dict[str, float]]:
    parts: list[str] = []
    summary: dict[str, float] = {"lost": 0}
    ingest_rows: list[dict[str, object]] = []
    delivery_rows: dict[tuple[str, int], dict[str, float] | None] = {}
    if "engine" in only:
        load = MachineLoad().start()
        engine = measure(plan.engine_rounds, plan.engine_seconds, plan.engine_events, plan.sizes)
        parts.append(engine_part(engine, load.stop(), summary))
    if "ingest" in only:
        load = MachineLoad().start()
        ingest_rows = ingest_section(plan, baseline, tmp)
        parts.append(ingest_part(ingest_rows, plan, load.stop(), summary))
    if "delivery" in only:
        load = MachineLoad().start()
        big = plan.sizes[-1]
        for contender in ("runner", "analytics-python"):
            print(f"  delivery: {contender}, {big:,} events", file=sys.stderr)
            delivery_rows[(contender, big)] = delivery(contender, big, tmp)
        if baseline is not None:
            delivery_rows[("before", big)] = delivery("runner", big, tmp, source_root=baseline)
        parts.append(delivery_part(delivery_rows, big, load.stop(), summary))
    if "scaling" in only:
        parts.append(scaling_part(plan, tmp, ingest_rows, delivery_rows, engine if "engine" in only else None,
                                  summary))
    if "wrk" in only:
        text, bad, rates = wrk_bench.section(plan.smoke, tmp, heading="## 5. Ingest under wrk: `runner serve` per worker count beside the Node relay")
        parts.append(text)
        summary["lost"] += bad
        summary.update({f"wrk {key}": value for key, value in rates.items()})
    if "memory" in only:
        parts.append(memory_bench.section(plan.smoke, tmp, heading="## 6. Memory: every process of `runner serve`, idle to "
                                          + ("1,000" if plan.smoke else "100,000") + " events"))
    if "preview" in only:
        text, found, _ = preview_bench.section(preview_bench.SMOKE if plan.smoke else preview_bench.Plan(),
                                               heading="## 7. The CLI path: `runner preview` of thousands of samples")
        parts.append(text)
        summary.update(found)
    if baseline is not None:
        parts.append(fixes_part(ingest_rows, delivery_rows, plan))
    return parts, summary


# --- 1. engine ------------------------------------------------------------------------------

def engine_part(e: EngineResults, load: dict[str, float], summary: dict[str, float]) -> str:
    base = e.contenders[RUNNER].median
    rows = []
    for c in e.contenders.values():
        rows.append([c.name, num(c.median), f"{num(min(c.rates))}–{num(max(c.rates))}",
                     num(report_pct(c.latencies_us, 0.5), 1), num(report_pct(c.latencies_us, 0.99), 1),
                     f"{base / c.median:.2f}×"])
    summary["engine_per_s"] = base
    if NODE_NEW in e.contenders:
        summary["engine_vs_node_new"] = base / e.contenders[NODE_NEW].median
    seeds = [float(r["runner_per_s"]) / float(r["node_new_per_s"]) for r in e.per_transform if "node_new_per_s" in r]
    if seeds:
        summary["engine_seed_min_vs_node_new"] = min(seeds)
    per = []
    for r in e.per_transform:
        line = [r["transform"], num(float(r["runner_per_s"])), num(float(r["runner_p50_us"]), 1), num(float(r["runner_p99_us"]), 1)]
        if "node_new_per_s" in r:
            line += [num(float(r["node_new_per_s"])), num(float(r["node_new_p50_us"]), 1),
                     f"{float(r['runner_per_s']) / float(r['node_new_per_s']):.1f}×",
                     num(float(r["node_reuse_per_s"])), num(float(r["node_reuse_p50_us"]), 1)]
        per.append(line)
    first = next((s for s in e.series if s["events"] >= e.series[-1]["events"] // 10), e.series[0])
    last = e.series[-1]
    growth = (last["rss_kib"] - first["rss_kib"]) * 1024 / max(1, last["events"] - first["events"])
    mem = ", ".join(f"{int(s['events']):,}: {int(s['rss_kib']):,}" for s in e.series)
    return "\n\n".join([
        "## 1. Engine: isolated events/s on one core, beside Node `vm`",
        (f"Every bundled transform on every bundled sample ({e.pairs} handler × sample pairs, compact JSON), "
        f"round-robin on one thread; {e.rounds} interleaved rounds of {e.seconds:g} s, median and min–max of the "
        f"rounds; latency percentiles over all events of all rounds. runner: `Engine.run` with per-event isolation "
        f"and the compat layer, event type given as `runner serve` gives it. {machine_note(load)}"),
        md_table(["contender", "events/s (median)", "min–max", "p50 µs", "p99 µs", "runner ÷ this"], rows),
        "Per transform (all samples; one round each):",
        md_table(["transform", "runner events/s", "p50 µs", "p99 µs", "node new-context events/s", "p50 µs",
                  "runner ÷ node new", "node reused events/s", "p50 µs"], per),
        (f"Resident memory of one engine over {int(last['events']):,} isolated events (events: KiB): {mem}. "
        f"Growth after the first tenth: {growth:+.2f} bytes/event "
        f"({'flat' if abs(growth) < 16 else 'NOT flat'})."),
    ])


def report_pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


# --- 2. ingest ------------------------------------------------------------------------------

def ingest_section(plan: Plan, baseline: Path | None, tmp: Path) -> list[dict[str, object]]:
    """Each load point for each contender, the contenders back to back at each point."""
    has_node = shutil.which("node") is not None
    contenders = [("runner", runner_server())]
    if baseline is not None:
        contenders.append(("before", runner_server(baseline, "runner serve, baseline tree")))
    if has_node:
        contenders.append(("node", node_server("reuse")))
    points: list[tuple[int, int, list[str], float | None]] = [(conn, n, SEED[:1], None)
                                                             for conn, n in plan.ingest_events.items()]
    points.append((plan.scale_connections, plan.seed_events, SEED, None))
    points.append((plan.open_connections, plan.open_events, SEED[:1], plan.open_rate))
    rows = []
    for conn, n, transforms, rate in points:
        for key, start in contenders:
            print(f"  ingest: {key}, {len(transforms)} transform(s), {conn} connections, {n:,} events"
                  + (f", {rate:,.0f}/s" if rate else ""), file=sys.stderr)
            rows.append({"key": key, **ingest(start, n, conn, transforms, tmp, rate=rate)})
    if has_node:
        print("  ingest: node, new context per event", file=sys.stderr)
        rows.append({"key": "node-new", **ingest(node_server("new"), plan.node_new_events, plan.scale_connections,
                                                  SEED[:1], tmp)})
    return rows


def ingest_part(rows: list[dict[str, object]], plan: Plan, load: dict[str, float], summary: dict[str, float]) -> str:
    table = []
    for r in rows:
        table.append([r["contender"], r["transforms"], r["connections"], r["load"], f"{r['acked']:,}/{r['sent']:,}",
                      num(float(r["accepted_per_s"])),  # type: ignore[arg-type]
                      num(float(r["p50_ms"]), 1), num(float(r["p99_ms"]), 1), num(float(r["p999_ms"]), 1),  # type: ignore[arg-type]
                      num(float(r["delivered_per_s"])), r["lost"], r["duplicates"],  # type: ignore[arg-type]
                      num(float(r["cpu_us_per_event"])), r["errors"]])  # type: ignore[arg-type]
        if r["key"] == "runner":
            summary["lost"] += int(r["lost"])  # type: ignore[call-overload]
            if str(r["load"]).startswith("open"):
                summary["ingest_per_s"] = float(r["accepted_per_s"])  # type: ignore[arg-type]
                summary["ingest_p99_ms"] = float(r["p99_ms"])  # type: ignore[arg-type]
                summary["ingest_open_lag_s"] = float(r["drain_lag_s"])  # type: ignore[arg-type]
                summary["ingest_open_rate"] = plan.open_rate
            elif r["transforms"] == 1:
                summary["ingest_max_per_s"] = max(summary.get("ingest_max_per_s", 0.0), float(r["accepted_per_s"]))  # type: ignore[arg-type]
            else:
                summary["ingest_seed_per_s"] = float(r["accepted_per_s"])  # type: ignore[arg-type]
    ratios = []
    by_point: dict[tuple[object, ...], dict[str, dict[str, object]]] = {}
    for r in rows:
        by_point.setdefault((r["transforms"], r["connections"], r["load"]), {})[str(r["key"])] = r
    same_point = by_point.get((1, plan.scale_connections, "closed"), {})
    for key, name in (("runner", "ingest_cpu_us"), ("before", "ingest_cpu_before_us")):
        if key in same_point:
            summary[name] = float(same_point[key]["cpu_us_per_event"])  # type: ignore[arg-type]
    for (transforms, conn, mode), group in by_point.items():
        if "runner" in group and "node" in group:
            ratios.append(f"{transforms} transform(s), {conn} connections, {mode}: runner ÷ node relay = "
                          f"{float(group['runner']['accepted_per_s']) / float(group['node']['accepted_per_s']):.2f}× accepted/s")  # type: ignore[arg-type]
    isolated = next((r for r in rows if r["key"] == "node-new"), None)
    same = next((r for r in rows if r["key"] == "runner" and isolated and r["connections"] == isolated["connections"]
                 and r["transforms"] == isolated["transforms"] and r["load"] == "closed"), None)
    if isolated and same:
        ratios.append(f"with per-event isolation on both sides ({same['connections']} connections): runner ÷ node relay "
                      f"with a new context per event = {float(same['accepted_per_s']) / float(isolated['accepted_per_s']):.2f}× "  # type: ignore[arg-type]
                      "accepted/s")
    return "\n\n".join([
        "## 2. Ingest: signed webhooks accepted per second",
        ("Signed `payment.succeeded` webhooks on keep-alive loopback connections from bench/loadgen.py (requests "
        "pre-signed before the clock starts; closed loop: one request in flight per connection; open loop: paced "
        "at a fixed rate). runner: `runner serve` with the SQLite queue (synchronous=FULL: 200 only after the "
        "fsync'd commit), 2 engine workers, delivering to the loopback Segment stand-in. node relay: "
        "bench/node_relay.js — Node `http` + `vm`, same handlers, HMAC check, batches to the stand-in, **no "
        "durability, no retries, no dedupe**. Latency: from writing the request to reading the whole response. "
        "Delivered/s: unique events at the stand-in from the first request to the last event; lost: accepted "
        "but never delivered. CPU: the server's process tree per accepted event (for runner: server + engine "
        f"workers). {len(rows)} runs, one each. {machine_note(load)}"),
        md_table(["contender", "transforms", "connections", "load", "accepted", "accepted/s", "p50 ms", "p99 ms",
                  "p99.9 ms", "delivered/s", "lost", "dup", "CPU µs/event", "errors"], table),
        "\n".join(f"- {line}" for line in ratios),
    ])


# --- 3. delivery ----------------------------------------------------------------------------

def delivery_part(rows: dict[tuple[str, int], dict[str, float] | None], n: int, load: dict[str, float],
                  summary: dict[str, float]) -> str:
    ours = rows[("runner", n)]
    theirs = rows.get(("analytics-python", n))
    assert ours is not None
    table = [["runner dispatcher (queue → /v1/batch)", num(ours["events_per_s"]), f"{ours['seconds']:.1f}",
              f"{ours['db_bytes'] / 2**20:.1f} MiB", "1.00×"]]
    if rows.get(("before", n)):
        before = rows[("before", n)]
        assert before is not None
        table.append(["runner dispatcher, baseline tree", num(before["events_per_s"]), f"{before['seconds']:.1f}",
                      f"{before['db_bytes'] / 2**20:.1f} MiB", f"{ours['events_per_s'] / before['events_per_s']:.2f}×"])
    if theirs is not None:
        table.append(["segment-analytics-python (defaults)", num(theirs["events_per_s"]), f"{theirs['seconds']:.1f}", "–",
                      f"{ours['events_per_s'] / theirs['events_per_s']:.2f}×"])
        summary["delivery_vs_python"] = ours["events_per_s"] / theirs["events_per_s"]
    else:
        table.append(["segment-analytics-python", "not installed (`pip install -e '.[bench]'`)", "", "", ""])
    return "\n\n".join([
        f"## 3. Delivery: a backlog of {n:,} queued events to the Segment stand-in",
        ("The same events (what the payments transform makes of payment webhooks) to the same loopback stand-in "
        "(harness/segment_standin.py, a fresh process per contender). runner: queued first (not timed), "
        "then its dispatcher drains the queue (claim, pack into `/v1/batch`, send, ack each batch in SQLite); "
        "timed until the stand-in has every event. segment-analytics-python: its client with default settings "
        "(one consumer thread, batches of 100), timed from the first `track()` until the stand-in has every "
        f"event. One run each (bench/drain.py). {machine_note(load)}"),
        md_table(["contender", "events/s", "seconds", "queue size", "runner ÷ this"], table),
    ])


# --- 4. scaling -----------------------------------------------------------------------------

def scaling_part(plan: Plan, tmp: Path, ingest_rows: list[dict[str, object]],
                 delivery_rows: dict[tuple[str, int], dict[str, float] | None], engine: EngineResults | None,
                 summary: dict[str, float]) -> str:
    conn = plan.scale_connections
    ingest_at: dict[tuple[str, int], dict[str, object]] = {}
    for r in ingest_rows:
        if r["connections"] == conn and r["transforms"] == 1 and r["load"] == "closed" and r["key"] in ("runner", "node"):
            ingest_at[(str(r["key"]), int(r["sent"]))] = r  # type: ignore[call-overload]
    load = MachineLoad().start()
    for n in plan.sizes:
        for key, start in [("runner", runner_server()), ("node", node_server("reuse"))]:
            if key == "node" and shutil.which("node") is None:
                continue
            if (key, n) not in ingest_at:
                print(f"  scaling: ingest {key}, {n:,} events", file=sys.stderr)
                ingest_at[(key, n)] = ingest(start, n, conn, SEED[:1], tmp)
                if key == "runner":
                    summary["lost"] += int(ingest_at[(key, n)]["lost"])  # type: ignore[call-overload]
        for contender in ("runner", "analytics-python"):
            if (contender, n) not in delivery_rows:
                print(f"  scaling: delivery {contender}, {n:,} events", file=sys.stderr)
                delivery_rows[(contender, n)] = delivery(contender, n, tmp)
    rows = []
    for n in plan.sizes:
        line: list[object] = [f"{n:,}"]
        if engine is not None:
            point = next((s for s in engine.series if s["events"] == n), None)
            line += [num(point["per_s"]) if point else "–", f"{int(point['rss_kib']):,}" if point else "–"]
        ing, nd = ingest_at.get(("runner", n)), ingest_at.get(("node", n))
        line += [num(float(ing["accepted_per_s"])) if ing else "–", num(float(ing["p99_ms"]), 1) if ing else "–",  # type: ignore[arg-type]
                 num(float(ing["delivered_per_s"])) if ing else "–",  # type: ignore[arg-type]
                 f"{int(ing['db_bytes']) / 2**20:.1f}" if ing else "–",  # type: ignore[call-overload]
                 num(float(nd["accepted_per_s"])) if nd else "–"]  # type: ignore[arg-type]
        d, p = delivery_rows.get(("runner", n)), delivery_rows.get(("analytics-python", n))
        line += [num(d["events_per_s"]) if d else "–", num(p["events_per_s"]) if p else "–",
                 f"{d['events_per_s'] / p['events_per_s']:.1f}×" if d and p else "–"]
        rows.append(line)
    headers = ["events"]
    if engine is not None:
        headers += ["engine events/s (stretch ending there)", "engine RSS KiB"]
    headers += [f"ingest accepted/s ({conn} conn.)", "ingest p99 ms", "ingest delivered/s", "queue MiB after",
                "node relay accepted/s", "delivery events/s", "analytics-python events/s", "delivery ratio"]
    return "\n\n".join([
        "## 4. Scaling: the same figures at " + ", ".join(f"{n:,}" for n in plan.sizes) + " events",
        ("How cost grows with the amount of work: the engine over one long run (events/s over the stretch of events "
        f"ending at each mark, and resident memory there), ingest closed loop at {conn} connections into a fresh queue of that many events "
        "(queue size on disk afterwards), delivery of a backlog of that size. Rows measured in the sections above "
        f"are reused. {machine_note(load.stop())}"),
        md_table(headers, rows),
    ])


# --- 5. before / after ----------------------------------------------------------------------

def fixes_part(ingest_rows: list[dict[str, object]], delivery_rows: dict[tuple[str, int], dict[str, float] | None],
               plan: Plan) -> str:
    by_point: dict[tuple[object, ...], dict[str, dict[str, object]]] = {}
    for r in ingest_rows:
        by_point.setdefault((r["transforms"], r["connections"], r["load"]), {})[str(r["key"])] = r
    rows = []
    for (transforms, conn, mode), g in by_point.items():
        if "runner" not in g or "before" not in g:
            continue
        b, a = g["before"], g["runner"]
        rows.append([f"ingest, {transforms} transform(s), {conn} conn., {mode}",
                     f"{num(float(b['accepted_per_s']))} → {num(float(a['accepted_per_s']))}",  # type: ignore[arg-type]
                     f"{num(float(b['p99_ms']), 1)} → {num(float(a['p99_ms']), 1)}",  # type: ignore[arg-type]
                     f"{num(float(b['cpu_us_per_event']))} → {num(float(a['cpu_us_per_event']))}"])  # type: ignore[arg-type]
    n = plan.sizes[-1]
    before, after = delivery_rows.get(("before", n)), delivery_rows.get(("runner", n))
    if before and after:
        rows.append([f"delivery of {n:,} queued events", f"{num(before['events_per_s'])} → {num(after['events_per_s'])}",
                     "–", "–"])
    fixes = "\n".join(f"{i}. **{title}**. {evidence}" for i, (title, evidence) in enumerate(FIXES, 1))
    return "\n\n".join([
        "## 8. Hot path: before → after",
        ("Measured in this same run: `runner serve` from the source tree given as `--baseline` beside "
        "this one, back to back at each load point (see section 2 for both rows in full)."),
        fixes,
        md_table(["measure", "accepted/s (or events/s)", "p99 ms", "server CPU µs/event"], rows, "lrrr"),
    ])


# --- the top of the file --------------------------------------------------------------------

def header(started: datetime.datetime, minutes: float, smoke: bool) -> str:
    lines = "\n".join(f"- {fact}" for fact in report.machine())
    return "\n\n".join([
        "# Benchmarks: runner beside the alternatives",
        (f"Generated by `python bench/run.py`{' --smoke (tiny sizes: not figures to quote)' if smoke else ''} on "
        f"{started:%Y-%m-%d %H:%M} UTC in {minutes:.1f} minutes. Load generator, stand-in, servers and engine "
        "workers all share this machine; each section notes how busy the machine was with other work meanwhile "
        "(share of all cores used by processes outside this run). Medians; min–max where there are rounds."),
        lines,
    ])


def targets_table(s: dict[str, float]) -> str:
    def check(ok: bool | None) -> str:
        return "–" if ok is None else ("met" if ok else "**behind**")

    def get(key: str) -> float | None:
        return s.get(key)

    rows = []
    v = get("engine_per_s")
    rows.append(["engine: isolated events/s, one core", f"≥ {TARGETS['engine_per_s']:,}", num(v) if v else "–",
                 check(None if v is None else v >= TARGETS["engine_per_s"])])
    v = get("engine_vs_node_new")
    rows.append(["engine ÷ Node vm (new context per event)", f"≥ {TARGETS['engine_vs_node_new']:g}×",
                 f"{v:.1f}×" if v else "–", check(None if v is None else v >= TARGETS["engine_vs_node_new"])])
    v, p99, rate = get("ingest_per_s"), get("ingest_p99_ms"), get("ingest_open_rate") or 0.0
    # Open loop: the server keeps up when it accepts (nearly) all that is offered, at the target rate.
    keeps_up = None if v is None or rate < TARGETS["ingest_per_s"] else v >= 0.98 * rate
    rows.append([f"ingest: accepted/s, open loop at {num(rate)}/s", f"≥ {TARGETS['ingest_per_s']:,}",
                 num(v) if v else "–", check(keeps_up)])
    rows.append(["ingest: p99 at that rate", f"≤ {TARGETS['ingest_p99_ms']:g} ms", f"{p99:.1f} ms" if p99 else "–",
                 check(None if p99 is None or keeps_up is None else p99 <= TARGETS["ingest_p99_ms"])])
    v = get("ingest_max_per_s")
    rows.append(["ingest: accepted/s, closed loop (best of 1/16/64 conn.)", f"≥ {TARGETS['ingest_per_s']:,}",
                 num(v) if v else "–", check(None if v is None else v >= TARGETS["ingest_per_s"])])
    v = get("ingest_seed_per_s")
    rows.append(["ingest: accepted/s, the 3 seed transforms on one endpoint, closed loop",
                 f"≥ {TARGETS['ingest_per_s']:,}", num(v) if v else "–",
                 check(None if v is None else v >= TARGETS["ingest_per_s"])])
    v = get("delivery_vs_python")
    rows.append(["delivery ÷ segment-analytics-python", f"≥ {TARGETS['delivery_vs_python']:g}×",
                 f"{v:.1f}×" if v else "–", check(None if v is None else v >= TARGETS["delivery_vs_python"])])
    v = get("engine_seed_min_vs_node_new")
    rows.append(["engine ÷ Node vm (new context), the slowest seed transform", f"≥ {TARGETS['engine_vs_node_new']:g}×",
                 f"{v:.1f}×" if v else "–", check(None if v is None else v >= TARGETS["engine_vs_node_new"])])
    w1, w2 = get("wrk runner-w1"), get("wrk runner-w2")
    for key, goal, label in (("relay-new", "w2_vs_relay_new", "Node relay, new context per request"),
                             ("relay-reuse", "w2_vs_relay_reuse", "Node relay, one reused context")):
        other = get(f"wrk {key}")
        v = w2 / other if w2 and other else None
        rows.append([f"`serve --workers 2` under wrk ÷ {label}", f"≥ {TARGETS[goal]:g}×", f"{v:.2f}×" if v else "–",
                     check(None if v is None else v >= TARGETS[goal])])
    v = w2 / w1 if w1 and w2 else None
    rows.append(["`serve --workers 2` ÷ `--workers 1` under wrk (2 cores, wrk on them too)", f"≥ {TARGETS['w2_vs_w1']:g}×",
                 f"{v:.2f}×" if v else "–", check(None if v is None else v >= TARGETS["w2_vs_w1"])])
    now, before = get("ingest_cpu_us"), get("ingest_cpu_before_us")
    v = now / before if now and before else None
    rows.append(["server CPU per accepted webhook ÷ the --baseline tree's (16 conn., closed loop)",
                 f"≤ {TARGETS['cpu_vs_before']:g}×", f"{num(now)} ÷ {num(before)} µs = {v:.2f}×" if v and now and before
                 else (f"{num(now)} µs (no --baseline)" if now else "–"), check(None if v is None else v <= TARGETS["cpu_vs_before"])])
    v = get("preview_per_s")
    rows.append(["`runner preview`: samples/s per sample, the slowest seed transform", f"≥ {TARGETS['preview_per_s']:,}",
                 num(v) if v else "–", check(None if v is None else v >= TARGETS["preview_per_s"])])
    v = get("preview_vs_node_new")
    rows.append(["`runner preview` ÷ Node vm (new context), the slowest seed transform", f"≥ {TARGETS['preview_vs_node_new']:g}×",
                 f"{v:.1f}×" if v else "–", check(None if v is None else v >= TARGETS["preview_vs_node_new"])])
    rows.append(["acknowledged but not delivered, or delivered twice (runner)", "0", f"{int(s.get('lost', 0))}", check(not s.get("lost"))])
    return "## Targets\n\n" + md_table(["target", "goal", "measured", "status"], rows, "lrrl")


def machine_note(load: dict[str, float]) -> str:
    busy = load["others_pct"]
    verdict = "quiet" if busy < 10 else "busy" if busy < 40 else "very busy"
    return (f"Machine {verdict} with other work during this section: other processes used {busy:.0f}% of all "
            f"cores (load average {load['loadavg_1m']:.1f}); section took {load['wall_s']:.0f} s.")


if __name__ == "__main__":
    main()
