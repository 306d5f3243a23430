"""`runner serve` refuses to start, saying what to do: variables a config references but that
are unset, a port in use, a SQLite data folder another server is using."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from harness.serve import ROOT, TRANSFORMS, ServeProcess, free_port, new_secret

PAYMENTS = str(TRANSFORMS / "segment-track-payments.js")
WRITE_KEY = "wk_test"


def clean_env(**extra: str) -> dict[str, str]:
    """The test's environment without the variables runner reads, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DODO_", "SEGMENT_", "RUNNER_", "CRM_"))}
    return {**env, **extra}


def run_serve(args: list[str], *, env: dict[str, str], data_dir: Path, port: int | None = None,
              timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`runner serve ARGS` expected to exit by itself (refusing to start)."""
    return subprocess.run(
        [sys.executable, "-m", "runner", "serve", *args, "--host", "127.0.0.1",
         "--port", str(port or free_port()), "--data-dir", str(data_dir)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )


def write_config(tmp_path: Path, *, optional: bool = False) -> Path:
    flag = ", optional: true" if optional else ""
    config = tmp_path / "runner.yaml"
    config.write_text(f"""\
destinations:
  segment: {{type: segment}}
  crm:
    type: http
    hosts: [api.crm.example]
    headers:
      Authorization: {{env: CRM_TOKEN, prefix: "Bearer "{flag}}}
      X-Source: runner
endpoints:
  default:
    transforms:
      payments:
        file: {PAYMENTS}
        env: {{PLAN: pro, KEY: {{env: CRM_API_KEY{flag}}}}}
""")
    return config


def test_serve_refuses_listing_every_missing_variable(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    env = clean_env(DODO_WEBHOOK_SECRET=new_secret(), SEGMENT_WRITE_KEY=WRITE_KEY)
    result = run_serve(["--config", str(config)], env=env, data_dir=tmp_path / "data")
    assert result.returncode == 1, result.stderr
    lines = [line.strip() for line in result.stderr.splitlines()]
    header = [line for line in lines if line.startswith("destination 'crm' header Authorization:")]
    handler_env = [line for line in lines if line.startswith("endpoint 'default' transform 'payments' env KEY:")]
    assert len(header) == 1 and "CRM_TOKEN is not set" in header[0] and "optional: true" in header[0], result.stderr
    assert len(handler_env) == 1 and "CRM_API_KEY is not set" in handler_env[0], result.stderr
    assert not (tmp_path / "data").exists()  # refused before anything was opened


def test_serve_starts_when_the_missing_variables_are_optional(tmp_path: Path) -> None:
    config = write_config(tmp_path, optional=True)
    env = {"DODO_WEBHOOK_SECRET": new_secret(), "SEGMENT_WRITE_KEY": WRITE_KEY}
    with ServeProcess(["--config", str(config)], env=env, data_dir=tmp_path / "data") as srv:
        assert srv.proc is not None and srv.proc.poll() is None


def test_serve_starts_when_the_variables_are_set(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    env = {"DODO_WEBHOOK_SECRET": new_secret(), "SEGMENT_WRITE_KEY": WRITE_KEY,
           "CRM_TOKEN": "t0k", "CRM_API_KEY": "k3y"}
    with ServeProcess(["--config", str(config)], env=env, data_dir=tmp_path / "data") as srv:
        assert srv.proc is not None and srv.proc.poll() is None


def test_serve_on_a_busy_port_says_so(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = clean_env(DODO_WEBHOOK_SECRET=new_secret(), SEGMENT_WRITE_KEY=WRITE_KEY)
        result = run_serve([PAYMENTS], env=env, data_dir=tmp_path / "data", port=port)
    assert result.returncode != 0
    assert f"port {port} on 127.0.0.1 is in use (another runner serve?); pass --port or stop it" in result.stderr


def test_second_server_on_one_data_dir_is_refused_and_a_killed_ones_lock_is_not(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {"DODO_WEBHOOK_SECRET": new_secret(), "SEGMENT_WRITE_KEY": WRITE_KEY}
    with ServeProcess([PAYMENTS], env=env, data_dir=data) as first:
        assert first.proc is not None
        second = ServeProcess([PAYMENTS], env=env, data_dir=data, log_path=tmp_path / "second.log")
        with pytest.raises(RuntimeError) as info:
            second.start()
        assert (f"another runner serve (pid {first.proc.pid}) is using {data}; give each its own --data-dir, "
                "or share a PostgreSQL --queue") in str(info.value)
        # the short-lived commands beside a running server are not refused
        listed = subprocess.run([sys.executable, "-m", "runner", "deliveries", "list", "--data-dir", str(data)],
                                cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=60, check=False)
        assert listed.returncode == 0, listed.stderr
        first.kill()  # SIGKILL: no shutdown code runs, the kernel drops the lock
        with ServeProcess([PAYMENTS], env=env, data_dir=data, log_path=tmp_path / "third.log") as third:
            assert third.proc is not None and third.proc.poll() is None
    # a graceful stop releases it too
    with ServeProcess([PAYMENTS], env=env, data_dir=data, log_path=tmp_path / "fourth.log"):
        pass
