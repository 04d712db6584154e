"""An offer: what a customer needs to pick a time, as the desktop publishes it.

An offer holds no calendar event details: only the subject, the duration, the
organizer's display name, the meeting type and location text, the free slots
with the opaque resource keys each one needs, and the promoted slots.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.core.invitation import MeetingType, TimeZoneConversion
from inviteonce_desktop.core.timezones import is_zone

from .branding import Branding


def slot_id(start: int) -> str:
    """The slot's id in links: its UTC start, e.g. ``20250301T090000Z``."""
    return datetime.fromtimestamp(start, UTC).strftime("%Y%m%dT%H%M%SZ")


def iso_utc(seconds: int) -> str:
    """``2025-03-01T09:00:00Z``."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_instant(value: object, what: str, *, whole_minute: bool = True) -> int:
    """Epoch seconds of an aware ISO 8601 instant (on a whole minute, by default)."""
    if not isinstance(value, str) or len(value) > 40:
        raise ValidationError(f"The {what} must be an ISO 8601 date and time.")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"The {what} '{value}' is not an ISO 8601 date and time.") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValidationError(f"The {what} '{value}' must carry a time zone.")
    if whole_minute and (parsed.second or parsed.microsecond):
        raise ValidationError(f"The {what} '{value}' must fall on a whole minute.")
    return int(parsed.timestamp())


@dataclass(frozen=True, slots=True)
class Slot:
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


@dataclass(frozen=True, slots=True)
class Offer:
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
    branding: Branding | None = None

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
        return json.dumps(
            {
                "subject": self.subject,
                "duration_minutes": self.duration_minutes,
                "organizer_name": self.organizer_name,
                "meeting_type": self.meeting_type.value,
                "location": self.location,
                "time_zone": self.time_zone,
                "time_zone_conversion": self.time_zone_conversion.value,
                "fixed_time_zone": self.fixed_time_zone,
                "expires_at": self.expires_at,
                "slots": [
                    [s.start, s.end, list(s.resources), [list(p) for p in s.pools]]
                    for s in self.slots
                ],
                "promoted": list(self.promoted),
                **({"branding": self.branding.to_json()} if self.branding else {}),
            },
            separators=(",", ":"),
        )

    @staticmethod
    def from_json(text: str) -> Offer:
        data = json.loads(text)
        return Offer(
            subject=data["subject"],
            duration_minutes=data["duration_minutes"],
            organizer_name=data["organizer_name"],
            meeting_type=MeetingType(data["meeting_type"]),
            location=data["location"],
            time_zone=data["time_zone"],
            time_zone_conversion=TimeZoneConversion(data["time_zone_conversion"]),
            fixed_time_zone=data["fixed_time_zone"],
            expires_at=data["expires_at"],
            slots=tuple(
                Slot(start, end, tuple(res), tuple(tuple(p) for p in pools))
                for start, end, res, pools in data["slots"]
            ),
            promoted=tuple(data["promoted"]),
            branding=Branding.from_json(data["branding"]) if data.get("branding") else None,
        )
