"""`runner secret new`: a fresh Standard Webhooks signing secret for local tests."""

from __future__ import annotations

import click

from runner.config import DEFAULT_SECRET_ENV
from runner.signing import SECRET_BYTES, new_secret


@click.group()
def secret() -> None:
    """Signing secrets (Standard Webhooks, as Svix and the provider use them)."""


@secret.command("new")
@click.option("--bytes", "nbytes", type=click.IntRange(24, 64), default=SECRET_BYTES, show_default=True,
              help="Random bytes in the secret.")
def new(nbytes: int) -> None:
    """Print a new secret, whsec_<base64>, on stdout (and only it), e.g.

        export DODO_WEBHOOK_SECRET=$(runner secret new)

    For local tests: `runner serve` and `runner send` read it from the same variable. A real
    endpoint uses the secret the provider's dashboard shows for it.
    """
    click.echo(new_secret(nbytes))
    click.echo(f"# a new signing secret (on stdout); `runner serve` and `runner send` read it from ${DEFAULT_SECRET_ENV}:\n"
               f"#   export {DEFAULT_SECRET_ENV}=$(runner secret new)   # makes one and sets it in this shell\n"
               "# a real endpoint verifies with the secret its provider's dashboard shows", err=True)
