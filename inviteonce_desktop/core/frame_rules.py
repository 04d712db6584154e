"""Which rule of a time frame leaves no slot at all, said as the organizer set it.

"The minimum notice of 400 h reaches past the 14-day time frame" tells the
organizer what to change; "no available slots" does not.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .timeframe import TimeFrame
from .timezones import zone


def _hours(value: timedelta) -> str:
    minutes = int(value.total_seconds() // 60)
    if minutes % 60 == 0:
        return f"{minutes // 60} h"
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60} min"


def _frame_words(frame: TimeFrame, first: date, last: date) -> str:
    days = (last - first).days + 1
    if frame.rolling_days is not None:
        return f"the {days}-day time frame"
    return f"the time frame ({first:%a} {first.day} {first:%b} to {last:%a} {last.day} {last:%b})"


def empty_frame_reason(frame: TimeFrame, duration: timedelta, now: datetime) -> str | None:
    """The one rule that removes every slot before any calendar is read, or None."""
    first, last = frame.dates(now)
    tz = zone(frame.time_zone)
    closes = datetime(last.year, last.month, last.day, tzinfo=tz) + timedelta(days=1)
    earliest = now + frame.minimum_notice
    words = _frame_words(frame, first, last)
    if closes <= now:
        return f"{words[0].upper()}{words[1:]} is already over; choose later dates."
    if earliest >= closes:
        return (
            f"The minimum notice of {_hours(frame.minimum_notice)} reaches past {words}; "
            "shorten the notice or lengthen the time frame."
        )
    weekdays = {
        (first + timedelta(days=n)).weekday() for n in range(min((last - first).days + 1, 7))
    }
    if not any(frame.weekly_hours.ranges(day) for day in weekdays):
        return f"The weekly hours have no day that falls in {words}."
    longest = max(
        (r.end_minute - r.start_minute for day in weekdays for r in frame.weekly_hours.ranges(day)),
        default=0,
    )
    if timedelta(minutes=longest) < duration:
        return (
            f"The meeting ({_hours(duration)}) is longer than every stretch of weekly hours "
            f"(the longest is {_hours(timedelta(minutes=longest))})."
        )
    if earliest.astimezone(tz).date() > first:
        return (
            f"After the minimum notice of {_hours(frame.minimum_notice)}, no weekly hours "
            f"are left in {words}."
        )
    return None
