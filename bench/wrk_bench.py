"""Ingest under wrk: distinct pre-signed webhooks, `runner serve` (per `--workers` count) beside
the Node relay (a new `vm` context per request, and one reused context), with a durability check.

    .venv/bin/python bench/wrk_bench.py                    # ~3 minutes on 2 cores; prints Markdown
    .venv/bin/python bench/wrk_bench.py --smoke            # seconds; without wrk: bench/loadgen.py instead
    .venv/bin/python bench/wrk_bench.py --workers-list 1,2 --duration 10 --repeats 5
    .venv/bin/python bench/wrk_bench.py --loadgen 5000     # the same runs driven by bench/loadgen.py

Needs wrk (Debian/Ubuntu: `sudo apt-get install -y wrk`). Every request is a different webhook
(its own webhook-id and body) signed with the server's secret before the clock starts: each
round writes one file of raw requests per wrk thread, and the generated Lua script's
`request()` walks its thread's file (threads take disjoint requests). `response()` counts 200s
and keeps the `event_id` of each of runner's answers, so the queue check afterwards is exact:
every acknowledged event is in the SQLite queue with one delivery, delivered once to the Segment
stand-in. Events the server queued after wrk stopped listening (in flight at the end) are shown
as "late", not as errors. Contenders alternate within each round; medians of the rounds.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import functools
import hashlib
import hmac
import json
import math
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadgen import run as loadgen_run
from bench.procs import MachineLoad, Server, Standin, cpu_s, start_node_relay, start_runner, tree_cpu_s
from bench.report import md_table, num
from bench.serve_bench import SEED
from harness.serve import new_secret, payment_event

try:  # as in serve_bench: the Python load generator is cheaper on uvloop
    from uvloop import run as run_loop
except ImportError:  # pragma: no cover
    from asyncio import run as run_loop  # type: ignore[assignment]

INSTALL_HINT = ("wrk is not installed. Install it with `sudo apt-get install -y wrk` (Debian/Ubuntu package `wrk`; "
                "elsewhere build https://github.com/wg/wrk), or run `--smoke`, which falls back to bench/loadgen.py.")
TRANSFORM = SEED[0]  # the payments transform: one delivery per payment webhook
WARMUP_EVENTS = 200  # via loadgen before the clock: first-request costs are not the steady state
SETTLE_S = 0.3  # after wrk exits: requests still in flight at its stop reach the queue
DRAIN_TIMEOUT_S = 180.0
SEPARATOR = b"\0"  # between raw requests in a thread's file: never in an HTTP request head or JSON body


@dataclass(frozen=True)
class Contender:
    key: str
    label: str
    workers: int | None = None  # runner: the --workers value (None: the option is not passed)
    relay_mode: str | None = None  # node relay: "new" or "reuse"

    @property
    def is_runner(self) -> bool:
        return self.relay_mode is None


@dataclass
class Load:
    """One load run, from wrk or loadgen."""

    tool: str
    accepted: int  # 200 answers
    seconds: float
    other_status: dict[int, int] = field(default_factory=dict)  # non-200 answers by status
    socket_errors: int = 0
    p50_ms: float = math.nan
    p99_ms: float = math.nan
    acked_event_ids: list[int] = field(default_factory=list)  # wrk: from runner's answers
    acked_webhook_ids: list[str] = field(default_factory=list)  # loadgen: what it sent, answered 200
    wrapped: int = 0  # times a wrk thread ran out of distinct requests and started over (reuses ids)
    client_cpu_s: float = 0.0

    @property
    def rate(self) -> float:
        return self.accepted / self.seconds if self.seconds else 0.0


@dataclass
class Outcome:
    contender: Contender
    load: Load
    cpu_us: float  # server process tree CPU per accepted webhook, accepting and delivering
    delivered: int  # unique events at the stand-in (not counting the warm-up)
    lost: int | None  # acknowledged but not (once) in the queue and delivered; None: no queue to check
    duplicated: int | None
    late: int | None  # queued, but answered after the load generator stopped listening


# --- requests --------------------------------------------------------------------------------

def signer(secret: str) -> Callable[[str, int, bytes], str]:
    """Standard Webhooks v1 signing with a decoded key (harness.serve.signed decodes per call:
    too slow for ~100k requests a round); checked against it in `check_signer`."""
    key = base64.b64decode(secret.removeprefix("whsec_"))

    def sign(msg_id: str, timestamp: int, body: bytes) -> str:
        mac = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
        return "v1," + base64.b64encode(mac).decode()
    return sign


def check_signer(secret: str) -> None:
    from standardwebhooks.webhooks import Webhook

    body, ts = b'{"a": 1}', int(time.time())
    want = Webhook(secret).sign("msg_check", datetime.fromtimestamp(ts, tz=UTC), body.decode())
    if signer(secret)("msg_check", ts, body) != want:
        raise AssertionError("the bench's signer disagrees with standardwebhooks")


def raw_request(msg_id: str, body: bytes, sign: Callable[[str, int, bytes], str], timestamp: int) -> bytes:
    # No port in host: the same files serve every contender's port (neither server checks it).
    head = (f"POST /webhooks HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\nwebhook-id: {msg_id}\r\nwebhook-timestamp: {timestamp}\r\n"
            f"webhook-signature: {sign(msg_id, timestamp, body)}\r\n\r\n")
    return head.encode() + body


def prepared(secret: str, prefix: str, count: int, pad: int) -> list[tuple[str, bytes]]:
    """`count` distinct signed payment webhooks as (webhook-id, raw request)."""
    sign, ts = signer(secret), int(time.time())
    out = []
    for i in range(count):
        event = payment_event(i)
        if pad:
            event["data"]["metadata"] = {"note": "x" * pad}  # larger bodies, same transform path
        msg_id = f"{prefix}_{i:08d}"
        out.append((msg_id, raw_request(msg_id, json.dumps(event).encode(), sign, ts)))
    return out


def write_thread_files(requests: Sequence[tuple[str, bytes]], threads: int, directory: Path) -> list[Path]:
    """Request i goes to thread i % threads: disjoint sets, so no two threads send the same id."""
    paths = []
    for t in range(threads):
        path = directory / f"requests-{t}.bin"
        path.write_bytes(SEPARATOR.join(raw for _, raw in requests[t::threads]))
        paths.append(path)
    return paths


def lua_script(files: Sequence[Path], out_json: Path, out_ids: Path) -> str:
    """wrk script: each thread loads its own file in `init` (then touches `<file>.ready`: wrk's
    clock starts once every thread is initialised), `request()` walks it, `response()` counts
    statuses and keeps runner's event_ids; `done` writes the counters as JSON."""
    paths = ", ".join(json.dumps(str(p)) for p in files)
    return f"""
local files = {{{paths}}}
local threads = {{}}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  local f = assert(io.open(files[id + 1], "rb"))
  local data = f:read("*a")
  f:close()
  reqs, pos = {{}}, 1
  while true do
    local s = string.find(data, "\\0", pos, true)
    if not s then reqs[#reqs + 1] = string.sub(data, pos) break end
    reqs[#reqs + 1] = string.sub(data, pos, s - 1)
    pos = s + 1
  end
  data = nil
  n, i, wrapped, ok, other, acked = #reqs, 0, 0, 0, {{}}, {{}}
  assert(io.open(files[id + 1] .. ".ready", "w")):close()
end

function request()
  if reqs == nil then  -- wrk's own check of the script, in its main state: not sent
    return wrk.format("GET", "/healthz")
  end
  i = i + 1
  if i > n then i, wrapped = 1, wrapped + 1 end
  return reqs[i]
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
    local event_id = string.match(body, '"event_id"%s*:%s*(%d+)')
    if event_id then acked[#acked + 1] = event_id end
  else
    other[status] = (other[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local ids = assert(io.open({json.dumps(str(out_ids))}, "w"))
  local total_ok, total_wrapped, statuses = 0, 0, {{}}
  for _, t in ipairs(threads) do
    total_ok = total_ok + t:get("ok")
    total_wrapped = total_wrapped + t:get("wrapped")
    for status, count in pairs(t:get("other")) do statuses[#statuses + 1] = string.format('"%d": %d', status, count) end
    for _, event_id in ipairs(t:get("acked")) do ids:write(event_id, "\\n") end
  end
  ids:close()
  local e = summary.errors
  local out = assert(io.open({json.dumps(str(out_json))}, "w"))
  out:write(string.format('{{"ok": %d, "wrapped": %d, "duration_us": %d, "requests": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p99_us": %d, "other": {{%s}}}}',
    total_ok, total_wrapped, summary.duration, summary.requests, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), table.concat(statuses, ", ")))
  out:close()
end
"""


