"""The durable outbox: work for the outside world, each item done exactly once.

An item is added in the same transaction as the change that needs it, keyed by
an idempotency key, so a retry or a restart never adds it twice. A worker
claims due items, does them, and marks them done; a failure schedules a retry
with backoff.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import OutboxRow

MAX_BACKOFF = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    kind: str
    idempotency_key: str
    payload: dict[str, Any]
    attempts: int
    status: str
    last_error: str | None


def _item(row: OutboxRow) -> OutboxItem:
    return OutboxItem(
        row.id,
        row.kind,
        row.idempotency_key,
        dict(row.payload),
        row.attempts,
        row.status,
        row.last_error,
    )


class Outbox:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, kind: str, key: str, payload: dict[str, Any], now: datetime) -> OutboxItem:
        """Queue work once: a second add with the same key returns the first item."""
        row = self._session.scalars(
            select(OutboxRow).where(OutboxRow.idempotency_key == key)
        ).first()
        if row is None:
            row = OutboxRow(
                kind=kind,
                idempotency_key=key,
                payload=payload,
                status="pending",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
            self._session.add(row)
            self._session.flush()
        return _item(row)

    def due(self, now: datetime, limit: int = 50) -> list[OutboxItem]:
        query = (
            select(OutboxRow)
            .where(OutboxRow.status == "pending", OutboxRow.next_attempt_at <= now)
            .order_by(OutboxRow.id)
            .limit(limit)
        )
        return [_item(r) for r in self._session.scalars(query)]

    def pending(self) -> list[OutboxItem]:
        query = select(OutboxRow).where(OutboxRow.status == "pending").order_by(OutboxRow.id)
        return [_item(r) for r in self._session.scalars(query)]

    def get(self, key: str) -> OutboxItem | None:
        row = self._session.scalars(
            select(OutboxRow).where(OutboxRow.idempotency_key == key)
        ).first()
        return None if row is None else _item(row)

    def problem(self, *prefixes: str) -> str | None:
        """The last error of unfinished work whose key starts with one of *prefixes*."""
        for prefix in prefixes:
            query = (
                select(OutboxRow.last_error)
                .where(
                    OutboxRow.idempotency_key.startswith(prefix),
                    OutboxRow.status != "done",
                    OutboxRow.last_error.is_not(None),
                )
                .order_by(OutboxRow.id.desc())
            )
            error = self._session.scalars(query).first()
            if error:
                return error
        return None

    def make_due(self, key: str, now: datetime) -> None:
        """Do this pending item at the next run, whatever its backoff said."""
        row = self._session.scalars(
            select(OutboxRow).where(OutboxRow.idempotency_key == key)
        ).first()
        if row is not None and row.status == "pending":
            row.next_attempt_at = now

    def done(self, item_id: int, now: datetime, result: dict[str, Any] | None = None) -> None:
        row = self._session.get(OutboxRow, item_id)
        if row is not None:
            row.status, row.done_at, row.result, row.last_error = "done", now, result, None

    def failed(self, item_id: int, error: str, now: datetime, permanent: bool = False) -> None:
        row = self._session.get(OutboxRow, item_id)
        if row is None:
            return
        row.attempts += 1
        row.last_error = error[:1000]
        if permanent:
            row.status = "failed"
            return
        delay = min(timedelta(seconds=2 ** min(row.attempts, 12)), MAX_BACKOFF)
        row.next_attempt_at = now + delay

    def retry_now(self, now: datetime) -> None:
        """Make every pending item due (the network came back)."""
        for row in self._session.scalars(select(OutboxRow).where(OutboxRow.status == "pending")):
            row.next_attempt_at = now
