"""`runner serve`: run transforms as a signed webhook endpoint that delivers to Segment."""

from __future__ import annotations

import errno
import functools
import json
import os
import shutil
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from runner import config as cfg
from runner.cli.common import cli_error
from runner.cli.options import config_options, find_config, read_config, resolve_config
from runner.errors import RunnerError

if TYPE_CHECKING:
    from runner.server.logs import LogFormat
    from runner.server.reload import Reloader, Signature
    from runner.server.service import Service

WORKER_COMMAND = "serve-worker"  # the hidden command each process of `serve --workers N` runs


def load_config(
    transforms: tuple[Path, ...], config_path: Path | None, *, host: str | None = None, port: int | None = None,
    segment_url: str | None = None, data_dir: Path | None = None, max_body_bytes: int | None = None,
    queue: str | None = None, workers: int | None = None,
) -> cfg.Config:
    """The config `config_options` (and serve's own options) mean: `resolve_config`, the rule
    every command shares; serve needs TRANSFORM files or a runner.yaml."""
    config = resolve_config(transforms, config_path, host=host, port=port, segment_url=segment_url,
                            data_dir=data_dir, max_body_bytes=max_body_bytes, queue=queue, workers=workers)
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
@click.option("--workers", type=click.IntRange(1, cfg.MAX_WORKERS), default=None,
              help="Processes taking webhooks, on one port and one queue (one more delivers). "
                   f"[default: server.workers, else one per two cores, at most {cfg.MAX_AUTO_WORKERS}]")
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
    queue: str | None, host: str | None, port: int | None, max_body_bytes: int | None, workers: int | None,
    insecure_skip_verify: bool, watch: bool, log_level: str, log_format: str | None,
) -> None:
    """Serve TRANSFORM files as a webhook endpoint that delivers their results.

    Accepts POST /webhooks (and /webhooks/NAME with --config), verifies the Standard Webhooks
    signature (webhook-* or svix-* headers) with the secret in $DODO_WEBHOOK_SECRET (and
    $DODO_WEBHOOK_SECRET_PREVIOUS during rotation), runs every transform, stores the results in a durable queue, answers 200, and
    delivers to Segment with the write key in $SEGMENT_WRITE_KEY. GET /healthz, GET /metrics.

    SIGHUP (and, with --watch, saving a file) reloads the config and transforms without a
    restart or a lost webhook; SIGTERM or Ctrl-C stops after in-flight work is done.

    With --workers N above 1, N processes take webhooks on the one port and one more delivers;
    SIGHUP to this process reloads them all, and one that dies is started again.
    """
    if hasattr(signal, "SIGHUP"):
        # Until the server listens for it (a reload), a SIGHUP must not end it: a reload sent
        # while it starts is seen by the reloader, which compares the files with those read.
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    options: dict[str, Any] = {"host": host, "port": port, "segment_url": segment_url, "data_dir": data_dir,
                               "max_body_bytes": max_body_bytes, "queue": queue, "workers": workers}
    from runner.server.reload import signatures, watched_paths

    # The files as they were before they were read: an edit made while the server starts (and
    # the SIGHUP sent with it, which nothing listens for yet) is a change once it listens.
    config_file = find_config(config_path, transforms)
    read_as = signatures([config_file] if config_file else [])
    config = load_config(transforms, config_path, **options)
    read_as |= signatures([p for p in watched_paths(config) if p not in read_as])
    check_port_free(config.server.host, config.server.port)
    fmt: LogFormat | None = "text" if log_format == "text" else "json" if log_format == "json" else None
    if cfg.worker_count(config.server) > 1:
        raise SystemExit(_supervise(config, transforms, config_file, options, read_as,
                                    insecure=insecure_skip_verify, watch=watch, log_level=log_level, log_format=fmt))
    from runner.server.app import create_app
    from runner.server.service import Service
    from runner.server.worker import http_server

    # A reload reads what this start read (the same file, or TRANSFORM files) with the same options.
    reread = functools.partial(read_config, config_file, transforms, **options)
    try:
        service = Service(config, environ=os.environ, insecure_skip_verify=insecure_skip_verify)
    except RunnerError as exc:
        raise cli_error(exc) from None  # may quote the config or a handler that failed to load
    reloader = _logging_and_reloader(service, reread, watch=watch, log_level=log_level, log_format=fmt, read_as=read_as)
    if insecure_skip_verify:
        _warn_insecure()
    server = http_server(create_app(service, reloader), config)
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


