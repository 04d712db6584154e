from __future__ import annotations

from datetime import UTC, datetime, timedelta

from inviteonce_desktop.services.calendars.windows import split_calendars, split_range


def test_calendars_are_grouped_without_duplicates() -> None:
    ids = [f"c{i}" for i in range(7)] + ["c0"]
    assert list(split_calendars(ids, 3)) == [["c0", "c1", "c2"], ["c3", "c4", "c5"], ["c6"]]


def test_ranges_are_covered_by_windows_no_longer_than_the_limit() -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    windows = list(split_range(start, start + timedelta(days=90), timedelta(days=62)))
    assert windows == [
        (start, start + timedelta(days=62)),
        (start + timedelta(days=62), start + timedelta(days=90)),
    ]
    assert list(split_range(start, start, timedelta(days=1))) == []
