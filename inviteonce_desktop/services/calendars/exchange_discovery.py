"""Finding a mailbox's Exchange server by SOAP autodiscover, and how it wants to be signed in to.

The first request to an autodiscover endpoint carries no credentials: its
answer says how the server signs in. ``WWW-Authenticate: Bearer`` (with the
``authorization_uri`` of the organization's Microsoft sign-in) or Exchange
Online's "Modern Auth" diagnostic means OAuth: the password is never sent
there, and :class:`ExchangeWantsOAuth` tells the connect flow to sign in with
Microsoft instead; NTLM or basic are asked with the password. Once signed in,
the same endpoint gives the EWS URL and the server's version.

The endpoints tried are the provisioned one, if any, then the two that the
email's domain names (``https://DOMAIN/…`` and ``https://autodiscover.DOMAIN/…``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from exchangelib import BASIC, NTLM, OAUTH2, Configuration, Credentials
from exchangelib import errors as ews_errors
from exchangelib.autodiscover.protocol import AutodiscoverProtocol
from exchangelib.credentials import BaseCredentials, OAuth2AuthorizationCodeCredentials
from exchangelib.protocol import FailFast
from exchangelib.transport import (
    get_auth_method_from_response,
    get_unauthenticated_autodiscover_response,
)
from oauthlib.oauth2 import OAuth2Token

from .errors import CalendarRejected, CalendarUnavailable

AUTODISCOVER_PATH = "autodiscover/autodiscover.svc"
_AUTHORIZATION_URI = re.compile(r'authorization_uri="?(https://[^",\s]+)', re.IGNORECASE)
_TENANT_AUTHORITY = re.compile(r"^(https://[^/]+/[^/]+)/oauth2/")
_AUTH_NAMES = {NTLM: "ntlm", BASIC: "basic", OAUTH2: "oauth"}


class ExchangeWantsOAuth(CalendarRejected):
    """The Exchange server signs in with Microsoft (OAuth), not with a password."""

    def __init__(self, email: str, autodiscover_url: str, authority: str) -> None:
        super().__init__(
            f"The Exchange server of {email} signs in with Microsoft (OAuth), not a password: "
            "enter the application (client) ID and tenant your admin gave you, or apply the "
            "organization's provisioning file."
        )
        self.autodiscover_url = autodiscover_url
        self.authority = authority
        """The organization's sign-in authority named by the server; empty if it named none."""


@dataclass(frozen=True, slots=True)
class Discovered:
    ews_url: str
    auth: str
    """ntlm, basic or oauth."""
    build: str
    """``major.minor`` of the newest schema the server speaks."""


def autodiscover_urls(email: str, provisioned: str = "") -> list[str]:
    domain = email.rpartition("@")[2].strip().lower()
    urls = [provisioned] if provisioned else []
    if domain:
        urls += [
            f"https://{domain}/{AUTODISCOVER_PATH}",
            f"https://autodiscover.{domain}/{AUTODISCOVER_PATH}",
        ]
    return urls


def _protocol(
    url: str, credentials: BaseCredentials | None = None, auth_type: str | None = None
) -> AutodiscoverProtocol:
    return AutodiscoverProtocol(
        config=Configuration(
            service_endpoint=url,
            credentials=credentials,
            auth_type=auth_type,
            retry_policy=FailFast(),
        )
    )


def sign_in_method(url: str) -> tuple[str, str] | None:
    """(ntlm, basic or oauth; the OAuth authority) of the endpoint *url*; None if it does
    not answer as autodiscover does."""
    protocol = _protocol(url)
    try:
        response = get_unauthenticated_autodiscover_response(
            protocol=protocol,
            method="post",
            headers={"X-AnchorMailbox": "DUMMY@example.com", "Content-Type": "text/xml"},
            data=protocol.dummy_xml(),
        )
    except (ews_errors.TransportError, OSError):
        return None
    finally:
        protocol.close()
    challenges = [v for k, v in response.headers.items() if k.lower() == "www-authenticate"]
    diagnostics = response.headers.get("ms-diagnostics-public", "")
    bearer = [c for c in challenges if c.strip().lower().startswith("bearer")]
    if bearer or "Modern Auth" in diagnostics:
        found = _AUTHORIZATION_URI.search(" ".join(bearer))
        tenant = _TENANT_AUTHORITY.match(found.group(1)) if found else None
        return "oauth", tenant.group(1) if tenant else ""
    try:
        return _AUTH_NAMES.get(get_auth_method_from_response(response), "ntlm"), ""
    except ews_errors.UnauthorizedError:
        return None


def discover(email: str, username: str, password: str, urls: Sequence[str]) -> Discovered | None:
    """The EWS URL of *email*'s mailbox from the first endpoint that answers; None if none does.

    Raises :class:`ExchangeWantsOAuth` before any password is sent to a server that signs in
    with Microsoft.
    """
    for url in urls:
        method = sign_in_method(url)
        if method is None:
            continue
        auth, authority = method
        if auth == "oauth":
            raise ExchangeWantsOAuth(email, url, authority)
        kind = NTLM if auth == "ntlm" else BASIC
        return _settings(url, email, Credentials(username, password), kind, auth)
    return None


def discover_with_token(email: str, url: str, access_token: str) -> Discovered:
    """The EWS URL of *email*'s mailbox, asked of *url* with a Microsoft access token."""
    credentials = OAuth2AuthorizationCodeCredentials(
        access_token=OAuth2Token({"access_token": access_token, "token_type": "Bearer"})
    )
    return _settings(url, email, credentials, OAUTH2, "oauth")


def _settings(
    url: str, email: str, credentials: BaseCredentials, auth_type: str, auth: str
) -> Discovered:
    protocol = _protocol(url, credentials, auth_type)
    try:
        answer = protocol.get_user_settings(user=email)
    except ews_errors.UnauthorizedError:
        raise CalendarRejected("Exchange refused the sign-in.") from None
    except (ews_errors.EWSError, OSError):
        raise CalendarUnavailable(
            f"The Exchange autodiscover service at {url} did not answer; try again later, "
            "or enter the server URL instead."
        ) from None
    finally:
        protocol.close()
    if isinstance(answer, Exception) or not answer.ews_url:
        raise CalendarRejected(f"Exchange's autodiscover at {url} does not know {email}.")
    version = answer.version
    build = f"{version.build.major_version}.{version.build.minor_version}" if version else "15.1"
    return Discovered(str(answer.ews_url), auth, build)
