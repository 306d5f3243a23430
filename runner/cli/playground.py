"""`runner playground`: the web playground on localhost."""

from __future__ import annotations

import ipaddress
import webbrowser
from pathlib import Path

import click

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8787, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0 picks a free one).")
@click.option("--transforms", "transforms_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("transforms"), show_default=True, help="Directory of bundled *.js handlers.")
@click.option("--samples", "samples_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("samples"), show_default=True, help="Directory of <event type>.json webhook bodies.")
@click.option("--env", "env_pairs", multiple=True, metavar="NAME=VALUE",
              help="A webhook.env variable for handlers (repeatable); values are masked in the page.")
@click.option("--no-open", is_flag=True, help="Do not open a browser.")
def playground(host: str, port: int, transforms_dir: Path, samples_dir: Path,
               env_pairs: tuple[str, ...], no_open: bool) -> None:
    """Open the web playground: paste a handler, pick a sample, see what would be sent."""
    # Imported here so other commands do not pay for the web stack.
    from runner.playground import PlaygroundConfigError, create_app
    from runner.playground.serving import bind, server_for, url_of

    env = dict(_parse_env(pair) for pair in env_pairs)
    try:
        app = create_app(
            transforms_dir=transforms_dir,
            samples_dir=samples_dir,
            env=env,
            # A local playground checks the Host header, so a web page cannot reach it by DNS rebinding.
            allowed_hosts=["localhost", "127.0.0.1", "[::1]"] if _is_loopback(host) else None,
        )
    except PlaygroundConfigError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        sock = bind(host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}; try --port 0") from None
    url = url_of(sock)
    click.echo(f"runner playground: {url}  (Ctrl+C to stop)")
    if not no_open:
        webbrowser.open(url)
    server_for(app).run(sockets=[sock])


def _parse_env(pair: str) -> tuple[str, str]:
    name, sep, value = pair.partition("=")
    if not sep or not name:
        raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="--env")
    return name, value


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
