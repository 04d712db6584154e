"""The emails follow the language chosen in Settings, dates written by Babel in it;
the calendar file keeps the subject the organizer typed."""

from __future__ import annotations

import asyncio
from email.message import EmailMessage

import httpx
import pytest
from babel.dates import format_date, format_time

from inviteonce_desktop.core.timezones import zone

from .parts import Desktop, invitation, slots_bookable_later

pytestmark = pytest.mark.slow


def _text(message: EmailMessage, kind: str = "plain") -> str:
    part = message.get_body((kind,))
    assert part is not None
    return str(part.get_content())


def test_every_email_is_written_in_the_settings_language(desktop: Desktop) -> None:
    desktop.app.set_email_language("de")
    created = asyncio.run(desktop.app.create_invitation(invitation(desktop, subject="Intro call")))
    (invite,) = desktop.mailbox.messages
    assert invite["Subject"] == "Olivia Organizer lädt Sie ein, einen Termin zu wählen: Intro call"
    text = _text(invite)
    assert text.startswith("Hallo Carla Customer,")
    assert "möchte sich mit Ihnen treffen: Intro call (30 Min., Videoanruf)." in text
    assert '<html lang="de">' in _text(invite, "html")

    slots = slots_bookable_later(desktop, created.invitation)
    booked = httpx.post(
        f"{desktop.relay.url}/api/v1/i/{created.invitation.token}/book",
        json={"start": slots[0].start.isoformat(), "time_zone": "America/Chicago"},
    )
    assert booked.status_code == 201
    asyncio.run(desktop.app.sync.run_once())
    asyncio.run(desktop.app.sync.run_once())

    confirmation = desktop.mailbox.to("carla@example.org")[-1]
    assert str(confirmation["Subject"]).startswith("Bestätigt: Intro call")
    local = slots[0].start.astimezone(zone("America/Chicago"))
    day, start = (
        format_date(local.date(), "full", locale="de"),
        format_time(local, "short", locale="de"),
    )
    when = f"{day}, {start} – "
    body = _text(confirmation)
    assert f"Wann: {when}" in body and "(America/Chicago)" in body
    assert "Ihr Termin ist bestätigt:" in body
    calendar = next(p for p in confirmation.walk() if p.get_content_type() == "text/calendar")
    ics = calendar.get_content()
    ics = ics.decode() if isinstance(ics, bytes) else ics
    title = str(confirmation["Subject"]).removeprefix("Bestätigt: ")
    assert f"SUMMARY:{title}" in ics.replace("\r\n ", "")  # the organizer's words, as typed

    team = [m for m in desktop.mailbox.messages if str(m["Subject"]).startswith("Gebucht: ")]
    assert len(team) == 2
    assert all("hat Intro call gebucht." in _text(m) for m in team)
    assert all(_text(m).startswith("Hallo ") for m in team)
