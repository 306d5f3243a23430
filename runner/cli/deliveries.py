"""`runner deliveries` (list, show) and `runner replay`: operate on the delivery queue."""

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
from runner.cli.options import config_options, queue_options, queue_target
from runner.cli.serve import load_config
from runner.delivery.backends import QueueStore, open_existing
from runner.delivery.store import STATUSES, Delivery, Filter, Store
from runner.errors import RunnerError
from runner.textsafe import printable, printable_json

if TYPE_CHECKING:
    from runner.server.service import Service

DEFAULT_LIST_LIMIT = 50
DEFAULT_REPLAY_TIMEOUT_S = 300.0
PROGRESS_POLL_S = 0.2


def _open(data_dir: Path | None, config_path: Path | None, queue: str | None = None) -> QueueStore:
    target = queue_target(queue, data_dir, config_path)
    try:
        return open_existing(target)
    except RunnerError as exc:
        raise cli_error(exc) from None


def _when(ts: float | None) -> str:
    return "-" if ts is None else datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d %H:%M:%S")


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
    click.echo(f"{'ID':>6}  {'STATUS':9}  {'ENDPOINT/TRANSFORM':28}  {'EVENT':24}  {'TRIES':>5}  REASON")
    # Every stored text (names, the webhook's event type, handler and HTTP errors) is made printable.
    for d in rows:
        click.echo(f"{d.id:>6}  {printable(d.status):9}  {printable(d.endpoint + '/' + d.transform)[:28]:28}  "
                   f"{printable(d.event_type)[:24]:24}  {d.attempts:>5}  {printable(d.reason or d.last_error or '')[:80]}")



@deliveries.command()
@queue_options
@click.argument("delivery_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="As one JSON object.")
def show(data_dir: Path | None, config_path: Path | None, queue: str | None, delivery_id: int, as_json: bool) -> None:
    """Show one delivery: its request, attempts, handler logs and the event it came from."""
    store = _open(data_dir, config_path, queue)
    try:
        found = asyncio.run(store.get(delivery_id))
    finally:
        store.close_sync()
    if found is None:
        raise click.ClickException(f"no delivery {delivery_id}; see `runner deliveries list`")
    d, attempts, event = found
    data = _row(d) | {
        "method": d.method, "headers": _headers(d.headers), "body": d.body, "logs": json.loads(d.logs),
        "attempts_log": [a.__dict__ for a in attempts], "event": json.loads(event),
    }
    if as_json:
        click.echo(printable_json(json.dumps(data, indent=2)))
        return
    for key in ("id", "status", "endpoint", "transform", "event_type", "webhook_id", "destination", "method",
                "url", "message_id", "attempts", "stage", "reason", "last_error"):
        if data.get(key) is not None:
            click.echo(f"{key:12} {printable(data[key])}")
    click.echo(f"{'created':12} {_when(d.created_at)}   delivered {_when(d.delivered_at)}")
    if d.body:
        click.echo("body:\n  " + printable_json(d.body[:4000]))
    click.echo(f"handler logs ({len(data['logs'])}):")
    for entry in data["logs"]:
        label = f"  [{printable(entry['level'])}] "
        click.echo(label + printable(entry["message"], multiline=True).replace("\n", "\n" + " " * len(label)))
    click.echo(f"attempts ({len(attempts)}):")
    for a in attempts:
        click.echo(f"  #{a.attempt} {_when(a.started_at)} {printable(a.outcome):9} status={a.status_code or '-'} "
                   f"{a.duration_ms:.0f} ms {printable(a.error or '')}")


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
    """
    if not (ids or endpoint or transform or event_type or stage or all_dead):
        raise click.UsageError("say which dead letters to replay: IDS, a filter (--endpoint, --transform, --event-type, --stage) or --all")
    if config_path is None and not transform_files:
        # Delivering needs the destinations; the simple form's are implied by --segment-url.
        config = cfg.simple([], segment_url=segment_url, data_dir=data_dir or Path(cfg.DEFAULT_DATA_DIR))
        config = dataclasses.replace(config, queue=queue)
    else:
        config = load_config(transform_files, config_path, segment_url=segment_url, data_dir=data_dir, queue=queue)
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
        if not selected:
            click.echo("no dead letters match")
            return
        rerun = await _rerun_transforms(config, service, selected)
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


async def _rerun_transforms(config: cfg.Config, service: Service, selected: list[Delivery]) -> set[int]:
    """Re-run the handler of each dead letter that failed in its transform; returns their ids."""
    from runner.engine import Handler

    done: set[int] = set()
    for d in selected:
        if d.stage != "transform":
            continue
        t = config.transform(d.endpoint, d.transform)
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
