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
PieceAnswer = Mapping[str, Spans | str | None]
"""Busy spans per calendar id for one request; for a calendar that could not be read,
the reason (a sentence), or None when the service gave none."""


class FreeBusy(dict[str, list[Interval]]):
    """Busy intervals per calendar id, and the calendars that could not be read.

    A calendar in ``unreadable`` is absent from the mapping: its busy time is
    unknown, which is never the same as free.
    """

    def __init__(
        self,
        busy: Mapping[str, list[Interval]] | None = None,
        unreadable: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(busy or {})
        self.unreadable: dict[str, str] = dict(unreadable or {})


def unreadable_reason(answer: Mapping[str, list[Interval]], calendar_id: str) -> str | None:
    """Why *calendar_id* has no busy time in *answer*; None when it was read."""
    if calendar_id in answer:
        return None
    reasons: Mapping[str, str] = getattr(answer, "unreadable", {})
    return reasons.get(calendar_id) or "the calendar service gave no busy time for it"


async def gather_free_busy(
    calendar_ids: Sequence[str],
    start: datetime,
    end: datetime,
    *,
    max_calendars: int,
    max_range: timedelta,
    fetch: Callable[[list[str], datetime, datetime], Awaitable[PieceAnswer]],
    service: str,
    unreadable: str = "it was not found or is not shared with this account",
) -> FreeBusy:
    """Free/busy over many calendars and a long range, in as many requests as the
    service's limits need, all at once; unreadable calendars are named with the
    reason (*unreadable* when the service gave none), and logged."""
    answers = await asyncio.gather(
        *(
            fetch(group, a, b)
            for group in split_calendars(calendar_ids, max_calendars)
            for a, b in split_range(start, end, max_range)
        )
    )
    spans: dict[str, Spans] = {cid: [] for cid in calendar_ids}
    reasons: dict[str, str] = {}
    for answer in answers:
        for cid, found in answer.items():
            if found is None or isinstance(found, str):
                reasons.setdefault(cid, found or unreadable)
            else:
                spans.setdefault(cid, []).extend(found)
    for cid in sorted(reasons):
        log.warning("%s could not read the free/busy of %s.", service, cid)
    return FreeBusy(
        {cid: clip_and_merge(s, start, end) for cid, s in spans.items() if cid not in reasons},
        reasons,
    )
