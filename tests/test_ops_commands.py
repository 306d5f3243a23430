"""Every queue command resolves its config as `runner serve` does, and says what it did.

Through the real CLI on a real SQLite queue, replaying to the Segment stand-in: replay reads
runner.yaml (by --config, $RUNNER_CONFIG or from the current folder) and sends where its
destinations say; it refuses rather than guess a destination or send without a write key;
`deliveries list/show` keep a delivered one's old failure as history and show where it went.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from runner.cli import main
from runner.cli.serve import load_config
from runner.delivery.sqlite import SQLiteStore
from runner.delivery.store import Attempt, NewDelivery, NewEvent
from tests.support.segment_standin import SegmentStandin
from tests.test_deliveries_cli import WRITE_KEY, make_queue

ENV = {"SEGMENT_WRITE_KEY": WRITE_KEY, "RUNNER_CONFIG": None, "RUNNER_QUEUE": None}


@pytest.fixture
def standin() -> Iterator[SegmentStandin]:
    with SegmentStandin() as s:
        yield s


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a queue of two dead letters and one cancelled (see `make_queue`), the
    handlers it came from, and the current folder elsewhere (no runner.yaml found by accident)."""
    (tmp_path / "pay.js").write_text("function handler(w) { return w; }")
    fixed = tmp_path / "fixed.js"
    fixed.write_text('function handler(w) { w.url = "https://api.segment.io/v1/identify";'
                     ' w.payload = {userId: w.payload.data.customer.customer_id, traits: {}}; return w; }')
    make_queue(tmp_path / "q", fixed)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return tmp_path


def write_config(folder: Path, base_url: str, *, extra_destination: str = "") -> Path:
    """A runner.yaml whose Segment destination is `base_url`, queue in `q`, the queue's transforms."""
    path = folder / "runner.yaml"
    path.write_text(
        "data_dir: q\n"
        "destinations:\n"
        f"  segment: {{type: segment, write_key_env: SEGMENT_WRITE_KEY, base_url: '{base_url}'}}\n"
        f"{extra_destination}"
        "endpoints:\n"
        "  default:\n"
        "    transforms:\n"
        "      pay: {file: pay.js}\n"
        "      fixed: {file: fixed.js}\n")
    return path


def test_replay_with_config_delivers_to_its_base_url(project: Path, standin: SegmentStandin) -> None:
    config = write_config(project, standin.url)
    result = CliRunner().invoke(main, ["replay", "1", "2", "--config", str(config), "--timeout", "20"], env=ENV)
    assert result.exit_code == 0, result.output
    assert "replayed 2: 2 delivered" in result.output
    assert sorted(e["type"] for e in standin.events()) == ["identify", "track"]
    assert all(r.write_key == WRITE_KEY for r in standin.requests)


def test_replay_finds_runner_yaml_in_the_current_folder(project: Path, standin: SegmentStandin,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(project, standin.url)
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["replay", "1", "--timeout", "20"], env=ENV)  # as the README writes it
    assert result.exit_code == 0, result.output
    assert "replayed 1: 1 delivered" in result.output
    assert [e["type"] for e in standin.events()] == ["track"]


def test_replay_reads_runner_config_variable(project: Path, standin: SegmentStandin) -> None:
    config = write_config(project, standin.url)
    result = CliRunner().invoke(main, ["replay", "1", "--timeout", "20"], env=ENV | {"RUNNER_CONFIG": str(config)})
    assert result.exit_code == 0, result.output
    assert [e["type"] for e in standin.events()] == ["track"]


def test_replay_refuses_without_destinations(project: Path) -> None:
    result = CliRunner().invoke(main, ["replay", "1", "--data-dir", str(project / "q")], env=ENV)
    assert result.exit_code == 2
    assert "replay needs the destinations `runner serve` used: pass --config runner.yaml" in result.output
    assert "--segment-url BASE" in result.output


def test_replay_refuses_while_write_keys_are_unset(project: Path, standin: SegmentStandin) -> None:
    config = write_config(project, standin.url, extra_destination=(
        "  eu: {type: segment, write_key_env: SEGMENT_EU_WRITE_KEY, base_url: 'https://events.eu1.segmentapis.com'}\n"))
    result = CliRunner().invoke(main, ["replay", "1", "--config", str(config)], env=ENV | {"SEGMENT_WRITE_KEY": None})
    assert result.exit_code == 1
    assert "SEGMENT_WRITE_KEY" in result.output and "SEGMENT_EU_WRITE_KEY" in result.output  # every one missing
    assert standin.requests == []
    simple = CliRunner().invoke(main, ["replay", "1", "--data-dir", str(project / "q"), "--segment-url", standin.url],
                                env=ENV | {"SEGMENT_WRITE_KEY": None})
    assert simple.exit_code == 1 and "SEGMENT_WRITE_KEY" in simple.output


