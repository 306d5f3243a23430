"""Faults: a long Segment outage, SIGKILL again and again, a full disk, a corrupt or locked queue.

Every test counts the events the server acknowledged (answered 200) and the events the Segment
stand-in ingested, after deduplicating by messageId: the two must be equal, with nothing extra.
The provider's behaviour is modelled too: an event that was not acknowledged is sent again
until it is.

Time is compressed: the delivery backoff in these tests is 1/100 of the default (10 ms first
retry instead of 1 s, 9 s ceiling instead of 900 s), so an outage of N seconds here puts each
delivery through the retries of an N×100-second outage with the default settings (see the
README's Reliability section).
"""

from __future__ import annotations

import itertools
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.support.reliability import Ledger, eventually, process_tree, queue_counts, wait_pid_gone
from tests.support.segment_standin import SegmentStandin
from tests.support.serve import ROOT, TRANSFORMS, ServeProcess, free_port, new_secret

PAYMENTS = TRANSFORMS / "segment-track-payments.js"
IDENTIFY = TRANSFORMS / "segment-identify-customers.js"
BOTH = ("payments", "identify")
COMPRESSION = 100  # backoff here = default / COMPRESSION


@pytest.fixture
def standin() -> Iterator[SegmentStandin]:
    with SegmentStandin() as s:
        yield s


def write_config(path: Path, standin_url: str, *, delivery: str, transforms: tuple[str, ...] = BOTH) -> Path:
    files = {"payments": PAYMENTS, "identify": IDENTIFY}
    path.write_text(
        f"delivery: {{{delivery}}}\n"
        f"destinations:\n  segment: {{type: segment, write_key_env: SEGMENT_WRITE_KEY, base_url: '{standin_url}'}}\n"
        "endpoints:\n  default:\n    transforms:\n"
        + "".join(f"      {t}: {{file: {files[t]}}}\n" for t in transforms))
    return path


def env_for(secret: str) -> dict[str, str]:
    return {"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": "wk_faults"}


def provider_retries_until_acked(ledger: Ledger, url: str, numbers: range, *, deadline_s: float = 120) -> None:
    """What the provider does: send every event again until each one has been acknowledged."""
    deadline = time.monotonic() + deadline_s
    with httpx.Client(timeout=30) as client, ThreadPoolExecutor(8) as pool:
        while time.monotonic() < deadline:
            missing = [n for n in numbers if ledger.webhook_id(n) not in ledger.acked]
            if not missing:
                return
            list(pool.map(lambda n: ledger.post(client, url, n), missing))
    raise AssertionError(f"{len(missing)} events were never acknowledged")


def settle(standin: SegmentStandin, url: str, want: set[str], timeout: float = 90) -> dict[str, int]:
    """Wait until the stand-in has every wanted messageId and the queue has nothing pending."""
    standin.wait_for_events(len(want), timeout=timeout)

    def done() -> dict[str, int] | None:
        counts = queue_counts(url)
        return counts if set(counts) <= {"delivered", "dead"} and counts.get("delivered", 0) >= len(want) else None

    return eventually(done, timeout) or queue_counts(url)


def assert_acked_equals_delivered(ledger: Ledger, standin: SegmentStandin, counts: dict[str, int]) -> None:
    want = ledger.expected_message_ids()
    got = standin.message_ids()
    lost = want - set(got)
    extra = set(got) - want
    assert not lost, f"{len(lost)} acknowledged deliveries never arrived"
    assert not extra, f"{len(extra)} deliveries arrived that were never acknowledged"
    assert counts == {"delivered": len(want)}, counts


# --- 1. Segment failing for minutes ---------------------------------------------------------

OUTAGE_S = 6.0  # × COMPRESSION = a 10-minute outage at the default backoff


