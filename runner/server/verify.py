"""Standard Webhooks signature verification, with secret rotation.

The provider signs `{webhook-id}.{webhook-timestamp}.{body}` with HMAC-SHA256 and may send
several `v1,<sig>` signatures (space-separated) while it rotates its secret; we, in turn, may
hold the previous secret during our own rotation. A request is authentic if any signature
matches any of our secrets and its timestamp is within ±5 minutes (the `standardwebhooks`
package's tolerance, which also defeats replays of old captured requests).
"""

from __future__ import annotations

import binascii
from collections.abc import Mapping, Sequence

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from runner.errors import RunnerError


class SignatureError(RunnerError):
    """A request failed verification; `reason` is a short label for metrics and logs."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message)


class SecretError(RunnerError):
    """A configured secret is not a usable Standard Webhooks secret."""


class Verifier:
    """Checks requests against one or more secrets (current first, then previous ones)."""

    def __init__(self, secrets: Sequence[str], *, names: Sequence[str] = ()) -> None:
        self._webhooks: list[Webhook] = []
        for index, secret in enumerate(secrets):
            label = names[index] if index < len(names) else f"secret #{index + 1}"
            try:
                self._webhooks.append(Webhook(secret))
            except Exception as exc:  # the library raises binascii.Error, ValueError, its own errors
                raise SecretError(
                    f"{label} is not a valid webhook secret ({type(exc).__name__}); copy the "
                    "whsec_... value from the provider's dashboard"
                ) from None
        if not self._webhooks:
            raise SecretError("no webhook secret configured; set the endpoint's secret variable")

    def verify(self, body: bytes, headers: Mapping[str, str]) -> None:
        """Return if authentic; raise SignatureError(reason) otherwise."""
        wanted = {k: headers.get(k, "") for k in ("webhook-id", "webhook-timestamp", "webhook-signature")}
        if not all(wanted.values()):
            missing = ", ".join(k for k, v in wanted.items() if not v)
            raise SignatureError("missing_headers", f"missing header(s) {missing}; sign the request per Standard Webhooks")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise SignatureError("bad_signature", "the body is not UTF-8, so its signature cannot match") from None
        for webhook in self._webhooks:
            try:
                webhook.verify(text, wanted, json_parse=False)
                return
            except WebhookVerificationError as exc:
                message = str(exc)
                if "too old" in message or "too new" in message:
                    raise SignatureError("stale_timestamp", f"webhook-timestamp is outside ±5 minutes ({message.lower()}); check clocks") from None
                if "Invalid Signature Headers" in message:
                    raise SignatureError("malformed_headers", "webhook-timestamp is not a unix time in seconds") from None
            except (ValueError, binascii.Error):
                raise SignatureError("malformed_headers", "webhook-signature must be space-separated 'v1,<base64>' entries") from None
        raise SignatureError("bad_signature", "no signature matches the configured secret(s); check the endpoint's secret")
