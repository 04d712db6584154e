"""Aware time intervals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .errors import ValidationError
from .timezones import require_aware, to_utc


@dataclass(frozen=True, slots=True, order=True)
class Interval:
    """A half-open span of time [start, end) between two aware instants.

    Both ends are kept in UTC, so comparing and ordering is always by instant,
    never by the wall time of a shared zone.
    """

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", to_utc(require_aware(self.start, "start")))
        object.__setattr__(self, "end", to_utc(require_aware(self.end, "end")))
        if self.end <= self.start:
            raise ValidationError("The end must come after the start.")

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def utc(self) -> Interval:
        return Interval(to_utc(self.start), to_utc(self.end))
