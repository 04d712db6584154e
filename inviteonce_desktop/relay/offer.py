"""An offer: what a customer needs to pick a time, as the desktop publishes it.

An offer holds no calendar event details: only the subject, the duration, the
organizer's display name, the meeting type and location text, the free slots
with the opaque resource keys each one needs, and the promoted slots.
"""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from inviteonce_desktop.core.invitation import MeetingType, TimeZoneConversion
from inviteonce_desktop.core.timezones import is_zone

from .branding import Branding


def slot_id(start: int) -> str:
    """The slot's id in links: its UTC start, e.g. ``20250301T090000Z``."""
    return datetime.fromtimestamp(start, UTC).strftime("%Y%m%dT%H%M%SZ")


def iso_utc(seconds: int) -> str:
    """``2025-03-01T09:00:00Z``."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Slot(msgspec.Struct, frozen=True, array_like=True):
    """A slot as stored: ``[start, end, resources, pools]`` in epoch seconds."""

    start: int
    end: int
    resources: tuple[str, ...] = ()
    pools: tuple[tuple[str, ...], ...] = ()

    @property
    def id(self) -> str:
        return slot_id(self.start)

    def keys(self) -> set[str]:
        """Every key this slot may take: its resources and all pool candidates."""
        found = set(self.resources)
        for pool in self.pools:
            found.update(pool)
        return found


class Offer(msgspec.Struct, frozen=True):
    """An offer as the relay keeps it; instants and margins in whole seconds."""

    subject: str
    duration_minutes: int
    organizer_name: str
    meeting_type: MeetingType
    location: str
    time_zone: str
    time_zone_conversion: TimeZoneConversion
    fixed_time_zone: str | None
    expires_at: int
    slots: tuple[Slot, ...]
    promoted: tuple[int, ...] = ()
    notice: int = 0
    buffer_before: int = 0
    buffer_after: int = 0
    branding: Branding | None = None
    customer_name: str = ""
    customer_email: str | None = None
    change_lead: int = 0
    """Seconds before a meeting's start after which the customer can no longer change it."""

    def earliest_start(self, now: float) -> float:
        """Slots must start after this instant: now plus the minimum notice."""
        return now + self.notice

    @property
    def fixed_zone(self) -> str | None:
        """The zone every customer sees, or None when each sees their own."""
        if self.time_zone_conversion is TimeZoneConversion.FIXED:
            return self.fixed_time_zone or self.time_zone
        return None

    def zone_for(self, requested: str | None) -> tuple[str, bool]:
        """The zone to show times in for a customer asking for *requested*,
        and whether that zone is the customer's choice (or fixed)."""
        fixed = self.fixed_zone
        if fixed is not None:
            return fixed, True
        if requested and len(requested) <= 64 and is_zone(requested):
            return requested, True
        return self.time_zone, False

    def slot(self, wanted: str) -> Slot | None:
        for candidate in self.slots:
            if candidate.id == wanted:
                return candidate
        return None

    def slot_at(self, start: int) -> Slot | None:
        for candidate in self.slots:
            if candidate.start == start:
                return candidate
        return None

    def to_json(self) -> str:
        return _ENCODER.encode(self).decode()

    @staticmethod
    def from_json(text: str) -> Offer:
        return _DECODER.decode(text)


_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(Offer)
