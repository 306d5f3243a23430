"""`runner preview`: run a handler on sample webhooks and show what would be sent."""

from __future__ import annotations

import json

import click

from runner.cli.common import (
    StartingPool,
    build_limits,
    build_settings,
    engine_processes,
    event_type_label,
    event_type_option,
    handler_options,
    load_handlers,
    parse_env,
    read_sample_files,
    report_handler_error,
    sample_files,
)
from runner.engine import Handler, Outcome
from runner.errors import HandlerError
from runner.json_layout import pretty
from runner.textsafe import printable, printable_json, source_excerpt

STATUS_COLOURS = {"sent": "green", "cancelled": "yellow", "unchanged": "cyan", "error": "red"}
DEFAULT_SHOWN = ("sent", "cancelled", "error")  # text form: unchanged samples are only counted


def _parse_only(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, ...] | None:
    """--only sent,error: the statuses named, each checked."""
    if value is None:
        return None
    statuses = tuple(dict.fromkeys(s.strip().lower() for s in value.split(",") if s.strip()))
    unknown = [s for s in statuses if s not in STATUS_COLOURS]
    if unknown or not statuses:
        raise click.BadParameter(f"{', '.join(map(repr, unknown)) or 'nothing'} is not a status; "
                                 f"use a comma list of {','.join(STATUS_COLOURS)}", ctx, param)
    return statuses


@click.command()
@click.argument("transform")
@click.argument("samples", nargs=-1)
@handler_options
@event_type_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people; json for one JSON object per sample (JSON Lines).")
@click.option("--only", metavar="STATUS,...", callback=_parse_only, default=None,
              help=f"Show only samples with these outcomes, a comma list of {','.join(STATUS_COLOURS)}. "
                   "[default: text shows all but unchanged (counted in the summary); json shows all]")
@click.option("--all", "show_all", is_flag=True, help="Show every sample, unchanged ones included.")
@click.option("--color/--no-color", default=None, help="Colour the text output [auto: on a terminal].")
def preview(transform: str, samples: tuple[str, ...], url: str, env_pairs: tuple[str, ...], locale: str | None,
            time_zone: str | None, now: str | None, time_limit_ms: int | None, memory_limit_mb: int | None,
            event_type: str | None, fmt: str, only: tuple[str, ...] | None, show_all: bool, color: bool | None) -> None:
    """Show what TRANSFORM would send for each sample webhook.

    TRANSFORM is a handler file, a directory of them, or - to read pasted code from standard
    input. SAMPLES are webhook bodies or Svix messages {"eventType", "payload"} (.json files or
    directories; default: samples/).

    webhook.eventType is --event-type if given, else a Svix message's eventType, else the
    body's string "type", else there is none.

    The text form shows each sample that is sent, cancelled or failed, counts the unchanged
    ones (no branch matched), and ends with a table of outcomes per transform; --all (or
    --only) shows the others too.

    Exit status: 0 when every sample ran, 1 when a handler failed, 2 for bad usage.
    """
    if show_all and only:
        raise click.UsageError("give --all or --only, not both")
    shown = set(only or (STATUS_COLOURS if show_all or fmt == "json" else DEFAULT_SHOWN))
    env = parse_env(env_pairs)
    settings = build_settings(locale, time_zone, now)
    limits = build_limits(time_limit_ms, memory_limit_mb)
    try:
        handlers = load_handlers(transform)
    except HandlerError as exc:
        report_handler_error(exc, color)
        raise click.exceptions.Exit(1) from None
    # Engine processes behind the watchdog, whatever the handler does; they start while the
    # samples are read.
    files = sample_files(samples)
    starting = StartingPool(limits, settings, workers=engine_processes(len(files) * len(handlers)))
    try:
        bodies = read_sample_files(files)
    except BaseException:
        starting.close()
        raise
    failed = False
    table: list[tuple[str, dict[str, int]]] = []
    out = _Output(color)
    with starting.result() as pool:
        try:
            for handler in handlers:
                try:
                    pool.prepare(handler)
                except HandlerError as exc:
                    out.flush()  # what came before it, first
                    report_handler_error(exc, color)
                    failed = True
                    continue
                counts = dict.fromkeys(STATUS_COLOURS, 0)
                if fmt == "text" and len(handlers) > 1:
                    out.add(click.style(f"== {printable(handler.filename)}", bold=True))
                # All samples queued at once: the pool sends them to its worker in batches.
                futures = [pool.submit(handler, sample.body, url=url, env=env, event_type=sample.run_type(event_type))
                           for sample in bodies]
                for sample, future in zip(bodies, futures):
                    outcome = future.result()
                    counts[outcome.status] += 1
                    if outcome.status not in shown:
                        continue
                    if fmt == "json":
                        out.add(json_line(sample.path, outcome, handler.filename if len(handlers) > 1 else None))
                    else:
                        out.add(render_text(sample.path, handler, outcome, url, sample.run_type(event_type)))
                failed = failed or counts["error"] > 0
                table.append((handler.filename, counts))
                hidden = {status: n for status, n in counts.items() if n and status not in shown}
                if fmt == "text" and hidden:
                    what = ", ".join(f"{n} {status}" for status, n in hidden.items())
                    out.add(click.style(f"{printable(handler.filename)}: {what} not shown (--all shows them)", dim=True))
                out.flush()
        finally:
            out.flush()  # whatever was made, even when interrupted
    if fmt == "text" and table:
        click.echo("")
        click.secho(summary_table(table, len(bodies)), bold=True, color=color)
    if failed:
        raise click.exceptions.Exit(1)


