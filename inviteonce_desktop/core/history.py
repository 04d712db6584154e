"""An invitation's history: what happened to it, in order, in the organizer's words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from .timezones import require_aware


class HistoryKind(StrEnum):
    PUBLISHED = "published"
    EMAILED = "emailed"
    EMAIL_FAILED = "email failed"
    MAYBE_TWICE = "may have been sent twice"
    OPENED = "opened"
    BOOKED = "booked"
    CONFIRMATION_SENT = "confirmation sent"
    NOTIFIED = "team notified"
    CALENDAR = "calendar"
    CANCELLED = "cancelled"
    MOVED = "moved"
    UPDATE_SENT = "update sent"
    CANCELLATION_SENT = "cancellation sent"
    REMINDER = "reminder"
    EDITED = "edited"


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    at: datetime
    kind: HistoryKind
    text: str

    def __post_init__(self) -> None:
        require_aware(self.at, "history time")