# --- load generators ---------------------------------------------------------------------------

def run_wrk(port: int, files: Sequence[Path], directory: Path, *, duration_s: float, connections: int,
            threads: int) -> Load:
    script, out_json, out_ids = directory / "bench.lua", directory / "wrk.json", directory / "acked.txt"
    script.write_text(lua_script(files, out_json, out_ids))
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(duration_s))}s",
           "--timeout", "10s", "-s", str(script), f"http://127.0.0.1:{port}/webhooks"]
    ready = [Path(f"{f}.ready") for f in files]
    for r in ready:
        r.unlink(missing_ok=True)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    # The load generator's own CPU during the run, not while its threads load their requests.
    while not all(r.exists() for r in ready) and proc.poll() is None:
        time.sleep(0.005)
    setup_cpu_s = cpu_s(proc.pid)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.stdout is not None
    text = proc.stdout.read().decode(errors="replace")
    if proc.returncode != 0 or not out_json.exists():
        raise RuntimeError(f"wrk failed ({proc.returncode}):\n{text}")
    r = json.loads(out_json.read_text())
    ids = [int(line) for line in out_ids.read_text().split()]
    return Load("wrk", int(r["ok"]), r["duration_us"] / 1e6, {int(k): v for k, v in r["other"].items()},
                int(r["socket_errors"]), r["p50_us"] / 1000, r["p99_us"] / 1000, acked_event_ids=ids,
                wrapped=int(r["wrapped"]), client_cpu_s=usage.ru_utime + usage.ru_stime - setup_cpu_s)


