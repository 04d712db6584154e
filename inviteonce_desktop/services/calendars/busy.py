"""Busy intervals as providers hand them out: clipped to the asked range, sorted, merged."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from ...core.intervals import Interval


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
