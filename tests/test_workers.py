"""`runner serve --workers N`: N ingest processes on one port and one queue, one dispatcher.

Through the real CLI, over loopback HTTP, on a real SQLite file, delivering to a real stand-in
for Segment. Each test counts what the server acknowledged (answered 200) against what Segment
ingested, after deduplicating by messageId (what Segment itself does): the two must be equal.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.support.reliability import Ledger, eventually, process_tree, wait_pid_gone
from tests.support.segment_standin import SegmentStandin
from tests.support.serve import ROOT, TRANSFORMS, ServeProcess, new_secret, signed
from tests.test_faults import provider_retries_until_acked, settle
from tests.test_reload import Project, log_events, metric

pytestmark = pytest.mark.slow

PAYMENTS = TRANSFORMS / "segment-track-payments.js"


@pytest.fixture
def standin() -> Iterator[SegmentStandin]:
    with SegmentStandin() as s:
        yield s


def serve(tmp_path: Path, standin: SegmentStandin, secret: str, *args: str, workers: int | None = 2) -> ServeProcess:
    return ServeProcess([str(PAYMENTS), "--segment-url", standin.url, *args],
                        env={"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": "wk_workers"},
                        data_dir=tmp_path / "data", workers=workers)


def pids(srv: ServeProcess) -> dict[str, int]:
    """The serving process of each part, by name (`worker-1`, ..., `dispatcher`), as logged."""
    out: dict[str, int] = {}
    for record in log_events(srv, "serve.workers_started"):
        out.update(record["pids"])  # type: ignore[arg-type]
    for record in log_events(srv, "serve.worker_restarted"):
        out[str(record["worker"])] = int(record["pid"])  # type: ignore[call-overload]
    return out


def metrics_folder_of(pid: int) -> Path:
    """The folder of a worker's metric files (prometheus-client's multiprocess mode)."""
    environ = dict(item.split("=", 1) for item in Path(f"/proc/{pid}/environ").read_text().split("\0") if "=" in item)
    return Path(environ["PROMETHEUS_MULTIPROC_DIR"])


def accepted_by(srv: ServeProcess) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in log_events(srv, "webhook.accepted"):
        counts[str(record["worker"])] = counts.get(str(record["worker"]), 0) + 1
    return counts


def post_many(ledger: Ledger, url: str, numbers: range, *, threads: int = 8) -> None:
    """Each thread with its own connections, so the kernel spreads them over the workers."""
    def run(part: range) -> None:
        with httpx.Client(timeout=30) as client:
            for n in part:
                ledger.post(client, url, n)

    chunks = [numbers[k::threads] for k in range(threads)]
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(run, chunks))


def assert_exactly_once(ledger: Ledger, standin: SegmentStandin, url: str) -> None:
    want = ledger.expected_message_ids()
    counts = settle(standin, url, want)
    got = standin.message_ids()
    assert not want - set(got), f"{len(want - set(got))} acknowledged deliveries never arrived"
    assert not set(got) - want, f"{len(set(got) - want)} deliveries arrived that were never acknowledged"
    assert counts == {"delivered": len(want)}, counts


def test_workers_share_one_port_and_one_queue_and_deliver_each_event_once(tmp_path: Path, standin: SegmentStandin) -> None:
    """Two workers both take webhooks (the log says which did); every acknowledged event reaches
    Segment exactly once; a retry of each, whichever worker gets it, is a duplicate; /metrics
    counts all of them whichever process answers it."""
    secret = new_secret()
    ledger = Ledger(secret, transforms=("segment-track-payments",))
    with serve(tmp_path, standin, secret) as srv:
        assert set(pids(srv)) == {"dispatcher", "worker-1", "worker-2"}, srv.logs()[-2000:]
        post_many(ledger, srv.url, range(400))
        assert ledger.answers == {200: 400}
        assert_exactly_once(ledger, standin, srv.url)
        by = accepted_by(srv)
        assert set(by) == {"worker-1", "worker-2"} and sum(by.values()) == 400, by
        assert standin.stats()["duplicates"] == 0
        statuses = []
        with httpx.Client(timeout=30) as client:
            for n in range(0, 400, 7):
                body, headers = ledger.request(n)
                statuses.append(client.post(srv.url + "/webhooks", content=body, headers=headers).json()["status"])
        assert set(statuses) == {"duplicate"}
        # Summed over the processes, whichever answers the scrape.
        for _ in range(4):
            assert metric(srv, 'runner_webhooks_accepted_total{endpoint="default",result="accepted"}') == 400
            assert metric(srv, 'runner_deliveries_delivered_total{destination="segment"}') == 400
            assert metric(srv, 'runner_queue_deliveries{status="delivered"}') == 400
        # The dispatcher publishes its destinations' gauges once a second (it answers no scrape).
        assert eventually(lambda: metric(srv, 'runner_destination_in_flight{destination="segment"}') == 0, 5)


def test_one_webhook_posted_to_every_worker_at_once_is_one_event(tmp_path: Path, standin: SegmentStandin) -> None:
    """The same webhook-id on 16 connections at the same moment: one `accepted`, the rest
    `duplicate`, one delivery (the queue's unique webhook-id decides across processes)."""
    secret = new_secret()
    with serve(tmp_path, standin, secret) as srv:
        for round_ in range(5):
            body, headers = signed(secret, {"type": "payment.succeeded", "data": {
                "payment_id": f"pay_same_{round_}", "customer": {"customer_id": "cus_1", "email": "a@example.com"},
                "total_amount": 100, "currency": "USD"}}, msg_id=f"msg_same_{round_}")
            barrier = threading.Barrier(16)

            def post(barrier: threading.Barrier, body: bytes, headers: dict[str, str]) -> str:
                with httpx.Client(timeout=30) as client:
                    barrier.wait()
                    return str(client.post(srv.url + "/webhooks", content=body, headers=headers).json()["status"])

            with ThreadPoolExecutor(16) as pool:
                answers = list(pool.map(lambda _: post(barrier, body, headers), range(16)))  # noqa: B023 (joined in the loop)
            assert sorted(answers) == ["accepted"] + ["duplicate"] * 15, answers
        assert standin.wait_for_events(5, timeout=30) == 5
        time.sleep(0.5)
        assert standin.stats()["events"] == 5


def test_a_killed_worker_is_replaced_while_the_others_serve_and_nothing_acknowledged_is_lost(
        tmp_path: Path, standin: SegmentStandin) -> None:
    """SIGKILL one ingest worker (and its engine workers' parent) under load: the other keeps
    answering, the supervisor starts a new one, the killed one's engine workers exit, and every
    acknowledged event is delivered exactly once after the provider's retries."""
    secret = new_secret()
    ledger = Ledger(secret, transforms=("segment-track-payments",), prefix="wk")
    with serve(tmp_path, standin, secret) as srv:
        victim = pids(srv)["worker-1"]
        engines = process_tree(victim)[1:]
        assert engines, "the worker runs its engines in processes of its own"
        stop = threading.Event()
        answered_while_down: list[int] = []
        counter = iter(range(1_000_000))

        def pump() -> None:
            with httpx.Client(timeout=30) as client:
                while not stop.is_set():
                    status = ledger.post(client, srv.url, next(counter))
                    if status == 200 and "worker-1" not in pids_restarted(srv):
                        answered_while_down.append(status)

        def pids_restarted(s: ServeProcess) -> set[str]:
            return {str(r["worker"]) for r in log_events(s, "serve.worker_restarted")}

        threads = [threading.Thread(target=pump) for _ in range(6)]
        for t in threads:
            t.start()
        time.sleep(1.0)
        os.kill(victim, signal.SIGKILL)
        killed_at = len(ledger.acked)
        assert eventually(lambda: "worker-1" in pids_restarted(srv), 60), srv.logs()[-3000:]
        time.sleep(1.0)
        stop.set()
        for t in threads:
            t.join(60)
        assert len(ledger.acked) > killed_at  # served on while one worker was down and after
        exited = log_events(srv, "serve.worker_exited")
        assert [(r["worker"], r["exit"]) for r in exited] == [("worker-1", "killed by SIGKILL")], exited
        assert pids(srv)["worker-1"] != victim
        assert all(wait_pid_gone(p, 30) for p in engines), "the killed worker's engines outlived it"
        total = next(counter)
        provider_retries_until_acked(ledger, srv.url, range(total))
        assert_exactly_once(ledger, standin, srv.url)
        assert set(accepted_by(srv)) == {"worker-1", "worker-2"}


def test_a_killed_dispatcher_is_replaced_and_its_claims_are_delivered(tmp_path: Path, standin: SegmentStandin) -> None:
    """SIGKILL the dispatcher while Segment is slow to answer (deliveries claimed and in
    flight): the new dispatcher releases the dead one's claims and delivers them; Segment ends
    with every acknowledged event (deduplicated by messageId, as Segment does)."""
    secret = new_secret()
    ledger = Ledger(secret, transforms=("segment-track-payments",), prefix="dk")
    with serve(tmp_path, standin, secret) as srv:
        standin.fail(20, status=200, delay_s=0.3)
        post_many(ledger, srv.url, range(300))
        assert ledger.answers == {200: 300}
        victim = pids(srv)["dispatcher"]
        os.kill(victim, signal.SIGKILL)
        assert eventually(lambda: pids(srv)["dispatcher"] != victim, 60), srv.logs()[-3000:]
        assert_exactly_once(ledger, standin, srv.url)
        exited = log_events(srv, "serve.worker_exited")
        assert [r["worker"] for r in exited] == ["dispatcher"], exited


def test_sighup_reloads_every_process_and_a_bad_reload_keeps_the_old_code_everywhere(
        tmp_path: Path, standin: SegmentStandin) -> None:
    """SIGHUP to the supervisor reaches each process: after it, whichever worker answers runs
    the new handler; a broken one fails to load in each and all keep the last good code."""
    project = Project(tmp_path, standin)
    with ServeProcess(["--config", str(project.config), "--workers", "2"],
                      env={"DODO_WEBHOOK_SECRET": project.secret, "SEGMENT_WRITE_KEY": "wk_reload"},
                      data_dir=tmp_path / "data") as srv:
        assert srv.proc is not None
        project.write_handler(2)
        srv.proc.send_signal(signal.SIGHUP)
        assert eventually(lambda: len(log_events(srv, "serve.reloaded")) == 3, 60), srv.logs()[-3000:]
        assert {r["worker"] for r in log_events(srv, "serve.reloaded")} == {"worker-1", "worker-2", "dispatcher"}
        project.handler.write_text("function handler(webhook) {\n  return webhook.;\n}\n")
        srv.proc.send_signal(signal.SIGHUP)
        assert eventually(lambda: len(log_events(srv, "serve.reload_failed")) == 3, 60), srv.logs()[-3000:]
        for _ in range(40):
            with httpx.Client(timeout=30) as client:  # a new connection each: both workers answer
                assert project.post(srv, client=client).status_code == 200
        assert standin.wait_for_events(40, timeout=30) == 40
        assert {e["properties"]["version"] for e in standin.events()} == {2}
        assert set(accepted_by(srv)) == {"worker-1", "worker-2"}
        assert metric(srv, "runner_config_last_reload_successful") == 0


def test_watch_reads_a_save_once_for_every_process_and_a_restarted_worker_serves_it(
        tmp_path: Path, standin: SegmentStandin) -> None:
    """With --watch the supervisor sees the save, reads and checks it once, and every process
    reloads what it read; a worker killed afterwards is started on it too, not on the file."""
    project = Project(tmp_path, standin)
    with ServeProcess(["--config", str(project.config), "--workers", "2", "--watch"],
                      env={"DODO_WEBHOOK_SECRET": project.secret, "SEGMENT_WRITE_KEY": "wk_reload"},
                      data_dir=tmp_path / "data") as srv:
        project.write_handler(2)
        assert eventually(lambda: len(log_events(srv, "serve.reloaded")) == 3, 60), srv.logs()[-3000:]
        reads = log_events(srv, "serve.reloading")
        assert [(r["worker"], str(project.handler) in str(r["reason"])) for r in reads] == [("supervisor", True)]
        project.handler.write_text("function handler(webhook) {\n  return webhook.;\n}\n")
        assert eventually(lambda: len(log_events(srv, "serve.reload_failed")) == 3, 60), srv.logs()[-3000:]
        victims = pids(srv)
        for pid in victims.values():  # every process: all that answers from now on was started again
            os.kill(pid, signal.SIGKILL)
        assert eventually(lambda: all(pids(srv)[name] != pid for name, pid in victims.items()), 60), srv.logs()[-3000:]
        assert eventually(lambda: len(log_events(srv, "serve.worker_restarted")) == 3, 60), srv.logs()[-3000:]
        for _ in range(20):
            with httpx.Client(timeout=30) as client:
                assert project.post(srv, client=client).status_code == 200
        assert standin.wait_for_events(20, timeout=30) == 20
        assert {e["properties"]["version"] for e in standin.events()} == {2}
        assert metric(srv, "runner_config_last_reload_successful") == 0  # the restarted ones know it was refused


def test_sigterm_stops_every_process_and_frees_the_data_folder(tmp_path: Path, standin: SegmentStandin) -> None:
    """A graceful stop ends with exit 0, no process of the server left, and the folder free
    for the next server, which delivers anything left."""
    secret = new_secret()
    ledger = Ledger(secret, transforms=("segment-track-payments",), prefix="st")
    srv = serve(tmp_path, standin, secret).start()
    assert srv.proc is not None
    tree = process_tree(srv.proc.pid)
    assert len(tree) >= 1 + 3 + 2 * 2  # supervisor, 2 workers and a dispatcher, 2 engines per worker
    standin.fail(1000, status=503)  # nothing delivered before the stop: the next server sends it
    post_many(ledger, srv.url, range(60))
    assert srv.terminate(60) == 0, srv.logs()[-3000:]
    assert all(wait_pid_gone(p, 30) for p in tree), "a process of the server outlived its stop"
    standin.clear_faults()
    with serve(tmp_path, standin, secret) as again:
        assert_exactly_once(ledger, standin, again.url)


def test_a_killed_supervisor_takes_its_workers_with_it_and_the_folder_stays_locked_until_then(
        tmp_path: Path, standin: SegmentStandin) -> None:
    """SIGKILL of the supervisor: its children notice and stop gracefully; while any is alive a
    new server on the folder is refused; then it starts and nothing acknowledged is lost."""
    secret = new_secret()
    ledger = Ledger(secret, transforms=("segment-track-payments",), prefix="sk")
    srv = serve(tmp_path, standin, secret).start()
    assert srv.proc is not None
    tree = process_tree(srv.proc.pid)
    metrics_folder = metrics_folder_of(pids(srv)["worker-1"])
    post_many(ledger, srv.url, range(100))
    srv.kill()
    assert all(wait_pid_gone(p, 45) for p in tree), "a worker outlived its killed supervisor"
    assert metrics_folder.is_dir()  # nobody was left to remove it ...
    with serve(tmp_path, standin, secret) as again:
        assert not metrics_folder.exists()  # ... until the next server started
        assert_exactly_once(ledger, standin, again.url)
        current = metrics_folder_of(pids(again)["worker-1"])
    assert not current.exists()  # a server that stops removes its own


def test_a_second_server_on_the_folder_is_refused(tmp_path: Path, standin: SegmentStandin) -> None:
    secret = new_secret()
    with serve(tmp_path, standin, secret) as srv:
        assert srv.proc is not None
        second = subprocess.run(
            [sys.executable, "-m", "runner", "serve", str(PAYMENTS), "--port", "0", "--workers", "2",
             "--data-dir", str(tmp_path / "data")],
            cwd=ROOT, env={**os.environ, "DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": "wk"},
            capture_output=True, text=True, timeout=60)
        assert second.returncode != 0
        assert f"another runner serve (pid {srv.proc.pid})" in second.stderr, second.stderr


def test_worker_counts_outside_the_range_are_refused_with_the_key(tmp_path: Path) -> None:
    env = {**os.environ, "DODO_WEBHOOK_SECRET": new_secret(), "SEGMENT_WRITE_KEY": "wk"}
    config = tmp_path / "runner.yaml"
    for value, words in (("0", "must be positive"), ("65", "must be 1 to 64"), ("two", "must be int")):
        config.write_text(f"server: {{workers: {value}}}\nendpoints:\n  default:\n    transforms:\n"
                          f"      payments: {{file: {PAYMENTS}}}\n")
        run = subprocess.run([sys.executable, "-m", "runner", "serve", "--config", str(config)], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=60)
        assert run.returncode != 0
        assert "server.workers" in run.stderr and words in run.stderr, run.stderr
    run = subprocess.run([sys.executable, "-m", "runner", "serve", str(PAYMENTS), "--workers", "0"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "--workers" in run.stderr, run.stderr


def test_one_worker_is_one_process_without_a_supervisor(tmp_path: Path, standin: SegmentStandin) -> None:
    secret = new_secret()
    with serve(tmp_path, standin, secret, workers=1) as srv:
        assert srv.proc is not None
        commands = [Path(f"/proc/{p}/cmdline").read_bytes() for p in process_tree(srv.proc.pid)]
        assert not [c for c in commands if b"serve-worker" in c]
        assert not log_events(srv, "serve.workers_started")


def test_the_default_is_one_worker_per_two_cores(tmp_path: Path, standin: SegmentStandin) -> None:
    """Without --workers or server.workers: one ingest process per two cores this process may
    run on (at least one, at most 8), each named in the start line; one is no supervisor."""
    secret = new_secret()
    cores = max(1, min(len(os.sched_getaffinity(0)) // 2, 8))
    with serve(tmp_path, standin, secret, workers=None) as srv:
        if cores == 1:
            assert not log_events(srv, "serve.workers_started")
        else:
            started = log_events(srv, "serve.workers_started")
            assert started and started[-1]["workers"] == cores, srv.logs()[-2000:]
            assert json.dumps(sorted(pids(srv))) == json.dumps(sorted(["dispatcher"] + [f"worker-{i}" for i in range(1, cores + 1)]))



def test_engine_processes_per_ingest_process_follow_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unset, `server.engine_workers` is two per ingest process, fewer when the ingest
    processes already have a core each (never none); set, it is what it says."""
    import runner.config.model as model
    from runner.config import ServerConfig, engine_worker_count

    for cores, workers, want in ((2, None, 2), (2, 1, 2), (2, 2, 1), (2, 4, 1), (4, 2, 2), (8, None, 2), (8, 8, 1),
                                 (32, None, 2), (1, None, 1)):
        monkeypatch.setattr(model, "usable_cores", lambda c=cores: c)
        assert engine_worker_count(ServerConfig(workers=workers)) == want, (cores, workers)
        assert engine_worker_count(ServerConfig(workers=workers, engine_workers=3)) == 3


def engines_of(pid: int) -> list[int]:
    """The engine processes (multiprocessing children: the spare too, not its resource tracker) of `pid`."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid and b"spawn_main" in command:
                out.append(int(entry.name))
    return out


def test_each_ingest_process_runs_its_share_of_engine_processes(tmp_path: Path, standin: SegmentStandin) -> None:
    """With `--workers 2`, each ingest process starts the engine processes its share of the
    cores allows (one on 2 cores), and its spare; `server.engine_workers` sets the number."""
    cores = len(os.sched_getaffinity(0))
    expected = max(1, min(2, cores // 2))
    secret = new_secret()
    with serve(tmp_path, standin, secret) as srv:
        workers = [pid for name, pid in pids(srv).items() if name.startswith("worker-")]
        assert len(workers) == 2
        for pid in workers:
            assert eventually(lambda pid=pid: len(engines_of(pid)) == expected + 1, timeout=30), engines_of(pid)
    config = tmp_path / "runner.yaml"
    config.write_text("server: {engine_workers: 3}\ndestinations:\n"
                      f"  segment: {{type: segment, write_key_env: SEGMENT_WRITE_KEY, base_url: '{standin.url}'}}\n"
                      f"endpoints:\n  default:\n    transforms:\n      payments: {{file: {PAYMENTS}}}\n")
    with ServeProcess(["--config", str(config), "--workers", "2"], env={"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": "wk"},
                      data_dir=tmp_path / "data2") as srv:
        for pid in [pid for name, pid in pids(srv).items() if name.startswith("worker-")]:
            assert eventually(lambda pid=pid: len(engines_of(pid)) == 3 + 1, timeout=30), engines_of(pid)


def test_workers_on_a_postgresql_queue_deliver_each_event_once(tmp_path: Path, pg_url: str, standin: SegmentStandin) -> None:
    """The same on a shared PostgreSQL queue (no folder lock: the queue's claims and unique
    webhook-id are the whole protocol), with the dispatcher killed half-way: what it had
    claimed goes out when the claims' lease ends (a shared queue cannot tell a dead process
    of this machine from a live one of another), here after 3 s."""
    from click.testing import CliRunner

    from runner.cli import main

    upgraded = CliRunner().invoke(main, ["db", "upgrade", "--queue", pg_url])
    assert upgraded.exit_code == 0, upgraded.output
    secret = new_secret()
    ledger = Ledger(secret, transforms=("segment-track-payments",), prefix="pg")
    config = tmp_path / "runner.yaml"
    config.write_text(f"queue: {pg_url}\ndelivery: {{lease_s: 3, idle_poll_s: 0.5}}\n"
                      f"destinations:\n  segment: {{type: segment, write_key_env: SEGMENT_WRITE_KEY, base_url: '{standin.url}'}}\n"
                      f"endpoints:\n  default:\n    transforms:\n      segment-track-payments: {{file: {PAYMENTS}}}\n")
    with ServeProcess(["--config", str(config), "--workers", "2"],
                      env={"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": "wk_workers"},
                      data_dir=tmp_path / "data") as srv:
        post_many(ledger, srv.url, range(150))
        victim = pids(srv)["dispatcher"]
        os.kill(victim, signal.SIGKILL)
        post_many(ledger, srv.url, range(150, 300))
        assert ledger.answers == {200: 300}
        assert eventually(lambda: pids(srv)["dispatcher"] != victim, 60), srv.logs()[-3000:]
        assert_exactly_once(ledger, standin, srv.url)
        assert set(accepted_by(srv)) == {"worker-1", "worker-2"}
