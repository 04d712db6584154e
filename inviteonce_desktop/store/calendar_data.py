"""Events of the local calendar and the cached free/busy of connected calendars."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import NamedTuple, cast

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.orm import Session

from ..core.intervals import Interval
from .models import BusyRefreshRow, BusyRow, LocalAttendeeRow, LocalEventRow


@dataclass(frozen=True, slots=True)
class LocalAttendee:
    calendar_id: str
    name: str = ""
    role: str = "required"
    partstat: str = "accepted"


@dataclass(frozen=True, slots=True)
class LocalEvent:
    uid: str
    title: str
    start: datetime
    end: datetime
    time_zone: str = "UTC"
    description: str = ""
    location: str = ""
    transparent: bool = False
    status: str = "confirmed"
    organizer_email: str | None = None
    attendees: tuple[LocalAttendee, ...] = ()
    sequence: int = 0


def _event(row: LocalEventRow) -> LocalEvent:
    return LocalEvent(
        uid=row.uid,
        title=row.title,
        start=row.start,
        end=row.end,
        time_zone=row.time_zone,
        description=row.description,
        location=row.location,
        transparent=row.transparent,
        status=row.status,
        organizer_email=row.organizer_email,
        attendees=tuple(
            LocalAttendee(a.calendar_id, a.name, a.role, a.partstat) for a in row.attendees
        ),
        sequence=row.sequence,
    )


class LocalEvents:
    """The built-in calendar's events; attendees name the calendars that hold them."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def put(self, event: LocalEvent) -> LocalEvent:
        """Create the event, or replace the one with the same UID (idempotent)."""
        row = self._session.scalars(
            select(LocalEventRow).where(LocalEventRow.uid == event.uid)
        ).first()
        if row is None:
            row = LocalEventRow(uid=event.uid)
            self._session.add(row)
        else:
            row.sequence += 1
            row.attendees.clear()
            self._session.flush()
        row.title, row.start, row.end = event.title, event.start, event.end
        row.time_zone, row.description, row.location = (
            event.time_zone,
            event.description,
            event.location,
        )
        row.transparent, row.status = event.transparent, event.status
        row.organizer_email = event.organizer_email
        row.attendees = [
            LocalAttendeeRow(
                calendar_id=a.calendar_id, name=a.name, role=a.role, partstat=a.partstat
            )
            for a in {a.calendar_id: a for a in event.attendees}.values()
        ]
        self._session.flush()
        return _event(row)

    def add_new(self, events: Iterable[LocalEvent]) -> None:
        """Create events whose UIDs the calendar does not hold yet, in two inserts."""
        _insert_numbered(
            self._session,
            [
                (
                    {
                        "uid": event.uid,
                        "title": event.title,
                        "start": event.start,
                        "end": event.end,
                        "time_zone": event.time_zone,
                        "description": event.description,
                        "location": event.location,
                        "transparent": event.transparent,
                        "status": event.status,
                        "organizer_email": event.organizer_email,
                        "sequence": event.sequence,
                    },
                    [
                        {
                            "calendar_id": a.calendar_id,
                            "name": a.name,
                            "role": a.role,
                            "partstat": a.partstat,
                        }
                        for a in {a.calendar_id: a for a in event.attendees}.values()
                    ],
                )
                for event in events
            ],
        )

    def get(self, uid: str) -> LocalEvent | None:
        row = self._session.scalars(select(LocalEventRow).where(LocalEventRow.uid == uid)).first()
        return None if row is None else _event(row)

    def cancel(self, uid: str) -> bool:
        row = self._session.scalars(select(LocalEventRow).where(LocalEventRow.uid == uid)).first()
        if row is None or row.status == "cancelled":
            return False
        row.status = "cancelled"
        row.sequence += 1
        return True

    def in_range(
        self, start: datetime, end: datetime, calendar_ids: Iterable[str] | None = None
    ) -> list[LocalEvent]:
        query = select(LocalEventRow).where(LocalEventRow.start < end, LocalEventRow.end > start)
        if calendar_ids is not None:
            ids = list(calendar_ids)
            query = query.where(
                LocalEventRow.id.in_(
                    select(LocalAttendeeRow.event_id).where(LocalAttendeeRow.calendar_id.in_(ids))
                )
            )
        rows = self._session.scalars(query.order_by(LocalEventRow.start))
        return [_event(r) for r in rows]

    def busy(
        self, calendar_ids: Sequence[str], start: datetime, end: datetime
    ) -> dict[str, list[Interval]]:
        """Busy time per calendar: opaque, not cancelled, not declined by that calendar."""
        result: dict[str, list[Interval]] = {cid: [] for cid in calendar_ids}
        query = (
            select(LocalAttendeeRow.calendar_id, LocalEventRow.start, LocalEventRow.end)
            .join(LocalEventRow, LocalEventRow.id == LocalAttendeeRow.event_id)
            .where(
                LocalAttendeeRow.calendar_id.in_(list(calendar_ids)),
                LocalAttendeeRow.partstat != "declined",
                LocalEventRow.transparent.is_(False),
                LocalEventRow.status != "cancelled",
                LocalEventRow.start < end,
                LocalEventRow.end > start,
            )
            .order_by(LocalEventRow.start)
        )
        for calendar_id, a, b in self._session.execute(query):
            if b > a:
                result[calendar_id].append(Interval(a, b))
        return result


