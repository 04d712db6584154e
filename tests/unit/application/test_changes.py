"""An invitation's lead time for the customer's changes: its own, else the Settings default."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from inviteonce_desktop.application.changes import (
    DEFAULT_CHANGE_LEAD,
    is_newer,
    with_change_lead,
)
from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.application.requests import InvitationRequest
from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.core.invitation import Confirmation, MeetingType
from inviteonce_desktop.services.relay_client import RelayOffer
from inviteonce_desktop.store.serialize import notifications_from_json, notifications_to_json


def _request(**changes: object) -> InvitationRequest:
    values: dict[str, object] = {
        "participant_name": "Carla Customer",
        "participant_email": "carla@example.org",
        "subject": "Intro call",
        "team_member_ids": [1],
        "time_zone": "Europe/Berlin",
    }
    return InvitationRequest(**{**values, **changes})  # type: ignore[arg-type]


def test_a_request_without_a_lead_time_gets_the_default_when_created() -> None:
    invitation = _request().invitation()
    assert invitation.notifications.confirmation.change_lead is None
    filled = with_change_lead(invitation, timedelta(hours=6))
    assert filled.notifications.confirmation.change_lead == timedelta(hours=6)
    own = with_change_lead(_request(change_lead_minutes=90).invitation(), timedelta(hours=6))
    assert own.notifications.confirmation.change_lead == timedelta(minutes=90)


def test_the_lead_time_survives_storage_drafts_and_reading_back() -> None:
    invitation = _request(change_lead_minutes=0).invitation()
    stored = notifications_to_json(invitation.notifications)
    assert notifications_from_json(stored).confirmation.change_lead == timedelta(0)
    assert notifications_from_json({}).confirmation.change_lead is None
    again = InvitationRequest.from_json(_request(change_lead_minutes=720).to_json())
    assert again.change_lead_minutes == 720
    assert InvitationRequest.from_invitation(invitation).change_lead_minutes == 0


def test_a_lead_time_out_of_range_is_one_sentence() -> None:
    with pytest.raises(ValidationError, match="between 0 and 366 days"):
        Confirmation(change_lead=timedelta(hours=-1))
    with pytest.raises(ValidationError):
        _request(change_lead_minutes=367 * 24 * 60).invitation()


def test_the_offer_carries_the_lead_time_in_whole_minutes() -> None:
    offer = RelayOffer(
        subject="Intro call",
        duration_minutes=30,
        organizer_name="Olivia",
        meeting_type=MeetingType.VIDEO,
        time_zone="UTC",
        expires_at=datetime(2027, 1, 1, tzinfo=UTC),
        slots=(),
        change_lead=timedelta(hours=12, seconds=1),
    )
    assert offer.to_contract().change_lead_minutes == 12 * 60 + 1


def test_the_settings_default(app: InviteOnce) -> None:
    assert app.change_lead_default() == DEFAULT_CHANGE_LEAD == timedelta(hours=12)
    app.set_change_lead_default(timedelta(hours=2))
    assert app.change_lead_default() == timedelta(hours=2)
    with pytest.raises(ValidationError):
        app.set_change_lead_default(timedelta(days=400))


def test_a_change_applies_only_after_the_row_the_meeting_stands_on() -> None:
    assert is_newer(None, 5) and is_newer("4", 5)
    assert not is_newer("5", 5) and not is_newer("7", 5)