def test_replay_names_ids_it_did_not_replay(project: Path, standin: SegmentStandin) -> None:
    config = write_config(project, standin.url)
    cli = CliRunner()
    none = cli.invoke(main, ["replay", "9999", "3", "--config", str(config)], env=ENV)
    assert none.exit_code == 1
    assert "no delivery 9999" in none.output and "delivery 3 is cancelled, not dead" in none.output
    some = cli.invoke(main, ["replay", "1", "9999", "--config", str(config), "--timeout", "20"], env=ENV)
    assert some.exit_code == 0, some.output
    assert "not replayed: no delivery 9999" in some.output and "replayed 1: 1 delivered" in some.output
    again = cli.invoke(main, ["replay", "1", "--config", str(config)], env=ENV)
    assert again.exit_code == 1 and "delivery 1 is delivered, not dead" in again.output


def test_list_and_show_after_replay(project: Path, standin: SegmentStandin, monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(project, standin.url)
    monkeypatch.chdir(project)  # list and show find runner.yaml (and its data_dir) too
    cli = CliRunner()
    assert cli.invoke(main, ["replay", "1", "--timeout", "20"], env=ENV).exit_code == 0
    listed = cli.invoke(main, ["deliveries", "list"], env=ENV)
    assert listed.exit_code == 0, listed.output
    row = next(line for line in listed.output.splitlines() if line.split()[:2] == ["1", "delivered"])
    assert "HTTP 400" not in row  # the failure before the replay is not the current reason
    shown = cli.invoke(main, ["deliveries", "show", "1"], env=ENV)
    assert shown.exit_code == 0, shown.output
    out = shown.output
    assert re.search(r"^last failure +HTTP 400: refused$", out, re.MULTILINE) and not re.search(r"^reason ", out, re.MULTILINE)
    assert re.search(r"^url +https://api\.segment\.io/v1/track$", out, re.MULTILINE)
    assert re.search(rf"^sent to +{re.escape(standin.url)}/v1/track", out, re.MULTILINE)
    assert re.search(r"#1 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} dead", out)
    assert re.search(r"^failed at +deliver$", out, re.MULTILINE)
    assert re.search(r"#\d \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} delivered", out)
    assert "event (default msg_1" in out and '"customer_id": "cus_000001"' in out
    as_json = json.loads(cli.invoke(main, ["deliveries", "show", "1", "--json"], env=ENV).output)
    assert as_json["sent_to"].startswith(standin.url + "/v1/track")


def test_list_shows_when_pending_ones_are_next_tried(tmp_path: Path) -> None:
    store = SQLiteStore.in_dir(tmp_path / "q")

    async def go() -> None:
        await store.enqueue(NewEvent("default", "msg_1", "payment.succeeded", '{"a": "\\u0007"}', time.time()), [
            NewDelivery("pay", "pending", "segment", "https://api.segment.io/v1/track", "POST", {}, "{}", "track", "m"),
            NewDelivery("pay", "pending", "segment", "https://api.segment.io/v1/track", "POST", {}, "{}", "track", "n")])
        claimed = await store.claim("w", limit=1, lease_s=60)
        await store.retry_later("w", [Attempt(claimed[0].id, 1, time.time(), 5.0, "retry", 503, "HTTP 503")],
                                [time.time() + 90], ["HTTP 503: busy"])

    asyncio.run(go())
    store.close_sync()
    listed = CliRunner().invoke(main, ["deliveries", "list", "--data-dir", str(tmp_path / "q")], env=ENV)
    assert listed.exit_code == 0, listed.output
    rows = {line.split()[0]: line for line in listed.output.splitlines()[2:]}
    assert "NEXT" in listed.output and re.search(r"pending .* 1  in (89|90)s +last failure: HTTP 503", rows["1"])
    assert re.search(r"pending .* 0  due$", rows["2"])
    shown = CliRunner().invoke(main, ["deliveries", "show", "1", "--data-dir", str(tmp_path / "q")], env=ENV)
    assert re.search(r"next try +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \(in ", shown.output)
    assert re.search(r"^last failure +HTTP 503: busy", shown.output, re.MULTILINE)
    assert '"a": "\\u0007"' in shown.output  # the event, made printable


def test_queue_commands_and_serve_find_runner_yaml(project: Path, standin: SegmentStandin,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    config = write_config(project, standin.url)
    cli = CliRunner()
    by_env = cli.invoke(main, ["db", "upgrade"], env=ENV | {"RUNNER_CONFIG": str(config)})
    assert by_env.exit_code == 0 and str(project / "q") in by_env.output, by_env.output
    nowhere = cli.invoke(main, ["deliveries", "list"], env=ENV)  # no runner.yaml here: the default .runner
    assert nowhere.exit_code == 1
    monkeypatch.chdir(project)
    found = cli.invoke(main, ["deliveries", "list"], env=ENV)
    assert found.exit_code == 0 and "dead: 2" in found.output, found.output
    served = load_config((), None)  # what `runner serve` with no arguments runs here
    assert served.destinations[0].base_url == standin.url and served.data_dir.resolve() == (project / "q").resolve()
    assert load_config((project / "pay.js",), None).endpoints[0].transforms[0].name == "pay"  # files win over discovery
