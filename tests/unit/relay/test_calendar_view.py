from __future__ import annotations

from datetime import UTC, date, datetime

from inviteonce_desktop.relay.calendar_view import pick
from inviteonce_desktop.relay.offer import Slot
from inviteonce_desktop.relay.presentation import by_day


def _slot(text: str) -> Slot:
    start = int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())
    return Slot(start, start + 1800)


DAYS = by_day(
    [_slot("2029-01-30T09:00"), _slot("2029-01-30T10:00"), _slot("2029-03-05T09:00")], "UTC"
)


def test_the_first_day_with_times_opens_by_default() -> None:
    picked = pick(DAYS)
    assert picked is not None and picked.day is not None
    assert picked.day.date == date(2029, 1, 30)
    month = picked.month
    assert month.label == "January 2029" and month.previous is None
    assert month.next == date(2029, 2, 1)
    cells = [c for week in month.weeks for c in week if c is not None]
    assert len(cells) == 31 and all(len(week) == 7 for week in month.weeks)
    first = month.weeks[0][0]
    assert first is not None and first.iso == "2029-01-01"  # a Monday opens the grid
    assert month.weeks[-1][3:] == [None] * 4  # the 31st is a Wednesday
    opened = [c for c in cells if c.times]
    assert [(c.iso, c.times, c.selected) for c in opened] == [("2029-01-30", 2, True)]
    assert opened[0].label == "Tuesday, 30 January 2029"


def test_a_day_or_month_can_be_asked_for() -> None:
    march = pick(DAYS, day="2029-03-05")
    assert march is not None and march.day is not None and march.month.key == "2029-03"
    assert march.month.next is None and march.month.previous == date(2029, 2, 1)
    february = pick(DAYS, month="2029-02")
    assert february is not None and february.day is None and february.month.key == "2029-02"


def test_wrong_or_far_requests_fall_back_to_the_first_day() -> None:
    for day, month in (("2029-02-30", ""), ("x", "2031-01"), ("", "2029-13"), ("", "1999-01")):
        picked = pick(DAYS, day=day, month=month)
        assert picked is not None and picked.day is DAYS[0]
    assert pick([]) is None
