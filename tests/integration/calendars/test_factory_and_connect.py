from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import caldav
import pytest

from inviteonce_desktop.core.account_settings import AccountSettings
from inviteonce_desktop.core.intervals import Interval
from inviteonce_desktop.services.calendars.base import CalendarProvider, EventRequest
from inviteonce_desktop.services.calendars.connect import (
    connect_caldav,
    connect_exchange,
    connect_google,
)
from inviteonce_desktop.services.calendars.errors import CalendarRejected, ReconnectRequired
from inviteonce_desktop.services.calendars.factory import AccountConfig, build_provider
from inviteonce_desktop.services.credentials import CredentialStore
from inviteonce_desktop.services.memory_keyring import MemoryKeyring

from .conftest import ExchangeServer, GoogleServer
from .fakes.browser import consenting_browser
from .fakes.ews import PATH as EWS_PATH
from .fakes.radicale import RadicaleServer

WEEK = (datetime(2025, 3, 3, tzinfo=UTC), datetime(2025, 3, 10, tzinfo=UTC))


def _use(provider: CalendarProvider, calendar_id: str) -> object:
    async def run() -> object:
        try:
            meeting = EventRequest(
                uid="factory-1@inviteonce",
                title="Demo",
                time_zone="Europe/Berlin",
                start=datetime(2025, 3, 4, 9, tzinfo=UTC),
                end=datetime(2025, 3, 4, 10, tzinfo=UTC),
            )
            await provider.create_event(calendar_id, meeting)
            return await provider.free_busy([calendar_id], *WEEK)
        finally:
            await provider.aclose()

    return asyncio.run(run())


EXPECTED = [Interval(datetime(2025, 3, 4, 9, tzinfo=UTC), datetime(2025, 3, 4, 10, tzinfo=UTC))]


def test_caldav_connect_then_build(radicale: RadicaleServer) -> None:
    store = CredentialStore(MemoryKeyring())
    with caldav.DAVClient(url=radicale.url, username="bob", password="bob-pw") as client:
        client.principal().make_calendar(name="Bob", cal_id="bob-main")
    connected = asyncio.run(
        connect_caldav(radicale.url, "bob", "bob-pw", store, 21, time_zone="Europe/Berlin")
    )
    assert connected.settings.calendar.endswith("/bob/bob-main/")
    assert "bob-pw" not in json.dumps(connected.settings.to_json())
    account = AccountConfig(21, "caldav", "Bob's calendar", connected.settings)
    provider = build_provider(account, store)
    busy = _use(provider, connected.settings.calendar)
    assert busy == {connected.settings.calendar: EXPECTED}


def test_exchange_connect_then_build(exchange: ExchangeServer) -> None:
    store = CredentialStore(MemoryKeyring())
    fake = exchange.fake
    connected = asyncio.run(
        connect_exchange(
            store,
            22,
            email=fake.mailbox,
            username=fake.user,
            password=fake.password,
            server_url=f"{exchange.url}{EWS_PATH}",
            auth="basic",
        )
    )
    assert store.get(22, "password") == fake.password
    provider = build_provider(AccountConfig(22, "exchange", "Exchange", connected.settings), store)
    assert _use(provider, fake.mailbox) == {fake.mailbox: EXPECTED}


def test_google_connect_then_build(
    google: GoogleServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    secrets_file = tmp_path / "client.json"
    secrets_file.write_text(json.dumps(google.fake.client_config(google.url)))
    google.fake.add_calendar(google.fake.account_email)
    store = CredentialStore(MemoryKeyring())
    connected = asyncio.run(
        connect_google(
            secrets_file,
            store,
            23,
            open_browser=consenting_browser([]),
            api_endpoint=google.api_endpoint,
            timeout=20,
        )
    )
    provider = build_provider(AccountConfig(23, "google", "Google", connected.settings), store)
    calendar = connected.settings.calendar
    assert _use(provider, calendar) == {calendar: EXPECTED}


def test_unknown_kinds_and_missing_secrets_are_clear_errors() -> None:
    store = CredentialStore(MemoryKeyring())
    with pytest.raises(CalendarRejected, match="'outlook' is not a kind"):
        build_provider(AccountConfig(1, "outlook", "x"), store)
    with pytest.raises(ReconnectRequired, match="reconnect this calendar"):
        build_provider(
            AccountConfig(2, "caldav", "Mine", AccountSettings(url="http://x/", username="u")),
            store,
        )
    with pytest.raises(CalendarRejected, match="no server URL"):
        build_provider(AccountConfig(3, "exchange", "Ex", AccountSettings(email="a@b")), store)
