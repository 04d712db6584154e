"""Reminders survive the sync being killed: each is sent once, and none for a cancelled meeting.

The bookings reach the desktop (in this process) three hours "early" by its
clock, so their 6 h reminders are planned for times that have passed by the
time ``inviteonce sync`` runs (real time, in processes of their own); those syncs are
SIGKILLed at random moments, again and again, then run to the end, with the
mail server slow to answer DATA so kills land while a reminder is in its hands.
The 30 min reminders lie hours ahead and must not go out at all.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest

from inviteonce_desktop.application.emails import workspace_tag
from inviteonce_desktop.application.mail_settings import MailSettings
from inviteonce_desktop.core.hours import WeeklyHours
from inviteonce_desktop.core.meeting import MeetingStatus
from inviteonce_desktop.core.timeframe import TimeFrame
from inviteonce_desktop.services.mail import Security
from tests.integration.mail.imap_sent import imap_sent
from tests.integration.mail.smtp_faults import faulty_smtp

from .parts import Desktop, SyncDriver, free_port, invitation, slots_bookable_later
from .test_kills import SEED, kill_until_a_sync_finishes, sync_to_the_end

pytestmark = pytest.mark.slow

MEETINGS = 3
EARLY = timedelta(hours=3)
REMINDERS = (timedelta(hours=6), timedelta(minutes=30))


def test_killed_syncs_send_each_reminder_once_and_none_after_a_cancel(
    shared_keyring: dict[str, str], sync_driver: SyncDriver, desktop: Desktop
) -> None:
    app, rng = desktop.app, random.Random(SEED)
    print(f"kill seed: {SEED} (set INVITEONCE_KILL_SEED to replay)")
    desktop.use_mail_port(free_port())  # nothing is sent before the kills
    every_hour = TimeFrame(
        "Europe/Berlin", WeeklyHours.parse("Mon-Sun 00:00-24:00"), rolling_days=3
    )
    ids = []
    for number in range(MEETINGS):
        draft = invitation(
            desktop,
            name=f"Customer {number}",
            address=f"c{number}@example.org",
            time_frame=every_hour,
        )
        draft = replace(draft, notifications=replace(draft.notifications, reminders=REMINDERS))
        created = asyncio.run(app.create_invitation(draft))
        start = slots_bookable_later(desktop, created.invitation)[number].start
        answer = httpx.post(
            f"{desktop.relay.url}/api/v1/i/{created.invitation.token}/book",
            json={"start": start.isoformat()},
        )
        assert answer.status_code == 201, answer.text
        ids.append(created.invitation.id or 0)
    now = desktop.clock.now()
    desktop.clock.at = now - EARLY
    asyncio.run(app.sync.run_once())
    desktop.clock.at = now
    meetings = {m.invitation_id: m for m in app.meetings()}
    assert sorted(meetings) == sorted(ids)
    asyncio.run(app.cancel_invitation(ids[-1]))

    with faulty_smtp(delay=0.2) as slow, imap_sent(lambda: set(slow.sent)) as imap:
        settings = MailSettings(
            "smtp",
            "127.0.0.1",
            slow.port,
            Security.NONE,
            "olivia",
            sent_host="127.0.0.1",
            sent_port=imap.port,
            sent_security=Security.NONE,
        )
        app.mail.configure(settings, imap.password)
        driver = sync_driver.syncs(shared_keyring)
        kills = kill_until_a_sync_finishes(driver, rng)
        assert sync_to_the_end(driver)["failed"] == 0
        sync_to_the_end(driver)
        copies = slow.copies()

    tag = workspace_tag(app.workspace)
    standing = [meetings[i] for i in ids[:-1]]
    expected = {
        f"<reminder.{m.id}.360.{int(m.start.timestamp())}.{tag}@example.com>" for m in standing
    }
    sent = {ident: n for ident, n in copies.items() if ident.startswith("<reminder.")}
    print(f"{kills} kills, reminders: {sent}")
    assert sent == {ident: 1 for ident in expected}
    assert {m.status for m in app.meetings()} == {MeetingStatus.CONFIRMED, MeetingStatus.CANCELLED}
    assert f"<cancellation.{meetings[ids[-1]].id}.{tag}@example.com>" in copies
