"""`runner serve`: run transforms as a signed webhook endpoint that delivers to Segment."""

from __future__ import annotations

import dataclasses
import importlib.util
import os
from pathlib import Path

import click

from runner import config as cfg
from runner.cli.common import cli_error
from runner.cli.options import config_options
from runner.errors import RunnerError

GRACEFUL_SHUTDOWN_S = 30  # in-flight requests get this long to finish on SIGTERM/SIGINT
BACKLOG = 2048  # pending TCP connections; bursts from the provider queue here, not in errors


def load_config(
    transforms: tuple[Path, ...], config_path: Path | None, *, host: str | None = None, port: int | None = None,
    segment_url: str | None = None, data_dir: Path | None = None, max_body_bytes: int | None = None,
    queue: str | None = None,
) -> cfg.Config:
    """The config `config_options` (and serve's own options) mean: the simple form or --config,
    with the command line's values over the file's."""
    if config_path and transforms:
        raise click.UsageError("give either TRANSFORM files or --config, not both")
    if not config_path and not transforms:
        raise click.UsageError("give TRANSFORM files to serve, or --config runner.yaml")
    try:
        if config_path:
            config = cfg.load(config_path)
            if segment_url is not None:
                config = dataclasses.replace(config, destinations=tuple(
                    dataclasses.replace(d, base_url=segment_url) if d.type == "segment" else d for d in config.destinations))
        else:
            config = cfg.simple(list(transforms), segment_url=segment_url)
    except RunnerError as exc:
        raise cli_error(exc) from None  # may quote the config or a handler that failed to load
    server = config.server
    server = dataclasses.replace(
        server,
        host=host or server.host,
        port=server.port if port is None else port,
        max_body_bytes=max_body_bytes or server.max_body_bytes,
    )
    return dataclasses.replace(config, server=server, data_dir=data_dir or config.data_dir, queue=queue or config.queue)


@click.command()
@click.argument("transforms", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@config_options
@click.option("--host", default=None, help=f"Interface to listen on. [default: {cfg.DEFAULT_HOST}]")
@click.option("--port", type=click.IntRange(0, 65535), default=None, help=f"Port to listen on. [default: {cfg.DEFAULT_PORT}]")
@click.option("--max-body-bytes", type=click.IntRange(1), default=None,
              help=f"Larger webhook bodies get 413. [default: {cfg.DEFAULT_MAX_BODY_BYTES}]")
@click.option("--insecure-skip-verify", is_flag=True,
              help="Accept unsigned requests (local testing only: anyone could post events).")
@click.option("--log-level", type=click.Choice(["debug", "info", "warning", "error"]), default="info", show_default=True)
def serve(
    transforms: tuple[Path, ...], config_path: Path | None, segment_url: str | None, data_dir: Path | None,
    queue: str | None, host: str | None, port: int | None, max_body_bytes: int | None, insecure_skip_verify: bool,
    log_level: str,
) -> None:
    """Serve TRANSFORM files as a webhook endpoint that delivers their results.

    Accepts POST /webhooks (and /webhooks/NAME with --config), verifies the Standard Webhooks
    signature (webhook-* or svix-* headers) with the secret in $DODO_WEBHOOK_SECRET (and
    $DODO_WEBHOOK_SECRET_PREVIOUS during rotation), runs every transform, stores the results in a durable queue, answers 200, and
    delivers to Segment with the write key in $SEGMENT_WRITE_KEY. GET /healthz, GET /metrics.
    """
    import logging

    import uvicorn

    from runner.server import logs
    from runner.server.app import create_app
    from runner.server.service import Service

    config = load_config(transforms, config_path, host=host, port=port, segment_url=segment_url,
                         data_dir=data_dir, max_body_bytes=max_body_bytes, queue=queue)
    try:
        service = Service(config, environ=os.environ, insecure_skip_verify=insecure_skip_verify)
    except RunnerError as exc:
        raise cli_error(exc) from None  # may quote the config or a handler that failed to load
    logs.configure(service.secrets(), level=getattr(logging, log_level.upper()))
    if insecure_skip_verify:
        click.secho("WARNING: --insecure-skip-verify: webhook signatures are NOT checked; "
                    "anyone who can reach this port can inject events.", fg="red", bold=True, err=True)
    server = uvicorn.Server(uvicorn.Config(
        create_app(service),
        host=config.server.host,
        port=config.server.port,
        loop="uvloop" if importlib.util.find_spec("uvloop") else "asyncio",
        http="httptools" if importlib.util.find_spec("httptools") else "h11",
        lifespan="on",
        access_log=False,  # one line per webhook at thousands per second; /metrics counts them
        log_config=None,
        backlog=BACKLOG,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    ))
    server.run()
    if not server.started:
        raise click.ClickException(f"could not start listening on {config.server.host}:{config.server.port}; is the port in use?")
