"""`runner deliveries` (list, show) and `runner replay`: operate on the delivery queue."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import click

from runner import config as cfg
from runner.cli.common import cli_error
from runner.cli.db import queue_option, resolve
from runner.cli.serve import config_options, load_config
from runner.delivery.backends import QueueStore, is_postgres_url, open_store
from runner.delivery.sqlite import DB_FILENAME
from runner.delivery.store import STATUSES, Delivery, Filter, Store, StoreError
from runner.errors import RunnerError
from runner.limits import Limits
from runner.pipeline import Pipeline
from runner.textsafe import printable, printable_json

DEFAULT_LIST_LIMIT = 50
DEFAULT_REPLAY_TIMEOUT_S = 300.0
PROGRESS_POLL_S = 0.2
_SENSITIVE_HEADERS = ("authorization", "cookie", "x-api-key", "api-key", "token")


def _open(data_dir: Path | None, config_path: Path | None, queue: str | None = None) -> QueueStore:
    target = resolve(queue, data_dir, config_path)
    if not is_postgres_url(target) and not (Path(target) / DB_FILENAME).exists():
        raise click.ClickException(f"no queue in {str(target)!r} (no {DB_FILENAME}); pass the --data-dir (or --queue) that `runner serve` used")
    try:
        return open_store(target)
    except (RunnerError, StoreError) as exc:
        raise cli_error(exc) from None


def _when(ts: float | None) -> str:
    return "-" if ts is None else datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def _headers(headers: dict[str, str]) -> dict[str, str]:
    return {k: ("[REDACTED]" if any(s in k.lower() for s in _SENSITIVE_HEADERS) else v) for k, v in headers.items()}


def _row(d: Delivery) -> dict[str, Any]:
    return {
        "id": d.id, "status": d.status, "endpoint": d.endpoint, "transform": d.transform,
        "event_type": d.event_type, "webhook_id": d.webhook_id, "destination": d.destination,
        "url": d.url, "attempts": d.attempts, "next_attempt_at": d.next_attempt_at if d.status == "pending" else None,
        "stage": d.stage, "reason": d.reason, "last_error": d.last_error, "message_id": d.message_id,
        "created_at": d.created_at, "delivered_at": d.delivered_at,
    }


store_options = [
    click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                 help=f"The queue's folder. [default: {cfg.DEFAULT_DATA_DIR}, or data_dir in --config]"),
    click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
                 help="Read queue (or data_dir) from this runner.yaml."),
    queue_option,
]


def _store_options(f):  # type: ignore[no-untyped-def]
    for decorator in reversed(store_options):
        f = decorator(f)
    return f


@click.group()
def deliveries() -> None:
    """Inspect the delivery queue of `runner serve`."""


@deliveries.command("list")
@_store_options
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
@_store_options
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
    except (RunnerError, StoreError) as exc:
        raise cli_error(exc) from None


async def _replay(config: cfg.Config, where: Filter, enqueue_only: bool, timeout_s: float) -> None:
    from runner.delivery.dispatcher import Dispatcher
    from runner.delivery.retry import RetryPolicy
    from runner.engine import EnginePool

    store = _open(config.data_dir, None, config.queue)
    try:
        selected = await store.list(where)
        if not selected:
            click.echo("no dead letters match")
            return
        # Handlers re-run in engine processes behind the watchdog, as under `serve`.
        pools: list[EnginePool] = []

        def pool_for(limits: Limits) -> EnginePool:
            pools.append(EnginePool(workers=1, limits=limits))
            return pools[-1]

        pipeline = Pipeline(config, store, pool_for, environ=os.environ, threads=1)
        try:
            rerun = await _rerun_transforms(config, store, pipeline, selected)
        finally:
            pipeline.close()
            for pool in pools:
                pool.close()
        requeued = await store.requeue([d.id for d in selected if d.id not in rerun])
        click.echo(f"requeued {requeued + len(rerun)} dead letter(s)", err=True)
        if enqueue_only:
            return
        d = config.delivery
        dispatcher = Dispatcher(store, pipeline.router, environ=os.environ, concurrency=d.concurrency,
                                policy=RetryPolicy(d.max_attempts, d.initial_backoff_s, d.max_backoff_s, d.max_retry_after_s),
                                lease_s=d.lease_s, idle_poll_s=min(d.idle_poll_s, PROGRESS_POLL_S), timeout_s=d.timeout_s)
        task = asyncio.create_task(dispatcher.run())
        try:
            settled = await _watch([x.id for x in selected], store, timeout_s)
        finally:
            dispatcher.stop()
            await task
        summary = ", ".join(f"{n} {s}" for s, n in sorted(settled.items())) or "none settled"
        click.echo(f"replayed {len(selected)}: {printable(summary)}")
        if settled.get("delivered", 0) < len(selected):
            raise click.ClickException(
                f"{len(selected) - settled.get('delivered', 0)} of {len(selected)} not delivered; "
                "see `runner deliveries list --status dead` (and --status pending)")
    finally:
        store.close_sync()


async def _rerun_transforms(config: cfg.Config, store: Store, pipeline: Pipeline, selected: list[Delivery]) -> set[int]:
    """Re-run the handler of each dead letter that failed in its transform; returns their ids."""
    done: set[int] = set()
    for d in selected:
        if d.stage != "transform":
            continue
        t = config.transform(d.endpoint, d.transform)
        endpoint = config.endpoint(d.endpoint)
        if t is None or endpoint is None:
            raise click.ClickException(
                f"delivery {d.id} failed in transform {printable(d.endpoint + '/' + d.transform)}; pass the --config (or "
                "--transform-file) `runner serve` used so the fixed handler can be re-run")
        found = await store.get(d.id)
        assert found is not None
        await store.replace(d.id, await pipeline.rerun(endpoint, t, d.webhook_id, found[2]))
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
