"""The one interface every calendar provider implements.

A provider answers free/busy for a set of calendars (people or rooms) over a
range, and creates, updates and cancels events with attendees. Calendar ids
are the provider's own: an email address for Google, Graph and EWS, a
collection URL for CalDAV, a resource key for the local calendar.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from ...core.intervals import Interval
from ...core.invitation import Visibility


class AttendeeRole(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    RESOURCE = "resource"
    """A room or other resource, invited as such."""


@dataclass(frozen=True, slots=True)
class Attendee:
    email: str
    name: str = ""
    role: AttendeeRole = AttendeeRole.REQUIRED


class OnlineMeeting(StrEnum):
    NONE = "none"
    PROVIDER = "provider"
    """Ask the provider for its own meeting link (Google Meet, Teams)."""


@dataclass(frozen=True, slots=True)
class EventRequest:
    """An event to write; ``uid`` is its iCalendar UID and makes writes idempotent."""

    uid: str
    title: str
    start: datetime
    end: datetime
    time_zone: str
    description: str = ""
    location: str = ""
    attendees: tuple[Attendee, ...] = ()
    organizer_email: str | None = None
    organizer_name: str = ""
    online_meeting: OnlineMeeting = OnlineMeeting.NONE
    visibility: Visibility = Visibility.DEFAULT
    send_updates: bool = True


@dataclass(frozen=True, slots=True)
class EventRef:
    """Where a written event lives, to update or cancel it later."""

    uid: str
    calendar_id: str
    provider_id: str
    join_url: str | None = None
    web_link: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AccountCalendar:
    """One calendar of a Google or Microsoft 365 account, to choose where meetings go."""

    id: str
    name: str
    holds_events: bool
    """Whether the account may write events to it (Google owner/writer; Graph canEdit)."""
    primary: bool = False


class CalendarProvider(Protocol):
    """A calendar service, all asyncio."""

    kind: str

    async def free_busy(
        self, calendar_ids: Sequence[str], start: datetime, end: datetime
    ) -> Mapping[str, list[Interval]]:
        """Busy intervals per calendar id over [start, end); free/transparent time is left out.

        A calendar the service could not read (not found, not shared) is left
        out of the mapping, its reason in the answer's ``unreadable`` (see
        :class:`~.busy.FreeBusy`): its busy time is unknown, never free.
        Failures of the whole account raise a CalendarError.
        """
        ...

    async def create_event(self, calendar_id: str, event: EventRequest) -> EventRef: ...

    async def update_event(
        self, calendar_id: str, ref: EventRef, event: EventRequest
    ) -> EventRef: ...

    async def cancel_event(self, calendar_id: str, ref: EventRef) -> None: ...

    async def aclose(self) -> None: ...