def test_segment_outage_of_mixed_failures_loses_and_duplicates_nothing(tmp_path: Path, standin: SegmentStandin) -> None:
    """Segment answers only 500, 503, 429 (Retry-After), 408, too slowly (past the client
    timeout: sometimes after having ingested the batch) or resets the connection, for the length
    of the outage, while webhooks keep arriving. Every acknowledged event is delivered once
    Segment is back; what Segment ingested twice (a timeout after ingestion) is deduplicated by
    messageId; nothing is dead-lettered."""
    secret = new_secret()
    config = write_config(tmp_path / "runner.yaml", standin.url, delivery=(
        f"initial_backoff_s: {1 / COMPRESSION}, max_backoff_s: {900 / COMPRESSION}, max_attempts: 1000, "
        "timeout_s: 0.5, idle_poll_s: 0.05, concurrency: 8"))
    cycle = [dict(status=500), dict(status=503), dict(status=429, retry_after=1), dict(status=408),
             dict(status=500, delay_s=1.0), dict(status=200, delay_s=1.0), dict(drop=True), dict(status=502)]
    for fault in itertools.islice(itertools.cycle(cycle), 50_000):
        standin.fail(1, **fault)  # type: ignore[arg-type]
    ledger = Ledger(secret, transforms=BOTH, prefix="outage")
    with ServeProcess(["--config", str(config)], env=env_for(secret), data_dir=tmp_path / "data") as srv, \
            httpx.Client(timeout=30) as client:
        started = time.monotonic()
        n = 0
        while time.monotonic() - started < OUTAGE_S:
            assert ledger.post(client, srv.url, n) == 200  # the queue works: every event is acknowledged
            n += 1
            time.sleep(0.01)
        failed_requests = len(standin.requests)
        standin.clear_faults()  # Segment is back
        counts = settle(standin, srv.url, ledger.expected_message_ids())
        metrics = httpx.get(srv.url + "/metrics").text
    assert failed_requests >= 20, f"only {failed_requests} requests were refused: the outage was not exercised"
    with sqlite3.connect(tmp_path / "data" / "queue.sqlite3") as conn:
        most_attempts = conn.execute("SELECT MAX(attempts) FROM deliveries").fetchone()[0]
    conn.close()
    assert most_attempts >= 5, most_attempts  # deliveries went through many failed attempts
    assert 'runner_deliveries_retried_total{destination="segment"}' in metrics
    assert_acked_equals_delivered(ledger, standin, counts)
    answered = {r.answered for r in standin.requests}
    assert {500, 503, 429, 408, None} <= answered, answered
    wire = standin.stats()
    print(f"\noutage: {len(ledger.acked)} acked, {len(ledger.expected_message_ids())} deliveries, "
          f"{failed_requests} refused requests, up to {most_attempts} attempts per delivery, "
          f"delivered {wire['unique']} unique ({wire['duplicates']} duplicates on the wire)")


# --- 2. SIGKILL, again and again ------------------------------------------------------------

KILLS = 24