class _Output:
    """Standard output a batch of blocks at a time: `click.echo` flushes after every call, a
    system call per sample. Each block is written as `click.echo` would write it alone."""

    BATCH = 256

    def __init__(self, color: bool | None) -> None:
        self.color = color
        self.blocks: list[str] = []

    def add(self, block: str) -> None:
        self.blocks.append(block)
        if len(self.blocks) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if self.blocks:
            click.echo("\n".join(self.blocks), color=self.color)
            self.blocks = []


def summary_table(rows: list[tuple[str, dict[str, int]]], samples: int) -> str:
    """Outcomes per transform, one row each: `TRANSFORM  SAMPLES  SENT  CANCELLED  UNCHANGED  ERROR`."""
    names = [printable(name) for name, _ in rows]
    width = max(len("TRANSFORM"), *map(len, names))
    head = f"{'TRANSFORM':{width}}  SAMPLES  " + "  ".join(s.upper() for s in STATUS_COLOURS)
    lines = [head]
    for name, (_, counts) in zip(names, rows):
        lines.append(f"{name:{width}}  {samples:>7}  " + "  ".join(f"{counts[s]:>{len(s)}}" for s in STATUS_COLOURS))
    return "\n".join(lines)


def json_line(sample: str, outcome: Outcome, transform: str | None = None) -> str:
    """One JSON Lines record; the webhook is embedded exactly as JavaScript serialised it.

    Control, bidi and lone-surrogate characters (which `ensure_ascii=False` and JSON.stringify
    leave raw) are written as \\uXXXX escapes: the same JSON value, safe on a terminal."""
    head = '{"sample": ' + json.dumps(sample, ensure_ascii=False)
    if transform is not None:
        head += ', "transform": ' + json.dumps(transform, ensure_ascii=False)
    logs = json.dumps([entry.to_json() for entry in outcome.logs], ensure_ascii=False)
    if outcome.error is not None:
        return printable_json(head + ', "error": ' + json.dumps(outcome.error.to_json(), ensure_ascii=False)
                              + ', "logs": ' + logs + "}")
    return printable_json(head + ', "result": ' + (outcome.webhook_json or "null") + ', "logs": ' + logs + "}")


def render_text(sample: str, handler: Handler, outcome: Outcome, url: str, event_type: str | None) -> str:
    """A readable block for one sample, which ran with `event_type`.

    Everything in it that the handler, the sample or its file name chose is made printable
    (runner.textsafe), on a terminal or not and whatever the colour setting."""
    colour = STATUS_COLOURS[outcome.status]
    title = click.style(printable(sample), bold=True) + "  " + event_type_label(event_type) + "  " + click.style(
        outcome.status.upper(), fg=colour, bold=True)
    if outcome.status == "cancelled":
        title += click.style("  handler set cancel: nothing would be sent", dim=True)
    elif outcome.status == "unchanged":
        title += click.style(f"  no branch matched: the original body would go to {printable(url)}", dim=True)
    lines = [title]
    if outcome.status == "sent" and outcome.request is not None:
        request = outcome.request
        lines.append("  " + click.style(printable(f"{request.method} {request.url}"), fg="green"))
        for name, value in request.headers.items():
            lines.append(f"  {printable(name)}: {printable(value)}")
        lines.extend("  " + printable_json(line) for line in pretty(request.body).split("\n"))
    elif outcome.error is not None:
        error = outcome.error
        where = handler.filename
        if error.line is not None:
            where += f":{error.line}:{error.column}"
        lines.append("  " + click.style(printable(f"{where}: {error.type}: {error.message}"), fg="red"))
        if error.source_line is not None:
            source, pad = source_excerpt(error.source_line, error.column)
            lines.append("      " + source)
            if pad is not None:
                lines.append("      " + pad + click.style("^", fg="red"))
    for entry in outcome.logs:
        # A log may span lines (console.log of pretty JSON): they stay, indented under its first.
        label = f"  console.{printable(entry.level)}: "
        message = printable(entry.message, multiline=True).replace("\n", "\n" + " " * len(label))
        lines.append(click.style(label, dim=True) + message)
    if outcome.logs_truncated:
        lines.append(click.style("  (console output truncated)", dim=True))
    if outcome.status in ("sent", "error"):
        lines.append("")
    return "\n".join(lines)
