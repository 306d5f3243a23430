"""The `runner` command line: a thin shell over the Python API, one module per command group."""

from __future__ import annotations

import click

from runner import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="runner")
def main() -> None:
    """Run payment-provider webhook transformations outside the dashboard.

    Preview handlers on sample payloads, test them against snapshots, and serve them as a
    signed webhook endpoint that delivers to Segment.
    """


def _register() -> None:
    # Each command group lives in its own module; importing it here keeps `main` the one entry.
    from runner.cli import (
        check,
        db,
        deliveries,
        init,
        playground,
        preview,
        secret,
        send,
        serve,
        snapshot_tests,
    )

    main.add_command(preview.preview)
    main.add_command(check.check)
    main.add_command(snapshot_tests.test)
    main.add_command(playground.playground)
    main.add_command(serve.serve)
    main.add_command(serve.serve_worker)
    main.add_command(deliveries.deliveries)
    main.add_command(deliveries.replay)
    main.add_command(db.db)
    main.add_command(init.init)
    main.add_command(secret.secret)
    main.add_command(send.send)


_register()
