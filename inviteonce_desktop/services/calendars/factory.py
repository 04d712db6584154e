"""Building what a stored account serves: its calendar provider, and its mail transport.

An account's record holds only non-secret settings (:class:`AccountSettings`);
tokens and passwords are read from the keyring through the
:class:`CredentialStore`. The sign-in pieces (Google credentials, Microsoft
token sources, Exchange configurations) are built here once for both; a
problem building them is a calendar error, which the mail side reports as its
own (a sign-in to renew or a setting to fix is refused, never retried).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import requests
from exchangelib import Configuration

from ...core.account_settings import AccountSettings
from ...core.timezones import zone
from ..credentials import CredentialStore
from ..mail import SENDING_KINDS, MailRejected, MailTransport
from ..mail_accounts import (
    ExchangeMailTransport,
    GmailTransport,
    GraphMailTransport,
    gmail_endpoint,
    mail_error,
)
from .base import CalendarProvider
from .caldav_provider import CalDavProvider, FreeBusyMethod
from .connected import PASSWORD, TOKEN
from .errors import CalendarError, CalendarRejected, ReconnectRequired
from .exchange import ConfigSource, ExchangeProvider, exchange_configuration, oauth_config_source
from .google import GoogleCalendarProvider
from .microsoft import GRAPH_URL, MicrosoftGraphProvider
from .oauth_google import load_google_credentials
from .oauth_microsoft import (
    DEFAULT_AUTHORITY,
    EWS_SCOPES,
    GRAPH_SCOPES,
    MAIL_SCOPES,
    MsalTokenSource,
)

KINDS = ("google", "microsoft", "exchange", "caldav")


@dataclass(frozen=True, slots=True)
class AccountConfig:
    """A connected calendar account as the store keeps it: no secrets in ``settings``."""

    id: int
    kind: str
    name: str
    settings: AccountSettings = field(default_factory=AccountSettings)


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
        authority=account.settings.authority or DEFAULT_AUTHORITY,
        credentials=credentials,
        account_id=account.id,
        account_name=account.name,
        http_client=http_client,
        scopes=scopes,
    )


def _required(account: AccountConfig, value: str, what: str) -> str:
    if not value.strip():
        raise CalendarRejected(f"The calendar '{account.name}' has no {what} set.")
    return value.strip()


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
        api_endpoint=account.settings.api_endpoint or None,
        timeout=timeout,
    )


def _microsoft(
    account: AccountConfig,
    credentials: CredentialStore,
    time_zone: str,
    timeout: float,
    http_client: requests.Session | None,
) -> CalendarProvider:
    return MicrosoftGraphProvider(
        account_name=account.name,
        access_token=_msal(account, credentials, http_client, GRAPH_SCOPES),
        mailbox=account.settings.email,
        graph_url=account.settings.graph_url or GRAPH_URL,
        timeout=timeout,
        working_elsewhere_busy=account.settings.working_elsewhere == "busy",
    )


def _exchange(
    account: AccountConfig,
    credentials: CredentialStore,
    time_zone: str,
    timeout: float,
    http_client: requests.Session | None,
) -> CalendarProvider:
    return ExchangeProvider(
        account_name=account.name,
        config=_exchange_config(account, credentials, http_client),
        email=_required(account, account.settings.email, "email address"),
        timeout=timeout,
    )


def _msal(
    account: AccountConfig,
    credentials: CredentialStore,
    http_client: requests.Session | None,
    scopes: tuple[str, ...],
) -> MsalTokenSource:
    client_id = account.settings.client_id.strip()
    if not client_id:
        raise ReconnectRequired(f"'{account.name}' has no client ID: reconnect this calendar.")
    return token_source(account, credentials, client_id, http_client, scopes)


def _exchange_config(
    account: AccountConfig,
    credentials: CredentialStore,
    http_client: requests.Session | None,
    scopes: tuple[str, ...] = EWS_SCOPES,
) -> Configuration | ConfigSource:
    """How exchangelib reaches the account: OAuth tokens, or the password in the keyring."""
    settings = account.settings
    server_url = _required(account, settings.server_url, "server URL")
    build = settings.build or "15.1"
    if settings.auth == "oauth":
        source = _msal(account, credentials, http_client, scopes)
        return oauth_config_source(source, server_url=server_url, build=build)
    return exchange_configuration(
        server_url=server_url,
        username=_required(account, settings.username, "user name"),
        secret=_secret(account, credentials, PASSWORD),
        auth=settings.auth or "ntlm",
        build=build,
    )


def _caldav(
    account: AccountConfig,
    credentials: CredentialStore,
    time_zone: str,
    timeout: float,
    http_client: requests.Session | None,
) -> CalendarProvider:
    settings = account.settings
    method = settings.free_busy or FreeBusyMethod.AUTO.value
    if method not in {m.value for m in FreeBusyMethod}:
        raise CalendarRejected(f"'{method}' is not a free/busy method for '{account.name}'.")
    return CalDavProvider(
        account_name=account.name,
        url=_required(account, settings.url, "url"),
        username=_required(account, settings.username, "username"),
        password=_secret(account, credentials, PASSWORD),
        time_zone=zone(settings.time_zone or time_zone),
        owner_emails=[settings.email] if settings.email else [],
        free_busy_method=FreeBusyMethod(method),
        timeout=timeout,
    )


# Mail, sent as the account's user


def account_mail_transport(
    account: AccountConfig,
    credentials: CredentialStore,
    *,
    timeout: float = 30.0,
    http_client: requests.Session | None = None,
) -> MailTransport:
    """The transport that sends as *account*'s user; sends nothing until used.

    *http_client* is the session msal uses for Microsoft sign-ins.
    """
    if account.kind not in SENDING_KINDS:
        raise MailRejected(f"The calendar '{account.name}' cannot send mail; choose another way.")
    address = account.settings.email.strip()
    if not address:
        raise MailRejected(f"The calendar '{account.name}' has no email address to send from.")
    try:
        return _MAIL_BUILDERS[account.kind](account, credentials, address, timeout, http_client)
    except CalendarError as problem:
        raise mail_error(problem) from None


def _gmail(
    account: AccountConfig,
    credentials: CredentialStore,
    address: str,
    timeout: float,
    http_client: requests.Session | None,
) -> MailTransport:
    settings = account.settings
    return GmailTransport(
        account_name=account.name,
        credentials=load_google_credentials(credentials, account.id, account.name),
        address=address,
        api_endpoint=settings.gmail_endpoint or gmail_endpoint(settings.api_endpoint or None),
        timeout=timeout,
    )


def _graph_mail(
    account: AccountConfig,
    credentials: CredentialStore,
    address: str,
    timeout: float,
    http_client: requests.Session | None,
) -> MailTransport:
    return GraphMailTransport(
        account_name=account.name,
        access_token=_msal(account, credentials, http_client, MAIL_SCOPES),
        address=address,
        graph_url=account.settings.graph_url or GRAPH_URL,
        timeout=timeout,
    )


def _exchange_mail(
    account: AccountConfig,
    credentials: CredentialStore,
    address: str,
    timeout: float,
    http_client: requests.Session | None,
) -> MailTransport:
    config = _exchange_config(account, credentials, http_client)
    return ExchangeMailTransport(
        account_name=account.name, config=config, address=address, timeout=timeout
    )


_MAIL_BUILDERS = {"google": _gmail, "microsoft": _graph_mail, "exchange": _exchange_mail}