def run_loadgen(port: int, requests: list[tuple[str, bytes]], connections: int) -> Load:
    t0 = os.times()
    r = run_loop(loadgen_run("127.0.0.1", port, requests, connections=connections))
    t1 = os.times()
    other = {s: c for s, c in r.statuses.items() if s != 200}
    return Load("loadgen", r.ok, r.elapsed_s, other, r.errors, r.percentile_ms(50), r.percentile_ms(99),
                acked_webhook_ids=r.acked_ids, client_cpu_s=(t1.user - t0.user) + (t1.system - t0.system))


# --- one run --------------------------------------------------------------------------------

def measure(c: Contender, secret: str, tmp: Path, *, drive: Callable[[Server], Load]) -> Outcome:
    """Start `c` against a fresh stand-in (and queue), warm it up, `drive` it, wait until the
    stand-in has everything, then check the queue against what was acknowledged."""
    transform = [ROOT / "transforms" / TRANSFORM]
    data_dir = Path(tempfile.mkdtemp(prefix="data-", dir=tmp))
    with Standin() as standin:
        if c.is_runner:
            extra = ["--workers", str(c.workers)] if c.workers is not None else []
            server = start_runner(transform, standin_url=standin.url, secret=secret, data_dir=data_dir,
                                  label=c.label, extra_args=extra)
        else:
            assert c.relay_mode is not None
            server = start_node_relay(transform, standin_url=standin.url, secret=secret, mode=c.relay_mode,
                                      label=c.label)
        try:
            warm = run_loop(loadgen_run("127.0.0.1", server.port, prepared(secret, "warm", WARMUP_EVENTS, 0),
                                        connections=16))
            base, _ = standin.wait_unique(warm.ok, timeout_s=DRAIN_TIMEOUT_S)
            cpu0 = tree_cpu_s(server.pid)
            load = drive(server)
            time.sleep(SETTLE_S)
            st = wait_drained(standin, data_dir if c.is_runner else None, base["unique"] + load.accepted)
            cpu = tree_cpu_s(server.pid) - cpu0
        finally:
            server.stop()
    delivered = st["unique"] - base["unique"]
    lost = dup = late = None
    if c.is_runner:
        lost, dup, late = check_queue(data_dir, load, st)
    return Outcome(c, load, cpu / max(load.accepted, 1) * 1e6, delivered, lost, dup, late)


