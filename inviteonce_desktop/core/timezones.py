"""Wall times in named zones, turned into instants without DST surprises.

A wall-clock range on a date can map to one interval of instants, a shorter
one (the clocks jumped forward inside it) or two (the clocks fell back and the
range ends inside the repeated hour). :func:`wall_range_instants` computes the
exact set: the instants whose wall time in the zone lies in the range.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .errors import UnknownTimeZone

_EPOCH = datetime(1970, 1, 1)
_MAX_EAST = timedelta(hours=14)
_MAX_WEST = timedelta(hours=12)
_SECOND = timedelta(seconds=1)


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """The zone called *name*, or :class:`UnknownTimeZone` with a clear message."""
    if not name or name != name.strip() or name.startswith(("/", ".")):
        raise UnknownTimeZone(f"'{name}' is not a time zone name.")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UnknownTimeZone(f"'{name}' is not a known time zone.") from None


def is_zone(name: str) -> bool:
    try:
        zone(name)
    except UnknownTimeZone:
        return False
    return True


def zone_names() -> list[str]:
    return sorted(available_timezones())


def require_aware(value: datetime, what: str = "time") -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"The {what} must carry a time zone.")
    return value


def to_utc(value: datetime) -> datetime:
    return require_aware(value).astimezone(UTC)


def from_utc_seconds(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _offset_at(tz: tzinfo, naive_utc: datetime) -> timedelta:
    offset = tz.utcoffset(naive_utc.replace(tzinfo=UTC).astimezone(tz))
    assert offset is not None
    return offset


def _constant_offset_pieces(
    tz: tzinfo, lo: datetime, hi: datetime
) -> list[tuple[datetime, datetime, timedelta]]:
    """Split [lo, hi) (naive UTC) into pieces over which the zone's offset is constant."""
    first, last = _offset_at(tz, lo), _offset_at(tz, hi - _SECOND)
    if first == last:
        return [(lo, hi, first)]
    if hi - lo <= _SECOND:
        return [(lo, hi, first)]
    mid = lo + (hi - lo) // 2
    mid = mid.replace(microsecond=0)
    left = _constant_offset_pieces(tz, lo, mid)
    right = _constant_offset_pieces(tz, mid, hi)
    if left[-1][2] == right[0][2]:
        joined = (left[-1][0], right[0][1], left[-1][2])
        return [*left[:-1], joined, *right[1:]]
    return [*left, *right]


def wall_range_instants(
    day: date, start_minute: int, end_minute: int, tz: tzinfo
) -> list[tuple[int, int]]:
    """Instants (epoch seconds, half-open) whose wall time on *day* is in the range.

    *start_minute* and *end_minute* count minutes from midnight; 1440 is the end
    of the day. The result has zero, one or two intervals, sorted.
    """
    midnight = datetime(day.year, day.month, day.day)
    wall_start = midnight + timedelta(minutes=start_minute)
    wall_end = midnight + timedelta(minutes=end_minute)
    pieces = _constant_offset_pieces(tz, wall_start - _MAX_EAST, wall_end + _MAX_WEST)
    result: list[tuple[int, int]] = []
    for piece_start, piece_end, offset in pieces:
        lo = max(wall_start - offset, piece_start)
        hi = min(wall_end - offset, piece_end)
        if lo >= hi:
            continue
        a = int((lo - _EPOCH).total_seconds())
        b = int((hi - _EPOCH).total_seconds())
        if result and result[-1][1] == a:
            result[-1] = (result[-1][0], b)
        else:
            result.append((a, b))
    return result
