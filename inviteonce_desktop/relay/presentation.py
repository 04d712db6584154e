"""Slots and times as a customer reads them: grouped by day in a time zone."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from inviteonce_desktop.core.languages import Language
from inviteonce_desktop.core.timezones import zone

from .offer import Slot, iso_utc
from .zone_labels import ENGLISH, zone_label


@dataclass(frozen=True, slots=True)
class SlotView:
    id: str
    start: str
    end: str
    label: str
    time: str


@dataclass(frozen=True, slots=True)
class DayView:
    """One day with times, in the customer's zone; its slots are formatted only
    when a page lists them (a month shows many days, a page one day's times)."""

    date: date
    tz: tzinfo
    raw: list[Slot]
    lang: Language = ENGLISH

    @property
    def label(self) -> str:
        return self.lang.day(self.date)

    @property
    def count(self) -> int:
        return len(self.raw)

    @property
    def slots(self) -> list[SlotView]:
        return [_slot_view(slot, self.tz, self.lang) for slot in self.raw]


def _local(seconds: int, tz: tzinfo) -> datetime:
    return datetime.fromtimestamp(seconds, UTC).astimezone(tz)


def when(start: int, end: int, zone_name: str, lang: Language = ENGLISH) -> str:
    """``Monday, 3 March 2025, 09:00 – 09:30 (Europe/Paris)``."""
    return when_parts(start, end, zone_name, lang).text


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


def when_parts(start: int, end: int, zone_name: str, lang: Language = ENGLISH) -> When:
    tz = zone(zone_name)
    at = datetime.fromtimestamp(start, UTC)
    return When(
        lang.day(_local(start, tz).date()),
        lang.time_range(_local(start, tz), _local(end, tz)),
        zone_name,
        zone_label(zone_name, at, lang),
    )


def _slot_view(slot: Slot, tz: tzinfo, lang: Language) -> SlotView:
    start, end = _local(slot.start, tz), _local(slot.end, tz)
    return SlotView(
        slot.id,
        iso_utc(slot.start),
        iso_utc(slot.end),
        lang.time_range(start, end),
        lang.time(start),
    )


def by_day(slots: Iterable[Slot], zone_name: str, lang: Language = ENGLISH) -> list[DayView]:
    tz = zone(zone_name)
    days: list[DayView] = []
    for slot in slots:
        day = _local(slot.start, tz).date()
        if not days or days[-1].date != day:
            days.append(DayView(day, tz, [], lang))
        days[-1].raw.append(slot)
    return days