@click.command(WORKER_COMMAND, hidden=True)
def serve_worker() -> None:
    """One process of `runner serve --workers N`, started by its supervisor, which writes what
    it is to run (the serve options, its role, its file descriptors) as JSON on stdin."""
    from runner.errors import ServeError
    from runner.server import snapshot
    from runner.server.app import create_app
    from runner.server.service import Service
    from runner.server.supervisor import READY
    from runner.server.worker import http_server, run_dispatch, waker, watch_parent

    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as serve: until the reloader listens
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGHUP})  # blocked by the supervisor while it started us
    # stdout is the supervisor's pipe for "ready": kept for that alone, so that nothing else
    # (an engine worker inherits fd 1) writes into it or holds it open.
    ready_fd = os.dup(sys.stdout.fileno())
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    spec = json.loads(sys.stdin.read())
    watch_parent(spec["parent"])
    role = spec["role"]
    try:
        shared = snapshot.ChildConfig(Path(spec["snapshot"]))
        service = Service(shared.config, environ=os.environ, insecure_skip_verify=spec["insecure"], purpose=role,
                          notify=waker(spec["wake_fd"]) if role == "ingest" else None)
    except RunnerError as exc:
        raise cli_error(exc) from None
    if shared.refused is not None:
        service.metrics.reload_ok.set(0)  # as the processes that saw the reload refused
    name = "dispatcher" if role == "dispatch" else f"worker-{spec['index']}"

    def after_reload() -> None:
        refused = shared.reloaded()
        if refused is not None:  # it had missed a good reload that a refused one followed
            reloader.failed("SIGHUP", ServeError(refused))

    # A reload reads the snapshot the supervisor wrote (it reads and checks the files, and
    # watches them with --watch), not the files.
    reloader = _logging_and_reloader(service, shared.load, watch=False, log_level=spec["log_level"],
                                     log_format=spec["log_format"], fields={"worker": name}, after_reload=after_reload,
                                     paths=lambda _: [shared.path], read_as=shared.read_as)
    config = shared.config

    def ready() -> None:
        os.write(ready_fd, READY)

    if role == "dispatch":
        import asyncio

        asyncio.run(run_dispatch(service, reloader, spec["wake_fd"], ready))
        return
    listening = [socket.socket(fileno=fd) for fd in spec["listen_fds"]]
    http_server(create_app(service, reloader, on_started=ready), config).run(sockets=listening)


