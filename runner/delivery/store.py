"""The delivery queue's narrow interface (`Store`) and the records that cross it.

A webhook event is stored once with one delivery per transform, in one transaction. A
delivery moves through these statuses:

    pending ──claim/send──► delivered
       │  ▲                     (retry_later puts it back with a later next_attempt_at)
       │  └── replay ── dead
       └──────────────► dead    (budget spent, 4xx, invalid Segment event, transform error)
    cancelled | skipped | rejected: recorded at acceptance, never sent

Finished deliveries (every status but pending) are removed by `purge` once older than their
status's retention, judged by `updated_at`: the moment a delivery reached the status it has
(every status change stamps it; pending ones, the only ones that change after that, are never
purged). An event goes with its last delivery, a delivery with its attempts. `counts` reads a
tally kept in the same transaction as each change, not a COUNT over the table.

Claims carry a lease (`claimed_by`, `lease_until`): a worker that dies mid-send loses its
claim when the lease runs out and another worker (in this process or another instance on a
shared backend) takes the delivery. Every verb is idempotent with respect to lease loss:
`ack`/`retry_later`/`dead_letter` only change deliveries still claimed by the caller.

Backends: `sqlite` (the default, one file) and `postgres` (shared by instances), opened by
`backends.open_store`, and `memory` for unit tests. All three run their writes on
`writer.Writer`; the two databases select `DELIVERY_COLUMNS` and map rows with
`delivery_from_row`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Literal, Protocol

from runner.errors import StoreError

__all__ = [  # StoreError included: the stores' callers import it from here
    "DELIVERY_COLUMNS", "FINISHED", "STATUSES", "Attempt", "Delivery", "Enqueued", "Filter", "Found", "NewDelivery",
    "NewEvent", "Purged", "Stage", "Status", "Store", "StoreError", "check_purge", "delivery_from_row",
]

Status = Literal["pending", "delivered", "dead", "cancelled", "skipped", "rejected"]
STATUSES: tuple[Status, ...] = ("pending", "delivered", "dead", "cancelled", "skipped", "rejected")
FINISHED: tuple[Status, ...] = STATUSES[1:]  # what `purge` may remove: never pending
Stage = Literal["transform", "route", "validate", "deliver"]


@dataclass(frozen=True)
class NewEvent:
    """A verified webhook as received: `body` is the raw JSON text."""

    endpoint: str
    webhook_id: str
    event_type: str
    body: str
    received_at: float


@dataclass(frozen=True)
class NewDelivery:
    """What one transform made of an event: a request to send, or a recorded non-delivery."""

    transform: str
    status: Status
    destination: str | None = None
    url: str | None = None
    method: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    kind: str | None = None  # Segment call type (track, identify, ..., batch) or None
    message_id: str | None = None
    stage: Stage | None = None  # where a dead/rejected one failed
    reason: str | None = None
    logs: str = "[]"  # JSON list of the handler's console entries
    transform_ms: float = 0.0


@dataclass(frozen=True)
class Delivery:
    """A stored delivery (joined with the fields of its event that workers need)."""

    id: int
    event_id: int
    endpoint: str
    webhook_id: str
    event_type: str
    transform: str
    status: Status
    destination: str | None
    url: str | None
    method: str | None
    headers: dict[str, str]
    body: str | None
    kind: str | None
    message_id: str | None
    attempts: int
    next_attempt_at: float
    claimed_by: str | None
    lease_until: float | None
    stage: str | None
    reason: str | None
    last_error: str | None
    logs: str
    created_at: float
    updated_at: float
    delivered_at: float | None


DELIVERY_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Delivery))
"""The deliveries table's columns, in table order: one per `Delivery` field, same name. Every
backend selects these (`", ".join(DELIVERY_COLUMNS)`) and maps rows with `delivery_from_row`;
each backend's tests check that its table has exactly these columns."""


def delivery_from_row(row: Mapping[str, Any]) -> Delivery:
    """The `Delivery` in a row of the deliveries table, by column name (headers are stored as
    JSON text)."""
    values = dict(row)
    values["headers"] = json.loads(values["headers"] or "{}")
    return Delivery(**values)


@dataclass(frozen=True)
class Attempt:
    """One send attempt of one delivery: `outcome` is delivered | retry | dead."""

    delivery_id: int
    attempt: int
    started_at: float
    duration_ms: float
    outcome: str
    status_code: int | None = None
    error: str | None = None


