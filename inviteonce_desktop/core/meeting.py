"""A meeting: an invitation after the customer picked a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from .timezones import require_aware


class MeetingStatus(StrEnum):
    BOOKED = "booked"
    """The customer picked a time; the calendar write may still be on its way."""
    CONFIRMED = "confirmed"
    """The event is in the calendars."""
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Meeting:
    invitation_id: int
    subject: str
    start: datetime
    end: datetime
    participant_name: str
    participant_email: str
    event_uid: str
    status: MeetingStatus = MeetingStatus.BOOKED
    resource_keys: tuple[str, ...] = ()
    conflict: str | None = None
    id: int | None = None
    booked_at: datetime | None = None
    manage_url: str | None = None
    """The customer's own link to reschedule or cancel, from the relay."""
    sequence: int = 0
    """The iCalendar SEQUENCE of the customer's copy: one more for each move or cancellation."""

    def __post_init__(self) -> None:
        require_aware(self.start, "meeting start")
        require_aware(self.end, "meeting end")


@dataclass(frozen=True, slots=True)
class MeetingChange:
    """A booked meeting moved to another time, as the relay recorded it."""

    booking_id: str
    """The relay's row of the change (rows of one meeting grow in order)."""
    start: datetime
    end: datetime
    resource_keys: tuple[str, ...]
    by: str
    """Who moved it: "customer" or "organizer"."""
    conflict: str | None = None

    def __post_init__(self) -> None:
        require_aware(self.start, "new start")
        require_aware(self.end, "new end")
