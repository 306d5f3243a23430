"""runner.yaml validation: errors name the file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from runner import config as cfg
from runner.config import ConfigError

ROOT = Path(__file__).resolve().parent.parent

FULL = """\
server:
  port: 9001
  max_body_bytes: 2048
data_dir: queue
delivery:
  max_attempts: 3
  timeout_s: 2
destinations:
  segment:
    type: segment
    write_key_env: SEG_KEY
    base_url: https://events.eu1.segmentapis.com
  crm:
    type: http
    hosts: [api.crm.example]
    headers:
      Authorization: {env: CRM_TOKEN, prefix: "Bearer "}
      X-Source: runner
endpoints:
  default:
    secret_env: DODO_WEBHOOK_SECRET
    previous_secret_env: DODO_WEBHOOK_SECRET_OLD
    transforms:
      payments:
        file: transforms/segment-track-payments.js
      identify:
        file: transforms/segment-identify-customers.js
        url: https://api.segment.io/v1/identify
        env: {PLAN: pro, TOKEN: {env: CRM_TOKEN}}
        limits: {time_ms: 100}
"""


def parse(text: str) -> cfg.Config:
    return cfg.parse(text, filename="runner.yaml", base_dir=ROOT)


def test_full_config_parses() -> None:
    c = parse(FULL)
    assert c.server.port == 9001 and c.server.max_body_bytes == 2048
    assert c.data_dir == ROOT / "queue"
    assert c.delivery.max_attempts == 3 and c.delivery.timeout_s == 2.0
    seg, crm = c.destinations
    assert seg.base_url == "https://events.eu1.segmentapis.com" and seg.write_key_env == "SEG_KEY"
    assert "api.segment.io" in seg.hosts
    assert crm.hosts == {"api.crm.example"}
    assert dict(crm.headers)["Authorization"].text({"CRM_TOKEN": "t0k"}) == "Bearer t0k"
    ep = c.endpoint("default")
    assert ep is not None and ep.previous_secret_env == "DODO_WEBHOOK_SECRET_OLD"
    ident = c.transform("default", "identify")
    assert ident is not None and ident.limits.time_ms == 100 and ident.url.endswith("/v1/identify")
    assert {k: v.text({"CRM_TOKEN": "x"}) for k, v in ident.env.items()} == {"PLAN": "pro", "TOKEN": "x"}


@pytest.mark.parametrize(
    ("change", "line", "key", "needle"),
    [
        (("  port: 9001", "  port: nine"), 2, "server.port", "must be int"),
        (("  max_attempts: 3", "  max_attempts: 0"), 6, "delivery.max_attempts", "positive"),
        (("    type: http", "    type: ftp"), 14, "destinations.crm.type", "'segment' or 'http'"),
        (("    hosts: [api.crm.example]", "    hosts: [10.0.0.5]"), 15, "destinations.crm.hosts", "allow_private"),
        (("        file: transforms/segment-track-payments.js", "        file: transforms/nope.js"), 25, "endpoints.default.transforms.payments.file", "does not exist"),
        (("    secret_env: DODO_WEBHOOK_SECRET", "    secret_env: whsec_abc+/="), 21, "endpoints.default.secret_env", "not an environment variable name"),
        (("        limits: {time_ms: 100}", "        limits: {time_ms: 100, cpu: 3}"), 30, "endpoints.default.transforms.identify.limits.cpu", "unknown key"),
        (("    base_url: https://events.eu1.segmentapis.com", "    base_url: events.eu1"), 12, "destinations.segment.base_url", "not a base URL"),
        (("data_dir: queue", "data_dir: queue\nextra: 1"), 5, "extra", "unknown key"),
    ],
)
def test_errors_name_line_and_key(change: tuple[str, str], line: int, key: str, needle: str) -> None:
    old, new = change
    assert old in FULL
    with pytest.raises(ConfigError) as info:
        parse(FULL.replace(old, new, 1))
    err = info.value
    assert (err.line, err.key) == (line, key), str(err)
    assert needle in str(err)
    assert str(err).startswith(f"runner.yaml:{line}: {key}: ")


def test_yaml_syntax_error_has_a_line() -> None:
    with pytest.raises(ConfigError, match=r"runner.yaml:3:22: an inline mapping .* \(YAML: expected ',' or '}'"):
        parse("endpoints:\n  default:\n    transforms: {a: b: c}\n")


def test_empty_and_missing_sections() -> None:
    with pytest.raises(ConfigError, match="empty"):
        parse("")
    with pytest.raises(ConfigError, match="endpoints: required section is missing"):
        parse("server: {port: 1}\n")
    with pytest.raises(ConfigError, match="duplicate key"):
        parse("endpoints: {}\nendpoints: {}\n")


def test_missing_secrets_name_the_variables() -> None:
    c = parse(FULL)
    problems = c.missing_secrets({})
    assert any("DODO_WEBHOOK_SECRET" in p for p in problems)
    assert any("SEG_KEY" in p for p in problems)
    assert c.missing_secrets({"DODO_WEBHOOK_SECRET": "whsec_x", "SEG_KEY": "k", "CRM_TOKEN": "t"}) == []


def test_simple_form(tmp_path: Path) -> None:
    c = cfg.simple([ROOT / "transforms/segment-track-payments.js", ROOT / "transforms/segment-track-payments.js"],
                   segment_url="http://127.0.0.1:9", data_dir=tmp_path)
    (ep,) = c.endpoints
    assert ep.name == "default" and [t.name for t in ep.transforms] == ["segment-track-payments", "segment-track-payments-2"]
    assert c.destinations[0].base_url == "http://127.0.0.1:9"
    with pytest.raises(ConfigError, match="--segment-url") as info:
        cfg.simple([], segment_url="nope")
    assert str(info.value).startswith("--segment-url: 'nope' is not a base URL")  # the option named once


def test_without_destinations_segment_is_the_one_destination() -> None:
    c = parse("endpoints:\n  default:\n    transforms:\n      t: {file: transforms/segment-track-payments.js}\n")
    assert c.destinations == cfg.DEFAULT_DESTINATIONS == cfg.default_destinations()
    assert cfg.simple([]).destinations == cfg.DEFAULT_DESTINATIONS
    (seg,) = cfg.default_destinations("http://127.0.0.1:9")
    assert (seg.name, seg.type, seg.write_key_env, seg.base_url) == ("segment", "segment", "SEGMENT_WRITE_KEY", "http://127.0.0.1:9")


@pytest.mark.parametrize(("written", "mode"), [("full", "FULL"), ("Normal", "NORMAL"), ("EXTRA", "EXTRA")])
def test_synchronous_is_read_in_any_case(written: str, mode: str) -> None:
    text = f"delivery: {{synchronous: {written}}}\nendpoints:\n  default:\n    transforms:\n      t: {{file: transforms/segment-track-payments.js}}\n"
    assert parse(text).delivery.synchronous == mode
    with pytest.raises(ConfigError, match=r"runner.yaml:1: delivery.synchronous: must be FULL, NORMAL or EXTRA"):
        parse(text.replace(written, "fast"))


def test_load_reads_files_relative_to_the_config(tmp_path: Path) -> None:
    (tmp_path / "t.js").write_text("function handler(w) { return w; }")
    path = tmp_path / "runner.yaml"
    path.write_text("endpoints:\n  shop:\n    transforms:\n      t: {file: t.js}\n")
    c = cfg.load(path)
    assert c.transform("shop", "t").path == tmp_path / "t.js"  # type: ignore[union-attr]
    with pytest.raises(ConfigError, match="cannot read"):
        cfg.load(tmp_path / "missing.yaml")


def test_transform_locale_and_time_zone_are_checked_where_written() -> None:
    text = "endpoints:\n  default:\n    transforms:\n      t: {file: transforms/segment-track-payments.js, time_zone: Mars/Base}\n"
    with pytest.raises(cfg.ConfigError, match=r"runner.yaml:4: endpoints.default.transforms.t.time_zone: time zone 'Mars/Base'"):
        cfg.parse(text, base_dir=ROOT)