def _supervise(config: cfg.Config, transforms: tuple[Path, ...], config_path: Path | None, options: dict[str, Any],
               read_as: dict[Path, Signature], *, insecure: bool, watch: bool, log_level: str,
               log_format: LogFormat | None) -> int:
    """Run `serve --workers N`: check the config whole, take the data folder's lock, bind the
    port, then run the supervisor (runner.server.supervisor) until stopped; its exit code."""
    from prometheus_client.multiprocess import mark_process_dead

    from runner.delivery.backends import is_postgres_url, open_store
    from runner.delivery.lock import ServeLock
    from runner.server import logs
    from runner.server.metrics import MULTIPROCESS_ENV, multiprocess_folder
    from runner.server.service import check
    from runner.server.snapshot import FILENAME as SNAPSHOT_FILENAME
    from runner.server.snapshot import SharedConfig
    from runner.server.supervisor import Supervisor
    from runner.server.worker import GRACEFUL_SHUTDOWN_S

    try:
        checked = check(config, os.environ, signing=not insecure)  # the children check again: this says it once
    except RunnerError as exc:
        raise cli_error(exc) from None
    target = config.queue or config.data_dir
    lock = None if is_postgres_url(target) else ServeLock.acquire(config.data_dir)
    metrics_dir = str(multiprocess_folder())
    try:
        # Created or migrated once, here: not by several processes at once.
        open_store(target, synchronous=config.delivery.synchronous).close_sync()
        listening = _bind(config.server.host, config.server.port)
        secrets = sorted(set(cfg.secrets.values(config, os.environ)))
        # Resolved here, on this process's stderr, which the children share.
        log_format = log_format or logs.default_format()
        handler = logs.configure(secrets, level=_level(log_level), fmt=log_format, fields={"worker": "supervisor"})
        if insecure:
            _warn_insecure()
        try:
            shared = SharedConfig(
                Path(metrics_dir) / SNAPSHOT_FILENAME, config, checked.handlers,
                functools.partial(read_config, config_path, transforms, **options), os.environ, signing=not insecure,
                watch=watch, read_as=read_as,
                on_reload=lambda new: logs.update_secrets(handler, set(secrets) | set(cfg.secrets.values(new, os.environ))))
        except OSError as exc:
            raise click.ClickException(f"cannot write the server's runtime files in {metrics_dir}: "
                                       f"{exc.strerror or exc}; free space in the temporary folder (or set TMPDIR)") from None
        spec = {"snapshot": str(shared.path), "insecure": insecure, "log_level": log_level, "log_format": log_format}
        supervisor = Supervisor(
            [sys.executable, "-m", "runner", WORKER_COMMAND], spec, workers=cfg.worker_count(config.server),
            sockets=listening, keep_fds=[lock.fileno()] if lock else [], env=os.environ | {MULTIPROCESS_ENV: metrics_dir},
            graceful_s=GRACEFUL_SHUTDOWN_S, drain_s=config.delivery.timeout_s, on_child_exit=lambda pid: mark_process_dead(pid, metrics_dir),  # type: ignore[no-untyped-call]
            reload=shared.reload, changes=shared.changes, on_spawn=lock.record if lock else None,
        )
        try:
            code = supervisor.run()
        finally:
            for sock in listening:
                sock.close()
        import logging

        logging.getLogger("runner.serve").info("serve.stopped")
        return code
    except RunnerError as exc:
        raise cli_error(exc) from None
    finally:
        shutil.rmtree(metrics_dir, ignore_errors=True)
        if lock is not None:
            lock.release()


def _bind(host: str, port: int) -> list[socket.socket]:
    """The listening sockets every worker accepts on: one per address of `host` (`localhost` is
    often ::1 and 127.0.0.1), as uvicorn (asyncio's create_server) binds them, all on one port
    (with port 0, the one the kernel chose for the first)."""
    from runner.server.worker import BACKLOG

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sockets: list[socket.socket] = []
    try:
        for family, kind, proto, _, address in dict.fromkeys(infos):
            sock = socket.socket(family, kind, proto)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                # Only the IPv6 address: an IPv4 one of the host gets its own socket.
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            if sockets[1:]:
                address = (address[0], sockets[0].getsockname()[1], *address[2:])
            sock.bind(address)
            sock.listen(BACKLOG)
    except OSError as exc:
        for sock in sockets:
            sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise _port_in_use(host, port) from None
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sockets


def _level(name: str) -> int:
    import logging

    return int(getattr(logging, name.upper()))


def _logging_and_reloader(service: Service, reread: Callable[[], cfg.Config], *, watch: bool, log_level: str,
                          log_format: LogFormat | None, fields: dict[str, object] | None = None,
                          after_reload: Callable[[], None] = lambda: None, **reloader: Any) -> Reloader:
    """Configure the log lines with the service's secrets redacted, and a Reloader (given
    `reloader`'s other arguments) that keeps that redaction up to date with what each reload
    brings (a new endpoint's secret, ...), then calls `after_reload`."""
    from runner.server import logs
    from runner.server.reload import Reloader

    handler = logs.configure(service.secrets(), level=_level(log_level), fmt=log_format or logs.default_format(),
                             fields=fields)

    def on_reload() -> None:
        logs.update_secrets(handler, service.secrets())
        after_reload()

    return Reloader(service, reread, watch=watch, on_reload=on_reload, **reloader)


def _warn_insecure() -> None:
    click.secho("WARNING: --insecure-skip-verify: webhook signatures are NOT checked; "
                "anyone who can reach this port can inject events.", fg="red", bold=True, err=True)


def _port_in_use(host: str, port: int) -> click.ClickException:
    return click.ClickException(f"port {port} on {host} is in use (another runner serve?); pass --port or stop it")


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
                    raise _port_in_use(host, port) from None
