"""`runner init [DIR]`: a project to start from: runner.yaml, the seed handlers, the samples."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import click

from runner.textsafe import printable

ENV_EXAMPLE = """\
# The variables runner.yaml names. Set them in the shell that runs `runner serve`
# (and `runner send`), e.g. `set -a; . ./.env; set +a` after copying this file to .env.
DODO_WEBHOOK_SECRET=
SEGMENT_WRITE_KEY=
"""


def project_files() -> dict[str, bytes]:
    """What `runner init` writes, relative path → content: runner.yaml, transforms/*.js and
    samples/*.json from the package's `runner/project/`, and .env.example."""
    root = resources.files("runner").joinpath("project")
    files: dict[str, bytes] = {"runner.yaml": root.joinpath("runner.yaml").read_bytes()}
    for folder, suffix in (("transforms", ".js"), ("samples", ".json")):
        entries: list[Traversable] = sorted(root.joinpath(folder).iterdir(), key=lambda t: t.name)
        for entry in entries:
            if entry.is_file() and entry.name.endswith(suffix):
                files[f"{folder}/{entry.name}"] = entry.read_bytes()
    files[".env.example"] = ENV_EXAMPLE.encode()
    return files


@click.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
def init(directory: Path, force: bool) -> None:
    """Start a project in DIRECTORY (default: here): a commented runner.yaml, transforms/ with
    the three seed Segment handlers, samples/ with the sample webhooks, and .env.example.

    Existing files are left alone, and nothing is written, unless --force is given.
    """
    files = project_files()
    existing = [name for name in files if (directory / name).exists()]
    if existing and not force:
        listed = "\n  ".join(printable(str(directory / name)) for name in existing)
        raise click.ClickException(f"{len(existing)} file(s) already exist, nothing was written:\n  {listed}\n"
                                   "(--force overwrites them)")
    for name, content in files.items():
        target = directory / name
        if target.is_dir():
            raise click.ClickException(f"{printable(str(target))} is a directory; move it away first")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    shown = printable(str(directory))
    click.echo(f"wrote {len(files)} files in {shown}:")
    click.echo("  runner.yaml      endpoint `default` (3 transforms), the Segment destination, the queue in .runner/")
    click.echo(f"  transforms/      {sum(n.startswith('transforms/') for n in files)} handlers (paste your dashboard code here)")
    click.echo(f"  samples/         {sum(n.startswith('samples/') for n in files)} sample webhooks")
    click.echo("  .env.example     the two variables runner.yaml reads")
    where = "" if directory == Path(".") else f"cd {shown} && "
    click.echo("next:")
    click.echo(f"  {where}export DODO_WEBHOOK_SECRET=$(runner secret new) SEGMENT_WRITE_KEY=<your write key>")
    click.echo("  runner serve --config runner.yaml &")
    click.echo("  runner send samples/payment.succeeded.json")
