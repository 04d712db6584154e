"""The organization's provisioning file, then each kind of sign-in against fake authorization
servers on loopback: Google's browser loopback, Microsoft's device code and single-tenant
authority, Exchange with OAuth, and reconnecting after a revoked token."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from inviteonce_desktop.application import provisioning
from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.application.relay_host import RelaySettings
from inviteonce_desktop.cli.commands import run
from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.services.calendars.errors import ReconnectRequired
from inviteonce_desktop.services.calendars.oauth_loopback import SignInCancelled
from inviteonce_desktop.services.credentials import SERVICE_NAME
from inviteonce_desktop.services.memory_keyring import MemoryKeyring
from inviteonce_desktop.store.settings import Settings

from .conftest import ExchangeServer, GoogleServer, GraphServer
from .fakes.browser import consenting_browser
from .fakes.ews import PATH as EWS_PATH

FILE = """
[google]
client_id = "{google_id}"
client_secret = "{google_secret}"

[microsoft]
client_id = "{ms_id}"
tenant = "{tenant}"

[exchange]
server = "{ews}"
auth = "oauth"

[relay]
url = "https://book.contoso.example"
organizer_key = "org-key-123"

[mail]
mode = "account"
"""


def write_file(
    tmp_path: Path, google: GoogleServer, graph: GraphServer, exchange: ExchangeServer
) -> Path:
    path = tmp_path / "provisioning.toml"
    path.write_text(
        FILE.format(
            google_id=google.fake.client_id,
            google_secret=google.fake.client_secret,
            ms_id=graph.fake.client_id,
            tenant=graph.fake.authority(),
            ews=f"{exchange.url}{EWS_PATH}",
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def signed_in_world(
    google: GoogleServer, graph: GraphServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Google's and Microsoft's sign-in services are the fakes on loopback."""
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    monkeypatch.setattr(provisioning, "GOOGLE_AUTH_URI", f"{google.url}/o/oauth2/auth")
    monkeypatch.setattr(provisioning, "GOOGLE_TOKEN_URI", f"{google.url}/token")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(graph.certificate.cert_file))
    google.fake.add_calendar(google.fake.account_email)


def approving(graph: GraphServer, shown: list[str]) -> object:
    def show(message: str) -> None:
        shown.append(message)
        graph.fake.approve_device(message.split("enter the code ")[1].split()[0])

    return show


def test_setup_then_every_kind_connects_with_nothing_but_the_sign_in(
    app: InviteOnce,
    google: GoogleServer,
    graph: GraphServer,
    exchange: ExchangeServer,
    signed_in_world: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    memory_keyring: MemoryKeyring,
) -> None:
    path = write_file(tmp_path, google, graph, exchange)
    assert run(["--data-dir", str(app.workspace.home), "setup", str(path)]) == 0
    out = capsys.readouterr().out
    assert "https://book.contoso.example" in out and "Exchange" in out
    assert app.relay.settings() == RelaySettings(embedded=False, url="https://book.contoso.example")
    with app.workspace.session() as session:
        stored = json.dumps(Settings(session).get("provisioning"))
    assert google.fake.client_secret not in stored and "org-key-123" not in stored
    assert memory_keyring.get_password(SERVICE_NAME, "calendar:provisioning:google_client_secret")

    exchange.fake.bearer_tokens = graph.fake.tokens.access  # Exchange trusts Microsoft's tokens
    exchange.fake.mailbox = "olivia@contoso.com"  # an on-premises mailbox beside Microsoft 365
    shown: list[str] = []

    async def connect_all() -> list[str]:
        try:
            first = await app.calendars.connect_google(
                open_browser=consenting_browser([]), api_endpoint=google.api_endpoint
            )
            second = await app.calendars.connect_microsoft(
                open_browser=None,
                show_device_code=approving(graph, shown),
                graph_url=f"{graph.graph_url}/v1.0",
            )
            third = await app.calendars.connect_exchange(
                exchange.fake.mailbox,
                open_browser=None,
                show_device_code=approving(graph, shown),
            )
            await app.calendars.test(third.id)
            return [first.kind, second.kind, third.kind]
        finally:
            await app.calendars.aclose()

    assert asyncio.run(connect_all()) == ["google", "microsoft", "exchange"]
    accounts = app.calendars.accounts()
    assert accounts[0].settings.client_id_file == ""
    assert accounts[1].settings.authority == graph.fake.authority()
    assert accounts[2].settings.auth == "oauth" and accounts[2].status == "connected"
    assert len(shown) == 2 and "https://microsoft.com/devicelogin" in shown[0]
    assert app.mail.settings().mode == "account" and app.mail.settings().account_id == 1


