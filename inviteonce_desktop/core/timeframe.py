"""The time frame: when a customer may book."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .errors import ValidationError
from .hours import WeeklyHours
from .timezones import require_aware, zone

MAX_FRAME_DAYS = 365
MAX_MARGIN = timedelta(days=366)


@dataclass(frozen=True, slots=True)
class TimeFrame:
    """A date range (or rolling N days), weekly hours, the slot grid and its margins.

    Wall times belong to ``time_zone``; slot starts are wall times on the grid of
    each block of weekly hours (touching ranges joined), from the block's start.
    """

    time_zone: str
    weekly_hours: WeeklyHours = field(default_factory=WeeklyHours.business)
    start_date: date | None = None
    end_date: date | None = None
    rolling_days: int | None = None
    slot_interval: timedelta = timedelta(minutes=30)
    minimum_notice: timedelta = timedelta(hours=4)
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)

    def __post_init__(self) -> None:
        zone(self.time_zone)
        ranged = self.start_date is not None or self.end_date is not None
        if ranged and self.rolling_days is not None:
            raise ValidationError("Choose either a date range or rolling days, not both.")
        if ranged:
            if self.start_date is None or self.end_date is None:
                raise ValidationError("A date range needs both a start and an end date.")
            if self.end_date < self.start_date:
                raise ValidationError("The end date comes before the start date.")
            if (self.end_date - self.start_date).days + 1 > MAX_FRAME_DAYS:
                raise ValidationError(
                    f"The time frame is longer than {MAX_FRAME_DAYS} days; choose a shorter one."
                )
        elif self.rolling_days is None:
            raise ValidationError("The time frame needs a date range or a number of days.")
        elif not 1 <= self.rolling_days <= MAX_FRAME_DAYS:
            raise ValidationError(f"Rolling days must be between 1 and {MAX_FRAME_DAYS}.")
        if self.slot_interval < timedelta(minutes=5):
            raise ValidationError("The slot interval must be at least 5 minutes.")
        if self.slot_interval.total_seconds() % 60:
            raise ValidationError("The slot interval must be a whole number of minutes.")
        if self.slot_interval > timedelta(days=1):
            raise ValidationError("The slot interval cannot be longer than a day.")
        for name in ("minimum_notice", "buffer_before", "buffer_after"):
            if getattr(self, name) < timedelta(0):
                raise ValidationError(f"The {name.replace('_', ' ')} cannot be negative.")
            if getattr(self, name) > MAX_MARGIN:
                raise ValidationError(
                    f"The {name.replace('_', ' ')} cannot be longer than {MAX_MARGIN.days} days."
                )

    def dates(self, now: datetime) -> tuple[date, date]:
        """First and last day (inclusive) of the frame as seen at *now*."""
        if self.start_date is not None and self.end_date is not None:
            return self.start_date, self.end_date
        assert self.rolling_days is not None
        today = require_aware(now, "current time").astimezone(zone(self.time_zone)).date()
        return today, today + timedelta(days=self.rolling_days - 1)

    def ends_at(self, now: datetime) -> datetime:
        """The instant the frame closes: midnight after its last day, in its zone."""
        last = self.dates(now)[1] + timedelta(days=1)
        return datetime(last.year, last.month, last.day, tzinfo=zone(self.time_zone))