Found = tuple[Delivery, list[Attempt], str]
"""What `Store.get` returns: a delivery, its attempts, and its event's raw body."""


@dataclass(frozen=True)
class Enqueued:
    """Result of `enqueue`: `duplicate` means this (endpoint, webhook-id) was already stored."""

    event_id: int
    duplicate: bool
    delivery_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Filter:
    """Which deliveries `list`/`replay` select; None means any."""

    status: Status | None = None
    endpoint: str | None = None
    transform: str | None = None
    event_type: str | None = None
    stage: str | None = None
    ids: Sequence[int] | None = None
    limit: int | None = 100

    def equalities(self) -> dict[str, object]:
        """The columns this filter fixes, with their values (`ids` and `limit` apart): what
        every backend's `list` compares for equality."""
        return {c: getattr(self, c) for c in FILTER_COLUMNS if getattr(self, c) is not None}


FILTER_COLUMNS = ("status", "endpoint", "transform", "event_type", "stage")


@dataclass(frozen=True)
class Purged:
    """What one `purge` call removed: deliveries by status (those with none left out), and the
    events that went with their last delivery."""

    deliveries: dict[str, int] = field(default_factory=dict)
    events: int = 0

    @property
    def total(self) -> int:
        return sum(self.deliveries.values())

    def __add__(self, other: Purged) -> Purged:
        merged = dict(self.deliveries)
        for status, n in other.deliveries.items():
            merged[status] = merged.get(status, 0) + n
        return Purged(merged, self.events + other.events)


def check_purge(before: Mapping[str, float], limit: int) -> None:
    """Raise ValueError for a purge no store may run: of pending deliveries, or of no rows."""
    wrong = [s for s in before if s not in FINISHED]
    if wrong:
        raise ValueError(f"only finished deliveries are purged ({', '.join(FINISHED)}), not {', '.join(wrong)}")
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")


class Store(Protocol):
    """The queue verbs the pipeline, the dispatcher and the CLI use; nothing else is shared."""

    async def enqueue(self, event: NewEvent, deliveries: Sequence[NewDelivery]) -> Enqueued: ...

    async def claim(
        self, worker: str, *, limit: int, lease_s: float, exclude_destinations: Sequence[str] = ()
    ) -> list[Delivery]: ...

    async def ack(self, worker: str, attempts: Sequence[Attempt]) -> None: ...

    async def retry_later(self, worker: str, attempts: Sequence[Attempt], next_at: Sequence[float], errors: Sequence[str]) -> None: ...

    async def dead_letter(self, worker: str, attempts: Sequence[Attempt], reasons: Sequence[str]) -> None: ...

    async def postpone(self, worker: str, ids: Sequence[int], until: float) -> None:
        """Give back claims unsent (shutdown, a destination's Retry-After) without an attempt."""
        ...

    async def replace(self, delivery_id: int, delivery: NewDelivery) -> None:
        """Overwrite a dead delivery with a new plan (a replay that re-ran its transform):
        a pending one is due now with a fresh attempt budget."""
        ...

    async def requeue(self, ids: Sequence[int]) -> int:
        """Put dead deliveries back to pending, due now, with a fresh attempt budget."""
        ...

    async def list(self, where: Filter) -> list[Delivery]: ...

    async def get(self, delivery_id: int) -> Found | None:
        """A delivery, its attempts, and its event's raw body."""
        ...

    async def counts(self) -> dict[str, int]:
        """Deliveries by status (statuses with none left out), from a tally kept with every
        change: as cheap with a billion rows as with ten."""
        ...

    async def purge(self, before: Mapping[str, float], limit: int) -> Purged:
        """Remove up to `limit` deliveries in all, of the statuses in `before`, whose `updated_at`
        is earlier than their status's cutoff (epoch seconds), oldest first, with their attempts
        and each event none of whose deliveries remain: one short transaction, so a backlog is
        purged by calling again until fewer than `limit` go. Naming pending is a ValueError."""
        ...

    async def purgeable(self, before: Mapping[str, float]) -> dict[str, int]:
        """How many deliveries `purge(before, ...)` would remove in all, by status (a dry run)."""
        ...

    async def next_due(self) -> float | None:
        """When the earliest pending delivery becomes due (None if there is none)."""
        ...

    async def oldest_pending(self) -> float | None:
        """`created_at` of the oldest pending delivery, the first enqueued of those still pending
        (None if there is none): how far delivery lags behind acceptance."""
        ...

    async def close(self) -> None: ...