def test_sigkill_again_and_again_during_ingest_and_delivery(tmp_path: Path, standin: SegmentStandin) -> None:
    """24 SIGKILLs at random moments: half while webhooks are arriving (requests in flight, some
    committed and not yet answered), half while deliveries are in flight to a slow stand-in (some
    ingested by Segment and not yet acknowledged to the queue). After each kill the server is
    restarted on the same queue. Then the provider retries what was never acknowledged.
    Acknowledged = delivered, after messageId dedupe; nothing else arrives; no engine worker of
    a killed server is left behind."""
    rng = random.Random(os.environ.get("RUNNER_FAULT_SEED", "20251127"))
    secret = new_secret()
    config = write_config(tmp_path / "runner.yaml", standin.url, delivery=(
        "initial_backoff_s: 0.05, max_backoff_s: 1, max_attempts: 1000, timeout_s: 2, lease_s: 5, idle_poll_s: 0.1"))
    ledger = Ledger(secret, transforms=BOTH, prefix="kill")
    counter = itertools.count()
    lock = threading.Lock()
    port = free_port()
    kills = {"ingest": 0, "delivery": 0}
    in_flight_at_kill = {"ingest": 0, "delivery": 0}
    workers: list[int] = []  # engine worker processes of every killed server

    def pump(url: str, stop: threading.Event) -> None:
        with httpx.Client(timeout=5) as client:
            while not stop.is_set():
                with lock:
                    n = next(counter)
                ledger.post(client, url, n)

    for round_no in range(KILLS):
        phase = "ingest" if round_no % 2 == 0 else "delivery"
        srv = ServeProcess(["--config", str(config)], env=env_for(secret), data_dir=tmp_path / "data", port=port,
                           log_path=tmp_path / "serve.log").start()
        assert srv.proc is not None
        family = process_tree(srv.proc.pid)
        if phase == "ingest":
            standin.fail(rng.randint(0, 20), status=500)
            standin.fail(rng.randint(0, 3), drop=True)
            stop = threading.Event()
            senders = [threading.Thread(target=pump, args=(srv.url, stop)) for _ in range(4)]
            for t in senders:
                t.start()
            time.sleep(rng.uniform(0.05, 0.6))
            before = sum(ledger.answers.values())
            srv.kill()
            stop.set()
            for t in senders:
                t.join()
            in_flight_at_kill[phase] += sum(ledger.answers.values()) - before > 0
        else:
            # Slow answers that Segment has already ingested: a kill lands while they are in flight.
            standin.fail(rng.randint(5, 30), status=200, delay_s=rng.uniform(0.1, 0.4))
            requests_before = len(standin.requests)
            time.sleep(rng.uniform(0.02, 0.8))
            srv.kill()
            time.sleep(0.45)  # let slow answers that were in flight be recorded by the stand-in
            in_flight_at_kill[phase] += len(standin.requests) > requests_before
        kills[phase] += 1
        workers += family[1:]
    standin.clear_faults()

    total = next(counter)
    acked_before_final = len(ledger.acked)
    with ServeProcess(["--config", str(config)], env=env_for(secret), data_dir=tmp_path / "data", port=port,
                      log_path=tmp_path / "serve.log") as srv:
        provider_retries_until_acked(ledger, srv.url, range(total))
        counts = settle(standin, srv.url, ledger.expected_message_ids())
    assert kills == {"ingest": KILLS // 2, "delivery": KILLS // 2}
    orphans = [p for p in workers if not wait_pid_gone(p)]
    assert not orphans, f"engine workers outlived their killed server: {orphans}"
    assert 0 < acked_before_final < total  # kills did leave events unacknowledged
    assert len(ledger.acked) == total
    assert_acked_equals_delivered(ledger, standin, counts)
    with sqlite3.connect(tmp_path / "data" / "queue.sqlite3") as conn:
        stored = conn.execute("SELECT COUNT(*), COUNT(DISTINCT webhook_id) FROM events").fetchone()
    conn.close()
    assert stored == (total, total)  # each webhook stored once, whatever the retries
    wire = standin.stats()
    assert in_flight_at_kill["delivery"] >= KILLS // 4, in_flight_at_kill
    print(f"\nsigkill: {sum(kills.values())} kills ({kills}), {total} events, {acked_before_final} acked before the "
          f"final restart, {len(ledger.acked)} in the end; {len(ledger.expected_message_ids())} deliveries; "
          f"stand-in got {wire['events']} ({wire['duplicates']} duplicates on the wire, {wire['unique']} unique); "
          f"kills with deliveries in flight: {in_flight_at_kill['delivery']}")


# --- 3. A full disk -------------------------------------------------------------------------

class Disk:
    """A small filesystem for the queue: a 2 MiB tmpfs (needs root), or a 2 MiB file-size limit
    (RLIMIT_FSIZE via prlimit on the server process; CPython ignores SIGXFSZ, so a write past it
    fails with EFBIG, as on a full disk)."""

    LIMIT = 2 * 1024 * 1024

    def __init__(self, kind: str, root: Path) -> None:
        self.kind = kind
        self.dir = root / "disk"
        self.dir.mkdir()
        self.pid: int | None = None
        if kind == "tmpfs":
            done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={self.LIMIT}", "tmpfs", str(self.dir)],
                                  capture_output=True, text=True)
            if done.returncode != 0:
                pytest.skip(f"mounting a tmpfs is not permitted here ({done.stderr.strip()}); the rlimit case covers it")

    def attach(self, pid: int) -> None:
        """Apply the limit to a (just started) server process."""
        self.pid = pid
        if self.kind == "rlimit":
            subprocess.run(["prlimit", f"--pid={pid}", f"--fsize={self.LIMIT}:unlimited"], check=True)

    def free(self) -> None:
        if self.kind == "tmpfs":
            subprocess.run(["mount", "-o", "remount,size=64m", str(self.dir)], check=True)
        elif self.pid is not None and Path(f"/proc/{self.pid}").exists():  # a killed server needs nothing freed
            subprocess.run(["prlimit", f"--pid={self.pid}", "--fsize=unlimited:unlimited"], check=True)

    def close(self) -> None:
        if self.kind == "tmpfs":
            subprocess.run(["umount", "-l", str(self.dir)], capture_output=True)


