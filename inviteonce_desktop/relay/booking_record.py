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