@dataclass(frozen=True, slots=True)
class BusyState:
    """When a resource's calendar was last read, over which range, and what failed."""

    fetched_at: datetime
    covered: Interval
    problem: str | None = None


class ImportedEvent(NamedTuple):
    """One occurrence read from a file, as the local calendar files it."""

    identity: str
    title: str
    start: datetime
    end: datetime
    transparent: bool = False
    location: str = ""
    description: str = ""


_BATCH = 2000
_UID_LENGTH = 255


def _imported_uid(calendar_id: str, identity: str) -> str:
    uid = f"{calendar_id}/{identity}"
    if len(uid) <= _UID_LENGTH:
        return uid
    return f"{calendar_id}/sha256-{hashlib.sha256(identity.encode()).hexdigest()}"


def replace_import(
    session: Session,
    calendar_id: str,
    source: str,
    events: Iterable[ImportedEvent],
    time_zone: str = "UTC",
) -> int:
    """Replace what *source* filed under *calendar_id* with *events*; returns how many.

    Events are written in batches as they come, so a large file never sits in
    memory; one identity read twice keeps its last version. Everything happens in
    the caller's transaction: a failure leaves the earlier import as it was.
    """
    old = select(LocalEventRow.id).where(LocalEventRow.source == source)
    session.execute(delete(LocalAttendeeRow).where(LocalAttendeeRow.event_id.in_(old)))
    session.execute(delete(LocalEventRow).where(LocalEventRow.source == source))
    written: set[str] = set()
    iterator: Iterator[ImportedEvent] = iter(events)
    while batch := list(islice(iterator, _BATCH)):
        rows: dict[str, dict[str, object]] = {}
        for event in batch:
            uid = _imported_uid(calendar_id, event.identity)
            rows[uid] = {
                "uid": uid,
                "title": event.title[:500],
                "start": event.start,
                "end": event.end,
                "time_zone": time_zone,
                "description": event.description,
                "location": event.location[:500],
                "transparent": event.transparent,
                "status": "confirmed",
                "sequence": 0,
                "source": source,
            }
        _forget_uids(session, _existing(session, rows))
        attendee: dict[str, object] = {
            "calendar_id": calendar_id,
            "name": "",
            "role": "required",
            "partstat": "accepted",
        }
        _insert_numbered(session, [(row, [attendee]) for row in rows.values()])
        written.update(rows)
    return len(written)


