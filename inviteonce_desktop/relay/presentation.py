"""Slots and times as a customer reads them: grouped by day in a time zone."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from inviteonce_desktop.core.timezones import zone, zone_names

from .offer import Slot, iso_utc

_REGIONS = (
    "Africa/",
    "America/",
    "Antarctica/",
    "Asia/",
    "Atlantic/",
    "Australia/",
    "Europe/",
    "Indian/",
    "Pacific/",
)


@dataclass(frozen=True, slots=True)
class SlotView:
    id: str
    start: str
    end: str
    label: str


@dataclass(frozen=True, slots=True)
class DayView:
    label: str
    slots: list[SlotView]


def _local(seconds: int, tz: tzinfo) -> datetime:
    return datetime.fromtimestamp(seconds, UTC).astimezone(tz)


def day_label(moment: datetime) -> str:
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


def time_range(start: int, end: int, tz: tzinfo) -> str:
    return f"{_local(start, tz):%H:%M} – {_local(end, tz):%H:%M}"


def when(start: int, end: int, zone_name: str) -> str:
    """``Monday 3 March 2025, 09:00 – 09:30 (Europe/Paris)``."""
    tz = zone(zone_name)
    return f"{day_label(_local(start, tz))}, {time_range(start, end, tz)} ({zone_name})"


def by_day(slots: Iterable[Slot], zone_name: str) -> list[DayView]:
    tz = zone(zone_name)
    days: list[DayView] = []
    current = None
    for slot in slots:
        local = _local(slot.start, tz)
        if local.date() != current:
            current = local.date()
            days.append(DayView(day_label(local), []))
        days[-1].slots.append(
            SlotView(
                slot.id,
                iso_utc(slot.start),
                iso_utc(slot.end),
                time_range(slot.start, slot.end, tz),
            )
        )
    return days


def zone_choices() -> list[str]:
    """The time zones a customer can choose from: UTC and every city zone."""
    return ["UTC", *(name for name in zone_names() if name.startswith(_REGIONS))]
