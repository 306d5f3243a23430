"""Engine throughput with per-event isolation, beside Node's `vm`, measured in one run.

    python bench/engine_bench.py            # ~1 minute; prints a Markdown table
    python bench/engine_bench.py --smoke    # a few seconds, for CI

Workload: every bundled transform on every bundled sample (as compact JSON, the way webhooks
arrive), round-robin, one thread (one core).
Rows:
- runner: `Engine.run` (isolated: each event re-runs the handler's top level in a fresh scope,
  globals restored after it), compat layer loaded, event type given as `runner serve` gives it
  (the body is parsed only if the handler reads it);
- runner, engine parses every body: the same without the event type (as `runner preview` of a
  body of unknown type would);
- runner without the compat layer: the same with the V8-fidelity layer swapped out, to show what
  that layer costs per event;
- node vm, new context per event: the isolation a small Node relay would need;
- node vm, one reused context: no isolation at all, for scale.
Each row is the median of several rounds; min–max shows the spread. Run on an otherwise idle
machine: it is noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from runner.engine import Engine, Handler, sandbox


def workload() -> list[tuple[Handler, str]]:
    handlers = [Handler.from_file(p) for p in sorted((ROOT / "transforms").glob("*.js"))]
    # Webhooks arrive as compact JSON; the bundled samples are indented for reading.
    samples = [json.dumps(json.loads(p.read_text("utf-8")), separators=(",", ":"), ensure_ascii=False)
               for p in sorted((ROOT / "samples").glob("*.json"))]
    return [(h, s) for h in handlers for s in samples]


def runner_round(pairs: list[tuple[Handler, str]], seconds: float, known_type: bool = True) -> tuple[float, list[float]]:
    """`known_type`: the caller passes the event type, as `runner serve` does (it has parsed the
    envelope already), so the engine parses a body only when the handler reads it."""
    engine = Engine()
    types = [json.loads(s)["type"] if known_type else None for _, s in pairs]
    for h, s in pairs:  # warm: compile every handler once
        engine.run(h, s)
    lat: list[float] = []
    n = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        i = n % len(pairs)
        h, s = pairs[i]
        t0 = time.perf_counter()
        engine.run(h, s, event_type=types[i])
        t1 = time.perf_counter()
        lat.append((t1 - t0) * 1e6)
        n += 1
        if t1 >= deadline:
            break
    engine.close()
    return n / (time.perf_counter() - start), lat


def node_round(pairs: list[tuple[Handler, str]], mode: str, seconds: float) -> tuple[float, list[float]]:
    cases = [{"source": h.source, "body": s} for h, s in pairs]
    proc = subprocess.run(["node", str(ROOT / "bench" / "node_vm.js")], input=json.dumps(
        {"cases": cases, "mode": mode, "seconds": seconds}), capture_output=True, text=True, check=True,
        env=dict(os.environ, TZ="UTC"))
    data = json.loads(proc.stdout)
    return data["events"] / data["seconds"], data["latencies_us"]


def per_transform(pairs: list[tuple[Handler, str]], seconds: float) -> list[tuple[str, float, float, float]]:
    """(transform, events/s, p50 µs, p99 µs) for each transform over all samples."""
    rows = []
    for name in sorted({h.filename for h, _ in pairs}):
        rate, lat = runner_round([(h, s) for h, s in pairs if h.filename == name], seconds)
        rows.append((Path(name).name, rate, pct(lat, 0.5), pct(lat, 0.99)))
    return rows


def rss_kib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def memory_series(pairs: list[tuple[Handler, str]], events: int, every: int) -> list[tuple[int, int]]:
    """Resident memory (KiB) after every `every` events of one engine: flat means no leak."""
    engine = Engine()
    series = []
    for n in range(1, events + 1):
        h, s = pairs[n % len(pairs)]
        engine.run(h, s)
        if n % every == 0:
            series.append((n, rss_kib()))
    engine.close()
    return series


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=2.0, help="length of one round")
    parser.add_argument("--memory-events", type=int, default=100_000, help="events for the RSS series")
    parser.add_argument("--smoke", action="store_true", help="one short round of each, for CI")
    args = parser.parse_args()
    if args.smoke:
        args.rounds, args.seconds, args.memory_events = 1, 0.3, 2_000
    pairs = workload()
    rows: dict[str, list[tuple[float, list[float]]]] = {}
    real_bootstrap = sandbox.bootstrap_source
    has_node = shutil.which("node") is not None
    for r in range(args.rounds):
        # Interleave the contenders so drift in machine load hits all of them alike.
        print(f"round {r + 1}/{args.rounds} …", file=sys.stderr)
        sandbox.bootstrap_source = real_bootstrap
        rows.setdefault("runner (isolated, compat layer)", []).append(runner_round(pairs, args.seconds))
        rows.setdefault("runner, engine parses every body", []).append(runner_round(pairs, args.seconds, known_type=False))
        sandbox.bootstrap_source = lambda: "(function configure() {})"
        rows.setdefault("runner (isolated, no compat layer)", []).append(runner_round(pairs, args.seconds))
        sandbox.bootstrap_source = real_bootstrap
        if has_node:
            rows.setdefault("node vm, new context per event", []).append(node_round(pairs, "new", args.seconds))
            rows.setdefault("node vm, one reused context (no isolation)", []).append(node_round(pairs, "reuse", args.seconds))
    medians = {name: statistics.median(rate for rate, _ in rounds) for name, rounds in rows.items()}
    base = medians["runner (isolated, compat layer)"]
    print(f"\n{len(pairs)} handler×sample pairs; {args.rounds} rounds of {args.seconds:g} s; "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}\n")
    print("| contender | events/s (median) | min–max | p50 µs | p99 µs | runner ÷ this |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, rounds in rows.items():
        rates = [rate for rate, _ in rounds]
        lat = [x for _, lats in rounds for x in lats]
        print(f"| {name} | {medians[name]:,.0f} | {min(rates):,.0f}–{max(rates):,.0f} | {pct(lat, 0.5):.1f} | "
              f"{pct(lat, 0.99):.1f} | {base / medians[name]:.2f}× |")
    if "runner (isolated, no compat layer)" in medians:
        cost = 1 - base / medians["runner (isolated, no compat layer)"]
        print(f"\nCompat layer per-event cost: {cost * 100:+.1f}% throughput")

    print("\n| transform (all samples) | events/s | p50 µs | p99 µs |")
    print("|---|---:|---:|---:|")
    for name, rate, p50, p99 in per_transform(pairs, args.seconds):
        print(f"| {name} | {rate:,.0f} | {p50:.1f} | {p99:.1f} |")

    every = max(1, args.memory_events // 10)
    series = memory_series(pairs, args.memory_events, every)
    first, last = series[0][1], series[-1][1]
    print(f"\nResident memory over {args.memory_events:,} isolated events (KiB, every {every:,}): "
          + ", ".join(str(kib) for _, kib in series))
    print(f"Growth from the first to the last sample: {last - first:+,} KiB "
          f"({(last - first) * 1024 / max(1, args.memory_events - every):.2f} bytes/event)")


if __name__ == "__main__":
    main()
