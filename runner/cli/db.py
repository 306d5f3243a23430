"""`runner db upgrade`: create or migrate the queue's schema; and the `--queue` option that
selects a shared PostgreSQL queue for `serve`, `deliveries` and `replay`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from runner import config as cfg
from runner.delivery import backends
from runner.delivery.store import StoreError
from runner.errors import RunnerError

QUEUE_ENV = "RUNNER_QUEUE"
F = TypeVar("F", bound=Callable[..., Any])


def queue_option(f: F) -> F:
    """--queue URL (or $RUNNER_QUEUE): a PostgreSQL queue instead of SQLite in --data-dir."""
    return click.option(
        "--queue", metavar="URL", envvar=QUEUE_ENV, default=None, show_envvar=True,
        help="A shared PostgreSQL queue, postgresql://USER@HOST:PORT/DATABASE (password: PGPASSWORD or "
             "~/.pgpass), instead of the SQLite queue in --data-dir. [default: queue in the config]",
    )(f)


def resolve(queue: str | None, data_dir: Path | None, config_path: Path | None) -> str | Path:
    """The queue meant by --queue, else the config's `queue`, else its (or the default) data dir."""
    if queue:
        return queue
    if config_path:
        try:
            config = cfg.load(config_path)
        except RunnerError as exc:
            raise click.ClickException(str(exc)) from None
        if config.queue:
            return config.queue
        return data_dir or config.data_dir
    return data_dir or Path(cfg.DEFAULT_DATA_DIR)


@click.group()
def db() -> None:
    """Manage the queue's database schema."""


@db.command()
@queue_option
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=f"The SQLite queue's folder. [default: {cfg.DEFAULT_DATA_DIR}, or data_dir in --config]")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Read queue (or data_dir) from this runner.yaml.")
def upgrade(queue: str | None, data_dir: Path | None, config_path: Path | None) -> None:
    """Create the queue's tables, or migrate them to this runner's schema version.

    Run it once before the first `runner serve --queue postgresql://...`, and after
    upgrading runner, before starting the new version. Safe to run again or from several
    machines at once. (A SQLite queue is also upgraded whenever it is opened.)
    """
    target = resolve(queue, data_dir, config_path)
    try:
        before, after = backends.upgrade(target)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    where = backends.describe(target)
    if before == after:
        click.echo(f"{where}: schema version {after}, up to date")
    else:
        click.echo(f"{where}: schema upgraded from version {before} to {after}")