@pytest.mark.parametrize("kind", ["tmpfs", "rlimit"])
def test_full_disk_refuses_with_503_keeps_what_was_acknowledged_and_recovers(tmp_path: Path, standin: SegmentStandin,
                                                                             kind: str) -> None:
    """Segment is down, so the queue only grows until the disk is full. From then on webhooks are
    answered 503 (the provider retries), never 200, never 500. The server is SIGKILLed on the full
    disk, space is freed, it restarts, the provider retries: acknowledged = delivered."""
    if kind == "rlimit" and shutil.which("prlimit") is None:
        pytest.skip("prlimit (util-linux) is not installed")
    disk = Disk(kind, tmp_path)
    try:
        secret = new_secret()
        config = write_config(tmp_path / "runner.yaml", standin.url, transforms=("payments",), delivery=(
            "initial_backoff_s: 0.05, max_backoff_s: 0.5, max_attempts: 1000, lease_s: 2, idle_poll_s: 0.1"))
        standin.fail(1_000_000, status=500)  # Segment down: nothing leaves the queue
        ledger = Ledger(secret, transforms=("payments",), prefix=f"disk-{kind}")
        srv = ServeProcess(["--config", str(config)], env=env_for(secret), data_dir=disk.dir / "data",
                           log_path=tmp_path / "serve.log").start()
        assert srv.proc is not None
        disk.attach(srv.proc.pid)
        statuses: dict[int, int] = {}
        n = 0
        with httpx.Client(timeout=60) as client:
            while statuses.get(503, 0) < 25 and n < 20_000:
                status = ledger.post(client, srv.url, n)
                statuses[status] = statuses.get(status, 0) + 1
                n += 1
            health = httpx.get(srv.url + "/healthz").json()
        assert set(statuses) <= {200, 503}, statuses  # never a 500, never a dropped connection
        assert statuses.get(200, 0) > 10 and statuses[503] >= 25, statuses
        assert health["status"] == "ok"  # still serving: it says 503 and keeps going
        srv.kill()  # crash on the full disk
        disk.free()
        standin.clear_faults()
        with ServeProcess(["--config", str(config)], env=env_for(secret), data_dir=disk.dir / "data",
                          log_path=tmp_path / "serve.log") as srv:
            assert srv.proc is not None
            disk.attach(srv.proc.pid)
            disk.free()
            provider_retries_until_acked(ledger, srv.url, range(n))
            counts = settle(standin, srv.url, ledger.expected_message_ids())
        assert_acked_equals_delivered(ledger, standin, counts)
        log = (tmp_path / "serve.log").read_text()
        assert '"webhook.store_failed"' in log and ("database or disk is full" in log or kind == "rlimit"), log[-2000:]
        print(f"\nfull disk ({kind}): {statuses} while full; {len(ledger.acked)} acked = {counts['delivered']} delivered")
    finally:
        disk.close()


# --- 4. A corrupt or locked queue ----------------------------------------------------------

