from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import keyring
import pytest
import requests
from google.oauth2.credentials import Credentials
from keyring.backend import KeyringBackend

from inviteonce_desktop.services.calendars.exchange import ExchangeProvider, exchange_configuration
from inviteonce_desktop.services.calendars.google import GoogleCalendarProvider
from inviteonce_desktop.services.calendars.microsoft import AccessToken, MicrosoftGraphProvider
from inviteonce_desktop.services.calendars.retry import RetryPolicy
from inviteonce_desktop.services.memory_keyring import MemoryKeyring

from .fakes.ews import PATH as EWS_PATH
from .fakes.ews import FakeExchange
from .fakes.google import FakeGoogle
from .fakes.graph import FakeMicrosoft
from .fakes.radicale import RadicaleServer, radicale_server
from .fakes.server import shared_serve
from .fakes.tls import LoopbackCertificate, make_certificate


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
    with shared_serve("google", fake.app()) as url:
        yield GoogleServer(fake, url)


@dataclass
class GraphServer:
    fake: FakeMicrosoft
    graph_url: str
    certificate: LoopbackCertificate
    sessions: list[requests.Session] = field(default_factory=list)

    def access_token(self) -> AccessToken:
        tokens = self.fake.tokens
        current = [tokens.new_access()]

        async def token(fresh: bool) -> str:
            if fresh and tokens.refresh:
                current[0] = tokens.new_access()
            return current[0]

        return token

    def provider(self, **options: Any) -> MicrosoftGraphProvider:
        options.setdefault("access_token", self.access_token())
        options.setdefault("retry", RetryPolicy(attempts=3, base_delay=0.01, max_delay=2))
        return MicrosoftGraphProvider(
            account_name="Contoso",
            mailbox=self.fake.account_email,
            graph_url=f"{self.graph_url}/v1.0",
            **options,
        )

    def http_client(self) -> requests.Session:
        session = requests.Session()
        session.trust_env = False  # REQUESTS_CA_BUNDLE would override the loopback certificate
        session.verify = str(self.certificate.cert_file)
        self.sessions.append(session)
        return session


@pytest.fixture(scope="session")
def loopback_certificate(tmp_path_factory: pytest.TempPathFactory) -> LoopbackCertificate:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture()
def graph(loopback_certificate: LoopbackCertificate) -> Iterator[GraphServer]:
    fake = FakeMicrosoft()
    with shared_serve("microsoft-login", fake.login_app(), tls=loopback_certificate) as login:
        fake.login_base = login
        with shared_serve("graph", fake.graph_app()) as graph_url:
            fake.tokens.new_refresh()
            server = GraphServer(fake, graph_url, loopback_certificate)
            yield server
            for session in server.sessions:
                session.close()


@dataclass
class ExchangeServer:
    fake: FakeExchange
    url: str

    def provider(self, *, password: str | None = None, **options: Any) -> ExchangeProvider:
        config = exchange_configuration(
            server_url=f"{self.url}{EWS_PATH}",
            username=self.fake.user,
            secret=self.fake.password if password is None else password,
            auth="basic",
        )
        options.setdefault("retry", RetryPolicy(attempts=3, base_delay=0.01, max_delay=2))
        return ExchangeProvider(
            account_name="Contoso Exchange", config=config, email=self.fake.mailbox, **options
        )


@pytest.fixture()
def exchange() -> Iterator[ExchangeServer]:
    fake = FakeExchange()
    with shared_serve("exchange", fake.app()) as url:
        yield ExchangeServer(fake, url)