def read_only(data_dir: Path) -> contextlib.closing[sqlite3.Connection]:
    """The server's queue, read beside it (WAL: the reader never blocks its writer)."""
    return contextlib.closing(sqlite3.connect(f"file:{data_dir / 'queue.sqlite3'}?mode=ro", uri=True))


def queue_counts(data_dir: Path) -> dict[str, int]:
    with read_only(data_dir) as db:
        return dict(db.execute("SELECT status, n FROM delivery_counts").fetchall())


def wait_drained(standin: Standin, data_dir: Path | None, want_unique: int) -> dict[str, int]:
    """runner: until nothing is pending and the stand-in has every delivered one; the relay
    (no queue): until the stand-in has as many as were accepted, or stops growing."""
    deadline, last, still_since = time.monotonic() + DRAIN_TIMEOUT_S, -1, time.monotonic()
    while True:
        st = standin.stats()
        if data_dir is not None:
            counts = queue_counts(data_dir)
            if counts.get("pending", 0) == 0 and st["unique"] >= counts.get("delivered", 0):
                return st
        else:
            if st["unique"] >= want_unique:
                return st
            if st["unique"] != last:
                last, still_since = st["unique"], time.monotonic()
            elif time.monotonic() - still_since > 2.0:  # the relay flushes every 50 ms: it is done
                return st
        if time.monotonic() > deadline:
            return st
        time.sleep(0.05)


def check_queue(data_dir: Path, load: Load, st: dict[str, int]) -> tuple[int, int, int]:
    """(lost, duplicated, late) from the stopped server's SQLite queue and the stand-in's counts.

    lost: acknowledged, but not in the queue with a delivered delivery, or delivered rows the
    stand-in never got. duplicated: an event with more than one delivery (one transform), an
    event acknowledged twice, or an event the stand-in got twice. late: queued events the load
    generator never saw answered (it stopped while they were in flight)."""
    with read_only(data_dir) as db:
        rows = db.execute("SELECT e.id, e.webhook_id, COUNT(d.id), COALESCE(SUM(d.status = 'delivered'), 0) "
                          "FROM events e LEFT JOIN deliveries d ON d.event_id = e.id GROUP BY e.id").fetchall()
    by_event = {int(r[0]): (str(r[1]), int(r[2]), int(r[3])) for r in rows}  # id: (webhook id, deliveries, delivered)
    by_webhook = {w: (n, ok) for w, n, ok in by_event.values()}
    found: list[tuple[int, int] | None]
    if load.acked_webhook_ids:  # loadgen knows which webhook each 200 answered
        acked: Sequence[object] = load.acked_webhook_ids
        found = [by_webhook.get(w) for w in load.acked_webhook_ids]
        acked_webhooks = set(load.acked_webhook_ids)
    else:  # wrk: runner's answers name the queued event
        acked = load.acked_event_ids
        found = [by_event[e][1:] if e in by_event else None for e in load.acked_event_ids]
        acked_webhooks = {by_event[e][0] for e in load.acked_event_ids if e in by_event}
    lost = sum(1 for f in found if f is None or f[1] < 1)
    duplicated = sum(1 for _, n, _ in by_event.values() if n > 1) + (len(acked) - len(set(acked)))
    delivered_rows = sum(ok for _, _, ok in by_event.values())
    lost += max(0, delivered_rows - st["unique"])
    duplicated += st["duplicates"]
    late = sum(1 for w, _, _ in by_event.values() if not w.startswith("warm_") and w not in acked_webhooks)
    return lost, duplicated, late


