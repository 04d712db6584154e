"""Splitting a free/busy question into pieces a calendar service accepts."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta


def split_calendars(calendar_ids: Sequence[str], size: int) -> Iterator[list[str]]:
    """Groups of at most *size* distinct calendar ids, in the order given."""
    unique = list(dict.fromkeys(calendar_ids))
    for index in range(0, len(unique), size):
        yield unique[index : index + size]


def split_range(
    start: datetime, end: datetime, longest: timedelta
) -> Iterator[tuple[datetime, datetime]]:
    """Consecutive windows covering [start, end), none longer than *longest*."""
    cursor = start
    while cursor < end:
        stop = min(end, cursor + longest)
        yield cursor, stop
        cursor = stop
