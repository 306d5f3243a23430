"""Reloading a running `runner serve` (SIGHUP, `--watch`): the new config and transforms are
served once all of them check out; on any error the running ones are kept and the log says why;
no webhook is dropped or processed twice across a swap; engines no config uses are stopped."""

from __future__ import annotations

import json
import re
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Self

import httpx
import pytest

from harness.segment_standin import SegmentStandin
from harness.serve import ServeProcess, new_secret, payment_event, signed
from runner import config as cfg
from runner.server.reload import signatures, watched_paths
from runner.server.service import needs_restart
from tests.support.reliability import eventually, process_tree

pytestmark = pytest.mark.slow

HANDLER = """\
function handler(webhook) {{
  webhook.url = "https://api.segment.io/v1/track";
  webhook.payload = {{
    userId: webhook.payload.data.customer.customer_id,
    event: "Payment {version}",
    properties: {{ payment: webhook.payload.data.payment_id, version: {version} }},
  }};
  return webhook;
}}
"""

CONFIG = """\
destinations:
  segment:
    type: segment
    write_key_env: SEGMENT_WRITE_KEY
    base_url: {base_url}
endpoints:
  default:
    secret_env: DODO_WEBHOOK_SECRET
    transforms:
      payments:
        file: payments.js
{extra}"""


@pytest.fixture
def standin() -> Iterator[SegmentStandin]:
    with SegmentStandin() as s:
        yield s


class Project:
    """A runner.yaml and its transform in a folder, served by a real `runner serve`."""

    def __init__(self, root: Path, standin: SegmentStandin) -> None:
        self.root = root
        self.standin = standin
        self.secret = new_secret()
        self.config = root / "runner.yaml"
        self.handler = root / "payments.js"
        self.write_handler(1)
        self.write_config()
        self.n = 0

    def write_handler(self, version: int | str) -> None:
        self.handler.write_text(HANDLER.format(version=version))

    def write_config(self, extra: str = "") -> None:
        self.config.write_text(CONFIG.format(base_url=self.standin.url, extra=extra))

    def serve(self, *args: str, env: dict[str, str] | None = None) -> ServeProcess:
        return ServeProcess(["--config", str(self.config), *args],
                            env={"DODO_WEBHOOK_SECRET": self.secret, "SEGMENT_WRITE_KEY": "wk_reload", **(env or {})},
                            data_dir=self.root / "data")

    def post(self, srv: ServeProcess, *, path: str = "/webhooks", msg_id: str | None = None,
             client: httpx.Client | None = None) -> httpx.Response:
        self.n += 1
        body, headers = signed(self.secret, payment_event(self.n), msg_id=msg_id)
        return (client or httpx).post(srv.url + path, content=body, headers=headers, timeout=30)


def log_events(srv: ServeProcess, event: str) -> list[dict[str, object]]:
    out = []
    for line in srv.logs().splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("event") == event:
            out.append(record)
    return out


def reload_and_wait(srv: ServeProcess, *, expect: str = "serve.reloaded") -> dict[str, object]:
    """SIGHUP, then the log line the reload wrote (`serve.reloaded` or `serve.reload_failed`)."""
    before = len(log_events(srv, "serve.reloaded")) + len(log_events(srv, "serve.reload_failed"))
    assert srv.proc is not None
    srv.proc.send_signal(signal.SIGHUP)
    done = eventually(lambda: len(log_events(srv, "serve.reloaded")) + len(log_events(srv, "serve.reload_failed")) > before, 30)
    assert done, srv.logs()[-3000:]
    records = log_events(srv, expect)
    assert records, f"expected {expect}:\n{srv.logs()[-3000:]}"
    return records[-1]


def versions(standin: SegmentStandin) -> list[int]:
    return [int(e["properties"]["version"]) for e in standin.events()]


def metric(srv: ServeProcess, name: str) -> float:
    text = httpx.get(srv.url + "/metrics", timeout=10).text
    match = re.search(rf"^{re.escape(name)} ([0-9.e+-]+)$", text, re.MULTILINE)
    assert match, f"{name} not in /metrics"
    return float(match.group(1))


def test_sighup_serves_the_new_transform(tmp_path: Path, standin: SegmentStandin) -> None:
    project = Project(tmp_path, standin)
    with project.serve() as srv:
        assert project.post(srv).status_code == 200
        assert standin.wait_for_events(1) == 1
        project.write_handler(2)
        record = reload_and_wait(srv)
        assert record["changed"] == ["default/payments: changed"] and record["reason"] == "SIGHUP"
        assert project.post(srv).status_code == 200
        assert standin.wait_for_events(2) == 2
        assert versions(standin) == [1, 2]
        assert metric(srv, 'runner_config_reloads_total{result="ok"}') == 1
        assert metric(srv, "runner_config_last_reload_successful") == 1


