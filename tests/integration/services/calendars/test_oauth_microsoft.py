from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import pytest

from inviteonce_desktop.services.calendars.errors import ReconnectRequired
from inviteonce_desktop.services.calendars.microsoft import MicrosoftGraphProvider
from inviteonce_desktop.services.calendars.oauth_microsoft import (
    MsalTokenSource,
    connect_microsoft,
)
from inviteonce_desktop.services.credentials import SERVICE_NAME, CredentialStore
from inviteonce_desktop.services.memory_keyring import MemoryKeyring
from tests.integration.calendars.conftest import GraphServer
from tests.integration.calendars.fakes.browser import consenting_browser

DAY = (datetime(2025, 3, 3, tzinfo=UTC), datetime(2025, 3, 4, tzinfo=UTC))


def _connect(graph: GraphServer, store: CredentialStore, **flow: object) -> object:
    return asyncio.run(
        connect_microsoft(
            graph.fake.client_id,
            store,
            11,
            authority=graph.fake.authority(),
            graph_url=f"{graph.graph_url}/v1.0",
            http_client=graph.http_client(),
            timeout=20,
            **flow,  # type: ignore[arg-type]
        )
    )


def _free_busy_with_stored_sign_in(graph: GraphServer, store: CredentialStore) -> object:
    source = MsalTokenSource(
        client_id=graph.fake.client_id,
        authority=graph.fake.authority(),
        credentials=store,
        account_id=11,
        account_name="Contoso",
        http_client=graph.http_client(),
    )
    provider = MicrosoftGraphProvider(
        account_name="Contoso", access_token=source, graph_url=f"{graph.graph_url}/v1.0"
    )

    async def run() -> object:
        try:
            return await provider.free_busy([graph.fake.account_email], *DAY)
        finally:
            await provider.aclose()

    return asyncio.run(run())


def test_interactive_sign_in_with_pkce_then_silent_tokens_from_the_keyring(
    graph: GraphServer, memory_keyring: MemoryKeyring
) -> None:
    store = CredentialStore()
    opened: list[str] = []
    connected = _connect(
        graph, store, open_browser=consenting_browser(opened, str(graph.certificate.cert_file))
    )
    assert connected.settings.email == graph.fake.account_email  # type: ignore[attr-defined]
    assert "code_challenge_method=S256" in opened[0]
    assert "redirect_uri=http%3A%2F%2Flocalhost%3A" in opened[0]
    assert "response_mode=form_post" in opened[0]
    cache = memory_keyring.get_password(SERVICE_NAME, "calendar:11:token")
    assert cache is not None and json.loads(cache)["RefreshToken"]

    graph.fake.tokens.access.clear()
    busy = _free_busy_with_stored_sign_in(graph, store)
    assert busy == {graph.fake.account_email: []}


def test_device_code_when_no_browser_opens(graph: GraphServer) -> None:
    store = CredentialStore(MemoryKeyring())
    shown: list[str] = []

    def show(message: str) -> None:
        shown.append(message)
        graph.fake.approve_device(message.split("enter the code ")[1].split()[0])

    connected = _connect(graph, store, open_browser=lambda url: False, show_device_code=show)
    assert connected.display_name == graph.fake.account_email  # type: ignore[attr-defined]
    assert "https://microsoft.com/devicelogin" in shown[0]
    assert store.get(11, "token")


def test_a_revoked_refresh_token_asks_to_reconnect(graph: GraphServer) -> None:
    store = CredentialStore(MemoryKeyring())
    _connect(graph, store, open_browser=consenting_browser([], str(graph.certificate.cert_file)))
    graph.fake.tokens.revoke_all()
    with pytest.raises(ReconnectRequired, match="reconnect this calendar"):
        _free_busy_with_stored_sign_in(graph, store)
