"""Connecting a calendar, for the CLI and the settings page alike.

Each flow checks the connection with one cheap request, keeps the secret in
the keyring, and returns a :class:`ConnectedCalendar` whose settings hold no
secret and can be stored with the account.
"""

from __future__ import annotations

import asyncio

import requests
from exchangelib import Account, Credentials
from exchangelib import errors as ews_errors

from ...core.account_settings import AccountSettings
from ...core.timezones import zone
from ..credentials import CredentialStore
from .caldav_provider import CalDavProvider
from .connected import PASSWORD, TOKEN, ConnectedCalendar, OpenBrowser
from .errors import CalendarRejected, CalendarUnavailable
from .exchange import ExchangeProvider, exchange_configuration
from .exchange_discovery import autodiscover_urls, discover, discover_with_token
from .oauth_google import connect_google
from .oauth_microsoft import EWS_SCOPES, ShowDeviceCode, connect_microsoft, sign_in

__all__ = [
    "connect_caldav",
    "connect_exchange",
    "connect_exchange_oauth",
    "connect_google",
    "connect_microsoft",
]

_AUTH_NAMES = {"NTLM": "ntlm", "basic": "basic", "OAuth 2.0": "oauth"}


def _autodiscover(email: str, username: str, password: str) -> tuple[str, str, str]:
    try:
        account = Account(
            primary_smtp_address=email,
            credentials=Credentials(username, password),
            autodiscover=True,
        )
    except ews_errors.UnauthorizedError:
        raise CalendarRejected("Exchange refused the user name or password.") from None
    except (ews_errors.EWSError, OSError):
        raise CalendarUnavailable(
            f"No Exchange server was found for {email}; enter the server URL instead."
        ) from None
    protocol = account.protocol
    build = account.version.build
    try:
        auth = _AUTH_NAMES.get(str(protocol.auth_type), "ntlm")
        if auth == "oauth":
            # A password is no OAuth token: the user signs in with Microsoft instead.
            raise CalendarRejected(
                f"The Exchange server of {email} signs in with OAuth: choose OAuth as the "
                "sign-in method and sign in with Microsoft."
            )
        return (
            str(protocol.service_endpoint),
            auth,
            f"{build.major_version}.{build.minor_version}",
        )
    finally:
        protocol.close()


async def connect_exchange(
    credentials: CredentialStore,
    account_id: int,
    *,
    email: str,
    username: str,
    password: str,
    server_url: str | None = None,
    auth: str = "ntlm",
    build: str = "15.1",
    timeout: float = 30.0,
    autodiscover_url: str = "",
) -> ConnectedCalendar:
    """Connect with a password; without *server_url* the server is found by autodiscover
    (*autodiscover_url* first, when the organization names one).

    Raises :class:`ExchangeWantsOAuth` when autodiscover says the server signs in with
    Microsoft; the password is not sent there.
    """
    if auth == "oauth":
        raise CalendarRejected("Exchange's OAuth sign-in uses Microsoft, not a password.")
    if server_url:
        endpoint: str = server_url
    else:
        urls = autodiscover_urls(email, autodiscover_url)
        found = await asyncio.to_thread(discover, email, username, password, urls)
        if found is not None:
            endpoint, auth, build = found.ews_url, found.auth, found.build
        else:
            endpoint, auth, build = await asyncio.to_thread(
                _autodiscover, email, username, password
            )
    config = exchange_configuration(
        server_url=endpoint, username=username, secret=password, auth=auth, build=build
    )
    provider = ExchangeProvider(account_name=email, config=config, email=email, timeout=timeout)
    try:
        await provider.check_connection()
    finally:
        await provider.aclose()
    credentials.set(account_id, PASSWORD, password)
    settings = AccountSettings(
        server_url=endpoint,
        email=email,
        username=username,
        auth=auth,
        build=build,
        calendar=email,
    )
    return ConnectedCalendar("exchange", email, settings)


async def connect_exchange_oauth(
    credentials: CredentialStore,
    account_id: int,
    *,
    email: str,
    server_url: str,
    client_id: str,
    authority: str,
    open_browser: OpenBrowser | None,
    show_device_code: ShowDeviceCode | None = None,
    http_client: requests.Session | None = None,
    build: str = "15.20",
    timeout: float = 300.0,
    autodiscover_url: str = "",
) -> ConnectedCalendar:
    """Sign in with Microsoft for EWS (``EWS.AccessAsUser.All``), check the mailbox answers.

    Without *server_url*, the signed-in autodiscover endpoint *autodiscover_url* names it.
    """
    cache, token = await sign_in(
        client_id,
        authority,
        EWS_SCOPES,
        open_browser=open_browser,
        show_device_code=show_device_code,
        http_client=http_client,
        timeout=timeout,
    )
    if not server_url:
        if not autodiscover_url:
            raise CalendarRejected("Enter the Exchange server's URL to sign in with OAuth.")
        found = await asyncio.to_thread(discover_with_token, email, autodiscover_url, token)
        server_url, build = found.ews_url, found.build
    config = exchange_configuration(
        server_url=server_url, username="", secret=token, auth="oauth", build=build
    )
    provider = ExchangeProvider(account_name=email, config=config, email=email, timeout=30.0)
    try:
        await provider.check_connection()
    finally:
        await provider.aclose()
    credentials.set(account_id, TOKEN, cache.serialize())
    settings = AccountSettings(
        server_url=server_url,
        email=email,
        username=email,
        auth="oauth",
        build=build,
        calendar=email,
        client_id=client_id,
        authority=authority,
    )
    return ConnectedCalendar("exchange", email, settings)


async def connect_caldav(
    url: str,
    username: str,
    password: str,
    credentials: CredentialStore,
    account_id: int,
    *,
    email: str = "",
    time_zone: str = "UTC",
    timeout: float = 30.0,
) -> ConnectedCalendar:
    """Connect with a user name and app password; the first calendar becomes the default."""
    provider = CalDavProvider(
        account_name=url,
        url=url,
        username=username,
        password=password,
        time_zone=zone(time_zone),
        timeout=timeout,
    )
    try:
        calendars = await provider.calendar_urls()
    finally:
        await provider.aclose()
    if not calendars:
        raise CalendarRejected(f"The CalDAV account {username} at {url} has no calendar.")
    credentials.set(account_id, PASSWORD, password)
    settings = AccountSettings(
        url=url, username=username, calendar=calendars[0], time_zone=time_zone, email=email
    )
    return ConnectedCalendar("caldav", f"{username} ({url})", settings)