def fill_queue(tmp_path: Path, standin: SegmentStandin, secret: str, ledger: Ledger, count: int) -> Path:
    """A stopped server's queue holding `count` acknowledged events not yet delivered."""
    config = write_config(tmp_path / "runner.yaml", standin.url, transforms=("payments",),
                          delivery="initial_backoff_s: 0.05, max_backoff_s: 0.5, max_attempts: 1000, idle_poll_s: 0.1")
    standin.fail(1_000_000, status=500)
    with ServeProcess(["--config", str(config)], env=env_for(secret), data_dir=tmp_path / "data") as srv, \
            httpx.Client(timeout=30) as client:
        for n in range(count):
            assert ledger.post(client, srv.url, n) == 200
    standin.clear_faults()
    return config


def serve_exits(config: Path, secret: str, data: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "runner", "serve", "--config", str(config), "--data-dir", str(data),
                           "--port", "0"], cwd=ROOT, env={**os.environ, **env_for(secret)}, capture_output=True,
                          text=True, timeout=timeout)


@pytest.mark.parametrize("damage", ["header", "pages"])
def test_corrupt_queue_is_refused_never_silently_replaced(tmp_path: Path, standin: SegmentStandin, damage: str) -> None:
    secret = new_secret()
    ledger = Ledger(secret, transforms=("payments",), prefix=f"corrupt-{damage}")
    config = fill_queue(tmp_path, standin, secret, ledger, 40)
    db = tmp_path / "data" / "queue.sqlite3"
    backup = tmp_path / "backup.sqlite3"
    shutil.copy(db, backup)
    data = bytearray(db.read_bytes())
    if damage == "header":
        data[0:100] = bytes(range(100))
    else:
        for offset in range(4096, len(data) - 4096, 3):  # every page but the first and last
            data[offset] ^= 0x5A
    db.write_bytes(bytes(data))

    result = serve_exits(config, secret, tmp_path / "data")
    assert result.returncode != 0, "the server started on a corrupt queue"
    message = result.stdout + result.stderr
    assert "queue.sqlite3" in message and ("not a database" in message or "malformed" in message), message[-2000:]
    assert db.read_bytes() == bytes(data), "the corrupt file was modified or replaced"

    shutil.copy(backup, db)  # the operator restores the file: nothing acknowledged was lost
    with ServeProcess(["--config", str(config)], env=env_for(secret), data_dir=tmp_path / "data") as srv:
        counts = settle(standin, srv.url, ledger.expected_message_ids())
    assert_acked_equals_delivered(ledger, standin, counts)


def test_locked_queue_is_refused_with_a_clear_error_then_waits_for_short_locks(tmp_path: Path,
                                                                               standin: SegmentStandin) -> None:
    secret = new_secret()
    ledger = Ledger(secret, transforms=("payments",), prefix="locked")
    config = fill_queue(tmp_path, standin, secret, ledger, 20)
    db = tmp_path / "data" / "queue.sqlite3"
    locker = sqlite3.connect(db, isolation_level=None)
    try:
        locker.execute("PRAGMA locking_mode = EXCLUSIVE")
        locker.execute("BEGIN EXCLUSIVE")
        result = serve_exits(config, secret, tmp_path / "data")  # waits busy_timeout (10 s), then gives up
        assert result.returncode == 1
        assert "queue.sqlite3" in result.stderr and "database is locked" in result.stderr, result.stderr[-2000:]
    finally:
        locker.rollback()
        locker.close()

    with ServeProcess(["--config", str(config)], env=env_for(secret), data_dir=tmp_path / "data") as srv, \
            httpx.Client(timeout=30) as client:
        # Another process (say `runner replay`) holds the write lock for a moment: webhooks wait
        # for it and are acknowledged after their commit; none is refused, none is lost.
        other = sqlite3.connect(db, isolation_level=None, timeout=30, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        release = threading.Timer(1.5, lambda: (other.execute("COMMIT"), other.close()))
        release.start()
        with ThreadPoolExecutor(4) as pool:
            statuses = list(pool.map(lambda n: ledger.post(client, srv.url, n), range(20, 40)))
        release.join()
        assert statuses == [200] * 20
        counts = settle(standin, srv.url, ledger.expected_message_ids())
    assert_acked_equals_delivered(ledger, standin, counts)
