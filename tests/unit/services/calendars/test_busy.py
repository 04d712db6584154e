from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from inviteonce_desktop.core.intervals import Interval
from inviteonce_desktop.services.calendars.busy import clip_and_merge


def _at(hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, 3, hour, minute, tzinfo=UTC)


def test_spans_are_clipped_sorted_and_merged_in_utc() -> None:
    east = timezone(timedelta(hours=2))
    spans = [
        (_at(13), _at(14)),
        (datetime(2025, 3, 3, 10, tzinfo=east), datetime(2025, 3, 3, 11, 30, tzinfo=east)),
        (_at(9), _at(10)),
        (_at(5), _at(7)),
        (_at(20), _at(23)),
        (_at(14), _at(15)),
    ]
    assert clip_and_merge(spans, _at(6), _at(21)) == [
        Interval(_at(6), _at(7)),
        Interval(_at(8), _at(10)),
        Interval(_at(13), _at(15)),
        Interval(_at(20), _at(21)),
    ]


def test_spans_outside_the_range_disappear() -> None:
    assert clip_and_merge([(_at(1), _at(2))], _at(6), _at(21)) == []
