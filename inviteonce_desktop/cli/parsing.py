"""Turning command-line words into domain values, with one clear sentence on error."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from ..core.errors import ValidationError
from ..core.timezones import zone
from ..core.validation import MAX_RECORD_ID, is_record_id

MAX_MINUTES = 366 * 24 * 60
_DURATION = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m?)?\s*$", re.IGNORECASE)


def minutes(text: str, what: str = "duration") -> timedelta:
    """``30``, ``30m``, ``1h``, ``1h30m`` or ``1h30``."""
    match = _DURATION.match(text)
    if not match or not any(match.groups()):
        raise ValidationError(f"'{text}' is not a {what} like 30, 45m or 1h30m.")
    hours, mins = (int(g) if g else 0 for g in match.groups())
    total = hours * 60 + mins
    if total > MAX_MINUTES:
        raise ValidationError(f"'{text}' is too long for a {what}; the most is 366 days.")
    return timedelta(minutes=total)


def record_id(text: str, what: str) -> int:
    """The id of a stored *what* ("invitation", "calendar account"), typed as ``12`` or ``#12``.

    Every command that takes an id reads it here, so none can pass the database a
    number it cannot hold: ids are whole numbers from 1 to 2**63 - 1.
    """
    digits = text.strip().removeprefix("#")
    article = "an" if what[:1] in "aeiou" else "a"
    if not (digits.isascii() and digits.isdigit()):
        raise ValidationError(
            f"'{text}' is not {article} {what} id; ids are whole numbers like 12."
        )
    value = int(digits)
    if not is_record_id(value):
        raise ValidationError(
            f"'{text}' is not {article} {what} id; ids run from 1 to {MAX_RECORD_ID}."
        )
    return value


def day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"'{text}' is not a date like 2026-12-01.") from None


def instant(text: str, tz_name: str) -> datetime:
    """An ISO date-time; one without an offset is a wall time in *tz_name*."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"'{text}' is not a date and time like 2026-12-01T09:30.") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(tz_name))
    return value
