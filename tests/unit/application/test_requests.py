"""One invitation request for both fronts; drafts and templates share its JSON form."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from inviteonce_desktop.application.clock import FixedClock
from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.application.requests import InvitationRequest
from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.core.invitation import Participant, TimeZoneConversion
from inviteonce_desktop.store.serialize import (
    details_to_json,
    notifications_to_json,
    time_frame_to_json,
)
from inviteonce_desktop.store.workspace import Workspace, _alembic_config

NOW = datetime(2026, 11, 30, 9, tzinfo=UTC)


def _filled(**changes: Any) -> InvitationRequest:
    values: dict[str, Any] = {
        "participant_name": "Carla Customer",
        "participant_email": "carla@example.org",
        "subject": "Intro call",
        "duration_minutes": 45,
        "team_member_ids": [1, 2],
        "time_zone": "Europe/Berlin",
        "rolling_days": None,
        "start_date": "2026-12-01",
        "end_date": "2026-12-11",
        "weekly_hours": "Mon-Thu 09:00-12:00,13:00-17:00; Fri 09:00-13:00",
        "promoted_slots": ["2026-12-02T09:00:00+01:00"],
        "time_zone_conversion": "fixed",
        "fixed_time_zone": "America/New_York",
        "visibility": "private",
        "calendar": "3/https://dav.example.com/o/team/",
    }
    values.update(changes)
    return InvitationRequest(**values)


def test_the_json_form_is_the_stored_invitations_form() -> None:
    invitation = _filled().invitation()
    data = InvitationRequest.from_invitation(invitation).to_json()
    assert data["details"] == details_to_json(invitation.details)
    assert data["time_frame"] == time_frame_to_json(invitation.time_frame)
    assert data["notifications"] == notifications_to_json(invitation.notifications)


def test_a_request_survives_its_json() -> None:
    request = _filled()
    assert InvitationRequest.from_json(request.to_json()).invitation() == request.invitation()


def test_a_half_filled_request_keeps_what_was_typed() -> None:
    request = InvitationRequest(subject="Intro", weekly_hours="Mon-Fri 9 to 5")
    again = InvitationRequest.from_json(request.to_json())
    assert again == request
    with pytest.raises(ValidationError):
        again.invitation()


def test_a_fixed_zone_counts_only_when_times_are_fixed() -> None:
    customer = _filled(time_zone_conversion="customer").invitation()
    assert customer.notifications.advanced.fixed_time_zone is None
    fixed = _filled().invitation().notifications.advanced
    assert fixed.time_zone_conversion is TimeZoneConversion.FIXED
    assert fixed.fixed_time_zone == "America/New_York"


@pytest.mark.parametrize(
    ("change", "sentence"),
    [
        ({"start_date": "2026-13-01"}, "not a date"),
        ({"meeting_type": "carrier pigeon"}, "not a meeting type"),
        ({"promoted_slots": ["soon"]}, "not a date and time"),
        ({"send_mode": "fax"}, "not a way of sending"),
    ],
)
def test_a_wrong_value_is_one_sentence(change: dict[str, Any], sentence: str) -> None:
    with pytest.raises(ValidationError, match=sentence):
        _filled(**change).invitation()


def test_the_slot_request_follows_the_time_frame() -> None:
    request = _filled(room_ids=[4]).slot_request()
    assert request.team_members == [1, 2]
    assert request.rooms == [4]
    assert request.duration == timedelta(minutes=45)
    assert request.time_frame.start_date == date(2026, 12, 1)


def test_a_template_comes_back_as_the_request_it_was(app: InviteOnce) -> None:
    app.set_profile("Olivia Organizer", "olivia@example.com", "Europe/Berlin")
    ids = [app.add_member("Tom", "tom@example.com").id or 0]
    invitation = _filled(team_member_ids=ids, promoted_slots=[]).invitation()
    app.save_template("Intro", invitation)
    someone = Participant("Dan Doe", "dan@example.org")
    assert (
        app.template("Intro", someone)
        == _filled(
            team_member_ids=ids,
            promoted_slots=[],
            participant_name="Dan Doe",
            participant_email="dan@example.org",
        ).invitation()
    )


def test_a_draft_comes_back_as_the_request_it_was(app: InviteOnce) -> None:
    request = InvitationRequest(participant_name="Carla", subject="Intro", team_member_ids=[7])
    draft_id = app.save_draft(request)
    assert app.load_draft(draft_id) == request
    assert app.drafts()[0][:2] == (draft_id, "Intro with Carla")


def test_drafts_saved_before_are_migrated(tmp_path: Path) -> None:
    home = tmp_path / "old"
    home.mkdir()
    engine = create_engine(f"sqlite:///{home / 'inviteonce.sqlite3'}")
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
        connection.execute(
            text("INSERT INTO drafts (id, title, state, updated_at) VALUES (1, 'x', :s, :t)"),
            {
                "s": '{"participant_name": "Carla", "subject": "Intro", "weekly_hours": '
                '"Mon 09:00-12:00", "fixed_time_zone": null, "event_title": "Call {participant}",'
                ' "team_member_ids": [7], "rolling_days": null}',
                "t": NOW.replace(tzinfo=None),
            },
        )
    engine.dispose()
    app = InviteOnce(Workspace(home), FixedClock(NOW))
    try:
        assert app.load_draft(1) == InvitationRequest(
            participant_name="Carla",
            subject="Intro",
            weekly_hours="Mon 09:00-12:00",
            event_title="Call {participant}",
            team_member_ids=[7],
            rolling_days=None,
        )
    finally:
        app.close()