# --- the benchmark --------------------------------------------------------------------------

def has_workers_option() -> bool:
    """Whether this checkout's `runner serve` takes --workers (an option still being added)."""
    out = subprocess.run([sys.executable, "-m", "runner", "serve", "--help"], cwd=ROOT, capture_output=True,
                         text=True, check=False).stdout
    return "--workers" in out


def contenders(workers_list: Sequence[int], notes: list[str]) -> list[Contender]:
    out = []
    if has_workers_option():
        out += [Contender(f"runner-w{w}", f"runner serve --workers {w}", workers=w) for w in workers_list]
    else:
        notes.append(f"`runner serve` has no `--workers` option in this checkout: measured its default only "
                     f"(asked for --workers-list {','.join(map(str, workers_list))}).")
        out.append(Contender("runner", "runner serve (default)"))
    if shutil.which("node"):
        out += [Contender("relay-new", "node relay, new context per request", relay_mode="new"),
                Contender("relay-reuse", "node relay, one reused context", relay_mode="reuse")]
    else:
        notes.append("node is not installed: no relay rows.")
    return out


@dataclass(frozen=True)
class Settings:
    duration_s: float = 6.0
    repeats: int = 3
    connections: int = 16
    threads: int = 1
    capacity_per_s: float = 30_000.0  # distinct requests written per second of run: above any contender's rate
    pad: int = 0
    loadgen_events: int = 300  # with bench/loadgen.py (smoke without wrk, or --loadgen): requests per run


def bench(s: Settings, workers_list: Sequence[int], tmp: Path, *, use_wrk: bool) -> tuple[list[Outcome], list[str]]:
    notes: list[str] = []
    cs = contenders(workers_list, notes)
    outcomes: list[Outcome] = []
    for rnd in range(s.repeats):
        # A new secret and new requests each round: timestamps stay well inside the 5-minute tolerance.
        secret = new_secret()
        check_signer(secret)
        round_dir = Path(tempfile.mkdtemp(prefix=f"round-{rnd}-", dir=tmp))
        drive: Callable[[Server], Load]
        if use_wrk:
            count = math.ceil(s.duration_s * s.capacity_per_s)
            files = write_thread_files(prepared(secret, f"r{rnd}", count, s.pad), s.threads, round_dir)
            drive = functools.partial(_drive_wrk, files=files, directory=round_dir, s=s)
        else:
            drive = functools.partial(_drive_loadgen, requests=prepared(secret, f"r{rnd}", s.loadgen_events, s.pad),
                                      connections=s.connections)
        order = cs[rnd % len(cs):] + cs[:rnd % len(cs)]  # rotate: no contender always goes first
        for c in order:
            print(f"  wrk bench: round {rnd + 1}/{s.repeats}, {c.label}", file=sys.stderr)
            outcomes.append(measure(c, secret, tmp, drive=drive))
        shutil.rmtree(round_dir, ignore_errors=True)
    return outcomes, notes


def _drive_wrk(server: Server, *, files: Sequence[Path], directory: Path, s: Settings) -> Load:
    return run_wrk(server.port, files, directory, duration_s=s.duration_s, connections=s.connections, threads=s.threads)


def _drive_loadgen(server: Server, *, requests: list[tuple[str, bytes]], connections: int) -> Load:
    return run_loadgen(server.port, requests, connections)


