from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime, timedelta
from pathlib import Path

from inviteonce_desktop.application.emails import (
    Rendered,
    compose,
    duration_text,
    email_language,
    message_id,
    render,
    when_text,
    workspace_tag,
)
from inviteonce_desktop.core.profile import Profile
from inviteonce_desktop.store.workspace import Workspace

SENT = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
ORGANIZER = Profile("Olivia, <Organizer>", "olivia@example.com", "Europe/Berlin")


def test_names_with_address_syntax_stay_display_names() -> None:
    rendered = Rendered("Hello", "text", "<p>html</p>")
    message = compose(
        rendered,
        sender=ORGANIZER,
        to=('Eve, "M" <eve@evil.example>', "carla@example.org"),
        msg_id="<invitation.1.1.tag@example.com>",
        sent_at=SENT,
    )

    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert [a.addr_spec for a in parsed["To"].addresses] == ["carla@example.org"]
    assert [a.addr_spec for a in parsed["From"].addresses] == ["olivia@example.com"]
    assert parsed["Message-ID"] == "<invitation.1.1.tag@example.com>"


def test_the_calendar_part_is_a_request() -> None:
    message = compose(
        Rendered("Confirmed", "text", "<p>html</p>"),
        sender=ORGANIZER,
        to=("Carla", "carla@example.org"),
        msg_id="<confirmation.1@example.com>",
        sent_at=SENT,
        ics=b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n",
    )

    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"


def test_message_ids_are_stable_and_distinct_per_email_and_workspace(tmp_path: Path) -> None:
    tag = workspace_tag(Workspace(tmp_path / "one"))
    assert tag == workspace_tag(Workspace(tmp_path / "one"))
    other = workspace_tag(Workspace(tmp_path / "two"))
    first = message_id("invitation", "7.1", "olivia@example.com", tag)
    assert first == f"<invitation.7.1.{tag}@example.com>"
    assert first == message_id("invitation", "7.1", "olivia@example.com", tag)
    assert first != message_id("invitation", "7.2", "olivia@example.com", tag)
    assert first != message_id("invitation", "7.1", "olivia@example.com", other)


def test_durations_and_times_read_naturally() -> None:
    english = email_language("en")
    assert duration_text(timedelta(minutes=30), english) == "30 mins"
    assert duration_text(timedelta(minutes=90), english) == "1 hr 30 mins"
    assert duration_text(timedelta(hours=2), english) == "2 hrs"
    end = SENT + timedelta(minutes=30)
    assert when_text(SENT, end, "Europe/Berlin") == (
        "Tuesday, 24 November 2026, 10:00 – 10:30 (Europe/Berlin)"
    )


def test_dates_and_durations_follow_the_email_language() -> None:
    end = SENT + timedelta(minutes=90)
    expected = {
        "de": ("Dienstag, 24. November 2026, 10:00 – 11:30 (Europe/Berlin)", "1 Std. 30 Min."),
        "fr": ("mardi 24 novembre 2026, 10:00 – 11:30 (Europe/Berlin)", "1\u202fh 30\xa0min"),
        "es": ("martes, 24 de noviembre de 2026, 10:00 – 11:30 (Europe/Berlin)", "1 h 30 min"),
    }
    for code, (when, duration) in expected.items():
        lang = email_language(code)
        assert when_text(SENT, end, "Europe/Berlin", lang) == when
        assert duration_text(end - SENT, lang) == duration


def test_an_email_is_written_in_its_language_and_escapes_what_it_is_given() -> None:
    rendered = render(
        "confirmation",
        "Bestätigt",
        lang=email_language("de"),
        participant_name="Carla <b>",
        organizer_name="Olivia",
        title="Beratung & mehr",
        when="Dienstag",
        location="",
        conferencing="",
        manage_url="https://relay.example/m/abc",
    )
    assert "Hallo Carla <b>," in rendered.text
    assert "Ihr Termin ist bestätigt: Beratung & mehr" in rendered.text
    assert '<html lang="de">' in rendered.html
    assert "Hallo Carla &lt;b&gt;," in rendered.html
    assert "Ihr Termin ist bestätigt: <strong>Beratung &amp; mehr</strong>" in rendered.html
    assert "Zum Verschieben oder Absagen: https://relay.example/m/abc" in rendered.text
    assert '<a href="https://relay.example/m/abc">Verschieben oder absagen</a>' in rendered.html