def _insert_numbered(
    session: Session, events: Sequence[tuple[dict[str, object], list[dict[str, object]]]]
) -> None:
    """Each (event row, its attendees) inserted under the next free ids, in two Core
    statements: one for the events, one for all their attendees."""
    if not events:
        return
    connection = session.connection()
    first_id = (connection.scalar(select(func.max(LocalEventRow.id))) or 0) + 1
    rows = [{**row, "id": first_id + offset} for offset, (row, _) in enumerate(events)]
    people = [
        {**person, "event_id": first_id + offset}
        for offset, (_, attendees) in enumerate(events)
        for person in attendees
    ]
    connection.execute(insert(_table(LocalEventRow)), rows)
    if people:
        connection.execute(insert(_table(LocalAttendeeRow)), people)


def _table(model: type[LocalEventRow] | type[LocalAttendeeRow]) -> Table:
    """The plain table of *model*: bulk inserts through Core skip the ORM's per-row work."""
    return cast(Table, model.__table__)


def _existing(session: Session, rows: Mapping[str, object]) -> list[str]:
    """UIDs of the batch already filed: earlier in this file, or by another file."""
    query = select(LocalEventRow.uid).where(LocalEventRow.uid.in_(list(rows)))
    return list(session.scalars(query))


def _forget_uids(session: Session, uids: Sequence[str]) -> None:
    if not uids:
        return
    ids = select(LocalEventRow.id).where(LocalEventRow.uid.in_(list(uids)))
    session.execute(delete(LocalAttendeeRow).where(LocalAttendeeRow.event_id.in_(ids)))
    session.execute(delete(LocalEventRow).where(LocalEventRow.uid.in_(list(uids))))


class BusyCache:
    """Free/busy as last fetched from each resource's calendar; the engine reads this."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def replace(
        self,
        busy: Mapping[str, Sequence[Interval]],
        range_start: datetime,
        range_end: datetime,
        fetched_at: datetime,
    ) -> None:
        for key, intervals in busy.items():
            self._session.execute(
                delete(BusyRow).where(
                    BusyRow.resource_key == key,
                    BusyRow.start < range_end,
                    BusyRow.end > range_start,
                )
            )
            self._session.add_all(
                BusyRow(resource_key=key, start=i.start, end=i.end) for i in intervals
            )
            self._session.merge(
                BusyRefreshRow(
                    resource_key=key,
                    fetched_at=fetched_at,
                    range_start=range_start,
                    range_end=range_end,
                    problem=None,
                )
            )

    def mark_unreadable(
        self,
        problems: Mapping[str, str],
        range_start: datetime,
        range_end: datetime,
        fetched_at: datetime,
    ) -> None:
        """The resources whose calendar could not be read: their busy time is unknown."""
        for key, problem in problems.items():
            self._session.merge(
                BusyRefreshRow(
                    resource_key=key,
                    fetched_at=fetched_at,
                    range_start=range_start,
                    range_end=range_end,
                    problem=problem,
                )
            )

    def states(self, keys: Sequence[str]) -> dict[str, BusyState]:
        """What is known of each resource's cached busy time (absent: never read)."""
        rows = self._session.scalars(
            select(BusyRefreshRow).where(BusyRefreshRow.resource_key.in_(list(keys)))
        )
        return {
            row.resource_key: BusyState(
                row.fetched_at, Interval(row.range_start, row.range_end), row.problem
            )
            for row in rows
        }

    def busy(
        self, keys: Sequence[str], start: datetime, end: datetime
    ) -> dict[str, list[Interval]]:
        result: dict[str, list[Interval]] = {key: [] for key in keys}
        query = select(BusyRow.resource_key, BusyRow.start, BusyRow.end).where(
            BusyRow.resource_key.in_(list(keys)), BusyRow.start < end, BusyRow.end > start
        )
        for key, a, b in self._session.execute(query):
            if b > a:
                result[key].append(Interval(a, b))
        return result

    def fetched_at(self, keys: Sequence[str]) -> dict[str, datetime]:
        query = select(BusyRefreshRow.resource_key, BusyRefreshRow.fetched_at).where(
            BusyRefreshRow.resource_key.in_(list(keys))
        )
        return {key: at for key, at in self._session.execute(query)}
