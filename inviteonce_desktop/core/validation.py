"""Checks on what people type: names, email addresses, durations."""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta

from .errors import ValidationError

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
MAX_DURATION = timedelta(hours=24)
MAX_RECORD_ID = 2**63 - 1
"""The largest id a stored record can have (SQLite's INTEGER is 64-bit, signed)."""


def is_record_id(value: int) -> bool:
    """Whether *value* can be the id of a stored record: 1 to :data:`MAX_RECORD_ID`."""
    return 0 < value <= MAX_RECORD_ID


def validate_email(address: str) -> str:
    """The address, trimmed, or a ValidationError naming it."""
    value = address.strip()
    if len(value) > 254 or not _EMAIL.match(value) or ".." in value:
        shown = value.replace("\r", " ").replace("\n", " ")[:80]
        raise ValidationError(f"'{shown}' is not an email address.")
    return value


def clean_name(name: str, what: str = "name", max_length: int = 200) -> str:
    """A single-line, trimmed name; line breaks are refused, not silently kept."""
    if "\r" in name or "\n" in name:
        raise ValidationError(f"The {what} cannot contain line breaks.")
    value = " ".join(name.split())
    if not value:
        raise ValidationError(f"The {what} is empty.")
    if len(value) > max_length:
        raise ValidationError(f"The {what} is longer than {max_length} characters.")
    return value


def name_key(name: str) -> str:
    """The form names are compared in: spaces collapsed, Unicode-normalized, casefolded.

    "Émile Zola", "ÉMILE  ZOLA" and "émile zola" share one key, as do "Иван" and "иван".
    """
    return unicodedata.normalize("NFKC", " ".join(name.split())).casefold()


def validate_duration(duration: timedelta) -> timedelta:
    if duration <= timedelta(0):
        raise ValidationError("The meeting duration must be longer than zero.")
    if duration > MAX_DURATION:
        raise ValidationError("The meeting duration cannot be longer than 24 hours.")
    if duration.total_seconds() % 60:
        raise ValidationError("The meeting duration must be a whole number of minutes.")
    return duration