@pytest.mark.parametrize(("breakage", "says"), [
    ("handler", r"payments\.js:2:\d+: SyntaxError"),  # a syntax error, located
    ("yaml", r"runner\.yaml.*line"),  # YAML that does not parse
    ("env", r"CRM_TOKEN"),  # a new reference to an unset variable
    ("file", r"nope\.js"),  # a transform file that does not exist
])
def test_a_bad_reload_keeps_serving_the_old_set_and_says_why(tmp_path: Path, standin: SegmentStandin,
                                                              breakage: str, says: str) -> None:
    project = Project(tmp_path, standin)
    with project.serve() as srv:
        if breakage == "handler":
            project.handler.write_text("function handler(webhook) {\n  return webhook.;\n}\n")
        elif breakage == "yaml":
            project.config.write_text(project.config.read_text() + "  other: [unclosed\n")
        elif breakage == "env":
            text = project.config.read_text().replace(
                "    write_key_env: SEGMENT_WRITE_KEY\n",
                "    write_key_env: SEGMENT_WRITE_KEY\n  crm:\n    type: http\n    hosts: [crm.example]\n"
                "    headers:\n      Authorization: {env: CRM_TOKEN, prefix: 'Bearer '}\n")
            project.config.write_text(text)
        else:
            project.config.write_text(project.config.read_text().replace("file: payments.js", "file: nope.js"))
        record = reload_and_wait(srv, expect="serve.reload_failed")
        assert re.search(says, str(record["error"]), re.DOTALL), record
        assert record["kept"] == "the running config"
        assert metric(srv, "runner_config_last_reload_successful") == 0
        # Still served, with the code it had.
        response = project.post(srv)
        assert response.status_code == 200 and response.json()["transforms"][0]["status"] == "pending"
        assert standin.wait_for_events(1) == 1 and versions(standin) == [1]
        # Fixed: the next reload takes.
        project.write_config()
        project.write_handler(3)
        reload_and_wait(srv)
        assert metric(srv, "runner_config_last_reload_successful") == 1
        assert project.post(srv).status_code == 200
        assert standin.wait_for_events(2) == 2 and versions(standin) == [1, 3]


def test_watch_reloads_when_a_file_is_saved(tmp_path: Path, standin: SegmentStandin) -> None:
    project = Project(tmp_path, standin)
    with project.serve("--watch") as srv:
        project.write_handler(2)
        assert eventually(lambda: log_events(srv, "serve.reloaded"), 15), srv.logs()[-3000:]
        record = log_events(srv, "serve.reloaded")[-1]
        assert str(record["reason"]).startswith("changed: ") and "payments.js" in str(record["reason"])
        assert project.post(srv).status_code == 200
        assert standin.wait_for_events(1) == 1 and versions(standin) == [2]
        # A save that breaks it is refused and logged; the version before keeps serving.
        project.handler.write_text("function handler(webhook) { return webhook.; }\n")
        assert eventually(lambda: log_events(srv, "serve.reload_failed"), 15), srv.logs()[-3000:]
        assert project.post(srv).status_code == 200
        assert standin.wait_for_events(2) == 2 and versions(standin) == [2, 2]
        # A new endpoint in the config is watched and served too.
        project.write_handler(4)
        project.write_config("  orders:\n    secret_env: DODO_WEBHOOK_SECRET\n    transforms:\n"
                             "      payments:\n        file: payments.js\n")
        assert eventually(lambda: project.post(srv, path="/webhooks/orders").status_code == 200, 15)
        assert standin.wait_for_events(3) == 3 and versions(standin)[-1] == 4
        # A config naming a file that is not there yet fails; creating the file reloads it.
        project.write_config("  refunds:\n    secret_env: DODO_WEBHOOK_SECRET\n    transforms:\n"
                             "      payments:\n        file: later.js\n")
        assert eventually(lambda: any("later.js" in str(r.get("error")) for r in log_events(srv, "serve.reload_failed")), 15)
        (tmp_path / "later.js").write_text(HANDLER.format(version=5))
        assert eventually(lambda: project.post(srv, path="/webhooks/refunds").status_code == 200, 15), srv.logs()[-2000:]
        assert standin.wait_for_events(4) == 4 and versions(standin)[-1] == 5


def test_endpoints_come_and_go_and_restart_only_keys_are_named(tmp_path: Path, standin: SegmentStandin) -> None:
    project = Project(tmp_path, standin)
    with project.serve() as srv:
        assert project.post(srv, path="/webhooks/orders").status_code == 404
        project.write_config("  orders:\n    secret_env: DODO_WEBHOOK_SECRET\n    transforms:\n"
                             "      payments:\n        file: payments.js\n"
                             "delivery:\n  concurrency: 2\n  max_attempts: 3\n")
        record = reload_and_wait(srv)
        assert record["changed"] == ["endpoint orders: added", "orders/payments: added", "delivery.max_attempts: changed"]
        assert record["needs_restart"] == ["delivery.concurrency"]  # max_attempts applies at once
        assert project.post(srv, path="/webhooks/orders").status_code == 200
        project.write_config()
        reload_and_wait(srv)
        assert project.post(srv, path="/webhooks/orders").status_code == 404
        assert project.post(srv).status_code == 200
        assert standin.wait_for_events(2) == 2


