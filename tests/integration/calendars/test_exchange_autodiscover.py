"""Autodiscover's OAuth answer, with the real exchangelib against a fake endpoint on loopback:
the connect flow signs in with Microsoft instead of sending the password anywhere."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.cli.commands import run
from inviteonce_desktop.services.calendars.exchange_discovery import (
    Discovered,
    ExchangeWantsOAuth,
    autodiscover_urls,
    discover,
)
from inviteonce_desktop.services.memory_keyring import MemoryKeyring

from .conftest import ExchangeServer, GraphServer
from .fakes.autodiscover import PATH, FakeAutodiscover
from .fakes.ews import PATH as EWS_PATH
from .fakes.server import serve
from .fakes.tls import LoopbackCertificate

PASSWORD = "olivia-password-7"
FILE = """
[microsoft]
client_id = "{client_id}"
tenant = "{tenant}"

[exchange]
autodiscover = "{autodiscover}"
"""


@pytest.fixture
def autodiscover(
    graph: GraphServer,
    exchange: ExchangeServer,
    loopback_certificate: LoopbackCertificate,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[FakeAutodiscover, str]]:
    """An OAuth-only Exchange: autodiscover over https, EWS trusting Microsoft's tokens."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(loopback_certificate.cert_file))
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the EWS fake is plain http
    exchange.fake.mailbox = "olivia@contoso.com"
    exchange.fake.bearer_tokens = graph.fake.tokens.access
    fake = FakeAutodiscover(
        ews_url=f"{exchange.url}{EWS_PATH}",
        authority=graph.fake.authority(),
        bearer_tokens=graph.fake.tokens.access,
        mailboxes={exchange.fake.mailbox},
    )
    with serve(fake.app(), tls=loopback_certificate) as url:
        yield fake, f"{url}{PATH}"


def passwords_sent(fake: FakeAutodiscover) -> list[str]:
    shown = []
    for header in fake.authorizations:
        kind, _, value = header.partition(" ")
        if kind.lower() in ("basic", "ntlm", "negotiate") or PASSWORD in header:
            shown.append(header)
        elif kind.lower() == "bearer" and value == PASSWORD:
            shown.append(header)
        elif kind.lower() == "basic" and PASSWORD in base64.b64decode(value).decode():
            shown.append(header)
    return shown


def test_the_oauth_answer_is_read_before_any_password_is_sent(
    autodiscover: tuple[FakeAutodiscover, str], graph: GraphServer
) -> None:
    fake, url = autodiscover
    with pytest.raises(ExchangeWantsOAuth) as wants:
        discover("olivia@contoso.com", "olivia", PASSWORD, [url])

    assert wants.value.autodiscover_url == url
    assert wants.value.authority == graph.fake.authority()
    assert "signs in with Microsoft (OAuth), not a password" in str(wants.value)
    assert fake.authorizations == [""]


def test_a_server_that_takes_passwords_gets_the_password_and_names_its_ews_url(
    autodiscover: tuple[FakeAutodiscover, str], exchange: ExchangeServer
) -> None:
    fake, url = autodiscover
    fake.basic_users = {"olivia": PASSWORD}

    found = discover("olivia@contoso.com", "olivia", PASSWORD, [url])

    assert found == Discovered(f"{exchange.url}{EWS_PATH}", "basic", "15.20")
    assert fake.authorizations[0] == ""  # asked first how to sign in


def test_the_provisioned_endpoint_comes_before_the_domains_own() -> None:
    assert autodiscover_urls("olivia@Contoso.com", "https://ad.contoso.net/x.svc") == [
        "https://ad.contoso.net/x.svc",
        "https://contoso.com/autodiscover/autodiscover.svc",
        "https://autodiscover.contoso.com/autodiscover/autodiscover.svc",
    ]


def setup_from_file(app: InviteOnce, tmp_path: Path, text: str) -> None:
    path = tmp_path / "provisioning.toml"
    path.write_text(text, encoding="utf-8")
    assert run(["--data-dir", str(app.workspace.home), "setup", str(path)]) == 0


def test_a_password_connect_switches_to_the_microsoft_sign_in(
    app: InviteOnce,
    autodiscover: tuple[FakeAutodiscover, str],
    graph: GraphServer,
    exchange: ExchangeServer,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
) -> None:
    fake, url = autodiscover
    setup_from_file(
        app,
        tmp_path,
        FILE.format(
            client_id=graph.fake.client_id, tenant=graph.fake.authority(), autodiscover=url
        ),
    )
    shown: list[str] = []

    def approve(message: str) -> None:
        shown.append(message)
        graph.fake.approve_device(message.split("enter the code ")[1].split()[0])

    async def connect() -> object:
        try:
            account = await app.calendars.connect_exchange(
                exchange.fake.mailbox,
                password=PASSWORD,
                open_browser=None,
                show_device_code=approve,
            )
            await app.calendars.test(account.id)
            return account
        finally:
            await app.calendars.aclose()

    account = asyncio.run(connect())

    settings = app.calendars.accounts()[0].settings
    assert settings.auth == "oauth" and settings.server_url == f"{exchange.url}{EWS_PATH}"
    assert settings.client_id == graph.fake.client_id
    assert settings.authority == graph.fake.authority()
    assert len(shown) == 1
    assert fake.authorizations[0] == "" and fake.authorizations[-1].startswith("Bearer ")
    assert passwords_sent(fake) == []
    assert PASSWORD not in memory_keyring._secrets.values()
    assert account is not None


def test_without_a_client_id_the_organizer_is_told_what_to_enter(
    app: InviteOnce,
    autodiscover: tuple[FakeAutodiscover, str],
    exchange: ExchangeServer,
    tmp_path: Path,
) -> None:
    fake, url = autodiscover
    setup_from_file(app, tmp_path, f'[exchange]\nautodiscover = "{url}"\n')

    async def connect() -> object:
        try:
            return await app.calendars.connect_exchange(exchange.fake.mailbox, password=PASSWORD)
        finally:
            await app.calendars.aclose()

    with pytest.raises(ExchangeWantsOAuth, match="enter the application \\(client\\) ID"):
        asyncio.run(connect())
    assert app.calendars.accounts() == []
    assert passwords_sent(fake) == []
