"""Reading .ics files into busy events, with recurrences expanded."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

import icalendar
import recurring_ical_events

from ...core.errors import ValidationError


@dataclass(frozen=True, slots=True)
class IcsOccurrence:
    uid: str
    title: str
    start: datetime
    end: datetime
    transparent: bool
    location: str
    description: str


def _aware(value: date | datetime, default_zone: tzinfo) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=default_zone)
    return datetime(value.year, value.month, value.day, tzinfo=default_zone)


def read_ics(
    data: bytes, start: datetime, end: datetime, default_zone: tzinfo
) -> Iterator[IcsOccurrence]:
    """Occurrences of the file's events over [start, end): cancelled ones left out.

    Floating times and all-day dates belong to *default_zone*.
    """
    try:
        calendar = icalendar.Calendar.from_ical(data)
        events = recurring_ical_events.of(calendar).between(start, end)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        raise ValidationError("The file is not a readable iCalendar (.ics) file.") from None
    for event in events:
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        dtstart = event.get("DTSTART")
        if dtstart is None:
            continue
        first = _aware(dtstart.dt, default_zone)
        dtend = event.get("DTEND")
        if dtend is not None:
            last = _aware(dtend.dt, default_zone)
        elif event.get("DURATION") is not None:
            last = first + event["DURATION"].dt
        elif not isinstance(dtstart.dt, datetime):
            last = first + timedelta(days=1)
        else:
            continue
        if last <= first:
            continue
        recurrence = event.get("RECURRENCE-ID")
        uid = str(event.get("UID", "")) or f"ics-{first.timestamp()}"
        if recurrence is not None or event.get("RRULE") is not None:
            uid = f"{uid}#{first.astimezone(UTC):%Y%m%dT%H%M%SZ}"
        yield IcsOccurrence(
            uid=uid,
            title=str(event.get("SUMMARY", "Busy")),
            start=first.astimezone(UTC),
            end=last.astimezone(UTC),
            transparent=str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT",
            location=str(event.get("LOCATION", "")),
            description=str(event.get("DESCRIPTION", "")),
        )
