"""Where a meeting's calendar event was written, to open, move or cancel it later."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


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
    kind: str = ""
    """The kind of calendar it went to (local, caldav, google, microsoft, exchange)."""
    extra: Mapping[str, str] = field(default_factory=dict)
    """What the provider needs besides the id to change it later (EWS: the change key)."""
