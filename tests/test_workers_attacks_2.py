"""More attacks on `runner serve --workers N` (README, "Using every core"): reloads read once
by the supervisor and handed to every process as one snapshot.

Each test here failed when written; its docstring says which promise it broke, and how (the
mechanism that now holds it is in runner/server/snapshot.py and runner/server/reload.py).
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.reliability import eventually
from tests.support.segment_standin import SegmentStandin
from tests.support.serve import ServeProcess
from tests.test_reload import Project, log_events
from tests.test_workers import accepted_by, pids

pytestmark = pytest.mark.slow

BROKEN_JS = "function handler(webhook) {\n  return webhook.;\n}\n"


@pytest.fixture
def standin() -> Iterator[SegmentStandin]:
    with SegmentStandin() as s:
        yield s


def serve_project(project: Project, *args: str, workers: int = 2) -> ServeProcess:
    return ServeProcess(["--config", str(project.config), "--workers", str(workers), *args],
                        env={"DODO_WEBHOOK_SECRET": project.secret, "SEGMENT_WRITE_KEY": "wk_attack2"},
                        data_dir=project.root / "data")


def events_of(srv: ServeProcess, event: str, worker: str) -> list[dict[str, object]]:
    return [r for r in log_events(srv, event) if r.get("worker") == worker]


def versions_by_worker(srv: ServeProcess, project: Project, standin: SegmentStandin, posts: int = 40) -> dict[str, set[int]]:
    """Post `posts` webhooks on new connections (so that every worker answers some); the
    handler versions each worker's events were transformed by."""
    payment_of: dict[str, str] = {}
    before = len(standin.events())
    for _ in range(posts):
        msg_id = f"msg_attack_{project.n + 1}"
        payment_of[msg_id] = f"pay_{project.n + 1:08d}"
        with httpx.Client(timeout=30) as client:
            assert project.post(srv, client=client, msg_id=msg_id).status_code == 200
    assert standin.wait_for_events(before + posts, timeout=30) >= before + posts
    time.sleep(0.5)  # a second transform's events
    version_of: dict[str, set[int]] = {}
    for e in standin.events():
        version_of.setdefault(str(e["properties"]["payment"]), set()).add(int(e["properties"]["version"]))
    out: dict[str, set[int]] = {}
    for record in log_events(srv, "webhook.accepted"):
        if record.get("webhook_id") in payment_of:
            out.setdefault(str(record.get("worker", "serve")), set()).update(version_of[payment_of[str(record["webhook_id"])]])
    return out


# --- 1. A process that reads the snapshot late serves older code than the others --------


def test_a_worker_that_reads_a_reload_late_serves_the_same_code_as_the_others(
        tmp_path: Path, standin: SegmentStandin) -> None:
    """A good edit is reloaded, then a broken one refused, in quick succession (an editor's
    two saves, a deploy script's SIGHUP storm). A worker that was busy (here: stopped) while
    the good reload was written reads the snapshot only once the refusal is in it: it reports
    the refusal and keeps the code it had before the good reload, while the other processes,
    and any process started again, serve the good one. The README promises that all serve the
    same code."""
    project = Project(tmp_path, standin)
    with serve_project(project) as srv:
        assert srv.proc is not None
        late = pids(srv)["worker-1"]
        os.kill(late, signal.SIGSTOP)
        try:
            project.write_handler(2)
            srv.proc.send_signal(signal.SIGHUP)
            assert eventually(lambda: len(log_events(srv, "serve.reloaded")) == 2, 60), srv.logs()[-3000:]
            project.handler.write_text(BROKEN_JS)
            srv.proc.send_signal(signal.SIGHUP)
            assert eventually(lambda: len(log_events(srv, "serve.reload_failed")) == 2, 60), srv.logs()[-3000:]
        finally:
            os.kill(late, signal.SIGCONT)
        assert eventually(lambda: events_of(srv, "serve.reloaded", "worker-1")
                          or events_of(srv, "serve.reload_failed", "worker-1"), 60), srv.logs()[-3000:]
        time.sleep(0.5)
        served = versions_by_worker(srv, project, standin)
        assert set(accepted_by(srv)) == {"worker-1", "worker-2"}
        assert served == {"worker-1": {2}, "worker-2": {2}}, f"handler versions served, by worker: {served}"


# --- 2. A snapshot that cannot be written ends the server ---------------------------------


