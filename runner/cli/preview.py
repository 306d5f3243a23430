"""`runner preview`: run a handler on sample webhooks and show what would be sent."""

from __future__ import annotations

import json

import click

from runner.cli.common import (build_limits, build_settings, handler_options, load_handlers, parse_env,
                               read_samples, report_handler_error)
from runner.engine import Engine, Handler, Outcome
from runner.errors import HandlerError
from runner.jsontext import pretty

STATUS_COLOURS = {"sent": "green", "cancelled": "yellow", "unchanged": "cyan", "error": "red"}


@click.command()
@click.argument("transform")
@click.argument("samples", nargs=-1)
@handler_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people; json for one JSON object per sample (JSON Lines).")
@click.option("--color/--no-color", default=None, help="Colour the text output [auto: on a terminal].")
def preview(transform: str, samples: tuple[str, ...], url: str, env_pairs: tuple[str, ...], locale: str | None,
            time_zone: str | None, now: str | None, time_limit_ms: int | None, memory_limit_mb: int | None,
            fmt: str, color: bool | None) -> None:
    """Show what TRANSFORM would send for each sample webhook.

    TRANSFORM is a handler file, a directory of them, or - to read pasted code from standard
    input. SAMPLES are webhook bodies (.json files or directories; default: samples/).

    Exit status: 0 when every sample ran, 1 when a handler failed, 2 for bad usage.
    """
    env = parse_env(env_pairs)
    settings = build_settings(locale, time_zone, now)
    limits = build_limits(time_limit_ms, memory_limit_mb)
    try:
        handlers = load_handlers(transform)
    except HandlerError as exc:
        report_handler_error(exc, color)
        raise click.exceptions.Exit(1) from None
    bodies = read_samples(samples)
    engine = Engine(limits=limits, settings=settings)
    failed = False
    for handler in handlers:
        try:
            engine.prepare(handler)
        except HandlerError as exc:
            report_handler_error(exc, color)
            failed = True
            continue
        counts = dict.fromkeys(STATUS_COLOURS, 0)
        if fmt == "text" and len(handlers) > 1:
            click.secho(f"== {handler.filename}", bold=True, color=color)
        for sample in bodies:
            outcome = engine.run(handler, sample.body, url=url, env=env, event_type=sample.event_type)
            counts[outcome.status] += 1
            if fmt == "json":
                click.echo(json_line(sample.path, outcome, handler.filename if len(handlers) > 1 else None))
            else:
                click.echo(render_text(sample.path, handler, outcome, url), color=color)
        failed = failed or counts["error"] > 0
        if fmt == "text":
            summary = ", ".join(f"{n} {status}" for status, n in counts.items())
            click.secho(f"{handler.filename}: {len(bodies)} samples: {summary}", bold=True, err=False, color=color)
    engine.close()
    if failed:
        raise click.exceptions.Exit(1)


def json_line(sample: str, outcome: Outcome, transform: str | None = None) -> str:
    """One JSON Lines record; the webhook is embedded exactly as JavaScript serialised it."""
    head = '{"sample": ' + json.dumps(sample, ensure_ascii=False)
    if transform is not None:
        head += ', "transform": ' + json.dumps(transform, ensure_ascii=False)
    logs = json.dumps([entry.to_json() for entry in outcome.logs], ensure_ascii=False)
    if outcome.error is not None:
        return head + ', "error": ' + json.dumps(outcome.error.to_json(), ensure_ascii=False) + ', "logs": ' + logs + "}"
    return head + ', "result": ' + (outcome.webhook_json or "null") + ', "logs": ' + logs + "}"


def render_text(sample: str, handler: Handler, outcome: Outcome, url: str) -> str:
    """A readable block for one sample."""
    colour = STATUS_COLOURS[outcome.status]
    title = click.style(sample, bold=True) + "  " + (outcome.event_type or "?") + "  " + click.style(
        outcome.status.upper(), fg=colour, bold=True)
    if outcome.status == "cancelled":
        title += click.style("  handler set cancel: nothing would be sent", dim=True)
    elif outcome.status == "unchanged":
        title += click.style(f"  no branch matched: the original body would go to {url}", dim=True)
    lines = [title]
    if outcome.status == "sent" and outcome.request is not None:
        request = outcome.request
        lines.append("  " + click.style(f"{request.method} {request.url}", fg="green"))
        for name, value in request.headers.items():
            lines.append(f"  {name}: {value}")
        lines.extend("  " + line for line in pretty(request.body).split("\n"))
    elif outcome.error is not None:
        error = outcome.error
        where = handler.filename
        if error.line is not None:
            where += f":{error.line}:{error.column}"
        lines.append("  " + click.style(f"{where}: {error.type}: {error.message}", fg="red"))
        if error.source_line is not None:
            lines.append("      " + error.source_line)
            if error.column is not None:
                lines.append("      " + " " * (error.column - 1) + click.style("^", fg="red"))
    for entry in outcome.logs:
        lines.append(click.style(f"  console.{entry.level}: ", dim=True) + entry.message)
    if outcome.logs_truncated:
        lines.append(click.style("  (console output truncated)", dim=True))
    if outcome.status in ("sent", "error"):
        lines.append("")
    return "\n".join(lines)
