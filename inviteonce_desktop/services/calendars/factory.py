"""Building a calendar provider from a stored calendar account.

An account's record holds only non-secret settings; tokens and passwords are
read from the keyring through the :class:`CredentialStore`. Settings by kind:

    google      calendar, email, client_id_file, [api_endpoint]
    microsoft   client_id, authority, email, [graph_url, working_elsewhere (free|busy)]
    exchange    server_url, email, username, auth (ntlm|basic|oauth), build,
                [client_id, authority for oauth]
    caldav      url, username, [email, calendar, time_zone, free_busy (auto|report|search)]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import requests

from ...core.timezones import zone
from ..credentials import CredentialStore
from .base import CalendarProvider
from .caldav_provider import CalDavProvider, FreeBusyMethod
from .connected import PASSWORD, TOKEN
from .errors import CalendarRejected, ReconnectRequired
from .exchange import ExchangeProvider, exchange_configuration, oauth_config_source
from .google import GoogleCalendarProvider
from .microsoft import GRAPH_URL, MicrosoftGraphProvider
from .oauth_google import load_google_credentials
from .oauth_microsoft import DEFAULT_AUTHORITY, EWS_SCOPES, GRAPH_SCOPES, MsalTokenSource

KINDS = ("google", "microsoft", "exchange", "caldav")


@dataclass(frozen=True, slots=True)
class AccountConfig:
    """A connected calendar account as the store keeps it: no secrets in ``settings``."""

    id: int
    kind: str
    name: str
    settings: Mapping[str, str] = field(default_factory=dict)


def secret_names(kind: str) -> tuple[str, ...]:
    """The keyring entries an account of *kind* may own (to forget them on removal)."""
    return (PASSWORD,) if kind == "caldav" else (TOKEN, PASSWORD)


def build_provider(
    account: AccountConfig,
    credentials: CredentialStore,
    *,
    time_zone: str = "UTC",
    timeout: float = 30.0,
    http_client: requests.Session | None = None,
) -> CalendarProvider:
    """The provider for *account*; sends nothing until it is used.

    *time_zone* is the organizer's zone, used for CalDAV all-day and floating
    events when the account sets none; *http_client* is the session msal uses.
    """
    builders = {
        "google": _google,
        "microsoft": _microsoft,
        "exchange": _exchange,
        "caldav": _caldav,
    }
    if account.kind not in builders:
        raise CalendarRejected(f"'{account.kind}' is not a kind of calendar InviteOnce can use.")
    return builders[account.kind](account, credentials, time_zone, timeout, http_client)


def token_source(
    account: AccountConfig,
    credentials: CredentialStore,
    client_id: str,
    http_client: requests.Session | None,
    scopes: tuple[str, ...] = GRAPH_SCOPES,
) -> MsalTokenSource:
    """Microsoft access tokens for *account* from its msal cache in the keyring."""
    return MsalTokenSource(
        client_id=client_id,
        authority=account.settings.get("authority") or DEFAULT_AUTHORITY,
        credentials=credentials,
        account_id=account.id,
        account_name=account.name,
        http_client=http_client,
        scopes=scopes,
    )


def _setting(account: AccountConfig, key: str) -> str:
    value = account.settings.get(key, "").strip()
    if not value:
        raise CalendarRejected(f"The calendar '{account.name}' has no {key.replace('_', ' ')} set.")
    return value


def _secret(account: AccountConfig, credentials: CredentialStore, name: str) -> str:
    secret = credentials.get(account.id, name)
    if not secret:
        raise ReconnectRequired(f"'{account.name}' has no sign-in stored: reconnect this calendar.")
    return secret


def _google(
    account: AccountConfig,
    credentials: CredentialStore,
    time_zone: str,
    timeout: float,
    http_client: requests.Session | None,
) -> CalendarProvider:
    return GoogleCalendarProvider(
        account_name=account.name,
        credentials=load_google_credentials(credentials, account.id, account.name),
        api_endpoint=account.settings.get("api_endpoint") or None,
        timeout=timeout,
    )


def _microsoft(
    account: AccountConfig,
    credentials: CredentialStore,
    time_zone: str,
    timeout: float,
    http_client: requests.Session | None,
) -> CalendarProvider:
    source = token_source(account, credentials, _setting(account, "client_id"), http_client)
    return MicrosoftGraphProvider(
        account_name=account.name,
        access_token=source,
        mailbox=account.settings.get("email", ""),
        graph_url=account.settings.get("graph_url") or GRAPH_URL,
        timeout=timeout,
        working_elsewhere_busy=account.settings.get("working_elsewhere") == "busy",
    )


def _exchange(
    account: AccountConfig,
    credentials: CredentialStore,
    time_zone: str,
    timeout: float,
    http_client: requests.Session | None,
) -> CalendarProvider:
    server_url = _setting(account, "server_url")
    auth = account.settings.get("auth") or "ntlm"
    build = account.settings.get("build") or "15.1"
    if auth == "oauth":
        client_id = _setting(account, "client_id")
        source = token_source(account, credentials, client_id, http_client, EWS_SCOPES)
        config = oauth_config_source(source, server_url=server_url, build=build)
        return ExchangeProvider(
            account_name=account.name,
            config=config,
            email=_setting(account, "email"),
            timeout=timeout,
        )
    configuration = exchange_configuration(
        server_url=server_url,
        username=_setting(account, "username"),
        secret=_secret(account, credentials, PASSWORD),
        auth=auth,
        build=build,
    )
    return ExchangeProvider(
        account_name=account.name,
        config=configuration,
        email=_setting(account, "email"),
        timeout=timeout,
    )


def _caldav(
    account: AccountConfig,
    credentials: CredentialStore,
    time_zone: str,
    timeout: float,
    http_client: requests.Session | None,
) -> CalendarProvider:
    settings = account.settings
    emails = [settings.get("email", "")]
    method = settings.get("free_busy") or FreeBusyMethod.AUTO.value
    if method not in {m.value for m in FreeBusyMethod}:
        raise CalendarRejected(f"'{method}' is not a free/busy method for '{account.name}'.")
    return CalDavProvider(
        account_name=account.name,
        url=_setting(account, "url"),
        username=_setting(account, "username"),
        password=_secret(account, credentials, PASSWORD),
        time_zone=zone(settings.get("time_zone") or time_zone),
        owner_emails=[e for e in emails if e],
        free_busy_method=FreeBusyMethod(method),
        timeout=timeout,
    )
