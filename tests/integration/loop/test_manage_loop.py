"""After the booking, through the real loop: the customer moves or cancels the meeting with
their manage link, the organizer moves it; Radicale's event follows in place, the
customer and the team get one email each, the invitation's history says so."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import icalendar
import pytest

from inviteonce_desktop.application.invitations import CreatedInvitation
from inviteonce_desktop.application.requests import slot_request
from inviteonce_desktop.cli.commands import run
from inviteonce_desktop.core.history import HistoryKind
from inviteonce_desktop.core.invitation import InvitationStatus
from inviteonce_desktop.core.meeting import MeetingStatus

from .parts import Desktop, RadicaleCalendar, invitation, use_calendar
from .test_loop import plain_text

CUSTOMER = "carla@example.org"


def _later_slots(desktop: Desktop, created: CreatedInvitation) -> list[datetime]:
    """Slot starts at least two days away: well outside the change lead time."""
    soonest = desktop.clock.now() + timedelta(days=2)
    return [
        s.start
        for s in desktop.app.list_slots_now(slot_request(created.invitation))
        if s.start >= soonest
    ]


def _slot_id(start: datetime) -> str:
    return start.strftime("%Y%m%dT%H%M%SZ")


def _booked(
    desktop: Desktop, radicale_calendar: RadicaleCalendar
) -> tuple[CreatedInvitation, list[datetime]]:
    use_calendar(desktop.app, radicale_calendar.server.url, radicale_calendar)
    created = asyncio.run(desktop.app.create_invitation(invitation(desktop)))
    starts = _later_slots(desktop, created)
    booked = httpx.post(
        f"{desktop.relay.url}/api/v1/i/{created.invitation.token}/book",
        json={"start": starts[0].isoformat(), "time_zone": "America/Chicago"},
    )
    assert booked.status_code == 201, booked.text
    _sync(desktop)
    return created, starts


def _sync(desktop: Desktop) -> None:
    asyncio.run(desktop.app.sync.run_once())


def _reschedule(manage_url: str, start: datetime) -> None:
    with httpx.Client() as browser:
        page = browser.get(f"{manage_url}/reschedule/{_slot_id(start)}")
        assert page.status_code == 200, page.text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        expected = re.search(r'name="from" value="(\d+)"', page.text)
        assert csrf is not None and expected is not None
        answer = browser.post(
            f"{manage_url}/reschedule",
            data={"slot_id": _slot_id(start), "csrf": csrf[1], "from": expected[1]},
        )
        assert answer.status_code == 303, answer.text


def _cancel(manage_url: str) -> None:
    with httpx.Client() as browser:
        page = browser.get(f"{manage_url}/cancel")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        expected = re.search(r'name="from" value="(\d+)"', page.text)
        assert csrf is not None and expected is not None
        answer = browser.post(f"{manage_url}/cancel", data={"csrf": csrf[1], "from": expected[1]})
        assert answer.status_code == 303, answer.text


def _calendar_part(message: object) -> icalendar.cal.Component:
    for part in message.walk():  # type: ignore[attr-defined]
        if part.get_content_type() == "text/calendar":
            return icalendar.Calendar.from_ical(part.get_content())
    raise AssertionError("no calendar part")


def test_the_customer_moves_the_meeting_and_everything_follows_once(
    desktop: Desktop, radicale_calendar: RadicaleCalendar
) -> None:
    created, starts = _booked(desktop, radicale_calendar)
    (meeting,) = desktop.app.meetings()
    assert meeting.manage_url and meeting.manage_url.startswith(f"{desktop.relay.url}/m/")
    (confirmation,) = [m for m in desktop.mailbox.to(CUSTOMER) if "Confirmed" in str(m["Subject"])]
    assert meeting.manage_url in plain_text(confirmation)
    before = len(desktop.mailbox.messages)

    _reschedule(meeting.manage_url, starts[3])
    _sync(desktop)
    _sync(desktop)

    (moved,) = desktop.app.meetings()
    assert moved.id == meeting.id and moved.event_uid == meeting.event_uid
    assert moved.start == starts[3] and moved.sequence == 1
    assert moved.status == MeetingStatus.CONFIRMED
    (event,) = radicale_calendar.events()
    assert str(event["UID"]) == meeting.event_uid
    assert event.decoded("DTSTART") == starts[3] and int(event["SEQUENCE"]) == 1
    new = desktop.mailbox.messages[before:]
    assert len(new) == 3  # the customer's update, one notice per team member
    (update,) = [m for m in new if CUSTOMER in str(m["To"])]
    request = _calendar_part(update)
    assert str(request["METHOD"]) == "REQUEST"
    (vevent,) = request.walk("VEVENT")
    assert str(vevent["UID"]) == meeting.event_uid and int(vevent["SEQUENCE"]) == 1
    assert vevent.decoded("DTSTART") == starts[3]
    assert meeting.manage_url in plain_text(update)
    assert created.invitation.id is not None
    kinds = [e.kind for e in desktop.app.invitation_history(created.invitation.id)]
    assert HistoryKind.MOVED in kinds and HistoryKind.UPDATE_SENT in kinds


def test_the_organizer_moves_then_the_customer_cancels(
    desktop: Desktop, radicale_calendar: RadicaleCalendar, capsys: pytest.CaptureFixture[str]
) -> None:
    created, starts = _booked(desktop, radicale_calendar)
    (meeting,) = desktop.app.meetings()
    assert meeting.id is not None and meeting.manage_url
    berlin = ZoneInfo("Europe/Berlin")
    assert run(["meetings", "move", str(meeting.id)]) == 0
    listed = capsys.readouterr().out
    assert f"{starts[2].astimezone(berlin):%a %Y-%m-%d %H:%M}" in listed
    assert f"{starts[0].astimezone(berlin):%a %Y-%m-%d %H:%M}" not in listed
    taken = starts[0].astimezone(berlin).strftime("%Y-%m-%dT%H:%M")
    assert run(["meetings", "move", str(meeting.id), "--to", taken]) != 0
    assert "at that time already" in capsys.readouterr().err
    before = len(desktop.mailbox.messages)

    new = starts[2].astimezone(berlin).strftime("%Y-%m-%dT%H:%M")
    assert run(["meetings", "move", str(meeting.id), "--to", new]) == 0
    assert "moved to" in capsys.readouterr().out
    _sync(desktop)  # the feed's copy of the move is recognised, not applied twice

    (moved,) = desktop.app.meetings()
    assert moved.start == starts[2] and moved.sequence == 1
    (event,) = radicale_calendar.events()
    assert event.decoded("DTSTART") == starts[2]
    update = [m for m in desktop.mailbox.messages[before:] if CUSTOMER in str(m["To"])]
    assert len(update) == 1 and "Olivia Organizer moved your meeting" in plain_text(update[0])
    assert len(desktop.mailbox.messages) == before + 3

    _cancel(meeting.manage_url)
    _sync(desktop)
    _sync(desktop)

    (cancelled,) = desktop.app.meetings()
    assert cancelled.status == MeetingStatus.CANCELLED and cancelled.sequence == 2
    assert radicale_calendar.events() == []
    late = desktop.mailbox.messages[before + 3 :]
    assert len(late) == 3
    (notice,) = [m for m in late if CUSTOMER in str(m["To"])]
    cancel = _calendar_part(notice)
    assert str(cancel["METHOD"]) == "CANCEL"
    (vevent,) = cancel.walk("VEVENT")
    assert str(vevent["UID"]) == meeting.event_uid and int(vevent["SEQUENCE"]) == 2
    assert "You cancelled it" in plain_text(notice)
    assert created.invitation.id is not None
    assert desktop.app.invitation(created.invitation.id).status == InvitationStatus.CANCELLED
    texts = [e.text for e in desktop.app.invitation_history(created.invitation.id)]
    assert "The customer cancelled the meeting." in texts
