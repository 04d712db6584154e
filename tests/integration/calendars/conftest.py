from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring
import pytest
from google.oauth2.credentials import Credentials
from keyring.backend import KeyringBackend

from inviteonce_desktop.services.calendars.google import GoogleCalendarProvider
from inviteonce_desktop.services.calendars.retry import RetryPolicy
from inviteonce_desktop.services.memory_keyring import MemoryKeyring

from .fakes.google import FakeGoogle
from .fakes.radicale import RadicaleServer, radicale_server
from .fakes.server import serve


@pytest.fixture()
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous: KeyringBackend = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RadicaleServer]:
    folder: Path = tmp_path_factory.mktemp("radicale")
    with radicale_server(folder, {"alice": "alice-app-password", "bob": "bob-pw"}) as server:
        yield server


@dataclass
class GoogleServer:
    fake: FakeGoogle
    url: str

    @property
    def api_endpoint(self) -> str:
        return f"{self.url}/calendar/v3/"

    def credentials(self, *, valid: bool = True) -> Credentials:
        return Credentials(
            token=self.fake.tokens.new_access() if valid else None,
            refresh_token=self.fake.tokens.new_refresh(),
            token_uri=f"{self.url}/token",
            client_id=self.fake.client_id,
            client_secret=self.fake.client_secret,
            scopes=["https://www.googleapis.com/auth/calendar"],
        )

    def provider(self, **options: Any) -> GoogleCalendarProvider:
        options.setdefault("credentials", self.credentials())
        options.setdefault("retry", RetryPolicy(attempts=3, base_delay=0.01, max_delay=2))
        return GoogleCalendarProvider(
            account_name="Work Google", api_endpoint=self.api_endpoint, **options
        )


@pytest.fixture()
def google() -> Iterator[GoogleServer]:
    fake = FakeGoogle()
    with serve(fake.app()) as url:
        yield GoogleServer(fake, url)
