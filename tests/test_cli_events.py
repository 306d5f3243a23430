"""Test events by hand: `runner secret new`, `runner send` against a real `runner serve`, and
`runner init` making a project that serves."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from standardwebhooks.webhooks import Webhook

from runner.cli import main
from runner.cli.init import project_files
from tests.support.segment_standin import SegmentStandin
from tests.support.serve import ROOT, TRANSFORMS, ServeProcess

RUNNER = [sys.executable, "-m", "runner"]
PAYMENT = "samples/payment.succeeded.json"
WRITE_KEY = "wk_cli_events_0123456789"


def run(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The real `runner` command; DODO_/SEGMENT_ variables only as given."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DODO_", "SEGMENT_"))}
    return subprocess.run([*RUNNER, *args], cwd=cwd, env={**base, **(env or {})}, capture_output=True, text=True,
                          timeout=120)


def new_secret() -> str:
    result = run("secret", "new")
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture
def standin() -> Iterator[SegmentStandin]:
    with SegmentStandin() as s:
        yield s


def test_secret_new_prints_only_a_fresh_standard_webhooks_secret() -> None:
    result = run("secret", "new")
    assert result.returncode == 0
    secret = result.stdout.strip()
    assert result.stdout == secret + "\n"  # `export X=$(runner secret new)` takes it whole
    assert secret.startswith("whsec_")
    Webhook(secret)  # the library takes it
    assert len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) >= 24
    assert "export DODO_WEBHOOK_SECRET=" in result.stderr
    assert secret not in result.stderr
    assert new_secret() != secret
    longer = CliRunner().invoke(main, ["secret", "new", "--bytes", "48"])
    assert len(base64.b64decode(longer.stdout.strip().removeprefix("whsec_"))) == 48
    assert CliRunner().invoke(main, ["secret", "new", "--bytes", "8"]).exit_code == 2


def test_send_without_the_secret_variable_names_it_and_sends_nothing() -> None:
    # Port 9 (discard) has no server: had it tried to send, the error would be a connection one.
    result = run("send", PAYMENT, "--to", "http://127.0.0.1:9/webhooks")
    assert result.returncode == 2
    assert "DODO_WEBHOOK_SECRET is not set" in result.stderr and "could not connect" not in result.stderr
    result = run("send", PAYMENT, "--secret-env", "SHOP_SECRET", "--to", "http://127.0.0.1:9/webhooks",
                 env={"DODO_WEBHOOK_SECRET": new_secret()})
    assert result.returncode == 2 and "SHOP_SECRET is not set" in result.stderr


@pytest.mark.parametrize("name", ["../metrics", "a/b", "..", "x?y=1", ""])
def test_send_refuses_an_endpoint_that_is_not_a_name(name: str) -> None:
    # It would become another path on the server (`/webhooks/../metrics` is `/metrics`).
    result = run("send", PAYMENT, "--endpoint", name, "--to", "http://127.0.0.1:9", env={"DODO_WEBHOOK_SECRET": new_secret()})
    assert result.returncode == 2 and "is not an endpoint name" in result.stderr and "could not connect" not in result.stderr


def test_send_to_nothing_says_so() -> None:
    result = run("send", PAYMENT, "--to", "http://127.0.0.1:9/webhooks", env={"DODO_WEBHOOK_SECRET": new_secret()})
    assert result.returncode == 1
    assert "could not connect to http://127.0.0.1:9/webhooks: is `runner serve` running?" in result.stderr


def test_send_signs_samples_that_serve_accepts(tmp_path: Path, standin: SegmentStandin) -> None:
    secret = new_secret()
    env = {"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": WRITE_KEY}
    args = [str(TRANSFORMS / "segment-track-payments.js"), "--segment-url", standin.url]
    with ServeProcess(args, env=env, data_dir=tmp_path / "data") as srv:
        result = run("send", PAYMENT, "--to", srv.url + "/webhooks", env={"DODO_WEBHOOK_SECRET": secret})
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"{PAYMENT}  200  accepted event 1  [segment-track-payments: pending]")
        assert standin.wait_for_events(1, timeout=20)
        assert standin.events()[0]["event"] == "Payment Completed"

        # Svix's header names; a directory of samples; a URL without a path gets /webhooks.
        result = run("send", "samples/", "--to", srv.url, "--header-style", "svix", env={"DODO_WEBHOOK_SECRET": secret})
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert len(lines) == len(list((ROOT / "samples").glob("*.json")))
        assert all("  200  accepted event " in line for line in lines)

        # The same webhook-id twice: the second is the sender retrying.
        for expected in ("accepted", "duplicate"):
            result = run("send", PAYMENT, "--to", srv.url, "--webhook-id", "msg_by_hand_1",
                         env={"DODO_WEBHOOK_SECRET": secret})
            assert result.returncode == 0 and f"  200  {expected}" in result.stdout

        wrong = new_secret()
        result = run("send", PAYMENT, "--to", srv.url + "/webhooks", env={"DODO_WEBHOOK_SECRET": wrong})
        assert result.returncode == 1
        assert f"{PAYMENT}  401  bad_signature: " in result.stdout
        assert wrong not in result.stdout + result.stderr and secret not in result.stdout + result.stderr

        result = run("send", PAYMENT, "--to", srv.url + "/webhooks/nope", env={"DODO_WEBHOOK_SECRET": secret})
        assert result.returncode == 1 and "  404  unknown_endpoint" in result.stdout


def test_packaged_project_files_are_the_repository_s() -> None:
    files = project_files()
    for folder, pattern in (("transforms", "*.js"), ("samples", "*.json")):
        ours = {f"{folder}/{p.name}": p.read_bytes() for p in (ROOT / folder).glob(pattern)}
        packaged = {name: content for name, content in files.items() if name.startswith(folder + "/")}
        assert packaged == ours, f"runner/project/{folder}/ differs from {folder}/: copy them over"
    assert "DODO_WEBHOOK_SECRET=\n" in files[".env.example"].decode()
    assert "SEGMENT_WRITE_KEY=\n" in files[".env.example"].decode()
    assert "# base_url:" in files["runner.yaml"].decode()


def test_init_refuses_to_overwrite_unless_forced(tmp_path: Path) -> None:
    cli = CliRunner()
    result = cli.invoke(main, ["init", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    assert "runner serve --config runner.yaml" in result.stdout
    for name in ("runner.yaml", ".env.example", "transforms/segment-track-payments.js", PAYMENT):
        assert (tmp_path / "p" / name).is_file()
    mine = tmp_path / "p" / "transforms" / "segment-track-payments.js"
    mine.write_text("function handler(webhook) { return webhook; }\n")
    result = cli.invoke(main, ["init", str(tmp_path / "p")])
    assert result.exit_code == 1 and "already exist, nothing was written" in result.output
    assert str(mine) in result.output
    assert mine.read_text() == "function handler(webhook) { return webhook; }\n"
    assert cli.invoke(main, ["init", str(tmp_path / "p"), "--force"]).exit_code == 0
    assert mine.read_bytes() == (TRANSFORMS / "segment-track-payments.js").read_bytes()


def test_an_initialised_project_serves_and_delivers(tmp_path: Path, standin: SegmentStandin) -> None:
    project = tmp_path / "shop"
    assert run("init", str(project)).returncode == 0
    config = project / "runner.yaml"
    # Point the commented-out base_url at the stand-in, as a user would at a collector.
    text = config.read_text()
    assert "    # base_url: https://events.eu1.segmentapis.com" in text
    config.write_text(text.replace("    # base_url: https://events.eu1.segmentapis.com", f"    base_url: {standin.url}"))
    secret = new_secret()
    env = {"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": WRITE_KEY}
    with ServeProcess(["--config", str(config)], env=env, data_dir=tmp_path / "data") as srv:
        result = run("send", "samples/subscription.active.json", "--config", "runner.yaml", "--endpoint", "default",
                     "--to", srv.url, env={"DODO_WEBHOOK_SECRET": secret}, cwd=project)
        assert result.returncode == 0, result.stderr
        assert "  200  accepted event 1  [payments: skipped, customers: skipped, subscriptions: pending]" in result.stdout
        assert standin.wait_for_events(1, timeout=20)
        assert standin.events()[0]["event"] == "Subscription Started"


def test_pyproject_ships_every_project_file() -> None:
    """A wheel holds runner/project/ only through [tool.setuptools.package-data]."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["runner"]
    package = ROOT / "runner"
    shipped = {path for pattern in patterns for path in package.glob(pattern)}
    for path in (package / "project").rglob("*"):
        if path.is_file():
            assert path in shipped, f"{path.relative_to(ROOT)} is not matched by package-data {patterns}"
