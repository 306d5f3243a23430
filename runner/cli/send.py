"""`runner send`: sign sample webhooks as the provider does and POST them to an endpoint."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import click
import httpx

from runner import config as cfg
from runner.cli.common import cli_error, read_samples
from runner.errors import RunnerError, SecretError
from runner.signing import HeaderStyle, signed_headers, webhook
from runner.textsafe import printable

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # what --secret-env may name
_WEBHOOK_ID = re.compile(r"[!-~]{1,256}")  # what --webhook-id may be: printable ASCII, no spaces
DEFAULT_TO = "http://127.0.0.1:8080/webhooks"
BODY_CLIP = 300  # characters of a foreign server's answer that are shown
TIMEOUT_S = 30.0


class _UsageError(click.ClickException):
    """`Error: ...` with exit status 2 (bad usage; nothing was sent), without click's usage line."""

    exit_code = 2


def _usage_error(message: str) -> click.ClickException:
    return _UsageError(message)


def _target(to: str | None, endpoint: str | None, config: cfg.Config | None) -> str:
    """The URL to post to: --to as given when it has a path; else /webhooks[/ENDPOINT] on --to's
    host, or on 127.0.0.1 at the config's port, or at DEFAULT_TO's."""
    if endpoint is not None and not cfg.is_name(endpoint):
        # It becomes a URL path segment: `../metrics` or `a/b` would post somewhere else.
        raise _usage_error(f"--endpoint: {printable(endpoint)!r} is not an endpoint name "
                           "(letters, digits, '_', '.', '-', up to 64 characters, starting with a letter or digit)")
    path = "/webhooks" if endpoint is None else f"/webhooks/{endpoint}"
    if to is None:
        port = config.server.port if config is not None else urlsplit(DEFAULT_TO).port
        return f"http://127.0.0.1:{port}{path}"
    try:
        parts = urlsplit(to)
    except ValueError:  # e.g. an unclosed `[` IPv6 host
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise _usage_error(f"--to: expected an http(s):// URL such as {DEFAULT_TO}, got {printable(to)!r}")
    if parts.path in ("", "/"):
        return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
    return to


def _secret_env(secret_env: str | None, endpoint: str | None, config: cfg.Config | None) -> str:
    if secret_env is not None:
        if not _ENV_NAME.fullmatch(secret_env) or secret_env.lower().startswith("whsec_"):  # e.g. `--secret-env "$DODO_WEBHOOK_SECRET"`: never echo it
            raise _usage_error("--secret-env takes the name of the environment variable that holds the secret "
                               f"(e.g. {cfg.DEFAULT_SECRET_ENV}), not the secret itself")
        return secret_env
    if config is None:
        return cfg.DEFAULT_SECRET_ENV
    name = endpoint or cfg.DEFAULT_ENDPOINT
    found = config.endpoint(name)
    if found is None:
        names = ", ".join(e.name for e in config.endpoints)
        raise _usage_error(f"--endpoint: the config has no endpoint {printable(name)!r} (it has: {printable(names)})")
    if not found.secret_env:
        raise _usage_error(f"endpoint {printable(name)!r} has no secret_env; name the secret's variable with --secret-env")
    return found.secret_env


def answer_text(response: httpx.Response) -> str:
    """The server's answer in one line: runner's JSON compactly (status, each transform's
    status, or the error and its message); any other body clipped."""
    try:
        data: Any = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        if isinstance(data.get("status"), str) and isinstance(data.get("transforms"), list):
            parts = []
            for item in data["transforms"]:
                if isinstance(item, dict):
                    text = f"{item.get('name')}: {item.get('status')}"
                    reason = item.get("reason")
                    if reason and item.get("status") not in ("pending", "skipped"):  # skipped: no URL set, always
                        reason = " ".join(str(reason).split())
                        text += f" ({reason if len(reason) <= 120 else reason[:120] + '…'})"
                    parts.append(text)
            event = f" event {data['event_id']}" if data["status"] == "accepted" and data.get("event_id") else ""
            return f"{data['status']}{event}" + (f"  [{', '.join(parts)}]" if parts else "")
        if isinstance(data.get("error"), str):
            return f"{data['error']}: {data.get('message', '')}".rstrip(": ")
    text = " ".join(response.text.split())
    return text if len(text) <= BODY_CLIP else text[:BODY_CLIP] + f"… ({len(response.content)} bytes)"


