"""runner.yaml loading: `{env: X, optional: true}` values, the variables `serve` requires, and
YAML syntax errors in plain words with file:line:column."""

from __future__ import annotations

from pathlib import Path

import pytest

from runner import config as cfg
from runner.config import ConfigError
from runner.config.model import Value

ROOT = Path(__file__).resolve().parent.parent

CONFIG = """\
destinations:
  crm:
    type: http
    hosts: [api.crm.example]
    headers:
      Authorization: {env: CRM_TOKEN, prefix: "Bearer "}
      X-Trace: {env: TRACE_ID, optional: true}
      X-Source: runner
endpoints:
  default:
    transforms:
      payments:
        file: transforms/segment-track-payments.js
        env: {PLAN: pro, KEY: {env: API_KEY}, DEBUG: {env: DEBUG_FLAG, optional: true}}
"""
SIGNED = {"DODO_WEBHOOK_SECRET": "whsec_x"}


def parse(text: str) -> cfg.Config:
    return cfg.parse(text, filename="runner.yaml", base_dir=ROOT)


def test_values_parse_with_optional() -> None:
    c = parse(CONFIG)
    (crm,) = c.destinations
    headers = dict(crm.headers)
    assert headers["Authorization"] == Value(env="CRM_TOKEN", prefix="Bearer ")
    assert headers["X-Trace"] == Value(env="TRACE_ID", optional=True)
    assert headers["X-Source"] == Value(literal="runner")
    transform = c.transform("default", "payments")
    assert transform is not None
    assert transform.env["DEBUG"] == Value(env="DEBUG_FLAG", optional=True)
    assert transform.env["KEY"].optional is False
    assert headers["X-Trace"].text({}) == "" and transform.env["DEBUG"].text({"DEBUG_FLAG": "1"}) == "1"


def test_missing_lists_every_required_variable_with_where_it_is_used() -> None:
    problems = parse(CONFIG).missing_secrets(SIGNED)
    assert len(problems) == 2, problems
    header, env = problems
    assert header.startswith("destination 'crm' header Authorization: environment variable CRM_TOKEN is not set")
    assert env.startswith("endpoint 'default' transform 'payments' env KEY: environment variable API_KEY is not set")
    assert all("{env: " in p and "optional: true" in p for p in problems)
    assert parse(CONFIG).missing_secrets({**SIGNED, "CRM_TOKEN": "t", "API_KEY": "k"}) == []
    # set but empty is as good as unset (a `Bearer ` with no token)
    assert len(parse(CONFIG).missing_secrets({**SIGNED, "CRM_TOKEN": "", "API_KEY": "k"})) == 1


@pytest.mark.parametrize(
    ("old", "new", "line", "key", "needle"),
    [
        ('{env: TRACE_ID, optional: true}', '{env: TRACE_ID, optional: yes please}', 7,
         "destinations.crm.headers.X-Trace.optional", "must be true or false"),
        ('{env: TRACE_ID, optional: true}', '{env: TRACE_ID, required: false}', 7,
         "destinations.crm.headers.X-Trace.required", "expected one of env, optional, prefix"),
        ("{env: API_KEY}", "{env: 'not a name'}", 14, "endpoints.default.transforms.payments.env.KEY.env",
         "must name the environment variable"),
    ],
)
def test_value_errors_name_line_and_key(old: str, new: str, line: int, key: str, needle: str) -> None:
    assert old in CONFIG
    with pytest.raises(ConfigError) as info:
        parse(CONFIG.replace(old, new, 1))
    assert (info.value.line, info.value.key) == (line, key), str(info.value)
    assert needle in str(info.value)


@pytest.mark.parametrize(
    ("text", "where", "plain", "original"),
    [
        ("endpoints:\n  default: x: y\n", "2:13", "a value here needs its own line or quotes",
         "mapping values are not allowed here"),
        ("endpoints:\n\tdefault: {}\n", "2:1", "a tab is used to indent here; YAML indents with spaces only",
         "found character '\\t' that cannot start any token"),
        ("server: {port: 1}\nendpoints\nother: 1\n", "2:1", "this line has no ':' after its key",
         "could not find expected ':'"),
        ("endpoints: *common\n", "1:12", "'*common' refers to an anchor '&common' that is not defined above",
         "found undefined alias 'common'"),
        ("endpoints:\n    default: {}\n  other: {}\n", "3:3", "the indentation here does not match the lines above",
         "expected <block end>"),
        ("server: {port: 1}\n- endpoints\n", "2:1", "a list item ('- ...') appears among keys",
         "expected <block end>, but found '-'"),
        ("endpoints: {default: {transforms: {a: b: c}}}\n", "1:40", "an inline mapping '{...}' is not closed",
         "expected ',' or '}'"),
        ("server: {port: 1}\nendpoints: [a, b\n", "3:1", "an inline list '[...]' is not closed",
         "expected ',' or ']'"),
        ('server: {host: "127.0.0.1}\nendpoints: {}\n', "1:16", "a quoted value is never closed",
         "found unexpected end of stream"),
        ("server: {host: @home}\n", "1:16", "a value cannot start with '@'; put the value in quotes",
         "found character '@' that cannot start any token"),
    ],
)
def test_yaml_syntax_errors_in_plain_words(text: str, where: str, plain: str, original: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse(text)
    message = str(info.value)
    assert message.startswith(f"runner.yaml:{where}: {plain}"), message
    assert message.endswith(")") and f"(YAML: {original}" in message, message
    line, column = (int(n) for n in where.split(":"))
    assert (info.value.line, info.value.column) == (line, column)


def test_duplicate_keys_keep_their_own_message() -> None:
    with pytest.raises(ConfigError, match=r"runner.yaml:2: endpoints: duplicate key"):
        parse("endpoints: {}\nendpoints: {}\n")
