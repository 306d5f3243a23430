"""Memory of `runner serve` with the 3 seed transforms on one endpoint: resident memory of every
process (the server, each engine worker, the spare), idle after start and after 1k, 10k and 100k
events, to show it stays flat; the CPU the whole tree uses while idle, at the start and after the
last mark; and what one transform's context adds to an engine worker.

    .venv/bin/python bench/memory_bench.py            # ~2 minutes on 2 cores; prints Markdown
    .venv/bin/python bench/memory_bench.py --smoke    # seconds: checks it works

What can be attributed: engine workers run every transform that shares their limits (the seed
transforms all use the defaults, so one pool serves all three), and each worker keeps one QuickJS
context per transform it has run. So per worker is measured in `runner serve`; per transform is
measured beside it, in a separate process with one `Engine`: resident memory added by running
each transform's first events (its context), the same increment each worker of the pool pays.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadgen import run as loadgen_run
from bench.procs import MachineLoad, Standin, cpu_s, descendants, start_runner
from bench.report import md_table, num
from bench.serve_bench import SEED
from bench.wrk_bench import prepared
from harness.serve import new_secret, payment_event

try:
    from uvloop import run as run_loop
except ImportError:  # pragma: no cover
    from asyncio import run as run_loop  # type: ignore[assignment]

CONNECTIONS = 16
DRAIN_TIMEOUT_S = 300.0
SETTLE_S = 1.0  # after the stand-in has everything: the dispatcher's last acks, freed buffers
IDLE_WINDOW_S = 10.0  # how long idle CPU is measured (clock ticks are 10 ms: ~0.1% of a core)
IDLE_CPU_S = 0.2  # an engine process that used less CPU than this under load served nothing: the spare
FLAT_BYTES_PER_EVENT = 16.0  # below this, growth between the last two milestones reads as flat
SENDING = sum(1 for t in SEED if "subscriptions" not in t)  # deliveries a payment webhook makes


@dataclass(frozen=True)
class Proc:
    pid: int
    kind: str  # "server", "engine", "helper"
    rss_kib: int
    pss_kib: int
    cpu_s: float


def _kib(pid: int, path: str, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/{path}").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def kind_of(pid: int) -> str:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "gone"
    if "resource_tracker" in cmd:
        return "helper"  # multiprocessing's resource tracker: no events pass through it
    if "multiprocessing" in cmd:
        return "engine"  # spawned engine processes (workers and the spare)
    return "server"


def snapshot(server_pid: int) -> list[Proc]:
    """Every process of the server's tree: RSS (resident) and PSS (shared pages split among the
    processes that map them, so PSS sums to what the tree really holds)."""
    return [Proc(pid, "server" if pid == server_pid else kind_of(pid), _kib(pid, "status", "VmRSS"),
                 _kib(pid, "smaps_rollup", "Pss"), cpu_s(pid))
            for pid in [server_pid, *descendants(server_pid)]]


@dataclass
class Milestone:
    events: int
    procs: list[Proc]
    per_s: float  # accepted/s over the stretch ending here
    queue_bytes: int
    idle_cpu_pct: float | None = None  # the whole tree's CPU while idle after it, % of one core


def idle_cpu_pct(server_pid: int, seconds: float) -> float:
    """CPU the server's whole tree uses over `seconds` with no traffic, in % of one core."""
    pids = [server_pid, *descendants(server_pid)]
    before = {pid: cpu_s(pid) for pid in pids}
    t0 = time.monotonic()
    time.sleep(seconds)
    return 100 * sum(cpu_s(pid) - before[pid] for pid in pids) / (time.monotonic() - t0)


def serve_series(marks: Sequence[int], tmp: Path, idle_s: float = IDLE_WINDOW_S) -> list[Milestone]:
    """`runner serve` with the 3 seed transforms; a snapshot idle (0 events) and after each mark
    (cumulative events, closed loop, every delivery at the stand-in before the snapshot); idle
    CPU over `idle_s` at the start and after the last mark."""
    secret = new_secret()
    data_dir = Path(tempfile.mkdtemp(prefix="data-", dir=tmp))
    paths = [ROOT / "transforms" / t for t in SEED]
    out: list[Milestone] = []
    with Standin() as standin:
        server = start_runner(paths, standin_url=standin.url, secret=secret, data_dir=data_dir)
        try:
            time.sleep(SETTLE_S)  # the spare finishes booting: idle means idle
            out.append(Milestone(0, snapshot(server.pid), 0.0, _queue_bytes(data_dir),
                                 idle_cpu_pct(server.pid, idle_s)))
            sent = 0
            for mark in marks:
                print(f"  memory: to {mark:,} events", file=sys.stderr)
                # Signed just before sending: timestamps stay inside the tolerance however long a stretch runs.
                requests = prepared(secret, f"m{mark}", mark - sent, 0)
                t0 = time.perf_counter()
                result = run_loop(loadgen_run("127.0.0.1", server.port, requests, connections=CONNECTIONS))
                per_s = result.ok / (time.perf_counter() - t0)
                if result.ok != len(requests):
                    raise RuntimeError(f"{len(requests) - result.ok} of {len(requests)} webhooks not accepted: {result.statuses}")
                sent = mark
                standin.wait_unique(sent * SENDING, timeout_s=DRAIN_TIMEOUT_S)
                time.sleep(SETTLE_S)
                out.append(Milestone(mark, snapshot(server.pid), per_s, _queue_bytes(data_dir)))
            out[-1].idle_cpu_pct = idle_cpu_pct(server.pid, idle_s)
        finally:
            server.stop()
    return out


