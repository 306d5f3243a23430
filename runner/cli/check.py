"""`runner check`: load handlers without running them on events."""

from __future__ import annotations

import click

from runner.cli.common import report_handler_error
from runner.engine import EnginePool, Handler
from runner.errors import HandlerError
from runner.textsafe import printable


@click.command()
@click.argument("transforms", nargs=-1, required=True)
@click.option("--color/--no-color", default=None, help="Colour the output [auto: on a terminal].")
def check(transforms: tuple[str, ...], color: bool | None) -> None:
    """Check that each TRANSFORM parses and defines `handler`, without running it on events.

    Exit status: 0 when all are valid, 1 when any is not.
    """
    bad = 0
    # The top-level code runs in an engine process behind the watchdog, never in this one.
    with EnginePool(workers=1) as pool:
        for spec in transforms:
            try:
                handler = Handler.from_file(spec)
                pool.prepare(handler)
            except HandlerError as exc:
                report_handler_error(exc, color)
                bad += 1
                continue
            click.echo(click.style("ok", fg="green", bold=True) + f"  {printable(spec)}", color=color)
    if bad:
        click.echo(f"{bad} of {len(transforms)} handler(s) failed the check", err=True)
        raise click.exceptions.Exit(1)
