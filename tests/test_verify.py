"""Signature verification with requests signed by the standardwebhooks package."""

from __future__ import annotations

import time

import pytest

from runner.server.verify import SecretError, SignatureError, Verifier
from tests.support.serve import new_secret, signed


def reason(verifier: Verifier, body: bytes, headers: dict[str, str]) -> str:
    with pytest.raises(SignatureError) as info:
        verifier.verify(body, headers)
    return info.value.reason


def test_valid_signature_passes() -> None:
    secret = new_secret()
    body, headers = signed(secret, {"type": "payment.succeeded"})
    Verifier([secret]).verify(body, headers)


def test_wrong_secret_tampered_body_and_missing_headers() -> None:
    secret = new_secret()
    body, headers = signed(secret, {"type": "payment.succeeded"})
    assert reason(Verifier([new_secret()]), body, headers) == "bad_signature"
    assert reason(Verifier([secret]), body + b" ", headers) == "bad_signature"
    for name in ("webhook-id", "webhook-timestamp", "webhook-signature"):
        partial = {k: v for k, v in headers.items() if k != name}
        assert reason(Verifier([secret]), body, partial) == "missing_headers"
    assert reason(Verifier([secret]), body, {**headers, "webhook-signature": "garbage"}) == "malformed_headers"
    assert reason(Verifier([secret]), body, {**headers, "webhook-timestamp": "yesterday"}) == "malformed_headers"


def test_timestamps_outside_five_minutes_are_stale() -> None:
    secret = new_secret()
    v = Verifier([secret])
    for skew in (-301, 301):
        body, headers = signed(secret, {"type": "x"}, timestamp=time.time() + skew)
        assert reason(v, body, headers) == "stale_timestamp"
    body, headers = signed(secret, {"type": "x"}, timestamp=time.time() - 240)
    v.verify(body, headers)


def test_rotation_both_directions() -> None:
    old, new = new_secret(), new_secret()
    # The provider signs with both secrets while it rotates: we hold only the new one.
    body, headers = signed([old, new], {"type": "x"})
    Verifier([new]).verify(body, headers)
    # We hold the new and the previous secret: requests signed with either pass.
    v = Verifier([new, old])
    for secret in (old, new):
        body, headers = signed(secret, {"type": "x"})
        v.verify(body, headers)
    body, headers = signed(new_secret(), {"type": "x"})
    assert reason(v, body, headers) == "bad_signature"


def test_bad_secrets_are_refused_without_echoing_them() -> None:
    with pytest.raises(SecretError, match="DODO_WEBHOOK_SECRET") as info:
        Verifier(["whsec_!!!not-base64!!!"], names=["DODO_WEBHOOK_SECRET"])
    assert "not-base64" not in str(info.value)
    with pytest.raises(SecretError):
        Verifier([])


def test_a_signature_header_that_is_not_version_comma_base64_entries_is_malformed() -> None:
    secret = new_secret()
    body, headers = signed(secret, {"type": "payment.succeeded"})
    for garbage in ("garbage", "v1,", ",abc", "v1,not*base64", "   "):
        assert reason(Verifier([secret]), body, {**headers, "webhook-signature": garbage}) == "malformed_headers", garbage
    # Entries of other versions are skipped (Standard Webhooks), a valid v1 among them is enough.
    Verifier([secret]).verify(body, {**headers, "webhook-signature": "v1a,c2lnbmF0dXJl " + headers["webhook-signature"]})
