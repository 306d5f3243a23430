"""The redaction rules every output shares (runner.redact): what users rely on is that a
configured secret never shows, ordinary short words are left alone, credential headers are
masked by name whoever set them, and the auth scheme stays readable."""

from __future__ import annotations

import io
import json
import logging

import pytest

from runner import redact
from runner.redact import (
    MASK,
    MIN_SECRET_CHARS,
    Redactor,
    is_sensitive_header,
    mask_header,
)
from runner.server import logs


def test_a_configured_secret_never_appears() -> None:
    r = Redactor(["whsec_abcdef123", "wk_live_999"])
    text = "failed with whsec_abcdef123 and again whsec_abcdef123; key=wk_live_999"
    out = r.redact(text)
    assert "whsec_abcdef123" not in out and "wk_live_999" not in out
    assert out == f"failed with {MASK} and again {MASK}; key={MASK}"


def test_a_secret_containing_another_is_masked_whole() -> None:
    r = Redactor(["secret", "secret-and-more"])
    assert r.redact("x secret-and-more y") == f"x {MASK} y"


def test_short_and_empty_values_are_not_redacted() -> None:
    short = "a" * (MIN_SECRET_CHARS - 1)
    r = Redactor(["", "us", short])
    assert r.secrets == []
    assert r.redact(f"us-east {short}") == f"us-east {short}"


def test_redact_data_reaches_nested_strings_but_not_keys() -> None:
    r = Redactor(["tok_123456"], mask="••")
    data = {"tok_123456": ["Bearer tok_123456", {"n": 1, "s": "tok_123456"}]}
    assert r.redact_data(data) == {"tok_123456": ["Bearer ••", {"n": 1, "s": "••"}]}


@pytest.mark.parametrize("name", [
    "Authorization", "proxy-authorization", "Cookie", "Set-Cookie", "X-Auth-Token", "x-webhook-secret",
    "X-API-Key", "api_key", "apikey", "Webhook-Signature", "X-Password", "X-Auth-Key", "X-Access-Key",
    "Private-Key", "X-Credential", "X-Session-Id",
])
def test_credential_header_names_are_sensitive(name: str) -> None:
    assert is_sensitive_header(name)


@pytest.mark.parametrize("name", ["Content-Type", "User-Agent", "X-Request-Id", "Accept", "webhook-id"])
def test_ordinary_header_names_are_not(name: str) -> None:
    assert not is_sensitive_header(name)
    assert mask_header(name, "visible value") == "visible value"


def test_mask_header_keeps_the_scheme_only() -> None:
    assert mask_header("Authorization", "Bearer abc.def") == f"Bearer {MASK}"
    assert mask_header("authorization", "Basic dXNlcjpwdw==", mask="••") == "Basic ••"
    assert mask_header("X-API-Key", "k_live_123") == MASK
    # Only a word of letters counts as a scheme: no part of a credential is kept.
    assert mask_header("X-API-Key", "k_live_123 more") == MASK
    # Only Authorization headers have schemes: another header's first word may be the secret.
    assert mask_header("X-Api-Key", "abcdefgh ijk") == MASK
    assert mask_header("Proxy-Authorization", "Basic abc") == f"Basic {MASK}"
    assert mask_header("Authorization", "Bearer abc", keep_scheme=False) == MASK
    assert redact.mask_headers({"Cookie": "a=b", "Accept": "*/*"}) == {"Cookie": MASK, "Accept": "*/*"}


def test_url_password_is_cut_and_scrubbed() -> None:
    url = "postgresql://runner:p%40ss@db:5432/runner"
    assert redact.url_without_password(url) == "postgresql://runner@db:5432/runner"
    assert redact.url_without_password("postgresql://runner@db/runner") == "postgresql://runner@db/runner"
    assert redact.url_secrets(url) == {"p%40ss", "p@ss"}
    assert redact.url_secrets("postgresql://db/runner") == set()
    message = 'connection to "password=p@ss host=db" failed\nDETAIL: p%40ss'
    assert redact.scrub(message, redact.url_secrets(url), mask="***") == 'connection to "password=*** host=db" failed'
    assert redact.scrub("", {"x"}) == ""


def test_log_lines_use_the_same_rules() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter(["whsec_topsecret", "abc"]))
    log = logging.getLogger("runner.test_redact")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("secret whsec_topsecret leaked; abc stays", extra={"x_api_key": "k", "endpoint": "shop"})
    finally:
        log.removeHandler(handler)
    line = json.loads(stream.getvalue())
    assert "whsec_topsecret" not in stream.getvalue()
    assert line["event"] == f"secret {MASK} leaked; abc stays"
    assert line["x_api_key"] == MASK and line["endpoint"] == "shop"
