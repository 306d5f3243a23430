"""Standard Webhooks signature verification, with secret rotation.

The provider signs `{webhook-id}.{webhook-timestamp}.{body}` with HMAC-SHA256 and may send
several `v1,<sig>` signatures (space-separated) while it rotates its secret; we, in turn, may
hold the previous secret during our own rotation. A request is authentic if any signature
matches any of our secrets and its timestamp is within ±5 minutes (the `standardwebhooks`
package's tolerance, which also defeats replays of old captured requests).

The headers are Standard Webhooks' `webhook-id`, `webhook-timestamp`, `webhook-signature`, or
Svix's own names for the same scheme, `svix-id`, `svix-timestamp`, `svix-signature` (what
Svix sends for most senders). Each is read from its `webhook-` name, else its `svix-` name;
when a request carries both names of one header, they must be equal (a sender that sends
both sends the same values), otherwise it is refused: which one was signed cannot be known.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from runner.errors import SecretError, SignatureError

SIGNATURE_HEADERS = ("id", "timestamp", "signature")


def signature_headers(headers: Mapping[str, str]) -> tuple[dict[str, str], str]:
    """The three signature headers under their `webhook-` names, read from either naming, and
    the prefix the request uses (`webhook-` or `svix-`, for messages); a missing one is "".
    Raises SignatureError when both names of a header are present with different values."""
    values: dict[str, str] = {}
    svix = False
    for part in SIGNATURE_HEADERS:
        standard, branded = headers.get("webhook-" + part, ""), headers.get("svix-" + part, "")
        if standard and branded and standard != branded:
            raise SignatureError("conflicting_headers", f"webhook-{part} and svix-{part} differ; send one of the two "
                                 "header sets (Standard Webhooks webhook-* or Svix svix-*), or equal values in both")
        svix = svix or (bool(branded) and not standard)
        values["webhook-" + part] = standard or branded
    return values, "svix-" if svix else "webhook-"


def message_id(headers: Mapping[str, str]) -> str | None:
    """The sender's message id (`webhook-id`, else `svix-id`): the idempotency key, stable across
    the sender's retries. Unverified requests are not checked for conflicting names."""
    return headers.get("webhook-id") or headers.get("svix-id") or None


class Verifier:
    """Checks requests against one or more secrets (current first, then previous ones)."""

    def __init__(self, secrets: Sequence[str], *, names: Sequence[str] = ()) -> None:
        self._webhooks: list[Webhook] = []
        for index, secret in enumerate(secrets):
            label = names[index] if index < len(names) else f"secret #{index + 1}"
            try:
                self._webhooks.append(Webhook(secret))
            except Exception as exc:  # noqa: BLE001 - the library raises binascii.Error, ValueError, its own errors
                raise SecretError(
                    f"{label} is not a valid webhook secret ({type(exc).__name__}); copy the "
                    "whsec_... value from the provider's dashboard"
                ) from None
        if not self._webhooks:
            raise SecretError("no webhook secret configured; set the endpoint's secret variable")

    def verify(self, body: bytes, headers: Mapping[str, str]) -> None:
        """Return if authentic; raise SignatureError(reason) otherwise."""
        wanted, prefix = signature_headers(headers)
        if not all(wanted.values()):
            missing = ", ".join(prefix + k.removeprefix("webhook-") for k, v in wanted.items() if not v)
            raise SignatureError("missing_headers", f"missing header(s) {missing}; sign the request per Standard "
                                 "Webhooks (webhook-id, webhook-timestamp, webhook-signature, or the same with svix-)")
        if not _well_formed(wanted["webhook-signature"]):
            raise SignatureError("malformed_headers", prefix + _MALFORMED_SIGNATURE)
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
                    raise SignatureError("stale_timestamp", f"{prefix}timestamp is outside ±5 minutes ({message.lower()}); check clocks") from None
                if "Invalid Signature Headers" in message:
                    raise SignatureError("malformed_headers", f"{prefix}timestamp is not a unix time in seconds") from None
            except (ValueError, binascii.Error):
                raise SignatureError("malformed_headers", prefix + _MALFORMED_SIGNATURE) from None
        raise SignatureError("bad_signature", "no signature matches the configured secret(s); check the endpoint's secret")


_MALFORMED_SIGNATURE = "signature must be space-separated 'v1,<base64>' entries"


def _well_formed(signatures: str) -> bool:
    """Whether the signature header is space-separated `version,signature` entries, each v1
    signature in base64 (checked here: versions of the library differ on what they skip)."""
    entries = signatures.split()
    for entry in entries:
        version, comma, signature = entry.partition(",")
        if not comma or not version or not signature:
            return False
        if version == "v1":
            try:
                base64.b64decode(signature, validate=True)
            except (ValueError, binascii.Error):
                return False
    return bool(entries)
