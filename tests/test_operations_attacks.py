"""Hostile inputs to the operations commands: odd YAML gives a ConfigError (never a traceback),
a secret passed where a variable's name goes is never echoed, `runner init` never writes
through a symlink or half a project, and an unusable data folder is refused in plain words."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from runner import config as cfg
from runner.cli import main
from runner.config import ConfigError
from runner.delivery.lock import ServeLock
from runner.errors import ServeError

ENDPOINTS = "endpoints:\n  default:\n    transforms:\n      a: {file: a.js}\n"
SECRET = "whsec_KRtIXWhjHAh4TP2ZcFqyq1meEwU718at"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "a.js").write_text("function handler(webhook) { return webhook; }\n")
    return tmp_path


@pytest.mark.parametrize("text", [
    "server: {port: !!int abc}\n" + ENDPOINTS,
    "delivery: {timeout_s: !!float abc}\n" + ENDPOINTS,
    "data_dir: !!timestamp 2020-13-45\n" + ENDPOINTS,
    "data_dir: !!python/object:os.system x\n" + ENDPOINTS,
    "server: &a {port: *a}\n" + ENDPOINTS,
    "x: " + "[" * 5000 + "]" * 5000 + "\n" + ENDPOINTS,
    "queue: 'postgresql://[::1'\n" + ENDPOINTS,
    "destinations:\n  s: {type: segment, base_url: 'http://[::1'}\n" + ENDPOINTS,
    "endpoints:\n  default:\n    transforms:\n      a: {file: a.js, url: 'http://[x'}\n",
    "endpoints:\n  default:\n    transforms:\n      a: {file: '" + "x" * 5000 + "'}\n",
    "server: {port: 70000}\n" + ENDPOINTS,
    "delivery: {timeout_s: .nan}\n" + ENDPOINTS,
    'endpoints:\n  default:\n    secret_env: "FOO\\n"\n    transforms:\n      a: {file: a.js}\n',
    'endpoints:\n  "default\\n":\n    transforms:\n      a: {file: a.js}\n',
], ids=["int-tag", "float-tag", "timestamp", "python-tag", "recursive-alias", "deep", "queue-ipv6", "base-url-ipv6",
        "url-ipv6", "long-file", "port-range", "nan", "env-newline", "name-newline"])
def test_odd_yaml_is_a_config_error(project: Path, text: str) -> None:
    with pytest.raises(ConfigError):
        cfg.parse(text, filename="runner.yaml", base_dir=project)


def test_a_binary_config_file_is_a_config_error(project: Path) -> None:
    path = project / "runner.yaml"
    path.write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(ConfigError, match="UTF-8"):
        cfg.load(path)


@pytest.mark.parametrize("key", ["secret_env", "previous_secret_env"])
def test_a_secret_pasted_as_a_variable_name_is_not_quoted(project: Path, key: str) -> None:
    pasted = "whsec_abc+def/ghi=="
    text = f"endpoints:\n  default:\n    {key}: '{pasted}'\n    transforms:\n      a: {{file: a.js}}\n"
    with pytest.raises(ConfigError) as info:
        cfg.parse(text, filename="runner.yaml", base_dir=project)
    assert pasted not in str(info.value)


def test_send_never_echoes_a_secret_given_as_secret_env(tmp_path: Path) -> None:
    sample = tmp_path / "s.json"
    sample.write_text('{"type": "payment.succeeded", "data": {}}')
    result = CliRunner().invoke(main, ["send", str(sample), "--secret-env", SECRET, "--to", "http://127.0.0.1:9/"])
    assert result.exit_code == 2
    assert SECRET not in result.output and SECRET[6:] not in result.output
    assert "not the secret itself" in result.output


def test_init_does_not_write_through_a_dangling_symlink(tmp_path: Path) -> None:
    project, outside = tmp_path / "p", tmp_path / "outside.yaml"
    project.mkdir()
    (project / "runner.yaml").symlink_to(outside)
    result = CliRunner().invoke(main, ["init", str(project)])
    assert result.exit_code == 1, result.output
    assert not outside.exists()
    assert sorted(p.name for p in project.iterdir()) == ["runner.yaml"]


def test_init_force_replaces_a_symlink_not_its_target(tmp_path: Path) -> None:
    project, victim = tmp_path / "p", tmp_path / "victim.txt"
    project.mkdir()
    victim.write_text("keep")
    (project / "runner.yaml").symlink_to(victim)
    result = CliRunner().invoke(main, ["init", str(project), "--force"])
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "keep"
    assert not (project / "runner.yaml").is_symlink()


def test_init_with_a_file_where_a_folder_goes_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "transforms").write_text("x")
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "transforms" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["transforms"]


@pytest.mark.parametrize("bad", ["file", "nul"])
def test_an_unusable_data_dir_is_a_serve_error(tmp_path: Path, bad: str) -> None:
    (tmp_path / "file").write_text("x")
    target = tmp_path / "file" if bad == "file" else Path(os.fspath(tmp_path) + "/a\0b")
    with pytest.raises(ServeError, match="data folder"):
        ServeLock.acquire(target)


@pytest.mark.parametrize("args", [["--webhook-id", "é"], ["--webhook-id", "a\nb"], ["--to", "http://[::1/"]],
                         ids=["non-ascii-id", "newline-id", "bad-ipv6-url"])
def test_send_refuses_what_cannot_be_sent_as_bad_usage(tmp_path: Path, args: list[str]) -> None:
    sample = tmp_path / "s.json"
    sample.write_text('{"type": "payment.succeeded", "data": {}}')
    result = CliRunner().invoke(main, ["send", str(sample), "--to", "http://127.0.0.1:9/", *args],
                                env={"DODO_WEBHOOK_SECRET": SECRET})
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_secret_cut_by_a_log_field_clip_is_still_redacted(caplog: pytest.LogCaptureFixture) -> None:
    import logging
    import time

    from runner.redact import Redactor
    from runner.server.app import LOGGED_NAME_CHARS, LOGGED_REASON_CHARS, log_webhook

    token = "SuperSecretToken_0123456789"
    with caplog.at_level(logging.INFO, logger="runner.serve"):
        log_webhook("default", "y" * (LOGGED_NAME_CHARS - 10) + SECRET, 401, time.perf_counter(), reason="bad",
                    detail="x" * (LOGGED_REASON_CHARS - 8) + token, redactor=Redactor([SECRET, token]))
    record = caplog.records[-1]
    assert SECRET[:10] not in record.webhook_id  # type: ignore[attr-defined]
    assert token[:6] not in record.detail  # type: ignore[attr-defined]


@pytest.mark.parametrize("key", ["data_dir", "server"])
def test_an_alias_bomb_is_refused_briefly(project: Path, key: str) -> None:
    parts = ['&a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    parts += [f"&a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]  # 9**9 strings, spelled out
    bomb = "[" + ", ".join(parts) + "]"
    value = bomb if key == "data_dir" else "{port: " + bomb + "}"
    with pytest.raises(ConfigError) as info:
        cfg.parse(f"{key}: {value}\n" + ENDPOINTS, filename="runner.yaml", base_dir=project)
    assert len(str(info.value)) < 1000


def test_a_handler_error_quoting_its_env_token_is_redacted_in_the_answer(tmp_path: Path) -> None:
    import httpx

    from tests.support.serve import ServeProcess, new_secret, payment_event, signed

    token = "crm_live_token_5f1e2d3c4b"
    (tmp_path / "leaky.js").write_text("function handler(webhook) { throw new Error('auth failed with ' + webhook.env.TOKEN); }\n")
    config = tmp_path / "runner.yaml"
    config.write_text("endpoints:\n  default:\n    transforms:\n"
                      "      leaky: {file: leaky.js, env: {TOKEN: {env: CRM_TOKEN}}}\n")
    secret = new_secret()
    env = {"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": "wk_test_value", "CRM_TOKEN": token}
    with ServeProcess(["--config", str(config)], env=env, data_dir=tmp_path / "data") as srv:
        body, headers = signed(secret, payment_event(1))
        answer = httpx.post(srv.url + "/webhooks", content=body, headers=headers)
    assert answer.status_code == 200
    (transform,) = answer.json()["transforms"]
    assert transform["status"] == "dead" and "auth failed with [REDACTED]" in transform["reason"]
    assert token not in answer.text
