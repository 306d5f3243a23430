"""The sending side of Standard Webhooks: new secrets and signed requests, as a provider (or
Svix) makes them. `runner secret new` and `runner send` use it; so can tests and scripts.

    secret = new_secret()                                  # whsec_<base64 of 24 random bytes>
    headers = signed_headers(secret, body_text)            # webhook-id/-timestamp/-signature
    headers = signed_headers(secret, body_text, style="svix")   # svix-id/-timestamp/-signature
"""

from __future__ import annotations

import base64
import os
import uuid
from datetime import UTC, datetime
from typing import Literal

from standardwebhooks.webhooks import Webhook

from runner.errors import SecretError

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 24  # what Svix generates; Standard Webhooks asks for 24 to 64
HeaderStyle = Literal["webhook", "svix"]


def new_secret(nbytes: int = SECRET_BYTES) -> str:
    """A fresh signing secret, `whsec_` + base64 of `nbytes` bytes from the OS's entropy."""
    if not 24 <= nbytes <= 64:
        raise ValueError(f"a Standard Webhooks secret has 24 to 64 bytes, not {nbytes}")
    return SECRET_PREFIX + base64.b64encode(os.urandom(nbytes)).decode("ascii")


def new_webhook_id() -> str:
    """A fresh message id in the provider's shape, `msg_` + 32 hex digits."""
    return f"msg_{uuid.uuid4().hex}"


def webhook(secret: str, name: str = "the secret") -> Webhook:
    """The `standardwebhooks` signer for `secret`; SecretError (never quoting the secret) when
    it is not one. `name` says where it came from, e.g. the environment variable."""
    try:
        signer = Webhook(secret)
    except Exception as exc:  # noqa: BLE001 - the library raises binascii.Error, ValueError, its own errors
        raise SecretError(f"{name} is not a Standard Webhooks secret (whsec_ followed by base64): "
                          f"{type(exc).__name__}") from None
    return signer


def signed_headers(secret: str | Webhook, body: str, *, webhook_id: str | None = None,
                   when: datetime | None = None, style: HeaderStyle = "webhook") -> dict[str, str]:
    """The headers that make `body` a signed webhook: id, timestamp and `v1,<signature>` under
    the Standard Webhooks names (`webhook-*`) or Svix's (`svix-*`), and the JSON content type.
    A new id and the current time unless given."""
    signer = webhook(secret) if isinstance(secret, str) else secret
    msg_id = webhook_id or new_webhook_id()
    moment = when or datetime.now(UTC)
    prefix = "svix-" if style == "svix" else "webhook-"
    return {
        "content-type": "application/json",
        prefix + "id": msg_id,
        prefix + "timestamp": str(int(moment.timestamp())),
        prefix + "signature": signer.sign(msg_id, moment, body),
    }