class Senders:
    """Four threads posting distinct signed webhooks to `srv` until the block ends; then
    `check_once` retries every one and checks Segment got each exactly once."""

    def __init__(self, project: Project, srv: ServeProcess, *, threads: int = 4, timeout_s: float = 30) -> None:
        self.project, self.srv, self.timeout_s = project, srv, timeout_s
        self.answers: dict[str, tuple[int, str]] = {}
        self.sent: list[tuple[str, bytes, dict[str, str]]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._send, args=(k,)) for k in range(threads)]

    def _send(self, k: int) -> None:
        with httpx.Client(timeout=self.timeout_s) as client:
            i = 0
            while not self._stop.is_set():
                i += 1
                msg_id = f"msg_{k}_{i:05d}"
                body, headers = signed(self.project.secret, payment_event(k * 100_000 + i), msg_id=msg_id)
                response = client.post(self.srv.url + "/webhooks", content=body, headers=headers)
                with self._lock:
                    self.answers[msg_id] = (response.status_code, response.json().get("status", ""))
                    self.sent.append((msg_id, body, headers))

    def __enter__(self) -> Self:
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(60)

    def wait_for_more(self, count: int) -> None:
        """Until `count` more answers came (traffic on the config now served)."""
        seen = len(self.answers)
        assert eventually(lambda: len(self.answers) >= seen + count, 60), "the senders stopped"

    def check_once(self, standin: SegmentStandin) -> None:
        """Every post was accepted, every retry is a duplicate, Segment got each exactly once."""
        assert set(self.answers.values()) == {(200, "accepted")}
        with httpx.Client(timeout=30) as client:
            for msg_id, body, headers in self.sent:
                again = client.post(self.srv.url + "/webhooks", content=body, headers=headers)
                assert (again.status_code, again.json()["status"]) == (200, "duplicate"), msg_id
        assert standin.wait_for_events(len(self.answers), timeout=60) == len(self.answers)
        time.sleep(0.5)
        stats = standin.stats()
        assert stats["duplicates"] == 0 and stats["unique"] == len(self.answers), stats


def test_no_webhook_is_dropped_or_processed_twice_across_reloads(tmp_path: Path, standin: SegmentStandin) -> None:
    """Four senders post without pause while the transform changes and the server reloads ten
    times; then every webhook is posted again (a provider's retry). Every first post gets 200
    and `accepted`, every retry `duplicate`, and Segment gets each event exactly once, made by
    one version of the transform or the other."""
    project = Project(tmp_path, standin)
    with project.serve() as srv:
        with Senders(project, srv) as senders:
            for version in range(2, 12):
                project.write_handler(version)
                reload_and_wait(srv)
                senders.wait_for_more(20)  # traffic on every config: each swap has requests in flight
        senders.check_once(standin)
        assert set(range(2, 12)) <= set(versions(standin)) <= set(range(1, 12))


def test_engines_of_limits_no_longer_used_are_stopped(tmp_path: Path, standin: SegmentStandin) -> None:
    project = Project(tmp_path, standin)
    with project.serve() as srv:
        assert srv.proc is not None
        before = len(process_tree(srv.proc.pid))
        text = project.config.read_text()
        for time_ms in (120, 130, 140):  # a new limit each time: a new engine pool, the last one retired
            project.config.write_text(text.replace("file: payments.js", f"file: payments.js\n        limits: {{time_ms: {time_ms}}}"))
            reload_and_wait(srv)
            assert project.post(srv).status_code == 200
        assert eventually(lambda: len(process_tree(srv.proc.pid)) == before, 20), (before, len(process_tree(srv.proc.pid)))
        assert standin.wait_for_events(3) == 3


def test_needs_restart_names_only_what_a_reload_cannot_apply(tmp_path: Path) -> None:
    (tmp_path / "payments.js").write_text(HANDLER.format(version=1))
    base = cfg.parse(CONFIG.format(base_url="http://127.0.0.1:1", extra=""), filename="runner.yaml", base_dir=tmp_path)
    changed = cfg.parse(CONFIG.format(base_url="http://127.0.0.1:2", extra="server:\n  port: 9999\n  max_body_bytes: 10\n"
                                      "delivery:\n  timeout_s: 3\n  max_attempts: 2\ndata_dir: elsewhere\n"),
                        filename="runner.yaml", base_dir=tmp_path)
    assert needs_restart(base, base) == []
    assert needs_restart(base, changed) == ["server.port", "delivery.timeout_s", "data_dir"]


def test_the_watcher_sees_every_file_a_config_reads(tmp_path: Path) -> None:
    (tmp_path / "payments.js").write_text(HANDLER.format(version=1))
    (tmp_path / "runner.yaml").write_text(CONFIG.format(base_url="http://127.0.0.1:1", extra=""))
    config = cfg.load(tmp_path / "runner.yaml")
    paths = watched_paths(config)
    assert [p.name for p in paths] == ["runner.yaml", "payments.js"]
    first = signatures(paths)
    (tmp_path / "payments.js").write_text(HANDLER.format(version=22))
    (tmp_path / "runner.yaml").unlink()
    second = signatures(paths)
    assert second[paths[0]] is None and second[paths[1]] != first[paths[1]]
    simple = cfg.simple([tmp_path / "payments.js"])
    assert [p.name for p in watched_paths(simple)] == ["payments.js"]
