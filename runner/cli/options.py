"""The options that say which config and which queue a command works on, declared once.

    queue_options    --data-dir, --config, --queue: commands that only need the queue
                     (`deliveries list`, `deliveries show`, `db upgrade`); see `queue_target`
    config_options   --config, --segment-url, --data-dir, --queue: commands that run the
                     config (`serve`, `replay`)

Every command resolves its config with `resolve_config`, the one rule: TRANSFORM files (the
simple form), else --config (or $RUNNER_CONFIG), else ./runner.yaml if it exists; then the
command line's values over the file's (--queue, or $RUNNER_QUEUE, over `queue`, and so on).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from runner import config as cfg
from runner.cli.common import cli_error
from runner.errors import ConfigError, RunnerError

F = TypeVar("F", bound=Callable[..., Any])

QUEUE_ENV = "RUNNER_QUEUE"
CONFIG_ENV = "RUNNER_CONFIG"
DEFAULT_CONFIG_FILE = "runner.yaml"  # found in the current folder when no --config or TRANSFORM is given

_CONFIG_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
_DATA_DIR = click.Path(file_okay=False, path_type=Path)


def _apply(f: F, decorators: list[Callable[[F], F]]) -> F:
    for decorator in reversed(decorators):  # listed in the order --help shows them
        f = decorator(f)
    return f


def queue_option(f: F) -> F:
    """--queue URL (or $RUNNER_QUEUE): a PostgreSQL queue instead of SQLite in --data-dir."""
    return click.option(
        "--queue", metavar="URL", envvar=QUEUE_ENV, default=None, show_envvar=True,
        help="A shared PostgreSQL queue, postgresql://USER@HOST:PORT/DATABASE (password: PGPASSWORD or "
             "~/.pgpass), instead of the SQLite queue in --data-dir. [default: queue in the config]",
    )(f)


def queue_options(f: F) -> F:
    """--data-dir, --config (read for its queue or data_dir only), --queue: the queue a command
    works on; pass them to `queue_target`."""
    return _apply(f, [
        click.option("--data-dir", type=_DATA_DIR, default=None,
                     help=f"The queue's folder. [default: {cfg.DEFAULT_DATA_DIR}, or data_dir in --config]"),
        click.option("--config", "config_path", type=_CONFIG_FILE, default=None, envvar=CONFIG_ENV, show_envvar=True,
                     help=f"Read queue (or data_dir) from this runner.yaml. [default: ./{DEFAULT_CONFIG_FILE} if it exists]"),
        queue_option,
    ])


def config_options(f: F) -> F:
    """--config, --segment-url, --data-dir, --queue: the config a command runs (with TRANSFORM
    files in its place); shared by serve and replay."""
    return _apply(f, [
        click.option("--config", "config_path", type=_CONFIG_FILE, envvar=CONFIG_ENV, show_envvar=True,
                     help="A runner.yaml with endpoints, transforms and destinations (the full form). "
                          f"[default: ./{DEFAULT_CONFIG_FILE} if it exists and no TRANSFORM files are given]"),
        click.option("--segment-url", metavar="BASE", default=None, callback=_check_segment_url,
                     help="Send Segment-bound requests here instead: replaces scheme and host "
                          "(https://api.segment.io/v1/track → BASE/v1/track). [default: the URL's own "
                          "Segment host, https://api.segment.io]"),
        click.option("--data-dir", type=_DATA_DIR, default=None,
                     help=f"Where the SQLite queue lives. [default: {cfg.DEFAULT_DATA_DIR}, or data_dir in the config]"),
        queue_option,
    ])


def find_config(config_path: Path | None, transforms: tuple[Path, ...] = ()) -> Path | None:
    """The runner.yaml a command reads: --config (or $RUNNER_CONFIG), else ./runner.yaml when
    it exists and no TRANSFORM files are given; None for the simple form (or no config)."""
    if config_path is not None or transforms:
        return config_path
    found = Path(DEFAULT_CONFIG_FILE)
    return found if found.is_file() else None


def resolve_config(
    transforms: tuple[Path, ...], config_path: Path | None, *, host: str | None = None, port: int | None = None,
    segment_url: str | None = None, data_dir: Path | None = None, max_body_bytes: int | None = None,
    queue: str | None = None, workers: int | None = None,
) -> cfg.Config | None:
    """The config every command runs or reads, resolved one way (see the module docstring):
    the simple form of `transforms`, or the runner.yaml `find_config` finds, with the command
    line's values over the file's. None when there are neither (the caller says what it needs)."""
    if config_path and transforms:
        raise click.UsageError(f"give either TRANSFORM files or --config (or ${CONFIG_ENV}), not both")
    path = find_config(config_path, transforms)
    if path is None and not transforms:
        return None
    try:
        return read_config(path, transforms, host=host, port=port, segment_url=segment_url, data_dir=data_dir,
                           max_body_bytes=max_body_bytes, queue=queue, workers=workers)
    except RunnerError as exc:
        raise cli_error(exc) from None  # may quote the config or a handler that failed to load


def read_config(
    path: Path | None, transforms: tuple[Path, ...], *, host: str | None = None, port: int | None = None,
    segment_url: str | None = None, data_dir: Path | None = None, max_body_bytes: int | None = None,
    queue: str | None = None, workers: int | None = None,
) -> cfg.Config:
    """The runner.yaml at `path` (else the simple form of `transforms`) with the command line's
    values over it: what `resolve_config` found, read again by a reload. Raises RunnerError."""
    if path:
        config = cfg.load(path)
        if segment_url is not None:
            config = dataclasses.replace(config, destinations=tuple(
                dataclasses.replace(d, base_url=segment_url) if d.type == "segment" else d for d in config.destinations))
    else:
        config = cfg.simple(list(transforms), segment_url=segment_url)
    server = dataclasses.replace(
        config.server,
        host=host or config.server.host,
        port=config.server.port if port is None else port,
        max_body_bytes=max_body_bytes or config.server.max_body_bytes,
        workers=workers or config.server.workers,
    )
    return dataclasses.replace(config, server=server, data_dir=data_dir or config.data_dir, queue=queue or config.queue)


def queue_config(queue: str | None, data_dir: Path | None, config_path: Path | None) -> cfg.Config:
    """The config `queue_options` mean (`resolve_config` without TRANSFORM files), or the
    simple form's defaults when no runner.yaml is found."""
    config = resolve_config((), config_path, data_dir=data_dir, queue=queue)
    if config is None:
        config = dataclasses.replace(cfg.simple([], data_dir=data_dir or Path(cfg.DEFAULT_DATA_DIR)), queue=queue)
    return config


def queue_target(queue: str | None, data_dir: Path | None, config_path: Path | None) -> str | Path:
    """The queue `queue_options` mean: --queue, else the config's `queue`, else --data-dir,
    else the config's (or the default) data dir. A PostgreSQL URL or a SQLite folder."""
    return target_of(queue_config(queue, data_dir, config_path))


def target_of(config: cfg.Config) -> str | Path:
    """The queue of a resolved config: its PostgreSQL URL, else its SQLite folder."""
    return config.queue or config.data_dir


def _check_segment_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        try:
            cfg.check_segment_url(value)
        except ConfigError as exc:
            raise click.BadParameter(exc.message, ctx, param) from None
    return value