def median(values: Sequence[float]) -> float:
    finite = [v for v in values if not math.isnan(v)]
    return statistics.median(finite) if finite else math.nan


def tables(outcomes: list[Outcome], notes: list[str]) -> tuple[str, str, dict[str, float]]:
    """The per-contender table, the ratio table, and medians of accepted/s by contender key."""
    keys = list(dict.fromkeys(o.contender.key for o in outcomes))
    rows, rates = [], {}
    for key in keys:
        runs = [o for o in outcomes if o.contender.key == key]
        rs = [o.load.rate for o in runs]
        rates[key] = median(rs)
        other: dict[int, int] = {}
        for o in runs:
            for status, n in o.load.other_status.items():
                other[status] = other.get(status, 0) + n
        def total(values: list[int | None]) -> str:
            return "n/a" if any(v is None for v in values) else f"{sum(v or 0 for v in values):,}"
        wrapped = sum(o.load.wrapped for o in runs)
        rows.append([
            runs[0].contender.label + (" ⚠ ids reused" if wrapped else ""), len(runs),
            num(rates[key]), f"{num(min(rs))}–{num(max(rs))}", f"{sum(o.load.accepted for o in runs):,}",
            ", ".join(f"{n:,}×{s}" for s, n in sorted(other.items())) or "0",
            f"{sum(o.load.socket_errors for o in runs):,}",
            num(median([o.load.p50_ms for o in runs]), 2), num(median([o.load.p99_ms for o in runs]), 2),
            num(median([o.cpu_us for o in runs])),
            total([o.lost for o in runs]), total([o.duplicated for o in runs]), total([o.late for o in runs]),
            num(median([o.load.client_cpu_s / max(o.load.accepted, 1) * 1e6 for o in runs]), 1),
        ])
    table = md_table(["contender", "runs", "accepted/s (median)", "min–max", "accepted (all runs)", "non-2xx",
                      "socket errors", "p50 ms", "p99 ms", "server CPU µs/accepted", "lost", "dup", "late",
                      "load gen CPU µs/accepted"], rows)
    runner_keys = [k for k in keys if k.startswith("runner")]
    best = "runner-w2" if "runner-w2" in rates else (runner_keys[-1] if runner_keys else None)
    ratio_rows = []
    def ratio(a: str | None, b: str, text: str) -> None:
        if a in rates and b in rates and rates[b]:
            ratio_rows.append([text, f"{rates[a] / rates[b]:.2f}×"])  # type: ignore[index]
    if best is not None:
        label = {"runner-w2": "runner w2"}.get(best, best.replace("runner-w", "runner w"))
        ratio(best, "relay-new", f"{label} ÷ relay, new context per request")
        ratio(best, "relay-reuse", f"{label} ÷ relay, one reused context")
    ratio("runner-w2", "runner-w1", "runner w2 ÷ runner w1")
    ratios = md_table(["ratio (medians of accepted/s)", "value"], ratio_rows) if ratio_rows else "No ratios: too few contenders."
    if notes:
        ratios += "\n\n" + "\n".join(f"- {n}" for n in notes)
    return table, ratios, rates


def describe(s: Settings, tool: str, load: dict[str, float] | None) -> str:
    how = (f"wrk, {s.threads} thread(s), {s.connections} connections, {s.duration_s:g} s per run"
           if tool == "wrk" else f"bench/loadgen.py, {s.connections} connections, "
           f"{s.loadgen_events:,} requests per run")
    busy = f" Other processes used {load['others_pct']:.0f}% of all cores meanwhile; {load['wall_s']:.0f} s." if load else ""
    return (f"1 transform ({TRANSFORM}), {how}, {s.repeats} alternated round(s), medians. Every request a distinct "
            "webhook signed with the server's secret before the clock starts; load generator, servers and stand-in "
            "share this machine's cores. accepted: 200 answers only. Server CPU: the server's whole process tree "
            "(runner: every server and engine worker process) from the first request until the stand-in has every "
            "event, per accepted webhook. lost/dup/late: runner's SQLite queue read after the run against each "
            "acknowledged event_id (late: queued but answered after the load generator stopped); n/a: the relay "
            f"has no queue.{busy}")


