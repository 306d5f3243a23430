"""Three `runner serve` processes sharing one PostgreSQL queue, on loopback, behind a
client-side round-robin standing in for a load balancer; one is SIGKILLed mid-load.

The instance to be killed sends to a stand-in that never answers, so when it dies it
certainly holds claims it sent but never settled (the case leases exist for); the kill waits
until the queue shows such claims. The others send to the real stand-in, each under its own
path prefix (`--segment-url BASE/iN`), so every request received says which instance sent it.
"""

from __future__ import annotations

import re
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg
import pytest
from click.testing import CliRunner

from runner import segment
from runner.cli import main
from tests.support.reliability import eventually
from tests.support.segment_standin import SegmentStandin
from tests.support.serve import TRANSFORMS, ServeProcess, new_secret, payment_event, signed

INSTANCES = 3
TOTAL = 300  # webhooks in the load phase
RACED = 5  # webhooks posted to every instance at once
LEASE_S = 5  # short, so the killed instance's claims come back within the test
NEVER_S = 600  # the black hole's answer time: longer than the test
TRANSFORM_NAMES = ("payments", "identify")
WRITE_KEY = "wk_multi_instance"


@pytest.fixture
def standin() -> Iterator[SegmentStandin]:
    with SegmentStandin() as s:
        yield s


def queue_counts(url: str) -> dict[str, int]:
    return dict(httpx.get(url + "/healthz").json()["queue"])


def start_all(servers: list[ServeProcess]) -> None:
    with ThreadPoolExecutor(len(servers)) as pool:  # each waits for its engine workers: overlap them
        list(pool.map(ServeProcess.start, servers))


def sender(path: str) -> str:
    return path.split("/")[1]  # "/i1/v1/batch" → "i1"


def claims_of(url: str, server: ServeProcess) -> list[int]:
    """Pending deliveries the server's worker (host:pid:random) holds claims on."""
    assert server.proc is not None
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT id FROM runner_deliveries WHERE status = 'pending' AND claimed_by LIKE %s",
                            (f"{socket.gethostname()}:{server.proc.pid}:%",)).fetchall()
    return [r[0] for r in rows]


