"""Weekly hours: the wall-clock ranges of each weekday in which meetings may happen."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import time
from enum import IntEnum

from .errors import ValidationError

_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class Weekday(IntEnum):
    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6

    @property
    def short(self) -> str:
        return self.name[:3].title()

    @classmethod
    def parse(cls, text: str) -> Weekday:
        key = text.strip().lower()[:3]
        for day in cls:
            if day.name.lower().startswith(key) and key:
                return day
        raise ValidationError(f"'{text}' is not a day of the week.")


@dataclass(frozen=True, slots=True, order=True)
class TimeRange:
    """A wall-clock range within one day, in minutes from midnight (end 1440 = 24:00)."""

    start_minute: int
    end_minute: int

    def __post_init__(self) -> None:
        if not 0 <= self.start_minute < self.end_minute <= 1440:
            raise ValidationError("A range of hours must start before it ends, within one day.")

    @classmethod
    def parse(cls, text: str) -> TimeRange:
        match = _RANGE.match(text)
        if not match:
            raise ValidationError(f"'{text}' is not a range of hours like 09:00-17:00.")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if m1 > 59 or m2 > 59 or h1 > 24 or h2 > 24:
            raise ValidationError(f"'{text}' is not a range of hours like 09:00-17:00.")
        return cls(h1 * 60 + m1, h2 * 60 + m2)

    @classmethod
    def of(cls, start: time, end: time) -> TimeRange:
        end_minute = end.hour * 60 + end.minute or 1440
        return cls(start.hour * 60 + start.minute, end_minute)

    def __str__(self) -> str:
        return f"{_hhmm(self.start_minute)}-{_hhmm(self.end_minute)}"


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """Ranges per weekday; a weekday that is absent has no hours."""

    days: Mapping[Weekday, tuple[TimeRange, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for day, ranges in self.days.items():
            ordered = sorted(ranges)
            for before, after in zip(ordered, ordered[1:], strict=False):
                if after.start_minute < before.end_minute:
                    raise ValidationError(f"The hours on {day.short} overlap.")

    def ranges(self, weekday: int) -> tuple[TimeRange, ...]:
        return self.days.get(Weekday(weekday), ())

    @classmethod
    def uniform(cls, weekdays: Iterable[Weekday], *ranges: TimeRange) -> WeeklyHours:
        return cls({day: tuple(ranges) for day in weekdays})

    @classmethod
    def business(cls, start: str = "09:00", end: str = "17:00") -> WeeklyHours:
        weekdays = [d for d in Weekday if d < Weekday.SATURDAY]
        return cls.uniform(weekdays, TimeRange.parse(f"{start}-{end}"))

    @classmethod
    def parse(cls, text: str) -> WeeklyHours:
        """Parse ``"Mon-Fri 09:00-17:00; Sat 10:00-12:00"`` (ranges split by commas)."""
        days: dict[Weekday, tuple[TimeRange, ...]] = {}
        for part in filter(None, (p.strip() for p in text.split(";"))):
            day_spec, _, hours_spec = part.partition(" ")
            if not hours_spec.strip():
                raise ValidationError(f"'{part}' needs days and hours, like Mon-Fri 09:00-17:00.")
            ranges = tuple(TimeRange.parse(r) for r in hours_spec.split(","))
            for day in _parse_days(day_spec):
                days[day] = tuple(sorted(days.get(day, ()) + ranges))
        if not days:
            raise ValidationError("The weekly hours are empty.")
        return cls(days)

    def __str__(self) -> str:
        """Consecutive days with the same hours are shown as one run: "Mon-Fri 09:00-17:00"."""
        runs: list[tuple[Weekday, Weekday, tuple[TimeRange, ...]]] = []
        for day in Weekday:
            ranges = tuple(sorted(self.days.get(day, ())))
            if not ranges:
                continue
            if runs and runs[-1][2] == ranges and runs[-1][1] == day - 1:
                runs[-1] = (runs[-1][0], day, ranges)
            else:
                runs.append((day, day, ranges))
        return "; ".join(
            f"{first.short}{'' if first == last else '-' + last.short} "
            f"{','.join(str(r) for r in ranges)}"
            for first, last, ranges in runs
        )

    def to_json(self) -> dict[str, list[str]]:
        return {day.short: [str(r) for r in ranges] for day, ranges in sorted(self.days.items())}

    @classmethod
    def from_json(cls, data: Mapping[str, list[str]]) -> WeeklyHours:
        return cls(
            {Weekday.parse(k): tuple(TimeRange.parse(r) for r in v) for k, v in data.items()}
        )


def _parse_days(spec: str) -> list[Weekday]:
    result: list[Weekday] = []
    for chunk in spec.split(","):
        first, sep, last = chunk.partition("-")
        a = Weekday.parse(first)
        b = Weekday.parse(last) if sep else a
        if b < a:
            raise ValidationError(f"'{chunk}' runs backwards; write it like Mon-Fri.")
        result.extend(Weekday(i) for i in range(a, b + 1))
    return result
