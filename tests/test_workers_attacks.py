"""Attacks on `runner serve --workers N` that tests/test_workers.py does not cover.

Each test here failed when written; the docstring of each says which promise of the README
("Using every core") it broke, and how.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.reliability import eventually, process_tree, wait_pid_gone
from tests.support.segment_standin import SegmentStandin
from tests.support.serve import ROOT, TRANSFORMS, ServeProcess, free_port, new_secret
from tests.test_reload import Project, log_events
from tests.test_workers import pids

pytestmark = pytest.mark.slow

PAYMENTS = TRANSFORMS / "segment-track-payments.js"
BROKEN_JS = "function handler(webhook) {\n  return webhook.;\n}\n"


@pytest.fixture
def standin() -> Iterator[SegmentStandin]:
    with SegmentStandin() as s:
        yield s


def serve_payments(tmp_path: Path, standin: SegmentStandin, secret: str, workers: int = 2) -> ServeProcess:
    return ServeProcess([str(PAYMENTS), "--segment-url", standin.url],
                        env={"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": "wk_attack"},
                        data_dir=tmp_path / "data", workers=workers)


def popen_serve(args: list[str], env: dict[str, str], log: Path, cwd: Path = ROOT) -> subprocess.Popen[bytes]:
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, "-m", "runner", "serve", *args], cwd=cwd,
                                env={**os.environ, "PYTHONPATH": str(ROOT), **env}, stdout=out, stderr=subprocess.STDOUT)


def healthy(url: str) -> bool:
    try:
        return httpx.get(url + "/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(45)
        except subprocess.TimeoutExpired:
            for p in process_tree(proc.pid):
                try:
                    os.kill(p, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            proc.wait(10)


def _sighup_handled(pid: int) -> bool:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("SigIgn:", "SigCgt:")) and int(line.split()[1], 16) & (1 << (signal.SIGHUP - 1)):
            return True
    return False


# --- 1. SIGHUP before a child has installed its reload handler kills it ---------------------


def test_a_sighup_while_the_server_starts_does_not_stop_it(tmp_path: Path) -> None:
    """`systemctl reload` (or a --watch-less editor hook) right after a start: the supervisor
    passes SIGHUP to children that are still importing, whose SIGHUP disposition is the default
    (terminate). One of them dies "killed by SIGHUP" and the whole server exits 1, while the
    single-process server ignores a SIGHUP during its start."""
    port = free_port()
    log = tmp_path / "serve.log"
    proc = popen_serve([str(PAYMENTS), "--workers", "2", "--host", "127.0.0.1", "--port", str(port),
                        "--data-dir", str(tmp_path / "data"), "--segment-url", "http://127.0.0.1:9"],
                       {"DODO_WEBHOOK_SECRET": new_secret(), "SEGMENT_WRITE_KEY": "wk"}, log)
    try:
        # Once `serve` ignores or catches SIGHUP (its first line; then the supervisor's handler).
        assert eventually(lambda: _sighup_handled(proc.pid), 30)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None and "serve.workers_started" not in log.read_text():
            proc.send_signal(signal.SIGHUP)
            time.sleep(0.05)
        time.sleep(1)
        assert proc.poll() is None, f"a SIGHUP during the start ended the server (exit {proc.returncode}):\n{log.read_text()[-2000:]}"
        assert healthy(f"http://127.0.0.1:{port}")
    finally:
        stop(proc)


def test_a_sighup_while_a_worker_restarts_does_not_kill_the_new_worker(tmp_path: Path, standin: SegmentStandin) -> None:
    """A reload that comes while a killed worker is being started again kills the new one
    (default SIGHUP disposition until its reloader listens): `serve.worker_exited ... killed by
    SIGHUP`, and its restart is pushed back by the growing pause of repeated quick deaths."""
    secret = new_secret()
    with serve_payments(tmp_path, standin, secret) as srv:
        assert srv.proc is not None
        os.kill(pids(srv)["worker-1"], signal.SIGKILL)
        deadline = time.monotonic() + 4
        while time.monotonic() < deadline:
            srv.proc.send_signal(signal.SIGHUP)
            time.sleep(0.1)
        exits = [str(r["exit"]) for r in log_events(srv, "serve.worker_exited")]
        assert "killed by SIGHUP" not in exits, exits


# --- 2. A restarted process reads the config file again, unchecked by any reload -----------


def test_a_dispatcher_restarted_after_a_bad_edit_still_delivers(tmp_path: Path, standin: SegmentStandin) -> None:
    """A handler saved with a syntax error is refused by a reload ("a failed reload keeps the
    old config"); a dispatcher that dies afterwards must start on that old config. (It was
    started from the files on disk: it failed to load the handler, exited 1, and was started
    again every 10 s forever, while the ingest workers answered 200 and nothing was delivered.)"""
    project = Project(tmp_path, standin)
    with ServeProcess(["--config", str(project.config), "--workers", "2"],
                      env={"DODO_WEBHOOK_SECRET": project.secret, "SEGMENT_WRITE_KEY": "wk_attack"},
                      data_dir=tmp_path / "data") as srv:
        assert srv.proc is not None
        project.handler.write_text(BROKEN_JS)
        srv.proc.send_signal(signal.SIGHUP)
        assert eventually(lambda: len(log_events(srv, "serve.reload_failed")) == 3, 30), srv.logs()[-3000:]
        os.kill(pids(srv)["dispatcher"], signal.SIGKILL)
        for _ in range(5):
            assert project.post(srv).status_code == 200
        assert standin.wait_for_events(5, timeout=30) == 5, \
            "acknowledged events were not delivered: " + str([(r["worker"], r["exit"]) for r in log_events(srv, "serve.worker_exited")])


def test_workers_restarted_after_a_bad_edit_still_take_webhooks(tmp_path: Path, standin: SegmentStandin) -> None:
    """The same for the ingest workers: after both die (OOM killer) they must come back while
    the file on disk is broken. (Neither did; the supervisor still held the port, so a
    provider's requests were not refused but hung in the backlog until they timed out.)"""
    project = Project(tmp_path, standin)
    with ServeProcess(["--config", str(project.config), "--workers", "2"],
                      env={"DODO_WEBHOOK_SECRET": project.secret, "SEGMENT_WRITE_KEY": "wk_attack"},
                      data_dir=tmp_path / "data") as srv:
        project.handler.write_text(BROKEN_JS)
        for name in ("worker-1", "worker-2"):
            os.kill(pids(srv)[name], signal.SIGKILL)
        try:
            answer = project.post(srv).status_code
        except httpx.TimeoutException:
            answer = None
        assert answer == 200, "no worker came back: " + str([(r["worker"], r["exit"]) for r in log_events(srv, "serve.worker_exited")])


def test_a_restarted_worker_keeps_the_queue_the_server_was_started_on(tmp_path: Path, standin: SegmentStandin) -> None:
    """`data_dir` needs a restart (a reload says so and keeps the old one): a worker that is
    started again must queue where the dispatcher delivers from. (It read `data_dir` from the
    edited runner.yaml and queued acknowledged webhooks in a folder nobody delivered from.)"""
    secret = new_secret()
    handler = tmp_path / "payments.js"
    handler.write_text(PAYMENTS.read_text())
    config = tmp_path / "runner.yaml"
    template = ("data_dir: @DATA@\nserver: {workers: 1}\n"  # workers overridden by --workers 2
                f"destinations:\n  segment: {{type: segment, write_key_env: SEGMENT_WRITE_KEY, base_url: '{standin.url}'}}\n"
                "endpoints:\n  default:\n    transforms:\n      payments: {file: payments.js}\n")
    config.write_text(template.replace("@DATA@", str(tmp_path / "a")))
    port = free_port()
    log = tmp_path / "serve.log"
    proc = popen_serve(["--config", str(config), "--workers", "2", "--host", "127.0.0.1", "--port", str(port),
                        "--log-format", "json"],
                       {"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": "wk_attack"}, log)
    url = f"http://127.0.0.1:{port}"
    try:
        assert eventually(lambda: "serve.workers_started" in log.read_text(), 60), log.read_text()[-2000:]
        config.write_text(template.replace("@DATA@", str(tmp_path / "b")))  # edited; not reloaded
        srv = ServeProcess([], env={}, data_dir=tmp_path / "a", port=port, log_path=log)
        for name in ("worker-1", "worker-2"):
            os.kill(pids(srv)[name], signal.SIGKILL)
        assert eventually(lambda: {str(r["worker"]) for r in log_events(srv, "serve.worker_restarted")} == {"worker-1", "worker-2"}, 60)
        from tests.support.serve import payment_event, signed
        for n in range(3):
            body, headers = signed(secret, payment_event(n))
            assert httpx.post(url + "/webhooks", content=body, headers=headers, timeout=30).status_code == 200
        assert not (tmp_path / "b").exists(), "a restarted worker opened the queue of an edited, unreloaded config"
        assert standin.wait_for_events(3, timeout=20) == 3
    finally:
        stop(proc)


# --- 3. What a killed supervisor leaves behind -----------------------------------------------


def _metrics_dir(pid: int) -> Path:
    for item in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
        if item.startswith(b"PROMETHEUS_MULTIPROC_DIR="):
            return Path(item.split(b"=", 1)[1].decode())
    raise AssertionError("no PROMETHEUS_MULTIPROC_DIR in a worker's environment")


def test_after_a_killed_supervisor_the_refusal_names_a_live_process(tmp_path: Path, standin: SegmentStandin) -> None:
    """Restarted at once after `kill -9` of its supervisor, a server is refused (right: the old
    workers still drain and hold the lock), naming a process that is alive. (It named the dead
    supervisor's pid, so the operator's `kill N` found no such process.)"""
    secret = new_secret()
    srv = serve_payments(tmp_path, standin, secret).start()
    assert srv.proc is not None
    tree = process_tree(srv.proc.pid)
    srv.kill()
    try:
        second = subprocess.run(
            [sys.executable, "-m", "runner", "serve", str(PAYMENTS), "--port", "0", "--workers", "2",
             "--data-dir", str(tmp_path / "data")],
            cwd=ROOT, env={**os.environ, "DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": "wk"},
            capture_output=True, text=True, timeout=60)
        assert second.returncode != 0, second.stderr
        named = re.search(r"pid (\d+)", second.stderr)
        assert named, second.stderr
        pid = int(named.group(1))
        alive = Path(f"/proc/{pid}").exists()
        assert alive, f"the refusal names pid {pid}, which is gone; the folder is held by {tree[1:]}"
    finally:
        for p in tree:
            wait_pid_gone(p, 45)


# --- 4. Listening -------------------------------------------------------------------------


def test_port_zero_with_workers_says_which_port_it_listens_on(tmp_path: Path) -> None:
    """With `--port 0` a single process logs `Uvicorn running on http://127.0.0.1:PORT`; with
    workers no line names the address at all, so the port the kernel chose is unknowable
    (and even for a fixed port the log never says where the server listens)."""
    log = tmp_path / "serve.log"
    proc = popen_serve([str(PAYMENTS), "--workers", "2", "--host", "127.0.0.1", "--port", "0",
                        "--data-dir", str(tmp_path / "data"), "--segment-url", "http://127.0.0.1:9", "--log-format", "json"],
                       {"DODO_WEBHOOK_SECRET": new_secret(), "SEGMENT_WRITE_KEY": "wk"}, log)
    try:
        assert eventually(lambda: "serve.workers_started" in log.read_text(), 60), log.read_text()[-2000:]
        ports = [int(p) for p in re.findall(r"127\.0\.0\.1:(\d+)", log.read_text()) if p != "0"]
        assert ports, "no log line names the port:\n" + log.read_text()[-2000:]
        assert healthy(f"http://127.0.0.1:{ports[0]}")
    finally:
        stop(proc)


def test_a_host_with_several_addresses_is_listened_on_at_each(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--host localhost` where localhost is ::1 and 127.0.0.1 (most systems): one process
    (uvicorn, asyncio create_server) listens on both, and so must `--workers N`. (It bound only
    the first address getaddrinfo returned: clients of the other got "connection refused".)"""
    from runner.cli import serve as serve_cli

    port = free_port()
    real = socket.getaddrinfo

    def two_addresses(host: str, p: int, *args: object, **kwargs: object) -> list[tuple[object, ...]]:
        if host == "localhost":
            return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", p, 0, 0)),
                    (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", p))]
        return real(host, p, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", two_addresses)
    listening = serve_cli._bind("localhost", port)
    try:
        for address in ("::1", "127.0.0.1"):
            try:
                socket.create_connection((address, port), timeout=2).close()
            except OSError as exc:
                pytest.fail(f"localhost:{port} is not listened on at {address}: {exc}")
    finally:
        for s in listening:
            s.close()


# --- 5. A child that cannot be started again ---------------------------------------------


def test_a_worker_that_cannot_be_forked_again_leaves_the_folder_locked_and_the_server_up(
        tmp_path: Path, standin: SegmentStandin) -> None:
    """The OOM killer takes a worker, and the supervisor's fork/pipe for its replacement fails
    (ENOMEM/EAGAIN/EMFILE; EMFILE here, by lowering the supervisor's RLIMIT_NOFILE): the
    OSError escapes `Supervisor.run`, the supervisor exits with a traceback, and `_supervise`'s
    `finally` calls `lock.release()`, whose `flock(LOCK_UN)` unlocks the open file description
    the surviving worker and dispatcher share: the folder is free while they still run."""
    import fcntl
    import resource

    srv = serve_payments(tmp_path, standin, new_secret()).start()
    assert srv.proc is not None
    supervisor = srv.proc.pid
    tree = process_tree(supervisor)
    try:
        highest = max(int(fd) for fd in os.listdir(f"/proc/{supervisor}/fd"))
        soft, hard = resource.prlimit(supervisor, resource.RLIMIT_NOFILE)
        resource.prlimit(supervisor, resource.RLIMIT_NOFILE, (highest + 1, hard))
        victim = pids(srv)["worker-1"]
        os.kill(victim, signal.SIGKILL)
        eventually(lambda: srv.proc.poll() is not None, 5, interval=0.005)  # (it should not end at all)
        alive = [p for p in tree[1:] if Path(f"/proc/{p}").exists() and p != victim]
        fd = os.open(tmp_path / "data" / "serve.lock", os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            taken = True
        except BlockingIOError:
            taken = False
        finally:
            os.close(fd)
        assert not (taken and alive), f"the folder's lock was free while {alive} of the server still ran:\n" + srv.logs()[-1500:]
        assert srv.proc.poll() is None, f"the supervisor ended (exit {srv.proc.returncode}):\n" + srv.logs()[-1500:]
    finally:
        if srv.proc.poll() is None:
            resource.prlimit(supervisor, resource.RLIMIT_NOFILE, (soft, hard))
            srv.terminate(60)
        for p in tree:
            wait_pid_gone(p, 45)


def _catches(pid: int, signum: int) -> bool:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:") and int(line.split()[1], 16) & (1 << (signum - 1)):
            return True
    return False


def test_a_sigterm_while_the_server_starts_is_a_clean_stop(tmp_path: Path) -> None:
    """`systemctl stop` while the workers are still starting: `_wait_ready` sees `_stopping`
    and `run` returns 1, so a stop that was asked for ends with exit 1 (a "failed" unit),
    with no line saying why, where a stop after the start exits 0 (and the single process ends
    by the re-raised SIGTERM, which systemd counts as a clean stop)."""
    log = tmp_path / "serve.log"
    proc = popen_serve([str(PAYMENTS), "--workers", "2", "--host", "127.0.0.1", "--port", str(free_port()),
                        "--data-dir", str(tmp_path / "data"), "--segment-url", "http://127.0.0.1:9"],
                       {"DODO_WEBHOOK_SECRET": new_secret(), "SEGMENT_WRITE_KEY": "wk"}, log)
    try:
        assert eventually(lambda: _catches(proc.pid, signal.SIGTERM), 30, interval=0.01)
        assert "serve.workers_started" not in log.read_text()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) == 0, log.read_text()[-2000:]
    finally:
        stop(proc)
