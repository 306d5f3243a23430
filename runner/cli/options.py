"""The options that say which config and which queue a command works on, declared once.

    queue_options    --data-dir, --config, --queue: commands that only need the queue
                     (`deliveries list`, `deliveries show`, `db upgrade`); see `queue_target`
    config_options   --config, --segment-url, --data-dir, --queue: commands that run the
                     config (`serve`, `replay`); see `runner.cli.serve.load_config`
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from runner import config as cfg
from runner.cli.common import cli_error
from runner.errors import ConfigError, RunnerError

F = TypeVar("F", bound=Callable[..., Any])

QUEUE_ENV = "RUNNER_QUEUE"

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
        click.option("--config", "config_path", type=_CONFIG_FILE, default=None,
                     help="Read queue (or data_dir) from this runner.yaml."),
        queue_option,
    ])


def config_options(f: F) -> F:
    """--config, --segment-url, --data-dir, --queue: the config a command runs (with TRANSFORM
    files in its place); shared by serve and replay."""
    return _apply(f, [
        click.option("--config", "config_path", type=_CONFIG_FILE,
                     help="A runner.yaml with endpoints, transforms and destinations (the full form)."),
        click.option("--segment-url", metavar="BASE", default=None, callback=_check_segment_url,
                     help="Send Segment-bound requests here instead: replaces scheme and host "
                          "(https://api.segment.io/v1/track → BASE/v1/track). [default: the URL's own "
                          "Segment host, https://api.segment.io]"),
        click.option("--data-dir", type=_DATA_DIR, default=None,
                     help=f"Where the SQLite queue lives. [default: {cfg.DEFAULT_DATA_DIR}, or data_dir in the config]"),
        queue_option,
    ])


def queue_target(queue: str | None, data_dir: Path | None, config_path: Path | None) -> str | Path:
    """The queue `queue_options` mean: --queue, else the config's `queue`, else --data-dir,
    else the config's (or the default) data dir. A PostgreSQL URL or a SQLite folder."""
    if queue:
        return queue
    if config_path:
        try:
            config = cfg.load(config_path)
        except RunnerError as exc:
            raise cli_error(exc) from None  # may quote the config file
        if config.queue:
            return config.queue
        return data_dir or config.data_dir
    return data_dir or Path(cfg.DEFAULT_DATA_DIR)


def _check_segment_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        try:
            cfg.check_segment_url(value)
        except ConfigError as exc:
            raise click.BadParameter(exc.message, ctx, param) from None
    return value
