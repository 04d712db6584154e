"""The durable outbox: work for the outside world, each item done exactly once.

An item is added in the same transaction as the change that needs it, keyed by
an idempotency key, so a retry or a restart never adds it twice. A worker
claims due items, does them, and marks them done; a temporary failure schedules
a retry with capped backoff until the item's give-up time, a permanent one
keeps it as failed with its sentence.

An attempt that passes its point of no return (an email handed to the server)
is marked before it does, and the mark is cleared when the outcome is known;
a mark found later means the outcome is unknown (the process died or the
connection dropped), which the worker settles before doing the item again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, literal, or_, select
from sqlalchemy.orm import Session

from .models import OutboxRow

MAX_BACKOFF = timedelta(minutes=15)
FIRST_BACKOFF = timedelta(seconds=2)
PENDING, DONE, FAILED = "pending", "done", "failed"


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    kind: str
    idempotency_key: str
    payload: dict[str, Any]
    attempts: int
    status: str
    last_error: str | None
    created_at: datetime
    invitation_id: int | None = None
    meeting_id: int | None = None
    handed_over_at: datetime | None = None
    result: dict[str, Any] | None = None
    not_before: datetime | None = None


def _item(row: OutboxRow) -> OutboxItem:
    return OutboxItem(
        row.id,
        row.kind,
        row.idempotency_key,
        dict(row.payload),
        row.attempts,
        row.status,
        row.last_error,
        row.created_at,
        row.invitation_id,
        row.meeting_id,
        row.handed_over_at,
        None if row.result is None else dict(row.result),
        row.not_before,
    )


def _reached(now: datetime) -> Any:
    return or_(OutboxRow.not_before.is_(None), OutboxRow.not_before <= now)


def backoff(attempts: int) -> timedelta:
    """The wait after the *attempts*-th failure: doubling from 2 s, at most 15 min."""
    doubled: timedelta = FIRST_BACKOFF * (2 ** min(max(attempts - 1, 0), 12))
    return min(doubled, MAX_BACKOFF)


class Outbox:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        kind: str,
        key: str,
        payload: dict[str, Any],
        now: datetime,
        *,
        invitation_id: int | None = None,
        meeting_id: int | None = None,
        reopen: bool = False,
        not_before: datetime | None = None,
    ) -> OutboxItem:
        """Queue work once: a second add with the same key returns the first item.

        With *reopen* (the organizer asked again), a failed item is tried afresh.
        Work with *not_before* waits for that time, whatever retries ask; until
        then it is not counted as waiting.
        """
        row = self._by_key(key)
        if row is None:
            row = OutboxRow(
                kind=kind,
                idempotency_key=key,
                payload=payload,
                status=PENDING,
                attempts=0,
                next_attempt_at=max(now, not_before) if not_before else now,
                created_at=now,
                invitation_id=invitation_id,
                meeting_id=meeting_id,
                not_before=not_before,
            )
            self._session.add(row)
            self._session.flush()
        elif reopen and row.status == FAILED:
            row.status, row.attempts, row.created_at, row.next_attempt_at = PENDING, 0, now, now
        return _item(row)

    def _by_key(self, key: str) -> OutboxRow | None:
        return self._session.scalars(
            select(OutboxRow).where(OutboxRow.idempotency_key == key)
        ).first()

    def due(
        self, now: datetime, limit: int = 50, last: frozenset[str] = frozenset()
    ) -> list[OutboxItem]:
        """Work whose time has come, oldest first; the kinds in *last* after all others."""
        later = case((OutboxRow.kind.in_(last), 1), else_=0) if last else literal(0)
        query = (
            select(OutboxRow)
            .where(
                OutboxRow.status == PENDING,
                OutboxRow.next_attempt_at <= now,
                _reached(now),
            )
            .order_by(later, OutboxRow.id)
            .limit(limit)
        )
        return [_item(r) for r in self._session.scalars(query)]

    def pending(self, now: datetime | None = None) -> list[OutboxItem]:
        """Unfinished work; with *now*, only the work whose time has come."""
        query = select(OutboxRow).where(OutboxRow.status == PENDING).order_by(OutboxRow.id)
        if now is not None:
            query = query.where(_reached(now))
        return [_item(r) for r in self._session.scalars(query)]

    def scheduled(self, kind: str) -> list[tuple[int, str, bool]]:
        """(id, key, handed over) of the unfinished work of *kind* (reminders waiting for
        their time, say)."""
        query = select(
            OutboxRow.id, OutboxRow.idempotency_key, OutboxRow.handed_over_at.is_not(None)
        ).where(OutboxRow.kind == kind, OutboxRow.status == PENDING)
        return [(i, key, bool(over)) for i, key, over in self._session.execute(query)]

    def withdraw(self, item_id: int) -> None:
        """Work no longer wanted that never passed its point of no return: gone, its key free
        to be queued again."""
        row = self._session.get(OutboxRow, item_id)
        if row is not None and row.status == PENDING and row.handed_over_at is None:
            self._session.delete(row)

    def existing(self, keys: list[str]) -> set[str]:
        """Which of *keys* were ever queued (done or not)."""
        query = select(OutboxRow.idempotency_key).where(OutboxRow.idempotency_key.in_(keys))
        return set(self._session.scalars(query))

    def get(self, key: str) -> OutboxItem | None:
        row = self._by_key(key)
        return None if row is None else _item(row)

    def item(self, item_id: int) -> OutboxItem | None:
        row = self._session.get(OutboxRow, item_id)
        return None if row is None else _item(row)

    def of(
        self, *, invitation_id: int | None = None, meeting_id: int | None = None
    ) -> list[OutboxItem]:
        """The work of one invitation or one meeting, oldest first."""
        query = select(OutboxRow).order_by(OutboxRow.id)
        if invitation_id is not None:
            query = query.where(OutboxRow.invitation_id == invitation_id)
        if meeting_id is not None:
            query = query.where(OutboxRow.meeting_id == meeting_id)
        return [_item(r) for r in self._session.scalars(query)]

    def problem(
        self,
        *,
        invitation_id: int | None = None,
        meeting_id: int | None = None,
        kinds: tuple[str, ...] = (),
    ) -> str | None:
        """The error of unfinished work of an invitation or a meeting (of *kinds*).

        Only the newest item of each kind counts: a later send that succeeded
        clears the error of an earlier one.
        """
        newest: dict[str, OutboxItem] = {}
        for item in self.of(invitation_id=invitation_id, meeting_id=meeting_id):
            if not kinds or item.kind in kinds:
                newest[item.kind] = item
        problems = [i for i in newest.values() if i.status != DONE and i.last_error]
        return max(problems, key=lambda i: i.id).last_error if problems else None

    def make_due(self, key: str, now: datetime) -> bool:
        """Do this unfinished item at the next run, whatever its backoff said; False if none."""
        row = self._by_key(key)
        if row is None or row.status == DONE:
            return False
        if row.status == FAILED:
            row.status, row.attempts, row.created_at = PENDING, 0, now
        row.next_attempt_at = now
        return True

    def handing_over(self, item_id: int, now: datetime | None) -> None:
        """The attempt passes its point of no return now (None: puts the mark back off)."""
        row = self._session.get(OutboxRow, item_id)
        if row is not None:
            row.handed_over_at = now

    def done(self, item_id: int, now: datetime, result: dict[str, Any] | None = None) -> None:
        row = self._session.get(OutboxRow, item_id)
        if row is not None:
            row.status, row.done_at, row.result, row.last_error = DONE, now, result, None
            row.handed_over_at = None

    def failed(
        self,
        item_id: int,
        error: str,
        now: datetime,
        permanent: bool = False,
        give_up_after: timedelta | None = None,
        soon: bool = False,
    ) -> str:
        """Records a failure; the item's status after it ("pending" or "failed").

        A temporary failure is retried with backoff until *give_up_after* has
        passed since the item was queued (or since its time came); *soon* retries
        at once (to settle an unknown outcome).
        """
        row = self._session.get(OutboxRow, item_id)
        if row is None:
            return FAILED
        row.attempts += 1
        row.last_error = error[:1000]
        since = max(row.created_at, row.not_before or row.created_at)
        gave_up = give_up_after is not None and now - since >= give_up_after
        if permanent or gave_up:
            row.status = FAILED
            return FAILED
        row.next_attempt_at = now if soon else now + backoff(row.attempts)
        return PENDING

    def defer(self, item_id: int, note: str, until: datetime) -> None:
        """Leave the item until *until*, saying why; not a failed attempt (nothing was tried)."""
        row = self._session.get(OutboxRow, item_id)
        if row is not None:
            row.last_error, row.next_attempt_at = note[:1000], until

    def retry_now(self, now: datetime) -> None:
        """Make every pending item due (the network came back)."""
        for row in self._session.scalars(select(OutboxRow).where(OutboxRow.status == PENDING)):
            row.next_attempt_at = now