def test_a_single_tenant_app_explains_the_tenant_then_signs_in_with_it(
    app: InviteOnce, graph: GraphServer, signed_in_world: None
) -> None:
    graph.fake.single_tenant = True
    shown: list[str] = []

    def connect(tenant: str) -> object:
        async def work() -> object:
            try:
                return await app.calendars.connect_microsoft(
                    graph.fake.client_id,
                    open_browser=None,
                    show_device_code=approving(graph, shown),
                    tenant=tenant,
                    graph_url=f"{graph.graph_url}/v1.0",
                )
            finally:
                await app.calendars.aclose()

        return asyncio.run(work())

    with pytest.raises(SignInCancelled, match="enter your tenant"):
        connect(f"{graph.fake.login_base}/organizations")
    assert app.calendars.accounts() == [] and shown == []

    connect(graph.fake.authority())
    (account,) = app.calendars.accounts()
    assert account.settings.authority == graph.fake.authority()


def test_a_revoked_google_sign_in_is_reconnected_in_one_step(
    app: InviteOnce, google: GoogleServer, signed_in_world: None, tmp_path: Path
) -> None:
    client = tmp_path / "client_secret_123.json"
    client.write_text(json.dumps(google.fake.client_config(google.url)))

    async def connect() -> int:
        try:
            account = await app.calendars.connect_google(
                str(client), open_browser=consenting_browser([]), api_endpoint=google.api_endpoint
            )
            return account.id
        finally:
            await app.calendars.aclose()

    account_id = asyncio.run(connect())
    google.fake.tokens.revoke_all()

    async def test_then_reconnect() -> str:
        try:
            with pytest.raises(ReconnectRequired):
                await app.calendars.test(account_id)
            assert app.calendars.account(account_id).status == "reconnect"
            await app.calendars.reconnect(account_id, open_browser=consenting_browser([]))
            return await app.calendars.test(account_id)
        finally:
            await app.calendars.aclose()

    assert "answers" in asyncio.run(test_then_reconnect())
    (account,) = app.calendars.accounts()
    assert account.id == account_id and account.status == "connected"


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("[gogle]\nclient_id = 'x'\n", "unknown section [gogle]"),
        ("[google]\nclient_id = 'x'\n", "google.client_secret"),
        ("[relay]\nurl = 'https://r.example'\n", "both relay.url and relay.organizer_key"),
        ("[mail]\nmode = 'pigeon'\n", "mail.mode"),
        ("[microsoft]\ntenant = 'a b'\n", "is not a Microsoft tenant"),
        ("[exchange]\nauth = 7\n", "exchange.auth"),
        ("[google\n", "not valid TOML"),
    ],
)
def test_a_bad_provisioning_file_is_one_sentence_and_changes_nothing(
    app: InviteOnce,
    tmp_path: Path,
    text: str,
    sentence: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "provisioning.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError, match=sentence.replace("[", r"\[")):
        app.apply_provisioning(path)
    assert run(["--data-dir", str(app.workspace.home), "setup", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("inviteonce: ") and err.count("\n") == 1
    assert app.provisioning() == provisioning.Provisioning()