def section(smoke: bool, tmp: Path, *, settings: Settings | None = None, workers_list: Sequence[int] = (1, 2),
            heading: str = "## Ingest under wrk", loadgen: bool = False) -> tuple[str, int, dict[str, float]]:
    """The Markdown section, how many acknowledged webhooks were lost or duplicated, and by
    contender key (`runner-w1`, `relay-new`, ...) its median accepted/s and, as `KEY cpu_us`,
    its median server CPU per accepted webhook."""
    s = settings or (Settings(duration_s=1, repeats=1, capacity_per_s=20_000, loadgen_events=300) if smoke else Settings())
    use_wrk = shutil.which("wrk") is not None and not loadgen
    if not use_wrk and not smoke and not loadgen:  # bench/run.py goes on with its other sections; main() exits first
        print(f"  wrk bench skipped: {INSTALL_HINT}", file=sys.stderr)
        return f"{heading}\n\nNot measured: {INSTALL_HINT}", 0, {}
    machine = MachineLoad().start()
    outcomes, notes = bench(s, workers_list, tmp, use_wrk=use_wrk)
    load = machine.stop()
    if not use_wrk and not loadgen:
        notes.append("wrk is not installed (`sudo apt-get install -y wrk`): measured with bench/loadgen.py instead.")
    table, ratios, rates = tables(outcomes, notes)
    bad = sum((o.lost or 0) + (o.duplicated or 0) for o in outcomes)
    summary = dict(rates)
    for key in rates:
        summary[f"{key} cpu_us"] = median([o.cpu_us for o in outcomes if o.contender.key == key])
    return "\n\n".join([heading, describe(s, "wrk" if use_wrk else "loadgen", load), table, ratios]), bad, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="seconds: checks it works (falls back to loadgen without wrk)")
    parser.add_argument("--workers-list", default="1,2", help="`runner serve --workers` values to compare [1,2]")
    parser.add_argument("--duration", type=float, default=6.0, help="seconds per wrk run [6]")
    parser.add_argument("--repeats", type=int, default=3, help="alternated rounds [3]")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads [1: it keeps up, and leaves the cores to the servers]")
    parser.add_argument("--pad", type=int, default=0, help="extra bytes in each webhook body [0]")
    parser.add_argument("--loadgen", type=int, metavar="N", help="drive with bench/loadgen.py instead, N requests per run "
                        "(to compare the two load generators)")
    args = parser.parse_args()
    try:
        workers = [int(w) for w in args.workers_list.split(",") if w.strip()]
    except ValueError:
        parser.error("--workers-list: comma-separated integers, e.g. 1,2")
    if not args.smoke and not args.loadgen and shutil.which("wrk") is None:
        print(INSTALL_HINT, file=sys.stderr)
        sys.exit(2)
    settings = None if args.smoke else Settings(args.duration, args.repeats, args.connections, args.threads, pad=args.pad,
                                                 loadgen_events=args.loadgen or 0)
    if args.smoke and shutil.which("wrk") is None:
        print("wrk not installed: smoke run uses bench/loadgen.py (`sudo apt-get install -y wrk` for the real thing)",
              file=sys.stderr)
    tmp = Path(tempfile.mkdtemp(prefix="wrk-bench-"))
    try:
        heading = "## Ingest under bench/loadgen.py (to compare with wrk)" if args.loadgen else "## Ingest under wrk"
        text, bad, _ = section(args.smoke, tmp, settings=settings, workers_list=workers, loadgen=bool(args.loadgen),
                            heading=heading)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(text)
    if bad:
        print(f"\nLOSS/DUPLICATES: {bad} acknowledged webhooks not queued and delivered exactly once", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
