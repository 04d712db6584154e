"""Connecting a Google calendar: the OAuth installed-app flow with a loopback redirect.

google-auth-oauthlib runs the authorization-code flow with PKCE; the browser
comes back to 127.0.0.1 on a free port. The resulting authorized-user token
(refresh token included) goes to the keyring only.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from google.oauth2.credentials import Credentials
from google_auth_oauthlib.flow import Flow
from oauthlib.oauth2.rfc6749.errors import OAuth2Error

from ...core.account_settings import AccountSettings
from ..credentials import CredentialStore
from .connected import TOKEN, ConnectedCalendar, OpenBrowser
from .errors import CalendarRejected, ReconnectRequired
from .google import SCOPES, GoogleCalendarProvider
from .oauth_loopback import LoopbackRedirect, SignInCancelled

GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"


ClientConfig = Mapping[str, Any]
"""A client ID file's content: ``{"installed": {"client_id": ..., "client_secret": ...}}``."""


def _sign_in(client: ClientConfig, open_browser: OpenBrowser, timeout: float) -> Credentials:
    with LoopbackRedirect() as redirect:
        flow = Flow.from_client_config(
            dict(client), scopes=list(SCOPES), redirect_uri=redirect.redirect_uri
        )
        url, state = flow.authorization_url(access_type="offline", prompt="consent")
        if open_browser(url) is False:
            raise SignInCancelled(
                "No browser could be opened for Google's sign-in; sign in on this computer "
                "from a desktop session with a browser."
            )
        _, query = redirect.wait(timeout)
        if query.get("state") != state:
            raise SignInCancelled("The sign-in answer did not match the request; try again.")
        try:
            flow.fetch_token(code=query["code"])
        except OAuth2Error:
            raise SignInCancelled("Google refused the sign-in; try again.") from None
        credentials: Credentials = flow.credentials
        return credentials


def read_client_file(path: Path) -> ClientConfig:
    """The OAuth client of a ``client_secret_….json`` file; it must be a Desktop app client."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CalendarRejected(f"The Google client ID file '{path}' does not exist.") from None
    except (OSError, UnicodeDecodeError, ValueError):
        raise CalendarRejected(f"The Google client ID file '{path}' cannot be read.") from None
    if not isinstance(data, dict) or not isinstance(data.get("installed"), dict):
        kind = "a web application" if isinstance(data, dict) and "web" in data else "not"
        raise CalendarRejected(
            f"The Google client ID file '{path.name}' is {kind} a Desktop app client; create "
            "an OAuth client of type Desktop app and download its file."
        )
    return data


async def connect_google(
    client_secrets_file: str | Path | ClientConfig,
    credentials: CredentialStore,
    account_id: int,
    *,
    open_browser: OpenBrowser,
    api_endpoint: str | None = None,
    timeout: float = 300.0,
) -> ConnectedCalendar:
    """Sign in through the browser, check the calendar answers, keep the token in the keyring."""
    """*client_secrets_file* is the client ID file, or its content (a provisioned client)."""
    if isinstance(client_secrets_file, Mapping):
        client, origin = client_secrets_file, ""  # the organization's provisioned client
    else:
        path = Path(client_secrets_file)
        client, origin = read_client_file(path), str(path)
    signed_in = await asyncio.to_thread(_sign_in, client, open_browser, timeout)
    provider = GoogleCalendarProvider(
        account_name="Google", credentials=signed_in, api_endpoint=api_endpoint
    )
    try:
        email = await provider.primary_calendar_id()
    finally:
        await provider.aclose()
    credentials.set(account_id, TOKEN, signed_in.to_json())  # type: ignore[no-untyped-call]
    settings = AccountSettings(
        client_id_file=origin, calendar=email, email=email, api_endpoint=api_endpoint or ""
    )
    return ConnectedCalendar("google", email, settings)


def load_google_credentials(
    credentials: CredentialStore, account_id: int, account_name: str
) -> Credentials:
    """The stored token of a connected account, or :class:`ReconnectRequired`."""
    secret = credentials.get(account_id, TOKEN)
    if not secret:
        raise ReconnectRequired(f"'{account_name}' has no sign-in stored: reconnect this calendar.")
    try:
        info = json.loads(secret)
        expiry = info.get("expiry")
        # Every stored field is kept: from_authorized_user_info would drop the token
        # endpoint and the expiry, and refresh a still-valid token at once.
        return Credentials(  # type: ignore[no-untyped-call]
            token=info.get("token"),
            refresh_token=info["refresh_token"],
            token_uri=info.get("token_uri") or GOOGLE_TOKEN_URI,
            client_id=info["client_id"],
            client_secret=info["client_secret"],
            scopes=info.get("scopes") or list(SCOPES),
            expiry=datetime.fromisoformat(expiry.rstrip("Z")) if expiry else None,
        )
    except (ValueError, KeyError, AttributeError):
        raise ReconnectRequired(
            f"The stored sign-in of '{account_name}' is unreadable: reconnect this calendar."
        ) from None
