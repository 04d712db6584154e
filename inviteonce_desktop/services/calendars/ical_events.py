"""iCalendar in and out: VEVENTs to write, and busy time read from calendar data.

Busy time follows RFC 5545: transparent and cancelled events are free, an
invitation the calendar's owner declined is free, all-day events and floating
times are read in the calendar's own zone, and recurring series are expanded
with their exceptions and moved or cancelled occurrences.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

import icalendar
import recurring_ical_events

from ...core.invitation import Visibility
from ...core.timezones import zone
from .base import Attendee, AttendeeRole, EventRequest

PRODID = "-//InviteOnce Desktop//InviteOnce Desktop//EN"

_ROLES = {
    AttendeeRole.REQUIRED: ("REQ-PARTICIPANT", "INDIVIDUAL"),
    AttendeeRole.OPTIONAL: ("OPT-PARTICIPANT", "INDIVIDUAL"),
    AttendeeRole.RESOURCE: ("NON-PARTICIPANT", "ROOM"),
}
_CLASSES = {Visibility.PUBLIC: "PUBLIC", Visibility.PRIVATE: "PRIVATE"}
_FREE_FBTYPES = {"FREE"}


def event_calendar(event: EventRequest, sequence: int = 0) -> bytes:
    """A VCALENDAR holding one VEVENT for *event*, with the VTIMEZONE it needs."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add_component(_vevent(event, sequence))
    calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()
    return ical


def _vevent(event: EventRequest, sequence: int) -> icalendar.Event:
    tz = zone(event.time_zone)
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", datetime.now(UTC))
    vevent.add("dtstart", event.start.astimezone(tz))
    vevent.add("dtend", event.end.astimezone(tz))
    vevent.add("summary", event.title)
    vevent.add("sequence", sequence)
    if event.description:
        vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    if event.visibility in _CLASSES:
        vevent.add("class", _CLASSES[event.visibility])
    if event.organizer_email:
        params = {"CN": event.organizer_name} if event.organizer_name else {}
        vevent.add("organizer", f"mailto:{event.organizer_email}", parameters=params)
    for attendee in event.attendees:
        vevent.add("attendee", *_attendee(attendee, event.send_updates))
    return vevent


def _attendee(attendee: Attendee, send_updates: bool) -> tuple[str, dict[str, str]]:
    role, cutype = _ROLES[attendee.role]
    params = {"ROLE": role, "CUTYPE": cutype, "PARTSTAT": "NEEDS-ACTION", "RSVP": "TRUE"}
    if attendee.name:
        params["CN"] = attendee.name
    if not send_updates:
        params["SCHEDULE-AGENT"] = "NONE"
    return f"mailto:{attendee.email}", params


def busy_from_events(
    calendars: Iterable[icalendar.Calendar],
    start: datetime,
    end: datetime,
    tz: tzinfo,
    owner_emails: frozenset[str],
) -> list[tuple[datetime, datetime]]:
    """The busy spans of every event occurrence overlapping [start, end)."""
    spans: list[tuple[datetime, datetime]] = []
    for calendar in calendars:
        for occurrence in recurring_ical_events.of(calendar).between(start, end):
            if _blocks_time(occurrence, owner_emails):
                spans.append(_span(occurrence, tz))
    return spans


def _blocks_time(vevent: Any, owner_emails: frozenset[str]) -> bool:
    if str(vevent.get("status", "")).upper() == "CANCELLED":
        return False
    if str(vevent.get("transp", "OPAQUE")).upper() == "TRANSPARENT":
        return False
    return not any(
        _address(attendee) in owner_emails
        and str(attendee.params.get("PARTSTAT", "")).upper() == "DECLINED"
        for attendee in _attendees(vevent)
    )


def _attendees(vevent: Any) -> list[Any]:
    value = vevent.get("attendee", [])
    return list(value) if isinstance(value, list) else [value]


def _address(value: object) -> str:
    text = str(value)
    return (text[7:] if text.lower().startswith("mailto:") else text).strip().lower()


def _span(vevent: Any, tz: tzinfo) -> tuple[datetime, datetime]:
    begin: date | datetime = vevent["dtstart"].dt
    if "dtend" in vevent:
        finish: date | datetime = vevent["dtend"].dt
    elif "duration" in vevent:
        finish = begin + vevent["duration"].dt
    else:
        finish = begin + timedelta(days=1) if _is_date(begin) else begin
    return _instant(begin, tz), _instant(finish, tz)


def _is_date(value: date | datetime) -> bool:
    return not isinstance(value, datetime)


def _instant(value: date | datetime, tz: tzinfo) -> datetime:
    if not isinstance(value, datetime):
        return datetime.combine(value, time(0), tz)
    return value if value.tzinfo is not None else value.replace(tzinfo=tz)


def busy_from_freebusy(calendar: icalendar.Calendar) -> Iterator[tuple[datetime, datetime]]:
    """Busy periods of the VFREEBUSY components in a free-busy REPORT answer."""
    for component in calendar.walk("VFREEBUSY"):
        values = component.get("freebusy", [])
        for prop in values if isinstance(values, list) else [values]:
            if str(prop.params.get("FBTYPE", "BUSY")).upper() in _FREE_FBTYPES:
                continue
            yield from _periods(prop)


def _periods(prop: Any) -> Iterator[tuple[datetime, datetime]]:
    text = prop.to_ical().decode() if hasattr(prop, "to_ical") else str(prop)
    for piece in text.split(","):
        first, _, second = piece.partition("/")
        begin: datetime = icalendar.vDatetime.from_ical(first)  # type: ignore[no-untyped-call]
        if second.startswith(("P", "+P", "-P")):
            length: timedelta = icalendar.vDuration.from_ical(second)  # type: ignore[no-untyped-call]
            finish = begin + length
        else:
            finish = icalendar.vDatetime.from_ical(second)  # type: ignore[no-untyped-call]
        yield _utc(begin), _utc(finish)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def calendar_zone(vtimezone_text: str) -> tzinfo | None:
    """The zone a CALDAV:calendar-timezone value (a VCALENDAR with one VTIMEZONE) names."""
    try:
        parsed = icalendar.Calendar.from_ical(vtimezone_text)
    except ValueError:
        return None
    for component in parsed.walk("VTIMEZONE"):
        tzid = str(component.get("tzid", ""))
        try:
            return zone(tzid)
        except ValueError:
            pass
        try:
            converted: tzinfo = component.to_tz()  # type: ignore[attr-defined]
            return converted
        except (ValueError, KeyError, TypeError):
            return None
    return None
