"""A booking as the relay keeps it and hands it to the organizer's feed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Booking:
    id: int
    offer_id: int
    start: int
    end: int
    resource_keys: tuple[str, ...]
    customer_time_zone: str
    booked_at: int
    origin_id: int | None = None
    """The meeting's first booking row when this row records a change (its UID's origin)."""

    @property
    def origin(self) -> int:
        """The id the meeting's UID and manage link are made from."""
        return self.origin_id or self.id