@click.command()
@click.argument("samples", nargs=-1)
@click.option("--to", default=None, metavar="URL",
              help=f"Where to POST; a URL without a path gets /webhooks[/ENDPOINT]. [default: {DEFAULT_TO}, "
                   "or /webhooks/ENDPOINT at the config's port]")
@click.option("--secret-env", default=None, metavar="NAME",
              help=f"The environment variable holding the signing secret. [default: {cfg.DEFAULT_SECRET_ENV}, "
                   "or the endpoint's secret_env in --config]")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A runner.yaml: take --endpoint's secret_env and port from it.")
@click.option("--endpoint", default=None, metavar="NAME",
              help="The endpoint to send to: URL path /webhooks/NAME, and its secret_env with --config. [default: default]")
@click.option("--webhook-id", default=None, metavar="ID",
              help="The webhook-id to send (the same for every sample; a repeat is answered `duplicate`). "
                   "[default: a new msg_... per send]")
@click.option("--header-style", type=click.Choice(["webhook", "svix"]), default="webhook", show_default=True,
              help="Standard Webhooks webhook-* headers, or Svix's svix-* names for the same signature.")
def send(samples: tuple[str, ...], to: str | None, secret_env: str | None, config_path: Path | None,
         endpoint: str | None, webhook_id: str | None, header_style: HeaderStyle) -> None:
    """Sign each SAMPLE (a file, or a directory of .json; default samples/) with the secret in
    $DODO_WEBHOOK_SECRET, as the provider signs webhooks, and POST it to `runner serve`.

    A Svix message sample sends its payload. Prints each sample's HTTP status and the answer.

    Exit status: 0 when every send got a 2xx answer, 1 when one did not or the server could not
    be reached, 2 for bad usage (a missing secret variable, a bad sample: nothing is sent).
    """
    config = None
    if config_path is not None:
        try:
            config = cfg.load(config_path)
        except RunnerError as exc:
            raise cli_error(exc) from None
    url = _target(to, endpoint, config)
    if webhook_id is not None and not _WEBHOOK_ID.fullmatch(webhook_id):  # a header value: printable ASCII
        raise _usage_error(f"--webhook-id: {printable(webhook_id)!r} cannot be sent as a header; use printable "
                           "ASCII without spaces, e.g. msg_2Lb0TbqJp1")
    variable = _secret_env(secret_env, endpoint, config)
    secret = os.environ.get(variable, "")
    if not secret:
        raise _usage_error(f"environment variable {printable(variable)} is not set: it holds the signing secret "
                           f"(whsec_...) that `runner serve` verifies with; export it (a new one for tests: "
                           f"`runner secret new`), or name another variable with --secret-env")
    try:
        signer = webhook(secret, f"${variable}")
    except SecretError as exc:
        raise _usage_error(printable(str(exc))) from None
    items = read_samples(samples)
    failed = 0
    with httpx.Client(timeout=TIMEOUT_S) as client:
        for sample in items:
            headers = signed_headers(signer, sample.body, webhook_id=webhook_id, style=header_style)
            try:
                response = client.post(url, content=sample.body.encode("utf-8"), headers=headers)
            except httpx.ConnectError:
                raise click.ClickException(f"could not connect to {printable(url)}: is `runner serve` running?") from None
            except httpx.HTTPError as exc:
                click.echo(f"{printable(sample.path)}  ---  {printable(type(exc).__name__)}: {printable(str(exc))}")
                failed += 1
                continue
            ok = 200 <= response.status_code < 300
            failed += not ok
            status = click.style(str(response.status_code), fg="green" if ok else "red", bold=True)
            click.echo(f"{printable(sample.path)}  {status}  {printable(answer_text(response))}")
    if len(items) > 1 or failed:
        click.echo(f"{len(items)} sent to {printable(url)}: {len(items) - failed} answered 2xx, {failed} not", err=True)
    if failed:
        raise click.exceptions.Exit(1)

