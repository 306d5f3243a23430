"""Attacks on reloading a running `runner serve` (SIGHUP, `--watch`): signals at the edges of
the server's life, requests that straddle a swap, engine pools retired while still wanted,
storms of reloads under load, secrets a reload brings, files replaced in odd ways."""

from __future__ import annotations

import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.segment_standin import SegmentStandin
from harness.serve import ServeProcess, payment_event, signed
from tests.support.reliability import eventually, process_tree
from tests.test_reload import HANDLER, Project, Senders, log_events, reload_and_wait

pytestmark = pytest.mark.slow



@pytest.fixture
def standin() -> Iterator[SegmentStandin]:
    with SegmentStandin() as s:
        yield s


LIMITS = "file: payments.js\n        limits: {{time_ms: {time_ms}}}"


def with_limits(project: Project, time_ms: int) -> None:
    project.config.write_text(project.config.read_text().replace("file: payments.js", LIMITS.format(time_ms=time_ms)))


def save(path: Path, text: str) -> None:
    """Replace a file as editors and deploy tools do (write aside, rename over): a reload never
    sees it half-written, so a failed reload means the server, not the test, is wrong."""
    aside = path.with_name(f".{path.name}.new")
    aside.write_text(text)
    aside.replace(path)


def version_served(project: Project, srv: ServeProcess, standin: SegmentStandin) -> int | None:
    """The transform version that made the event of one more webhook (None if none came)."""
    project.n = max(project.n, 900_000)  # above the senders' event numbers
    assert project.post(srv).status_code == 200
    payment = f"pay_{project.n:08d}"
    found = eventually(lambda: [e for e in standin.events() if e["properties"]["payment"] == payment], 30)
    return int(found[-1]["properties"]["version"]) if found else None


def tree(srv: ServeProcess) -> int:
    assert srv.proc is not None
    return len(process_tree(srv.proc.pid))


def test_sighup_during_graceful_shutdown_does_not_kill_the_server(tmp_path: Path, standin: SegmentStandin) -> None:
    """SIGTERM, then SIGHUPs until it exits (an operator's `systemctl reload` racing a stop):
    it stops as after SIGTERM alone, with no traceback and no engine worker left behind."""
    project = Project(tmp_path, standin)
    srv = project.serve().start()
    assert srv.proc is not None
    try:
        for _ in range(3):
            assert project.post(srv).status_code == 200
        assert standin.wait_for_events(3) == 3
        pids = process_tree(srv.proc.pid)
        srv.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 30
        while srv.proc.poll() is None and time.monotonic() < deadline:
            srv.proc.send_signal(signal.SIGHUP)
            time.sleep(0.005)
        code = srv.proc.wait(5)
    finally:
        srv.kill()
    logs = srv.logs()
    assert code in (0, -signal.SIGTERM), (code, logs[-3000:])
    assert "Traceback" not in logs, logs[-3000:]
    assert "serve.stopped" in logs, logs[-3000:]
    assert eventually(lambda: not any(Path(f"/proc/{p}").exists() for p in pids[1:]), 10)


def test_an_engine_pool_is_kept_while_a_request_of_its_config_is_still_arriving(
        tmp_path: Path, standin: SegmentStandin) -> None:
    """A request whose body is still on its way when a reload changes the transform's limits
    runs on the old config, so on the old engine pool: that pool must not be stopped before the
    request is done (else it is started again for it and never stopped: leaked workers)."""
    project = Project(tmp_path, standin)
    with project.serve() as srv:
        assert project.post(srv).status_code == 200
        before = tree(srv)
        body, headers = signed(project.secret, payment_event(999), msg_id="msg_slow_body")
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        with socket.create_connection(("127.0.0.1", srv.port), timeout=60) as conn:
            conn.sendall(f"POST /webhooks HTTP/1.1\r\nhost: x\r\ncontent-length: {len(body)}\r\n{head}\r\n".encode()
                         + body[:20])
            time.sleep(0.5)  # the server has taken the request (and its config)
            with_limits(project, 150)
            reload_and_wait(srv)
            # Give a wrong retirement its chance: the old pool stops within a few seconds.
            eventually(lambda: tree(srv) == before, 4)
            conn.sendall(body[20:])
            answer = b""
            while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
                chunk = conn.recv(65536)
                if not chunk:
                    break
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 200"), answer
        assert b'"accepted"' in answer, answer
        # Only the pool of the limits now configured runs, once that request is done.
        assert eventually(lambda: tree(srv) == before, 20), (before, tree(srv))
        assert standin.wait_for_events(2) == 2


SLOW_HANDLER = """\
function handler(webhook) {{
  let x = 0;
  for (let i = 0; i < 300000; i++) {{ x += i % 7; }}  // some milliseconds in the engine
  webhook.url = "https://api.segment.io/v1/track";
  webhook.payload = {{
    userId: webhook.payload.data.customer.customer_id,
    event: "Payment {version}",
    properties: {{ payment: webhook.payload.data.payment_id, version: {version}, x: x > 0 }},
  }};
  return webhook;
}}
"""


