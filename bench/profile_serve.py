"""Where `runner serve`'s CPU goes under load: py-spy samples the server and its engine workers
while the load generator sends signed webhooks, then prints the top functions by own time and
by total time, per process.

    .venv/bin/python bench/profile_serve.py                      # 20,000 events, 32 connections
    .venv/bin/python bench/profile_serve.py --transforms 3 --events 10000 --top 40

Needs py-spy (`.venv/bin/pip install py-spy`); as root, or with ptrace allowed. The raw
collapsed stacks are kept (`--keep DIR`) for a flame graph (e.g. speedscope, inferno).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadgen import raw_request, run
from bench.serve_bench import SEED, WRITE_KEY, start_standin, stats
from harness.serve import ServeProcess, new_secret, payment_event, signed

SAMPLE_RATE_HZ = 200  # py-spy's own CPU cost grows with this, and it shares the 2 cores


def profile(n: int, connections: int, transforms: list[str], tmp: Path, *, gil: bool = False, workers: int = 1) -> Path:
    standin, seg_url = start_standin()
    secret = new_secret()
    out = tmp / "serve.collapsed"
    try:
        with ServeProcess([str(ROOT / "transforms" / t) for t in transforms] + ["--segment-url", seg_url],
                          env={"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": WRITE_KEY}, data_dir=tmp / "data",
                          workers=workers) as srv:
            requests = []
            for i in range(n):
                body, headers = signed(secret, payment_event(i))
                requests.append((headers["webhook-id"], raw_request("127.0.0.1", srv.port, "/webhooks", body, headers)))
            assert srv.proc is not None
            spy = subprocess.Popen([shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy"), "record",
                                    "--pid", str(srv.proc.pid), "--rate", str(SAMPLE_RATE_HZ), "--format", "raw",
                                    "--output", str(out), "--nonblocking", "--threads"]
                                   + (["--gil"] if gil else ["--subprocesses"]),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            time.sleep(1.0)  # py-spy attaches
            result = asyncio.run(run("127.0.0.1", srv.port, requests, connections=connections))
            deadline = time.monotonic() + 60
            while stats(seg_url)["unique"] < result.ok and time.monotonic() < deadline:
                time.sleep(0.05)
            spy.send_signal(2)  # SIGINT: py-spy writes its output and exits
            spy.wait(30)
            print(f"{result.ok} accepted, {result.rate():,.0f}/s, p50 {result.percentile_ms(50):.1f} ms, "
                  f"p99 {result.percentile_ms(99):.1f} ms (under py-spy: slower than unprofiled)")
    finally:
        standin.kill()
    return out


def report(path: Path, top: int) -> None:
    own: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    total: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    samples: collections.Counter[str] = collections.Counter()
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        # Root frame: 'process PID:"cmdline"'; then the thread; then Python frames.
        proc = ("engine worker" if "multiprocessing" in frames[0] or "spawn_main" in stack
                else "ingest worker" if "serve_worker" in stack and "run_dispatch" not in stack
                else "dispatcher" if "run_dispatch" in stack else "server")
        thread = frames[1] if len(frames) > 1 and frames[1].startswith("thread") else ""
        key = proc if proc != "server" else f"server {thread.split(' ')[-1] if thread else ''}".strip()
        n = int(count)
        samples[proc] += n
        own[proc][_short(frames[-1])] += n
        for f in {_short(f) for f in frames[1:]}:
            total[proc][f] += n
        del key
    grand = sum(samples.values())
    for proc, proc_samples in samples.most_common():
        print(f"\n## {proc}: {proc_samples} samples ({proc_samples / grand:.0%} of all)")
        print("| own % | function |")
        print("|---:|---|")
        for name, c in own[proc].most_common(top):
            print(f"| {c / proc_samples:.1%} | {name} |")
        print("\n| total % | function |")
        print("|---:|---|")
        for name, c in total[proc].most_common(top):
            print(f"| {c / proc_samples:.1%} | {name} |")


def _short(frame: str) -> str:
    # "func (path/to/module.py:123)" → "func (module.py)"
    name, _, where = frame.partition(" (")
    file = where.rsplit(":", 1)[0]
    parts = Path(file).parts
    short = "/".join(parts[-2:]) if parts else file
    return f"{name} ({short})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--transforms", type=int, choices=(1, 2, 3), default=1, help="seed transforms on the endpoint")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--gil", action="store_true",
                        help="sample only the thread holding the GIL (server process only): where the "
                             "one Python core of the server goes")
    parser.add_argument("--keep", type=Path, help="copy the collapsed stacks here")
    parser.add_argument("--workers", type=int, default=1, help="`runner serve --workers` (with --gil: the supervisor only)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="profile-serve-"))
    try:
        out = profile(args.events, args.connections, SEED[: args.transforms], tmp, gil=args.gil, workers=args.workers)
        if args.keep:
            shutil.copy(out, args.keep)
        report(out, args.top)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