def _queue_bytes(data_dir: Path) -> int:
    return sum(p.stat().st_size for p in data_dir.glob("queue.sqlite3*"))


def per_transform() -> list[dict[str, float]]:
    """Resident memory one Engine adds per transform, in a fresh process (`--child`)."""
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    rows: list[dict[str, float]] = json.loads(out.strip().splitlines()[-1])
    return rows


def child(events: int = 500) -> None:
    """One Engine, warmed as a pool worker is; then each seed transform's first `events` events
    (its context is built on the first), RSS after each; then the three again (no new context)."""
    from runner.engine.handler import Handler
    from runner.engine.sandbox import Engine

    def rss() -> int:
        return _kib(os.getpid(), "status", "VmRSS")

    engine = Engine()
    engine.warm()
    bodies = [json.dumps(payment_event(i)) for i in range(events)]
    handlers = [Handler.from_source((ROOT / "transforms" / t).read_text("utf-8"), t) for t in SEED]
    rows: list[dict[str, float]] = [{"transform": "engine, warmed (no transform yet)", "rss_kib": rss(), "added_kib": 0}]  # type: ignore[dict-item]
    for h in handlers:
        before = rss()
        for b in bodies:
            engine.run(h, b, event_type="payment.succeeded")
        rows.append({"transform": h.filename, "rss_kib": rss(), "added_kib": rss() - before})  # type: ignore[dict-item]
    before = rss()
    for h in handlers:
        for b in bodies:
            engine.run(h, b, event_type="payment.succeeded")
    rows.append({"transform": f"all three again ({events:,} events each)", "rss_kib": rss(), "added_kib": rss() - before})  # type: ignore[dict-item]
    print(json.dumps(rows))


def role_names(series: list[Milestone]) -> dict[int, str]:
    """Names for the pids: engine processes that worked are workers, the one that did not is the spare."""
    first, last = series[0].procs, series[-1].procs
    cpu0 = {p.pid: p.cpu_s for p in first}
    names, n = {}, 0
    for p in last:
        if p.kind == "engine":
            busy = p.cpu_s - cpu0.get(p.pid, 0.0) >= IDLE_CPU_S or len(series) == 1
            n += busy
            names[p.pid] = f"engine worker {n}" if busy else "spare engine (idle)"
        else:
            names[p.pid] = {"server": "server (HTTP, pipeline, queue, dispatcher)",
                            "helper": "multiprocessing resource tracker"}.get(p.kind, p.kind)
    return names


def span_label(x: Milestone, y: Milestone) -> str:
    return f"{x.events:,} → {y.events:,}" if x.events else f"idle → {y.events:,}"


