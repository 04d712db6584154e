"""The rule that leaves a time frame without slots, named as the organizer set it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from inviteonce_desktop.core.availability import AvailabilityQuery, explain_no_slots
from inviteonce_desktop.core.frame_rules import empty_frame_reason
from inviteonce_desktop.core.hours import WeeklyHours
from inviteonce_desktop.core.timeframe import TimeFrame

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday


def _frame(**changes: object) -> TimeFrame:
    values: dict[str, object] = {"time_zone": "Europe/Berlin", "rolling_days": 14}
    values.update(changes)
    return TimeFrame(**values)  # type: ignore[arg-type]


def test_a_notice_longer_than_the_frame_is_named_with_its_hours() -> None:
    frame = _frame(minimum_notice=timedelta(hours=400))
    reason = explain_no_slots(AvailabilityQuery(frame, timedelta(minutes=30), NOW))
    assert reason == (
        "The minimum notice of 400 h reaches past the 14-day time frame; "
        "shorten the notice or lengthen the time frame."
    )


def test_weekly_hours_on_days_the_frame_does_not_have() -> None:
    frame = _frame(
        rolling_days=None,
        start_date=date(2026, 3, 3),
        end_date=date(2026, 3, 5),
        weekly_hours=WeeklyHours.parse("Sat-Sun 10:00-12:00"),
    )
    assert empty_frame_reason(frame, timedelta(minutes=30), NOW) == (
        "The weekly hours have no day that falls in the time frame (Tue 3 Mar to Thu 5 Mar)."
    )


def test_a_meeting_longer_than_every_stretch_of_hours() -> None:
    frame = _frame(weekly_hours=WeeklyHours.parse("Mon-Fri 09:00-10:00,14:00-15:30"))
    assert empty_frame_reason(frame, timedelta(hours=2), NOW) == (
        "The meeting (2 h) is longer than every stretch of weekly hours "
        "(the longest is 1 h 30 min)."
    )


def test_a_frame_in_the_past_says_so() -> None:
    frame = _frame(rolling_days=None, start_date=date(2026, 2, 1), end_date=date(2026, 2, 3))
    reason = empty_frame_reason(frame, timedelta(minutes=30), NOW)
    assert reason is not None and reason.endswith("is already over; choose later dates.")


def test_a_frame_with_slots_has_no_such_rule() -> None:
    assert empty_frame_reason(_frame(), timedelta(minutes=30), NOW) is None
