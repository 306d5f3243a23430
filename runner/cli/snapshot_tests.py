"""`runner test`: snapshot tests that keep a handler's output on the samples under review."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import click

from runner.cli.common import (
    StartingPool,
    build_limits,
    engine_processes,
    event_type_option,
    parse_env,
    parse_now,
    read_sample_files,
    report_handler_error,
    sample_files,
)
from runner.compat import JsSettings
from runner.engine import Handler, Outcome
from runner.engine.sandbox import DEFAULT_URL
from runner.errors import HandlerError
from runner.json_layout import pretty
from runner.textsafe import printable, printable_json

SNAPSHOT_SUFFIX = ".snapshot.json"
DEFAULT_NOW = "2025-01-01T00:00:00Z"
"""Snapshots freeze the clock, so handlers that call `new Date()` give the same output every run."""


def snapshot_path(transform: Path) -> Path:
    """Where the snapshot of `transform` lives: beside it, `name.snapshot.json`."""
    return transform.with_name(transform.stem + SNAPSHOT_SUFFIX)


def entry_text(outcome: Outcome) -> str:
    """The snapshot entry for one outcome, as compact JSON text (bodies embedded verbatim)."""
    parts = ['"status":' + json.dumps(outcome.status)]
    if outcome.status == "sent" and outcome.request is not None:
        r = outcome.request
        parts.append('"request":{"method":' + json.dumps(r.method) + ',"url":' + json.dumps(r.url, ensure_ascii=False)
                     + ',"headers":' + json.dumps(r.headers, ensure_ascii=False) + ',"body":' + r.body + "}")
    if outcome.error is not None:
        parts.append('"error":' + json.dumps(outcome.error.to_json(), ensure_ascii=False))
    if outcome.logs:
        parts.append('"logs":' + json.dumps([e.to_json() for e in outcome.logs], ensure_ascii=False))
    return "{" + ",".join(parts) + "}"


@click.command("test")
@click.argument("transform", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--samples", "samples_dir", default="samples", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Directory of sample webhooks.")
@click.option("--update", is_flag=True, help="Write the current output as the new snapshot.")
@click.option("--url", default=None, help=f"webhook.url to start with (stored in the snapshot) [{DEFAULT_URL}].")
@click.option("--env", "env_pairs", multiple=True, metavar="KEY=VALUE", help="webhook.env variable (stored).")
@click.option("--now", default=None, metavar="ISO-8601", help=f"Frozen clock (stored) [{DEFAULT_NOW}].")
@click.option("--locale", default=None, help="Default locale (stored) [en-US].")
@click.option("--time-zone", default=None, help="Default time zone (stored) [UTC].")
@event_type_option
@click.option("--color/--no-color", default=None, help="Colour the output [auto: on a terminal].")
def test(transform: Path, samples_dir: Path, update: bool, url: str | None, env_pairs: tuple[str, ...],
         now: str | None, locale: str | None, time_zone: str | None, event_type: str | None,
         color: bool | None) -> None:
    """Compare TRANSFORM's output on every sample with its stored snapshot.

    The snapshot is TRANSFORM's name with .snapshot.json, beside it: review it like code. Run
    with --update to create or accept it. Settings (url, env, clock, locale, time zone, and
    --event-type when given) are stored in the snapshot, so later runs use the same.

    Exit status: 0 when everything matches, 1 on any difference, 2 for bad usage.
    """
    path = snapshot_path(transform)
    stored: dict[str, Any] = {}
    if path.exists():
        try:
            stored = json.loads(path.read_text("utf-8"))
        except json.JSONDecodeError as exc:
            raise click.UsageError(f"{path}:{exc.lineno}:{exc.colno}: the snapshot is not valid JSON ({exc.msg}); "
                                   "fix it or delete it and run with --update") from None
    elif not update:
        raise click.UsageError(f"{path}: no snapshot yet; run `runner test {transform} --update` to create it")
    old_settings = stored.get("settings", {})
    settings: dict[str, Any] = {
        "url": url or old_settings.get("url", DEFAULT_URL),
        "env": parse_env(env_pairs) if env_pairs else old_settings.get("env", {}),
        "now": now or old_settings.get("now", DEFAULT_NOW),
        "locale": locale or old_settings.get("locale", JsSettings().locale),
        "timeZone": time_zone or old_settings.get("timeZone", JsSettings().time_zone),
    }
    # Stored only once given: snapshots made without it keep their settings as they were.
    forced_type = event_type or old_settings.get("eventType")
    if forced_type is not None:
        if not isinstance(forced_type, str) or not forced_type:
            raise click.UsageError(f"{path}: settings.eventType must be a non-empty string; fix it or delete it")
        settings["eventType"] = forced_type
    try:
        js = JsSettings(locale=settings["locale"], time_zone=settings["timeZone"], now_ms=parse_now(settings["now"]))
    except ValueError as exc:
        raise click.UsageError(f"{path}: {exc}") from None
    files = sample_files([str(samples_dir)])
    # The engine process boots while the samples are read.
    starting = StartingPool(build_limits(None, None), js, workers=engine_processes(len(files)))
    try:
        samples = read_sample_files(files)
    except BaseException:
        starting.close()
        raise
    current: dict[str, str] = {}
    with starting.result() as pool:
        try:
            handler = Handler.from_file(transform)
            pool.prepare(handler)
        except HandlerError as exc:
            report_handler_error(exc, color)
            raise click.exceptions.Exit(1) from None
        futures = [pool.submit(handler, sample.body, url=settings["url"], env=settings["env"],
                               event_type=sample.run_type(forced_type)) for sample in samples]
        for file, future in zip(files, futures):
            current[file.relative_to(samples_dir).as_posix()] = entry_text(future.result())

    if update:
        path.write_text(render_snapshot(transform.name, settings, current), "utf-8")
        click.echo(f"wrote {path} ({len(current)} samples)")
        return

    expected: dict[str, Any] = stored.get("samples", {})
    failures = 0
    for key in sorted(set(current) | set(expected)):
        if key not in expected:
            failures += 1
            click.secho(f"NEW      {printable(key)}: not in the snapshot (run with --update to add it)", fg="yellow", color=color)
            continue
        if key not in current:
            failures += 1
            click.secho(f"MISSING  {printable(key)}: in the snapshot but not among the samples", fg="yellow", color=color)
            continue
        got = json.loads(current[key])
        if got == expected[key]:
            continue
        failures += 1
        click.secho(f"CHANGED  {printable(key)}", fg="red", bold=True, color=color)
        # Shown on a terminal: unsafe characters as \uXXXX (runner.textsafe), split on pretty()'s own newlines.
        want_text = pretty(printable_json(json.dumps(expected[key], ensure_ascii=False))).split("\n")
        got_text = pretty(printable_json(current[key])).split("\n")
        for line in difflib.unified_diff(want_text, got_text, "snapshot", "now", lineterm="", n=2):
            style = {"+": "green", "-": "red", "@": "cyan"}.get(line[:1])
            click.echo(click.style(line, fg=style) if style else line, color=color)
    total = len(set(current) | set(expected))
    if failures:
        click.secho(f"{failures} of {total} sample(s) differ from {path}", fg="red", bold=True, color=color)
        click.echo(f"If the new output is right, accept it with: runner test {transform} --update")
        raise click.exceptions.Exit(1)
    click.secho(f"{total} sample(s) match {path}", fg="green", color=color)


def render_snapshot(name: str, settings: dict[str, Any], entries: dict[str, str]) -> str:
    """The snapshot file: settings first, then one entry per sample, sorted, indented.

    It is reviewed like code, so control and bidi characters are \\uXXXX escapes (same values)."""
    body = ",".join(json.dumps(key, ensure_ascii=False) + ":" + entries[key] for key in sorted(entries))
    text = ('{"transform":' + json.dumps(name, ensure_ascii=False) + ',"settings":'
            + json.dumps(settings, ensure_ascii=False) + ',"samples":{' + body + "}}")
    return pretty(printable_json(text)) + "\n"
