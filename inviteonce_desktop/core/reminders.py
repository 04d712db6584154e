"""Reminders: emails to the customer a set time before their meeting starts.

An invitation carries up to two reminder offsets ("24 h and 1 h before"); the
workspace keeps a default that new invitations start from. Each reminder is
due at the meeting's start minus its offset, so a meeting that moves takes
its reminders with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from .errors import ValidationError

MAX_REMINDERS = 2
SHORTEST = timedelta(minutes=5)
LONGEST = timedelta(days=14)
_OFFSET = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|min|h|d)?\s*$", re.IGNORECASE)
_UNITS = {"m": 1, "min": 1, "h": 60, "d": 24 * 60}


def parse_offset(text: str) -> timedelta:
    """ "24h", "90m", "1d" or "1.5h" (a plain number is hours) as a duration."""
    found = _OFFSET.match(text)
    if found is None:
        raise ValidationError(f"'{text}' is not a reminder time like 24h, 90m or 2d.")
    number, unit = float(found.group(1)), (found.group(2) or "h").lower()
    minutes = number * _UNITS[unit]
    if minutes != int(minutes):
        raise ValidationError(f"'{text}' is not a whole number of minutes.")
    return timedelta(minutes=int(minutes))


def reminder_offsets(values: Iterable[timedelta]) -> tuple[timedelta, ...]:
    """*values* checked: at most two, each from 5 minutes to 14 days, the earliest first."""
    offsets = sorted(set(values), reverse=True)
    if len(offsets) > MAX_REMINDERS:
        raise ValidationError(f"An invitation has at most {MAX_REMINDERS} reminders.")
    for offset in offsets:
        if offset.total_seconds() % 60:
            raise ValidationError("A reminder time must be a whole number of minutes.")
        if not SHORTEST <= offset <= LONGEST:
            raise ValidationError("A reminder goes out between 5 minutes and 14 days before.")
    return tuple(offsets)


def offset_text(offset: timedelta) -> str:
    """ "24 h", "30 min", "1 h 30 min", "3 d"."""
    minutes = int(offset.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    if days > 2 and not rest:
        return f"{days} d"
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} h" if hours else f"{minutes} min"


def offsets_text(offsets: Iterable[timedelta]) -> str:
    """ "24 h and 1 h before", or "none"."""
    texts = [offset_text(o) for o in offsets]
    return f"{' and '.join(texts)} before" if texts else "none"


def due_at(start: datetime, offset: timedelta) -> datetime:
    return start - offset
