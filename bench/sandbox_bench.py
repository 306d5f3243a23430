"""What the sandbox's guarantees cost: isolated events/s through `Engine` and through
`runner preview`, before and after (`--baseline TREE`, another source tree of runner), beside
Node `vm` with a new context per event; and what a watchdog kill costs the events around it.

    .venv/bin/python bench/sandbox_bench.py --baseline /path/to/older/runner   # ~1.5 min
    .venv/bin/python bench/sandbox_bench.py --smoke                             # seconds (CI)

Rounds of the contenders are interleaved, so drift in machine load hits all alike; figures are
medians over rounds. Prints markdown tables.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.engine_bench import node_round, workload
from bench.report import md_table, num

# Events/s of an isolated Engine over every bundled transform × sample, event type given as
# `runner serve` gives it, in a process that imports runner from the tree given as argv[1].
_ENGINE_RATE = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from runner.engine import Engine, Handler
root, seconds = Path(sys.argv[2]), float(sys.argv[3])
handlers = [Handler.from_file(p) for p in sorted((root / "transforms").glob("*.js"))]
samples = [json.dumps(json.loads(p.read_text("utf-8")), separators=(",", ":")) for p in sorted((root / "samples").glob("*.json"))]
pairs = [(h, s, json.loads(s)["type"]) for h in handlers for s in samples]
engine = Engine()
for h, s, t in pairs:
    engine.run(h, s, event_type=t)
n, start = 0, time.perf_counter()
while time.perf_counter() - start < seconds:
    h, s, t = pairs[n % len(pairs)]
    engine.run(h, s, event_type=t)
    n += 1
print(n / (time.perf_counter() - start))
"""


def engine_rate(tree: Path, seconds: float) -> float:
    out = subprocess.run([sys.executable, "-c", _ENGINE_RATE, str(tree), str(ROOT), str(seconds)],
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def preview_rate(tree: Path, samples_dir: Path, count: int) -> float:
    """Samples/s of `runner preview` (the whole command: start-up included) over `count` samples.
    Run outside any source tree: `python -m` would import the runner in its working directory
    ahead of PYTHONPATH's."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "runner", "preview", str(ROOT / "transforms" / "segment-track-payments.js"),
                    str(samples_dir), "--format", "json"], cwd=samples_dir.parent, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    return count / (time.perf_counter() - started)


def many_samples(count: int) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="runner-bench-samples-"))
    bodies = sorted((ROOT / "samples").glob("*.json"))
    for i in range(count):
        (folder / f"{i:05d}-{bodies[i % len(bodies)].name}").write_text(bodies[i % len(bodies)].read_text())
    return folder


def kill_costs(rounds: int, limit_ms: int) -> dict[str, list[float]]:
    """One engine worker: a handler spinning in a native built-in, an innocent event queued right
    behind it, the next event after the kill, and the spare's replacement."""
    from runner.engine import EnginePool, Handler, Limits

    # Spins on payments only, so that its context can be built (and warm) before it is timed.
    spin = Handler.from_source('function handler(w) { if (w.eventType === "payment.succeeded") { const h = "a".repeat(1 << 18); '
                               'h.indexOf("a".repeat(1 << 17) + "b"); } return w; }', "spin.js")
    good = Handler.from_file(ROOT / "transforms" / "segment-track-payments.js")
    body = (ROOT / "samples" / "payment.succeeded.json").read_text()
    refund = (ROOT / "samples" / "refund.succeeded.json").read_text()
    out: dict[str, list[float]] = {"overrun": [], "queued": [], "after": [], "spare": [], "warm": []}
    with EnginePool(workers=1, limits=Limits(time_ms=limit_ms)) as pool:
        pool.run(good, body)
        for _ in range(rounds):
            while pool._spare is None:  # measuring the pool's own state
                time.sleep(0.01)
            pool.run(spin, refund)  # its context, on this worker, ready
            t0 = time.perf_counter()
            pool.run(good, body)
            out["warm"].append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            hung = pool.submit(spin, body)
            queued = pool.submit(good, body)
            outcome = hung.result()
            out["overrun"].append((time.perf_counter() - t0) * 1000)
            assert outcome.error is not None and outcome.error.type == "TimeLimitExceeded", outcome
            assert queued.result().status == "sent"
            out["queued"].append((time.perf_counter() - t0) * 1000)
            t1 = time.perf_counter()
            pool.run(good, body)
            out["after"].append((time.perf_counter() - t1) * 1000)
            t2 = time.perf_counter()
            while pool._spare is None:
                time.sleep(0.005)
            out["spare"].append((time.perf_counter() - t2) * 1000 + out["after"][-1])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", type=Path, help="a source tree of runner to measure as 'before'")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0, help="per engine round")
    parser.add_argument("--samples", type=int, default=3000, help="samples for the preview rows")
    parser.add_argument("--smoke", action="store_true", help="a few seconds: check that it all works")
    args = parser.parse_args()
    if args.smoke:
        args.rounds, args.seconds, args.samples = 1, 0.3, 50
    trees = {"after (this tree)": ROOT}
    if args.baseline is not None:
        trees = {"before": args.baseline.resolve(), **trees}
    samples_dir = many_samples(args.samples)
    engine: dict[str, list[float]] = {name: [] for name in trees}
    preview: dict[str, list[float]] = {name: [] for name in trees}
    node: list[float] = []
    pairs = workload()
    for _ in range(args.rounds):
        for name, tree in trees.items():
            engine[name].append(engine_rate(tree, args.seconds))
            preview[name].append(preview_rate(tree, samples_dir, args.samples))
        node.append(node_round(pairs, "new", args.seconds)[0])
    node_rate = statistics.median(node)
    rows = []
    for name in trees:
        e, p = statistics.median(engine[name]), statistics.median(preview[name])
        rows.append([name, num(e), f"{e / node_rate:.1f}×", num(p)])
    rows.append(["node vm, new context per event", num(node_rate), "1.0×", ""])
    print(f"## Isolated events/s (medians of {args.rounds} interleaved rounds; preview: {args.samples} samples, start-up included)\n")
    print(md_table(["contender", "Engine events/s", "vs node new-context", "runner preview samples/s"], rows))
    costs = kill_costs(2 if args.smoke else 7, 300)
    print("\n## A watchdog kill (one engine worker, time limit 300 ms, a native `indexOf` spin)\n")
    print(md_table(["measure", "median ms", "max ms"], [
        ["a warm event, before", f"{statistics.median(costs['warm']):.2f}", f"{max(costs['warm']):.2f}"],
        ["spinning event answered TimeLimitExceeded", f"{statistics.median(costs['overrun']):.0f}", f"{max(costs['overrun']):.0f}"],
        ["innocent event queued behind it, answered", f"{statistics.median(costs['queued']):.0f}", f"{max(costs['queued']):.0f}"],
        ["next event, on the replacement (its transform's first event there)", f"{statistics.median(costs['after']):.1f}", f"{max(costs['after']):.1f}"],
        ["a new spare started and ready", f"{statistics.median(costs['spare']):.0f}", f"{max(costs['spare']):.0f}"],
    ]))


if __name__ == "__main__":
    main()
