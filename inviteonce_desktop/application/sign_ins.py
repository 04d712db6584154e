"""What each kind of calendar account needs to connect, as one type per kind."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CalDavSignIn:
    url: str
    username: str
    password: str
    email: str = ""
    """The address of the account's owner, when the server does not tell."""


@dataclass(frozen=True, slots=True)
class GoogleSignIn:
    client_secrets_file: str = ""
    """The OAuth client ID file; empty: the organization's provisioned client. The browser
    signs in."""


@dataclass(frozen=True, slots=True)
class MicrosoftSignIn:
    client_id: str = ""
    """The application (client) ID; empty: the provisioned one."""
    device_code: bool = False
    """Sign in on another device with a code instead of this machine's browser."""
    tenant: str = ""
    """A domain, tenant id or authority URL, for single-tenant applications; empty: the
    provisioned one, else any organization."""


@dataclass(frozen=True, slots=True)
class ExchangeSignIn:
    email: str
    username: str = ""
    """NTLM and basic; default: the email address."""
    password: str = ""
    server: str = ""
    """The EWS URL; empty: the provisioned one, else autodiscover."""
    auth: str = ""
    """ntlm, basic or oauth; empty: the provisioned one, else ntlm."""
    client_id: str = ""
    """OAuth: the application (client) ID; empty: the provisioned one."""
    tenant: str = ""
    """OAuth: the tenant; empty: the provisioned one."""
    device_code: bool = False


SignIn = CalDavSignIn | GoogleSignIn | MicrosoftSignIn | ExchangeSignIn