@pytest.mark.slow
def test_instances_share_the_queue_and_survive_one_being_killed(tmp_path: Path, pg_url: str, standin: SegmentStandin) -> None:
    upgraded = CliRunner().invoke(main, ["db", "upgrade", "--queue", pg_url])
    assert upgraded.exit_code == 0, upgraded.output
    config = tmp_path / "runner.yaml"
    config.write_text(f"""\
queue: {pg_url}
delivery: {{lease_s: {LEASE_S}, idle_poll_s: 0.5, claim_limit: 50}}
endpoints:
  default:
    transforms:
      payments: {{file: {TRANSFORMS / "segment-track-payments.js"}}}
      identify: {{file: {TRANSFORMS / "segment-identify-customers.js"}}}
""")
    secret = new_secret()
    env = {"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": WRITE_KEY}
    blackhole = SegmentStandin().start()
    blackhole.fail(10_000, delay_s=NEVER_S)
    bases = [blackhole.url] + [standin.url] * (INSTANCES - 1)
    servers = [ServeProcess(["--config", str(config), "--segment-url", f"{bases[n]}/i{n}"], env=env,
                            data_dir=tmp_path / f"unused-{n}") for n in range(INSTANCES)]
    requests = [signed(secret, payment_event(n), msg_id=f"msg_{n:05d}") for n in range(TOTAL + RACED)]
    acked: dict[str, str] = {}  # webhook-id → instance that acknowledged it first
    lock = threading.Lock()

    def post(index: int, server: int) -> httpx.Response | None:
        body, headers = requests[index]
        try:
            return httpx.post(servers[server].url + "/webhooks", content=body, headers=headers, timeout=10)
        except httpx.HTTPError:
            return None

    def balanced(index: int, alive: list[int]) -> None:
        """A load balancer: round-robin, and on a refused connection the next instance."""
        for k in range(len(alive)):
            server = alive[(index + k) % len(alive)]
            response = post(index, server)
            if response is not None and response.status_code == 200:
                with lock:
                    acked.setdefault(requests[index][1]["webhook-id"], f"i{server}")
                return

    start_all(servers)
    killed = servers[0]
    try:
        # A provider retry racing its original on other instances: stored once.
        with ThreadPoolExecutor(INSTANCES * RACED) as pool:
            raced = list(pool.map(lambda job: post(*job), [(TOTAL + r, s) for r in range(RACED) for s in range(INSTANCES)]))
        statuses = [str(r.json()["status"]) if r is not None else "unanswered" for r in raced]
        for r in range(RACED):
            assert sorted(statuses[r * INSTANCES:(r + 1) * INSTANCES]) == ["accepted"] + ["duplicate"] * (INSTANCES - 1)
            acked[requests[TOTAL + r][1]["webhook-id"]] = "raced"

        # The load, spread round-robin; one instance is SIGKILLed a third of the way in.
        with ThreadPoolExecutor(8) as pool:
            futures = [pool.submit(balanced, i, list(range(INSTANCES))) for i in range(TOTAL)]
            eventually(lambda: len(acked) >= RACED + TOTAL // 3 and claims_of(pg_url, killed), timeout=60)
            killed.kill()
            held = claims_of(pg_url, killed)
            assert held, "the killed instance held no claims"
            for f in futures:
                f.result()
        survivors = list(range(1, INSTANCES))
        by_instance = Counter(acked.values())
        assert all(by_instance[f"i{n}"] > 0 for n in range(INSTANCES)), by_instance

        # The provider retries every webhook (some were stored but never acknowledged), each on
        # another instance than the balancer picked: all of them are duplicates by now.
        with ThreadPoolExecutor(8) as pool:
            again = list(pool.map(lambda i: post(i, survivors[(i + 1) % len(survivors)]), range(TOTAL)))
        assert all(r is not None and r.status_code == 200 for r in again)
        new = [requests[i][1]["webhook-id"] for i, r in enumerate(again) if r is not None and r.json()["status"] == "accepted"]
        unacked = [requests[i][1]["webhook-id"] for i in range(TOTAL) if requests[i][1]["webhook-id"] not in acked]
        assert set(new) <= set(unacked)  # only a webhook that was never acknowledged can be new

        want = {segment.message_id("default", f"msg_{n:05d}", t) for n in range(TOTAL + RACED) for t in TRANSFORM_NAMES}
        assert standin.wait_for_events(len(want), timeout=60) == len(want)
        survivor = servers[survivors[0]]
        counts = eventually(lambda: (c := queue_counts(survivor.url)) == {"delivered": len(want)} and c, timeout=30)
        assert counts == {"delivered": len(want)}, queue_counts(survivor.url)
        metrics = httpx.get(servers[survivors[1]].url + "/metrics").text
        assert re.search(r'runner_queue_deliveries\{status="delivered"\} ' + str(len(want)) + r"\.0", metrics)
        listed = CliRunner().invoke(main, ["deliveries", "list", "--limit", "1"], env={"RUNNER_QUEUE": pg_url})
        assert f"delivered: {len(want)}" in listed.output and "pending: 0" in listed.output
        with psycopg.connect(pg_url) as conn:  # what the dead instance held was taken over
            assert conn.execute("SELECT DISTINCT status FROM runner_deliveries WHERE id = ANY(%s)", (held,)).fetchall() == [("delivered",)]
    finally:
        for s in servers:
            s.kill()
        blackhole.stop()

    # Acknowledged == delivered after dedupe: every messageId arrived, nothing else did.
    received = standin.message_ids()
    assert set(received) == want
    # What the killed instance had claimed and sent (into the black hole) was sent again by
    # exactly one other instance once its lease ran out; nothing arrived twice.
    assert max(received.values()) == 1
    senders = Counter(sender(r.path) for r in standin.accepted())
    assert set(senders) == {f"i{n}" for n in survivors}, senders  # the work was shared