def tables(series: list[Milestone], transforms: list[dict[str, float]]) -> str:
    names = role_names(series)
    pids = [p.pid for p in series[-1].procs]
    labels = ["idle" if m.events == 0 else f"{m.events:,} events" for m in series]
    # Growth per event over the last stretch (the steady state), and from the 10k mark when there
    # are marks past it: bounded caches fill early, a leak keeps going.
    spans = [(series[-2], series[-1])]
    if len(series) >= 5:
        spans.insert(0, (series[2], series[-1]))

    def growth(kib: Callable[[Milestone], int | None]) -> list[str]:
        out = []
        for a, b in spans:
            ka, kb = kib(a), kib(b)
            out.append(f"{(kb - ka) * 1024 / (b.events - a.events):+.2f}" if ka is not None and kb is not None else "–")
        return out

    def rss_of(pid: int) -> Callable[[Milestone], int | None]:
        return lambda m: next((p.rss_kib for p in m.procs if p.pid == pid), None)

    rows = []
    for pid in pids:
        rows.append([names.get(pid, str(pid)), *[f"{v:,}" if (v := rss_of(pid)(m)) is not None else "–" for m in series],
                     *growth(rss_of(pid))])
    def rss_total(m: Milestone) -> int:
        return sum(p.rss_kib for p in m.procs)

    def pss_total(m: Milestone) -> int:
        return sum(p.pss_kib for p in m.procs)

    rows.append(["**all processes, RSS**", *[f"{rss_total(m):,}" for m in series], *growth(rss_total)])
    rows.append(["**all processes, PSS**", *[f"{pss_total(m):,}" for m in series], *growth(pss_total)])
    # The verdict is on RSS: PSS splits shared library pages among every process on the machine
    # that maps them, so it moves with other work on the box.
    a, b = spans[-1]
    per_event = (rss_total(b) - rss_total(a)) * 1024 / (b.events - a.events)
    verdict = "flat" if per_event < FLAT_BYTES_PER_EVENT else "NOT flat"  # shrinking is not growth
    server = series[-1].procs[0].pid
    stretches = ", ".join(f"{span_label(x, y)}: {(rss_of(server)(y) or 0) - (rss_of(server)(x) or 0):+,} KiB"
                          for x, y in itertools.pairwise(series))
    span = span_label(a, b)
    proc_table = md_table(["process", *[f"RSS KiB, {lab}" for lab in labels],
                           *[f"bytes/event, {span_label(x, y)}" for x, y in spans]], rows)
    extra = md_table(["milestone", "accepted/s (stretch ending here)", "queue on disk MiB", "processes",
                      "idle CPU after it, % of a core (all processes)"],
                     [[lab, num(m.per_s) if m.events else "–", f"{m.queue_bytes / 2**20:.1f}", len(m.procs),
                       "–" if m.idle_cpu_pct is None else f"{m.idle_cpu_pct:.2f}"]
                      for lab, m in zip(labels, series)])
    per = md_table(["in one engine", "RSS KiB after", "added KiB"],
                   [[r["transform"], f"{int(r['rss_kib']):,}", f"{int(r['added_kib']):+,}"] for r in transforms])
    return "\n\n".join([
        proc_table,
        f"Whole tree (RSS) {span} events: {per_event:+.2f} bytes/event ({verdict}; the threshold is "
        f"{FLAT_BYTES_PER_EVENT:g} bytes/event of growth). The queue on disk grows with the events kept (delivered "
        "ones stay until retention prunes them); the server's caches over it are bounded (SQLite's page cache: "
        "2 MiB per connection by default), so early growth that slows and stops is a cache filling, not a leak. The server's RSS by stretch: "
        f"{stretches}. PSS (shared pages split among the processes mapping them) moves with whatever else "
        "runs on the machine.",
        extra,
        ("Per transform: each engine worker holds one QuickJS context per transform it has run, so each "
         "worker's share of a transform is the increment below (measured in a separate process with one "
         "`Engine`, 500 payment events per transform; the pool's workers pay it each; the spare pays none "
         "until it replaces a worker). Everything else in a worker (Python, QuickJS runtime, compat layer) is "
         "shared by all its transforms and is not attributable to one."),
        per,
    ])


def section(smoke: bool, tmp: Path, *, marks: Sequence[int] | None = None, heading: str = "## Memory") -> str:
    marks = marks or ((200, 1_000) if smoke else (1_000, 10_000, 50_000, 100_000))
    load = MachineLoad().start()
    series = serve_series(marks, tmp, idle_s=1.0 if smoke else IDLE_WINDOW_S)
    transforms = per_transform()
    busy = load.stop()
    intro = (f"`runner serve` with the {len(SEED)} seed transforms on one endpoint (the default 2 engine workers and "
             f"a spare), signed payment webhooks from bench/loadgen.py, closed loop on {CONNECTIONS} connections; "
             f"each snapshot once the stand-in has every delivery and {SETTLE_S:g} s more. Idle CPU: the whole tree's "
             f"user + system time over {1.0 if smoke else IDLE_WINDOW_S:g} s with no traffic, at the start and after the "
             f"last mark (10 ms clock ticks per process: read it to about 0.1%). RSS from /proc/PID/status; "
             f"PSS from smaps_rollup. Other processes used {busy['others_pct']:.0f}% of all cores meanwhile; "
             f"{busy['wall_s']:.0f} s.")
    return "\n\n".join([heading, intro, tables(series, transforms)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="seconds: 200 and 1,000 events")
    parser.add_argument("--marks", help="comma-separated cumulative event counts [1000,10000,50000,100000]")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)  # the per-transform process
    args = parser.parse_args()
    if args.child:
        child()
        return
    marks = [int(m) for m in args.marks.split(",")] if args.marks else None
    tmp = Path(tempfile.mkdtemp(prefix="memory-bench-"))
    try:
        print(section(args.smoke, tmp, marks=marks))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
