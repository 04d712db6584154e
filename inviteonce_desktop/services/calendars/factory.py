"""Building what a stored account serves: its calendar provider, and its mail transport.

An account's record holds only non-secret settings (:class:`AccountSettings`);
tokens and passwords are read from the keyring through the
:class:`CredentialStore`. The sign-in pieces (Google credentials, Microsoft
token sources, Exchange configurations) are built here once for both; a
problem building them is a calendar error, which the mail side reports as its
own (a sign-in to renew or a setting to fix is refused, never retried).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import requests
from exchangelib import Configuration

from ...core.account_settings import AccountSettings
from ...core.timezones import zone
from ..credentials import CredentialStore
from ..mail import MailRejected, MailTransport
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


@dataclass(frozen=True, slots=True)
class _Build:
    """What every builder needs: the account, where its secrets are, and how to reach it."""

    account: AccountConfig
    credentials: CredentialStore
    timeout: float
    http_client: requests.Session | None
    """The session msal uses for Microsoft sign-ins."""
    time_zone: str = "UTC"
    """The organizer's zone, for CalDAV all-day and floating events when the account has none."""

    @property
    def settings(self) -> AccountSettings:
        return self.account.settings

    def required(self, value: str, what: str) -> str:
        if not value.strip():
            raise CalendarRejected(f"The calendar '{self.account.name}' has no {what} set.")
        return value.strip()

    def secret(self, name: str) -> str:
        secret = self.credentials.get(self.account.id, name)
        if not secret:
            raise ReconnectRequired(
                f"'{self.account.name}' has no sign-in stored: reconnect this calendar."
            )
        return secret

    def msal(self, scopes: tuple[str, ...]) -> MsalTokenSource:
        client_id = self.settings.client_id.strip()
        if not client_id:
            raise ReconnectRequired(
                f"'{self.account.name}' has no client ID: reconnect this calendar."
            )
        return token_source(self.account, self.credentials, client_id, self.http_client, scopes)

    def exchange_config(self) -> Configuration | ConfigSource:
        """How exchangelib reaches the account: OAuth tokens, or the password in the keyring."""
        settings = self.settings
        server_url = self.required(settings.server_url, "server URL")
        build = settings.build or "15.1"
        if settings.auth == "oauth":
            source = self.msal(EWS_SCOPES)
            return oauth_config_source(source, server_url=server_url, build=build)
        return exchange_configuration(
            server_url=server_url,
            username=self.required(settings.username, "user name"),
            secret=self.secret(PASSWORD),
            auth=settings.auth or "ntlm",
            build=build,
        )


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
    if account.kind not in _CALENDAR_BUILDERS:
        raise CalendarRejected(f"'{account.kind}' is not a kind of calendar InviteOnce can use.")
    build = _Build(account, credentials, timeout, http_client, time_zone)
    return _CALENDAR_BUILDERS[account.kind](build)


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


def _google(build: _Build) -> CalendarProvider:
    account = build.account
    return GoogleCalendarProvider(
        account_name=account.name,
        credentials=load_google_credentials(build.credentials, account.id, account.name),
        api_endpoint=build.settings.api_endpoint or None,
        timeout=build.timeout,
    )


def _microsoft(build: _Build) -> CalendarProvider:
    return MicrosoftGraphProvider(
        account_name=build.account.name,
        access_token=build.msal(GRAPH_SCOPES),
        mailbox=build.settings.email,
        graph_url=build.settings.graph_url or GRAPH_URL,
        timeout=build.timeout,
        working_elsewhere_busy=build.settings.working_elsewhere == "busy",
    )


def _exchange(build: _Build) -> CalendarProvider:
    return ExchangeProvider(
        account_name=build.account.name,
        config=build.exchange_config(),
        email=build.required(build.settings.email, "email address"),
        timeout=build.timeout,
    )


def _caldav(build: _Build) -> CalendarProvider:
    settings = build.settings
    method = settings.free_busy or FreeBusyMethod.AUTO.value
    if method not in {m.value for m in FreeBusyMethod}:
        raise CalendarRejected(f"'{method}' is not a free/busy method for '{build.account.name}'.")
    return CalDavProvider(
        account_name=build.account.name,
        url=build.required(settings.url, "url"),
        username=build.required(settings.username, "username"),
        password=build.secret(PASSWORD),
        time_zone=zone(settings.time_zone or build.time_zone),
        owner_emails=[settings.email] if settings.email else [],
        free_busy_method=FreeBusyMethod(method),
        timeout=build.timeout,
    )


_CALENDAR_BUILDERS: dict[str, Callable[[_Build], CalendarProvider]] = {
    "google": _google,
    "microsoft": _microsoft,
    "exchange": _exchange,
    "caldav": _caldav,
}


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
    if account.kind not in _MAIL_BUILDERS:
        raise MailRejected(f"The calendar '{account.name}' cannot send mail; choose another way.")
    address = account.settings.email.strip()
    if not address:
        raise MailRejected(f"The calendar '{account.name}' has no email address to send from.")
    try:
        return _MAIL_BUILDERS[account.kind](
            _Build(account, credentials, timeout, http_client), address
        )
    except CalendarError as problem:
        raise mail_error(problem) from None


def _gmail(build: _Build, address: str) -> MailTransport:
    account, settings = build.account, build.settings
    return GmailTransport(
        account_name=account.name,
        credentials=load_google_credentials(build.credentials, account.id, account.name),
        address=address,
        api_endpoint=settings.gmail_endpoint or gmail_endpoint(settings.api_endpoint or None),
        timeout=build.timeout,
    )


def _graph_mail(build: _Build, address: str) -> MailTransport:
    return GraphMailTransport(
        account_name=build.account.name,
        access_token=build.msal(MAIL_SCOPES),
        address=address,
        graph_url=build.settings.graph_url or GRAPH_URL,
        timeout=build.timeout,
    )


def _exchange_mail(build: _Build, address: str) -> MailTransport:
    return ExchangeMailTransport(
        account_name=build.account.name,
        config=build.exchange_config(),
        address=address,
        timeout=build.timeout,
    )


_MAIL_BUILDERS: dict[str, Callable[[_Build, str], MailTransport]] = {
    "google": _gmail,
    "microsoft": _graph_mail,
    "exchange": _exchange_mail,
}
