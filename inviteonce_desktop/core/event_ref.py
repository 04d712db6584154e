"""Where a meeting's calendar event was written, to open, move or cancel it later."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MeetingEventRef:
    account_id: int | None
    """The connected calendar account; None for the built-in calendar."""
    calendar_id: str
    provider_id: str
    """The provider's own id of the event."""
    uid: str
    """The iCalendar UID the event was written with."""
    join_url: str | None = None
    web_link: str | None = None
    """The provider's page of the event, when it has one."""
