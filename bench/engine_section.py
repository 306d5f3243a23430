"""The engine section of bench/run.py: runner's isolated engine beside Node's `vm` on the same
handler × sample pairs (bench/engine_bench.py has the single-purpose CLI and the primitives).

- contenders, interleaved round by round so drift in machine load hits all alike: runner
  (`Engine.run`, isolated, compat layer, event type given as `runner serve` gives it), Node
  `vm` with a new context per event (the isolation runner gives), Node `vm` with one reused
  context (no isolation);
- the same per bundled transform over all samples;
- one engine over many events: events/s and resident memory at 1k, 10k, 100k events (flat
  memory means nothing leaks from one event to the next).
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.engine_bench import node_round, pct, rss_kib, runner_round, workload
from runner.engine import Engine, Handler

RUNNER = "runner (isolated)"
NODE_NEW = "node vm, new context per event"
NODE_REUSE = "node vm, one reused context (no isolation)"


@dataclass
class Contender:
    name: str
    rates: list[float] = field(default_factory=list)
    latencies_us: list[float] = field(default_factory=list)

    def add(self, rate: float, lat: list[float]) -> None:
        self.rates.append(rate)
        self.latencies_us += lat

    @property
    def median(self) -> float:
        return statistics.median(self.rates)


@dataclass
class EngineResults:
    pairs: int
    rounds: int
    seconds: float
    contenders: dict[str, Contender]
    per_transform: list[dict[str, float | str]]
    series: list[dict[str, float]]  # events, events/s over that stretch, RSS KiB


def measure(rounds: int, seconds: float, memory_events: int, checkpoints: tuple[int, ...]) -> EngineResults:
    pairs = workload()
    has_node = shutil.which("node") is not None
    contenders = {name: Contender(name) for name in (RUNNER, NODE_NEW, NODE_REUSE)}
    for r in range(rounds):
        print(f"  engine round {r + 1}/{rounds}", file=sys.stderr)
        contenders[RUNNER].add(*runner_round(pairs, seconds))
        if has_node:
            contenders[NODE_NEW].add(*node_round(pairs, "new", seconds))
            contenders[NODE_REUSE].add(*node_round(pairs, "reuse", seconds))
    if not has_node:
        del contenders[NODE_NEW], contenders[NODE_REUSE]
    rows = []
    for name in sorted({h.filename for h, _ in pairs}):
        subset = [(h, s) for h, s in pairs if h.filename == name]
        row: dict[str, float | str] = {"transform": Path(name).name}
        rate, lat = runner_round(subset, seconds)
        row.update(runner_per_s=rate, runner_p50_us=pct(lat, 0.5), runner_p99_us=pct(lat, 0.99))
        if has_node:
            rate, lat = node_round(subset, "new", seconds)
            row.update(node_new_per_s=rate, node_new_p50_us=pct(lat, 0.5), node_new_p99_us=pct(lat, 0.99))
            rate, lat = node_round(subset, "reuse", seconds)
            row.update(node_reuse_per_s=rate, node_reuse_p50_us=pct(lat, 0.5), node_reuse_p99_us=pct(lat, 0.99))
        rows.append(row)
    return EngineResults(len(pairs), rounds, seconds, contenders, rows, long_run(pairs, memory_events, checkpoints))


def long_run(pairs: list[tuple[Handler, str]], events: int, checkpoints: tuple[int, ...]) -> list[dict[str, float]]:
    """One engine over `events` events: RSS and events/s at each checkpoint (and every tenth)."""
    marks = sorted({c for c in checkpoints if c <= events} | {events * k // 10 for k in range(1, 11)})
    types = [json.loads(s)["type"] for _, s in pairs]
    engine = Engine()
    for i, (h, s) in enumerate(pairs):  # compile every handler first
        engine.run(h, s, event_type=types[i])
    out = []
    start = last_t = time.perf_counter()
    last_n = 0
    n = 0
    for mark in marks:
        while n < mark:
            i = n % len(pairs)
            h, s = pairs[i]
            engine.run(h, s, event_type=types[i])
            n += 1
        now = time.perf_counter()
        out.append({"events": n, "per_s": (n - last_n) / (now - last_t), "cumulative_per_s": n / (now - start),
                    "rss_kib": rss_kib()})
        last_n, last_t = n, now
    engine.close()
    return out
