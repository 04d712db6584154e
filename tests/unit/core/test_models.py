from __future__ import annotations

from datetime import date, timedelta

import pytest

from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.core.hours import TimeRange, Weekday, WeeklyHours
from inviteonce_desktop.core.invitation import (
    Invitation,
    InvitationStatus,
    MeetingDetails,
    Participant,
)
from inviteonce_desktop.core.timeframe import TimeFrame
from inviteonce_desktop.core.validation import validate_duration, validate_email


@pytest.mark.parametrize(
    "address",
    [
        "plain",
        "a@b",
        "two@@example.com",
        "x@example..com",
        "a b@example.com",
        "evil@example.com\r\nBcc: x@y.z",
        "",
    ],
)
def test_malformed_emails_are_refused(address: str) -> None:
    with pytest.raises(ValidationError, match="is not an email address"):
        validate_email(address)


def test_a_good_email_is_trimmed() -> None:
    assert validate_email("  ann@example.com ") == "ann@example.com"


@pytest.mark.parametrize("minutes", [0, -5, 24 * 60 + 1])
def test_durations_outside_one_day_are_refused(minutes: int) -> None:
    with pytest.raises(ValidationError):
        validate_duration(timedelta(minutes=minutes))


def test_weekly_hours_parse_and_print_round_trip() -> None:
    hours = WeeklyHours.parse("Mon-Fri 09:00-12:00,13:00-17:00; Sat 10:00-12:00")
    assert hours.ranges(Weekday.TUESDAY) == (TimeRange(540, 720), TimeRange(780, 1020))
    assert WeeklyHours.parse(str(hours)) == hours
    assert WeeklyHours.from_json(hours.to_json()) == hours


@pytest.mark.parametrize(
    "text", ["Mon 9-5", "Fri-Mon 09:00-10:00", "Mon 10:00-09:00", "Xyz 09:00-10:00", ""]
)
def test_bad_weekly_hours_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        WeeklyHours.parse(text)


def test_time_frames_refuse_impossible_ranges() -> None:
    with pytest.raises(ValidationError, match="comes before"):
        TimeFrame("UTC", start_date=date(2026, 2, 1), end_date=date(2026, 1, 1))
    with pytest.raises(ValidationError, match="365"):
        TimeFrame("UTC", start_date=date(2026, 1, 1), end_date=date(2027, 1, 1))
    with pytest.raises(ValidationError):
        TimeFrame("UTC", rolling_days=0)


def test_names_with_line_breaks_are_refused() -> None:
    with pytest.raises(ValidationError, match="line breaks"):
        Participant("Eve\r\nBcc: someone@example.com", "eve@example.com")


def test_the_invitation_lifecycle_allows_only_forward_moves() -> None:
    invitation = Invitation(
        Participant("Ann", "ann@example.com"),
        MeetingDetails("Intro", timedelta(minutes=30), (1,)),
        TimeFrame("UTC", rolling_days=7),
    )
    pending = invitation.moved_to(InvitationStatus.PENDING)
    scheduled = pending.moved_to(InvitationStatus.SCHEDULED)
    with pytest.raises(ValidationError):
        scheduled.moved_to(InvitationStatus.PENDING)
    with pytest.raises(ValidationError):
        invitation.moved_to(InvitationStatus.SCHEDULED)
