"""`runner serve`: run transforms as a signed webhook endpoint that delivers to Segment."""

from __future__ import annotations

import errno
import functools
import importlib.util
import os
import signal
import socket
from pathlib import Path

import click

from runner import config as cfg
from runner.cli.common import cli_error
from runner.cli.options import config_options, find_config, read_config, resolve_config
from runner.errors import RunnerError

GRACEFUL_SHUTDOWN_S = 30  # in-flight requests get this long to finish on SIGTERM/SIGINT
BACKLOG = 2048  # pending TCP connections; bursts from the provider queue here, not in errors


def load_config(
    transforms: tuple[Path, ...], config_path: Path | None, *, host: str | None = None, port: int | None = None,
    segment_url: str | None = None, data_dir: Path | None = None, max_body_bytes: int | None = None,
    queue: str | None = None,
) -> cfg.Config:
    """The config `config_options` (and serve's own options) mean: `resolve_config`, the rule
    every command shares; serve needs TRANSFORM files or a runner.yaml."""
    config = resolve_config(transforms, config_path, host=host, port=port, segment_url=segment_url,
                            data_dir=data_dir, max_body_bytes=max_body_bytes, queue=queue)
    if config is None:
        raise click.UsageError("give TRANSFORM files to serve, or --config runner.yaml (or run it where runner.yaml is)")
    return config


@click.command()
@click.argument("transforms", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@config_options
@click.option("--host", default=None, help=f"Interface to listen on. [default: {cfg.DEFAULT_HOST}]")
@click.option("--port", type=click.IntRange(0, 65535), default=None, help=f"Port to listen on. [default: {cfg.DEFAULT_PORT}]")
@click.option("--max-body-bytes", type=click.IntRange(1), default=None,
              help=f"Larger webhook bodies get 413. [default: {cfg.DEFAULT_MAX_BODY_BYTES}]")
@click.option("--insecure-skip-verify", is_flag=True,
              help="Accept unsigned requests (local testing only: anyone could post events).")
@click.option("--watch", is_flag=True,
              help="Reload the config and transforms when one of their files changes (as on SIGHUP: "
                   "checked first; on any error the running ones are kept and the log says why).")
@click.option("--log-level", type=click.Choice(["debug", "info", "warning", "error"]), default="info", show_default=True)
@click.option("--log-format", type=click.Choice(["json", "text"]), default=None,
              help="Log lines on stderr: JSON, or `HH:MM:SS.mmm LEVEL event key=value` text. "
                   "[default: text on a terminal, json otherwise]")
def serve(
    transforms: tuple[Path, ...], config_path: Path | None, segment_url: str | None, data_dir: Path | None,
    queue: str | None, host: str | None, port: int | None, max_body_bytes: int | None, insecure_skip_verify: bool,
    watch: bool, log_level: str, log_format: str | None,
) -> None:
    """Serve TRANSFORM files as a webhook endpoint that delivers their results.

    Accepts POST /webhooks (and /webhooks/NAME with --config), verifies the Standard Webhooks
    signature (webhook-* or svix-* headers) with the secret in $DODO_WEBHOOK_SECRET (and
    $DODO_WEBHOOK_SECRET_PREVIOUS during rotation), runs every transform, stores the results in a durable queue, answers 200, and
    delivers to Segment with the write key in $SEGMENT_WRITE_KEY. GET /healthz, GET /metrics.

    SIGHUP (and, with --watch, saving a file) reloads the config and transforms without a
    restart or a lost webhook; SIGTERM or Ctrl-C stops after in-flight work is done.
    """
    import logging

    import uvicorn

    from runner.server import logs
    from runner.server.app import create_app
    from runner.server.reload import Reloader
    from runner.server.service import Service

    if hasattr(signal, "SIGHUP"):
        # Until the server listens for it (a reload), a SIGHUP must not end it: a reload sent
        # while it starts is seen by the reloader, which compares the files with those read.
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    config = load_config(transforms, config_path, host=host, port=port, segment_url=segment_url,
                         data_dir=data_dir, max_body_bytes=max_body_bytes, queue=queue)
    # A reload reads what this start read (the same file, or TRANSFORM files) with the same options.
    reread = functools.partial(read_config, find_config(config_path, transforms), transforms, host=host, port=port,
                               segment_url=segment_url, data_dir=data_dir, max_body_bytes=max_body_bytes, queue=queue)
    check_port_free(config.server.host, config.server.port)
    try:
        service = Service(config, environ=os.environ, insecure_skip_verify=insecure_skip_verify)
    except RunnerError as exc:
        raise cli_error(exc) from None  # may quote the config or a handler that failed to load
    handler = logs.configure(service.secrets(), level=getattr(logging, log_level.upper()),
                             fmt="text" if log_format == "text" else "json" if log_format == "json" else logs.default_format())
    # A reload may bring secrets of its own (a new endpoint's, a new header's): redact them too.
    reloader = Reloader(service, reread, watch=watch, on_reload=lambda: logs.update_secrets(handler, service.secrets()))
    if insecure_skip_verify:
        click.secho("WARNING: --insecure-skip-verify: webhook signatures are NOT checked; "
                    "anyone who can reach this port can inject events.", fg="red", bold=True, err=True)
    server = uvicorn.Server(uvicorn.Config(
        create_app(service, reloader),
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
    try:
        server.run()
    except SystemExit:
        if server.started:
            raise
        # uvicorn logged why and exits 3: say so plainly if the port was taken since the check
        check_port_free(config.server.host, config.server.port)
        raise
    if not server.started:
        raise click.ClickException(f"could not start listening on {config.server.host}:{config.server.port}; is the port in use?")


def check_port_free(host: str, port: int) -> None:
    """Raise ClickException, saying what to do, when `port` on `host` is taken (found by binding
    it as the server will, then letting go); other failures are left to the server to report."""
    if port == 0:
        return
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError:
        return
    for family, kind, proto, _, address in infos:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
            try:
                probe.bind(address)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    raise click.ClickException(f"port {port} on {host} is in use (another runner serve?); "
                                               "pass --port or stop it") from None
