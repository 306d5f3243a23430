"""`runner check`: load handlers without running them on events."""

from __future__ import annotations

import click

from runner.cli.common import report_handler_error
from runner.engine import Engine, Handler
from runner.errors import HandlerError


@click.command()
@click.argument("transforms", nargs=-1, required=True)
@click.option("--color/--no-color", default=None, help="Colour the output [auto: on a terminal].")
def check(transforms: tuple[str, ...], color: bool | None) -> None:
    """Check that each TRANSFORM parses and defines `handler`, without running it on events.

    Exit status: 0 when all are valid, 1 when any is not.
    """
    engine = Engine()
    bad = 0
    for spec in transforms:
        try:
            handler = Handler.from_file(spec)
            engine.prepare(handler)
        except HandlerError as exc:
            report_handler_error(exc, color)
            bad += 1
            continue
        click.echo(click.style("ok", fg="green", bold=True) + f"  {spec}", color=color)
    engine.close()
    if bad:
        click.echo(f"{bad} of {len(transforms)} handler(s) failed the check", err=True)
        raise click.exceptions.Exit(1)
