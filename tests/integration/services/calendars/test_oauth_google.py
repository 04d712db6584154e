from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from inviteonce_desktop.services.calendars.errors import ReconnectRequired
from inviteonce_desktop.services.calendars.oauth_google import (
    connect_google,
    load_google_credentials,
)
from inviteonce_desktop.services.credentials import SERVICE_NAME, CredentialStore
from inviteonce_desktop.services.memory_keyring import MemoryKeyring
from tests.integration.calendars.conftest import GoogleServer
from tests.integration.calendars.fakes.browser import consenting_browser

MARCH_FIRST = (datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 3, 2, tzinfo=UTC))


@pytest.fixture()
def client_file(google: GoogleServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # The fake authorization server speaks plain HTTP on loopback.
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    path = tmp_path / "client_secret.json"
    path.write_text(json.dumps(google.fake.client_config(google.url)))
    google.fake.add_calendar(google.fake.account_email)
    return path


def test_connect_runs_the_loopback_flow_with_pkce_and_keeps_the_token_in_the_keyring(
    google: GoogleServer, client_file: Path, memory_keyring: MemoryKeyring
) -> None:
    store = CredentialStore()
    opened: list[str] = []
    connected = asyncio.run(
        connect_google(
            client_file,
            store,
            5,
            open_browser=consenting_browser(opened),
            api_endpoint=google.api_endpoint,
            timeout=20,
        )
    )
    assert connected.kind == "google"
    assert connected.settings.calendar == google.fake.account_email
    assert "code_challenge_method=S256" in opened[0]
    assert "redirect_uri=http%3A%2F%2F127.0.0.1%3A" in opened[0]
    secret = memory_keyring.get_password(SERVICE_NAME, "calendar:5:token")
    assert secret is not None and json.loads(secret)["refresh_token"] in google.fake.tokens.refresh
    assert not any(secret in value for value in connected.settings.to_json().values())
    loaded = load_google_credentials(store, 5, "Google")
    assert loaded.refresh_token == json.loads(secret)["refresh_token"]


def test_a_revoked_token_asks_to_reconnect(google: GoogleServer) -> None:
    google.fake.add_calendar("dana@example.com")
    credentials = google.credentials(valid=False)
    google.fake.tokens.revoke_all()
    provider = google.provider(credentials=credentials)
    with pytest.raises(ReconnectRequired, match="reconnect this calendar") as caught:
        asyncio.run(provider.free_busy(["dana@example.com"], *MARCH_FIRST))
    assert str(credentials.refresh_token) not in str(caught.value)


def test_no_stored_sign_in_asks_to_reconnect() -> None:
    with pytest.raises(ReconnectRequired):
        load_google_credentials(CredentialStore(MemoryKeyring()), 9, "Google")
