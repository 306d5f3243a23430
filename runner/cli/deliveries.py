"""`runner deliveries` (list, show, purge) and `runner replay`: operate on the delivery queue."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from runner import config as cfg
from runner import redact
from runner.cli.common import cli_error
from runner.cli.options import config_options, queue_config, queue_options, queue_target, resolve_config, target_of
from runner.config.loader import parse_duration
from runner.delivery.backends import QueueStore, open_existing
from runner.delivery.destinations import Destinations, SegmentDestination
from runner.delivery.retention import purge_all
from runner.delivery.store import FINISHED, STATUSES, Delivery, Filter, Purged, Store
from runner.errors import RunnerError
from runner.textsafe import printable, printable_json

if TYPE_CHECKING:
    from runner.server.service import Service

DEFAULT_LIST_LIMIT = 50
DEFAULT_REPLAY_TIMEOUT_S = 300.0
PROGRESS_POLL_S = 0.2
PURGE_PROGRESS_S = 1.0  # a long purge says how far it got this often
SHOW_CLIP_CHARS = 4000  # of a body or source event in `show`'s text form (--json has them whole)
SHOW_EVENT_LINES = 60  # of the indented source event in `show`'s text form
REPLAY_NEEDS_DESTINATIONS = (
    "replay needs the destinations `runner serve` used: pass --config runner.yaml (or run it where runner.yaml is), "
    "or --segment-url BASE for the simple form")


def _open(data_dir: Path | None, config_path: Path | None, queue: str | None = None) -> QueueStore:
    return _open_target(queue_target(queue, data_dir, config_path))


def _open_target(target: str | Path) -> QueueStore:
    try:
        return open_existing(target)
    except RunnerError as exc:
        raise cli_error(exc) from None


def _when(ts: float | None) -> str:
    return "-" if ts is None else datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d %H:%M:%S")


def _when_ms(ts: float) -> str:
    """A UTC time to the millisecond, `2026-01-31 12:00:00.123`: attempts a few ms apart differ."""
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def _next(d: Delivery, now: float) -> str:
    """When a pending delivery is next tried, relative to `now` ("in 42s", "in 5m", "due");
    "-" for the others, which are not tried again."""
    if d.status != "pending":
        return "-"
    wait = d.next_attempt_at - now
    if wait <= 0:
        return "due"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if wait >= 2 * size:  # "in 90s", "in 119m": two figures before a coarser unit
            return f"in {int(wait // size)}{unit}"
    return f"in {max(1, int(wait))}s"


def _failure(d: Delivery) -> str:
    """The failure to show for a delivery. A delivered one has none: what it keeps from before
    it was delivered (a replay's earlier failure) is history, shown by `show` as "last failure";
    a pending one's is why it is being retried."""
    if d.status == "delivered":
        return ""
    if d.status == "pending":
        return f"last failure: {d.last_error or d.reason}" if d.last_error or d.reason else ""
    return d.reason or d.last_error or ""


def _sent_to(d: Delivery, destinations: Destinations) -> str | None:
    """Where a delivery goes on the wire with the resolved config (its base_url applied), which
    may differ from the URL the handler asked for; None when there is no request."""
    if not d.url:
        return None
    dest = destinations.get(d.destination)
    if dest is None:
        return f"(destination {d.destination!r} is not in the config)"
    if isinstance(dest, SegmentDestination) and d.kind:
        # Several due at once are packed into one /v1/batch to the same base.
        return dest.wire_url(d.url, d.kind) + (" (or its /v1/batch)" if d.kind != "batch" else "")
    return d.url


def _clipped(text: str, limit: int = SHOW_CLIP_CHARS) -> str:
    """`text` up to `limit` characters, saying how much more there is."""
    return text if len(text) <= limit else text[:limit] + f"\n... ({len(text) - limit} more characters; see --json)"


def _event_text(raw: str) -> str:
    """The source event as stored, indented JSON when it parses, made printable and clipped
    (to `SHOW_EVENT_LINES` lines and `SHOW_CLIP_CHARS` characters)."""
    try:
        raw = json.dumps(json.loads(raw), indent=2, ensure_ascii=False)
    except ValueError:
        return printable(_clipped(raw), multiline=True)
    lines = raw.split("\n")
    if len(lines) > SHOW_EVENT_LINES:
        raw = "\n".join(lines[:SHOW_EVENT_LINES]) + f"\n... ({len(lines) - SHOW_EVENT_LINES} more lines; see --json)"
    return printable_json(_clipped(raw))


def _headers(headers: dict[str, str]) -> dict[str, str]:
    return redact.mask_headers(headers, keep_scheme=False)  # stored for sending, never shown


def _row(d: Delivery) -> dict[str, Any]:
    return {
        "id": d.id, "status": d.status, "endpoint": d.endpoint, "transform": d.transform,
        "event_type": d.event_type, "webhook_id": d.webhook_id, "destination": d.destination,
        "url": d.url, "attempts": d.attempts, "next_attempt_at": d.next_attempt_at if d.status == "pending" else None,
        "stage": d.stage, "reason": d.reason, "last_error": d.last_error, "message_id": d.message_id,
        "created_at": d.created_at, "delivered_at": d.delivered_at,
    }


@click.group()
def deliveries() -> None:
    """Inspect the delivery queue of `runner serve`."""


@deliveries.command("list")
@queue_options
@click.option("--status", type=click.Choice(STATUSES), default=None, help="Only deliveries with this status.")
@click.option("--endpoint", default=None, help="Only this endpoint's.")
@click.option("--transform", default=None, help="Only this transform's.")
@click.option("--event-type", default=None, help="Only events of this type, e.g. payment.succeeded.")
@click.option("--limit", type=click.IntRange(1), default=DEFAULT_LIST_LIMIT, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def list_(data_dir: Path | None, config_path: Path | None, queue: str | None, status: str | None, endpoint: str | None,
          transform: str | None, event_type: str | None, limit: int, as_json: bool) -> None:
    """List deliveries (oldest first), with counts by status."""
    store = _open(data_dir, config_path, queue)
    try:
        rows = asyncio.run(store.list(Filter(status=status, endpoint=endpoint, transform=transform,  # type: ignore[arg-type]
                                             event_type=event_type, limit=limit)))
        counts = asyncio.run(store.counts())
    finally:
        store.close_sync()
    if as_json:
        for d in rows:
            click.echo(printable_json(json.dumps(_row(d))))
        return
    click.echo("  ".join(f"{s}: {counts.get(s, 0)}" for s in STATUSES))
    if not rows:
        click.echo("no deliveries match")
        return
    click.echo(f"{'ID':>6}  {'STATUS':9}  {'ENDPOINT/TRANSFORM':28}  {'EVENT':24}  {'TRIES':>5}  {'NEXT':8}  REASON")
    # Every stored text (names, the webhook's event type, handler and HTTP errors) is made printable.
    now = time.time()
    for d in rows:
        click.echo(f"{d.id:>6}  {printable(d.status):9}  {printable(d.endpoint + '/' + d.transform)[:28]:28}  "
                   f"{printable(d.event_type)[:24]:24}  {d.attempts:>5}  {_next(d, now):8}  {printable(_failure(d))[:80]}".rstrip())



@deliveries.command()
@queue_options
@click.argument("delivery_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="As one JSON object.")
def show(data_dir: Path | None, config_path: Path | None, queue: str | None, delivery_id: int, as_json: bool) -> None:
    """Show one delivery: its request, attempts, handler logs and the event it came from."""
    config = queue_config(queue, data_dir, config_path)
    store = _open_target(target_of(config))
    try:
        found = asyncio.run(store.get(delivery_id))
    finally:
        store.close_sync()
    if found is None:
        raise click.ClickException(f"no delivery {delivery_id}; see `runner deliveries list`")
    d, attempts, event = found
    sent_to = _sent_to(d, Destinations(config.destinations))
    data = _row(d) | {
        "sent_to": sent_to, "method": d.method, "headers": _headers(d.headers), "body": d.body, "logs": json.loads(d.logs),
        "attempts_log": [a.__dict__ for a in attempts], "event": json.loads(event),
    }
    if as_json:
        click.echo(printable_json(json.dumps(data, indent=2)))
        return
    # A delivered (or again pending) one's reason and last error are from before: history.
    current = d.status not in ("delivered", "pending")
    labels = {"sent_to": "sent to", "stage": "stage" if current else "failed at",
              "reason": "reason" if current else "last failure",
              "last_error": "last error" if current else "last failure"}
    shown: set[str] = set()
    for key in ("id", "status", "endpoint", "transform", "event_type", "webhook_id", "destination", "method",
                "url", "sent_to", "message_id", "attempts", "stage", "reason", "last_error"):
        value = data.get(key)
        if value is None or (key == "last_error" and not current and printable(value) in shown):
            continue
        shown.add(printable(value))
        click.echo(f"{labels.get(key, key):12} {printable(value)}")
    if d.status == "pending":
        click.echo(f"{'next try':12} {_when_ms(d.next_attempt_at)} ({_next(d, time.time())})")
    click.echo(f"{'created':12} {_when(d.created_at)}   delivered {_when(d.delivered_at)}")
    if d.body:
        click.echo("body:\n  " + printable_json(_clipped(d.body)).replace("\n", "\n  "))
    click.echo(f"handler logs ({len(data['logs'])}):")
    for entry in data["logs"]:
        label = f"  [{printable(entry['level'])}] "
        click.echo(label + printable(entry["message"], multiline=True).replace("\n", "\n" + " " * len(label)))
    click.echo(f"attempts ({len(attempts)}):")
    for a in attempts:
        click.echo(f"  #{a.attempt} {_when_ms(a.started_at)} {printable(a.outcome):9} status={a.status_code or '-'} "
                   f"{a.duration_ms:.0f} ms {printable(a.error or '')}".rstrip())
    click.echo(f"event ({d.endpoint} {d.webhook_id}, {len(event)} bytes):")
    click.echo("  " + _event_text(event).replace("\n", "\n  "))


def _age(seconds: float) -> str:
    """A retention as runner.yaml writes it: 7d, 12h, 15m, 90s."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def _by_status(counts: dict[str, int], ages: dict[str, float] | None = None) -> str:
    """`delivered 12, dead 3` in STATUSES order (with `(older than 7d)` from `ages`)."""
    return ", ".join(f"{s} {counts[s]}" + (f" (older than {_age(ages[s])})" if ages else "")
                     for s in STATUSES if counts.get(s))


def _statuses(value: str | None) -> tuple[str, ...]:
    if value is None:
        return FINISHED
    wanted = tuple(dict.fromkeys(w.strip() for w in value.split(",") if w.strip()))
    if "pending" in wanted:
        raise click.BadParameter("pending deliveries are never purged: they are not finished yet "
                                 "(they are delivered, or become dead letters after delivery.max_attempts)",
                                 param_hint="--status")
    unknown = [w for w in wanted if w not in FINISHED]
    if unknown or not wanted:
        raise click.BadParameter(f"{', '.join(unknown) or 'nothing'} is not a finished status; use some of {','.join(FINISHED)}",
                                 param_hint="--status")
    return wanted


@deliveries.command()
@queue_options
@click.option("--older-than", "older_than", metavar="AGE", default=None,
              help="Purge those finished at least AGE ago (90s, 15m, 12h, 7d). [default: delivery.retention of each status]")
@click.option("--status", "status", metavar="STATUS[,STATUS]", default=None,
              help=f"Only these statuses, of {','.join(FINISHED)} (never pending). [default: all of them]")
@click.option("--dry-run", is_flag=True, help="Only say how many would go, by status.")
@click.option("--yes", "-y", "yes", is_flag=True, help="Do not ask for confirmation at a terminal.")
def purge(data_dir: Path | None, config_path: Path | None, queue: str | None, older_than: str | None, status: str | None,
          dry_run: bool, yes: bool) -> None:
    """Remove finished deliveries older than their retention, with their attempts and events.

    By default each status's `delivery.retention` from the config (found as `runner serve`
    finds it; defaults: delivered, cancelled, skipped 7d; dead, rejected 30d) decides; a
    running `runner serve` prunes the same way every few minutes. Pending deliveries are never
    purged. Safe while servers run on the queue: it works in short batches.
    """
    statuses = _statuses(status)
    config = queue_config(queue, data_dir, config_path)
    if older_than is not None:
        try:
            age = parse_duration(older_than)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--older-than") from None
        if age is None:
            raise click.BadParameter(f"{older_than!r} keeps everything; give an age such as 7d", param_hint="--older-than")
        ages = dict.fromkeys(statuses, age)
    else:
        retention = vars(config.delivery.retention)
        kept = [s for s in statuses if retention[s] is None]
        if kept:
            click.echo(f"kept forever (delivery.retention): {', '.join(kept)}", err=True)
        ages = {s: retention[s] for s in statuses if retention[s] is not None}
    if not ages:
        click.echo("nothing to purge")
        return
    now = time.time()
    before = {s: now - a for s, a in ages.items()}
    store = _open_target(target_of(config))
    try:
        found = asyncio.run(store.purgeable(before))
        total = sum(found.values())
        if not total:
            click.echo(f"nothing to purge: no {'/'.join(ages)} deliveries older than their retention")
            return
        if dry_run:
            click.echo(f"would purge {total} deliveries: {_by_status(found, ages)}")
            return
        if not yes and sys.stdin.isatty():
            click.confirm(f"purge {total} deliveries ({_by_status(found, ages)}) and their events?", abort=True, err=True)
        purged = asyncio.run(_purge(store, before, total))
    except RunnerError as exc:
        raise cli_error(exc) from None
    finally:
        store.close_sync()
    click.echo(f"purged {purged.total} deliveries ({_by_status(purged.deliveries) or 'none'}) and {purged.events} events")


async def _purge(store: Store, before: dict[str, float], expected: int) -> Purged:
    """`purge_all`, with a progress line on stderr when it takes more than a batch."""
    last = [time.monotonic()]

    def progress(done: Purged) -> None:
        if time.monotonic() - last[0] >= PURGE_PROGRESS_S:
            last[0] = time.monotonic()
            click.echo(f"purged {done.total} of {expected}...", err=True)

    return await purge_all(store, before, progress=progress)


@click.command()
@click.argument("ids", nargs=-1, type=int)
@config_options
@click.option("--transform-file", "transform_files", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Without --config: the handler files `runner serve` ran (to re-run failed transforms).")
@click.option("--endpoint", default=None, help="Only dead letters of this endpoint.")
@click.option("--transform", default=None, help="Only dead letters of this transform.")
@click.option("--event-type", default=None, help="Only dead letters of this event type.")
@click.option("--stage", type=click.Choice(["transform", "validate", "deliver"]), default=None,
              help="Only dead letters that failed at this stage.")
@click.option("--all", "all_dead", is_flag=True, help="Every dead letter (when no IDS or filter is given).")
@click.option("--enqueue-only", is_flag=True, help="Only put them back in the queue; a running `runner serve` delivers them.")
@click.option("--timeout", "timeout_s", type=float, default=DEFAULT_REPLAY_TIMEOUT_S, show_default=True,
              help="Seconds to wait for the deliveries to settle.")
def replay(ids: tuple[int, ...], config_path: Path | None, segment_url: str | None, data_dir: Path | None, queue: str | None,
           transform_files: tuple[Path, ...], endpoint: str | None, transform: str | None, event_type: str | None,
           stage: str | None, all_dead: bool, enqueue_only: bool, timeout_s: float) -> None:
    """Re-deliver dead letters, by IDS or by filter, with a progress bar.

    Dead letters whose transform failed are re-run through the handler as it is now (fix it
    first); the others are re-sent as stored. Their messageId is unchanged, so Segment drops
    any that had in fact arrived.

    The config is found as `runner serve` finds it (--config, $RUNNER_CONFIG, ./runner.yaml),
    so they go where serve sends; without one, --segment-url BASE is required. Requested IDS
    that are not dead letters are named; none replayable fails.
    """
    if not (ids or endpoint or transform or event_type or stage or all_dead):
        raise click.UsageError("say which dead letters to replay: IDS, a filter (--endpoint, --transform, --event-type, --stage) or --all")
    # Resolved as `runner serve` resolves it: delivering needs the destinations serve used.
    config = resolve_config(transform_files, config_path, segment_url=segment_url, data_dir=data_dir, queue=queue)
    if config is None:
        if segment_url is None:  # never a default destination the operator did not choose
            raise click.UsageError(REPLAY_NEEDS_DESTINATIONS)
        # The simple form's destinations are implied by --segment-url.
        config = dataclasses.replace(cfg.simple([], segment_url=segment_url, data_dir=data_dir or Path(cfg.DEFAULT_DATA_DIR)),
                                     queue=queue)
    try:
        asyncio.run(_replay(config, Filter(status="dead", endpoint=endpoint, transform=transform, event_type=event_type,
                                           stage=stage, ids=list(ids) or None, limit=None), enqueue_only, timeout_s))
    except RunnerError as exc:
        raise cli_error(exc) from None


async def _replay(config: cfg.Config, where: Filter, enqueue_only: bool, timeout_s: float) -> None:
    from runner.server.service import Service

    # The parts `runner serve` runs, built the same way: handlers re-run in engine processes
    # behind the watchdog, deliveries go through the same destinations and retry policy.
    delivery = dataclasses.replace(config.delivery, idle_poll_s=min(config.delivery.idle_poll_s, PROGRESS_POLL_S))
    service = Service(dataclasses.replace(config, delivery=delivery), environ=os.environ, purpose="replay")
    store = service.store
    try:
        selected = await store.list(where)
        skipped = await _not_selected(store, where, selected)
        for why in skipped:
            click.echo(f"not replayed: {why}", err=True)
        if not selected:
            if skipped:  # asked for by id, and not one of them could be replayed
                raise click.ClickException(f"nothing replayed: {'; '.join(skipped)}")
            click.echo("no dead letters match")
            return
        rerun = await _rerun_transforms(service, selected)
        requeued = await store.requeue([d.id for d in selected if d.id not in rerun])
        click.echo(f"requeued {requeued + len(rerun)} dead letter(s)", err=True)
        if enqueue_only:
            return
        task = asyncio.create_task(service.dispatcher.run())
        try:
            settled = await _watch([x.id for x in selected], store, timeout_s)
        finally:
            service.dispatcher.stop()
            await task
        summary = ", ".join(f"{n} {s}" for s, n in sorted(settled.items())) or "none settled"
        click.echo(f"replayed {len(selected)}: {printable(summary)}")
        if settled.get("delivered", 0) < len(selected):
            raise click.ClickException(
                f"{len(selected) - settled.get('delivered', 0)} of {len(selected)} not delivered; "
                "see `runner deliveries list --status dead` (and --status pending)")
    finally:
        await asyncio.to_thread(service.close)


async def _not_selected(store: Store, where: Filter, selected: list[Delivery]) -> list[str]:
    """Why each id `where` asked for is not among `selected`: "no delivery 9999", "delivery 5
    is delivered, not dead", or that it is dead but outside the other filters."""
    wanted = [i for i in dict.fromkeys(where.ids or ()) if i not in {d.id for d in selected}]
    if not wanted:
        return []
    found = {d.id: d for d in await store.list(Filter(ids=wanted, limit=None))}
    reasons = []
    for i in wanted:
        d = found.get(i)
        if d is None:
            reasons.append(f"no delivery {i}")
        elif d.status != "dead":
            reasons.append(f"delivery {i} is {printable(d.status)}, not dead")
        else:
            reasons.append(f"delivery {i} is dead but does not match --endpoint/--transform/--event-type/--stage")
    return reasons


async def _rerun_transforms(service: Service, selected: list[Delivery]) -> set[int]:
    """Re-run the handler of each dead letter that failed in its transform; returns their ids."""
    from runner.engine import Handler

    done: set[int] = set()
    for d in selected:
        if d.stage != "transform":
            continue
        t = service.config.transform(d.endpoint, d.transform)
        if t is None:
            raise click.ClickException(
                f"delivery {d.id} failed in transform {printable(d.endpoint + '/' + d.transform)}; pass the --config (or "
                "--transform-file) `runner serve` used so the fixed handler can be re-run")
        found = await service.store.get(d.id)
        assert found is not None
        # The file as it is now: the point of a replay is to run the fixed handler.
        planned = await service.pipeline.rerun(d.endpoint, d.transform, Handler.from_file(t.path), d.webhook_id, found[2])
        await service.store.replace(d.id, planned)
        done.add(d.id)
    return done


async def _watch(ids: list[int], store: Store, timeout_s: float) -> dict[str, int]:
    """Show a progress bar until every delivery in `ids` left `pending` (or time is up)."""
    deadline = time.monotonic() + timeout_s
    settled: dict[str, int] = {}
    done = 0
    with click.progressbar(length=len(ids), label="replaying", file=sys.stderr) as bar:
        while time.monotonic() < deadline:
            settled = {}
            for row in await store.list(Filter(ids=ids, limit=None)):
                if row.status != "pending":
                    settled[row.status] = settled.get(row.status, 0) + 1
            now_done = sum(settled.values())
            bar.update(now_done - done)
            done = now_done
            if done >= len(ids):
                break
            await asyncio.sleep(PROGRESS_POLL_S)
    return settled
