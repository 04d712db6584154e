"""Slots and times as a customer reads them: grouped by day in a time zone."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from inviteonce_desktop.core.timezones import zone

from .offer import Slot, iso_utc
from .zone_labels import zone_label


@dataclass(frozen=True, slots=True)
class SlotView:
    id: str
    start: str
    end: str
    label: str
    time: str


@dataclass(frozen=True, slots=True)
class DayView:
    label: str
    slots: list[SlotView]
    date: date


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


@dataclass(frozen=True, slots=True)
class When:
    """A meeting's time in one zone, in the pieces the pages show."""

    day: str
    times: str
    zone_name: str
    zone_label: str

    @property
    def text(self) -> str:
        return f"{self.day}, {self.times} ({self.zone_name})"


def when_parts(start: int, end: int, zone_name: str) -> When:
    tz = zone(zone_name)
    at = datetime.fromtimestamp(start, UTC)
    return When(
        day_label(_local(start, tz)),
        time_range(start, end, tz),
        zone_name,
        zone_label(zone_name, at),
    )


def by_day(slots: Iterable[Slot], zone_name: str) -> list[DayView]:
    tz = zone(zone_name)
    days: list[DayView] = []
    current = None
    for slot in slots:
        local = _local(slot.start, tz)
        if local.date() != current:
            current = local.date()
            days.append(DayView(day_label(local), [], local.date()))
        days[-1].slots.append(
            SlotView(
                slot.id,
                iso_utc(slot.start),
                iso_utc(slot.end),
                time_range(slot.start, slot.end, tz),
                f"{local:%H:%M}",
            )
        )
    return days
