"""The built-in local calendar: events kept in the workspace, no account needed.

Calendar ids are resource keys ("member:3", "room:1") or email addresses.
Attendees given by email are filed under the team member or room with that
address, so the event shows up in their free/busy.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime

from ...core.intervals import Interval
from ...store.calendar_data import (
    ImportedEvent,
    LocalAttendee,
    LocalEvent,
    LocalEvents,
    replace_import,
)
from ...store.workspace import Workspace
from .base import Attendee, EventRef, EventRequest
from .ics import DEFAULT_LIMITS, IcsLimits, IcsReport, read_ics

Resolver = Callable[[str], str]


class LocalCalendar:
    """A :class:`~.base.CalendarProvider` over the workspace database."""

    kind = "local"

    def __init__(self, workspace: Workspace, resolve: Resolver | None = None) -> None:
        self._workspace = workspace
        self._resolve: Resolver = resolve or (lambda address: address)

    async def free_busy(
        self, calendar_ids: Sequence[str], start: datetime, end: datetime
    ) -> Mapping[str, list[Interval]]:
        return await asyncio.to_thread(self._busy, list(calendar_ids), start, end)

    def _busy(self, ids: list[str], start: datetime, end: datetime) -> dict[str, list[Interval]]:
        with self._workspace.session() as session:
            return LocalEvents(session).busy(ids, start, end)

    async def create_event(self, calendar_id: str, event: EventRequest) -> EventRef:
        return await asyncio.to_thread(self._put, calendar_id, event)

    async def update_event(self, calendar_id: str, ref: EventRef, event: EventRequest) -> EventRef:
        return await asyncio.to_thread(self._put, calendar_id, event)

    async def cancel_event(self, calendar_id: str, ref: EventRef) -> None:
        await asyncio.to_thread(self._cancel, ref.uid)

    async def aclose(self) -> None:
        return None

    def _attendee(self, attendee: Attendee) -> LocalAttendee:
        return LocalAttendee(self._resolve(attendee.email), attendee.name, attendee.role.value)

    def _put(self, calendar_id: str, event: EventRequest) -> EventRef:
        attendees = [LocalAttendee(calendar_id, role="organizer")]
        attendees += [self._attendee(a) for a in event.attendees]
        local = LocalEvent(
            uid=event.uid,
            title=event.title,
            start=event.start,
            end=event.end,
            time_zone=event.time_zone,
            description=event.description,
            location=event.location,
            organizer_email=event.organizer_email,
            attendees=tuple(attendees),
        )
        with self._workspace.session() as session:
            LocalEvents(session).put(local)
        return EventRef(uid=event.uid, calendar_id=calendar_id, provider_id=event.uid)

    def _cancel(self, uid: str) -> None:
        with self._workspace.session() as session:
            LocalEvents(session).cancel(uid)

    def import_ics(
        self,
        calendar_id: str,
        source: str,
        stream: Iterable[bytes],
        window: tuple[datetime, datetime],
        own_zone: str | None,
        profile_zone: str,
        limits: IcsLimits = DEFAULT_LIMITS,
    ) -> IcsReport:
        """File the .ics stream's busy time over *window* under *calendar_id*.

        What the same *source* filed before is replaced; the whole import is one
        transaction, so a file that cannot be read leaves the calendar as it was.
        """
        occurrences, report = read_ics(stream, window[0], window[1], own_zone, profile_zone, limits)
        events = (ImportedEvent(*occurrence) for occurrence in occurrences)
        with self._workspace.session() as session:
            replace_import(session, calendar_id, source, events)
        return report
