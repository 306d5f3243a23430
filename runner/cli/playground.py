"""`runner playground`: the web playground on localhost."""

from __future__ import annotations

import os
import webbrowser
from pathlib import Path

import click

from runner.cli.common import build_limits, build_settings, handler_options, parse_env


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8787, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0 picks a free one).")
@click.option("--transforms", "transforms_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("transforms"), show_default=True, help="Directory of bundled *.js handlers.")
@click.option("--samples", "samples_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("samples"), show_default=True, help="Directory of <event type>.json webhook bodies.")
@click.option("--no-open", is_flag=True, help="Do not open a browser.")
@handler_options
def playground(host: str, port: int, transforms_dir: Path, samples_dir: Path, no_open: bool, url: str,
               env_pairs: tuple[str, ...], locale: str | None, time_zone: str | None, now: str | None,
               time_limit_ms: int | None, memory_limit_mb: int | None) -> None:
    """Open the web playground: paste a handler, pick a sample, see what would be sent.

    Handlers run with the same engine, limits and JavaScript settings as `runner preview`
    (same options). The Segment write key is read from SEGMENT_WRITE_KEY like `runner serve`
    does, and only ever shown masked; --env values are masked too.
    """
    # Imported here so other commands do not pay for the web stack.
    from runner.playground import PlaygroundConfigError, create_app
    from runner.playground.app import allowed_hosts_for
    from runner.playground.serving import bind, server_for, url_of

    try:
        app = create_app(
            transforms_dir=transforms_dir,
            samples_dir=samples_dir,
            limits=build_limits(time_limit_ms, memory_limit_mb),
            settings=build_settings(locale, time_zone, now),
            endpoint_url=url,
            env=parse_env(env_pairs),
            environ=os.environ,
            # A local playground checks the Host header, so a web page cannot reach it by DNS rebinding.
            allowed_hosts=allowed_hosts_for(host),
        )
    except PlaygroundConfigError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        sock = bind(host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}; try --port 0") from None
    address = url_of(sock)
    click.echo(f"runner playground: {address}  (Ctrl+C to stop)")
    if not no_open:
        webbrowser.open(address)
    server_for(app).run(sockets=[sock])
