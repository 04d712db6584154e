"""Signing in to Microsoft 365 with msal: a public client, its token cache in the keyring.

The interactive sign-in is the authorization-code flow with PKCE and a
loopback redirect; where no browser can be opened, the device-code flow shows
a code to enter on another device. Later, :class:`MsalTokenSource` hands out
access tokens silently from the cache and stores the cache back when msal
refreshed it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import msal
import requests

from ...core.account_settings import AccountSettings
from ..credentials import CredentialStore
from .connected import TOKEN, ConnectedCalendar, OpenBrowser
from .errors import CalendarUnavailable, ReconnectRequired
from .microsoft import GRAPH_URL, MicrosoftGraphProvider
from .oauth_loopback import LoopbackRedirect, SignInCancelled

DEFAULT_AUTHORITY = "https://login.microsoftonline.com/organizations"
GRAPH_SCOPES = ("Calendars.ReadWrite", "User.Read")
EWS_SCOPES = ("https://outlook.office365.com/EWS.AccessAsUser.All",)
MAIL_SCOPES = ("Mail.Send",)
"""Asked at sign-in beside the calendar's, so the account can also send the product's mail."""

ShowDeviceCode = Callable[[str], object]
"""Shows the device-code instructions (a sentence with the URL and the code) to the user."""


def _application(
    client_id: str,
    authority: str,
    cache: msal.SerializableTokenCache,
    http_client: requests.Session | None,
) -> msal.PublicClientApplication:
    options: dict[str, Any] = {"http_client": http_client} if http_client is not None else {}
    try:
        return msal.PublicClientApplication(
            client_id,
            authority=authority,
            token_cache=cache,
            instance_discovery=authority.startswith("https://login.microsoftonline.com"),
            **options,
        )
    except (ValueError, requests.RequestException):
        raise CalendarUnavailable(
            f"The Microsoft sign-in service at {authority} could not be reached."
        ) from None


class MsalTokenSource:
    """Access tokens (for Graph, or EWS with its scope) from the account's msal cache.

    The cache lives in the keyring under the account's ``token`` key.
    """

    def __init__(
        self,
        *,
        client_id: str,
        authority: str,
        credentials: CredentialStore,
        account_id: int,
        account_name: str,
        http_client: requests.Session | None = None,
        scopes: tuple[str, ...] = GRAPH_SCOPES,
    ) -> None:
        self._scopes = list(scopes)
        self._client_id = client_id
        self._authority = authority
        self._credentials = credentials
        self._account_id = account_id
        self._name = account_name
        self._owned = http_client is None
        self._http_client = http_client or requests.Session()
        self._app: msal.PublicClientApplication | None = None
        self._cache = msal.SerializableTokenCache()
        self._lock = threading.Lock()

    async def __call__(self, force_refresh: bool) -> str:
        return await asyncio.to_thread(self._token, force_refresh)

    def close(self) -> None:
        """Close the HTTP session to the sign-in service, when this source made it."""
        if self._owned:
            self._http_client.close()

    def _reconnect(self) -> ReconnectRequired:
        return ReconnectRequired(
            f"Microsoft 365 no longer accepts the sign-in of '{self._name}': "
            "reconnect this calendar."
        )

    def _token(self, force_refresh: bool) -> str:
        with self._lock:
            if self._app is None:
                stored = self._credentials.get(self._account_id, TOKEN)
                if not stored:
                    raise self._reconnect()
                self._cache.deserialize(stored)
                self._app = _application(
                    self._client_id, self._authority, self._cache, self._http_client
                )
            accounts = self._app.get_accounts()
            if not accounts:
                raise self._reconnect()
            try:
                result = self._app.acquire_token_silent_with_error(
                    self._scopes, account=accounts[0], force_refresh=force_refresh
                )
            except requests.RequestException:
                raise CalendarUnavailable(
                    f"The Microsoft sign-in service could not be reached for '{self._name}'."
                ) from None
            if self._cache.has_state_changed:
                self._credentials.set(self._account_id, TOKEN, self._cache.serialize())
                self._cache.has_state_changed = False
            if not result or "access_token" not in result:
                raise self._reconnect()
            return str(result["access_token"])


def _interactive(
    app: msal.PublicClientApplication,
    open_browser: OpenBrowser,
    timeout: float,
    scopes: list[str],
) -> dict[str, Any]:
    with LoopbackRedirect(host_name="localhost") as redirect:
        flow = app.initiate_auth_code_flow(
            scopes,
            redirect_uri=redirect.redirect_uri,
            response_mode="form_post",
        )
        if open_browser(flow["auth_uri"]) is False:
            raise _NoBrowser()
        _, query = redirect.wait(timeout)
        result: dict[str, Any] = app.acquire_token_by_auth_code_flow(flow, query)
        return result


def _device_code(
    app: msal.PublicClientApplication, show: ShowDeviceCode, scopes: list[str]
) -> dict[str, Any]:
    flow = app.initiate_device_flow(scopes)
    if "user_code" not in flow:
        if "error" in flow:
            raise SignInCancelled(_refusal(flow))
        raise SignInCancelled("Microsoft did not offer a device code; try the browser sign-in.")
    show(str(flow["message"]))
    result: dict[str, Any] = app.acquire_token_by_device_flow(flow)
    return result


class _NoBrowser(Exception):
    """No browser could be opened for the interactive sign-in."""


def _sign_in(
    app: msal.PublicClientApplication,
    open_browser: OpenBrowser | None,
    show_device_code: ShowDeviceCode | None,
    timeout: float,
    scopes: list[str],
) -> dict[str, Any]:
    if open_browser is not None:
        try:
            return _interactive(app, open_browser, timeout, scopes)
        except _NoBrowser:
            if show_device_code is None:
                raise SignInCancelled("No browser could be opened for the sign-in.") from None
    if show_device_code is None:
        raise SignInCancelled("Neither a browser nor a device code can be used to sign in.")
    return _device_code(app, show_device_code, scopes)


async def sign_in(
    client_id: str,
    authority: str,
    scopes: tuple[str, ...],
    *,
    open_browser: OpenBrowser | None,
    show_device_code: ShowDeviceCode | None,
    http_client: requests.Session | None,
    timeout: float,
) -> tuple[msal.SerializableTokenCache, str]:
    """Sign in (browser, else a device code); the token cache to keep and an access token."""
    cache = msal.SerializableTokenCache()
    session = http_client or requests.Session()
    try:
        app = await asyncio.to_thread(_application, client_id, authority, cache, session)
        result = await asyncio.to_thread(
            _sign_in, app, open_browser, show_device_code, timeout, list(scopes)
        )
    finally:
        if http_client is None:
            session.close()
    if "access_token" not in result:
        raise SignInCancelled(_refusal(result))
    return cache, str(result["access_token"])


def _refusal(result: dict[str, Any]) -> str:
    """One sentence for a refused sign-in; AADSTS50194 means the app needs its own tenant."""
    codes = result.get("error_codes") or []
    description = str(result.get("error_description", ""))
    if 50194 in codes or "AADSTS50194" in description:
        return (
            "This application is registered for a single organization: enter your tenant "
            "(your organization's domain or tenant id) and sign in again."
        )
    return "Microsoft refused the sign-in; try again."


async def connect_microsoft(
    client_id: str,
    credentials: CredentialStore,
    account_id: int,
    *,
    open_browser: OpenBrowser | None,
    show_device_code: ShowDeviceCode | None = None,
    authority: str = DEFAULT_AUTHORITY,
    graph_url: str = GRAPH_URL,
    http_client: requests.Session | None = None,
    timeout: float = 300.0,
) -> ConnectedCalendar:
    """Sign in (browser, else a device code), check Graph, keep the token cache in the keyring.

    ``open_browser`` returning ``False`` (as ``webbrowser.open`` does when no
    browser is available) or being None switches to the device-code flow.
    """
    cache, token = await sign_in(
        client_id,
        authority,
        (*GRAPH_SCOPES, *MAIL_SCOPES),
        open_browser=open_browser,
        show_device_code=show_device_code,
        http_client=http_client,
        timeout=timeout,
    )

    async def access_token(_: bool) -> str:
        return token

    provider = MicrosoftGraphProvider(
        account_name="Microsoft 365", access_token=access_token, graph_url=graph_url
    )
    try:
        mailbox = await provider.signed_in_mailbox()
    finally:
        await provider.aclose()
    credentials.set(account_id, TOKEN, cache.serialize())
    settings = AccountSettings(
        client_id=client_id,
        authority=authority,
        email=mailbox,
        calendar=mailbox,
        graph_url=graph_url if graph_url != GRAPH_URL else "",
    )
    return ConnectedCalendar("microsoft", mailbox, settings)
