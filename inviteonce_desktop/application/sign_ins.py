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
    client_secrets_file: str
    """The OAuth client ID file; the browser signs in."""


@dataclass(frozen=True, slots=True)
class MicrosoftSignIn:
    client_id: str
    device_code: bool = False
    """Sign in on another device with a code instead of this machine's browser."""


@dataclass(frozen=True, slots=True)
class ExchangeSignIn:
    email: str
    username: str
    password: str
    server: str = ""
    """The EWS URL; empty for autodiscover."""
    auth: str = "ntlm"


SignIn = CalDavSignIn | GoogleSignIn | MicrosoftSignIn | ExchangeSignIn
