"""Keeping secrets out of what runner shows: logs, `runner deliveries show`, the playground, errors.

One rule set, for every place that prints something a secret may be in:

- a header (or log field) whose *name* says it is a credential — auth (authorization, x-auth-key),
  cookie, token, secret, api/access/private key (with `-`, `_` or nothing between), signature,
  password, credential, session, in any case, anywhere in the name — has its value masked
  whoever set it (`is_sensitive_header`, `mask_header`); in an `Authorization` header the auth
  scheme such as `Bearer ` stays visible, since that is what people check (any other header's
  first word may be part of the credential);
- a configured secret *value* (webhook secrets, write keys, header tokens) is masked wherever
  it appears in a text (`Redactor`), unless it is shorter than `MIN_SECRET_CHARS`: masking a
  two-letter value would garble every message while protecting nothing;
- a URL's password (`scheme://user:password@host`) is cut from the URL (`url_without_password`)
  and masked in error messages that may quote it (`scrub`, `url_secrets`).

Each output picks its mask text (`mask=`); `MASK` is the default.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote

MASK = "[REDACTED]"
MIN_SECRET_CHARS = 6  # shorter "secrets" would redact ordinary words

_SENSITIVE_NAME = re.compile(
    r"auth|cookie|token|secret|(api|access|private)[-_]?key|signature|passw|credential|session", re.IGNORECASE)
# An auth scheme (`Basic`, `Bearer`, `Token`): letters only, so no part of a credential is kept.
_SCHEME = re.compile(r"[A-Za-z]{1,20}")
_URL_PASSWORD = re.compile(r"^([a-z][a-z0-9+.-]*://[^:/@]*):([^@]*)@", re.IGNORECASE)  # scheme://user:password@


def is_sensitive_header(name: str) -> bool:
    """True when a header (or log field) of this name holds a credential, whoever set it."""
    return _SENSITIVE_NAME.search(name) is not None


def mask_header(name: str, value: str, *, mask: str = MASK, keep_scheme: bool = True) -> str:
    """`value` as it may be shown: masked when the name is sensitive; an Authorization header's
    auth scheme kept (`Bearer abc` → `Bearer [REDACTED]`) unless `keep_scheme` is false."""
    if not is_sensitive_header(name):
        return value
    scheme, _, rest = value.partition(" ")
    if keep_scheme and rest and _SCHEME.fullmatch(scheme) and "authorization" in name.lower():
        return f"{scheme} {mask}"
    return mask


def mask_headers(headers: dict[str, str], *, mask: str = MASK, keep_scheme: bool = True) -> dict[str, str]:
    """Every header as `mask_header` shows it (names and order kept)."""
    return {name: mask_header(name, value, mask=mask, keep_scheme=keep_scheme) for name, value in headers.items()}


class Redactor:
    """Masks configured secret values wherever they appear in a text (or in JSON-like data)."""

    def __init__(self, secrets: Iterable[str], *, mask: str = MASK, min_chars: int = MIN_SECRET_CHARS) -> None:
        self.mask = mask
        # Longest first, so a secret containing another is masked whole.
        self.secrets = sorted({s for s in secrets if s and len(s) >= min_chars}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """`text` with every secret replaced by the mask."""
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, self.mask)
        return text

    def redact_data(self, value: object) -> object:
        """`value` with every string in it (list items, dict values) redacted; keys are kept."""
        if not self.secrets:
            return value
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, list):
            return [self.redact_data(item) for item in value]
        if isinstance(value, dict):
            return {key: self.redact_data(item) for key, item in value.items()}
        return value


def url_without_password(url: str) -> str:
    """`scheme://user:password@host/...` as `scheme://user@host/...`; other URLs unchanged."""
    return _URL_PASSWORD.sub(r"\1@", url)


def url_secrets(url: str) -> set[str]:
    """The URL's password as written and percent-decoded (a message may quote either); may be empty."""
    found = _URL_PASSWORD.search(url)
    password = found.group(2) if found else ""
    return {password, unquote(password)} - {""}


def scrub(message: str, secrets: Iterable[str], *, mask: str = MASK) -> str:
    """A lower layer's error message fit to show: every secret (however short) masked, and only
    its first line (drivers may append the connection string or a query on later lines)."""
    for secret in sorted(set(secrets) - {""}, key=len, reverse=True):
        message = message.replace(secret, mask)
    stripped = message.strip()
    return stripped.splitlines()[0] if stripped else message
