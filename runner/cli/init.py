"""`runner init [DIR]`: a project to start from: runner.yaml, the seed handlers, the samples."""

from __future__ import annotations

import os
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
    # lexists: a symlink counts as there even when it dangles (writing would follow it elsewhere)
    existing = [name for name in files if os.path.lexists(directory / name)]
    blocked = [str(directory / name) for name in files if (directory / name).is_dir()]
    blocked += sorted({str(directory / Path(name).parent) for name in files
                       if "/" in name and os.path.lexists(directory / Path(name).parent)
                       and not (directory / Path(name).parent).is_dir()})
    if blocked:
        listed = "\n  ".join(printable(path) for path in blocked)
        raise click.ClickException(f"in the way (a directory where a file goes, or a file where a directory goes), "
                                   f"nothing was written:\n  {listed}\nmove them away first")
    if existing and not force:
        listed = "\n  ".join(printable(str(directory / name)) for name in existing)
        raise click.ClickException(f"{len(existing)} file(s) already exist, nothing was written:\n  {listed}\n"
                                   "(--force overwrites them)")
    try:
        for name, content in files.items():
            target = directory / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_symlink():
                target.unlink()  # --force replaces the link itself, never the file it points to
            target.write_bytes(content)
    except OSError as exc:
        raise click.ClickException(f"cannot write {printable(str(exc.filename or directory))}: {exc.strerror}") from None
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