def test_a_reload_whose_snapshot_cannot_be_written_keeps_the_server_up(
        tmp_path: Path, standin: SegmentStandin) -> None:
    """The supervisor writes each reload into its runtime folder (in the temporary folder):
    when that write fails (the temporary folder is full, or a cleaner took the folder; here a
    folder stands where the file is written aside), the OSError escapes `SharedConfig.reload`
    and the supervisor's loop, and the whole server stops on a SIGHUP. A reload that cannot be
    done must be a failed reload (the running config is kept), as it is in a single process."""
    from tests.test_workers import metrics_folder_of

    project = Project(tmp_path, standin)
    with serve_project(project) as srv:
        assert srv.proc is not None
        folder = metrics_folder_of(pids(srv)["worker-1"])
        (folder / "config.snapshot.new").mkdir()
        project.write_handler(2)
        srv.proc.send_signal(signal.SIGHUP)
        time.sleep(3)
        assert srv.proc.poll() is None, f"a SIGHUP stopped the server (exit {srv.proc.returncode}):\n{srv.logs()[-3000:]}"
        assert project.post(srv).status_code == 200


# --- 3. A SIGHUP while the supervisor starts is lost ---------------------------------------


@pytest.mark.parametrize("workers", [1, 2])
def test_a_sighup_after_an_edit_while_the_supervisor_starts_is_not_lost(
        tmp_path: Path, standin: SegmentStandin, workers: int) -> None:
    """runner.yaml is edited and SIGHUP sent while `serve --workers 2` is still starting (after
    it read runner.yaml and took the data folder, while it opens the queue): `serve` ignores
    SIGHUP until the supervisor's loop handles it, and nothing compares the files with those
    the start read (the snapshot's file watch takes its baseline once the queue is open), so
    the reload asked for is never done: every process serves the config as it was before the
    edit, until the next SIGHUP. (A write lock held on the queue's file keeps the start at
    that point for a moment, so that the edit lands in the window every time.)"""
    import sqlite3
    import threading

    from tests.test_reload import HANDLER

    project = Project(tmp_path, standin)
    (tmp_path / "payments2.js").write_text(HANDLER.format(version=2))
    data = tmp_path / "data"
    data.mkdir()
    holder = sqlite3.connect(data / "queue.sqlite3", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    srv = serve_project(project, workers=workers)
    started: list[BaseException | None] = []

    def start() -> None:
        try:
            srv.start()
            started.append(None)
        except BaseException as exc:  # noqa: BLE001 - reported below
            started.append(exc)

    thread = threading.Thread(target=start)
    thread.start()
    try:
        assert eventually(lambda: (data / "serve.lock").exists() and (data / "serve.lock").read_text().strip() != "", 60)
        project.config.write_text(project.config.read_text().replace("file: payments.js", "file: payments2.js"))
        deadline = time.monotonic() + 1
        while time.monotonic() < deadline:
            assert srv.proc is not None
            srv.proc.send_signal(signal.SIGHUP)
            time.sleep(0.1)
        holder.execute("ROLLBACK")
        holder.close()
        thread.join(90)
        assert started == [None], started
        time.sleep(2)
        served = versions_by_worker(srv, project, standin, posts=10)
        assert set().union(*served.values()) == {2}, \
            f"versions served after an edit and SIGHUP during the start: {served}\n" + srv.logs()[-2000:]
    finally:
        thread.join(90)
        if srv.proc is not None and srv.proc.poll() is None:
            srv.terminate(60)


# --- 4. --watch: a new transform in a folder no loaded config read from ----------------------


def test_watch_sees_a_new_transform_file_appear_in_a_folder_of_its_own(
        tmp_path: Path, standin: SegmentStandin) -> None:
    """With --watch, runner.yaml is saved naming a transform `lib/extra.js` before the file is
    written: the reload is refused (the file does not exist), as it should be. The README says
    a file the config names is seen when it appears, but while the config cannot be read the
    watch follows only the folders of the last config that loaded (`FileWatch.read`), and
    `lib/` is not one of them: writing the file reloads nothing, and the server keeps
    refusing the saved config until some other file is touched or SIGHUP is sent."""
    from tests.test_reload import HANDLER

    project = Project(tmp_path, standin)
    (tmp_path / "lib").mkdir()
    with serve_project(project, "--watch") as srv:
        project.write_config(extra="      extra:\n        file: lib/extra.js\n")
        assert eventually(lambda: len(log_events(srv, "serve.reload_failed")) == 3, 30), srv.logs()[-3000:]
        time.sleep(1.5)
        (tmp_path / "lib" / "extra.js").write_text(HANDLER.format(version=3))
        assert eventually(lambda: len(log_events(srv, "serve.reloaded")) == 3, 15), \
            "the transform file the saved config names appeared; nothing reloaded:\n" + srv.logs()[-1500:]
