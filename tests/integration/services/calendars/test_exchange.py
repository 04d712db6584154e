from __future__ import annotations

from datetime import datetime
from typing import TypeVar

import pytest

from inviteonce_desktop.core.intervals import Interval
from inviteonce_desktop.services.calendars.base import (
    Attendee,
    AttendeeRole,
    CalendarProvider,
    EventRequest,
)
from inviteonce_desktop.services.calendars.busy import unreadable_reason
from inviteonce_desktop.services.calendars.errors import ReconnectRequired
from inviteonce_desktop.services.calendars.exchange import ExchangeProvider, oauth_config_source
from tests.integration.calendars.conftest import ExchangeServer
from tests.integration.calendars.fakes.ews import PATH as EWS_PATH
from tests.integration.calendars.fakes.ews import BusyBlock
from tests.integration.calendars.support import run_then_close as _run
from tests.integration.calendars.support import utc as _utc

T = TypeVar("T")
MEMBER = "lee@contoso.com"
ROOM = "boardroom@contoso.com"


def test_availability_blocks_busy_tentative_away_and_elsewhere(exchange: ExchangeServer) -> None:
    kinds = ["Busy", "Tentative", "OOF", "WorkingElsewhere", "Free", "NoData"]
    for day, kind in enumerate(kinds, 3):
        exchange.fake.add_block(
            MEMBER, BusyBlock(_utc(2025, 3, day, 9), _utc(2025, 3, day, 10), kind)
        )
    exchange.fake.add_block(ROOM, BusyBlock(_utc(2025, 4, 20, 7), _utc(2025, 4, 20, 8)))
    provider: CalendarProvider = exchange.provider()
    busy = _run(
        provider,
        provider.free_busy(
            [MEMBER, ROOM, "nobody@contoso.com"], _utc(2025, 3, 1), _utc(2025, 5, 1)
        ),
    )
    assert busy == {
        MEMBER: [Interval(_utc(2025, 3, d, 9), _utc(2025, 3, d, 10)) for d in (3, 4, 5, 6)],
        ROOM: [Interval(_utc(2025, 4, 20, 7), _utc(2025, 4, 20, 8))],
    }
    reason = unreadable_reason(busy, "nobody@contoso.com")
    assert reason is not None and "ErrorMailRecipientNotFound" in reason
    assert exchange.fake.operations == ["GetUserAvailabilityRequest"] * 2


def _meeting(start: datetime, end: datetime, send: bool = True) -> EventRequest:
    return EventRequest(
        uid="inv-9@inviteonce",
        title="Review",
        start=start,
        end=end,
        time_zone="Europe/Berlin",
        description="Agenda",
        location="Boardroom",
        attendees=(
            Attendee("customer@example.org", "Customer"),
            Attendee(ROOM, "Boardroom", AttendeeRole.RESOURCE),
        ),
        send_updates=send,
    )


def test_create_update_and_cancel_a_calendar_item(exchange: ExchangeServer) -> None:
    provider = exchange.provider()
    me = exchange.fake.mailbox
    window = (_utc(2025, 3, 1), _utc(2025, 3, 8))

    async def run() -> None:
        ref = await provider.create_event(me, _meeting(_utc(2025, 3, 4, 9), _utc(2025, 3, 4, 10)))
        item = exchange.fake.items[ref.provider_id]
        assert item["RequiredAttendees"] == ["customer@example.org"]
        assert item["Resources"] == [ROOM]
        assert item["UID"] == "inv-9@inviteonce"
        assert item["send"] == "SendToAllAndSaveCopy"
        assert (await provider.free_busy([me], *window))[me] == [
            Interval(_utc(2025, 3, 4, 9), _utc(2025, 3, 4, 10))
        ]
        moved = await provider.update_event(
            me, ref, _meeting(_utc(2025, 3, 5, 13), _utc(2025, 3, 5, 14), send=False)
        )
        assert moved.extra["changekey"] == item["changekey"] != ref.extra["changekey"]
        assert item["start"] == _utc(2025, 3, 5, 13) and item["send"] == "SendToNone"
        await provider.cancel_event(me, moved)
        assert exchange.fake.deleted[ref.provider_id]["cancellations"] == "SendToAllAndSaveCopy"
        assert (await provider.free_busy([me], *window))[me] == []

    _run(provider, run())


def test_a_wrong_password_asks_to_reconnect(exchange: ExchangeServer) -> None:
    provider = exchange.provider(password="wrong-password")
    with pytest.raises(ReconnectRequired, match="reconnect this calendar") as caught:
        _run(provider, provider.check_connection())
    assert "wrong-password" not in str(caught.value)


def test_oauth_tokens_are_renewed_when_exchange_refuses_them(
    exchange: ExchangeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fake EWS endpoint speaks plain HTTP on loopback.
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    exchange.fake.bearer_tokens.add("token-2")
    exchange.fake.add_block(MEMBER, BusyBlock(_utc(2025, 3, 3, 9), _utc(2025, 3, 3, 10)))
    handed_out: list[bool] = []

    async def access_token(fresh: bool) -> str:
        handed_out.append(fresh)
        return "token-2" if fresh else "token-1"

    config = oauth_config_source(access_token, server_url=f"{exchange.url}{EWS_PATH}")
    provider = ExchangeProvider(
        account_name="Exchange Online", config=config, email=exchange.fake.mailbox
    )
    busy = _run(provider, provider.free_busy([MEMBER], _utc(2025, 3, 1), _utc(2025, 3, 8)))
    assert busy == {MEMBER: [Interval(_utc(2025, 3, 3, 9), _utc(2025, 3, 3, 10))]}
    assert handed_out == [False, True]
