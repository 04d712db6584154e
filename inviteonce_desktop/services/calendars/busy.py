"""Busy intervals as providers hand them out: clipped to the asked range, sorted, merged."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta

from ...core.intervals import Interval
from .windows import split_calendars, split_range

log = logging.getLogger(__name__)


def clip_and_merge(
    spans: Iterable[tuple[datetime, datetime]], start: datetime, end: datetime
) -> list[Interval]:
    """UTC intervals covering *spans* within [start, end), overlapping ones merged."""
    lower, upper = start.astimezone(UTC), end.astimezone(UTC)
    clipped = sorted(
        (max(a.astimezone(UTC), lower), min(b.astimezone(UTC), upper)) for a, b in spans
    )
    merged: list[list[datetime]] = []
    for a, b in clipped:
        if b <= a:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [Interval(a, b) for a, b in merged]


Spans = list[tuple[datetime, datetime]]
PieceAnswer = Mapping[str, Spans | None]
"""Busy spans per calendar id for one request; None for a calendar that could not be read."""


async def gather_free_busy(
    calendar_ids: Sequence[str],
    start: datetime,
    end: datetime,
    *,
    max_calendars: int,
    max_range: timedelta,
    fetch: Callable[[list[str], datetime, datetime], Awaitable[PieceAnswer]],
    service: str,
) -> dict[str, list[Interval]]:
    """Free/busy over many calendars and a long range, in as many requests as the
    service's limits need, all at once; unreadable calendars are left out and logged."""
    answers = await asyncio.gather(
        *(
            fetch(group, a, b)
            for group in split_calendars(calendar_ids, max_calendars)
            for a, b in split_range(start, end, max_range)
        )
    )
    spans: dict[str, Spans] = {cid: [] for cid in calendar_ids}
    unreadable: set[str] = set()
    for answer in answers:
        for cid, found in answer.items():
            if found is None:
                unreadable.add(cid)
            else:
                spans.setdefault(cid, []).extend(found)
    for cid in sorted(unreadable):
        log.warning("%s could not read the free/busy of %s.", service, cid)
    return {cid: clip_and_merge(s, start, end) for cid, s in spans.items() if cid not in unreadable}
