"""`runner db upgrade`: create or migrate the queue's schema."""

from __future__ import annotations

from pathlib import Path

import click

from runner.cli.options import queue_options, queue_target
from runner.delivery import backends
from runner.delivery.store import StoreError


@click.group()
def db() -> None:
    """Manage the queue's database schema."""


@db.command()
@queue_options
def upgrade(data_dir: Path | None, config_path: Path | None, queue: str | None) -> None:
    """Create the queue's tables, or migrate them to this runner's schema version.

    Run it once before the first `runner serve --queue postgresql://...`, and after
    upgrading runner, before starting the new version. Safe to run again or from several
    machines at once. (A SQLite queue is also upgraded whenever it is opened.)
    """
    target = queue_target(queue, data_dir, config_path)
    try:
        before, after = backends.upgrade(target)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    where = backends.describe(target)
    if before == after:
        click.echo(f"{where}: schema version {after}, up to date")
    else:
        click.echo(f"{where}: schema upgraded from version {before} to {after}")
