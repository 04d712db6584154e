"""The invitation loop's email through a mail server that misbehaves, end to end.

A standalone relay, the faulty SMTP server of ``tests/integration/mail`` and,
where the Sent folder can be searched, an IMAP server over the same mailbox.
Every test counts the copies the server received.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import icalendar
import pytest

from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.application.invitations import CreatedInvitation, EmailState
from inviteonce_desktop.application.mail_delivery import DEFAULT_SETTLE
from inviteonce_desktop.application.mail_settings import MailSettings
from inviteonce_desktop.core.history import HistoryKind
from inviteonce_desktop.core.invitation import InvitationStatus
from inviteonce_desktop.core.meeting import MeetingStatus
from inviteonce_desktop.services.mail import Security
from tests.integration.mail.imap_sent import ImapSent, imap_sent
from tests.integration.mail.smtp_faults import FaultySmtp, faulty_smtp, free_port

from .parts import Desktop, invitation, local_event, slots_bookable_later

pytestmark = pytest.mark.slow


@pytest.fixture
def smtp(desktop: Desktop) -> Iterator[FaultySmtp]:
    with faulty_smtp() as server:
        desktop.use_mail_port(server.port)
        yield server


@pytest.fixture
def sent_folder(desktop: Desktop, smtp: FaultySmtp) -> Iterator[ImapSent]:
    """The SMTP server files what it accepts in a Sent folder that IMAP can search."""
    with imap_sent(lambda: set(smtp.sent), "olivia", "secret") as imap:
        settings = MailSettings(
            "smtp",
            "127.0.0.1",
            smtp.port,
            Security.NONE,
            "olivia",
            sent_host="127.0.0.1",
            sent_port=imap.port,
            sent_security=Security.NONE,
        )
        desktop.app.mail.configure(settings, "secret")
        yield imap


def create(desktop: Desktop, **options: Any) -> CreatedInvitation:
    return asyncio.run(desktop.app.create_invitation(invitation(desktop, **options)))


def retry(desktop: Desktop) -> None:
    desktop.app.worker.retry_now()
    asyncio.run(desktop.app.worker.run_due())


def kinds(desktop: Desktop, invitation_id: int) -> list[HistoryKind]:
    return [e.kind for e in desktop.app.invitations.history(invitation_id)]


def book(desktop: Desktop, created: CreatedInvitation) -> None:
    slots = slots_bookable_later(desktop, created.invitation)
    answer = httpx.post(
        f"{desktop.relay.url}/api/v1/i/{created.invitation.token}/book",
        json={"start": slots[0].start.isoformat()},
    )
    assert answer.status_code == 201, answer.text


def test_greylisting_queues_the_email_says_so_and_sends_it_once_later(
    desktop: Desktop, smtp: FaultySmtp
) -> None:
    smtp.fail("rcpt", "450 4.7.1 Greylisted, please try again later")

    created = create(desktop)

    assert created.email.state == EmailState.QUEUED
    assert created.summary() == (
        f"Invitation {created.invitation.id} published; the email to carla@example.org is "
        "queued: The mail server 127.0.0.1 asked to try the recipient again later (450)."
    )
    (entry,) = desktop.app.invitations.list()
    assert entry.last_error is not None and "450" in entry.last_error
    desktop.clock.at += timedelta(seconds=3)
    asyncio.run(desktop.app.worker.run_due())
    assert len(smtp.messages) == 1
    (entry,) = desktop.app.invitations.list()
    assert entry.last_error is None
    assert desktop.app.invitations.email_status(entry.invitation.id or 0).state == EmailState.SENT


def test_a_554_fails_the_email_and_says_failed(desktop: Desktop, smtp: FaultySmtp) -> None:
    smtp.fail("end", "554 5.7.1 Message rejected as spam")

    created = create(desktop)

    assert created.email.state == EmailState.FAILED
    assert "failed: The mail server 127.0.0.1 refused the message (554" in created.summary()
    assert created.invitation.status == InvitationStatus.PENDING
    assert smtp.messages == []
    assert HistoryKind.EMAIL_FAILED in kinds(desktop, created.invitation.id or 0)


def test_a_mail_server_that_is_down_is_queued_not_sent(desktop: Desktop) -> None:
    port = free_port()
    desktop.use_mail_port(port)

    created = create(desktop)

    assert created.email.state == EmailState.QUEUED
    assert created.summary().endswith(
        f"is queued: The mail server 127.0.0.1:{port} cannot be reached."
    )


def test_a_drop_after_data_with_no_sent_folder_sends_once_more_and_marks_it(
    desktop: Desktop, smtp: FaultySmtp
) -> None:
    smtp.fail("end", None)

    created = create(desktop)
    assert created.email.state == EmailState.QUEUED
    assert "did not confirm" in created.email.reason
    retry(desktop)
    retry(desktop)

    assert len(smtp.messages) == 2
    history = kinds(desktop, created.invitation.id or 0)
    assert history.count(HistoryKind.MAYBE_TWICE) == 1
    assert history.count(HistoryKind.EMAILED) == 1


def test_a_drop_after_data_is_looked_up_in_the_sent_folder_and_not_sent_again(
    desktop: Desktop, smtp: FaultySmtp, sent_folder: ImapSent
) -> None:
    smtp.fail("end", None)

    created = create(desktop)
    retry(desktop)
    retry(desktop)

    assert len(smtp.messages) == 1
    assert sent_folder.searches == [str(smtp.messages[0]["Message-ID"])]
    (emailed,) = [
        e
        for e in desktop.app.invitations.history(created.invitation.id or 0)
        if e.kind == HistoryKind.EMAILED
    ]
    assert "found in the Sent folder on 127.0.0.1" in emailed.text
    assert HistoryKind.MAYBE_TWICE not in kinds(desktop, created.invitation.id or 0)


def test_a_lost_send_not_in_the_sent_folder_is_sent_again_once(
    desktop: Desktop, smtp: FaultySmtp, sent_folder: ImapSent
) -> None:
    smtp.fail("data", None)

    created = create(desktop)
    retry(desktop)
    assert smtp.messages == []
    desktop.clock.at += DEFAULT_SETTLE
    retry(desktop)

    assert len(smtp.messages) == 1
    assert sent_folder.searches == [str(smtp.messages[0]["Message-ID"])] * 2
    assert HistoryKind.MAYBE_TWICE not in kinds(desktop, created.invitation.id or 0)


def test_resend_of_a_queued_email_retries_it_instead_of_queueing_more(
    desktop: Desktop, smtp: FaultySmtp
) -> None:
    desktop.app.mail.configure(MailSettings())
    created = create(desktop)
    ident = created.invitation.id or 0
    assert created.email.state == EmailState.QUEUED
    outcomes = {asyncio.run(desktop.app.resend_invitation(ident)) for _ in range(2)}

    desktop.use_mail_port(smtp.port)
    outcomes.add(asyncio.run(desktop.app.resend_invitation(ident)))
    asyncio.run(desktop.app.sync.run_once())

    assert outcomes == {"the queued email is tried again"}
    assert len(smtp.messages) == 1
    assert asyncio.run(desktop.app.resend_invitation(ident)) == "a new email is queued"
    assert len(smtp.messages) == 2
    assert smtp.messages[0]["Message-ID"] != smtp.messages[1]["Message-ID"]


def test_a_greylisted_confirmation_can_be_resent_once_scheduled(
    desktop: Desktop, smtp: FaultySmtp
) -> None:
    created = create(desktop)
    book(desktop, created)
    smtp.fail("rcpt", "450 4.7.1 Greylisted", times=10)
    asyncio.run(desktop.app.sync.run_once())
    assert desktop.app.invitations.get(created.invitation.id).status == InvitationStatus.SCHEDULED
    assert len(smtp.messages) == 1

    smtp.faults.clear()
    outcome = asyncio.run(desktop.app.resend_invitation(created.invitation.id or 0))

    assert outcome == "the meeting's unsent emails are tried again"
    assert len(smtp.messages) == 4
    assert sorted(set(smtp.copies().values())) == [1]


def test_temporary_failures_are_given_up_after_the_setting_and_the_organizer_told(
    desktop: Desktop, smtp: FaultySmtp
) -> None:
    desktop.app.set_give_up_hours(1)
    smtp.fail("connect", "421 4.3.2 Try again later", times=100)
    created = create(desktop)

    desktop.clock.at += timedelta(hours=2)
    retry(desktop)

    status = desktop.app.invitations.email_status(created.invitation.id or 0)
    assert status.state == EmailState.FAILED
    (failed,) = [
        e
        for e in desktop.app.invitations.history(created.invitation.id or 0)
        if e.kind == HistoryKind.EMAIL_FAILED
    ]
    assert failed.text.startswith("Given up after 1 h of retries: The mail server")


def test_cancelling_a_meeting_tells_the_customer_with_a_cancel_and_the_team_once(
    desktop: Desktop, smtp: FaultySmtp
) -> None:
    created = create(desktop)
    book(desktop, created)
    asyncio.run(desktop.app.sync.run_once())
    (meeting,) = desktop.app.meetings()

    asyncio.run(desktop.app.cancel_invitation(created.invitation.id or 0))
    asyncio.run(desktop.app.cancel_invitation(created.invitation.id or 0))
    asyncio.run(desktop.app.sync.run_once())

    cancel_to_customer = [
        m for m in smtp.messages if m["Subject"].startswith("Cancelled") and "carla" in m["To"]
    ]
    notices = [
        m
        for m in smtp.messages
        if m["Subject"].startswith("Cancelled") and m not in cancel_to_customer
    ]
    (cancel,) = cancel_to_customer
    assert sorted(str(m["To"]) for m in notices) == [
        "Maria Keller <maria@example.com>",
        "Tom Berg <tom@example.com>",
    ]
    calendar = [p for p in cancel.walk() if p.get_content_type() == "text/calendar"]
    assert len(calendar) == 1 and calendar[0].get_param("method") == "CANCEL"
    text = calendar[0].get_content()
    assert f"UID:{meeting.event_uid}" in text and "SEQUENCE:1" in text
    assert "STATUS:CANCELLED" in text
    (after,) = desktop.app.meetings()
    assert after.status == MeetingStatus.CANCELLED


def test_a_cancel_that_crosses_a_booking_ends_cancelled_and_tells_the_customer(
    desktop: Desktop, smtp: FaultySmtp
) -> None:
    created = create(desktop)
    book(desktop, created)

    asyncio.run(desktop.app.cancel_invitation(created.invitation.id or 0))
    asyncio.run(desktop.app.sync.run_once())

    (meeting,) = desktop.app.meetings()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.conflict is not None and "after the invitation was cancelled" in meeting.conflict
    subjects = [str(m["Subject"]) for m in smtp.messages]
    assert subjects[0].startswith("Olivia Organizer invites you")
    assert [s for s in subjects[1:]] == ["Cancelled: Intro call with Carla Customer"]
    assert desktop.app.invitations.get(created.invitation.id).status == InvitationStatus.CANCELLED
    assert asyncio.run(desktop.app.sync.run_once()).bookings == 0


def test_one_uid_for_the_meeting_in_the_relays_file_the_confirmation_and_the_calendar(
    desktop: Desktop, smtp: FaultySmtp
) -> None:
    created = create(desktop)
    book(desktop, created)
    relay_file = httpx.get(f"{desktop.relay.url}/i/{created.invitation.token}/event.ics")
    asyncio.run(desktop.app.sync.run_once())

    (meeting,) = desktop.app.meetings()
    (relay_event,) = icalendar.Calendar.from_ical(relay_file.text).walk("VEVENT")
    (confirmation,) = [m for m in smtp.messages if str(m["Subject"]).startswith("Confirmed")]
    (inline,) = [
        p
        for p in confirmation.walk()
        if p.get_content_type() == "text/calendar" and p.get_param("method") == "REQUEST"
    ]
    assert inline.get_param("charset") == "utf-8"
    (parent,) = [
        p
        for p in confirmation.walk()
        if p.get_content_type() == "multipart/alternative" and inline in p.get_payload()
    ]
    assert [p.get_content_type() for p in parent.get_payload()] == [
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    (emailed_event,) = icalendar.Calendar.from_ical(inline.get_content()).walk("VEVENT")
    assert str(relay_event["uid"]) == str(emailed_event["uid"]) == meeting.event_uid
    assert local_event(desktop.app, meeting.event_uid) is not None


def test_the_history_says_when_the_customers_browser_opened_the_link_not_a_scanner(
    desktop: Desktop, smtp: FaultySmtp
) -> None:
    created = create(desktop)
    assert created.links.url
    ident = created.invitation.id or 0

    browser = {"sec-fetch-dest": "document", "sec-fetch-mode": "navigate"}
    page = httpx.get(created.links.url, headers=browser)
    assert page.status_code == 200
    asyncio.run(desktop.app.sync.run_once())
    assert HistoryKind.OPENED not in kinds(desktop, ident)

    proof = re.search(r'data-open-proof="(\w+)"', page.text)
    assert proof is not None
    # what the page's script sends once the page is visible
    reported = httpx.post(f"{created.links.url}/opened", data={"proof": proof.group(1)})
    assert reported.status_code == 204
    asyncio.run(desktop.app.sync.run_once())
    asyncio.run(desktop.app.sync.run_once())

    assert kinds(desktop, ident) == [HistoryKind.PUBLISHED, HistoryKind.EMAILED, HistoryKind.OPENED]


def test_two_processes_working_one_outbox_send_each_email_once(
    desktop: Desktop, smtp: FaultySmtp
) -> None:
    desktop.app.mail.configure(MailSettings())
    for number in range(3):
        create(desktop, name=f"Customer {number}", address=f"c{number}@example.org")
    desktop.use_mail_port(smtp.port)
    smtp.delay = 0.2
    other = InviteOnce.open(desktop.app.workspace.home, desktop.clock)

    async def both() -> None:
        desktop.app.worker.retry_now()
        other.worker.retry_now()
        await asyncio.gather(desktop.app.worker.run_due(), other.worker.run_due())

    try:
        asyncio.run(both())
    finally:
        other.close()

    assert sorted(smtp.copies().values()) == [1, 1, 1]