def test_a_storm_of_sighups_under_load_loses_and_repeats_nothing_and_leaks_no_engine(
        tmp_path: Path, standin: SegmentStandin) -> None:
    """120 SIGHUPs in bursts while four senders post to a handler that takes a while, the code
    and the limits (so the engine pools) changing every burst: every webhook is answered
    `accepted` once and `duplicate` on a retry, Segment gets each exactly once, and once it is
    quiet only one engine pool is running."""
    project = Project(tmp_path, standin)
    project.handler.write_text(SLOW_HANDLER.format(version=1))
    with project.serve() as srv:
        assert srv.proc is not None
        base = project.config.read_text()
        before = tree(srv)
        with Senders(project, srv, timeout_s=60) as senders:
            for burst in range(6):
                save(project.handler, SLOW_HANDLER.format(version=burst + 2))
                save(project.config, base.replace("file: payments.js", LIMITS.format(time_ms=2000 + 100 * (burst % 3))))
                for _ in range(20):
                    srv.proc.send_signal(signal.SIGHUP)
                    time.sleep(0.01)
                senders.wait_for_more(5)
            save(project.handler, SLOW_HANDLER.format(version=99))
            save(project.config, base)
            srv.proc.send_signal(signal.SIGHUP)
            time.sleep(0.5)
        assert srv.proc.poll() is None, srv.logs()[-3000:]
        senders.check_once(standin)
        # The last signal was not lost in the storm: the files as last written are served.
        assert eventually(lambda: version_served(project, srv, standin) == 99, 60), srv.logs()[-3000:]
        reloads = log_events(srv, "serve.reloaded")
        assert 2 <= len(reloads) <= 201, len(reloads)  # coalesced: a burst during a reload is one more
        assert not log_events(srv, "serve.reload_failed"), log_events(srv, "serve.reload_failed")
        assert "Traceback" not in srv.logs()
        assert eventually(lambda: tree(srv) == before, 30), (before, tree(srv))


def test_a_secret_a_reload_brings_is_redacted_from_logs_and_answers(tmp_path: Path, standin: SegmentStandin) -> None:
    """A reload gives the transform `env: {TOKEN: {env: CRM_TOKEN}}` and a handler that throws
    it: neither the answer nor any log line holds the value (in JSON or text logs)."""
    token = "tok_" + "Zq8rW3pLx7Kd2Vb9Nc4Hs6"
    for fmt in ("json", "text"):
        root = tmp_path / fmt
        root.mkdir()
        project = Project(root, standin)
        with project.serve("--log-format", fmt, env={"CRM_TOKEN": token}) as srv:
            assert project.post(srv).status_code == 200
            project.handler.write_text('function handler(webhook) {\n  throw new Error("leak " + webhook.env.TOKEN);\n}\n')
            project.config.write_text(project.config.read_text().replace(
                "file: payments.js", "file: payments.js\n        env:\n          TOKEN: {env: CRM_TOKEN}"))
            assert srv.proc is not None
            before = srv.logs().count("serve.reloaded")
            srv.proc.send_signal(signal.SIGHUP)
            assert eventually(lambda before=before: srv.logs().count("serve.reloaded") > before, 30), srv.logs()[-2000:]
            response = project.post(srv)
            assert response.status_code == 200, response.text
            assert "leak" in response.text and token not in response.text, response.text
            # A reload error that quotes the handler's line quotes no value either.
            project.handler.write_text(f'function handler(webhook) {{\n  return "{token}".;\n}}\n')
            srv.proc.send_signal(signal.SIGHUP)
            assert eventually(lambda: "serve.reload_failed" in srv.logs(), 30)
            assert project.post(srv).status_code == 200
        logs = srv.logs()
        assert "leak" in logs and token not in logs, logs[-3000:]


def test_watch_in_the_simple_form_survives_renames_directories_and_a_looping_handler(
        tmp_path: Path, standin: SegmentStandin) -> None:
    """`runner serve FILE.js --watch`: the file saved by rename (a new inode) is served; replaced
    by a directory, or by code whose top level never ends, the server keeps answering (the loop
    is cut by the time limit) and a fixed save is served again."""
    project = Project(tmp_path, standin)
    js = tmp_path / "payments.js"
    srv = ServeProcess([str(js), "--segment-url", standin.url, "--watch"],
                       env={"DODO_WEBHOOK_SECRET": project.secret, "SEGMENT_WRITE_KEY": "wk_watch"},
                       data_dir=tmp_path / "data")

    with srv:
        assert version_served(project, srv, standin) == 1
        save(js, HANDLER.format(version=2))
        assert eventually(lambda: version_served(project, srv, standin) == 2, 30), srv.logs()[-2000:]
        js.unlink()
        js.mkdir()
        assert eventually(lambda: "is a directory" in srv.logs(), 30), srv.logs()[-2000:]
        assert version_served(project, srv, standin) == 2
        js.rmdir()
        save(js, "while (true) {}\n" + HANDLER.format(version=3))
        assert eventually(lambda: srv.logs().count("serve.reloaded") >= 2, 30), srv.logs()[-2000:]
        response = project.post(srv)
        assert response.status_code == 200 and response.json()["transforms"][0]["status"] != "pending", response.text
        save(js, HANDLER.format(version=4))
        assert eventually(lambda: srv.logs().count("serve.reloaded") >= 3, 30), srv.logs()[-2000:]
        assert version_served(project, srv, standin) == 4
        assert srv.proc is not None and srv.proc.poll() is None
    assert "Traceback" not in srv.logs()
